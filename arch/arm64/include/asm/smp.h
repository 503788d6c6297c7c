/* smp.h (arm64): the secondary cores — spin-table release (arch/arm64/smp.c) and what head.S's secondary entry reads. */
#ifndef ASM_ARM64_SMP_H
#define ASM_ARM64_SMP_H

/* CPUs the kernel can bring up: the Pi 3 has 4; a DTB may list more (they get a slot and a report). */
#define CONFIG_NR_CPUS		8
#define SECONDARY_STACK_SIZE	16384

/*
 * secondary_data: what the boot CPU leaves for the one secondary it releases
 * next (one at a time), cleaned to the PoC because that core reads it with its
 * MMU and caches off. head.S reads it at these offsets.
 */
#define SD_STACK	0	/* top of the stack (VA) */
#define SD_CPU		8	/* logical CPU number = its per-CPU offset (TPIDR_EL1) */
#define SD_MAIR		16	/* the boot CPU's MAIR_EL1 */
#define SD_TCR		24	/* its TCR_EL1, TTBR0 walks enabled for the idmap */
#define SD_SCTLR	32	/* its SCTLR_EL1 (WXN dropped while running from the idmap) */
#define SD_TTBR1	40	/* init_mm's root (PA): the final kernel tables */
#define SD_IDMAP	48	/* idmap_pg_dir (PA), for the MMU switch only */
#define SD_TTBR0	56	/* the empty table (PA) TTBR0 keeps afterwards */
#define SD_SIZE		64

#ifndef __ASSEMBLER__
#include <types.h>

struct secondary_data {
	u64 stack;
	u64 cpu;
	u64 mair, tcr, sctlr;
	u64 ttbr1, idmap, ttbr0;
};
_Static_assert(sizeof(struct secondary_data) == SD_SIZE, "head.S reads secondary_data at SD_*");

extern struct secondary_data secondary_data;

/*
 * smp_init_cpus (setup_arch, after paging_init): reads the cpu nodes of the
 * DTB (or the board's release addresses without one) — MPIDR and spin-table
 * address of each — and allocates each secondary's stack from memblock.
 */
void smp_init_cpus(const void *fdt);

/* The MPIDR affinity of each logical CPU (as the DTB's reg says). */
extern u64 cpu_logical_map[CONFIG_NR_CPUS];
#endif

#endif

/* smp.h (arm64): the secondary cores — spin-table release (arch/arm64/smp.c) and what head.S's secondary entry reads. */
#ifndef ASM_ARM64_SMP_H
#define ASM_ARM64_SMP_H

#include <const.h>

/* CPUs the kernel can bring up: the Pi 3 has 4; a DTB may list more (they get a slot and a report). */
#define CONFIG_NR_CPUS		8
#define SECONDARY_STACK_SIZE	16384
/* How a CPU left out by nosmp or maxcpus= waits (smp_init's line): a wfi loop with the MMU off (secondary_park). */
#define ARCH_CPU_PARKED_IN	"WFI"

/*
 * secondary_data[cpu]: what the boot CPU leaves for a secondary before it
 * releases it, cleaned to the PoC because that core reads it with its MMU and
 * caches off. The core finds its own slot by its MPIDR (SD_MPIDR holds it with
 * SD_MPIDR_VALID set), so a core that answers after its deadline, once the
 * boot CPU has cleared its slot, finds none and parks instead of running on
 * someone else's stack. head.S reads the slots at these offsets.
 */
#define SD_STACK	0	/* top of the stack (VA) */
#define SD_CPU		8	/* logical CPU number = its per-CPU offset (TPIDR_EL1) */
#define SD_MAIR		16	/* the boot CPU's MAIR_EL1 */
#define SD_TCR		24	/* its TCR_EL1, TTBR0 walks enabled for the idmap */
#define SD_SCTLR	32	/* its SCTLR_EL1 (WXN dropped while running from the idmap) */
#define SD_TTBR1	40	/* init_mm's root (PA): the final kernel tables */
#define SD_IDMAP	48	/* idmap_pg_dir (PA), for the MMU switch only */
#define SD_TTBR0	56	/* the empty table (PA) TTBR0 keeps afterwards */
#define SD_MPIDR	64	/* MPIDR affinity | SD_MPIDR_VALID; 0: nobody may use this slot */
#define SD_SIZE		128	/* two cache lines: cleaning one slot never touches another */
#define SD_MPIDR_VALID	_BITUL(63)
#define MPIDR_HWID_MASK	_UL(0xff00ffffff)	/* Aff3..Aff0 (ARM ARM D13.2.86) */

#ifndef __ASSEMBLER__
#include <types.h>

struct secondary_data {
	u64 stack;
	u64 cpu;
	u64 mair, tcr, sctlr;
	u64 ttbr1, idmap, ttbr0;
	u64 mpidr;
	u64 pad[7];
};
_Static_assert(sizeof(struct secondary_data) == SD_SIZE, "head.S reads secondary_data at SD_*");

extern struct secondary_data secondary_data[CONFIG_NR_CPUS];

/*
 * smp_init_cpus (setup_arch, after paging_init): reads the cpu nodes of the
 * DTB (or the board's release addresses without one) — MPIDR and spin-table
 * address of each — and allocates each secondary's stack from memblock.
 */
void smp_init_cpus(const void *fdt);

/* The MPIDR affinity of each logical CPU (as the DTB's reg says). */
extern u64 cpu_logical_map[CONFIG_NR_CPUS];

/* The bounds [lo, hi) of cpu's stack, for backtraces (arch/arm64/smp.c). */
void arch_cpu_stack(unsigned int cpu, u64 *lo, u64 *hi);
#endif

#endif

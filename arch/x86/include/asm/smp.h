/* smp.h (x86): the application processors — firmware tables, the real-mode trampoline, per-CPU segments. */
#ifndef ASM_X86_SMP_H
#define ASM_X86_SMP_H

#include <const.h>

/* CPUs the kernel can bring up (qemu-system-i386 -smp up to 8); more in the firmware's tables get a line. */
#define CONFIG_NR_CPUS		8
#define SECONDARY_STACK_SIZE	16384
/* How a CPU left out by nosmp or maxcpus= waits (smp_init's line): an INIT IPI, never a SIPI. */
#define ARCH_CPU_PARKED_IN	"wait-for-SIPI"

/*
 * The AP trampoline (arch/x86/trampoline.S) is copied to this page below
 * 1 MiB, which memblock keeps as "trampoline": a STARTUP IPI names a page
 * under 1 MiB (vector = PA >> 12), and the AP starts there in real mode with
 * CS = PA >> 4, IP = 0. 0x6000 is below QEMU's Multiboot information (0x9000)
 * and above the BIOS data area; by the time APs start nothing else uses it.
 */
#define TRAMPOLINE_PA		0x6000

/*
 * The GDT (head.S): null, __KERNEL_CS, __KERNEL_DS, then one data segment per
 * CPU whose base is that CPU's struct x86_percpu (%fs holds it in the
 * kernel), the user code and data segments (flat, DPL 3), then one TSS per
 * CPU (its esp0: the stack a trap from ring 3 lands on; mmu_context.c). A
 * CPU's TSS selector minus TSS_TO_PERCPU_SEG is its %fs: entry.S finds the
 * per-CPU segment from the task register when a trap comes from ring 3.
 */
#define GDT_ENTRY_PERCPU	3
#define GDT_ENTRY_USER_CS	(GDT_ENTRY_PERCPU + CONFIG_NR_CPUS)
#define GDT_ENTRY_USER_DS	(GDT_ENTRY_USER_CS + 1)
#define GDT_ENTRY_TSS		(GDT_ENTRY_USER_DS + 1)
#define GDT_ENTRIES		(GDT_ENTRY_TSS + CONFIG_NR_CPUS)
#define __PERCPU_SEG(cpu)	((GDT_ENTRY_PERCPU + (cpu)) * 8)
#define __USER_CS		(GDT_ENTRY_USER_CS * 8 + 3)	/* RPL 3 */
#define __USER_DS		(GDT_ENTRY_USER_DS * 8 + 3)
#define __TSS_SEG(cpu)		((GDT_ENTRY_TSS + (cpu)) * 8)
#define TSS_TO_PERCPU_SEG	((GDT_ENTRY_TSS - GDT_ENTRY_PERCPU) * 8)

/*
 * What trampoline.S reads at the end of its page (TR_* offsets from the
 * trampoline's start, where smpboot.c writes struct trampoline_params).
 */
#define TR_PARAMS		0xf00
#define TR_APIC_ID		(TR_PARAMS + 0)		/* the AP meant to run; others park */
#define TR_EARLY_CR3		(TR_PARAMS + 4)		/* head.S's early PDPT (identity + PAGE_OFFSET) */
#define TR_CR3			(TR_PARAMS + 8)		/* init_mm's PDPT: the final tables */
#define TR_CR4			(TR_PARAMS + 12)	/* PAE, and PGE where the boot CPU has it */
#define TR_NX			(TR_PARAMS + 16)	/* 1: set EFER.NXE before the final tables */
#define TR_STACK		(TR_PARAMS + 20)	/* top of the AP's stack (VA) */
#define TR_CPU			(TR_PARAMS + 24)	/* its logical CPU number */
#define TR_ANSWERED		(TR_PARAMS + 28)	/* the AP writes 1 once it runs 32-bit code */
#define TR_APIC_ID_NONE		0xffffffffu

#ifndef __ASSEMBLER__
#include <types.h>

struct trampoline_params {
	u32 apic_id, early_cr3, cr3, cr4, nx, stack, cpu, answered;
};

/* The per-CPU area %fs points at; cpu_offset must stay first (asm/percpu.h reads %fs:0). */
struct x86_percpu {
	unsigned long cpu_offset;
	u32 apic_id;
};
extern struct x86_percpu x86_percpu[CONFIG_NR_CPUS];

/* The local APIC id of each logical CPU (from the MADT or the MP table; [0] is the boot CPU's). */
extern u32 x86_cpu_apic_id[CONFIG_NR_CPUS];

/* The bounds [lo, hi) of cpu's stack (arch/x86/smpboot.c), as on arm64. */
void arch_cpu_stack(unsigned int cpu, u64 *lo, u64 *hi);

/* smpboot.c: fills cpu's GDT segment and loads it into %fs (each CPU for itself). */
void x86_load_percpu_segment(unsigned int cpu);
/* mmu_context.c: fills cpu's TSS and its GDT descriptor, loads the task register (each CPU for itself). */
void x86_load_tss(unsigned int cpu);
/* smpboot.c (setup_arch, after paging_init): the CPUs from the firmware, their stacks, the trampoline page. */
void x86_smp_init_cpus(void);
/* smpboot.c: an AP's first C (trampoline.S), on its stack with its per-CPU segment loaded. */
void __attribute__((noreturn)) x86_secondary_start(unsigned int cpu);
#endif

#endif

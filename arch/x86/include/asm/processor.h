/* processor.h (x86): control registers, MSRs, CPUID and the TSC (Intel SDM vol. 3 ch. 2). */
#ifndef ASM_X86_PROCESSOR_H
#define ASM_X86_PROCESSOR_H

#define X86_CR0_MP	(1u << 1)	/* WAIT/FWAIT honours TS */
#define X86_CR0_EM	(1u << 2)	/* x87 instructions raise #NM (no FPU to use) */
#define X86_CR0_TS	(1u << 3)	/* task switched: the next x87/SSE instruction raises #NM */
#define X86_CR0_NE	(1u << 5)	/* x87 errors as #MF, not the legacy IRQ 13 */
#define X86_CR0_WP	(1u << 16)	/* supervisor writes honour read-only pages */
#define X86_CR0_PG	(1u << 31)
#define X86_CR4_PSE	(1u << 4)
#define X86_CR4_PAE	(1u << 5)
#define X86_CR4_PGE	(1u << 7)	/* global pages survive CR3 reloads */
#define X86_CR4_OSFXSR	(1u << 9)	/* FXSAVE/FXRSTOR cover the SSE state; SSE instructions allowed */
#define X86_CR4_OSXMMEXCPT (1u << 10)	/* unmasked SSE exceptions raise #XM */

#define MSR_IA32_CR_PAT	0x277
#define MSR_EFER	0xc0000080
#define EFER_NXE	(1u << 11)

#define X86_FEATURE_EDX_FPU	(1u << 0)	/* CPUID 1 */
#define X86_FEATURE_EDX_TSC	(1u << 4)
#define X86_FEATURE_EDX_PAE	(1u << 6)
#define X86_FEATURE_EDX_PGE	(1u << 13)
#define X86_FEATURE_EDX_CMOV	(1u << 15)	/* -march=i686 code uses CMOVcc */
#define X86_FEATURE_EDX_PAT	(1u << 16)
#define X86_FEATURE_EDX_FXSR	(1u << 24)	/* FXSAVE/FXRSTOR */
#define X86_FEATURE_EDX_SSE	(1u << 25)
#define X86_FEATURE_EDX_NX	(1u << 20)	/* CPUID 0x80000001 */

#define X86_EFLAGS_ID	(1u << 21)	/* writable iff the CPU has CPUID */

#define __KERNEL_CS	0x08
#define __KERNEL_DS	0x10

#ifndef __ASSEMBLER__
#include <types.h>

#define DEFINE_CR(n) \
static inline unsigned long read_cr##n(void) \
{ unsigned long v; __asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v)); return v; } \
static inline void write_cr##n(unsigned long v) \
{ __asm__ __volatile__("mov %0, %%cr" #n :: "r"(v) : "memory"); }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

#ifdef __KERNEL__
/* arch/x86/tlb.c: the shootdown a spinning CPU must still answer (bit n: CPU n). */
extern unsigned long tlb_shootdown_pending;
void x86_tlb_poll(void);
#endif

/*
 * cpu_relax: PAUSE in a spin loop; in the kernel it also acknowledges a TLB
 * shootdown waiting for this CPU (arch/x86/tlb.c), so a CPU spinning with
 * interrupts masked never holds up the CPU that is changing a mapping.
 */
static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
#ifdef __KERNEL__
	if (*(volatile unsigned long *)&tlb_shootdown_pending)
		x86_tlb_poll();
#endif
}

static inline __attribute__((noreturn)) void halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

#endif /* !__ASSEMBLER__ */
#endif

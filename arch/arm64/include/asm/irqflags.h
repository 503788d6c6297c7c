/* irqflags.h (arm64): masking interrupts on this CPU through PSTATE.DAIF. */
#ifndef ASM_ARM64_IRQFLAGS_H
#define ASM_ARM64_IRQFLAGS_H

#include <types.h>

#define DAIF_I_F	3		/* DAIFSet/DAIFClr immediate: IRQ (I) and FIQ (F) */
#define PSR_I_BIT	(1UL << 7)	/* DAIF.I as read by MRS */

static inline unsigned long arch_local_save_flags(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif" : "=r"(flags) : : "memory");
	return flags;
}

/*
 * Masks IRQ and FIQ; returns DAIF as it was, for arch_local_irq_restore. Both skip the DAIF
 * write when it would change nothing: a write to DAIF is cheap on the A53 but ends QEMU's
 * translation block (about 1 us under TCG), and nested save/restore pairs are the common case
 * on the allocators' paths (`selftest slab` under QEMU took 36 s instead of 43 s).
 */
static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	if (!(flags & PSR_I_BIT))
		__asm__ volatile("msr daifset, %0" : : "i"(DAIF_I_F) : "memory");
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	if (flags != arch_local_save_flags())
		__asm__ volatile("msr daif, %0" : : "r"(flags) : "memory");
}

static inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return (flags & PSR_I_BIT) != 0;
}

/* Unmasks / masks IRQ and FIQ on this CPU. */
static inline void arch_local_irq_enable(void)
{
	__asm__ volatile("msr daifclr, %0" : : "i"(DAIF_I_F) : "memory");
}

static inline void arch_local_irq_disable(void)
{
	__asm__ volatile("msr daifset, %0" : : "i"(DAIF_I_F) : "memory");
}

#endif

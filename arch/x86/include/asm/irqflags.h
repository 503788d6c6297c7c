/* irqflags.h (x86): masking interrupts on this CPU through EFLAGS.IF. */
#ifndef ASM_X86_IRQFLAGS_H
#define ASM_X86_IRQFLAGS_H

#define X86_EFLAGS_IF	(1UL << 9)	/* SDM Vol. 1, 3.4.3.3 */

/* CLI; returns EFLAGS as it was, for arch_local_irq_restore. */
static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushf\n\tpop %0\n\tcli" : "=r"(flags) : : "memory");
	return flags;
}

/* Puts IF back as it was (the other flags are not touched: no POPF). */
static inline void arch_local_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		__asm__ volatile("sti" ::: "memory");
	else
		__asm__ volatile("cli" ::: "memory");
}

static inline unsigned long arch_local_save_flags(void)
{
	unsigned long flags;

	__asm__ volatile("pushf\n\tpop %0" : "=r"(flags) : : "memory");
	return flags;
}

static inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & X86_EFLAGS_IF);
}

/* STI / CLI: unmasks / masks maskable interrupts on this CPU. */
static inline void arch_local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline void arch_local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

#endif

/* irqflags.h (host seam): "interrupts masked" is one thread-local flag (tests/host/smp_seam.c). */
#ifndef HOST_ASM_IRQFLAGS_H
#define HOST_ASM_IRQFLAGS_H

extern __thread unsigned long host_irqs_masked;	/* 1: masked */

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = host_irqs_masked;

	host_irqs_masked = 1;
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	host_irqs_masked = flags;
}

static inline unsigned long arch_local_save_flags(void)
{
	return host_irqs_masked;
}

static inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return flags != 0;
}

static inline void arch_local_irq_enable(void)
{
	host_irqs_masked = 0;
}

static inline void arch_local_irq_disable(void)
{
	host_irqs_masked = 1;
}

#endif

/* irq.h (arm64): the IRQ path — vector, ARM-local controller (irq-bcm2836.c) and the virtual timer (time.c). */
#ifndef ASM_ARM64_IRQ_H
#define ASM_ARM64_IRQ_H

struct pt_regs;

/* The IRQ vector's C (traps.c's do_exception hands it the frame), interrupts masked. */
void handle_arch_irq(struct pt_regs *regs);
/* The virtual timer's line, from handle_arch_irq. */
void arch_timer_handle_irq(void);

/*
 * Per-CPU start and stop of the local interrupt sources: the ARM-local
 * controller's routing of this core's mailbox and timer (irq-bcm2836.c), and
 * the virtual timer itself (time.c). Each CPU calls them for itself.
 */
void bcm2836_starting_cpu(void);
void bcm2836_dying_cpu(void);
void arch_timer_starting_cpu(void);
void arch_timer_dying_cpu(void);

#endif

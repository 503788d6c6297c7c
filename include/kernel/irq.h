/* irq.h: the arch's interrupt sources as rows of /proc/interrupts, per-CPU counts, the IPI kinds, the tick accounting (kernel/irq.c). */
#ifndef PAGODA_IRQ_H
#define PAGODA_IRQ_H

#include <compiler.h>
#include <kernel/percpu.h>
#include <types.h>

/*
 * The IPI kinds, Linux's names. Which ones an arch sends: arm64 (BCM2836
 * mailboxes) CALL_FUNC and CPU_STOP, its TLB maintenance being broadcast in
 * hardware; x86 (local APIC) CALL_FUNC, CPU_STOP and TLB_FLUSH.
 */
enum ipi_msg_type {
	IPI_RESCHEDULE,		/* "Rescheduling interrupts" (reserved for the scheduler, issue 16) */
	IPI_CALL_FUNC,		/* "Function call interrupts": kernel/smp_call.c's queue */
	IPI_CPU_STOP,		/* "CPU stop interrupts": panic on another CPU */
	IPI_TLB_FLUSH,		/* "TLB shootdowns" (x86) */
	NR_IPI,
};

/*
 * An interrupt row of /proc/interrupts. The arch (or a driver) declares one
 * per source at link time and counts with irq_row_inc() on the CPU that took
 * it. Three kinds of row, laid out as Linux lays each out (kernel/irq.c):
 * - a device line (IRQ_ROW_HW, chip set): label = its number, then chip,
 *   hardware line, trigger and description ("arch_timer");
 * - an arm64 IPI row (label "IPI0".., chip NULL): counts, then the description;
 * - another arch row (x86's "LOC", "CAL", "TLB"; chip NULL): the same with
 *   x86's spacing.
 * Device rows come first, in link order; then the chipless rows by rank, the
 * order in which Linux prints them (arm64: IPI0, IPI1, ...; x86: LOC, SPU,
 * RES, CAL, TLB, ..., ERR), whatever order the compiler emitted them in.
 */
struct irq_row {
	const char *label;	/* first column, right-aligned as Linux's */
	const char *chip;	/* e.g. "bcm2836-timer", "LAPIC"; NULL for IPI and arch rows (Linux prints none) */
	const char *desc;	/* e.g. "arch_timer", "Function call interrupts" */
	unsigned long *counts;	/* [CONFIG_NR_CPUS], this row's per-CPU counts */
	unsigned int hwirq;	/* device rows: the line's number at its controller */
	const char *trigger;	/* device rows: "Level" or "Edge" */
	unsigned int rank;	/* chipless rows: place among them (see above), unique per arch */
};

#define IRQ_ROW(id, rank, label, desc) \
	static unsigned long __irq_counts_##id[CONFIG_NR_CPUS]; \
	const struct irq_row irq_row_##id __link_table(irq_rows, struct irq_row) = \
		{ label, NULL, desc, __irq_counts_##id, 0, NULL, rank }

#define IRQ_ROW_HW(id, label, chip, hwirq, trigger, desc) \
	static unsigned long __irq_counts_##id[CONFIG_NR_CPUS]; \
	const struct irq_row irq_row_##id __link_table(irq_rows, struct irq_row) = \
		{ label, chip, desc, __irq_counts_##id, hwirq, trigger, 0 }

/* Counts one interrupt of row on this CPU (call with interrupts masked: the handler's context). */
static inline void irq_row_inc(const struct irq_row *row)
{
	row->counts[smp_processor_id()]++;
}

/*
 * handle_IPI: the arch's IPI handler calls it with the kind it decoded, on
 * the receiving CPU with interrupts masked (the arch counts it in its own
 * row, with its own label). It runs the kind: the call queue, the stop, or
 * x86's flush through arch_handle_tlb_flush_ipi.
 */
void handle_IPI(enum ipi_msg_type kind);
/* The arch's doorbell for kind (arm64: a core mailbox bit; x86: a LAPIC vector). */
void arch_send_ipi(unsigned int cpu, enum ipi_msg_type kind);
void arch_handle_tlb_flush_ipi(void);

/*
 * The registers an interrupt interrupted, on this CPU (Linux's
 * get_irq_regs/set_irq_regs): the arch's IRQ entry sets them for the time of
 * the handler and restores the previous value, so the stop IPI can print
 * where each CPU was. NULL outside an interrupt. struct pt_regs is the arch's.
 */
struct pt_regs;
DECLARE_PER_CPU(struct pt_regs *, __irq_regs);
static inline struct pt_regs *get_irq_regs(void)
{
	return *this_cpu_ptr(__irq_regs);
}

static inline struct pt_regs *set_irq_regs(struct pt_regs *regs)
{
	struct pt_regs *old = get_irq_regs();

	*this_cpu_ptr(__irq_regs) = regs;
	return old;
}

/* The stop IPI: each CPU that receives it prints its registers and stops (kernel/panic.c). */
void __noreturn ipi_cpu_stop(void);

/*
 * Arch hooks, each with a do-nothing default in kernel/irq.c for an arch that
 * lacks it:
 * init_IRQ (start_kernel, before smp_init): the boot CPU's interrupt controller;
 * time_init (right after): the boot CPU's periodic tick (HZ);
 * arch_irq_window: lets interrupts pending on this CPU in, then masks them
 *   again — the boot CPU's waits (console input, run= between commands,
 *   taskset's wait) call it in their loops, so IPIs reach a CPU whose
 *   commands run with interrupts masked;
 * arch_show_regs: prints regs as the Oops report does;
 * arch_show_interrupts: the arch's last rows of /proc/interrupts (arm64: Err);
 * arch_cpu_halt: this CPU stops for good, its interrupt sources silenced.
 */
void init_IRQ(void);
void time_init(void);
void arch_irq_window(void);
void arch_show_regs(struct pt_regs *regs);
struct seq_buf;
void arch_show_interrupts(struct seq_buf *s, int prec);
void __noreturn arch_cpu_halt(void);

/*
 * The tick: the arch's timer handler calls timer_tick() on each CPU HZ times
 * a second (accounting, and CPU 0's ^C watch for taskset).
 * Tick accounting for /proc/stat (Linux's cpu lines, in USER_HZ = HZ = 100
 * ticks): account_tick() counts the tick on the CPU it interrupted; a tick that found the CPU in an idle wait (cpu_idle_enter ..
 * cpu_idle_exit: the secondaries' WFI, the shell's wait for input) is idle
 * time, any other is system time.
 */
#define HZ	100
void timer_tick(void);
void account_tick(void);
void cpu_idle_enter(void);
void cpu_idle_exit(void);

#endif

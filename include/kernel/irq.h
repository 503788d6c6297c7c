/* irq.h: the arch's interrupt sources as rows of /proc/interrupts, per-CPU counts, and the IPI kinds (kernel/irq.c). */
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
 * per source with IRQ_ROW at link time: its label (Linux's: a number for a
 * device line, "IPI0".. on arm64, "LOC", "CAL", "TLB" on x86), the chip and
 * the description, and counts with irq_row_inc() on the CPU that took it.
 */
struct irq_row {
	const char *label;	/* first column, right-aligned as Linux's */
	const char *chip;	/* e.g. "bcm2836-timer", "LAPIC"; NULL for IPI rows (Linux prints none) */
	const char *desc;	/* e.g. "arch_timer", "Function call interrupts" */
	unsigned long *counts;	/* [CONFIG_NR_CPUS], this row's per-CPU counts */
};

#define IRQ_ROW(id, label, chip, desc) \
	static unsigned long __irq_counts_##id[CONFIG_NR_CPUS]; \
	const struct irq_row irq_row_##id __link_table(irq_rows, struct irq_row) = \
		{ label, chip, desc, __irq_counts_##id }

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

/* The stop IPI: each CPU that receives it prints its registers and stops (kernel/panic.c). */
void __noreturn ipi_cpu_stop(void);

#endif

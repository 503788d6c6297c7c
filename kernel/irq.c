/* irq.c: /proc/interrupts over the link-time table of interrupt rows, and the generic side of each IPI kind. */
#include <kernel/debugfs.h>
#include <kernel/irq.h>
#include <kernel/seq_buf.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>

extern const struct irq_row __start_irq_rows[] __weak, __stop_irq_rows[] __weak;

/* Linux's layout: a header of online CPUs, then per row its label, one count per CPU, chip and description. */
static void show_interrupts(struct seq_buf *s)
{
	const struct irq_row *r;
	unsigned int cpu;

	seq_buf_printf(s, "%4s", "");
	for_each_online_cpu(cpu)
		seq_buf_printf(s, " %10s%u", "CPU", cpu);
	seq_buf_printf(s, "\n");
	for (r = __start_irq_rows; r < __stop_irq_rows; r++) {
		seq_buf_printf(s, "%4s:", r->label);
		for_each_online_cpu(cpu)
			seq_buf_printf(s, " %10lu", r->counts[cpu]);
		if (r->chip)
			seq_buf_printf(s, "  %-10s", r->chip);
		seq_buf_printf(s, "  %s\n", r->desc);
	}
}
DEBUGFS_FILE(interrupts, "/proc/interrupts", show_interrupts);

void handle_IPI(enum ipi_msg_type kind)
{
	switch (kind) {
	case IPI_CALL_FUNC:
		generic_smp_call_function_interrupt();
		break;
	case IPI_CPU_STOP:
		ipi_cpu_stop();
	case IPI_TLB_FLUSH:
		arch_handle_tlb_flush_ipi();
		break;
	default:
		break;
	}
}

/* Until an arch sends TLB-flush IPIs (x86), nothing calls this. */
__weak void arch_handle_tlb_flush_ipi(void)
{
}

/* Until kernel/panic.c stops CPUs with their registers printed: park with interrupts masked. */
__weak void ipi_cpu_stop(void)
{
	unsigned long flags;

	local_irq_save(flags);
	(void)flags;
	for (;;)
		cpu_relax();
}

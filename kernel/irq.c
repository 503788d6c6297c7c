/* irq.c: /proc/interrupts and /proc/stat over the link-time table of interrupt rows, the generic side of each IPI kind, tick accounting. */
#include <kernel/console.h>
#include <kernel/debugfs.h>
#include <kernel/irq.h>
#include <kernel/sched.h>
#include <kernel/seq_buf.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <mm/kfence.h>
#include <mm/slab.h>
#include <stdio.h>
#include <string.h>

extern const struct irq_row __start_irq_rows[] __weak, __stop_irq_rows[] __weak;

DEFINE_PER_CPU(struct pt_regs *, __irq_regs);

/* Linux's width of the first column (kernel/irq/proc.c: 3 digits until 1000 interrupts). */
#define IRQ_PREC	3

static void show_counts(struct seq_buf *s, const struct irq_row *r)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		seq_buf_printf(s, "%10lu ", READ_ONCE(r->counts[cpu]));
}

/*
 * One row, as Linux prints its kind: a device line as show_interrupts does
 * ("%*d: ", counts, " %8s" chip, " %*lu" line, " %-8s" trigger, "  name"),
 * an arm64 IPI as show_ipi_list ("IPI%u:", counts, six spaces, name), another
 * arch row as x86's arch_show_interrupts ("%*s: ", counts, two spaces, name).
 */
static void show_row(struct seq_buf *s, const struct irq_row *r)
{
	if (r->chip) {
		seq_buf_printf(s, "%*s: ", IRQ_PREC, r->label);
		show_counts(s, r);
		seq_buf_printf(s, " %8s %*u %-8s  %s\n", r->chip, IRQ_PREC, r->hwirq,
			       r->trigger ? r->trigger : "", r->desc);
	} else if (!strncmp(r->label, "IPI", 3)) {
		seq_buf_printf(s, "%*s:", IRQ_PREC + 1, r->label);
		show_counts(s, r);
		seq_buf_printf(s, "      %s\n", r->desc);
	} else {
		seq_buf_printf(s, "%*s: ", IRQ_PREC, r->label);
		show_counts(s, r);
		seq_buf_printf(s, "  %s\n", r->desc);
	}
}

/* The rows without a chip (IPIs, arch rows) by rank: the link order of rows is the compiler's. */
static void show_rows_by_rank(struct seq_buf *s)
{
	const struct irq_row *r, *next, *last = NULL;

	for (;;) {
		next = NULL;
		for (r = __start_irq_rows; r < __stop_irq_rows; r++)
			if (!r->chip && (!last || r->rank > last->rank) && (!next || r->rank < next->rank))
				next = r;
		if (!next)
			return;
		show_row(s, next);
		last = next;
	}
}

/* Linux's layout: a header of online CPUs ("CPU%-8d" after prec + 8 blanks), device rows, then the arch's. */
static void show_interrupts(struct seq_buf *s)
{
	const struct irq_row *r;
	unsigned int cpu;

	seq_buf_printf(s, "%*s", IRQ_PREC + 8, "");
	for_each_online_cpu(cpu)
		seq_buf_printf(s, "CPU%-8u", cpu);
	seq_buf_printf(s, "\n");
	for (r = __start_irq_rows; r < __stop_irq_rows; r++)
		if (r->chip)
			show_row(s, r);
	show_rows_by_rank(s);
	arch_show_interrupts(s, IRQ_PREC);
}
DEBUGFS_FILE(interrupts, "/proc/interrupts", show_interrupts);

/* Per CPU, ticks by what they interrupted (only that CPU writes its slot, from its tick). */
struct cpu_ticks {
	unsigned long system, idle;
	bool in_idle;		/* between cpu_idle_enter and cpu_idle_exit */
};
static DEFINE_PER_CPU(struct cpu_ticks, cpu_ticks);

void cpu_idle_enter(void)
{
	WRITE_ONCE(this_cpu_ptr(cpu_ticks)->in_idle, true);
}

void cpu_idle_exit(void)
{
	WRITE_ONCE(this_cpu_ptr(cpu_ticks)->in_idle, false);
}

void timer_tick(void)
{
	account_tick();
	sched_tick();	/* wakes sleepers due, asks a process to yield (kernel/sched.c) */
	console_tick();	/* CPU 0 only, while taskset waits: ^C */
	slab_reap_tick();	/* every 2 s: grown slab arrays give back what they do not use */
	kfence_poll();		/* CPU 0: KFENCE's gate opens once a sample interval */
}

void account_tick(void)
{
	struct cpu_ticks *t = this_cpu_ptr(cpu_ticks);

	if (t->in_idle)
		WRITE_ONCE(t->idle, t->idle + 1);
	else
		WRITE_ONCE(t->system, t->system + 1);
}

/* Linux's "cpu" line: user nice system idle iowait irq softirq steal guest guest_nice (pagoda has system and idle). */
static void show_cpu_line(struct seq_buf *s, const char *name, unsigned long system, unsigned long idle)
{
	seq_buf_printf(s, "%s 0 0 %lu %lu 0 0 0 0 0 0\n", name, system, idle);
}

/*
 * /proc/stat, the parts pagoda has: the cpu lines (ticks of HZ = USER_HZ;
 * no tasks, so user, nice and the rest are 0) and the intr line (the total of
 * every row on every CPU, IPIs included as on arm64 Linux, then each device
 * row's total in table order).
 */
static void show_stat(struct seq_buf *s)
{
	const struct irq_row *r;
	unsigned long sys = 0, idle = 0, total = 0, n;
	unsigned int cpu;
	char name[16];

	for_each_online_cpu(cpu) {
		sys += READ_ONCE(per_cpu(cpu_ticks, cpu).system);
		idle += READ_ONCE(per_cpu(cpu_ticks, cpu).idle);
	}
	show_cpu_line(s, "cpu ", sys, idle);
	for_each_online_cpu(cpu) {
		snprintf(name, sizeof(name), "cpu%u", cpu);
		show_cpu_line(s, name, READ_ONCE(per_cpu(cpu_ticks, cpu).system),
			      READ_ONCE(per_cpu(cpu_ticks, cpu).idle));
	}
	for (r = __start_irq_rows; r < __stop_irq_rows; r++)
		for_each_online_cpu(cpu)
			total += READ_ONCE(r->counts[cpu]);
	seq_buf_printf(s, "intr %lu", total);
	for (r = __start_irq_rows; r < __stop_irq_rows; r++) {
		if (!r->chip)
			continue;
		n = 0;
		for_each_online_cpu(cpu)
			n += READ_ONCE(r->counts[cpu]);
		seq_buf_printf(s, " %lu", n);
	}
	seq_buf_printf(s, "\n");
}
DEBUGFS_FILE(stat, "/proc/stat", show_stat);

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

/* The defaults for an arch without interrupts yet: nothing to start, let in or print. */
__weak void init_IRQ(void)
{
}

__weak void time_init(void)
{
}

__weak void arch_irq_window(void)
{
}

__weak void arch_show_regs(struct pt_regs *regs)
{
	(void)regs;
}

__weak void arch_show_interrupts(struct seq_buf *s, int prec)
{
	(void)s;
	(void)prec;
}

__weak void arch_cpu_halt(void)
{
	unsigned long flags;

	local_irq_save(flags);
	(void)flags;
	for (;;)
		cpu_relax();
}

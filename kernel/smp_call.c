/* smp_call.c: cross-CPU function calls — a queue of call_single_data per CPU, rung by the arch's IPI. */
#include <errno.h>
#include <kernel/irq.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>

/*
 * One call for one CPU, on the caller's stack. The target clears CSD_LOCK with
 * a release store after func has returned, and the caller always waits for
 * that (pagoda treats wait = 0 as wait = 1: no call outlives its caller's
 * frame, so no call ever needs an allocation — the allocators themselves use
 * cross calls to drain).
 */
struct call_single_data {
	struct call_single_data *next;
	smp_call_func_t func;
	void *info;
	int flags;
};
#define CSD_LOCK	1

/* Per CPU: calls waiting for that CPU. Protected by its lock (taken with interrupts masked). */
struct call_queue {
	spinlock_t lock;
	struct call_single_data *head, **tail;
};
static DEFINE_PER_CPU(struct call_queue, call_queue);

static struct call_queue *queue_of(unsigned int cpu)
{
	struct call_queue *q = per_cpu_ptr(call_queue, cpu);

	if (!q->tail)		/* first use: zero-initialised BSS, an empty list */
		q->tail = &q->head;
	return q;
}

static void csd_enqueue(unsigned int cpu, struct call_single_data *csd)
{
	struct call_queue *q = queue_of(cpu);
	unsigned long flags;

	csd->next = NULL;
	WRITE_ONCE(csd->flags, CSD_LOCK);
	spin_lock_irqsave(&q->lock, flags);
	*q->tail = csd;
	q->tail = &csd->next;
	spin_unlock_irqrestore(&q->lock, flags);
	arch_send_call_function_ipi(cpu);
}

void generic_smp_call_function_interrupt(void)
{
	struct call_queue *q = queue_of(smp_processor_id());
	struct call_single_data *csd, *next;
	unsigned long flags;

	if (!READ_ONCE(q->head))
		return;
	spin_lock_irqsave(&q->lock, flags);
	csd = q->head;
	q->head = NULL;
	q->tail = &q->head;
	spin_unlock_irqrestore(&q->lock, flags);
	for (; csd; csd = next) {
		next = csd->next;	/* read before the release: the caller may reuse csd at once */
		local_irq_save(flags);
		csd->func(csd->info);
		local_irq_restore(flags);
		smp_store_release(&csd->flags, 0);
	}
}

/*
 * Waits for csd to have run, serving this CPU's own queue meanwhile (two CPUs
 * may call each other); with window, also this CPU's interrupts.
 */
static void csd_wait_window(struct call_single_data *csd, bool window)
{
	while (smp_load_acquire(&csd->flags) & CSD_LOCK) {
		generic_smp_call_function_interrupt();
		if (window)
			arch_irq_window();
		cpu_relax();
	}
}

static void csd_wait(struct call_single_data *csd)
{
	csd_wait_window(csd, false);
}

static int call_single(unsigned int cpu, smp_call_func_t func, void *info, bool window)
{
	struct call_single_data csd = { .func = func, .info = info };
	unsigned long flags;

	if (!cpu_online(cpu))
		return -ENXIO;
	if (cpu == smp_processor_id()) {
		local_irq_save(flags);
		func(info);
		local_irq_restore(flags);
		return 0;
	}
	csd_enqueue(cpu, &csd);
	csd_wait_window(&csd, window);
	return 0;
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, int wait)
{
	(void)wait;	/* always waits: csd lives on this stack */
	return call_single(cpu, func, info, false);
}

int smp_call_function_single_window(unsigned int cpu, smp_call_func_t func, void *info)
{
	return call_single(cpu, func, info, true);
}

void smp_call_function_many(cpumask_t mask, smp_call_func_t func, void *info, int wait)
{
	struct call_single_data csd[CONFIG_NR_CPUS];
	unsigned int cpu, me = smp_processor_id();

	mask &= cpu_online_mask() & ~cpumask_of(me);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (mask & cpumask_of(cpu)) {
			csd[cpu] = (struct call_single_data){ .func = func, .info = info };
			csd_enqueue(cpu, &csd[cpu]);
		}
	(void)wait;
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (mask & cpumask_of(cpu))
			csd_wait(&csd[cpu]);
}

void smp_call_function(smp_call_func_t func, void *info, int wait)
{
	smp_call_function_many(~0UL, func, info, wait);
}

/*
 * The others are started first, then this CPU runs func, then it waits: all
 * of them run func at the same time (what the concurrent tortures need).
 */
void on_each_cpu_mask(cpumask_t mask, smp_call_func_t func, void *info, int wait)
{
	struct call_single_data csd[CONFIG_NR_CPUS];
	unsigned int cpu, me = smp_processor_id();
	cpumask_t others = mask & cpu_online_mask() & ~cpumask_of(me);
	unsigned long flags;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (others & cpumask_of(cpu)) {
			csd[cpu] = (struct call_single_data){ .func = func, .info = info };
			csd_enqueue(cpu, &csd[cpu]);
		}
	if (mask & cpumask_of(me)) {
		local_irq_save(flags);
		func(info);
		local_irq_restore(flags);
	}
	(void)wait;
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (others & cpumask_of(cpu))
			csd_wait(&csd[cpu]);
}

void on_each_cpu(smp_call_func_t func, void *info, int wait)
{
	on_each_cpu_mask(~0UL, func, info, wait);
}

/* An arch without IPIs has no other CPU online to ring. */
__weak void arch_send_call_function_ipi(unsigned int cpu)
{
	(void)cpu;
}

/* smp_seam.c (host seam): the thread-local state behind smp_processor_id() and local_irq_save() on the host. */
#include <asm/irqflags.h>
#include <asm/percpu.h>
#include <errno.h>

__thread unsigned long host_cpu_offset;
__thread unsigned long host_irqs_masked;

/*
 * Threads as CPUs: the host has HOST_NR_CPUS "CPUs" online, and a cross call
 * starts one thread per target CPU with that CPU's per-CPU offset, so the
 * same concurrent code runs here truly in parallel (and under TSan) as it
 * does on the board's four cores.
 */
#include <kernel/smp.h>
#include <pthread.h>

#define HOST_NR_CPUS	(CONFIG_NR_CPUS < 4 ? CONFIG_NR_CPUS : 4)
atomic_t cpu_online_bits = ATOMIC_INIT((1 << HOST_NR_CPUS) - 1);

struct host_call {
	pthread_t thread;
	unsigned int cpu;
	smp_call_func_t func;
	void *info;
};

static void *host_call_thread(void *arg)
{
	struct host_call *c = arg;

	set_my_cpu_offset(per_cpu_offset(c->cpu));
	host_irqs_masked = 1;	/* func runs with interrupts masked, as from an IPI */
	c->func(c->info);
	return NULL;
}

void on_each_cpu_mask(cpumask_t mask, smp_call_func_t func, void *info, int wait)
{
	struct host_call calls[CONFIG_NR_CPUS];
	unsigned int cpu, me = smp_processor_id();
	unsigned long saved = host_irqs_masked;
	bool started[CONFIG_NR_CPUS] = { false };

	(void)wait;
	mask &= cpu_online_mask();
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		if (cpu == me || !(mask & cpumask_of(cpu)))
			continue;
		calls[cpu] = (struct host_call){ .cpu = cpu, .func = func, .info = info };
		started[cpu] = !pthread_create(&calls[cpu].thread, NULL, host_call_thread, &calls[cpu]);
		if (!started[cpu])
			host_call_thread(&calls[cpu]);	/* no thread to be had: run it here, in order */
	}
	if (mask & cpumask_of(me)) {
		host_irqs_masked = 1;
		func(info);
		host_irqs_masked = saved;
	}
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (started[cpu])
			pthread_join(calls[cpu].thread, NULL);
	set_my_cpu_offset(per_cpu_offset(me));
}

void on_each_cpu(smp_call_func_t func, void *info, int wait)
{
	on_each_cpu_mask(~0UL, func, info, wait);
}

void smp_call_function_many(cpumask_t mask, smp_call_func_t func, void *info, int wait)
{
	on_each_cpu_mask(mask & ~cpumask_of(smp_processor_id()), func, info, wait);
}

void smp_call_function(smp_call_func_t func, void *info, int wait)
{
	smp_call_function_many(~0UL, func, info, wait);
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, int wait)
{
	if (!cpu_online(cpu))
		return -ENXIO;
	on_each_cpu_mask(cpumask_of(cpu), func, info, wait);
	return 0;
}

/* The host's free-running counter: CLOCK_MONOTONIC in ns. */
#include <kernel/arch.h>
#include <time.h>

u64 arch_counter_read(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

u64 arch_counter_freq(void)
{
	return 1000000000ULL;
}

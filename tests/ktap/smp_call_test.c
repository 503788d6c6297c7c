/* smp_call_test.c: KTAP suite for cross-CPU calls — each online CPU runs the function once, all at the same time. */
#include <kernel/atomic.h>
#include <kernel/kunit.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <errno.h>

static DEFINE_PER_CPU(int, calls_seen);

static void count_call(void *info)
{
	(void)info;
	(*this_cpu_ptr(calls_seen))++;
}

static void reset_calls(void *unused)
{
	unsigned int cpu;

	(void)unused;
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		per_cpu(calls_seen, cpu) = 0;
}

/* on_each_cpu: exactly one call on every online CPU, none on an offline one. */
static void on_each_cpu_once_each(struct kunit *test)
{
	unsigned int cpu;

	reset_calls(NULL);
	kunit_add_action(test, reset_calls, NULL);
	on_each_cpu(count_call, NULL, 1);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		KUNIT_EXPECT_EQ(test, per_cpu(calls_seen, cpu), cpu_online(cpu) ? 1 : 0);
}

struct rendezvous {
	atomic_t arrived;
	atomic_t met;		/* CPUs that saw every other one arrive */
	unsigned int want;
};

/* Each CPU arrives, then waits (bounded) for all the others: they only meet if they run at once. */
static void meet(void *info)
{
	struct rendezvous *r = info;
	unsigned long spins;

	atomic_inc(&r->arrived);
	for (spins = 0; spins < 20000000UL; spins++) {
		if ((unsigned int)atomic_read(&r->arrived) == r->want) {
			atomic_inc(&r->met);
			return;
		}
		cpu_relax();
	}
}

static void on_each_cpu_concurrent(struct kunit *test)
{
	struct rendezvous r = { ATOMIC_INIT(0), ATOMIC_INIT(0), num_online_cpus() };

	on_each_cpu(meet, &r, 1);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&r.arrived), r.want);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&r.met), r.want);
}

static void record_cpu(void *info)
{
	*(unsigned int *)info = smp_processor_id();
}

/* A single call runs on the CPU asked for; an offline CPU is -ENXIO and runs nothing. */
static void call_single_targets(struct kunit *test)
{
	unsigned int cpu, ran;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		ran = ~0U;
		if (!cpu_online(cpu)) {
			KUNIT_EXPECT_EQ(test, smp_call_function_single(cpu, record_cpu, &ran, 1), -ENXIO);
			KUNIT_EXPECT_EQ(test, ran, ~0U);
			continue;
		}
		KUNIT_EXPECT_EQ(test, smp_call_function_single(cpu, record_cpu, &ran, 1), 0);
		KUNIT_EXPECT_EQ(test, ran, cpu);
	}
	KUNIT_EXPECT_EQ(test, smp_call_function_single(CONFIG_NR_CPUS + 3, record_cpu, &ran, 1), -ENXIO);
}

/* smp_call_function: the others, not this CPU. */
static void call_function_skips_self(struct kunit *test)
{
	unsigned int cpu, me = smp_processor_id();

	reset_calls(NULL);
	kunit_add_action(test, reset_calls, NULL);
	smp_call_function(count_call, NULL, 1);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		KUNIT_EXPECT_EQ(test, per_cpu(calls_seen, cpu), cpu_online(cpu) && cpu != me ? 1 : 0);
}

kunit_test_suite(smp_call,
	KUNIT_CASE(on_each_cpu_once_each),
	KUNIT_CASE(on_each_cpu_concurrent),
	KUNIT_CASE(call_single_targets),
	KUNIT_CASE(call_function_skips_self));

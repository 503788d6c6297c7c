/* slab_smp_bench.c: `bench slab_smp` — 64-byte kmalloc+kfree pairs per CPU, one CPU busy vs every online CPU busy. */
#include <errno.h>
#include <kernel/atomic.h>
#include <kernel/bench.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <mm/gfp.h>
#include <mm/slab.h>
#include <stdio.h>

/*
 * The per-CPU arrays make a kmalloc+kfree pair touch only the running CPU's
 * array, with no lock and no shared line, so a pair should cost the same with
 * every CPU busy as with one. Each round, the CPUs taking part meet at a start
 * line (on_each_cpu runs them at once), then each times SB_PAIRS pairs with its
 * own clock. Figures: the median and the best over rounds (and CPUs) of
 * bench_clock() units per 1000 pairs (in the kernel, generic-timer ticks) and
 * of ns per pair. Under QEMU the counter follows the host's clock, so a vCPU
 * thread the host preempts mid-round inflates that round: hence many short
 * rounds, and the best beside the median.
 */
#define SB_PAIRS	200000UL	/* pairs per CPU per round on the host (bench_loops) */
#define SB_ROUNDS	15		/* short rounds, many: a median a loaded host cannot skew */
#define SB_SIZE		64

struct sb_run {
	unsigned long pairs;
	unsigned int want;		/* CPUs taking part */
	atomic_t arrived, failed;
	u64 elapsed[CONFIG_NR_CPUS];	/* each CPU writes its own slot */
};

/* Runs on each CPU taking part: meet, then time the pairs. */
static void sb_pairs(void *info)
{
	struct sb_run *r = info;
	unsigned long i, spins;
	u64 t0;

	atomic_inc(&r->arrived);
	for (spins = 0; spins < 100000000UL && (unsigned int)atomic_read(&r->arrived) < r->want; spins++)
		cpu_relax();
	t0 = bench_clock();
	for (i = 0; i < r->pairs; i++) {
		void *p = kmalloc(SB_SIZE, GFP_KERNEL);

		if (!p) {
			atomic_inc(&r->failed);
			return;
		}
		*(volatile char *)p = (char)i;
		kfree(p);
	}
	r->elapsed[smp_processor_id()] = bench_clock() - t0;
}

/* Sorts v (insertion sort: a few dozen samples). */
static void sort_samples(u64 *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j && v[j - 1] > v[j]; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

struct sb_result {
	u64 median, best;	/* elapsed per round, 0 if an allocation failed */
};

/* SB_ROUNDS rounds on the online CPUs of mask, all at once in each round. */
static struct sb_result sb_measure(cpumask_t mask, unsigned long pairs)
{
	static u64 samples[SB_ROUNDS * CONFIG_NR_CPUS];
	struct sb_result res = { 0, 0 };
	unsigned int cpu, n = 0;
	struct sb_run r;

	mask &= cpu_online_mask();
	for (int round = 0; round < SB_ROUNDS; round++) {
		r = (struct sb_run){ .pairs = pairs, .want = (unsigned int)__builtin_popcountl(mask) };
		on_each_cpu_mask(mask, sb_pairs, &r, 1);
		if (atomic_read(&r.failed))
			return res;
		for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
			if (mask & cpumask_of(cpu))
				samples[n++] = r.elapsed[cpu];
	}
	sort_samples(samples, n);
	res.median = samples[n / 2];
	res.best = samples[0];
	return res;
}

static void sb_row(const char *what, struct sb_result r, unsigned long pairs)
{
	char a[BENCH_NS_LEN], b[BENCH_NS_LEN];

	kprintf("%-18s %12llu %10s %12llu %10s\n", what, (unsigned long long)(r.median * 1000 / pairs),
		bench_fmt_ns(a, bench_ns10(r.median, pairs)), (unsigned long long)(r.best * 1000 / pairs),
		bench_fmt_ns(b, bench_ns10(r.best, pairs)));
}

static void sb_ratio(const char *what, u64 all, u64 one)
{
	kprintf("%s all/one: %llu.%02llu", what, (unsigned long long)(all * 100 / one / 100),
		(unsigned long long)(all * 100 / one % 100));
}

static int slab_smp_bench(void)
{
	unsigned long pairs = bench_loops(SB_PAIRS);
	struct sb_result one, all;
	char what[40];

	kprintf("kmalloc(%d)+kfree pairs per CPU (%s): %d rounds x %lu pairs\n", SB_SIZE,
		bench_where(), SB_ROUNDS, pairs);
	kprintf("%-18s %12s %10s %12s %10s\n", "CPUs busy", "median", "", "best", "");
	kprintf("%-18s %12s %10s %12s %10s\n", "", "clock/1000", "ns/pair", "clock/1000", "ns/pair");
	one = sb_measure(cpumask_of(smp_processor_id()), pairs);
	if (!one.median)
		return -ENOMEM;
	sb_row("one (this CPU)", one, pairs);
	if (bench_interrupted())
		return -EINTR;
	all = sb_measure(cpu_online_mask(), pairs);
	if (!all.median)
		return -ENOMEM;
	snprintf(what, sizeof(what), "all %u online", num_online_cpus());
	sb_row(what, all, pairs);
	sb_ratio("median", all.median, one.median);
	sb_ratio(",  best", all.best, one.best);
	kprintf("  (1.00: a CPU's pairs cost the same however many CPUs are busy)\n");
	return 0;
}
BENCH(slab_smp, "slab_smp", "64-byte kmalloc+kfree pairs per CPU: one CPU busy vs every online CPU busy",
      slab_smp_bench);

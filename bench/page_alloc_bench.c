/* page_alloc_bench.c: `bench page_alloc` — ns per alloc_pages+__free_pages pair and per batched page, with and without the per-CPU lists. */
#include <errno.h>
#include <kernel/bench.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <mm/mmzone.h>
#include <stdio.h>

/*
 * The generic buddy allocator of mm/page_alloc.c, on the live allocator in the
 * kernel and on the simulated machine on the host. Every workload touches the
 * first byte of each block it gets.
 *   pair     alloc then free the same block (the hot path), orders 0, 3 and 9
 *   batch    PA_BATCH order-0 pages allocated, then all freed (refill/drain)
 * "buddy only" runs with the per-CPU lists disabled (zone_pcp_disable), so
 * order-0 pages come from and go to free_area[0] directly; orders above 0
 * always use the buddy, so their two columns measure the same code. The lists
 * are sized as on the Pi 3 (batch 63, high 378: Linux's formula for its
 * 960 MiB zone) on every machine, then given back mem_init()'s sizing. Under
 * QEMU, -icount shift=0 makes the kernel's figures instruction counts that repeat.
 *
 * Then SMP scaling: order-0 pairs on one CPU while the others idle, then on
 * every online CPU at once (on_each_cpu), each CPU timing its own pairs; the
 * median and the best of SCALE_RUNS runs per CPU. The per-CPU lists should
 * make both cost the same: only refill and spill (a batch at a time) meet on
 * zone->lock. Read the best under single-threaded TCG: there the vCPUs take
 * turns on one host thread and -icount's clock is the machine's, so a run
 * during which QEMU let another vCPU in counts that vCPU's instructions too
 * (on x86 -smp 4 after `bench slab_smp`, three of CPU3's five runs took 566,
 * 566 and 1567 ns a pair and two its own 324: a median of 566).
 */
#define PA_PAIRS	2000000UL	/* pairs per measurement on the host (bench_loops) */
#define PA_BATCH	256		/* pages per batch */
#define PI3_PCP_BATCH	63

enum pcp_mode { PCP_PI3, PCP_OFF, PCP_BOOT };

/* The per-CPU lists of every populated zone: sized as on the Pi 3, disabled, or as mem_init() sized them. */
static void set_pcp(enum pcp_mode mode)
{
	struct zone *z;

	for_each_zone(z) {
		if (!z->managed_pages)
			continue;
		if (mode == PCP_PI3)
			zone_pcp_set_batch(z, PI3_PCP_BATCH, 6 * PI3_PCP_BATCH);
		else if (mode == PCP_OFF)
			zone_pcp_disable(z);
		else
			zone_pcp_enable(z);
	}
}

/* Tenths of a ns per pair, best of BENCH_REPEAT; 0 if no block of the order could be had. */
static u64 pair_ns10(unsigned int order, unsigned long pairs)
{
	u64 best = ~0ULL, t0;

	for (int r = 0; r < BENCH_REPEAT; r++) {
		drain_all_pages(NULL);		/* each measurement starts from a merged buddy */
		t0 = bench_clock();
		for (unsigned long i = 0; i < pairs; i++) {
			struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

			if (!p)
				return 0;
			*(volatile char *)page_address(p) = (char)i;
			__free_pages(p, order);
		}
		best = min(best, bench_ns10(bench_clock() - t0, pairs));
	}
	return best;
}

/* Tenths of a ns per page when PA_BATCH pages are allocated, then all freed; 0 if pages ran out. */
static u64 batch_ns10(struct page **v, unsigned long rounds)
{
	u64 best = ~0ULL, t0;
	unsigned int k;

	for (int r = 0; r < BENCH_REPEAT; r++) {
		drain_all_pages(NULL);
		t0 = bench_clock();
		for (unsigned long i = 0; i < rounds; i++) {
			for (k = 0; k < PA_BATCH; k++) {
				v[k] = alloc_page(GFP_KERNEL | __GFP_NOWARN);
				if (!v[k])
					goto out_of_pages;
				*(volatile char *)page_address(v[k]) = (char)k;
			}
			for (k = 0; k < PA_BATCH; k++)
				__free_page(v[k]);
		}
		best = min(best, bench_ns10(bench_clock() - t0, rounds * PA_BATCH));
	}
	return best;
out_of_pages:
	while (k--)
		__free_page(v[k]);
	return 0;
}

/* One row: the workload with the lists, then without; the row is printed as soon as it is measured. */
static int row(const char *what, unsigned int order, struct page **batch)
{
	unsigned long pairs = bench_loops(PA_PAIRS);
	char a[BENCH_NS_LEN], b[BENCH_NS_LEN];
	u64 with, without;

	set_pcp(PCP_PI3);
	with = batch ? batch_ns10(batch, pairs / PA_BATCH) : pair_ns10(order, pairs);
	set_pcp(PCP_OFF);
	without = batch ? batch_ns10(batch, pairs / PA_BATCH) : pair_ns10(order, pairs);
	if (!with || !without) {
		kprintf("%-34s could not allocate %s\n", what,
			batch ? "the batch's pages" : order ? "a block of that order" : "a page");
		return -ENOMEM;
	}
	kprintf("%-34s %14s %12s%s\n", what, bench_fmt_ns(a, with), bench_fmt_ns(b, without),
		batch ? "   (per page)" : "");
	return 0;
}

#define SCALE_PAIRS	1000000UL	/* pairs per run on the host (bench_loops) */
#define SCALE_RUNS	5

static u64 scale_ns10[CONFIG_NR_CPUS][SCALE_RUNS];	/* per-CPU: each CPU writes its own row */

/* Runs SCALE_RUNS timed runs of order-0 pairs on this CPU (a cross call); 0 where a page was missing. */
static void scale_worker(void *info)
{
	unsigned long pairs = *(unsigned long *)info, i;
	u64 *out = scale_ns10[smp_processor_id()], t0;

	for (int r = 0; r < SCALE_RUNS; r++) {
		t0 = bench_clock();
		for (i = 0; i < pairs; i++) {
			struct page *p = alloc_page(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY);

			if (!p)
				break;
			*(volatile char *)page_address(p) = (char)i;
			__free_page(p);
		}
		out[r] = i == pairs ? bench_ns10(bench_clock() - t0, pairs) : 0;
	}
}

/* Sorts v (SCALE_RUNS samples) in place. */
static void sort_runs(u64 *v)
{
	for (int i = 1; i < SCALE_RUNS; i++)
		for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* One line: the CPUs of mask busy at once, each CPU's median/best per pair. */
static int scale_row(const char *what, cpumask_t mask, unsigned long pairs)
{
	char line[224], med[BENCH_NS_LEN], best[BENCH_NS_LEN];
	unsigned int cpu;
	size_t len = 0;

	drain_all_pages(NULL);
	on_each_cpu_mask(mask, scale_worker, &pairs, 1);
	for_each_online_cpu(cpu) {
		u64 *v = scale_ns10[cpu];

		if (!(mask & cpumask_of(cpu)))
			continue;
		sort_runs(v);
		if (!v[0]) {	/* a run that missed a page is 0, and sorts first */
			kprintf("%-34s could not allocate a page on CPU%u\n", what, cpu);
			return -ENOMEM;
		}
		len += (size_t)snprintf(line + len, sizeof(line) - len, " CPU%u %s/%s", cpu,
					bench_fmt_ns(med, v[SCALE_RUNS / 2]), bench_fmt_ns(best, v[0]));
		if (len >= sizeof(line))
			break;
	}
	kprintf("%-34s%s\n", what, line);
	return 0;
}

static int scale_rows(void)
{
	unsigned long pairs = bench_loops(SCALE_PAIRS);
	char what[40];
	int ret;

	kprintf("order-0 alloc_page+__free_page, per-CPU lists (batch 63): ns per pair, median/best of %d x %lu, each CPU\n",
		SCALE_RUNS, pairs);
	set_pcp(PCP_PI3);
	ret = scale_row("1 CPU busy, the others idle", cpumask_of(smp_processor_id()), pairs);
	snprintf(what, sizeof(what), "%u CPUs busy at once", num_online_cpus());
	if (!ret && !bench_interrupted())
		ret = scale_row(what, cpu_online_mask(), pairs);
	return ret;
}

static int page_alloc_bench(void)
{
	static const unsigned int orders[] = { 0, 3, 9 };
	struct page *vpage = alloc_page(GFP_KERNEL);	/* the batch's page pointers */
	char what[40];
	int ret = 0;

	if (!vpage)
		return -ENOMEM;
	kprintf("page allocator (mm/page_alloc.c, %s): ns per operation, best of %d x %lu\n",
		bench_where(), BENCH_REPEAT, bench_loops(PA_PAIRS));
	kprintf("%-34s %14s %12s\n", "workload", "per-CPU lists", "buddy only");
	kprintf("%-34s %14s %12s\n", "", "(batch 63)", "");
	for (unsigned int i = 0; i < ARRAY_SIZE(orders) && ret != -EINTR; i++) {
		snprintf(what, sizeof(what), "order-%u alloc_pages+__free_pages", orders[i]);
		ret = bench_interrupted() ? -EINTR : row(what, orders[i], NULL) ?: ret;
	}
	snprintf(what, sizeof(what), "order-0, %d allocated then freed", PA_BATCH);
	if (ret != -EINTR)
		ret = bench_interrupted() ? -EINTR : row(what, 0, page_address(vpage)) ?: ret;
	__free_page(vpage);
	if (ret != -EINTR)
		ret = bench_interrupted() ? -EINTR : scale_rows() ?: ret;
	set_pcp(PCP_BOOT);
	return ret;
}
BENCH(page_alloc, "page_alloc", "alloc_pages+__free_pages pairs (orders 0, 3, 9) and batches, with/without per-CPU lists",
      page_alloc_bench);

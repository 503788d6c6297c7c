/* page_alloc_bench.c: ns per alloc_pages+__free_pages pair (orders 0, 3, 9), with and without the per-CPU lists. */
#include <mm/mmzone.h>
#include <stdio.h>
#include <stdlib.h>
#include "bench_common.h"

/*
 * The generic buddy allocator of mm/page_alloc.c on the host's simulated 64 MiB
 * machine (tests/host/mm_machine.c), built -O2 without sanitizers. Every
 * workload touches the first byte of each block it gets, as the slab bench does.
 *   pair     alloc then free the same block, BENCH_PAIRS times (the hot path)
 *   batch    BENCH_BATCH order-0 pages allocated, then all freed (refill/drain)
 * "buddy only" runs with the per-CPU lists disabled (zone_pcp_disable), so
 * order-0 pages come from and go to free_area[0] directly; orders above 0
 * always use the buddy, so their two columns measure the same code. The lists
 * are sized as on the Pi 3 (batch 63, high 378: Linux's formula for its 960 MiB
 * zone); the 64 MiB host zone would get batch 3.
 */
#define PI3_PCP_BATCH	63

/*
 * Thread CPU time rather than wall time: the build machines are shared and often
 * loaded, and a descheduled thread would otherwise be billed for others' work.
 */
static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}
#undef bench_now
#define bench_now cpu_now
static double pair_ns(unsigned int order)
{
	double ns;

	drain_all_pages(NULL);		/* each measurement starts from a merged buddy */
	BENCH_PAIRS_NS(ns, page_address(alloc_pages(GFP_KERNEL, order)),
		       __free_pages(virt_to_page(p), order));
	return ns;
}

static double batch_ns(void)
{
	double ns;

	drain_all_pages(NULL);
	BENCH_BATCH_NS(ns, page_address(alloc_page(GFP_KERNEL)), __free_pages(virt_to_page(p), 0));
	return ns;
}

static void set_pcp(bool on)
{
	struct zone *z;

	for_each_zone(z)
		if (z->managed_pages) {
			if (on)
				zone_pcp_set_batch(z, PI3_PCP_BATCH, 6 * PI3_PCP_BATCH);
			else
				zone_pcp_disable(z);
		}
}

int main(void)
{
	static const unsigned int orders[] = { 0, 3, 9 };
	double with[4], without[4];
	unsigned int i;

	setenv("PAGODA_QUIET_LOG", "1", 1);
	if (mm_test_machine()) {
		fprintf(stderr, "page_alloc_bench: no simulated machine\n");
		return 1;
	}
	set_pcp(true);
	for (i = 0; i < 3; i++)
		with[i] = pair_ns(orders[i]);
	with[3] = batch_ns();
	set_pcp(false);
	for (i = 0; i < 3; i++)
		without[i] = pair_ns(orders[i]);
	without[3] = batch_ns();
	printf("page allocator (mm/page_alloc.c, host -O2, %lu MiB machine): CPU ns per operation, best of %d x %lu\n",
	       totalram_pages() >> (20 - PAGE_SHIFT), BENCH_REPEAT, BENCH_PAIRS);
	printf("%-34s %14s %12s\n", "workload", "per-CPU lists", "buddy only");
	printf("%-34s %14s %12s\n", "", "(batch 63)", "");
	for (i = 0; i < 3; i++)
		printf("order-%u alloc_pages+__free_pages   %14.1f %12.1f\n", orders[i], with[i], without[i]);
	printf("order-0, %d allocated then freed  %14.1f %12.1f   (per page)\n", BENCH_BATCH, with[3], without[3]);
	return 0;
}

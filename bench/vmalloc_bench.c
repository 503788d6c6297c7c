/* vmalloc_bench.c: vmalloc+vfree pairs (4 KiB, 1 MiB) in ns against the number of live areas (host). */
#include "bench_common.h"
#include <mm/mm.h>
#include <mm/pgtable.h>
#include <mm/vmalloc.h>
#include <mm/vmap_area.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * The generic mm/ code on the simulated host machine (64 MiB): vmalloc maps
 * into a simulated init_mm, so a pair costs the VA search, the page
 * allocations, the page-table updates and the frees, but no TLB work. Live
 * areas are made fragmented on purpose: each one-page area follows a one-page
 * hole, so the free tree holds N holes and the busy tree N areas.
 */
#define MAX_LIVE	10000

static void *live[MAX_LIVE];

/* The simulated machine, an init_mm over the top-level span holding the vmalloc area (tables
 * from the buddy, mm/pgalloc.c), vmalloc. */
static int bench_machine(void)
{
	u64 span = (u64)pt_entries(0) * pt_level_size(0);

	if (mm_test_machine() ||
	    mm_ctx_init(&init_mm, (vaddr_t)(VMALLOC_START & ~(span - 1)), span, NULL))
		return -1;
	vmalloc_init();
	return 0;
}

static struct vm_struct *hole[MAX_LIVE];

/* n one-page vmalloc areas, each after a one-page hole (a VA-only area, then freed). */
static void make_live(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		hole[i] = get_vm_area_caller(PAGE_SIZE, PAGE_SIZE, VM_MAP | VM_NO_GUARD, 0);
		live[i] = vmalloc(PAGE_SIZE);
		if (!hole[i] || !live[i]) {
			fprintf(stderr, "vmalloc_bench: out of memory at %u areas\n", i);
			exit(1);
		}
	}
	for (i = 0; i < n; i++)
		free_vm_area(hole[i]);
}

static void drop_live(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		vfree(live[i]);
}

/* Best of BENCH_REPEAT: ns per vmalloc(size)+vfree pair (the first byte touched). */
static double pair_ns(unsigned long size, unsigned long pairs)
{
	double best = 1e30;

	for (int r = 0; r < BENCH_REPEAT; r++) {
		double t0 = bench_now();

		for (unsigned long i = 0; i < pairs; i++) {
			void *p = vmalloc(size);

			if (!p)
				exit(1);
			vfree(p);
		}
		double t = (bench_now() - t0) / pairs;
		if (t < best)
			best = t;
	}
	return best;
}

/* The VA part alone: reserve + release an area of size bytes (no pages, no tables). */
static double area_ns(unsigned long size, unsigned long pairs)
{
	double best = 1e30;

	for (int r = 0; r < BENCH_REPEAT; r++) {
		double t0 = bench_now();

		for (unsigned long i = 0; i < pairs; i++) {
			struct vm_struct *vm = get_vm_area_caller(size, PAGE_SIZE, VM_MAP, 0);

			if (!vm)
				exit(1);
			free_vm_area(vm);
		}
		double t = (bench_now() - t0) / pairs;
		if (t < best)
			best = t;
	}
	return best;
}

int main(void)
{
	static const unsigned int counts[] = { 1, 100, MAX_LIVE };

	setenv("PAGODA_QUIET_LOG", "1", 1);
	if (bench_machine()) {
		fprintf(stderr, "vmalloc_bench: no simulated machine\n");
		return 1;
	}
	printf("vmalloc+vfree pairs on the host (simulated 64 MiB machine), ns per pair, best of %d\n",
	       BENCH_REPEAT);
	printf("%-11s %12s %12s %14s %14s\n", "live areas", "4 KiB pair", "1 MiB pair",
	       "VA-only 4 KiB", "VA-only 1 MiB");
	for (unsigned int c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		unsigned int n = counts[c];
		double v4, v1m, a4, a1m;

		make_live(n);
		v4 = pair_ns(PAGE_SIZE, 200000);
		v1m = pair_ns(1UL << 20, 2000);
		a4 = area_ns(PAGE_SIZE, 500000);
		a1m = area_ns(1UL << 20, 500000);
		printf("%-11u %12.1f %12.1f %14.1f %14.1f\n", n, v4, v1m, a4, a1m);
		drop_live(n);
	}
	printf("(live areas: one page each, with a free one-page hole before each: the free tree has as "
	       "many ranges as there are areas)\n");
	return 0;
}

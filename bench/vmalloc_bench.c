/* vmalloc_bench.c: `bench vmalloc` — vmalloc+vfree pairs (4 KiB, 1 MiB) and the VA allocator alone, against the number of live areas. */
#include <errno.h>
#include <kernel/bench.h>
#include <kernel/printk.h>
#include <mm/mm.h>
#include <mm/vmalloc.h>

/*
 * A pair costs the VA search, the page allocations, the page-table updates and
 * the frees; in the kernel also the TLB maintenance (the host's init_mm is
 * simulated: no TLB). "VA-only" is get_vm_area+free_vm_area: the VA allocator
 * alone, no pages, no tables. Live areas are fragmented on purpose: each
 * one-page area follows a one-page hole, so the free tree holds N holes and the
 * busy tree N areas.
 */
#define VB_MAX_LIVE	10000U
/* Host loop counts per measurement (bench_loops scales them for the kernel). */
#define VB_PAIRS_4K	200000UL
#define VB_PAIRS_1M	2000UL
#define VB_PAIRS_VA	500000UL

/* The live areas' bookkeeping: from the page allocator, so it costs the image nothing. */
struct vb_live {
	void *area[VB_MAX_LIVE];
	struct vm_struct *hole[VB_MAX_LIVE];
};

/* The order of the block that holds a struct vb_live. */
static unsigned int vb_live_order(void)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < sizeof(struct vb_live))
		order++;
	return order;
}

/* n one-page vmalloc areas, each after a one-page hole; returns how many could be made. */
static unsigned int make_live(struct vb_live *l, unsigned int n)
{
	unsigned int i, made;

	for (i = 0; i < n; i++) {
		l->hole[i] = get_vm_area_caller(PAGE_SIZE, PAGE_SIZE, VM_MAP | VM_NO_GUARD, _RET_IP_);
		l->area[i] = l->hole[i] ? vmalloc(PAGE_SIZE) : NULL;
		if (!l->area[i])
			break;
	}
	made = i;
	if (made < n && l->hole[made])
		free_vm_area(l->hole[made]);
	for (i = 0; i < made; i++)
		free_vm_area(l->hole[i]);
	return made;
}

static void drop_live(struct vb_live *l, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		vfree(l->area[i]);
}

/* Tenths of a ns per vmalloc(size)+vfree pair, best of BENCH_REPEAT; 0 if vmalloc failed. */
static u64 pair_ns10(unsigned long size, unsigned long pairs)
{
	u64 best = ~0ULL, t0;

	for (int r = 0; r < BENCH_REPEAT; r++) {
		t0 = bench_clock();
		for (unsigned long i = 0; i < pairs; i++) {
			void *p = vmalloc(size);

			if (!p)
				return 0;
			vfree(p);
		}
		best = min(best, bench_ns10(bench_clock() - t0, pairs));
	}
	return best;
}

/* The same for get_vm_area+free_vm_area of size bytes. */
static u64 area_ns10(unsigned long size, unsigned long pairs)
{
	u64 best = ~0ULL, t0;

	for (int r = 0; r < BENCH_REPEAT; r++) {
		t0 = bench_clock();
		for (unsigned long i = 0; i < pairs; i++) {
			struct vm_struct *vm = get_vm_area_caller(size, PAGE_SIZE, VM_MAP, _RET_IP_);

			if (!vm)
				return 0;
			free_vm_area(vm);
		}
		best = min(best, bench_ns10(bench_clock() - t0, pairs));
	}
	return best;
}

/* One row with n live areas, printed as soon as it is measured. */
static int row(struct vb_live *l, unsigned int n)
{
	char f[4][BENCH_NS_LEN];
	unsigned int made = make_live(l, n);
	u64 ns10[4];

	if (made < n) {
		kprintf("%-11u only %u live areas could be made\n", n, made);
		drop_live(l, made);
		return -ENOMEM;
	}
	ns10[0] = pair_ns10(PAGE_SIZE, bench_loops(VB_PAIRS_4K));
	ns10[1] = pair_ns10(SZ_1M, bench_loops(VB_PAIRS_1M));
	ns10[2] = area_ns10(PAGE_SIZE, bench_loops(VB_PAIRS_VA));
	ns10[3] = area_ns10(SZ_1M, bench_loops(VB_PAIRS_VA));
	drop_live(l, n);
	for (int i = 0; i < 4; i++)
		if (!ns10[i]) {
			kprintf("%-11u could not allocate a %s area\n", n, i & 1 ? "1 MiB" : "4 KiB");
			return -ENOMEM;
		}
	kprintf("%-11u %12s %12s %14s %14s\n", n, bench_fmt_ns(f[0], ns10[0]), bench_fmt_ns(f[1], ns10[1]),
		bench_fmt_ns(f[2], ns10[2]), bench_fmt_ns(f[3], ns10[3]));
	return 0;
}

static int vmalloc_bench(void)
{
	/* The last row: as many areas as a quarter of the space holds (each takes an area, its
	 * guard page and a hole: three pages), in thousands, at most VB_MAX_LIVE. */
	unsigned int most = min(VB_MAX_LIVE, (unsigned int)(vmalloc_total() / (4 * PAGE_SIZE) / 1000 * 1000));
	const unsigned int counts[] = { 1, 100, most };
	unsigned int order = vb_live_order();
	struct page *pg = alloc_pages(GFP_KERNEL, order);
	int ret = 0;

	if (!pg) {
		kprintf("vmalloc: no %lu KiB for the live areas' bookkeeping\n",
			(PAGE_SIZE << order) >> 10);
		return -ENOMEM;
	}
	kprintf("vmalloc+vfree pairs (%s), ns per pair, best of %d\n", bench_where(), BENCH_REPEAT);
	kprintf("%-11s %12s %12s %14s %14s\n", "live areas", "4 KiB pair", "1 MiB pair",
		"VA-only 4 KiB", "VA-only 1 MiB");
	for (unsigned int c = 0; c < ARRAY_SIZE(counts) && !ret; c++)
		ret = bench_interrupted() ? -EINTR : row(page_address(pg), counts[c]);
	kprintf("(live areas: one page each, with a free one-page hole before each: the free tree has as "
		"many ranges as there are areas)\n");
	__free_pages(pg, order);
	return ret;
}
BENCH(vmalloc, "vmalloc", "vmalloc+vfree pairs and the VA allocator alone, against 1, 100 and up to 10000 live areas",
      vmalloc_bench);

/* kmap_bench.c: `bench kmap` — kmap+kunmap and kmap_local+kunmap_local pairs in ns, on HighMem pages. */
#include <kernel/printk.h>
#include <kernel/bench.h>
#include <mm/highmem.h>

/*
 * Three figures per page kind: the same page kmapped again and again (the
 * pkmap lookup hits: a hash probe and a count), kmap over a ring of 1024
 * pages (every kmap takes a new slot; every LAST_PKMAP of them wrap round
 * and pay one lazy flush of the whole area), and kmap_local (an entry write,
 * an entry clear and one INVLPG per pair). A benchmark prints figures; it
 * never fails on a slow machine.
 */
#define KB_RING_ORDER	10
#define KB_PAIRS	100000u

static u64 ns_per(u64 elapsed, unsigned int n)
{
	return bench_ns10(elapsed, n) / 10;
}

static u64 kmap_same_ns(struct page *p)
{
	u64 t0 = bench_clock();

	for (unsigned int i = 0; i < KB_PAIRS; i++) {
		volatile char *va = kmap(p);

		(void)*va;
		kunmap(p);
	}
	return ns_per(bench_clock() - t0, KB_PAIRS);
}

static u64 kmap_ring_ns(struct page *ring)
{
	unsigned int n = 1u << KB_RING_ORDER;
	u64 t0 = bench_clock();

	for (unsigned int i = 0; i < KB_PAIRS; i++) {
		struct page *p = ring + (i & (n - 1));
		volatile char *va = kmap(p);

		(void)*va;
		kunmap(p);
	}
	return ns_per(bench_clock() - t0, KB_PAIRS);
}

static u64 kmap_local_ns(struct page *p)
{
	u64 t0 = bench_clock();

	for (unsigned int i = 0; i < KB_PAIRS; i++) {
		volatile char *va = kmap_local_page(p);

		(void)*va;
		kunmap_local((void *)va);
	}
	return ns_per(bench_clock() - t0, KB_PAIRS);
}

static void bench_kind(const char *kind, gfp_t gfp)
{
	struct page *ring = alloc_pages(gfp | __GFP_NOWARN, KB_RING_ORDER);
	struct kmap_stats a, b;

	if (!ring) {
		kprintf("%-8s no block of %u pages\n", kind, 1u << KB_RING_ORDER);
		return;
	}
	kmap_get_stats(&a);
	kprintf("%-8s %-9s %14llu %14llu %16llu", kind, PageHighMem(ring) ? "HighMem" : "linear",
		(unsigned long long)kmap_same_ns(ring), (unsigned long long)kmap_ring_ns(ring),
		(unsigned long long)kmap_local_ns(ring));
	kmap_get_stats(&b);
	kprintf(" %8lu\n", b.pkmap_flushes - a.pkmap_flushes);
	__free_pages(ring, KB_RING_ORDER);
}

static int cmd_kmapbench(void)
{
	kprintf("kmap pairs (%s), ns per pair over %u pairs\n", bench_where(), KB_PAIRS);
	kprintf("%-8s %-9s %14s %14s %16s %8s\n", "gfp", "pages", "kmap same pg", "kmap ring 1024",
		"kmap_local", "flushes");
	bench_kind("HIGHUSER", GFP_HIGHUSER);
	bench_kind("KERNEL", GFP_KERNEL);
	return 0;
}
BENCH(kmap, "kmap", "time kmap+kunmap and kmap_local+kunmap_local pairs", cmd_kmapbench);

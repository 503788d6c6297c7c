/* page_alloc_bench.c: `bench page_alloc` — alloc_pages+__free_pages pairs in the kernel, by generic-timer ticks. */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/bench.h>
#include <mm/mmzone.h>

/*
 * The kernel twin of bench/page_alloc_bench.c: orders 0, 3 and 9, with the
 * per-CPU lists as mem_init() sized them and with them disabled, on the live
 * allocator (the lists are drained first, so every run starts from a merged
 * buddy). A benchmark prints figures; it never fails on a slow machine. Under
 * QEMU, -icount shift=0 makes one tick of 1 ns one instruction, so the figures
 * become instruction counts that repeat exactly (192 / 257 / 265 / 265 at the
 * time of writing for order 0 with and without the lists, orders 3 and 9).
 */
#define PAGEBENCH_PAIRS		20000U

/* ns per pair over `pairs` pairs (0 if an allocation failed). */
static u64 pair_ns_once(unsigned int order, unsigned int pairs)
{
	u64 t0, ticks;

	drain_all_pages(NULL);
	t0 = arch_counter_read();
	for (unsigned int i = 0; i < pairs; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, order);

		if (!p)
			return 0;
		*(volatile char *)page_address(p) = (char)i;
		__free_pages(p, order);
	}
	ticks = arch_counter_read() - t0;
	return ticks * 1000000000ULL / arch_counter_freq() / pairs;
}

/* Best of three: the first run also pays for QEMU translating the code. */
static u64 pair_ns(unsigned int order, unsigned int pairs)
{
	u64 best = ~0ULL;

	for (int r = 0; r < 3; r++) {
		u64 ns = pair_ns_once(order, pairs);

		best = min(best, ns);
	}
	return best;
}

static void set_pcp(bool on)
{
	struct zone *z;

	for_each_zone(z)
		if (z->managed_pages) {
			if (on)
				zone_pcp_enable(z);
			else
				zone_pcp_disable(z);
		}
}

static int cmd_pagebench(void)
{
	static const unsigned int orders[] = { 0, 3, 9 };
	u64 with[3], without[3];
	unsigned int i;

	for (i = 0; i < 3; i++)
		with[i] = pair_ns(orders[i], PAGEBENCH_PAIRS);
	set_pcp(false);
	for (i = 0; i < 3; i++)
		without[i] = pair_ns(orders[i], PAGEBENCH_PAIRS);
	set_pcp(true);
	kprintf("alloc_pages+__free_pages pairs in the kernel, ns per pair, best of 3 x %u (counter %llu Hz)\n",
		PAGEBENCH_PAIRS, (unsigned long long)arch_counter_freq());
	kprintf("%-8s %14s %12s\n", "order", "per-CPU lists", "buddy only");
	for (i = 0; i < 3; i++)
		kprintf("%-8u %14llu %12llu\n", orders[i], (unsigned long long)with[i],
			(unsigned long long)without[i]);
	return 0;
}
BENCH(page_alloc, "page_alloc", "alloc_pages+__free_pages pairs (orders 0, 3, 9), with/without per-CPU lists", cmd_pagebench);

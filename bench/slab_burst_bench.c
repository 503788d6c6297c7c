/* slab_burst_bench.c: `bench slab_burst` — bursts of 256 objects allocated, then freed, on this CPU: ns per object, and how far the arrays grew. */
#include <errno.h>
#include <kernel/bench.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <mm/gfp.h>
#include <mm/slab.h>

/*
 * make bench's batched pattern in the kernel (host figures vary with the
 * host; under QEMU with -icount shift=0 one ns is one instruction). The first
 * bursts grow this CPU's array of the class (mm/slab_array.c); the figure is
 * the best of SBB_ROUNDS timed rounds after them, each SBB_BURSTS bursts.
 */
#define SBB_BURST	256
#define SBB_BURSTS	400UL	/* bursts per timed round on the host (bench_loops) */
#define SBB_ROUNDS	5
#define SBB_WARMUP	16

static const unsigned int sbb_sizes[] = { 64, 1024, 4096 };

/* bursts bursts of size-byte objects; false if an allocation failed (all freed). */
static bool sbb_bursts(unsigned int size, unsigned long bursts)
{
	static void *o[SBB_BURST];
	unsigned long b;
	int i, n;

	for (b = 0; b < bursts; b++) {
		for (n = 0; n < SBB_BURST && (o[n] = kmalloc(size, GFP_KERNEL)); n++)
			*(volatile char *)o[n] = (char)n;
		for (i = 0; i < n; i++)
			kfree(o[i]);
		if (n < SBB_BURST)
			return false;
	}
	return true;
}

static int slab_burst_bench(void)
{
	unsigned long bursts = bench_loops(SBB_BURSTS);
	char ns[BENCH_NS_LEN];
	unsigned int i;

	kprintf("kmalloc bursts on CPU %u (%s): %d allocated, then freed; best of %d rounds x %lu bursts\n",
		smp_processor_id(), bench_where(), SBB_BURST, SBB_ROUNDS, bursts);
	kprintf("%-6s %14s %12s %12s %12s\n", "size", "clock/1000obj", "ns/object", "array limit",
		"cache limit");
	for (i = 0; i < ARRAY_SIZE(sbb_sizes); i++) {
		struct kmem_cache *c = kmalloc_slab(sbb_sizes[i]);
		u64 best = ~0ULL, t0, d;
		int r;

		if (!sbb_bursts(sbb_sizes[i], SBB_WARMUP))
			return -ENOMEM;
		for (r = 0; r < SBB_ROUNDS; r++) {
			t0 = bench_clock();
			if (!sbb_bursts(sbb_sizes[i], bursts))
				return -ENOMEM;
			d = bench_clock() - t0;
			best = d < best ? d : best;
			if (bench_interrupted())
				return -EINTR;
		}
		kprintf("%-6u %14llu %12s %12u %12u\n", sbb_sizes[i],
			(unsigned long long)(best * 1000 / (bursts * SBB_BURST)),
			bench_fmt_ns(ns, bench_ns10(best, bursts * SBB_BURST)),
			c->cpu_cache[smp_processor_id()]->limit, c->limit);
	}
	kprintf("  (a grown array gives its memory back on the tick: see /sys/kernel/debug/slab/cpu_arrays)\n");
	return 0;
}
BENCH(slab_burst, "slab_burst", "bursts of 256 kmalloc objects allocated then freed on this CPU (64 B, 1 KiB, 4 KiB)",
      slab_burst_bench);

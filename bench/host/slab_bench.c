/* slab_bench.c: pagoda's kmalloc/kmem_cache fast paths against glibc, jemalloc and mimalloc, plus the
 * memory overhead of a mixed workload. Host, -O2, no sanitizers; prints figures, never fails on speed. */
#include "bench_common.h"
#include <test_machine.h>
#include <mm/slab.h>
#include <mm/mm.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libgen.h>

#define NPEERS 3
static const char *const peer_names[NPEERS] = { "glibc", "jemalloc", "mimalloc" };

/* Rows: kmalloc pairs of each size, then kmem_cache 192. */
#define NROWS (BENCH_NSIZES + 1)
static double ours[2][NROWS], peers[NPEERS][2][NROWS];

/* Keeps the best (lowest) figure seen over the interleaved rounds; 0 = none yet. */
static void keep_best(double *slot, double ns)
{
	if (*slot == 0 || ns < *slot)
		*slot = ns;
}

static void run_ours(void)
{
	struct kmem_cache *c = kmem_cache_create("bench-192", 192, 0, 0, NULL);
	unsigned int i;

	double ns;

	for (i = 0; i < BENCH_NSIZES; i++) {
		size_t sz = bench_sizes[i];

		BENCH_PAIRS_NS(ns, kmalloc(sz, GFP_KERNEL), kfree(p));
		keep_best(&ours[0][i], ns);
		BENCH_BATCH_NS(ns, kmalloc(sz, GFP_KERNEL), kfree(p));
		keep_best(&ours[1][i], ns);
	}
	BENCH_PAIRS_NS(ns, kmem_cache_alloc(c, GFP_KERNEL), kmem_cache_free(c, p));
	keep_best(&ours[0][i], ns);
	BENCH_BATCH_NS(ns, kmem_cache_alloc(c, GFP_KERNEL), kmem_cache_free(c, p));
	keep_best(&ours[1][i], ns);
	kmem_cache_destroy(c);
}

/* Runs bench/malloc_<peer> next to this binary and reads its "pair|batch SIZE NS" lines. */
static int run_peer(const char *dir, int k)
{
	char cmd[512], kind[16];
	unsigned int size, i;
	double ns;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%s/malloc_%s", dir, peer_names[k]);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%15s %u %lf", kind, &size, &ns) == 3) {
		int w = strcmp(kind, "batch") == 0;

		for (i = 0; i < BENCH_NSIZES; i++)
			if (bench_sizes[i] == size)
				keep_best(&peers[k][w][i], ns);
		if (size == 192)
			keep_best(&peers[k][w][BENCH_NSIZES], ns);
	}
	return pclose(f);
}

static void print_table(int w)
{
	unsigned int i, k;

	printf("\n%s: ns per %s, best of %d interleaved rounds x %d runs of %lu;\n"
	       "ratio = peer ns / pagoda ns (>1: pagoda faster)\n",
	       w ? "Batched" : "Pairs", w ? "object, 256 allocated then 256 freed" : "alloc+free pair",
	       BENCH_ROUNDS, BENCH_REPEAT, BENCH_PAIRS);
	printf("%-26s %8s %8s %8s %8s   %7s %7s %7s\n", "workload", "pagoda", "glibc", "jemalloc",
	       "mimalloc", "glibc", "jemal.", "mimal.");
	for (i = 0; i < NROWS; i++) {
		char name[40];

		if (i < BENCH_NSIZES)
			snprintf(name, sizeof(name), "kmalloc+kfree %u", bench_sizes[i]);
		else
			snprintf(name, sizeof(name), "kmem_cache 192 (malloc 192)");
		printf("%-26s %8.2f", name, ours[w][i]);
		for (k = 0; k < NPEERS; k++)
			printf(" %8.2f", peers[k][w][i]);
		printf("  ");
		for (k = 0; k < NPEERS; k++)
			printf(" %7.2f", peers[k][w][i] / ours[w][i]);
		printf("\n");
	}
}

/* Mixed-workload sizes: 60% 1..256, 30% 257..4096, 8% 4097..8192, 2% 8193..20000 bytes. */
static size_t mixed_size(u64 r)
{
	unsigned int pick = (unsigned int)(r % 100);

	r >>= 8;
	if (pick < 60)
		return 1 + r % 256;
	if (pick < 90)
		return 257 + r % 3840;
	if (pick < 98)
		return 4097 + r % 4096;
	return 8193 + r % 12000;
}

static u64 xorshift(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * overhead: 10000 live objects of mixed sizes after 200000 random free+alloc
 * replacements. Cost = slab pages + large-kmalloc pages + their struct pages;
 * overhead = (cost - bytes requested) / bytes requested.
 */
#define LIVE 10000
static void mixed_overhead(void)
{
	static struct { void *p; size_t size; } live[LIVE];
	long base = global_node_page_state(NR_SLAB_UNRECLAIMABLE) + global_node_page_state(NR_KMALLOC_LARGE);
	size_t requested = 0, usable = 0;
	u64 rnd = 88172645463325252ULL;
	unsigned long i, pages;
	double cost;

	for (i = 0; i < LIVE; i++) {
		live[i].size = mixed_size(xorshift(&rnd));
		live[i].p = kmalloc(live[i].size, GFP_KERNEL);
	}
	for (i = 0; i < 200000; i++) {
		unsigned long k = xorshift(&rnd) % LIVE;

		kfree(live[k].p);
		live[k].size = mixed_size(xorshift(&rnd));
		live[k].p = kmalloc(live[k].size, GFP_KERNEL);
	}
	for (i = 0; i < LIVE; i++) {
		requested += live[i].size;
		usable += ksize(live[i].p);
	}
	pages = global_node_page_state(NR_SLAB_UNRECLAIMABLE) + global_node_page_state(NR_KMALLOC_LARGE) - base;
	cost = (double)pages * (PAGE_SIZE + sizeof(struct page));
	printf("\nMixed workload: %d live kmalloc objects (60%% 1-256 B, 30%% 257-4096, 8%% 4097-8192, 2%% 8193-20000)"
	       " after 200000 random replacements\n", LIVE);
	printf("  requested %zu B; size-class rounding %.1f%%; slab slack, free objects and struct page %.1f%%\n",
	       requested, 100.0 * (usable - requested) / requested, 100.0 * (cost - usable) / requested);
	printf("  pages %lu (%lu KiB) + struct page %lu B: overhead %.1f%% of the bytes requested\n",
	       pages, pages * PAGE_SIZE / 1024, pages * (unsigned long)sizeof(struct page),
	       100.0 * (cost - requested) / requested);
	for (i = 0; i < LIVE; i++)
		kfree(live[i].p);
}

int main(int argc, char **argv)
{
	char self[512];
	const char *dir;
	int k, r;

	setenv("PAGODA_QUIET_LOG", "1", 1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mm_test_machine())
		return 1;
	kmem_cache_init();
	snprintf(self, sizeof(self), "%s", argv[0]);
	dir = dirname(self);
	for (r = 0; r < BENCH_ROUNDS; r++) {
		run_ours();
		for (k = 0; k < NPEERS; k++)
			if (run_peer(dir, k))
				fprintf(stderr, "slab_bench: %s/malloc_%s failed\n", dir, peer_names[k]);
	}
	print_table(0);
	print_table(1);
	mixed_overhead();
	return 0;
}

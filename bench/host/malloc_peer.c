/* malloc_peer.c: the slab benchmark's workloads on a libc-style malloc (glibc, jemalloc or mimalloc,
 * whichever this binary is linked with); prints "pair|batch SIZE NS", "thr ROW NS" and
 * "mixed REQUESTED USABLE RSS" lines for slab_bench. */
#include "bench_common.h"
#include "bench_threads.h"
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *peer_alloc(size_t size)
{
	return malloc(size);
}

static void peer_thread_init(unsigned int cpu)
{
	(void)cpu;
}

static const struct bench_ops peer_ops = { peer_alloc, free, peer_thread_init };

/* Resident bytes of this process (/proc/self/statm), 0 if unreadable. */
static unsigned long resident_bytes(void)
{
	unsigned long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return resident * (unsigned long)sysconf(_SC_PAGESIZE);
}

/*
 * The mixed trace (bench_common.h): bytes requested, bytes usable
 * (malloc_usable_size: the size-class rounding) and the growth of the
 * resident set while the live set stands (the allocator's whole cost).
 * Runs first, in a fresh process, so the RSS growth is this trace's alone.
 */
static void mixed(void)
{
	static struct bench_live live[BENCH_LIVE];
	size_t requested = 0, usable = 0;
	unsigned long rss0, rss1, i;

	for (i = 0; i < BENCH_LIVE; i++)	/* the table itself is not the allocator's cost */
		live[i].size = 1;
	rss0 = resident_bytes();
	bench_mixed_trace(live, peer_alloc, free);
	rss1 = resident_bytes();
	for (i = 0; i < BENCH_LIVE; i++) {
		requested += live[i].size;
		usable += malloc_usable_size(live[i].p);
	}
	printf("mixed %zu %zu %lu\n", requested, usable, rss1 > rss0 ? rss1 - rss0 : 0);
	for (i = 0; i < BENCH_LIVE; i++)
		free(live[i].p);
}

/* With the argument "mixed", only the mixed trace's line. */
int main(int argc, char **argv)
{
	double ns;
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	mixed();
	if (argc > 1 && strcmp(argv[1], "mixed") == 0)
		return 0;
	for (i = 0; i < BENCH_NSIZES; i++) {
		size_t sz = bench_sizes[i];

		BENCH_PAIRS_NS(ns, malloc(sz), free(p));
		printf("pair %zu %.3f\n", sz, ns);
		BENCH_BATCH_NS(ns, malloc(sz), free(p));
		printf("batch %zu %.3f\n", sz, ns);
	}
	/* the kmem_cache row: a 192-byte object */
	BENCH_PAIRS_NS(ns, malloc(192), free(p));
	printf("pair 192 %.3f\n", ns);
	BENCH_BATCH_NS(ns, malloc(192), free(p));
	printf("batch 192 %.3f\n", ns);
	for (i = 0; i < BENCH_NTROWS; i++)
		printf("thr %u %.3f\n", i, bench_trow(&peer_ops, i));
	return 0;
}

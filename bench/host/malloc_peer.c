/* malloc_peer.c: the slab benchmark's workloads on a libc-style malloc (glibc, jemalloc or mimalloc,
 * whichever this binary is linked with); prints "pair SIZE NS" and "batch SIZE NS" lines for slab_bench. */
#include "bench_common.h"
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	double ns;
	unsigned int i;

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
	return 0;
}

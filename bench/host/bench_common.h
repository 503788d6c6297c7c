/* bench_common.h: the allocation workloads every allocator runs, timed the same way (host, -O2). */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>
#include <time.h>

#define BENCH_PAIRS	2000000UL	/* alloc+free pairs per measurement */
#define BENCH_BATCH	256		/* objects per batch in the batched workload */
#define BENCH_REPEAT	3		/* the best of this many measurements is reported */
#define BENCH_ROUNDS	3		/* slab_bench runs every allocator this many times, interleaved */

static const unsigned int bench_sizes[] = { 16, 64, 256, 1024, 4096 };
#define BENCH_NSIZES (sizeof(bench_sizes) / sizeof(bench_sizes[0]))

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * BENCH_PAIRS_NS(alloc_expr, free_stmt): ns per alloc+free pair, best of
 * BENCH_REPEAT. Each object is touched (a volatile store), so no compiler can
 * drop the pair, and every allocator pays the same for the touch.
 */
#define BENCH_PAIRS_NS(result, alloc_expr, free_stmt) do {			\
	double __best = 1e30;							\
	for (int __r = 0; __r < BENCH_REPEAT; __r++) {				\
		double __t0 = bench_now();					\
		for (unsigned long __i = 0; __i < BENCH_PAIRS; __i++) {		\
			void *p = (alloc_expr);					\
			*(volatile char *)p = (char)__i;			\
			free_stmt;						\
		}								\
		double __t = (bench_now() - __t0) / BENCH_PAIRS;		\
		if (__t < __best)						\
			__best = __t;						\
	}									\
	(result) = __best;							\
} while (0)

/* BENCH_BATCH_NS: ns per object when BENCH_BATCH objects are allocated, then all freed (FIFO). */
#define BENCH_BATCH_NS(result, alloc_expr, free_stmt) do {			\
	static void *__v[BENCH_BATCH];						\
	double __best = 1e30;							\
	for (int __r = 0; __r < BENCH_REPEAT; __r++) {				\
		double __t0 = bench_now();					\
		for (unsigned long __i = 0; __i < BENCH_PAIRS / BENCH_BATCH; __i++) { \
			for (int __k = 0; __k < BENCH_BATCH; __k++) {		\
				void *p = (alloc_expr);				\
				*(volatile char *)p = (char)__k;		\
				__v[__k] = p;					\
			}							\
			for (int __k = 0; __k < BENCH_BATCH; __k++) {		\
				void *p = __v[__k];				\
				free_stmt;					\
			}							\
		}								\
		double __t = (bench_now() - __t0) / (BENCH_PAIRS / BENCH_BATCH * BENCH_BATCH); \
		if (__t < __best)						\
			__best = __t;						\
	}									\
	(result) = __best;							\
} while (0)

#endif

/* bench_common.h: the allocation workloads every allocator runs, timed the same way (host, -O2). */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>
#include <string.h>
#include <time.h>

#define BENCH_PAIRS	2000000UL	/* alloc+free pairs per measurement */
#define BENCH_BATCH	256		/* objects per batch in the batched workload */
#define BENCH_REPEAT	3		/* the best of this many measurements is reported */
#define BENCH_ROUNDS	6		/* slab_bench runs every allocator this many times, interleaved, each in a fresh process */

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

/*
 * The mixed workload's trace, the same for every allocator: BENCH_LIVE objects
 * of mixed sizes (60% 1..256 B, 30% 257..4096, 8% 4097..8192, 2% 8193..20192),
 * then BENCH_REPLACE random replacements (free one, allocate a new size in its
 * place). Every object is written over its requested size, as its user would
 * (so a peer's resident set counts the pages its objects occupy). The live set
 * it leaves is what the overhead figures measure.
 */
#define BENCH_LIVE	10000
#define BENCH_REPLACE	200000

struct bench_live {
	void *p;
	size_t size;
};

static inline uint64_t bench_xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static inline size_t bench_mixed_size(uint64_t r)
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

static inline void bench_mixed_trace(struct bench_live *live, void *(*alloc)(size_t), void (*release)(void *))
{
	uint64_t rnd = 88172645463325252ULL;
	unsigned long i;

	for (i = 0; i < BENCH_LIVE; i++) {
		live[i].size = bench_mixed_size(bench_xorshift(&rnd));
		live[i].p = alloc(live[i].size);
		memset(live[i].p, 0x6d, live[i].size);
	}
	for (i = 0; i < BENCH_REPLACE; i++) {
		unsigned long k = bench_xorshift(&rnd) % BENCH_LIVE;

		release(live[k].p);
		live[k].size = bench_mixed_size(bench_xorshift(&rnd));
		live[k].p = alloc(live[k].size);
		memset(live[k].p, 0x6d, live[k].size);
	}
}

#endif

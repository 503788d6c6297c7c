/* bench_threads.h: the threaded workloads (threads as CPUs) every allocator runs, behind one indirect call. */
#ifndef BENCH_THREADS_H
#define BENCH_THREADS_H

#include "bench_common.h"
#include <pthread.h>
#include <sched.h>
#include <stddef.h>

/*
 * The allocator under test. Every allocator is called through these pointers,
 * so each pays the same indirect call. thread_init runs first in each thread:
 * pagoda's sets the thread's per-CPU offset (the thread is that CPU), the
 * peers' does nothing.
 */
struct bench_ops {
	void *(*alloc)(size_t size);
	void (*free)(void *p);
	void (*thread_init)(unsigned int cpu);
};

#define BENCH_THREAD_SIZE	64	/* object size of the threaded workloads */
#define BENCH_RING		256	/* producer/consumer queue slots */

enum bench_kind { BENCH_T_PAIRS, BENCH_T_BATCH, BENCH_T_PRODUCE, BENCH_T_CONSUME };

/* One producer -> consumer queue (single producer, single consumer, no lock). */
struct bench_ring {
	void *slot[BENCH_RING];
	unsigned long head __attribute__((aligned(64)));	/* written by the producer only */
	unsigned long tail __attribute__((aligned(64)));	/* written by the consumer only */
};

struct bench_thread {
	pthread_t tid;
	const struct bench_ops *ops;
	unsigned int cpu;
	enum bench_kind kind;
	struct bench_ring *ring;
};

/* Waits a little for the other side of the queue; yields, since the box may have more threads than cores. */
static inline void bench_wait(unsigned int *spins)
{
	if (++*spins % 64 == 0)
		sched_yield();
}

static void bench_produce(const struct bench_ops *o, struct bench_ring *r)
{
	unsigned int spins = 0;

	for (unsigned long i = 0; i < BENCH_PAIRS; i++) {
		void *p = o->alloc(BENCH_THREAD_SIZE);

		*(volatile char *)p = (char)i;
		while (i - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) >= BENCH_RING)
			bench_wait(&spins);
		r->slot[i % BENCH_RING] = p;
		__atomic_store_n(&r->head, i + 1, __ATOMIC_RELEASE);
	}
}

static void bench_consume(const struct bench_ops *o, struct bench_ring *r)
{
	unsigned int spins = 0;

	for (unsigned long i = 0; i < BENCH_PAIRS; i++) {
		while (__atomic_load_n(&r->head, __ATOMIC_ACQUIRE) == i)
			bench_wait(&spins);
		o->free(r->slot[i % BENCH_RING]);
		__atomic_store_n(&r->tail, i + 1, __ATOMIC_RELEASE);
	}
}

static void *bench_thread_main(void *arg)
{
	struct bench_thread *t = arg;
	const struct bench_ops *o = t->ops;
	static __thread void *v[BENCH_BATCH];

	o->thread_init(t->cpu);
	switch (t->kind) {
	case BENCH_T_PAIRS:
		for (unsigned long i = 0; i < BENCH_PAIRS; i++) {
			void *p = o->alloc(BENCH_THREAD_SIZE);

			*(volatile char *)p = (char)i;
			o->free(p);
		}
		break;
	case BENCH_T_BATCH:
		for (unsigned long i = 0; i < BENCH_PAIRS / BENCH_BATCH; i++) {
			for (int k = 0; k < BENCH_BATCH; k++) {
				v[k] = o->alloc(BENCH_THREAD_SIZE);
				*(volatile char *)v[k] = (char)k;
			}
			for (int k = 0; k < BENCH_BATCH; k++)
				o->free(v[k]);
		}
		break;
	case BENCH_T_PRODUCE:
		bench_produce(o, t->ring);
		break;
	case BENCH_T_CONSUME:
		bench_consume(o, t->ring);
		break;
	}
	return NULL;
}

/*
 * bench_threads_ns: runs kind on n threads (CPUs 0..n-1; for the producer/
 * consumer pair, CPU 0 allocates and CPU 1 frees) and returns wall-clock ns
 * per operation over all threads (an operation is an alloc+free pair, or one
 * object through the queue), best of BENCH_REPEAT; 0 if a thread could not start.
 */
static double bench_threads_ns(const struct bench_ops *o, enum bench_kind kind, unsigned int n)
{
	static struct bench_ring ring;
	struct bench_thread t[2];
	double best = 1e30;

	for (int r = 0; r < BENCH_REPEAT; r++) {
		double t0 = bench_now(), ns;
		unsigned int i, started = 0;

		ring.head = ring.tail = 0;
		for (i = 0; i < n; i++) {
			t[i] = (struct bench_thread){ .ops = o, .cpu = i, .ring = &ring,
				.kind = kind == BENCH_T_PRODUCE ? (i ? BENCH_T_CONSUME : BENCH_T_PRODUCE) : kind };
			started += !pthread_create(&t[i].tid, NULL, bench_thread_main, &t[i]);
		}
		for (i = 0; i < started; i++)
			pthread_join(t[i].tid, NULL);
		if (started != n)
			return 0;
		ns = (bench_now() - t0) / (kind == BENCH_T_PRODUCE ? BENCH_PAIRS : (double)BENCH_PAIRS * n);
		if (ns < best)
			best = ns;
	}
	return best;
}

/* The threaded rows, in the order both sides print and read them ("thr ROW NS" lines). */
#define BENCH_NTROWS 5
static const char *const bench_trow_names[BENCH_NTROWS] = {
	"pairs 64, 1 thread", "pairs 64, 2 threads", "batch-256 64, 1 thread",
	"batch-256 64, 2 threads", "producer->consumer 64",
};

static inline double bench_trow(const struct bench_ops *o, unsigned int row)
{
	static const struct { enum bench_kind kind; unsigned int n; } rows[BENCH_NTROWS] = {
		{ BENCH_T_PAIRS, 1 }, { BENCH_T_PAIRS, 2 }, { BENCH_T_BATCH, 1 }, { BENCH_T_BATCH, 2 },
		{ BENCH_T_PRODUCE, 2 },
	};

	return bench_threads_ns(o, rows[row].kind, rows[row].n);
}

#endif

/* atomic.h: atomic_t — an int changed by whole read-modify-writes; the value-returning ones are fully ordered. */
#ifndef PAGODA_ATOMIC_H
#define PAGODA_ATOMIC_H

#include <asm/atomic.h>
#include <compiler.h>

/*
 * smp_store_release/smp_load_acquire (Linux's names): one-way barriers on a
 * single aligned word — STLR/LDAR on arm64, plain moves on x86 (TSO). The
 * compiler's __atomic builtins emit exactly those for a load or a store (no
 * library calls), and ThreadSanitizer understands them on the host.
 */
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)

typedef struct {
	int counter;
} atomic_t;

#define ATOMIC_INIT(i)	{ (i) }

/* atomic_read/atomic_set: plain single-copy-atomic accesses, no ordering. */
static inline int atomic_read(const atomic_t *v)
{
	return READ_ONCE(v->counter);
}

static inline void atomic_set(atomic_t *v, int i)
{
	WRITE_ONCE(v->counter, i);
}

/* Adds i and returns the new value; a full barrier on both sides. */
static inline int atomic_add_return(int i, atomic_t *v)
{
	return arch_atomic_add_return(i, &v->counter);
}

static inline int atomic_sub_return(int i, atomic_t *v)
{
	return arch_atomic_add_return(-i, &v->counter);
}

static inline void atomic_add(int i, atomic_t *v)
{
	(void)atomic_add_return(i, v);
}

static inline void atomic_inc(atomic_t *v)
{
	(void)atomic_add_return(1, v);
}

static inline void atomic_dec(atomic_t *v)
{
	(void)atomic_add_return(-1, v);
}

/* True if the decrement reached zero (the last reference went away). */
static inline bool atomic_dec_and_test(atomic_t *v)
{
	return atomic_add_return(-1, v) == 0;
}

/* Stores new if the value is old; returns the value seen (== old iff it stored). Fully ordered on success. */
static inline int atomic_cmpxchg(atomic_t *v, int old, int new)
{
	return arch_atomic_cmpxchg(&v->counter, old, new);
}

/*
 * atomic_fetch_or/atomic_fetch_andnot: set/clear the bits of i and return the
 * value before; atomic_or/atomic_andnot: the same, the value unused. One
 * atomic_cmpxchg loop (fully ordered), for rare writers of a flag word.
 */
static inline int atomic_fetch_setclear(int set, int clear, atomic_t *v)
{
	int old = atomic_read(v), seen;

	while ((seen = atomic_cmpxchg(v, old, (old & ~clear) | set)) != old)
		old = seen;
	return old;
}

static inline int atomic_fetch_or(int i, atomic_t *v)
{
	return atomic_fetch_setclear(i, 0, v);
}

static inline int atomic_fetch_andnot(int i, atomic_t *v)
{
	return atomic_fetch_setclear(0, i, v);
}

static inline void atomic_or(int i, atomic_t *v)
{
	atomic_fetch_or(i, v);
}

static inline void atomic_andnot(int i, atomic_t *v)
{
	atomic_fetch_andnot(i, v);
}

#endif

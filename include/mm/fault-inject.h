/* fault-inject.h: making allocations fail on purpose — Linux's failslab / fail_page_alloc knobs, fail-nth. */
#ifndef PAGODA_FAULT_INJECT_H
#define PAGODA_FAULT_INJECT_H

#include <types.h>
#include <compiler.h>
#include <kernel/atomic.h>
#include <kernel/stackdepot.h>

struct kmem_cache;

/*
 * One fault point's knobs, with Linux's meanings (Documentation/fault-injection):
 *   probability  percent of the calls that fail (0: none, 100: all that pass the rest)
 *   interval     only every interval-th call that passes the other tests may fail
 *   times        how many failures are left to inject (-1: no limit)
 *   space        bytes that are let through before failures may start
 *   verbose      0: silent, 1: one line per injected failure, 2: the line and the stack
 * Set on the command line (name=<interval>,<probability>,<space>,<times>) or
 * in /sys/kernel/debug/NAME/. Written by the shell only (one writer at a time);
 * the allocators read the knobs lock-free on any CPU; times, space and count
 * change under concurrent callers and are atomics.
 */
struct fault_attr {
	const char *name;		/* "failslab", "fail_page_alloc", "fail_vmalloc" */
	unsigned long probability;
	unsigned long interval;
	unsigned long verbose;
	unsigned long min_order;	/* fail_page_alloc only: smaller orders never fail */
	atomic_t times;
	atomic_t space;
	atomic_t count;			/* calls that reached the interval test */
	atomic_t injected;		/* failures injected so far (for the tests and the sweep) */
};

extern struct fault_attr failslab, fail_page_alloc, fail_vmalloc;

/*
 * fault_inject_armed: nonzero while any knob can make a call fail (a
 * probability set, or fail-nth counting). The hooks test it inline first, so
 * an unarmed kernel pays one load and one branch per allocation.
 */
extern int fault_inject_armed;

/* Linux's GFP rules: __GFP_NOFAIL never fails; __GFP_NOWARN fails silently. */
bool __should_failslab(struct kmem_cache *c, gfp_t gfp);
bool __should_fail_alloc_page(gfp_t gfp, unsigned int order);
bool __should_fail_vmalloc(unsigned long size, gfp_t gfp);

/* should_failslab: the slab allocator's one hook (kmem_cache_alloc and kmalloc). */
static __always_inline bool should_failslab(struct kmem_cache *c, gfp_t gfp)
{
	return unlikely(READ_ONCE(fault_inject_armed)) && __should_failslab(c, gfp);
}

/* should_fail_alloc_page: the buddy's one hook (every alloc_pages). */
static __always_inline bool should_fail_alloc_page(gfp_t gfp, unsigned int order)
{
	return unlikely(READ_ONCE(fault_inject_armed)) && __should_fail_alloc_page(gfp, order);
}

/* should_fail_vmalloc: vmalloc's one hook (pagoda's; Linux has no vmalloc fault point). */
static __always_inline bool should_fail_vmalloc(unsigned long size, gfp_t gfp)
{
	return unlikely(READ_ONCE(fault_inject_armed)) && __should_fail_vmalloc(size, gfp);
}

/*
 * fail-nth (Linux's /proc/self/fail-nth, here for the whole kernel: pagoda has
 * no tasks): fault_set_nth(n) makes the n-th call of any fault point from now
 * fail (n = 0 disarms). fault_get_nth() returns the calls still to go before
 * the failure, 0 once it was injected (or if none is set).
 */
void fault_set_nth(unsigned int n);
unsigned int fault_get_nth(void);

/* The stack of the last injected failure (0 if none yet), and a count of all injected ones. */
depot_stack_handle_t fault_last_stack(void);
unsigned long fault_total_injected(void);

/*
 * The fault sweep's checks (mm/fault_sweep.c; the command is kernel/failsweep.c).
 * sweep_snapshot: shrinks the slab caches and drains the per-CPU page lists,
 * then records what must come back after a run whose allocation failed.
 * sweep_verify: the buddy's, every slab cache's and vmalloc's invariant
 * checkers; false with the first problem in why.
 */
struct sweep_snapshot {
	unsigned long free_pages;
	unsigned long slab_objs;
	unsigned long vm_areas;
};
void sweep_snapshot(struct sweep_snapshot *s);
bool sweep_verify(char *why, size_t n);

/*
 * fault_attr_parse: "<interval>,<probability>,<space>,<times>" into a.
 * Returns 0, or -1 with a left as it was (the caller prints why).
 */
int fault_attr_parse(struct fault_attr *a, const char *val);
/* fault_attr_reset: Linux's defaults: interval 1, probability 0, space 0, times 1, verbose 2. */
void fault_attr_reset(struct fault_attr *a);

#endif

/* kfence.h: KFENCE, a sampling detector of slab out-of-bounds and use-after-free bugs (guard pages and faults). */
#ifndef PAGODA_KFENCE_H
#define PAGODA_KFENCE_H

#include <compiler.h>
#include <kernel/percpu.h>
#include <mm/gfp.h>
#include <mm/slab.h>
#include <asm/memory.h>

struct kmem_cache;
struct pt_regs;
struct seq_buf;

/*
 * Every kfence_sample_interval-th slab allocation (kmem_cache_alloc, kmalloc)
 * on a CPU is served from the KFENCE pool: one object per page, each page
 * between two unmapped guard pages, the object against the right guard or
 * the left one (alternately), the rest of its page a canary checked on free.
 * A freed object's page is unmapped. An access past the object, before it or
 * after its free faults, and the fault handler reports it (Linux's format)
 * and lets the access complete (kfence_handle_page_fault). 0 turns it off.
 */
#define KFENCE_NUM_OBJECTS		63
#define KFENCE_POOL_PAGES		(2 * KFENCE_NUM_OBJECTS + 2)	/* guards, objects, two leading guards */
#define KFENCE_POOL_SIZE		(KFENCE_POOL_PAGES * PAGE_SIZE)
#define KFENCE_DEFAULT_INTERVAL		10000

/* The pool's first byte (0 while KFENCE is off): written once by kfence_init. */
extern char *__kfence_pool;
/* Nonzero when allocations are sampled (the pool exists and the interval is not 0). */
extern bool kfence_enabled;
/*
 * Per CPU: allocations left before the next sampled one, slab_quick's
 * kfence_left (include/mm/slab.h: beside kmalloc's direct table, which
 * kmalloc's quick path reads anyway); 0 while KFENCE is off (a decrement
 * from 0 wraps, and the slow path, finding KFENCE off, puts 0 back). Only
 * its own CPU writes its counter, without a lock or an atomic: an interrupt's
 * allocation between the hook's load and store can cost one count, which
 * only moves the next sample by one allocation. kfence_set_sample_interval
 * writes every CPU's.
 */

/* kfence_init: the pool (VA range, pages), after vmalloc_init. Off, with one line, if it cannot be made. */
void kfence_init(void);

void *__kfence_alloc(struct kmem_cache *c, size_t size, gfp_t gfp);

/*
 * kfence_alloc: the slab hook. NULL unless this allocation is the sampled one
 * (then a KFENCE object of size bytes for cache c, or NULL if the pool is
 * full and the allocation goes to the slab as usual). A load, a store and a
 * branch, on or off: no atomic (an LDXR/STXR loop on the A53), no second flag.
 */
static __always_inline void *kfence_alloc(struct kmem_cache *c, size_t size, gfp_t gfp)
{
	unsigned int *cd = &this_cpu_ptr(slab_quick)->kfence_left;
	unsigned int n = READ_ONCE(*cd);

	WRITE_ONCE(*cd, n - 1);
	if (likely(n != 1))
		return NULL;
	return __kfence_alloc(c, size, gfp);
}

/* is_kfence_address: addr is in the pool (a guard page or an object page). */
static __always_inline bool is_kfence_address(const void *addr)
{
	return (unsigned long)addr - (unsigned long)__kfence_pool < KFENCE_POOL_SIZE && __kfence_pool;
}

/*
 * kfence_free: frees the KFENCE object at addr (is_kfence_address(addr)). A
 * broken canary is reported ("memory corruption") and the object freed; a
 * pointer that is not a live object's start is reported ("invalid free")
 * and nothing changes. caller is the freeing call's return address.
 */
void kfence_free(const void *addr, unsigned long caller);
/* kfence_ksize: the size asked for when the object at addr was allocated (0 if it is not live). */
size_t kfence_ksize(const void *addr);

/*
 * kfence_handle_page_fault: called by the arch's fault handler for a kernel
 * data access that faulted at addr because nothing was mapped there (a
 * translation fault, a not-present #PF: a mapped page is retried). If addr is in the pool it prints
 * KFENCE's report, maps the page (a guard page gets a scratch page, a freed
 * object's page its own page again) so that the access completes when the
 * handler returns, and returns true; the page is protected again at the next
 * allocation or free of an object beside it. false: not KFENCE's fault.
 */
bool kfence_handle_page_fault(unsigned long addr, bool is_write, struct pt_regs *regs);

/* ---- for tests ---- */
/* kfence_set_sample_interval: sets the interval (0 = off), every CPU's countdown restarted; returns the old one. */
unsigned long kfence_set_sample_interval(unsigned long interval);
/* Bugs reported since boot ("total bugs" in /sys/kernel/debug/kfence/stats). */
unsigned long kfence_bug_count(void);
/* The pool's object number of a KFENCE address (-1 if it is no object page). */
int kfence_object_index(const void *addr);

#endif

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
 * Once every kfence.sample_interval milliseconds (Linux's name and unit) the
 * next slab allocation (kmem_cache_alloc, kmalloc) on any CPU is served from
 * the KFENCE pool: one object per page, each page between two unmapped guard
 * pages, the object against the right guard or the left one (alternately),
 * the rest of its page a canary checked on free. A freed object's page is
 * unmapped. An access past the object, before it or after its free faults,
 * and the fault handler reports it (Linux's format) and lets the access
 * complete (kfence_handle_page_fault). 0 turns it off.
 *
 * The gate (Linux's kfence_allocation_gate): SLAB_QUICK_KFENCE in
 * slab_quick_off (include/mm/slab.h), the word the slab's quick paths test
 * anyway, so KFENCE costs them nothing while it is shut. CPU 0 opens it when
 * an interval has passed, checked at its timer tick and at each of its full
 * slab allocations (kfence_poll): pagoda takes ticks only between commands,
 * so a long command would otherwise go unsampled. While it is open every
 * allocation and free takes the full path; the first allocation to get there
 * shuts it (one atomic) and is the sample.
 */
#define KFENCE_NUM_OBJECTS		63
#define KFENCE_POOL_PAGES		(2 * KFENCE_NUM_OBJECTS + 2)	/* guards, objects, two leading guards */
#define KFENCE_POOL_SIZE		(KFENCE_POOL_PAGES * PAGE_SIZE)
#define KFENCE_DEFAULT_INTERVAL		100	/* ms, Linux's default */

/* The pool's first byte (0 while KFENCE is off): written once by kfence_init. */
extern char *__kfence_pool;
/* Nonzero when allocations are sampled (the pool exists and the interval is not 0). */
extern bool kfence_enabled;
/* kfence_init: the pool (VA range, pages), after vmalloc_init. Off, with one line, if it cannot be made. */
void kfence_init(void);

void *__kfence_alloc(struct kmem_cache *c, size_t size, gfp_t gfp);

void __kfence_poll(void);

/*
 * kfence_poll: on CPU 0 with KFENCE on, opens the gate if an interval has
 * passed since it last did; from the full allocation paths and the tick.
 */
static __always_inline void kfence_poll(void)
{
	if (smp_processor_id() == 0 && READ_ONCE(kfence_enabled))
		__kfence_poll();
}

/*
 * kfence_alloc: the hook of the slab's full allocation paths (the quick ones
 * never see an open gate). NULL unless the gate is open and this allocation
 * shuts it (then a KFENCE object of size bytes for cache c, or NULL if the
 * pool is full or c cannot be served, and the slab serves it as usual).
 */
static __always_inline void *kfence_alloc(struct kmem_cache *c, size_t size, gfp_t gfp)
{
	if (likely(!(atomic_read(&slab_quick_off) & SLAB_QUICK_KFENCE))) {
		kfence_poll();
		return NULL;
	}
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
/*
 * kfence_shutdown_cache: c is being destroyed (kmem_cache_destroy, once the
 * slab holds none of its objects). Its KFENCE objects still allocated become
 * zombies, as in Linux: freed, with the destroy's stack (caller: its return
 * address) as their free stack, so a later use or free of one is reported;
 * kept out of the pool and counted in the stats' "zombie allocations".
 */
void kfence_shutdown_cache(const struct kmem_cache *c, unsigned long caller);
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
/* kfence_set_sample_interval: sets the interval in ms (0 = off), the next one starting now; returns the old one. */
unsigned long kfence_set_sample_interval(unsigned long interval);
/*
 * kfence_gate_pause/kfence_gate_resume: while any pause is in force the gate
 * is shut and the clock opens nothing (they nest, from any CPU). The KTAP
 * runner pauses it around each case, so a case's allocations are the slab's
 * and its figures exact (Linux's slab tests make their caches
 * SLAB_SKIP_KFENCE for the same reason); kfence_force_sampling still opens it.
 */
void kfence_gate_pause(void);
void kfence_gate_resume(void);
/*
 * kfence_force_sampling: on, the gate stays open, so every slab allocation is
 * sampled (while the pool has room); off, it is shut until the next interval.
 * Returns the old setting.
 */
bool kfence_force_sampling(bool on);
/* Bugs reported since boot ("total bugs" in /sys/kernel/debug/kfence/stats). */
unsigned long kfence_bug_count(void);
/* Zombies since boot ("zombie allocations": objects a kmem_cache_destroy freed). */
unsigned long kfence_zombie_count(void);
/* The pool's object number of a KFENCE address (-1 if it is no object page). */
int kfence_object_index(const void *addr);

#endif

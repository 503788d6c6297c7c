/* common.c (mm/kasan): the allocators' hooks — what each allocation and free does to the shadow. */
#include "kasan.h"
#include "../slab_internal.h"
#include <kernel/percpu.h>
#include <kernel/spinlock.h>
#include <kernel/stackdepot.h>
#include <mm/kmemleak.h>
#include <mm/mm.h>
#include <string.h>

/* ---- what KASAN remembers of slab objects -------------------------------------------- */

/*
 * pagoda's slab keeps no per-object metadata outside slub_debug's caches, so
 * KASAN keeps its own: a set-associative table keyed by the object's address
 * (META_SETS x META_WAYS entries, 384 KiB). A busy set forgets its oldest
 * entry; a report about a forgotten object says its stacks were not kept.
 * A set and its victim counter are protected by one of META_LOCKS locks (set
 * modulo META_LOCKS): every slab allocation and free records here, and one
 * lock for the table made four CPUs queue on it.
 */
#define META_SETS	4096
#define META_WAYS	4
#define META_LOCKS	64
static struct kasan_obj_meta meta_table[META_SETS][META_WAYS];
static u8 meta_next[META_SETS];		/* round-robin victim per set */
static spinlock_t meta_locks[META_LOCKS] = {
	[0 ... META_LOCKS - 1] = __SPIN_LOCK_UNLOCKED(kasan_meta_lock)
};

static unsigned int meta_set(unsigned long obj)
{
	return (unsigned int)((obj >> 3) * 0x9e3779b97f4a7c15ULL >> 52) & (META_SETS - 1);
}

/* The lock of obj's set. */
static spinlock_t *meta_lock(unsigned long obj)
{
	return &meta_locks[meta_set(obj) % META_LOCKS];
}

/* The entry for obj, made if create (evicting its set's oldest); NULL if absent. meta_lock(obj) held. */
static struct kasan_obj_meta *meta_find(unsigned long obj, bool create)
{
	unsigned int set = meta_set(obj), w;
	struct kasan_obj_meta *e;

	for (w = 0; w < META_WAYS; w++)
		if (meta_table[set][w].obj == obj)
			return &meta_table[set][w];
	if (!create)
		return NULL;
	e = &meta_table[set][meta_next[set]++ % META_WAYS];
	__memset(e, 0, sizeof(*e));
	e->obj = obj;
	return e;
}

bool kasan_obj_meta_get(unsigned long obj, struct kasan_obj_meta *out)
{
	struct kasan_obj_meta *e;
	unsigned long flags;

	spin_lock_irqsave(meta_lock(obj), flags);
	e = meta_find(obj, false);
	if (e)
		*out = *e;
	spin_unlock_irqrestore(meta_lock(obj), flags);
	return e != NULL;
}

/* Records the allocation (size, stack) or the free (stack) of obj; skip: KASAN's own frames. */
static void meta_track(unsigned long obj, size_t size, bool alloc)
{
	depot_stack_handle_t h = save_stack(2);
	struct kasan_obj_meta *e;
	unsigned long flags;

	spin_lock_irqsave(meta_lock(obj), flags);
	e = meta_find(obj, alloc);
	if (e && alloc) {
		e->size = (u32)size;
		e->alloc_stack = h;
		e->alloc_cpu = (u16)smp_processor_id();
		e->free_stack = 0;
	} else if (e) {
		e->free_stack = h;
		e->free_cpu = (u16)smp_processor_id();
	}
	spin_unlock_irqrestore(meta_lock(obj), flags);
}

/* ---- the quarantine -------------------------------------------------------------------- */

/*
 * Freed slab objects wait here (poisoned) before the slab may hand them out
 * again, so a use-after-free touches poison, not a new owner's data: a FIFO of
 * at most QUARANTINE_MAX objects and QUARANTINE_BYTES bytes (Linux holds
 * 1/32 of RAM; pagoda's slabs are small). Protected by quarantine_lock; the
 * objects leaving are freed to their slab outside it.
 */
#define QUARANTINE_MAX		4096
#define QUARANTINE_BYTES	(1UL << 20)
struct qentry {
	struct kmem_cache *cache;
	void *obj;
};
static struct qentry quarantine[QUARANTINE_MAX];
static unsigned int q_head, q_count;
static unsigned long q_bytes;
static DEFINE_SPINLOCK(quarantine_lock);

/*
 * Back to the object's slab, not to this CPU's array: a drain of the quarantine
 * (before a shrink, or for slabinfo's counts) must leave the arrays as the
 * shrink left them, empty.
 */
static void qentry_release(struct qentry *q)
{
	slab_free_direct(q->cache, virt_to_slab_page(q->obj), q->obj, _RET_IP_);
}

static void quarantine_put(struct kmem_cache *c, void *obj)
{
	struct qentry out[4];
	unsigned int n = 0, i;
	unsigned long flags;

	spin_lock_irqsave(&quarantine_lock, flags);
	while (q_count && n < ARRAY_SIZE(out) &&
	       (q_count == QUARANTINE_MAX || q_bytes + c->object_size > QUARANTINE_BYTES)) {
		out[n] = quarantine[q_head];
		quarantine[q_head] = (struct qentry){ NULL, NULL };	/* see kasan_cache_shutdown */
		q_bytes -= out[n++].cache->object_size;
		q_head = (q_head + 1) % QUARANTINE_MAX;
		q_count--;
	}
	quarantine[(q_head + q_count++) % QUARANTINE_MAX] = (struct qentry){ c, obj };
	q_bytes += c->object_size;
	spin_unlock_irqrestore(&quarantine_lock, flags);
	for (i = 0; i < n; i++)
		qentry_release(&out[i]);
}

/*
 * kasan_cache_shutdown: frees every quarantined object of cache c (all caches
 * if c is NULL) to its slab — before the cache is shrunk or destroyed, and for
 * tests that count objects. The survivors keep their order.
 */
void kasan_cache_shutdown(struct kmem_cache *c)
{
	struct qentry keep;
	unsigned long flags;
	unsigned int n, i;

	spin_lock_irqsave(&quarantine_lock, flags);
	n = q_count;
	for (i = 0; i < n; i++) {
		keep = quarantine[q_head];
		/* no stale copy of a released object in .bss: it would hide a leak from kmemleak */
		quarantine[q_head] = (struct qentry){ NULL, NULL };
		q_head = (q_head + 1) % QUARANTINE_MAX;
		q_count--;
		if (c && keep.cache != c) {
			quarantine[(q_head + q_count++) % QUARANTINE_MAX] = keep;
			continue;
		}
		q_bytes -= keep.cache->object_size;
		spin_unlock_irqrestore(&quarantine_lock, flags);
		qentry_release(&keep);
		spin_lock_irqsave(&quarantine_lock, flags);
	}
	spin_unlock_irqrestore(&quarantine_lock, flags);
}

/*
 * Both tables hold object addresses that are no references: the metadata of
 * live and freed objects alike, objects already freed. Scanned as roots they
 * would hide every leak from kmemleak.
 */
void kasan_kmemleak_init(void)
{
	kmemleak_no_scan_static(meta_table, sizeof(meta_table));
	kmemleak_no_scan_static(quarantine, sizeof(quarantine));
}

/* ---- pages ----------------------------------------------------------------------------- */

void kasan_alloc_pages(struct page *page, unsigned int order)
{
	void *va = page_address(page);

	if (va)
		kasan_unpoison(va, PAGE_SIZE << order);
}

void kasan_free_pages(struct page *page, unsigned int order)
{
	void *va = page_address(page);

	if (va)
		kasan_poison(va, PAGE_SIZE << order, KASAN_PAGE_FREE);
}

/* ---- slab objects ---------------------------------------------------------------------- */

/*
 * Caches with slub_debug flags are slub_debug's to check (red zones, poison,
 * tracks): KASAN leaves their objects accessible, or both would report one bug.
 */
static bool kasan_skips(const struct kmem_cache *c)
{
	return cache_debug(c);
}

/*
 * A new slab is red zone until its objects are allocated — except in caches
 * with a constructor, which runs on every object of the new slab right after
 * this and whose objects keep their constructed state while free: those stay
 * accessible until first freed.
 */
void kasan_poison_slab(struct page *page)
{
	if (!kasan_skips(page->slab_cache) && !page->slab_cache->ctor)
		kasan_poison(slab_base(page), slab_bytes(page->slab_cache), KASAN_SLAB_REDZONE);
}

/* [obj, obj + size) usable, the rest of its stride a red zone (objects are granule-aligned). */
static void unpoison_object(struct kmem_cache *c, void *obj, size_t size)
{
	unsigned long end = ALIGN((unsigned long)obj + size, KASAN_GRANULE_SIZE);

	kasan_unpoison(obj, size);
	kasan_poison((void *)end, (unsigned long)obj + c->stride - c->red_left - end, KASAN_SLAB_REDZONE);
}

void *kasan_kmalloc(struct kmem_cache *c, void *obj, size_t size, gfp_t gfp)
{
	if (ZERO_OR_NULL_PTR(obj) || kasan_skips(c) || !kasan_addr_has_shadow((unsigned long)obj))
		return obj;
	unpoison_object(c, obj, size);
	meta_track((unsigned long)obj, size, true);
	return obj;
}

void *kasan_slab_alloc(struct kmem_cache *c, void *obj, gfp_t gfp)
{
	return kasan_kmalloc(c, obj, c->object_size, gfp);
}

void *kasan_kmalloc_large(void *p, size_t size, gfp_t gfp)
{
	unsigned long end = ALIGN((unsigned long)p + size, KASAN_GRANULE_SIZE);

	if (!p)
		return p;
	kasan_unpoison(p, size);
	kasan_poison((void *)end, (unsigned long)p + PAGE_SIZE * virt_to_page(p)->private - end,
		     KASAN_PAGE_REDZONE);	/* a large kmalloc's pages: private counts them (mm/kmalloc.c) */
	return p;
}

void kasan_krealloc(const void *p, size_t new_size)
{
	struct page *pg;

	if (ZERO_OR_NULL_PTR(p) || !virt_addr_valid(p))
		return;
	pg = virt_to_slab_page(p);
	if (!PageSlab(pg)) {
		kasan_kmalloc_large((void *)p, new_size, 0);
		return;
	}
	if (!kasan_skips(pg->slab_cache)) {
		unsigned long flags;
		struct kasan_obj_meta *e;

		unpoison_object(pg->slab_cache, (void *)p, new_size);
		spin_lock_irqsave(meta_lock((unsigned long)p), flags);
		e = meta_find((unsigned long)p, false);
		if (e)
			e->size = (u32)new_size;
		spin_unlock_irqrestore(meta_lock((unsigned long)p), flags);
	}
}

size_t kasan_ksize(const void *p, size_t size)
{
	if (!ZERO_OR_NULL_PTR(p) && size)
		kasan_unpoison(p, size);
	return size;
}

/*
 * kasan_slab_free: obj must belong to slab page of cache c. A pointer that does
 * not start an object (invalid-free) or an object already free (double-free)
 * is reported and not freed; otherwise the object is poisoned, its free stack
 * recorded, and it goes to the quarantine. Returns true if KASAN took it.
 */
bool kasan_slab_free(struct kmem_cache *c, struct page *page, void *obj, unsigned long ip)
{
	s8 shadow;

	if (kasan_skips(c) || !kasan_addr_has_shadow((unsigned long)obj))
		return false;
	if (obj_index(c, page, obj) < 0) {
		kasan_report((unsigned long)obj, 0, false, ip, KASAN_REPORT_INVALID_FREE);
		return true;
	}
	shadow = *kasan_mem_to_shadow(obj);
	if (shadow == (s8)KASAN_SLAB_FREE || shadow == (s8)KASAN_SLAB_REDZONE) {
		kasan_report((unsigned long)obj, 0, false, ip, shadow == (s8)KASAN_SLAB_FREE ?
			     KASAN_REPORT_DOUBLE_FREE : KASAN_REPORT_INVALID_FREE);
		return true;
	}
	kasan_poison(obj, c->object_size, KASAN_SLAB_FREE);
	meta_track((unsigned long)obj, 0, false);
	quarantine_put(c, obj);
	return true;
}

/* slab.c: object caches on top of the buddy allocator — per-CPU arrays, partial lists, /proc/slabinfo. */
#include "slab_internal.h"
#include <mm/kfence.h>
#include <mm/kmemleak.h>
#include <mm/vmstat.h>
#include <kernel/bug.h>
#include <kernel/debugfs.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <string.h>

/*
 * Design (read this before the code).
 *
 * A slab is 2^order pages from the buddy (__GFP_COMP when order > 0, so that
 * virt_to_page() of any byte leads to the head page). struct page has no room
 * for a freelist pointer, so the slab's state lives in its head page:
 *   PG_slab, slab_cache   which cache owns it (kfree finds the cache this way)
 *   inuse                 objects not on the slab's freelist
 *   freeidx               index of the first free object, SLAB_NO_FREE if none
 *   lru                   the cache's partial, full or empty list
 * Each free object stores the address of the next free object, mangled as
 * next ^ cache secret ^ bswap(address of the slot) (freelist hardening: a
 * stray write or a use-after-free cannot plant a usable pointer). Every decoded
 * pointer is checked to start an object of the same slab before it is used.
 *
 * Fast path: each CPU has an array of free objects (Linux SLAB's array_cache,
 * a LIFO): kmem_cache_alloc pops, kmem_cache_free pushes, on the running CPU's
 * own array with interrupts masked and no lock or atomic. The array is refilled
 * / flushed `batch` objects at a time, under the cache's lock (taken once per
 * batch), from / to the cache's shared array first (SLAB's shared array_cache:
 * about slab_keep_bytes(c) of objects, moved as a copy of pointers), and only
 * past it from / to the slabs, whose freelists cost a decode and a check per
 * object. The shared array is what keeps a burst larger than a CPU's array
 * (256 objects allocated, then freed) and a producer/consumer pair of CPUs off
 * the slab freelists and off the buddy. Slabs move between the partial, full
 * and empty lists; at most min_empty empty slabs (slab_keep_bytes(c) at most)
 * are kept per cache, the rest go back to the buddy at once.
 *
 * Objects freed on another CPU (CPU B frees what CPU A allocated). The choices:
 *  - SLUB's remote free and mimalloc's thread-delayed free lists exist because
 *    there a slab (page) belongs to one CPU/thread and only its owner may pop
 *    its freelist, so a foreign free must go through an atomic list that the
 *    owner collects later; OSv's per-CPU rings do the same with a ring per
 *    CPU pair. SLAB's alien caches exist only to send an object home to its
 *    NUMA node.
 *  - Here no CPU owns a slab: the slabs are the cache's, under the cache's
 *    lock, and any CPU may flush any object to its slab. So a remote free is
 *    an ordinary free: B pushes the object on B's own array, B reuses it or
 *    flushes it in a batch. No atomic and no test on the fast path, no owner
 *    to notify, nothing for A to collect; a producer/consumer pair costs one
 *    locked batch refill on A and one locked batch flush on B per `batch`
 *    objects. pagoda has one memory node, so SLAB's alien caches have nothing
 *    to do. (Were slabs ever given owners, mimalloc's delayed list is the one
 *    to take.)
 *  - Stranding: what a CPU holds in its array is bounded (limit objects, about
 *    slab_cpu_bytes(c), per CPU and cache; more while the CPU frees bursts,
 *    until the tick's reap: mm/slab_array.c), and it comes back when the CPU next
 *    allocates from the cache, when the array overflows (a batch goes to the
 *    shared array, where every CPU refills from), and for a CPU that never
 *    touches the cache again, on every kmem_cache_shrink/_shrink_all/_destroy,
 *    which drain every CPU's array on that CPU (on_each_cpu), then the shared
 *    array, then the empty slabs. `selftest` ends with kmem_cache_shrink_all.
 *
 * Debug caches (SLAB_CONSISTENCY_CHECKS/RED_ZONE/POISON/STORE_USER, or
 * slub_debug=) have no per-CPU arrays so that every operation is checked
 * (mm/slab_debug.c), under the cache's lock; their object layout, from the
 * start of each stride:
 *   [left red zone: red_left][object: inuse][right red zone: 1 word]
 *   [free pointer, if poisoned or constructed][alloc track][free track][pad]
 * Without debugging the stride is just the object rounded to its alignment and
 * the free pointer sits in the middle of the free object.
 *
 * Locks (order: slab_caches_lock -> a cache's lock; nothing is taken under a
 * cache's lock):
 *  - slab_caches_lock: the list of caches.
 *  - c->lock: the cache's slab lists and every one of its slabs' freelists
 *    (see struct kmem_cache). Never held across the buddy: a slab is made with
 *    it dropped and added after; slabs to give back are unlinked under it and
 *    freed after.
 *  - none of its own around the buddy: alloc_pages/__free_pages take the
 *    zone's lock (or use this CPU's pcp list), and the node's slab page
 *    count is a per-CPU vmstat diff.
 * Debug caches have no arrays: every CPU's array is slab_no_array (limit 0),
 * which sends every operation to the slabs.
 */

LIST_HEAD(slab_caches);
DEFINE_SPINLOCK(slab_caches_lock);
atomic_t slab_quick_off;	/* include/mm/slab.h */
static struct kmem_cache kmem_cache_boot;	/* the cache struct kmem_cache comes from */
static struct kmem_cache *kmem_cache_cache;

/*
 * What kmem_cache_create takes from kmem_cache_cache: a cache line, then the
 * struct, so no struct kmem_cache of its starts a page (the cache's slabs
 * are one page, every object inside it). A CPU's array often does: a grown
 * one always, and CPU 0's home one when the shared array before it fills a
 * page. The quick paths store the array's avail, at its offset 0, and load
 * c->cpu_cache[cpu], at c's offset 0 for CPU 0, in the next operation; an
 * out-of-order x86 host makes such a load wait for that store when their
 * addresses agree in the low 12 bits (4K aliasing): make bench's batched
 * kmem_cache 192 row took 9.5 ns per object, 4.7 with the line in front.
 * Moving cpu_cache away from offset 0 instead cost arm64 an add per access
 * (a kmalloc(64)+kfree pair 110 -> 113 instructions).
 */
struct kmem_cache_unit {
	char pad[L1_CACHE_BYTES];
	struct kmem_cache c;
};

static unsigned long slab_seed = (unsigned long)0x5bd1e9955bd1e995ULL;	/* truncated on 32-bit */
/* Every CPU's array in a cache without arrays: limit 0 sends each operation to the slabs; never written. */
struct kmem_cache_cpu slab_no_array;
/* include/mm/slab.h; until kmalloc_init fills the table, kmalloc's quick path finds no array. */
DEFINE_PER_CPU(struct slab_quick, slab_quick) = {
	[0 ... CONFIG_NR_CPUS - 1] = {
		.kmalloc_ac = { [0 ... KMALLOC_DIRECT_MAX / 8 - 1] = &slab_no_array },
	},
};

/* splitmix64: spreads the bits of a cache's address into its free-pointer secret. */
static unsigned long mix_secret(unsigned long v)
{
	u64 z = (u64)v + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (unsigned long)(z ^ (z >> 31));
}

/* Lays out one stride (see the top of this file); returns false for an impossible size. */
static bool calculate_sizes(struct kmem_cache *c)
{
	unsigned int word = sizeof(void *), off;

	c->inuse = ALIGN(c->object_size, word);
	c->red_left = (c->flags & SLAB_RED_ZONE) ? ALIGN(word, c->align) : 0;
	off = c->inuse + ((c->flags & SLAB_RED_ZONE) ? word : 0);
	if ((c->flags & SLAB_POISON) || c->ctor) {
		c->fp_offset = off;
		off += word;
	} else {
		c->fp_offset = ALIGN_DOWN(c->inuse / 2, word);
	}
	if (c->flags & SLAB_STORE_USER) {
		c->track_offset = off;
		off += 2 * sizeof(struct slab_track);
	}
	c->stride = ALIGN(c->red_left + off, c->align);
	return c->stride <= (PAGE_SIZE << SLAB_MAX_ORDER) && c->object_size;
}

/*
 * Slab size: the smallest order that loses at most 1/16 of the slab to the tail
 * and holds 8 objects, or any number from 1 KiB up. A slab goes back to the
 * buddy only when every object in it is free, so a big slab of big objects
 * strands memory: on make bench's mixed workload, 8-page slabs of 4-6 objects
 * held 4 % of the bytes requested in free objects nobody could give back.
 * From 1 KiB up a slab is as small as the tail allows (kmalloc-4k: one page,
 * kmalloc-2688: 3 in two pages); the classes in mm/kmalloc.c are chosen to fit.
 */
static void calculate_order(struct kmem_cache *c)
{
	unsigned int order, min_objs = c->stride >= 1024 ? 1 : 8;

	BUILD_BUG_ON((PAGE_SIZE << SLAB_MAX_ORDER) > 65536);	/* obj_starts is exact below 2^16 */
	for (order = 0; order < SLAB_MAX_ORDER; order++) {
		unsigned long bytes = PAGE_SIZE << order;
		unsigned long n = bytes / c->stride, waste = bytes - n * c->stride;

		if (n >= min_objs && waste * 16 <= bytes)
			break;
	}
	c->order = order;
	c->objects = min((PAGE_SIZE << order) / c->stride, 1024UL);
	c->reciprocal = (u32)(((1ULL << 32) + c->stride - 1) / c->stride);
	c->slab_mask = (u32)(PAGE_SIZE << order) - 1;
	c->obj_end = c->objects * c->stride;
}

/*
 * Budgets: what a cache may keep free, in bytes of objects, per CPU array and
 * again in its shared array and in empty slabs. Free objects held there are
 * memory nobody else can use, and on make bench's mixed workload (a live set
 * of 10000 objects of mixed sizes under random replacement) they were the
 * largest part of the overhead: 64 KiB arrays and 256 KiB shared arrays for
 * every size held 8 % of the bytes requested. So only small objects (up to
 * SLAB_SMALL_OBJECT, where 256 of them are 64 KiB at most) keep Linux SLAB-like
 * batches: SLAB_CPU_BYTES per CPU, SLAB_KEEP_BYTES shared and in empty slabs;
 * larger objects keep SLAB_LARGE_BYTES in each (kmalloc-4k: 2 per CPU, 2
 * shared, 2 empty slabs), as Linux SLAB bounded them too (8 objects above a
 * page). A CPU that frees a burst of them grows its own array for as long as
 * the bursts last, and the tick's reap gives it back (mm/slab_array.c).
 * Each budget is also at most 1/128 (per CPU) or 1/256 of RAM, so a 4 MiB
 * machine's memory is not held by its caches.
 */
static bool small_object(const struct kmem_cache *c)
{
	return c->object_size <= SLAB_SMALL_OBJECT;
}

static unsigned long slab_keep_bytes(const struct kmem_cache *c)
{
	return min(small_object(c) ? (unsigned long)SLAB_KEEP_BYTES : (unsigned long)SLAB_LARGE_BYTES,
		   (totalram_pages() << PAGE_SHIFT) / 256);
}

static unsigned long slab_cpu_bytes(const struct kmem_cache *c)
{
	return min(small_object(c) ? (unsigned long)SLAB_CPU_BYTES : (unsigned long)SLAB_LARGE_BYTES,
		   (totalram_pages() << PAGE_SHIFT) / 128);
}

/*
 * Per-CPU arrays: about slab_cpu_bytes() of objects each (2..SLAB_CPU_MAX), so
 * bursts of frees and allocations stay off the slab lists. Debug caches have
 * none: every operation is checked.
 */
static void set_cpu_limits(struct kmem_cache *c)
{
	unsigned int limit = clamp((unsigned int)(slab_cpu_bytes(c) / c->object_size), 2U,
				   (unsigned int)SLAB_CPU_MAX);
	unsigned int i;

	if (cache_debug(c))
		limit = 0;
	c->limit = limit;
	c->batch = (limit + 1) / 2;
	c->shared_limit = limit ? clamp((unsigned int)(slab_keep_bytes(c) / c->object_size), c->batch,
					(unsigned int)SLAB_CPU_MAX) : 0;
	c->shared = &slab_no_array;
	for (i = 0; i < CONFIG_NR_CPUS; i++)
		c->cpu_cache[i] = &slab_no_array;
}


/* __kmem_cache_setup: fills in c for kmem_cache_create and the static kmalloc caches. */
int __kmem_cache_setup(struct kmem_cache *c, const char *name, unsigned int size,
		       unsigned int align, unsigned int flags, void (*ctor)(void *))
{
	unsigned long irqflags;

	memset(c, 0, sizeof(*c));
	strncpy(c->name_buf, name, sizeof(c->name_buf) - 1);
	c->name = c->name_buf;
	c->object_size = size;
	c->flags = flags | slub_debug_flags_for(name);
	c->ctor = ctor;
	if (align < sizeof(void *))
		align = sizeof(void *);
	if ((flags & SLAB_HWCACHE_ALIGN) && size > L1_CACHE_BYTES / 2)
		align = max(align, (unsigned int)L1_CACHE_BYTES);
	c->align = align;
	if ((align & (align - 1)) || align > (PAGE_SIZE << SLAB_MAX_ORDER) / 2 || !calculate_sizes(c))
		return -1;
	calculate_order(c);
	set_cpu_limits(c);
	if (alloc_cpu_arrays(c))
		return -1;
	/* enough empty slabs to refill a per-CPU array twice and the shared array, within slab_keep_bytes */
	c->min_empty = clamp(DIV_ROUND_UP(2 * c->limit + c->shared_limit, c->objects), 1U,
			     max(1U, (unsigned int)(slab_keep_bytes(c) >> PAGE_SHIFT >> c->order)));
	spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->partial);
	INIT_LIST_HEAD(&c->full);
	INIT_LIST_HEAD(&c->empty);
	slab_lock_irqsave(&slab_caches_lock, irqflags);
	slab_seed = mix_secret(slab_seed ^ (unsigned long)c);
	c->secret = slab_seed;
	list_add_tail(&c->list, &slab_caches);
	slab_unlock_irqrestore(&slab_caches_lock, irqflags);
	return 0;
}

static void unlink_cache(struct kmem_cache *c)
{
	unsigned long flags;

	slab_lock_irqsave(&slab_caches_lock, flags);
	list_del(&c->list);
	slab_unlock_irqrestore(&slab_caches_lock, flags);
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     unsigned int flags, void (*ctor)(void *))
{
	struct kmem_cache_unit *u = NULL;
	struct kmem_cache *c = NULL;

	if (kmem_cache_cache && name)
		u = kmem_cache_alloc(kmem_cache_cache, GFP_KERNEL);
	if (u) {
		c = &u->c;
		if (__kmem_cache_setup(c, name, size, align, flags, ctor)) {
			kmem_cache_free(kmem_cache_cache, u);
			c = NULL;
		}
	}
	if (!c && (flags & SLAB_PANIC))
		panic("kmem_cache_create: cannot create cache %s", name ? name : "(null)");
	if (!c)
		pr_err("kmem_cache_create(%s) failed: size %u align %u\n", name ? name : "(null)",
		       size, align);
	return c;
}

/* Slab lists (c->lock held): a slab is on empty (inuse 0), full (inuse == objects) or partial. */
static struct list_head *slab_list(struct kmem_cache *c, unsigned int inuse, unsigned long **nr)
{
	if (inuse == 0) {
		*nr = &c->nr_empty;
		return &c->empty;
	}
	if (inuse == c->objects) {
		*nr = &c->nr_full;
		return &c->full;
	}
	*nr = &c->nr_partial;
	return &c->partial;
}

static void slab_relist(struct kmem_cache *c, struct page *pg, unsigned int old_inuse)
{
	unsigned long *nr_old, *nr_new;
	struct list_head *from = slab_list(c, old_inuse, &nr_old);
	struct list_head *to = slab_list(c, pg->inuse, &nr_new);

	if (from == to)
		return;
	list_del(&pg->lru);
	(*nr_old)--;
	list_add(&pg->lru, to);
	(*nr_new)++;
}

/* Any context: the node's slab page count (per-CPU diffs, interrupts masked inside). */
static void account_slab(struct kmem_cache *c, long pages)
{
	mod_node_page_state(c->flags & SLAB_RECLAIM_ACCOUNT ? NR_SLAB_RECLAIMABLE
			    : NR_SLAB_UNRECLAIMABLE, pages);
}

/*
 * new_slab: pages from the buddy, every object chained on the freelist (and
 * constructed). Called without c->lock; the slab is on no list yet.
 */
static struct page *new_slab(struct kmem_cache *c, gfp_t gfp)
{
	struct page *pg;
	unsigned int i;

	/* slabs live in the linear map: never highmem */
	pg = alloc_pages((gfp & ~(__GFP_ZERO | __GFP_HIGHMEM)) | (c->order ? __GFP_COMP : 0), c->order);
	if (!pg)
		return NULL;
	account_slab(c, 1L << c->order);
	pg->slab_cache = c;
	kasan_poison_slab(pg);
	pg->inuse = 0;
	pg->freeidx = 0;
	for (i = 0; i < c->objects; i++) {
		void *obj = slab_object(c, pg, i);

		if (cache_debug(c))
			slab_debug_init_object(c, obj);
		if (c->ctor)
			c->ctor(obj);
		set_freeptr(c, obj, i + 1 < c->objects ? slab_object(c, pg, i + 1) : NULL);
	}
	SetPageFlag(pg, PG_slab);
	return pg;
}

/* Unlinks an empty slab (c->lock held) onto discard, for free_slabs once the lock is dropped. */
static void unlink_empty_slab(struct kmem_cache *c, struct page *pg, struct list_head *discard)
{
	list_del(&pg->lru);
	c->nr_empty--;
	list_add(&pg->lru, discard);
}

/* free_slabs: gives the slabs on discard back to the buddy (c->lock not held); returns pages freed. */
static unsigned long free_slabs(struct kmem_cache *c, struct list_head *discard)
{
	unsigned long pages = 0;
	struct page *pg, *n;

	list_for_each_entry_safe(pg, n, discard, lru) {
		list_del(&pg->lru);
		ClearPageFlag(pg, PG_slab);
		pg->slab_cache = NULL;
		pg->order = c->order;		/* inuse/freeidx shared the compound order */
		account_slab(c, -(1L << c->order));
		__free_pages(pg, c->order);
		pages += 1UL << c->order;
	}
	return pages;
}

/*
 * slab_pop (c->lock held): takes the first free object of pg. A free pointer
 * that does not decode to an object of the same slab means the freelist was
 * overwritten (a use-after-free): reported, and the slab is isolated (treated
 * as full) so no wild pointer is ever handed out.
 */
static void *__slab_pop(struct kmem_cache *c, struct page *pg, void *base)
{
	void *obj = slab_object_at(c, base, pg->freeidx);
	void *next = get_freeptr(c, obj);
	int nidx = next ? obj_index(c, pg, next) : (int)SLAB_NO_FREE;

	if (unlikely(nidx < 0 || (!next && pg->inuse + 1u != c->objects) ||
		     (next && pg->inuse + 1u >= c->objects))) {
		slab_report(c, pg, obj, "Freepointer corrupt", 0);
		slab_fix(c, "Isolating slab 0x%lx: %u free objects lost", (unsigned long)slab_base(pg),
			 c->objects - pg->inuse - 1);
		nidx = SLAB_NO_FREE;
		pg->inuse = c->objects - 1;
	}
	pg->freeidx = (u16)nidx;
	pg->inuse++;
	return obj;
}

static void *slab_pop(struct kmem_cache *c, struct page *pg)
{
	unsigned int old = pg->inuse;
	void *obj = __slab_pop(c, pg, slab_base(pg));

	slab_relist(c, pg, old);
	return obj;
}

/*
 * slab_push (c->lock held): puts obj back on its slab's freelist. Beyond
 * min_empty empty slabs, a slab that empties goes onto discard.
 */
static void slab_push(struct kmem_cache *c, struct page *pg, void *obj, struct list_head *discard)
{
	unsigned int old = pg->inuse;

	set_freeptr(c, obj, pg->freeidx == SLAB_NO_FREE ? NULL
		    : slab_object_at(c, slab_base_of(c, obj), pg->freeidx));
	pg->freeidx = (u16)obj_index(c, pg, obj);
	pg->inuse--;
	slab_relist(c, pg, old);
	if (!pg->inuse && c->nr_empty > c->min_empty)
		unlink_empty_slab(c, pg, discard);
}

/* A slab with a free object (c->lock held): partial first (fills holes), then an empty one. */
static struct page *get_slab(struct kmem_cache *c)
{
	if (!list_empty(&c->partial))
		return list_first_entry(&c->partial, struct page, lru);
	if (!list_empty(&c->empty))
		return list_first_entry(&c->empty, struct page, lru);
	return NULL;
}

/*
 * cache_grow: called with c->lock held (taken with *flags), returns with it
 * held; drops it while a new slab is made. Returns the new slab, on the empty
 * list and still wholly free, or NULL if the buddy had none.
 */
static struct page *cache_grow(struct kmem_cache *c, gfp_t gfp, unsigned long *flags)
{
	struct page *pg;

	slab_unlock_irqrestore(&c->lock, *flags);
	pg = new_slab(c, gfp);
	slab_lock_irqsave(&c->lock, *flags);
	if (pg) {
		list_add(&pg->lru, &c->empty);
		c->nr_empty++;
	}
	return pg;
}

/* Moves objects of pg to ac until ac holds want (c->lock held, ac this CPU's). */
static void refill_from(struct kmem_cache *c, struct kmem_cache_cpu *ac, struct page *pg,
			unsigned int want)
{
	unsigned int old = pg->inuse;
	void *base = slab_base(pg);

	while (pg->freeidx != SLAB_NO_FREE && ac->avail < want)
		ac->entry[ac->avail++] = __slab_pop(c, pg, base);
	slab_relist(c, pg, old);
}

/* Moves up to want - ac->avail of the most recently freed objects of the shared array to ac. */
static void refill_from_shared(struct kmem_cache *c, struct kmem_cache_cpu *ac, unsigned int want)
{
	struct kmem_cache_cpu *sh = c->shared;
	unsigned int n = min(want - ac->avail, sh->avail);

	sh->avail -= n;
	memcpy(ac->entry + ac->avail, sh->entry + sh->avail, n * sizeof(void *));
	ac->avail += n;
}

/*
 * cache_refill: fills this CPU's array (empty) with up to batch objects, from
 * the shared array first (a copy of pointers), then from the slabs, under the
 * lock once (twice if a slab had to be made), and pops one. It ends a streak
 * of overflows (mm/slab_array.c).
 */
static void *cache_refill(struct kmem_cache *c, gfp_t gfp)
{
	struct kmem_cache_cpu *ac;
	unsigned long flags;
	struct page *pg;
	void *obj = NULL;

	slab_lock_irqsave(&c->lock, flags);
	for (;;) {
		ac = c->cpu_cache[smp_processor_id()];	/* again after cache_grow dropped the lock */
		refill_from_shared(c, ac, ac->batch);
		if (ac->avail >= ac->batch)
			break;
		pg = get_slab(c);
		if (!pg && !(pg = cache_grow(c, gfp, &flags)))
			break;
		refill_from(c, ac, pg, ac->batch);
	}
	if (ac->avail) {
		cpu_array_note(c, ac, (int)ac->avail);
		obj = ac->entry[--ac->avail];
	}
	slab_unlock_irqrestore(&c->lock, flags);
	return obj;
}

/* Returns objects entry[0..n) to their slabs (c->lock held); emptied slabs beyond min_empty onto discard. */
static void push_objects(struct kmem_cache *c, void **entry, unsigned int n, struct list_head *discard)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		slab_push(c, virt_to_slab_page(entry[i]), entry[i], discard);
}

/*
 * cache_flush: moves the n oldest objects of this CPU's array ac to the shared
 * array while it has room, the rest to their slabs, under the lock once.
 * Interrupts are masked by the caller.
 */
void cache_flush(struct kmem_cache *c, struct kmem_cache_cpu *ac, unsigned int n)
{
	struct kmem_cache_cpu *sh = c->shared;
	LIST_HEAD(discard);
	unsigned int m;

	spin_lock(&c->lock);
	m = min(n, sh->limit - sh->avail);
	memcpy(sh->entry + sh->avail, ac->entry, m * sizeof(void *));
	sh->avail += m;
	push_objects(c, ac->entry + m, n - m, &discard);
	spin_unlock(&c->lock);
	memmove(ac->entry, ac->entry + n, (ac->avail - n) * sizeof(void *));
	ac->avail -= n;
	free_slabs(c, &discard);
}

/* Caches without arrays (debug caches, boot caches at first): one object straight from a slab. */
static void *slab_alloc_direct(struct kmem_cache *c, gfp_t gfp, unsigned long caller)
{
	unsigned long flags;
	struct page *pg;
	void *obj = NULL;

	slab_lock_irqsave(&c->lock, flags);
	pg = get_slab(c);
	if (!pg)
		pg = cache_grow(c, gfp, &flags);
	if (pg) {
		obj = slab_pop(c, pg);
		if (cache_debug(c))
			slab_debug_on_alloc(c, pg, obj, caller);	/* checked and tracked */
	}
	slab_unlock_irqrestore(&c->lock, flags);
	return obj;
}

/* ... and one object straight back; a debug cache checks it first (and refuses a bad one). */
void slab_free_direct(struct kmem_cache *c, struct page *pg, void *obj, unsigned long caller)
{
	LIST_HEAD(discard);
	unsigned long flags;

	slab_lock_irqsave(&c->lock, flags);
	if (!cache_debug(c) || slab_debug_on_free(c, pg, obj, caller))
		slab_push(c, pg, obj, &discard);
	slab_unlock_irqrestore(&c->lock, flags);
	free_slabs(c, &discard);
}

/* Pops from this CPU's array, or NULL; with interrupts masked around it. */
static void *cpu_cache_pop(struct kmem_cache *c)
{
	struct kmem_cache_cpu *ac;
	unsigned long flags;
	void *obj = NULL;

	flags = slab_irq_save();
	ac = c->cpu_cache[smp_processor_id()];
	if (ac->avail)
		obj = ac->entry[--ac->avail];
	slab_irq_restore(flags);
	return obj;
}

void *slab_alloc(struct kmem_cache *c, gfp_t gfp, unsigned long caller)
{
	void *obj = cpu_cache_pop(c);

	if (!obj)
		obj = c->cpu_cache[smp_processor_id()]->limit ? cache_refill(c, gfp)
			: slab_alloc_direct(c, gfp, caller);
	if (unlikely(!obj)) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("SLUB: Unable to allocate memory for %s (object size %u)\n",
				c->name, c->object_size);
		return NULL;
	}
	if (unlikely(gfp & __GFP_ZERO))
		memset(obj, 0, c->object_size);
	return obj;
}

static void report_not_freed(struct kmem_cache *c, struct page *pg, void *obj, const char *msg,
			     unsigned long caller)
{
	slab_report(c, pg, obj, msg, caller);
	slab_fix(c, "Object at 0x%lx not freed", (unsigned long)obj);
}

/*
 * slab_free: obj must be in slab pg of cache c (the caller checked PG_slab and
 * the cache). Pointers that do not start an object, and a free of the object
 * freed just before on this CPU, are reported and ignored; debug caches check
 * everything. A full array gives its oldest batch back to the slabs first (a
 * burst of those grows the array: mm/slab_array.c).
 */
void slab_free(struct kmem_cache *c, struct page *pg, void *obj, unsigned long caller)
{
	struct kmem_cache_cpu *ac;
	unsigned long flags;
	const char *bad = NULL;
	bool burst = false;

	if (unlikely(cache_debug(c))) {
		slab_free_direct(c, pg, obj, caller);
		return;
	}
	if (unlikely(obj_index(c, pg, obj) < 0)) {
		report_not_freed(c, pg, obj, obj_index_containing(c, pg, obj) >= 0 ?
				 "Free of a pointer inside an object" : "Invalid object pointer", caller);
		return;
	}
	flags = slab_irq_save();
	ac = c->cpu_cache[smp_processor_id()];
	if (unlikely(ac->avail && ac->entry[ac->avail - 1] == obj))
		bad = "Object already free";
	else if (likely(ac->limit)) {
		if (unlikely(ac->avail >= ac->limit)) {
			burst = cpu_array_note(c, ac, -(int)ac->batch);
			cache_flush(c, ac, ac->batch);
		}
		ac->entry[ac->avail++] = obj;
	}
	slab_irq_restore(flags);
	if (unlikely(burst))
		cpu_array_grow(c);
	if (unlikely(bad))
		report_not_freed(c, pg, obj, bad, caller);
	else if (unlikely(!ac->limit))
		slab_free_direct(c, pg, obj, caller);
}

/* kmem_cache_alloc's full path, out of line (see __do_kmalloc in mm/kmalloc.c). */
static __noinline void *__kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp, unsigned long caller)
{
	void *obj;

	if (!slab_alloc_hooks(c, c->object_size, gfp, &obj))
		obj = kasan_slab_alloc(c, slab_alloc_fast(c, gfp, caller), gfp);

	kmemleak_alloc(obj, c->object_size, 1, gfp);
	return obj;
}

/* The quick path (mm/slab_internal.h) when it can, the full one otherwise. */
__noinline void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	void *obj = slab_alloc_quick(c, gfp);

	return likely(obj) ? obj : __kmem_cache_alloc(c, gfp, _RET_IP_);
}

__noinline void *kmem_cache_zalloc(struct kmem_cache *c, gfp_t gfp)
{
	/* always the full path's hooks (fault injection, KFENCE) and array, as __kmem_cache_alloc */
	void *obj;

	if (!slab_alloc_hooks(c, c->object_size, gfp | __GFP_ZERO, &obj))
		obj = kasan_slab_alloc(c, slab_alloc_fast(c, gfp | __GFP_ZERO, _RET_IP_), gfp);

	kmemleak_alloc(obj, c->object_size, 1, gfp);
	return obj;
}

/* Checks that obj belongs to some slab: reports a stray pointer, returns its slab page or NULL. */
struct page *slab_page_checked(struct kmem_cache *c, const void *obj, unsigned long caller)
{
	struct page *pg;

	if (!virt_addr_valid(obj)) {
		pr_err("BUG %s: free of 0x%lx, which is not in the linear map (caller 0x%lx)\n",
		       c ? c->name : "kfree", (unsigned long)obj, caller);
		return NULL;
	}
	pg = virt_to_slab_page(obj);
	if (!PageSlab(pg)) {
		pr_err("BUG %s: free of 0x%lx, which is not a slab object (caller 0x%lx)\n",
		       c ? c->name : "kfree", (unsigned long)obj, caller);
		return NULL;
	}
	return pg;
}

static __noinline void __kmem_cache_free(struct kmem_cache *c, void *obj, unsigned long caller);

__noinline void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	struct page *pg = slab_page_quick(obj);

	if (likely(pg) && likely(pg->slab_cache == c) && likely(slab_free_quick(c, obj)))
		return;
	__kmem_cache_free(c, obj, _RET_IP_);
}

/* kmem_cache_free's full path: every check, every hook. */
static __noinline void __kmem_cache_free(struct kmem_cache *c, void *obj, unsigned long caller)
{
	struct page *pg;

	if (unlikely(!obj))
		return;
	if (unlikely(is_kfence_address(obj))) {
		kmemleak_free(obj);	/* a bad pointer is no tracked object: kfence reports it */
		return kfence_free(obj, caller);
	}
	/* the checks of slab_page_checked, inline; it reports what they refuse */
	pg = likely(virt_addr_valid(obj)) ? virt_to_slab_page(obj) : NULL;
	if (unlikely(!pg || !PageSlab(pg)))
		pg = slab_page_checked(c, obj, caller);
	if (!pg)
		return;
	if (unlikely(pg->slab_cache != c)) {
		pr_err("kmem_cache_free: Wrong slab cache. %s but object is from %s\n",
		       c->name, pg->slab_cache->name);
		report_not_freed(pg->slab_cache, pg, obj, "Free into the wrong cache", caller);
		return;
	}
	kmemleak_free(obj);
	slab_free_fast(c, pg, obj, caller);
}

static void drain_cpu_fn(void *info)
{
	slab_drain_cpu(info);
}

/* Gives the shared array's objects back to their slabs, then every empty slab to the buddy; returns the pages freed. */
unsigned long slab_shrink_empty(struct kmem_cache *c)
{
	LIST_HEAD(discard);
	unsigned long flags;

	slab_lock_irqsave(&c->lock, flags);
	if (c->shared->avail) {		/* (slab_no_array is never written) */
		push_objects(c, c->shared->entry, c->shared->avail, &discard);
		c->shared->avail = 0;
	}
	while (!list_empty(&c->empty))
		unlink_empty_slab(c, list_first_entry(&c->empty, struct page, lru), &discard);
	slab_unlock_irqrestore(&c->lock, flags);
	return free_slabs(c, &discard);
}

unsigned long kmem_cache_shrink(struct kmem_cache *c)
{
	cpumask_t mask;

	kasan_cache_shutdown(c);	/* the quarantine's objects go back first */
	mask = slab_cpus_holding(c);
	if (mask)
		on_each_cpu_mask(mask, drain_cpu_fn, c, 1);
	return slab_shrink_empty(c);
}

/* Objects still allocated in c (c->lock held): every slab's inuse, less what the arrays hold. */
static int count_leaks(struct kmem_cache *c)
{
	struct page *pg;
	int leaked = 0;

	list_for_each_entry(pg, &c->partial, lru)
		leaked += pg->inuse;
	list_for_each_entry(pg, &c->full, lru)
		leaked += pg->inuse;
	if (!leaked)
		return 0;
	slab_report(c, NULL, NULL, "Objects remaining on kmem_cache_destroy()", _RET_IP_);
	list_for_each_entry(pg, &c->partial, lru)
		slab_print_leaks(c, pg);
	list_for_each_entry(pg, &c->full, lru)
		slab_print_leaks(c, pg);
	return leaked;
}

int kmem_cache_destroy(struct kmem_cache *c)
{
	unsigned long flags;
	int leaked;

	if (!c)
		return 0;
	if (c->flags & __SLAB_STATIC) {
		pr_err("kmem_cache_destroy %s: a boot cache (kmalloc, kmem_cache) is never destroyed\n",
		       c->name);
		return -1;
	}
	kmem_cache_shrink(c);		/* every CPU's array is empty from here */
	slab_lock_irqsave(&c->lock, flags);
	leaked = count_leaks(c);
	slab_unlock_irqrestore(&c->lock, flags);
	if (leaked) {
		pr_err("kmem_cache_destroy %s: Slab cache still has objects (%d)\n", c->name, leaked);
		return leaked;
	}
	unlink_cache(c);
	kfence_shutdown_cache(c, _RET_IP_);
	free_cpu_arrays(c);
	kmem_cache_free(kmem_cache_cache, container_of(c, struct kmem_cache_unit, c));
	return 0;
}

struct kmem_cache *kmem_cache_find(const char *name)
{
	struct kmem_cache *c, *found = NULL;
	unsigned long flags;

	slab_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(c, &slab_caches, list)
		if (!strcmp(c->name, name)) {
			found = c;
			break;
		}
	slab_unlock_irqrestore(&slab_caches_lock, flags);
	return found;
}

/*
 * The slabs' counts under the lock, less the objects every CPU's array holds
 * (read without their CPUs' help: exact when nothing runs on the cache, as
 * after a drain).
 */
void kmem_cache_get_info(struct kmem_cache *c, struct slabinfo *si)
{
	unsigned long flags;
	struct page *pg;
	unsigned int i;

	kasan_cache_shutdown(c);
	memset(si, 0, sizeof(*si));
	slab_lock_irqsave(&c->lock, flags);
	list_for_each_entry(pg, &c->partial, lru)
		si->active_objs += pg->inuse;
	si->active_objs += c->nr_full * c->objects;
	si->active_slabs = c->nr_partial + c->nr_full;
	si->num_slabs = si->active_slabs + c->nr_empty;
	si->shared_avail = c->shared->avail;
	for (i = 0; i < CONFIG_NR_CPUS; i++)	/* the pointers only under the lock (mm/slab_array.c) */
		si->cpu_objs += READ_ONCE(c->cpu_cache[i]->avail);
	slab_unlock_irqrestore(&c->lock, flags);
	si->num_objs = si->num_slabs * c->objects;
	/* free objects in the arrays (a racing reading can exceed the slabs' count) */
	si->active_objs -= min(si->cpu_objs + si->shared_avail, si->active_objs);
}

/*
 * /proc/slabinfo, version 2.1 (FORMATS.md). As in Linux, <objsize> is the size of an object with
 * its metadata (the stride); tunables are the per-CPU arrays' limit and batch and the shared
 * array's size in batches (sharedfactor); active_objs leaves out the free objects of every CPU's
 * array and of the shared one (sharedavail).
 */
static void slabinfo_show(struct seq_buf *s)
{
	struct kmem_cache *c;
	struct slabinfo si;
	unsigned long flags;

	seq_buf_printf(s, "slabinfo - version: 2.1\n");
	seq_buf_printf(s, "# name            <active_objs> <num_objs> <objsize> <objperslab> "
		       "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata "
		       "<active_slabs> <num_slabs> <sharedavail>\n");
	slab_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(c, &slab_caches, list) {
		kmem_cache_get_info(c, &si);
		seq_buf_printf(s, "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata "
			       "%6lu %6lu %6lu\n", c->name, si.active_objs, si.num_objs,
			       c->stride, c->objects, 1 << c->order, c->limit, c->batch,
			       c->batch ? c->shared_limit / c->batch : 0, si.active_slabs, si.num_slabs,
			       si.shared_avail);
	}
	slab_unlock_irqrestore(&slab_caches_lock, flags);
}
DEBUGFS_FILE(slabinfo, "/proc/slabinfo", slabinfo_show);

/* kmem_cache_init: the cache of caches (static), then the kmalloc caches. Idempotent. */
void kmem_cache_init(void)
{
	if (kmem_cache_cache)
		return;
	if (__kmem_cache_setup(&kmem_cache_boot, "kmem_cache", sizeof(struct kmem_cache_unit), 0,
			       SLAB_HWCACHE_ALIGN, NULL))
		panic("kmem_cache_init: cannot set up kmem_cache");
	kmem_cache_boot.flags |= __SLAB_STATIC;
	kmem_cache_cache = &kmem_cache_boot;
	kmalloc_init();
}

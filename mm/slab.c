/* slab.c: object caches on top of the buddy allocator — per-CPU arrays, partial lists, /proc/slabinfo. */
#include "slab_internal.h"
#include <mm/vmstat.h>
#include <kernel/bug.h>
#include <kernel/debugfs.h>
#include <kernel/printk.h>
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
 * a LIFO): kmem_cache_alloc pops, kmem_cache_free pushes; the array is refilled
 * from / flushed to the slabs `batch` objects at a time. Slabs move between the
 * partial, full and empty lists; at most min_empty empty slabs (64 KiB at most)
 * are kept per cache, the rest go back to the buddy at once.
 *
 * Debug caches (SLAB_CONSISTENCY_CHECKS/RED_ZONE/POISON/STORE_USER, or
 * slub_debug=) bypass the per-CPU arrays so that every operation is checked
 * (mm/slab_debug.c); their object layout, from the start of each stride:
 *   [left red zone: red_left][object: inuse][right red zone: 1 word]
 *   [free pointer, if poisoned or constructed][alloc track][free track][pad]
 * Without debugging the stride is just the object rounded to its alignment and
 * the free pointer sits in the middle of the free object.
 *
 * Concurrency: pagoda's memory management runs on the boot CPU with no
 * interrupt handler allocating, so there is no lock; SLAB_NR_CPUS is 1.
 */

LIST_HEAD(slab_caches);
static struct kmem_cache kmem_cache_boot;	/* the cache struct kmem_cache comes from */
static struct kmem_cache *kmem_cache_cache;
static unsigned long slab_seed = (unsigned long)0x5bd1e9955bd1e995ULL;	/* truncated on 32-bit */

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

/* Smallest order that wastes at most 1/8 of the slab and holds a few objects. */
static void calculate_order(struct kmem_cache *c)
{
	unsigned int order, min_objs = c->stride >= 1024 ? 4 : 8;

	for (order = 0; order < SLAB_MAX_ORDER; order++) {
		unsigned long bytes = PAGE_SIZE << order;
		unsigned long n = bytes / c->stride, waste = bytes - n * c->stride;

		if (n >= min_objs && waste * 8 <= bytes)
			break;
	}
	c->order = order;
	c->objects = min((PAGE_SIZE << order) / c->stride, 1024UL);
	c->reciprocal = (u32)(((1ULL << 32) + c->stride - 1) / c->stride);
}

/*
 * Per-CPU arrays: about SLAB_CPU_BYTES of objects each (16..SLAB_CPU_MAX), so
 * bursts of frees and allocations stay off the slab lists. Debug caches have
 * none: every operation is checked.
 */
static void set_cpu_limits(struct kmem_cache *c)
{
	unsigned int limit = clamp(SLAB_CPU_BYTES / c->object_size, 16U, (unsigned int)SLAB_CPU_MAX);
	unsigned int i;

	if (cache_debug(c))
		limit = 0;
	for (i = 0; i < SLAB_NR_CPUS; i++) {
		c->cpu[i].avail = 0;
		c->cpu[i].limit = limit;
		c->cpu[i].batch = (limit + 1) / 2;
	}
}

/* __kmem_cache_setup: fills in c for kmem_cache_create and the static kmalloc caches. */
int __kmem_cache_setup(struct kmem_cache *c, const char *name, unsigned int size,
		       unsigned int align, unsigned int flags, void (*ctor)(void *))
{
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
	slab_seed = mix_secret(slab_seed ^ (unsigned long)c);
	c->secret = slab_seed;
	/* enough empty slabs to refill the per-CPU array twice, but at most 64 KiB of them */
	c->min_empty = clamp(DIV_ROUND_UP(2 * c->cpu[0].limit, c->objects), 1U,
			     max(1U, 16U >> c->order));
	INIT_LIST_HEAD(&c->partial);
	INIT_LIST_HEAD(&c->full);
	INIT_LIST_HEAD(&c->empty);
	list_add_tail(&c->list, &slab_caches);
	return 0;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     unsigned int flags, void (*ctor)(void *))
{
	struct kmem_cache *c = NULL;

	if (kmem_cache_cache && name)
		c = kmem_cache_alloc(kmem_cache_cache, GFP_KERNEL);
	if (c && __kmem_cache_setup(c, name, size, align, flags, ctor)) {
		kmem_cache_free(kmem_cache_cache, c);
		c = NULL;
	}
	if (!c && (flags & SLAB_PANIC))
		panic("kmem_cache_create: cannot create cache %s", name ? name : "(null)");
	if (!c)
		pr_err("kmem_cache_create(%s) failed: size %u align %u\n", name ? name : "(null)",
		       size, align);
	return c;
}

/* Slab lists: a slab is on empty (inuse 0), full (inuse == objects) or partial. */
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

static void account_slab(struct kmem_cache *c, long pages)
{
	mod_node_page_state(c->flags & SLAB_RECLAIM_ACCOUNT ? NR_SLAB_RECLAIMABLE
			    : NR_SLAB_UNRECLAIMABLE, pages);
}

/* new_slab: pages from the buddy, every object chained on the freelist (and constructed). */
static struct page *new_slab(struct kmem_cache *c, gfp_t gfp)
{
	/* slabs live in the linear map: never highmem */
	struct page *pg = alloc_pages((gfp & ~(__GFP_ZERO | __GFP_HIGHMEM)) | (c->order ? __GFP_COMP : 0),
				      c->order);
	unsigned int i;

	if (!pg)
		return NULL;
	SetPageFlag(pg, PG_slab);
	pg->slab_cache = c;
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
	list_add(&pg->lru, &c->empty);
	c->nr_empty++;
	account_slab(c, 1L << c->order);
	return pg;
}

/* discard_slab: gives an empty slab back to the buddy. */
static void discard_slab(struct kmem_cache *c, struct page *pg)
{
	list_del(&pg->lru);
	c->nr_empty--;
	ClearPageFlag(pg, PG_slab);
	pg->slab_cache = NULL;
	pg->order = c->order;		/* inuse/freeidx shared the compound order */
	account_slab(c, -(1L << c->order));
	__free_pages(pg, c->order);
}

/*
 * slab_pop: takes the first free object of pg. A free pointer that does not
 * decode to an object of the same slab means the freelist was overwritten
 * (a use-after-free): reported, and the slab is isolated (treated as full) so
 * no wild pointer is ever handed out.
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

/* slab_push: puts obj back on its slab's freelist; keeps at most min_empty empty slabs. */
static void slab_push(struct kmem_cache *c, struct page *pg, void *obj)
{
	unsigned int old = pg->inuse;

	set_freeptr(c, obj, pg->freeidx == SLAB_NO_FREE ? NULL
		    : slab_object_at(c, slab_base_of(c, obj), pg->freeidx));
	pg->freeidx = (u16)obj_index(c, pg, obj);
	pg->inuse--;
	slab_relist(c, pg, old);
	if (!pg->inuse && c->nr_empty > c->min_empty)
		discard_slab(c, pg);
}

/* A slab with a free object: partial first (fills holes), then an empty one, then a new one. */
static struct page *get_slab(struct kmem_cache *c, gfp_t gfp)
{
	if (!list_empty(&c->partial))
		return list_first_entry(&c->partial, struct page, lru);
	if (!list_empty(&c->empty))
		return list_first_entry(&c->empty, struct page, lru);
	return new_slab(c, gfp);
}

/* cache_refill: moves up to batch objects from the slabs to the per-CPU array. */
static void *cache_refill(struct kmem_cache *c, struct kmem_cache_cpu *cpu, gfp_t gfp)
{
	while (cpu->avail < cpu->batch) {
		struct page *pg = get_slab(c, gfp);

		unsigned int old;
		void *base;

		if (!pg)
			break;
		old = pg->inuse;
		base = slab_base(pg);
		while (pg->freeidx != SLAB_NO_FREE && cpu->avail < cpu->batch)
			cpu->entry[cpu->avail++] = __slab_pop(c, pg, base);
		slab_relist(c, pg, old);
	}
	return cpu->avail ? cpu->entry[--cpu->avail] : NULL;
}

/* cache_flush: returns the n oldest objects of the per-CPU array to their slabs. */
static void cache_flush(struct kmem_cache *c, struct kmem_cache_cpu *cpu, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		slab_push(c, virt_to_slab_page(cpu->entry[i]), cpu->entry[i]);
	memmove(cpu->entry, cpu->entry + n, (cpu->avail - n) * sizeof(void *));
	cpu->avail -= n;
}

/* Debug caches: one object straight from a slab, checked (poison, red zones) and tracked. */
static void *debug_alloc(struct kmem_cache *c, gfp_t gfp, unsigned long caller)
{
	struct page *pg = get_slab(c, gfp);
	void *obj;

	if (!pg)
		return NULL;
	obj = slab_pop(c, pg);
	slab_debug_on_alloc(c, pg, obj, caller);
	return obj;
}

void *slab_alloc(struct kmem_cache *c, gfp_t gfp, unsigned long caller)
{
	struct kmem_cache_cpu *cpu = &c->cpu[0];
	void *obj;

	if (likely(cpu->avail))
		obj = cpu->entry[--cpu->avail];
	else if (unlikely(cache_debug(c)))
		obj = debug_alloc(c, gfp, caller);
	else
		obj = cache_refill(c, cpu, gfp);
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

/*
 * slab_free: obj must be in slab pg of cache c (the caller checked PG_slab and
 * the cache). Pointers that do not start an object, and a free of the object
 * freed just before, are reported and ignored; debug caches check everything.
 */
void slab_free(struct kmem_cache *c, struct page *pg, void *obj, unsigned long caller)
{
	struct kmem_cache_cpu *cpu = &c->cpu[0];

	if (unlikely(cache_debug(c))) {
		if (slab_debug_on_free(c, pg, obj, caller))
			slab_push(c, pg, obj);
		return;
	}
	if (unlikely(obj_index(c, pg, obj) < 0)) {
		slab_report(c, pg, obj, obj_index_containing(c, pg, obj) >= 0 ?
			    "Free of a pointer inside an object" : "Invalid object pointer", caller);
		slab_fix(c, "Object at 0x%lx not freed", (unsigned long)obj);
		return;
	}
	if (unlikely(cpu->avail && cpu->entry[cpu->avail - 1] == obj)) {
		slab_report(c, pg, obj, "Object already free", caller);
		slab_fix(c, "Object at 0x%lx not freed", (unsigned long)obj);
		return;
	}
	if (unlikely(cpu->avail >= cpu->limit))
		cache_flush(c, cpu, cpu->batch);
	cpu->entry[cpu->avail++] = obj;
}

__noinline void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	return slab_alloc_fast(c, gfp, _RET_IP_);
}

__noinline void *kmem_cache_zalloc(struct kmem_cache *c, gfp_t gfp)
{
	return slab_alloc_fast(c, gfp | __GFP_ZERO, _RET_IP_);	/* the same path, with its hook */
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

__noinline void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	struct page *pg;

	if (unlikely(!obj))
		return;
	pg = slab_page_checked(c, obj, _RET_IP_);
	if (!pg)
		return;
	if (unlikely(pg->slab_cache != c)) {
		pr_err("kmem_cache_free: Wrong slab cache. %s but object is from %s\n",
		       c->name, pg->slab_cache->name);
		slab_report(pg->slab_cache, pg, obj, "Free into the wrong cache", _RET_IP_);
		slab_fix(pg->slab_cache, "Object at 0x%lx not freed", (unsigned long)obj);
		return;
	}
	slab_free_fast(c, pg, obj, _RET_IP_);
}

/* Returns every per-CPU object to the slabs. */
static void flush_cpu_caches(struct kmem_cache *c)
{
	unsigned int i;

	for (i = 0; i < SLAB_NR_CPUS; i++)
		if (c->cpu[i].avail)
			cache_flush(c, &c->cpu[i], c->cpu[i].avail);
}

unsigned long kmem_cache_shrink(struct kmem_cache *c)
{
	unsigned long freed = 0;

	flush_cpu_caches(c);
	while (!list_empty(&c->empty)) {
		discard_slab(c, list_first_entry(&c->empty, struct page, lru));
		freed += 1UL << c->order;
	}
	return freed;
}

int kmem_cache_destroy(struct kmem_cache *c)
{
	struct page *pg;
	int leaked = 0;

	if (!c)
		return 0;
	if (c->flags & __SLAB_STATIC) {
		pr_err("kmem_cache_destroy %s: a boot cache (kmalloc, kmem_cache) is never destroyed\n",
		       c->name);
		return -1;
	}
	kmem_cache_shrink(c);
	list_for_each_entry(pg, &c->partial, lru)
		leaked += pg->inuse;
	list_for_each_entry(pg, &c->full, lru)
		leaked += pg->inuse;
	if (leaked) {
		slab_report(c, NULL, NULL, "Objects remaining on kmem_cache_destroy()", _RET_IP_);
		list_for_each_entry(pg, &c->partial, lru)
			slab_print_leaks(c, pg);
		list_for_each_entry(pg, &c->full, lru)
			slab_print_leaks(c, pg);
		pr_err("kmem_cache_destroy %s: Slab cache still has objects (%d)\n", c->name, leaked);
		return leaked;
	}
	list_del(&c->list);
	kmem_cache_free(kmem_cache_cache, c);
	return 0;
}

struct kmem_cache *kmem_cache_find(const char *name)
{
	struct kmem_cache *c;

	list_for_each_entry(c, &slab_caches, list)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

void kmem_cache_get_info(struct kmem_cache *c, struct slabinfo *si)
{
	struct page *pg;
	unsigned int i;

	memset(si, 0, sizeof(*si));
	list_for_each_entry(pg, &c->partial, lru)
		si->active_objs += pg->inuse;
	si->active_objs += c->nr_full * c->objects;
	si->active_slabs = c->nr_partial + c->nr_full;
	si->num_slabs = si->active_slabs + c->nr_empty;
	si->num_objs = si->num_slabs * c->objects;
	for (i = 0; i < SLAB_NR_CPUS; i++)
		si->cpu_objs += c->cpu[i].avail;
	si->active_objs -= si->cpu_objs;	/* free objects in the per-CPU arrays */
}

/*
 * /proc/slabinfo, version 2.1 (FORMATS.md). As in Linux, <objsize> is the size of an object with
 * its metadata (the stride); tunables are the per-CPU array's limit and batch.
 */
static void slabinfo_show(struct seq_buf *s)
{
	struct kmem_cache *c;
	struct slabinfo si;

	seq_buf_printf(s, "slabinfo - version: 2.1\n");
	seq_buf_printf(s, "# name            <active_objs> <num_objs> <objsize> <objperslab> "
		       "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata "
		       "<active_slabs> <num_slabs> <sharedavail>\n");
	list_for_each_entry(c, &slab_caches, list) {
		kmem_cache_get_info(c, &si);
		seq_buf_printf(s, "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata "
			       "%6lu %6lu %6lu\n", c->name, si.active_objs, si.num_objs,
			       c->stride, c->objects, 1 << c->order, c->cpu[0].limit,
			       c->cpu[0].batch, 0u, si.active_slabs, si.num_slabs, 0UL);
	}
}
DEBUGFS_FILE(slabinfo, "/proc/slabinfo", slabinfo_show);

/* kmem_cache_init: the cache of caches (static), then the kmalloc caches. Idempotent. */
void kmem_cache_init(void)
{
	if (kmem_cache_cache)
		return;
	if (__kmem_cache_setup(&kmem_cache_boot, "kmem_cache", sizeof(struct kmem_cache), 0,
			       SLAB_HWCACHE_ALIGN, NULL))
		panic("kmem_cache_init: cannot set up kmem_cache");
	kmem_cache_boot.flags |= __SLAB_STATIC;
	kmem_cache_cache = &kmem_cache_boot;
	kmalloc_init();
}

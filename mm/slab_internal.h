/* slab_internal.h: what mm/slab.c, mm/kmalloc.c and mm/slab_debug.c share about a slab's layout. */
#ifndef PAGODA_MM_SLAB_INTERNAL_H
#define PAGODA_MM_SLAB_INTERNAL_H

#include <mm/slab.h>
#include <mm/mm.h>
#include <mm/gfp.h>
#include <mm/fault-inject.h>

#define SLAB_NO_FREE	0xffffu		/* page->freeidx when the slab has no free object */
#define SLAB_MAX_ORDER	3		/* largest slab: 8 pages */
#define __SLAB_STATIC	0x80000000u	/* struct kmem_cache not from kmem_cache_cache */

extern struct list_head slab_caches;

/* mm/slab.c, for kmalloc.c */
int __kmem_cache_setup(struct kmem_cache *c, const char *name, unsigned int size,
		       unsigned int align, unsigned int flags, void (*ctor)(void *));
void *slab_alloc(struct kmem_cache *c, gfp_t gfp, unsigned long caller);
void slab_free(struct kmem_cache *c, struct page *pg, void *obj, unsigned long caller);
struct page *slab_page_checked(struct kmem_cache *c, const void *obj, unsigned long caller);
void kmalloc_init(void);

static inline unsigned long slab_bytes(const struct kmem_cache *c)
{
	return PAGE_SIZE << c->order;
}

/* The page that describes the slab holding addr (the head of a compound slab). */
static inline struct page *virt_to_slab_page(const void *addr)
{
	struct page *pg = virt_to_page(addr);

	return PageTail(pg) ? pg->compound_head : pg;
}

static inline void *slab_base(struct page *pg)
{
	return page_address(pg);
}

static inline void *slab_object(const struct kmem_cache *c, struct page *pg, unsigned int idx)
{
	return (char *)slab_base(pg) + c->red_left + (unsigned long)idx * c->stride;
}

/* Object idx of the slab whose base address is base (slab_base() without the struct page). */
static inline void *slab_object_at(const struct kmem_cache *c, void *base, unsigned int idx)
{
	return (char *)base + c->red_left + (unsigned long)idx * c->stride;
}

/* The base of the slab holding p: buddy blocks are naturally aligned in the linear map. */
static inline void *slab_base_of(const struct kmem_cache *c, const void *p)
{
	return (void *)((unsigned long)p & ~(slab_bytes(c) - 1));
}

/*
 * obj_index: index of the object that starts exactly at p in slab pg, or -1 if
 * p is not the start of an object (inside one, in a red zone, past the last).
 * The divide is a multiply by the reciprocal: exact for offsets below 2^16.
 */
static inline int obj_index(const struct kmem_cache *c, struct page *pg, const void *p)
{
	/* Buddy blocks are naturally aligned, in the linear map too: no page_address() needed. */
	unsigned long off = (unsigned long)p & (slab_bytes(c) - 1);
	unsigned long rel = off - c->red_left;
	unsigned int idx;

	if (unlikely(off < c->red_left))
		return -1;
	idx = (unsigned int)(((u64)rel * c->reciprocal) >> 32);
	if (unlikely(idx * c->stride != rel || idx >= c->objects))
		return -1;
	return (int)idx;
}

/* Index of the object that contains p (p may point inside it), or -1 outside any object. */
static inline int obj_index_containing(const struct kmem_cache *c, struct page *pg, const void *p)
{
	unsigned long off = (unsigned long)((const char *)p - (const char *)slab_base(pg));
	unsigned int idx;

	if (off < c->red_left)
		return -1;
	idx = (unsigned int)(((u64)(off - c->red_left) * c->reciprocal) >> 32);
	return idx < c->objects ? (int)idx : -1;
}

/* The per-CPU fast paths, inlined into kmalloc/kfree; everything else goes out of line. */
static __always_inline void *slab_alloc_fast(struct kmem_cache *c, gfp_t gfp, unsigned long caller)
{
	struct kmem_cache_cpu *cpu = &c->cpu[0];

	if (should_failslab(c, gfp))
		return NULL;
	if (likely(cpu->avail && !(gfp & __GFP_ZERO)))
		return cpu->entry[--cpu->avail];
	return slab_alloc(c, gfp, caller);
}

/* Pushes obj if the array has room, obj starts an object and is not the one freed just before. */
static __always_inline void slab_free_fast(struct kmem_cache *c, struct page *pg, void *obj,
					   unsigned long caller)
{
	struct kmem_cache_cpu *cpu = &c->cpu[0];
	unsigned int n = cpu->avail;

	if (likely(n < cpu->limit && (!n || cpu->entry[n - 1] != obj) && obj_index(c, pg, obj) >= 0)) {
		cpu->entry[n] = obj;
		cpu->avail = n + 1;
		return;
	}
	slab_free(c, pg, obj, caller);
}

/* Free pointers are stored as ptr ^ secret ^ byte-swapped(address where stored). */
static inline unsigned long freeptr_mangle(const struct kmem_cache *c, void *next, void *where)
{
	unsigned long w = (unsigned long)where;

	w = sizeof(long) == 8 ? (unsigned long)__builtin_bswap64(w) : __builtin_bswap32((u32)w);
	return (unsigned long)next ^ c->secret ^ w;
}

static inline void set_freeptr(const struct kmem_cache *c, void *obj, void *next)
{
	void *where = (char *)obj + c->fp_offset;

	*(unsigned long *)where = freeptr_mangle(c, next, where);
}

static inline void *get_freeptr(const struct kmem_cache *c, void *obj)
{
	void *where = (char *)obj + c->fp_offset;

	return (void *)freeptr_mangle(c, (void *)*(unsigned long *)where, where);
}

static inline bool cache_debug(const struct kmem_cache *c)
{
	return c->flags & SLAB_DEBUG_FLAGS;
}

/* mm/slab_debug.c: the checks and reports of debug caches. */
void slab_report(struct kmem_cache *c, struct page *pg, const void *obj, const char *msg,
		 unsigned long caller);
void slab_fix(struct kmem_cache *c, const char *fmt, ...) __printf(2, 3);
void slab_debug_init_object(struct kmem_cache *c, void *obj);
void slab_debug_on_alloc(struct kmem_cache *c, struct page *pg, void *obj, unsigned long caller);
bool slab_debug_on_free(struct kmem_cache *c, struct page *pg, void *obj, unsigned long caller);
int slab_debug_check_free_object(struct kmem_cache *c, struct page *pg, void *obj);
bool slab_on_freelist(struct kmem_cache *c, struct page *pg, void *obj);
void slab_print_leaks(struct kmem_cache *c, struct page *pg);

#endif

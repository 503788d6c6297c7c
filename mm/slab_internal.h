/* slab_internal.h: what mm/slab.c, mm/kmalloc.c and mm/slab_debug.c share about a slab's layout. */
#ifndef PAGODA_MM_SLAB_INTERNAL_H
#define PAGODA_MM_SLAB_INTERNAL_H

#include <mm/slab.h>
#include <mm/mm.h>
#include <mm/gfp.h>
#include <mm/fault-inject.h>
#include <mm/kasan.h>
#include <mm/kfence.h>
#include <mm/kmemleak.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>

#define SLAB_NO_FREE	0xffffu		/* page->freeidx when the slab has no free object */
#define SLAB_MAX_ORDER	3		/* largest slab: 8 pages */
#define __SLAB_STATIC	0x80000000u	/* struct kmem_cache not from kmem_cache_cache */

extern struct list_head slab_caches;	/* every cache; protected by slab_caches_lock */
extern spinlock_t slab_caches_lock;

/* mm/slab.c, for kmalloc.c */
int __kmem_cache_setup(struct kmem_cache *c, const char *name, unsigned int size,
		       unsigned int align, unsigned int flags, void (*ctor)(void *));
void *slab_alloc(struct kmem_cache *c, gfp_t gfp, unsigned long caller);
void slab_free(struct kmem_cache *c, struct page *pg, void *obj, unsigned long caller);
/* slab_free_direct: straight back to obj's slab under c->lock, past the per-CPU arrays (debug caches, KASAN's quarantine). */
void slab_free_direct(struct kmem_cache *c, struct page *pg, void *obj, unsigned long caller);
struct page *slab_page_checked(struct kmem_cache *c, const void *obj, unsigned long caller);
void kmalloc_init(void);
/* mm/kmalloc.c, for mm/slab_array.c: CPU cpu's array of c is now ac; if c is a kmalloc cache, its direct table follows. */
void kmalloc_set_cpu_array(const struct kmem_cache *c, unsigned int cpu, struct kmem_cache_cpu *ac);
/* mm/slab.c, for mm/slab_debug.c: c's empty slabs to the buddy. */
unsigned long slab_shrink_empty(struct kmem_cache *c);
/* mm/slab.c, for mm/slab_array.c: the n oldest objects of this CPU's array ac to the shared array or the slabs. */
void cache_flush(struct kmem_cache *c, struct kmem_cache_cpu *ac, unsigned int n);
/* Every CPU's array in a cache without arrays: limit 0 sends each operation to the slabs; never written. */
extern struct kmem_cache_cpu slab_no_array;

/* mm/slab_array.c: the per-CPU arrays' block, their growth by bursts and the reap (see there). */
int alloc_cpu_arrays(struct kmem_cache *c);
void free_cpu_arrays(struct kmem_cache *c);
bool cpu_array_note(const struct kmem_cache *c, struct kmem_cache_cpu *ac, int moved);
void cpu_array_grow(struct kmem_cache *c);
/* this CPU's array of c back to the slabs (on_each_cpu), a grown one's page to the buddy */
void slab_drain_cpu(struct kmem_cache *c);
cpumask_t slab_cpus_holding(struct kmem_cache *c);

static inline unsigned long slab_bytes(const struct kmem_cache *c)
{
	return PAGE_SIZE << c->order;
}

/* The page that describes the slab holding addr (the head of a compound slab). */
static inline struct page *virt_to_slab_page(const void *addr)
{
	struct page *pg = lowmem_virt_to_page(addr);	/* slab pages are lowmem */

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
 * p is not the start of an object of pg (inside one, in a red zone, past the
 * last, or in another block: a free pointer that a use-after-free overwrote
 * can have an object's offset in the wrong block). The divide is a multiply
 * by the reciprocal: exact for offsets below 2^16.
 */
static inline int obj_index(const struct kmem_cache *c, struct page *pg, const void *p)
{
	unsigned long off = (unsigned long)p - (unsigned long)slab_base(pg);
	unsigned long rel = off - c->red_left;
	unsigned int idx;

	if (unlikely(off >= slab_bytes(c) || off < c->red_left))
		return -1;
	idx = (unsigned int)(((u64)rel * c->reciprocal) >> 32);
	if (unlikely(idx * c->stride != rel || idx >= c->objects))
		return -1;
	return (int)idx;
}

/*
 * obj_starts: whether p is the start of an object of a cache without a left
 * red zone (every cache with per-CPU arrays), by one multiply: off is a
 * multiple of stride iff (u32)(off * ceil(2^32 / stride)) < ceil(2^32 /
 * stride) (Lemire, Kaser & Kurz's divisibility test; exact because offsets and
 * strides are below 2^16). False for a debug cache's objects: their slow path
 * checks them.
 */
static __always_inline bool obj_starts(const struct kmem_cache *c, const void *p)
{
	u32 off = (u32)(unsigned long)p & c->slab_mask;

	return off * c->reciprocal < c->reciprocal && off < c->obj_end;
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

/*
 * slab_irq_save/slab_irq_restore: local_irq_save/local_irq_restore that leave
 * the mask alone when interrupts are masked already (a cross call's function,
 * the shell today): the same contract, without a write of the interrupt mask,
 * which is not free on the A53 and costs QEMU's TCG a return to its main loop
 * on every write. slab_lock_irqsave/slab_unlock_irqrestore: the same around a
 * spinlock (spin_lock_irqsave's contract).
 */
static __always_inline unsigned long slab_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	if (!arch_irqs_disabled_flags(flags))
		flags = arch_local_irq_save();
	return flags;
}

static __always_inline void slab_irq_restore(unsigned long flags)
{
	if (!arch_irqs_disabled_flags(flags))
		arch_local_irq_restore(flags);
}

#define slab_lock_irqsave(lock, flags) \
	do { (flags) = slab_irq_save(); spin_lock(lock); } while (0)

static __always_inline void slab_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	slab_irq_restore(flags);
}

/* Whether an allocation with gfp may take a quick path at all (one load, no call). */
static __always_inline bool slab_alloc_quick_ok(gfp_t gfp)
{
	return !kasan_enabled() && !(gfp & __GFP_ZERO) && likely(!atomic_read(&slab_quick_off));
}

/*
 * quick_pop: the top of this CPU's array ac into *objp; interrupts masked.
 * false, with nothing changed, if ac is empty. A bool and not the object or
 * NULL, so that callers branch once: the compiler cannot know that an array
 * holds no NULL.
 */
static __always_inline bool quick_pop(struct kmem_cache_cpu *ac, void **objp)
{
	unsigned int avail = ac->avail;

	if (unlikely(!avail))
		return false;
	ac->avail = avail - 1;
	*objp = ac->entry[avail - 1];
	return true;
}

/*
 * The quick paths, the common case of kmalloc/kfree and kmem_cache_alloc/free:
 * an object popped from or pushed on this CPU's array when nothing else has to
 * happen — no KFENCE sample due, no fault injection armed, no kmemleak, not
 * KASAN, no zeroing; for a free, p starts an object and is not the one freed
 * just before on this CPU, and the array has room. No call inside, so the
 * functions they are inlined into save no registers on the way (the full
 * paths are out of line, entered only when these say no). NULL / false means
 * nothing was changed: take the full path, which checks and does everything.
 * Measured in the kernel (`bench slab_smp`, -icount): a kmalloc(64)+kfree
 * pair went from 156 to 105 instructions on arm64, 157 to 121 on x86; then
 * to 97 and 117 with kmalloc's direct table (struct slab_quick), to 83 and
 * 104 when KFENCE's per-CPU countdown gave way to its gate, and to 78 and 97
 * with kfree's one-bit page test and cpu_array_push's entry[-1].
 */
static __always_inline void *slab_alloc_quick(struct kmem_cache *c, gfp_t gfp)
{
	unsigned long flags;
	void *obj = NULL;

	if (!slab_alloc_quick_ok(gfp))
		return NULL;
	flags = slab_irq_save();
	quick_pop(c->cpu_cache[smp_processor_id()], &obj);
	slab_irq_restore(flags);
	return obj;
}

/*
 * cpu_array_push: p onto this CPU's array of c if p starts an object, the
 * array has room and p is not the object freed just before on this CPU
 * (interrupts masked around it). false, with nothing changed, otherwise.
 * With the array empty, entry[-1] is the header's last word (struct
 * kmem_cache_cpu keeps it there): batch, touched, streak and pad on 64-bit,
 * streak and pad on 32-bit; pad is 0, so it is never a kernel address. Were
 * it ever equal to p, the quick path would only decline and the full path
 * check p. This spares the test for an empty array: 2 instructions of a free
 * on arm64.
 */
static __always_inline bool cpu_array_push(struct kmem_cache *c, const void *p)
{
	struct kmem_cache_cpu *ac;
	unsigned long flags;
	bool done = false;
	unsigned int n;

	if (unlikely(!obj_starts(c, p)))
		return false;
	flags = slab_irq_save();
	ac = c->cpu_cache[smp_processor_id()];
	n = ac->avail;
	if (likely(n < ac->limit && ac->entry[(int)n - 1] != p)) {
		ac->entry[n] = (void *)p;
		ac->avail = n + 1;
		done = true;
	}
	slab_irq_restore(flags);
	return done;
}

/* p is an object of a slab of c (the caller checked PG_slab and slab_cache). */
static __always_inline bool slab_free_quick(struct kmem_cache *c, const void *p)
{
	if (kasan_enabled() || unlikely(atomic_read(&slab_quick_off)))
		return false;
	return cpu_array_push(c, p);
}

/*
 * The slab page of p if p can be a slab object here (linear map, PG_slab),
 * else NULL. What fails virt_addr_valid goes to the full path, which sorts it
 * out: NULL and ZERO_SIZE_PTR (the linear map starts far above them), which it
 * ignores, and KFENCE's objects, whose pool is vmalloc space (kfence_init
 * keeps KFENCE off otherwise). A page that is neither tail nor slab costs one
 * read of its flags. PG_slab is set on a slab's first page only, never with
 * PG_tail (mm/slab.c), so the common case tests the one bit.
 */
static __always_inline struct page *slab_page_quick(const void *p)
{
	struct page *pg;
	u32 flags;

	if (unlikely(!virt_addr_valid(p)))
		return NULL;
	pg = lowmem_virt_to_page(p);
	flags = READ_ONCE(pg->flags);
	if (likely(flags & 1u << PG_slab))
		return pg;
	if (!(flags & 1u << PG_tail))
		return NULL;
	pg = pg->compound_head;
	return likely(PageSlab(pg)) ? pg : NULL;
}

/*
 * slab_alloc_hooks: a full-path allocation's hooks before the array, in
 * Linux's order: fault injection first (to fail-nth and failsweep a KFENCE
 * sample is an allocation like any other), then KFENCE's gate. true when they
 * settled it: *objp is NULL (a forced failure) or KFENCE's object.
 */
static __always_inline bool slab_alloc_hooks(struct kmem_cache *c, size_t size, gfp_t gfp, void **objp)
{
	*objp = NULL;
	if (should_failslab(c, gfp))
		return true;
	*objp = kfence_alloc(c, size, gfp);
	return *objp != NULL;
}

/*
 * The per-CPU fast paths, inlined into kmalloc/kfree; everything else goes out
 * of line. This CPU's array, with interrupts masked (nothing else touches it:
 * no lock, no atomic); a cache with no array (limit 0) always takes the slow
 * path.
 */
static __always_inline void *slab_alloc_fast(struct kmem_cache *c, gfp_t gfp, unsigned long caller)
{
	struct kmem_cache_cpu *ac;
	unsigned long flags;
	void *obj = NULL;

	flags = slab_irq_save();
	ac = c->cpu_cache[smp_processor_id()];
	if (likely(ac->avail && !(gfp & __GFP_ZERO)))
		obj = ac->entry[--ac->avail];
	slab_irq_restore(flags);
	if (likely(obj))
		return obj;
	return slab_alloc(c, gfp, caller);
}

/* Pushes obj if the array has room, obj starts an object and is not the one freed just before. */
static __always_inline void slab_free_fast(struct kmem_cache *c, struct page *pg, void *obj,
					   unsigned long caller)
{
	if (kasan_slab_free(c, pg, obj, caller) || likely(cpu_array_push(c, obj)))
		return;
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

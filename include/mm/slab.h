/* slab.h: object caches (kmem_cache_*) and the kmalloc family, on top of the buddy allocator. */
#ifndef PAGODA_SLAB_H
#define PAGODA_SLAB_H

#include <types.h>
#include <compiler.h>
#include <lib/list.h>
#include <kernel/atomic.h>
#include <kernel/spinlock.h>
#include <asm/smp.h>

struct kunit;
struct seq_buf;

/* Cache flags (Linux's names and letters for slub_debug: F Z P U). */
#define SLAB_CONSISTENCY_CHECKS	0x00000100u	/* F: check every free (double free, bad pointer) */
#define SLAB_RED_ZONE		0x00000400u	/* Z: guard bytes before and after each object */
#define SLAB_POISON		0x00000800u	/* P: fill free objects with POISON_FREE, check on alloc */
#define SLAB_HWCACHE_ALIGN	0x00002000u	/* align objects to a cache line */
#define SLAB_PANIC		0x00040000u	/* kmem_cache_create panics on failure */
#define SLAB_STORE_USER		0x00010000u	/* U: remember the last alloc and free caller */
#define SLAB_RECLAIM_ACCOUNT	0x00020000u	/* pages count as SReclaimable */
#define SLAB_SKIP_KFENCE	0x04000000u	/* never served from the KFENCE pool (mm/kfence.c) */
#define SLAB_DEBUG_FLAGS	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

/* Byte patterns (Linux's values, so people who know them recognise a dump). */
#define POISON_INUSE		0x5a	/* allocated, never written by the user */
#define POISON_FREE		0x6b	/* freed */
#define POISON_END		0xa5	/* last byte of a poisoned object */
#define SLUB_RED_INACTIVE	0xbb	/* red zone of a free object */
#define SLUB_RED_ACTIVE		0xcc	/* red zone of an allocated object */

/* What a cache keeps free, in bytes of objects (mm/slab.c, "Budgets"). */
#define SLAB_SMALL_OBJECT	256	/* objects up to this size are small */
#define SLAB_CPU_BYTES		65536	/* a per-CPU array of small objects holds about this much */
#define SLAB_CPU_ARRAY_BYTES	4096	/* ... in an array of at most this size, header included */
#define SLAB_KEEP_BYTES		262144	/* small: shared array and empty slabs, each about this much */
#define SLAB_LARGE_BYTES	8192	/* larger objects: per-CPU array, shared array, empty slabs */
#define SLAB_CPU_MAX		((SLAB_CPU_ARRAY_BYTES - sizeof(struct kmem_cache_cpu)) / sizeof(void *))
#define SLAB_BURST_BYTES	(2u << 20)	/* a per-CPU array grown by bursts holds at most this much */
#define SLAB_BURST_OBJECTS	128	/* objects overflowed in a row that make a burst of frees */
#define L1_CACHE_BYTES		64

/*
 * The per-CPU fast path: a stack of free objects (Linux SLAB's array_cache).
 * Per-CPU: only its own CPU reads or writes it, with interrupts masked, and no
 * lock (a drain of CPU n's array runs on CPU n, through on_each_cpu). The
 * arrays of a cache are cache-line apart, so two CPUs never share a line.
 */
struct kmem_cache_cpu {
	unsigned int avail;	/* objects in entry[] */
	unsigned int limit;	/* objects it may hold: the cache's limit, more after a burst; 0: no array */
	u16 batch;		/* objects moved at once to/from the slabs: (limit + 1) / 2 */
	u16 touched;		/* a refill or an overflow since the last cache_reap (mm/slab_array.c) */
	u16 streak;		/* objects that left by the last overflows, with no refill since */
	u16 pad;		/* 0: with streak, the high half of the word cpu_array_push reads as entry[-1] */
	void *entry[];		/* the slots, right after the header: limit, or SLAB_CPU_MAX once grown */
};

/*
 * slab_quick: per CPU, kmalloc's direct table (mm/slab.c defines it). It gives
 * kmalloc(size) of sizes 1..256 this CPU's array of size's class in one load
 * from the size, where the class (a table), then the cache, then its array
 * were three dependent steps (mimalloc's pages_free_direct idea). Only its
 * own CPU touches it, with interrupts masked, except the boot CPU's fill when
 * the kmalloc caches are set up, before any other CPU runs. kmalloc_ac[i] is
 * always c->cpu_cache[cpu] of the cache of sizes 8i+1..8i+8 (slab_no_array
 * before that cache is set up): mm/slab_array.c changes both at once.
 */
#define KMALLOC_DIRECT_MAX	256	/* the largest size kmalloc's direct table serves */
struct slab_quick {
	struct kmem_cache_cpu *kmalloc_ac[KMALLOC_DIRECT_MAX / 8];	/* [i]: sizes 8i+1..8i+8 */
} __aligned(L1_CACHE_BYTES);
DECLARE_PER_CPU(struct slab_quick, slab_quick);

/* Last allocation or free of an object (SLAB_STORE_USER). */
struct slab_track {
	unsigned long addr;	/* caller (_RET_IP_) */
	unsigned long when;	/* the cache's operation counter at that time */
};

/*
 * A cache of equal-sized objects. Each slab is 2^order pages from the buddy;
 * struct page holds its state (PG_slab, slab_cache, inuse, freeidx, lru).
 * Object i lives at page_address(page) + i * stride + red_left; see mm/slab.c.
 */
struct kmem_cache {
	/*
	 * Per-CPU: CPU n's array (see struct kmem_cache_cpu). Installed before any
	 * other CPU can use the cache; changed after that only by CPU n itself, with
	 * interrupts and lock held, when a burst grows the array or a reap or drain
	 * shrinks it back (mm/slab_array.c). Another CPU reads it only under lock.
	 */
	struct kmem_cache_cpu *cpu_cache[CONFIG_NR_CPUS];
	/* Read-only once the cache is set up. */
	struct kmem_cache_cpu *shared;	/* the shared array; its contents under lock */
	u32 reciprocal;			/* ceil(2^32 / stride): offset -> index without a divide */
	u32 slab_mask;			/* slab bytes - 1 */
	u32 obj_end;			/* objects * stride: the end of the last object */
	unsigned int object_size;	/* what the user asked for */
	unsigned int inuse;		/* object_size rounded to a word: the object proper */
	unsigned int stride;		/* distance between objects (metadata included) */
	unsigned int align;
	unsigned int red_left;		/* left red zone = offset of the object in its stride */
	unsigned int fp_offset;		/* where a free object keeps its mangled free pointer */
	unsigned int track_offset;	/* two struct slab_track, if SLAB_STORE_USER */
	unsigned int order;		/* pages per slab = 1 << order */
	unsigned int objects;		/* objects per slab */
	unsigned int flags;
	unsigned int limit, batch;	/* every per-CPU array's capacity and batch (0, 0: none) */
	unsigned int shared_limit;	/* the shared array's capacity (0: none) */
	unsigned int burst_limit;	/* the most a CPU's array may grow to in a burst of frees (mm/slab_array.c) */
	unsigned long secret;		/* free-pointer mangling key */
	void (*ctor)(void *);
	const char *name;
	unsigned long min_empty;	/* empty slabs kept for reuse, at most */

	/*
	 * lock (Linux SLAB's kmem_cache_node list_lock) protects the shared
	 * array's contents, the slab lists, their counts, every slab's
	 * freelist, inuse and freeidx, and ops. Taken with interrupts masked,
	 * once per batch refill or flush. Lock order: slab_caches_lock -> cache
	 * lock; nothing is taken inside a cache lock (slabs are made and given
	 * back to the buddy with it dropped).
	 */
	spinlock_t lock;
	struct list_head partial;	/* slabs with free and used objects */
	struct list_head full;		/* slabs with no free object */
	struct list_head empty;		/* fully free slabs kept for reuse (at most min_empty) */
	unsigned long nr_partial, nr_full, nr_empty;
	unsigned long ops;		/* allocations + frees seen by the debug path */

	struct list_head list;		/* slab_caches; protected by slab_caches_lock */
	char name_buf[32];
};

/*
 * slab_quick_off: why kmalloc, kfree, kmem_cache_alloc and kmem_cache_free
 * must take their full paths (0: their quick paths may serve them). One word,
 * so the quick paths test every switch with one load (on make bench's x86
 * host each separate flag was one more load to be held up by a store of the
 * bench's that matched it in its low 12 bits). Each switch's owner sets and
 * clears its bit, atomically, when the switch changes: rarely (KFENCE's
 * gate, the most often, at most once a sample interval).
 */
#define SLAB_QUICK_KMEMLEAK	1	/* kmemleak tracks objects (mm/kmemleak.c) */
#define SLAB_QUICK_FAULT	2	/* fault injection is armed (mm/fault_inject.c) */
#define SLAB_QUICK_KFENCE	4	/* KFENCE's gate is open: the next allocation is its sample (mm/kfence.c) */
extern atomic_t slab_quick_off;

static inline void slab_quick_set(int bit, bool full_path)
{
	if (full_path)
		atomic_or(bit, &slab_quick_off);
	else
		atomic_andnot(bit, &slab_quick_off);
}

/* kmem_cache_init: the kmalloc caches and the cache of caches. Call after mem_init(). */
void kmem_cache_init(void);

/*
 * kmem_cache_create: a cache of size-byte objects aligned to align (0: a word;
 * SLAB_HWCACHE_ALIGN: a cache line). ctor, if given, runs once per object when
 * its slab is made, so objects must be freed in their constructed state.
 * Returns NULL on failure (or panics with SLAB_PANIC).
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     unsigned int flags, void (*ctor)(void *));
void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp);
void *kmem_cache_zalloc(struct kmem_cache *c, gfp_t gfp);
/* kmem_cache_free: a bad object (wrong cache, not an object, already free) is reported and ignored. */
void kmem_cache_free(struct kmem_cache *c, void *obj);
/*
 * kmem_cache_destroy: frees the cache. If objects are still allocated it reports
 * each of them ("Objects remaining in NAME on kmem_cache_destroy()") and keeps the
 * cache alive, as Linux does; returns the number of leaked objects (-1 for the
 * kmalloc caches and kmem_cache, which are never destroyed). KFENCE's objects
 * are not the slab's: those still allocated when the cache goes become
 * zombies (kfence_shutdown_cache), as in Linux, and a later use is reported.
 */
int kmem_cache_destroy(struct kmem_cache *c);
/*
 * kmem_cache_shrink: every CPU gives back its per-CPU objects (on_each_cpu: each
 * CPU drains its own array), then every empty slab goes back to the buddy;
 * returns the pages freed. Must not be called with interrupts masked by a
 * caller that holds a lock another CPU may wait for (it waits for every CPU).
 */
unsigned long kmem_cache_shrink(struct kmem_cache *c);
/* kmem_cache_shrink on every cache (mm/slab_debug.c); returns the pages freed. */
unsigned long kmem_cache_shrink_all(void);
/*
 * cache_reap: this CPU's per-CPU arrays that grew in a burst and were not
 * used since the last reap give back half (mm/slab_array.c); false if it had
 * to skip (another CPU held the list of caches). Interrupts masked.
 * slab_reap_tick: from each CPU's timer tick, a reap every 2 s of the counter;
 * slab_reap_tick_at: the same at counter value now (1 if it reaped, 0 if it
 * was not due, -EBUSY if it had to skip), and
 * slab_reap_set_due: this CPU's next reap's time (the old one returned), for
 * the suites.
 */
bool cache_reap(void);
void slab_reap_tick(void);
int slab_reap_tick_at(u64 now);
u64 slab_reap_set_due(u64 due);
/* slab_drain_grown: every CPU's grown arrays back to their caches' limits (the page allocator's last resort; cross call). */
void slab_drain_grown(void);
/* Whether CPU cpu's array of c grew past its place in the cache's block (for tests and the views). */
bool kmem_cache_cpu_grown(const struct kmem_cache *c, unsigned int cpu);
/*
 * Tests only (mm/slab_debug.c): after isolating a slab on purpose and freeing
 * all they held in it, frees the objects the isolation lost (see there).
 */
int kmem_cache_reclaim_isolated(struct kmem_cache *c, const void *obj);
/* kmem_cache_validate: checks every slab, free object, red zone and poison; returns errors found. */
int kmem_cache_validate(struct kmem_cache *c);
/* For tests: writes obj's free pointer as the slab would, pointing at next (a use-after-free that knows the encoding). */
void slab_set_freeptr(struct kmem_cache *c, void *obj, void *next);
/* Finds a cache by name (for tests and slub_debug); NULL if none. */
struct kmem_cache *kmem_cache_find(const char *name);

/* Statistics for /proc/slabinfo and the tests. */
struct slabinfo {
	unsigned long active_objs, num_objs, active_slabs, num_slabs, cpu_objs, shared_avail;
};
void kmem_cache_get_info(struct kmem_cache *c, struct slabinfo *si);

/*
 * kmalloc: sizes 1..8192 come from 25 kmalloc-N caches (8..256 as Linux's, then
 * 320, 384, 448, 512, 576, 896, 1024, ... 5440, 6528, 8192: classes that fill
 * their slabs), larger sizes are whole pages from the buddy, page-granular (see
 * mm/kmalloc.c).
 */
#define KMALLOC_MIN_SIZE	8
#define KMALLOC_MAX_CACHE_SIZE	8192
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(p)	((unsigned long)(p) <= (unsigned long)ZERO_SIZE_PTR)

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
/* kcalloc: n * size zeroed bytes; NULL if the product overflows. */
void *kcalloc(size_t n, size_t size, gfp_t gfp);
/* krealloc: grows or shrinks p keeping its contents; krealloc(NULL, n) = kmalloc; size 0 frees. */
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
void kfree(const void *p);
/* ksize: bytes usable at p (the size class, or the pages of a large allocation: PAGE_ALIGN(size)). */
size_t ksize(const void *p);
/* The cache kmalloc(size) uses, NULL for large sizes. */
struct kmem_cache *kmalloc_slab(size_t size);

/* slub_debug= handling (mm/slab_debug.c). setup_slub_debug is the early_param hook. */
int setup_slub_debug(const char *val);
unsigned int slub_debug_flags_for(const char *name);
/* The accepted slub_debug value, or NULL if none was given (tests save and restore it). */
const char *slub_debug_string(void);
/* "BUG cache: ..." reports printed so far (mm/slab_debug.c), for tests: a clean run adds none. */
extern atomic_t slab_report_count;
/* One boot line saying which slab debugging is on (nothing if none). */
void slub_debug_report(void);

#endif

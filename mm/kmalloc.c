/* kmalloc.c: kmalloc/kzalloc/kcalloc/krealloc/kfree/ksize — size classes on slab caches, big sizes page-granular on the buddy. */
#include "slab_internal.h"
#include <mm/kfence.h>
#include <mm/kmemleak.h>
#include <mm/vmstat.h>
#include <kernel/bug.h>
#include <kernel/printk.h>
#include <stdio.h>
#include <string.h>

/*
 * Size classes. Up to 256 bytes: 8, 16, 32, 64, 96, 128, 192, 256 (Linux's).
 * From 256 to 8192 bytes, 17 classes, three or four per power of two:
 *   320 384 448 512 | 576 896 1024 | 1152 1344 2048 | 2304 2688 3264 4096 | 5440 6528 8192
 * Why these and not jemalloc's 5/4, 6/4, 7/4 steps (320, 384, 448, 512, 640,
 * ..., 5120, 6144, 7168): a class is paid for twice, in rounding and in the
 * slab's tail. 5 x 2^k and 7 x 2^k never fill a slab (a 7168-byte class wastes
 * 4 KiB of each 32 KiB slab, 5120 and 6144 waste 2 KiB), and every extra cache
 * keeps its own free objects. These classes are multiples of 64 chosen to
 * fill the slab mm/slab.c gives them to within 1/16 (most to within 2%:
 * 5440 = 16 KiB / 3, 3264 = 16 KiB / 5, 1344 = 4 KiB / 3), with the powers of
 * two kept. Measured on make bench's mixed workload: power-of-two classes
 * 29.1 % rounding, jemalloc-style 10.0 % rounding + 6.2 % slab tails (31.6 %
 * overhead in all), these 12.5 % rounding + 0.4 % tails. With mm/slab.c's
 * budgets (small slabs and small arrays for objects over 256 bytes) the whole
 * overhead is 19.4 %. Finer still does not pay: adding 1792, 2944, 3584 and
 * 4672 (29 classes) cut rounding to 10.1 % but raised the rest from 6.9 % to
 * 10.0 % (20.1 % in all), because every class strands its own free objects in
 * its partial slabs and arrays; past this point a class costs about what it
 * saves.
 * Each class is a static kmem_cache named as Linux names its caches: kmalloc-N,
 * kmalloc-Nk when N is a whole number of KiB (kmalloc-320, kmalloc-1k, kmalloc-5440).
 *
 * Alignment: every class is aligned to the largest power of two dividing it,
 * so power-of-two sizes are naturally aligned (Linux's guarantee: kmalloc(512)
 * is 512-byte aligned, which is why 512, 1024, ... stay classes) and every
 * class from 64 bytes up is cache-line aligned (320 -> 64, 896 -> 128, 2304 -> 256).
 *
 * Above 8192 bytes a kmalloc is page-granular, not a power of two: the buddy
 * block that covers the size is split (split_page) and the pages past the end
 * go back at once (Linux's alloc_pages_exact idea), so a 20000-byte kmalloc
 * costs 5 pages, not 8. This keeps kmalloc memory physically contiguous and in
 * the linear map (no vmalloc: DMA and virt_to_phys users keep working) at the
 * price of a few order-0 frees per large allocation, which are rare. The first
 * page carries PG_large_kmalloc and the page count; the others are PG_tail
 * pointing at it, so kfree and ksize find the start from any byte.
 */
static const unsigned int kmalloc_sizes[] = {
	8, 16, 32, 64, 96, 128, 192, 256,
	320, 384, 448, 512, 576, 896, 1024, 1152, 1344, 2048, 2304, 2688, 3264, 4096,
	5440, 6528, 8192,
};
#define NR_KMALLOC_CACHES ARRAY_SIZE(kmalloc_sizes)
static struct kmem_cache kmalloc_caches[NR_KMALLOC_CACHES];
static bool kmalloc_ready;

/* Class index for sizes 1..256, by (size - 1) / 8 (Linux's size_index idea). */
static const u8 size_index[32] = {
	0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5,
	6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7,
};
/* Class index for sizes 257..8192, by (size - 1) / 64; filled by kmalloc_init from kmalloc_sizes. */
static u8 size_index_64[KMALLOC_MAX_CACHE_SIZE / 64];

static inline unsigned int kmalloc_index(size_t size)
{
	if (size <= 256)
		return size_index[(size - 1) / 8];
	return size_index_64[(size - 1) / 64];
}

/*
 * kmalloc_set_cpu_array: CPU cpu's array of c is ac from now on (c->cpu_cache[cpu]
 * was just set); if c is a kmalloc cache of sizes up to KMALLOC_DIRECT_MAX, the
 * entries of its sizes in cpu's direct table (struct slab_quick) follow. Called
 * where c->cpu_cache[cpu] may be written: on CPU cpu with interrupts masked, or
 * before any other CPU can use c.
 */
void kmalloc_set_cpu_array(const struct kmem_cache *c, unsigned int cpu, struct kmem_cache_cpu *ac)
{
	unsigned long off = (unsigned long)c - (unsigned long)kmalloc_caches, i = off / sizeof(*c);
	unsigned int j;

	if (off >= sizeof(kmalloc_caches))
		return;		/* not a kmalloc cache (below the array, the difference wrapped) */
	for (j = 0; j < ARRAY_SIZE(size_index); j++)
		if (size_index[j] == i)
			WRITE_ONCE(per_cpu(slab_quick, cpu).kmalloc_ac[j], ac);
}

struct kmem_cache *kmalloc_slab(size_t size)
{
	if (!size || size > KMALLOC_MAX_CACHE_SIZE || !kmalloc_ready)
		return NULL;
	return &kmalloc_caches[kmalloc_index(size)];
}

void kmalloc_init(void)
{
	unsigned int i, j;
	char name[24];

	BUILD_BUG_ON(ARRAY_SIZE(size_index) * 8 != 256 || KMALLOC_DIRECT_MAX != 256);
	for (i = 4, j = 8; i < ARRAY_SIZE(size_index_64); i++) {	/* 257..320 is entry 4 */
		while ((i + 1) * 64 > kmalloc_sizes[j])
			j++;
		size_index_64[i] = (u8)j;
	}
	for (i = 0; i < NR_KMALLOC_CACHES; i++) {
		unsigned int sz = kmalloc_sizes[i];

		if (sz % 1024)
			snprintf(name, sizeof(name), "kmalloc-%u", sz);
		else
			snprintf(name, sizeof(name), "kmalloc-%uk", sz / 1024);
		/* the table maps sz to this class and sz + 1 to the next; aligned to sz's lowest set bit */
		if (kmalloc_index(sz) != i ||
		    (sz < KMALLOC_MAX_CACHE_SIZE && kmalloc_index(sz + 1) != i + 1) ||
		    __kmem_cache_setup(&kmalloc_caches[i], name, sz, sz & -sz, 0, NULL))
			panic("kmalloc_init: cannot set up %s", name);
		kmalloc_caches[i].flags |= __SLAB_STATIC;
	}
	kmalloc_ready = true;
}

/* Smallest order whose block holds size bytes (Linux's get_order). */
static unsigned int large_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/*
 * A large kmalloc: the 2^order block that covers size, split, its tail freed;
 * the npages kept are marked (see the top of this file) and counted in
 * NR_KMALLOC_LARGE.
 */
static void *kmalloc_large(size_t size, gfp_t gfp)
{
	unsigned long npages = DIV_ROUND_UP(size, PAGE_SIZE), i;
	unsigned int order = large_order(size);
	struct page *pg;

	if (order >= MAX_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("kmalloc: %lu bytes is more than the buddy's largest block\n",
				(unsigned long)size);
		return NULL;
	}
	pg = alloc_pages(gfp & ~(__GFP_HIGHMEM | __GFP_COMP), order);	/* kmalloc memory is lowmem */
	if (!pg)
		return NULL;
	if (npages < (1UL << order)) {
		split_page(pg, order);
		for (i = npages; i < (1UL << order); i++)
			__free_page(pg + i);
	}
	for (i = 1; i < npages; i++) {
		SetPageFlag(pg + i, PG_tail);
		pg[i].compound_head = pg;
	}
	SetPageFlag(pg, PG_large_kmalloc);
	pg->private = npages;
	mod_node_page_state(NR_KMALLOC_LARGE, (long)npages);
	return kasan_kmalloc_large(page_address(pg), size, gfp);
}

/* Gives a large kmalloc's pages back: unmarked, then one at a time if it was split. */
static void kfree_large(struct page *pg)
{
	unsigned long npages = pg->private, i;
	unsigned int order = large_order(npages * PAGE_SIZE);

	for (i = 1; i < npages; i++) {
		ClearPageFlag(pg + i, PG_tail);
		pg[i].compound_head = NULL;
	}
	ClearPageFlag(pg, PG_large_kmalloc);
	pg->private = 0;
	mod_node_page_state(NR_KMALLOC_LARGE, -(long)npages);
	if (npages == (1UL << order)) {
		__free_pages(pg, order);	/* never split: one block */
		return;
	}
	for (i = 0; i < npages; i++)
		__free_page(pg + i);
}

static __always_inline void *__kmalloc(size_t size, gfp_t gfp, unsigned long caller)
{
	struct kmem_cache *c;
	void *p;

	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE)) {
		p = kmalloc_large(size, gfp);
	} else {
		c = &kmalloc_caches[kmalloc_index(size)];
		if (!slab_alloc_hooks(c, size, gfp, &p))
			p = kasan_kmalloc(c, slab_alloc_fast(c, gfp, caller), size, gfp);
	}
	kmemleak_alloc(p, size, 1, gfp);	/* large ones too: Linux tracks them the same way */
	return p;
}

/*
 * kmalloc's full path, out of line so that kmalloc's quick one saves no
 * registers; a stack trace taken inside (KASAN, kmemleak, page_owner, the
 * fault injector) shows it where it would show kmalloc, as Linux's show
 * __kmalloc.
 */
static __noinline void *__do_kmalloc(size_t size, gfp_t gfp, unsigned long caller)
{
	return __kmalloc(size, gfp, caller);
}

/*
 * kmalloc's quick path for sizes 1..KMALLOC_DIRECT_MAX: this CPU's array of
 * size's class straight from its direct table (struct slab_quick). false,
 * with nothing changed, when the full path must serve it.
 */
static __always_inline bool kmalloc_quick(size_t size, gfp_t gfp, void **objp)
{
	unsigned long flags;
	bool done;

	if (!slab_alloc_quick_ok(gfp))
		return false;
	flags = slab_irq_save();
	done = quick_pop(this_cpu_ptr(slab_quick)->kmalloc_ac[(size - 1) / 8], objp);
	slab_irq_restore(flags);
	return done;
}

/* A quick path (mm/slab_internal.h) when it can, the full one otherwise. */
__noinline void *kmalloc(size_t size, gfp_t gfp)
{
	void *p;

	if (likely(size - 1 < KMALLOC_DIRECT_MAX)) {
		if (likely(kmalloc_quick(size, gfp, &p)))
			return p;
	} else if (likely(size - 1 < KMALLOC_MAX_CACHE_SIZE) &&
		   likely(p = slab_alloc_quick(&kmalloc_caches[kmalloc_index(size)], gfp))) {
		return p;
	}
	return __do_kmalloc(size, gfp, _RET_IP_);
}

__noinline void *kzalloc(size_t size, gfp_t gfp)
{
	return __kmalloc(size, gfp | __GFP_ZERO, _RET_IP_);
}

__noinline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return __kmalloc(n * size, gfp | __GFP_ZERO, _RET_IP_);
}

/* Head page of a large allocation at p, or NULL after reporting a pointer kfree cannot take. */
static struct page *large_page_checked(const void *p, struct page *pg, unsigned long caller)
{
	if (!PageFlag(pg, PG_large_kmalloc)) {
		pr_err("BUG kfree: 0x%lx is neither a slab object nor a live kmalloc allocation "
		       "(caller 0x%lx)\n", (unsigned long)p, caller);
		return NULL;
	}
	if (page_address(pg) != p) {
		pr_err("BUG kfree: 0x%lx is inside the kmalloc allocation at 0x%lx (@offset=%lu, "
		       "caller 0x%lx)\n", (unsigned long)p, (unsigned long)page_address(pg),
		       (unsigned long)((const char *)p - (const char *)page_address(pg)), caller);
		return NULL;
	}
	return pg;
}

static void __kfree(const void *p, unsigned long caller)
{
	struct page *pg;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	if (unlikely(is_kfence_address(p))) {
		kmemleak_free(p);	/* a bad pointer is no tracked object: kfence reports it */
		return kfence_free(p, caller);
	}
	if (unlikely(!virt_addr_valid(p))) {
		pr_err("BUG kfree: 0x%lx is not in the linear map (caller 0x%lx)\n",
		       (unsigned long)p, caller);
		return;
	}
	pg = virt_to_slab_page(p);
	if (likely(PageSlab(pg))) {
		kmemleak_free(p);
		slab_free_fast(pg->slab_cache, pg, (void *)p, caller);
		return;
	}
	if (!large_page_checked(p, pg, caller))
		return;
	kmemleak_free(p);
	kfree_large(pg);
}

__noinline void kfree(const void *p)
{
	struct page *pg = slab_page_quick(p);

	if (likely(pg) && likely(slab_free_quick(pg->slab_cache, p)))
		return;
	__kfree(p, _RET_IP_);
}

size_t ksize(const void *p)
{
	struct page *pg;

	if (unlikely(is_kfence_address(p)))
		return kfence_ksize(p);
	if (ZERO_OR_NULL_PTR(p) || !virt_addr_valid(p))
		return 0;
	pg = virt_to_slab_page(p);
	if (PageSlab(pg))
		return kasan_ksize(p, pg->slab_cache->object_size);
	return kasan_ksize(p, PageFlag(pg, PG_large_kmalloc) ? PAGE_SIZE * pg->private : 0);
}

__noinline void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	size_t old;
	void *n;

	if (!new_size) {
		__kfree(p, _RET_IP_);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return __kmalloc(new_size, gfp, _RET_IP_);
	old = ksize(p);
	if (new_size <= old) {
		if (gfp & __GFP_ZERO)
			memset((char *)p + new_size, 0, old - new_size);
		kasan_krealloc(p, new_size);
		return (void *)p;
	}
	n = __kmalloc(new_size, gfp, _RET_IP_);
	if (!n)
		return NULL;	/* p stays valid, as in Linux */
	memcpy(n, p, old);
	if (gfp & __GFP_ZERO)
		memset((char *)n + old, 0, new_size - old);
	__kfree(p, _RET_IP_);
	return n;
}

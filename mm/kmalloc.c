/* kmalloc.c: kmalloc/kzalloc/kcalloc/krealloc/kfree/ksize — size classes on slab caches, big sizes on the buddy. */
#include "slab_internal.h"
#include <mm/vmstat.h>
#include <kernel/bug.h>
#include <kernel/printk.h>
#include <string.h>

/*
 * Classes 8, 16, 32, 64, 96, 128, 192, 256, ..., 8192 bytes, each a static
 * kmem_cache named kmalloc-N. Power-of-two classes are naturally aligned (a
 * kmalloc(64) is 64-byte aligned, as Linux guarantees); 96 and 192 are
 * 32- and 64-byte aligned. Anything larger than 8192 bytes is a compound
 * allocation from the buddy (PG_head, its order in page->order); kfree tells
 * the two apart by PG_slab.
 */
#define NR_KMALLOC_CACHES 13
static const unsigned int kmalloc_sizes[NR_KMALLOC_CACHES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};
static const char *const kmalloc_names[NR_KMALLOC_CACHES] = {
	"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96", "kmalloc-128",
	"kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k", "kmalloc-2k", "kmalloc-4k",
	"kmalloc-8k",
};
static struct kmem_cache kmalloc_caches[NR_KMALLOC_CACHES];
static bool kmalloc_ready;

/* Class index for sizes 1..192, by (size - 1) / 8 (Linux's size_index idea). */
static const u8 size_index[24] = {
	0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6,
};

static inline unsigned int kmalloc_index(size_t size)
{
	if (size <= 192)
		return size_index[(size - 1) / 8];
	/* 193..256 -> 7 (kmalloc-256), 257..512 -> 8, ... 4097..8192 -> 12 */
	return (unsigned int)(sizeof(long) * 8 - __builtin_clzl((unsigned long)size - 1)) - 1;
}

struct kmem_cache *kmalloc_slab(size_t size)
{
	if (!size || size > KMALLOC_MAX_CACHE_SIZE || !kmalloc_ready)
		return NULL;
	return &kmalloc_caches[kmalloc_index(size)];
}

void kmalloc_init(void)
{
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(size_index) * 8 != 192);
	for (i = 0; i < NR_KMALLOC_CACHES; i++) {
		unsigned int sz = kmalloc_sizes[i];
		unsigned int align = (sz & (sz - 1)) ? (sz & -sz) : sz;

		if (__kmem_cache_setup(&kmalloc_caches[i], kmalloc_names[i], sz, align, 0, NULL))
			panic("kmalloc_init: cannot set up %s", kmalloc_names[i]);
		kmalloc_caches[i].flags |= __SLAB_STATIC;
	}
	kmalloc_ready = true;
}

static unsigned int large_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* A large kmalloc: compound pages from the buddy, counted in NR_KMALLOC_LARGE. */
static void *kmalloc_large(size_t size, gfp_t gfp)
{
	unsigned int order = large_order(size);
	struct page *pg;

	if (order >= MAX_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("kmalloc: %lu bytes is more than the buddy's largest block\n",
				(unsigned long)size);
		return NULL;
	}
	pg = alloc_pages((gfp & ~__GFP_HIGHMEM) | __GFP_COMP, order);	/* kmalloc memory is lowmem */
	if (!pg)
		return NULL;
	mod_node_page_state(NR_KMALLOC_LARGE, 1L << order);
	return kasan_kmalloc_large(page_address(pg), size, gfp);
}

static __always_inline void *__kmalloc(size_t size, gfp_t gfp, unsigned long caller)
{
	struct kmem_cache *c;

	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large(size, gfp);
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	c = &kmalloc_caches[kmalloc_index(size)];
	return kasan_kmalloc(c, slab_alloc_fast(c, gfp, caller), size, gfp);
}

__noinline void *kmalloc(size_t size, gfp_t gfp)
{
	return __kmalloc(size, gfp, _RET_IP_);
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
	if (!PageHead(pg)) {
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
	if (unlikely(!virt_addr_valid(p))) {
		pr_err("BUG kfree: 0x%lx is not in the linear map (caller 0x%lx)\n",
		       (unsigned long)p, caller);
		return;
	}
	pg = virt_to_slab_page(p);
	if (likely(PageSlab(pg))) {
		slab_free_fast(pg->slab_cache, pg, (void *)p, caller);
		return;
	}
	if (!large_page_checked(p, pg, caller))
		return;
	mod_node_page_state(NR_KMALLOC_LARGE, -(1L << pg->order));
	__free_pages(pg, pg->order);
}

__noinline void kfree(const void *p)
{
	__kfree(p, _RET_IP_);
}

size_t ksize(const void *p)
{
	struct page *pg;

	if (ZERO_OR_NULL_PTR(p) || !virt_addr_valid(p))
		return 0;
	pg = virt_to_slab_page(p);
	if (PageSlab(pg))
		return kasan_ksize(p, pg->slab_cache->object_size);
	return kasan_ksize(p, PageHead(pg) ? PAGE_SIZE << pg->order : 0);
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

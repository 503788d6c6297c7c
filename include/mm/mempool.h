/* mempool.h: pools with a guaranteed reserve of elements, for allocations that must not fail. */
#ifndef PAGODA_MEMPOOL_H
#define PAGODA_MEMPOOL_H

#include <types.h>

typedef void *(mempool_alloc_t)(gfp_t gfp, void *pool_data);
typedef void (mempool_free_t)(void *element, void *pool_data);

/*
 * A pool keeps min_nr elements in reserve. mempool_alloc asks the underlying
 * allocator first and dips into the reserve only when that fails; mempool_free
 * refills the reserve before it gives anything back. pagoda does not sleep, so
 * where Linux would wait for an element to be freed, mempool_alloc returns NULL.
 */
typedef struct mempool {
	int min_nr;		/* reserve size */
	int curr_nr;		/* elements in the reserve now */
	void **elements;
	void *pool_data;
	mempool_alloc_t *alloc;
	mempool_free_t *free;
	unsigned long reserve_hits;	/* allocations served from the reserve */
} mempool_t;

/* mempool_create: fills the reserve at once; NULL if that fails (nothing is left allocated). */
mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			  void *pool_data);
/* mempool_destroy: frees the reserve; elements still out are reported (they leak). */
void mempool_destroy(mempool_t *pool);
void *mempool_alloc(mempool_t *pool, gfp_t gfp);
void mempool_free(void *element, mempool_t *pool);

/* Ready-made element allocators: a slab cache (pool_data = the cache) or kmalloc (= the size). */
void *mempool_alloc_slab(gfp_t gfp, void *pool_data);
void mempool_free_slab(void *element, void *pool_data);
void *mempool_kmalloc(gfp_t gfp, void *pool_data);
void mempool_kfree(void *element, void *pool_data);
struct kmem_cache;
mempool_t *mempool_create_slab_pool(int min_nr, struct kmem_cache *cache);
mempool_t *mempool_create_kmalloc_pool(int min_nr, size_t size);

#endif

/* mempool.c: element pools with a reserve that allocation failures fall back on (Linux's mempool). */
#include <mm/mempool.h>
#include <mm/slab.h>
#include <mm/gfp.h>
#include <kernel/printk.h>

mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			  void *pool_data)
{
	mempool_t *pool;

	if (min_nr < 0 || !alloc_fn || !free_fn)
		return NULL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	pool->elements = kcalloc(min_nr ? (size_t)min_nr : 1, sizeof(void *), GFP_KERNEL);
	pool->min_nr = min_nr;
	pool->alloc = alloc_fn;
	pool->free = free_fn;
	pool->pool_data = pool_data;
	while (pool->elements && pool->curr_nr < min_nr) {
		void *e = alloc_fn(GFP_KERNEL, pool_data);

		if (!e)
			break;
		pool->elements[pool->curr_nr++] = e;
	}
	if (!pool->elements || pool->curr_nr < min_nr) {
		pool->min_nr = pool->curr_nr;	/* elements it never got are not "never returned" */
		mempool_destroy(pool);
		return NULL;
	}
	return pool;
}

void mempool_destroy(mempool_t *pool)
{
	if (!pool)
		return;
	if (pool->elements && pool->curr_nr < pool->min_nr)
		pr_warn("mempool_destroy: %d of %d reserved elements were never returned\n",
			pool->min_nr - pool->curr_nr, pool->min_nr);
	while (pool->curr_nr)
		pool->free(pool->elements[--pool->curr_nr], pool->pool_data);
	kfree(pool->elements);
	kfree(pool);
}

/* mempool_alloc: the allocator first (quietly), then the reserve; NULL only when both are empty. */
void *mempool_alloc(mempool_t *pool, gfp_t gfp)
{
	void *e = pool->alloc(gfp | __GFP_NOWARN, pool->pool_data);

	if (e)
		return e;
	if (!pool->curr_nr)
		return NULL;
	pool->reserve_hits++;
	return pool->elements[--pool->curr_nr];
}

/* mempool_free: refills the reserve first, so the next shortage is covered again. */
void mempool_free(void *element, mempool_t *pool)
{
	if (!element)
		return;
	if (pool->curr_nr < pool->min_nr) {
		pool->elements[pool->curr_nr++] = element;
		return;
	}
	pool->free(element, pool->pool_data);
}

void *mempool_alloc_slab(gfp_t gfp, void *pool_data)
{
	return kmem_cache_alloc(pool_data, gfp);
}

void mempool_free_slab(void *element, void *pool_data)
{
	kmem_cache_free(pool_data, element);
}

void *mempool_kmalloc(gfp_t gfp, void *pool_data)
{
	return kmalloc((size_t)pool_data, gfp);
}

void mempool_kfree(void *element, void *pool_data)
{
	kfree(element);
}

mempool_t *mempool_create_slab_pool(int min_nr, struct kmem_cache *cache)
{
	return mempool_create(min_nr, mempool_alloc_slab, mempool_free_slab, cache);
}

mempool_t *mempool_create_kmalloc_pool(int min_nr, size_t size)
{
	return mempool_create(min_nr, mempool_kmalloc, mempool_kfree, (void *)size);
}

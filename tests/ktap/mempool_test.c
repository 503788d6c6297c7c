/* mempool_test.c: KTAP suite for mempools — the reserve is there when the allocator fails, and refills. */
#include <kernel/kunit.h>
#include <mm/mempool.h>
#include <mm/slab.h>
#include <mm/mm.h>
#include <string.h>
#include <test_machine.h>

static int mempool_suite_init(void)
{
	if (mm_test_machine())
		return 1;
	kmem_cache_init();
	return 0;
}

/* An element allocator that can be told to fail, standing in for memory pressure. */
static bool pressure;
static int outstanding;
static void *flaky_alloc(gfp_t gfp, void *data)
{
	void *p;

	if (pressure)
		return NULL;
	p = kmalloc((size_t)data, gfp);
	outstanding += p != NULL;
	return p;
}

static void flaky_free(void *e, void *data)
{
	outstanding--;
	kfree(e);
}

/* Under pressure exactly min_nr allocations succeed (from the reserve), then NULL. */
static void reserve_under_pressure(struct kunit *test)
{
	mempool_t *pool;
	void *e[8];
	int i;

	pressure = false;
	outstanding = 0;
	pool = mempool_create(4, flaky_alloc, flaky_free, (void *)128);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 4);
	KUNIT_EXPECT_EQ(test, outstanding, 4);
	pressure = true;
	for (i = 0; i < 4; i++) {
		e[i] = mempool_alloc(pool, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, e[i]);
		memset(e[i], i, 128);
	}
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 0);
	KUNIT_EXPECT_EQ(test, pool->reserve_hits, 4);
	KUNIT_EXPECT_NULL(test, mempool_alloc(pool, GFP_KERNEL));
	/* frees refill the reserve first: the allocator gets nothing back */
	mempool_free(e[0], pool);
	mempool_free(e[1], pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	KUNIT_EXPECT_EQ(test, outstanding, 4);
	e[0] = mempool_alloc(pool, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, e[0]);
	mempool_free(e[0], pool);
	mempool_free(e[2], pool);
	mempool_free(e[3], pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 4);
	mempool_destroy(pool);
	KUNIT_EXPECT_EQ(test, outstanding, 0);
	pressure = false;
}

/* Without pressure the allocator serves and frees beyond the reserve go straight back to it. */
static void normal_operation(struct kunit *test)
{
	mempool_t *pool;
	void *e[16];
	int i;

	outstanding = 0;
	pool = mempool_create(2, flaky_alloc, flaky_free, (void *)64);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	for (i = 0; i < 16; i++)
		e[i] = mempool_alloc(pool, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	KUNIT_EXPECT_EQ(test, pool->reserve_hits, 0);
	KUNIT_EXPECT_EQ(test, outstanding, 18);
	for (i = 0; i < 16; i++)
		mempool_free(e[i], pool);
	KUNIT_EXPECT_EQ(test, outstanding, 2);
	mempool_destroy(pool);
	KUNIT_EXPECT_EQ(test, outstanding, 0);
}

/* Slab and kmalloc pools: elements of the right size, everything back on destroy. */
static void slab_and_kmalloc_pools(struct kunit *test)
{
	struct kmem_cache *c = kmem_cache_create("test-pool", 72, 0, 0, NULL);
	mempool_t *sp, *kp;
	struct slabinfo si;
	void *a, *b;

	KUNIT_ASSERT_NOT_NULL(test, c);
	sp = mempool_create_slab_pool(8, c);
	kp = mempool_create_kmalloc_pool(3, 500);
	if (!sp || !kp) {	/* undo what was made before asserting */
		mempool_destroy(sp);
		mempool_destroy(kp);
		kmem_cache_destroy(c);
	}
	KUNIT_ASSERT_NOT_NULL(test, sp);
	KUNIT_ASSERT_NOT_NULL(test, kp);
	kmem_cache_get_info(c, &si);
	KUNIT_EXPECT_EQ(test, si.active_objs, 8);
	a = mempool_alloc(sp, GFP_KERNEL);
	b = mempool_alloc(kp, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, ksize(a), 72);
	KUNIT_EXPECT_EQ(test, ksize(b), 512);
	mempool_free(a, sp);
	mempool_free(b, kp);
	mempool_destroy(sp);
	mempool_destroy(kp);
	kmem_cache_get_info(c, &si);
	KUNIT_EXPECT_EQ(test, si.active_objs, 0);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
	KUNIT_EXPECT_NULL(test, mempool_create(-1, flaky_alloc, flaky_free, NULL));
}

/* A pool whose reserve cannot be filled is not created, and leaves nothing allocated. */
static void create_fails_cleanly(struct kunit *test)
{
	outstanding = 0;
	pressure = true;
	KUNIT_EXPECT_NULL(test, mempool_create(4, flaky_alloc, flaky_free, (void *)32));
	pressure = false;
	KUNIT_EXPECT_EQ(test, outstanding, 0);
}

kunit_test_suite_init(mempool, mempool_suite_init, NULL,
	KUNIT_CASE(reserve_under_pressure),
	KUNIT_CASE(normal_operation),
	KUNIT_CASE(slab_and_kmalloc_pools),
	KUNIT_CASE(create_fails_cleanly));

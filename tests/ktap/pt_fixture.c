/* pt_fixture.c: private test contexts over pools of the one table-page allocator (mm/pgalloc.c). */
#include "pt_fixture.h"
#include <mm/vmstat.h>

static long pt_stat0;	/* NR_PAGETABLE when the fixture context was made */

int pt_fixture_init(struct kunit *test, struct mm_ctx *ctx, struct pt_pool *pool, vaddr_t base)
{
	pt_stat0 = global_node_page_state(NR_PAGETABLE);
	if (pool) {
		pool->fail_after = -1;
		KUNIT_EXPECT_EQ(test, pt_pool_in_use(pool), 0U);
	}
	return mm_ctx_init(ctx, base, PT_FIXTURE_SIZE, pool);
}

long pt_fixture_nr_pagetable(void)
{
	return global_node_page_state(NR_PAGETABLE) - pt_stat0;
}

void pt_fixture_done(struct kunit *test, struct mm_ctx *ctx)
{
	struct pt_pool *pool = ctx->pt_pool;

	mm_ctx_destroy(ctx);
	KUNIT_EXPECT_EQ(test, ctx->nr_tables, 0UL);
	if (pool)
		KUNIT_EXPECT_EQ(test, pt_pool_in_use(pool), 0U);
	KUNIT_EXPECT_EQ(test, global_node_page_state(NR_PAGETABLE), pt_stat0);
}

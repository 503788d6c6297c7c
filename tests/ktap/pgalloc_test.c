/* pgalloc_test.c: KTAP suite for the one table-page allocator — pool, fallback, lowmem, accounting. */
#include <kernel/kunit.h>
#include <mm/memblock.h>
#include <mm/mm.h>
#include <mm/pgalloc.h>
#include "pt_fixture.h"
#include <test_machine.h>
#include <string.h>

/*
 * Runs against the live allocator (the kernel's buddy, or the host's simulated
 * machine): memblock is retired there, so what a pool cannot give comes from
 * the buddy. The pools' made-up PAs sit at 1 TiB, above any RAM the tests run
 * with, so no buddy page can be mistaken for a pool page.
 */
#define T_BASE		((vaddr_t)(sizeof(vaddr_t) == 8 ? 0xffff000000000000ULL : 0))
#define POOL_PA		(1ULL << 40)
#define LOWMEM_TABLES	64

DEFINE_PT_POOL(fallback_pool, 2, POOL_PA);
DEFINE_PT_POOL(exclusive_pool, 2, POOL_PA);
DEFINE_PT_POOL(boot_like_pool, 1, POOL_PA);
static struct memblock_state mb_saved;

static int pgalloc_init(void)
{
	return mm_test_machine();
}

/* Expects the table page at va/pa to be a zeroed buddy page in lowmem, below 4 GiB, marked PG_pgtable. */
static void expect_buddy_table(struct kunit *test, struct mm_ctx *ctx, const u8 *va, paddr_t pa)
{
	struct page *p = phys_to_page(pa);
	unsigned int i, nonzero = 0;

	KUNIT_EXPECT_TRUE(test, pa < POOL_PA);
	KUNIT_EXPECT_TRUE(test, pa < 0x100000000ULL);	/* QEMU 7.2 reads x86 tables only below 4 GiB */
	KUNIT_EXPECT_FALSE(test, PageHighMem(p));
	KUNIT_EXPECT_TRUE(test, PageFlag(p, PG_pgtable));
	KUNIT_EXPECT_TRUE(test, pagetable_va(ctx, pa) == (void *)va);
	for (i = 0; i < PAGE_SIZE; i++)
		nonzero += va[i] != 0;
	KUNIT_EXPECT_EQ(test, nonzero, 0U);
}

/* A pool that runs dry hands over to the buddy; both kinds go back where they came from. */
static void pool_falls_back_to_buddy(struct kunit *test)
{
	struct mm_ctx ctx;
	paddr_t pa1, pa2;
	void *t1, *t2;

	fallback_pool.exclusive = false;
	KUNIT_ASSERT_EQ(test, pt_fixture_init(test, &ctx, &fallback_pool, T_BASE), 0);
	KUNIT_EXPECT_EQ(test, ctx.root_pa, POOL_PA);	/* lowest pool page first */
	t1 = pagetable_alloc(&ctx, &pa1);
	t2 = pagetable_alloc(&ctx, &pa2);
	KUNIT_ASSERT_NOT_NULL(test, t1);
	KUNIT_ASSERT_NOT_NULL(test, t2);
	KUNIT_EXPECT_EQ(test, pa1, POOL_PA + PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, pagetable_va(&ctx, pa1) == t1);
	KUNIT_EXPECT_EQ(test, pt_pool_in_use(&fallback_pool), 2U);
	expect_buddy_table(test, &ctx, t2, pa2);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, 3UL);
	KUNIT_EXPECT_EQ(test, pt_fixture_nr_pagetable(), 3L);
	pagetable_free(&ctx, t2, pa2);
	KUNIT_EXPECT_FALSE(test, PageFlag(phys_to_page(pa2), PG_pgtable));
	pagetable_free(&ctx, t1, pa1);
	KUNIT_EXPECT_EQ(test, pt_pool_in_use(&fallback_pool), 1U);
	pt_fixture_done(test, &ctx);
}

/* An exclusive pool that runs dry is out of tables: NULL, and nothing counted. */
static void exclusive_pool_runs_dry(struct kunit *test)
{
	struct mm_ctx ctx;
	paddr_t pa, pa_none;
	void *t;

	KUNIT_ASSERT_EQ(test, pt_fixture_init(test, &ctx, &exclusive_pool, T_BASE), 0);
	t = pagetable_alloc(&ctx, &pa);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_NULL(test, pagetable_alloc(&ctx, &pa_none));
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, 2UL);
	KUNIT_EXPECT_EQ(test, pt_fixture_nr_pagetable(), 2L);
	KUNIT_EXPECT_EQ(test, pa, POOL_PA + PAGE_SIZE);
	pagetable_free(&ctx, t, pa);
	pt_fixture_done(test, &ctx);
}

/*
 * Boot order: pool, then memblock while it is not retired. The test lends
 * memblock 4 pages it took from the buddy (junk-filled, so zeroing shows), and
 * puts the live memblock back afterwards.
 */
static void memblock_between_pool_and_buddy(struct kunit *test)
{
	struct page *block = alloc_pages(GFP_KERNEL, 2);
	struct mm_ctx ctx;
	paddr_t base, pa = 0;
	const char *owner;
	u8 *t;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, block);
	base = page_to_phys(block);
	memset(page_address(block), 0xa5, 4 * PAGE_SIZE);
	memblock_save(&mb_saved);
	memblock_reset();
	memblock_add(base, 4 * PAGE_SIZE);
	pagetable_memblock_ready();	/* the kernel's RAM is final already; the host's is this */
	boot_like_pool.exclusive = false;
	err = pt_fixture_init(test, &ctx, &boot_like_pool, T_BASE);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (!err) {
		t = pagetable_alloc(&ctx, &pa);
		KUNIT_EXPECT_NOT_NULL(test, t);
		KUNIT_EXPECT_TRUE(test, pa >= base && pa < base + 4 * PAGE_SIZE);
		owner = memblock_reserved_owner(pa);
		KUNIT_EXPECT_STREQ(test, owner ? owner : "(not reserved)", "pgtable");
		KUNIT_EXPECT_TRUE(test, t == __va(pa) && pagetable_va(&ctx, pa) == (void *)t);
		KUNIT_EXPECT_TRUE(test, t && t[0] == 0 && t[PAGE_SIZE - 1] == 0);
		if (t)
			pagetable_free(&ctx, t, pa);
		KUNIT_EXPECT_FALSE(test, memblock_is_reserved(pa));
		pt_fixture_done(test, &ctx);
	}
	memblock_restore(&mb_saved);
	__free_pages(block, 2);
}

/*
 * Without a pool every table comes from the buddy, and never from HighMem
 * (x86 -m 2048 has 1.1 GiB of it: a __GFP_HIGHMEM here would show).
 */
static void buddy_tables_are_lowmem(struct kunit *test)
{
	static void *va[LOWMEM_TABLES];
	static paddr_t pa[LOWMEM_TABLES];
	struct mm_ctx ctx;
	unsigned int i, n;

	KUNIT_ASSERT_EQ(test, pt_fixture_init(test, &ctx, NULL, T_BASE), 0);
	expect_buddy_table(test, &ctx, (const u8 *)ctx.root, ctx.root_pa);
	for (n = 0; n < LOWMEM_TABLES && (va[n] = pagetable_alloc(&ctx, &pa[n])); n++)
		expect_buddy_table(test, &ctx, va[n], pa[n]);
	KUNIT_EXPECT_EQ(test, n, (unsigned int)LOWMEM_TABLES);
	KUNIT_EXPECT_EQ(test, pt_fixture_nr_pagetable(), (long)n + 1);
	for (i = 0; i < n; i++)
		pagetable_free(&ctx, va[i], pa[i]);
	pt_fixture_done(test, &ctx);
}

kunit_test_suite_init(pgalloc, pgalloc_init, NULL,
	KUNIT_CASE(pool_falls_back_to_buddy),
	KUNIT_CASE(exclusive_pool_runs_dry),
	KUNIT_CASE(memblock_between_pool_and_buddy),
	KUNIT_CASE(buddy_tables_are_lowmem));

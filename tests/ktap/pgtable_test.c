/* pgtable_test.c: KTAP conformance suite for the generic page-table core, written for every arch. */
#include <kernel/bug.h>
#include <kernel/kunit.h>
#include <mm/pgtable.h>
#include <mm/vmstat.h>
#include <errno.h>
#include <string.h>
#include <test_machine.h>
#include "test_buf.h"

/*
 * Only the generic API (include/mm/pgtable.h) and the arch's level geometry
 * (pt_shift, pt_level_has_block, pt_cont_entries) are used, so the suite runs
 * unchanged against any descriptor format. Contexts get their tables from a
 * pool (taken from the page allocator when the suite starts) with made-up
 * physical addresses: the tables are only
 * read through ctx->pt_va, never by the MMU, so the suite is the same on the
 * host and in the kernel.
 */
#define POOL_PAGES	16
#define POOL_PA		0x10000000ULL	/* what the pool's "physical" addresses start at */

static u8 (*pool)[4096];	/* POOL_PAGES pages */
static bool pool_used[POOL_PAGES];
static int pool_fail_after = -1;	/* >= 0: that many allocations succeed, then NULL */

static void *pool_alloc(struct mm_ctx *ctx, paddr_t *pa)
{
	int i;

	if (pool_fail_after == 0)
		return NULL;
	if (pool_fail_after > 0)
		pool_fail_after--;
	for (i = 0; i < POOL_PAGES; i++) {
		if (!pool_used[i]) {
			pool_used[i] = true;
			memset(pool[i], 0, sizeof(pool[i]));
			*pa = POOL_PA + (paddr_t)i * 4096;
			return pool[i];
		}
	}
	return NULL;
}

static void pool_free(struct mm_ctx *ctx, void *va, paddr_t pa)
{
	int i = (pa - POOL_PA) / 4096;

	BUG_ON(i < 0 || i >= POOL_PAGES || va != pool[i] || !pool_used[i]);
	memset(va, 0x5a, 4096);	/* junk: a table used after free shows up as garbage */
	pool_used[i] = false;
}

static void *pool_va(struct mm_ctx *ctx, paddr_t pa)
{
	return pool[(pa - POOL_PA) / 4096];
}

static int pool_in_use(void)
{
	int i, n = 0;

	for (i = 0; i < POOL_PAGES; i++)
		n += pool_used[i];
	return n;
}

/* The test context spans the top-level entries the arch allows, starting at VA 0 on 32-bit. */
#define T_BASE		((vaddr_t)(sizeof(vaddr_t) == 8 ? 0xffff000000000000ULL : 0))
#define T_SIZE		((u64)pt_entries(0) * pt_level_size(0))
#define PG		pt_level_size(PT_LEVELS - 1)
#define LEAF		(PT_LEVELS - 1)
#define PMD_SIZE	pt_level_size(PT_LEVELS - 2)	/* 2 MiB on both arches */

static long pt_stat0;

static int ctx_new(struct kunit *test, struct mm_ctx *ctx)
{
	pool_fail_after = -1;
	pt_stat0 = global_node_page_state(NR_PAGETABLE);
	KUNIT_EXPECT_EQ(test, pool_in_use(), 0);
	return mm_ctx_init(ctx, T_BASE, T_SIZE, pool_alloc, pool_free, pool_va, NULL);
}

/* Destroys ctx and checks that every table page came back, in the pool and in vmstat. */
static void ctx_done(struct kunit *test, struct mm_ctx *ctx)
{
	mm_ctx_destroy(ctx);
	KUNIT_EXPECT_EQ(test, ctx->nr_tables, 0UL);
	KUNIT_EXPECT_EQ(test, pool_in_use(), 0);
	KUNIT_EXPECT_EQ(test, global_node_page_state(NR_PAGETABLE), pt_stat0);
}

/* Expects va to map pa with prot at level. */
static void expect_map(struct kunit *test, struct mm_ctx *ctx, vaddr_t va, paddr_t pa, u32 prot, int level)
{
	struct pt_query q;

	KUNIT_ASSERT_EQ(test, pt_query(ctx, va, &q), 0);
	KUNIT_EXPECT_EQ(test, q.pa, pa);
	KUNIT_EXPECT_EQ(test, q.prot, prot);
	KUNIT_EXPECT_EQ(test, q.level, level);
}

static void decide_rules(struct kunit *test)
{
	/* the last level always takes a page; the root never takes a block on either arch */
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_MAP, LEAF, PT_KIND_NONE, true, true), PT_ACT_WRITE_LEAF);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_MAP, 0, PT_KIND_NONE, true, true), PT_ACT_ALLOC_TABLE);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_MAP, LEAF - 1, PT_KIND_NONE, true, true), PT_ACT_WRITE_LEAF);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_MAP, LEAF - 1, PT_KIND_NONE, true, false), PT_ACT_ALLOC_TABLE);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_MAP, LEAF - 1, PT_KIND_NONE, false, true), PT_ACT_ALLOC_TABLE);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_MAP, LEAF - 1, PT_KIND_TABLE, true, true), PT_ACT_DESCEND);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_MAP, LEAF - 1, PT_KIND_LEAF, true, true), PT_ACT_EXISTS);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_UNMAP, LEAF - 1, PT_KIND_LEAF, false, true), PT_ACT_SPLIT);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_UNMAP, LEAF - 1, PT_KIND_LEAF, true, true), PT_ACT_CLEAR);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_UNMAP, LEAF, PT_KIND_NONE, true, true), PT_ACT_NOTHING);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_PROTECT, LEAF - 1, PT_KIND_LEAF, false, false), PT_ACT_SPLIT);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_PROTECT, LEAF, PT_KIND_LEAF, true, false), PT_ACT_UPDATE);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_PROTECT, 0, PT_KIND_TABLE, true, false), PT_ACT_DESCEND);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_SPLIT, LEAF - 1, PT_KIND_LEAF, true, false), PT_ACT_NOTHING);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_SPLIT, LEAF - 1, PT_KIND_LEAF, false, false), PT_ACT_SPLIT);
	KUNIT_EXPECT_EQ(test, pt_decide(PT_OP_SPLIT, 0, PT_KIND_TABLE, false, false), PT_ACT_DESCEND);
}

/* map -> query -> protect a sub-range -> query -> unmap -> query says unmapped. */
static void map_protect_unmap(struct kunit *test)
{
	struct mm_ctx ctx;
	struct pt_query q;
	vaddr_t va = T_BASE + 0x40000000 + 5 * PG;	/* deliberately not block aligned */
	paddr_t pa = 0x3000000 + 3 * PG;
	int i;

	KUNIT_ASSERT_EQ(test, ctx_new(test, &ctx), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, va, pa, 8 * PG, PAGE_KERNEL), 0);
	for (i = 0; i < 8; i++)
		expect_map(test, &ctx, va + i * PG, pa + i * PG, PAGE_KERNEL, LEAF);
	KUNIT_ASSERT_EQ(test, pt_query(&ctx, va + 100, &q), 0);
	KUNIT_EXPECT_EQ(test, q.pa, pa + 100);
	KUNIT_EXPECT_EQ(test, pt_query(&ctx, va - PG, &q), -ENOENT);
	KUNIT_EXPECT_EQ(test, pt_query(&ctx, va + 8 * PG, &q), -ENOENT);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, (unsigned long)PT_LEVELS);	/* one table per level */
	KUNIT_EXPECT_EQ(test, global_node_page_state(NR_PAGETABLE) - pt_stat0, PT_LEVELS);

	KUNIT_ASSERT_EQ(test, pt_protect(&ctx, va + 2 * PG, 2 * PG, PAGE_KERNEL_ROX), 0);
	for (i = 0; i < 8; i++)
		expect_map(test, &ctx, va + i * PG, pa + i * PG,
			   i == 2 || i == 3 ? PAGE_KERNEL_ROX : PAGE_KERNEL, LEAF);

	KUNIT_ASSERT_EQ(test, pt_unmap(&ctx, va, 8 * PG), 0);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, pt_query(&ctx, va + i * PG, &q), -ENOENT);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, 1UL);	/* empty tables were freed, the root stays */
	ctx_done(test, &ctx);
}

/* Every level that may hold blocks gets one when VA, PA and size line up; misaligned PA does not. */
static void block_selection(struct kunit *test)
{
	struct mm_ctx ctx;
	struct pt_query q;
	int level, found = 0;

	KUNIT_ASSERT_EQ(test, ctx_new(test, &ctx), 0);
	for (level = 0; level < LEAF; level++) {
		u64 sz = pt_level_size(level);
		vaddr_t va = T_BASE + sz * 2;
		unsigned long before = ctx.nr_tables;

		if (!pt_level_has_block(level))
			continue;
		found++;
		KUNIT_ASSERT_EQ(test, pt_map(&ctx, va, sz, sz + PG, PAGE_KERNEL), 0);
		expect_map(test, &ctx, va, sz, PAGE_KERNEL, level);
		expect_map(test, &ctx, va + sz - PG, 2 * sz - PG, PAGE_KERNEL, level);
		KUNIT_ASSERT_EQ(test, pt_query(&ctx, va, &q), 0);
		KUNIT_EXPECT_TRUE(test, q.block);
		KUNIT_EXPECT_EQ(test, q.size, sz);
		expect_map(test, &ctx, va + sz, 2 * sz, PAGE_KERNEL, LEAF);	/* the tail page */
		KUNIT_ASSERT_EQ(test, pt_unmap(&ctx, va, sz + PG), 0);
		KUNIT_EXPECT_EQ(test, ctx.nr_tables, before);

		/* same VA, PA aligned only to the next level's size: no block at this level */
		KUNIT_ASSERT_EQ(test, pt_map(&ctx, va, sz + pt_level_size(level + 1), sz, PAGE_KERNEL), 0);
		expect_map(test, &ctx, va, sz + pt_level_size(level + 1), PAGE_KERNEL, level + 1);
		KUNIT_ASSERT_EQ(test, pt_unmap(&ctx, va, sz), 0);
		KUNIT_EXPECT_EQ(test, ctx.nr_tables, before);
	}
	KUNIT_EXPECT_GT(test, found, 0);
	/* 2 MiB blocks exist on both arches: a 6 MiB aligned range is three of them */
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, T_BASE + 3 * PMD_SIZE, 3 * PMD_SIZE, 3 * PMD_SIZE,
					PAGE_KERNEL_RO), 0);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, (unsigned long)PT_LEVELS - 1);
	expect_map(test, &ctx, T_BASE + 5 * PMD_SIZE + PG, 5 * PMD_SIZE + PG, PAGE_KERNEL_RO, LEAF - 1);
	ctx_done(test, &ctx);
}

/* Where the arch has a contiguous hint, aligned runs get it and partial changes drop it. */
static void contiguous_runs(struct kunit *test)
{
	unsigned int c = pt_cont_entries(LEAF);
	struct mm_ctx ctx;
	struct pt_query q;
	vaddr_t va = T_BASE + 0x200000;
	unsigned int i;

	if (!c)
		kunit_skip(test, "no contiguous hint in this descriptor format");
	KUNIT_ASSERT_EQ(test, ctx_new(test, &ctx), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, va, 0x800000, (c + 1) * PG, PAGE_KERNEL), 0);
	for (i = 0; i <= c; i++) {
		KUNIT_ASSERT_EQ(test, pt_query(&ctx, va + i * PG, &q), 0);
		KUNIT_EXPECT_EQ(test, q.cont, i < c);	/* the 17th page is alone */
	}
	/* one page changes: the whole group loses the hint, translation unchanged */
	KUNIT_ASSERT_EQ(test, pt_protect(&ctx, va + 3 * PG, PG, PAGE_KERNEL_RO), 0);
	for (i = 0; i < c; i++) {
		KUNIT_ASSERT_EQ(test, pt_query(&ctx, va + i * PG, &q), 0);
		KUNIT_EXPECT_FALSE(test, q.cont);
		KUNIT_EXPECT_EQ(test, q.pa, 0x800000 + i * PG);
	}
	/* and gets it back when the group is uniform again */
	KUNIT_ASSERT_EQ(test, pt_protect(&ctx, va, c * PG, PAGE_KERNEL_RO), 0);
	KUNIT_ASSERT_EQ(test, pt_query(&ctx, va + 5 * PG, &q), 0);
	KUNIT_EXPECT_TRUE(test, q.cont);
	KUNIT_ASSERT_EQ(test, pt_unmap(&ctx, va, (c + 1) * PG), 0);

	/* PA not aligned to the group: no hint */
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, va, 0x800000 + PG, c * PG, PAGE_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pt_query(&ctx, va, &q), 0);
	KUNIT_EXPECT_FALSE(test, q.cont);
	KUNIT_ASSERT_EQ(test, pt_unmap(&ctx, va, c * PG), 0);

	/* blocks too, where the level has a hint: c aligned 2 MiB blocks */
	if (pt_cont_entries(LEAF - 1)) {
		u64 span = pt_cont_entries(LEAF - 1) * PMD_SIZE;

		KUNIT_ASSERT_EQ(test, pt_map(&ctx, T_BASE + span, span, span, PAGE_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, pt_query(&ctx, T_BASE + span + span / 2, &q), 0);
		KUNIT_EXPECT_TRUE(test, q.cont && q.block);
	}
	ctx_done(test, &ctx);
}

/* protect/unmap inside a block split it; every page still translates to the same PA. */
static void split_blocks(struct kunit *test)
{
	struct mm_ctx ctx;
	struct pt_query q;
	vaddr_t va = T_BASE + 4 * PMD_SIZE;
	paddr_t pa = 8 * PMD_SIZE;
	unsigned long i, tables;

	KUNIT_ASSERT_EQ(test, ctx_new(test, &ctx), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, va, pa, 2 * PMD_SIZE, PAGE_KERNEL), 0);
	tables = ctx.nr_tables;
	KUNIT_ASSERT_EQ(test, pt_protect(&ctx, va + 7 * PG, PG, PAGE_KERNEL_RO), 0);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, tables + 1);
	for (i = 0; i < PMD_SIZE / PG; i++)
		expect_map(test, &ctx, va + i * PG, pa + i * PG, i == 7 ? PAGE_KERNEL_RO : PAGE_KERNEL, LEAF);
	expect_map(test, &ctx, va + PMD_SIZE, pa + PMD_SIZE, PAGE_KERNEL, LEAF - 1);	/* untouched */

	/* unmapping one page of the second block splits it and leaves a hole */
	KUNIT_ASSERT_EQ(test, pt_unmap(&ctx, va + PMD_SIZE + 9 * PG, PG), 0);
	KUNIT_EXPECT_EQ(test, pt_query(&ctx, va + PMD_SIZE + 9 * PG, &q), -ENOENT);
	KUNIT_EXPECT_EQ(test, q.level, LEAF);
	expect_map(test, &ctx, va + PMD_SIZE + 10 * PG, pa + PMD_SIZE + 10 * PG, PAGE_KERNEL, LEAF);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, tables + 2);
	KUNIT_ASSERT_EQ(test, pt_unmap(&ctx, va, 2 * PMD_SIZE), 0);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, 1UL);

	/* the biggest block splits down two levels at once */
	for (i = 0; i < LEAF - 1 && !pt_level_has_block(i); i++)
		;
	if (i < LEAF - 1) {
		u64 sz = pt_level_size(i);

		KUNIT_ASSERT_EQ(test, pt_map(&ctx, T_BASE + sz, 0, sz, PAGE_KERNEL), 0);
		tables = ctx.nr_tables;
		KUNIT_ASSERT_EQ(test, pt_protect(&ctx, T_BASE + sz + 3 * PMD_SIZE + PG, PG,
						    PAGE_KERNEL_ROX), 0);
		KUNIT_EXPECT_EQ(test, ctx.nr_tables, tables + (LEAF - i));
		expect_map(test, &ctx, T_BASE + sz + 3 * PMD_SIZE + PG, 3 * PMD_SIZE + PG, PAGE_KERNEL_ROX, LEAF);
		expect_map(test, &ctx, T_BASE + sz + sz - PG, sz - PG, PAGE_KERNEL, LEAF - 1);
	}
	ctx_done(test, &ctx);
}

/* Changing a live entry goes through break-before-make; filling empty entries does not. */
static void bbm_counted(struct kunit *test)
{
	struct mm_ctx ctx;
	vaddr_t va = T_BASE + PMD_SIZE;

	KUNIT_ASSERT_EQ(test, ctx_new(test, &ctx), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, va, 0, 4 * PG, PAGE_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, ctx.nr_bbm, 0UL);
	KUNIT_ASSERT_EQ(test, pt_protect(&ctx, va, PG, PAGE_KERNEL_RO), 0);
	KUNIT_EXPECT_EQ(test, ctx.nr_bbm, 1UL);
	KUNIT_ASSERT_EQ(test, pt_unmap(&ctx, va, 4 * PG), 0);
	KUNIT_EXPECT_GE(test, ctx.nr_bbm, 2UL);
	ctx_done(test, &ctx);
}

static void error_paths(struct kunit *test)
{
	struct mm_ctx ctx;
	struct pt_query q;
	vaddr_t va = T_BASE + 7 * PMD_SIZE;
	int i;

	KUNIT_ASSERT_EQ(test, ctx_new(test, &ctx), 0);
	KUNIT_EXPECT_EQ(test, pt_map(&ctx, va + 1, 0, PG, PAGE_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, pt_map(&ctx, va, 12, PG, PAGE_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, pt_map(&ctx, va, 0, PG + 1, PAGE_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, pt_map(&ctx, va, 0, 0, PAGE_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, pt_map(&ctx, va, 0, PG, PROT_WRITE), -EINVAL);
	KUNIT_EXPECT_EQ(test, pt_map(&ctx, va, 0, PG, PAGE_KERNEL | 0x8000), -EINVAL);
	KUNIT_EXPECT_EQ(test, pt_map(&ctx, T_BASE + T_SIZE - PG, 0, 2 * PG, PAGE_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, pt_query(&ctx, T_BASE - 1, &q), T_BASE ? -EINVAL : -ENOENT);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, 1UL);

	/* over an existing mapping: -EEXIST, nothing changed */
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, va + 4 * PG, 0x100000, PG, PAGE_KERNEL_RO), 0);
	KUNIT_EXPECT_EQ(test, pt_map(&ctx, va, 0, 8 * PG, PAGE_KERNEL), -EEXIST);
	KUNIT_EXPECT_EQ(test, pt_query(&ctx, va, &q), -ENOENT);
	expect_map(test, &ctx, va + 4 * PG, 0x100000, PAGE_KERNEL_RO, LEAF);

	/* protect over a hole: -ENOENT, nothing changed */
	KUNIT_EXPECT_EQ(test, pt_protect(&ctx, va + 3 * PG, 2 * PG, PAGE_KERNEL), -ENOENT);
	expect_map(test, &ctx, va + 4 * PG, 0x100000, PAGE_KERNEL_RO, LEAF);
	KUNIT_ASSERT_EQ(test, pt_unmap(&ctx, va, PMD_SIZE), 0);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, 1UL);

	/* out of table pages half way through: the partial mapping is undone */
	for (i = 1; i < PT_LEVELS; i++) {
		pool_fail_after = i;
		KUNIT_EXPECT_EQ(test, pt_map(&ctx, T_BASE + PMD_SIZE - 2 * PG, 0, 4 * PG, PAGE_KERNEL),
				-ENOMEM);
		pool_fail_after = -1;
		KUNIT_EXPECT_EQ(test, pt_query(&ctx, T_BASE + PMD_SIZE - 2 * PG, &q), -ENOENT);
		KUNIT_EXPECT_EQ(test, pt_query(&ctx, T_BASE + PMD_SIZE, &q), -ENOENT);
		KUNIT_EXPECT_EQ(test, ctx.nr_tables, 1UL);
	}
	/* a protect whose split cannot get a table: protections unchanged */
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, T_BASE + 2 * PMD_SIZE, 0, PMD_SIZE, PAGE_KERNEL), 0);
	pool_fail_after = 0;
	KUNIT_EXPECT_EQ(test, pt_protect(&ctx, T_BASE + 2 * PMD_SIZE, PG, PAGE_KERNEL_RO), -ENOMEM);
	KUNIT_EXPECT_EQ(test, pt_unmap(&ctx, T_BASE + 2 * PMD_SIZE, PG), -ENOMEM);
	pool_fail_after = -1;
	expect_map(test, &ctx, T_BASE + 2 * PMD_SIZE, 0, PAGE_KERNEL, LEAF - 1);
	ctx_done(test, &ctx);
}

/* Device memory is never executable, whatever was asked. */
static void device_is_xn(struct kunit *test)
{
	struct mm_ctx ctx;

	KUNIT_ASSERT_EQ(test, ctx_new(test, &ctx), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, T_BASE, 0x3f000000, PG,
					PAGE_KERNEL_DEVICE | PROT_EXEC), 0);
	expect_map(test, &ctx, T_BASE, 0x3f000000, PAGE_KERNEL_DEVICE, LEAF);
	ctx_done(test, &ctx);
}

/*
 * Random map/protect/unmap over a 4 MiB window against a per-page model; after
 * every step each page must translate exactly as the model says.
 */
#define RND_PAGES	1024
static u32 *model_prot;		/* RND_PAGES each, with the pool */
static paddr_t *model_pa;

static void random_ops(struct kunit *test)
{
	static const u32 prots[] = { PAGE_KERNEL, PAGE_KERNEL_RO, PAGE_KERNEL_ROX, PAGE_KERNEL_DEVICE };
	struct mm_ctx ctx;
	struct pt_query q;
	u64 seed = 42;
	int step, i, bad = 0;

	KUNIT_ASSERT_EQ(test, ctx_new(test, &ctx), 0);
	memset(model_prot, 0, RND_PAGES * sizeof(*model_prot));
	for (step = 0; step < 300 && !bad; step++) {
		unsigned int first = kunit_rand(&seed) % RND_PAGES, n = 1 + kunit_rand(&seed) % 64;
		u32 prot = prots[kunit_rand(&seed) % ARRAY_SIZE(prots)];
		int op = kunit_rand(&seed) % 3, r;
		bool any = false, all = true;

		if (kunit_rand(&seed) % 4 == 0) {	/* sometimes a whole aligned 2 MiB */
			first = first & ~(PMD_SIZE / PG - 1);
			n = PMD_SIZE / PG;
		}
		n = min(n, RND_PAGES - first);
		for (i = first; i < (int)(first + n); i++) {
			any |= model_prot[i] != 0;
			all &= model_prot[i] != 0;
		}
		if (op == 0) {
			paddr_t pa = (kunit_rand(&seed) % 4) * PMD_SIZE + (u64)first * PG;

			r = pt_map(&ctx, T_BASE + (u64)first * PG, pa, (u64)n * PG, prot);
			KUNIT_EXPECT_EQ(test, r, any ? -EEXIST : 0);
			for (i = first; !r && i < (int)(first + n); i++) {
				model_prot[i] = prot;
				model_pa[i] = pa + (u64)(i - first) * PG;
			}
		} else if (op == 1) {
			r = pt_protect(&ctx, T_BASE + (u64)first * PG, (u64)n * PG, prot);
			KUNIT_EXPECT_EQ(test, r, all ? 0 : -ENOENT);
			for (i = first; !r && i < (int)(first + n); i++)
				model_prot[i] = prot;
		} else {
			KUNIT_EXPECT_EQ(test, pt_unmap(&ctx, T_BASE + (u64)first * PG, (u64)n * PG), 0);
			for (i = first; i < (int)(first + n); i++)
				model_prot[i] = 0;
		}
		for (i = 0; i < RND_PAGES && !bad; i++) {
			r = pt_query(&ctx, T_BASE + (u64)i * PG, &q);
			if (model_prot[i] ? r || q.pa != model_pa[i] || q.prot != model_prot[i] : r != -ENOENT) {
				kunit_info(test, "step %d page %d: query %d pa 0x%llx prot 0x%x, model pa 0x%llx prot 0x%x",
					   step, i, r, (unsigned long long)q.pa, q.prot,
					   (unsigned long long)model_pa[i], model_prot[i]);
				bad = 1;
			}
		}
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, pt_unmap(&ctx, T_BASE, RND_PAGES * PG), 0);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, 1UL);
	ctx_done(test, &ctx);
}

/* The pool and the model live in one block from the page allocator, not in the image. */
#define PGT_MEM_SIZE	(POOL_PAGES * 4096 + RND_PAGES * (sizeof(u32) + sizeof(paddr_t)))

static int pgtable_suite_init(void)
{
	u8 *m;

	if (mm_test_machine())
		return -1;
	m = test_buf_alloc(PGT_MEM_SIZE);
	if (!m)
		return -1;
	pool = (u8 (*)[4096])m;
	model_pa = (paddr_t *)(m + POOL_PAGES * 4096);
	model_prot = (u32 *)(model_pa + RND_PAGES);
	return 0;
}

static void pgtable_suite_exit(void)
{
	test_buf_free(pool, PGT_MEM_SIZE);
	pool = NULL;
	model_pa = NULL;
	model_prot = NULL;
}

kunit_test_suite_init(pgtable, pgtable_suite_init, pgtable_suite_exit,
	KUNIT_CASE(decide_rules),
	KUNIT_CASE(map_protect_unmap),
	KUNIT_CASE(block_selection),
	KUNIT_CASE(contiguous_runs),
	KUNIT_CASE(split_blocks),
	KUNIT_CASE(bbm_counted),
	KUNIT_CASE(error_paths),
	KUNIT_CASE(device_is_xn),
	KUNIT_CASE(random_ops));

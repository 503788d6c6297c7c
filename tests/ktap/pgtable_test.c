/* pgtable_test.c: KTAP conformance suite for the generic page-table core, written for every arch. */
#include <kernel/bug.h>
#include <kernel/kunit.h>
#include <mm/pgtable.h>
#include <mm/vmstat.h>
#include "pt_fixture.h"
#include <errno.h>
#include <string.h>
#include <test_machine.h>
#include "test_buf.h"

/*
 * Only the generic API (include/mm/pgtable.h) and the arch's level geometry
 * (pt_shift, pt_level_has_block, pt_cont_entries) are used, so the suite runs
 * unchanged against any descriptor format. Contexts get their tables from a
 * pool of the one table-page allocator with made-up physical addresses
 * (tests/ktap/pt_fixture.h), its pages taken from the page allocator when the
 * suite starts: the tables are only read through pagetable_va, never by the MMU,
 * so the suite is the same on the host and in the kernel.
 */
#define POOL_PAGES	16
DEFINE_PT_POOL_RUNTIME(pool, POOL_PAGES, 0x10000000ULL);

/* The test context spans the top-level entries the arch allows, starting at VA 0 on 32-bit. */
#define T_BASE		((vaddr_t)(sizeof(vaddr_t) == 8 ? 0xffff000000000000ULL : 0))
#define T_SIZE		PT_FIXTURE_SIZE
#define PG		pt_level_size(PT_LEVELS - 1)
#define LEAF		(PT_LEVELS - 1)
#define PMD_SIZE	pt_level_size(PT_LEVELS - 2)	/* 2 MiB on both arches */

static int ctx_new(struct kunit *test, struct mm_ctx *ctx)
{
	return pt_fixture_init(test, ctx, &pool, T_BASE);
}

/* Destroys ctx and checks that every table page came back, in the pool and in vmstat. */
static void ctx_done(struct kunit *test, struct mm_ctx *ctx)
{
	pt_fixture_done(test, ctx);
}

/* What a query returns for a mapping made with prot (x86 without NX: executable, unless device memory). */
static u32 effective(u32 prot)
{
	return prot && !prot_is_device(prot) ? prot | arch_prot_implied() : prot;
}

/* Expects va to map pa with prot at level. */
static void expect_map(struct kunit *test, struct mm_ctx *ctx, vaddr_t va, paddr_t pa, u32 prot, int level)
{
	struct pt_query q;

	KUNIT_ASSERT_EQ(test, pt_query(ctx, va, &q), 0);
	KUNIT_EXPECT_EQ(test, q.pa, pa);
	KUNIT_EXPECT_EQ(test, q.prot, effective(prot));
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
	KUNIT_EXPECT_EQ(test, pt_fixture_nr_pagetable(), (long)PT_LEVELS);

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
		pool.fail_after = i;
		KUNIT_EXPECT_EQ(test, pt_map(&ctx, T_BASE + PMD_SIZE - 2 * PG, 0, 4 * PG, PAGE_KERNEL),
				-ENOMEM);
		pool.fail_after = -1;
		KUNIT_EXPECT_EQ(test, pt_query(&ctx, T_BASE + PMD_SIZE - 2 * PG, &q), -ENOENT);
		KUNIT_EXPECT_EQ(test, pt_query(&ctx, T_BASE + PMD_SIZE, &q), -ENOENT);
		KUNIT_EXPECT_EQ(test, ctx.nr_tables, 1UL);
	}
	/* a protect whose split cannot get a table: protections unchanged */
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, T_BASE + 2 * PMD_SIZE, 0, PMD_SIZE, PAGE_KERNEL), 0);
	pool.fail_after = 0;
	KUNIT_EXPECT_EQ(test, pt_protect(&ctx, T_BASE + 2 * PMD_SIZE, PG, PAGE_KERNEL_RO), -ENOMEM);
	KUNIT_EXPECT_EQ(test, pt_unmap(&ctx, T_BASE + 2 * PMD_SIZE, PG), -ENOMEM);
	pool.fail_after = -1;
	expect_map(test, &ctx, T_BASE + 2 * PMD_SIZE, 0, PAGE_KERNEL, LEAF - 1);
	ctx_done(test, &ctx);
}

/* Device memory is never executable, whatever was asked. */
static void device_is_xn(struct kunit *test)
{
	struct mm_ctx ctx;

	if (arch_prot_implied() & PROT_EXEC)
		kunit_skip(test, "this CPU has no execute-disable bit: every mapping is executable");
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
			if (model_prot[i] ? r || q.pa != model_pa[i] || q.prot != effective(model_prot[i]) : r != -ENOENT) {
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

/* A visitor that counts what the read walk reports and checks it comes in address order. */
struct walk_count {
	int tables, leaves, holes, stop_at;	/* stop_at > 0: the leaf that many stops the walk */
	int block_leaves, page_leaves, out_of_order;
	vaddr_t next;				/* where the next leaf or hole must start */
	paddr_t last_pa;			/* PA of the last leaf */
};

static int wc_table(const struct pt_walk_entry *e, void *priv)
{
	struct walk_count *c = priv;

	c->tables++;
	c->out_of_order += e->va != c->next || e->level >= LEAF;
	return 0;
}

/* The context walk_visitor_counts walks (its table pages are reached through it). */
static struct mm_ctx *wc_ctx;

/* Leaves and holes: in order, tiling the range, with the slot and value the table holds. */
static void wc_entry(struct walk_count *c, const struct pt_walk_entry *e, bool valid)
{
	c->out_of_order += e->va != c->next || e->size != pt_level_size(e->level) ||
			   pte_valid(e->entry) != valid ||
			   e->ptep != &((pte_t *)pagetable_va(wc_ctx, e->table_pa))[e->index] ||
			   pte_val(*e->ptep) != pte_val(e->entry);
	c->next = e->va + e->size;
}

static int wc_hole(const struct pt_walk_entry *e, void *priv)
{
	struct walk_count *c = priv;

	c->holes++;
	wc_entry(c, e, false);
	return 0;
}

static int wc_leaf(const struct pt_walk_entry *e, void *priv)
{
	struct walk_count *c = priv;

	wc_entry(c, e, true);
	c->leaves++;
	c->block_leaves += e->level < LEAF;
	c->page_leaves += e->level == LEAF;
	c->last_pa = e->pa;
	return c->leaves == c->stop_at ? 7 : 0;
}

static const struct pt_walk_ops wc_ops = { .table = wc_table, .leaf = wc_leaf, .hole = wc_hole };

/* Counts over a known map: one block and three pages, so the tables on the way are known too. */
static void walk_visitor_counts(struct kunit *test)
{
	struct mm_ctx ctx;
	struct walk_count c = { .next = T_BASE };
	vaddr_t pages = T_BASE + 4 * PMD_SIZE + 5 * PG;
	int level, entries = 0;

	KUNIT_ASSERT_EQ(test, ctx_new(test, &ctx), 0);
	wc_ctx = &ctx;
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, T_BASE + PMD_SIZE, 0x40000000, PMD_SIZE, PAGE_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, pages, 0x01234000, 3 * PG, PAGE_KERNEL_RO), 0);
	for (level = 0; level < PT_LEVELS; level++)	/* one table per level is in use */
		entries += pt_entries(level);
	KUNIT_EXPECT_EQ(test, pt_walk(&ctx, T_BASE, T_BASE + T_SIZE, &wc_ops, &c), 0);
	KUNIT_EXPECT_EQ(test, c.tables, PT_LEVELS - 1);
	KUNIT_EXPECT_EQ(test, c.block_leaves, 1);
	KUNIT_EXPECT_EQ(test, c.page_leaves, 3);
	KUNIT_EXPECT_EQ(test, c.holes, entries - (PT_LEVELS - 1) - 4);
	KUNIT_EXPECT_EQ(test, c.out_of_order, 0);
	KUNIT_EXPECT_EQ(test, c.next, (vaddr_t)(T_BASE + T_SIZE));	/* the leaves and holes tile the context */
	KUNIT_EXPECT_EQ(test, c.last_pa, 0x01234000 + 2 * PG);

	/* A range inside one page: the tables down to it and that page, nothing else. */
	memset(&c, 0, sizeof(c));
	c.next = pages + PG;
	KUNIT_EXPECT_EQ(test, pt_walk(&ctx, pages + PG + 1, pages + PG + 2, &wc_ops, &c), 0);
	KUNIT_EXPECT_EQ(test, c.tables, PT_LEVELS - 1);
	KUNIT_EXPECT_EQ(test, c.leaves, 1);
	KUNIT_EXPECT_EQ(test, c.holes, 0);
	KUNIT_EXPECT_EQ(test, c.last_pa, 0x01234000 + PG);
	/* An unmapped range: one hole, at the level where translation stops. */
	memset(&c, 0, sizeof(c));
	c.next = T_BASE + 2 * PMD_SIZE;
	KUNIT_EXPECT_EQ(test, pt_walk(&ctx, T_BASE + 2 * PMD_SIZE, T_BASE + 2 * PMD_SIZE + PG, &wc_ops, &c), 0);
	KUNIT_EXPECT_EQ(test, c.holes, 1);
	KUNIT_EXPECT_EQ(test, c.leaves, 0);
	KUNIT_EXPECT_EQ(test, c.next, (vaddr_t)(T_BASE + 3 * PMD_SIZE));	/* a whole level-(LEAF-1) entry */

	/* A visitor's nonzero return stops the walk and is what pt_walk returns. */
	memset(&c, 0, sizeof(c));
	c.next = T_BASE;
	c.stop_at = 2;
	KUNIT_EXPECT_EQ(test, pt_walk(&ctx, T_BASE, T_BASE + T_SIZE, &wc_ops, &c), 7);
	KUNIT_EXPECT_EQ(test, c.leaves, 2);
	KUNIT_EXPECT_EQ(test, c.next, pages + PG);

	/* Bad ranges are refused before anything is visited. */
	memset(&c, 0, sizeof(c));
	KUNIT_EXPECT_EQ(test, pt_walk(&ctx, pages, pages, &wc_ops, &c), -EINVAL);
	KUNIT_EXPECT_EQ(test, pt_walk(&ctx, pages + PG, pages, &wc_ops, &c), -EINVAL);
	if (T_BASE)
		KUNIT_EXPECT_EQ(test, pt_walk(&ctx, T_BASE - PG, T_BASE + PG, &wc_ops, &c), -EINVAL);
	KUNIT_EXPECT_EQ(test, c.tables + c.leaves + c.holes, 0);
	ctx_done(test, &ctx);
}

/* The leaf-slot API: find a slot, make it, refuse to overwrite it, clear it (now or gathered). */
static void leaf_slots(struct kunit *test)
{
	struct mm_ctx ctx;
	struct pt_gather g = { .pending = false };
	vaddr_t va = T_BASE + 3 * PMD_SIZE + 7 * PG;
	struct pt_query q;
	pte_t *slot;

	KUNIT_ASSERT_EQ(test, ctx_new(test, &ctx), 0);
	KUNIT_EXPECT_NULL(test, pt_leaf_slot(&ctx, va));	/* no page table there yet */
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, va - PG, 0x05000000, PG, PAGE_KERNEL), 0);
	slot = pt_leaf_slot(&ctx, va);
	KUNIT_ASSERT_NOT_NULL(test, slot);
	KUNIT_EXPECT_TRUE(test, pt_leaf_slot(&ctx, va - PG) == slot - 1);
	KUNIT_EXPECT_TRUE(test, pt_leaf_slot(&ctx, va + PG - 1) == slot);
	KUNIT_EXPECT_EQ(test, pt_set_leaf(&ctx, slot, 0x06000000, PAGE_KERNEL_RO), 0);
	expect_map(test, &ctx, va, 0x06000000, PAGE_KERNEL_RO, LEAF);
	KUNIT_EXPECT_EQ(test, pt_set_leaf(&ctx, slot, 0x06000800, PAGE_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, pt_set_leaf(&ctx, slot, 0x07000000, PAGE_KERNEL), -EEXIST);
	expect_map(test, &ctx, va, 0x06000000, PAGE_KERNEL_RO, LEAF);	/* a live slot is not replaced */
	pt_clear_leaf(&ctx, slot, va, NULL);
	KUNIT_EXPECT_EQ(test, pt_query(&ctx, va, &q), -ENOENT);
	expect_map(test, &ctx, va - PG, 0x05000000, PAGE_KERNEL, LEAF);	/* the neighbour stays */

	KUNIT_EXPECT_EQ(test, pt_set_leaf(&ctx, slot, 0x06000000, PAGE_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, pt_set_leaf(&ctx, slot + 2, 0x06002000, PAGE_KERNEL), 0);
	pt_clear_leaf(&ctx, slot + 2, va + 2 * PG + 5, &g);
	pt_clear_leaf(&ctx, slot, va, &g);
	KUNIT_EXPECT_TRUE(test, g.pending && g.start == va && g.end == va + 3 * PG);
	pt_gather_flush(&g);
	KUNIT_EXPECT_FALSE(test, g.pending);
	KUNIT_EXPECT_EQ(test, pt_query(&ctx, va + 2 * PG, &q), -ENOENT);

	/* A block has no last-level slot; a freed table's slot is not handed out again. */
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, T_BASE + 6 * PMD_SIZE, 0x08000000, PMD_SIZE, PAGE_KERNEL), 0);
	KUNIT_EXPECT_NULL(test, pt_leaf_slot(&ctx, T_BASE + 6 * PMD_SIZE + PG));
	KUNIT_EXPECT_TRUE(test, pt_leaf_slot(&ctx, va) == slot);
	KUNIT_EXPECT_EQ(test, pt_unmap(&ctx, va - PG, PG), 0);	/* the page table is empty: freed */
	KUNIT_EXPECT_NULL(test, pt_leaf_slot(&ctx, va));
	if (T_BASE)	/* outside the context */
		KUNIT_EXPECT_NULL(test, pt_leaf_slot(&ctx, T_BASE - PG));
	ctx_done(test, &ctx);
}

/* Cleanup on every path: a context the case made (mm_ctx_destroy does nothing the second time). */
static void ctx_destroy_action(void *ctx)
{
	mm_ctx_destroy(ctx);
}

/*
 * The fault slot: one descent makes the tables and finds the slot; install
 * fills it only while empty; replace rewrites it by break-before-make (one
 * flush), only while it still maps what the fault saw, and unfolds a
 * contiguous-hint group first.
 */
static void fault_slot_install(struct kunit *test)
{
	static struct mm_ctx ctx;	/* static: the cleanup action runs after this frame is gone */
	struct pt_fault f, f2;
	struct pt_query q;
	vaddr_t va = T_BASE + 3 * PMD_SIZE + 7 * PG;
	unsigned int c = pt_cont_entries(LEAF), i, flushes;
	unsigned long bbm;

	KUNIT_ASSERT_EQ(test, ctx_new(test, &ctx), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action(test, ctx_destroy_action, &ctx), 0);
	KUNIT_ASSERT_EQ(test, pt_fault_slot(&ctx, va + 5, &f), 0);
	KUNIT_EXPECT_EQ(test, f.va, va);
	KUNIT_EXPECT_FALSE(test, f.present);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, (unsigned long)PT_LEVELS);	/* the root and a path of new tables */
	KUNIT_EXPECT_TRUE(test, pt_leaf_slot(&ctx, va) == f.slot);
	KUNIT_EXPECT_EQ(test, pt_query(&ctx, va, &q), -ENOENT);	/* nothing mapped yet */

	/* install into the empty slot; refuse a second install and a bad PA */
	KUNIT_EXPECT_EQ(test, pt_install(&ctx, &f, 0x06000800, PAGE_KERNEL), -EINVAL);
	KUNIT_ASSERT_EQ(test, pt_install(&ctx, &f, 0x06000000, PAGE_KERNEL), 0);
	expect_map(test, &ctx, va, 0x06000000, PAGE_KERNEL, LEAF);
	KUNIT_EXPECT_EQ(test, pt_install(&ctx, &f, 0x07000000, PAGE_KERNEL), -EEXIST);
	expect_map(test, &ctx, va, 0x06000000, PAGE_KERNEL, LEAF);

	/* a second fault finds it present, in the same slot, with no new table */
	KUNIT_ASSERT_EQ(test, pt_fault_slot(&ctx, va, &f2), 0);
	KUNIT_EXPECT_TRUE(test, f2.present && f2.slot == f.slot);
	KUNIT_EXPECT_EQ(test, f2.pa, 0x06000000);
	KUNIT_EXPECT_EQ(test, f2.prot, effective(PAGE_KERNEL));
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, (unsigned long)PT_LEVELS);

	/* replace: a new page, read-only; one break, one flush; a stale view is refused */
	bbm = ctx.nr_bbm;
	flushes = atomic_read(&ctx.nr_flushes);
	KUNIT_ASSERT_EQ(test, pt_replace(&ctx, &f2, 0x07000000, PAGE_KERNEL_RO), 0);
	expect_map(test, &ctx, va, 0x07000000, PAGE_KERNEL_RO, LEAF);
	KUNIT_EXPECT_EQ(test, ctx.nr_bbm, bbm + 1);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&ctx.nr_flushes), flushes + 1);
	KUNIT_EXPECT_EQ(test, pt_replace(&ctx, &f2, 0x08000000, PAGE_KERNEL), -EAGAIN);	/* f2.pa is gone */
	expect_map(test, &ctx, va, 0x07000000, PAGE_KERNEL_RO, LEAF);

	/* a block has no slot; outside the context is refused */
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, T_BASE + 6 * PMD_SIZE, 0x08000000, PMD_SIZE, PAGE_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, pt_fault_slot(&ctx, T_BASE + 6 * PMD_SIZE + PG, &f2), -EEXIST);
	if (T_BASE)
		KUNIT_EXPECT_EQ(test, pt_fault_slot(&ctx, T_BASE - PG, &f2), -EINVAL);

	/* a page of a contiguous-hint group replaced alone: the others keep their PA, unhinted */
	if (c) {
		vaddr_t g = T_BASE + 8 * PMD_SIZE;

		KUNIT_ASSERT_EQ(test, pt_map(&ctx, g, 0x09000000, c * PG, PAGE_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, pt_query(&ctx, g, &q), 0);
		KUNIT_EXPECT_TRUE(test, q.cont);
		KUNIT_ASSERT_EQ(test, pt_fault_slot(&ctx, g + 3 * PG, &f2), 0);
		KUNIT_ASSERT_EQ(test, pt_replace(&ctx, &f2, 0x0a000000, PAGE_KERNEL), 0);
		for (i = 0; i < c; i++) {
			KUNIT_ASSERT_EQ(test, pt_query(&ctx, g + i * PG, &q), 0);
			KUNIT_EXPECT_FALSE(test, q.cont);
			KUNIT_EXPECT_EQ(test, q.pa, i == 3 ? 0x0a000000 : 0x09000000 + i * PG);
		}
	}

	/* out of table pages: the fault says so, and the tables it made stay for an unmap */
	KUNIT_ASSERT_EQ(test, pt_unmap(&ctx, T_BASE, T_SIZE), 0);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, 1UL);
	pool.fail_after = 1;
	KUNIT_EXPECT_EQ(test, pt_fault_slot(&ctx, va, &f2), -ENOMEM);
	pool.fail_after = -1;
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, 2UL);
	KUNIT_EXPECT_EQ(test, pt_unmap(&ctx, T_BASE, T_SIZE), 0);
	ctx_done(test, &ctx);
}

/* The copy walk's policy in the tests: fork's (read-only child, write-protected source), counted. */
struct copy_rec {
	unsigned int calls, stop_at;
	bool keep;		/* copy as is: no write-protect */
	vaddr_t last;		/* the VA seen last: the walk goes in address order */
	bool ordered;
};

static int copy_fn(struct pt_copy_leaf *leaf, void *priv)
{
	struct copy_rec *r = priv;

	r->ordered &= !r->calls || leaf->va > r->last;
	r->last = leaf->va;
	if (++r->calls == r->stop_at)
		return -E2BIG;
	leaf->wrprotect = !r->keep;
	return 0;
}

static void copy_dst_action(void *dst)
{
	mm_ctx_destroy(dst);
}

/*
 * The copy walk: every present page of the source, once, in order, copied
 * read-only into an empty destination (its tables made); the source's
 * writable pages write-protected with one flush for the whole range; a
 * contiguous group unfolded; an error from the policy, a busy slot, no table
 * page and a block stop it.
 */
static void copy_walk(struct kunit *test)
{
	static struct mm_ctx src, dst;	/* static: the cleanup actions run after this frame is gone */
	struct copy_rec r = { .ordered = true };
	struct pt_query q;
	vaddr_t a = T_BASE + 3 * PMD_SIZE, b = T_BASE + 5 * PMD_SIZE;
	unsigned int c = pt_cont_entries(LEAF), flushes, i;
	static const unsigned int pages[] = { 0, 1, 2, 9 };	/* in table a: 9 is read-only */

	KUNIT_ASSERT_EQ(test, ctx_new(test, &src), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action(test, ctx_destroy_action, &src), 0);
	KUNIT_ASSERT_EQ(test, mm_ctx_init(&dst, T_BASE, T_SIZE, &pool), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action(test, copy_dst_action, &dst), 0);
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, pt_map(&src, a + pages[i] * PG, 0x05000000 + 2 * i * PG, PG, PAGE_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&src, a + 9 * PG, 0x05100000, PG, PAGE_KERNEL_RO), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&src, b, 0x05200000, PG, PAGE_KERNEL), 0);	/* another page table */

	flushes = atomic_read(&src.nr_flushes);
	KUNIT_ASSERT_EQ(test, pt_copy_range(&dst, &src, a, b + PMD_SIZE, copy_fn, &r), 0);
	KUNIT_EXPECT_EQ(test, r.calls, 5U);
	KUNIT_EXPECT_TRUE(test, r.ordered);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&src.nr_flushes), flushes + 1);	/* one, at the end */
	for (i = 0; i < 4; i++) {
		paddr_t pa = i < 3 ? 0x05000000 + 2 * i * PG : 0x05100000;

		expect_map(test, &src, a + pages[i] * PG, pa, PAGE_KERNEL_RO, LEAF);
		expect_map(test, &dst, a + pages[i] * PG, pa, PAGE_KERNEL_RO, LEAF);
	}
	expect_map(test, &dst, b, 0x05200000, PAGE_KERNEL_RO, LEAF);
	expect_map(test, &src, b, 0x05200000, PAGE_KERNEL_RO, LEAF);
	KUNIT_EXPECT_EQ(test, pt_query(&dst, a + 3 * PG, &q), -ENOENT);	/* holes stay holes */
	KUNIT_EXPECT_EQ(test, dst.nr_tables, (unsigned long)PT_LEVELS + 1);	/* root, path, two page tables */

	/* the destination's slots are taken now: refused before the policy sees the page */
	r.calls = 0;
	KUNIT_EXPECT_EQ(test, pt_copy_range(&dst, &src, a, a + PG, copy_fn, &r), -EEXIST);
	KUNIT_EXPECT_EQ(test, r.calls, 0U);
	/* the policy's error stops the walk and is returned */
	KUNIT_ASSERT_EQ(test, pt_unmap(&dst, a, PMD_SIZE), 0);
	r.calls = 0;
	r.stop_at = 2;
	KUNIT_EXPECT_EQ(test, pt_copy_range(&dst, &src, a, a + PMD_SIZE, copy_fn, &r), -E2BIG);
	KUNIT_EXPECT_EQ(test, r.calls, 2U);
	r.stop_at = 0;
	/* no table page for the destination */
	KUNIT_ASSERT_EQ(test, pt_unmap(&dst, T_BASE, T_SIZE), 0);
	pool.fail_after = 0;
	r.calls = 0;
	KUNIT_EXPECT_EQ(test, pt_copy_range(&dst, &src, a, a + PMD_SIZE, copy_fn, &r), -ENOMEM);
	pool.fail_after = -1;
	KUNIT_EXPECT_EQ(test, r.calls, 0U);
	/* copied as is: a writable page stays writable on both sides, and nothing is flushed */
	KUNIT_ASSERT_EQ(test, pt_map(&src, a + 12 * PG, 0x05300000, PG, PAGE_KERNEL), 0);
	r.keep = true;
	r.calls = 0;
	flushes = atomic_read(&src.nr_flushes);
	KUNIT_ASSERT_EQ(test, pt_copy_range(&dst, &src, a + 12 * PG, a + 13 * PG, copy_fn, &r), 0);
	r.keep = false;
	KUNIT_EXPECT_EQ(test, r.calls, 1U);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&src.nr_flushes), flushes);
	expect_map(test, &src, a + 12 * PG, 0x05300000, PAGE_KERNEL, LEAF);
	expect_map(test, &dst, a + 12 * PG, 0x05300000, PAGE_KERNEL, LEAF);
	KUNIT_ASSERT_EQ(test, pt_unmap(&src, a + 12 * PG, PG), 0);
	/* bad arguments */
	KUNIT_EXPECT_EQ(test, pt_copy_range(&src, &src, a, a + PG, copy_fn, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, pt_copy_range(&dst, &src, a + PG, a + PG, copy_fn, &r), -EINVAL);

	/* a contiguous-hint group: write-protected whole, unhinted first */
	if (c) {
		vaddr_t g = T_BASE + 8 * PMD_SIZE;

		KUNIT_ASSERT_EQ(test, pt_unmap(&dst, T_BASE, T_SIZE), 0);
		KUNIT_ASSERT_EQ(test, pt_map(&src, g, 0x09000000, c * PG, PAGE_KERNEL), 0);
		r.calls = 0;
		KUNIT_ASSERT_EQ(test, pt_copy_range(&dst, &src, g, g + c * PG, copy_fn, &r), 0);
		KUNIT_EXPECT_EQ(test, r.calls, c);
		for (i = 0; i < c; i++) {
			KUNIT_ASSERT_EQ(test, pt_query(&src, g + i * PG, &q), 0);
			KUNIT_EXPECT_FALSE(test, q.cont);
			expect_map(test, &src, g + i * PG, 0x09000000 + i * PG, PAGE_KERNEL_RO, LEAF);
			expect_map(test, &dst, g + i * PG, 0x09000000 + i * PG, PAGE_KERNEL_RO, LEAF);
		}
	}

	/* a block in the source: pages only */
	KUNIT_ASSERT_EQ(test, pt_unmap(&dst, T_BASE, T_SIZE), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&src, T_BASE + 6 * PMD_SIZE, 0x08000000, PMD_SIZE, PAGE_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, pt_copy_range(&dst, &src, T_BASE + 6 * PMD_SIZE, T_BASE + 7 * PMD_SIZE, copy_fn, &r),
			-EINVAL);
	kunit_release_action(test, copy_dst_action, &dst);
	KUNIT_EXPECT_EQ(test, dst.nr_tables, 0UL);
	KUNIT_ASSERT_EQ(test, pt_unmap(&src, T_BASE, T_SIZE), 0);
	ctx_done(test, &src);
}

/* The zap walk's callback in the tests: the PAs handed over, and whether a flush came first. */
struct zap_rec {
	struct mm_ctx *ctx;
	unsigned int n, flushes0;
	bool after_flush;	/* every page came after a flush of ctx (a live zap) */
	paddr_t pa[80];
};

static void zap_fn(paddr_t pa, void *priv)
{
	struct zap_rec *z = priv;

	z->after_flush &= (unsigned int)atomic_read(&z->ctx->nr_flushes) > z->flushes0;
	if (z->n < ARRAY_SIZE(z->pa))
		z->pa[z->n] = pa;
	z->n++;
}

static void zap_start(struct zap_rec *z, struct mm_ctx *ctx)
{
	z->ctx = ctx;
	z->n = 0;
	z->flushes0 = atomic_read(&ctx->nr_flushes);
	z->after_flush = true;
}

/*
 * The zap walk: exactly the present pages of the range, once each, in order,
 * handed over only after a flush; the emptied page tables freed (the table
 * count back to what it was), a group cut by the range unfolded; batches of
 * PT_ZAP_BATCH pages cost a flush each; a dead context none at all.
 */
static void zap_walk(struct kunit *test)
{
	static struct mm_ctx ctx;	/* static: the cleanup action runs after this frame is gone */
	struct zap_rec z;
	struct pt_query q;
	vaddr_t a = T_BASE + 3 * PMD_SIZE, b = a + PMD_SIZE, far = T_BASE + 6 * PMD_SIZE;
	unsigned int c = pt_cont_entries(LEAF), i, gc = c ? c : 16;
	unsigned long tables0;

	KUNIT_ASSERT_EQ(test, ctx_new(test, &ctx), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action(test, ctx_destroy_action, &ctx), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, far, 0x04000000, PG, PAGE_KERNEL), 0);	/* outside every zap */
	tables0 = ctx.nr_tables;
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, a, 0x05000000, 2 * PG, PAGE_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, a + 5 * PG, 0x05100000, PG, PAGE_KERNEL_RO), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, a + 16 * PG, 0x09000000, gc * PG, PAGE_KERNEL), 0);	/* a group */
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, b, 0x05200000, 2 * PG, PAGE_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, tables0 + 2);	/* the page tables of a and b */

	/* [a, b + 2 pages) minus the group's last gc - 4 pages: a's 3 pages, 4 of the group, b's 2 */
	zap_start(&z, &ctx);
	KUNIT_ASSERT_EQ(test, pt_zap_range(&ctx, a, 20 * PG, false, zap_fn, &z), 0);
	KUNIT_ASSERT_EQ(test, pt_zap_range(&ctx, b, 2 * PG, false, zap_fn, &z), 0);
	KUNIT_ASSERT_EQ(test, z.n, 9U);
	KUNIT_EXPECT_EQ(test, z.pa[0], 0x05000000);
	KUNIT_EXPECT_EQ(test, z.pa[1], 0x05000000 + PG);
	KUNIT_EXPECT_EQ(test, z.pa[2], 0x05100000);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, z.pa[3 + i], 0x09000000 + i * PG);
	KUNIT_EXPECT_EQ(test, z.pa[7], 0x05200000);
	KUNIT_EXPECT_EQ(test, z.pa[8], 0x05200000 + PG);
	KUNIT_EXPECT_TRUE(test, z.after_flush);
	for (i = 0; i < 20; i++)
		KUNIT_EXPECT_EQ(test, pt_query(&ctx, a + i * PG, &q), -ENOENT);
	for (i = 4; i < gc; i++) {	/* the rest of the group stays, without the hint */
		KUNIT_ASSERT_EQ(test, pt_query(&ctx, a + (16 + i) * PG, &q), 0);
		KUNIT_EXPECT_EQ(test, q.pa, 0x09000000 + i * PG);
		KUNIT_EXPECT_FALSE(test, q.cont);
	}
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, tables0 + 1);	/* b's page table went */
	expect_map(test, &ctx, far, 0x04000000, PAGE_KERNEL, LEAF);

	/* the rest: a's table goes too; a hole-only range hands over nothing */
	zap_start(&z, &ctx);
	KUNIT_ASSERT_EQ(test, pt_zap_range(&ctx, a, PMD_SIZE, false, zap_fn, &z), 0);
	KUNIT_EXPECT_EQ(test, z.n, gc - 4);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, tables0);
	zap_start(&z, &ctx);
	KUNIT_ASSERT_EQ(test, pt_zap_range(&ctx, a, 2 * PMD_SIZE, false, zap_fn, &z), 0);
	KUNIT_EXPECT_EQ(test, z.n, 0U);

	/* 70 pages: a flush per full batch and one at the end */
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, a, 0x06000000, 70 * PG, PAGE_KERNEL), 0);
	zap_start(&z, &ctx);
	KUNIT_ASSERT_EQ(test, pt_zap_range(&ctx, a, 70 * PG, false, zap_fn, &z), 0);
	KUNIT_EXPECT_EQ(test, z.n, 70U);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&ctx.nr_flushes), z.flushes0 + 70 / PT_ZAP_BATCH + 1);
	KUNIT_EXPECT_TRUE(test, z.after_flush);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, tables0);

	/* a dead context: the same pages, no flush at all */
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, a, 0x06000000, 70 * PG, PAGE_KERNEL), 0);
	zap_start(&z, &ctx);
	KUNIT_ASSERT_EQ(test, pt_zap_range(&ctx, a, 70 * PG, true, zap_fn, &z), 0);
	KUNIT_EXPECT_EQ(test, z.n, 70U);
	KUNIT_EXPECT_EQ(test, z.pa[69], 0x06000000 + 69 * PG);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&ctx.nr_flushes), z.flushes0);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, tables0);

	/* bad ranges change nothing */
	KUNIT_EXPECT_EQ(test, pt_zap_range(&ctx, far + 1, PG, false, zap_fn, &z), -EINVAL);
	KUNIT_EXPECT_EQ(test, pt_zap_range(&ctx, far, 0, false, zap_fn, &z), -EINVAL);
	expect_map(test, &ctx, far, 0x04000000, PAGE_KERNEL, LEAF);
	KUNIT_ASSERT_EQ(test, pt_zap_range(&ctx, far, PG, false, zap_fn, &z), 0);
	KUNIT_EXPECT_EQ(test, ctx.nr_tables, 1UL);	/* only the root is left */
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
	pool.pages = (u8 (*)[PAGE_SIZE])m;
	model_pa = (paddr_t *)(m + POOL_PAGES * 4096);
	model_prot = (u32 *)(model_pa + RND_PAGES);
	return 0;
}

static void pgtable_suite_exit(void)
{
	test_buf_free(pool.pages, PGT_MEM_SIZE);
	pool.pages = NULL;
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
	KUNIT_CASE(random_ops),
	KUNIT_CASE(walk_visitor_counts),
	KUNIT_CASE(leaf_slots),
	KUNIT_CASE(fault_slot_install),
	KUNIT_CASE(copy_walk),
	KUNIT_CASE(zap_walk));

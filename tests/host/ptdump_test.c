/* ptdump_test.c (host): golden page-table dump and walk output, the W^X check, and BBM ordering. */
#include <kernel/kunit.h>
#include <kernel/seq_buf.h>
#include <mm/ptdump.h>
#include <kernel/walk.h>
#include <asm/ptdump.h>
#include <asm/tlbflush.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../ktap/pt_fixture.h"

/*
 * Contexts over a pool with made-up, deterministic table addresses (lowest free
 * page first: tests/ktap/pt_fixture.h), so the dump and the walk print the same
 * bytes on every run.
 */
DEFINE_PT_POOL(hpool, 96, 0x20000000ULL);

#define PG	pt_level_size(PT_LEVELS - 1)
#define PMD	pt_level_size(PT_LEVELS - 2)

static int golden_ctx(struct kunit *test, struct mm_ctx *ctx)
{
	unsigned long base = ptdump_markers[0].start;
	unsigned int i;
	int err;

	err = pt_fixture_init(test, ctx, &hpool, base);
	/* "RAM": 6 MiB of blocks with a read-only hole in the middle, then small pages */
	err = err ?: pt_map(ctx, base, 0, 6 * PMD, PAGE_KERNEL);
	err = err ?: pt_protect(ctx, base + 2 * PMD + 16 * PG, 20 * PG, PAGE_KERNEL_RO);
	err = err ?: pt_map(ctx, base + 8 * PMD, 0x01000000, 20 * PG, PAGE_KERNEL);
	err = err ?: pt_map(ctx, base + 8 * PMD + 32 * PG, 0x01080000, 3 * PG, PAGE_KERNEL_ROX);
	err = err ?: pt_map(ctx, base + 8 * PMD + 35 * PG, 0x02000000, 2 * PG, PAGE_KERNEL_NC);
	/* one page at the start of every other region: each marker shows up */
	for (i = 2; !err && ptdump_markers[i].name; i += 2)
		if (ptdump_markers[i].start - base < ctx->va_size)
			err = pt_map(ctx, ptdump_markers[i].start, 0x3f000000 + i * PG, PG,
					i & 2 ? PAGE_KERNEL_DEVICE : PAGE_KERNEL_DEVICE_nGnRnE);
	return err;
}

static char golden_buf[32768];

/* kprintf holds one line at a time on the host: print a long text line by line. */
static void kprint_lines(const char *text)
{
	const char *nl;

	for (; *text; text = nl + 1) {
		nl = strchr(text, '\n');
		if (!nl) {
			kprintf("%s", text);
			return;
		}
		kprintf("%.*s\n", (int)(nl - text), text);
	}
}

/* The dump, three walks and the W^X line of the golden context. */
static size_t golden_output(struct kunit *test, struct mm_ctx *ctx)
{
	static char dump[16384];
	struct seq_buf s;
	unsigned long base = ptdump_markers[0].start;

	seq_buf_init(&s, dump, sizeof(dump));
	ptdump_show(ctx, NULL, &s);
	KUNIT_EXPECT_FALSE(test, s.overflow);
	printk_capture_start(golden_buf, sizeof(golden_buf));
	kprint_lines(dump);
	kprintf("# walk base + 2 MiB + 17 pages\n");
	walk_va(ctx, base + 2 * PMD + 17 * PG + 0x123);
	kprintf("# walk a page in a contiguous run\n");
	walk_va(ctx, base + 8 * PMD + 5 * PG);
	kprintf("# walk a hole\n");
	walk_va(ctx, base + 9 * PMD);
	ptdump_check_wx(ctx);
	return printk_capture_stop();
}

static void golden_dump(struct kunit *test)
{
	char path[128], *expect;
	struct mm_ctx ctx;
	size_t n, len;
	FILE *f;

	KUNIT_ASSERT_EQ(test, golden_ctx(test, &ctx), 0);
	n = golden_output(test, &ctx);
	pt_fixture_done(test, &ctx);
	snprintf(path, sizeof(path), "tests/host/golden/ptdump-%s.txt", PT_ARCH_NAME);
	if (getenv("PAGODA_UPDATE_GOLDEN")) {
		f = fopen(path, "w");
		KUNIT_ASSERT_NOT_NULL(test, f);
		fwrite(golden_buf, 1, n, f);
		fclose(f);
	}
	f = fopen(path, "r");
	if (!f)
		kunit_skip(test, "no golden file for this arch (run from the top directory)");
	expect = calloc(1, sizeof(golden_buf));
	len = fread(expect, 1, sizeof(golden_buf) - 1, f);
	fclose(f);
	if (len != n || memcmp(expect, golden_buf, n)) {
		kunit_info(test, "output differs from %s; this run printed:", path);
		kprint_lines(golden_buf);
	}
	KUNIT_EXPECT_EQ(test, len, n);
	KUNIT_EXPECT_EQ(test, memcmp(expect, golden_buf, n), 0);
	free(expect);
}

/* Every run line is well formed: addresses, size, level, and a PA unless it is a hole. */
static void dump_lines_wellformed(struct kunit *test)
{
	static char dump[16384];
	struct mm_ctx ctx;
	struct seq_buf s;
	char *line, *save;
	int runs = 0, markers = 0;

	KUNIT_ASSERT_EQ(test, golden_ctx(test, &ctx), 0);
	seq_buf_init(&s, dump, sizeof(dump));
	ptdump_show(&ctx, NULL, &s);
	pt_fixture_done(test, &ctx);
	for (line = strtok_r(dump, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long a, b;
		unsigned long size;
		char unit, level[8];

		if (!strncmp(line, "---[ ", 5)) {
			markers++;
			continue;
		}
		runs++;
		KUNIT_ASSERT_EQ(test, sscanf(line, "0x%llx-0x%llx %lu%c %7s", &a, &b, &size, &unit, level), 5);
		KUNIT_EXPECT_TRUE(test, (b ? b : ~0ULL) > a);
		KUNIT_EXPECT_TRUE(test, strchr("KMGT", unit) != NULL);
		if (strstr(line, "MEM/") || strstr(line, "DEVICE/"))
			KUNIT_EXPECT_SUBSTR(test, line, " -> 0x");
	}
	KUNIT_EXPECT_GT(test, runs, 10);
	KUNIT_EXPECT_EQ(test, markers, (int)ARRAY_SIZE(ptdump_markers) - 1);
}

static void wx_check_counts(struct kunit *test)
{
	char log[512];
	struct mm_ctx ctx;
	unsigned long base = ptdump_markers[0].start;

	KUNIT_ASSERT_EQ(test, pt_fixture_init(test, &ctx, &hpool, base), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, base, 0, 8 * PG, PAGE_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, base + 16 * PG, 0x100000, 4 * PG, PAGE_KERNEL_ROX), 0);
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_EQ(test, ptdump_check_wx(&ctx), 0UL);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "Checked W+X mappings: passed, no W+X pages found");

	KUNIT_ASSERT_EQ(test, pt_protect(&ctx, base + 2 * PG, 3 * PG, PAGE_KERNEL | PROT_EXEC), 0);
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_EQ(test, ptdump_check_wx(&ctx), 3UL);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "Checked W+X mappings: FAILED, 3 W+X pages found");
	KUNIT_EXPECT_SUBSTR(test, log, "Found insecure W+X mapping at address");
	pt_fixture_done(test, &ctx);
}

/*
 * Break-before-make, observed: at every TLB flush, each page of the window
 * must still translate as before the operation or not at all — never already
 * as after it (make before the flush) — and every page whose translation
 * changed must have been seen unmapped at a flush (it was broken).
 */
#define BBM_PAGES	1024
static struct mm_ctx *bbm_ctx;
static unsigned long bbm_base;
static struct pt_query bbm_before[BBM_PAGES];
static bool bbm_seen_broken[BBM_PAGES];
static int bbm_violations;

static bool same_translation(const struct pt_query *a, int ra, const struct pt_query *b, int rb)
{
	if (ra || rb)
		return ra == rb;
	return a->pa == b->pa && a->prot == b->prot && a->level == b->level && a->cont == b->cont;
}

static void bbm_hook(vaddr_t s, vaddr_t e)
{
	struct pt_query q;
	unsigned long va;
	int r, i;

	unsigned long top = bbm_base + BBM_PAGES * PG, hi = e && e < top ? e : top;

	for (va = s > bbm_base ? s : bbm_base; va < hi; va += PG) {
		i = (va - bbm_base) / PG;
		r = pt_query_locked(bbm_ctx, va, &q);	/* a flush runs under the table lock */
		if (r == -ENOENT)
			bbm_seen_broken[i] = true;
		else if (!same_translation(&q, r, &bbm_before[i], 0) && bbm_before[i].size &&
			 !bbm_seen_broken[i])
			bbm_violations++;
		/* What a later flush compares with: the translation now live (a split made
		 * earlier in this operation, after its own break, is the new "before"). */
		if (!r) {
			bbm_before[i] = q;
			bbm_seen_broken[i] = false;
		}
	}
}

static void bbm_op(struct kunit *test, int op, unsigned long first, unsigned long n, u32 prot)
{
	struct pt_query after;
	unsigned long i;
	int r;

	for (i = 0; i < BBM_PAGES; i++) {
		r = pt_query(bbm_ctx, bbm_base + i * PG, &bbm_before[i]);
		if (r)
			bbm_before[i].size = 0;	/* was unmapped */
		bbm_seen_broken[i] = false;
	}
	host_tlb_flush_hook = bbm_hook;
	if (op == 0)
		r = pt_protect(bbm_ctx, bbm_base + first * PG, n * PG, prot);
	else
		r = pt_unmap(bbm_ctx, bbm_base + first * PG, n * PG);
	host_tlb_flush_hook = NULL;
	KUNIT_EXPECT_EQ(test, r, 0);
	for (i = 0; i < BBM_PAGES; i++) {
		r = pt_query(bbm_ctx, bbm_base + i * PG, &after);
		if (bbm_before[i].size && !same_translation(&after, r, &bbm_before[i], 0) &&
		    !bbm_seen_broken[i])
			bbm_violations++;
	}
}

static void bbm_order(struct kunit *test)
{
	struct mm_ctx ctx;
	unsigned long flushes = host_tlb.range_flushes + host_tlb.all_flushes;

	bbm_base = ptdump_markers[0].start + 16 * PMD;
	bbm_ctx = &ctx;
	bbm_violations = 0;
	KUNIT_ASSERT_EQ(test, pt_fixture_init(test, &ctx, &hpool, ptdump_markers[0].start), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, bbm_base, 0, 2 * PMD, PAGE_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, host_tlb.range_flushes + host_tlb.all_flushes, flushes);	/* nothing live changed */
	bbm_op(test, 0, 100, 3, PAGE_KERNEL_RO);	/* splits a block, unfolds a group */
	bbm_op(test, 0, 96, 16, PAGE_KERNEL_RO);	/* refolds it */
	bbm_op(test, 1, 600, 40, 0);			/* splits the second block, unmaps */
	bbm_op(test, 0, 0, 512, PAGE_KERNEL_ROX);	/* a whole table's worth */
	KUNIT_EXPECT_GT(test, host_tlb.range_flushes + host_tlb.all_flushes, flushes);
	KUNIT_EXPECT_EQ(test, bbm_violations, 0);
	pt_fixture_done(test, &ctx);
}

static vaddr_t flushed_lo, flushed_hi;

static void span_hook(vaddr_t s, vaddr_t e)
{
	flushed_lo = min(flushed_lo, s);
	flushed_hi = max(flushed_hi, e);
}

/* Changing one entry flushes that entry's VA only, not the 16 around it. */
static void flush_only_broken(struct kunit *test)
{
	struct mm_ctx ctx;
	unsigned long base = ptdump_markers[0].start + 32 * PMD, i;

	KUNIT_ASSERT_EQ(test, pt_fixture_init(test, &ctx, &hpool, ptdump_markers[0].start), 0);
	/* 16 pages at scattered PAs: no contiguous run, so there is no group to unfold */
	for (i = 0; i < 16; i++)
		KUNIT_ASSERT_EQ(test, pt_map(&ctx, base + i * PG, 0x01000000 + 2 * i * PG, PG, PAGE_KERNEL), 0);
	flushed_lo = ~(vaddr_t)0;
	flushed_hi = 0;
	host_tlb_flush_hook = span_hook;
	KUNIT_EXPECT_EQ(test, pt_unmap(&ctx, base + 5 * PG, PG), 0);
	KUNIT_EXPECT_EQ(test, pt_protect(&ctx, base + 9 * PG, 2 * PG, PAGE_KERNEL_RO), 0);
	host_tlb_flush_hook = NULL;
	KUNIT_EXPECT_EQ(test, flushed_lo, base + 5 * PG);
	KUNIT_EXPECT_EQ(test, flushed_hi, base + 11 * PG);
	pt_fixture_done(test, &ctx);
}

/* An unmap gathers its invalidations: 1 MiB of pages (and the table it empties) cost one flush. */
static void unmap_gathers_one_flush(struct kunit *test)
{
	struct mm_ctx ctx;
	unsigned long base = ptdump_markers[0].start + 40 * PMD, before;
	unsigned long tables;

	KUNIT_ASSERT_EQ(test, pt_fixture_init(test, &ctx, &hpool, ptdump_markers[0].start), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, base + PG, 0x01000000, 256 * PG, PAGE_KERNEL), 0);
	tables = ctx.nr_tables;
	before = host_tlb.range_flushes + host_tlb.all_flushes;
	bbm_base = base;
	bbm_ctx = &ctx;
	bbm_violations = 0;
	KUNIT_EXPECT_EQ(test, pt_unmap(&ctx, base + PG, 256 * PG), 0);
	KUNIT_EXPECT_EQ(test, host_tlb.range_flushes + host_tlb.all_flushes - before, 1);
	KUNIT_EXPECT_LT(test, ctx.nr_tables, tables);	/* the emptied PTE table went back */
	/* and a single page (its table kept alive by a neighbour) still flushes just itself */
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, base, 0x01000000, PG, PAGE_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, base + 2 * PG, 0x02000000, PG, PAGE_KERNEL), 0);
	flushed_lo = ~(vaddr_t)0;
	flushed_hi = 0;
	host_tlb_flush_hook = span_hook;
	KUNIT_EXPECT_EQ(test, pt_unmap(&ctx, base, PG), 0);
	host_tlb_flush_hook = NULL;
	KUNIT_EXPECT_EQ(test, flushed_lo, base);
	KUNIT_EXPECT_EQ(test, flushed_hi, base + PG);
	pt_fixture_done(test, &ctx);
}

static pte_t *leaf_flush_slot;
static int leaf_flush_live;	/* flushes that found the slot still valid: cleared after the flush */

static void leaf_flush_hook(vaddr_t s, vaddr_t e)
{
	span_hook(s, e);
	leaf_flush_live += pte_valid(pte_read(leaf_flush_slot));
}

/*
 * The leaf-slot API keeps the rule of pt_commit: a slot is made with a plain
 * store (no flush: nothing cached it), cleared before its one-page flush, and
 * a gather puts the flush of many slots off to one flush of their span.
 */
static void leaf_slot_flushes(struct kunit *test)
{
	struct mm_ctx ctx;
	unsigned long base = ptdump_markers[0].start + 48 * PMD, before;
	struct pt_gather g = { .pending = false };
	pte_t *slot;

	KUNIT_ASSERT_EQ(test, pt_fixture_init(test, &ctx, &hpool, ptdump_markers[0].start), 0);
	KUNIT_ASSERT_EQ(test, pt_map(&ctx, base, 0x01000000, PG, PAGE_KERNEL), 0);
	slot = pt_leaf_slot(&ctx, base + 3 * PG);
	KUNIT_ASSERT_NOT_NULL(test, slot);
	before = host_tlb.range_flushes + host_tlb.all_flushes;
	KUNIT_EXPECT_EQ(test, pt_set_leaf(&ctx, slot, 0x02000000, PAGE_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, pt_set_leaf(&ctx, slot + 4, 0x03000000, PAGE_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, host_tlb.range_flushes + host_tlb.all_flushes, before);	/* empty -> valid */

	leaf_flush_slot = slot;
	leaf_flush_live = 0;
	flushed_lo = ~(vaddr_t)0;
	flushed_hi = 0;
	host_tlb_flush_hook = leaf_flush_hook;
	pt_clear_leaf(&ctx, slot, base + 3 * PG, NULL);
	KUNIT_EXPECT_EQ(test, host_tlb.range_flushes + host_tlb.all_flushes, before + 1);
	KUNIT_EXPECT_EQ(test, flushed_lo, base + 3 * PG);
	KUNIT_EXPECT_EQ(test, flushed_hi, base + 4 * PG);
	KUNIT_EXPECT_EQ(test, leaf_flush_live, 0);

	KUNIT_EXPECT_EQ(test, pt_set_leaf(&ctx, slot, 0x02000000, PAGE_KERNEL), 0);
	flushed_lo = ~(vaddr_t)0;
	flushed_hi = 0;
	pt_clear_leaf(&ctx, slot + 4, base + 7 * PG, &g);
	pt_clear_leaf(&ctx, slot, base + 3 * PG, &g);
	KUNIT_EXPECT_EQ(test, host_tlb.range_flushes + host_tlb.all_flushes, before + 1);	/* owed, not done */
	pt_gather_flush(&g);
	pt_gather_flush(&g);	/* nothing owed any more */
	host_tlb_flush_hook = NULL;
	KUNIT_EXPECT_EQ(test, host_tlb.range_flushes + host_tlb.all_flushes, before + 2);
	KUNIT_EXPECT_EQ(test, flushed_lo, base + 3 * PG);
	KUNIT_EXPECT_EQ(test, flushed_hi, base + 8 * PG);
	KUNIT_EXPECT_EQ(test, leaf_flush_live, 0);
	pt_fixture_done(test, &ctx);
}

kunit_test_suite(ptdump,
	KUNIT_CASE(golden_dump),
	KUNIT_CASE(dump_lines_wellformed),
	KUNIT_CASE(wx_check_counts),
	KUNIT_CASE(bbm_order),
	KUNIT_CASE(flush_only_broken),
	KUNIT_CASE(leaf_slot_flushes),
	KUNIT_CASE(unmap_gathers_one_flush));

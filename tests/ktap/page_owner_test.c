/* page_owner_test.c: KTAP suite for page_owner — records at alloc and free, Linux's file layout, the summary. */
#include <kernel/kunit.h>
#include <kernel/debugfs.h>
#include <kernel/seq_buf.h>
#include <kernel/stackdepot.h>
#include <mm/gfp.h>
#include <mm/mm.h>
#include <mm/page_owner.h>
#include <stdio.h>
#include <string.h>
#include <test_machine.h>

/*
 * A kernel booted without page_owner=on (and the host) gets a table for the
 * suite's time only: one buddy block of the largest order (the host's vmalloc
 * addresses are simulated, so not vmalloc), about 680 MiB of PFNs on the Pi 3.
 * Each case first moves it around where a block of its order comes from now
 * (table_around): blocks of different orders can come from far apart (the
 * KASAN kernel with nosmp, after the whole selftest: order 2 at PFN 0x3403c,
 * order 3 below 0x9000, more than the table's reach).
 */
#define TABLE_ORDER	(MAX_ORDER - 1)
static bool own_table;

/* Attaches table t over cap PFNs centred on pfn (within RAM). */
static void attach_around(struct page_owner *t, unsigned long pfn)
{
	unsigned long cap = (PAGE_SIZE << TABLE_ORDER) / sizeof(struct page_owner);
	unsigned long start = pfn > min_low_pfn + cap / 2 ? pfn - cap / 2 : min_low_pfn;

	page_owner_attach(t, start, min(cap, max_pfn - start));
}

/* The PFN an order-n block would come from now (the block is given back at once), or 0. */
static unsigned long probe_pfn(unsigned int order)
{
	struct page *p = alloc_pages(GFP_KERNEL, order);
	unsigned long pfn;

	if (!p)
		return 0;
	pfn = page_to_pfn(p);
	__free_pages(p, order);
	return pfn;
}

/* With the suite's own table: empties it and centres it where an order-n block comes from now. */
static void table_around(unsigned int order)
{
	unsigned long pfn = own_table ? probe_pfn(order) : 0;
	struct page_owner *t;

	if (!pfn)
		return;
	t = page_owner_detach();
	memset(t, 0, PAGE_SIZE << TABLE_ORDER);
	attach_around(t, pfn);
}

static int page_owner_suite_init(void)
{
	struct page_owner *t;

	if (vm_test_init())
		return 1;
	if (page_owner_table)
		return 0;
	t = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, TABLE_ORDER);
	if (!t)
		return 1;
	attach_around(t, min_low_pfn);
	own_table = true;
	return 0;
}

static void page_owner_suite_exit(void)
{
	if (own_table)
		free_pages((unsigned long)page_owner_detach(), TABLE_ORDER);
	own_table = false;
}

/* True if one of the stack's return addresses lies in fn (its first 8 KiB). */
static bool stack_has(depot_stack_handle_t h, void *fn)
{
	const unsigned long *e;
	unsigned int nr = stack_depot_fetch(h, &e), i;

	for (i = 0; i < nr; i++)
		if (e[i] - (unsigned long)fn < 8192)
			return true;
	return false;
}

static void records_alloc_and_free(struct kunit *test)
{
	const struct page_owner *po;
	struct page *p;

	table_around(2);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	KUNIT_ASSERT_NOT_NULL(test, p);
	po = page_owner_lookup(page_to_pfn(p));
	KUNIT_EXPECT_NOT_NULL(test, po);
	if (po) {
		KUNIT_EXPECT_EQ(test, po->allocated, 1);
		KUNIT_EXPECT_EQ(test, po->order, 2);
		KUNIT_EXPECT_EQ(test, po->gfp_mask, __GFP_ZERO);
		KUNIT_EXPECT_TRUE(test, stack_has(po->handle, records_alloc_and_free));
	}
	__free_pages(p, 2);
	if (po) {
		KUNIT_EXPECT_EQ(test, po->allocated, 0);
		KUNIT_EXPECT_TRUE(test, stack_has(po->free_handle, records_alloc_and_free));
	}
}

static void free_blocks(void *ctx)
{
	struct page **p = ctx;
	int i;

	for (i = 0; i < 3; i++)
		if (p[i])
			__free_pages(p[i], 3);
}

static void free_big(void *big)
{
	free_pages((unsigned long)big, 8);
}

/* Three blocks from one call site: one group "N times, 8N pages:", and Linux's lines per block. */
static void files_show_blocks_and_groups(struct kunit *test)
{
	static struct page *p[3];
	static char buf[16384], want[96];
	char *big;
	int i, n;

	table_around(3);
	memset(p, 0, sizeof(p));
	kunit_add_action(test, free_blocks, p);
	for (i = 0; i < 3; i++)
		p[i] = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
	KUNIT_ASSERT_TRUE(test, p[0] && p[1] && p[2]);
	for (i = 0, n = 0; i < 3; i++)	/* a suite-time table covers part of RAM: count what it sees */
		n += page_owner_lookup(page_to_pfn(p[i])) != NULL;
	KUNIT_ASSERT_GE(test, n, 1);
	snprintf(want, sizeof(want), "%d times, %d pages:\n", n, 8 * n);
	KUNIT_EXPECT_SUBSTR(test, debugfs_read("/sys/kernel/debug/page_owner_sort", buf, sizeof(buf)) ?: "", want);
	big = (char *)__get_free_pages(GFP_KERNEL, 8);	/* 1 MiB */
	KUNIT_ASSERT_NOT_NULL(test, big);
	kunit_add_action(test, free_big, big);	/* freed on every path, the asserts' too */
	{
		const struct debugfs_file *f = debugfs_lookup("/sys/kernel/debug/page_owner");
		struct seq_buf s;

		KUNIT_ASSERT_NOT_NULL(test, f);
		seq_buf_init(&s, big, 1 << 20);
		f->show(&s);
		snprintf(want, sizeof(want), "Page allocated via order 3, mask 0x20(__GFP_COMP), pid -1, tgid -1");
		KUNIT_EXPECT_SUBSTR(test, seq_buf_str(&s), want);
		for (i = 0; i < 2 && !page_owner_lookup(page_to_pfn(p[i])); i++)
			;
		snprintf(want, sizeof(want), "\nPFN %lu type Unmovable Block %lu type Unmovable Flags ",
			 page_to_pfn(p[i]), page_to_pfn(p[i]) >> (MAX_ORDER - 1));
		if (!s.overflow)
			KUNIT_EXPECT_SUBSTR(test, seq_buf_str(&s), want);
	}
}

kunit_test_suite_init(page_owner, page_owner_suite_init, page_owner_suite_exit,
	KUNIT_CASE(records_alloc_and_free),
	KUNIT_CASE(files_show_blocks_and_groups));

/* highmem_test.c: KTAP suite for kmap/kmap_local — patterns in HighMem above 4 GiB, refcounts, lazy flush, misuse. */
#include <kernel/kunit.h>
#include <mm/highmem.h>
#include <mm/pgtable.h>
#include <string.h>
#include <test_machine.h>
#include "vm_test.h"

/*
 * Runs against the live allocator (the kernel's, or the host's simulated
 * machine: with the x86 format it has HighMem below and above 4 GiB). Cases
 * that need HighMem skip where the machine has none: arm64, the arm64-format
 * host, and x86 with -m 512; the 4 GiB case needs RAM above 4 GiB (-m 6G).
 */
#define HM_BLOCK_ORDER	10	/* 1024 pages: more than LAST_PKMAP, so kmap wraps and flushes */

static int highmem_init(void)
{
	return vm_test_init();	/* kmap's slots live in init_mm */
}


/* A HighMem block of 2^order pages starting at or above 4 GiB, or NULL; other blocks go back. */
static struct page *alloc_high_above_4g(unsigned int order)
{
	struct page *p, *n, *found = NULL;
	LIST_HEAD(tried);

	while (!found && (p = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, order))) {
		if (!PageHighMem(p)) {
			__free_pages(p, order);
			break;
		}
		if (page_to_phys(p) >= 4 * SZ_1G)
			found = p;
		else
			list_add(&p->lru, &tried);
	}
	list_for_each_entry_safe(p, n, &tried, lru) {
		list_del(&p->lru);
		__free_pages(p, order);
	}
	return found;
}

static u32 pattern(const struct page *p, unsigned int i)
{
	return (u32)page_to_pfn(p) * 0x9e3779b1u ^ i;
}

static void fill(u32 *va, const struct page *p)
{
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / 4; i++)
		va[i] = pattern(p, i);
}

/* Words of the page at va that do not hold p's pattern. */
static unsigned int mismatches(const u32 *va, const struct page *p)
{
	unsigned int i, bad = 0;

	for (i = 0; i < PAGE_SIZE / 4; i++)
		bad += va[i] != pattern(p, i);
	return bad;
}

static void kmap_lowmem_is_linear(struct kunit *test)
{
	struct page *p = alloc_page(GFP_KERNEL);
	struct kmap_stats a, b;

	KUNIT_ASSERT_NOT_NULL(test, p);
	kmap_get_stats(&a);
	KUNIT_EXPECT_TRUE(test, kmap(p) == page_address(p));
	KUNIT_EXPECT_TRUE(test, kmap_local_page(p) == page_address(p));
	kunmap_local(page_address(p));
	kunmap(p);
	kmap_get_stats(&b);
	KUNIT_EXPECT_EQ(test, b.pkmap_mapped, a.pkmap_mapped);
	KUNIT_EXPECT_EQ(test, b.local_depth, a.local_depth);
	__free_page(p);
}

/* Writes a pattern into each page above 4 GiB through kmap, reads it back through kmap_local and kmap. */
static void kmap_pattern_above_4g(struct kunit *test)
{
	unsigned int i, n = 1u << HM_BLOCK_ORDER, bad = 0, wrong_pa = 0;
	struct page *blk = alloc_high_above_4g(HM_BLOCK_ORDER);
	struct kmap_stats a, b;
	struct pt_query q;
	u32 *va;

	if (!blk)
		kunit_skip(test, "no HighMem above 4 GiB on this machine");
	kmap_get_stats(&a);
	for (i = 0; i < n; i++) {
		va = kmap(blk + i);
		KUNIT_ASSERT_NOT_NULL(test, va);
		wrong_pa += pt_query(&init_mm, (vaddr_t)va, &q) || q.pa != page_to_phys(blk + i);
		fill(va, blk + i);
		kunmap(blk + i);
	}
	for (i = 0; i < n; i++) {
		va = kmap_local_page(blk + i);
		KUNIT_ASSERT_NOT_NULL(test, va);
		bad += mismatches(va, blk + i);
		kunmap_local(va);
		va = kmap(blk + i);
		bad += mismatches(va, blk + i);
		kunmap(blk + i);
	}
	kmap_get_stats(&b);
	KUNIT_EXPECT_EQ(test, wrong_pa, 0);
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_GT(test, b.pkmap_flushes, a.pkmap_flushes);	/* 3 x 1024 kmaps wrapped round */
	KUNIT_EXPECT_EQ(test, b.pkmap_in_use, a.pkmap_in_use);
	KUNIT_EXPECT_EQ(test, b.local_depth, 0);
	kunit_info(test, "PA 0x%llx-0x%llx: %u pages written and read back, %lu lazy flushes",
		   (unsigned long long)page_to_phys(blk), (unsigned long long)page_to_phys(blk + n - 1),
		   n, b.pkmap_flushes - a.pkmap_flushes);
	__free_pages(blk, HM_BLOCK_ORDER);
}

/* kmap is reference-counted and kunmap leaves the entry until the next wrap-round flush. */
static void kmap_refcount_lazy(struct kunit *test)
{
	struct page *p = alloc_highpage();
	struct kmap_stats a, b, c;
	void *v1, *v2, *v3;
	struct pt_query q;

	if (!p)
		kunit_skip(test, "no HighMem on this machine");
	kmap_get_stats(&a);
	v1 = kmap(p);
	v2 = kmap(p);
	KUNIT_ASSERT_NOT_NULL(test, v1);
	KUNIT_EXPECT_TRUE(test, v1 == v2);
	kmap_get_stats(&b);
	KUNIT_EXPECT_EQ(test, b.pkmap_in_use, a.pkmap_in_use + 1);
	kunmap(p);
	kunmap(p);
	kmap_get_stats(&c);
	KUNIT_EXPECT_EQ(test, c.pkmap_in_use, a.pkmap_in_use);
	/* still mapped (no flush yet): the same slot comes back */
	KUNIT_EXPECT_EQ(test, pt_query(&init_mm, (vaddr_t)v1, &q), 0);
	KUNIT_EXPECT_EQ(test, q.pa, page_to_phys(p));
	v3 = kmap(p);
	KUNIT_EXPECT_TRUE(test, v3 == v1);
	kunmap(p);
	__free_page(p);
}

static void kunmap_misuse_reported(struct kunit *test)
{
	struct page *p = alloc_highpage();
	struct kmap_stats a, b;
	char log[256];

	if (!p)
		kunit_skip(test, "no HighMem on this machine");
	kmap_get_stats(&a);
	printk_capture_start(log, sizeof(log));
	kunmap(p);
	printk_capture_stop();
	kmap_get_stats(&b);
	KUNIT_EXPECT_SUBSTR(test, log, "BUG: kunmap: pfn");
	KUNIT_EXPECT_SUBSTR(test, log, "is not kmap()ed");
	KUNIT_EXPECT_EQ(test, b.pkmap_in_use, a.pkmap_in_use);
	KUNIT_EXPECT_EQ(test, b.pkmap_mapped, a.pkmap_mapped);
	__free_page(p);
}

/* With every pkmap slot held, kmap reports and returns NULL; kunmap gives them all back. */
static void kmap_slots_exhausted(struct kunit *test)
{
	struct page *blk = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, HM_BLOCK_ORDER);
	unsigned int i, mapped = 0;
	struct kmap_stats a, b;
	char log[256];

	if (blk && !PageHighMem(blk)) {
		__free_pages(blk, HM_BLOCK_ORDER);
		blk = NULL;
	}
	if (!blk)
		kunit_skip(test, "no HighMem block on this machine");
	kmap_get_stats(&a);
	printk_capture_start(log, sizeof(log));
	while (mapped < (1u << HM_BLOCK_ORDER) && kmap(blk + mapped))
		mapped++;
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, mapped, PKMAP_SLOTS - a.pkmap_in_use);
	KUNIT_EXPECT_SUBSTR(test, log, "pkmap slots are in use");
	for (i = 0; i < mapped; i++)
		kunmap(blk + i);
	kmap_get_stats(&b);
	KUNIT_EXPECT_EQ(test, b.pkmap_in_use, a.pkmap_in_use);
	KUNIT_EXPECT_NOT_NULL(test, kmap(blk + mapped));	/* a slot is free again */
	kunmap(blk + mapped);
	__free_pages(blk, HM_BLOCK_ORDER);
}

/* kmap_local nests: each level its own slot, one page lower; unmapping goes innermost first. */
static void kmap_local_nesting(struct kunit *test)
{
	struct page *p[3];
	u32 *va[3];
	struct kmap_stats st;
	struct pt_query q;
	char log[256];
	int i, n = 0;

	for (i = 0; i < 3; i++)
		n += !!(p[i] = alloc_highpage());
	if (n < 3) {
		for (i = 0; i < 3; i++)
			if (p[i])
				__free_page(p[i]);
		kunit_skip(test, "no HighMem on this machine");
	}
	for (i = 0; i < 3; i++) {
		va[i] = kmap_local_page(p[i]);
		KUNIT_ASSERT_NOT_NULL(test, va[i]);
		fill(va[i], p[i]);
	}
	KUNIT_EXPECT_EQ(test, (uintptr_t)va[1], (uintptr_t)va[0] - PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, (uintptr_t)va[2], (uintptr_t)va[1] - PAGE_SIZE);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, mismatches(va[i], p[i]), 0);
	printk_capture_start(log, sizeof(log));
	kunmap_local(va[0]);			/* not the innermost: refused */
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "is not the innermost kmap_local mapping");
	kmap_get_stats(&st);
	KUNIT_EXPECT_EQ(test, st.local_depth, 3);
	for (i = 2; i >= 0; i--)
		kunmap_local(va[i]);
	kmap_get_stats(&st);
	KUNIT_EXPECT_EQ(test, st.local_depth, 0);
	KUNIT_EXPECT_NE(test, pt_query(&init_mm, (vaddr_t)va[2], &q), 0);	/* the entry is gone */
	for (i = 0; i < 3; i++)
		__free_page(p[i]);
}

static void kmap_local_depth_limit(struct kunit *test)
{
	struct page *p = alloc_highpage();
	void *va[KMAP_LOCAL_MAX + 1];
	struct kmap_stats st;
	char log[256];
	int i;

	if (!p)
		kunit_skip(test, "no HighMem on this machine");
	for (i = 0; i < KMAP_LOCAL_MAX; i++)
		KUNIT_EXPECT_NOT_NULL(test, va[i] = kmap_local_page(p));
	printk_capture_start(log, sizeof(log));
	va[KMAP_LOCAL_MAX] = kmap_local_page(p);
	printk_capture_stop();
	KUNIT_EXPECT_NULL(test, va[KMAP_LOCAL_MAX]);
	KUNIT_EXPECT_SUBSTR(test, log, "BUG: kmap_local: nesting deeper than");
	for (i = KMAP_LOCAL_MAX - 1; i >= 0; i--)
		kunmap_local(va[i]);
	kmap_get_stats(&st);
	KUNIT_EXPECT_EQ(test, st.local_depth, 0);
	__free_page(p);
}

/*
 * memcpy_to_page/memcpy_from_page copy exactly [offset, offset + len) of a page,
 * HighMem where the machine has it, lowmem otherwise; the bytes around stay.
 */
static void memcpy_page_range(struct kunit *test)
{
	struct page *p = alloc_page(GFP_HIGHUSER);
	char src[300], back[300];
	unsigned int i, bad = 0;
	u8 *va;

	KUNIT_ASSERT_NOT_NULL(test, p);
	va = kmap_local_page(p);
	memset(va, 0x5a, PAGE_SIZE);
	kunmap_local(va);
	for (i = 0; i < sizeof(src); i++)
		src[i] = (char)(i * 7 + 1);
	memcpy_to_page(p, PAGE_SIZE - sizeof(src) - 100, src, sizeof(src));
	memset(back, 0, sizeof(back));
	memcpy_from_page(back, p, PAGE_SIZE - sizeof(src) - 100, sizeof(src));
	KUNIT_EXPECT_EQ(test, memcmp(back, src, sizeof(src)), 0);
	va = kmap_local_page(p);
	for (i = 0; i < PAGE_SIZE; i++)
		if (i < PAGE_SIZE - sizeof(src) - 100 || i >= PAGE_SIZE - 100)
			bad += va[i] != 0x5a;
	kunmap_local(va);
	KUNIT_EXPECT_EQ(test, bad, 0);
	kunit_info(test, "%s page: %zu bytes at offset %lu copied in and out",
		   PageHighMem(p) ? "HighMem" : "lowmem", sizeof(src), PAGE_SIZE - sizeof(src) - 100);
	__free_page(p);
}

/* __GFP_ZERO on a HighMem page zeroes it through kmap_local (clear_highpage). */
static void zeroed_highpage(struct kunit *test)
{
	struct page *p = alloc_highpage();
	unsigned int i, nonzero = 0;
	u32 *va;

	if (!p)
		kunit_skip(test, "no HighMem on this machine");
	va = kmap_local_page(p);
	memset(va, 0xaa, PAGE_SIZE);
	kunmap_local(va);
	__free_page(p);
	p = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, p);
	va = kmap_local_page(p);
	for (i = 0; i < PAGE_SIZE / 4; i++)
		nonzero += va[i] != 0;
	kunmap_local(va);
	KUNIT_EXPECT_EQ(test, nonzero, 0);
	__free_page(p);
}

kunit_test_suite_init(highmem, highmem_init, NULL,
	KUNIT_CASE(kmap_lowmem_is_linear),
	KUNIT_CASE(kmap_pattern_above_4g),
	KUNIT_CASE(kmap_refcount_lazy),
	KUNIT_CASE(kunmap_misuse_reported),
	KUNIT_CASE(kmap_slots_exhausted),
	KUNIT_CASE(kmap_local_nesting),
	KUNIT_CASE(kmap_local_depth_limit),
	KUNIT_CASE(memcpy_page_range),
	KUNIT_CASE(zeroed_highpage));

/* kmalloc_test.c: KTAP suite for kmalloc/kzalloc/kcalloc/krealloc/kfree/ksize and the large path. */
#include <kernel/kunit.h>
#include <mm/kfence.h>
#include <mm/kasan.h>
#include <mm/slab.h>
#include <mm/mm.h>
#include <mm/vmstat.h>
#include <mm/page_alloc_debug.h>
#include <string.h>
#include <test_machine.h>

static int kmalloc_suite_init(void)
{
	if (mm_test_machine())
		return 1;
	kmem_cache_init();
	return 0;
}

/* Linux's classes up to 256, then the classes that fill their slabs (mm/kmalloc.c). */
static const unsigned int classes[] = {
	8, 16, 32, 64, 96, 128, 192, 256,
	320, 384, 448, 512, 576, 896, 1024, 1152, 1344, 2048, 2304, 2688, 3264, 4096,
	5440, 6528, 8192,
};

static unsigned int class_of(size_t n)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(classes); i++)
		if (n <= classes[i])
			return classes[i];
	return 0;
}

/*
 * Every size 1..8192 lands in the smallest class that holds it, with that
 * class's alignment. An allocation KFENCE sampled has that alignment too but
 * its ksize is the size asked for (as in Linux: its page holds nothing more).
 */
static void every_size_class(struct kunit *test)
{
	unsigned int bad_class = 0, bad_align = 0;
	size_t n;

	for (n = 1; n <= KMALLOC_MAX_CACHE_SIZE; n++) {
		u8 *p = kmalloc(n, GFP_KERNEL);
		unsigned int cls = class_of(n);
		unsigned int align = cls & -cls;	/* 96 -> 32, 320 -> 64, 2304 -> 256, 2^k -> 2^k */

		KUNIT_ASSERT_NOT_NULL(test, p);
		bad_class += ksize(p) != (is_kfence_address(p) ? n : cls);
		bad_align += (unsigned long)p % align != 0;
		p[0] = 1;
		p[ksize(p) - 1] = 2;	/* the whole class is usable */
		kfree(p);
	}
	KUNIT_EXPECT_EQ(test, bad_class, 0);
	KUNIT_EXPECT_EQ(test, bad_align, 0);
	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(classes), 25);
}

/*
 * The classes are chosen to fill their slabs: every kmalloc cache loses at most
 * 1/16 of each slab to the tail (the reason for 5440 and 6528 rather than 5120
 * and 7168; see mm/kmalloc.c). Checked against the order mm/slab.c picked.
 */
static void classes_fill_slabs(struct kunit *test)
{
	unsigned int i, bad = 0;

	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		struct kmem_cache *c = kmalloc_slab(classes[i]);
		unsigned long bytes = PAGE_SIZE << c->order, tail = bytes - c->objects * c->stride;

		if (tail * 16 > bytes) {
			kunit_info(test, "%s: %lu of %lu bytes per slab unused", c->name, tail, bytes);
			bad++;
		}
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/* Objects a test takes of size n: up to 64, about 32 KiB of them, at least 2 (small machines: x86 -m 4). */
static unsigned int objs_for(size_t n)
{
	return (unsigned int)clamp(32768 / n, (size_t)2, (size_t)64);
}

/*
 * Linux's alignment guarantee: a power-of-two size is naturally aligned (up to
 * the page size and beyond: a large power-of-two kmalloc is one buddy block),
 * and no kmalloc is less aligned than a word. Several objects per size, so a
 * lucky first object cannot pass for the whole slab.
 */
static void alignment_guarantees(struct kunit *test)
{
	static void *o[64];
	unsigned int bad_pow2 = 0, bad_word = 0, failed = 0, i;
	size_t n;

	for (n = 8; n <= 4 * KMALLOC_MAX_CACHE_SIZE; n *= 2) {
		for (i = 0; i < objs_for(n); i++) {
			o[i] = kmalloc(n, GFP_KERNEL);
			failed += !o[i];
			bad_pow2 += (unsigned long)o[i] % n != 0;
		}
		for (i = 0; i < objs_for(n); i++) {
			kfree(o[i]);
			o[i] = NULL;	/* no stale pointer in .bss to hide a later leak from kmemleak */
		}
	}
	for (n = 1; n <= 3 * KMALLOC_MAX_CACHE_SIZE; n += 37) {
		u8 *p = kmalloc(n, GFP_KERNEL);

		failed += !p;
		bad_word += (unsigned long)p % sizeof(long) != 0;
		kfree(p);
	}
	KUNIT_EXPECT_EQ(test, failed, 0);
	KUNIT_EXPECT_EQ(test, bad_pow2, 0);
	KUNIT_EXPECT_EQ(test, bad_word, 0);
}

/* Each class is its own kmalloc-N cache and many objects of it never overlap. */
static void classes_are_caches(struct kunit *test)
{
	static void *o[ARRAY_SIZE(classes)][64];
	unsigned int i, j, k, failed = 0, overlap = 0;

	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		struct kmem_cache *c = kmalloc_slab(classes[i]);

		KUNIT_ASSERT_NOT_NULL(test, c);
		KUNIT_EXPECT_EQ(test, c->object_size, classes[i]);
		KUNIT_EXPECT_TRUE(test, kmalloc_slab(classes[i] + 1) != c);
		for (j = 0; j < objs_for(classes[i]); j++) {
			o[i][j] = kmalloc(classes[i], GFP_KERNEL);
			failed += !o[i][j];
			if (o[i][j])
				memset(o[i][j], (int)(i * 64 + j), classes[i]);
		}
	}
	for (i = 0; i < ARRAY_SIZE(classes); i++)
		for (j = 0; j < objs_for(classes[i]); j++) {
			u8 *p = o[i][j];

			for (k = 0; p && k < classes[i]; k++)
				if (p[k] != (u8)(i * 64 + j))
					break;
			overlap += p && k != classes[i];
			kfree(p);
			o[i][j] = NULL;	/* as above: nothing stale for kmemleak's scan of .bss */
		}
	KUNIT_EXPECT_EQ(test, failed, 0);
	KUNIT_EXPECT_EQ(test, overlap, 0);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(kmalloc_slab(64)), -1);	/* refused */
	KUNIT_EXPECT_TRUE(test, kmem_cache_find("kmalloc-64") == kmalloc_slab(64));
	/* /proc/slabinfo names, as Linux spells them: bytes, or KiB when whole */
	KUNIT_EXPECT_TRUE(test, kmem_cache_find("kmalloc-320") == kmalloc_slab(257));
	KUNIT_EXPECT_TRUE(test, kmem_cache_find("kmalloc-1152") == kmalloc_slab(1025));
	KUNIT_EXPECT_TRUE(test, kmem_cache_find("kmalloc-1k") == kmalloc_slab(1000));
	KUNIT_EXPECT_TRUE(test, kmem_cache_find("kmalloc-3264") == kmalloc_slab(3000));
	KUNIT_EXPECT_TRUE(test, kmem_cache_find("kmalloc-6528") == kmalloc_slab(6000));
	KUNIT_EXPECT_TRUE(test, kmem_cache_find("kmalloc-8k") == kmalloc_slab(8192));
	KUNIT_EXPECT_NULL(test, kmem_cache_find("kmalloc-1024"));
	KUNIT_EXPECT_NULL(test, kmalloc_slab(KMALLOC_MAX_CACHE_SIZE + 1));
	KUNIT_EXPECT_NULL(test, kmalloc_slab(0));
}

/* Pages free in the buddy and on the per-CPU lists, all zones; -1 if a zone fails its check. */
static long free_pages_checked(struct kunit *test)
{
	const struct zone *z;
	long n = 0, f;
	char why[128];

	for_each_zone(z) {
		if (!z->managed_pages)
			continue;
		f = buddy_verify_zone(z, why, sizeof(why));
		if (f < 0) {
			kunit_info(test, "buddy_verify_zone: %s", why);
			return -1;
		}
		n += f;
	}
	return n;
}

/*
 * Above 8192 bytes: whole pages, page-granular (8193 bytes -> 3 pages, 100000
 * -> 25, not 4 and 32); the tail of the buddy block went back to the buddy at
 * once, the pages kept point at the first, all counted in NR_KMALLOC_LARGE.
 */
static void large_allocations(struct kunit *test)
{
	long large0 = global_node_page_state(NR_KMALLOC_LARGE), free0 = free_pages_checked(test);
	struct page *pg;
	unsigned int i, bad_tail = 0;
	u8 *p, *q;

	KUNIT_ASSERT_GE(test, free0, 0);
	p = kmalloc(8193, GFP_KERNEL);
	q = kmalloc(100000, GFP_KERNEL);
	if (!p || !q) {		/* nothing to check; nothing kept either */
		kfree(p);
		kfree(q);
	}
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, (unsigned long)p % PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, ksize(p), 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ksize(q), 25 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, free_pages_checked(test), free0 - 3 - 25);
	pg = virt_to_page(q);
	KUNIT_EXPECT_TRUE(test, PageFlag(pg, PG_large_kmalloc) && !PageSlab(pg) && !PageHead(pg));
	for (i = 1; i < 25; i++)
		bad_tail += !PageTail(pg + i) || pg[i].compound_head != pg;
	KUNIT_EXPECT_EQ(test, bad_tail, 0);
	KUNIT_EXPECT_FALSE(test, pg[25].flags & (PAGE_ALLOC_ORDER_MASK | (1u << PG_tail)));	/* given back */
	KUNIT_EXPECT_EQ(test, global_node_page_state(NR_KMALLOC_LARGE) - large0, 3 + 25);
	memset(q, 0x5e, ksize(q));
	kfree(p);
	kfree(q);
	KUNIT_EXPECT_FALSE(test, PageFlag(pg, PG_large_kmalloc) || PageTail(pg + 1));
	KUNIT_EXPECT_EQ(test, global_node_page_state(NR_KMALLOC_LARGE), large0);
	KUNIT_EXPECT_EQ(test, free_pages_checked(test), free0);
	KUNIT_EXPECT_NULL(test, kmalloc((size_t)PAGE_SIZE << MAX_ORDER, GFP_KERNEL | __GFP_NOWARN));
}

/* kzalloc and kcalloc return zeroed memory even when the object was dirty; kcalloc catches overflow. */
static void zeroing_and_overflow(struct kunit *test)
{
	u8 *p, *z;
	unsigned int i, nonzero = 0;

	if (kasan_enabled())
		kunit_skip(test, "KASAN: freed objects wait in its quarantine (no LIFO reuse), bytes past 200 are red zone");
	p = kmalloc(200, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0xff, 200);
	kfree(p);
	z = kzalloc(200, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, z);
	KUNIT_EXPECT_TRUE(test, z == p);	/* LIFO: the dirty object came back */
	for (i = 0; i < 256; i++)
		nonzero += z[i] != 0;
	KUNIT_EXPECT_EQ(test, nonzero, 0);
	kfree(z);
	z = kcalloc(10, 30, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, z);
	for (i = 0, nonzero = 0; i < 300; i++)
		nonzero += z[i] != 0;
	KUNIT_EXPECT_EQ(test, nonzero, 0);
	kfree(z);
	KUNIT_EXPECT_NULL(test, kcalloc((size_t)-1 / 4 + 2, 4, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, kcalloc(2, (size_t)-1 / 2 + 1, GFP_KERNEL));
	z = kcalloc(0, 8, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, z == ZERO_SIZE_PTR);
	kfree(z);
}

/* krealloc keeps contents when growing across classes and into the large path, and back. */
static void krealloc_keeps_contents(struct kunit *test)
{
	static const size_t steps[] = { 10, 60, 100, 190, 1000, 5000, 30000, 70000, 300, 20 };
	u8 *p = krealloc(NULL, 5, GFP_KERNEL), *q;
	size_t have = 5, i, k;
	unsigned int bad = 0;

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (k = 0; k < have; k++)
		p[k] = (u8)(k * 7);
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		bool fits = steps[i] <= ksize(p);	/* asked before: p is gone once it moved */

		q = krealloc(p, steps[i], GFP_KERNEL);
		if (!q)
			kfree(p);			/* a failed krealloc leaves p the caller's */
		KUNIT_ASSERT_NOT_NULL(test, q);
		if (fits)
			KUNIT_EXPECT_TRUE(test, q == p);	/* fits: same object */
		for (k = 0; k < min(have, steps[i]); k++)
			bad += q[k] != (u8)(k * 7);
		for (k = have; k < steps[i]; k++)
			q[k] = (u8)(k * 7);
		have = steps[i];
		p = q;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	q = krealloc(p, 0, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, q == ZERO_SIZE_PTR);
}

/* The edge cases Linux defines: kmalloc(0), kfree(NULL), kfree(ZERO_SIZE_PTR), ksize(NULL). */
static void zero_and_null(struct kunit *test)
{
	void *z = kmalloc(0, GFP_KERNEL);

	KUNIT_EXPECT_TRUE(test, z == ZERO_SIZE_PTR);
	kfree(z);
	kfree(NULL);
	KUNIT_EXPECT_EQ(test, ksize(NULL), 0);
	KUNIT_EXPECT_EQ(test, ksize(ZERO_SIZE_PTR), 0);
}

/* kmalloc pages are counted as unreclaimable slab (meminfo's SUnreclaim). */
static void meminfo_counters(struct kunit *test)
{
	void *o[300];
	long s0;
	int i;

	/* Nothing cached to start from: free objects in the CPU arrays (or KASAN's quarantine) would serve some. */
	kmem_cache_shrink(kmalloc_slab(1024));
	s0 = global_node_page_state(NR_SLAB_UNRECLAIMABLE);
	for (i = 0; i < 300; i++)
		o[i] = kmalloc(1024, GFP_KERNEL);	/* 300 KiB: at least 60 new pages */
	KUNIT_EXPECT_GE(test, global_node_page_state(NR_SLAB_UNRECLAIMABLE) - s0, 60);
	for (i = 0; i < 300; i++)
		kfree(o[i]);
	kmem_cache_shrink(kmalloc_slab(1024));
	KUNIT_EXPECT_LE(test, global_node_page_state(NR_SLAB_UNRECLAIMABLE), s0);
}

kunit_test_suite_init(kmalloc, kmalloc_suite_init, NULL,
	KUNIT_CASE(every_size_class),
	KUNIT_CASE(alignment_guarantees),
	KUNIT_CASE(classes_fill_slabs),
	KUNIT_CASE(classes_are_caches),
	KUNIT_CASE(large_allocations),
	KUNIT_CASE(zeroing_and_overflow),
	KUNIT_CASE(krealloc_keeps_contents),
	KUNIT_CASE(zero_and_null),
	KUNIT_CASE(meminfo_counters));

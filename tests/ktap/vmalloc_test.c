/* vmalloc_test.c: KTAP suites for the VA-range allocator (vmap_area) and vmalloc/vmap. */
#include <kernel/kunit.h>
#include <mm/vmap_area.h>
#include <asm/memory.h>
#include <string.h>

/* ---- vmap_area: the VA-range allocator on private spaces --------------------------------- */

#define TEST_POOL_PAGES	48
static char test_pool[TEST_POOL_PAGES][PAGE_SIZE] __aligned(PAGE_SIZE);
static unsigned int test_pool_used;

/* Node pages for test spaces: a static pool, reset by new_space(). */
static void *test_get_page(void)
{
	return test_pool_used < TEST_POOL_PAGES ? test_pool[test_pool_used++] : NULL;
}

#define SPACE_START	0x10000000UL
#define SPACE_SIZE	0x10000000UL	/* 256 MiB */

static void new_space(struct va_space *vs, unsigned long size)
{
	test_pool_used = 0;
	va_space_init(vs, SPACE_START, SPACE_START + size, test_get_page);
}

#define EXPECT_CONSISTENT(test, vs) do { \
	const char *__e = va_space_check(vs); \
	KUNIT_FAIL_IF(test, __e, (void)0, "va_space_check: %s", __e); \
} while (0)

static void va_alloc_lowest_first(struct kunit *test)
{
	struct va_space vs;
	unsigned long a, b, c;

	new_space(&vs, SPACE_SIZE);
	a = va_space_alloc(&vs, SZ_4K, PAGE_SIZE);
	b = va_space_alloc(&vs, 2 * SZ_4K, PAGE_SIZE);
	c = va_space_alloc(&vs, SZ_4K, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, a, SPACE_START);
	KUNIT_EXPECT_EQ(test, b, SPACE_START + SZ_4K);
	KUNIT_EXPECT_EQ(test, c, SPACE_START + 3 * SZ_4K);
	KUNIT_EXPECT_TRUE(test, va_space_free(&vs, b, 2 * SZ_4K));
	/* The hole at b is the lowest fit for one page, and for two, not for three. */
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, SZ_4K, PAGE_SIZE), b);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, 3 * SZ_4K, PAGE_SIZE), SPACE_START + 4 * SZ_4K);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, SZ_4K, PAGE_SIZE), b + SZ_4K);
	EXPECT_CONSISTENT(test, &vs);
	KUNIT_EXPECT_EQ(test, vs.free_bytes, SPACE_SIZE - 7 * SZ_4K);
}

static void va_alloc_aligned(struct kunit *test)
{
	struct va_space vs;
	unsigned long a, b;

	new_space(&vs, SPACE_SIZE);
	a = va_space_alloc(&vs, SZ_4K, PAGE_SIZE);
	b = va_space_alloc(&vs, SZ_64K, SZ_64K);
	KUNIT_EXPECT_EQ(test, a, SPACE_START);
	KUNIT_EXPECT_EQ(test, b, SPACE_START + SZ_64K);
	/* The head [4K, 64K) stays free and is used next. */
	KUNIT_EXPECT_EQ(test, vs.nr_free, 2UL);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, 15 * SZ_4K, PAGE_SIZE), SPACE_START + SZ_4K);
	KUNIT_EXPECT_EQ(test, vs.nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, SZ_2M, SZ_2M) & (SZ_2M - 1), 0UL);
	/* Bad sizes and alignments are refused, not rounded. */
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, 100, PAGE_SIZE), 0UL);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, SZ_4K, 3 * SZ_4K), 0UL);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, 0, PAGE_SIZE), 0UL);
	EXPECT_CONSISTENT(test, &vs);
}

static void va_free_coalesces(struct kunit *test)
{
	struct va_space vs;
	unsigned long a, b, c;

	new_space(&vs, SPACE_SIZE);
	a = va_space_alloc(&vs, SZ_4K, PAGE_SIZE);
	b = va_space_alloc(&vs, SZ_4K, PAGE_SIZE);
	c = va_space_alloc(&vs, SZ_4K, PAGE_SIZE);
	KUNIT_ASSERT_TRUE(test, va_space_free(&vs, b, SZ_4K));
	KUNIT_EXPECT_EQ(test, vs.nr_free, 2UL);
	KUNIT_ASSERT_TRUE(test, va_space_free(&vs, a, SZ_4K));	/* merges with b's hole */
	KUNIT_EXPECT_EQ(test, vs.nr_free, 2UL);
	KUNIT_ASSERT_TRUE(test, va_space_free(&vs, c, SZ_4K));	/* joins both sides */
	KUNIT_EXPECT_EQ(test, vs.nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, va_space_largest(&vs), SPACE_SIZE);
	KUNIT_EXPECT_EQ(test, vs.free_root->start, SPACE_START);
	EXPECT_CONSISTENT(test, &vs);
}

static void va_bad_free_reported(struct kunit *test)
{
	struct va_space vs;
	char log[512];
	unsigned long a, before;

	new_space(&vs, SPACE_SIZE);
	a = va_space_alloc(&vs, 4 * SZ_4K, PAGE_SIZE);
	va_space_alloc(&vs, SZ_4K, PAGE_SIZE);
	KUNIT_ASSERT_TRUE(test, va_space_free(&vs, a, 4 * SZ_4K));
	before = vs.free_bytes;
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_FALSE(test, va_space_free(&vs, a + SZ_4K, SZ_4K));	/* inside a free range */
	KUNIT_EXPECT_FALSE(test, va_space_free(&vs, a + 4 * SZ_4K, 2 * SZ_4K)); /* tail is free */
	KUNIT_EXPECT_FALSE(test, va_space_free(&vs, SPACE_START - SZ_4K, SZ_4K));
	KUNIT_EXPECT_FALSE(test, va_space_free(&vs, a + 5 * SZ_4K + 1, SZ_4K));
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "vmap: bad free of [0x");
	KUNIT_EXPECT_SUBSTR(test, log, "overlaps a free range (double free?)");
	KUNIT_EXPECT_SUBSTR(test, log, "not a page-aligned range of this space");
	KUNIT_EXPECT_EQ(test, vs.free_bytes, before);
	KUNIT_EXPECT_EQ(test, vs.nr_free, 2UL);
	EXPECT_CONSISTENT(test, &vs);
}

static void va_exhaustion(struct kunit *test)
{
	struct va_space vs;
	unsigned long i, n = 64;

	new_space(&vs, n * SZ_4K);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, SZ_4K, PAGE_SIZE), SPACE_START + i * SZ_4K);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, SZ_4K, PAGE_SIZE), 0UL);
	KUNIT_EXPECT_EQ(test, vs.nr_free, 0UL);
	for (i = 0; i < n; i += 2)
		va_space_free(&vs, SPACE_START + i * SZ_4K, SZ_4K);
	KUNIT_EXPECT_EQ(test, vs.nr_free, n / 2);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, 2 * SZ_4K, PAGE_SIZE), 0UL);	/* fragmented */
	for (i = 1; i < n; i += 2)
		va_space_free(&vs, SPACE_START + i * SZ_4K, SZ_4K);
	KUNIT_EXPECT_EQ(test, vs.nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, n * SZ_4K, PAGE_SIZE), SPACE_START);
	EXPECT_CONSISTENT(test, &vs);
}

struct live_range {
	unsigned long start, size;
};

#define MAX_LIVE	400
static struct live_range live[MAX_LIVE];

/* True if no free range below a could have held size bytes (first fit, page alignment). */
static bool lowest_fit(const struct va_space *vs, unsigned long a, unsigned long size)
{
	struct va_node *n;

	for (n = va_tree_ceil(vs->free_root, 0); n && n->start < a; n = va_tree_ceil(vs->free_root, n->start + 1))
		if (n->end - n->start >= size)
			return false;
	return true;
}

/* One random allocation, checked against every live range; returns false on a failure. */
static bool random_alloc(struct kunit *test, struct va_space *vs, u64 *rs, int *nlive)
{
	unsigned long pages = 1 + kunit_rand(rs) % (kunit_rand(rs) % 8 ? 8 : 512);
	unsigned long align = kunit_rand(rs) % 4 ? PAGE_SIZE : PAGE_SIZE << (kunit_rand(rs) % 6);
	unsigned long size = pages * PAGE_SIZE, a = va_space_alloc(vs, size, align);
	int i;

	if (!a)
		return true;	/* full: legal, the torture frees later */
	KUNIT_FAIL_IF(test, a < vs->start || a + size > vs->end || (a & (align - 1)), return false,
		      "bad range 0x%lx+0x%lx align 0x%lx", a, size, align);
	for (i = 0; i < *nlive; i++)
		KUNIT_FAIL_IF(test, a < live[i].start + live[i].size && live[i].start < a + size,
			      return false, "0x%lx+0x%lx overlaps live 0x%lx+0x%lx",
			      a, size, live[i].start, live[i].size);
	if (align == PAGE_SIZE && (kunit_rand(rs) & 31) == 0)
		KUNIT_FAIL_IF(test, !lowest_fit(vs, a, size), return false,
			      "0x%lx is not the lowest fit for 0x%lx", a, size);
	live[(*nlive)++] = (struct live_range){ a, size };
	return true;
}

/* Random allocs and frees against a shadow list: no overlap, invariants, all back at the end. */
static void va_random_torture(struct kunit *test)
{
	struct va_space vs;
	u64 rs = 0x5eed1234;
	int nlive = 0, i, op, max_depth = 0;

	new_space(&vs, 16 * SZ_1M);
	for (op = 0; op < 40000; op++) {
		if (nlive < MAX_LIVE && (nlive == 0 || kunit_rand(&rs) % 100 < 55)) {
			if (!random_alloc(test, &vs, &rs, &nlive))
				return;
		} else {
			i = kunit_rand(&rs) % nlive;
			KUNIT_ASSERT_TRUE(test, va_space_free(&vs, live[i].start, live[i].size));
			live[i] = live[--nlive];
		}
		if (op % 1000 == 0) {
			const char *e = va_space_check(&vs);
			KUNIT_FAIL_IF(test, e, return, "op %d: %s", op, e);
			max_depth = max(max_depth, (int)va_tree_depth(vs.free_root));
		}
	}
	for (i = 0; i < nlive; i++)
		KUNIT_ASSERT_TRUE(test, va_space_free(&vs, live[i].start, live[i].size));
	EXPECT_CONSISTENT(test, &vs);
	KUNIT_EXPECT_EQ(test, vs.nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, vs.free_bytes, 16 * SZ_1M);
	/* A random treap of <= 400 nodes is ~20 deep; a degenerate one would be hundreds. */
	KUNIT_EXPECT_LE(test, max_depth, 40);
	kunit_info(test, "max free-tree depth %d, node pages %lu", max_depth, vs.nodes.pages);
}

kunit_test_suite(vmap_area,
	KUNIT_CASE(va_alloc_lowest_first),
	KUNIT_CASE(va_alloc_aligned),
	KUNIT_CASE(va_free_coalesces),
	KUNIT_CASE(va_bad_free_reported),
	KUNIT_CASE(va_exhaustion),
	KUNIT_CASE(va_random_torture));

/* buddy_torture_test.c: 10^6 random mixed-order allocs/frees against the live buddy, with an invariant checker. */
#include <kernel/kunit.h>
#include <mm/kasan.h>
#include <mm/mmzone.h>
#include <mm/page_alloc_debug.h>
#include <string.h>
#include <test_machine.h>

/*
 * Live allocator (the kernel's, or the host's simulated machine). The test owns
 * up to SLOTS blocks at a time, tracked in slot[] and in a bitmap with one bit per
 * PFN of mem_map (itself allocated from the buddy before the baseline is taken).
 * Per operation: a new block must be aligned, in a zone that the GFP flags allow,
 * and must not overlap any block the test holds (bitmap); held pages carry their
 * PFN as a stamp (every page of blocks up to order 3, the first and last page of
 * bigger ones) that must still be there when the block is freed (an overlap with
 * someone else's block would overwrite it). Every CHECK_EVERY operations, and at
 * the end, every zone goes through buddy_verify_zone() and the books must balance:
 * free (buddy + per-CPU) + held by the test + held by others = managed, where
 * "others" (pages allocated before the test started) must not change.
 * After freeing everything, buddyinfo must equal what it was at the start.
 */
/* Under KASAN each operation also (un)poisons up to 512 KiB of shadow: 10^5 operations there. */
#define TORTURE_OPS	(kasan_enabled() ? 100000UL : 1000000UL)
#define SLOTS		256
#define CHECK_EVERY	100000UL

struct torture {
	struct {
		struct page *page;
		unsigned int order;
	} slot[SLOTS];
	unsigned long *bitmap;		/* PFN - min_low_pfn */
	unsigned int bitmap_order;
	unsigned long held, others, allocs, frees, failures;
};

static struct torture T;

static bool bit_test_set(unsigned long pfn, bool set)
{
	unsigned long i = pfn - min_low_pfn, *w = &T.bitmap[i / (8 * sizeof(long))];
	unsigned long mask = 1UL << (i % (8 * sizeof(long)));
	bool old = *w & mask;

	*w = set ? *w | mask : *w & ~mask;
	return old;
}

/* Marks [pfn, pfn + n) as held; false if any of it already was. Word at a time where aligned. */
static bool bits_claim(unsigned long pfn, unsigned long n)
{
	const unsigned long bpl = 8 * sizeof(long);
	unsigned long i = pfn - min_low_pfn, k;

	if (i % bpl == 0 && n % bpl == 0) {
		for (k = 0; k < n / bpl; k++)
			if (T.bitmap[i / bpl + k])
				return false;
		for (k = 0; k < n / bpl; k++)
			T.bitmap[i / bpl + k] = ~0UL;
		return true;
	}
	for (k = 0; k < n; k++)
		if (bit_test_set(pfn + k, true))
			return false;
	return true;
}

static void bits_release(unsigned long pfn, unsigned long n)
{
	const unsigned long bpl = 8 * sizeof(long);
	unsigned long i = pfn - min_low_pfn, k;

	if (i % bpl == 0 && n % bpl == 0) {
		for (k = 0; k < n / bpl; k++)
			T.bitmap[i / bpl + k] = 0;
		return;
	}
	for (k = 0; k < n; k++)
		bit_test_set(pfn + k, false);
}

/* The pages of a held block that carry a stamp: all of a small block, the ends of a big one. */
static bool stamped(unsigned int i, unsigned int order)
{
	return order <= 3 || i == 0 || i == (1U << order) - 1;
}

static unsigned long free_pages_everywhere(struct kunit *test, bool *ok)
{
	const struct zone *z;
	unsigned long sum = 0;
	char why[128];

	for_each_zone(z) {
		long n = buddy_verify_zone(z, why, sizeof(why));

		if (n < 0) {
			kunit_info(test, "after %lu ops: %s", T.allocs + T.frees, why);
			*ok = false;
			return 0;
		}
		sum += (unsigned long)n;
	}
	return sum;
}

static unsigned long managed_everywhere(void)
{
	return totalram_pages();
}

static unsigned int random_order(u64 r)
{
	unsigned int pct = r % 100;

	if (pct < 55)
		return 0;
	if (pct < 80)
		return 1 + (r >> 8) % 3;	/* 1..3 */
	if (pct < 95)
		return 4 + (r >> 8) % 4;	/* 4..7 */
	return 8 + (r >> 8) % 3;		/* 8..10 */
}

static gfp_t random_gfp(u64 r)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;

	if ((r >> 20) % 8 == 0 && random_order(r) <= 3)	/* zeroing big blocks would dominate */
		gfp |= __GFP_ZERO;
	if ((r >> 24) % 4 == 0)
		gfp |= __GFP_COMP;
	if ((r >> 28) % 16 == 0 && zones[ZONE_DMA].managed_pages)
		gfp |= __GFP_DMA;
	if ((r >> 32) % 16 == 0)
		gfp |= __GFP_ATOMIC;
	return gfp;
}

static bool torture_alloc(struct kunit *test, int s, u64 r)
{
	unsigned int order = random_order(r), i;
	gfp_t gfp = random_gfp(r);
	struct page *p = alloc_pages(gfp, order);
	unsigned long pfn;

	if (!p) {
		T.failures++;
		return true;
	}
	pfn = page_to_pfn(p);
	if ((pfn & ((1UL << order) - 1)) || !pfn_valid(pfn + (1UL << order) - 1) ||
	    ((gfp & __GFP_DMA) && page_zonenum(p) != ZONE_DMA)) {
		kunit_info(test, "bad block: pfn 0x%lx order %u zone %u", pfn, order, page_zonenum(p));
		return false;
	}
	if (!bits_claim(pfn, 1UL << order)) {
		kunit_info(test, "a page of pfn 0x%lx order %u was handed out twice", pfn, order);
		return false;
	}
	for (i = 0; i < (1U << order); i++) {
		unsigned long *stamp = page_address(p + i);

		if (!stamped(i, order))
			continue;
		if ((gfp & __GFP_ZERO) && (stamp[0] || stamp[PAGE_SIZE / sizeof(long) - 1])) {
			kunit_info(test, "__GFP_ZERO page 0x%lx not zeroed", pfn + i);
			return false;
		}
		stamp[0] = pfn + i;
	}
	T.slot[s].page = p;
	T.slot[s].order = order;
	T.held += 1UL << order;
	T.allocs++;
	return true;
}

static bool torture_free(struct kunit *test, int s)
{
	struct page *p = T.slot[s].page;
	unsigned int order = T.slot[s].order, i;
	unsigned long pfn = page_to_pfn(p);

	for (i = 0; i < (1U << order); i++) {
		if (stamped(i, order) && *(unsigned long *)page_address(p + i) != pfn + i) {
			kunit_info(test, "stamp of pfn 0x%lx overwritten", pfn + i);
			return false;
		}
	}
	bits_release(pfn, 1UL << order);
	__free_pages(p, order);
	T.slot[s].page = NULL;
	T.held -= 1UL << order;
	T.frees++;
	return true;
}

static bool books_balance(struct kunit *test)
{
	bool ok = true;
	unsigned long free = free_pages_everywhere(test, &ok);

	if (ok && free + T.held + T.others != managed_everywhere()) {
		kunit_info(test, "after %lu ops: free %lu + held %lu + others %lu != managed %lu",
			   T.allocs + T.frees, free, T.held, T.others, managed_everywhere());
		ok = false;
	}
	return ok;
}

static void snap_buddyinfo(unsigned long nr[MAX_NR_ZONES][MAX_ORDER])
{
	int zi;
	unsigned int o;

	drain_all_pages(NULL);
	for (zi = 0; zi < MAX_NR_ZONES; zi++)
		for (o = 0; o < MAX_ORDER; o++)
			nr[zi][o] = zones[zi].free_area[o].nr_free;
}

static void torture_mixed_orders(struct kunit *test)
{
	static unsigned long start[MAX_NR_ZONES][MAX_ORDER], end[MAX_NR_ZONES][MAX_ORDER];
	unsigned long bytes = DIV_ROUND_UP(max_pfn - min_low_pfn, 8 * sizeof(long)) * sizeof(long), op;
	u64 seed = 0x5eed1234;
	bool ok = true;
	struct page *bm;
	int s;

	memset(&T, 0, sizeof(T));
	while ((PAGE_SIZE << T.bitmap_order) < bytes)
		T.bitmap_order++;
	bm = alloc_pages(GFP_KERNEL | __GFP_ZERO, T.bitmap_order);
	KUNIT_ASSERT_NOT_NULL(test, bm);
	T.bitmap = page_address(bm);
	snap_buddyinfo(start);
	T.others = managed_everywhere() - free_pages_everywhere(test, &ok);
	KUNIT_ASSERT_TRUE(test, ok);
	for (op = 0; op < TORTURE_OPS && ok; op++) {
		u64 r = kunit_rand(&seed);

		s = (int)(r % SLOTS);
		ok = T.slot[s].page ? torture_free(test, s) : torture_alloc(test, s, r >> 8);
		if (ok && (op + 1) % CHECK_EVERY == 0)
			ok = books_balance(test);
	}
	KUNIT_EXPECT_TRUE(test, ok);
	for (s = 0; s < SLOTS; s++)
		if (T.slot[s].page)
			KUNIT_EXPECT_TRUE(test, torture_free(test, s));
	KUNIT_EXPECT_EQ(test, T.held, 0UL);
	KUNIT_EXPECT_TRUE(test, books_balance(test));
	snap_buddyinfo(end);
	KUNIT_EXPECT_EQ(test, memcmp(start, end, sizeof(start)), 0);
	kunit_info(test, "%lu allocs, %lu frees, %lu failed allocations (no memory of that order)",
		   T.allocs, T.frees, T.failures);
	KUNIT_EXPECT_GE(test, T.allocs + T.frees + T.failures, TORTURE_OPS);
	__free_pages(bm, T.bitmap_order);
}

static int torture_init(void)
{
	return mm_test_machine();
}

kunit_test_suite_init(buddy_torture, torture_init, NULL,
	KUNIT_CASE(torture_mixed_orders));

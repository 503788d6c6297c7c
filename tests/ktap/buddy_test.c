/* buddy_test.c: KTAP suite for the buddy allocator — split/merge, GFP flags, per-CPU lists, watermarks, misuse. */
#include <kernel/kunit.h>
#include <mm/mmzone.h>
#include <mm/kasan.h>
#include <mm/page_alloc_debug.h>
#include <stdio.h>
#include <string.h>
#include <test_machine.h>

/*
 * These cases run against the LIVE allocator: in the kernel the one mem_init()
 * built at boot, on the host the simulated 64 MiB machine of tests/seam/host/mm_machine.c
 * (mm_test_machine()). They take real pages and give them back, and compare the
 * allocator's state before and after, so they never assume an empty machine.
 */
struct buddy_snap {
	unsigned long nr[MAX_NR_ZONES][MAX_ORDER];
	unsigned long free[MAX_NR_ZONES];
};

static void snap(struct buddy_snap *s)
{
	int zi;
	unsigned int o;

	drain_all_pages(NULL);
	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		s->free[zi] = zones[zi].free_pages;
		for (o = 0; o < MAX_ORDER; o++)
			s->nr[zi][o] = zones[zi].free_area[o].nr_free;
	}
}

static bool snap_equal(struct kunit *test, const struct buddy_snap *a, const struct buddy_snap *b)
{
	int zi;
	unsigned int o;

	for (zi = 0; zi < MAX_NR_ZONES; zi++)
		for (o = 0; o < MAX_ORDER; o++)
			if (a->nr[zi][o] != b->nr[zi][o]) {
				kunit_info(test, "zone %s order %u: %lu free blocks, expected %lu",
					   zones[zi].name, o, b->nr[zi][o], a->nr[zi][o]);
				return false;
			}
	return true;
}

/* Every zone passes buddy_verify_zone. */
static bool zones_consistent(struct kunit *test)
{
	const struct zone *z;
	char why[128];

	for_each_zone(z)
		if (buddy_verify_zone(z, why, sizeof(why)) < 0) {
			kunit_info(test, "buddy invariant broken: %s", why);
			return false;
		}
	return true;
}

static struct zone *normal_alloc_zone(void)
{
	return zones[ZONE_NORMAL].managed_pages ? &zones[ZONE_NORMAL] : &zones[ZONE_DMA];
}

static void split_and_merge_exact(struct kunit *test)
{
	struct zone *z = normal_alloc_zone();
	int zi = (int)(z - zones);
	struct buddy_snap before, after;
	struct page *a, *b;
	unsigned int o, k;

	zone_pcp_disable(z);
	snap(&before);
	for (k = 0; k < MAX_ORDER && !before.nr[zi][k]; k++)
		;
	KUNIT_ASSERT_LT(test, k, MAX_ORDER);
	a = alloc_pages(GFP_KERNEL, 0);		/* splits the smallest free block (order k) */
	KUNIT_ASSERT_NOT_NULL(test, a);
	snap(&after);
	KUNIT_EXPECT_EQ(test, after.nr[zi][k], before.nr[zi][k] - 1);
	for (o = 0; o < k; o++)
		KUNIT_EXPECT_EQ(test, after.nr[zi][o], before.nr[zi][o] + 1);
	KUNIT_EXPECT_EQ(test, after.free[zi], before.free[zi] - 1);
	b = alloc_pages(GFP_KERNEL, 0);		/* the freshly split order-0 half: a's buddy */
	KUNIT_ASSERT_NOT_NULL(test, b);
	if (k > 0)
		KUNIT_EXPECT_EQ(test, page_to_pfn(a) ^ 1, page_to_pfn(b));
	__free_pages(a, 0);
	if (k > 0) {				/* a alone: no merge yet */
		snap(&after);
		KUNIT_EXPECT_EQ(test, after.nr[zi][0], before.nr[zi][0] + 1);
	}
	__free_pages(b, 0);			/* merges all the way back up */
	snap(&after);
	KUNIT_EXPECT_TRUE(test, snap_equal(test, &before, &after));
	zone_pcp_enable(z);
	KUNIT_EXPECT_TRUE(test, zones_consistent(test));
}

static void every_order_aligned(struct kunit *test)
{
	struct buddy_snap before, after;
	unsigned int o;

	snap(&before);
	for (o = 0; o < MAX_ORDER; o++) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o);

		if (!p)
			continue;	/* a fragmented machine may have no block this big */
		KUNIT_EXPECT_EQ(test, page_to_pfn(p) & ((1UL << o) - 1), 0UL);
		KUNIT_EXPECT_FALSE(test, PageBuddy(p) || PageReserved(p));
		KUNIT_EXPECT_EQ(test, (uintptr_t)page_address(p) & ((PAGE_SIZE << o) - 1), 0UL);
		KUNIT_EXPECT_TRUE(test, virt_to_page(page_address(p)) == p);
		__free_pages(p, o);
	}
	snap(&after);
	KUNIT_EXPECT_TRUE(test, snap_equal(test, &before, &after));
}

static void zero_and_get_free_pages(struct kunit *test)
{
	unsigned long addr = __get_free_pages(GFP_KERNEL, 1), z;
	unsigned long i, nz = 0;

	KUNIT_ASSERT_NE(test, addr, 0UL);
	memset((void *)addr, 0xa5, 2 * PAGE_SIZE);
	free_pages(addr, 1);
	z = __get_free_pages(GFP_KERNEL | __GFP_ZERO, 1);	/* likely the same, dirty block */
	KUNIT_ASSERT_NE(test, z, 0UL);
	for (i = 0; i < 2 * PAGE_SIZE; i++)
		nz += ((u8 *)z)[i] != 0;
	KUNIT_EXPECT_EQ(test, nz, 0UL);
	free_pages(z, 1);
	addr = __get_free_pages(GFP_KERNEL, 0);
	memset((void *)addr, 0x5a, PAGE_SIZE);
	free_page(addr);
	z = get_zeroed_page(GFP_KERNEL);
	KUNIT_ASSERT_NE(test, z, 0UL);
	for (i = 0, nz = 0; i < PAGE_SIZE; i++)
		nz += ((u8 *)z)[i] != 0;
	KUNIT_EXPECT_EQ(test, nz, 0UL);
	free_page(z);
}

static void compound_pages(struct kunit *test)
{
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, PageHead(p));
	KUNIT_EXPECT_EQ(test, p->order, 3);
	for (i = 1; i < 8; i++) {
		KUNIT_EXPECT_TRUE(test, PageTail(p + i));
		KUNIT_EXPECT_TRUE(test, p[i].compound_head == p);
	}
	__free_pages(p, 3);
	KUNIT_EXPECT_FALSE(test, PageHead(p));
	for (i = 1; i < 8; i++)
		KUNIT_EXPECT_FALSE(test, PageTail(p + i));
	KUNIT_EXPECT_TRUE(test, zones_consistent(test));
}

static void dma_zone(struct kunit *test)
{
	struct page *p;

	if (!zones[ZONE_DMA].managed_pages)
		kunit_skip(test, "no ZONE_DMA on this machine");
	p = alloc_pages(GFP_DMA, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, page_zonenum(p), (unsigned int)ZONE_DMA);
	KUNIT_EXPECT_LT(test, page_to_phys(p), (u64)ARCH_ZONE_DMA_LIMIT);
	__free_pages(p, 0);
}

static void pcp_batch_refill_and_drain(struct kunit *test)
{
	struct zone *z = normal_alloc_zone();
	struct per_cpu_pages *pcp = this_cpu_pcp(z);
	struct buddy_snap before, after;
	struct page *held[512];
	int i, n;

	snap(&before);				/* drains: the list is empty */
	KUNIT_ASSERT_GT(test, pcp->batch, 0);
	KUNIT_ASSERT_LE(test, pcp->high + pcp->batch, 512);
	held[0] = alloc_pages(GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, held[0]);
	KUNIT_EXPECT_EQ(test, pcp->count, pcp->batch - 1);	/* one batch came over, one page left */
	KUNIT_EXPECT_EQ(test, z->free_pages, before.free[z - zones] - pcp->batch);
	n = pcp->high + 1;
	for (i = 1; i < n; i++) {
		held[i] = alloc_pages(GFP_KERNEL, 0);
		KUNIT_ASSERT_NOT_NULL(test, held[i]);
	}
	for (i = 0; i < n; i++) {
		__free_pages(held[i], 0);
		KUNIT_EXPECT_LT(test, pcp->count, pcp->high);	/* reaching high drains a batch */
	}
	KUNIT_EXPECT_GT(test, pcp->count, 0);
	KUNIT_EXPECT_TRUE(test, zones_consistent(test));
	drain_local_pages(z);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	snap(&after);
	KUNIT_EXPECT_TRUE(test, snap_equal(test, &before, &after));
}

/* Takes every page the allocator gives for gfp (largest blocks first), chained through ->lru. */
static unsigned long take_all(struct list_head *held, gfp_t gfp)
{
	unsigned long n = 0;
	int o;

	for (o = MAX_ORDER - 1; o >= 0; o--) {
		struct page *p;

		while ((p = alloc_pages(gfp | __GFP_NOWARN, (unsigned int)o))) {
			p->private = (unsigned long)o;
			list_add(&p->lru, held);
			n += 1UL << o;
		}
	}
	return n;
}

static void give_back(struct list_head *held)
{
	while (!list_empty(held)) {
		struct page *p = list_first_entry(held, struct page, lru);

		list_del(&p->lru);
		__free_pages(p, (unsigned int)p->private);
	}
}

static void watermarks_and_oom(struct kunit *test)
{
	struct buddy_snap before, after;
	struct zone *z;
	LIST_HEAD(held);
	char log[512];
	long res;
	int hz = ZONE_NORMAL;

	snap(&before);
	for_each_zone(z)
		zone_pcp_disable(z);
	take_all(&held, GFP_KERNEL);
	for (z = zones; z <= &zones[hz]; z++) {	/* GFP_KERNEL stops exactly at min (+ reserve) */
		if (!z->managed_pages)
			continue;
		res = z->lowmem_reserve[hz];
		KUNIT_EXPECT_EQ(test, z->free_pages, min_wmark_pages(z) + res);
	}
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_NULL(test, alloc_pages(GFP_KERNEL, 0));
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "page allocation failure: order:0, mode:0x0");
	KUNIT_EXPECT_GT(test, take_all(&held, GFP_ATOMIC), 0UL);	/* atomic dips below min */
	for (z = zones; z <= &zones[hz]; z++) {
		unsigned long min = min_wmark_pages(z);

		if (!z->managed_pages)
			continue;
		KUNIT_EXPECT_EQ(test, z->free_pages, min - min / 2 - min / 4 + z->lowmem_reserve[hz]);
	}
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_NULL(test, alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0));
	KUNIT_EXPECT_NULL(test, alloc_pages(GFP_KERNEL, MAX_ORDER));
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, strstr(log, "order:0") == NULL, 1);	/* __GFP_NOWARN: silent */
	KUNIT_EXPECT_SUBSTR(test, log, "page allocation failure: order:11");
	KUNIT_EXPECT_TRUE(test, zones_consistent(test));
	give_back(&held);
	for_each_zone(z)
		zone_pcp_enable(z);
	snap(&after);
	KUNIT_EXPECT_TRUE(test, snap_equal(test, &before, &after));
	for_each_zone(z)
		if (z->managed_pages) {
			KUNIT_EXPECT_LT(test, min_wmark_pages(z), low_wmark_pages(z));
			KUNIT_EXPECT_LT(test, low_wmark_pages(z), high_wmark_pages(z));
		}
}


/*
 * Misuse: each bad free must print the report (checked in the captured log),
 * change nothing (free counts and buddyinfo as before) and leave every zone
 * consistent; then the block is freed correctly.
 */
struct misuse_ctx {
	struct buddy_snap before;
	unsigned long reports;
	char log[1024];
};

static void misuse_begin(struct misuse_ctx *m)
{
	snap(&m->before);
	m->reports = bad_page_count;
	printk_capture_start(m->log, sizeof(m->log));
}

static void misuse_end(struct kunit *test, struct misuse_ctx *m, const char *reason)
{
	struct buddy_snap after;

	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, m->log, "BUG: Bad page state in process swapper/0");
	KUNIT_EXPECT_SUBSTR(test, m->log, reason);
	KUNIT_EXPECT_SUBSTR(test, m->log, "caller: ");
	KUNIT_EXPECT_EQ(test, bad_page_count, m->reports + 1);
	snap(&after);
	KUNIT_EXPECT_TRUE(test, snap_equal(test, &m->before, &after));
	KUNIT_EXPECT_TRUE(test, zones_consistent(test));
}

static void misuse_double_free(struct kunit *test)
{
	struct misuse_ctx m;
	struct page *p = alloc_pages(GFP_KERNEL, 0), *q;
	char pfn[32];

	KUNIT_ASSERT_NOT_NULL(test, p);
	__free_pages(p, 0);			/* now on the per-CPU list */
	snprintf(pfn, sizeof(pfn), "pfn:%05lx", page_to_pfn(p));
	m.reports = bad_page_count;
	printk_capture_start(m.log, sizeof(m.log));
	__free_pages(p, 0);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, m.log, "double free (page is already free on a per-CPU list)");
	KUNIT_EXPECT_SUBSTR(test, m.log, pfn);
	KUNIT_EXPECT_EQ(test, bad_page_count, m.reports + 1);
	KUNIT_EXPECT_TRUE(test, zones_consistent(test));

	q = alloc_pages(GFP_KERNEL, 2);		/* merged into the buddy after its free */
	KUNIT_ASSERT_NOT_NULL(test, q);
	__free_pages(q, 2);
	misuse_begin(&m);
	__free_pages(q, 2);
	misuse_end(test, &m, "double free (page is ");
	misuse_begin(&m);
	__free_pages(q + 1, 0);			/* inside a free block, not its head */
	misuse_end(test, &m, "double free (page is inside a free order-");
}

static void misuse_reserved(struct kunit *test)
{
	struct misuse_ctx m;
	unsigned long pfn;

	for (pfn = min_low_pfn; pfn < max_pfn && !PageReserved(pfn_to_page(pfn)); pfn++)
		;
	KUNIT_ASSERT_LT(test, pfn, max_pfn);	/* the kernel image at least is reserved */
	misuse_begin(&m);
	__free_pages(pfn_to_page(pfn), 0);
	misuse_end(test, &m, "freeing a reserved page (never given to the buddy)");
	KUNIT_EXPECT_TRUE(test, PageReserved(pfn_to_page(pfn)));
}

static void misuse_wrong_order(struct kunit *test)
{
	struct misuse_ctx m;
	struct page *p = alloc_pages(GFP_KERNEL, 2);

	KUNIT_ASSERT_NOT_NULL(test, p);
	misuse_begin(&m);
	__free_pages(p, 1);
	misuse_end(test, &m, "wrong order: freed as order 1, allocated as order 2");
	misuse_begin(&m);
	__free_pages(p, 3);
	misuse_end(test, &m, "wrong order: freed as order 3, allocated as order 2");
	misuse_begin(&m);
	__free_pages(p + 2, 0);
	misuse_end(test, &m, "not the start of an allocated block");
	__free_pages(p, 2);			/* the right free still works */
	KUNIT_EXPECT_TRUE(test, zones_consistent(test));
}

static void misuse_not_page_start(struct kunit *test)
{
	struct misuse_ctx m;
	unsigned long a = __get_free_pages(GFP_KERNEL, 1);
	struct page *c;

	KUNIT_ASSERT_NE(test, a, 0UL);
	misuse_begin(&m);
	free_pages(a + 16, 1);
	misuse_end(test, &m, "free_pages: address is not the start of a page");
	misuse_begin(&m);
	free_pages(a + PAGE_SIZE, 0);
	misuse_end(test, &m, "not the start of an allocated block");
	misuse_begin(&m);
	free_pages(VMALLOC_START, 0);	/* not linear-map RAM on any arch (x86's image is in it) */
	misuse_end(test, &m, "free_pages: address is not in the linear map of RAM");
	misuse_begin(&m);
	__free_pages(mem_map - 1, 0);
	misuse_end(test, &m, "not a struct page in mem_map");
	free_pages(a, 1);
	c = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	KUNIT_ASSERT_NOT_NULL(test, c);
	misuse_begin(&m);
	__free_pages(c + 3, 0);
	misuse_end(test, &m, "not a block start (tail page of a compound order-2 block)");
	__free_pages(c, 2);
	KUNIT_EXPECT_TRUE(test, zones_consistent(test));
}

static void page_poison_use_after_free(struct kunit *test)
{
	bool was = page_poisoning;
	struct misuse_ctx m;

	if (kasan_enabled())
		kunit_skip(test, "KASAN reports this use-after-free itself (kasan suite: page_alloc_uaf)");
	struct page *p, *q;
	u8 *va;

	page_poisoning_set(true);
	p = alloc_pages(GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	va = page_address(p);
	__free_pages(p, 0);			/* poisoned, then onto the per-CPU list (LIFO) */
	KUNIT_EXPECT_EQ(test, va[0], PAGE_POISON);
	KUNIT_EXPECT_EQ(test, va[PAGE_SIZE - 1], PAGE_POISON);
	m.reports = bad_page_count;
	printk_capture_start(m.log, sizeof(m.log));
	q = alloc_pages(GFP_KERNEL, 0);		/* intact poison: silent */
	printk_capture_stop();
	KUNIT_EXPECT_TRUE(test, q == p);
	KUNIT_EXPECT_EQ(test, bad_page_count, m.reports);
	__free_pages(q, 0);
	va[0x64] = 0x42;			/* a write after the free */
	printk_capture_start(m.log, sizeof(m.log));
	q = alloc_pages(GFP_KERNEL, 0);
	printk_capture_stop();
	KUNIT_EXPECT_TRUE(test, q == p);
	KUNIT_EXPECT_SUBSTR(test, m.log, "BUG: Bad page state in process swapper/0");
	KUNIT_EXPECT_SUBSTR(test, m.log, "use after free: byte 0x42 at offset 0x64 of a freed page (poison 0xaa)");
	KUNIT_EXPECT_EQ(test, bad_page_count, m.reports + 1);
	__free_pages(q, 0);
	page_poisoning_set(was);
	KUNIT_EXPECT_TRUE(test, zones_consistent(test));
}

static int buddy_init(void)
{
	return mm_test_machine();
}

kunit_test_suite_init(buddy, buddy_init, NULL,
	KUNIT_CASE(split_and_merge_exact),
	KUNIT_CASE(every_order_aligned),
	KUNIT_CASE(zero_and_get_free_pages),
	KUNIT_CASE(compound_pages),
	KUNIT_CASE(dma_zone),
	KUNIT_CASE(pcp_batch_refill_and_drain),
	KUNIT_CASE(watermarks_and_oom),
	KUNIT_CASE(misuse_double_free),
	KUNIT_CASE(misuse_reserved),
	KUNIT_CASE(misuse_wrong_order),
	KUNIT_CASE(misuse_not_page_start),
	KUNIT_CASE(page_poison_use_after_free));

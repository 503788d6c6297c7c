/* slab_array_test.c: KTAP suite — a CPU's slab array grows in a burst of frees, not in a random mix, and the reap gives it back. */
#include <errno.h>
#include <kernel/arch.h>
#include <kernel/kunit.h>
#include <kernel/smp.h>
#include <asm/irqflags.h>
#include <mm/kasan.h>
#include <mm/mm.h>
#include <mm/mmzone.h>
#include <mm/slab.h>
#include <test_machine.h>

#define BURST		256	/* make bench's batched pattern: 256 allocated, then 256 freed */
#define MIX_LIVE	64
#define MIX_OPS		20000

static struct kmem_cache_cpu *this_array(struct kmem_cache *c)
{
	return c->cpu_cache[smp_processor_id()];
}

/* A cache of size-byte objects whose arrays can grow (none with slub_debug= or KASAN's quarantine), or NULL after a skip. */
static struct kmem_cache *burst_cache(struct kunit *test, const char *name, unsigned int size)
{
	struct kmem_cache *c;

	if (kasan_enabled()) {
		kunit_mark_skipped(test, "KASAN's quarantine takes the frees: no array overflows");
		return NULL;
	}
	c = kmem_cache_create(name, size, 0, 0, NULL);
	KUNIT_FAIL_IF(test, !c, return NULL, "kmem_cache_create(%s, %u) failed", name, size);
	if (!c->limit) {
		kmem_cache_destroy(c);
		kunit_mark_skipped(test, "a debug cache (slub_debug=): no per-CPU arrays");
		return NULL;
	}
	return c;
}

/* rounds bursts of BURST objects of c, allocated then freed; returns false (all freed) if an allocation failed. */
static bool bursts(struct kmem_cache *c, void **o, int rounds)
{
	bool ok = true;
	int r, i, n;

	for (r = 0; r < rounds && ok; r++) {
		for (n = 0; n < BURST && (o[n] = kmem_cache_alloc(c, GFP_KERNEL)); n++)
			*(volatile char *)o[n] = (char)n;
		ok = n == BURST;
		for (i = 0; i < n; i++)
			kmem_cache_free(c, o[i]);
	}
	return ok;
}

/* Up to this many tries for a reap: another CPU's tick may hold the list of caches for a moment. */
#define REAP_TRIES	100000

/* One reap of this CPU's arrays (retried while another CPU's reap holds the list); false if none could run. */
static bool reap_once(void)
{
	unsigned long flags;
	bool done = false;

	local_irq_save(flags);	/* cache_reap's contract: interrupts masked (it runs from the tick) */
	for (int i = 0; i < REAP_TRIES && !(done = cache_reap()); i++)
		cpu_relax();
	local_irq_restore(flags);
	return done;
}

/* slab_reap_tick_at(now), retried while another CPU's reap holds the list of caches. Interrupts masked. */
static int reap_tick_at(u64 now)
{
	int ret = slab_reap_tick_at(now);

	for (int i = 0; i < REAP_TRIES && ret == -EBUSY; i++) {
		cpu_relax();
		ret = slab_reap_tick_at(now);
	}
	return ret;
}

/* MemFree in pages, with every CPU's page lists back in the buddy. */
static unsigned long free_now(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

/*
 * 256 objects of 4 KiB (an array of two) allocated and freed a few times: the
 * overflows in a row grow this CPU's array, until a whole burst stays in it
 * (no refill, no overflow: untouched). A shrink gives the array's page back:
 * MemFree is where it was before the first object.
 */
static void free_burst_grows_array(struct kunit *test)
{
	struct kmem_cache *c = burst_cache(test, "test-burst", 4096);
	static void *o[BURST];
	unsigned long free0;
	bool ok;

	if (!c)
		return;
	free0 = free_now();
	KUNIT_EXPECT_LT(test, c->limit, BURST);
	KUNIT_EXPECT_GE(test, c->burst_limit, 2 * BURST - 2);
	ok = bursts(c, o, 8);
	if (ok) {
		KUNIT_EXPECT_GE(test, this_array(c)->limit, BURST);
		KUNIT_EXPECT_LE(test, this_array(c)->limit, c->burst_limit);
		reap_once();		/* clears touched: the array grew in this reap period */
		KUNIT_EXPECT_EQ(test, this_array(c)->touched, 0);
		ok = bursts(c, o, 2);
		KUNIT_EXPECT_EQ(test, this_array(c)->touched, 0);	/* the bursts never left the array */
	}
	KUNIT_EXPECT_TRUE(test, kmem_cache_cpu_grown(c, smp_processor_id()));
	kmem_cache_shrink(c);
	KUNIT_EXPECT_FALSE(test, kmem_cache_cpu_grown(c, smp_processor_id()));
	KUNIT_EXPECT_EQ(test, this_array(c)->limit, c->limit);
	KUNIT_EXPECT_EQ(test, free_now(), free0);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
	KUNIT_EXPECT_TRUE(test, ok);
}

static u32 xorshift(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * A random mix of allocations and frees (a live set of up to MIX_LIVE
 * objects, each step frees or allocates with equal odds) grows no array: the
 * streak that tells a burst almost never happens by chance, for the two-slot
 * arrays of 4 KiB objects nor the sixteen of 512 B.
 */
static void random_mix_does_not_grow(struct kunit *test)
{
	static const unsigned int sizes[] = { 4096, 512 };
	static void *live[MIX_LIVE];
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		struct kmem_cache *c = burst_cache(test, "test-mix", sizes[k]);
		u32 seed = 2463534242u + k;
		int n = 0, i;

		if (!c)
			return;
		for (i = 0; i < MIX_OPS; i++) {
			bool alloc = n == 0 || (n < MIX_LIVE && (xorshift(&seed) & 1));

			if (alloc && (live[n] = kmem_cache_alloc(c, GFP_KERNEL)))
				n++;
			else if (!alloc)
				kmem_cache_free(c, live[--n]);
		}
		KUNIT_EXPECT_EQ(test, this_array(c)->limit, c->limit);
		KUNIT_EXPECT_FALSE(test, kmem_cache_cpu_grown(c, smp_processor_id()));
		while (n)
			kmem_cache_free(c, live[--n]);
		KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
	}
}

/*
 * The reap: a grown array that was touched keeps its limit once; untouched,
 * each reap halves it (the oldest objects above flushed) until it is back at
 * the cache's limit and its page is gone.
 */
static void reap_gives_back(struct kunit *test)
{
	struct kmem_cache *c = burst_cache(test, "test-reap", 1024);
	static void *o[BURST];
	unsigned int limit, reaps = 0;
	unsigned long free0;

	if (!c)
		return;
	free0 = free_now();
	KUNIT_FAIL_IF(test, !bursts(c, o, 8) || this_array(c)->limit < BURST, goto out,
		      "the array did not grow (limit %u, burst limit %u)", this_array(c)->limit, c->burst_limit);
	limit = this_array(c)->limit;
	KUNIT_EXPECT_TRUE(test, reap_once());
	KUNIT_EXPECT_EQ(test, this_array(c)->limit, limit);	/* touched: kept */
	while (this_array(c)->limit > c->limit && reaps < 16) {
		limit = this_array(c)->limit;
		KUNIT_EXPECT_TRUE(test, reap_once());
		reaps++;
		KUNIT_EXPECT_EQ(test, this_array(c)->limit, limit / 2 > c->limit ? limit / 2 : c->limit);
		KUNIT_EXPECT_LE(test, this_array(c)->avail, this_array(c)->limit);
	}
	KUNIT_EXPECT_EQ(test, this_array(c)->limit, c->limit);
	KUNIT_EXPECT_FALSE(test, kmem_cache_cpu_grown(c, smp_processor_id()));
	KUNIT_EXPECT_GT(test, reaps, 1);
	kmem_cache_shrink(c);		/* the objects the reaps left in the array and the slabs */
	KUNIT_EXPECT_EQ(test, free_now(), free0);
out:
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
}

/*
 * The reap is due by the counter, not by a count of ticks: the first tick 2 s
 * after a reap reaps, however few ticks came between (a CPU whose ticks were
 * lost), and a tick sooner does not. The times are the test's own, on a
 * timeline of its own; this CPU's real due time is put back after, and its
 * tick stays out meanwhile (interrupts masked).
 */
static void reap_due_by_counter(struct kunit *test)
{
	struct kmem_cache *c = burst_cache(test, "test-reap-due", 1024);
	u64 sec = arch_counter_freq(), t = 1000 * sec, saved;
	static void *o[BURST];
	unsigned long flags;
	unsigned int limit;

	if (!c)
		return;
	KUNIT_FAIL_IF(test, !bursts(c, o, 8) || this_array(c)->limit < BURST, goto out,
		      "the array did not grow (limit %u, burst limit %u)", this_array(c)->limit, c->burst_limit);
	limit = this_array(c)->limit;
	local_irq_save(flags);
	saved = slab_reap_set_due(t);
	KUNIT_EXPECT_EQ(test, reap_tick_at(t - 1), 0);		/* not yet due */
	KUNIT_EXPECT_EQ(test, reap_tick_at(t), 1);			/* due: touched, so kept */
	KUNIT_EXPECT_EQ(test, this_array(c)->limit, limit);
	KUNIT_EXPECT_EQ(test, reap_tick_at(t + sec), 0);		/* 1 s after the reap */
	KUNIT_EXPECT_EQ(test, this_array(c)->limit, limit);
	KUNIT_EXPECT_EQ(test, reap_tick_at(t + 2 * sec), 1);		/* the first tick 2 s after */
	KUNIT_EXPECT_EQ(test, this_array(c)->limit, max(limit / 2, c->limit));
	KUNIT_EXPECT_EQ(test, reap_tick_at(t + 9 * sec), 1);		/* 7 s with no tick: one reap */
	KUNIT_EXPECT_EQ(test, this_array(c)->limit, max(limit / 4, c->limit));
	KUNIT_EXPECT_EQ(test, reap_tick_at(t + 10 * sec), 0);	/* due again from t + 11 s */
	KUNIT_EXPECT_EQ(test, this_array(c)->limit, max(limit / 4, c->limit));
	slab_reap_set_due(saved);
	local_irq_restore(flags);
	kmem_cache_shrink(c);
out:
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
}

/*
 * When the buddy cannot meet an allocation, its last try drains every CPU's
 * grown arrays first (slab_drain_grown): take the largest blocks until one
 * fails, and the array that a burst grew is back home, its objects in the
 * buddy. Every block goes back after.
 */
static void buddy_failure_drains_grown(struct kunit *test)
{
	struct kmem_cache *c = burst_cache(test, "test-oom", 4096);
	static void *o[BURST];
	struct page *pg;
	void *held = NULL;
	unsigned long n = 0;

	if (!c)
		return;
	KUNIT_FAIL_IF(test, !bursts(c, o, 8) || !kmem_cache_cpu_grown(c, smp_processor_id()), goto out,
		      "the array did not grow (limit %u)", this_array(c)->limit);
	while ((pg = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER - 1))) {
		*(void **)page_address(pg) = held;	/* a chain through the blocks themselves */
		held = page_address(pg);
		n++;
	}
	KUNIT_EXPECT_GT(test, n, 0);
	KUNIT_EXPECT_FALSE(test, kmem_cache_cpu_grown(c, smp_processor_id()));
	KUNIT_EXPECT_EQ(test, this_array(c)->limit, c->limit);
	while (held) {
		void *next = *(void **)held;

		__free_pages(virt_to_page(held), MAX_ORDER - 1);
		held = next;
	}
out:
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
}

/* Whether this CPU's kmalloc direct table gives c's array for every size of c's class (lo..hi). */
static bool direct_table_ok(struct kmem_cache *c, unsigned int lo, unsigned int hi)
{
	struct slab_quick *q = this_cpu_ptr(slab_quick);
	unsigned int size;

	for (size = lo; size <= hi; size++)
		if (q->kmalloc_ac[(size - 1) / 8] != this_array(c))
			return false;
	return true;
}

/*
 * kmalloc's direct table follows its class's array: bursts of kmalloc of
 * 193..256 bytes, twice what the kmalloc-256 array holds, grow this CPU's
 * array, a shrink sends it home, and each time every size of the class finds
 * the array the cache has. An entry left on the old array would hand out
 * objects that the new one holds too: every burst's objects are tagged with
 * their index and must keep it.
 */
static void kmalloc_direct_follows_array(struct kunit *test)
{
	struct kmem_cache *c = kmalloc_slab(256);
	static unsigned long *o[2 * BURST];
	int r, n, i, clobbered = 0;

	if (kasan_enabled() || !c->limit) {
		kunit_mark_skipped(test, "no per-CPU arrays to grow (KASAN's quarantine or slub_debug=)");
		return;
	}
	KUNIT_EXPECT_LE(test, c->limit, BURST);
	KUNIT_EXPECT_TRUE(test, direct_table_ok(c, 193, 256));
	for (r = 0; r < 8; r++) {
		for (n = 0; n < 2 * BURST && (o[n] = kmalloc(193 + n % 64, GFP_KERNEL)); n++)
			*o[n] = (unsigned long)n;
		for (i = 0; i < n; i++)
			clobbered += *o[i] != (unsigned long)i;
		for (i = 0; i < n; i++)
			kfree(o[i]);
		KUNIT_EXPECT_EQ(test, n, 2 * BURST);
	}
	KUNIT_EXPECT_EQ(test, clobbered, 0);
	KUNIT_EXPECT_TRUE(test, kmem_cache_cpu_grown(c, smp_processor_id()));
	KUNIT_EXPECT_TRUE(test, direct_table_ok(c, 193, 256));
	kmem_cache_shrink(c);
	KUNIT_EXPECT_FALSE(test, kmem_cache_cpu_grown(c, smp_processor_id()));
	KUNIT_EXPECT_TRUE(test, direct_table_ok(c, 193, 256));
	KUNIT_EXPECT_TRUE(test, direct_table_ok(kmalloc_slab(8), 1, 8));
	KUNIT_EXPECT_TRUE(test, direct_table_ok(kmalloc_slab(64), 57, 64));
}

static int slab_array_suite_init(void)
{
	if (mm_test_machine())
		return 1;
	kmem_cache_init();
	return 0;
}

kunit_test_suite_init(slab_array, slab_array_suite_init, NULL,
	KUNIT_CASE(free_burst_grows_array),
	KUNIT_CASE(random_mix_does_not_grow),
	KUNIT_CASE(reap_gives_back),
	KUNIT_CASE(reap_due_by_counter),
	KUNIT_CASE(buddy_failure_drains_grown),
	KUNIT_CASE(kmalloc_direct_follows_array));

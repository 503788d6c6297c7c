/* slab_smp_test.c: KTAP suite — kmalloc and kmem_cache on every online CPU at once, with cross-CPU frees through rings. */
#include <kernel/atomic.h>
#include <kernel/kunit.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <mm/mm.h>
#include <mm/mmzone.h>
#include <mm/slab.h>
#include <string.h>
#include <test_machine.h>

/*
 * on_each_cpu runs smp_torture on every online CPU at the same time (on the
 * host: one thread per CPU). Each CPU does its share of TORTURE_OPS
 * allocations and frees: kmalloc of random sizes (8..8192: every class, never
 * the buddy's large path) and objects of a test cache. An object it keeps is
 * stamped word by word with a value naming its address, its owner CPU and its
 * sequence number; the stamp is checked before the object is freed, so an
 * object handed out twice, or freed into the wrong place and reused, shows up
 * as a stamp mismatch. A third of the objects go to the next online CPU
 * through a ring (one producer, one consumer: release/acquire on the indices),
 * and that CPU checks and frees them: the remote-free path, all the time.
 * Afterwards every cache's active objects and MemFree must be what they were.
 * A second case hammers the locked slow paths (see concurrent_bursts).
 */
#define TORTURE_OPS	TORTURE_SIZE(1000000UL, 1000000UL)	/* allocations + frees, all CPUs together */
#define RING_SLOTS	256		/* a power of two */
#define LOCAL_SLOTS	64
#define TEST_OBJ_SIZE	200
#define STAMP_MAGIC	((unsigned long)0xa5c3f00d5eedbeefULL)

struct held {
	void *p;
	unsigned int size;	/* bytes stamped */
	unsigned int owner;	/* CPU that allocated it */
	unsigned long seq;
	bool cached;		/* from the test cache (else kmalloc) */
};

/* One producer (its CPU) and one consumer (the next online CPU). */
struct ring {
	struct held slot[RING_SLOTS];
	unsigned long head;	/* written by the producer only (release) */
	unsigned long tail;	/* written by the consumer only (release) */
};

static struct torture_state {
	struct kmem_cache *cache;
	unsigned long ops_per_cpu;
	struct ring ring[CONFIG_NR_CPUS];
	atomic_t bad_stamps, failed_allocs, ops, remote_frees, sent;
	atomic_t arrived, met;		/* the start line: CPUs there, CPUs that saw all arrive */
} T;

static unsigned long stamp_of(const struct held *h)
{
	return (((unsigned long)h->p ^ STAMP_MAGIC) * 31) + ((unsigned long)h->owner << 20) + h->seq;
}

static void stamp(const struct held *h)
{
	unsigned long v = stamp_of(h), *w = h->p;
	unsigned int i;

	for (i = 0; i < h->size / sizeof(long); i++)
		w[i] = v;
}

/* Checks the stamp (reported once per CPU), then frees the object. */
static void check_and_free(struct held *h)
{
	unsigned long v = stamp_of(h), *w = h->p;
	unsigned int i;

	for (i = 0; i < h->size / sizeof(long); i++)
		if (w[i] != v) {
			atomic_inc(&T.bad_stamps);
			break;
		}
	if (h->cached)
		kmem_cache_free(T.cache, h->p);
	else
		kfree(h->p);
	h->p = NULL;
	atomic_inc(&T.ops);
}

static u64 xorshift(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* 1/4 from the test cache; else kmalloc: 15/16 small (8..256 bytes), 1/16 up to the largest class. */
static bool torture_alloc(struct held *h, unsigned int cpu, unsigned long seq, u64 r)
{
	h->cached = (r & 3) == 0;
	if (h->cached) {
		h->size = TEST_OBJ_SIZE;
		h->p = kmem_cache_alloc(T.cache, GFP_KERNEL);
	} else {
		h->size = (r >> 2) & 15 ? 8 + (unsigned int)(r >> 8) % 249
			: 8 + (unsigned int)(r >> 8) % (KMALLOC_MAX_CACHE_SIZE - 7);
		h->p = kmalloc(h->size, GFP_KERNEL);
	}
	atomic_inc(&T.ops);
	if (!h->p) {
		atomic_inc(&T.failed_allocs);
		return false;
	}
	h->owner = cpu;
	h->seq = seq;
	stamp(h);
	return true;
}

static unsigned int next_online(unsigned int cpu)
{
	do
		cpu = (cpu + 1) % CONFIG_NR_CPUS;
	while (!cpu_online(cpu));
	return cpu;
}

/* Producer side: false if the ring is full. */
static bool ring_push(struct ring *r, const struct held *h)
{
	unsigned long head = r->head;

	if (head - smp_load_acquire(&r->tail) == RING_SLOTS)
		return false;
	r->slot[head % RING_SLOTS] = *h;
	smp_store_release(&r->head, head + 1);
	return true;
}

/* Consumer side: false if the ring is empty. */
static bool ring_pop(struct ring *r, struct held *h)
{
	unsigned long tail = r->tail;

	if (smp_load_acquire(&r->head) == tail)
		return false;
	*h = r->slot[tail % RING_SLOTS];
	smp_store_release(&r->tail, tail + 1);
	return true;
}

/* Frees one object the previous CPU sent us (in), then allocates one: kept, or sent on. */
static void torture_step(unsigned int cpu, struct ring *in, struct held *local, unsigned long seq,
			 u64 r)
{
	struct held h;
	unsigned int k;

	if (ring_pop(in, &h)) {
		if (h.owner != cpu)
			atomic_inc(&T.remote_frees);
		check_and_free(&h);
	}
	k = (unsigned int)(r >> 40) % LOCAL_SLOTS;
	if (local[k].p)
		check_and_free(&local[k]);
	if (!torture_alloc(&h, cpu, seq, r))
		return;
	if (r % 3 == 0 && ring_push(&T.ring[cpu], &h)) {
		atomic_inc(&T.sent);
		return;
	}
	local[k] = h;
}

/* Waits (bounded) until every online CPU has arrived, so that they all start together. */
static void start_line(void)
{
	unsigned long spins;

	atomic_inc(&T.arrived);
	for (spins = 0; spins < 100000000UL; spins++)
		if ((unsigned int)atomic_read(&T.arrived) == num_online_cpus()) {
			atomic_inc(&T.met);
			return;
		} else {
			cpu_relax();
		}
}

/* Runs on every online CPU at once (on_each_cpu). */
static void smp_torture(void *info)
{
	struct held local[LOCAL_SLOTS];
	unsigned int cpu = smp_processor_id(), k, prev = cpu;
	u64 rnd = 0x9e3779b97f4a7c15ULL * (cpu + 1);
	unsigned long seq;

	(void)info;
	for (k = 0; k < CONFIG_NR_CPUS; k++)	/* the CPU whose ring we consume */
		if (cpu_online(k) && next_online(k) == cpu)
			prev = k;
	memset(local, 0, sizeof(local));
	start_line();
	for (seq = 0; seq < T.ops_per_cpu / 2; seq++)	/* two operations a step, in the long run */
		torture_step(cpu, &T.ring[prev], local, seq, xorshift(&rnd));
	for (k = 0; k < LOCAL_SLOTS; k++)
		if (local[k].p)
			check_and_free(&local[k]);
}

/* What the run must leave as it found: each kmalloc cache's active objects, and MemFree. */
#define MAX_CLASSES	64
struct baseline {
	unsigned long free_pages;
	int reports;			/* slab_report_count */
	unsigned long active[MAX_CLASSES];
	struct kmem_cache *cache[MAX_CLASSES];
	unsigned int n;
};

/* After a drain of every CPU and of the buddy's per-CPU lists (so the figures are exact). */
static void take_baseline(struct baseline *b)
{
	struct slabinfo si;
	unsigned int size;

	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	b->free_pages = nr_free_pages();
	b->reports = atomic_read(&slab_report_count);
	b->n = 0;
	for (size = 8; size <= KMALLOC_MAX_CACHE_SIZE && b->n < MAX_CLASSES; size += 8) {
		struct kmem_cache *c = kmalloc_slab(size);

		if (b->n && b->cache[b->n - 1] == c)
			continue;
		kmem_cache_get_info(c, &si);
		b->cache[b->n] = c;
		b->active[b->n++] = si.active_objs;
	}
}

/* Frees what is still in the rings (on this CPU: frees that cross CPUs too). */
static void free_ring_leftovers(void)
{
	struct held h;
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		while (ring_pop(&T.ring[cpu], &h))
			check_and_free(&h);
}

static void torture_cleanup(void *unused)
{
	(void)unused;
	free_ring_leftovers();
	kmem_cache_destroy(T.cache);	/* NULL once the case destroyed it itself */
	T.cache = NULL;
}

/* The books after a run: the test cache sound and empty (then destroyed), kmalloc caches and MemFree as before. */
static void check_books(struct kunit *test, const struct baseline *before)
{
	static struct baseline after;
	struct slabinfo si;
	unsigned int i;

	kmem_cache_shrink(T.cache);
	kmem_cache_get_info(T.cache, &si);
	KUNIT_EXPECT_EQ(test, si.active_objs, 0);
	KUNIT_EXPECT_EQ(test, kmem_cache_validate(T.cache), 0);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(T.cache), 0);
	T.cache = NULL;
	take_baseline(&after);
	KUNIT_ASSERT_EQ(test, after.n, before->n);
	for (i = 0; i < before->n; i++) {
		KUNIT_EXPECT_EQ(test, after.active[i], before->active[i]);
		KUNIT_EXPECT_EQ(test, kmem_cache_validate(before->cache[i]), 0);
		kmem_cache_get_info(before->cache[i], &si);
		KUNIT_EXPECT_EQ(test, si.cpu_objs + si.shared_avail, 0);	/* every array was drained */
	}
	KUNIT_EXPECT_EQ(test, after.free_pages, before->free_pages);
	KUNIT_EXPECT_EQ(test, after.reports, before->reports);	/* no "BUG cache: ..." on the way */
}

/* Takes the baseline and makes the test cache; false (the case failed) if it could not. */
static bool torture_setup(struct kunit *test, struct baseline *before)
{
	memset(&T, 0, sizeof(T));
	take_baseline(before);
	T.cache = kmem_cache_create("slab-smp-test", TEST_OBJ_SIZE, 0, 0, NULL);
	KUNIT_EXPECT_NOT_NULL(test, T.cache);
	if (!T.cache)
		return false;
	kunit_add_action(test, torture_cleanup, NULL);
	return true;
}

/* The torture, then the books: stamps intact, a sound cache, kmalloc caches and MemFree as before. */
static void concurrent_torture(struct kunit *test)
{
	static struct baseline before;
	unsigned int n = num_online_cpus();

	if (!torture_setup(test, &before))
		return;
	T.ops_per_cpu = TORTURE_OPS / n + 1;
	on_each_cpu(smp_torture, NULL, 1);
	free_ring_leftovers();
	kunit_info(test, "%d operations on %u CPU(s) (%d started together); %d objects sent through "
		   "the rings, %d of them freed during the run by a CPU other than their owner",
		   atomic_read(&T.ops), n, atomic_read(&T.met), atomic_read(&T.sent),
		   atomic_read(&T.remote_frees));
	KUNIT_EXPECT_GE(test, (unsigned long)atomic_read(&T.ops), TORTURE_OPS);
	KUNIT_EXPECT_EQ(test, atomic_read(&T.bad_stamps), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&T.failed_allocs), 0);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&T.met), n);
	if (n > 1)
		KUNIT_EXPECT_GT(test, atomic_read(&T.remote_frees), 0);
	check_books(test, &before);
}

/*
 * Bursts: each CPU allocates BURST objects of the test cache (more than its
 * array and the shared array hold together), then frees them all, again and
 * again, all CPUs at once: every burst refills and flushes through the shared
 * array and the slab lists, so the locked slow paths race all the time.
 */
#define BURST		1024
#define BURST_ROUNDS	16

static void burst_torture(void *info)
{
	struct held h = { .size = TEST_OBJ_SIZE, .cached = true, .owner = smp_processor_id() };
	static void *held[CONFIG_NR_CPUS][BURST];
	void **mine = held[h.owner];
	unsigned int r, i;

	(void)info;
	start_line();
	for (r = 0; r < BURST_ROUNDS; r++) {
		for (i = 0; i < BURST; i++) {
			mine[i] = kmem_cache_alloc(T.cache, GFP_KERNEL);
			atomic_inc(&T.ops);
			if (!mine[i]) {
				atomic_inc(&T.failed_allocs);
				continue;
			}
			h.p = mine[i];
			h.seq = i;
			stamp(&h);
		}
		for (i = 0; i < BURST; i++) {
			if (!mine[i])
				continue;
			h.p = mine[i];
			h.seq = i;
			check_and_free(&h);
		}
	}
}

static void concurrent_bursts(struct kunit *test)
{
	static struct baseline before;
	unsigned int n = num_online_cpus();

	if (!torture_setup(test, &before))
		return;
	on_each_cpu(burst_torture, NULL, 1);
	kunit_info(test, "%d operations in bursts of %d on %u CPU(s) (%d started together)",
		   atomic_read(&T.ops), BURST, n, atomic_read(&T.met));
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&T.ops), 2U * BURST * BURST_ROUNDS * n);
	KUNIT_EXPECT_EQ(test, atomic_read(&T.bad_stamps), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&T.failed_allocs), 0);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&T.met), n);
	check_books(test, &before);
}

static int slab_smp_suite_init(void)
{
	if (mm_test_machine())
		return 1;
	kmem_cache_init();
	return 0;
}

kunit_test_suite_init(slab_smp, slab_smp_suite_init, NULL,
	KUNIT_CASE(concurrent_torture),
	KUNIT_CASE(concurrent_bursts));

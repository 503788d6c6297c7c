/* buddy_smp_test.c: KTAP suite for the page allocator on SMP — every online CPU allocating and freeing at once. */
#include <kernel/kunit.h>
#include <kernel/param.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <mm/mmzone.h>
#include <mm/page_alloc_debug.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <test_machine.h>

/*
 * The torture: on_each_cpu runs the same worker on every online CPU at once (4
 * cores on raspi3b under -accel tcg,thread=multi, 4 threads on the host). Each
 * worker allocates blocks of random orders (order 0 through its CPU's list, the
 * others from the buddy), frees its own, hands some to the others through a
 * shared mailbox of atomic slots (so one CPU frees what another allocated), and
 * drains its own lists now and then. Every block held is claimed in a bitmap
 * with atomic read-modify-writes — a page handed to two CPUs at once is caught
 * at the second claim — and carries its PFN and a tag unique to that
 * allocation, checked when it is freed. Between phases the test drains every
 * CPU's lists (drain_all_pages), runs the invariant checker and balances the
 * books; at the end everything is freed and MemFree must be back to the page.
 */
/*
 * Operations over all CPUs and phases: 10^6 on the host (threads as CPUs, a
 * few seconds; a tenth of that under ThreadSanitizer, see TORTURE_SIZE). In the kernel the default is 10^5, because under QEMU every
 * contended hand-over of a ticket lock between vCPU threads waits for the host
 * to schedule the next ticket's thread: on a loaded two-core host that is
 * milliseconds a hand-over, and 10^6 operations took over five minutes. The
 * kernel parameter buddy_smp_ops=N (at least 1000) sets it: 1000000 on a board.
 */
#define SMP_OPS_DEFAULT	TORTURE_SIZE(1000000UL, 100000UL)
static unsigned long smp_ops_total = SMP_OPS_DEFAULT;

static int setup_buddy_smp_ops(const char *val)
{
	char *end;
	unsigned long n = strtoul(val, &end, 10);

	if (*end || n < 1000)
		return -1;
	smp_ops_total = n;
	return 0;
}
early_param("buddy_smp_ops", setup_buddy_smp_ops);
#define SMP_PHASES	4
#define SMP_SLOTS	64		/* blocks a CPU holds at most */
#define MAILBOX_SLOTS	256		/* blocks in transit between CPUs */

struct held {
	struct page *page;
	unsigned int order;
	unsigned long tag;
};

/* One CPU's part: written only by that CPU's worker, read by the test between phases. */
struct smp_cpu_state {
	struct held slot[SMP_SLOTS];
	u64 seed;
	unsigned long ops, allocs, frees, remote_frees, passed, failures, drains, next_tag;
	bool failed;
	char err[112];
} __aligned(64);

/*
 * The mailbox: a block in transit is its head page in a slot, put there and
 * taken with atomic exchanges (a lock-free hand-over: under emulation, four
 * vCPUs on a two-core host make every contended lock a convoy). Its order and
 * tag travel in the block's own stamp.
 */
static struct smp_torture {
	struct smp_cpu_state cpu[CONFIG_NR_CPUS];
	struct page *mailbox[MAILBOX_SLOTS];	/* atomic exchanges only */
	unsigned long *bitmap;		/* one bit per PFN from bit_base; atomic RMWs only */
	unsigned long bit_base;
	unsigned int bitmap_order;
	unsigned long ops_per_run;	/* per CPU per phase */
	atomic_t arrived;		/* workers that started this phase */
} S;

#define BPL	(8 * sizeof(long))

/* Claims (set) or releases the bits of a block; false if any bit already was in that state. */
static bool bits_update(unsigned long pfn, unsigned int order, bool set)
{
	unsigned long i = pfn - S.bit_base, n = 1UL << order, w, old, mask;
	bool ok = true;

	if (n >= BPL) {
		for (w = i / BPL; w < (i + n) / BPL; w++) {
			old = __atomic_exchange_n(&S.bitmap[w], set ? ~0UL : 0UL, __ATOMIC_ACQ_REL);
			ok &= old == (set ? 0UL : ~0UL);
		}
		return ok;
	}
	mask = ((1UL << n) - 1) << (i % BPL);
	if (set)
		old = __atomic_fetch_or(&S.bitmap[i / BPL], mask, __ATOMIC_ACQ_REL);
	else
		old = __atomic_fetch_and(&S.bitmap[i / BPL], ~mask, __ATOMIC_ACQ_REL);
	return set ? !(old & mask) : (old & mask) == mask;
}

static __printf(2, 3) bool worker_fail(struct smp_cpu_state *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->failed) {
		va_start(ap, fmt);
		vsnprintf(c->err, sizeof(c->err), fmt, ap);
		va_end(ap);
	}
	c->failed = true;
	return false;
}

/* The stamped pages of a block: all of a small one, the ends of a big one. */
static bool stamped(unsigned long i, unsigned int order)
{
	return order <= 3 || i == 0 || i == (1UL << order) - 1;
}

static unsigned int smp_random_order(u64 r)
{
	unsigned int pct = r % 100;

	if (pct < 85)
		return 0;			/* this CPU's list: zone->lock once per batch */
	if (pct < 97)
		return 1 + (r >> 8) % 3;	/* 1..3: the buddy, zone->lock each time */
	return 4 + (r >> 8) % 5;		/* 4..8 */
}

static bool smp_alloc(struct smp_cpu_state *c, struct held *h, u64 r)
{
	unsigned int order = smp_random_order(r);
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY;
	unsigned long pfn, i, *w;
	struct page *p;

	if ((r >> 16) % 8 == 0 && order <= 3)
		gfp |= __GFP_ZERO;
	if ((r >> 20) % 4 == 0)
		gfp |= __GFP_COMP;
	p = alloc_pages(gfp, order);
	if (!p) {
		c->failures++;
		return true;
	}
	pfn = page_to_pfn(p);
	if (pfn & ((1UL << order) - 1))
		return worker_fail(c, "order-%u block at misaligned pfn 0x%lx", order, pfn);
	if (!bits_update(pfn, order, true))
		return worker_fail(c, "pfn 0x%lx order %u: a page of it is held by another CPU", pfn, order);
	*h = (struct held){ p, order, (c - S.cpu) | (++c->next_tag << 4) };
	for (i = 0; i < (1UL << order); i++) {
		if (!stamped(i, order))
			continue;
		w = page_address(p + i);
		if ((gfp & __GFP_ZERO) && (w[0] || w[1] || w[2] || w[PAGE_SIZE / sizeof(long) - 1]))
			return worker_fail(c, "__GFP_ZERO page 0x%lx not zeroed", pfn + i);
		w[0] = pfn + i;
		w[1] = h->tag;
		w[2] = order;
	}
	c->allocs++;
	return true;
}

/* Frees a held block (this CPU's or one from the mailbox) after checking its stamps. */
static bool smp_free(struct smp_cpu_state *c, struct held *h)
{
	unsigned long pfn = page_to_pfn(h->page), i, *w;

	for (i = 0; i < (1UL << h->order); i++) {
		if (!stamped(i, h->order))
			continue;
		w = page_address(h->page + i);
		if (w[0] != pfn + i || w[1] != h->tag || w[2] != h->order)
			return worker_fail(c, "stamp of pfn 0x%lx overwritten (0x%lx/0x%lx)", pfn + i, w[0], w[1]);
	}
	if (!bits_update(pfn, h->order, false))
		return worker_fail(c, "pfn 0x%lx order %u was not claimed", pfn, h->order);
	__free_pages(h->page, h->order);
	h->page = NULL;
	c->frees++;
	return true;
}

/* Puts a held block into mailbox slot i (true), unless the slot is taken (false). */
static bool mailbox_put(unsigned int i, struct held *h)
{
	struct page *none = NULL;

	if (!__atomic_compare_exchange_n(&S.mailbox[i % MAILBOX_SLOTS], &none, h->page, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return false;
	h->page = NULL;
	return true;
}

/* Takes the block in mailbox slot i, if any; its order and tag come from its stamp. */
static bool mailbox_take(unsigned int i, struct held *h)
{
	struct page *p = __atomic_exchange_n(&S.mailbox[i % MAILBOX_SLOTS], NULL, __ATOMIC_ACQ_REL);
	unsigned long *w;

	if (!p)
		return false;
	w = page_address(p);
	*h = (struct held){ p, (unsigned int)w[2], w[1] };
	return true;
}

/* One operation: drain this CPU's lists, free a block from the mailbox, or alloc/pass/free a slot. */
static bool smp_op(struct smp_cpu_state *c, u64 r)
{
	unsigned int pct = (r >> 8) % 1000, box = (unsigned int)(r >> 40);
	struct held *h = &c->slot[r % SMP_SLOTS], in;

	if (pct < 2) {
		drain_local_pages(NULL);
		c->drains++;
		return true;
	}
	if (pct < 200) {
		if (!mailbox_take(box, &in))
			return true;
		c->remote_frees += in.tag % 16 != (unsigned long)(c - S.cpu);
		return smp_free(c, &in);
	}
	if (!h->page)
		return smp_alloc(c, h, r >> 16);
	if (pct < 380 && mailbox_put(box, h)) {
		c->passed++;
		return true;
	}
	return smp_free(c, h);
}

/*
 * The worker every CPU runs at once (a cross call: interrupts masked, nothing
 * else runs here). The workers first wait (a bounded while) for each other, so
 * that their operations overlap even where starting a CPU's call is slow.
 */
static void smp_worker(void *unused)
{
	struct smp_cpu_state *c = &S.cpu[smp_processor_id()];
	unsigned long n;

	(void)unused;
	atomic_inc(&S.arrived);
	for (n = 0; n < 10000000UL && (unsigned int)atomic_read(&S.arrived) < num_online_cpus(); n++)
		cpu_relax();
	for (n = 0; n < S.ops_per_run && !c->failed; n++) {
		c->ops++;
		if (!smp_op(c, kunit_rand(&c->seed)))
			break;
	}
}

/* Pages the test holds: every CPU's slots and the mailbox. Only between phases. */
static unsigned long smp_held_pages(void)
{
	unsigned long n = 0;
	unsigned int cpu, s;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		for (s = 0; s < SMP_SLOTS; s++)
			if (S.cpu[cpu].slot[s].page)
				n += 1UL << S.cpu[cpu].slot[s].order;
	for (s = 0; s < MAILBOX_SLOTS; s++)
		if (S.mailbox[s])
			n += 1UL << ((unsigned long *)page_address(S.mailbox[s]))[2];
	return n;
}

/* Every block still held goes back (from this CPU: any CPU may free any block). */
static void smp_release_blocks(void)
{
	struct held h;
	unsigned int cpu, s;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		for (s = 0; s < SMP_SLOTS; s++)
			if (S.cpu[cpu].slot[s].page)
				smp_free(&S.cpu[cpu], &S.cpu[cpu].slot[s]);
	for (s = 0; s < MAILBOX_SLOTS; s++)
		if (mailbox_take(s, &h))
			smp_free(&S.cpu[0], &h);
}

/* The cleanup on every path: the blocks, then the bitmap. */
static void smp_release_all(void *unused)
{
	(void)unused;
	if (!S.bitmap)
		return;
	smp_release_blocks();
		free_pages((unsigned long)S.bitmap, S.bitmap_order);
	S.bitmap = NULL;
}

/* Free pages in every zone per the invariant checker; -1 (and a line) if a zone is broken. */
static long smp_verified_free(struct kunit *test, const char *when)
{
	const struct zone *z;
	char why[128];
	long sum = 0, n;

	for_each_zone(z) {
		n = buddy_verify_zone(z, why, sizeof(why));
		if (n < 0) {
			kunit_info(test, "%s: %s", when, why);
			return -1;
		}
		sum += n;
	}
	return sum;
}

static void smp_snap_buddyinfo(unsigned long nr[MAX_NR_ZONES][MAX_ORDER])
{
	unsigned int zi, o;

	for (zi = 0; zi < MAX_NR_ZONES; zi++)
		for (o = 0; o < MAX_ORDER; o++)
			nr[zi][o] = zone_read(zones[zi].free_area[o].nr_free);
}

/* Each phase: all CPUs at once, then every list drained and the books balanced. */
static bool smp_phase(struct kunit *test, int phase, unsigned long others)
{
	unsigned long held, managed = totalram_pages();
	unsigned int cpu;
	char when[32];
	long free;

	atomic_set(&S.arrived, 0);
	on_each_cpu(smp_worker, NULL, 1);
	for_each_online_cpu(cpu)
		if (S.cpu[cpu].failed) {
			kunit_info(test, "phase %d, CPU%u after %lu ops: %s", phase, cpu, S.cpu[cpu].ops, S.cpu[cpu].err);
			return false;
		}
	drain_all_pages(NULL);
	snprintf(when, sizeof(when), "after phase %d", phase);
	free = smp_verified_free(test, when);
	held = smp_held_pages();
	if (free < 0 || (unsigned long)free + held + others != managed) {
		kunit_info(test, "%s: free %ld + held %lu + others %lu != managed %lu", when, free, held, others, managed);
		return false;
	}
	return true;
}

static void torture_all_cpus(struct kunit *test)
{
	static unsigned long start[MAX_NR_ZONES][MAX_ORDER], end[MAX_NR_ZONES][MAX_ORDER];
	unsigned long bytes, free0, others, ops = 0, remote = 0, sum[6] = { 0 };
	unsigned int ncpus = num_online_cpus(), cpu;
	long free;
	int phase;

	memset(&S, 0, sizeof(S));
	S.bit_base = ALIGN_DOWN(min_low_pfn, 1024);
	bytes = DIV_ROUND_UP(max_pfn - S.bit_base, BPL) * sizeof(long);
	while ((PAGE_SIZE << S.bitmap_order) < bytes)
		S.bitmap_order++;
	S.ops_per_run = DIV_ROUND_UP(smp_ops_total, (unsigned long)ncpus * SMP_PHASES);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		S.cpu[cpu].seed = 0x5eed0000 + cpu;
	drain_all_pages(NULL);
	smp_snap_buddyinfo(start);
	free0 = nr_free_pages();
	S.bitmap = (unsigned long *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, S.bitmap_order);
	KUNIT_ASSERT_NOT_NULL(test, S.bitmap);
	kunit_add_action(test, smp_release_all, NULL);
	drain_all_pages(NULL);
	free = smp_verified_free(test, "before the run");
	KUNIT_ASSERT_GE(test, free, 0L);
	others = totalram_pages() - (unsigned long)free;
	for (phase = 0; phase < SMP_PHASES; phase++)
		KUNIT_ASSERT_TRUE(test, smp_phase(test, phase, others));
	for_each_online_cpu(cpu) {
		struct smp_cpu_state *c = &S.cpu[cpu];

		ops += c->ops;
		remote += c->remote_frees;
		sum[0] += c->allocs, sum[1] += c->frees, sum[2] += c->passed;
		sum[3] += c->failures, sum[4] += c->drains, sum[5] += c->ops ? 1 : 0;
	}
	smp_release_blocks();
	drain_all_pages(NULL);
	kunit_info(test, "%u CPUs, %lu ops: %lu allocs, %lu frees (%lu on another CPU than allocated), "
		   "%lu passed, %lu failed allocations, %lu local drains", ncpus, ops, sum[0], sum[1], remote,
		   sum[2], sum[3], sum[4]);
	KUNIT_EXPECT_GE(test, ops, smp_ops_total);
	KUNIT_EXPECT_EQ(test, sum[5], (unsigned long)ncpus);		/* every CPU worked */
	if (ncpus > 1)
		KUNIT_EXPECT_GT(test, remote, 0UL);
	KUNIT_EXPECT_EQ(test, smp_verified_free(test, "after the run"), (long)(totalram_pages() - others));
	smp_release_all(NULL);		/* the bitmap */
	drain_all_pages(NULL);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), free0);		/* MemFree, to the page */
	smp_snap_buddyinfo(end);
	KUNIT_EXPECT_EQ(test, memcmp(start, end, sizeof(start)), 0);
}

/* What each CPU saw of its own list of the first populated zone. */
static struct per_cpu_pages seen_pcp[CONFIG_NR_CPUS];

static struct zone *first_zone(void)
{
	struct zone *z;

	for_each_populated_zone(z)
		return z;
	return NULL;
}

static void record_own_pcp(void *unused)
{
	(void)unused;
	seen_pcp[smp_processor_id()] = *this_cpu_pcp(first_zone());
}

/* Each CPU takes a few order-0 pages of the first zone and frees them (onto its own list). */
static void fill_own_pcp(void *unused)
{
	struct page *p[4];
	int i;

	(void)unused;
	for (i = 0; i < 4; i++)
		p[i] = alloc_pages(__GFP_NOWARN | __GFP_NORETRY | (first_zone() == &zones[ZONE_DMA] ? __GFP_DMA : 0), 0);
	for (i = 0; i < 4; i++)
		if (p[i])
			__free_pages(p[i], 0);
	record_own_pcp(NULL);
}

/* drain_all_pages empties the lists of every online CPU, not only this one's. */
static void drain_all_reaches_every_cpu(struct kunit *test)
{
	unsigned long free0;
	unsigned int cpu;

	KUNIT_ASSERT_NOT_NULL(test, first_zone());
	drain_all_pages(NULL);
	free0 = nr_free_pages();
	on_each_cpu(fill_own_pcp, NULL, 1);
	for_each_online_cpu(cpu)
		KUNIT_EXPECT_GE(test, seen_pcp[cpu].count, 4);	/* a batch came over, four went back */
	KUNIT_EXPECT_LT(test, nr_free_pages(), free0);
	drain_all_pages(NULL);
	on_each_cpu(record_own_pcp, NULL, 1);
	for_each_online_cpu(cpu)
		KUNIT_EXPECT_EQ(test, seen_pcp[cpu].count, 0);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), free0);
}

static void restore_pcp(void *unused)
{
	(void)unused;
	zone_pcp_enable(first_zone());
}

/* zone_pcp_set_batch and zone_pcp_disable reach every CPU's list; disabled lists stay empty. */
static void pcp_batch_every_cpu(struct kunit *test)
{
	struct zone *z = first_zone();
	unsigned int cpu;

	KUNIT_ASSERT_NOT_NULL(test, z);
	kunit_add_action(test, restore_pcp, NULL);
	zone_pcp_set_batch(z, 7, 42);
	on_each_cpu(record_own_pcp, NULL, 1);
	for_each_online_cpu(cpu) {
		KUNIT_EXPECT_EQ(test, seen_pcp[cpu].batch, 7);
		KUNIT_EXPECT_EQ(test, seen_pcp[cpu].high, 42);
	}
	zone_pcp_disable(z);
	on_each_cpu(fill_own_pcp, NULL, 1);
	for_each_online_cpu(cpu) {
		KUNIT_EXPECT_EQ(test, seen_pcp[cpu].high, 0);
		KUNIT_EXPECT_EQ(test, seen_pcp[cpu].count, 0);
	}
}

#define FOLD_STEPS	1000

/* Each CPU adds (its number + 1) FOLD_STEPS times, one page at a time. */
static void bump_stat(void *sign)
{
	long d = (long)(smp_processor_id() + 1) * (sign ? -1 : 1);
	int i;

	for (i = 0; i < FOLD_STEPS; i++)
		mod_node_page_state(NR_KERNEL_STACK, d);
}

static long fold_base;

static void restore_stat(void *unused)
{
	(void)unused;
	mod_node_page_state(NR_KERNEL_STACK, fold_base - global_node_page_state(NR_KERNEL_STACK));
	vmstat_refresh();
}

/* Changes on every CPU at once add up exactly; the folded total lags by less than the thresholds until a fold. */
static void vmstat_fold_exact(struct kunit *test)
{
	long want = 0, slack = 0, folded;
	unsigned int cpu;

	vmstat_refresh();
	fold_base = global_node_page_state(NR_KERNEL_STACK);
	KUNIT_EXPECT_EQ(test, global_node_page_state_folded(NR_KERNEL_STACK), fold_base);
	kunit_add_action(test, restore_stat, NULL);
	for_each_online_cpu(cpu) {
		want += (long)(cpu + 1) * FOLD_STEPS;
		slack += vm_stat_threshold(cpu);
	}
	on_each_cpu(bump_stat, NULL, 1);
	KUNIT_EXPECT_EQ(test, global_node_page_state(NR_KERNEL_STACK), fold_base + want);
	folded = global_node_page_state_folded(NR_KERNEL_STACK);
	KUNIT_EXPECT_LE(test, folded, fold_base + want);
	KUNIT_EXPECT_GE(test, folded, fold_base + want - slack);
	vmstat_refresh();
	KUNIT_EXPECT_EQ(test, global_node_page_state_folded(NR_KERNEL_STACK), fold_base + want);
	on_each_cpu(bump_stat, (void *)1, 1);
	vmstat_refresh();
	KUNIT_EXPECT_EQ(test, global_node_page_state_folded(NR_KERNEL_STACK), fold_base);
}

/* pgalloc_<zone> and pgfree count pages, per CPU, summed when read. */
static void pgalloc_pgfree_events(struct kunit *test)
{
	unsigned long a0, f0;
	struct page *p;

	a0 = sum_vm_event(PGALLOC_DMA + ZONE_DMA) + sum_vm_event(PGALLOC_DMA + ZONE_NORMAL);
	f0 = sum_vm_event(PGFREE);
	p = alloc_pages(GFP_KERNEL, 2);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_LE(test, page_zonenum(p), (unsigned int)ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, sum_vm_event(PGALLOC_DMA + ZONE_DMA) + sum_vm_event(PGALLOC_DMA + ZONE_NORMAL), a0 + 4);
	KUNIT_EXPECT_EQ(test, sum_vm_event(PGFREE), f0);
	__free_pages(p, 2);
	KUNIT_EXPECT_EQ(test, sum_vm_event(PGFREE), f0 + 4);
}

static int buddy_smp_init(void)
{
	return mm_test_machine();
}

kunit_test_suite_init(buddy_smp, buddy_smp_init, NULL,
	KUNIT_CASE(drain_all_reaches_every_cpu),
	KUNIT_CASE(pcp_batch_every_cpu),
	KUNIT_CASE(vmstat_fold_exact),
	KUNIT_CASE(pgalloc_pgfree_events),
	KUNIT_CASE(torture_all_cpus));

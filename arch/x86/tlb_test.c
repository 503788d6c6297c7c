/* tlb_test.c (x86): KTAP suite x86_tlb — the shootdown's counters, concurrent shootdowns, and no stale translation after a remap. */
#include <kernel/atomic.h>
#include <kernel/kunit.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <mm/fixmap.h>
#include <mm/vmstat.h>
#include <asm/memory.h>
#include <asm/tlbflush.h>

#define TEST_VA		(VMALLOC_START + 0x100000)	/* any kernel VA: flushing it needs no mapping */
#define STORM_FLUSHES	16	/* each: one shootdown; several CPUs at once, not a benchmark */
#define READS_AFTER	20000
#define PATTERN1	0x11111111u
#define PATTERN2	0x22222222u

static unsigned long event_on(unsigned int cpu, enum vm_event_item item)
{
	return READ_ONCE(per_cpu(vm_event_states, cpu)[item]);
}

/* One range flush: one remote flush counted here, one received on every other online CPU, none here. */
static void remote_flush_counted(struct kunit *test)
{
	unsigned long before[CONFIG_NR_CPUS], remote = sum_vm_event(NR_TLB_REMOTE_FLUSH), flags;
	unsigned int cpu, me, others = num_online_cpus() - 1;

	local_irq_save(flags);
	me = smp_processor_id();
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		before[cpu] = event_on(cpu, NR_TLB_REMOTE_FLUSH_RECEIVED);
	flush_tlb_kernel_range(TEST_VA, TEST_VA + 2 * PAGE_SIZE);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, sum_vm_event(NR_TLB_REMOTE_FLUSH) - remote, others ? 1UL : 0UL);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		KUNIT_EXPECT_EQ(test, event_on(cpu, NR_TLB_REMOTE_FLUSH_RECEIVED) - before[cpu],
				cpu_online(cpu) && cpu != me ? 1UL : 0UL);
}

/* Up to MAX_INVLPG_OPS pages: one INVLPG each; one more page: one full flush instead. */
static void full_flush_above_threshold(struct kunit *test)
{
	unsigned long one, all, flags;
	unsigned int me;

	local_irq_save(flags);
	me = smp_processor_id();
	one = event_on(me, NR_TLB_LOCAL_FLUSH_ONE);
	all = event_on(me, NR_TLB_LOCAL_FLUSH_ALL);
	flush_tlb_kernel_range(TEST_VA, TEST_VA + MAX_INVLPG_OPS * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, event_on(me, NR_TLB_LOCAL_FLUSH_ONE) - one, (unsigned long)MAX_INVLPG_OPS);
	KUNIT_EXPECT_EQ(test, event_on(me, NR_TLB_LOCAL_FLUSH_ALL) - all, 0UL);
	flush_tlb_kernel_range(TEST_VA, TEST_VA + (MAX_INVLPG_OPS + 1) * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, event_on(me, NR_TLB_LOCAL_FLUSH_ONE) - one, (unsigned long)MAX_INVLPG_OPS);
	KUNIT_EXPECT_EQ(test, event_on(me, NR_TLB_LOCAL_FLUSH_ALL) - all, 1UL);
	local_irq_restore(flags);
}

static void flush_storm(void *unused)
{
	int i;

	(void)unused;
	for (i = 0; i < STORM_FLUSHES; i++)
		flush_tlb_kernel_range(TEST_VA, TEST_VA + PAGE_SIZE);
}

/*
 * Every CPU shoots down at once, interrupts masked (on_each_cpu's functions
 * run so): none deadlocks, and every request is answered by every other CPU.
 */
static void concurrent_shootdowns(struct kunit *test)
{
	unsigned long remote = sum_vm_event(NR_TLB_REMOTE_FLUSH);
	unsigned long received = sum_vm_event(NR_TLB_REMOTE_FLUSH_RECEIVED);
	unsigned long n = num_online_cpus();

	on_each_cpu(flush_storm, NULL, 1);
	KUNIT_EXPECT_EQ(test, sum_vm_event(NR_TLB_REMOTE_FLUSH) - remote, n > 1 ? n * STORM_FLUSHES : 0UL);
	KUNIT_EXPECT_EQ(test, sum_vm_event(NR_TLB_REMOTE_FLUSH_RECEIVED) - received,
			n * (n - 1) * STORM_FLUSHES);
}

/* The stale-TLB test's shared state: CPU 0 remaps FIX_TEST from page 1 to page 2 while the others read it. */
struct remap_race {
	atomic_t primed;	/* readers whose TLB holds the page-1 translation */
	atomic_t paused;	/* readers that stopped reading for the remap */
	int phase;		/* 0: read, 1: stop (remap under way), 2: read again */
	atomic_t stale;		/* reads of pattern 1 after the remap */
	unsigned int readers;
};

static u32 remap_pages[2][PAGE_SIZE / 4] __aligned(PAGE_SIZE);

static void remap_reader(struct remap_race *r)
{
	volatile u32 *va = (volatile u32 *)fix_to_virt(FIX_TEST);
	int i;

	while (*va != PATTERN1)
		cpu_relax();
	atomic_inc(&r->primed);
	while (smp_load_acquire(&r->phase) == 0)
		(void)*va;			/* keeps the translation in this TLB */
	atomic_inc(&r->paused);
	while (smp_load_acquire(&r->phase) != 2)
		cpu_relax();			/* no access during break-before-make */
	for (i = 0; i < READS_AFTER; i++)
		if (*va == PATTERN1)
			atomic_inc(&r->stale);
}

static void remap_race_fn(void *info)
{
	struct remap_race *r = info;

	if (smp_processor_id() != 0)
		return remap_reader(r);
	while ((unsigned int)atomic_read(&r->primed) < r->readers)
		cpu_relax();
	smp_store_release(&r->phase, 1);
	while ((unsigned int)atomic_read(&r->paused) < r->readers)
		cpu_relax();
	set_fixmap(FIX_TEST, __pa_symbol(remap_pages[1]));	/* unmap, shoot down, map */
	smp_store_release(&r->phase, 2);
}

static void clear_test_slot(void *unused)
{
	(void)unused;
	clear_fixmap(FIX_TEST);
}

/*
 * The stale-TLB test: every other CPU reads a fixmap page holding pattern 1
 * until its TLB has it, CPU 0 remaps the slot to a page holding pattern 2,
 * and from then on no reader may see pattern 1 — which it would if the
 * shootdown had missed it.
 */
static void no_stale_translation_after_remap(struct kunit *test)
{
	struct remap_race r = { ATOMIC_INIT(0), ATOMIC_INIT(0), 0, ATOMIC_INIT(0), num_online_cpus() - 1 };
	unsigned int i;

	if (smp_processor_id() != 0 || !r.readers) {
		kunit_mark_skipped(test, "needs CPU 0 and at least one other online CPU");
		return;
	}
	for (i = 0; i < PAGE_SIZE / 4; i++) {
		remap_pages[0][i] = PATTERN1;
		remap_pages[1][i] = PATTERN2;
	}
	set_fixmap(FIX_TEST, __pa_symbol(remap_pages[0]));
	kunit_add_action(test, clear_test_slot, NULL);
	on_each_cpu(remap_race_fn, &r, 1);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&r.primed), r.readers);
	KUNIT_EXPECT_EQ(test, atomic_read(&r.stale), 0);
	KUNIT_EXPECT_EQ(test, *(volatile u32 *)fix_to_virt(FIX_TEST), PATTERN2);
}

kunit_test_suite(x86_tlb,
	KUNIT_CASE(remote_flush_counted),
	KUNIT_CASE(full_flush_above_threshold),
	KUNIT_CASE(concurrent_shootdowns),
	KUNIT_CASE(no_stale_translation_after_remap));

/* fault_inject_test.c: KTAP suite for fault injection — fail-nth, Linux's knob semantics, GFP rules, debugfs. */
#include <kernel/kunit.h>
#include <kernel/debugfs.h>
#include <mm/fault-inject.h>
#include <mm/gfp.h>
#include <mm/mempool.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <errno.h>
#include <string.h>
#include <test_machine.h>

static int fault_inject_suite_init(void)
{
	if (vm_test_init())
		return 1;
	kmem_cache_init();
	return 0;
}

/* Every case leaves the knobs as Linux boots them, however it ends. */
static void reset_all(void *unused)
{
	fault_set_nth(0);
	fault_attr_reset(&failslab);
	fault_attr_reset(&fail_page_alloc);
	fault_attr_reset(&fail_vmalloc);
}

static void arm(struct kunit *test, struct fault_attr *a, const char *knobs, unsigned long verbose)
{
	reset_all(NULL);
	kunit_add_action(test, reset_all, NULL);
	KUNIT_EXPECT_EQ(test, fault_attr_parse(a, knobs), 0);
	a->verbose = verbose;
}

static void kfree_action(void *p)
{
	kfree(p);
}

/* fail-nth: only the n-th call fails, whichever fault point it is; it reads 0 afterwards. */
static void fail_nth_fails_exactly_nth(struct kunit *test)
{
	void *p[5];
	int i;

	reset_all(NULL);
	kunit_add_action(test, reset_all, NULL);
	kfree(kmalloc(32, GFP_KERNEL));	/* the per-CPU array now holds objects: no slab refill below */
	fault_set_nth(3);
	KUNIT_EXPECT_EQ(test, fault_get_nth(), 3);
	for (i = 0; i < 5; i++) {
		p[i] = kmalloc(32, GFP_KERNEL | __GFP_NOWARN);
		if (p[i])
			kunit_add_action(test, kfree_action, p[i]);
	}
	KUNIT_EXPECT_NOT_NULL(test, p[0]);
	KUNIT_EXPECT_NOT_NULL(test, p[1]);
	KUNIT_EXPECT_NULL(test, p[2]);
	KUNIT_EXPECT_NOT_NULL(test, p[3]);
	KUNIT_EXPECT_NOT_NULL(test, p[4]);
	KUNIT_EXPECT_EQ(test, fault_get_nth(), 0);
}

/* interval 2, times 2: calls 2 and 4 fail, then the failures are used up. */
static void failslab_interval_and_times(struct kunit *test)
{
	void *p[6];
	int i;

	arm(test, &failslab, "2,100,0,2", 0);
	for (i = 0; i < 6; i++) {
		p[i] = kmalloc(64, GFP_KERNEL | __GFP_NOWARN);
		if (p[i])
			kunit_add_action(test, kfree_action, p[i]);
	}
	KUNIT_EXPECT_NOT_NULL(test, p[0]);
	KUNIT_EXPECT_NULL(test, p[1]);
	KUNIT_EXPECT_NOT_NULL(test, p[2]);
	KUNIT_EXPECT_NULL(test, p[3]);
	KUNIT_EXPECT_NOT_NULL(test, p[4]);
	KUNIT_EXPECT_NOT_NULL(test, p[5]);
	KUNIT_EXPECT_EQ(test, atomic_read(&failslab.times), 0);
}

/* __GFP_NOFAIL is never failed; __GFP_NOWARN fails without the message; verbose 1 prints Linux's lines. */
static void gfp_nofail_and_nowarn(struct kunit *test)
{
	static char log[1024];
	void *p;

	arm(test, &failslab, "1,100,0,-1", 1);
	p = kmalloc(16, GFP_KERNEL | __GFP_NOFAIL);
	KUNIT_EXPECT_NOT_NULL(test, p);
	kfree(p);
	printk_capture_start(log, sizeof(log));
	p = kmalloc(16, GFP_KERNEL | __GFP_NOWARN);
	printk_capture_stop();
	KUNIT_EXPECT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, strstr(log, "FAULT_INJECTION") == NULL);
	printk_capture_start(log, sizeof(log));
	p = kmalloc(16, GFP_KERNEL);
	printk_capture_stop();
	KUNIT_EXPECT_NULL(test, p);
	KUNIT_EXPECT_SUBSTR(test, log, "FAULT_INJECTION: forcing a failure.");
	KUNIT_EXPECT_SUBSTR(test, log, "name failslab, interval 1, probability 100, space 0, times -1");
}

/* space lets the first bytes through; min-order spares the smaller orders. */
static void page_alloc_space_and_min_order(struct kunit *test)
{
	struct page *a, *b;

	arm(test, &fail_page_alloc, "1,100,8192,-1", 0);
	a = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);	/* 4096 of the 8192 */
	b = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);	/* 4096 left: not more than the call */
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_NULL(test, b);
	if (a)
		__free_pages(a, 0);
	fail_page_alloc.min_order = 1;
	a = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
	b = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1);
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_NULL(test, b);
	if (a)
		__free_pages(a, 0);
	if (b)
		__free_pages(b, 1);
}

/* fail_vmalloc fails the area as a whole: nothing is left behind. */
static void vmalloc_fails_whole(struct kunit *test)
{
	unsigned long areas = vmalloc_nr_areas();
	void *p;

	arm(test, &fail_vmalloc, "1,100,0,1", 0);
	p = vmalloc(3 * PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, vmalloc_nr_areas(), areas);
	p = vmalloc(3 * PAGE_SIZE);
	KUNIT_EXPECT_NOT_NULL(test, p);
	vfree(p);
	KUNIT_EXPECT_EQ(test, atomic_read(&fail_vmalloc.injected) > 0, 1);
}

/* A bad boot value changes nothing: every field is checked, all or nothing. */
static void parse_rejects_bad_values(struct kunit *test)
{
	static const char *const bad[] = { "", "1,2,3", "1,101,0,1", "0,10,0,1", "1,10,0,-2",
					   "1,10,0,1,5", "a,1,1,1", "1,,0,1", "1,10,-5,1", "1 ,10,0,1" };
	unsigned int i;

	reset_all(NULL);
	kunit_add_action(test, reset_all, NULL);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ(test, fault_attr_parse(&failslab, bad[i]), -1);
		KUNIT_EXPECT_EQ(test, failslab.probability, 0);
		KUNIT_EXPECT_EQ(test, failslab.interval, 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&failslab.times), 1);
	}
	KUNIT_EXPECT_EQ(test, fault_attr_parse(&failslab, "10,25,4096,-1"), 0);
	KUNIT_EXPECT_EQ(test, failslab.interval, 10);
	KUNIT_EXPECT_EQ(test, failslab.probability, 25);
	KUNIT_EXPECT_EQ(test, atomic_read(&failslab.space), 4096);
	KUNIT_EXPECT_EQ(test, atomic_read(&failslab.times), -1);
}

static const char *read_file(const char *path, char *buf, size_t n)
{
	return debugfs_read(path, buf, n) ?: "(no file)";
}

/* The debugfs files read back what was written; bad writes change nothing. */
static void debugfs_knobs(struct kunit *test)
{
	char buf[64];

	reset_all(NULL);
	kunit_add_action(test, reset_all, NULL);
	KUNIT_EXPECT_EQ(test, debugfs_write("/sys/kernel/debug/failslab/probability", "30"), 0);
	KUNIT_EXPECT_STREQ(test, read_file("/sys/kernel/debug/failslab/probability", buf, sizeof(buf)), "30\n");
	KUNIT_EXPECT_EQ(test, debugfs_write("/sys/kernel/debug/failslab/probability", "300"), -EINVAL);
	KUNIT_EXPECT_EQ(test, debugfs_write("/sys/kernel/debug/failslab/probability", "3x"), -EINVAL);
	KUNIT_EXPECT_STREQ(test, read_file("/sys/kernel/debug/failslab/probability", buf, sizeof(buf)), "30\n");
	KUNIT_EXPECT_EQ(test, debugfs_write("/sys/kernel/debug/fail_page_alloc/times", "-1"), 0);
	KUNIT_EXPECT_STREQ(test, read_file("/sys/kernel/debug/fail_page_alloc/times", buf, sizeof(buf)), "-1\n");
	KUNIT_EXPECT_EQ(test, debugfs_write("/sys/kernel/debug/fail_vmalloc/interval", "0"), -EINVAL);
	KUNIT_EXPECT_EQ(test, debugfs_write("/sys/kernel/debug/fail_page_alloc/min-order", "11"), -EINVAL);
	KUNIT_EXPECT_EQ(test, debugfs_write("/proc/self/fail-nth", "7"), 0);
	KUNIT_EXPECT_STREQ(test, read_file("/proc/self/fail-nth", buf, sizeof(buf)), "7\n");
	KUNIT_EXPECT_EQ(test, debugfs_write("/proc/self/fail-nth", "0"), 0);
	KUNIT_EXPECT_EQ(test, debugfs_write("/sys/kernel/debug/failslab/nothing", "1"), -ENOENT);
	KUNIT_EXPECT_EQ(test, debugfs_write("/proc/slabinfo", "1"), -EACCES);
}

/*
 * Found by the sweep: a mempool_create whose reserve could not be filled
 * undid itself through mempool_destroy, which then reported the elements it
 * never got as "never returned" — a leak report for a clean failure.
 */
static void mempool_create_failure_is_quiet(struct kunit *test)
{
	static char log[1024];
	unsigned long before = fault_total_injected();
	mempool_t *pool;

	arm(test, &failslab, "4,100,0,1", 0);	/* the pool, its array, element 1, then element 2 fails */
	printk_capture_start(log, sizeof(log));
	pool = mempool_create_kmalloc_pool(4, 100);
	printk_capture_stop();
	KUNIT_EXPECT_NULL(test, pool);
	mempool_destroy(pool);
	KUNIT_EXPECT_EQ(test, fault_total_injected(), before + 1);
	KUNIT_EXPECT_TRUE(test, strstr(log, "never returned") == NULL);
}

kunit_test_suite_init(fault_inject, fault_inject_suite_init, NULL,
	KUNIT_CASE(fail_nth_fails_exactly_nth),
	KUNIT_CASE(failslab_interval_and_times),
	KUNIT_CASE(gfp_nofail_and_nowarn),
	KUNIT_CASE(page_alloc_space_and_min_order),
	KUNIT_CASE(vmalloc_fails_whole),
	KUNIT_CASE(parse_rejects_bad_values),
	KUNIT_CASE(debugfs_knobs),
	KUNIT_CASE(mempool_create_failure_is_quiet));

/*
 * failsweep_selfcheck: a case whose error path leaks on purpose — when its
 * second allocation fails it returns without freeing the first. Run normally
 * it passes; `failsweep failsweep_selfcheck` must report exactly that run as
 * leaking one slab object (tests/qemu/failsweep.t), which proves the sweep
 * sees leaks. It is not part of fault_inject so that suite sweeps clean.
 */
static void leaky_error_path(struct kunit *test)
{
	void *a = kmalloc(48, GFP_KERNEL | __GFP_NOWARN), *b;

	if (!a)
		return;
	b = kmalloc(48, GFP_KERNEL | __GFP_NOWARN);
	if (!b)
		return;		/* the deliberate leak: a is not freed */
	kfree(b);
	kfree(a);
}

kunit_test_suite_init(failsweep_selfcheck, fault_inject_suite_init, NULL,
	KUNIT_CASE(leaky_error_path));

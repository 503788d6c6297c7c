/* kfence_test.c: KTAP suite for KFENCE — each bug a sampled object catches gives its one report, and the kernel goes on. */
#include <kernel/debugfs.h>
#include <kernel/kunit.h>
#include <kernel/printk.h>
#include <mm/fault-inject.h>
#include <mm/kfence.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <stdio.h>
#include <string.h>

/* Hides a pointer's origin from the compiler, which would otherwise see (and warn about) the bug. */
#define HIDE(p)		({ __typeof__(&(p)[0]) __p = (p); __asm__ volatile("" : "+r"(__p)); __p; })

/* A size that is a multiple of any kmalloc class's alignment: the right-placed object ends at its guard. */
#define OBJ_SIZE	128

static char report[8192];
static unsigned long bugs_before;

static void restore_interval(void *old)
{
	kfence_set_sample_interval((unsigned long)old);
}

static void pause_gate(void *unused)
{
	kfence_gate_pause();
}

static void restore_sampling(void *old)
{
	kfence_force_sampling(old != NULL);
}

static void stop_capture(void *unused)
{
	printk_capture_stop();
}

static void free_action(void *p)
{
	kfree(p);
}

/*
 * Every allocation is sampled for the rest of the case (KFENCE's gate held
 * open, and let go however the case ends). false, the case skipped, where
 * there is no pool: the host seam (its vmalloc addresses cannot be
 * dereferenced, so no object can be handed out and nothing can fault), or a
 * kernel booted with KFENCE off.
 */
static bool force_sampling(struct kunit *test)
{
	if (!__kfence_pool) {
		kunit_mark_skipped(test, VMALLOC_VA_LIVE ? "KFENCE is off in this kernel (see its boot line)" :
				   "the host seam cannot fault: its vmalloc addresses are not live");
		return false;
	}
	return !kunit_add_action(test, restore_sampling, kfence_force_sampling(true) ? (void *)1 : NULL);
}

/* A KFENCE object of OBJ_SIZE bytes from kmalloc, against its right guard (right) or its left one. */
static char *alloc_placed(struct kunit *test, bool right)
{
	char *p;
	int tries;

	for (tries = 0; tries < 4; tries++) {
		p = kmalloc(OBJ_SIZE, GFP_KERNEL);
		if (!p)
			break;
		if (is_kfence_address(p) && IS_ALIGNED((unsigned long)p, PAGE_SIZE) != right) {
			if (kunit_add_action(test, free_action, p))
				return NULL;
			return p;
		}
		kfree(p);	/* the other placement (they alternate), or the pool was full */
	}
	return NULL;
}

static void begin_capture(struct kunit *test)
{
	bugs_before = kfence_bug_count();
	printk_capture_start(report, sizeof(report));
	kunit_add_action(test, stop_capture, NULL);
}

/* A case's start: every allocation sampled, a placed object (freed at the end), the console captured. NULL: skip or fail. */
static char *placed_object(struct kunit *test, bool right)
{
	char *p;

	if (!force_sampling(test))
		return NULL;
	p = alloc_placed(test, right);
	KUNIT_EXPECT_NOT_NULL(test, p);
	if (p)
		begin_capture(test);
	return p;
}

/*
 * The capture holds exactly one KFENCE report, headed "BUG: KFENCE: what in
 * func+0x", with the object's line and its allocation stack, and nothing else.
 * The kernel went on: this runs after the bug, and allocates and frees.
 */
static void expect_one_report(struct kunit *test, const char *what, const char *func, const void *obj)
{
	char line[128];
	void *q;

	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, kfence_bug_count() - bugs_before, 1UL);
	KUNIT_EXPECT_EQ(test, kunit_count_substr(report, "BUG: "), 1U);
	snprintf(line, sizeof(line), "BUG: KFENCE: %s in %s+0x", what, func);
	KUNIT_EXPECT_SUBSTR(test, report, line);
	KUNIT_EXPECT_EQ(test, kunit_count_substr(report, "=================================================================="), 2U);
	snprintf(line, sizeof(line), "kfence-#%d: 0x%lx-0x%lx, size=%d, cache=kmalloc-128\n", kfence_object_index(obj),
		 (unsigned long)obj, (unsigned long)obj + OBJ_SIZE - 1, OBJ_SIZE);
	KUNIT_EXPECT_SUBSTR(test, report, line);
	KUNIT_EXPECT_SUBSTR(test, report, "allocated by task 0 on cpu ");
	KUNIT_EXPECT_SUBSTR(test, report, "CPU: ");
	KUNIT_EXPECT_EQ(test, kunit_count_substr(report, "Oops"), 0U);
	q = kmalloc(OBJ_SIZE, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, q);
	kfree(q);
}

static void expect_line(struct kunit *test, const char *fmt, unsigned long addr, const void *obj)
{
	char line[128];

	snprintf(line, sizeof(line), fmt, addr, kfence_object_index(obj));
	KUNIT_EXPECT_SUBSTR(test, report, line);
}

static void out_of_bounds_read_right(struct kunit *test)
{
	char *p = placed_object(test, true);

	if (!p)
		return;
	(void)READ_ONCE(HIDE(p)[OBJ_SIZE]);
	expect_one_report(test, "out-of-bounds read", "out_of_bounds_read_right", p);
	expect_line(test, "Out-of-bounds read at 0x%lx (128B right of kfence-#%d):\n", (unsigned long)p + OBJ_SIZE, p);
}

static void out_of_bounds_read_left(struct kunit *test)
{
	char *p = placed_object(test, false);

	if (!p)
		return;
	(void)READ_ONCE(HIDE(p)[-1]);
	expect_one_report(test, "out-of-bounds read", "out_of_bounds_read_left", p);
	expect_line(test, "Out-of-bounds read at 0x%lx (1B left of kfence-#%d):\n", (unsigned long)p - 1, p);
}

static void out_of_bounds_write_right(struct kunit *test)
{
	char *p = placed_object(test, true);

	if (!p)
		return;
	WRITE_ONCE(HIDE(p)[OBJ_SIZE + 8], 'x');
	expect_one_report(test, "out-of-bounds write", "out_of_bounds_write_right", p);
	expect_line(test, "Out-of-bounds write at 0x%lx (136B right of kfence-#%d):\n", (unsigned long)p + OBJ_SIZE + 8, p);
}

static void out_of_bounds_write_left(struct kunit *test)
{
	char *p = placed_object(test, false);

	if (!p)
		return;
	WRITE_ONCE(HIDE(p)[-2], 'x');
	expect_one_report(test, "out-of-bounds write", "out_of_bounds_write_left", p);
	expect_line(test, "Out-of-bounds write at 0x%lx (2B left of kfence-#%d):\n", (unsigned long)p - 2, p);
}

static void use_after_free_read(struct kunit *test)
{
	char *p;

	if (!force_sampling(test))
		return;
	p = alloc_placed(test, true);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kunit_release_action(test, free_action, p);
	begin_capture(test);
	(void)READ_ONCE(HIDE(p)[3]);
	expect_one_report(test, "use-after-free read", "use_after_free_read", p);
	expect_line(test, "Use-after-free read at 0x%lx (in kfence-#%d):\n", (unsigned long)p + 3, p);
	KUNIT_EXPECT_SUBSTR(test, report, "freed by task 0 on cpu ");
}

/* A byte written just before a right-placed object lands on canary: caught by the free. */
static void corruption_at_free(struct kunit *test)
{
	char *p;

	if (!force_sampling(test))
		return;
	p = alloc_placed(test, true);
	KUNIT_ASSERT_NOT_NULL(test, p);
	WRITE_ONCE(HIDE(p)[-1], 0x42);
	begin_capture(test);
	kunit_release_action(test, free_action, p);
	expect_one_report(test, "memory corruption", "corruption_at_free", p);
	expect_line(test, "Corrupted memory at 0x%lx [ 0x42 ] (in kfence-#%d):\n", (unsigned long)p - 1, p);
}

/* A pointer inside the object, then a second free: each refused with a report, the object intact. */
static void invalid_free(struct kunit *test)
{
	char *p;

	if (!force_sampling(test))
		return;
	p = alloc_placed(test, true);
	KUNIT_ASSERT_NOT_NULL(test, p);
	begin_capture(test);
	kfree(HIDE(p) + 1);
	expect_one_report(test, "invalid free", "invalid_free", p);
	expect_line(test, "Invalid free of 0x%lx (in kfence-#%d):\n", (unsigned long)p + 1, p);
	KUNIT_EXPECT_EQ(test, ksize(p), (size_t)OBJ_SIZE);	/* still allocated */
	kunit_release_action(test, free_action, p);
	begin_capture(test);
	kfree(HIDE(p));
	expect_one_report(test, "invalid free", "invalid_free", p);
	KUNIT_EXPECT_SUBSTR(test, report, "freed by task 0 on cpu ");
}

/* The object krealloc may have moved: freed at the end of the case, whichever it is. */
static void *realloc_obj;

static void free_realloc_obj(void *unused)
{
	kfree(realloc_obj);
	realloc_obj = NULL;
}

/* Sampled objects used as they should be: no report; ksize is the size asked; krealloc moves the bytes. */
static void sampled_clean_use(struct kunit *test)
{
	char *p, *q;
	size_t i;

	if (!force_sampling(test))
		return;
	begin_capture(test);
	p = kzalloc(100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	realloc_obj = p;
	kunit_add_action(test, free_realloc_obj, NULL);
	KUNIT_EXPECT_TRUE(test, is_kfence_address(p));
	KUNIT_EXPECT_EQ(test, ksize(p), (size_t)100);
	for (i = 0; i < 100; i++) {
		KUNIT_EXPECT_EQ(test, p[i], 0);
		p[i] = (char)i;
	}
	q = krealloc(p, 300, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	realloc_obj = q;
	KUNIT_EXPECT_TRUE(test, is_kfence_address(q));
	KUNIT_EXPECT_EQ(test, ksize(q), (size_t)300);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, q[i], (char)i);
	kunit_release_action(test, free_realloc_obj, NULL);
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, kfence_bug_count(), bugs_before);
	KUNIT_EXPECT_EQ(test, kunit_count_substr(report, "BUG: "), 0U);
}

/* A kmalloc(OBJ_SIZE) object, freed when the case ends; NULL, the case failed, if there is none. */
static char *alloc_for_case(struct kunit *test)
{
	char *p = kmalloc(OBJ_SIZE, GFP_KERNEL);

	KUNIT_EXPECT_NOT_NULL(test, p);
	if (p && kunit_add_action(test, free_action, p))
		return NULL;
	return p;
}

static void disarm_nth(void *unused)
{
	fault_set_nth(0);
}

/*
 * Fault injection comes before KFENCE's gate, as in Linux: a sampled
 * allocation is one to fail-nth (and failsweep) like any other, so the nth
 * allocation fails even when KFENCE would have served it.
 */
static void sampled_allocation_can_fail(struct kunit *test)
{
	char *p, *q;

	if (!force_sampling(test) || kunit_add_action(test, disarm_nth, NULL))
		return;
	fault_set_nth(1);
	p = kmalloc(OBJ_SIZE, GFP_KERNEL | __GFP_NOWARN);
	if (p)
		kunit_add_action(test, free_action, p);
	KUNIT_EXPECT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, fault_get_nth(), 0);
	q = alloc_for_case(test);
	KUNIT_EXPECT_TRUE(test, q && is_kfence_address(q));
}

/*
 * The gate: a new interval opens it at CPU 0's first poll; the next
 * allocation is the sample and shuts it; it stays shut until the interval
 * (here 1000 s) has passed, so the allocation after is the slab's. The
 * runner pauses the gate around each case; this one lifts that pause.
 */
static void gate_once_an_interval(struct kunit *test)
{
	char *a, *b;

	if (!__kfence_pool || smp_processor_id() != 0) {
		kunit_mark_skipped(test, !__kfence_pool ? "KFENCE is off in this kernel (see its boot line)" :
				   "the gate is polled on CPU 0, and this runs elsewhere");
		return;
	}
	kfence_gate_resume();	/* the runner's pause, lifted for this case: the clock is what it tests */
	if (kunit_add_action(test, pause_gate, NULL) ||
	    kunit_add_action(test, restore_interval, (void *)kfence_set_sample_interval(1000000)))
		return;
	kfence_poll();
	KUNIT_EXPECT_TRUE(test, atomic_read(&slab_quick_off) & SLAB_QUICK_KFENCE);
	a = alloc_for_case(test);
	KUNIT_EXPECT_TRUE(test, a && is_kfence_address(a));
	KUNIT_EXPECT_FALSE(test, atomic_read(&slab_quick_off) & SLAB_QUICK_KFENCE);
	kfence_poll();
	KUNIT_EXPECT_FALSE(test, atomic_read(&slab_quick_off) & SLAB_QUICK_KFENCE);
	b = alloc_for_case(test);
	KUNIT_EXPECT_TRUE(test, b && !is_kfence_address(b));
}

/*
 * A cache destroyed while one of its sampled objects is still allocated: the
 * slab holds none of its objects, so the destroy succeeds; the object becomes
 * a zombie (Linux's kfence_shutdown_cache): freed, out of the pool, counted
 * in the stats, and the free its owner makes later is reported, with the
 * destroy as the free before it.
 */
static void destroy_makes_zombie(struct kunit *test)
{
	struct kmem_cache *c;
	unsigned long zombies;
	char line[128];
	char *p;

	if (!force_sampling(test))
		return;
	c = kmem_cache_create("test-kfence-zombie", OBJ_SIZE, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, p && is_kfence_address(p));
	if (!p || !is_kfence_address(p)) {
		if (p)
			kmem_cache_free(c, p);
		KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
		return;
	}
	zombies = kfence_zombie_count();
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
	KUNIT_EXPECT_EQ(test, kfence_zombie_count() - zombies, 1UL);
	KUNIT_EXPECT_EQ(test, ksize(p), (size_t)0);		/* no longer a live object */
	begin_capture(test);
	kfree(HIDE(p));
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, kfence_bug_count() - bugs_before, 1UL);
	KUNIT_EXPECT_EQ(test, kunit_count_substr(report, "BUG: "), 1U);
	KUNIT_EXPECT_SUBSTR(test, report, "BUG: KFENCE: invalid free in destroy_makes_zombie+0x");
	snprintf(line, sizeof(line), "kfence-#%d: 0x%lx-0x%lx, size=%d, cache=test-kfence-zombie\n",
		 kfence_object_index(p), (unsigned long)p, (unsigned long)p + OBJ_SIZE - 1, OBJ_SIZE);
	KUNIT_EXPECT_SUBSTR(test, report, line);
	KUNIT_EXPECT_SUBSTR(test, report, "freed by task 0 on cpu ");
	KUNIT_EXPECT_SUBSTR(test, report, "destroy_makes_zombie+0x");
}

/* The stats file has Linux's fields (on the host too, where it says enabled: 0). */
static void stats_file(struct kunit *test)
{
	static const char *const fields[] = {
		"enabled: ", "currently allocated: ", "total allocations: ", "total frees: ",
		"zombie allocations: ", "total bugs: ",
	};
	const struct debugfs_file *f = debugfs_lookup("/sys/kernel/debug/kfence/stats");
	static char buf[1024];
	struct seq_buf s;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	seq_buf_init(&s, buf, sizeof(buf));
	f->show(&s);
	KUNIT_ASSERT_FALSE(test, s.overflow);
	buf[s.len < sizeof(buf) ? s.len : sizeof(buf) - 1] = '\0';
	for (i = 0; i < ARRAY_SIZE(fields); i++)
		KUNIT_EXPECT_SUBSTR(test, buf, fields[i]);
	KUNIT_EXPECT_SUBSTR(test, buf, __kfence_pool && kfence_enabled ? "enabled: 1\n" : "enabled: 0\n");
}

kunit_test_suite(kfence,
	KUNIT_CASE(out_of_bounds_read_right),
	KUNIT_CASE(out_of_bounds_read_left),
	KUNIT_CASE(out_of_bounds_write_right),
	KUNIT_CASE(out_of_bounds_write_left),
	KUNIT_CASE(use_after_free_read),
	KUNIT_CASE(corruption_at_free),
	KUNIT_CASE(invalid_free),
	KUNIT_CASE(sampled_clean_use),
	KUNIT_CASE(gate_once_an_interval),
	KUNIT_CASE(sampled_allocation_can_fail),
	KUNIT_CASE(destroy_makes_zombie),
	KUNIT_CASE(stats_file));

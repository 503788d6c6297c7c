/* kasan_test.c: KTAP suite for KASAN — each classic memory bug gives exactly its one report (KASAN=1 kernel). */
#include <kernel/kunit.h>
#include <mm/kasan.h>

#ifdef CONFIG_KASAN
#include <kernel/printk.h>
#include <kernel/setjmp.h>
#include <mm/gfp.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <stdio.h>
#include <string.h>

/* Hides a pointer's origin from the compiler, which would otherwise see (and warn about) the bug. */
#define HIDE(p)		({ __typeof__(&(p)[0]) __p = (p); __asm__ volatile("" : "+r"(__p)); __p; })

static char report[8192];
static unsigned long reports_before;

static void stop_capture(void *unused)
{
	printk_capture_stop();
}

/* Starts a case: console captured, KASAN's one-report-per-bug memory cleared, its count noted. */
static void kasan_begin(struct kunit *test)
{
	kasan_reset_reports();
	reports_before = kasan_report_count();
	printk_capture_start(report, sizeof(report));
	kunit_add_action(test, stop_capture, NULL);
}

/*
 * The capture (each line after its "[    s.us] " timestamp) holds exactly one
 * KASAN report, of this kind in this function, and nothing else. */
static void expect_one_report(struct kunit *test, const char *kind, const char *func)
{
	char head[128];

	printk_capture_stop();
	snprintf(head, sizeof(head), "BUG: KASAN: %s in %s+0x", kind, func);
	KUNIT_EXPECT_EQ(test, kasan_report_count() - reports_before, 1UL);
	KUNIT_EXPECT_EQ(test, kunit_count_substr(report, "BUG: "), 1U);
	KUNIT_EXPECT_SUBSTR(test, report, head);
	KUNIT_EXPECT_EQ(test, kunit_count_substr(report, "=================================================================="), 2U);
	KUNIT_EXPECT_SUBSTR(test, report, "by task swapper/");
	KUNIT_EXPECT_SUBSTR(test, report, "Call trace:\n");
	KUNIT_EXPECT_EQ(test, kunit_count_substr(report, "WARNING"), 0U);
}

static void expect_no_report(struct kunit *test)
{
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, kasan_report_count() - reports_before, 0UL);
	KUNIT_EXPECT_EQ(test, kunit_count_substr(report, "BUG: "), 0U);
}

static void expect_memory_state(struct kunit *test)
{
	KUNIT_EXPECT_SUBSTR(test, report, "Memory state around the buggy address:\n");
	KUNIT_EXPECT_EQ(test, kunit_count_substr(report, "] >"), 1U);	/* the row of the bad byte */
	KUNIT_EXPECT_SUBSTR(test, report, "^\n");
}

static void free_action(void *p)
{
	kfree(p);
}

static void vfree_action(void *p)
{
	vfree(p);
}

/* A write one byte past a 120-byte kmalloc (its kmalloc-128 object's 8-byte tail is red zone). */
static void kmalloc_oob_right(struct kunit *test)
{
	char *p = kmalloc(120, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	kunit_add_action(test, free_action, p);
	kasan_begin(test);
	HIDE(p)[120] = 'x';
	expect_one_report(test, "slab-out-of-bounds", "kmalloc_oob_right");
	KUNIT_EXPECT_SUBSTR(test, report, "Write of size 1 at addr ");
	KUNIT_EXPECT_SUBSTR(test, report, "Allocated by task 0:\n");
	KUNIT_EXPECT_SUBSTR(test, report, " which belongs to the cache kmalloc-128 of size 128\n");
	KUNIT_EXPECT_SUBSTR(test, report, "The buggy address is located 0 bytes to the right of\n");
	KUNIT_EXPECT_SUBSTR(test, report, " allocated 120-byte region [");
	expect_memory_state(test);
}

/*
 * A read one byte before an object. pagoda's slab keeps the normal build's
 * layout (no extra red zones), so the byte before an object is the previous
 * object's: caught when that is red zone — here the 8-byte tail of a
 * neighbouring 120-byte allocation, found among a few.
 */
static void kmalloc_oob_left(struct kunit *test)
{
	char *p[16], *hi = NULL;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(p) && !hi; i++) {
		p[i] = kmalloc(120, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		kunit_add_action(test, free_action, p[i]);
		for (j = 0; j < i && !hi; j++)
			if (p[i] == p[j] + 128 || p[j] == p[i] + 128)
				hi = p[i] > p[j] ? p[i] : p[j];
	}
	KUNIT_ASSERT_NOT_NULL(test, hi);
	kasan_begin(test);
	(void)*(volatile char *)(HIDE(hi) - 1);
	expect_one_report(test, "slab-out-of-bounds", "kmalloc_oob_left");
	KUNIT_EXPECT_SUBSTR(test, report, "Read of size 1 at addr ");
	KUNIT_EXPECT_SUBSTR(test, report, "The buggy address is located 7 bytes to the right of\n");
	KUNIT_EXPECT_SUBSTR(test, report, " allocated 120-byte region [");
}

static void kmalloc_uaf(struct kunit *test)
{
	char *p = kmalloc(64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	kfree(p);
	kasan_begin(test);
	(void)*(volatile char *)(HIDE(p) + 8);
	expect_one_report(test, "slab-use-after-free", "kmalloc_uaf");
	KUNIT_EXPECT_SUBSTR(test, report, "Allocated by task 0:\n");
	KUNIT_EXPECT_SUBSTR(test, report, "Freed by task 0:\n");
	KUNIT_EXPECT_SUBSTR(test, report, "The buggy address is located 8 bytes inside of\n");
	KUNIT_EXPECT_SUBSTR(test, report, " freed 64-byte region [");
	expect_memory_state(test);
}

static void kmalloc_double_free(struct kunit *test)
{
	char *p = kmalloc(64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	kfree(p);
	kasan_begin(test);
	kfree(HIDE(p));
	expect_one_report(test, "double-free", "kmalloc_double_free");
	KUNIT_EXPECT_SUBSTR(test, report, "Free of addr ");
	KUNIT_EXPECT_SUBSTR(test, report, "Freed by task 0:\n");
}

/* kfree of a pointer inside an object: reported, and the object is not freed (still usable). */
static void kmalloc_invalid_free(struct kunit *test)
{
	char *p = kmalloc(64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	kunit_add_action(test, free_action, p);
	kasan_begin(test);
	kfree(HIDE(p) + 1);
	expect_one_report(test, "invalid-free", "kmalloc_invalid_free");
	kasan_begin(test);
	p[63] = 1;
	expect_no_report(test);
}

/* krealloc to a smaller size keeps the object; the bytes past the new size are red zone. */
static void krealloc_less_oob(struct kunit *test)
{
	char *p = kmalloc(100, GFP_KERNEL), *q;

	KUNIT_ASSERT_NOT_NULL(test, p);
	q = krealloc(p, 40, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	kunit_add_action(test, free_action, q);
	kasan_begin(test);
	q[39] = 1;
	HIDE(q)[40] = 1;
	expect_one_report(test, "slab-out-of-bounds", "krealloc_less_oob");
	KUNIT_EXPECT_SUBSTR(test, report, "The buggy address is located 0 bytes to the right of\n");
	KUNIT_EXPECT_SUBSTR(test, report, " allocated 40-byte region [");
}

static void page_alloc_uaf(struct kunit *test)
{
	struct page *pg = alloc_pages(GFP_KERNEL, 1);
	char *p;

	KUNIT_ASSERT_NOT_NULL(test, pg);
	p = page_address(pg);
	__free_pages(pg, 1);
	kasan_begin(test);
	(void)*(volatile char *)(HIDE(p) + PAGE_SIZE + 7);
	expect_one_report(test, "use-after-free", "page_alloc_uaf");
	KUNIT_EXPECT_SUBSTR(test, report, "The buggy address belongs to the physical page:\n");
	expect_memory_state(test);
}

static void vmalloc_oob(struct kunit *test)
{
	char *p = vmalloc(3000);

	KUNIT_ASSERT_NOT_NULL(test, p);
	kunit_add_action(test, vfree_action, p);
	kasan_begin(test);
	p[2999] = 1;
	(void)*(volatile char *)(HIDE(p) + 3000);
	expect_one_report(test, "vmalloc-out-of-bounds", "vmalloc_oob");
	KUNIT_EXPECT_SUBSTR(test, report, "The buggy address belongs to the virtual mapping at\n");
	KUNIT_EXPECT_SUBSTR(test, report, ") created by:\n");
	KUNIT_EXPECT_SUBSTR(test, report, "]  vmalloc_oob+0x");
	expect_memory_state(test);
}

/*
 * A read after vfree: KASAN reports it first; the read itself then faults (the
 * area is unmapped) and the fault is recovered here, as the shell does. So the
 * capture holds the KASAN report and then the MMU fault's lines.
 */
static void vmalloc_uaf(struct kunit *test)
{
	jmp_buf jb, *prev = fault_recovery;
	char *volatile p = vmalloc(PAGE_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, p);
	vfree(p);
	kasan_begin(test);
	if (!setjmp(jb)) {
		fault_recovery = &jb;
		(void)*(volatile char *)(HIDE(p) + 16);
	}
	fault_recovery = prev;
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, kasan_report_count() - reports_before, 1UL);
	KUNIT_EXPECT_EQ(test, kunit_count_substr(report, "BUG: KASAN: "), 1U);
	KUNIT_EXPECT_SUBSTR(test, report, "BUG: KASAN: vmalloc-out-of-bounds in vmalloc_uaf+0x");
	KUNIT_EXPECT_SUBSTR(test, report, "Unable to handle kernel paging request");
}

static char global_array[10];

static void global_oob(struct kunit *test)
{
	kasan_begin(test);
	(void)*(volatile char *)(HIDE(global_array) + 10);
	expect_one_report(test, "global-out-of-bounds", "global_oob");
	KUNIT_EXPECT_SUBSTR(test, report, "The buggy address belongs to the variable:\n");
	KUNIT_EXPECT_SUBSTR(test, report, "]  global_array+0xa/0xa\n");
	expect_memory_state(test);
}

static void stack_oob(struct kunit *test)
{
	char stack_array[10];

	memset(stack_array, 0, sizeof(stack_array));
	kasan_begin(test);
	(void)*(volatile char *)(HIDE(stack_array) + 10);
	expect_one_report(test, "stack-out-of-bounds", "stack_oob");
	expect_memory_state(test);
}

static void memset_oob(struct kunit *test)
{
	char *p = kmalloc(120, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	kunit_add_action(test, free_action, p);
	kasan_begin(test);
	memset(HIDE(p), 0, 121);
	expect_one_report(test, "slab-out-of-bounds", "memset_oob");
	KUNIT_EXPECT_SUBSTR(test, report, "Write of size 121 at addr ");
}

static void memcpy_oob(struct kunit *test)
{
	char *src = kmalloc(60, GFP_KERNEL), *dst = kmalloc(128, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, src);
	kunit_add_action(test, free_action, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	kunit_add_action(test, free_action, dst);
	kasan_begin(test);
	memcpy(dst, HIDE(src), 61);
	expect_one_report(test, "slab-out-of-bounds", "memcpy_oob");
	KUNIT_EXPECT_SUBSTR(test, report, "Read of size 61 at addr ");
}

/* The same bug twice is one report; correct accesses to every byte given out are none. */
static void one_report_per_bug(struct kunit *test)
{
	char *p = kmalloc(24, GFP_KERNEL), *v = vmalloc(5000);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	kunit_add_action(test, free_action, p);
	KUNIT_ASSERT_NOT_NULL(test, v);
	kunit_add_action(test, vfree_action, v);
	kasan_begin(test);
	for (i = 0; i < 24; i++)
		p[i] = (char)i;
	for (i = 0; i < 5000; i++)
		v[i] = (char)i;
	expect_no_report(test);
	kasan_begin(test);
	for (i = 24; i < 28; i++)
		(void)*(volatile char *)(HIDE(p) + i);
	expect_one_report(test, "slab-out-of-bounds", "one_report_per_bug");
}

kunit_test_suite(kasan,
	KUNIT_CASE(kmalloc_oob_right),
	KUNIT_CASE(kmalloc_oob_left),
	KUNIT_CASE(kmalloc_uaf),
	KUNIT_CASE(kmalloc_double_free),
	KUNIT_CASE(kmalloc_invalid_free),
	KUNIT_CASE(krealloc_less_oob),
	KUNIT_CASE(page_alloc_uaf),
	KUNIT_CASE(vmalloc_oob),
	KUNIT_CASE(vmalloc_uaf),
	KUNIT_CASE(global_oob),
	KUNIT_CASE(stack_oob),
	KUNIT_CASE(memset_oob),
	KUNIT_CASE(memcpy_oob),
	KUNIT_CASE(one_report_per_bug));

#else	/* !CONFIG_KASAN: the host builds and the normal kernels */

static void kasan_not_built(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, kasan_enabled());
	kunit_skip(test, "KASAN is in the KASAN=1 arm64 kernel only");
}

kunit_test_suite(kasan, KUNIT_CASE(kasan_not_built));
#endif

/* slab_debug_test.c: KTAP suite for slab misuse — each report's text, and the cache still sound after it. */
#include <kernel/kunit.h>
#include <mm/kasan.h>
#include <mm/slab.h>
#include <mm/mm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <test_machine.h>
#include "test_buf.h"

/* printk capture, taken at init and given back at exit (not in the image). */
#define CAP_SIZE	16384
static char *cap;

static int slab_debug_suite_init(void)
{
	if (mm_test_machine())
		return 1;
	kmem_cache_init();
	cap = test_buf_alloc(CAP_SIZE);
	return cap ? 0 : 1;
}

static void slab_debug_suite_exit(void)
{
	test_buf_free(cap, CAP_SIZE);
	cap = NULL;
}

/* Checks that the cache still hands out distinct, usable objects and validates clean. */
static void expect_sound(struct kunit *test, struct kmem_cache *c)
{
	void *o[40];
	int i, j;

	for (i = 0; i < 40; i++) {
		o[i] = kmem_cache_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, o[i]);
		memset(o[i], i, c->object_size);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_TRUE(test, o[i] != o[j]);
	}
	for (i = 0; i < 40; i++) {
		KUNIT_EXPECT_EQ(test, ((u8 *)o[i])[c->object_size - 1], (u8)i);
		kmem_cache_free(c, o[i]);
	}
	KUNIT_EXPECT_EQ(test, kmem_cache_validate(c), 0);
}

static void expect_addr(struct kunit *test, const char *fmt, const void *p)
{
	char line[64];

	snprintf(line, sizeof(line), fmt, (unsigned long)p);
	KUNIT_EXPECT_SUBSTR(test, cap, line);
}

/*
 * caller_is: the caller printed after `key` in the capture (e.g. "Caller ") is
 * inside fn — as "fn+0x../0x.." in the kernel (kallsyms), as "0x<addr>" on the
 * host (no symbol table), checked against fn's address range.
 */
static bool caller_is(const char *key, void (*fn)(struct kunit *), const char *name)
{
	const char *s = strstr(cap, key);
	unsigned long addr;

	if (!s)
		return false;
	s += strlen(key);
	if (strncmp(s, "0x", 2))
		return !strncmp(s, name, strlen(name)) && s[strlen(name)] == '+';
	addr = strtoul(s, NULL, 16);
	return addr > (unsigned long)fn && addr < (unsigned long)fn + 0x4000;
}

/* Double free in a debug cache: reported with the object, the caller and both tracks; ignored. */
static void double_free(struct kunit *test)
{
	struct kmem_cache *c = kmem_cache_create("test-df", 64, 0,
						 SLAB_CONSISTENCY_CHECKS | SLAB_STORE_USER, NULL);
	void *a, *b, *x;

	KUNIT_ASSERT_NOT_NULL(test, c);
	a = kmem_cache_alloc(c, GFP_KERNEL);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, a);
	kmem_cache_free(c, b);
	printk_capture_start(cap, CAP_SIZE);
	kmem_cache_free(c, a);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, cap, "BUG test-df (Not tainted): Object already free");
	expect_addr(test, "Object 0x%lx @offset=", a);
	KUNIT_EXPECT_SUBSTR(test, cap, "Allocated in ");
	KUNIT_EXPECT_SUBSTR(test, cap, "Freed in ");
	KUNIT_EXPECT_TRUE(test, caller_is("Caller ", double_free, "double_free"));
	KUNIT_EXPECT_TRUE(test, caller_is("Allocated in ", double_free, "double_free"));
	expect_addr(test, "FIX test-df: Object at 0x%lx not freed", a);
	/* a is on the freelist once: two allocations must not both return it */
	a = kmem_cache_alloc(c, GFP_KERNEL);
	x = kmem_cache_alloc(c, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, a != x);
	kmem_cache_free(c, a);
	kmem_cache_free(c, x);
	expect_sound(test, c);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
}

/* Without debugging, freeing the object just freed is still caught on the fast path. */
static void double_free_fast_path(struct kunit *test)
{
	void *p, *q, *r;

	if (kasan_enabled())
		kunit_skip(test, "KASAN reports this double free itself (kasan suite: kmalloc_double_free)");
	p = kmalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kfree(p);
	printk_capture_start(cap, CAP_SIZE);
	kfree(p);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, cap, "BUG kmalloc-64 (Not tainted): Object already free");
	expect_addr(test, "Object 0x%lx @offset=", p);
	q = kmalloc(64, GFP_KERNEL);
	r = kmalloc(64, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, q != r);
	kfree(q);
	kfree(r);
	expect_sound(test, kmalloc_slab(64));
}

/* kmem_cache_free into the wrong cache: both caches named, the object stays allocated. */
static void wrong_cache(struct kunit *test)
{
	struct kmem_cache *a = kmem_cache_create("test-wc-a", 64, 0, 0, NULL);
	struct kmem_cache *b = kmem_cache_create("test-wc-b", 64, 0, 0, NULL);
	struct slabinfo si;
	u8 *o;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	o = kmem_cache_alloc(a, GFP_KERNEL);
	memset(o, 0x42, 64);
	printk_capture_start(cap, CAP_SIZE);
	kmem_cache_free(b, o);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, cap, "Wrong slab cache. test-wc-b but object is from test-wc-a");
	KUNIT_EXPECT_SUBSTR(test, cap, "BUG test-wc-a (Not tainted): Free into the wrong cache");
	expect_addr(test, "Object 0x%lx @offset=", o);
	KUNIT_EXPECT_TRUE(test, caller_is("Caller ", wrong_cache, "wrong_cache"));
	kmem_cache_get_info(a, &si);
	KUNIT_EXPECT_EQ(test, si.active_objs, 1);
	kmem_cache_get_info(b, &si);
	KUNIT_EXPECT_EQ(test, si.active_objs, 0);
	KUNIT_EXPECT_EQ(test, o[63], 0x42);
	kmem_cache_free(a, o);
	expect_sound(test, a);
	expect_sound(test, b);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(a), 0);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(b), 0);
}

/* Freeing a pointer into the middle of an object: the object and the offset are named. */
static void interior_pointer(struct kunit *test)
{
	struct kmem_cache *c = kmem_cache_create("test-inner", 100, 0, SLAB_CONSISTENCY_CHECKS, NULL);
	u8 *o, *k;

	KUNIT_ASSERT_NOT_NULL(test, c);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	printk_capture_start(cap, CAP_SIZE);
	kmem_cache_free(c, o + 40);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, cap, "BUG test-inner (Not tainted): Free of a pointer inside an object");
	expect_addr(test, "Object 0x%lx @offset=", o);
	expect_addr(test, "Pointer 0x%lx is @offset=40 inside object", o + 40);
	kmem_cache_free(c, o);
	expect_sound(test, c);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);

	/* the same through kfree on a plain kmalloc cache (KASAN's own: kasan suite, kmalloc_invalid_free) */
	if (kasan_enabled())
		return;
	k = kmalloc(200, GFP_KERNEL);
	printk_capture_start(cap, CAP_SIZE);
	kfree(k + 8);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, cap, "BUG kmalloc-256 (Not tainted): Free of a pointer inside an object");
	expect_addr(test, "Pointer 0x%lx is @offset=8 inside object", k + 8);
	kfree(k);
	expect_sound(test, kmalloc_slab(200));
}

/* A write to a freed, poisoned object is found by the next check and the poison restored. */
static void write_after_free(struct kunit *test)
{
	struct kmem_cache *c = kmem_cache_create("test-uaf", 64, 0, SLAB_POISON | SLAB_STORE_USER, NULL);
	u8 *o, *p;

	KUNIT_ASSERT_NOT_NULL(test, c);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, o);
	KUNIT_EXPECT_EQ(test, o[0], POISON_FREE);
	KUNIT_EXPECT_EQ(test, o[63], POISON_END);
	o[13] = 0x00;			/* the bug */
	printk_capture_start(cap, CAP_SIZE);
	KUNIT_EXPECT_EQ(test, kmem_cache_validate(c), 1);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, cap, "BUG test-uaf (Not tainted): Poison overwritten");
	expect_addr(test, "Object 0x%lx @offset=", o);
	KUNIT_EXPECT_SUBSTR(test, cap, "First byte 0x0 instead of 0x6b");
	KUNIT_EXPECT_SUBSTR(test, cap, "Freed in ");
	KUNIT_EXPECT_EQ(test, kmem_cache_validate(c), 0);	/* restored */

	/* found at the next allocation of that object too */
	o[20] = 0x77;
	printk_capture_start(cap, CAP_SIZE);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	printk_capture_stop();
	KUNIT_EXPECT_TRUE(test, p == o);
	KUNIT_EXPECT_SUBSTR(test, cap, "BUG test-uaf (Not tainted): Poison overwritten");
	KUNIT_EXPECT_SUBSTR(test, cap, "First byte 0x77 instead of 0x6b");
	KUNIT_EXPECT_EQ(test, p[0], POISON_INUSE);
	kmem_cache_free(c, p);
	expect_sound(test, c);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
}

/* Deferred: the cache goes when the case ends, however it ends. */
static void destroy_cache(void *c)
{
	kmem_cache_destroy(c);
}

/*
 * Without poisoning, a use-after-free that hits a mangled free pointer is
 * caught on allocation. Here one overwrites the free pointer of o[3] after
 * the per-CPU objects went back onto their slab's freelist: with junk
 * (foreign = false), or with a well-formed pointer to where keep's twin
 * would start in the next block of the buddy, outside this slab (foreign =
 * true). Either way the allocations that follow report it and isolate the
 * slab, and none of them hands out an object twice or one outside the slab.
 */
static void freelist_overwritten(struct kunit *test, const char *name, bool foreign)
{
	struct kmem_cache *c = kmem_cache_create(name, 64, 0, 0, NULL);
	char bug[64], fix[64];
	u8 *keep, *o[4];
	int i, j, reported = 0;

	KUNIT_ASSERT_NOT_NULL(test, c);
	kunit_add_action(test, destroy_cache, c);
	if (c->flags & SLAB_DEBUG_FLAGS)
		kunit_skip(test, "slub_debug= made the cache a debug cache (free pointer outside the object)");
	if (kasan_enabled())
		kunit_skip(test, "KASAN: freed objects wait in its quarantine, and it reports the write after free");
	keep = kmem_cache_alloc(c, GFP_KERNEL);
	for (i = 0; i < 4; i++)
		o[i] = kmem_cache_alloc(c, GFP_KERNEL);
	for (i = 0; i < 4; i++)
		kmem_cache_free(c, o[i]);
	kmem_cache_shrink(c);		/* the per-CPU objects go back onto the slab's freelist */
	if (foreign)			/* the bug */
		slab_set_freeptr(c, o[3], keep + (PAGE_SIZE << c->order));
	else
		memset(o[3] + c->fp_offset, 0x41, sizeof(void *));
	printk_capture_start(cap, CAP_SIZE);
	for (i = 0; i < 4; i++) {
		o[i] = kmem_cache_alloc(c, GFP_KERNEL);
		KUNIT_EXPECT_NOT_NULL(test, o[i]);
	}
	printk_capture_stop();
	snprintf(bug, sizeof(bug), "BUG %s (Not tainted): Freepointer corrupt", name);
	snprintf(fix, sizeof(fix), "FIX %s: Isolating slab", name);
	reported = strstr(cap, bug) != NULL;
	KUNIT_EXPECT_TRUE(test, reported);
	KUNIT_EXPECT_SUBSTR(test, cap, fix);
	for (i = 0; i < 4; i++) {
		KUNIT_EXPECT_TRUE(test, virt_addr_valid(o[i]) && ksize(o[i]) == 64);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, o[i], o[j]);
	}
	for (i = 0; i < 4; i++)
		kmem_cache_free(c, o[i]);
	kmem_cache_free(c, keep);
	expect_sound(test, c);
	KUNIT_EXPECT_GT(test, kmem_cache_reclaim_isolated(c, keep), 0);	/* the lost objects */
	kunit_release_action(test, destroy_cache, c);
	KUNIT_EXPECT_NULL(test, kmem_cache_find(name));
}

static void freepointer_corrupt(struct kunit *test)
{
	freelist_overwritten(test, "test-fp", false);
}

/*
 * The pointer's offset in its block is an object's, but the block is not
 * this slab: the check once looked at the offset only, so a junk pointer got
 * through about once in 64 (a 64-byte stride), as the same pointer with a
 * well-formed encoding does every time.
 */
static void freepointer_outside_slab(struct kunit *test)
{
	freelist_overwritten(test, "test-fp2", true);
}

/* Red zones: a write past the end or before the start is reported at free and repaired. */
static void red_zone_overwrite(struct kunit *test)
{
	struct kmem_cache *c = kmem_cache_create("test-rz", 20, 0, SLAB_RED_ZONE | SLAB_STORE_USER, NULL);
	u8 *o;

	KUNIT_ASSERT_NOT_NULL(test, c);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, o[20], SLUB_RED_ACTIVE);
	o[21] = 0x11;			/* overflow by two bytes */
	printk_capture_start(cap, CAP_SIZE);
	kmem_cache_free(c, o);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, cap, "BUG test-rz (Not tainted): Right Redzone overwritten");
	expect_addr(test, "0x%lx-", o + 21);
	KUNIT_EXPECT_SUBSTR(test, cap, "First byte 0x11 instead of 0xcc");
	KUNIT_EXPECT_SUBSTR(test, cap, "FIX test-rz: Restoring Right Redzone");
	KUNIT_EXPECT_EQ(test, o[21], SLUB_RED_INACTIVE);

	o = kmem_cache_alloc(c, GFP_KERNEL);
	o[-1] = 0x22;			/* underflow */
	printk_capture_start(cap, CAP_SIZE);
	kmem_cache_free(c, o);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, cap, "BUG test-rz (Not tainted): Left Redzone overwritten");
	KUNIT_EXPECT_SUBSTR(test, cap, "First byte 0x22 instead of 0xcc");
	expect_sound(test, c);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
}

/* kfree of pointers no allocator handed out: reported, nothing changes. */
static void kfree_stray(struct kunit *test)
{
	/* outside the linear map on every arch; not VMALLOC_START, where KFENCE's pool (which checks its own frees) may be */
	u8 *not_heap = (u8 *)(VMALLOC_END - PAGE_SIZE);
	u8 *big = kmalloc(20000, GFP_KERNEL);
	struct page *pg = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	printk_capture_start(cap, CAP_SIZE);
	kfree(not_heap);
	kfree(big + 4096);
	kfree(page_address(pg));
	printk_capture_stop();
	expect_addr(test, "BUG kfree: 0x%lx is not in the linear map", not_heap);
	expect_addr(test, "BUG kfree: 0x%lx is inside the kmalloc allocation at ", big + 4096);
	expect_addr(test, "BUG kfree: 0x%lx is neither a slab object nor a live kmalloc", page_address(pg));
	KUNIT_EXPECT_EQ(test, ksize(big), 20480);	/* large kmalloc is page-granular: 5 pages */
	kfree(big);
	__free_page(pg);
}

/* slub_debug=: Linux's syntax, per cache or global, and a bad value leaves debugging off. */
static void slub_debug_param(struct kunit *test)
{
	const char *boot = slub_debug_string();
	char saved[256];
	struct kmem_cache *c;

	if (boot)	/* the kernel's own slub_debug= goes back at the end */
		snprintf(saved, sizeof(saved), "%s", boot);

	KUNIT_EXPECT_EQ(test, setup_slub_debug("FZPU,test-dbg*,other"), 0);
	KUNIT_EXPECT_EQ(test, slub_debug_flags_for("test-dbg1"), SLAB_DEBUG_FLAGS);
	KUNIT_EXPECT_EQ(test, slub_debug_flags_for("other"), SLAB_DEBUG_FLAGS);
	KUNIT_EXPECT_EQ(test, slub_debug_flags_for("kmalloc-64"), 0);
	c = kmem_cache_create("test-dbg1", 32, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, c->flags & SLAB_DEBUG_FLAGS, SLAB_DEBUG_FLAGS);
	KUNIT_EXPECT_EQ(test, c->limit, 0);
	expect_sound(test, c);
	kmem_cache_destroy(c);
	KUNIT_EXPECT_EQ(test, setup_slub_debug("zp"), 0);
	KUNIT_EXPECT_EQ(test, slub_debug_flags_for("anything"), SLAB_RED_ZONE | SLAB_POISON);
	KUNIT_EXPECT_EQ(test, setup_slub_debug(""), 0);
	KUNIT_EXPECT_EQ(test, slub_debug_flags_for("anything"), SLAB_DEBUG_FLAGS);
	KUNIT_EXPECT_EQ(test, setup_slub_debug("F,a;Z,b"), 0);
	KUNIT_EXPECT_EQ(test, slub_debug_flags_for("a"), SLAB_CONSISTENCY_CHECKS);
	KUNIT_EXPECT_EQ(test, slub_debug_flags_for("b"), SLAB_RED_ZONE);
	printk_capture_start(cap, CAP_SIZE);
	KUNIT_EXPECT_NE(test, setup_slub_debug("FQ"), 0);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, cap, "slub_debug: option 'Q' unknown");
	KUNIT_EXPECT_SUBSTR(test, cap, "slab debugging stays off");
	KUNIT_EXPECT_EQ(test, slub_debug_flags_for("a"), 0);
	KUNIT_EXPECT_EQ(test, setup_slub_debug("-"), 0);
	KUNIT_EXPECT_EQ(test, slub_debug_flags_for("anything"), 0);
	KUNIT_EXPECT_EQ(test, setup_slub_debug("FZ"), 0);
	KUNIT_EXPECT_STREQ(test, slub_debug_string(), "FZ");
	setup_slub_debug(boot ? saved : "-");
}

kunit_test_suite_init(slab_debug, slab_debug_suite_init, slab_debug_suite_exit,
	KUNIT_CASE(double_free),
	KUNIT_CASE(double_free_fast_path),
	KUNIT_CASE(wrong_cache),
	KUNIT_CASE(interior_pointer),
	KUNIT_CASE(write_after_free),
	KUNIT_CASE(freepointer_corrupt),
	KUNIT_CASE(freepointer_outside_slab),
	KUNIT_CASE(red_zone_overwrite),
	KUNIT_CASE(kfree_stray),
	KUNIT_CASE(slub_debug_param));

/* kmemleak_test.c: KTAP suite for kmemleak — a dropped object is reported, reachable ones are not, a free forgets it. */
#include <kernel/kunit.h>
#include <kernel/debugfs.h>
#include <lib/list.h>
#include <mm/kmemleak.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/*
 * A "dropped" object's address is kept only XORed with this mask, so no
 * word in memory points at it, yet the case can still free it afterwards.
 */
#define HIDE_MASK	((unsigned long)0x5a5a5a5a5a5a5a5aULL)

/*
 * The scan is conservative: a stale copy of an address (another suite's
 * static array of since-freed objects, a dead stack slot) hides an object
 * newly allocated there. After a whole selftest such copies exist, so the
 * cases that want a leak drop TRIES objects and need at least one reported
 * (alone, every one is).
 */
#define TRIES	4

static bool need_kmemleak(struct kunit *test)
{
	const char *why = kmemleak_unavailable();
	char reason[96];

	if (why) {
		snprintf(reason, sizeof(reason), "kmemleak: %s", why);
		kunit_mark_skipped(test, reason);
	}
	return !why;
}

/*
 * Zeroes the dead stack below the caller, where the allocation's frames left
 * copies of the pointer: the scan reads this CPU's stack from its own frame
 * up, and its frames land on that dead part.
 */
static __noinline void scrub_stack(void)
{
	unsigned long buf[512];

	memset(buf, 0, sizeof(buf));
	__asm__ volatile("" : : "r"(buf) : "memory");	/* the stores must happen */
}

static int scan(void)
{
	scrub_stack();
	return kmemleak_scan();
}

static void kfree_hidden(void *ctx)
{
	unsigned long *h = ctx;

	if (*h)
		kfree((void *)(*h ^ HIDE_MASK));
	*h = 0;
}

static void kfree_hidden_all(void *ctx)
{
	unsigned long *h = ctx;
	int i;

	for (i = 0; i < TRIES; i++)
		kfree_hidden(&h[i]);
}

static void vfree_hidden_all(void *ctx)
{
	unsigned long *h = ctx;
	int i;

	for (i = 0; i < TRIES; i++) {
		if (h[i])
			vfree((void *)(h[i] ^ HIDE_MASK));
		h[i] = 0;
	}
}

/* The first of the TRIES hidden objects the last scan reported, or -1. */
static int first_reported(const unsigned long *h)
{
	int i;

	for (i = 0; i < TRIES; i++)
		if (h[i] && kmemleak_is_leak((void *)(h[i] ^ HIDE_MASK)))
			return i;
	return -1;
}

/* kmalloc(size) filled with a pattern; only *hidden (masked) remembers it. Returns it for the checks. */
static __noinline unsigned long alloc_hidden(unsigned long *hidden, size_t size)
{
	char *p = kmalloc(size, GFP_KERNEL);

	if (!p)
		return 0;
	memset(p, 'L', size);
	*hidden = (unsigned long)p ^ HIDE_MASK;
	return (unsigned long)p ^ HIDE_MASK;
}

/* The same with vmalloc. */
static __noinline unsigned long valloc_hidden(unsigned long *hidden, unsigned long size)
{
	char *p = vmalloc(size);

	if (!p)
		return 0;
	memset(p, 'V', size);
	*hidden = (unsigned long)p ^ HIDE_MASK;
	return (unsigned long)p ^ HIDE_MASK;
}

/*
 * Drops TRIES objects of size bytes (vmalloc areas if vm), freed at the case's
 * end however it ends, then scans. Returns the first one reported, or -1.
 */
static int drop_and_scan(struct kunit *test, unsigned long *hidden, size_t size, bool vm)
{
	int i;

	memset(hidden, 0, TRIES * sizeof(*hidden));
	kunit_add_action(test, vm ? vfree_hidden_all : kfree_hidden_all, hidden);
	for (i = 0; i < TRIES; i++)
		if (!(vm ? valloc_hidden(&hidden[i], size) : alloc_hidden(&hidden[i], size))) {
			kunit_fail(test, __FILE__, __LINE__, "no memory for object %d of %zu bytes", i, size);
			return -1;
		}
	KUNIT_EXPECT_GE(test, scan(), 1);
	return first_reported(hidden);
}

static const char *show(char *buf, size_t n)
{
	return debugfs_read("/sys/kernel/debug/kmemleak", buf, n) ?: "";
}

/* The only pointer dropped: reported with its size, bytes and allocation stack; kfree forgets it. */
static void dropped_object_reported(struct kunit *test)
{
	static unsigned long hidden[TRIES];
	static char buf[16384], want[96];
	const char *out;
	int i;

	if (!need_kmemleak(test))
		return;
	i = drop_and_scan(test, hidden, 40, false);
	KUNIT_ASSERT_GE(test, i, 0);
	out = show(buf, sizeof(buf));
	snprintf(want, sizeof(want), "unreferenced object 0x%0*lx (size 40):\n  comm \"swapper/",
		 (int)sizeof(long) * 2, hidden[i] ^ HIDE_MASK);
	KUNIT_EXPECT_SUBSTR(test, out, want);
	KUNIT_EXPECT_SUBSTR(test, out, "  hex dump (first 32 bytes):\n    4c 4c 4c 4c 4c 4c 4c 4c 4c 4c 4c 4c "
			    "4c 4c 4c 4c  LLLLLLLLLLLLLLLL\n");
	KUNIT_EXPECT_SUBSTR(test, out, "] __do_kmalloc+0x");	/* kmalloc's full path (tail-called) */
	KUNIT_EXPECT_SUBSTR(test, out, "] dropped_object_reported+0x");
	kfree_hidden(&hidden[i]);	/* freed: forgotten at once */
	KUNIT_EXPECT_TRUE(test, strstr(show(buf, sizeof(buf)), want) == NULL);
	kfree_hidden_all(hidden);
	KUNIT_EXPECT_EQ(test, scan(), 0);
}

/* A vmalloc area nothing points to is reported too, and vfree forgets it. */
static void dropped_vmalloc_reported(struct kunit *test)
{
	static unsigned long hidden[TRIES];

	if (!need_kmemleak(test))
		return;
	KUNIT_EXPECT_GE(test, drop_and_scan(test, hidden, 3 * 4096, true), 0);
}

static void *kept_in_static;

static void kfree_kept(void *ctx)
{
	kfree(kept_in_static);
	kept_in_static = NULL;
}

/* An object a static variable points to (.bss is a root) is not a leak. */
static void static_reference_not_reported(struct kunit *test)
{
	if (!need_kmemleak(test))
		return;
	kunit_add_action(test, kfree_kept, NULL);
	kept_in_static = kmalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kept_in_static);
	KUNIT_EXPECT_GE(test, scan(), 0);
	KUNIT_EXPECT_FALSE(test, kmemleak_is_leak(kept_in_static));
}

/* A list: the static head points into the first node, each node into the next (interior pointers). */
struct leak_node {
	unsigned long payload[3];
	struct list_head link;
};

static struct list_head *list_anchor;

static void free_list(void *ctx)
{
	while (list_anchor && !list_empty(list_anchor)) {
		struct leak_node *n = list_first_entry(list_anchor, struct leak_node, link);

		list_del(&n->link);
		kfree(n);
	}
	kfree(list_anchor);
	list_anchor = NULL;
}

#define LIST_NODES	8

static void list_reachable_not_reported(struct kunit *test)
{
	struct leak_node *n;
	int i, leaks = 0;

	if (!need_kmemleak(test))
		return;
	kunit_add_action(test, free_list, NULL);
	list_anchor = kmalloc(sizeof(*list_anchor), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, list_anchor);
	INIT_LIST_HEAD(list_anchor);
	for (i = 0; i < LIST_NODES; i++) {
		n = kzalloc(sizeof(*n), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, n);
		list_add(&n->link, list_anchor);	/* newest first: each node's link points at the older one */
	}
	n = NULL;
	KUNIT_EXPECT_GE(test, scan(), 0);
	KUNIT_EXPECT_FALSE(test, kmemleak_is_leak(list_anchor));
	list_for_each_entry(n, list_anchor, link)
		leaks += kmemleak_is_leak(n);
	KUNIT_EXPECT_EQ(test, leaks, 0);
}

/* kmemleak_not_leak and kmemleak_ignore: a dropped object so marked is not reported. */
static void not_leak_and_ignore(struct kunit *test)
{
	static unsigned long h1, h2;

	if (!need_kmemleak(test))
		return;
	h1 = h2 = 0;
	kunit_add_action(test, kfree_hidden, &h1);
	kunit_add_action(test, kfree_hidden, &h2);
	KUNIT_ASSERT_NE(test, alloc_hidden(&h1, 24), 0UL);
	KUNIT_ASSERT_NE(test, alloc_hidden(&h2, 24), 0UL);
	kmemleak_not_leak((void *)(h1 ^ HIDE_MASK));
	kmemleak_ignore((void *)(h2 ^ HIDE_MASK));
	KUNIT_EXPECT_GE(test, scan(), 0);
	KUNIT_EXPECT_FALSE(test, kmemleak_is_leak((void *)(h1 ^ HIDE_MASK)));
	KUNIT_EXPECT_FALSE(test, kmemleak_is_leak((void *)(h2 ^ HIDE_MASK)));
}

/* clear forgets a reported leak: the next scan does not report it again. */
static void clear_forgets(struct kunit *test)
{
	static unsigned long hidden[TRIES];

	if (!need_kmemleak(test))
		return;
	KUNIT_ASSERT_GE(test, drop_and_scan(test, hidden, 16, false), 0);
	KUNIT_EXPECT_EQ(test, debugfs_write("/sys/kernel/debug/kmemleak", "clear"), 0);
	KUNIT_EXPECT_EQ(test, first_reported(hidden), -1);
	KUNIT_EXPECT_EQ(test, scan(), 0);
	KUNIT_EXPECT_EQ(test, first_reported(hidden), -1);
}

/* A bad command: refused (one line), nothing changes. */
static void bad_command_refused(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, debugfs_write("/sys/kernel/debug/kmemleak", "scna"), -EINVAL);
}

kunit_test_suite(kmemleak,
	KUNIT_CASE(dropped_object_reported),
	KUNIT_CASE(dropped_vmalloc_reported),
	KUNIT_CASE(static_reference_not_reported),
	KUNIT_CASE(list_reachable_not_reported),
	KUNIT_CASE(not_leak_and_ignore),
	KUNIT_CASE(clear_forgets),
	KUNIT_CASE(bad_command_refused));

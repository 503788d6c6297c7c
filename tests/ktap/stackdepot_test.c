/* stackdepot_test.c: KTAP suite for the stack depot — one handle per distinct call chain, frames kept exactly. */
#include <kernel/kunit.h>
#include <kernel/stackdepot.h>
#include <kernel/stacktrace.h>

/* noipa: the two would otherwise be folded into one function (identical code). */

static __attribute__((noipa)) depot_stack_handle_t from_a(void)
{
	depot_stack_handle_t h = save_stack(0);

	__asm__ volatile("" ::: "memory");	/* not a tail call: from_a keeps its frame */
	return h;
}

static __attribute__((noipa)) depot_stack_handle_t from_b(void)
{
	depot_stack_handle_t h = save_stack(0);

	__asm__ volatile("" ::: "memory");
	return h;
}

/* The same call site twice gives one handle; another site another; frames come back as saved. */
static void depot_dedups(struct kunit *test)
{
	static volatile unsigned int two = 2;	/* a loop the compiler cannot unroll into two call sites */
	depot_stack_handle_t a[2], b;
	const unsigned long *fa, *fb;
	unsigned int na, nb, i;

	for (i = 0; i < two; i++)
		a[i] = from_a();	/* one call site: one chain */
	b = from_b();

	KUNIT_ASSERT_NE(test, a[0], 0U);
	KUNIT_EXPECT_EQ(test, a[0], a[1]);
	KUNIT_EXPECT_NE(test, a[0], b);
	na = stack_depot_fetch(a[0], &fa);
	nb = stack_depot_fetch(b, &fb);
	KUNIT_ASSERT_GT(test, na, 2U);
	KUNIT_ASSERT_GT(test, nb, 2U);
	KUNIT_EXPECT_NE(test, fa[0], fb[0]);	/* innermost: inside from_a vs from_b */
	KUNIT_EXPECT_NE(test, fa[1], fb[1]);	/* called from two places in depot_dedups */
	KUNIT_EXPECT_EQ(test, fa[2], fb[2]);	/* and depot_dedups from one */
}

/* stack_trace_save stores what it can and no more; a bad handle fetches nothing. */
static void depot_limits(struct kunit *test)
{
	unsigned long e[3] = { 0, 0, 0 };
	const unsigned long *none = NULL;

	KUNIT_EXPECT_LE(test, stack_trace_save(e, 2, 0), 2U);
	KUNIT_EXPECT_EQ(test, e[2], 0UL);
	KUNIT_EXPECT_EQ(test, stack_depot_fetch(0, &none), 0U);
	KUNIT_EXPECT_EQ(test, stack_depot_fetch(0xffffffffu, &none), 0U);
	KUNIT_EXPECT_TRUE(test, none == NULL);
	KUNIT_EXPECT_EQ(test, stack_depot_save(e, 0), 0U);
}

kunit_test_suite_smp(stackdepot,
	KUNIT_CASE(depot_dedups),
	KUNIT_CASE(depot_limits));

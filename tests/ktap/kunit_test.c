/* kunit_test.c: KTAP suite for the runner's own cleanup hook — deferred actions run last-in first-out, once. */
#include <kernel/kunit.h>
#include <string.h>

static char order[KUNIT_MAX_ACTIONS + 2];
static unsigned int nr_ran;

/* Appends its tag (a char, passed as the context pointer's value) to order. */
static void record(void *ctx)
{
	if (nr_ran < sizeof(order) - 1)
		order[nr_ran++] = (char)(uintptr_t)ctx;
}

static void reset(void)
{
	memset(order, 0, sizeof(order));
	nr_ran = 0;
}

/* Actions wait for the case's end, then run newest first; released ones run at once and only once. */
static void actions_run_lifo(struct kunit *test)
{
	struct kunit inner = { .name = "inner" };

	reset();
	KUNIT_EXPECT_EQ(test, kunit_add_action(&inner, record, (void *)'a'), 0);
	KUNIT_EXPECT_EQ(test, kunit_add_action(&inner, record, (void *)'b'), 0);
	KUNIT_EXPECT_EQ(test, kunit_add_action(&inner, record, (void *)'c'), 0);
	KUNIT_EXPECT_EQ(test, nr_ran, 0U);
	kunit_release_action(&inner, record, (void *)'b');
	KUNIT_EXPECT_STREQ(test, order, "b");
	kunit_cleanup(&inner);
	KUNIT_EXPECT_STREQ(test, order, "bca");
	KUNIT_EXPECT_EQ(test, inner.nr_actions, 0U);
	kunit_cleanup(&inner);			/* nothing runs twice */
	KUNIT_EXPECT_STREQ(test, order, "bca");
	KUNIT_EXPECT_EQ(test, inner.status, 0);
}

/* One action too many is run at once and fails the case: nothing is left undone. */
static void actions_overflow_runs_now(struct kunit *test)
{
	struct kunit inner = { .name = "inner" };
	int i;

	reset();
	for (i = 0; i < KUNIT_MAX_ACTIONS; i++)
		KUNIT_EXPECT_EQ(test, kunit_add_action(&inner, record, (void *)'x'), 0);
	KUNIT_EXPECT_EQ(test, kunit_add_action(&inner, record, (void *)'y'), -1);
	KUNIT_EXPECT_STREQ(test, order, "y");
	KUNIT_EXPECT_EQ(test, inner.status, 1);
	kunit_cleanup(&inner);
	KUNIT_EXPECT_EQ(test, nr_ran, (unsigned int)KUNIT_MAX_ACTIONS + 1);
}

kunit_test_suite(kunit,
	KUNIT_CASE(actions_run_lifo),
	KUNIT_CASE(actions_overflow_runs_now));

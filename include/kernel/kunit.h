/* kunit.h: KTAP test suites, written once and run both on the host and in the kernel. */
#ifndef PAGODA_KUNIT_H
#define PAGODA_KUNIT_H

#include <compiler.h>
#include <kernel/printk.h>
#include <string.h>

/*
 * The API follows Linux's KUnit so that its readers know it: a suite is a
 * list of cases; a case is void fn(struct kunit *test) that uses
 * KUNIT_EXPECT_* (record a failure, go on) and KUNIT_ASSERT_* (record a
 * failure and return from the case; its deferred actions still run, see
 * kunit_add_action). Output is KTAP version 1 (FORMATS.md).
 */
#define KUNIT_MAX_ACTIONS	16

typedef void (*kunit_action_t)(void *ctx);

struct kunit {
	const char *name;	/* the running case */
	int status;		/* 0 ok, 1 failed, 2 skipped */
	char skip_reason[96];
	unsigned int nr_actions;	/* deferred actions, run last-in first-out when the case ends */
	struct { kunit_action_t fn; void *ctx; } actions[KUNIT_MAX_ACTIONS];
};

struct kunit_case {
	const char *name;
	void (*run)(struct kunit *test);
};

struct kunit_suite {
	const char *name;
	const struct kunit_case *cases;
	int (*init)(void);	/* optional, once per suite: nonzero skips the suite */
	void (*exit)(void);	/* optional, once per suite */
	bool smp_safe;		/* its cases may run on every CPU at once (kunit_test_suite_smp) */
};

#define KUNIT_CASE(fn) { #fn, fn }

/* kunit_test_suite(name, cases...): defines and registers suite `name`. */
#define kunit_test_suite(sname, ...) \
	static const struct kunit_case sname##_cases[] = { __VA_ARGS__, { 0, 0 } }; \
	static const struct kunit_suite sname##_suite \
	__link_table(kunit_suites, struct kunit_suite) = { #sname, sname##_cases, 0, 0, false }

/*
 * kunit_test_suite_smp: a suite whose cases keep to state of their own (no
 * global counters compared before and after, no shared fixtures), so
 * `selftest --all-cpus` may run it on every online CPU at the same time.
 */
#define kunit_test_suite_smp(sname, ...) \
	static const struct kunit_case sname##_cases[] = { __VA_ARGS__, { 0, 0 } }; \
	static const struct kunit_suite sname##_suite \
	__link_table(kunit_suites, struct kunit_suite) = { #sname, sname##_cases, 0, 0, true }

#define kunit_test_suite_init(sname, init_fn, exit_fn, ...) \
	static const struct kunit_case sname##_cases[] = { __VA_ARGS__, { 0, 0 } }; \
	static const struct kunit_suite sname##_suite \
	__link_table(kunit_suites, struct kunit_suite) = { #sname, sname##_cases, init_fn, exit_fn, false }

__printf(4, 5) void kunit_fail(struct kunit *test, const char *file, int line, const char *fmt, ...);
__printf(2, 3) void kunit_info(struct kunit *test, const char *fmt, ...);
void kunit_mark_skipped(struct kunit *test, const char *reason);

/*
 * kunit_add_action: defer fn(ctx) to the end of the running case, however it
 * ends — passed, failed, skipped or returned early by a KUNIT_ASSERT_*. Actions
 * run last-in first-out, like KUnit's. Register the undo right after the thing
 * it undoes succeeded. Returns 0; if the case already holds KUNIT_MAX_ACTIONS,
 * runs fn(ctx) at once, fails the case and returns -1 (KUnit's
 * kunit_add_action_or_reset), so nothing is ever leaked.
 */
int kunit_add_action(struct kunit *test, kunit_action_t fn, void *ctx);
/* kunit_release_action: runs fn(ctx) now (the last one registered with them) and forgets it. */
void kunit_release_action(struct kunit *test, kunit_action_t fn, void *ctx);
/* kunit_cleanup: runs the deferred actions, last registered first (the runner's end of a case). */
void kunit_cleanup(struct kunit *test);

#define kunit_skip(test, reason) do { kunit_mark_skipped(test, reason); return; } while (0)

#define KUNIT_FAIL_IF(test, bad, ret, ...) do { \
	if (unlikely(bad)) { kunit_fail(test, __FILE__, __LINE__, __VA_ARGS__); ret; } \
} while (0)

/* A pointer compares as its address (through uintptr_t: pointers are 32-bit on x86). */
#define __KUNIT_LL(x) ((long long)__builtin_choose_expr(__builtin_classify_type(x) == 5, \
							 (uintptr_t)(x), (x)))
#define __KUNIT_CMP(test, a, op, b, ret) do { \
	long long __a = __KUNIT_LL(a), __b = __KUNIT_LL(b); \
	KUNIT_FAIL_IF(test, !(__a op __b), ret, "expected %s %s %s, got %lld (0x%llx) vs %lld (0x%llx)", \
		      #a, #op, #b, __a, (unsigned long long)__a, __b, (unsigned long long)__b); \
} while (0)

#define KUNIT_EXPECT_EQ(t, a, b)	__KUNIT_CMP(t, a, ==, b, (void)0)
#define KUNIT_EXPECT_NE(t, a, b)	__KUNIT_CMP(t, a, !=, b, (void)0)
#define KUNIT_EXPECT_LT(t, a, b)	__KUNIT_CMP(t, a, <, b, (void)0)
#define KUNIT_EXPECT_LE(t, a, b)	__KUNIT_CMP(t, a, <=, b, (void)0)
#define KUNIT_EXPECT_GT(t, a, b)	__KUNIT_CMP(t, a, >, b, (void)0)
#define KUNIT_EXPECT_GE(t, a, b)	__KUNIT_CMP(t, a, >=, b, (void)0)
#define KUNIT_ASSERT_EQ(t, a, b)	__KUNIT_CMP(t, a, ==, b, return)
#define KUNIT_ASSERT_NE(t, a, b)	__KUNIT_CMP(t, a, !=, b, return)
#define KUNIT_ASSERT_LT(t, a, b)	__KUNIT_CMP(t, a, <, b, return)
#define KUNIT_ASSERT_LE(t, a, b)	__KUNIT_CMP(t, a, <=, b, return)
#define KUNIT_ASSERT_GT(t, a, b)	__KUNIT_CMP(t, a, >, b, return)
#define KUNIT_ASSERT_GE(t, a, b)	__KUNIT_CMP(t, a, >=, b, return)
#define KUNIT_EXPECT_TRUE(t, c)  KUNIT_FAIL_IF(t, !(c), (void)0, "expected %s to be true", #c)
#define KUNIT_EXPECT_FALSE(t, c) KUNIT_FAIL_IF(t, (c), (void)0, "expected %s to be false", #c)
#define KUNIT_ASSERT_TRUE(t, c)  KUNIT_FAIL_IF(t, !(c), return, "expected %s to be true", #c)
#define KUNIT_ASSERT_FALSE(t, c) KUNIT_FAIL_IF(t, (c), return, "expected %s to be false", #c)
#define KUNIT_EXPECT_NULL(t, p)  KUNIT_FAIL_IF(t, (p) != NULL, (void)0, "expected %s to be NULL", #p)
#define KUNIT_EXPECT_NOT_NULL(t, p) KUNIT_FAIL_IF(t, (p) == NULL, (void)0, "expected %s to be non-NULL", #p)
#define KUNIT_ASSERT_NOT_NULL(t, p) KUNIT_FAIL_IF(t, (p) == NULL, return, "expected %s to be non-NULL", #p)
#define KUNIT_EXPECT_STREQ(t, a, b) do { \
	const char *__sa = (a), *__sb = (b); \
	KUNIT_FAIL_IF(t, strcmp(__sa, __sb) != 0, (void)0, "expected %s == %s, got \"%s\" vs \"%s\"", \
		      #a, #b, __sa, __sb); \
} while (0)
/* Checks that haystack contains needle (e.g. a report captured from printk). */
#define KUNIT_EXPECT_SUBSTR(t, hay, needle) do { \
	const char *__h = (hay), *__n = (needle); \
	KUNIT_FAIL_IF(t, strstr(__h, __n) == NULL, (void)0, "expected %s to contain \"%s\"", #hay, __n); \
} while (0)

/* kunit_count_substr: how many times needle occurs in hay (e.g. reports in a captured log). */
static inline unsigned int kunit_count_substr(const char *hay, const char *needle)
{
	unsigned int n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

/*
 * kunit_run_all: runs every registered suite whose name matches filter (NULL
 * or "" for all; otherwise a comma-separated list of suite names), printing
 * KTAP, each case's line as soon as it ends. A ^C on the console
 * (console_interrupted) stops the run between two cases: the rest is not run,
 * "# selftest: interrupted (^C)" is printed, and the run counts as failed.
 * Returns the number of failed suites.
 */
int kunit_run_all(const char *filter);
/*
 * kunit_run_all_cpus: runs the suites filter names on every online CPU at
 * once (on_each_cpu), each CPU's KTAP kept apart and printed after, one
 * subtest per suite and CPU ("buddy_smp on CPU2"). Every suite named must be
 * smp_safe: otherwise nothing runs and the unsafe name is put in bad.
 * Returns the number of failed subtests, or -1 (nothing run).
 */
int kunit_run_all_cpus(const char *filter, char *bad, size_t size);
/* If filter names a suite that does not exist, copies that name to bad and returns true. */
bool kunit_unknown_suite(const char *filter, char *bad, size_t size);
/* Prints the registered suites' names on one line. */
void kunit_print_suite_names(void);

/* A small deterministic PRNG for randomized tests (xorshift64*), same on host and kernel. */
static inline u64 kunit_rand(u64 *state)
{
	u64 x = *state ? *state : 0x9E3779B97F4A7C15ULL;
	x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/*
 * TORTURE_SIZE(host, kernel): how much work a concurrency torture does. On the host the "CPUs"
 * are threads that hand a lock over in microseconds, so the host count is large; ThreadSanitizer
 * (tsan.t) runs a tenth of it, since it checks every access and a race shows in the first
 * thousand operations as well as in the millionth. In a kernel under QEMU the vCPUs share the
 * build machine's cores, and a contended lock changes hands only when the host schedules the
 * waiter's thread, so the kernel count is sized for a test run (seconds) and a board user who
 * wants more runs the suite again or raises the suite's own parameter where it has one.
 */
#if !__STDC_HOSTED__
#define TORTURE_SIZE(host, kernel)	(kernel)
#elif defined(__SANITIZE_THREAD__)
#define TORTURE_SIZE(host, kernel)	((host) / 10)
#else
#define TORTURE_SIZE(host, kernel)	(host)
#endif

#endif

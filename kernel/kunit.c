/* kunit.c: runs the registered KTAP suites and prints KTAP version 1 (host and kernel alike). */
#include <kernel/console.h>
#include <kernel/kunit.h>
#include <stdio.h>
#include <string.h>

extern const struct kunit_suite __start_kunit_suites[], __stop_kunit_suites[];

void kunit_fail(struct kunit *test, const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	const char *base = strrchr(file, '/');

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("    # %s: %s:%d: %s\n", test->name, base ? base + 1 : file, line, msg);
	test->status = 1;
}

void kunit_info(struct kunit *test, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("    # %s: %s\n", test->name, msg);
}

void kunit_mark_skipped(struct kunit *test, const char *reason)
{
	if (test->status == 0)
		test->status = 2;
	snprintf(test->skip_reason, sizeof(test->skip_reason), "%s", reason);
}

int kunit_add_action(struct kunit *test, kunit_action_t fn, void *ctx)
{
	if (test->nr_actions == KUNIT_MAX_ACTIONS) {
		fn(ctx);
		kunit_fail(test, __FILE__, __LINE__, "more than %d deferred actions", KUNIT_MAX_ACTIONS);
		return -1;
	}
	test->actions[test->nr_actions].fn = fn;
	test->actions[test->nr_actions++].ctx = ctx;
	return 0;
}

void kunit_release_action(struct kunit *test, kunit_action_t fn, void *ctx)
{
	unsigned int i = test->nr_actions;

	while (i-- > 0) {
		if (test->actions[i].fn != fn || test->actions[i].ctx != ctx)
			continue;
		memmove(&test->actions[i], &test->actions[i + 1],
			(test->nr_actions - i - 1) * sizeof(test->actions[0]));
		test->nr_actions--;
		fn(ctx);
		return;
	}
}

void kunit_cleanup(struct kunit *test)
{
	while (test->nr_actions > 0) {
		test->nr_actions--;
		test->actions[test->nr_actions].fn(test->actions[test->nr_actions].ctx);
	}
}

/* True if name is one of the comma-separated names in filter (empty filter: all). */
static bool suite_selected(const char *name, const char *filter)
{
	size_t n = strlen(name);
	const char *p = filter;

	if (!filter || !*filter)
		return true;
	while (*p) {
		size_t len = strcspn(p, ", ");
		if (len == n && !strncmp(p, name, n))
			return true;
		p += len;
		p += strspn(p, ", ");
	}
	return false;
}

static bool interrupted;

/* Runs one case and prints its line at once; returns its status. */
static int run_case(const struct kunit_case *c, int i)
{
	struct kunit t = { .name = c->name };

	c->run(&t);
	kunit_cleanup(&t);
	if (t.status == 2)
		kprintf("    ok %d %s # SKIP %s\n", i, c->name, t.skip_reason);
	else
		kprintf("    %sok %d %s\n", t.status ? "not " : "", i, c->name);
	return t.status;
}

/*
 * Runs one suite as a nested KTAP block; returns true if every case passed or
 * skipped. A ^C between cases ends it early (counted as a failure).
 */
static bool run_suite(const struct kunit_suite *s, int index)
{
	const struct kunit_case *c;
	int ncases = 0, i = 0, failed = 0;

	for (c = s->cases; c->run; c++)
		ncases++;
	kprintf("    KTAP version 1\n    # Subtest: %s\n", s->name);
	if (s->init && s->init()) {
		kprintf("    1..0\nok %d %s # SKIP suite init failed\n", index, s->name);
		return true;
	}
	kprintf("    1..%d\n", ncases);
	for (c = s->cases; c->run && !interrupted; c++) {
		failed += run_case(c, ++i) == 1;
		interrupted = console_interrupted();
	}
	if (s->exit)
		s->exit();
	kprintf("%sok %d %s\n", failed || interrupted ? "not " : "", index, s->name);
	return failed == 0 && !interrupted;
}

bool kunit_unknown_suite(const char *filter, char *bad, size_t size)
{
	const struct kunit_suite *s;
	const char *p = filter ? filter : "";

	for (p += strspn(p, ", "); *p; p += strspn(p, ", ")) {
		size_t len = strcspn(p, ", ");

		for (s = __start_kunit_suites; s < __stop_kunit_suites; s++)
			if (strlen(s->name) == len && !strncmp(s->name, p, len))
				break;
		if (s == __stop_kunit_suites) {
			snprintf(bad, size, "%.*s", (int)len, p);
			return true;
		}
		p += len;
	}
	return false;
}

void kunit_print_suite_names(void)
{
	const struct kunit_suite *s;

	for (s = __start_kunit_suites; s < __stop_kunit_suites; s++)
		kprintf("%s%s", s == __start_kunit_suites ? "" : " ", s->name);
	kprintf("\n");
}

int kunit_run_all(const char *filter)
{
	const struct kunit_suite *s;
	int n = 0, i = 0, failed = 0;

	interrupted = false;
	for (s = __start_kunit_suites; s < __stop_kunit_suites; s++)
		n += suite_selected(s->name, filter);
	kprintf("KTAP version 1\n1..%d\n", n);
	for (s = __start_kunit_suites; s < __stop_kunit_suites && !interrupted; s++)
		if (suite_selected(s->name, filter))
			failed += !run_suite(s, ++i);
	if (interrupted)
		kprintf("# selftest: interrupted (^C); %d of %d suites not run\n", n - i, n);
	return failed;
}

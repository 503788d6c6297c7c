/* kunit.c: runs the registered KTAP suites and prints KTAP version 1 (host and kernel alike). */
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

/* Runs one suite as a nested KTAP block; returns true if every case passed or skipped. */
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
	for (c = s->cases; c->run; c++) {
		struct kunit t = { .name = c->name };

		c->run(&t);
		i++;
		if (t.status == 2)
			kprintf("    ok %d %s # SKIP %s\n", i, c->name, t.skip_reason);
		else
			kprintf("    %sok %d %s\n", t.status ? "not " : "", i, c->name);
		failed += t.status == 1;
	}
	if (s->exit)
		s->exit();
	kprintf("%sok %d %s\n", failed ? "not " : "", index, s->name);
	return failed == 0;
}

int kunit_run_all(const char *filter)
{
	const struct kunit_suite *s;
	int n = 0, i = 0, failed = 0;

	for (s = __start_kunit_suites; s < __stop_kunit_suites; s++)
		n += suite_selected(s->name, filter);
	kprintf("KTAP version 1\n1..%d\n", n);
	for (s = __start_kunit_suites; s < __stop_kunit_suites; s++)
		if (suite_selected(s->name, filter))
			failed += !run_suite(s, ++i);
	return failed;
}

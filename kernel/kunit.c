/* kunit.c: runs the registered KTAP suites and prints KTAP version 1 (host and kernel alike). */
#include <kernel/console.h>
#include <kernel/kunit.h>
#include <kernel/seq_buf.h>
#include <kernel/smp.h>
#include <mm/gfp.h>
#include <mm/kfence.h>
#include <mm/slab.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

extern const struct kunit_suite __start_kunit_suites[], __stop_kunit_suites[];

/* Where this CPU's KTAP goes while --all-cpus runs: its own buffer; NULL: the console. */
static DEFINE_PER_CPU(struct seq_buf *, ktap_sink);

static __printf(1, 2) void ktap_printf(const char *fmt, ...)
{
	struct seq_buf *sink = *this_cpu_ptr(ktap_sink);
	va_list ap;

	va_start(ap, fmt);
	if (sink)
		seq_buf_vprintf(sink, fmt, ap);
	else
		vkprintf(fmt, ap);
	va_end(ap);
}

void kunit_fail(struct kunit *test, const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	const char *base = strrchr(file, '/');

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ktap_printf("    # %s: %s:%d: %s\n", test->name, base ? base + 1 : file, line, msg);
	test->status = 1;
}

void kunit_info(struct kunit *test, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ktap_printf("    # %s: %s\n", test->name, msg);
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

	kfence_gate_pause();	/* the case's allocations are the slab's (include/mm/kfence.h) */
	c->run(&t);
	kunit_cleanup(&t);
	kfence_gate_resume();
	if (t.status == 2)
		ktap_printf("    ok %d %s # SKIP %s\n", i, c->name, t.skip_reason);
	else
		ktap_printf("    %sok %d %s\n", t.status ? "not " : "", i, c->name);
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
	ktap_printf("    KTAP version 1\n    # Subtest: %s\n", s->name);
	if (s->init && s->init()) {
		ktap_printf("    1..0\nok %d %s # SKIP suite init failed\n", index, s->name);
		return true;
	}
	ktap_printf("    1..%d\n", ncases);
	for (c = s->cases; c->run && !(interrupted && !*this_cpu_ptr(ktap_sink)); c++) {
		failed += run_case(c, ++i) == 1;
		if (!*this_cpu_ptr(ktap_sink))	/* ^C is the console CPU's: --all-cpus runs to the end */
			interrupted = console_interrupted();
	}
	if (s->exit)
		s->exit();
	if (*this_cpu_ptr(ktap_sink))
		ktap_printf("%sok %d %s\n", failed ? "not " : "", index, s->name);
	else
		ktap_printf("%sok %d %s\n", failed || interrupted ? "not " : "", index, s->name);
	return failed == 0 && (*this_cpu_ptr(ktap_sink) || !interrupted);
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
	ktap_printf("KTAP version 1\n1..%d\n", n);
	for (s = __start_kunit_suites; s < __stop_kunit_suites && !interrupted; s++)
		if (suite_selected(s->name, filter))
			failed += !run_suite(s, ++i);
	if (interrupted)
		ktap_printf("# selftest: interrupted (^C); %d of %d suites not run\n", n - i, n);
	return failed;
}

/* One CPU's share of --all-cpus: the suites into its own buffer, its failures counted. */
struct all_cpus_run {
	const char *filter;
	struct seq_buf out[CONFIG_NR_CPUS];
	int failed[CONFIG_NR_CPUS];
};

static void run_on_this_cpu(void *arg)
{
	struct all_cpus_run *r = arg;
	unsigned int cpu = smp_processor_id();
	const struct kunit_suite *s;
	int i = 0;

	*this_cpu_ptr(ktap_sink) = &r->out[cpu];
	for (s = __start_kunit_suites; s < __stop_kunit_suites; s++)
		if (suite_selected(s->name, r->filter))
			r->failed[cpu] += !run_suite(s, ++i);
	*this_cpu_ptr(ktap_sink) = NULL;
}

/* The first suite filter names that is not smp_safe, into bad; false if all are. */
static bool unsafe_suite(const char *filter, char *bad, size_t size)
{
	const struct kunit_suite *s;

	for (s = __start_kunit_suites; s < __stop_kunit_suites; s++)
		if (suite_selected(s->name, filter) && !s->smp_safe) {
			snprintf(bad, size, "%s", s->name);
			return true;
		}
	return false;
}

#define ALL_CPUS_BUF	16384	/* one CPU's KTAP for the suites named */

static unsigned int nr_selected(const char *filter)
{
	const struct kunit_suite *s;
	unsigned int n = 0;

	for (s = __start_kunit_suites; s < __stop_kunit_suites; s++)
		n += suite_selected(s->name, filter);
	return n;
}

/* One CPU's suites as a subtest of their own: its buffered KTAP, each line one level deeper. */
static void print_cpu_ktap(unsigned int cpu, struct seq_buf *out, unsigned int nsuites)
{
	const char *p = seq_buf_str(out), *nl;

	kprintf("    KTAP version 1\n    # Subtest: CPU%u\n    1..%u\n", cpu, nsuites);
	for (; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			kprintf("    %s\n", p);
			break;
		}
		kprintf("    %.*s\n", (int)(nl - p), p);
	}
}

int kunit_run_all_cpus(const char *filter, char *bad, size_t size)
{
	struct all_cpus_run *r;
	unsigned int cpu, n = 0;
	int failed = 0;

	if (unsafe_suite(filter, bad, size) || !(r = kzalloc(sizeof(*r), GFP_KERNEL)))
		return -1;
	r->filter = filter;
	for_each_online_cpu(cpu) {
		seq_buf_init(&r->out[cpu], kmalloc(ALL_CPUS_BUF, GFP_KERNEL), ALL_CPUS_BUF);
		n += r->out[cpu].buffer != NULL;
	}
	if (n == num_online_cpus()) {
		interrupted = false;
		on_each_cpu(run_on_this_cpu, r, 1);
		kprintf("KTAP version 1\n1..%u\n", n);
		n = 0;
		for_each_online_cpu(cpu) {
			print_cpu_ktap(cpu, &r->out[cpu], nr_selected(filter));
			kprintf("%sok %u CPU%u%s\n", r->failed[cpu] || r->out[cpu].overflow ? "not " : "", ++n,
				cpu, r->out[cpu].overflow ? " # output cut: more than 16 KiB" : "");
			failed += r->failed[cpu] || r->out[cpu].overflow;
		}
	} else {
		snprintf(bad, size, "(no memory for the output buffers)");
		failed = -1;
	}
	for_each_online_cpu(cpu)
		kfree(r->out[cpu].buffer);
	kfree(r);
	return failed;
}

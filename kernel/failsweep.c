/* failsweep.c: the `failsweep` shell command — fail the 1st, 2nd, 3rd ... allocation of each test case, check nothing broke or leaked. */
#include <mm/fault-inject.h>
#include <kernel/console.h>
#include <kernel/kallsyms.h>
#include <kernel/kunit.h>
#include <kernel/printk.h>
#include <kernel/setjmp.h>
#include <kernel/shell.h>
#include <kernel/stackdepot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The injected failure's call chain, innermost first, on one line (the allocator, then its callers). */
static void sweep_print_where(void)
{
	const unsigned long *e;
	unsigned int nr = stack_depot_fetch(fault_last_stack(), &e), i;
	char sym[96];

	for (i = 0; i < nr && i < 5; i++)
		kprintf("%s%s", i ? " <- " : "", sprint_symbol(sym, sizeof(sym), e[i]));
	kprintf("%s\n", nr ? "" : "(no stack)");
}

#define SWEEP_MAX_RUNS	100000
#define SWEEP_DENSE	200	/* every n up to here; then a step that keeps a case to ~2 x this many runs */

/* After a run: the checkers, then the counts; lines only for trouble. Returns true if clean. */
static bool sweep_check(const char *name, unsigned int nth, int status, const struct sweep_snapshot *before)
{
	struct sweep_snapshot after;
	char why[128];
	bool ok;

	sweep_snapshot(&after);
	ok = sweep_verify(why, sizeof(why));
	if (!ok)
		kprintf("failsweep: %s: run %u: BAD: %s\n", name, nth, why);
	if (after.free_pages != before->free_pages || after.slab_objs != before->slab_objs ||
	    after.vm_areas != before->vm_areas) {
		kprintf("failsweep: %s: run %u: BAD: leaked %ld pages, %ld slab objects, %ld vmalloc areas\n",
			name, nth, (long)(before->free_pages - after.free_pages),
			(long)(after.slab_objs - before->slab_objs), (long)(after.vm_areas - before->vm_areas));
		ok = false;
	}
	if (!ok) {
		kprintf("failsweep: %s: run %u: the failed call: ", name, nth);
		sweep_print_where();
	}
	return ok;
}

extern const struct kunit_suite __start_kunit_suites[], __stop_kunit_suites[];

/*
 * Runs one case with the nth fault-point call failing (0: none; 0x7fffffff:
 * none, counting the calls). Returns false if it faulted (the report is above).
 */
static bool sweep_case(const struct kunit_case *c, unsigned int nth, int *status)
{
	jmp_buf jb, *prev = fault_recovery;
	struct kunit t = { .name = c->name };

	if (setjmp(jb)) {
		fault_recovery = prev;
		fault_set_nth(0);
		return false;
	}
	fault_recovery = &jb;
	failslab.verbose = fail_page_alloc.verbose = fail_vmalloc.verbose = 0;	/* a case may reset them */
	fault_set_nth(nth);
	c->run(&t);
	kunit_cleanup(&t);
	fault_recovery = prev;
	*status = t.status;
	return true;
}

/* The counters of one sweep: runs made, runs with a problem, runs in which the case itself failed. */
struct sweep_totals {
	unsigned long runs, bad, case_failed, sampled;
};

/*
 * Sweeps one case: a warm-up run counts its fault-point calls K and lets it
 * make what it keeps; then n = first, first+1, ... until a run injects nothing.
 * Past max_dense runs the step grows so that a case with K in the tens of
 * thousands still ends (the runs skipped are counted in ->sampled and said).
 */
static bool sweep_one_case(const struct kunit_case *c, unsigned long first, unsigned long last,
			   unsigned long max_dense, struct sweep_totals *tot)
{
	struct sweep_snapshot base;
	unsigned long n, calls, step = 1, injected;
	int status;

	if (!sweep_case(c, 0x7fffffff, &status))
		return kprintf("failsweep: %s: BAD: the warm-up run faulted\n", c->name), false;
	if (!fault_get_nth()) {
		kprintf("failsweep: %s: sets the fault knobs itself; not swept\n", c->name);
		return true;
	}
	calls = 0x7fffffffu - fault_get_nth();
	fault_set_nth(0);
	sweep_snapshot(&base);
	for (n = first; n <= last; n += step) {
		if (n - first >= max_dense && calls > max_dense)
			step = (calls - max_dense) / max_dense + 1;
		injected = fault_total_injected();
		tot->runs++;
		if (!sweep_case(c, (unsigned int)n, &status)) {
			kprintf("failsweep: %s: run %lu: BAD: ended by a fault; failed ", c->name, n);
			sweep_print_where();
			return tot->bad++, false;
		}
		fault_set_nth(0);
		if (fault_total_injected() == injected)
			break;
		tot->case_failed += status == 1;
		tot->sampled += step - 1;
		if (!sweep_check(c->name, (unsigned int)n, status, &base))
			tot->bad++;
		sweep_snapshot(&base);
	}
	kprintf("failsweep: %s: %lu calls, swept to n=%lu%s\n", c->name, calls, n,
		step > 1 ? " (sampled past the dense part)" : "");
	return true;
}

/* Parses "-n A" or "-n A-B" (runs A..B only); returns the index of the first suite name, or -1. */
static int sweep_args(int argc, char **argv, unsigned long *first, unsigned long *last)
{
	char *end;

	*first = 1;
	*last = SWEEP_MAX_RUNS;
	if (argc < 2 || strcmp(argv[1], "-n"))
		return 1;
	if (argc < 3)
		return -1;
	*first = strtoul(argv[2], &end, 10);
	*last = *first;
	if (*end == '-')
		*last = strtoul(end + 1, &end, 10);
	if (*end || !*first || *last < *first || *last > SWEEP_MAX_RUNS)
		return -1;
	return 3;
}

static const struct kunit_suite *find_suite(const char *name)
{
	const struct kunit_suite *s;

	for (s = __start_kunit_suites; s < __stop_kunit_suites; s++)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

/* Sweeps every case of s; false if a run faulted (the sweep stops there). */
static bool sweep_suite(const struct kunit_suite *s, unsigned long first, unsigned long last,
			struct sweep_totals *tot)
{
	const struct kunit_case *c;
	bool ok = true;

	if (s->init && s->init()) {
		kprintf("failsweep: %s: suite init failed; skipped\n", s->name);
		return true;
	}
	for (c = s->cases; c->run && ok && !console_interrupted(); c++)
		ok = sweep_one_case(c, first, last, SWEEP_DENSE, tot);
	if (s->exit)
		s->exit();
	return ok;
}

/*
 * failsweep [-n N[-M]] SUITE...: for each case of each suite, fail its 1st,
 * 2nd, ... fault-point call (slab, page or vmalloc) until a run injects no
 * failure; after each run the allocators' checkers must pass and the free
 * pages, slab objects and vmalloc areas must be back where they were. The
 * injection messages are off while it runs (verbose 0); its own lines name
 * each bad run and the failed call. Returns 0 only if no run was bad.
 */
static int cmd_failsweep(int argc, char **argv)
{
	struct fault_attr *attrs[] = { &failslab, &fail_page_alloc, &fail_vmalloc };
	unsigned long first, last, verbose[3];
	struct sweep_totals tot = { 0 };
	int i = sweep_args(argc, argv, &first, &last), j;
	bool ok = true;

	if (i < 0 || i >= argc) {
		kprintf("usage: failsweep [-n N[-M]] SUITE...  (N, M: 1..%u)\n", SWEEP_MAX_RUNS);
		return SHELL_EUSAGE;
	}
	for (j = i; j < argc; j++)
		if (!find_suite(argv[j])) {
			kprintf("failsweep: no suite named '%s'; the suites are: ", argv[j]);
			kunit_print_suite_names();
			return SHELL_EUSAGE;
		}
	for (j = 0; j < 3; j++) {
		verbose[j] = attrs[j]->verbose;
		attrs[j]->verbose = 0;
	}
	for (; i < argc && ok; i++)
		ok = sweep_suite(find_suite(argv[i]), first, last, &tot);
	for (j = 0; j < 3; j++)
		attrs[j]->verbose = verbose[j];
	kprintf("failsweep: %lu run(s), %lu bad, %lu in which the case reported the failure%s\n",
		tot.runs, tot.bad, tot.case_failed, tot.sampled ? " (some n sampled, see above)" : "");
	return tot.bad ? 1 : 0;
}
SHELL_CMD(failsweep, "failsweep", "failsweep [-n N[-M]] SUITE...",
	  "fail the 1st, 2nd, ... allocation of each case; check nothing leaked", cmd_failsweep);

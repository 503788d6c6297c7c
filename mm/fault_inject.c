/* fault_inject.c: failslab, fail_page_alloc and fail_vmalloc — the knobs, the decision, fail-nth, debugfs. */
#include <mm/fault-inject.h>
#include <mm/gfp.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <kernel/debugfs.h>
#include <kernel/param.h>
#include <kernel/printk.h>
#include <kernel/stacktrace.h>
#include <stdlib.h>
#include <string.h>

#define FAULT_ATTR_INIT(nm) { .name = nm, .interval = 1, .verbose = 2, .times = ATOMIC_INIT(1) }

struct fault_attr failslab = FAULT_ATTR_INIT("failslab");
struct fault_attr fail_page_alloc = FAULT_ATTR_INIT("fail_page_alloc");
struct fault_attr fail_vmalloc = FAULT_ATTR_INIT("fail_vmalloc");

int fault_inject_armed;
static atomic_t fail_nth;		/* calls to go before the forced failure; 0: none */
static atomic_t rand_seq;		/* feeds fault_rand(): one atomic add per draw, any CPU */
static depot_stack_handle_t last_stack;	/* written by the CPU that injected last */

static struct fault_attr *const all_attrs[] = { &failslab, &fail_page_alloc, &fail_vmalloc };

/* Re-arms the inline hooks: any knob that can fail a call, or a pending fail-nth. */
static void fault_rearm(void)
{
	int armed = atomic_read(&fail_nth) != 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(all_attrs); i++)
		armed |= all_attrs[i]->probability != 0;
	WRITE_ONCE(fault_inject_armed, armed);
	slab_quick_set(SLAB_QUICK_FAULT, armed);
}

void fault_attr_reset(struct fault_attr *a)
{
	a->probability = 0;
	a->interval = 1;
	a->verbose = 2;
	a->min_order = 0;
	atomic_set(&a->times, 1);
	atomic_set(&a->space, 0);
	atomic_set(&a->count, 0);
	fault_rearm();
}

/* A percent draw, 0..99: a sequence number through a 32-bit mixer (no shared state to race on). */
static unsigned int fault_rand(void)
{
	u32 x = (u32)atomic_add_return(1, &rand_seq) * 0x9E3779B1u;

	x ^= x >> 16;
	x *= 0x85EBCA6Bu;
	x ^= x >> 13;
	return x % 100;
}

/* fail_dump: Linux's two lines, and the stack if verbose > 1; remembers the stack for the sweep. */
static void fail_dump(struct fault_attr *a, bool nowarn)
{
	unsigned long entries[STACK_DEPOT_MAX_FRAMES];
	unsigned int nr = stack_trace_save(entries, STACK_DEPOT_MAX_FRAMES, 1);

	WRITE_ONCE(last_stack, stack_depot_save(entries, nr));
	if (nowarn || !a->verbose)
		return;
	printk("FAULT_INJECTION: forcing a failure.\n");
	printk("name %s, interval %lu, probability %lu, space %d, times %d\n", a->name, a->interval,
	       a->probability, atomic_read(&a->space), atomic_read(&a->times));
	if (a->verbose > 1) {
		printk("Call trace:\n");
		stack_trace_print(entries, nr, 1);
	}
}

/* fail-nth first (it fails any fault point); then times, space, interval, probability, as Linux. */
static __noinline bool should_fail(struct fault_attr *a, unsigned long size, bool nowarn)
{
	int nth = atomic_read(&fail_nth), t;

	while (nth > 0) {
		int seen = atomic_cmpxchg(&fail_nth, nth, nth - 1);

		if (seen == nth) {
			if (nth == 1)
				goto fail;
			return false;
		}
		nth = seen;
	}
	if (!READ_ONCE(a->probability) || atomic_read(&a->times) == 0)
		return false;
	if (atomic_read(&a->space) > (int)size) {
		atomic_sub_return((int)size, &a->space);
		return false;
	}
	if (READ_ONCE(a->interval) > 1 &&
	    (unsigned long)atomic_add_return(1, &a->count) % READ_ONCE(a->interval))
		return false;
	if (READ_ONCE(a->probability) <= fault_rand())
		return false;
	/* times may have been used up by another CPU meanwhile: take one or give up */
	for (t = atomic_read(&a->times); t != -1; t = atomic_read(&a->times))
		if (t == 0 || atomic_cmpxchg(&a->times, t, t - 1) == t)
			break;
	if (t == 0)
		return false;
fail:
	atomic_inc(&a->injected);
	fail_dump(a, nowarn);
	return true;
}

bool __should_failslab(struct kmem_cache *c, gfp_t gfp)
{
	if (gfp & __GFP_NOFAIL)
		return false;
	return should_fail(&failslab, 0, gfp & __GFP_NOWARN);
}

bool __should_fail_alloc_page(gfp_t gfp, unsigned int order)
{
	if ((gfp & __GFP_NOFAIL) || order < READ_ONCE(fail_page_alloc.min_order))
		return false;
	return should_fail(&fail_page_alloc, PAGE_SIZE << order, gfp & __GFP_NOWARN);
}

bool __should_fail_vmalloc(unsigned long size, gfp_t gfp)
{
	if (gfp & __GFP_NOFAIL)
		return false;
	return should_fail(&fail_vmalloc, size, gfp & __GFP_NOWARN);
}

void fault_set_nth(unsigned int n)
{
	atomic_set(&fail_nth, (int)n);
	fault_rearm();
}

unsigned int fault_get_nth(void)
{
	return (unsigned int)atomic_read(&fail_nth);
}

depot_stack_handle_t fault_last_stack(void)
{
	return READ_ONCE(last_stack);
}

unsigned long fault_total_injected(void)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(all_attrs); i++)
		n += (unsigned long)atomic_read(&all_attrs[i]->injected);
	return n;
}

/* ---- the knobs: command line and /sys/kernel/debug/NAME/ ------------------------------ */

/* Parses a whole decimal number (a leading '-' only if neg_ok); -1 if s is not one. */
static int parse_long(const char *s, bool neg_ok, long *out)
{
	char *end;
	long v;

	if (!*s || (*s == '-' && !neg_ok) || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	v = strtol(s, &end, 10);
	if (*end && *end != '\n')
		return -1;
	*out = v;
	return 0;
}

enum fault_knob { KNOB_probability, KNOB_interval, KNOB_times, KNOB_space, KNOB_verbose, KNOB_min_order };
static const char *const knob_names[] = { "probability", "interval", "times", "space", "verbose",
					  "min-order" };

/* Checks v for knob k: returns NULL if acceptable, else what the knob takes. */
static const char *knob_range(enum fault_knob k, long v)
{
	switch (k) {
	case KNOB_probability:	return v >= 0 && v <= 100 ? NULL : "a percentage, 0..100";
	case KNOB_interval:	return v >= 1 ? NULL : "a count of calls, 1 or more";
	case KNOB_times:	return v >= -1 ? NULL : "a count of failures, or -1 for no limit";
	case KNOB_space:	return v >= 0 && v <= 0x7fffffff ? NULL : "a number of bytes, 0..2147483647";
	case KNOB_verbose:	return v >= 0 && v <= 2 ? NULL : "0, 1 or 2";
	case KNOB_min_order:	return v >= 0 && v < MAX_ORDER ? NULL : "an order, 0..MAX_ORDER-1";
	}
	return "nothing";
}

static long knob_get(const struct fault_attr *a, enum fault_knob k)
{
	switch (k) {
	case KNOB_probability:	return (long)a->probability;
	case KNOB_interval:	return (long)a->interval;
	case KNOB_times:	return atomic_read(&a->times);
	case KNOB_space:	return atomic_read(&a->space);
	case KNOB_verbose:	return (long)a->verbose;
	case KNOB_min_order:	return (long)a->min_order;
	}
	return 0;
}

static void knob_set(struct fault_attr *a, enum fault_knob k, long v)
{
	switch (k) {
	case KNOB_probability:	WRITE_ONCE(a->probability, (unsigned long)v); break;
	case KNOB_interval:	WRITE_ONCE(a->interval, (unsigned long)v); break;
	case KNOB_times:	atomic_set(&a->times, (int)v); break;
	case KNOB_space:	atomic_set(&a->space, (int)v); break;
	case KNOB_verbose:	WRITE_ONCE(a->verbose, (unsigned long)v); break;
	case KNOB_min_order:	WRITE_ONCE(a->min_order, (unsigned long)v); break;
	}
	fault_rearm();
}

static void knob_show(struct seq_buf *s, const struct fault_attr *a, enum fault_knob k)
{
	seq_buf_printf(s, "%ld\n", knob_get(a, k));
}

/* A write of a bad value changes nothing and says what the knob takes. */
static int knob_write(struct fault_attr *a, enum fault_knob k, const char *buf)
{
	const char *want;
	long v;

	if (parse_long(buf, k == KNOB_times, &v) || (want = knob_range(k, v))) {
		printk("%s: invalid %s '%s' (want %s); %s stays %ld\n", a->name, knob_names[k], buf,
		       parse_long(buf, true, &v) ? "a decimal number" : knob_range(k, v),
		       knob_names[k], knob_get(a, k));
		return -1;
	}
	knob_set(a, k, v);
	return 0;
}

#define FAULT_FILE(attr, knob, fname) \
	static void show_##attr##_##knob(struct seq_buf *s) { knob_show(s, &attr, KNOB_##knob); } \
	static int write_##attr##_##knob(const char *b) { return knob_write(&attr, KNOB_##knob, b); } \
	DEBUGFS_FILE_RW(attr##_##knob, "/sys/kernel/debug/" #attr "/" fname, \
			show_##attr##_##knob, write_##attr##_##knob)
#define FAULT_FILES(attr) \
	FAULT_FILE(attr, probability, "probability"); FAULT_FILE(attr, interval, "interval"); \
	FAULT_FILE(attr, times, "times"); FAULT_FILE(attr, space, "space"); \
	FAULT_FILE(attr, verbose, "verbose")

FAULT_FILES(failslab);
FAULT_FILES(fail_page_alloc);
FAULT_FILE(fail_page_alloc, min_order, "min-order");
FAULT_FILES(fail_vmalloc);

/*
 * fault_attr_parse: Linux's boot syntax "<interval>,<probability>,<space>,<times>",
 * every field checked as its debugfs file checks it; all or nothing.
 */
int fault_attr_parse(struct fault_attr *a, const char *val)
{
	static const enum fault_knob order[4] = { KNOB_interval, KNOB_probability, KNOB_space, KNOB_times };
	char field[24];
	long v[4];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		size_t n = strcspn(val, ",");

		if (n >= sizeof(field) || (i < 3) != (val[n] == ','))
			return -1;
		memcpy(field, val, n);
		field[n] = '\0';
		if (parse_long(field, order[i] == KNOB_times, &v[i]) || knob_range(order[i], v[i]))
			return -1;
		val += n + (i < 3);
	}
	for (i = 0; i < 4; i++)
		knob_set(a, order[i], v[i]);
	return 0;
}

/* A bad boot value: one line that says what was expected, and the knob stays off. */
static int setup_fault_attr(struct fault_attr *a, const char *val)
{
	if (!fault_attr_parse(a, val))
		return 0;
	printk("FAULT_INJECTION: %s=%s: expected <interval>,<probability>,<space>,<times> "
	       "(interval >= 1, probability 0..100, space >= 0, times >= -1); %s stays off\n",
	       a->name, val, a->name);
	return 0;
}

static int setup_failslab(const char *val)
{
	return setup_fault_attr(&failslab, val);
}
early_param("failslab", setup_failslab);

static int setup_fail_page_alloc(const char *val)
{
	return setup_fault_attr(&fail_page_alloc, val);
}
early_param("fail_page_alloc", setup_fail_page_alloc);

static int setup_fail_vmalloc(const char *val)
{
	return setup_fault_attr(&fail_vmalloc, val);
}
early_param("fail_vmalloc", setup_fail_vmalloc);

/* /proc/self/fail-nth: read the calls still to go (0: injected or none set), write N to arm. */
static void show_fail_nth(struct seq_buf *s)
{
	seq_buf_printf(s, "%u\n", fault_get_nth());
}

static int write_fail_nth(const char *buf)
{
	long v;

	if (parse_long(buf, false, &v) || v > 0x7fffffff) {
		printk("fail-nth: invalid value '%s' (want 0..2147483647; 0 disarms); unchanged\n", buf);
		return -1;
	}
	fault_set_nth((unsigned int)v);
	return 0;
}
DEBUGFS_FILE_RW(fail_nth, "/proc/self/fail-nth", show_fail_nth, write_fail_nth);

/*
 * fail_nth=N (pagoda's; Linux arms fail-nth per task through /proc only):
 * the N-th fault-point call after the allocators come up fails, so a boot can
 * be swept like a test (tests/qemu/failsweep.t).
 */
static int setup_fail_nth(const char *val)
{
	long v;

	if (parse_long(val, false, &v) || v > 0x7fffffff) {
		printk("fail_nth=%s: expected a count of calls, 1..2147483647; no failure is injected\n", val);
		return 0;
	}
	fault_set_nth((unsigned int)v);
	return 0;
}
early_param("fail_nth", setup_fail_nth);

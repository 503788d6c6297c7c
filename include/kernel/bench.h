/* bench.h: in-kernel benchmarks, registered at link time and run by the `bench` command. */
#ifndef PAGODA_BENCH_H
#define PAGODA_BENCH_H

#include <compiler.h>
#include <kernel/time.h>

/*
 * A benchmark prints figures with kprintf (generic-timer ticks converted to ns
 * or us) and returns 0; it never fails because the machine is slow. Nonzero
 * means it could not run (e.g. out of memory). Under QEMU, -icount shift=0 makes
 * the tick counts repeatable for regression comparisons.
 */
struct bench {
	const char *name;
	const char *help;
	int (*fn)(void);
};

#define BENCH(id, nm, hlp, f) \
	static const struct bench __bench_##id \
	__link_table(benches, struct bench) = { nm, hlp, f }

#endif

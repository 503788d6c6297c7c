/* bench.h: benchmarks, registered at link time, run by the kernel's `bench` command and by `make bench`. */
#ifndef PAGODA_BENCH_H
#define PAGODA_BENCH_H

#include <compiler.h>

/*
 * A benchmark (bench/NAME_bench.c) is written once against the kernel's APIs
 * and this seam, and built twice: into the kernel, and natively on the host
 * over the simulated machine (tests/seam/host/). It prints figures with kprintf,
 * a row as soon as the row is measured, and returns 0; it never fails because
 * the machine is slow. Nonzero (-ENOMEM, ...) means some figure could not be
 * had, and a line said which.
 */
struct bench {
	const char *name;
	const char *help;
	int (*fn)(void);
};

#define BENCH(id, nm, hlp, f) \
	static const struct bench __bench_##id __link_table(benches, struct bench) = { nm, hlp, f }

/* The best of this many measurements is reported. */
#define BENCH_REPEAT	3

/*
 * The seam: each side of tests/seam/ provides these.
 *   bench_clock()        a reading of the bench clock (kernel: generic-timer
 *                        ticks; host: this thread's CPU time in ns, so a loaded
 *                        build machine does not bill its other work to us)
 *   bench_ns10(d, ops)   tenths of a ns per operation for ops operations that
 *                        took d units of bench_clock()
 *   bench_loops(n)       how many times to repeat a loop the host runs n times
 *                        (the kernel runs under emulation: a hundredth)
 *   bench_where()        the clock and the machine, for table headings
 */
u64 bench_clock(void);
u64 bench_ns10(u64 elapsed, unsigned long ops);
unsigned long bench_loops(unsigned long host_n);
const char *bench_where(void);

/* bench_run: `bench [list|NAME...]` (kernel/bench.c): 0, or 1 if a bench was unknown or could not run. */
int bench_run(int argc, char **argv);

/* BENCH_NS_LEN: room for bench_fmt_ns's output. */
#define BENCH_NS_LEN	24

/*
 * bench_interrupted: true if Ctrl-C was typed on the console since the last
 * look; benches call it between rows, the safe points
 * where nothing is held, and return -EINTR (the command then says so).
 * Always false on the host.
 */
bool bench_interrupted(void);
/* bench_fmt_ns: ns10 (tenths of a ns) as "123.4", into buf; returns buf. */
char *bench_fmt_ns(char *buf, u64 ns10);

#endif

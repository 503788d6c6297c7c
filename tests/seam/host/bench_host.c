/* bench_host.c (host): the bench seam natively — this thread's CPU time as the clock, full loop counts. */
#include <kernel/bench.h>
#include <asm/pgtable.h>
#include <mm/mm.h>
#include <stdio.h>
#include <time.h>

/*
 * Thread CPU time rather than wall time: the build machines are shared and
 * often loaded, and a descheduled thread would otherwise be billed for the
 * others' work.
 */
u64 bench_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

u64 bench_ns10(u64 elapsed, unsigned long ops)
{
	return elapsed * 10 / ops;
}

unsigned long bench_loops(unsigned long host_n)
{
	return host_n;
}

const char *bench_where(void)
{
	static char where[96];

	snprintf(where, sizeof(where), "host -O2, %s tables, simulated %lu MiB machine, CPU time",
		 PT_ARCH_NAME, totalram_pages() >> (20 - PAGE_SHIFT));
	return where;
}

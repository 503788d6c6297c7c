/* slab_bench.c: pagoda's kmalloc/kmem_cache fast paths against glibc, jemalloc and mimalloc, plus the
 * memory overhead of a mixed workload. Host, -O2, no sanitizers; prints figures, never fails on speed. */
#include "bench_common.h"
#include "bench_threads.h"
#include <kernel/percpu.h>
#include <kernel/spinlock.h>
#include <test_machine.h>
#include <mm/slab.h>
#include <mm/mm.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libgen.h>
#include <unistd.h>

#define NPEERS 3
static const char *const peer_names[NPEERS] = { "glibc", "jemalloc", "mimalloc" };

/* Rows: kmalloc pairs of each size, then kmem_cache 192. */
#define NROWS (BENCH_NSIZES + 1)
static double ours[2][NROWS], peers[NPEERS][2][NROWS];
static double ours_thr[BENCH_NTROWS], peers_thr[NPEERS][BENCH_NTROWS];
/* The mixed trace on each peer: bytes requested, usable (malloc_usable_size), resident growth. */
static unsigned long peer_mixed[NPEERS][3], ours_mixed[3];

/*
 * Threads as CPUs: the rows with two threads need a slab whose per-CPU arrays
 * are really per CPU and whose lists are locked (SLAB_NR_CPUS goes away with
 * that slab). With the one-CPU slab they would race, so they are not run.
 */
#ifdef SLAB_NR_CPUS
#define PAGODA_SMP_SLAB (SLAB_NR_CPUS > 1)
#else
#define PAGODA_SMP_SLAB 1
#endif

/* Keeps the best (lowest) figure seen over the interleaved rounds; 0 = none yet. */
static void keep_best(double *slot, double ns)
{
	if (*slot == 0 || ns < *slot)
		*slot = ns;
}

/*
 * pagoda's rows, in a process of their own (slab_bench row), printed as the
 * peers print theirs: "pair|batch SIZE NS", the kmem_cache row as size 192.
 */
static void run_ours(void)
{
	struct kmem_cache *c = kmem_cache_create("bench-192", 192, 0, 0, NULL);
	unsigned int i;
	double ns;

	for (i = 0; i < BENCH_NSIZES; i++) {
		size_t sz = bench_sizes[i];

		BENCH_PAIRS_NS(ns, kmalloc(sz, GFP_KERNEL), kfree(p));
		printf("pair %zu %.3f\n", sz, ns);
		BENCH_BATCH_NS(ns, kmalloc(sz, GFP_KERNEL), kfree(p));
		printf("batch %zu %.3f\n", sz, ns);
	}
	BENCH_PAIRS_NS(ns, kmem_cache_alloc(c, GFP_KERNEL), kmem_cache_free(c, p));
	printf("pair 192 %.3f\n", ns);
	BENCH_BATCH_NS(ns, kmem_cache_alloc(c, GFP_KERNEL), kmem_cache_free(c, p));
	printf("batch 192 %.3f\n", ns);
	kmem_cache_destroy(c);
}

static void *pagoda_alloc(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

static void pagoda_free(void *p)
{
	kfree(p);
}

/*
 * The thread is CPU cpu from now on (its per-CPU offset, as a secondary CPU
 * sets TPIDR_EL1), running as pagoda's CPUs run their work: interrupts masked.
 * In the kernel no code runs with them on but the windows that let them in
 * (arch_irq_window, the idle loops' WFI/HLT): the shell's commands and system
 * calls run masked, and a taskset command, like any cross call, in an IPI.
 * So the slab's interrupt save finds them masked and writes nothing; a thread
 * whose host flag said "on" would pay two stores per operation that no CPU
 * of pagoda makes.
 */
static void pagoda_thread_init(unsigned int cpu)
{
	set_my_cpu_offset(per_cpu_offset(cpu));
	local_irq_disable();
}

static const struct bench_ops pagoda_ops = { pagoda_alloc, pagoda_free, pagoda_thread_init };

static void run_ours_threads(void)
{
	unsigned int i;

	for (i = 0; i < BENCH_NTROWS; i++)
		if (PAGODA_SMP_SLAB || strstr(bench_trow_names[i], "1 thread"))
			printf("thr %u %.3f\n", i, bench_trow(&pagoda_ops, i));
}

/* Where allocator k's figure goes (k = -1: pagoda's). */
static double *pair_slot(int k, int batch, unsigned int row)
{
	return k < 0 ? &ours[batch][row] : &peers[k][batch][row];
}

static double *thr_slot(int k, unsigned int row)
{
	return k < 0 ? &ours_thr[row] : &peers_thr[k][row];
}

/*
 * One line of allocator k's output ("pair|batch SIZE NS", "thr ROW NS",
 * "mixed REQ USABLE RSS"); k = -1: pagoda's, from slab_bench row.
 */
static void peer_line(int k, const char *line)
{
	unsigned long a, b, c;
	unsigned int size, i;
	char kind[16];
	double ns;

	if (k >= 0 && sscanf(line, "mixed %lu %lu %lu", &a, &b, &c) == 3) {
		peer_mixed[k][0] = a, peer_mixed[k][1] = b, peer_mixed[k][2] = c;
		return;
	}
	if (sscanf(line, "%15s %u %lf", kind, &size, &ns) != 3)
		return;
	if (strcmp(kind, "thr") == 0) {
		if (size < BENCH_NTROWS)
			keep_best(thr_slot(k, size), ns);
		return;
	}
	for (i = 0; i < BENCH_NSIZES; i++)
		if (bench_sizes[i] == size)
			keep_best(pair_slot(k, strcmp(kind, "batch") == 0, i), ns);
	if (size == 192)
		keep_best(pair_slot(k, strcmp(kind, "batch") == 0, BENCH_NSIZES), ns);
}

/*
 * Runs allocator k in a process of its own and reads its lines: bench/malloc_<peer>
 * [arg] next to this binary, or (k = -1) this binary's "row" mode. Every
 * allocator gets a fresh process per round, which runs the mixed trace (and
 * frees it) and then the rows: every heap starts the rows from the same
 * history, and no figure depends on another allocator's rows. (In a heap
 * nothing ran in, glibc gives the top of its heap back after each batch of
 * 4 KiB objects: 10 us an object, and make bench took minutes.) Each also gets
 * the same draws of address layout: on an out-of-order x86 host a load waits
 * for an older store whose address matches in its low 12 bits (4K aliasing),
 * and where the stack lands moves pagoda's batched figures by up to 2x from
 * one process to the next.
 */
static int run_peer(const char *self, const char *dir, int k, const char *arg)
{
	char cmd[1024], line[256];
	FILE *f;

	if (k < 0)
		snprintf(cmd, sizeof(cmd), "'%s' row", self);
	else
		snprintf(cmd, sizeof(cmd), "'%s/malloc_%s' %s", dir, peer_names[k], arg);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		peer_line(k, line);
	return pclose(f);
}

/* Prints one row of figures and the peer/pagoda ratios; a 0 figure (not run) prints as "-". */
static void print_row(const char *name, double ours_ns, const double *peer_ns, unsigned int stride)
{
	unsigned int k;

	printf("%-26s", name);
	if (ours_ns)
		printf(" %8.2f", ours_ns);
	else
		printf(" %8s", "-");
	for (k = 0; k < NPEERS; k++)
		if (peer_ns[k * stride])
			printf(" %8.2f", peer_ns[k * stride]);
		else
			printf(" %8s", "-");
	printf("  ");
	for (k = 0; k < NPEERS; k++)
		if (ours_ns && peer_ns[k * stride])
			printf(" %7.2f", peer_ns[k * stride] / ours_ns);
		else
			printf(" %7s", "-");
	printf("\n");
}

static void print_table(int w)
{
	unsigned int i;

	printf("\n%s: ns per %s, best of %d interleaved rounds x %d runs of %lu;\n"
	       "ratio = peer ns / pagoda ns (>1: pagoda faster)\n",
	       w ? "Batched" : "Pairs", w ? "object, 256 allocated then 256 freed" : "alloc+free pair",
	       BENCH_ROUNDS, BENCH_REPEAT, BENCH_PAIRS);
	printf("%-26s %8s %8s %8s %8s   %7s %7s %7s\n", "workload", "pagoda", "glibc", "jemalloc",
	       "mimalloc", "glibc", "jemal.", "mimal.");
	for (i = 0; i < NROWS; i++) {
		char name[40];

		if (i < BENCH_NSIZES)
			snprintf(name, sizeof(name), "kmalloc+kfree %u", bench_sizes[i]);
		else
			snprintf(name, sizeof(name), "kmem_cache 192 (malloc 192)");
		print_row(name, ours[w][i], &peers[0][w][i], 2 * NROWS);
	}
}

/* Scaling 1 -> 2 threads: operations per second on two threads over those on one ("-": not run). */
static void print_scaling(double one, double two)
{
	if (one && two)
		printf(" %7.2fx", one / two);
	else
		printf(" %8s", "-");
}

static void print_threads_table(void)
{
	unsigned int i, k;

	printf("\nThreads as CPUs (each thread is a CPU: its own per-CPU offset): object %d B; wall ns per\n"
	       "operation over all threads (pair = alloc+free; producer->consumer = one object allocated on\n"
	       "CPU 0, freed on CPU 1 through a %d-slot queue), best of %d rounds x %d runs of %lu per thread\n",
	       BENCH_THREAD_SIZE, BENCH_RING, BENCH_ROUNDS, BENCH_REPEAT, BENCH_PAIRS);
	printf("%-26s %8s %8s %8s %8s   %7s %7s %7s\n", "workload", "pagoda", "glibc", "jemalloc",
	       "mimalloc", "glibc", "jemal.", "mimal.");
	for (i = 0; i < BENCH_NTROWS; i++)
		print_row(bench_trow_names[i], ours_thr[i], &peers_thr[0][i], BENCH_NTROWS);
	for (i = 0; i < 4; i += 2) {
		printf("%-26s", i ? "  scaling 1->2, batch-256" : "  scaling 1->2, pairs");
		print_scaling(ours_thr[i], ours_thr[i + 1]);
		for (k = 0; k < NPEERS; k++)
			print_scaling(peers_thr[k][i], peers_thr[k][i + 1]);
		printf("\n");
	}
	if (!PAGODA_SMP_SLAB)
		printf("  (pagoda's two-thread rows not run: this slab has one CPU's arrays, SLAB_NR_CPUS)\n");
}

/* Where pagoda's "rest" goes: bytes of free objects per-CPU and in slabs, slab tails, empty slabs kept. */
static unsigned long ours_rest[4];

static void mixed_breakdown(void)
{
	struct kmem_cache *c, *prev = NULL;
	struct slabinfo si;
	size_t n;

	for (n = 1; n <= KMALLOC_MAX_CACHE_SIZE; n++) {
		c = kmalloc_slab(n);
		if (c == prev)
			continue;
		prev = c;
		kmem_cache_get_info(c, &si);
		ours_rest[0] += si.cpu_objs * c->stride;
		ours_rest[1] += (si.num_objs - si.active_objs - si.cpu_objs) * c->stride;
		ours_rest[3] += (si.num_slabs - si.active_slabs) * (PAGE_SIZE << c->order);
		ours_rest[2] += si.num_slabs * ((PAGE_SIZE << c->order) - c->objects * c->stride);
	}
}

/*
 * Mixed workload (bench_common.h's trace, the same for the peers): the live set
 * after BENCH_REPLACE random replacements. pagoda's cost = slab pages +
 * large-kmalloc pages + their struct pages; overhead = (cost - bytes
 * requested) / bytes requested, split into size-class rounding (ksize) and the
 * rest (slab tails, free objects, struct page). The peers' rounding is
 * malloc_usable_size; their whole cost is the growth of their resident set.
 * Runs first, on fresh caches, so no object freed by another workload is reused.
 */
static void mixed_overhead(void)
{
	static struct bench_live live[BENCH_LIVE];
	long base = global_node_page_state(NR_SLAB_UNRECLAIMABLE) + global_node_page_state(NR_KMALLOC_LARGE);
	size_t requested = 0, usable = 0;
	unsigned long i, pages;

	bench_mixed_trace(live, pagoda_alloc, pagoda_free);
	for (i = 0; i < BENCH_LIVE; i++) {
		requested += live[i].size;
		usable += ksize(live[i].p);
	}
	pages = global_node_page_state(NR_SLAB_UNRECLAIMABLE) + global_node_page_state(NR_KMALLOC_LARGE) - base;
	mixed_breakdown();
	ours_mixed[0] = requested;
	ours_mixed[1] = usable;
	ours_mixed[2] = pages * (PAGE_SIZE + sizeof(struct page));
	for (i = 0; i < BENCH_LIVE; i++)
		kfree(live[i].p);
}

static void print_mixed_row(const char *name, const unsigned long *m, const char *cost_what)
{
	double req = (double)m[0];

	if (!req) {
		printf("  %-9s (no figures)\n", name);
		return;
	}
	printf("  %-9s %10lu %8.1f%% %8.1f%% %9.1f%%  %s\n", name, m[0], 100.0 * (m[1] - req) / req,
	       100.0 * (m[2] - (double)m[1]) / req, 100.0 * (m[2] - req) / req, cost_what);
}

/* pagoda's rest, each part in % of the bytes requested, and the pages the live set costs. */
static void print_rest(void)
{
	double req = (double)ours_mixed[0];
	unsigned long pages = ours_mixed[2] / (PAGE_SIZE + sizeof(struct page));

	if (!req)
		return;
	printf("  pagoda's rest: free objects in per-CPU arrays %.1f%%, free objects in slabs %.1f%% "
	       "(of which empty slabs kept %.1f%%),\n  slab tails %.1f%%, struct page %.1f%%\n",
	       100.0 * ours_rest[0] / req, 100.0 * ours_rest[1] / req, 100.0 * ours_rest[3] / req,
	       100.0 * ours_rest[2] / req, 100.0 * pages * sizeof(struct page) / req);
	printf("  pagoda: %lu pages (%lu KiB) for %lu bytes requested\n", pages, pages * PAGE_SIZE / 1024,
	       ours_mixed[0]);
}

static void print_mixed(void)
{
	unsigned int k;

	printf("\nMixed workload: %d live objects (60%% 1-256 B, 30%% 257-4096, 8%% 4097-8192, 2%% 8193-20192)"
	       " after %d random replacements;\npercentages of the bytes requested\n", BENCH_LIVE, BENCH_REPLACE);
	printf("  %-9s %10s %9s %9s %10s  %s\n", "allocator", "requested", "rounding", "rest", "overhead",
	       "cost counted");
	print_mixed_row("pagoda", ours_mixed, "slab + large-kmalloc pages + struct page");
	for (k = 0; k < NPEERS; k++)
		print_mixed_row(peer_names[k], peer_mixed[k], "resident set growth while the live set stands");
	print_rest();
}

/* Each round: pagoda (k = -1), then each peer, each in a process of its own. */
static void run_rounds(const char *self, const char *dir, int peers)
{
	int k, r;

	for (r = 0; r < BENCH_ROUNDS; r++)
		for (k = -1; k < peers; k++)
			if (run_peer(self, dir, k, ""))
				fprintf(stderr, "slab_bench: %s failed\n", k < 0 ? "slab_bench row" : peer_names[k]);
}

int main(int argc, char **argv)
{
	char self[512], path[512];
	const char *dir;
	ssize_t n;
	int k;

	setenv("PAGODA_QUIET_LOG", "1", 1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mm_test_machine())
		return 1;
	kmem_cache_init();
	if (argc > 1 && strcmp(argv[1], "row") == 0) {	/* one round of pagoda's rows, as lines */
		pagoda_thread_init(0);
		mixed_overhead();	/* first, as each peer's process runs its mixed trace first */
		run_ours();
		run_ours_threads();
		return 0;
	}
	mixed_overhead();
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);	/* "row" runs this binary again */
	if (n <= 0 || (size_t)n >= sizeof(self) - 1)
		snprintf(self, sizeof(self), "%s", argv[0]);
	else
		self[n] = '\0';
	snprintf(path, sizeof(path), "%s", self);
	dir = dirname(path);
	if (argc > 1 && strcmp(argv[1], "ours") == 0) {	/* pagoda's figures only, for before/after */
		run_rounds(self, dir, 0);
		print_table(0);
		print_table(1);
		print_threads_table();
		print_mixed();
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "mixed") == 0) {	/* the memory figures only (seconds) */
		for (k = 0; k < NPEERS; k++)
			if (run_peer(self, dir, k, "mixed"))
				fprintf(stderr, "slab_bench: %s/malloc_%s failed\n", dir, peer_names[k]);
		print_mixed();
		return 0;
	}
	run_rounds(self, dir, NPEERS);
	print_table(0);
	print_table(1);
	print_threads_table();
	print_mixed();
	return 0;
}

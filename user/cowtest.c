/*
 * cowtest.c: copy-on-write after fork, in the spirit of xv6's cowtest. A
 * process with 64 MiB of written anonymous memory forks: the fork costs page
 * tables, not pages; reads copy nothing; the child's writes cost exactly one
 * page each; a grandchild's too; nobody sees another's writes; once the
 * others are gone the parent's writes copy nothing (the page is its own
 * again). The copies are counted exactly by /proc/vmstat's cow_fault (one
 * page each) and cow_reuse; the pages allocated meanwhile by pgalloc_*, which
 * the kernel's own allocations may raise by a few (KASAN's stack depot, a new
 * slab): NOISE pages are allowed there. MemFree is printed beside them (the
 * buddy's free pages: the per-CPU lists make it move in batches). Exits 0 if
 * all held.
 */
#include <ulib.h>

#define PAGE		4096UL
#define SIZE		(64UL << 20)
#define NPAGES		(SIZE / PAGE)
#define WRITES		256UL		/* pages each generation writes: 1 MiB */
#define NOISE		8		/* pages the kernel may allocate for itself meanwhile */

static char *buf;
static int failed;

/* allocs: pages the buddy has handed out since boot (pgalloc_dma + pgalloc_normal). */
static long allocs(void)
{
	long d = proc_kb("/proc/vmstat", "pgalloc_dma"), n = proc_kb("/proc/vmstat", "pgalloc_normal");

	return (d > 0 ? d : 0) + (n > 0 ? n : 0);
}

static long vmstat(const char *key)
{
	return proc_kb("/proc/vmstat", key);
}

static long memfree(void)
{
	return proc_kb("/proc/meminfo", "MemFree");
}

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("cowtest[%d]: FAILED: %s\n", getpid(), what);
		failed = 1;
	}
}

/* word: what generation gen wrote into page i. */
static unsigned long word(unsigned long i, unsigned long gen)
{
	return (gen << (8 * sizeof(long) - 8)) ^ (i * 2654435761UL);	/* gen in the top byte, on 32 and 64 bits */
}

/* fill: generation gen writes its word into the first word of pages [from, to). */
static void fill(unsigned long from, unsigned long to, unsigned long gen)
{
	unsigned long i;

	for (i = from; i < to; i++)
		*(unsigned long *)(buf + i * PAGE) = word(i, gen);
}

/* holds: pages [from, to) hold generation gen's words. */
static int holds(unsigned long from, unsigned long to, unsigned long gen)
{
	unsigned long i;

	for (i = from; i < to; i++)
		if (*(unsigned long *)(buf + i * PAGE) != word(i, gen))
			return 0;
	return 1;
}

/*
 * parent_asleep: waits until the parent sleeps in waitpid. The counters are
 * the machine's, and the parent's own first writes after fork (its stack, on
 * another CPU) are COW copies too: they must come before the child counts its own.
 */
static void parent_asleep(void)
{
	wait_asleep(getppid());
}

/* grandchild: sees gen 1 in [0, WRITES) and gen 0 above; writes gen 2 into [WRITES, 2 WRITES). */
static int grandchild(void)
{
	long a0, a1;

	parent_asleep();	/* the child's own writes after fork are COW copies too */
	check(holds(0, WRITES, 1) && holds(WRITES, NPAGES, 0), "grandchild sees its parent's memory");
	{
	long c0, c1;

	allocs();	/* its first calls copy the stack pages proc_kb's buffer uses (shared since fork) */
	c0 = vmstat("cow_fault");
	a0 = allocs();
	fill(WRITES, 2 * WRITES, 2);
	a1 = allocs();
	c1 = vmstat("cow_fault");
	printf("cowtest: grandchild wrote %lu pages: %ld copied (cow_fault), %ld pages allocated\n", WRITES,
	       c1 - c0, a1 - a0);
	check(c1 - c0 == (long)WRITES, "the grandchild's writes copy one page each");
	check(a1 - a0 >= (long)WRITES && a1 - a0 <= (long)(WRITES + NOISE), "... and allocate no more");
	}
	check(holds(WRITES, 2 * WRITES, 2), "grandchild reads its own writes");
	return failed;
}

/* child: fork cost, reads, writes, then a grandchild. */
static int child(long m0, long a0)
{
	long m1, a1, pte, a2, a3, m3, c1, c2, c3;
	int status = -1;
	pid_t pid;

	parent_asleep();
	m1 = memfree();
	a1 = allocs();
	pte = proc_kb("/proc/self/status", "VmPTE");

	printf("cowtest: fork of a 64 MiB process: MemFree %ld -> %ld kB (-%ld kB), %ld pages allocated, "
	       "child's page tables %ld kB\n", m0, m1, m0 - m1, a1 - a0, pte);
	check(a1 - a0 < 64 + pte / 4, "fork allocates page tables (and a kernel stack), not the 64 MiB");
	c1 = vmstat("cow_fault");
	check(holds(0, NPAGES, 0), "child sees the parent's memory");
	c2 = vmstat("cow_fault");
	a2 = allocs();
	check(c2 == c1 && a2 - a1 <= NOISE, "reading every page copies nothing");
	fill(0, WRITES, 1);
	a3 = allocs();
	c3 = vmstat("cow_fault");
	m3 = memfree();
	printf("cowtest: child wrote %lu pages: %ld copied (cow_fault), %ld pages allocated, MemFree -%ld kB\n",
	       WRITES, c3 - c2, a3 - a2, m1 - m3);
	check(c3 - c2 == (long)WRITES, "the child's writes copy exactly one page each");
	check(a3 - a2 >= (long)WRITES && a3 - a2 <= (long)(WRITES + NOISE), "... and allocate no more");
	pid = fork();
	if (pid == 0)
		exit(grandchild());
	check(pid > 0, "second-generation fork");
	check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "grandchild exits 0");
	check(holds(0, WRITES, 1) && holds(WRITES, NPAGES, 0), "child does not see the grandchild's writes");
	return failed;
}

int main(int argc, char **argv, char **envp)
{
	long m0, a0, a1, r0, r1, mstart = memfree();
	int status = -1;
	pid_t pid;

	(void)argc, (void)argv, (void)envp;
	buf = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return printf("cowtest: mmap of 64 MiB failed\n"), 1;
	fill(0, NPAGES, 0);
	m0 = memfree();
	a0 = allocs();
	printf("cowtest: 64 MiB written: MemFree %ld -> %ld kB\n", mstart, m0);
	pid = fork();
	if (pid == 0)
		exit(child(m0, a0));
	check(pid > 0, "fork");
	check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "child exits 0");
	check(holds(0, NPAGES, 0), "parent does not see its child's or grandchild's writes");
	r0 = vmstat("cow_reuse");
	a0 = allocs();
	fill(0, WRITES, 3);
	a1 = allocs();
	r1 = vmstat("cow_reuse");
	printf("cowtest: parent wrote %lu pages after its children exited: %ld made writable in place (cow_reuse), "
	       "%ld pages allocated\n", WRITES, r1 - r0, a1 - a0);
	check(r1 - r0 == (long)WRITES && a1 - a0 <= NOISE, "the parent's pages are its own again: writable in place, no copy");
	munmap(buf, SIZE);
	printf("cowtest: %s\n", failed ? "FAILED" : "ok");
	return failed;
}

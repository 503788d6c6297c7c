/*
 * sharedtest.c: shared anonymous memory (MAP_SHARED | MAP_ANONYMOUS) across
 * fork, next to a private mapping. The parent maps 16 pages of each and
 * writes half the shared pages and all the private ones, then forks. The
 * child starts with no PTE in the shared region, faults the parent's pages
 * in (allocating only the 8 nobody touched yet) and writes a pattern into
 * both regions: its shared writes copy nothing (cow_fault stays), its
 * private writes copy one page each. The parent then sees the child's
 * shared writes (the 8 pages the child made included) and none of its
 * private ones, and mapping them allocates nothing; it runs the code the
 * child wrote into a shared rwx page it never touched. The parent writes again
 * and a second child sees it, on the same physical pages (pagemap PFN,
 * kpagecount 2, pagemap's file bit as Linux sets it for shmem). RssShmem and
 * VmRSS in /proc/self/status follow. Last, a process with 64 MiB shared
 * written forks: the fork copies no PTE there, and the child maps the 64 MiB
 * at the cost of their page tables. Between the two, three children on
 * their own CPUs fault the same fresh shared pages at once. Pages allocated are counted by
 * /proc/vmstat's pgalloc_* (NOISE pages allowed for the kernel's own:
 * a page table, a slab). Exits 0 only if every check held.
 */
#include <ulib.h>

#define PAGE		4096UL
#define PAGES		16UL
#define HALF		(PAGES / 2)
#define NOISE		8
#define PM_PRESENT	(1ULL << 63)
#define PM_FILE		(1ULL << 61)
#define PM_EXCLUSIVE	(1ULL << 56)
#define PM_PFN		((1ULL << 55) - 1)
#define BIG_PAGES	((64UL << 20) / PAGE)	/* the fork-cost phase: 64 MiB shared */
#define PTRS_PER_TABLE	512			/* last-level entries per table page, both arches */
#define RACERS		3			/* children faulting the same pages at once (CPUs 1-3) */
#define RACE_PAGES	256UL
#define RACE_ROUNDS	8

static char *sh, *pv;		/* the shared and the private region */
static char *big;		/* 64 MiB shared, for fork's cost */
static unsigned char *code;	/* one shared rwx page: the child writes code, the parent runs it */
static long fork_allocs0;	/* allocs() just before the fork of the 64 MiB process */
static uint64_t parent_pfn;	/* the parent's PFN of shared page 0, read before the second fork */
static int failed;

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("sharedtest[%d]: FAILED: %s\n", getpid(), what);
		failed = 1;
	}
}

static long vmstat(const char *key) { return proc_kb("/proc/vmstat", key); }
static long status(const char *key) { return proc_kb("/proc/self/status", key); }

/* allocs: pages the buddy has handed out since boot (pgalloc_dma + pgalloc_normal). */
static long allocs(void)
{
	long d = vmstat("pgalloc_dma"), n = vmstat("pgalloc_normal");

	return (d > 0 ? d : 0) + (n > 0 ? n : 0);
}

/* word: what generation gen wrote into page i (gen in the top byte, on 32 and 64 bits). */
static unsigned long word(unsigned long i, unsigned long gen)
{
	return (gen << (8 * sizeof(long) - 8)) ^ (i * 2654435761UL) ^ 0x5a;
}

/* fill: generation gen writes page i's word at both ends of pages [from, to) of r. */
static void fill(char *r, unsigned long from, unsigned long to, unsigned long gen)
{
	unsigned long i;

	for (i = from; i < to; i++) {
		*(unsigned long *)(r + i * PAGE) = word(i, gen);
		*(unsigned long *)(r + (i + 1) * PAGE - sizeof(long)) = word(i, gen);
	}
}

/* holds: pages [from, to) of r hold generation gen's words (gen ~0: zeros). */
static int holds(const char *r, unsigned long from, unsigned long to, unsigned long gen)
{
	unsigned long i, w;

	for (i = from; i < to; i++) {
		w = gen == ~0UL ? 0 : word(i, gen);
		if (*(const unsigned long *)(r + i * PAGE) != w ||
		    *(const unsigned long *)(r + (i + 1) * PAGE - sizeof(long)) != w)
			return 0;
	}
	return 1;
}

/* u64_at: the 8-byte entry index of the file path, or ~0 on an error. */
static uint64_t u64_at(const char *path, unsigned long index)
{
	long fd = open(path, O_RDONLY);
	uint64_t v = ~0ULL;

	if (fd < 0)
		return v;
	if (pread((int)fd, &v, 8, (off_t)(index * 8)) != 8)
		v = ~0ULL;
	close((int)fd);
	return v;
}

/* child: the first child's reads and writes, counted. */
static int child(void)
{
	long a0, a1, a2, a3, c0, c1, c2, rss0, shm;

	wait_asleep(getppid());	/* the parent's own COW copies come before these counts */
	allocs(), status("VmRSS");	/* their stack buffers are copied (COW) here, not below */
	rss0 = status("RssShmem");
	check(rss0 == 0, "fork maps no page of the shared region in the child");
	a0 = allocs();
	check(holds(sh, 0, HALF, 0) && holds(sh, HALF, PAGES, ~0UL), "the child sees the parent's shared pages and zeros");
	a1 = allocs();
	c0 = vmstat("cow_fault");
	fill(sh, 0, PAGES, 1);
	c1 = vmstat("cow_fault");
	a2 = allocs();
	fill(pv, 0, PAGES, 1);
	c2 = vmstat("cow_fault");
	a3 = allocs();
	shm = status("RssShmem");
	printf("sharedtest: child: RssShmem %ld kB after fork; read 16 shared pages: %ld pages allocated; "
	       "wrote them: %ld copied (cow_fault), %ld allocated; wrote 16 private pages: %ld copied; "
	       "RssShmem %ld kB, VmRSS %ld kB\n", rss0, a1 - a0, c1 - c0, a2 - a1, c2 - c1, shm, status("VmRSS"));
	check(a1 - a0 >= (long)HALF && a1 - a0 <= (long)HALF + NOISE,
	      "reading allocates only the 8 shared pages nobody touched yet");
	check(c1 == c0 && a2 - a1 <= NOISE, "shared writes copy nothing");
	check(c2 - c1 == (long)PAGES && a3 - a2 >= (long)PAGES, "private writes copy one page each");
	check(shm == (long)(PAGES * PAGE / 1024), "RssShmem counts the 16 shared pages");
	check(status("VmRSS") >= (long)(2 * PAGES * PAGE / 1024), "VmRSS counts both regions");
	{
		static const unsigned char ret42[] = RET42_CODE;

		memcpy(code, ret42, sizeof(ret42));	/* the parent has not touched this page */
	}
	return failed;
}

/* child2: sees the parent's second writes on the parent's own pages. */
static int child2(void)
{
	long a0, a1;
	uint64_t e, cnt;

	wait_asleep(getppid());	/* the parent's own COW copies come before these counts */
	allocs();
	a0 = allocs();
	check(holds(sh, 0, PAGES, 2), "a second child sees the parent's writes made after the first exited");
	a1 = allocs();
	check(holds(pv, 0, PAGES, 0), "... and the parent's private pages as they were");
	e = u64_at("/proc/self/pagemap", (unsigned long)sh / PAGE);
	cnt = u64_at("/proc/kpagecount", (unsigned long)(e & PM_PFN));
	printf("sharedtest: child2: shared page 0 at PFN 0x%llx (the parent's 0x%llx), kpagecount %llu,%s%s "
	       "%ld pages allocated\n", (unsigned long long)(e & PM_PFN), (unsigned long long)parent_pfn,
	       (unsigned long long)cnt, e & PM_FILE ? " file/shared" : "", e & PM_EXCLUSIVE ? " exclusive" : "",
	       a1 - a0);
	check((e & PM_PRESENT) && (e & PM_PFN) == parent_pfn, "the same physical page as the parent's");
	check((e & PM_FILE) && !(e & PM_EXCLUSIVE), "pagemap: file/shared-anon bit set, not exclusive");
	check(cnt == 2, "kpagecount: mapped by both");
	check(a1 - a0 <= NOISE, "mapping the shared pages allocates none");
	return failed;
}

/*
 * big_child: what fork cost with 64 MiB of shared pages written (page tables
 * and a kernel stack: no PTE is copied there), then what mapping all of them
 * costs (their page tables only: the pages are the parent's).
 */
static int big_child(void)
{
	long a1, a2, pte;

	wait_asleep(getppid());
	a1 = allocs();
	pte = status("VmPTE");
	check(holds(big, 0, BIG_PAGES, 3), "the child sees the parent's 64 MiB");
	a2 = allocs();
	printf("sharedtest: fork of a process with 64 MiB shared written: %ld pages allocated, child's page tables "
	       "%ld kB; reading the 64 MiB: %ld pages allocated, RssShmem %ld kB\n", a1 - fork_allocs0, pte, a2 - a1,
	       status("RssShmem"));
	check(a1 - fork_allocs0 < 64, "fork allocates page tables and a kernel stack, no page of the shared region");
	check(a2 - a1 <= (long)(BIG_PAGES / PTRS_PER_TABLE) + NOISE, "mapping them allocates their page tables only");
	check(status("RssShmem") == (long)(BIG_PAGES * PAGE / 1024), "RssShmem counts the 64 MiB");
	return failed;
}

/*
 * racer: child n waits for the parent's go (page 0, word 0), then writes its
 * number into its own word of every page of the region, all racers in the
 * same order: they fault the same untouched pages at the same time, on
 * their own CPUs. A page made twice would lose one racer's writes.
 */
static char *race;
static unsigned long racer_no;

/* strtol_dec: the decimal number at p. */
static long strtol_dec(const char *p)
{
	long v = 0;

	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	return v;
}

/* this_cpu: the CPU /proc/self/stat says the process runs on (field 39, processor), or -1. */
static long this_cpu(void)
{
	char buf[512], *p = NULL;
	long fd = open("/proc/self/stat", O_RDONLY), n = fd < 0 ? -1 : read((int)fd, buf, sizeof(buf) - 1);
	int field = 2;

	if (fd >= 0)
		close((int)fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (n--; n >= 0 && !p; n--)	/* fields count from the last ')': comm may hold spaces */
		if (buf[n] == ')')
			p = buf + n + 1;
	for (; p && *p && field < 39; p++)
		field += *p == ' ';
	return p && field == 39 ? strtol_dec(p) : -1;
}

static int racer(void)
{
	volatile unsigned long *go = (volatile unsigned long *)race;
	unsigned long i;
	int ms;

	go[1 + racer_no] = (unsigned long)this_cpu() + 1;	/* where it runs, for the parent to print */
	for (ms = 0; !*go && ms < 2000; ms++)
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	for (i = 1; i < RACE_PAGES; i++)
		((volatile unsigned long *)(race + i * PAGE))[racer_no] = racer_no + 1;
	return *go ? 0 : 1;
}

/*
 * race_round: RACERS children fault the same RACE_PAGES - 1 fresh pages at
 * once; returns the writes the parent does not find (0 if every write landed
 * in the one page of its index), *cpus the racers' CPUs (one decimal digit
 * each), *ok cleared if one did not exit 0.
 */
static unsigned long race_round(long *cpus, int *ok)
{
	pid_t pids[RACERS];
	unsigned long i, n, lost = 0;
	int status;

	race = mmap(NULL, RACE_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (race == MAP_FAILED)
		return *ok = 0, 0;
	*(volatile unsigned long *)race = 0;	/* page 0 is the flag: made before the forks */
	for (n = 0; n < RACERS; n++) {
		racer_no = n;
		pids[n] = fork();
		if (pids[n] == 0)
			exit(racer());
	}
	*(volatile unsigned long *)race = 1;
	for (n = 0; n < RACERS; n++)
		*ok &= pids[n] > 0 && waitpid(pids[n], &status, 0) == pids[n] && WIFEXITED(status) && !WEXITSTATUS(status);
	for (i = 1; i < RACE_PAGES; i++)
		for (n = 0; n < RACERS; n++)
			lost += ((volatile unsigned long *)(race + i * PAGE))[n] != n + 1;
	for (*cpus = 0, n = 0; n < RACERS; n++)
		*cpus = *cpus * 10 + (long)((unsigned long *)race)[1 + n] - 1;
	munmap(race, RACE_PAGES * PAGE);
	return lost;
}

/* race_faults: RACE_ROUNDS rounds of race_round; no write may be lost. */
static void race_faults(void)
{
	unsigned long lost = 0, r;
	long cpus = 0;
	int ok = 1;

	for (r = 0; r < RACE_ROUNDS; r++)
		lost += race_round(&cpus, &ok);
	printf("sharedtest: %d children on CPUs %ld %ld %ld faulted the same %lu fresh pages at once, %d times: "
	       "%lu writes lost\n", RACERS, cpus / 100, cpus / 10 % 10, cpus % 10, RACE_PAGES - 1, RACE_ROUNDS, lost);
	check(ok, "the racing children exit 0");
	check(!lost, "every racer's writes are in the one page of each index");
}

/* maps_line: prints /proc/self/maps's line for the shared region and checks its type and name. */
static void maps_line(void)
{
	static char text[4096];
	char start[24];
	long fd = open("/proc/self/maps", O_RDONLY), n = fd < 0 ? -1 : read((int)fd, text, sizeof(text) - 1);
	char *line, *end;

	if (fd >= 0)
		close((int)fd);
	text[n > 0 ? n : 0] = '\0';
	snprintf(start, sizeof(start), "%08lx-", (unsigned long)sh);
	for (line = text; *line; line = *end ? end + 1 : end) {
		for (end = line; *end && *end != '\n'; end++)
			;
		if (!memcmp(line, start, strlen(start))) {
			*end = '\0';
			printf("sharedtest: maps: %s\n", line);
			check(end - line > 25 && !memcmp(line + strlen(start) + strlen(start) - 1, " rw-s ", 6) &&
			      !strcmp(end - 19, "/dev/zero (deleted)"), "maps shows rw-s and /dev/zero (deleted)");
			return;
		}
	}
	check(0, "maps has a line for the shared region");
}

/*
 * file_maps_refused: a mapping of a file is refused as Linux refuses a file
 * without an mmap method (-ENODEV: the console, fd 0), and a closed fd with
 * -EBADF; no type at all is -EINVAL.
 */
static void file_maps_refused(void)
{
	long r0 = syscall6(__NR_mmap, 0, (long)PAGE, PROT_READ, MAP_SHARED, 0, 0);
	long r1 = syscall6(__NR_mmap, 0, (long)PAGE, PROT_READ, MAP_SHARED, 13, 0);
	long r2 = syscall6(__NR_mmap, 0, (long)PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0);

	printf("sharedtest: mmap(MAP_SHARED, fd 0) = %ld, closed fd 13 = %ld, no MAP_SHARED/PRIVATE = %ld\n", r0, r1, r2);
	check(r0 == -19 && r1 == -9 && r2 == -EINVAL, "file mappings refused: -ENODEV, -EBADF; no type -EINVAL");
}

/* run: forks fn as a child and waits for it: 1 if it exited 0. */
static int run(int (*fn)(void))
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0)
		exit(fn());
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv, char **envp)
{
	long m0 = proc_kb("/proc/meminfo", "MemFree"), a0, a1, shm;

	(void)argc, (void)argv, (void)envp;
	sh = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pv = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	code = mmap(NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || pv == MAP_FAILED || code == MAP_FAILED)
		return printf("sharedtest: mmap failed\n"), 1;
	maps_line();
	file_maps_refused();
	fill(sh, 0, HALF, 0);
	fill(pv, 0, PAGES, 0);
	check(status("RssShmem") == (long)(HALF * PAGE / 1024), "RssShmem counts the parent's 8 shared pages");
	check(run(child), "first child exits 0");
	a0 = allocs();
	check(holds(sh, 0, PAGES, 1), "the parent sees the child's shared writes, the pages it made too");
	a1 = allocs();
	check(holds(pv, 0, PAGES, 0), "the parent does not see the child's private writes");
	shm = status("RssShmem");
	printf("sharedtest: parent: sees the child's 16 shared pages: %ld pages allocated, RssShmem %ld kB\n",
	       a1 - a0, shm);
	check(a1 - a0 <= NOISE, "the shared pages are allocated once");
	check(shm == (long)(PAGES * PAGE / 1024), "RssShmem: all 16 mapped");
	check(((int (*)(void))(void *)code)() == 42, "the parent runs the code its child wrote into a shared rwx page");
	fill(sh, 0, PAGES, 2);
	parent_pfn = u64_at("/proc/self/pagemap", (unsigned long)sh / PAGE) & PM_PFN;
	check(run(child2), "second child exits 0");
	check(munmap(sh, PAGES * PAGE) == 0 && munmap(pv, PAGES * PAGE) == 0 && munmap(code, PAGE) == 0, "munmap");
	check(status("RssShmem") == 0, "RssShmem 0 after munmap");
	race_faults();
	big = mmap(NULL, BIG_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	check(big != MAP_FAILED, "mmap of 64 MiB shared");
	if (big != MAP_FAILED) {
		fill(big, 0, BIG_PAGES, 3);
		fork_allocs0 = allocs();
		check(run(big_child), "the 64 MiB child exits 0");
		check(munmap(big, BIG_PAGES * PAGE) == 0, "munmap of the 64 MiB");
	}
	printf("sharedtest: MemFree %ld kB at start, %ld kB now\n", m0, proc_kb("/proc/meminfo", "MemFree"));
	printf("sharedtest: %s\n", failed ? "FAILED" : "ok");
	return failed;
}

/*
 * fuzz.c: every system call pagoda implements, called N rounds (default 200)
 * with random arguments from seed SEED (default 1): exec fuzz [SEED] [N].
 *
 * The arguments come from a mix that finds bugs: NULL, small integers,
 * kernel addresses (the linear map, the kernel image, the top of the address
 * space), user addresses with nothing mapped, a buffer that runs from a
 * mapped page into an unmapped one, valid buffers, huge and negative
 * lengths, random flags and random words. Every call must come back with a
 * result or a -errno (never an Oops: the prove script reads the console),
 * and a read or write through a kernel address must never succeed.
 *
 * What is not called, or is steered, because it would end the test rather
 * than test the kernel (each counted as "steered" in the summary):
 *   exit, exit_group          never called (they end the fuzzer)
 *   execve                    only paths that name no program
 *   kill with SIGKILL/SIGTERM only a child made for it (then reaped) or a
 *                             pid already reaped; never the fuzzer, its parent or pid 1
 *   clone/fork                the child exits at once and is reaped
 *   munmap, mprotect, MAP_FIXED, brk  never over the fuzzer's own text, data,
 *                             stack or buffers (redirected into a playground)
 *   mmap and brk              any length; a new mapping over the hole (below) or
 *                             UNMAPPED_USER_ADDR is unmapped again, a break past
 *                             UNMAPPED_USER_ADDR is put back, so the mix's unmapped
 *                             addresses stay unmapped (a huge timespec read from
 *                             one would sleep for ever, as on Linux)
 *   nanosleep                 sleeps at most 1 ms (a readable timespec is rewritten)
 *   write to fd 0, 1 and 2    only through bad pointers (no garbage on the console)
 *   read/pread/wait4          never into the fuzzer's own data or stack
 * At the end it prints one line per system call (calls, successes, errors
 * by errno), checks its own state (pid, a canary, its VMAs) and exits 0.
 */
#include <ulib.h>

#define PAGE		4096UL
#define PLAY_PAGES	64
#define MAX_VITAL	16
#define MAX_KEEP	16
#define MAX_ERRNO	134

enum kind { K_PLAIN, K_READ, K_WRITE, K_OPENAT, K_OPEN, K_MEM, K_MMAP, K_BRK, K_CLONE, K_EXECVE,
	    K_WAIT, K_KILL, K_SLEEP, K_UNKNOWN };

struct call {
	const char *name;
	long nr;
	enum kind kind;
	long calls, ok, steered, err[MAX_ERRNO];
};

#define CALL(n, k)	{ .name = #n, .nr = __NR_##n, .kind = k }
static struct call calls[] = {
	CALL(read, K_READ), CALL(write, K_WRITE), CALL(openat, K_OPENAT), CALL(close, K_PLAIN),
	CALL(lseek, K_PLAIN), CALL(pread64, K_READ), CALL(brk, K_BRK), CALL(mmap, K_MMAP), CALL(munmap, K_MEM),
	CALL(mprotect, K_MEM), CALL(clone, K_CLONE), CALL(execve, K_EXECVE), CALL(wait4, K_WAIT),
	CALL(kill, K_KILL), CALL(nanosleep, K_SLEEP), CALL(sched_yield, K_PLAIN), CALL(getpid, K_PLAIN),
	CALL(getppid, K_PLAIN),
#ifdef __NR_open
	CALL(open, K_OPEN), CALL(fork, K_CLONE),	/* i386's own */
#endif
	{ .name = "(unknown nr)", .nr = -1, .kind = K_UNKNOWN },
};
#define NCALLS	(sizeof(calls) / sizeof(calls[0]))

static const char *const errnames[MAX_ERRNO] = {
	[1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO", [9] = "EBADF",
	[10] = "ECHILD", [11] = "EAGAIN", [12] = "ENOMEM", [13] = "EACCES", [14] = "EFAULT", [17] = "EEXIST",
	[19] = "ENODEV", [22] = "EINVAL", [24] = "EMFILE", [29] = "ESPIPE", [36] = "ENAMETOOLONG", [38] = "ENOSYS",
};

static unsigned long long rng;
static int failed, verbose;
static unsigned long vital_lo[MAX_VITAL], vital_hi[MAX_VITAL];
static int nvital;
static unsigned long brk0;		/* the break at the start */
static char *scratch, *hole, *play;		/* a page; the unmapped page after it; the playground */
static unsigned long keep[MAX_KEEP];		/* mappings mmap made, unmapped later */
static unsigned long keep_len[MAX_KEEP];
static int nkeep;
static long stale_pid;				/* a child already reaped */
static long last_fd = 3;			/* the last fd an open returned */
static volatile unsigned long canary[64];

static unsigned long rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned long)(rng * 0x2545F4914F6CDD1DULL >> 1) ^ (unsigned long)rng;
}

static unsigned long pick(const unsigned long *v, unsigned long n)
{
	return v[rnd() % n];
}
#define PICK(arr)	pick(arr, sizeof(arr) / sizeof(arr[0]))

static void fail(const char *what, const char *name, long r)
{
	failed = 1;
	printf("fuzz: FAILED: %s: %s returned %ld\n", name, what, r);
}

/* overlaps: [a, a + len) meets [lo, hi) (a range past the top counts to the top). */
static int overlaps(unsigned long a, unsigned long len, unsigned long lo, unsigned long hi)
{
	unsigned long end = a + len < a ? ~0UL : a + len;

	return a < hi && end > lo;
}

/* hits_vital: [a, a + len) (len page-rounded) meets the fuzzer's own memory; with bufs, its buffers too. */
static int hits_vital(unsigned long a, unsigned long len, int bufs)
{
	int i;

	len = len > ~0UL - PAGE ? ~0UL : (len + PAGE - 1) & ~(PAGE - 1);
	for (i = 0; i < nvital; i++)
		if (overlaps(a & ~(PAGE - 1), len + (a & (PAGE - 1)), vital_lo[i], vital_hi[i]))
			return 1;
	return bufs && overlaps(a, len, (unsigned long)scratch, (unsigned long)hole + PAGE);
}

/* A pointer from the mix. */
static unsigned long any_ptr(void)
{
	static const unsigned long kernel[] = { KERNEL_ADDR, KERNEL_TEXT_ADDR, ~0UL, ~0UL - PAGE + 1, ~0UL - 7,
						USER_TOP, USER_TOP - 1, USER_TOP - PAGE, KERNEL_ADDR + 0x1000000 };
	static const unsigned long unmapped[] = { UNMAPPED_USER_ADDR, UNMAPPED_USER_ADDR + 0x123, 0x1000, 0xfff8 };

	switch (rnd() % 8) {
	case 0:	return 0;
	case 1:	return PICK(kernel);
	case 2:	return PICK(unmapped);
	case 3:	return (unsigned long)hole - 1 - rnd() % 16;	/* straddles into the unmapped page */
	case 4:	return (unsigned long)scratch + rnd() % PAGE;
	case 5:	return (unsigned long)play + rnd() % (PLAY_PAGES * PAGE);
	case 6:	return (unsigned long)&main;			/* text: readable, not writable */
	default: return rnd();
	}
}

/* A length or count from the mix: small, page-ish, huge, negative. */
static unsigned long any_len(void)
{
	static const unsigned long lens[] = { 0, 1, 8, 16, 4095, 4096, 4097, 8192, 65536, 1UL << 20, 4UL << 20,
					      ~0UL, ~0UL >> 1, 1UL << (sizeof(long) * 8 - 1), -4096UL, -2UL,
					      USER_TOP, USER_TOP + PAGE };

	return rnd() % 4 ? PICK(lens) : rnd();
}

/* Any argument at all: a pointer, a length, a small integer, random flags or a random word. */
static unsigned long any_arg(void)
{
	switch (rnd() % 5) {
	case 0:	return any_ptr();
	case 1:	return any_len();
	case 2:	return rnd() % 20 - 2;		/* -2 .. 17: fds, pids, signals, whence */
	case 3:	return rnd() & (rnd() | 0xffff);	/* flags */
	default: return rnd();
	}
}

/* A path argument: strings that name no program, a path running into the unmapped page, a bad pointer. */
static unsigned long any_path(void)
{
	static const char *const paths[] = { "/proc/self/maps", "/proc/self/status", "/proc/self/pagemap",
					     "/proc/kpageflags", "/proc/kpagecount", "/proc/1/maps", "/proc/2/pagemap",
					     "/proc/self/page_tables", "/nonexistent", "", "/", "hello/x" };

	switch (rnd() % 5) {
	case 0:
	case 1:	return (unsigned long)paths[rnd() % (sizeof(paths) / sizeof(paths[0]))];
	case 2:	/* "/proc/..." up to the last byte of the page, no NUL: -EFAULT */
		memcpy(hole - 6, "/proc/", 6);
		return (unsigned long)hole - 6;
	case 3:	/* 300 bytes without a NUL: -ENAMETOOLONG */
		memset(scratch, 'a', 300);
		scratch[300] = '\0';
		return (unsigned long)scratch;
	default: return any_ptr() & (rnd() % 2 ? ~0UL : 0);	/* a bad pointer or NULL */
	}
}

/* play_range: a random range inside the playground (what a steered munmap/mprotect/MAP_FIXED gets). */
static void play_range(unsigned long *a, unsigned long *len)
{
	unsigned long first = rnd() % PLAY_PAGES;

	*a = (unsigned long)play + first * PAGE + (rnd() % 8 ? 0 : 1 + rnd() % 64);
	*len = (1 + rnd() % (PLAY_PAGES - first)) * PAGE - (rnd() % 8 ? 0 : 1);
}

/* child_exit: the first thing a forked child does. */
static void child_exit(int code)
{
	syscall3(__NR_exit_group, code, 0, 0);
}

/* reap: waits for pid; its status, or -1. */
static int reap(long pid)
{
	int status = -1;

	if (wait4((pid_t)pid, &status, 0, NULL) != pid)
		return -1;
	stale_pid = pid;
	return status;
}

/* steer: rewrites the arguments of c that would end the test (the header's list). 1 if it did. */
static int steer(struct call *c, unsigned long a[6])
{
	struct timespec *ts;

	switch (c->kind) {
	case K_READ:
		if (hits_vital(a[1], a[2], 0))
			return a[1] = (unsigned long)scratch, 1;
		return 0;
	case K_WRITE:
		if (a[0] <= 2 && a[1] < USER_TOP && a[1] != 0)
			return a[1] = KERNEL_ADDR, 1;
		return 0;
	case K_MEM:
		if (hits_vital(a[0], a[1], 1))
			return play_range(&a[0], &a[1]), 1;
		return 0;
	case K_MMAP:
		if ((a[3] & MAP_FIXED) && hits_vital(a[0], a[1], 1))
			return play_range(&a[0], &a[1]), 1;
		return 0;
	case K_BRK:
		return 0;
	case K_CLONE:
		return 0;
	case K_WAIT:
		if (hits_vital(a[1], sizeof(int), 0) || hits_vital(a[3], 256, 0))
			return a[1] = (unsigned long)scratch, a[3] = 0, 1;
		return 0;
	case K_SLEEP:
		if (a[0] < USER_TOP && a[0] >= 0x10000 && !(a[0] > (unsigned long)hole - sizeof(*ts) && a[0] < (unsigned long)hole) &&
		    !(a[0] >= UNMAPPED_USER_ADDR && a[0] < UNMAPPED_USER_ADDR + PAGE)) {	/* readable: rewritten */
			ts = (struct timespec *)scratch;
			ts->tv_sec = rnd() % 4 ? 0 : -1;
			ts->tv_nsec = rnd() % 4 ? (long)(rnd() % 1000000) : (long)(rnd() % 2 ? -1L : 1000000000L);
			a[0] = (unsigned long)ts;
			if (hits_vital(a[1], sizeof(*ts), 0))
				a[1] = 0;
			return 1;
		}
		return hits_vital(a[1], sizeof(*ts), 0) ? (a[1] = 0, 1) : 0;
	default:
		return 0;
	}
}

/* args_for: the six arguments of one call of c. */
static void args_for(struct call *c, unsigned long a[6])
{
	int i;

	for (i = 0; i < 6; i++)
		a[i] = any_arg();
	switch (c->kind) {
	case K_READ:
	case K_WRITE:
		a[0] = rnd() % 2 ? (unsigned long)last_fd : rnd() % 3 ? rnd() % 16 : any_arg();
		a[1] = any_ptr();
		a[2] = any_len();
		break;
	case K_OPENAT:
		a[0] = rnd() % 2 ? (unsigned long)AT_FDCWD : any_arg();
		a[1] = any_path();
		a[2] = rnd() % 2 ? O_RDONLY : any_arg();
		break;
	case K_OPEN:
	case K_EXECVE:
		a[0] = any_path();
		break;
	case K_MEM:
	case K_MMAP:
		a[0] = any_ptr();
		a[1] = any_len();
		a[2] = rnd() % 4 ? rnd() % 8 : any_arg();
		if (c->kind == K_MMAP)
			a[3] = rnd() % 4 ? (MAP_PRIVATE | MAP_ANONYMOUS | (rnd() % 3 ? 0 : MAP_FIXED)) : any_arg();
		a[4] = rnd() % 2 ? -1UL : any_arg();
		a[5] = rnd() % 2 ? 0 : any_arg();
		break;
	case K_CLONE:
		a[0] = rnd() % 2 ? SIGCHLD : any_arg();
		a[1] = rnd() % 4 ? 0 : any_arg();
		break;
	case K_WAIT:
		a[0] = rnd() % 2 ? -1UL : any_arg();
		a[1] = any_ptr();
		a[2] = rnd() % 2 ? WNOHANG : any_arg();
		a[3] = rnd() % 2 ? 0 : any_ptr();
		break;
	case K_SLEEP:
		a[0] = any_ptr();
		a[1] = rnd() % 2 ? 0 : any_ptr();
		break;
	case K_KILL:
		a[1] = rnd() % 2 ? pick((const unsigned long[]){ 0, SIGKILL, SIGTERM, 1, 64 }, 5) : any_arg();
		break;
	case K_PLAIN:	/* close, lseek: often an open fd */
		if (rnd() % 2)
			a[0] = (unsigned long)last_fd;
		break;
	default:
		break;
	}
}

/* implemented: nr is a call of the table, or exit/exit_group. */
static int implemented(long nr)
{
	unsigned int i;

	if (nr == __NR_exit || nr == __NR_exit_group)
		return 1;
	for (i = 0; i < NCALLS; i++)
		if (calls[i].kind != K_UNKNOWN && calls[i].nr == nr)
			return 1;
	return 0;
}

/* fatal_kill: kill with SIGKILL/SIGTERM, aimed only at a child made for it or at a reaped pid. */
static long fatal_kill(unsigned long sig)
{
	long pid, r;
	int status;

	if (rnd() % 2 || !stale_pid) {
		pid = fork();
		if (pid == 0) {
			struct timespec ts = { 1, 0 };

			for (;;)
				nanosleep(&ts, NULL);
		}
		if (pid < 0)
			return pid;
		r = syscall3(__NR_kill, pid, (long)sig, 0);
		status = reap(pid);
		if (r != 0 || !WIFSIGNALED(status) || WTERMSIG(status) != (int)sig)
			fail("the child killed was not killed by that signal", "kill", r);
		return r;
	}
	r = syscall3(__NR_kill, stale_pid, (long)sig, 0);
	if (r != -ESRCH)
		fail("a reaped pid is not -ESRCH", "kill", r);
	return r;
}

/* after: what a successful call leaves that the fuzzer must undo (children, mappings). */
static void after(struct call *c, const unsigned long a[6], long r)
{
	if (c->kind == K_CLONE && r > 0 && reap(r) != 0)
		fail("the child did not exit 0", c->name, r);
	if (c->kind == K_MMAP && r != 0 && (unsigned long)r < USER_TOP) {	/* an address, not -errno (i386: above 2 GiB is < 0) */
		unsigned long len = (a[1] + PAGE - 1) & ~(PAGE - 1);

		if (hits_vital((unsigned long)r, len, 0) || (overlaps((unsigned long)r, len, (unsigned long)scratch,
								       (unsigned long)hole) && !(a[3] & MAP_FIXED)))
			fail("a new mapping over the fuzzer's own memory", c->name, r);
		else if (rnd() % 2 || nkeep == MAX_KEEP || overlaps((unsigned long)r, len, (unsigned long)hole,
									(unsigned long)hole + PAGE) ||
			 overlaps((unsigned long)r, len, UNMAPPED_USER_ADDR, UNMAPPED_USER_ADDR + PAGE))
			munmap((void *)r, len);		/* the hole and the unmapped address stay unmapped */
		else
			keep[nkeep] = (unsigned long)r, keep_len[nkeep++] = len;
	}
	if (c->kind == K_BRK && (unsigned long)r > UNMAPPED_USER_ADDR)
		brk((void *)brk0);		/* a heap over the unmapped address: back to the start */
	if ((c->kind == K_OPENAT || c->kind == K_OPEN) && r >= 0)
		last_fd = r;
	if ((c->kind == K_READ || c->kind == K_WRITE) && r > 0 && a[1] >= USER_TOP)
		fail("a copy through a kernel address succeeded", c->name, r);
}

/* one: a call of c with random arguments, counted. */
static void one(struct call *c)
{
	unsigned long a[6];
	long r;

	args_for(c, a);
	if (c->kind == K_UNKNOWN)
		do
			c->nr = rnd() % 2 ? (long)(rnd() % 600) : (long)rnd();
		while (implemented(c->nr));
	c->steered += steer(c, a);
	c->calls++;
	if (verbose)
		printf("fuzz: %s(%lx, %lx, %lx, %lx, %lx, %lx)\n", c->name, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (c->kind == K_KILL && ((int)a[1] == SIGKILL || (int)a[1] == SIGTERM))	/* the kernel takes an int */
		r = fatal_kill((unsigned long)(int)a[1]);
	else
		r = syscall6(c->nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
	if (r == 0 && c->kind == K_CLONE)
		child_exit(0);
	if (c->kind == K_UNKNOWN && r != -ENOSYS)
		fail("an unknown number is not -ENOSYS", c->name, r);
	if (r >= 0 || r < -4095)
		c->ok++;
	else if (-r < MAX_ERRNO)
		c->err[-r]++;
	after(c, a, r);
	if (verbose && syscall3(__NR_mprotect, (long)hole, PAGE, PROT_READ | PROT_WRITE) == 0)
		printf("fuzz: the hole is mapped after %s -> %lx\n", c->name, r);
}

/* read_vital: the fuzzer's own VMAs (text, data, stack, ...) from /proc/self/maps. */
static void read_vital(void)
{
	static char buf[4096];
	long fd = open("/proc/self/maps", O_RDONLY), n;
	char *l;

	if (fd < 0)
		return;
	n = read((int)fd, buf, sizeof(buf) - 1);
	close((int)fd);
	buf[n > 0 ? n : 0] = '\0';
	for (l = buf; *l && nvital < MAX_VITAL;) {
		unsigned long lo = 0, hi = 0;

		for (; *l != '-'; l++)
			lo = lo * 16 + (unsigned long)(*l <= '9' ? *l - '0' : *l - 'a' + 10);
		for (l++; *l != ' '; l++)
			hi = hi * 16 + (unsigned long)(*l <= '9' ? *l - '0' : *l - 'a' + 10);
		vital_lo[nvital] = lo;
		vital_hi[nvital++] = hi;
		while (*l && *l++ != '\n')
			;
	}
}

static void summary(void)
{
	unsigned int i;
	int e;

	for (i = 0; i < NCALLS; i++) {
		char line[512];
		int at = snprintf(line, sizeof(line), "fuzz: %-13s calls %5ld ok %5ld steered %4ld", calls[i].name,
				  calls[i].calls, calls[i].ok, calls[i].steered);

		for (e = 1; e < MAX_ERRNO; e++)
			if (calls[i].err[e] && at < (int)sizeof(line) - 32)
				at += errnames[e] ? snprintf(line + at, sizeof(line) - (size_t)at, " %s %ld", errnames[e], calls[i].err[e])
						  : snprintf(line + at, sizeof(line) - (size_t)at, " E%d %ld", e, calls[i].err[e]);
		printf("%s\n", line);
	}
	printf("fuzz: not called: exit, exit_group (they would end the test)\n");
}

/* check_self: the fuzzer's own state after the storm. */
static void check_self(long pid)
{
	unsigned int i;
	long fd;

	if (getpid() != pid)
		fail("getpid changed", "getpid", getpid());
	for (i = 0; i < sizeof(canary) / sizeof(canary[0]); i++)
		if (canary[i] != i * 0x9e3779b9UL)
			fail("the canary changed", "(some call)", (long)i);
	fd = open("/proc/self/maps", O_RDONLY);
	if (fd < 0)
		fail("cannot open /proc/self/maps", "openat", fd);
	else
		close((int)fd);
}

int main(int argc, char **argv, char **envp)
{
	unsigned long seed = 1, rounds = 200, r, total = 0;
	long pid = getpid();
	unsigned int i;
	int fd;

	(void)envp;
	if (argc > 1)
		for (seed = 0, i = 0; argv[1][i] >= '0' && argv[1][i] <= '9'; i++)
			seed = seed * 10 + (unsigned long)(argv[1][i] - '0');
	if (argc > 2)
		for (rounds = 0, i = 0; argv[2][i] >= '0' && argv[2][i] <= '9'; i++)
			rounds = rounds * 10 + (unsigned long)(argv[2][i] - '0');
	verbose = argc > 3 && !strcmp(argv[3], "-v");
	rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	for (i = 0; i < sizeof(canary) / sizeof(canary[0]); i++)
		canary[i] = i * 0x9e3779b9UL;
	scratch = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	play = mmap(NULL, PLAY_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED || play == MAP_FAILED)
		return printf("fuzz: mmap failed\n"), 1;
	hole = scratch + PAGE;
	brk0 = (unsigned long)brk(0);
	munmap(hole, PAGE);
	read_vital();		/* the scratch page and the playground are in it: take them out */
	for (i = 0; i < (unsigned int)nvital; i++)
		if (vital_lo[i] == (unsigned long)scratch || vital_lo[i] == (unsigned long)play)
			vital_lo[i] = vital_hi[i] = 0;
	printf("fuzz: seed %lu, %lu rounds of %u calls\n", seed, rounds, (unsigned int)NCALLS);
	for (r = 0; r < rounds; r++)
		for (i = 0; i < NCALLS; i++, total++)
			one(&calls[i]);
	for (fd = 3; fd < 16; fd++)
		close(fd);
	while (nkeep)
		nkeep--, munmap((void *)keep[nkeep], keep_len[nkeep]);
	check_self(pid);
	summary();
	printf("fuzz: %lu calls: %s\n", total, failed ? "FAILED" : "ok");
	return failed ? 1 : 0;
}

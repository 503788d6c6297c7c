/*
 * usertests.c: the process and memory cases, in the spirit of xv6's
 * usertests: each prints "usertests: NAME ok" or what went wrong, and the
 * program exits 0 only if every case passed. Cases: fork/exec/wait, exit
 * statuses, wait4's errors and WNOHANG, getppid, demand-zero, copy-on-write,
 * shared anonymous memory across fork, bad pointers (-EFAULT), kill of a running and of a sleeping child,
 * nanosleep, clone's refused flags, an orphan going to the shell, and the
 * fork bomb stopped by the process limit (-EAGAIN) with every child reaped after.
 */
#include <ulib.h>

#define PAGE	4096UL

static int fails;

/* expect: one check of a case; the first failure of a case says which. */
static int expect(int ok, const char *name, const char *what)
{
	if (!ok)
		printf("usertests: %s: FAILED: %s\n", name, what);
	return ok ? 0 : 1;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* exitwait: children's exit codes come back through wait4, in Linux's encoding. */
static int t_exitwait(void)
{
	int i, bad = 0, status;

	for (i = 0; i < 8; i++) {
		pid_t pid = fork();

		if (pid == 0)
			exit(i * 30);
		status = -1;
		bad |= expect(pid > 0 && wait4(pid, &status, 0, NULL) == pid, "exitwait", "fork and wait4");
		bad |= expect(WIFEXITED(status) && WEXITSTATUS(status) == (i * 30) % 256, "exitwait", "status");
	}
	return bad;
}

/* forkexec: a child execs hello (from the archive) and exits 0 through it. */
static int t_forkexec(void)
{
	char *argv[] = { "hello", "from-usertests", NULL };
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		execve("/hello", argv, NULL);
		exit(99);		/* execve returned: it failed */
	}
	return expect(pid > 0 && wait4(pid, &status, 0, NULL) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0, "forkexec", "child runs hello, status 0") |
	       expect(execve("/nosuch", argv, NULL) == -2, "forkexec", "execve of a missing program is -ENOENT") |
	       expect(execve((char *)8, argv, NULL) == -EFAULT, "forkexec", "execve of a bad path is -EFAULT");
}

/* waiterrors: ECHILD without children, WNOHANG's 0, pid forms refused, getppid. */
static int t_waiterrors(void)
{
	int bad = 0, status;
	pid_t me = getpid(), pid;

	bad |= expect(wait4(-1, NULL, 0, NULL) == -ECHILD, "waiterrors", "no child: ECHILD");
	bad |= expect(wait4(12345, NULL, 0, NULL) == -ECHILD, "waiterrors", "not a child: ECHILD");
	bad |= expect(wait4(-1, NULL, 0x100, NULL) == -EINVAL, "waiterrors", "unknown option: EINVAL");
	pid = fork();
	if (pid == 0) {
		sleep_ms(30);
		exit(getppid() == me ? 0 : 1);
	}
	bad |= expect(wait4(pid, &status, WNOHANG, NULL) == 0, "waiterrors", "WNOHANG while it runs: 0");
	bad |= expect(wait4(pid, &status, 0, NULL) == pid && WEXITSTATUS(status) == 0, "waiterrors",
		      "the child's getppid is its parent");
	pid = fork();
	if (pid == 0)
		exit(0);
	bad |= expect(wait4(pid, (int *)16, 0, NULL) == -EFAULT, "waiterrors", "bad status pointer: EFAULT");
	bad |= expect(wait4(pid, NULL, WNOHANG, NULL) == -ECHILD, "waiterrors", "... and the child was reaped");
	return bad;
}

/* demandzero: 256 fresh pages read zero and keep what is written. */
static int t_demandzero(void)
{
	unsigned long *p = mmap(NULL, 256 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long i;
	int bad = 0;

	if (p == MAP_FAILED)
		return expect(0, "demandzero", "mmap");
	for (i = 0; i < 256 * PAGE / sizeof(*p); i += 512)
		bad |= p[i] != 0;
	for (i = 0; i < 256 * PAGE / sizeof(*p); i += 512)
		p[i] = i + 1;
	for (i = 0; i < 256 * PAGE / sizeof(*p); i += 512)
		bad |= p[i] != i + 1;
	munmap(p, 256 * PAGE);
	return expect(!bad, "demandzero", "zero first, then what was written");
}

/* cow: parent and child write the same pages; neither sees the other's. */
static int t_cow(void)
{
	unsigned long *p = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long i;
	int status = -1, bad = 0;
	pid_t pid;

	if (p == MAP_FAILED)
		return expect(0, "cow", "mmap");
	for (i = 0; i < 64; i++)
		p[i * 512] = 1000 + i;
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < 64; i++)
			bad |= p[i * 512] != 1000 + i;
		for (i = 0; i < 64; i++)
			p[i * 512] = 2000 + i;
		sleep_ms(20);		/* the parent writes meanwhile */
		for (i = 0; i < 64; i++)
			bad |= p[i * 512] != 2000 + i;
		exit(bad);
	}
	for (i = 0; i < 64; i += 2)
		p[i * 512] = 3000 + i;
	bad |= expect(pid > 0 && wait4(pid, &status, 0, NULL) == pid && WEXITSTATUS(status) == 0, "cow",
		      "the child sees the fork-time values, then only its own");
	for (i = 0; i < 64; i++)
		bad |= expect(p[i * 512] == (i % 2 ? 1000 + i : 3000 + i), "cow", "the parent sees only its own");
	munmap(p, 64 * PAGE);
	return bad;
}

/* shared: a MAP_SHARED | MAP_ANONYMOUS page written by a child is the parent's too, both ways. */
static int t_shared(void)
{
	volatile unsigned long *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status = -1, bad = 0;
	pid_t pid;

	if (p == MAP_FAILED)
		return expect(0, "shared", "mmap");
	p[0] = 1;
	pid = fork();
	if (pid == 0) {
		int ms;

		for (ms = 0; p[512] != 2 && ms < 2000; ms++)	/* a page the parent writes after the fork */
			sleep_ms(1);
		if (p[512] != 2)
			exit(1);
		p[0] = 3;
		p[1024] = 4;			/* a page only the child touches */
		exit(0);
	}
	p[512] = 2;
	bad |= expect(pid > 0 && wait4(pid, &status, 0, NULL) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0, "shared", "the child sees the parent's write and exits 0");
	bad |= expect(p[0] == 3 && p[1024] == 4, "shared", "the parent sees the child's writes");
	munmap((void *)p, 4 * PAGE);
	return bad;
}

/* efault: bad pointers into syscalls give -EFAULT, not a crash. */
static int t_efault(void)
{
	struct timespec *bad_ts = (struct timespec *)0x10;

	return expect(write(1, (void *)0x1000, 8) == -EFAULT, "efault", "write from NULL+4096") |
	       expect(write(1, (void *)0xffff000000000000UL, 8) == -EFAULT, "efault", "write from a kernel address") |
	       expect(nanosleep(bad_ts, NULL) == -EFAULT, "efault", "nanosleep of a bad timespec") |
	       expect(wait4(-1, (int *)0xffff000000001000UL, WNOHANG, NULL) == -ECHILD, "efault",
		      "wait4 with no child checks that first");
}

/* kill: a spinning child and a sleeping one die by SIGKILL / SIGTERM; bad pids are ESRCH. */
static int t_kill(void)
{
	int status = -1, bad = 0;
	pid_t spinner = fork(), sleeper;
	struct timespec long_sleep = { 100, 0 };

	if (spinner == 0)
		for (;;)
			;
	sleeper = fork();
	if (sleeper == 0) {
		nanosleep(&long_sleep, NULL);
		exit(7);
	}
	sleep_ms(20);
	bad |= expect(kill(spinner, SIGKILL) == 0 && kill(sleeper, SIGTERM) == 0, "kill", "kill returns 0");
	bad |= expect(wait4(spinner, &status, 0, NULL) == spinner && WIFSIGNALED(status) &&
		      WTERMSIG(status) == SIGKILL, "kill", "the spinner ends by SIGKILL");
	bad |= expect(wait4(sleeper, &status, 0, NULL) == sleeper && WIFSIGNALED(status) &&
		      WTERMSIG(status) == SIGTERM, "kill", "the sleeper ends by SIGTERM");
	bad |= expect(kill(spinner, SIGKILL) == -ESRCH, "kill", "a reaped pid is ESRCH");
	bad |= expect(kill(getpid(), 5) == -EINVAL, "kill", "an unsupported signal is EINVAL");
	return bad;
}

/* sleep: nanosleep returns 0, rejects a bad tv_nsec; sched_yield returns 0. */
static int t_sleep(void)
{
	struct timespec bad_ts = { 0, 1000000000L };
	int status = -1, bad;
	pid_t pid;

	bad = expect(nanosleep(&(struct timespec){ 0, 20000000L }, NULL) == 0, "sleep", "20 ms sleep") |
	      expect(nanosleep(&bad_ts, NULL) == -EINVAL, "sleep", "tv_nsec of 1e9 is EINVAL") |
	      expect(sched_yield() == 0, "sleep", "sched_yield");
	/* the longest sleep there is: for ever, as Linux's clamp to KTIME_MAX, never a wrapped short one */
	pid = fork();
	if (pid == 0) {
		nanosleep(&(struct timespec){ (long)(~0UL >> 1), 999999999L }, NULL);
		exit(1);
	}
	sleep_ms(50);
	bad |= expect(wait4(pid, &status, WNOHANG, NULL) == 0, "sleep", "a sleep of LONG_MAX seconds still sleeps after 50 ms");
	kill(pid, SIGKILL);
	bad |= expect(wait4(pid, &status, 0, NULL) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		      "sleep", "... until SIGKILL ends it");
	return bad;
}

/* clone: only the fork form is taken. */
static int t_clone(void)
{
	return expect(syscall6(__NR_clone, 0x100 | SIGCHLD, 0, 0, 0, 0, 0) == -EINVAL, "clone", "CLONE_VM is EINVAL") |
	       expect(syscall6(__NR_clone, SIGCHLD, 0x1000, 0, 0, 0, 0) == -EINVAL, "clone", "a new stack is EINVAL");
}

/*
 * orphan: a child forks a grandchild and exits at once; the grandchild,
 * orphaned, has the shell (pid 0) as its parent and is reaped by it (no
 * process is left behind: the prove script's ps says so).
 */
static int t_orphan(void)
{
	int status = -1, bad;
	pid_t pid = fork();

	if (pid == 0) {
		if (fork() == 0) {
			sleep_ms(30);
			if (getppid() == 0)
				printf("usertests: orphan: reparented to the shell (ppid 0)\n");
			exit(0);
		}
		exit(0);
	}
	bad = expect(pid > 0 && wait4(pid, &status, 0, NULL) == pid && WEXITSTATUS(status) == 0, "orphan",
		     "the middle child exits 0") |
	      expect(wait4(-1, NULL, WNOHANG, NULL) == -ECHILD, "orphan", "the grandchild is not ours to wait for");
	sleep_ms(100);		/* the grandchild ends and the shell reaps it before the fork bomb counts */
	return bad;
}

/* forkbomb: forks until the process limit says EAGAIN; every child is killed and reaped. */
static int t_forkbomb(void)
{
	pid_t pids[128];
	int n = 0, i, bad = 0, status;
	long r = 0;
	struct timespec long_sleep = { 100, 0 };

	while (n < 128) {
		r = fork();
		if (r == 0) {
			nanosleep(&long_sleep, NULL);
			exit(0);
		}
		if (r < 0)
			break;
		pids[n++] = (pid_t)r;
	}
	printf("usertests: forkbomb: %d children, then fork said %ld\n", n, r);
	bad |= expect(r == -EAGAIN, "forkbomb", "fork beyond the limit is EAGAIN");
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		bad |= expect(wait4(pids[i], &status, 0, NULL) == pids[i] && WTERMSIG(status) == SIGKILL,
			      "forkbomb", "each child reaped, killed");
	r = fork();
	if (r == 0)
		exit(0);
	bad |= expect(r > 0 && wait4((pid_t)r, NULL, 0, NULL) == r, "forkbomb", "fork works again after");
	return bad;
}

static const struct {
	const char *name;
	int (*fn)(void);
} cases[] = {
	{ "exitwait", t_exitwait }, { "forkexec", t_forkexec }, { "waiterrors", t_waiterrors },
	{ "demandzero", t_demandzero }, { "cow", t_cow }, { "shared", t_shared }, { "efault", t_efault },
	{ "kill", t_kill },
	{ "sleep", t_sleep }, { "clone", t_clone }, { "orphan", t_orphan }, { "forkbomb", t_forkbomb },
};

int main(int argc, char **argv, char **envp)
{
	unsigned int i;

	(void)envp;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (argc > 1 && strcmp(argv[1], cases[i].name))
			continue;
		if (cases[i].fn()) {
			fails++;
		} else {
			printf("usertests: %s ok\n", cases[i].name);
		}
	}
	printf("usertests: %s\n", fails ? "SOME TESTS FAILED" : "ALL TESTS PASSED");
	return fails ? 1 : 0;
}

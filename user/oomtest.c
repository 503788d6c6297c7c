/*
 * oomtest.c: the OOM killer picks the largest process, not the one that
 * faulted. A child writes HOG MiB and sleeps; once MemFree shows it, the
 * parent writes GRAB MiB, more than is left: the kernel kills the child (the
 * largest), its memory comes back, and the parent's faults go on. Exits 0
 * when the child died of SIGKILL and the parent wrote all it asked for.
 * Usage: oomtest [HOG GRAB] (MiB; default 640 400, for 960 MiB of RAM).
 */
#include <ulib.h>

static unsigned long num(const char *s, unsigned long dflt)
{
	unsigned long n = 0;

	if (!s)
		return dflt;
	while (*s >= '0' && *s <= '9')
		n = n * 10 + (unsigned long)(*s++ - '0');
	return n;
}

/* touch: maps mib MiB and writes a byte per page; the mapping, or NULL. */
static volatile char *touch(unsigned long mib)
{
	unsigned long i, n = mib * 256;
	volatile char *p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	for (i = 0; i < n; i++)
		p[i * 4096] = 1;
	return p;
}

int main(int argc, char **argv, char **envp)
{
	unsigned long hog = num(argc > 2 ? argv[1] : NULL, 640), grab = num(argc > 2 ? argv[2] : NULL, 400);
	struct timespec tick = { 0, 20000000 };
	long free0 = proc_kb("/proc/meminfo", "MemFree"), waited = 0;
	int status = 0;
	pid_t child;

	(void)envp;
	child = fork();
	if (child < 0)
		return printf("oomtest: fork: %d\n", (int)child), 1;
	if (child == 0) {
		struct timespec forever = { 3600, 0 };

		if (!touch(hog))
			return printf("oomtest: child: mmap of %lu MiB failed\n", hog), 1;
		for (;;)
			nanosleep(&forever, NULL);
	}
	/* wait (at most 60 s) until the child's pages show in MemFree */
	while (proc_kb("/proc/meminfo", "MemFree") > free0 - (long)hog * 1024 + 8192 && waited < 3000) {
		nanosleep(&tick, NULL);
		waited++;
	}
	printf("oomtest: child %d holds %lu MiB; parent writes %lu MiB\n", (int)child, hog, grab);
	if (!touch(grab))
		return printf("oomtest: parent: mmap of %lu MiB failed\n", grab), 1;
	if (waitpid(child, &status, 0) != child)
		return printf("oomtest: waitpid failed\n"), 1;
	printf("oomtest: parent wrote %lu MiB; child %s %d\n", grab,
	       WIFSIGNALED(status) ? "killed by signal" : "exited with", WIFSIGNALED(status) ? WTERMSIG(status) : status >> 8);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : 1;
}

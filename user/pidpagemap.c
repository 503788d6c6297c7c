/*
 * pidpagemap.c: /proc/PID/pagemap of another process. The parent writes a
 * page, forks; the child writes the same page (its copy-on-write copy),
 * prints its PFN from its own /proc/self/pagemap, then touches a second page;
 * the parent reads /proc/CHILD/pagemap until that second page is present,
 * then prints the first one's entry and checks it is exclusive and not its
 * own PFN. After the child is killed and
 * reaped, the open file reads as empty and a new open is ENOENT. Exits 0 when
 * all hold (the prove script also compares the two PFNs printed).
 */
#include <ulib.h>

#define PAGE		4096UL
#define PM_PRESENT	(1ULL << 63)
#define PM_EXCLUSIVE	(1ULL << 56)
#define PM_PFN		((1ULL << 55) - 1)

static uint64_t entry_at(long fd, unsigned long va)
{
	uint64_t e = 0;

	return pread((int)fd, &e, 8, (off_t)(va / PAGE * 8)) == 8 ? e : 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int main(int argc, char **argv, char **envp)
{
	static volatile unsigned long page[PAGE / sizeof(long)] __attribute__((aligned(4096)));
	static volatile unsigned long done[PAGE / sizeof(long)] __attribute__((aligned(4096)));
	unsigned long va = (unsigned long)page;
	uint64_t mine, child = 0;
	char path[48];
	long fd, self, pid, i, r;
	int bad = 0, status;
	uint64_t gone;

	(void)argc, (void)argv, (void)envp;
	page[0] = 1;
	pid = fork();
	if (pid == 0) {
		page[0] = 2;			/* the child's own copy */
		fd = open("/proc/self/pagemap", O_RDONLY);
		mine = entry_at(fd, va);
		printf("pidpagemap: child %d: VA 0x%lx PFN 0x%llx\n", getpid(), va, (unsigned long long)(mine & PM_PFN));
		done[0] = 1;		/* a page the parent never touched: present once the line is out */
		for (;;)
			sleep_ms(1000);	/* until the parent kills it */
	}
	if (pid < 0)
		return printf("pidpagemap: fork failed\n"), 1;
	snprintf(path, sizeof(path), "/proc/%ld/pagemap", pid);
	fd = open(path, O_RDONLY);
	self = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0 || self < 0)
		return printf("pidpagemap: FAILED: open %s: %ld\n", path, fd), 1;
	mine = entry_at(self, va);
	for (i = 0; i < 500 && !(entry_at(fd, (unsigned long)done) & PM_PRESENT); i++)
		sleep_ms(10);		/* until the child has printed (5 s at most) */
	child = entry_at(fd, va);
	printf("pidpagemap: parent reads %s: VA 0x%lx PFN 0x%llx%s; its own PFN 0x%llx\n", path, va,
	       (unsigned long long)(child & PM_PFN), child & PM_EXCLUSIVE ? " exclusive" : "",
	       (unsigned long long)(mine & PM_PFN));
	bad |= !(child & PM_PRESENT) || !(child & PM_EXCLUSIVE) || (child & PM_PFN) == (mine & PM_PFN);
	kill((pid_t)pid, SIGKILL);
	if (waitpid((pid_t)pid, &status, 0) != pid)
		bad = 1;
	r = pread((int)fd, &gone, 8, (off_t)(va / PAGE * 8));
	bad |= r != 0;
	printf("pidpagemap: after the child is gone: read %ld, open %ld\n", r, open(path, O_RDONLY));
	bad |= open(path, O_RDONLY) != -2;	/* ENOENT */
	printf("pidpagemap: %s\n", bad ? "FAILED" : "ok");
	return bad;
}

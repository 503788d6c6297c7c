/* syscall.c: the system calls pagoda implements, with Linux's numbers (user/arch/ARCH/asm/unistd.h), over the arch's syscall6. */
#include <ulib.h>

long open(const char *path, int flags) { return syscall3(__NR_openat, AT_FDCWD, (long)path, flags); }
ssize_t read(int fd, void *buf, size_t n) { return syscall3(__NR_read, fd, (long)buf, (long)n); }
int close(int fd) { return (int)syscall3(__NR_close, fd, 0, 0); }
ssize_t write(int fd, const void *buf, size_t n) { return syscall3(__NR_write, fd, (long)buf, (long)n); }
pid_t getpid(void) { return (pid_t)syscall3(__NR_getpid, 0, 0, 0); }
long brk(void *addr) { return syscall3(__NR_brk, (long)addr, 0, 0); }
int munmap(void *addr, size_t len) { return (int)syscall3(__NR_munmap, (long)addr, (long)len, 0); }
int mprotect(void *addr, size_t len, int prot) { return (int)syscall3(__NR_mprotect, (long)addr, (long)len, prot); }
off_t lseek(int fd, off_t off, int whence) { return syscall3(__NR_lseek, fd, off, whence); }
ssize_t pread(int fd, void *buf, size_t n, off_t pos) { return syscall6(__NR_pread64, fd, (long)buf, (long)n, pos, (long)((long long)pos >> 32), 0); }

void exit(int status)
{
	for (;;)
		syscall3(__NR_exit_group, status, 0, 0);
}

/* mmap: the address, or MAP_FAILED (the kernel's -errno is lost, as libc's errno would hold it). i386's mmap2 takes pages. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long r = syscall6(__NR_mmap, (long)addr, (long)len, prot, flags, fd, off >> MMAP_OFF_SHIFT);

	return (unsigned long)r >= (unsigned long)-4095 ? MAP_FAILED : (void *)r;
}

pid_t fork(void) { return (pid_t)syscall6(__NR_clone, SIGCHLD, 0, 0, 0, 0, 0); }
pid_t wait4(pid_t pid, int *status, int options, void *rusage)
{
	return (pid_t)syscall6(__NR_wait4, pid, (long)status, options, (long)rusage, 0, 0);
}
pid_t waitpid(pid_t pid, int *status, int options) { return wait4(pid, status, options, NULL); }
int execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)syscall3(__NR_execve, (long)path, (long)argv, (long)envp);
}
int sched_yield(void) { return (int)syscall3(__NR_sched_yield, 0, 0, 0); }
int kill(pid_t pid, int sig) { return (int)syscall3(__NR_kill, pid, sig, 0); }
int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return (int)syscall3(__NR_nanosleep, (long)req, (long)rem, 0);
}
pid_t getppid(void) { return (pid_t)syscall3(__NR_getppid, 0, 0, 0); }

long proc_kb(const char *path, const char *key)
{
	char buf[4096];
	long fd = open(path, O_RDONLY), n, v = -1;
	size_t klen = strlen(key);
	char *line;

	if (fd < 0)
		return -1;
	n = read((int)fd, buf, sizeof(buf) - 1);
	close((int)fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (line = buf; *line; ) {
		if (!memcmp(line, key, klen) && (line[klen] == ':' || line[klen] == ' ' || line[klen] == '\t')) {
			char *q = line + klen + 1;

			while (*q == ' ' || *q == '\t')
				q++;
			for (v = 0; *q >= '0' && *q <= '9'; q++)
				v = v * 10 + (*q - '0');
			return v;
		}
		while (*line && *line != '\n')
			line++;
		if (*line)
			line++;
	}
	return v;
}

void wait_asleep(pid_t pid)
{
	struct timespec ms = { 0, 1000000 };
	char path[32], buf[256];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	for (i = 0; i < 2000; i++) {
		long fd = open(path, O_RDONLY), n = fd < 0 ? -1 : read((int)fd, buf, sizeof(buf) - 1);

		if (fd >= 0)
			close((int)fd);
		for (; n >= 8; n--)	/* "State:\tS" anywhere in what was read */
			if (!memcmp(buf + n - 8, "State:\tS", 8))
				return;
		nanosleep(&ms, NULL);
	}
}

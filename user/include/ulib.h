/* ulib.h: pagoda's tiny user libc — Linux syscalls, strings and a small printf (static, no glibc). */
#ifndef PAGODA_ULIB_H
#define PAGODA_ULIB_H

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>

typedef long ssize_t;
typedef int pid_t;
typedef long off_t;

/* Linux's numbers for what pagoda implements, and two addresses the tests use: per arch (user/arch/ARCH/asm/). */
#include <asm/unistd.h>

#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_FAILED	((void *)-1)

#define EFAULT		14
#define ENOMEM		12
#define EINVAL		22
#define ENOSYS		38
#define ESRCH		3
#define EINTR		4
#define ECHILD		10
#define EAGAIN		11

/* Signals and wait4's status (Linux's encoding: <sys/wait.h>). */
#define SIGKILL		9
#define SIGTERM		15
#define SIGCHLD		17
#define WNOHANG		1
#define WIFEXITED(s)	(((s) & 0x7f) == 0)
#define WEXITSTATUS(s)	(((s) >> 8) & 0xff)
#define WIFSIGNALED(s)	(((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define WTERMSIG(s)	((s) & 0x7f)
struct timespec {
	long tv_sec;
	long tv_nsec;
};

/* The raw calls: Linux's convention, a negative errno on failure (no errno variable). */
long syscall6(long nr, long a, long b, long c, long d, long e, long f);
static inline long syscall3(long nr, long a, long b, long c) { return syscall6(nr, a, b, c, 0, 0, 0); }

#define AT_FDCWD	(-100)
#define O_RDONLY	0
long open(const char *path, int flags);		/* openat(AT_FDCWD, ...): an fd or -errno */
ssize_t read(int fd, void *buf, size_t n);
int close(int fd);
ssize_t write(int fd, const void *buf, size_t n);
__attribute__((noreturn)) void exit(int status);
pid_t getpid(void);
long brk(void *addr);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);	/* 0 or -errno */
off_t lseek(int fd, off_t off, int whence);	/* the new offset or -errno */
ssize_t pread(int fd, void *buf, size_t n, off_t pos);
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
/* Processes: the raw calls' results (-errno on failure), as syscall3 returns them. */
pid_t fork(void);				/* clone(SIGCHLD, 0, ...) */
pid_t wait4(pid_t pid, int *status, int options, void *rusage);
pid_t waitpid(pid_t pid, int *status, int options);
int execve(const char *path, char *const argv[], char *const envp[]);
int sched_yield(void);
int kill(pid_t pid, int sig);
int nanosleep(const struct timespec *req, struct timespec *rem);
pid_t getppid(void);
/* proc_kb: the number on the line "key ... N kB" (or "key N") of the file path; -1 if none. */
long proc_kb(const char *path, const char *key);
/*
 * wait_asleep: waits (up to 2 s, 1 ms at a time) until /proc/PID/status says
 * "State:\tS": a child lets its parent reach its wait before counting
 * machine-wide events (the parent's own COW copies after fork come first).
 */
void wait_asleep(pid_t pid);

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int main(int argc, char **argv, char **envp);

/* What crt0 found on the stack (Linux's initial process stack). */
extern char **environ;
unsigned long getauxval(unsigned long type);
#define AT_PHDR		3
#define AT_PAGESZ	6
#define AT_ENTRY	9
#define AT_RANDOM	25

#endif

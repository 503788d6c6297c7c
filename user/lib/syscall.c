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

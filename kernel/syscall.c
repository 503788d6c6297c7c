/* syscall.c: the system calls of this slice, with Linux's generic numbers (arm64's table) and semantics. */
#include <errno.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/uaccess.h>
#include <mm/mm.h>

/* Linux's numbers (include/uapi/asm-generic/unistd.h, the table arm64 uses). */
#define __NR_openat		56
#define __NR_close		57
#define __NR_read		63
#define __NR_write		64
#define __NR_exit		93
#define __NR_exit_group		94
#define __NR_getpid		172
#define __NR_brk		214
#define __NR_munmap		215
#define __NR_mmap		222
#define __NR_lseek		62	/* views (brief V): lseek, pread64, mprotect */
#define __NR_pread64		67
#define __NR_mprotect		226
/* processes (kernel/fork.c, exit.c, sched.c, exec.c) */
#define __NR_nanosleep		101
#define __NR_sched_yield	124
#define __NR_kill		129
#define __NR_getppid		173
#define __NR_clone		220
#define __NR_execve		221
#define __NR_wait4		260

/* mmap(2)'s flags and protections, Linux's values (uapi/asm-generic/mman-common.h). */
#define LINUX_PROT_READ		0x1
#define LINUX_PROT_WRITE	0x2
#define LINUX_PROT_EXEC		0x4
#define LINUX_MAP_SHARED	0x01
#define LINUX_MAP_PRIVATE	0x02
#define LINUX_MAP_SHARED_VALIDATE 0x03
#define LINUX_MAP_TYPE		0x0f
#define LINUX_MAP_FIXED		0x10
#define LINUX_MAP_ANONYMOUS	0x20

/*
 * write(fd, buf, n): fds 1 and 2 are the console. The bytes come in through
 * copy_from_user, 256 at a time: -EFAULT if none could be read, else the
 * count written before a bad byte (Linux's short write).
 */
static long sys_write(unsigned long fd, unsigned long buf, unsigned long n)
{
	char chunk[256];
	unsigned long done = 0;

	if (fd != 1 && fd != 2)
		return -EBADF;
	while (done < n) {
		unsigned long len = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
		unsigned long left = copy_from_user(chunk, (const void *)(buf + done), len);

		kputs_n(chunk, len - left);
		done += len - left;
		if (left)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

/*
 * neutral_prot: mmap(2)/mprotect(2)'s PROT_* as pagoda's protection, or
 * PROT_INVALID for unknown bits. Write or exec imply read: neither MMU maps
 * write- or exec-only.
 */
#define PROT_INVALID	(~0u)
static u32 neutral_prot(unsigned long prot)
{
	u32 p = (prot & LINUX_PROT_READ ? PROT_READ : 0) | (prot & LINUX_PROT_WRITE ? PROT_WRITE : 0) |
		(prot & LINUX_PROT_EXEC ? PROT_EXEC : 0);

	if (prot & ~(unsigned long)(LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC))
		return PROT_INVALID;
	return p & (PROT_WRITE | PROT_EXEC) ? p | PROT_READ : p;
}

/* fd_is_open: fd is the console (0-2) or a file the calling process opened. */
static bool fd_is_open(unsigned long fd)
{
	return fd < 3 || (fd < PROC_MAX_FILES && current_process()->files[fd]);
}

/*
 * mmap: anonymous mappings, private or shared (MAP_SHARED_VALIDATE is taken
 * as MAP_SHARED); fd and offset are ignored for them, as on Linux. A file
 * mapping gets what Linux gives a file without an mmap method (do_mmap's
 * -ENODEV), since no file pagoda has — the console, the /proc and debugfs
 * renderings — can be mapped; an fd that is not open gets -EBADF first, as
 * Linux looks the fd up before anything else. Any other type: -EINVAL.
 */
static long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
		     unsigned long fd)
{
	unsigned long type = flags & LINUX_MAP_TYPE;
	u32 p = neutral_prot(prot);

	if (!(flags & LINUX_MAP_ANONYMOUS))
		return fd_is_open(fd) ? -ENODEV : -EBADF;
	if (p == PROT_INVALID || !type || type > LINUX_MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == LINUX_MAP_PRIVATE)
		return do_mmap(current_mm(), addr, len, p, flags & LINUX_MAP_FIXED);
	return do_mmap_shared(current_mm(), addr, len, p, flags & LINUX_MAP_FIXED);
}

/* mprotect: Linux's semantics (mm/mprotect.c's do_mprotect). */
static long sys_mprotect(unsigned long addr, unsigned long len, unsigned long prot)
{
	u32 p = neutral_prot(prot);

	return p == PROT_INVALID ? -EINVAL : do_mprotect(current_mm(), addr, len, p);	/* syncs the I-cache for PROT_EXEC */
}

long syscall_dispatch(unsigned long nr, const unsigned long a[6])
{
	switch (nr) {
	case __NR_openat:	return sys_openat((long)a[0], a[1], a[2]);
	case __NR_close:	return sys_close(a[0]);
	case __NR_read:		return sys_read(a[0], a[1], a[2]);
	case __NR_write:	return sys_write(a[0], a[1], a[2]);
	case __NR_exit:
	case __NR_exit_group:	process_exit((int)a[0]);
	case __NR_getpid:	return current_process()->pid;
	case __NR_brk:		return (long)do_brk(current_mm(), a[0]);
	case __NR_mmap:		return sys_mmap(a[0], a[1], a[2], a[3], a[4]);
	case __NR_munmap:	return do_munmap(current_mm(), a[0], a[1]);
	/* views (brief V) */
	case __NR_mprotect:	return sys_mprotect(a[0], a[1], a[2]);
	case __NR_lseek:	return sys_lseek(a[0], (long)a[1], a[2]);
	case __NR_pread64:	return sys_pread64(a[0], a[1], a[2], (long)a[3]);
	/* processes */
	case __NR_clone:	return sys_clone(a[0], a[1]);
	case __NR_execve:	return sys_execve(a[0], a[1], a[2]);
	case __NR_wait4:	return sys_wait4((long)a[0], a[1], a[2], a[3]);
	case __NR_kill:		return sys_kill((long)a[0], (long)a[1]);
	case __NR_nanosleep:	return sys_nanosleep(a[0], a[1]);
	case __NR_sched_yield:	return sys_sched_yield();
	case __NR_getppid:	return sys_getppid();
	}
	return -ENOSYS;
}

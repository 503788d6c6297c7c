/* errno.h: the status codes pagoda's functions return, negated (Linux's values and names). */
#ifndef PAGODA_ERRNO_H
#define PAGODA_ERRNO_H

#define EPERM		1	/* operation not permitted */
#define ENOENT		2	/* nothing there (e.g. an unmapped address) */
#define ESRCH		3	/* no such process (kill) */
#define EINTR		4	/* interrupted (Ctrl-C at a safe point) */
#define EIO		5	/* I/O error */
#define ENXIO		6	/* no such device or address (e.g. a CPU that is not online) */
#define E2BIG		7	/* argument list too long (exec) */
#define ENOEXEC		8	/* not an executable this kernel runs (exec) */
#define EBADF		9	/* bad file descriptor */
#define ECHILD		10	/* no child to wait for (wait4) */
#define EAGAIN		11	/* try again (fork: the process limit) */
#define ENOMEM		12	/* out of memory */
#define EACCES		13	/* permission denied (e.g. writing a read-only file) */
#define EFAULT		14	/* bad address */
#define EBUSY		16	/* resource busy */
#define ENODEV		19	/* no such device (mmap of a file that cannot be mapped) */
#define EEXIST		17	/* already exists (e.g. a mapping over a mapping) */
#define EINVAL		22	/* invalid argument */
#define EMFILE		24	/* too many open files */
#define ENOSPC		28	/* no space left */
#define ERANGE		34	/* result out of range */
#define ENAMETOOLONG	36	/* a path longer than the kernel takes */
#define ENOSYS		38	/* not implemented */

#endif

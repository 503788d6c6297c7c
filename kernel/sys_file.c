/* sys_file.c: openat/read/close on the debugfs tree (/proc, /sys/kernel/debug), so programs read what cat shows. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <kernel/debugfs.h>
#include <kernel/process.h>
#include <kernel/uaccess.h>
#include <mm/gfp.h>
#include <mm/slab.h>

#define AT_FDCWD	(-100)
#define O_ACCMODE	3
#define PATH_MAX_USER	256
#define FILE_TEXT_MAX	(64 * 1024)	/* the largest snapshot a file gives (as the shell's cat) */

long strncpy_from_user(char *buf, unsigned long u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (copy_from_user(&buf[i], (const void *)(u + i), 1))
			return -EFAULT;
		if (!buf[i])
			return (long)i;
	}
	return -ENAMETOOLONG;
}

/* resolve: /proc/PID/x with the caller's own pid reads as /proc/self/x (no other process exists). */
static void resolve(char *path, size_t size)
{
	char self[24], rest[PATH_MAX_USER];
	int n = snprintf(self, sizeof(self), "/proc/%d/", current_process()->pid);

	if (!strncmp(path, self, (size_t)n)) {
		snprintf(rest, sizeof(rest), "%s", path + n);
		snprintf(path, size, "/proc/self/%s", rest);
	}
}

/* render: f's whole text, grown from 4 KiB until it fits (show() is pure: see debugfs.h); NULL if no memory. */
static struct open_file *render(const struct debugfs_file *f)
{
	struct open_file *of = kzalloc(sizeof(*of), GFP_KERNEL);
	size_t size;
	struct seq_buf s;

	for (size = 4096; of && size <= FILE_TEXT_MAX; size *= 2) {
		of->text = kmalloc(size, GFP_KERNEL);
		if (!of->text)
			break;
		seq_buf_init(&s, of->text, size);
		f->show(&s);
		if (!s.overflow || size == FILE_TEXT_MAX) {
			of->len = s.len;
			return of;
		}
		kfree(of->text);
		of->text = NULL;
	}
	kfree(of);
	return NULL;
}

/* openat: read-only opens of the tree's files; -ENOENT, -EACCES (not O_RDONLY), -EMFILE, -EFAULT. */
long sys_openat(long dirfd, unsigned long upath, unsigned long flags)
{
	struct process *p = current_process();
	const struct debugfs_file *f;
	char path[PATH_MAX_USER];
	long r = strncpy_from_user(path, upath, sizeof(path));
	int fd;

	if (r < 0)
		return r;
	if (path[0] != '/' && dirfd != AT_FDCWD)
		return -EBADF;
	if ((flags & O_ACCMODE) != 0)
		return -EACCES;
	resolve(path, sizeof(path));
	f = debugfs_lookup(path);
	if (!f)
		return -ENOENT;
	for (fd = 3; fd < PROC_MAX_FILES && p->files[fd]; fd++)
		;
	if (fd == PROC_MAX_FILES)
		return -EMFILE;
	p->files[fd] = render(f);
	return p->files[fd] ? fd : -ENOMEM;
}

/* read: from an open file's snapshot (0 at its end); fd 0, the console's input, reads as empty. */
long sys_read(unsigned long fd, unsigned long ubuf, unsigned long n)
{
	struct process *p = current_process();
	struct open_file *of;
	unsigned long len, left;

	if (fd == 0)
		return 0;
	if (fd >= PROC_MAX_FILES || !(of = p->files[fd]))
		return -EBADF;
	len = of->len - of->pos < n ? of->len - of->pos : n;
	left = copy_to_user((void *)ubuf, of->text + of->pos, len);
	if (left == len && len)
		return -EFAULT;
	of->pos += len - left;
	return (long)(len - left);
}

long sys_close(unsigned long fd)
{
	struct process *p = current_process();

	if (fd < 3 || fd >= PROC_MAX_FILES || !p->files[fd])
		return fd < 3 ? 0 : -EBADF;
	kfree(p->files[fd]->text);
	kfree(p->files[fd]);
	p->files[fd] = NULL;
	return 0;
}

/* exit_files: what the process left open is closed at its end. */
void exit_files(struct process *p)
{
	unsigned int fd;

	for (fd = 0; fd < PROC_MAX_FILES; fd++)
		if (p->files[fd]) {
			kfree(p->files[fd]->text);
			kfree(p->files[fd]);
			p->files[fd] = NULL;
		}
}

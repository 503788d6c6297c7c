/* sys_file.c: openat/read/lseek/pread64/close on the debugfs tree and the binary /proc files (pagemap, kpage*). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <kernel/debugfs.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <mm/gfp.h>
#include <mm/pagemap.h>
#include <mm/slab.h>

#define AT_FDCWD	(-100)
#define O_ACCMODE	3
#define PATH_MAX_USER	256
/*
 * The largest snapshot a text file gives: 1 MiB, so /proc/PID/maps holds
 * about 20000 VMAs (~50 bytes a line); past it the text is cut. Linux's
 * seq_file streams instead of taking a snapshot.
 */
#define FILE_TEXT_MAX	(1024 * 1024)
#define LONG_MAX	((long)(~0UL >> 1))

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

/* resolve: /proc/PID/x with the caller's own pid reads as /proc/self/x; other PIDs: bin_pid_lookup (pagemap) and proc_pid_file. */
static void resolve(char *path, size_t size)
{
	char self[24], rest[PATH_MAX_USER];
	int n = snprintf(self, sizeof(self), "/proc/%d/", current_process()->pid);

	if (!strncmp(path, self, (size_t)n)) {
		snprintf(rest, sizeof(rest), "%s", path + n);
		snprintf(path, size, "/proc/self/%s", rest);
	}
}

/*
 * render: f's whole text (for process pid if not 0: /proc/PID/...), grown from
 * 4 KiB until it fits (show() is pure: see debugfs.h); NULL if no memory. A
 * process that exited meanwhile leaves the text empty.
 */
static struct open_file *render(const struct debugfs_file *f, int pid)
{
	struct open_file *of = kzalloc(sizeof(*of), GFP_KERNEL);
	size_t size;
	struct seq_buf s;

	for (size = 4096; of && size <= FILE_TEXT_MAX; size *= 2) {
		of->text = kmalloc(size, GFP_KERNEL);
		if (!of->text)
			break;
		seq_buf_init(&s, of->text, size);
		if (!pid)
			f->show(&s);
		else if (!proc_pid_show(f, pid, &s))
			s.len = 0;
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

/*
 * The binary files: u64 entries, rendered on every read for the entries asked
 * (no snapshot: pagemap spans 2^36 entries, kpageflags one per PFN), at most
 * PAGEMAP_BATCH at a time into a kernel-stack buffer, then copied out. As on
 * Linux, offsets and counts are multiples of 8 (-EINVAL otherwise).
 *   read     fills out[0..n) from entry index on; how many (0: end of file).
 *   entries  the file's size in entries (lseek's SEEK_END).
 * The address spaces whose mappings kpage* count: every live process's,
 * walked with tasklist_lock held so that none can exit meanwhile (lock order
 * tasklist_lock -> mm->lock).
 */
struct proc_bin_file {
	const char *path;
	unsigned long (*read)(struct process *p, int pid, u64 index, u64 *out, unsigned long n);
	u64 (*entries)(void);
	bool per_pid;		/* also /proc/PID/NAME for another live process */
};

/*
 * pid_pagemap: pagemap of process pid (0: p, the reader). Another process is
 * looked up and read with tasklist_lock held, so its mm cannot be freed
 * meanwhile (do_exit clears p->mm under that lock; the order tasklist_lock
 * -> mm->lock is kpage_read_all's too); one that has exited since the open
 * reads as the end of the file, as on Linux.
 */
static unsigned long pid_pagemap(struct process *p, int pid, u64 index, u64 *out, unsigned long n)
{
	unsigned long flags, got = 0;
	struct process *t;

	if (!pid)
		return pagemap_read(p->mm, index, out, n);
	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_process(pid);
	if (t && t->mm)
		got = pagemap_read(t->mm, index, out, n);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return got;
}

typedef unsigned long (*kpage_reader)(struct mm_struct *const *mms, unsigned int nr_mms, u64 index,
				      u64 *out, unsigned long n);

/* read over the address spaces of every live process. */
static unsigned long kpage_read_all(kpage_reader read, u64 index, u64 *out, unsigned long n)
{
	struct mm_struct *mms[NPROC_MAX];
	unsigned int nr = 0;
	unsigned long flags, got;
	struct process *q;

	spin_lock_irqsave(&tasklist_lock, flags);
	for_each_process(q)
		if (q->mm && nr < NPROC_MAX)
			mms[nr++] = q->mm;
	got = read(mms, nr, index, out, n);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return got;
}

static unsigned long kpageflags(struct process *p, int pid, u64 index, u64 *out, unsigned long n)
{
	(void)p;
	(void)pid;
	return kpage_read_all(kpageflags_read, index, out, n);
}

static unsigned long kpagecount(struct process *p, int pid, u64 index, u64 *out, unsigned long n)
{
	(void)p;
	(void)pid;
	return kpage_read_all(kpagecount_read, index, out, n);
}

static const struct proc_bin_file bin_files[] = {
	{ "/proc/self/pagemap", pid_pagemap, pagemap_entries, true },
	{ "/proc/kpageflags", kpageflags, kpage_entries, false },
	{ "/proc/kpagecount", kpagecount, kpage_entries, false },
};

static const struct proc_bin_file *bin_lookup(const char *path)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bin_files); i++)
		if (!strcmp(path, bin_files[i].path))
			return &bin_files[i];
	return NULL;
}

/* bin_pid_lookup: the per-process binary file /proc/PID/NAME names for a live PID other than the caller's, and *pid. */
static const struct proc_bin_file *bin_pid_lookup(const char *path, int *pid)
{
	const struct proc_bin_file *b;
	char self[64];

	*pid = proc_pid_path(path, self, sizeof(self));
	b = *pid ? bin_lookup(self) : NULL;
	return b && b->per_pid ? b : NULL;
}

/* bin_read: n bytes of a binary file (of process pid, 0: p) from byte pos into ubuf; the count, or -EINVAL/-EFAULT. */
static long bin_read(struct process *p, const struct proc_bin_file *b, int pid, unsigned long ubuf,
		     unsigned long n, u64 pos)
{
	u64 buf[PAGEMAP_BATCH];
	unsigned long done = 0, got, bytes, left;

	if ((pos | n) & 7)
		return -EINVAL;
	while (done < n) {
		got = b->read(p, pid, pos / 8 + done / 8, buf, min((n - done) / 8, (unsigned long)PAGEMAP_BATCH));
		if (!got)
			break;
		bytes = got * 8;
		left = copy_to_user((void *)(ubuf + done), buf, bytes);
		done += bytes - left;
		if (left)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

/* openat: read-only opens of the tree's files; -ENOENT, -EACCES (not O_RDONLY), -EMFILE, -EFAULT. */
long sys_openat(long dirfd, unsigned long upath, unsigned long flags)
{
	struct process *p = current_process();
	const struct debugfs_file *f = NULL;
	const struct proc_bin_file *bin;
	char path[PATH_MAX_USER];
	long r = strncpy_from_user(path, upath, sizeof(path));
	int fd, pid = 0;

	if (r < 0)
		return r;
	if (path[0] != '/' && dirfd != AT_FDCWD)
		return -EBADF;
	if ((flags & O_ACCMODE) != 0)
		return -EACCES;
	resolve(path, sizeof(path));
	bin = bin_lookup(path);
	if (!bin && !(bin = bin_pid_lookup(path, &pid)) && !(f = debugfs_lookup(path)) &&
	    !(f = proc_pid_file(path, &pid)))
		return -ENOENT;
	for (fd = 3; fd < PROC_MAX_FILES && p->files[fd]; fd++)
		;
	if (fd == PROC_MAX_FILES)
		return -EMFILE;
	p->files[fd] = bin ? kzalloc(sizeof(struct open_file), GFP_KERNEL) : render(f, pid);
	if (!p->files[fd])
		return -ENOMEM;
	p->files[fd]->bin = bin;
	p->files[fd]->pid = bin ? pid : 0;
	return fd;
}

/* file_of: the open file behind fd (3 and up), or NULL. */
static struct open_file *file_of(struct process *p, unsigned long fd)
{
	return fd >= 3 && fd < PROC_MAX_FILES ? p->files[fd] : NULL;
}

/* read_at: n bytes of of from byte pos into ubuf: the count (0 at the end), -EFAULT, -EINVAL. */
static long read_at(struct process *p, struct open_file *of, unsigned long ubuf, unsigned long n, u64 pos)
{
	unsigned long len, left;

	if (of->bin)
		return bin_read(p, of->bin, of->pid, ubuf, n, pos);
	if (pos >= of->len)
		return 0;
	len = of->len - pos < n ? of->len - pos : n;
	left = copy_to_user((void *)ubuf, of->text + pos, len);
	if (left == len && len)
		return -EFAULT;
	return (long)(len - left);
}

/* read: from the file's position, which moves on; fd 0, the console's input, reads as empty. */
long sys_read(unsigned long fd, unsigned long ubuf, unsigned long n)
{
	struct process *p = current_process();
	struct open_file *of = file_of(p, fd);
	long r;

	if (fd == 0)
		return 0;
	if (!of)
		return -EBADF;
	r = read_at(p, of, ubuf, n, of->pos);
	if (r > 0)
		of->pos += (u64)r;
	return r;
}

/* pread64: at pos, the file's position unchanged; -EINVAL for a negative pos. */
long sys_pread64(unsigned long fd, unsigned long ubuf, unsigned long n, long pos)
{
	struct process *p = current_process();
	struct open_file *of = file_of(p, fd);

	if (!of)
		return -EBADF;
	return pos < 0 ? -EINVAL : read_at(p, of, ubuf, n, (u64)pos);
}

/* lseek: SEEK_SET, SEEK_CUR, SEEK_END (Linux's 0, 1, 2); past the end is allowed, below 0 is -EINVAL. */
long sys_lseek(unsigned long fd, long offset, unsigned long whence)
{
	struct open_file *of = file_of(current_process(), fd);
	long base;

	if (!of)
		return -EBADF;
	switch (whence) {
	case 0:	base = 0; break;
	case 1:	base = (long)of->pos; break;
	case 2:	base = of->bin ? (long)(of->bin->entries() * 8) : (long)of->len; break;
	default: return -EINVAL;
	}
	if ((offset > 0 && base > LONG_MAX - offset) || base + offset < 0)
		return -EINVAL;
	of->pos = (u64)(base + offset);
	return base + offset;
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

/* debugfs.h: the small tree of files behind /proc and /sys/kernel/debug, read with `cat`. */
#ifndef PAGODA_DEBUGFS_H
#define PAGODA_DEBUGFS_H

#include <kernel/seq_buf.h>

/*
 * show() prints the whole file into s. A file whose output may be larger than
 * the shell's buffer is printed in pieces: when show() returns with
 * s->overflow set, the shell grows the buffer and calls show() again, so a
 * show() must be a pure function of the state it reports.
 */
typedef void (*debugfs_show_t)(struct seq_buf *s);
/*
 * write() takes the text written by `echo TEXT > PATH` (NUL-terminated, no
 * newline). It returns 0 if it took it; on a bad value it prints one line
 * saying why, changes nothing and returns -1 (the shell then fails the echo).
 */
typedef int (*debugfs_write_t)(const char *buf);

struct debugfs_file {
	const char *path;	/* absolute, e.g. "/proc/buddyinfo" */
	debugfs_show_t show;
	debugfs_write_t write;	/* NULL: the file is read-only */
};

/*
 * DEBUGFS_FILE(name, path, show) registers a file at link time: any .c file can
 * add one without touching a central list.
 */
#define DEBUGFS_FILE(id, p, fn) \
	static const struct debugfs_file __debugfs_##id \
	__link_table(debugfs_files, struct debugfs_file) = { p, fn, NULL }
/* DEBUGFS_FILE_RW(name, path, show, write): a file that `echo VALUE > path` writes. */
#define DEBUGFS_FILE_RW(id, p, fn, wr) \
	static const struct debugfs_file __debugfs_##id \
	__link_table(debugfs_files, struct debugfs_file) = { p, fn, wr }

const struct debugfs_file *debugfs_lookup(const char *path);
/* debugfs_read: path's text in buf (at most n - 1 bytes, NUL-terminated) and buf; NULL if no such file. */
const char *debugfs_read(const char *path, char *buf, size_t n);
/*
 * debugfs_write: gives text to path's write(). Returns 0, or -ENOENT (no such
 * file), -EACCES (read-only) or -EINVAL (write() refused it, and said why).
 */
int debugfs_write(const char *path, const char *text);
/* Calls fn for each direct child (file or directory name) of dir. Returns count. */
int debugfs_list(const char *dir, void (*fn)(const char *name, bool is_dir, void *arg), void *arg);

#endif

/* debugfs.c: the tree of files behind /proc and /sys/kernel/debug, registered at link time. */
#include <kernel/debugfs.h>
#include <kernel/seq_buf.h>
#include <compiler.h>
#include <errno.h>
#include <string.h>

/* Weak: an empty section has no bounds (the host build may register no files). */
extern const struct debugfs_file __start_debugfs_files[] __weak, __stop_debugfs_files[] __weak;

#define for_each_debugfs_file(f) \
	for (f = __start_debugfs_files; f < __stop_debugfs_files; f++)

const struct debugfs_file *debugfs_lookup(const char *path)
{
	const struct debugfs_file *f;

	for_each_debugfs_file(f)
		if (!strcmp(f->path, path))
			return f;
	return NULL;
}

const char *debugfs_read(const char *path, char *buf, size_t n)
{
	const struct debugfs_file *f = debugfs_lookup(path);
	struct seq_buf s;

	if (!f)
		return NULL;
	seq_buf_init(&s, buf, n);
	f->show(&s);
	return seq_buf_str(&s);
}

int debugfs_write(const char *path, const char *text)
{
	const struct debugfs_file *f = debugfs_lookup(path);

	if (!f)
		return -ENOENT;
	if (!f->write)
		return -EACCES;
	return f->write(text) ? -EINVAL : 0;
}

/*
 * The directories are implied by the file paths. For each file under dir,
 * the first path component after dir is a child: a file if it is the last
 * component, else a directory. Duplicates are reported once.
 */
int debugfs_list(const char *dir, void (*fn)(const char *name, bool is_dir, void *arg), void *arg)
{
	const struct debugfs_file *f, *g;
	size_t dlen = strlen(dir);
	int count = 0;

	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	for_each_debugfs_file(f) {
		const char *rest;
		char name[64];
		size_t n;
		bool seen = false;

		if (strncmp(f->path, dir, dlen) || (dlen > 1 && f->path[dlen] != '/'))
			continue;
		rest = f->path + (dlen > 1 ? dlen + 1 : 1);
		n = strcspn(rest, "/");
		if (n == 0 || n >= sizeof(name))
			continue;
		memcpy(name, rest, n);
		name[n] = '\0';
		/* Skip a name an earlier file already produced. */
		for (g = __start_debugfs_files; g < f && !seen; g++)
			seen = !strncmp(g->path, f->path, (size_t)(rest - f->path) + n) &&
			       (g->path[rest - f->path + n] == '/' || g->path[rest - f->path + n] == '\0');
		if (seen)
			continue;
		fn(name, rest[n] == '/', arg);
		count++;
	}
	return count;
}

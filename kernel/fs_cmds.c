/* fs_cmds.c: the shell's view of the debugfs-like tree — ls, cat, and the generic /proc files. */
#include <kernel/debugfs.h>
#include <kernel/param.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/shell.h>
#include <kernel/arch.h>
#include <kernel/version.h>
#include <string.h>

#define CAT_BUF_MAX	(64 * 1024)	/* the largest file (the page-table dump) is ~6 KiB */

static void print_entry(const char *name, bool is_dir, void *arg)
{
	kprintf("%s%s\n", name, is_dir ? "/" : "");
}

static void count_entry(const char *name, bool is_dir, void *arg)
{
}

/* A directory of the tree: an absolute path that has children. */
static bool is_dir(const char *path)
{
	return path[0] == '/' && debugfs_list(path, count_entry, NULL) > 0;
}

static int cmd_ls(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/";

	if (argc > 2) {
		kprintf("usage: ls [PATH]\n");
		return 1;
	}
	if (debugfs_lookup(dir)) {
		kprintf("%s\n", dir);
		return 0;
	}
	if (!is_dir(dir) || debugfs_list(dir, print_entry, NULL) == 0) {
		kprintf("ls: cannot access '%s': No such file or directory\n", dir);
		return 1;
	}
	return 0;
}
SHELL_CMD(ls, "ls", "ls [PATH]", "list a directory of the tree", cmd_ls);

/* show() output is built in one static buffer; a file that outgrows it is cut, and says so. */
static char cat_buf[CAT_BUF_MAX];

static int cmd_cat(int argc, char **argv)
{
	const struct debugfs_file *f;
	struct seq_buf s;
	int i, ret = 0, pid;

	if (argc < 2) {
		kprintf("usage: cat PATH...\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		pid = 0;
		f = debugfs_lookup(argv[i]);
		if (!f)
			f = proc_pid_file(argv[i], &pid);
		seq_buf_init(&s, cat_buf, sizeof(cat_buf));
		if (f && pid && !proc_pid_show(f, pid, &s))
			f = NULL;	/* no such process (any more) */
		if (!f) {
			kprintf("cat: %s: %s\n", argv[i], is_dir(argv[i]) ? "Is a directory" :
				"No such file or directory");
			ret = 1;
			continue;
		}
		if (!pid)
			f->show(&s);
		kputs(seq_buf_str(&s));
		if (s.overflow) {
			kprintf("\ncat: %s: output truncated at %zu bytes\n", argv[i], s.len);
			ret = 1;
		}
	}
	return ret;
}
SHELL_CMD(cat, "cat", "cat PATH...", "print files of the tree", cmd_cat);

static void show_cmdline(struct seq_buf *s)
{
	seq_buf_printf(s, "%s\n", boot_command_line);
}
DEBUGFS_FILE(cmdline, "/proc/cmdline", show_cmdline);

static void show_version(struct seq_buf *s)
{
	seq_buf_printf(s, "pagoda version %s (%s) (gcc %s) #1 %s\n", PAGODA_VERSION, arch_name,
		       __VERSION__, "SMP");
}
DEBUGFS_FILE(version, "/proc/version", show_version);

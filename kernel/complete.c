/* complete.c: what Tab completes at the shell — command names, and paths of the debugfs tree. */
#include <kernel/debugfs.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <stdio.h>
#include <string.h>

#define LIST_WIDTH	78	/* a listing breaks its lines before this column */

/*
 * The candidates for one word. The first pass counts them and keeps the
 * longest prefix they all share; then, to list them in order without storing
 * them, each further pass finds the smallest name after the one printed last.
 */
struct matches {
	const char *prefix;	/* what the word holds after its last '/' */
	size_t plen;
	int count;
	char common[SHELL_LINE_MAX];	/* the prefix all candidates share so far */
	bool dir;		/* the first candidate is a directory */
	bool list;		/* listing passes */
	char last[SHELL_LINE_MAX];	/* the name printed last ("" before the first) */
	char next[SHELL_LINE_MAX];	/* the smallest name after it seen in this pass */
	bool next_dir, found;
	size_t column;		/* where the listing's cursor is */
};

static void print_candidate(struct matches *m, const char *name, bool is_dir)
{
	size_t w = strlen(name) + is_dir;

	if (m->column && m->column + 2 + w > LIST_WIDTH) {
		kprintf("\n");
		m->column = 0;
	}
	kprintf("%s%s%s", m->column ? "  " : "", name, is_dir ? "/" : "");
	m->column += (m->column ? 2 : 0) + w;
}

static void match(const char *name, bool is_dir, void *arg)
{
	struct matches *m = arg;
	size_t i;

	if (strncmp(name, m->prefix, m->plen))
		return;
	if (m->list) {
		if (strcmp(name, m->last) > 0 && (!m->found || strcmp(name, m->next) < 0)) {
			snprintf(m->next, sizeof(m->next), "%s", name);
			m->next_dir = is_dir;
			m->found = true;
		}
		return;
	}
	if (m->count++ == 0) {
		snprintf(m->common, sizeof(m->common), "%s", name);
		m->dir = is_dir;
		return;
	}
	for (i = 0; m->common[i] && m->common[i] == name[i]; i++)
		;
	m->common[i] = '\0';
}

/* Feeds every candidate to match(): command names, or the children of dir in the tree. */
static void each_candidate(const char *dir, struct matches *m)
{
	const struct shell_cmd *c;

	if (dir)
		debugfs_list(dir, match, m);
	else
		for_each_shell_cmd(c)
			match(c->name, false, m);
}

/*
 * find_word: the word that ends at buf[pos] starts at *start. Returns the
 * directory whose children complete it (copied into dir), or NULL for a
 * command name; sets *prefix to the part after the directory.
 */
static const char *find_word(const char *buf, size_t pos, char *dir, const char **prefix)
{
	size_t start = pos, i, slash;

	while (start && !shell_isblank(buf[start - 1]))
		start--;
	*prefix = buf + start;
	for (i = 0; i < start; i++)
		if (!shell_isblank(buf[i]))
			break;
	if (i == start)
		return NULL;		/* the first word: a command */
	for (slash = pos; slash > start && buf[slash - 1] != '/'; slash--)
		;
	memcpy(dir, buf + start, slash - start);
	dir[slash - start] = '\0';
	*prefix = buf + slash;
	return dir;
}

int shell_complete(const char *buf, size_t pos, char *ins, size_t size)
{
	struct matches m = { 0 };
	char dirbuf[SHELL_LINE_MAX];
	const char *dir = find_word(buf, pos, dirbuf, &m.prefix);

	if (dir && dir[0] != '/')
		return -1;		/* the tree has absolute paths only */
	m.plen = (size_t)(buf + pos - m.prefix);
	each_candidate(dir, &m);
	if (m.count == 0)
		return -1;
	if (m.count == 1) {
		snprintf(ins, size, "%s%c", m.common + m.plen, m.dir ? '/' : ' ');
		return 0;
	}
	if (strlen(m.common) > m.plen) {
		snprintf(ins, size, "%s", m.common + m.plen);
		return 0;
	}
	m.list = true;
	kprintf("\n");
	for (;;) {
		m.found = false;
		each_candidate(dir, &m);
		if (!m.found)
			break;
		print_candidate(&m, m.next, m.next_dir);
		strcpy(m.last, m.next);
	}
	kprintf("\n");
	return 1;
}

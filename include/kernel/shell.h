/* shell.h: serial-shell commands, registered at link time like debugfs files; the line editor. */
#ifndef PAGODA_SHELL_H
#define PAGODA_SHELL_H

#include <compiler.h>

/* A command line holds at most SHELL_LINE_MAX - 1 characters and SHELL_ARGV_MAX words. */
#define SHELL_LINE_MAX	256
#define SHELL_ARGV_MAX	64
/* Status of a line the shell refused to run (too long, too many words), as shells use 2. */
#define SHELL_EUSAGE	2

/*
 * A command returns 0 on success, nonzero on failure (the run= list powers off
 * with a failing status if any command failed). It prints with kprintf(). A
 * fault inside a command is reported and ends the command with status 1.
 */
struct shell_cmd {
	const char *name;
	const char *usage;	/* e.g. "walk VA" */
	const char *help;	/* one line */
	int (*fn)(int argc, char **argv);
};

#define SHELL_CMD(id, nm, use, hlp, f) \
	static const struct shell_cmd __shell_cmd_##id \
	__link_table(shell_cmds, struct shell_cmd) = { nm, use, hlp, f }

/* Weak: an empty section has no bounds. */
extern const struct shell_cmd __start_shell_cmds[] __weak, __stop_shell_cmds[] __weak;
#define for_each_shell_cmd(c) \
	for (c = __start_shell_cmds; c < __stop_shell_cmds; c++)

/* Words of a command line are separated by runs of these. */
static inline bool shell_isblank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Runs one command line; returns its status (127: unknown command,
 * SHELL_EUSAGE: refused, with one line saying why). Words are separated by
 * spaces and tabs. A line longer than SHELL_LINE_MAX - 1 characters or with
 * more than SHELL_ARGV_MAX words is refused as a whole, never run in part.
 */
int shell_exec(char *line);
/* The command named name, or NULL. */
const struct shell_cmd *shell_find_cmd(const char *name);
/*
 * Runs cmd on this CPU with this CPU's fault recovery: a fault inside it is
 * reported and ends the command with status 1. taskset calls it on the
 * target CPU.
 */
int shell_run_cmd(const struct shell_cmd *cmd, int argc, char **argv);
/* The interactive loop on the console; never returns. */
__noreturn void shell_run(void);

/*
 * readline: prints prompt and edits one line from the console into buf
 * (SHELL_LINE_MAX bytes) with history, cursor motion and Tab completion.
 * Returns the line's length, or -1 if characters were dropped because the
 * line was full (and it was not emptied or replaced since): such a line is to
 * be refused, not run in part. A line given up with Ctrl-C comes back empty.
 * Lines returned go to the history (not empty ones, nor a repeat of the last).
 */
int readline(const char *prompt, char *buf);

/*
 * shell_complete: completes the word that ends at buf[pos] (a command name if
 * it is the first word, else a path of the debugfs tree). Returns 0 with the
 * text to insert at pos in ins (a unique match ends with ' ', or '/' for a
 * directory; several add their common prefix), 1 if it listed several
 * candidates on new lines (the caller redraws the prompt and the line), or -1
 * if nothing matches.
 */
int shell_complete(const char *buf, size_t pos, char *ins, size_t size);

#endif

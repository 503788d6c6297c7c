/* shell.h: serial-shell commands, registered at link time like debugfs files. */
#ifndef PAGODA_SHELL_H
#define PAGODA_SHELL_H

#include <compiler.h>

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

/* Runs one command line; returns its status (127: unknown command). */
int shell_exec(char *line);
/* The interactive loop on the console; never returns. */
__noreturn void shell_run(void);

#endif

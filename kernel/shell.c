/* shell.c: the serial shell — line editing, command dispatch, fault-safe execution. */
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/setjmp.h>
#include <kernel/shell.h>
#include <ctype.h>
#include <string.h>

#define LINE_MAX	256
#define ARGV_MAX	16
#define PROMPT		"pagoda# "

extern const struct shell_cmd __start_shell_cmds[] __weak, __stop_shell_cmds[] __weak;

static const struct shell_cmd *find_cmd(const char *name)
{
	const struct shell_cmd *c;

	for (c = __start_shell_cmds; c < __stop_shell_cmds; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Splits line in place at spaces; returns argc (at most ARGV_MAX, the rest is dropped). */
static int split_args(char *line, char **argv)
{
	int argc = 0;

	while (*line && argc < ARGV_MAX) {
		while (*line == ' ' || *line == '\t')
			*line++ = '\0';
		if (!*line)
			break;
		argv[argc++] = line;
		while (*line && *line != ' ' && *line != '\t')
			line++;
	}
	return argc;
}

/* Runs cmd with fault recovery: a fault inside it is reported and ends just the command. */
static int run_protected(const struct shell_cmd *cmd, int argc, char **argv)
{
	jmp_buf jb, *prev = fault_recovery;
	int ret;

	if (setjmp(jb)) {
		fault_recovery = prev;
		kprintf("%s: ended by a fault (see the report above)\n", cmd->name);
		return 1;
	}
	fault_recovery = &jb;
	ret = cmd->fn(argc, argv);
	fault_recovery = prev;
	return ret;
}

int shell_exec(char *line)
{
	char *argv[ARGV_MAX];
	const struct shell_cmd *cmd;
	int argc = split_args(line, argv);

	if (argc == 0)
		return 0;
	cmd = find_cmd(argv[0]);
	if (!cmd) {
		kprintf("%s: command not found (try 'help')\n", argv[0]);
		return 127;
	}
	return run_protected(cmd, argc, argv);
}

/*
 * read_line: echoing line editor. Backspace/DEL erase, Ctrl-U kills the line,
 * Ctrl-C abandons it, escape sequences (arrow keys) are swallowed, other
 * control bytes are ignored, and input past LINE_MAX - 1 rings the bell.
 */
static void read_line(char *buf)
{
	size_t n = 0;
	int c;

	for (;;) {
		c = console_getc();
		if (c == '\r' || c == '\n') {
			kprintf("\n");
			buf[n] = '\0';
			return;
		} else if (c == 0x7f || c == 0x08) {
			if (n) {
				n--;
				kprintf("\b \b");
			}
		} else if (c == 0x15) {		/* Ctrl-U */
			for (; n; n--)
				kprintf("\b \b");
		} else if (c == 0x03) {		/* Ctrl-C */
			kprintf("^C\n");
			buf[0] = '\0';
			return;
		} else if (c == 0x1b) {		/* ESC [ ... final byte in 0x40-0x7e */
			c = console_getc();
			if (c == '[')
				while ((c = console_getc()) < 0x40 || c > 0x7e)
					;
		} else if (isprint(c)) {
			if (n + 1 < LINE_MAX) {
				buf[n++] = (char)c;
				kprintf("%c", c);
			} else {
				kprintf("\a");
			}
		}
	}
}

void shell_run(void)
{
	char line[LINE_MAX];

	for (;;) {
		kprintf(PROMPT);
		read_line(line);
		shell_exec(line);
	}
}

static int cmd_help(int argc, char **argv)
{
	const struct shell_cmd *c;

	for (c = __start_shell_cmds; c < __stop_shell_cmds; c++)
		kprintf("  %-22s %s\n", c->usage, c->help);
	return 0;
}
SHELL_CMD(help, "help", "help", "list the commands", cmd_help);

static int cmd_echo(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		kprintf("%s%s", argv[i], i + 1 < argc ? " " : "");
	kprintf("\n");
	return 0;
}
SHELL_CMD(echo, "echo", "echo WORDS", "print the words", cmd_echo);

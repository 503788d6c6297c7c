/* shell.c: the serial shell — splitting lines into words, command dispatch, fault-safe execution. */
#include <kernel/debugfs.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/setjmp.h>
#include <kernel/shell.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define PROMPT		"pagoda# "

const struct shell_cmd *shell_find_cmd(const char *name)
{
	const struct shell_cmd *c;

	for_each_shell_cmd(c)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/*
 * Splits line in place at runs of spaces and tabs. Returns argc, or -1 if the
 * line has more than SHELL_ARGV_MAX words (argv is then not to be used).
 */
static int split_args(char *line, char **argv)
{
	int argc = 0;

	for (;;) {
		while (shell_isblank(*line))
			*line++ = '\0';
		if (!*line)
			return argc;
		if (argc == SHELL_ARGV_MAX)
			return -1;
		argv[argc++] = line;
		while (*line && !shell_isblank(*line))
			line++;
	}
}

/* Runs cmd with fault recovery (this CPU's): a fault inside it is reported and ends just the command. */
int shell_run_cmd(const struct shell_cmd *cmd, int argc, char **argv)
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

static int refuse_long_line(void)
{
	kprintf("line too long: more than %d characters; not run\n", SHELL_LINE_MAX - 1);
	return SHELL_EUSAGE;
}

int shell_exec(char *line)
{
	char *argv[SHELL_ARGV_MAX];
	const struct shell_cmd *cmd;
	int argc;

	if (strlen(line) > SHELL_LINE_MAX - 1)
		return refuse_long_line();
	argc = split_args(line, argv);
	if (argc < 0) {
		kprintf("too many arguments: more than %d words; not run\n", SHELL_ARGV_MAX);
		return SHELL_EUSAGE;
	}
	if (argc == 0)
		return 0;
	cmd = shell_find_cmd(argv[0]);
	if (!cmd) {
		kprintf("%s: command not found (try 'help')\n", argv[0]);
		return 127;
	}
	return shell_run_cmd(cmd, argc, argv);
}

void shell_run(void)
{
	char line[SHELL_LINE_MAX];

	for (;;) {
		if (readline(PROMPT, line) < 0)
			refuse_long_line();
		else
			shell_exec(line);
	}
}

static int cmd_help(int argc, char **argv)
{
	const struct shell_cmd *c;

	for_each_shell_cmd(c)
		kprintf("  %-22s %s\n", c->usage, c->help);
	return 0;
}
SHELL_CMD(help, "help", "help", "list the commands", cmd_help);

/* echo WORDS > PATH: the words, joined by single spaces, to a writable file of the tree. */
static int echo_to_file(int argc, char **argv, const char *path)
{
	char text[SHELL_LINE_MAX];
	size_t len = 0;
	int i, err;

	text[0] = '\0';
	for (i = 1; i < argc; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", i > 1 ? " " : "", argv[i]);
	err = debugfs_write(path, text);
	if (err == -ENOENT)
		kprintf("echo: %s: No such file or directory\n", path);
	else if (err == -EACCES)
		kprintf("echo: %s: Permission denied\n", path);
	else if (err)
		kprintf("echo: write error: Invalid argument\n");
	return err ? 1 : 0;
}

static int cmd_echo(int argc, char **argv)
{
	int i;

	if (argc >= 3 && !strcmp(argv[argc - 2], ">"))
		return echo_to_file(argc - 2, argv, argv[argc - 1]);
	if (argc >= 2 && argv[argc - 1][0] == '>' && argv[argc - 1][1])
		return echo_to_file(argc - 1, argv, argv[argc - 1] + 1);
	if (argc >= 2 && !strcmp(argv[argc - 1], ">")) {
		kprintf("echo: syntax error: '>' needs a file name\n");
		return SHELL_EUSAGE;
	}
	for (i = 1; i < argc; i++)
		kprintf("%s%s", argv[i], i + 1 < argc ? " " : "");
	kprintf("\n");
	return 0;
}
SHELL_CMD(echo, "echo", "echo WORDS [> PATH]", "print the words, or write them to a file", cmd_echo);

/* ---- processes: ps and kill (kernel/sched.c, kernel/exit.c) ---------------------------------- */

/* ps_state: Linux's one-letter state (ps's S column): R running or runnable, S asleep, Z zombie. */
static char ps_state(const struct process *p)
{
	return p->state == EXIT_ZOMBIE ? 'Z' : p->state == TASK_INTERRUPTIBLE ? 'S' : 'R';
}

/*
 * ps: every process, Linux's `ps -eo pid,ppid,stat,psr,rss,comm` columns:
 * PPID 0 is the shell (pagoda's init side), PSR the CPU whose queue it is on,
 * RSS in kB (0 for a zombie: its memory is gone). Zombies of the shell's are
 * reaped first (their end reported), so what is left is alive or another's.
 */
static int cmd_ps(int argc, char **argv)
{
	struct process *p;
	unsigned long flags;

	(void)argv;
	if (argc != 1) {
		kprintf("usage: ps\n");
		return SHELL_EUSAGE;
	}
	reap_shell_children();
	kprintf("  PID  PPID S PSR   RSS COMMAND\n");
	spin_lock_irqsave(&tasklist_lock, flags);
	for_each_process(p)
		kprintf("%5d %5d %c %3u %5lu %s\n", p->pid, p->parent ? p->parent->pid : 0, ps_state(p), p->cpu,
			p->mm ? READ_ONCE(p->mm->rss) * (PAGE_SIZE >> 10) : 0, p->comm);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}
SHELL_CMD(ps, "ps", "ps", "list the processes (pid, parent, state, CPU, RSS in kB, command)", cmd_ps);

/* process_alive: pid names a process that has not ended yet. */
static bool process_alive(int pid)
{
	struct process *p;
	unsigned long flags;
	bool alive;

	spin_lock_irqsave(&tasklist_lock, flags);
	p = find_process(pid);
	alive = p && p->state != EXIT_ZOMBIE;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return alive;
}

/*
 * kill [-9|-KILL|-15|-TERM] PID: SIGTERM by default, as kill(1). The process
 * dies at its next return to user mode (a sleeper is woken for it); the
 * shell reports its end when it reaps it (exec, ps, kill).
 */
static int cmd_kill(int argc, char **argv)
{
	int sig = SIGTERM, pid = 0, i;
	const char *s;
	long r;

	if (argc == 3 && (!strcmp(argv[1], "-9") || !strcmp(argv[1], "-KILL")))
		sig = SIGKILL;
	else if (argc == 3 && (!strcmp(argv[1], "-15") || !strcmp(argv[1], "-TERM")))
		sig = SIGTERM;
	else if (argc != 2) {
		kprintf("usage: kill [-9|-KILL|-15|-TERM] PID\n");
		return SHELL_EUSAGE;
	}
	for (s = argv[argc - 1]; *s >= '0' && *s <= '9' && pid < 10000000; s++)
		pid = pid * 10 + (*s - '0');
	if (*s || s == argv[argc - 1] || pid <= 0) {
		kprintf("kill: %s: arguments must be process IDs\n", argv[argc - 1]);
		return 1;
	}
	r = kill_process(pid, sig);
	if (r == -ESRCH) {
		kprintf("kill: (%d) - No such process\n", pid);
		return 1;
	}
	/* up to a second (the victim's next tick, or CPU 0's own queue) for it to end, then its report;
	   only on CPU 0, whose idle path the shell is (taskset N kill: no wait) */
	for (i = 0; r == 0 && smp_processor_id() == 0 && i < HZ && process_alive(pid); i++)
		sched_yield_idle();
	reap_shell_children();
	return r ? 1 : 0;
}
SHELL_CMD(kill, "kill", "kill [-9|-KILL|-15|-TERM] PID", "end a process (SIGTERM, or SIGKILL with -9)", cmd_kill);

/* taskset.c: `taskset CPU CMD [ARGS]` — runs one shell command on another CPU through a cross call. */
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <kernel/smp.h>
#include <stdlib.h>
#include <string.h>

/* One command for the target CPU; on taskset's stack (the cross call waits). */
struct taskset_call {
	const struct shell_cmd *cmd;
	int argc;
	char **argv;
	int status;
};

/* On the target CPU, interrupts masked: the command with that CPU's fault recovery. */
static void taskset_run(void *info)
{
	struct taskset_call *c = info;

	c->status = shell_run_cmd(c->cmd, c->argc, c->argv);
}

/*
 * Parses a CPU number: decimal digits only. Returns false (and says why) for
 * anything else; a number of any size parses, and cpu_online decides.
 */
static bool parse_cpu(const char *s, unsigned long *cpu)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			break;
	if (!n || i < n) {
		kprintf("taskset: '%s' is not a CPU number\n", s);
		return false;
	}
	*cpu = n > 9 ? ~0UL : strtoul(s, NULL, 10);
	return true;
}

/*
 * cmd_taskset: the command runs on CPU from that CPU's IPI handler (interrupts
 * masked there, on that CPU's stack) and its status is taskset's. CPU 0 waits
 * with its interrupt window open, and its tick watches for ^C, which the
 * command sees through console_interrupted(): input stays on CPU 0.
 */
static int cmd_taskset(int argc, char **argv)
{
	struct taskset_call c;
	unsigned long cpu;
	int err;

	if (argc < 3) {
		kprintf("usage: taskset CPU COMMAND [ARGS...]\n");
		return SHELL_EUSAGE;
	}
	if (!parse_cpu(argv[1], &cpu))
		return SHELL_EUSAGE;
	if (cpu >= CONFIG_NR_CPUS || !cpu_online(cpu)) {
		kprintf("taskset: CPU %s is not online\n", argv[1]);
		return 1;
	}
	c = (struct taskset_call){ .cmd = shell_find_cmd(argv[2]), .argc = argc - 2, .argv = argv + 2 };
	if (!c.cmd) {
		kprintf("taskset: %s: command not found (try 'help')\n", argv[2]);
		return 127;
	}
	if (!strcmp(c.cmd->name, "taskset")) {
		kprintf("taskset: a command run by taskset cannot be taskset\n");
		return SHELL_EUSAGE;
	}
	console_watch_interrupt(true);
	err = smp_call_function_single_window((unsigned int)cpu, taskset_run, &c);
	console_watch_interrupt(false);
	if (err) {
		kprintf("taskset: CPU %lu went offline; %s did not run\n", cpu, argv[2]);
		return 1;
	}
	return c.status;
}
SHELL_CMD(taskset, "taskset", "taskset CPU CMD [ARGS]", "run a shell command on that CPU", cmd_taskset);

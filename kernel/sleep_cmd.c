/* sleep_cmd.c: the `sleep SECONDS` shell command — the shell CPU idles, taking its tick and IPIs, for that long (^C ends it). */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <stdlib.h>

#define SLEEP_MAX_SECONDS	3600

/*
 * Whole seconds, 0..SLEEP_MAX_SECONDS, as coreutils' sleep takes them (it also
 * takes fractions and suffixes; pagoda's does not, and says so for anything
 * but digits). While it sleeps the CPU sits in the interrupt window as the
 * shell does when it waits for a key: the periodic work of the tick (slab's
 * reap, the statistics) goes on, which is what a test of that work needs.
 */
static int cmd_sleep(int argc, char **argv)
{
	unsigned long secs;
	u64 end;
	char *e;

	if (argc != 2) {
		kprintf(argc < 2 ? "sleep: missing operand\n" : "sleep: extra operand '%s'\n",
			argc < 2 ? "" : argv[2]);
		return 1;
	}
	secs = strtoul(argv[1], &e, 10);
	if (e == argv[1] || *e || argv[1][0] == '-' || secs > SLEEP_MAX_SECONDS) {
		kprintf("sleep: invalid time interval '%s' (whole seconds, 0..%d)\n", argv[1],
			SLEEP_MAX_SECONDS);
		return 1;
	}
	end = arch_counter_read() + secs * arch_counter_freq();
	console_watch_interrupt(true);
	cpu_idle_enter();
	while (arch_counter_read() < end && !console_interrupted())
		arch_irq_window();
	cpu_idle_exit();
	console_watch_interrupt(false);
	return 0;
}
SHELL_CMD(sleep, "sleep", "sleep SECONDS", "idle for SECONDS (the tick's work goes on; ^C ends it)", cmd_sleep);

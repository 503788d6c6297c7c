/* main.c: start_kernel — the generic boot sequence, then run= commands or the shell. */
#include <kernel/sched.h>
#include <kernel/arch.h>
#include <kernel/irq.h>
#include <kernel/kunit.h>
#include <kernel/param.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <kernel/smp.h>
#include <kernel/version.h>
#include <mm/io.h>
#include <mm/kfence.h>
#include <mm/vmalloc.h>
#include <mm/mm.h>
#include <mm/mmzone.h>
#include <mm/slab.h>
#include <mm/mm_struct.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void start_kernel(void);

static u64 boot_start;

/* Ends a run= that cannot run as given: nothing of it runs, and the status says so. */
static __noreturn void refuse_run(const char *why)
{
	printk("run: %s; not running any of it, powering off with status 1\n", why);
	arch_poweroff(1);
}

/*
 * run_boot_commands: run="cmd1; cmd2" runs each command, then powers off with
 * status 0 if all succeeded, 1 otherwise. A run= that was cut with the command
 * line, or given twice, runs nothing and powers off with 1: a prefix of what
 * was asked must never look like success. Returns only if there is no run=.
 */
static void run_boot_commands(void)
{
	static char cmds[COMMAND_LINE_SIZE], why[64];
	int n = cmdline_count("run"), failed = 0;
	char *p, *next;

	if (boot_command_line_len >= COMMAND_LINE_SIZE && boot_command_line_has_run)
		refuse_run("the kernel command line was cut");
	if (!n)
		return;
	if (n > 1) {
		snprintf(why, sizeof(why), "given %d times on the command line", n);
		refuse_run(why);
	}
	cmdline_get("run", cmds, sizeof(cmds));
	for (p = cmds; p; p = next) {
		next = strchr(p, ';');
		if (next)
			*next++ = '\0';
		while (*p == ' ')
			p++;
		if (!*p)
			continue;
		arch_irq_window();	/* what came in during the last command (ticks, IPIs) */
		kprintf("pagoda# %s\n", p);
		if (shell_exec(p)) {
			failed++;
			kprintf("run: '%s' failed\n", p);
		}
	}
	printk("run: %d command(s) failed; powering off\n", failed);
	arch_poweroff(failed ? 1 : 0);
}

/*
 * The init sequence. Each subsystem adds its one call here, in dependency order:
 *   setup_arch()        consoles, traps, memory discovery -> memblock, paging_init()
 *   mem_init()          mem_map, zones, memblock -> buddy
 *   kmem_cache_init()   slab and kmalloc
 *   vmalloc_init()      vmalloc and ioremap
 *   kfence_init()       the KFENCE pool (a VA range of vmalloc's, pages of the buddy's)
 *   arch_ioremap_devices()  consoles and mailbox move off the fixmap / boot device map
 *   init_IRQ(), time_init()  the boot CPU's interrupt controller and tick (the
 *                       boot CPU takes interrupts only in its waits: arch_irq_window)
 *   smp_init()          the secondary CPUs come online; from here any CPU may allocate
 */
void start_kernel(void)
{
	boot_start = arch_counter_read();
	setup_arch();
	parse_early_params();
	/* -- memory subsystems (in order) -- */
	mem_init();
	kmem_cache_init();
	vma_cache_init();
	vmalloc_init();
	kfence_init();
	arch_ioremap_devices();
	/* -- end of memory subsystems -- */
	init_IRQ();
	time_init();
	sched_init();
	smp_init();
	printk("Boot took %lu us to the shell\n",
	       (unsigned long)((arch_counter_read() - boot_start) * 1000000 / arch_counter_freq()));
	run_boot_commands();
	shell_run();
}

/*
 * selftest [--all-cpus] [SUITE...]: the suites named (space- or
 * comma-separated; none: all). A name that is no suite is an error and nothing
 * runs. --all-cpus runs them on every online CPU at once (suites written for
 * it only; the KTAP shows one subtest per CPU). Afterwards the slab caches are
 * shrunk and the per-CPU page lists drained.
 */
static int cmd_selftest(int argc, char **argv)
{
	static char filter[256];
	char bad[64];
	size_t len = 0;
	int i, failed, first = 1;
	bool all_cpus = argc > 1 && !strcmp(argv[1], "--all-cpus");

	filter[0] = '\0';
	first += all_cpus;
	for (i = first; i < argc && len < sizeof(filter); i++)
		len += (size_t)snprintf(filter + len, sizeof(filter) - len, "%s%s", i > first ? "," : "", argv[i]);
	if (len >= sizeof(filter)) {
		kprintf("selftest: the list of suites is longer than %zu bytes\n", sizeof(filter) - 1);
		return 1;
	}
	if (kunit_unknown_suite(filter, bad, sizeof(bad))) {
		kprintf("selftest: no suite named '%s'; the suites are: ", bad);
		kunit_print_suite_names();
		return 1;
	}
	if (all_cpus && !*filter) {
		kprintf("selftest: --all-cpus needs the suites to run named\n");
		return 1;
	}
	failed = all_cpus ? kunit_run_all_cpus(filter, bad, sizeof(bad)) : kunit_run_all(filter);
	if (failed < 0) {
		kprintf("selftest: suite '%s' cannot run on all CPUs at once (it checks shared state)\n", bad);
		return 1;
	}
	/* What the suites left cached goes back, so that meminfo before and after shows leaks only. */
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	return failed ? 1 : 0;
}
SHELL_CMD(selftest, "selftest", "selftest [--all-cpus] [SUITE...]",
	  "run the KTAP suites (all, or those named; on every CPU at once)", cmd_selftest);

/* Parses a poweroff status: decimal or 0x hex, 0..arch_poweroff_status_max; -1 if not. */
static int parse_status(const char *s)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)s[0]) || (v = strtoull(s, &end, 0), *end)) {
		kprintf("poweroff: invalid status '%s'\n", s);
		return -1;
	}
	if (strlen(s) > 10 || v > (unsigned long long)arch_poweroff_status_max) {
		kprintf("poweroff: status %s cannot be reported (0..%d)\n", s, arch_poweroff_status_max);
		return -1;
	}
	return (int)v;
}

static int cmd_poweroff(int argc, char **argv)
{
	int status = 0;

	if (argc > 2) {
		kprintf("usage: poweroff [STATUS]\n");
		return 1;
	}
	if (argc == 2 && (status = parse_status(argv[1])) < 0)
		return 1;
	printk("reboot: Power down\n");
	arch_poweroff(status);
}
SHELL_CMD(poweroff, "poweroff", "poweroff [STATUS]", "stop the machine (QEMU exits with STATUS)", cmd_poweroff);

static int cmd_dmesg(int argc, char **argv)
{
	log_dump();
	return 0;
}
SHELL_CMD(dmesg, "dmesg", "dmesg", "print the kernel log", cmd_dmesg);

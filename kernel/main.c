/* main.c: start_kernel — the generic boot sequence, then run= commands or the shell. */
#include <kernel/arch.h>
#include <kernel/kunit.h>
#include <kernel/param.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <kernel/version.h>
#include <mm/io.h>
#include <mm/vmalloc.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <stdlib.h>
#include <string.h>

void start_kernel(void);

static u64 boot_start;

/*
 * run_boot_commands: run="cmd1; cmd2" runs each command, then powers off with
 * status 0 if all succeeded, 1 otherwise. Returns only if there is no run=.
 */
static void run_boot_commands(void)
{
	static char cmds[1024];
	char *p, *next;
	int failed = 0;

	if (!cmdline_get("run", cmds, sizeof(cmds)))
		return;
	for (p = cmds; p; p = next) {
		next = strchr(p, ';');
		if (next)
			*next++ = '\0';
		while (*p == ' ')
			p++;
		if (!*p)
			continue;
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
 *   arch_ioremap_devices()  consoles and mailbox move off the fixmap / boot device map
 */
void start_kernel(void)
{
	boot_start = arch_counter_read();
	setup_arch();
	parse_early_params();
	/* -- memory subsystems (in order) -- */
	mem_init();
	kmem_cache_init();

	vmalloc_init();
	arch_ioremap_devices();
	/* -- end of memory subsystems -- */
	printk("Boot took %lu us to the shell\n",
	       (unsigned long)((arch_counter_read() - boot_start) * 1000000 / arch_counter_freq()));
	run_boot_commands();
	shell_run();
}

static int cmd_selftest(int argc, char **argv)
{
	return kunit_run_all(argc > 1 ? argv[1] : NULL) ? 1 : 0;
}
SHELL_CMD(selftest, "selftest", "selftest [SUITE,...]", "run the KTAP suites", cmd_selftest);

static int cmd_poweroff(int argc, char **argv)
{
	printk("reboot: Power down\n");
	arch_poweroff(argc > 1 ? (int)strtoul(argv[1], NULL, 0) : 0);
}
SHELL_CMD(poweroff, "poweroff", "poweroff [STATUS]", "stop the machine (QEMU exits with STATUS)", cmd_poweroff);

static int cmd_dmesg(int argc, char **argv)
{
	log_dump();
	return 0;
}
SHELL_CMD(dmesg, "dmesg", "dmesg", "print the kernel log", cmd_dmesg);

/* setup.c (x86): from head.S to start_kernel, and setup_arch() — console, traps, clock, memory. */
#include <kernel/arch.h>
#include <kernel/param.h>
#include <kernel/printk.h>
#include <kernel/version.h>
#include <mm/pgtable.h>
#include <asm/board.h>
#include <asm/processor.h>
#include <asm/switch_to.h>
#include <asm/setup.h>
#include <asm/smp.h>

void start_kernel(void);

/* Called by head.S on the boot stack with paging on and the BSS cleared; %fs first (smp_processor_id). */
void x86_start_kernel(void)
{
	x86_load_percpu_segment(0);
	start_kernel();
	for (;;)
		;
}

static void print_banner(void)
{
	char brand[49];

	x86_cpu_brand(brand);
	printk("pagoda %s (%s) on a %s (Multiboot loader: %s)\n", PAGODA_VERSION, arch_name,
	       board_desc.name, multiboot_loader_name());
	printk("CPU: %s; TSC %llu Hz; CR0 0x%08lx CR4 0x%08lx\n", brand,
	       (unsigned long long)arch_counter_freq(), read_cr0(), read_cr4());
	printk("Kernel command line: %s\n", boot_command_line);
}

/*
 * setup_arch: the TSC is calibrated before the console exists so that the
 * first log line already has a true timestamp; then COM1, the IDT, memblock
 * and the command line from Multiboot (before the banner, which shows the
 * command line), the CPU features paging needs (NX, PAT, global pages) and
 * the final page tables (paging_init: mm/paging.c with the hooks in mmu.c),
 * then the CPUs the firmware lists (smpboot.c: their stacks come from
 * memblock, which is still allocating here).
 */
void setup_arch(void)
{
	tsc_init();
	serial8250_init();
	trap_init();
	multiboot_parse();
	print_banner();
	x86_cpu_init();
	fpu_init_cpu(true);
	paging_init();
	x86_smp_init_cpus();
}

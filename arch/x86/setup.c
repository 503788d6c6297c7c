/* setup.c (x86): from head.S to start_kernel, and setup_arch() — console, traps, clock, memory. */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <asm/setup.h>

void start_kernel(void);

/* Called by head.S on the boot stack with paging on and the BSS cleared. */
void x86_start_kernel(void)
{
	start_kernel();
	for (;;)
		;
}

/*
 * setup_arch: the TSC is calibrated before the console exists so that the
 * first log line already has a true timestamp; then COM1, the IDT, the CPU
 * features paging needs (NX, PAT, global pages), memblock from Multiboot, and
 * the final page tables.
 */
void setup_arch(void)
{
	tsc_init();
	serial8250_init();
	trap_init();
	x86_cpu_init();
	multiboot_parse();
	x86_paging_init();
}

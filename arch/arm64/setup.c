/* setup.c (arm64): setup_arch — DTB check, consoles, banner; the power-off hook. */
#include <asm/board.h>
#include <asm/boot.h>
#include <asm/memory.h>
#include <asm/smp.h>
#include <asm/mmzone.h>
#include <asm/sysreg.h>
#include <drivers/bcm2835_mbox.h>
#include <drivers/bcm283x_console.h>
#include <drivers/serial.h>
#include <kernel/arch.h>
#include <kernel/bug.h>
#include <kernel/param.h>
#include <kernel/printk.h>
#include <kernel/version.h>
#include <mm/fixmap.h>
#include <mm/io.h>
#include <mm/pgalloc.h>
#include <libfdt.h>
#include <mm/pgtable.h>
#include <stdio.h>
#include <string.h>

const char arch_name[] = "aarch64";
u64 kimage_voffset;

/* Filled by head.S: boot_dtb_size is the copy's (the DTB's content), boot_dtb_totalsize the loader's. */
extern u64 boot_cpu_el, boot_dtb_pa, boot_dtb_size, boot_dtb_totalsize, boot_dtb_err;
extern char boot_dtb_copy[];

/* The DTB as head.S copied it, or NULL if x0 held none (checked again by libfdt here). */
const void *boot_fdt;
static const char *fdt_problem = "x0 held no DTB";
static char fdt_why[160];
static struct console pl011_con, mini_uart_con;
static struct bcm283x_console_choice console_choice;

/* Semihosting SYS_EXIT (ADP_Stopped_ApplicationExit): returns only if semihosting is absent. */
static void semihost_exit(int status)
{
	static u64 block[2];
	register u64 x0 __asm__("x0") = 0x18;
	register u64 x1 __asm__("x1") = (u64)block;

	block[0] = 0x20026;
	block[1] = (u64)status;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}

const int arch_poweroff_status_max = 255;

void arch_poweroff(int status)
{
	semihost_exit(status);
	printk("System halted (status %d): no semihosting to end QEMU; the CPU parks\n", status);
	for (;;)	/* interrupts are masked: WFI halts the core for good */
		__asm__ volatile("wfi");
}

/* dtb_copy_problem: why head.S copied nothing, each fact on its own (address, magic, size). */
static const char *dtb_copy_problem(void)
{
	switch (boot_dtb_err) {
	case DTB_ERR_ADDR:
		return "not 8-byte aligned or not in the first GiB";
	case DTB_ERR_MAGIC:
		return "no FDT magic 0xd00dfeed there";
	case DTB_ERR_TOO_BIG:
		snprintf(fdt_why, sizeof(fdt_why),
			 "its content is %llu bytes (totalsize %llu), more than the %lu-byte boot copy (BOOT_DTB_MAX)",
			 (unsigned long long)boot_dtb_size, (unsigned long long)boot_dtb_totalsize,
			 (unsigned long)BOOT_DTB_MAX);
		return fdt_why;
	}
	return boot_dtb_pa ? "its header describes no content" : "x0 held no DTB";
}

/* check_fdt: accept the copied DTB only if libfdt agrees it is whole and sane. */
static void check_fdt(void)
{
	const void *fdt = boot_dtb_copy;
	int err;

	if (boot_dtb_err != DTB_ERR_NONE || !boot_dtb_size) {
		fdt_problem = dtb_copy_problem();
		return;
	}
	err = fdt_check_header(fdt);
	if (err || fdt_totalsize(fdt) != boot_dtb_size) {
		fdt_problem = err ? fdt_strerror(err) : "totalsize changed";
		return;
	}
	boot_fdt = fdt;
	fdt_problem = NULL;
}

/* Copies /chosen/bootargs into boot_command_line. */
static void fdt_chosen(void)
{
	int chosen = fdt_path_offset(boot_fdt, "/chosen"), len;
	const char *p;

	if (chosen < 0)
		return;
	p = fdt_getprop(boot_fdt, chosen, "bootargs", &len);
	if (p && len > 0)
		cmdline_set(p, (size_t)len);
}

/* uart_console: the console struct of a bcm283x_uart, or NULL for NONE. */
static struct console *uart_console(enum bcm283x_uart u)
{
	return u == BCM283X_UART_PL011 ? &pl011_con : u == BCM283X_UART_MINI ? &mini_uart_con : NULL;
}

/*
 * setup_consoles: the console UART as drivers/serial/bcm283x_console.c chooses
 * it (pin mux, then the serial0 alias, then stdout-path), registered for input
 * and output; the mirror, if any, for output only (a Bluetooth chip on the PL011
 * must not type into the shell). A UART neither names is never touched.
 */
static void setup_consoles(void)
{
	struct bcm283x_uart_facts f;
	struct console *con, *mirror;

	if (boot_fdt)
		fdt_chosen();
	bcm283x_uart_facts_read(&f, periph_va(GPIO_PHYS), periph_va(PL011_PHYS), periph_va(MINI_UART_PHYS));
	bcm283x_uart_facts_fdt(&f, boot_fdt);
	bcm283x_console_select(&f, &console_choice);
	pl011_console_init(&pl011_con, periph_va(PL011_PHYS), console_choice.init_pl011);
	mini_uart_console_init(&mini_uart_con, periph_va(MINI_UART_PHYS));
	con = uart_console(console_choice.console);
	mirror = uart_console(console_choice.mirror);
	if (con)
		register_console(con);
	if (mirror) {
		mirror->getc = NULL;
		register_console(mirror);
	}
}

/* The DTB's model, else the board this kernel was built for. */
static const char *fdt_model(void)
{
	static char assumed[64];
	const char *m = boot_fdt ? fdt_getprop(boot_fdt, 0, "model", NULL) : NULL;

	if (m)
		return m;
	snprintf(assumed, sizeof(assumed), "%s (assumed: no DTB)", board_desc.name);
	return assumed;
}

static void print_banner(void)
{
	u64 sctlr = read_sysreg(sctlr_el1);

	printk("pagoda %s (%s) on %s\n", PAGODA_VERSION, arch_name, fdt_model());
	printk("CPU: entered at EL%llu, running at EL%llu; MIDR_EL1 0x%08llx; counter %llu Hz\n",
	       (unsigned long long)boot_cpu_el, (unsigned long long)(read_sysreg(CurrentEL) >> 2),
	       (unsigned long long)read_sysreg(midr_el1), (unsigned long long)arch_counter_freq());
	printk("MMU: %s, D-cache %s, I-cache %s; SCTLR_EL1 0x%016llx TCR_EL1 0x%016llx MAIR_EL1 0x%016llx\n",
	       sctlr & SCTLR_M ? "on" : "off", sctlr & SCTLR_C ? "on" : "off",
	       sctlr & SCTLR_I ? "on" : "off", (unsigned long long)sctlr,
	       (unsigned long long)read_sysreg(tcr_el1), (unsigned long long)read_sysreg(mair_el1));
	printk("console: %s (%s)%s%s%s\n", bcm283x_uart_name(console_choice.console),
	       console_choice.reason, console_choice.mirror ? "; output mirrored to the " : "",
	       console_choice.mirror ? bcm283x_uart_name(console_choice.mirror) : "",
	       console_choice.init_pl011 ? "; PL011 was off: programmed 115200 8N1" : "");
	if (boot_fdt)
		printk("DTB: at 0x%016llx, %llu bytes (%llu of content copied into the image)\n",
		       (unsigned long long)boot_dtb_pa, (unsigned long long)boot_dtb_totalsize,
		       (unsigned long long)boot_dtb_size);
	else
		printk("DTB: none usable (x0 = 0x%llx: %s); falling back to the mailbox\n",
		       (unsigned long long)boot_dtb_pa, fdt_problem);
	printk("Kernel command line: %s\n", boot_command_line);
}

/*
 * The identity map in TTBR0 was only for turning the MMU on: stop walks through
 * TTBR0 (TCR_EL1.EPD0) so that a NULL or user-range access faults from now on.
 */
static void disable_ttbr0(void)
{
	/* Local TLBI: TCR_EL1.EPD0 is this CPU's own, and the other cores are not up yet. */
	write_sysreg(read_sysreg(tcr_el1) | TCR_EPD0, tcr_el1);
	__asm__ volatile("isb; tlbi vmalle1; dsb nsh; isb" ::: "memory");
}

/*
 * early_console_remap: from paging_init until vmalloc_init the consoles write
 * through early_ioremap windows in the fixmap (tables from paging_init's pool:
 * the buddy does not exist yet), as Linux's earlycon does through its fixmap
 * slot; arch_ioremap_devices moves them to ioremap and frees the windows.
 */
static void __iomem *early_pl011, *early_aux;

static void early_console_remap(void)
{
	early_pl011 = early_ioremap(PL011_PHYS, PAGE_SIZE);
	early_aux = early_ioremap(MINI_UART_PHYS, PAGE_SIZE);
	if (early_pl011)
		pl011_con.base = early_pl011;
	if (early_aux)
		mini_uart_con.base = early_aux;
	printk("console: PL011 at 0x%lx, mini UART at 0x%lx (early_ioremap, fixmap)\n",
	       (unsigned long)pl011_con.base, (unsigned long)mini_uart_con.base);
}

/*
 * A DTB that memory discovery rejected is not used for anything after it: its
 * pages are not reserved (the buddy gets them), so nothing may keep reading
 * them or map them (FIX_FDT) — a stale alias of pages that are free.
 */
static void forget_fdt(void)
{
	if (!boot_fdt)
		return;
	boot_fdt = NULL;
	printk("DTB: rejected by memory discovery; not used or mapped after this point\n");
}

void setup_arch(void)
{
	disable_ttbr0();
	check_fdt();
	setup_consoles();
	print_banner();
	if (!arch_counter_freq())	/* every counter deadline would expire at once */
		panic("setup_arch: CNTFRQ_EL0 is 0 (entered at EL%llu): the armstub must set it at EL3",
		      (unsigned long long)boot_cpu_el);
	if (!arm64_memblock_init(boot_fdt))
		forget_fdt();
	paging_init();
	early_console_remap();
	arm64_memblock_late_init();
	pagetable_memblock_ready();	/* RAM is final: tables past the boot pool may come from memblock */
	smp_init_cpus(boot_fdt);	/* the secondaries and their stacks; smp_init starts them */
}

/*
 * arch_ioremap_devices (a start_kernel step after vmalloc_init): the consoles and the mailbox leave
 * the board's boot-time device map for ioremap'd registers (one pointer store
 * each, so output never stops; the mailbox also gets a coherent DMA buffer),
 * and the loader's DTB is mapped read-only in the fixmap
 * (FIX_FDT), where it stays for the kernel's lifetime, as in Linux.
 */
void arch_ioremap_devices(void)
{
	void __iomem *pl011 = ioremap(PL011_PHYS, PAGE_SIZE);
	void __iomem *aux = ioremap(MINI_UART_PHYS, PAGE_SIZE);

	if (pl011)
		pl011_con.base = pl011;
	if (aux)
		mini_uart_con.base = aux;
	if (pl011 && early_pl011)
		early_iounmap(early_pl011, PAGE_SIZE);
	if (aux && early_aux)
		early_iounmap(early_aux, PAGE_SIZE);
	printk("console: PL011 at 0x%lx, mini UART at 0x%lx (ioremap)\n",
	       (unsigned long)pl011_con.base, (unsigned long)mini_uart_con.base);
	rpi_firmware_late_init();
	/* The content (boot_dtb_size <= BOOT_DTB_MAX): what FIX_FDT holds, not a loader's padding. */
	if (boot_fdt && !fixmap_remap_ro(FIX_FDT, FIX_FDT_PAGES, boot_dtb_pa, boot_dtb_size))
		printk("DTB: could not map it in the fixmap\n");
}

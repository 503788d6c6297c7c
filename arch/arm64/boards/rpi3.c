/* rpi3.c: the Raspberry Pi 3 (BCM2837) as const tables — device map, default RAM, reservations. */
#include <asm/board.h>
#include <mm/prot.h>
#include <asm/pgtable.h>

/*
 * The fixed device map, at PERIPH_VADDR: the 16 MiB of peripherals
 * Device-nGnRE (head.S already maps the 2 MiB around the UARTs at the same VAs,
 * so the console works across the switch), then the ARM-local block (core
 * timers, IRQ routing, core mailboxes) Device-nGnRnE.
 */
static const struct map_region rpi3_device_map[] = {
	{ PERIPH_VADDR, PERIPH_PHYS, PERIPH_SIZE, PAGE_KERNEL_DEVICE, "peripherals" },
	{ LOCAL_VADDR, LOCAL_PHYS, LOCAL_SIZE, PAGE_KERNEL_DEVICE_nGnRnE, "ARM-local" },
};

/* The firmware's first page: its spin-table stub and the cpu-release-addr words. */
static const struct board_reservation rpi3_reserved[] = {
	{ SPIN_TABLE_PHYS, PAGE_SIZE, "spin-table" },
};

const struct board_desc board_desc = {
	.name = "Raspberry Pi 3",
	.device_map = rpi3_device_map,
	.nr_device_map = ARRAY_SIZE(rpi3_device_map),
	.default_ram_start = 0,
	.default_ram_end = DEFAULT_RAM_END,
	.reserved = rpi3_reserved,
	.nr_reserved = ARRAY_SIZE(rpi3_reserved),
};

/* Cores 1-3 poll these words (the DTB's cpu-release-addr; all inside the reserved first page). */
const u64 board_cpu_release_addr[] = { 0xe0, 0xe8, 0xf0 };
const unsigned int board_nr_cpu_release_addr = ARRAY_SIZE(board_cpu_release_addr);

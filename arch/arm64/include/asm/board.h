/* board.h (arm64): the Raspberry Pi 3's (BCM2837) fixed addresses; its tables are in boards/rpi3.c. */
#ifndef ASM_ARM64_BOARD_H
#define ASM_ARM64_BOARD_H

#include <asm/memory.h>

/*
 * The board layer: the named register addresses below are what drivers and
 * the arch use (BCM2835 ARM Peripherals); arch/arm64/boards/rpi3.c turns them
 * into const tables (struct board_desc, include/mm/board.h: the device map
 * paging_init maps, the default RAM, the boot reservations) and lists the
 * secondaries' spin-table words. Another board is another such pair.
 */

#define PERIPH_PHYS		_UL(0x3f000000)	/* 16 MiB of peripherals (bus 0x7e000000) */
#define PERIPH_SIZE		_UL(0x01000000)
#define LOCAL_PHYS		_UL(0x40000000)	/* ARM-local block: core timers, IRQ routing, mailboxes */
#define LOCAL_SIZE		_UL(0x00040000)
#define GPIO_PHYS		_UL(0x3f200000)	/* function select (pin mux) of GPIO0-53 */
#define PL011_PHYS		_UL(0x3f201000)
#define MINI_UART_PHYS		_UL(0x3f215000)	/* the AUX block; the mini UART's registers at +0x40 */
#define MBOX_PHYS		_UL(0x3f00b880)
#define PM_PHYS			_UL(0x3f100000)	/* power management / watchdog */
/* BCM2836 ARM-local peripherals: the core timer's control and prescaler (19.2 MHz crystal). */
#define LOCAL_CONTROL		0x0
#define LOCAL_PRESCALER		0x8
#define LOCAL_PRESCALER_DIV1	0x80000000	/* timer = crystal * 2^31 / prescaler */
#define PI3_CRYSTAL_HZ		19200000
#define SPIN_TABLE_PHYS		_UL(0x0)	/* firmware stub + cpu-release-addr words, first page */
#define MBOX_SIZE		_UL(0x40)

/*
 * Without a DTB the Pi 3's usual split is assumed until the mailbox answers:
 * 1 GiB of SDRAM with the top 64 MiB (gpu_mem=64, the firmware default) for
 * the VideoCore, so the ARM owns 0x0000_0000-0x3BFF_FFFF (QEMU's raspi3b too).
 */
#define DEFAULT_RAM_END		_UL(0x3c000000)

/*
 * The board's fixed device map: PERIPH_VADDR + (pa - PERIPH_PHYS) for the
 * peripherals, and the ARM-local block right after them. head.S maps the 2 MiB
 * around the UARTs there already, so the console works before paging_init.
 */
#define periph_va(pa)		((void *)(PERIPH_VADDR + ((pa) - PERIPH_PHYS)))
#define LOCAL_VADDR		(PERIPH_VADDR + PERIPH_SIZE)

#ifndef __ASSEMBLER__
#include <mm/board.h>

/* The cpu-release-addr words of cores 1.. (what the Pi's DTB says; used without a DTB). */
extern const u64 board_cpu_release_addr[];
extern const unsigned int board_nr_cpu_release_addr;
#endif

#endif

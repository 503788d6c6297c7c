/* board.h (x86): the PC's fixed facts (legacy ports, the hole below 1 MiB); tables in boards/pc.c. */
#ifndef ASM_X86_BOARD_H
#define ASM_X86_BOARD_H

#include <const.h>

/*
 * The board layer on x86 (the arm64 side: the Pi 3): named constants here for
 * drivers and the arch, const tables (struct board_desc) in
 * arch/x86/boards/pc.c.
 */
#define COM1_PORT		0x3f8		/* 16550 UART, the console (QEMU -serial stdio) */
#define DEBUG_EXIT_PORT		0xf4		/* QEMU -device isa-debug-exit,iobase=0xf4,iosize=0x04 */
#define PIT_TICK_RATE		1193182u	/* 8254 PIT input clock, Hz */
#define PIT_CH2			0x42		/* PIT channel 2 data (the speaker channel) */
#define PIT_MODE		0x43		/* PIT mode/command register */
#define PORT61			0x61		/* system control port B: PIT channel 2 gate and output */
#define LEGACY_HOLE_END		_AC(0x100000, UL)	/* BIOS, EBDA, VGA and ROMs below 1 MiB */

#ifndef __ASSEMBLER__
#include <mm/board.h>
#endif

#endif

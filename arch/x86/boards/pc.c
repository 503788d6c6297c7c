/* pc.c: the PC as const tables — the legacy hole below 1 MiB; no device map (ports are I/O space). */
#include <asm/board.h>
#include <const.h>

/*
 * The first MiB: real-mode IVT, BIOS data area, EBDA, VGA memory and option
 * ROMs. Multiboot's map marks parts of it usable, but none of it is trusted.
 */
static const struct board_reservation pc_reserved[] = {
	{ 0, LEGACY_HOLE_END, "bios" },
};

/* The 16550 and isa-debug-exit are ports: nothing to map. RAM comes from Multiboot only. */
const struct board_desc board_desc = {
	.name = "PC",
	.reserved = pc_reserved,
	.nr_reserved = ARRAY_SIZE(pc_reserved),
};

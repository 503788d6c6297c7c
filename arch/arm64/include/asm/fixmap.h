/* fixmap.h (arm64): the compile-time fixmap slots below FIXADDR_TOP (asm/memory.h). */
#ifndef ASM_ARM64_FIXMAP_H
#define ASM_ARM64_FIXMAP_H

#include <asm/memory.h>

/*
 * Slot x is the page at FIXADDR_TOP - x * PAGE_SIZE (Linux's numbering): higher
 * indexes sit lower. Slot 0 (FIX_HOLE, at FIXADDR_TOP itself) is never mapped.
 * All slots lie in [FIXADDR_START, FIXADDR_TOP), one 2 MiB-aligned range, so a
 * single PTE table serves the whole fixmap.
 *
 * early_ioremap hands out FIX_BTMAPS_SLOTS windows of NR_FIX_BTMAPS pages each
 * (FIX_BTMAP_BEGIN is the highest index: the first window's lowest address).
 */
#define NR_FIX_BTMAPS		16	/* pages per early_ioremap window (64 KiB) */
#define FIX_BTMAPS_SLOTS	4	/* windows that may be in use at once */
/* The firmware's DTB stays mapped read-only (as Linux's FIX_FDT): BOOT_DTB_MAX + a page of offset. */
#define FIX_FDT_PAGES		(BOOT_DTB_MAX / PAGE_SIZE + 1)

enum fixed_addresses {
	FIX_HOLE,
	FIX_FDT_END,
	FIX_FDT = FIX_FDT_END + FIX_FDT_PAGES - 1,	/* lowest address of the DTB window */
	FIX_EARLYCON_MEM_BASE,	/* the early console's registers (before ioremap) */
	FIX_TEST,		/* one page for the fixmap self-test */
	FIX_BTMAP_END,
	FIX_BTMAP_BEGIN = FIX_BTMAP_END + NR_FIX_BTMAPS * FIX_BTMAPS_SLOTS - 1,
	__end_of_fixed_addresses
};

#endif

/* fixmap.h (x86): the compile-time fixmap slots below FIXADDR_TOP, kmap_local's per-CPU slots among them. */
#ifndef ASM_X86_FIXMAP_H
#define ASM_X86_FIXMAP_H

#include <asm/memory.h>
#include <asm/smp.h>

/*
 * Slot x is the page at FIXADDR_TOP - x * PAGE_SIZE (Linux's numbering):
 * higher indexes sit lower. FIX_HOLE (FIXADDR_TOP itself, 0xfffff000) is never
 * mapped. Every slot lies in [FIXADDR_START, FIXADDR_TOP) = [0xffe00000,
 * 0xfffff000), one 2 MiB-aligned range: a single page table serves the fixmap.
 *
 * kmap_local/kmap_atomic (mm/highmem.c) own KM_MAX_IDX slots per CPU, from
 * FIX_KMAP_BEGIN up: CPU c's slot i is FIX_KMAP_BEGIN + c * KM_MAX_IDX + i, so
 * nesting level i of one CPU always uses the same page (strictly nested).
 *
 * early_ioremap hands out FIX_BTMAPS_SLOTS windows of NR_FIX_BTMAPS pages each
 * (FIX_BTMAP_BEGIN is the highest index: the first window's lowest address).
 */
#define KM_MAX_IDX		16	/* kmap_local nesting depth per CPU (Linux: 16) */
#define FIX_NR_CPUS		CONFIG_NR_CPUS	/* every CPU its own kmap_local slots */
#define NR_FIX_BTMAPS		16	/* pages per early_ioremap window (64 KiB) */
#define FIX_BTMAPS_SLOTS	4	/* windows that may be in use at once */

enum fixed_addresses {
	FIX_HOLE,
	FIX_EARLYCON_MEM_BASE,	/* an MMIO early console's registers (the 16550 uses ports) */
	FIX_TEST,		/* one page for the fixmap self-test */
	FIX_KMAP_BEGIN,
	FIX_KMAP_END = FIX_KMAP_BEGIN + KM_MAX_IDX * FIX_NR_CPUS - 1,
	FIX_BTMAP_END,
	FIX_BTMAP_BEGIN = FIX_BTMAP_END + NR_FIX_BTMAPS * FIX_BTMAPS_SLOTS - 1,
	__end_of_fixed_addresses
};

#endif

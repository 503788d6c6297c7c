/* ptdump.h (arm64): what mm/ptdump.c prints for arm64 — attribute words, level names, region markers. */
#ifndef ASM_ARM64_PTDUMP_H
#define ASM_ARM64_PTDUMP_H

#include <mm/ptdump.h>
#include <asm/memory.h>
#include <asm/pgtable.h>

/*
 * The attribute words of Linux's arch/arm64/mm/ptdump.c, in its order: a word
 * is printed as " set" when (entry & mask) == val, else " clear" (if any), so
 * blank columns keep their width. The first word reproduces the blank columns
 * Linux 6.1 prints between the level name and ro/RW on raspi3b (FORMATS.md:
 * "PTE           RW"); GP (BTI guarded) is always blank on the Cortex-A53.
 */
static const struct ptdump_prot_bits ptdump_bits[] = {
	{ PTE_VALID,		PTE_VALID,	"     ",	"F" },
	{ PTE_USER,		PTE_USER,	"USR",		"   " },
	{ PTE_RDONLY,		PTE_RDONLY,	"ro",		"RW" },
	{ PTE_PXN,		PTE_PXN,	"NX",		"x " },
	{ PTE_SHARED,		PTE_SHARED,	"SHD",		"   " },
	{ PTE_AF,		PTE_AF,		"AF",		"  " },
	{ PTE_NG,		PTE_NG,		"NG",		"  " },
	{ PTE_CONT,		PTE_CONT,	"CON",		"   " },
	{ PTE_TABLE_BIT,	PTE_TABLE_BIT,	"   ",		"BLK" },
	{ PTE_UXN,		PTE_UXN,	"UXN",		"   " },
	{ PTE_GP,		PTE_GP,		"GP",		"  " },
	{ PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_DEVICE_nGnRnE_IDX), "DEVICE/nGnRnE", NULL },
	{ PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_DEVICE_nGnRE_IDX), "DEVICE/nGnRE", NULL },
	{ PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_NORMAL_NC_IDX), "MEM/NORMAL-NC", NULL },
	{ PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_NORMAL_IDX), "MEM/NORMAL", NULL },
};

static const char *const ptdump_level_names[PT_LEVELS] = { "PGD", "PUD", "PMD", "PTE" };

/* Addresses print as 16 hex digits. */
#define PTDUMP_ADDR_FMT		"0x%016lx"

/* Every region of the layout in asm/memory.h, in address order; the last entry ends the list. */
static const struct ptdump_marker ptdump_markers[] = {
	{ PAGE_OFFSET,		"Linear Mapping start" },
	{ PAGE_END,		"Linear Mapping end" },
#ifdef CONFIG_KASAN
	{ KASAN_SHADOW_START,	"Kasan shadow start" },
	{ KASAN_SHADOW_END,	"Kasan shadow end" },
#endif
	{ KIMAGE_VADDR,		"Kernel image start" },
	{ KIMAGE_END,		"Kernel image end" },
	{ VMALLOC_START,	"vmalloc() area" },
	{ VMALLOC_END,		"vmalloc() end" },
	{ PERIPH_VADDR,		"Peripherals start" },
	{ PERIPH_VEND,		"Peripherals end" },
	{ FIXADDR_START,	"Fixmap start" },
	{ FIXADDR_TOP,		"Fixmap end" },
	{ ~0UL,			NULL },
};

/*
 * Why an address outside the kernel context (TTBR1's upper half) does not
 * translate: below 2^VA_BITS it is TTBR0's; between the halves it is
 * non-canonical, and no table is looked at (D8.2: a level 0 translation fault).
 */
#define PTDUMP_OUTSIDE_WHY(va)	((u64)(va) >> VA_BITS ? \
	"non-canonical: bits 63:48 are neither all 0 (TTBR0) nor all 1 (TTBR1), so no table " \
	"translates it: any access faults (level 0 translation fault)" : \
	"the lower half belongs to TTBR0, which is empty (TCR_EL1.EPD0): " \
	"any access faults (level 0 translation fault)")

#endif

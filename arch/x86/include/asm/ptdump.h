/* ptdump.h (x86): what mm/ptdump.c prints for PAE — Linux's x86 attribute columns, level names, markers. */
#ifndef ASM_X86_PTDUMP_H
#define ASM_X86_PTDUMP_H

#include <mm/ptdump.h>
#include <asm/memory.h>
#include <asm/pgtable.h>

/*
 * The columns of Linux's arch/x86/mm/dump_pagetables.c (printk_prot): USR,
 * RW/ro, PWT, PCD, PSE, PAT, GLB, NX/x, then the level name last
 * (PTDUMP_LEVEL_LAST). A word is printed as " set" when (entry & mask) == val,
 * else " clear", so blank columns keep their width; a hole prints the same
 * width of blanks (Linux's 30 spaces). Present has no word of its own but keeps
 * a present entry without other bits from looking like a hole. PAT is always
 * blank: pagoda uses PAT entries 0-3 only, and bit 12 (PAT in a 2 MiB entry) is
 * an address bit in a 4 KiB one, so it must not split runs of small pages.
 */
static const struct ptdump_prot_bits ptdump_bits[] = {
	{ _PAGE_PRESENT,	_PAGE_PRESENT,	NULL,	NULL },
	{ _PAGE_USER,		_PAGE_USER,	"USR",	"   " },
	{ _PAGE_RW,		_PAGE_RW,	"RW",	"ro" },
	{ _PAGE_PWT,		_PAGE_PWT,	"PWT",	"   " },
	{ _PAGE_PCD,		_PAGE_PCD,	"PCD",	"   " },
	{ _PAGE_PSE,		_PAGE_PSE,	"PSE",	"   " },
	{ 0,			0,		"   ",	NULL },		/* PAT */
	{ _PAGE_GLOBAL,		_PAGE_GLOBAL,	"GLB",	"   " },
	{ _PAGE_NX,		_PAGE_NX,	"NX",	"x " },
};

/* PAE's PDPT is what Linux's x86 dump calls the pgd. */
static const char *const ptdump_level_names[PT_LEVELS] = { "pgd", "pmd", "pte" };

/* x86 prints the level after the attribute columns, and blanks for holes. */
#define PTDUMP_LEVEL_LAST	1

/* Addresses print as 8 hex digits. */
#define PTDUMP_ADDR_FMT		"0x%08lx"

/* The regions of the layout in asm/memory.h, in address order (Linux's x86 32-bit names). */
static const struct ptdump_marker ptdump_markers[] = {
	{ 0,			"User Space" },
	{ PAGE_OFFSET,		"Kernel Mapping" },
	{ VMALLOC_START,	"vmalloc() Area" },
	{ VMALLOC_END,		"vmalloc() End" },
	{ PKMAP_BASE,		"Persistent kmap() Area" },
	{ FIXADDR_START,	"Fixmap Area" },
	{ ~0UL,			NULL },
};

/* init_mm covers the whole 4 GiB, so no address is outside it. */
#define PTDUMP_OUTSIDE_WHY(va)	"beyond the 32-bit address space"

#endif

/* fixmap.h: compile-time virtual pages below FIXADDR_TOP, and early_ioremap for the time before vmalloc. */
#ifndef PAGODA_FIXMAP_H
#define PAGODA_FIXMAP_H

#include <compiler.h>
#include <asm/memory.h>
#include <asm/fixmap.h>
#include <mm/prot.h>

/*
 * Each arch lists its slots in enum fixed_addresses (asm/fixmap.h): at least
 * FIX_HOLE (never mapped), FIX_EARLYCON_MEM_BASE, FIX_TEST and the early_ioremap
 * windows FIX_BTMAP_END..FIX_BTMAP_BEGIN (FIX_BTMAPS_SLOTS x NR_FIX_BTMAPS pages).
 * Slot x is the page at FIXADDR_TOP - x * PAGE_SIZE, as in Linux.
 */
#define __fix_to_virt(x)	(FIXADDR_TOP - ((unsigned long)(x) << PAGE_SHIFT))
#define __virt_to_fix(v)	((FIXADDR_TOP - ((unsigned long)(v) & PAGE_MASK)) >> PAGE_SHIFT)

static inline unsigned long fix_to_virt(enum fixed_addresses idx)
{
	return __fix_to_virt(idx);
}

/*
 * __set_fixmap: maps slot idx to the page holding phys with prot (replacing
 * what was there, with break-before-make); prot 0 clears the slot. Works as
 * soon as init_mm can get table pages (paging_init's early allocator before
 * the buddy exists). Misuse (FIX_HOLE, an index past the end) is reported.
 */
void __set_fixmap(enum fixed_addresses idx, paddr_t phys, u32 prot);
#define set_fixmap(idx, phys)		__set_fixmap(idx, phys, PAGE_KERNEL)
#define set_fixmap_nocache(idx, phys)	__set_fixmap(idx, phys, PAGE_KERNEL_NC)
#define set_fixmap_io(idx, phys)	__set_fixmap(idx, phys, PAGE_KERNEL_DEVICE)
#define clear_fixmap(idx)		__set_fixmap(idx, 0, 0)

/* set_fixmap_offset_io: set_fixmap_io, returning the VA of phys itself (offset kept). */
void *set_fixmap_offset_io(enum fixed_addresses idx, paddr_t phys);

/*
 * fixmap_remap_ro: maps [pa, pa + size) read-only (Normal) in the slots first_idx,
 * first_idx - 1, ... (increasing VAs), at most max_pages of them; returns the
 * VA of pa, or NULL (with a report) if it does not fit. For a blob that must
 * stay reachable for the kernel's lifetime, e.g. the DTB (arm64 FIX_FDT).
 */
void *fixmap_remap_ro(enum fixed_addresses first_idx, unsigned int max_pages, paddr_t pa,
		      unsigned long size);

/*
 * early_ioremap: maps [phys, phys + size) Device-nGnRE in one of the
 * FIX_BTMAPS_SLOTS fixmap windows (at most NR_FIX_BTMAPS pages each) and
 * returns the VA of phys, or NULL (with a report) if size does not fit or all
 * windows are busy. early_memremap maps RAM (Normal). early_iounmap /
 * early_memunmap free the window; they must get the same size back.
 */
void *early_ioremap(paddr_t phys, unsigned long size);
void *early_memremap(paddr_t phys, unsigned long size);
void early_iounmap(void *addr, unsigned long size);
#define early_memunmap(addr, size)	early_iounmap(addr, size)

#endif

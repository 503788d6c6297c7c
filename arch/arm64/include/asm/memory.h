/* memory.h (arm64): the kernel's virtual address map and the PA<->VA conversions. */
#ifndef ASM_ARM64_MEMORY_H
#define ASM_ARM64_MEMORY_H

/*
 * 48-bit VA, 4 KiB granule. TTBR0 (the lower half) is empty after boot, so a
 * NULL or user-range dereference faults. TTBR1 holds the kernel:
 *
 *   0xffff_0000_0000_0000  PAGE_OFFSET     linear map of all RAM (PA 0 -> PAGE_OFFSET),
 *                                           2 MiB/1 GiB blocks where aligned
 *   0xffff_8000_0000_0000  PAGE_END        end of the linear map (128 TiB window)
 *   0xffff_8000_0800_0000  KIMAGE_VADDR    kernel image, _text at KIMAGE_VADDR + TEXT_OFFSET,
 *                                           sections mapped W^X with 4 KiB pages
 *   0xffff_8000_1000_0000  VMALLOC_START   vmalloc() and ioremap() area
 *   0xffff_fdff_ffe0_0000  VMALLOC_END
 *   0xffff_fe00_0000_0000  PERIPH_VADDR    the board's fixed device map (Pi 3: 16 MiB of
 *                                           peripherals, then the ARM-local block)
 *   0xffff_ffff_ffc0_0000  FIXADDR_START   fixmap: compile-time 4 KiB slots (asm/fixmap.h)
 *   0xffff_ffff_ffe0_0000  FIXADDR_TOP
 */
#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define VA_BITS			48

#define PAGE_OFFSET		0xffff000000000000UL
#define PAGE_END		0xffff800000000000UL
#define KIMAGE_VADDR		0xffff800008000000UL
#define KIMAGE_END		0xffff800010000000UL
#define TEXT_OFFSET		0x80000UL
#define VMALLOC_START		0xffff800010000000UL
#define VMALLOC_END		0xfffffdffffe00000UL
#define PERIPH_VADDR		0xfffffe0000000000UL
#define PERIPH_VEND		0xfffffe0002000000UL
#define FIXADDR_TOP		0xffffffffffe00000UL
#define FIXADDR_SIZE		0x200000UL
#define FIXADDR_START		(FIXADDR_TOP - FIXADDR_SIZE)

/* The Pi 3's RAM starts at PA 0; a board with RAM elsewhere sets this. */
#define PHYS_OFFSET		0x0UL

#ifndef __ASSEMBLER__
#include <types.h>

/* kimage_voffset = VA of the image - PA it was loaded at (set by head.S). */
extern u64 kimage_voffset;

static inline bool __is_lm_address(uintptr_t va)
{
	return va >= PAGE_OFFSET && va < PAGE_END;
}

#define __va(pa)	((void *)((uintptr_t)(pa) - PHYS_OFFSET + PAGE_OFFSET))
#define __pa(va)	((paddr_t)(__is_lm_address((uintptr_t)(va)) ? \
			 (uintptr_t)(va) - PAGE_OFFSET + PHYS_OFFSET : \
			 (uintptr_t)(va) - kimage_voffset))
#define __pa_symbol(x)	((paddr_t)((uintptr_t)(x) - kimage_voffset))
#define virt_to_phys(v)	__pa(v)
#define phys_to_virt(p)	__va(p)
#endif

#endif

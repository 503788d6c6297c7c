/* memory.h (arm64): the kernel's virtual address map and the PA<->VA conversions. */
#ifndef ASM_ARM64_MEMORY_H
#define ASM_ARM64_MEMORY_H

#include <const.h>

/*
 * 48-bit VA, 4 KiB granule. TTBR0 (the lower half) is empty after boot, so a
 * NULL or user-range dereference faults. TTBR1 holds the kernel:
 *
 *   0xffff_0000_0000_0000  PAGE_OFFSET     linear map of all RAM (PA 0 -> PAGE_OFFSET),
 *                                           2 MiB/1 GiB blocks where aligned
 *   0xffff_8000_0000_0000  PAGE_END        end of the linear map (128 TiB window; a KASAN=1
 *                                           build ends it at 0xffff_6000_0000_0000 and keeps
 *                                           the top 32 TiB for the shadow: asm/kasan.h)
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
#define PAGE_SIZE		(_UL(1) << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define VA_BITS			48
/* The user half (TTBR0): [0, TASK_SIZE), 48 bits as TCR_EL1.T0SZ = 16 gives (asm/sysreg.h). */
#define TASK_SIZE		(_UL(1) << VA_BITS)

#define PAGE_OFFSET		_UL(0xffff000000000000)
#ifdef CONFIG_KASAN
#include <asm/kasan.h>
#define PAGE_END		KASAN_SHADOW_START
#else
#define PAGE_END		_UL(0xffff800000000000)
#endif
#define KIMAGE_VADDR		_UL(0xffff800008000000)
#define KIMAGE_END		_UL(0xffff800010000000)
#define TEXT_OFFSET		_UL(0x80000)
#define VMALLOC_START		_UL(0xffff800010000000)
#define VMALLOC_END		_UL(0xfffffdffffe00000)
#define PERIPH_VADDR		_UL(0xfffffe0000000000)
#define PERIPH_VEND		_UL(0xfffffe0002000000)
#define FIXADDR_TOP		_UL(0xffffffffffe00000)
#define FIXADDR_SIZE		_UL(0x200000)
#define FIXADDR_START		(FIXADDR_TOP - FIXADDR_SIZE)

/*
 * Table pages for the kernel map before the linear map exists (head.S maps only
 * the image): a pool in the image's BSS (mm/pgalloc.c). The kernel map takes 9 (14 with KASAN).
 */
#ifdef CONFIG_KASAN
#define PT_BOOT_POOL_PAGES	24	/* + KASAN's shadow (5) and early_ioremap's */
#else
#define PT_BOOT_POOL_PAGES	16
#endif

/* head.S copies the DTB into the image (it is read before the linear map exists). */
#define BOOT_DTB_MAX		0x20000

/* The Pi 3's RAM starts at PA 0; a board with RAM elsewhere sets this. */
#define PHYS_OFFSET		_UL(0x0)

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

/* kasan.h (arm64): where KASAN's shadow lives in the 48-bit kernel VA map (KASAN=1 builds). */
#ifndef ASM_ARM64_KASAN_H
#define ASM_ARM64_KASAN_H

#include <const.h>

/*
 * One shadow byte describes 8 bytes of memory: shadow(va) = KASAN_SHADOW_OFFSET + (va >> 3),
 * the formula GCC's -fsanitize=kernel-address inlines for the stack's red zones and that
 * mm/kasan/ uses everywhere else. With Linux's offset for 48-bit VAs the shadow of TTBR1's
 * whole 256 TiB takes the top 32 TiB of the linear-map window:
 *
 *   0xffff_6000_0000_0000  KASAN_SHADOW_START   shadow of PAGE_OFFSET (the linear map)
 *   0xffff_7000_0100_0000                       shadow of KIMAGE_VADDR (the image)
 *   0xffff_7000_0200_0000                       shadow of VMALLOC_START
 *   0xffff_8000_0000_0000  KASAN_SHADOW_END     = PAGE_END without KASAN
 *
 * so a KASAN kernel's linear map ends at KASAN_SHADOW_START (96 TiB: still far more than
 * any Pi's RAM). Only three parts of the shadow are ever mapped (arch/arm64/mmu.c):
 *   the image's:   a 2 MiB block (covers 16 MiB of image VA) backed by kasan_early_shadow in
 *                  the image's BSS; head.S maps it before the first C function runs, because
 *                  instrumented prologues write their stack red zones' shadow directly
 *   the linear map's: RAM / 8 from memblock, mapped by paging_init (2 MiB blocks)
 *   vmalloc's:     pages from the buddy, mapped as vmalloc space is first handed out
 */
#define KASAN_SHADOW_SCALE_SHIFT	3
#define KASAN_SHADOW_OFFSET		_UL(0xdfff800000000000)
#define KASAN_SHADOW_START		_UL(0xffff600000000000)
#define KASAN_SHADOW_END		_UL(0xffff800000000000)
#define KASAN_EARLY_SHADOW_SIZE		_UL(0x200000)	/* one 2 MiB block: 16 MiB of image */

#define __kasan_shadow(va)		(KASAN_SHADOW_OFFSET + ((va) >> KASAN_SHADOW_SCALE_SHIFT))

#endif

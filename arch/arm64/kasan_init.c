/* kasan_init.c (arm64): KASAN's shadow regions for paging_init — the image's block and the linear map's. */
#include <asm/kasan.h>
#include <asm/memory.h>
#include <kernel/bug.h>
#include <mm/kasan.h>
#include <mm/memblock.h>
#include <mm/paging.h>
#include <mm/prot.h>

extern char kasan_early_shadow[];

static struct map_region kasan_regions[2];

/*
 * arch_kasan_shadow_regions: what paging_init maps for KASAN (RW NX):
 *   the image's shadow: head.S's 2 MiB block, kept where it is (same PA, same VA)
 *   the linear map's:   (RAM) / 8, 2 MiB-aligned, from memblock ("kasan-shadow"):
 *                       120 MiB for the Pi 3's 960 MiB; kasan_init clears it
 * RAM that appears later (the mailbox growing a default guess) has no shadow
 * and goes unchecked.
 */
unsigned int arch_kasan_shadow_regions(const struct map_region **regions)
{
	paddr_t start = memblock_start_of_DRAM(), end = memblock_end_of_DRAM();
	vaddr_t s = ALIGN_DOWN(__kasan_shadow((vaddr_t)__va(start)), SZ_2M);
	vaddr_t e = ALIGN(__kasan_shadow((vaddr_t)__va(end)), SZ_2M);
	paddr_t pa = memblock_phys_alloc(e - s, SZ_2M, "kasan-shadow");

	if (!pa)
		panic("kasan: no 0x%llx bytes of memblock for the linear map's shadow",
		      (unsigned long long)(e - s));
	kasan_regions[0] = (struct map_region){ __kasan_shadow(KIMAGE_VADDR), __pa_symbol(kasan_early_shadow),
						KASAN_EARLY_SHADOW_SIZE, PAGE_KERNEL, "KASAN shadow (image)" };
	kasan_regions[1] = (struct map_region){ s, pa, e - s, PAGE_KERNEL, "KASAN shadow (linear map)" };
	*regions = kasan_regions;
	return ARRAY_SIZE(kasan_regions);
}

/* mmzone.h (x86): the PC's physical zones — DMA below 16 MiB, Normal to 896 MiB, HighMem above. */
#ifndef ASM_X86_MMZONE_H
#define ASM_X86_MMZONE_H

#include <asm/memory.h>

/*
 * Zone limits are physical addresses (exclusive ends) for the generic zone code
 * (include/mm/mmzone.h, mm/mm_init.c), as Linux's 32-bit x86 has them:
 *   ZONE_DMA      below 16 MiB: what an ISA DMA controller (24 address lines) reaches.
 *   ZONE_NORMAL   up to MAXMEM (896 MiB): lowmem, permanently in the linear map
 *                 at PAGE_OFFSET (asm/memory.h).
 *   ZONE_HIGHMEM  all RAM above, including RAM above 4 GiB that only PAE can
 *                 address; no permanent mapping, reached through kmap()
 *                 (ARCH_HAS_HIGHMEM, defined in asm/memory.h).
 * Page-table pages and mem_map always come from lowmem (memblock's limit and
 * the buddy's GFP_KERNEL both stay below ZONE_NORMAL's end).
 */
#define ARCH_ZONE_DMA_LIMIT	0x1000000ULL		/* 16 MiB */
#define ARCH_ZONE_NORMAL_LIMIT	((unsigned long long)MAXMEM)	/* 896 MiB */

#endif

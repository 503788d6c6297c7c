/* mmzone.h (arm64): which physical zones the Raspberry Pi 3 has, and where they end. */
#ifndef ASM_ARM64_MMZONE_H
#define ASM_ARM64_MMZONE_H

/*
 * Zone limits are physical addresses (exclusive ends) handed to the generic zone
 * code (include/mm/mmzone.h, mm/mm_init.c).
 *
 * The Pi 3 has one zone worth having: ZONE_DMA, ending at 1 GiB.
 *   - The BCM2837's DMA engines and the VideoCore see ARM RAM through a 1 GiB bus
 *     window (bus address 0xC000_0000 + PA, the DT's dma-ranges on /soc), so only
 *     PA below 1 GiB is reachable by a device. All of the ARM's RAM (0..0x3BFF_FFFF,
 *     960 MiB; the top 64 MiB of the 1 GiB belongs to the VideoCore) lies below it.
 *   - Linux 6.1 on raspi3b derives the same limit (zone_dma_bits = 30) and puts all
 *     960 MiB in ZONE_DMA, leaving DMA32 and Normal empty; we do the same.
 *   - ZONE_NORMAL exists but is empty here (its limit is the top of the address
 *     space), so GFP_KERNEL falls back to ZONE_DMA and a board with more RAM would
 *     fill it without code changes.
 *   - No ZONE_HIGHMEM: the 48-bit linear map reaches all RAM (ARCH_HAS_HIGHMEM unset).
 */
#define ARCH_ZONE_DMA_LIMIT	0x40000000ULL		/* 1 GiB: the VideoCore's DMA reach */
#define ARCH_ZONE_NORMAL_LIMIT	(~0ULL)			/* everything else (none on a Pi 3) */

#ifndef __ASSEMBLER__
/*
 * Boot-time memory setup of the Pi 3 (arch/arm64/memory.c), called by setup_arch:
 *   arm64_memblock_init(dtb)  discovery into memblock and the boot reservations
 *   paging_init()             the final map, linear map of memblock's RAM
 *   arm64_memblock_late_init() without a DTB: asks the firmware mailbox (which
 *                             paging_init has mapped) and corrects the default
 * then start_kernel calls mem_init().
 */
bool arm64_memblock_init(const void *dtb);
void arm64_memblock_late_init(void);
#endif

#endif

/* dma-mapping.h (arm64, Pi 3): how devices address RAM — the VideoCore's bus view. */
#ifndef ASM_ARM64_DMA_MAPPING_H
#define ASM_ARM64_DMA_MAPPING_H

#include <types.h>

/*
 * The BCM2837's DMA masters (the VideoCore, its DMA engines, the mailbox)
 * see ARM RAM at bus address 0xC0000000 + PA: the "C" alias, which bypasses
 * the VideoCore's L2 cache (BCM2835 ARM Peripherals, 1.2.4; Linux's Pi DTs say
 * so in dma-ranges). Peripherals sit at bus 0x7E000000 (not needed here).
 */
#define DMA_BUS_OFFSET		0xc0000000ULL
#define DMA_BUS_LIMIT		0x3fffffffULL	/* the highest PA the alias reaches */

static inline dma_addr_t phys_to_dma(paddr_t pa)
{
	return pa + DMA_BUS_OFFSET;
}

static inline paddr_t dma_to_phys(dma_addr_t bus)
{
	return bus - DMA_BUS_OFFSET;
}

#endif

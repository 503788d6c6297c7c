/* dma-mapping.h (x86): devices see RAM at its physical address. */
#ifndef ASM_X86_DMA_MAPPING_H
#define ASM_X86_DMA_MAPPING_H

#include <types.h>

#define DMA_BUS_OFFSET		0ULL
#define DMA_BUS_LIMIT		0xffffffffULL	/* 32-bit DMA masters */

static inline dma_addr_t phys_to_dma(paddr_t pa)
{
	return pa + DMA_BUS_OFFSET;
}

static inline paddr_t dma_to_phys(dma_addr_t bus)
{
	return bus - DMA_BUS_OFFSET;
}

#endif

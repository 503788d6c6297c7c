/* dma.h: coherent DMA buffers and streaming-buffer cache maintenance (Linux's DMA API, one bus). */
#ifndef PAGODA_DMA_H
#define PAGODA_DMA_H

#include <types.h>
#include <mm/gfp.h>
#include <asm/dma-mapping.h>

/* pagoda has one DMA view of memory per board; the device argument is kept for Linux's
 * signatures and may be NULL. */
struct device;

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

#define DMA_MAPPING_ERROR	(~(dma_addr_t)0)

/*
 * dma_alloc_coherent: size bytes (rounded up to a power-of-two number of
 * pages) of physically contiguous, zeroed memory from the buddy, mapped
 * Normal non-cacheable in the vmalloc space (a "dma-coherent" area with a
 * guard page). Returns the CPU address and stores the device's (bus) address
 * in *dma_handle; NULL on failure. The linear-map alias of the pages is
 * cleaned and invalidated first, so no dirty line can later overwrite what
 * the device wrote.
 */
void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp);
/* dma_free_coherent: undoes dma_alloc_coherent (same size and handle; mismatches are reported). */
void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle);

/*
 * Streaming buffers in cacheable memory (the linear map). dma_map_single
 * gives the buffer to the device (clean, or clean+invalidate for
 * DMA_BIDIRECTIONAL) and returns its bus address; dma_unmap_single takes it
 * back (invalidate unless DMA_TO_DEVICE). The sync calls do the same halves
 * for a buffer that stays mapped. Maintenance is by VA over whole cache lines
 * (the line size from the arch: CTR_EL0.DminLine on arm64); a partial line
 * at either end is cleaned+invalidated, never just invalidated.
 */
dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size, enum dma_data_direction dir);
void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir);
void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
				enum dma_data_direction dir);
void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir);

/* The same maintenance on a kernel virtual address range (linear map or vmalloc). */
void dma_sync_va_for_device(const void *va, size_t size, enum dma_data_direction dir);
void dma_sync_va_for_cpu(const void *va, size_t size, enum dma_data_direction dir);

#endif

/* cacheflush.h (x86): DMA is cache-coherent on a PC, so the data-cache hooks do nothing. */
#ifndef ASM_X86_CACHEFLUSH_H
#define ASM_X86_CACHEFLUSH_H

/* Devices snoop the CPU caches (PCI/ISA DMA on x86): no maintenance for DMA. */
#define ARCH_DMA_NONCOHERENT	0

static inline unsigned long dcache_line_size(void)
{
	return 64;
}

static inline void dcache_clean_range(unsigned long start, unsigned long end) { }
static inline void dcache_inval_range(unsigned long start, unsigned long end) { }
static inline void dcache_clean_inval_range(unsigned long start, unsigned long end) { }

#endif

/* io.h: mapping device registers (ioremap family) and the MMIO accessors drivers use on them. */
#ifndef PAGODA_IO_H
#define PAGODA_IO_H

#include <types.h>

#ifndef __iomem
#define __iomem		/* a marker for readers: the pointer is device memory */
#endif

/*
 * ioremap: maps [phys, phys + size) (any alignment; whole pages are mapped)
 * Device-nGnRE, execute-never, in the vmalloc space with a guard page after
 * it, and returns the VA of phys — or NULL (with a report) for size 0, a range
 * that wraps, or RAM that the buddy manages (mapping RAM with another memory
 * type than the linear map is a correctness bug on arm64). ioremap_wc maps
 * Normal non-cacheable (write-combining: frame buffers, DMA rings);
 * ioremap_np Device-nGnRnE (non-posted writes). iounmap takes any address
 * inside the mapping's first page and is reported if it is not an ioremap.
 */
void __iomem *ioremap(paddr_t phys, unsigned long size);
void __iomem *ioremap_wc(paddr_t phys, unsigned long size);
void __iomem *ioremap_np(paddr_t phys, unsigned long size);
void iounmap(volatile void __iomem *addr);

/*
 * arch_ioremap_devices: a boot step of start_kernel(), right after
 * vmalloc_init(): the arch moves its drivers (consoles, mailbox) from the
 * boot-time device map to ioremap'd registers. The default (mm/ioremap.c,
 * weak) does nothing.
 */
void arch_ioremap_devices(void);

static inline u32 readl(const volatile void __iomem *addr)
{
	return *(const volatile u32 *)addr;
}

static inline void writel(u32 v, volatile void __iomem *addr)
{
	*(volatile u32 *)addr = v;
}

#endif

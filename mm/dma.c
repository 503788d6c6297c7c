/* dma.c: coherent DMA buffers (non-cacheable vmalloc mappings) and streaming cache maintenance. */
#include <mm/dma.h>
#include <mm/vmalloc.h>
#include <mm/mm.h>
#include <mm/prot.h>
#include <asm/cacheflush.h>
#include <kernel/bug.h>
#include <kernel/printk.h>

static unsigned int size_order(size_t size)
{
	unsigned int order = 0;

	while (((size_t)PAGE_SIZE << order) < size)
		order++;
	return order;
}

void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp)
{
	unsigned int order = size_order(size);
	unsigned long len = PAGE_SIZE << order;
	struct vm_struct *vm;
	struct page *page;
	paddr_t pa;
	void *lm;

	if (!size || order >= MAX_ORDER)
		return NULL;
	page = alloc_pages((gfp & ~__GFP_HIGHMEM) | __GFP_ZERO, order);
	if (!page)
		return NULL;
	pa = page_to_phys(page);
	lm = page_address(page);
	/* The zeroes sit in cacheable lines of the linear alias: push them out, drop the lines. */
	dcache_clean_inval_range((unsigned long)lm, (unsigned long)lm + len);
	vm = get_vm_area_caller(len, PAGE_SIZE, VM_DMA_COHERENT, _RET_IP_);
	if (!vm)
		goto free_pages;
	vm->phys_addr = pa;
	vm->nr_pages = 1u << order;
	if (vmap_range((unsigned long)vm->addr, pa, len, PAGE_KERNEL_NC))
		goto free_area;
	*dma_handle = phys_to_dma(pa);
	return vm->addr;
free_area:
	free_vm_area(vm);
free_pages:
	__free_pages(page, order);
	return NULL;
}

void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle)
{
	struct vm_struct *vm = find_vm_area(cpu_addr);
	unsigned int order = size_order(size);

	if (vm && vm->addr == cpu_addr && (vm->flags & VM_DMA_COHERENT) &&
	    (dma_handle != phys_to_dma(vm->phys_addr) || vm->nr_pages != 1u << order)) {
		printk("dma_free_coherent: 0x%lx: handle 0x%llx / size %zu do not match the "
		       "allocation (0x%llx, %u pages); not freed\n", (unsigned long)cpu_addr,
		       (unsigned long long)dma_handle, size,
		       (unsigned long long)phys_to_dma(vm->phys_addr), vm->nr_pages);
		return;
	}
	vm = take_vm_area(cpu_addr, VM_DMA_COHERENT, "dma_free_coherent", _RET_IP_);
	if (!vm)
		return;
	vunmap_range((unsigned long)vm->addr, get_vm_area_size(vm));
	__free_pages(phys_to_page(vm->phys_addr), order);
	free_vm_area(vm);
}

/* Before the device reads or writes: dirty lines go to memory (Linux's arch_sync_dma_for_device). */
void dma_sync_va_for_device(const void *va, size_t size, enum dma_data_direction dir)
{
	unsigned long s = (unsigned long)va;

	if (!ARCH_DMA_NONCOHERENT || !size || dir == DMA_NONE)
		return;
	dcache_clean_range(s, s + size);
}

/* After the device wrote: drop stale lines so the CPU reads memory (arch_sync_dma_for_cpu). */
void dma_sync_va_for_cpu(const void *va, size_t size, enum dma_data_direction dir)
{
	unsigned long s = (unsigned long)va;

	if (!ARCH_DMA_NONCOHERENT || !size || dir == DMA_NONE || dir == DMA_TO_DEVICE)
		return;
	dcache_inval_range(s, s + size);
}

void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
				enum dma_data_direction dir)
{
	dma_sync_va_for_device(__va(dma_to_phys(addr)), size, dir);
}

void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir)
{
	dma_sync_va_for_cpu(__va(dma_to_phys(addr)), size, dir);
}

dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size, enum dma_data_direction dir)
{
	if (!virt_addr_valid(ptr)) {
		printk("dma_map_single: 0x%lx is not in the linear map\n", (unsigned long)ptr);
		return DMA_MAPPING_ERROR;
	}
	dma_sync_va_for_device(ptr, size, dir);
	return phys_to_dma(__pa(ptr));
}

void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	dma_sync_single_for_cpu(dev, addr, size, dir);
}

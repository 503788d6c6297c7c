/* ioremap.c: device registers mapped into the vmalloc space (Device-nGnRE, Normal-NC, nGnRnE). */
#include <mm/io.h>
#include <mm/vmalloc.h>
#include <mm/mm.h>
#include <mm/prot.h>
#include <kernel/bug.h>
#include <kernel/printk.h>

/* True if [pa, pa + len) holds a page the page allocator manages (not reserved). */
static bool range_is_managed_ram(paddr_t pa, paddr_t len)
{
	paddr_t p;

	if (!mem_map)
		return false;
	for (p = pa; p < pa + len; p += PAGE_SIZE) {
		unsigned long pfn = PHYS_PFN(p);

		if (pfn_valid(pfn) && !PageReserved(pfn_to_page(pfn)))
			return true;
	}
	return false;
}

static void __iomem *__ioremap_caller(paddr_t phys, unsigned long size, u32 prot,
				      unsigned long caller)
{
	paddr_t first = phys & ~(paddr_t)(PAGE_SIZE - 1), last = phys + size;
	unsigned long len, offset = (unsigned long)(phys - first);
	struct vm_struct *vm;

	if (!size || last < phys) {
		printk("ioremap: bad range 0x%016llx size 0x%lx (caller 0x%lx)\n",
		       (unsigned long long)phys, size, caller);
		return NULL;
	}
	len = (unsigned long)(ALIGN(last, (paddr_t)PAGE_SIZE) - first);
	if (range_is_managed_ram(first, len)) {
		printk("ioremap: refusing to map RAM 0x%016llx-0x%016llx that the page allocator "
		       "owns (caller 0x%lx)\n", (unsigned long long)first,
		       (unsigned long long)(first + len - 1), caller);
		return NULL;
	}
	vm = get_vm_area_caller(len, PAGE_SIZE, VM_IOREMAP, caller);
	if (!vm)
		return NULL;
	vm->phys_addr = first;
	if (vmap_range((unsigned long)vm->addr, first, len, prot)) {
		free_vm_area(vm);
		return NULL;
	}
	return (char *)vm->addr + offset;
}

void __iomem *ioremap(paddr_t phys, unsigned long size)
{
	return __ioremap_caller(phys, size, PAGE_KERNEL_DEVICE, _RET_IP_);
}

void __iomem *ioremap_wc(paddr_t phys, unsigned long size)
{
	return __ioremap_caller(phys, size, PAGE_KERNEL_NC, _RET_IP_);
}

void __iomem *ioremap_np(paddr_t phys, unsigned long size)
{
	return __ioremap_caller(phys, size, PAGE_KERNEL_DEVICE_nGnRnE, _RET_IP_);
}

void iounmap(volatile void __iomem *addr)
{
	struct vm_struct *vm;

	if (!addr)
		return;
	vm = take_vm_area((const void *)((uintptr_t)addr & PAGE_MASK), VM_IOREMAP, "iounmap",
			  _RET_IP_);
	if (vm)
		vunmap_area_lazy(vm);	/* the flush is batched with other freed areas' */
}

__weak void arch_ioremap_devices(void)
{
}

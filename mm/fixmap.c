/* fixmap.c: set_fixmap/clear_fixmap on the kernel context, and early_ioremap's fixmap windows. */
#include <mm/fixmap.h>
#include <mm/pgtable.h>
#include <kernel/bug.h>
#include <kernel/printk.h>

/* Every slot, FIX_HOLE included, lies inside [FIXADDR_START, FIXADDR_TOP]. */
BUILD_BUG_ON((unsigned long)(__end_of_fixed_addresses - 1) * PAGE_SIZE > FIXADDR_SIZE);

static bool bad_slot(unsigned int idx, const char *fn)
{
	if (idx != FIX_HOLE && idx < __end_of_fixed_addresses)
		return false;
	printk("%s: bad fixmap slot %u (slots 1..%u)\n", fn, idx, __end_of_fixed_addresses - 1);
	return true;
}

/* The slot is mapped to exactly (pa, prot) already. */
static bool slot_is(unsigned long va, paddr_t pa, u32 prot)
{
	struct pt_query q;

	return !pt_query(&init_mm, va, &q) && q.pa == pa && q.prot == prot;
}

void __set_fixmap(enum fixed_addresses idx, paddr_t phys, u32 prot)
{
	unsigned long va;
	paddr_t pa = phys & ~(paddr_t)(PAGE_SIZE - 1);
	struct pt_query q;

	if (bad_slot(idx, prot ? "set_fixmap" : "clear_fixmap"))
		return;
	va = __fix_to_virt(idx);
	if (prot && slot_is(va, pa, prot))
		return;
	/* Break before make: the old translation goes (with its TLB entry) before the new one. */
	if (!pt_query(&init_mm, va, &q))
		pt_unmap(&init_mm, va, PAGE_SIZE);
	if (prot && pt_map(&init_mm, va, pa, PAGE_SIZE, prot))
		printk("set_fixmap: slot %u: cannot map 0x%016llx\n", idx, (unsigned long long)pa);
}

void *set_fixmap_offset_io(enum fixed_addresses idx, paddr_t phys)
{
	set_fixmap_io(idx, phys);
	return (void *)(fix_to_virt(idx) + (unsigned long)(phys & (PAGE_SIZE - 1)));
}

void *fixmap_remap_ro(enum fixed_addresses first_idx, unsigned int max_pages, paddr_t pa,
		      unsigned long size)
{
	paddr_t first = pa & ~(paddr_t)(PAGE_SIZE - 1);
	unsigned long i, npages = (unsigned long)((ALIGN(pa + size, (paddr_t)PAGE_SIZE) - first) >>
						  PAGE_SHIFT);

	if (!size || npages > max_pages || first_idx < npages || bad_slot(first_idx, "fixmap_remap_ro")) {
		printk("fixmap_remap_ro: 0x%016llx size 0x%lx does not fit %u slots\n",
		       (unsigned long long)pa, size, max_pages);
		return NULL;
	}
	for (i = 0; i < npages; i++)
		__set_fixmap(first_idx - i, first + i * PAGE_SIZE, PAGE_KERNEL_RO);
	return (void *)(fix_to_virt(first_idx) + (unsigned long)(pa - first));
}

/* ---- early_ioremap -------------------------------------------------------------------- */

/* Window i covers slots FIX_BTMAP_BEGIN - i*NR_FIX_BTMAPS downwards: increasing VAs. */
static unsigned long btmap_pages[FIX_BTMAPS_SLOTS];

static unsigned long window_va(unsigned int i)
{
	return __fix_to_virt(FIX_BTMAP_BEGIN - i * NR_FIX_BTMAPS);
}

static void *early_remap(paddr_t phys, unsigned long size, u32 prot, unsigned long caller)
{
	paddr_t first = phys & ~(paddr_t)(PAGE_SIZE - 1);
	unsigned long offset = (unsigned long)(phys - first), npages;
	unsigned int i;

	npages = (unsigned long)((ALIGN(phys + size, (paddr_t)PAGE_SIZE) - first) >> PAGE_SHIFT);
	if (!size || phys + size < phys || npages > NR_FIX_BTMAPS) {
		printk("early_ioremap: 0x%016llx size 0x%lx does not fit a %u-page window "
		       "(caller 0x%lx)\n", (unsigned long long)phys, size, NR_FIX_BTMAPS, caller);
		return NULL;
	}
	for (i = 0; i < FIX_BTMAPS_SLOTS && btmap_pages[i]; i++)
		;
	if (i == FIX_BTMAPS_SLOTS) {
		printk("early_ioremap: all %u windows busy (caller 0x%lx)\n", FIX_BTMAPS_SLOTS, caller);
		return NULL;
	}
	if (pt_map(&init_mm, window_va(i), first, npages << PAGE_SHIFT, prot)) {
		printk("early_ioremap: cannot map 0x%016llx\n", (unsigned long long)first);
		return NULL;
	}
	btmap_pages[i] = npages;
	return (void *)(window_va(i) + offset);
}

void *early_ioremap(paddr_t phys, unsigned long size)
{
	return early_remap(phys, size, PAGE_KERNEL_DEVICE, _RET_IP_);
}

void *early_memremap(paddr_t phys, unsigned long size)
{
	return early_remap(phys, size, PAGE_KERNEL, _RET_IP_);
}

void early_iounmap(void *addr, unsigned long size)
{
	unsigned long va = (unsigned long)addr & PAGE_MASK, npages;
	unsigned int i;

	npages = (ALIGN((unsigned long)addr + size, PAGE_SIZE) - va) >> PAGE_SHIFT;
	for (i = 0; i < FIX_BTMAPS_SLOTS; i++) {
		if (btmap_pages[i] && window_va(i) == va)
			break;
	}
	if (i == FIX_BTMAPS_SLOTS || btmap_pages[i] != npages) {
		printk("early_iounmap(0x%lx, 0x%lx): %s\n", (unsigned long)addr, size,
		       i == FIX_BTMAPS_SLOTS ? "not an early_ioremap window" :
		       "size differs from the mapping's");
		return;
	}
	pt_unmap(&init_mm, va, npages << PAGE_SHIFT);
	btmap_pages[i] = 0;
}

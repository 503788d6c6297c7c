/* init.c (mm/kasan): KASAN's start (shadow live, globals registered), kasan.fault=, and vmalloc's shadow. */
#include "kasan.h"
#include <kernel/atomic.h>
#include <kernel/param.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <mm/mm.h>
#include <mm/gfp.h>
#include <mm/memblock.h>
#include <mm/pgtable.h>
#include <mm/prot.h>
#include <string.h>

void *__memset(void *p, int c, size_t n);

unsigned long kasan_lm_shadow_end;	/* written once by kasan_init */
unsigned long kasan_vm_shadow_end = VMALLOC_START;	/* grows; vmalloc_shadow_lock */
static DEFINE_SPINLOCK(vmalloc_shadow_lock);
static unsigned long vmalloc_shadow_pages;

extern void (*__init_array_start[])(void), (*__init_array_end[])(void);

/*
 * kasan_init (from arch_paging_done, right after paging_init's switch): the
 * linear map's shadow (mapped by paging_init from memblock) is cleared and
 * made live, then each file's constructor registers its globals (poisoning
 * their red zones in the image's shadow). Before this only the image was
 * checked (its shadow is head.S's block), and the stacks' red zones.
 */
void kasan_init(void)
{
	paddr_t start = memblock_start_of_DRAM(), end = memblock_end_of_DRAM();
	void (**ctor)(void);
	char *shadow = (char *)kasan_mem_to_shadow(__va(start));

	__memset(shadow, 0, (end - start) >> KASAN_SHADOW_SCALE_SHIFT);
	smp_store_release(&kasan_lm_shadow_end, (unsigned long)__va(end));
	for (ctor = __init_array_start; ctor < __init_array_end; ctor++)
		(*ctor)();
	kasan_kmemleak_init();
	printk("kasan: KernelAddressSanitizer initialized (generic, outline): shadow %llu KiB for "
	       "%llu MiB of RAM, %lu globals' files registered\n",
	       (unsigned long long)((end - start) >> (KASAN_SHADOW_SCALE_SHIFT + 10)),
	       (unsigned long long)((end - start) >> 20),
	       (unsigned long)(__init_array_end - __init_array_start));
}

/* Maps one zeroed page as the shadow at shadow_va; false if there is no memory. */
static bool map_shadow_page(unsigned long shadow_va)
{
	struct page *pg = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, 0);

	if (!pg)
		return false;
	if (pt_map(&init_mm, shadow_va, page_to_phys(pg), PAGE_SIZE, PAGE_KERNEL)) {
		__free_pages(pg, 0);
		return false;
	}
	vmalloc_shadow_pages++;
	return true;
}

/*
 * kasan_populate_vmalloc: the shadow of vmalloc space is mapped up to a
 * high-water mark that only grows, as vmalloc() areas get their pages (the
 * vmap allocator hands out the lowest fitting range, so the space in use stays
 * near VMALLOC_START): one shadow page per 32 KiB of space, from the buddy,
 * never given back. Space above the mark has no shadow and is not checked
 * (ioremap and vmap areas there; an area whose shadow page cannot be had).
 * New shadow says "accessible"; kasan_unpoison_vmalloc then marks the area.
 */
void kasan_populate_vmalloc(unsigned long addr, unsigned long size)
{
	const unsigned long per_page = PAGE_SIZE << KASAN_SHADOW_SCALE_SHIFT;
	unsigned long end = ALIGN(addr + size, per_page), mark, flags;

	spin_lock_irqsave(&vmalloc_shadow_lock, flags);
	for (mark = kasan_vm_shadow_end; mark < end; mark += per_page)
		if (!map_shadow_page(__kasan_shadow(mark)))
			break;
	smp_store_release(&kasan_vm_shadow_end, mark);
	spin_unlock_irqrestore(&vmalloc_shadow_lock, flags);
}

void *kasan_unpoison_vmalloc(void *addr, unsigned long size, unsigned long area_size)
{
	unsigned long end = ALIGN((unsigned long)addr + size, KASAN_GRANULE_SIZE);

	kasan_unpoison(addr, size);
	kasan_poison((void *)end, (unsigned long)addr + area_size - end, KASAN_VMALLOC_INVALID);
	return addr;
}

void kasan_poison_vmalloc(const void *addr, unsigned long size)
{
	kasan_poison(addr, size, KASAN_VMALLOC_INVALID);
}

unsigned long kasan_vmalloc_shadow_kb(void);
unsigned long kasan_vmalloc_shadow_kb(void)
{
	return vmalloc_shadow_pages * (PAGE_SIZE >> 10);
}

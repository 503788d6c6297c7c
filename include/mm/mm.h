/* mm.h: page frame numbers, mem_map and the conversions between pages, PFNs and addresses. */
#ifndef PAGODA_MM_H
#define PAGODA_MM_H

#include <compiler.h>
#include <mm/mm_types.h>
#include <mm/gfp.h>
#include <asm/memory.h>

#define PFN_ALIGN(x)	(((unsigned long)(x) + (PAGE_SIZE - 1)) & PAGE_MASK)
#define PFN_UP(x)	((unsigned long)(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT))
#define PFN_DOWN(x)	((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_PHYS(x)	((paddr_t)(x) << PAGE_SHIFT)
#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))

/*
 * mem_map: one struct page per page frame from min_low_pfn to max_pfn (exclusive),
 * holes included (they stay PG_reserved). mem_init() allocates it from memblock
 * and reaches it through the linear map. high_memory is the end of lowmem in the
 * linear map (the first byte that __va() does not reach on a highmem arch).
 */
extern struct page *mem_map;
extern unsigned long min_low_pfn;	/* first PFN of RAM */
extern unsigned long max_low_pfn;	/* end of lowmem (exclusive) */
extern unsigned long max_pfn;		/* end of RAM (exclusive) */
extern void *high_memory;

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn >= min_low_pfn && pfn < max_pfn;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + (pfn - min_low_pfn);
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map) + min_low_pfn;
}

static inline paddr_t page_to_phys(const struct page *page)
{
	return PFN_PHYS(page_to_pfn(page));
}

static inline struct page *phys_to_page(paddr_t pa)
{
	return pfn_to_page(PHYS_PFN(pa));
}

/*
 * The linear map of lowmem RAM as one VA range, [__va(min_low_pfn's PA),
 * high_memory): set by mem_init once mem_map exists (size 0 before, so nothing
 * is valid). Kept apart from the values it is computed from so that
 * virt_addr_valid, on every kfree, is one subtraction and one compare.
 */
extern uintptr_t lowmem_va_start;
extern unsigned long lowmem_va_size;

/* virt_addr_valid: v is in the linear map of lowmem RAM (so virt_to_page(v) is meaningful). */
static inline bool virt_addr_valid(const void *v)
{
	return (uintptr_t)v - lowmem_va_start < lowmem_va_size;
}

static inline struct page *virt_to_page(const void *v)
{
	return pfn_to_page(PHYS_PFN(__pa(v)));
}

/*
 * lowmem_virt_to_page: virt_to_page for a v that passes virt_addr_valid (a
 * slab object, a page the buddy handed out): the linear map is linear, so
 * its page is v's distance from lowmem_va_start, in pages, into mem_map.
 */
static inline struct page *lowmem_virt_to_page(const void *v)
{
	return mem_map + (((uintptr_t)v - lowmem_va_start) >> PAGE_SHIFT);
}

/* page_address: the linear-map address of a lowmem page; NULL for a highmem page (use kmap). */
static inline void *page_address(const struct page *page)
{
	if (PageHighMem(page))
		return NULL;
	return __va(page_to_phys(page));
}

/* Struct-page owners other than the buddy may use ->order/->lru/->private; the page
 * allocator records an allocated block's order + 1 in these flags bits of its head
 * page (0 while the page is free or reserved), so frees of the wrong order or of a
 * page that is not a block start are caught whatever the owner did with ->order. */
#define PAGE_ALLOC_ORDER_SHIFT	24
#define PAGE_ALLOC_ORDER_MASK	(0xfu << PAGE_ALLOC_ORDER_SHIFT)
/* Set on a free page filled with PAGE_POISON by page_poison=on; checked when it is next handed out. */
#define PAGE_POISONED_BIT	(1u << 28)
#define PAGE_POISON		0xaa

/* Pages the buddy manages (MemTotal), and those free in the buddy right now (MemFree). */
unsigned long totalram_pages(void);
unsigned long nr_free_pages(void);
/* Lowmem/highmem split of the two, for meminfo on a highmem arch. */
unsigned long totalhigh_pages(void);
unsigned long nr_free_highpages(void);

/*
 * mem_init: builds mem_map and the zones, then hands every free memblock range to
 * the buddy allocator in maximal aligned blocks and retires memblock. Called once,
 * after paging_init() has mapped all RAM.
 */
void mem_init(void);

#endif

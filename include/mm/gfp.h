/* gfp.h: allocation flags and the page allocator's API (mm/page_alloc.c). */
#ifndef PAGODA_GFP_H
#define PAGODA_GFP_H

#include <mm/mm_types.h>

#define __GFP_DMA	0x01u	/* from ZONE_DMA only */
#define __GFP_HIGHMEM	0x02u	/* HighMem allowed (caller maps it with kmap) */
#define __GFP_ATOMIC	0x04u	/* may dip below the min watermark; must not sleep */
#define __GFP_ZERO	0x08u	/* zero the pages */
#define __GFP_NOWARN	0x10u	/* no warning on failure */
#define __GFP_COMP	0x20u	/* compound: head/tail pages (kmalloc's large allocations) */
#define __GFP_NORETRY	0x40u	/* on failure, retry after draining only this CPU's lists (no cross call) */
#define __GFP_NOFAIL	0x80u	/* the caller cannot cope with failure: fault injection leaves it alone */
#define GFP_KERNEL	0x00u
#define GFP_ATOMIC	__GFP_ATOMIC
#define GFP_DMA		__GFP_DMA
#define GFP_HIGHUSER	__GFP_HIGHMEM

#define MAX_ORDER	11	/* orders 0..MAX_ORDER-1, as /proc/buddyinfo shows */

/* alloc_pages: 2^order contiguous pages, or NULL (with a one-line warning unless __GFP_NOWARN). */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
#define alloc_page(gfp) alloc_pages(gfp, 0)
/* __free_pages: gives back what alloc_pages returned; misuse is reported ("BUG: Bad page state"). */
void __free_pages(struct page *page, unsigned int order);
#define __free_page(p) __free_pages(p, 0)
/* split_page: an allocated non-compound order-n block becomes 2^n order-0 pages (mm/page_alloc.c). */
void split_page(struct page *page, unsigned int order);
/* Linear-map (lowmem) variants: return a kernel virtual address, or 0. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
#define free_page(addr) free_pages(addr, 0)

#endif

/* highmem.h: kmap — temporary kernel mappings for pages outside the linear map (HighMem). */
#ifndef PAGODA_MM_HIGHMEM_H
#define PAGODA_MM_HIGHMEM_H

#include <mm/mm.h>

/*
 * Linux's two kinds of highmem mapping, switched on by ARCH_HAS_HIGHMEM
 * (asm/memory.h); without it every page is in the linear map and both are
 * page_address().
 *
 *   kmap(page) / kunmap(page)        persistent: a slot of the pkmap area
 *       [PKMAP_BASE, PKMAP_BASE + LAST_PKMAP pages), reference-counted per page
 *       (kmapping a mapped page returns the same address). kunmap only drops
 *       the count; the entry stays until the slot allocator wraps round and
 *       clears every unused slot with ONE TLB flush (lazy flushing). Returns
 *       NULL (with a report) when every slot is in use — Linux would sleep.
 *   kmap_local_page(page) / kunmap_local(addr)   short-lived: a per-CPU
 *       fixmap slot (FIX_KMAP_BEGIN..FIX_KMAP_END, asm/fixmap.h), strictly
 *       nested: kunmap_local must get the innermost mapping first. Each unmap
 *       clears its entry and flushes that one page. kmap_atomic is the same.
 * Lowmem pages need no slot: both return page_address() and unmapping is a no-op.
 * Misuse (kunmap of a page not kmapped, out-of-order kunmap_local, nesting
 * deeper than KM_MAX_IDX) prints a "BUG: ..." report and changes nothing.
 */
void *kmap(struct page *page);
void kunmap(struct page *page);
void *kmap_local_page(struct page *page);
void kunmap_local(const void *vaddr);
#define kmap_atomic(page)	kmap_local_page(page)
#ifdef ARCH_HAS_HIGHMEM
#include <asm/fixmap.h>
#define KMAP_LOCAL_MAX		KM_MAX_IDX	/* kmap_local nesting depth per CPU */
#define PKMAP_SLOTS		LAST_PKMAP	/* persistent kmap slots (asm/memory.h) */
#else
#define KMAP_LOCAL_MAX		0		/* nothing to nest: no page needs a slot */
#define PKMAP_SLOTS		0
#endif
#define kunmap_atomic(addr)	kunmap_local(addr)

/* clear_highpage: zeroes a page wherever it lives (the page allocator's __GFP_ZERO uses it). */
void clear_highpage(struct page *page);
void memcpy_to_page(struct page *page, size_t offset, const void *from, size_t len);
void memcpy_from_page(void *to, struct page *page, size_t offset, size_t len);

/* For tests and /proc: persistent slots mapped (count >= 1), in use (count >= 2), wrap flushes. */
struct kmap_stats {
	unsigned int pkmap_mapped;
	unsigned int pkmap_in_use;
	unsigned int local_depth;	/* this CPU's kmap_local nesting */
	unsigned long pkmap_flushes;
};
void kmap_get_stats(struct kmap_stats *st);

#endif

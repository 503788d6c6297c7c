/* page_alloc_debug.h: the buddy's misuse reports and invariant checker (mm/page_alloc_debug.c). */
#ifndef PAGODA_PAGE_ALLOC_DEBUG_H
#define PAGODA_PAGE_ALLOC_DEBUG_H

#include <mm/mmzone.h>

/* Number of "BUG: Bad page state" reports printed since boot. */
extern unsigned long bad_page_count;

void bad_page(const struct page *page, unsigned int order, const char *reason, unsigned long caller);
void bad_page_addr(unsigned long addr, const char *reason, unsigned long caller);
/* True if page may be freed as an order-order block; otherwise reports and returns false. */
bool free_pages_check(struct page *page, unsigned int order, unsigned long caller);

/*
 * Page poisoning (boot parameter page_poison=on, or page_poisoning_set() in tests):
 * freed lowmem pages are filled with PAGE_POISON (0xaa); when such a page is handed
 * out again every byte must still be 0xaa, else a use-after-free wrote to it and a
 * "BUG: Bad page state" report says where. Costs a fill and a scan per page.
 */
extern bool page_poisoning;
extern unsigned long nr_poisoned_pages;	/* free pages carrying poison, not yet checked */
void page_poisoning_set(bool on);
void kernel_poison_pages(struct page *page, unsigned int order);
void check_poison_pages(struct page *page, unsigned int order, unsigned long caller);

/*
 * buddy_verify_zone: checks z's free lists and per-CPU lists against mem_map
 * (alignment, flags, no overlap, no unmerged buddies, counts, zone tags, and
 * reserved + managed = spanned). Returns the pages free in z (buddy + per-CPU),
 * or -1 with the first violation described in why. It holds zone->lock, and it
 * also reads the other CPUs' lists: call it when no other CPU is allocating or
 * freeing (after drain_all_pages, or between the phases of a torture).
 */
long buddy_verify_zone(const struct zone *z, char *why, size_t n);

#endif

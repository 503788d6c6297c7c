/* page_owner.h: who allocated each page — the stack, gfp and order of every allocated block (Linux's page_owner). */
#ifndef PAGODA_PAGE_OWNER_H
#define PAGODA_PAGE_OWNER_H

#include <types.h>
#include <compiler.h>
#include <kernel/stackdepot.h>

struct page;

/*
 * One record per page frame (only a block's head page is filled), in a side
 * table made at boot by page_owner=on: sizeof(struct page_owner) = 24 bytes
 * per page of RAM (960 MiB on the Pi 3: 245760 pages, 5.6 MiB). A record is
 * written only by the CPU that holds the block (at its allocation, at its
 * free), which the buddy's own locking orders; readers (the debugfs files)
 * see a consistent record for blocks not changing hands while they read.
 */
struct page_owner {
	depot_stack_handle_t handle;		/* allocation stack; 0: never allocated since boot */
	depot_stack_handle_t free_handle;	/* last free stack */
	u64 ts_nsec;				/* allocation time, ns since boot */
	gfp_t gfp_mask;
	u16 order;
	u16 allocated;				/* 1 between alloc and free */
};

/* The table and the PFN it starts at; NULL while page_owner is off. */
extern struct page_owner *page_owner_table;
extern unsigned long page_owner_start_pfn, page_owner_nr;

void __page_owner_alloc(struct page *page, unsigned int order, gfp_t gfp);
void __page_owner_free(struct page *page, unsigned int order);

/* set_page_owner: the buddy's one call at allocation (a load and a branch when off). */
static __always_inline void set_page_owner(struct page *page, unsigned int order, gfp_t gfp)
{
	if (unlikely(READ_ONCE(page_owner_table)))
		__page_owner_alloc(page, order, gfp);
}

/* reset_page_owner: the buddy's one call at free. */
static __always_inline void reset_page_owner(struct page *page, unsigned int order)
{
	if (unlikely(READ_ONCE(page_owner_table)))
		__page_owner_free(page, order);
}

/*
 * page_owner_attach: turns recording on with a table the caller made
 * (nr records from start_pfn, zeroed), e.g. a test in a kernel booted without
 * page_owner=on; page_owner_detach turns it off and returns the table. Only
 * with no other CPU allocating.
 */
void page_owner_attach(struct page_owner *table, unsigned long start_pfn, unsigned long nr);
struct page_owner *page_owner_detach(void);
/* The record of pfn's block head, or NULL (off, outside the table). */
const struct page_owner *page_owner_lookup(unsigned long pfn);

#endif

/* vm_test.h: set-up shared by the vmalloc, ioremap, fixmap and DMA suites. */
#ifndef PAGODA_TESTS_VM_TEST_H
#define PAGODA_TESTS_VM_TEST_H

#include <mm/mm.h>
#include <mm/pgtable.h>
#include <test_machine.h>

/*
 * vm_prot: what a query reports for a page mapped with prot on this CPU — the
 * arch's own round trip, so a CPU that cannot express a bit (x86 without NX:
 * everything is executable) is held to what it can do, and no more.
 */
static inline u32 vm_prot(u32 prot)
{
	return pte_leaf_prot(pte_mk_leaf(0, PT_LEVELS - 1, prot), PT_LEVELS - 1);
}

/* One HighMem page, or NULL (nothing taken) if the allocator hands out lowmem. */
static inline struct page *alloc_highpage(void)
{
	struct page *p = alloc_page(GFP_HIGHUSER | __GFP_NOWARN);

	if (p && !PageHighMem(p)) {
		__free_page(p);
		return NULL;
	}
	return p;
}

#endif

/* vmalloc.h: virtually contiguous kernel memory — vmalloc, vmap, the areas behind ioremap and DMA. */
#ifndef PAGODA_VMALLOC_H
#define PAGODA_VMALLOC_H

#include <mm/vmap_area.h>
#include <mm/gfp.h>
#include <lib/list.h>
#include <asm/memory.h>

/* The kind of an area (Linux's VM_* names); /proc/vmallocinfo prints it. */
#define VM_IOREMAP	0x001u	/* ioremap(): device registers, phys= */
#define VM_ALLOC	0x002u	/* vmalloc(): pages from the buddy, pages= */
#define VM_MAP		0x004u	/* vmap(): the caller's pages */
#define VM_DMA_COHERENT	0x010u	/* dma_alloc_coherent(): buddy pages, non-cacheable */
#define VM_NO_GUARD	0x040u	/* no guard page after the area (bare VA reservations only) */

/*
 * One area of the vmalloc space. [addr, addr + size) includes the guard page
 * (unmapped) that follows the mapping, as Linux counts it. Instead of Linux's
 * pages[] array (a second allocation, 8 bytes a page), a vmalloc area strings
 * the pages it owns on `pages` through page->lru, which the buddy leaves to
 * the owner of an allocated page.
 */
struct vm_struct {
	struct va_node va;		/* busy-tree node: [addr, addr + size) */
	void *addr;
	unsigned long size;		/* bytes, guard page included */
	unsigned int flags;		/* VM_* */
	unsigned int nr_pages;		/* mapped pages (VM_ALLOC, VM_MAP, VM_DMA_COHERENT) */
	paddr_t phys_addr;		/* VM_IOREMAP / VM_DMA_COHERENT: first physical byte */
	unsigned long caller;		/* return address of the allocating call */
	struct list_head pages;		/* VM_ALLOC: the pages it owns, in VA order */
	struct vm_struct *next_lazy;	/* on the purge list (vmap_area_lock) once lazily freed */
};

/* The mapped size of an area (without its guard page). */
static inline unsigned long get_vm_area_size(const struct vm_struct *vm)
{
	return vm->size - (vm->flags & VM_NO_GUARD ? 0 : PAGE_SIZE);
}

/* vmalloc_init: the VA space [VMALLOC_START, VMALLOC_END); call once the buddy works. */
void vmalloc_init(void);

/*
 * vmalloc: size bytes (rounded up to pages) of zero-filled or uninitialised
 * memory, virtually contiguous, mapped RW+NX Normal, followed by an unmapped
 * guard page. Pages come one at a time from the buddy (order 0), so it
 * succeeds whenever enough pages are free, however fragmented. NULL on failure
 * (with a "vmalloc: allocation failure" line), never a partial area.
 */
void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
/*
 * vfree: undoes vmalloc (NULL is ignored). A pointer that is not an area's
 * start, or an area that vmalloc did not make, is reported ("Trying to
 * vfree() ...") and ignored. The mapping is emptied and the pages freed at
 * once; the TLB flush and the VA's reuse wait for the next purge (lazy free,
 * mm/vmalloc.c). vunmap and iounmap free lazily too. Any CPU may call them.
 */
void vfree(const void *addr);
/*
 * vmap: maps count caller-owned pages contiguously with prot (PROT_* | MT_*),
 * plus a guard page. vunmap removes the mapping; the pages stay the caller's.
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags, unsigned long prot);
void vunmap(const void *addr);

/*
 * get_vm_area_caller: reserves size bytes (page multiple) + a guard page,
 * aligned to align, maps nothing. free_vm_area_unmap undoes it after
 * unmapping [addr, addr + get_vm_area_size). For ioremap, dma and tests.
 */
struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long align, unsigned int flags,
				     unsigned long caller);
void free_vm_area(struct vm_struct *vm);
/* vunmap_area_lazy: for an area taken out with take_vm_area: empties its mapping
 * (no flush) and frees its VA lazily, as vunmap does. */
void vunmap_area_lazy(struct vm_struct *vm);

/*
 * purge_vmap_area_lazy: flushes every lazily freed area (one
 * flush_tlb_kernel_range over their union, their emptied page tables freed
 * after it) and returns their VAs to the free space. Returns true if this call
 * or a purge it waited for freed something. vm_unmap_aliases (Linux's name):
 * the same, for callers that need no stale translation of a freed area left
 * anywhere (e.g. before changing the memory type of the pages).
 */
bool purge_vmap_area_lazy(void);
void vm_unmap_aliases(void);
struct vmap_lazy_stats {
	unsigned long lazy_areas;	/* freed areas waiting for a purge */
	unsigned long lazy_pages;	/* their pages, guards included */
	unsigned long max_pages;	/* the threshold that starts a purge */
	unsigned long purges;		/* purges that flushed something, since boot */
};
void vmap_lazy_stats(struct vmap_lazy_stats *st);
/* vmap_set_lazy_max: sets the purge threshold in pages (0: Linux's lazy_max_pages()); returns the old one. For tests. */
unsigned long vmap_set_lazy_max(unsigned long pages);
/*
 * take_vm_area: the area starting at addr whose flags include one of kinds,
 * taken out of the busy tree (the caller unmaps it and calls free_vm_area).
 * Anything else (unknown address, not an area's start, another kind) is
 * reported as "Trying to <fn>() bad address ..." and gives NULL.
 */
struct vm_struct *take_vm_area(const void *addr, unsigned int kinds, const char *fn,
			       unsigned long caller);
/* find_vm_area: the area holding addr (its guard page included), or NULL. O(log n). */
struct vm_struct *find_vm_area(const void *addr);
/* remove_vm_area: find_vm_area(addr) if addr is its start, taken out of the busy tree. */
struct vm_struct *remove_vm_area(const void *addr);

/* Maps/unmaps [addr, addr + size) in init_mm; vmap_range returns pt_map's status. */
int vmap_range(unsigned long addr, paddr_t pa, unsigned long size, unsigned long prot);
void vunmap_range(unsigned long addr, unsigned long size);

/* vmalloc_to_page / vmalloc_to_pfn: the page mapped at a vmalloc address, or NULL. */
struct page *vmalloc_to_page(const void *addr);
bool is_vmalloc_addr(const void *addr);

/*
 * vmalloc_describe_fault: for a faulting kernel address in the vmalloc space,
 * writes one line naming the area ("in the guard page of the vmalloc area
 * 0x...-0x... (8192 bytes, vmalloc, caller 0x...)") and returns buf, or
 * returns NULL if addr is not in the vmalloc space. Safe in a fault handler.
 */
const char *vmalloc_describe_fault(unsigned long addr, char *buf, size_t n);

/* vmalloc_check: every invariant of the free and busy trees, or a description of the first
 * violation (NULL if all hold). O(n log n): for tests. */
const char *vmalloc_check(void);

/* Counts for /proc/meminfo (bytes) and tests. */
unsigned long vmalloc_total(void);
unsigned long vmalloc_nr_areas(void);

/* Dereferencing a vmalloc address works. A machine whose kernel context is
 * simulated (the host seam's asm/memory.h) says 0: tests then reach the pages
 * through vmalloc_to_page. */
#ifndef VMALLOC_VA_LIVE
#define VMALLOC_VA_LIVE	1
#endif

#endif

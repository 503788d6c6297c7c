/* mm_types.h: struct page — one per physical page frame, 32 bytes on arm64. */
#ifndef PAGODA_MM_TYPES_H
#define PAGODA_MM_TYPES_H

#include <types.h>
#include <lib/list.h>
#include <kernel/atomic.h>

struct kmem_cache;

/*
 * struct page is 32 bytes on a 64-bit arch (Linux's is 64) and 20 on 32-bit x86:
 *   flags    PG_* bits below, and the zone index in the top bits (page_zonenum()).
 *            Bits 24-27 are the page allocator's record of an allocated block's
 *            order (mm.h PAGE_ALLOC_ORDER_*): change flags with Set/ClearPageFlag only.
 *   order    buddy: order of a free block (PG_buddy) or of a compound head (PG_head);
 *            slab: objects in use (inuse) and the first free object's index (freeidx).
 *   lru      buddy free list, per-CPU list, or the slab's partial list — OR, for a
 *            page mapped into user space (an anonymous or program page of a process,
 *            order 0, on no list while it is mapped), its two counts:
 *              _refcount  references: one per mapping (fork's sharing adds one per
 *                         child); the last put_page frees it
 *              _mapcount  user page-table entries that map it; 1 means a COW write
 *                         fault may make it writable in place (mm/memory.c do_wp_page)
 *            Set by install_user_page (both 1), or for a shared anonymous page
 *            (PG_shmem) by its object (refcount 1 for the object, mapcount 0, then
 *            one more of each per mapping: include/mm/shmem.h); while a page is free, in the per-CPU
 *            lists or in a slab, the words are list pointers and the counts mean nothing.
 *            Atomic: processes on different CPUs fault on and exit from shared pages.
 *   union    slab_cache for PG_slab pages; compound_head for PG_tail pages;
 *            private for whoever owns the page (a large kmalloc: its page count).
 * Every other page has exactly one owner (the allocator or the caller of
 * alloc_pages), so __free_pages hands ownership back and misuse is caught by the
 * PG_buddy / PG_reserved checks instead.
 */
struct page {
	u32 flags;
	union {
		u32 order;
		struct {
			u16 inuse;
			u16 freeidx;
		};
	};
	union {
		struct list_head lru;
		struct {			/* a user-mapped page: see above */
			atomic_t _refcount;
			atomic_t _mapcount;
		};
	};
	union {
		struct kmem_cache *slab_cache;
		struct page *compound_head;
		unsigned long private;
	};
};

enum pageflags {
	PG_reserved,	/* never handed to the buddy (memblock reserved, or a hole) */
	PG_buddy,	/* free, head of a block of 2^order pages in a free_area */
	PG_head,	/* first page of a compound allocation (order in ->order) */
	PG_tail,	/* other pages of a compound allocation (->compound_head) */
	PG_slab,	/* owned by the slab allocator (->slab_cache) */
	PG_pcp,		/* free, on a per-CPU list */
	PG_highmem,	/* not in the linear map (x86 HighMem) */
	PG_pgtable,	/* a page-table page */
	PG_large_kmalloc, /* first page of a large kmalloc (mm/kmalloc.c): page count in ->private,
			     the pages after it are PG_tail with ->compound_head */
	PG_shmem,	/* held by a shared anonymous object (mm/shmem.c): its _refcount has the
			   object's reference besides one per mapping */
	NR_PAGEFLAGS,
};

#define ZONES_SHIFT	30	/* zone index lives in flags bits 30-31 */

/*
 * Page flags on SMP: a page's flags have one writer at a time — its owner
 * (the allocation, or the CPU whose per-CPU list holds it), or zone->lock's
 * holder while the page is free in the buddy — so a read-modify-write loses
 * nothing and needs no atomic instruction. Others may read them meanwhile
 * (the buddy checks a neighbour's PG_buddy under zone->lock while its owner
 * clears PG_slab): every access is one whole word, READ_ONCE/WRITE_ONCE.
 */
static inline bool PageFlag(const struct page *p, enum pageflags f) { return READ_ONCE(p->flags) & (1u << f); }
static inline void SetPageFlag(struct page *p, enum pageflags f) { WRITE_ONCE(p->flags, READ_ONCE(p->flags) | 1u << f); }
static inline void ClearPageFlag(struct page *p, enum pageflags f) { WRITE_ONCE(p->flags, READ_ONCE(p->flags) & ~(1u << f)); }
#define PageReserved(p)	PageFlag(p, PG_reserved)
#define PageBuddy(p)	PageFlag(p, PG_buddy)
#define PageHead(p)	PageFlag(p, PG_head)
#define PageTail(p)	PageFlag(p, PG_tail)
#define PageSlab(p)	PageFlag(p, PG_slab)
#define PageHighMem(p)	PageFlag(p, PG_highmem)
#define PageShmem(p)	PageFlag(p, PG_shmem)
static inline unsigned int page_zonenum(const struct page *p) { return p->flags >> ZONES_SHIFT; }

#endif

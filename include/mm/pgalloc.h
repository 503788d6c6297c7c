/* pgalloc.h: the one table-page allocator — a context's pool, then memblock, then the buddy. */
#ifndef PAGODA_MM_PGALLOC_H
#define PAGODA_MM_PGALLOC_H

#include <compiler.h>
#include <asm/memory.h>
#include <types.h>

struct mm_ctx;

/*
 * A pool of table pages in static storage, handed out lowest free page first
 * (so addresses are deterministic). The kernel's boot pool lives in the image's
 * BSS and is reached before any linear map exists; a test's pool gives its
 * pages made-up physical addresses (the tables are only ever read through
 * pagetable_va, never by the MMU). A pool is not locked: the boot pool is used
 * by the boot CPU only, a test pool by its own suite.
 */
struct pt_pool {
	u8 (*pages)[PAGE_SIZE];	/* nr page-aligned pages */
	bool *used;		/* nr flags */
	unsigned int nr;
	unsigned int nr_used;
	paddr_t pa;		/* PA of pages[0] (set before first use) */
	bool exclusive;		/* empty means out of tables: no memblock, no buddy after it */
	int fail_after;		/* fault injection: >= 0, that many more succeed, then all fail */
};

/* A pool of npages pages at made-up PA base_pa that is its context's only source (tests). */
#define DEFINE_PT_POOL(name, npages, base_pa)						\
	static u8 name##_pages[npages][PAGE_SIZE] __aligned(PAGE_SIZE);			\
	static bool name##_used[npages];						\
	static struct pt_pool name = { .pages = name##_pages, .used = name##_used,	\
				       .nr = (npages), .pa = (base_pa), .exclusive = true,	\
				       .fail_after = -1 }

/*
 * The same with no storage in the image: the suite points .pages at npages
 * page-aligned pages it took from the page allocator before first use, and
 * gives them back when it ends (tests whose pools must not cost the image).
 */
#define DEFINE_PT_POOL_RUNTIME(name, npages, base_pa)					\
	static bool name##_used[npages];						\
	static struct pt_pool name = { .pages = NULL, .used = name##_used,		\
				       .nr = (npages), .pa = (base_pa), .exclusive = true,	\
				       .fail_after = -1 }

/*
 * Table pages of the kernel's own map before the linear map exists: an arch
 * whose boot tables map only the image (arm64) sets PT_BOOT_POOL_PAGES in its
 * asm/memory.h; one whose boot tables already map lowmem (x86) takes memblock
 * pages from the start.
 */
#ifndef PT_BOOT_POOL_PAGES
#define PT_BOOT_POOL_PAGES	0
#endif

/* The boot pool for init_mm (NULL if the arch has none); it falls back to memblock/buddy. */
struct pt_pool *pagetable_boot_pool(void);
/*
 * pagetable_memblock_ready: memblock may hand out table pages from now on (its
 * RAM is in the linear map and final). An arch with a boot pool calls it once
 * memory discovery is done after paging_init; without one it holds from the start.
 */
void pagetable_memblock_ready(void);

/*
 * pagetable_alloc: a zeroed, page-aligned table page for ctx and its PA in *pa,
 * or NULL. Sources in boot order: ctx's pool; memblock (while the buddy does
 * not exist and once its pages are reachable); the buddy, lowmem only. Counts
 * the page in ctx->nr_tables and in NR_PAGETABLE (/proc/meminfo PageTables:);
 * buddy pages carry PG_pgtable.
 */
void *pagetable_alloc(struct mm_ctx *ctx, paddr_t *pa);
/* pagetable_free: gives a page of pagetable_alloc back to its source (a boot memblock page is kept). */
void pagetable_free(struct mm_ctx *ctx, void *va, paddr_t pa);
/* pagetable_va: the kernel VA of ctx's table page at pa (a pool page, else the linear map). */
void *pagetable_va(struct mm_ctx *ctx, paddr_t pa);

/* Pages of pool in use (tests check that a destroyed context gave all back). */
static inline unsigned int pt_pool_in_use(const struct pt_pool *pool)
{
	return pool->nr_used;
}

#endif

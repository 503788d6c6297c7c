/* pgalloc.c: the one table-page allocator for every context — pool, then memblock, then the buddy. */
#include <mm/gfp.h>
#include <mm/memblock.h>
#include <mm/mm.h>
#include <mm/pgalloc.h>
#include <mm/pgtable.h>
#include <mm/vmstat.h>
#include <kernel/bug.h>
#include <string.h>

/*
 * Boot phases of init_mm's tables:
 *   1. the boot pool (arm64: BSS, reached through the image mapping before and
 *      after the switch; x86 has none)
 *   2. memblock, once its pages are reachable through __va and its RAM is
 *      final (x86: from the start, head.S maps all lowmem; arm64: once the
 *      mailbox has had its say after paging_init, pagetable_memblock_ready)
 *      until mem_init() retires it; such a page stays reserved for good
 *   3. the buddy, GFP_KERNEL
 * Every table page is lowmem, reached through the linear map. On x86 that is
 * also a platform requirement: QEMU 7.2's walker truncates the address of a
 * paging structure above 4 GiB to 32 bits, so a table must never be HighMem
 * (no __GFP_HIGHMEM here; memblock stays below paging_init's lowmem limit).
 */
DEFINE_PT_POOL(boot_pt_pool, PT_BOOT_POOL_PAGES, 0);
static bool memblock_ready = PT_BOOT_POOL_PAGES == 0;

struct pt_pool *pagetable_boot_pool(void)
{
	if (!boot_pt_pool.nr)
		return NULL;
	boot_pt_pool.pa = __pa_symbol(boot_pt_pool_pages);
	boot_pt_pool.exclusive = false;
	return &boot_pt_pool;
}

void pagetable_memblock_ready(void)
{
	memblock_ready = true;
}

static bool pt_pool_owns(const struct pt_pool *pool, paddr_t pa)
{
	return pool && pa >= pool->pa && pa < pool->pa + (paddr_t)pool->nr * PAGE_SIZE;
}

/* The lowest free page of pool, zeroed, or NULL (empty, or a fault injected). */
static void *pt_pool_alloc(struct pt_pool *pool, paddr_t *pa)
{
	unsigned int i;

	if (pool->fail_after == 0)
		return NULL;
	for (i = 0; i < pool->nr; i++) {
		if (pool->used[i])
			continue;
		if (pool->fail_after > 0)
			pool->fail_after--;
		pool->used[i] = true;
		pool->nr_used++;
		memset(pool->pages[i], 0, PAGE_SIZE);
		*pa = pool->pa + (paddr_t)i * PAGE_SIZE;
		return pool->pages[i];
	}
	return NULL;
}

/* Junk-fills the page (a table used after its free shows up as garbage) and marks it free. */
static void pt_pool_free(struct pt_pool *pool, void *va, paddr_t pa)
{
	unsigned int i = (pa - pool->pa) / PAGE_SIZE;

	if (va != pool->pages[i] || !pool->used[i])
		panic("pagetable_free: pool page 0x%llx freed twice or through a wrong VA",
		      (unsigned long long)pa);
	memset(va, 0x5a, PAGE_SIZE);
	pool->used[i] = false;
	pool->nr_used--;
}

/* Phase 2: a zeroed memblock page below the current limit (paging_init's linear map end). */
static void *pt_memblock_alloc(paddr_t *pa)
{
	void *va;

	if (!memblock_ready)
		return NULL;
	*pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE, "pgtable");
	if (!*pa)
		return NULL;
	va = __va(*pa);
	memset(va, 0, PAGE_SIZE);
	return va;
}

/* Phase 3: a zeroed lowmem page from the buddy, marked PG_pgtable (cleared by its free). */
static void *pt_buddy_alloc(paddr_t *pa)
{
	struct page *p = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!p)
		return NULL;
	SetPageFlag(p, PG_pgtable);
	*pa = page_to_phys(p);
	return page_address(p);
}

void *pagetable_alloc(struct mm_ctx *ctx, paddr_t *pa)
{
	struct pt_pool *pool = ctx->pt_pool;
	void *va = pool ? pt_pool_alloc(pool, pa) : NULL;

	if (!va && !(pool && pool->exclusive))
		va = memblock.retired ? pt_buddy_alloc(pa) : pt_memblock_alloc(pa);
	if (!va)
		return NULL;
	ctx->nr_tables++;
	mod_node_page_state(NR_PAGETABLE, 1);
	return va;
}

void pagetable_free(struct mm_ctx *ctx, void *va, paddr_t pa)
{
	if (pt_pool_owns(ctx->pt_pool, pa))
		pt_pool_free(ctx->pt_pool, va, pa);
	else if (!memblock.retired)
		memblock_free(pa, PAGE_SIZE);
	else if (!PageReserved(phys_to_page(pa)))	/* a boot page the buddy never had stays */
		__free_page(phys_to_page(pa));
	ctx->nr_tables--;
	mod_node_page_state(NR_PAGETABLE, -1);
}

void *pagetable_va(struct mm_ctx *ctx, paddr_t pa)
{
	struct pt_pool *pool = ctx->pt_pool;

	return pt_pool_owns(pool, pa) ? (void *)pool->pages[(pa - pool->pa) / PAGE_SIZE] : __va(pa);
}

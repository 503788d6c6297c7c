/* page_alloc.c: the buddy allocator — per-zone free areas, split/merge, per-CPU order-0 lists. */
#include <mm/mmzone.h>
#include <mm/page_alloc_debug.h>
#include <mm/fault-inject.h>
#include <mm/page_owner.h>
#include <kernel/bug.h>
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <string.h>

/*
 * Invariants (checked by tests/ktap/buddy_test.c):
 *   - a free block of order o starts at a PFN that is a multiple of 2^o, lies in one
 *     zone, and its head page alone carries PG_buddy with ->order = o;
 *   - no two free blocks of the same order are buddies (they would have merged), so
 *     the set of free pages fully determines free_area (buddyinfo);
 *   - zone->free_pages = sum of 2^o * free_area[o].nr_free; per-CPU pages (PG_pcp)
 *     are counted in pcp->count, not in free_pages (as Linux's NR_FREE_PAGES);
 *   - an allocated block's head records order + 1 in PAGE_ALLOC_ORDER bits of flags.
 */

unsigned long totalreserve_pages;
unsigned long bad_page_count;	/* reports printed by bad_page(), for tests */

/* Only the boot CPU allocates for now; the lists are per CPU so SMP only changes this. */
static inline unsigned int this_cpu(void)
{
	return 0;
}

static inline void set_alloc_order(struct page *p, unsigned int order)
{
	p->flags = (p->flags & ~PAGE_ALLOC_ORDER_MASK) | ((order + 1) << PAGE_ALLOC_ORDER_SHIFT);
}

static inline void clear_alloc_order(struct page *p)
{
	p->flags &= ~PAGE_ALLOC_ORDER_MASK;
}

void zone_init_free_lists(struct zone *z)
{
	unsigned int o;

	for (o = 0; o < MAX_ORDER; o++) {
		INIT_LIST_HEAD(&z->free_area[o].free_list);
		z->free_area[o].nr_free = 0;
	}
	INIT_LIST_HEAD(&z->pcp[0].list);
}

static inline void add_to_free_list(struct page *p, struct zone *z, unsigned int order)
{
	list_add(&p->lru, &z->free_area[order].free_list);
	z->free_area[order].nr_free++;
	p->order = order;
	SetPageFlag(p, PG_buddy);
}

static inline void del_from_free_list(struct page *p, struct zone *z, unsigned int order)
{
	list_del(&p->lru);
	z->free_area[order].nr_free--;
	ClearPageFlag(p, PG_buddy);
}

/* The block at bpfn is a free block of exactly this order in z: the buddy can merge. */
static inline bool page_is_buddy(const struct zone *z, unsigned long bpfn, unsigned int order)
{
	const struct page *b;

	if (!zone_spans_pfn(z, bpfn))
		return false;
	b = pfn_to_page(bpfn);
	return PageBuddy(b) && b->order == order;
}

/* Puts [pfn, pfn + 2^order) back, merging with free buddies as far as they go. */
static void __free_one_page(struct zone *z, unsigned long pfn, unsigned int order)
{
	z->free_pages += 1UL << order;
	while (order < MAX_ORDER - 1) {
		unsigned long bpfn = pfn ^ (1UL << order);

		if (!page_is_buddy(z, bpfn, order))
			break;
		del_from_free_list(pfn_to_page(bpfn), z, order);
		pfn &= ~(1UL << order);
		order++;
	}
	add_to_free_list(pfn_to_page(pfn), z, order);
}

/* Takes a block of at least order, splits it, frees the upper halves; NULL if none. */
static struct page *__rmqueue(struct zone *z, unsigned int order)
{
	unsigned int o;

	for (o = order; o < MAX_ORDER; o++) {
		struct free_area *fa = &z->free_area[o];
		struct page *page;
		unsigned long pfn;

		if (list_empty(&fa->free_list))
			continue;
		page = list_first_entry(&fa->free_list, struct page, lru);
		del_from_free_list(page, z, o);
		pfn = page_to_pfn(page);
		while (o > order) {
			o--;
			add_to_free_list(pfn_to_page(pfn + (1UL << o)), z, o);
		}
		z->free_pages -= 1UL << order;
		return page;
	}
	return NULL;
}

void __free_pages_core(struct page *page, unsigned int order)
{
	struct zone *z = page_zone(page);

	z->managed_pages += 1UL << order;
	__free_one_page(z, page_to_pfn(page), order);
}

/* ---- per-CPU lists ------------------------------------------------------------------ */

/* Returns up to count of the coldest pages on pcp to the buddy. */
static void free_pcppages_bulk(struct zone *z, struct per_cpu_pages *pcp, int count)
{
	while (count-- > 0 && pcp->count) {
		struct page *p = list_entry(pcp->list.prev, struct page, lru);

		list_del(&p->lru);
		pcp->count--;
		ClearPageFlag(p, PG_pcp);
		__free_one_page(z, page_to_pfn(p), 0);
	}
}

/* Refills an empty list with a batch from the buddy, then pops the hottest page. */
static struct page *rmqueue_pcplist(struct zone *z, struct per_cpu_pages *pcp)
{
	struct page *p;

	if (unlikely(list_empty(&pcp->list))) {
		int i;

		for (i = 0; i < pcp->batch; i++) {
			p = __rmqueue(z, 0);
			if (!p)
				break;
			SetPageFlag(p, PG_pcp);
			list_add_tail(&p->lru, &pcp->list);
			pcp->count++;
		}
		if (!pcp->count)
			return NULL;
	}
	p = list_first_entry(&pcp->list, struct page, lru);
	list_del(&p->lru);
	pcp->count--;
	ClearPageFlag(p, PG_pcp);
	return p;
}

static void free_unref_page(struct zone *z, struct per_cpu_pages *pcp, struct page *p)
{
	SetPageFlag(p, PG_pcp);
	list_add(&p->lru, &pcp->list);
	if (++pcp->count >= pcp->high)
		free_pcppages_bulk(z, pcp, pcp->batch);
}

/*
 * Linux's zone_batchsize(): a quarter of the zone's thousandths (at most 1 MiB of
 * pages), rounded down to 2^n - 1 so that batches do not keep hitting the same
 * cache colours; high = 6 batches. The Pi 3's 960 MiB zone gets batch 63.
 */
static int zone_batchsize(const struct zone *z)
{
	unsigned long batch = min(z->managed_pages >> 10, (unsigned long)(SZ_1M / PAGE_SIZE)) / 4;
	unsigned long p = 1;

	batch += batch / 2;
	while (p * 2 <= batch)
		p *= 2;
	return p > 1 ? (int)(p - 1) : 1;
}

void zone_pcp_set_batch(struct zone *z, int batch, int high)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct per_cpu_pages *pcp = &z->pcp[cpu];

		if (!pcp->list.next)
			INIT_LIST_HEAD(&pcp->list);
		pcp->batch = batch;
		pcp->high = high;
	}
}

void zone_pcp_init(struct zone *z)
{
	int batch = zone_batchsize(z);

	zone_pcp_set_batch(z, batch, 6 * batch);
}

void drain_local_pages(struct zone *z)
{
	struct zone *zz;

	for_each_zone(zz)
		if (!z || zz == z)
			free_pcppages_bulk(zz, &zz->pcp[this_cpu()], zz->pcp[this_cpu()].count);
}

void drain_all_pages(struct zone *z)
{
	drain_local_pages(z);	/* one CPU allocates today */
}

/* With high == 0 order-0 pages bypass the lists (for benchmarks and memory offlining). */
void zone_pcp_disable(struct zone *z)
{
	unsigned int cpu;

	drain_all_pages(z);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		z->pcp[cpu].high = 0;
}

void zone_pcp_enable(struct zone *z)
{
	zone_pcp_init(z);
}

/* ---- allocation -------------------------------------------------------------------- */

/*
 * Linux's zone_watermark_ok: after taking 2^order pages, more than mark (plus the
 * reserve kept from allocations aimed at highest_zoneidx) must stay free, and a
 * block of the order must exist. GFP_ATOMIC may use three quarters of the reserve
 * below min (Linux's ALLOC_HIGH | ALLOC_HARDER), since it cannot wait for memory.
 */
bool zone_watermark_ok(const struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, bool atomic)
{
	long free = (long)z->free_pages - ((1L << order) - 1);
	long min = (long)mark;
	unsigned int o;

	if (atomic)
		min -= min / 2 + min / 4;
	if (free <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	for (o = order; o < MAX_ORDER; o++)
		if (z->free_area[o].nr_free)
			return true;
	return false;
}

static inline int gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if ((gfp & __GFP_HIGHMEM) && MAX_NR_ZONES > ZONE_HIGHMEM)
		return MAX_NR_ZONES - 1;
	return ZONE_NORMAL;
}

/* Zeroes a page with no linear mapping; the highmem code (kmap) provides the real one. */
void clear_highpage(struct page *page);
__weak void clear_highpage(struct page *page)
{
	printk("WARNING: clear_highpage: no kmap on this arch, pfn %lx left dirty\n", page_to_pfn(page));
}

static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp, unsigned long caller)
{
	unsigned long i;

	if (unlikely(nr_poisoned_pages))
		check_poison_pages(page, order, caller);
	set_alloc_order(page, order);
	page->private = 0;
	if (gfp & __GFP_ZERO) {
		if (PageHighMem(page))
			for (i = 0; i < (1UL << order); i++)
				clear_highpage(page + i);
		else
			memset(page_address(page), 0, PAGE_SIZE << order);
	}
	if ((gfp & __GFP_COMP) && order) {
		SetPageFlag(page, PG_head);
		page->order = order;
		for (i = 1; i < (1UL << order); i++) {
			SetPageFlag(page + i, PG_tail);
			page[i].compound_head = page;
		}
	}
	set_page_owner(page, order, gfp);
}

static void warn_alloc(gfp_t gfp, unsigned int order, unsigned long caller)
{
	char sym[96];

	if (gfp & __GFP_NOWARN)
		return;
	printk("swapper/0: page allocation failure: order:%u, mode:0x%x, free:%lukB, caller %s\n",
	       order, gfp, nr_free_pages() << (PAGE_SHIFT - 10), sprint_symbol(sym, sizeof(sym), caller));
}

/* Tries the allowed zones from the highest down (the fallback order: HighMem, Normal, DMA). */
static struct page *__alloc_pages(gfp_t gfp, unsigned int order, unsigned long caller)
{
	int high = gfp_zone(gfp), zi;
	bool atomic = gfp & __GFP_ATOMIC;

	if (unlikely(order >= MAX_ORDER || should_fail_alloc_page(gfp, order))) {
		warn_alloc(gfp, order, caller);
		return NULL;
	}
	for (zi = high; zi >= 0; zi--) {
		struct zone *z = &zones[zi];
		struct per_cpu_pages *pcp = &z->pcp[this_cpu()];
		struct page *page;

		if (!z->managed_pages || !zone_watermark_ok(z, order, min_wmark_pages(z), high, atomic))
			continue;
		if (order == 0 && pcp->high)
			page = rmqueue_pcplist(z, pcp);
		else
			page = __rmqueue(z, order);
		if (page) {
			prep_new_page(page, order, gfp, caller);
			return page;
		}
	}
	warn_alloc(gfp, order, caller);
	return NULL;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return __alloc_pages(gfp, order, _RET_IP_);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = __alloc_pages(gfp & ~__GFP_HIGHMEM, order, _RET_IP_);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	struct page *page = __alloc_pages((gfp & ~__GFP_HIGHMEM) | __GFP_ZERO, 0, _RET_IP_);

	return page ? (unsigned long)page_address(page) : 0;
}

/* ---- freeing ----------------------------------------------------------------------- */

/* The common case, inline: a mem_map entry that heads an allocated block of this order. */
static inline bool free_page_fast_ok(const struct page *page, unsigned int order)
{
	const u32 bad = (1u << PG_reserved) | (1u << PG_buddy) | (1u << PG_pcp) | (1u << PG_tail);
	uintptr_t off = (uintptr_t)page - (uintptr_t)mem_map;

	return off < (max_pfn - min_low_pfn) * sizeof(struct page) && !(off % sizeof(struct page)) &&
	       order < MAX_ORDER &&
	       (page->flags & (PAGE_ALLOC_ORDER_MASK | bad)) == (order + 1) << PAGE_ALLOC_ORDER_SHIFT;
}

static void __free_pages_caller(struct page *page, unsigned int order, unsigned long caller)
{
	struct zone *z;
	unsigned long i;

	if (unlikely(!free_page_fast_ok(page, order)) && !free_pages_check(page, order, caller))
		return;
	if (PageHead(page)) {
		for (i = 1; i < (1UL << order); i++) {
			ClearPageFlag(page + i, PG_tail);
			page[i].compound_head = NULL;
		}
		ClearPageFlag(page, PG_head);
	}
	reset_page_owner(page, order);
	clear_alloc_order(page);
	page->flags &= ~((1u << PG_slab) | (1u << PG_pgtable));
	if (unlikely(page_poisoning))
		kernel_poison_pages(page, order);
	z = page_zone(page);
	if (order == 0 && z->pcp[this_cpu()].high)
		free_unref_page(z, &z->pcp[this_cpu()], page);
	else
		__free_one_page(z, page_to_pfn(page), order);
}

void __free_pages(struct page *page, unsigned int order)
{
	__free_pages_caller(page, order, _RET_IP_);
}

/* free_pages: addr must be what __get_free_pages returned (0 is ignored). */
void free_pages(unsigned long addr, unsigned int order)
{
	if (!addr)
		return;
	if (unlikely(!virt_addr_valid((void *)addr))) {
		bad_page_addr(addr, "free_pages: address is not in the linear map of RAM", _RET_IP_);
		return;
	}
	if (unlikely(addr & ~PAGE_MASK)) {
		bad_page_addr(addr, "free_pages: address is not the start of a page", _RET_IP_);
		return;
	}
	__free_pages_caller(virt_to_page((void *)addr), order, _RET_IP_);
}

/* ---- accounting -------------------------------------------------------------------- */

unsigned long totalram_pages(void)
{
	const struct zone *z;
	unsigned long n = 0;

	for_each_zone(z)
		n += z->managed_pages;
	return n;
}

unsigned long nr_free_pages(void)
{
	const struct zone *z;
	unsigned long n = 0;

	for_each_zone(z)
		n += z->free_pages;
	return n;
}

unsigned long totalhigh_pages(void)
{
	return MAX_NR_ZONES > ZONE_HIGHMEM ? zones[MAX_NR_ZONES - 1].managed_pages : 0;
}

unsigned long nr_free_highpages(void)
{
	return MAX_NR_ZONES > ZONE_HIGHMEM ? zones[MAX_NR_ZONES - 1].free_pages : 0;
}

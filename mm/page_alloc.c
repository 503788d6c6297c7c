/* page_alloc.c: the buddy allocator — per-zone free areas, split/merge, per-CPU order-0 lists. */
#include <mm/mmzone.h>
#include <mm/page_alloc_debug.h>
#include <mm/fault-inject.h>
#include <mm/kasan.h>
#include <mm/page_owner.h>
#include <mm/slab.h>
#include <mm/vmstat.h>
#include <kernel/bug.h>
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <string.h>
#include <asm/page.h>

/*
 * Invariants (checked by tests/ktap/buddy_test.c):
 *   - a free block of order o starts at a PFN that is a multiple of 2^o, lies in one
 *     zone, and its head page alone carries PG_buddy with ->order = o;
 *   - no two free blocks of the same order are buddies (they would have merged), so
 *     the set of free pages fully determines free_area (buddyinfo);
 *   - zone->free_pages = sum of 2^o * free_area[o].nr_free; per-CPU pages (PG_pcp)
 *     are counted in pcp->count, not in free_pages (as Linux's NR_FREE_PAGES);
 *   - an allocated block's head records order + 1 in PAGE_ALLOC_ORDER bits of flags.
 *
 * SMP (the locking is written in include/mm/mmzone.h): every change to a zone's
 * free areas happens under zone->lock, inside the functions named __*; a CPU's
 * per-CPU list is used only by that CPU with interrupts masked, and refill and
 * spill move a whole batch under one acquisition of zone->lock. An allocated
 * block belongs to whoever holds it, so its struct pages need no lock; a free
 * one belongs to the zone (buddy) or to one CPU (PG_pcp).
 */

unsigned long totalreserve_pages;
unsigned long bad_page_count;	/* reports printed by bad_page(), for tests (atomic adds) */

static inline void set_alloc_order(struct page *p, unsigned int order)
{
	WRITE_ONCE(p->flags, (READ_ONCE(p->flags) & ~PAGE_ALLOC_ORDER_MASK) | ((order + 1) << PAGE_ALLOC_ORDER_SHIFT));
}

static inline void clear_alloc_order(struct page *p)
{
	WRITE_ONCE(p->flags, READ_ONCE(p->flags) & ~PAGE_ALLOC_ORDER_MASK);	/* see PageFlag's rule */
}

void zone_init_free_lists(struct zone *z)
{
	unsigned int o;

	for (o = 0; o < MAX_ORDER; o++) {
		INIT_LIST_HEAD(&z->free_area[o].free_list);
		z->free_area[o].nr_free = 0;
	}
	spin_lock_init(&z->lock);
}

static inline void add_to_free_list(struct page *p, struct zone *z, unsigned int order)
{
	list_add(&p->lru, &z->free_area[order].free_list);
	zone_write(z->free_area[order].nr_free, z->free_area[order].nr_free + 1);
	p->order = order;
	SetPageFlag(p, PG_buddy);
}

static inline void del_from_free_list(struct page *p, struct zone *z, unsigned int order)
{
	list_del(&p->lru);
	zone_write(z->free_area[order].nr_free, z->free_area[order].nr_free - 1);
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

/* Puts [pfn, pfn + 2^order) back, merging with free buddies as far as they go. zone->lock held. */
static void __free_one_page(struct zone *z, unsigned long pfn, unsigned int order)
{
	zone_write(z->free_pages, z->free_pages + (1UL << order));
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

/* Takes a block of at least order, splits it, frees the upper halves; NULL if none. zone->lock held. */
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
		zone_write(z->free_pages, z->free_pages - (1UL << order));
		return page;
	}
	return NULL;
}

void __free_pages_core(struct page *page, unsigned int order)
{
	struct zone *z = page_zone(page);
	unsigned long flags;

	kasan_free_pages(page, order);
	spin_lock_irqsave(&z->lock, flags);
	zone_write(z->managed_pages, z->managed_pages + (1UL << order));
	__free_one_page(z, page_to_pfn(page), order);
	spin_unlock_irqrestore(&z->lock, flags);
}


/* ---- per-CPU lists ------------------------------------------------------------------ */

/* Returns up to count of the coldest pages on pcp to the buddy. Interrupts masked, zone->lock held. */
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

/* Moves up to a batch of order-0 pages from the buddy onto pcp. Interrupts masked, zone->lock held. */
static void rmqueue_bulk(struct zone *z, struct per_cpu_pages *pcp)
{
	int i;

	for (i = 0; i < pcp->batch; i++) {
		struct page *p = __rmqueue(z, 0);

		if (!p)
			break;
		SetPageFlag(p, PG_pcp);
		list_add_tail(&p->lru, &pcp->list);
		pcp->count++;
	}
}

/* Pops the hottest page of this CPU's list, refilling an empty one first. Interrupts masked. */
static struct page *rmqueue_pcplist(struct zone *z, struct per_cpu_pages *pcp)
{
	struct page *p;

	if (unlikely(list_empty(&pcp->list))) {
		spin_lock(&z->lock);
		rmqueue_bulk(z, pcp);
		spin_unlock(&z->lock);
		if (!pcp->count)
			return NULL;
	}
	p = list_first_entry(&pcp->list, struct page, lru);
	list_del(&p->lru);
	pcp->count--;
	ClearPageFlag(p, PG_pcp);
	return p;
}

/* Pushes p on this CPU's list; reaching high spills a batch. Interrupts masked. */
static void free_unref_page(struct zone *z, struct per_cpu_pages *pcp, struct page *p)
{
	SetPageFlag(p, PG_pcp);
	list_add(&p->lru, &pcp->list);
	if (++pcp->count >= pcp->high) {
		spin_lock(&z->lock);
		free_pcppages_bulk(z, pcp, pcp->batch);
		spin_unlock(&z->lock);
	}
}

/*
 * Linux's zone_batchsize(): a quarter of the zone's thousandths (at most 1 MiB of
 * pages), rounded down to 2^n - 1 so that batches do not keep hitting the same
 * cache colours; high = 6 batches. The Pi 3's 960 MiB zone gets batch 63.
 */
static int zone_batchsize(const struct zone *z)
{
	unsigned long batch = min(zone_read(z->managed_pages) >> 10, (unsigned long)(SZ_1M / PAGE_SIZE)) / 4;
	unsigned long p = 1;

	batch += batch / 2;
	while (p * 2 <= batch)
		p *= 2;
	return p > 1 ? (int)(p - 1) : 1;
}

/* What a cross call asks each CPU to do to its own lists. */
struct pcp_update {
	struct zone *zone;	/* NULL: every zone (drain only) */
	bool resize;
	int batch, high;
};

/* Empties cpu's list of z into the buddy. Interrupts masked; cpu is this one, or offline. */
static void drain_pages_zone(unsigned int cpu, struct zone *z)
{
	struct per_cpu_pages *pcp = &z->pcp[cpu];

	if (!pcp->list.next)
		INIT_LIST_HEAD(&pcp->list);
	if (!pcp->count)
		return;
	spin_lock(&z->lock);
	free_pcppages_bulk(z, pcp, pcp->count);
	spin_unlock(&z->lock);
}

/* Runs on each CPU (a cross call, interrupts masked): drain, then take the new sizes. */
static void pcp_update_cpu(unsigned int cpu, const struct pcp_update *u)
{
	struct zone *z;

	for_each_zone(z) {
		if (u->zone && z != u->zone)
			continue;
		drain_pages_zone(cpu, z);
		if (u->resize) {
			z->pcp[cpu].batch = u->batch;
			z->pcp[cpu].high = u->high;
		}
	}
}

static void pcp_update_this_cpu(void *info)
{
	pcp_update_cpu(smp_processor_id(), info);
}

/* Every online CPU updates its own lists (a cross call); the offline CPUs' lists are set here. */
static void pcp_update_all(const struct pcp_update *u)
{
	unsigned long flags;
	unsigned int cpu;

	on_each_cpu(pcp_update_this_cpu, (void *)u, 1);
	local_irq_save(flags);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (!cpu_online(cpu))
			pcp_update_cpu(cpu, u);
	local_irq_restore(flags);
}

/* Every CPU's lists are drained first, so no list ever holds more than its new high. */
void zone_pcp_set_batch(struct zone *z, int batch, int high)
{
	struct pcp_update u = { .zone = z, .resize = true, .batch = batch, .high = high };

	pcp_update_all(&u);
}

void zone_pcp_init(struct zone *z)
{
	int batch = zone_batchsize(z);

	zone_pcp_set_batch(z, batch, 6 * batch);
}

void drain_local_pages(struct zone *z)
{
	struct pcp_update u = { .zone = z };
	unsigned long flags;

	local_irq_save(flags);
	pcp_update_cpu(smp_processor_id(), &u);
	local_irq_restore(flags);
}

void drain_all_pages(struct zone *z)
{
	struct pcp_update u = { .zone = z };

	pcp_update_all(&u);
}

/* With high == 0 order-0 pages bypass the lists (for benchmarks and memory offlining). */
void zone_pcp_disable(struct zone *z)
{
	zone_pcp_set_batch(z, z->pcp[smp_processor_id()].batch, 0);
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
 * Called without zone->lock, as Linux does: each word is read once (zone_read),
 * so the answer is consistent with some moment of the zone, if not this one.
 */
bool zone_watermark_ok(const struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, bool atomic)
{
	long free = (long)zone_read(z->free_pages) - ((1L << order) - 1);
	long min = (long)mark;
	unsigned int o;

	if (atomic)
		min -= min / 2 + min / 4;
	if (free <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	for (o = order; o < MAX_ORDER; o++)
		if (zone_read(z->free_area[o].nr_free))
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

	kasan_alloc_pages(page, order);
	if (unlikely(zone_read(nr_poisoned_pages)))
		check_poison_pages(page, order, caller);
	set_alloc_order(page, order);
	page->private = 0;
	if (gfp & __GFP_ZERO) {
		if (PageHighMem(page))
			for (i = 0; i < (1UL << order); i++)
				clear_highpage(page + i);
		else
			for (i = 0; i < (1UL << order); i++)
				clear_page(page_address(page + i));	/* the arch's (asm/page.h) */
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
	printk("swapper/%u: page allocation failure: order:%u, mode:0x%x, free:%lukB, caller %s\n",
	       smp_processor_id(), order, gfp, nr_free_pages() << (PAGE_SHIFT - 10),
	       sprint_symbol(sym, sizeof(sym), caller));
}

/* One zone's part: this CPU's list for order 0 (when the list is in use), else the buddy. */
static struct page *rmqueue(struct zone *z, unsigned int order)
{
	struct per_cpu_pages *pcp;
	struct page *page;
	unsigned long flags;

	local_irq_save(flags);
	pcp = this_cpu_pcp(z);
	if (order == 0 && pcp->high) {
		page = rmqueue_pcplist(z, pcp);
	} else {
		spin_lock(&z->lock);
		page = __rmqueue(z, order);
		spin_unlock(&z->lock);
	}
	if (page)
		__count_vm_events(PGALLOC_DMA + page_zonenum(page), 1UL << order);
	local_irq_restore(flags);
	return page;
}

/* Tries the allowed zones from the highest down (the fallback order: HighMem, Normal, DMA). */
static struct page *get_page_from_zonelist(gfp_t gfp, unsigned int order)
{
	int high = gfp_zone(gfp), zi;
	bool atomic = gfp & __GFP_ATOMIC;

	for (zi = high; zi >= 0; zi--) {
		struct zone *z = &zones[zi];
		struct page *page;

		if (!zone_read(z->managed_pages) || !zone_watermark_ok(z, order, min_wmark_pages(z), high, atomic))
			continue;
		page = rmqueue(z, order);
		if (page)
			return page;
	}
	return NULL;
}

/*
 * Before giving up, the pages parked on per-CPU lists go back to the buddy (they
 * may complete a block, or lift a zone over its watermark) and the zones are
 * tried once more: every CPU's lists (a cross call), after every CPU's grown
 * slab arrays (mm/slab_array.c), or only this CPU's lists for a caller that
 * must not wait for the others (__GFP_ATOMIC, __GFP_NORETRY).
 */
static struct page *__alloc_pages(gfp_t gfp, unsigned int order, unsigned long caller)
{
	struct page *page = NULL;

	if (likely(order < MAX_ORDER) && !should_fail_alloc_page(gfp, order)) {
		page = get_page_from_zonelist(gfp, order);
		if (unlikely(!page)) {
			if (gfp & (__GFP_ATOMIC | __GFP_NORETRY)) {
				drain_local_pages(NULL);
			} else {
				slab_drain_grown();	/* what slab bursts keep, first: it frees pages */
				drain_all_pages(NULL);
			}
			page = get_page_from_zonelist(gfp, order);
		}
	}
	if (unlikely(!page)) {
		warn_alloc(gfp, order, caller);
		return NULL;
	}
	prep_new_page(page, order, gfp, caller);
	return page;
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
	struct per_cpu_pages *pcp;
	unsigned long i, flags;
	struct zone *z;

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
	WRITE_ONCE(page->flags, READ_ONCE(page->flags) & ~((1u << PG_slab) | (1u << PG_pgtable)));
	if (unlikely(page_poisoning))
		kernel_poison_pages(page, order);
	kasan_free_pages(page, order);
	z = page_zone(page);
	local_irq_save(flags);
	__count_vm_events(PGFREE, 1UL << order);
	pcp = this_cpu_pcp(z);
	if (order == 0 && pcp->high) {
		free_unref_page(z, pcp, page);
	} else {
		spin_lock(&z->lock);
		__free_one_page(z, page_to_pfn(page), order);
		spin_unlock(&z->lock);
	}
	local_irq_restore(flags);
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

/*
 * split_page: makes an allocated, non-compound block of 2^order pages into
 * 2^order allocated order-0 pages, each freed on its own with __free_page
 * (Linux's split_page). kmalloc's large sizes keep the pages they need this way
 * and give the tail back at once. A compound head or a page that is not the
 * start of an allocated block of this order is a caller bug: warned, untouched.
 */
void split_page(struct page *page, unsigned int order)
{
	unsigned long i;

	if (WARN_ON(PageHead(page) || !free_page_fast_ok(page, order)))
		return;
	for (i = 0; i < (1UL << order); i++)
		set_alloc_order(page + i, 0);
}

/* ---- accounting -------------------------------------------------------------------- */

unsigned long totalram_pages(void)
{
	const struct zone *z;
	unsigned long n = 0;

	for_each_zone(z)
		n += zone_read(z->managed_pages);
	return n;
}

unsigned long nr_free_pages(void)
{
	const struct zone *z;
	unsigned long n = 0;

	for_each_zone(z)
		n += zone_read(z->free_pages);
	return n;
}

unsigned long totalhigh_pages(void)
{
	return MAX_NR_ZONES > ZONE_HIGHMEM ? zone_read(zones[MAX_NR_ZONES - 1].managed_pages) : 0;
}

unsigned long nr_free_highpages(void)
{
	return MAX_NR_ZONES > ZONE_HIGHMEM ? zone_read(zones[MAX_NR_ZONES - 1].free_pages) : 0;
}

/* mmzone.h: memory zones, their free areas, per-CPU page lists and watermarks. */
#ifndef PAGODA_MMZONE_H
#define PAGODA_MMZONE_H

#include <compiler.h>
#include <kernel/percpu.h>
#include <kernel/spinlock.h>
#include <lib/list.h>
#include <mm/mm.h>

/*
 * Locking of the page allocator (the SMP rules themselves are in
 * include/kernel/spinlock.h):
 *
 *   zone->lock       protects the zone's free areas (free lists, nr_free, the
 *                    PG_buddy/->order of free blocks), free_pages and
 *                    managed_pages; taken with interrupts
 *                    masked (spin_lock_irqsave, or spin_lock inside a section
 *                    that already masked them).
 *   zone->pcp[cpu]   per-CPU: touched only by CPU cpu, with interrupts masked;
 *                    another CPU asks it to act (drain, resize) with a cross
 *                    call (drain_all_pages, zone_pcp_set_batch). A CPU that is
 *                    not online has its list set up by whoever sizes the lists.
 *
 * Lock order: zone->lock is innermost. Nothing is taken while it is held — not
 * another zone's lock, not a slab, vmap or page-table lock, no printk, no cross
 * call. It may be taken with any of those held, and with this CPU's per-CPU list
 * in hand (interrupts masked): refill and spill take it once per batch.
 *
 * Lockless readers (nr_free_pages(), the watermark check, the views) read
 * free_pages and nr_free with zone_read() — one word each, a consistent if
 * passing value — and take zone->lock when they need several fields to agree.
 */

/*
 * The arch says where zones end (physical addresses, exclusive), in <asm/mmzone.h>:
 *   ARCH_ZONE_DMA_LIMIT     end of ZONE_DMA (the devices' DMA reach)
 *   ARCH_ZONE_NORMAL_LIMIT  end of ZONE_NORMAL (= end of the linear map of lowmem)
 *   ARCH_HAS_HIGHMEM        defined if RAM above that is ZONE_HIGHMEM (kmap'ed)
 * An arch without the header gets one Normal zone spanning everything.
 */
#if __has_include(<asm/mmzone.h>)
#include <asm/mmzone.h>
#endif
#ifndef ARCH_ZONE_DMA_LIMIT
#define ARCH_ZONE_DMA_LIMIT	0ULL
#endif
#ifndef ARCH_ZONE_NORMAL_LIMIT
#define ARCH_ZONE_NORMAL_LIMIT	(~0ULL)
#endif

enum zone_type {
	ZONE_DMA,
	ZONE_NORMAL,
	ZONE_HIGHMEM,
};
#ifdef ARCH_HAS_HIGHMEM
#define MAX_NR_ZONES	3
#else
#define MAX_NR_ZONES	2	/* no HighMem zone at all (as Linux on arm64) */
#endif


/* A word another CPU may change under its lock, read without it (relaxed: no ordering). */
#define zone_read(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define zone_write(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

struct free_area {
	struct list_head free_list;	/* zone->lock */
	unsigned long nr_free;		/* zone->lock: blocks of this order on free_list */
};

/*
 * Order-0 pages kept per CPU: alloc pops, free pushes; refilled and drained by
 * batch under zone->lock. Every field is its CPU's own (see the locking above);
 * a cache line each, so that CPUs do not share lines.
 */
struct per_cpu_pages {
	int count;			/* pages on list */
	int high;			/* drain batch pages back to the buddy above this; 0: list unused */
	int batch;			/* pages moved per refill/drain */
	struct list_head list;		/* hottest first */
} __aligned(64);

/*
 * Fields marked "boot" are set by mem_init() on the boot CPU before any other
 * CPU is online, and read-only after it (a later writer would take zone->lock
 * and publish with zone_write).
 */
struct zone {
	const char *name;			/* boot */
	unsigned long _watermark[NR_WMARK];	/* boot (setup_per_zone_wmarks) */
	long lowmem_reserve[MAX_NR_ZONES];	/* boot: kept back from allocations aimed at higher zones */
	unsigned long zone_start_pfn;		/* boot */
	unsigned long spanned_pages;		/* boot: end_pfn - start_pfn, holes included */
	unsigned long present_pages;		/* boot: RAM pages in the span */
	unsigned long managed_pages;		/* zone->lock: pages handed to the buddy */
	unsigned long free_pages;		/* zone->lock: free in the buddy (not counting per-CPU lists) */
	struct free_area free_area[MAX_ORDER];	/* zone->lock */
	spinlock_t lock;
	struct per_cpu_pages pcp[CONFIG_NR_CPUS];	/* per-CPU: pcp[n] is CPU n's own */
};

extern struct zone zones[MAX_NR_ZONES];

#define min_wmark_pages(z)	((z)->_watermark[WMARK_MIN])
#define low_wmark_pages(z)	((z)->_watermark[WMARK_LOW])
#define high_wmark_pages(z)	((z)->_watermark[WMARK_HIGH])

static inline unsigned long zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}

static inline bool populated_zone(const struct zone *z)
{
	return z->present_pages != 0;
}

static inline bool zone_spans_pfn(const struct zone *z, unsigned long pfn)
{
	return pfn >= z->zone_start_pfn && pfn < zone_end_pfn(z);
}

static inline struct zone *page_zone(const struct page *page)
{
	return &zones[page_zonenum(page)];
}

#define for_each_zone(z)	for (z = zones; z < zones + MAX_NR_ZONES; z++)
#define for_each_populated_zone(z) \
	for (z = zones; z < zones + MAX_NR_ZONES; z++) if (!populated_zone(z)) {} else

/* Zone setup (mm/mm_init.c) and buddy internals (mm/page_alloc.c) shared with the views. */
void zone_init_free_lists(struct zone *z);
void setup_per_zone_wmarks(void);
void zone_pcp_init(struct zone *z);
/* __free_pages_core: hands a block of clean (not PG_reserved) boot pages to the buddy. */
void __free_pages_core(struct page *page, unsigned int order);
/* zone_watermark_ok: would an order-order allocation leave free pages above mark? */
bool zone_watermark_ok(const struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, bool atomic);

/*
 * Per-CPU lists: drain returns their pages to the buddy; disable also stops their
 * use. drain_local_pages empties this CPU's lists (z == NULL: every zone's);
 * drain_all_pages has every online CPU empty its own (a cross call: it returns
 * when all have), so afterwards the buddy holds every free page — unless some
 * CPU allocated or freed meanwhile.
 */
void drain_local_pages(struct zone *z);
void drain_all_pages(struct zone *z);
void zone_pcp_disable(struct zone *z);
void zone_pcp_enable(struct zone *z);
/* Sets every CPU's list of z to batch/high, each online CPU its own (zone_pcp_init picks Linux's sizes). */
void zone_pcp_set_batch(struct zone *z, int batch, int high);
/* This CPU's list of z (interrupts masked while it is used). */
#define this_cpu_pcp(z)		(&(z)->pcp[smp_processor_id()])

/* totalreserve_pages: the high watermarks plus reserves, which MemAvailable keeps back. */
extern unsigned long totalreserve_pages;

#endif

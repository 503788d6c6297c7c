/* mmzone.h: memory zones, their free areas, per-CPU page lists and watermarks. */
#ifndef PAGODA_MMZONE_H
#define PAGODA_MMZONE_H

#include <compiler.h>
#include <lib/list.h>
#include <mm/mm.h>

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

#ifndef NR_CPUS
#define NR_CPUS		1	/* structured per CPU; only the boot CPU allocates for now */
#endif

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

struct free_area {
	struct list_head free_list;
	unsigned long nr_free;		/* blocks of this order on free_list */
};

/* Order-0 pages kept per CPU: alloc pops, free pushes; refilled and drained by batch. */
struct per_cpu_pages {
	int count;			/* pages on list */
	int high;			/* drain batch pages back to the buddy above this */
	int batch;			/* pages moved per refill/drain */
	struct list_head list;		/* hottest first */
};

struct zone {
	const char *name;
	unsigned long _watermark[NR_WMARK];
	long lowmem_reserve[MAX_NR_ZONES];	/* kept back from allocations aimed at higher zones */
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;		/* end_pfn - start_pfn, holes included */
	unsigned long present_pages;		/* RAM pages in the span */
	unsigned long managed_pages;		/* pages handed to the buddy */
	unsigned long free_pages;		/* free in the buddy (not counting per-CPU lists) */
	struct free_area free_area[MAX_ORDER];
	struct per_cpu_pages pcp[NR_CPUS];
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

/* Per-CPU lists: drain returns their pages to the buddy; disable also stops their use. */
void drain_local_pages(struct zone *z);		/* z == NULL: every zone */
void drain_all_pages(struct zone *z);
void zone_pcp_disable(struct zone *z);
void zone_pcp_enable(struct zone *z);
/* Sets every CPU's list of z to batch/high (zone_pcp_init picks Linux's sizes). */
void zone_pcp_set_batch(struct zone *z, int batch, int high);

/* totalreserve_pages: the high watermarks plus reserves, which MemAvailable keeps back. */
extern unsigned long totalreserve_pages;

#endif

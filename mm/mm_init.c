/* mm_init.c: mem_map, zone boundaries, and the hand-over of free memblock ranges to the buddy. */
#include <mm/mmzone.h>
#include <mm/memblock.h>
#include <mm/page_alloc_debug.h>
#include <mm/slab.h>
#include <mm/vmstat.h>
#include <kernel/bug.h>
#include <kernel/printk.h>
#include <stdio.h>
#include <string.h>

struct page *mem_map;
unsigned long min_low_pfn, max_low_pfn, max_pfn;
uintptr_t lowmem_va_start;	/* virt_addr_valid's range (include/mm/mm.h) */
unsigned long lowmem_va_size;
/* Weak: an arch may own the definition (x86's asm/memory.h declares it); mem_init sets it. */
__weak void *high_memory;

struct zone zones[MAX_NR_ZONES];
static const char *const zone_names[] = { "DMA", "Normal", "HighMem" };
static bool mm_initialized;

/* End PFN (exclusive) of zone zi, clipped to the RAM span. */
static unsigned long zone_limit_pfn(int zi)
{
	u64 limit;

	if (zi == ZONE_DMA)
		limit = ARCH_ZONE_DMA_LIMIT;
	else if (zi == ZONE_NORMAL && MAX_NR_ZONES > ZONE_HIGHMEM)
		limit = ARCH_ZONE_NORMAL_LIMIT;
	else
		return max_pfn;
	limit >>= PAGE_SHIFT;
	return (unsigned long)clamp(limit, (u64)min_low_pfn, (u64)max_pfn);
}

/* RAM pages (whole pages of memblock.memory) in [spfn, epfn). */
static unsigned long present_pages_in(unsigned long spfn, unsigned long epfn)
{
	unsigned long n = 0;
	paddr_t s, e;
	u64 i;

	for_each_mem_range(i, &s, &e) {
		unsigned long a = max(PFN_UP(s), spfn), b = min(PFN_DOWN(e), epfn);

		if (a < b)
			n += b - a;
	}
	return n;
}

static void zones_init(void)
{
	unsigned long start = min_low_pfn;
	int zi;

	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		struct zone *z = &zones[zi];
		unsigned long end = max(zone_limit_pfn(zi), start);

		memset(z, 0, sizeof(*z));
		z->name = zone_names[zi];
		z->zone_start_pfn = start;
		z->spanned_pages = end - start;
		z->present_pages = present_pages_in(start, end);
		zone_init_free_lists(z);
		start = end;
	}
}

/* Writes whole struct pages for [spfn, epfn): zone tag, PG_reserved if asked, empty list head. */
static void init_pages(unsigned long spfn, unsigned long epfn, bool reserved)
{
	int zi;

	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		const struct zone *z = &zones[zi];
		unsigned long pfn = max(spfn, z->zone_start_pfn), end = min(epfn, zone_end_pfn(z));
		u32 flags = ((u32)zi << ZONES_SHIFT) | (reserved ? 1u << PG_reserved : 0) |
			    (zi == ZONE_HIGHMEM ? 1u << PG_highmem : 0);

		for (; pfn < end; pfn++) {
			struct page *p = pfn_to_page(pfn);

			p->flags = flags;
			p->order = 0;
			INIT_LIST_HEAD(&p->lru);
			p->private = 0;
		}
	}
}

/*
 * One pass over mem_map (it is not zeroed first): pages of free memblock ranges
 * start clean for the hand-over, every other page (reservations, holes, partial
 * pages at range edges) is PG_reserved and never reaches the buddy.
 */
static void memmap_init(void)
{
	unsigned long pfn = min_low_pfn;
	paddr_t s, e;
	u64 i;

	for_each_free_mem_range(i, &s, &e) {
		unsigned long a = PFN_UP(s), b = PFN_DOWN(e);

		if (a >= b)
			continue;
		init_pages(pfn, a, true);
		init_pages(a, b, false);
		pfn = b;
	}
	init_pages(pfn, max_pfn, true);
}

/* Frees [spfn, epfn) (inside one zone) in the largest naturally aligned blocks that fit. */
static unsigned long free_pfn_range(unsigned long spfn, unsigned long epfn)
{
	unsigned long n = 0;

	while (spfn < epfn) {
		unsigned int order = MAX_ORDER - 1;

		while (order && ((spfn & ((1UL << order) - 1)) || spfn + (1UL << order) > epfn))
			order--;
		__free_pages_core(pfn_to_page(spfn), order);
		spfn += 1UL << order;
		n += 1UL << order;
	}
	return n;
}

/* memblock_free_all: every free range, split at zone boundaries, goes to the buddy. */
static unsigned long memblock_free_all(void)
{
	unsigned long n = 0;
	paddr_t s, e;
	u64 i;
	int zi;

	for_each_free_mem_range(i, &s, &e) {
		for (zi = 0; zi < MAX_NR_ZONES; zi++) {
			const struct zone *z = &zones[zi];
			unsigned long a = max(PFN_UP(s), z->zone_start_pfn);
			unsigned long b = min(PFN_DOWN(e), zone_end_pfn(z));

			if (a < b)
				n += free_pfn_range(a, b);
		}
	}
	return n;
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << (sizeof(long) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	for (; bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

/*
 * Linux's watermarks: min_free_kbytes = sqrt(16 * lowmem KiB) (128 KiB..256 MiB),
 * shared by the lowmem zones in proportion to their size; HighMem gets a token
 * min. low and high sit min/4 (or 0.1% of the zone) and twice that above min.
 * lowmem_reserve keeps managed(higher zones)/ratio of a lower zone back from
 * allocations that could have used the higher zones (ratios 256 for DMA, 32 Normal).
 * Boot only (mem_init, before the other CPUs come up): the values are read-only after.
 */
void setup_per_zone_wmarks(void)
{
	static const unsigned long ratio[] = { 256, 32, 0 };
	unsigned long lowmem = 0, min_pages, tmp;
	struct zone *z;
	int i, j;

	for (i = 0; i < MAX_NR_ZONES && i != ZONE_HIGHMEM; i++)
		lowmem += zones[i].managed_pages;
	min_pages = clamp(int_sqrt((lowmem << (PAGE_SHIFT - 10)) * 16), 128UL, 262144UL) >> (PAGE_SHIFT - 10);
	totalreserve_pages = 0;
	for (i = 0; i < MAX_NR_ZONES; i++) {
		z = &zones[i];
		if (i == ZONE_HIGHMEM)
			tmp = clamp(z->managed_pages / 1024, 32UL, 128UL);
		else
			tmp = lowmem ? min_pages * z->managed_pages / lowmem : 0;
		z->_watermark[WMARK_MIN] = tmp;
		tmp = max(tmp / 4, z->managed_pages * 10 / 10000);
		z->_watermark[WMARK_LOW] = z->_watermark[WMARK_MIN] + tmp;
		z->_watermark[WMARK_HIGH] = z->_watermark[WMARK_MIN] + 2 * tmp;
		for (j = 0; j < MAX_NR_ZONES; j++) {
			unsigned long above = 0;
			int k;

			for (k = i + 1; k <= j; k++)
				above += zones[k].managed_pages;
			z->lowmem_reserve[j] = j > i && ratio[i] ? (long)(above / ratio[i]) : 0;
		}
		tmp = high_wmark_pages(z) + (unsigned long)z->lowmem_reserve[MAX_NR_ZONES - 1];
		totalreserve_pages += min(tmp, z->managed_pages);
	}
}

static bool memmap_alloc(void)
{
	paddr_t size = PFN_ALIGN((max_pfn - min_low_pfn) * sizeof(struct page));
	paddr_t pa = memblock_phys_alloc(size, PAGE_SIZE, "mem_map");

	mem_map = pa ? __va(pa) : NULL;		/* memmap_init writes every entry */
	if (!mem_map)
		panic("mem_init: cannot allocate mem_map (%llu bytes for %lu pages)",
		      (unsigned long long)size, max_pfn - min_low_pfn);
	return true;
}

/* Bytes of [base, base + size) that lie in RAM (memblock.memory): reservations may reach outside it. */
static paddr_t bytes_in_ram(paddr_t base, paddr_t size)
{
	paddr_t bytes = 0, end = base + size;
	unsigned long i;

	for (i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *m = &memblock.memory.regions[i];
		paddr_t lo = max(base, m->base), hi = min(end, m->base + m->size);

		if (lo < hi)
			bytes += hi - lo;
	}
	return bytes;
}

/*
 * Linux's "Memory: 936104K/983040K available (... reserved)" line, with the
 * reserved part broken down by memblock owner (what Linux shows only with
 * memblock=debug): "(1436K kernel, 4K spin-table, 52K dtb, 7680K mem_map)". Only
 * the part of each reservation that lies in RAM counts: a firmware /memreserve/
 * beyond RAM takes nothing from it. Owners with nothing in RAM are left out.
 */
static void print_memory_line(unsigned long total, unsigned long ram)
{
	const char *owner[8];
	unsigned long kb[8], i, j, n = 0;
	char buf[160];
	int len;

	for (i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];

		for (j = 0; j < n && strcmp(owner[j], r->owner); j++)
			;
		if (j == n && n == ARRAY_SIZE(owner))
			j = n - 1;		/* the rest under the last name */
		else if (j == n)
			owner[n] = r->owner, kb[n++] = 0;
		kb[j] += (unsigned long)(bytes_in_ram(r->base, r->size) >> 10);
	}
	len = snprintf(buf, sizeof(buf), "%luK reserved", (ram - total) << (PAGE_SHIFT - 10));
	for (i = 0, j = 0; i < n && len < (int)sizeof(buf); i++)
		if (kb[i])
			len += snprintf(buf + len, sizeof(buf) - (size_t)len, "%s%luK %s", j++ ? ", " : ": ",
					kb[i], owner[i]);
	printk("Memory: %luK/%luK available (%s)\n", total << (PAGE_SHIFT - 10), ram << (PAGE_SHIFT - 10), buf);
}

/* The debugging the command line turned on, confirmed at boot (Linux's "mem auto-init:" idea). */
static void report_meminit(void)
{
	if (page_poisoning)
		printk("page_poison: on (freed pages filled with 0x%02x, checked when handed out again)\n",
		       PAGE_POISON);
	slub_debug_report();
}

void mem_init(void)
{
	unsigned long freed, total = 0, ram;
	struct zone *z;

	/* struct page: 32 bytes on a 64-bit arch (Linux's is 64), see mm_types.h. */
	BUILD_BUG_ON(sizeof(void *) == 8 && sizeof(struct page) != 32);
	BUG_ON(mm_initialized);
	if (!memblock.memory.cnt)
		panic("mem_init: memblock has no memory");
	min_low_pfn = PFN_DOWN(memblock_start_of_DRAM());
	max_pfn = PFN_DOWN(memblock_end_of_DRAM());
	max_low_pfn = MAX_NR_ZONES > ZONE_HIGHMEM ? zone_limit_pfn(ZONE_NORMAL) : max_pfn;
	high_memory = __va(PFN_PHYS(max_low_pfn));
	memmap_alloc();
	lowmem_va_start = (uintptr_t)__va(PFN_PHYS(min_low_pfn));
	lowmem_va_size = (uintptr_t)high_memory - lowmem_va_start;
	zones_init();
	memmap_init();
	freed = memblock_free_all();
	memblock_retire();
	setup_per_zone_wmarks();
	for_each_zone(z) {
		zone_pcp_init(z);
		total += z->managed_pages;
	}
	refresh_zone_stat_thresholds();
	BUG_ON(total != freed);
	mm_initialized = true;
	ram = PFN_DOWN(memblock_phys_mem_size());
	print_memory_line(total, ram);
	for_each_populated_zone(z)
		printk("  %-8s [mem 0x%016llx-0x%016llx] %lu pages managed\n", z->name,
		       (unsigned long long)PFN_PHYS(z->zone_start_pfn),
		       (unsigned long long)PFN_PHYS(zone_end_pfn(z)) - 1, z->managed_pages);
	report_meminit();
}

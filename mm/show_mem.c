/* show_mem.c: /proc/buddyinfo, /proc/zoneinfo, /proc/meminfo and /proc/iomem in Linux's formats. */
#include <mm/mmzone.h>
#include <mm/memblock.h>
#include <mm/vmstat.h>
#include <mm/ioport.h>
#include <kernel/debugfs.h>
#include <kernel/smp.h>
#include <string.h>

#define K(pages)	((unsigned long)(pages) << (PAGE_SHIFT - 10))

/* "Node 0, zone      DMA      3      2 ..." one line per populated zone, orders 0..MAX_ORDER-1. */
static void buddyinfo_show(struct seq_buf *s)
{
	unsigned long nr[MAX_ORDER], flags;
	struct zone *z;
	unsigned int o;

	for_each_populated_zone(z) {
		spin_lock_irqsave(&z->lock, flags);	/* one moment of the zone, printed after */
		for (o = 0; o < MAX_ORDER; o++)
			nr[o] = z->free_area[o].nr_free;
		spin_unlock_irqrestore(&z->lock, flags);
		seq_buf_printf(s, "Node %d, zone %8s ", 0, z->name);
		for (o = 0; o < MAX_ORDER; o++)
			seq_buf_printf(s, "%6lu ", nr[o]);
		seq_buf_putc(s, '\n');
	}
}

/* Each CPU's pageset of each zone, as that CPU saw it (a cross call: a CPU reads only its own). */
struct pageset_snap {
	int count, high, batch;
};
static struct pageset_snap pageset_snap[MAX_NR_ZONES][CONFIG_NR_CPUS];

static void pageset_snap_cpu(void *unused)
{
	unsigned int cpu = smp_processor_id();
	int zi;

	(void)unused;
	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		const struct per_cpu_pages *pcp = &zones[zi].pcp[cpu];

		pageset_snap[zi][cpu] = (struct pageset_snap){ pcp->count, pcp->high, pcp->batch };
	}
}
DEBUGFS_FILE(buddyinfo, "/proc/buddyinfo", buddyinfo_show);

/* Linux's zoneinfo_show_print(): an unpopulated zone stops after its protection line. */
static void zoneinfo_show_zone(struct seq_buf *s, const struct zone *z)
{
	unsigned int cpu;
	int j;

	seq_buf_printf(s, "Node %d, zone %8s", 0, z->name);
	seq_buf_printf(s, "\n  pages free     %lu\n        boost    0\n        min      %lu"
		       "\n        low      %lu\n        high     %lu\n        spanned  %lu"
		       "\n        present  %lu\n        managed  %lu\n        cma      0",
		       zone_read(z->free_pages), min_wmark_pages(z), low_wmark_pages(z), high_wmark_pages(z),
		       z->spanned_pages, z->present_pages, z->managed_pages);
	seq_buf_printf(s, "\n        protection: (%ld", z->lowmem_reserve[0]);
	for (j = 1; j < MAX_NR_ZONES; j++)
		seq_buf_printf(s, ", %ld", z->lowmem_reserve[j]);
	seq_buf_putc(s, ')');
	if (!populated_zone(z)) {
		seq_buf_putc(s, '\n');
		return;
	}
	seq_buf_printf(s, "\n      nr_free_pages %lu", zone_read(z->free_pages));
	seq_buf_printf(s, "\n  pagesets");
	for_each_online_cpu(cpu) {
		const struct pageset_snap *p = &pageset_snap[z - zones][cpu];

		seq_buf_printf(s, "\n    cpu: %u\n              count: %d\n              high:  %d"
			       "\n              batch: %d\n  vm stats threshold: %ld", cpu, p->count,
			       p->high, p->batch, vm_stat_threshold(cpu));
	}
	seq_buf_printf(s, "\n  node_unreclaimable:  0\n  start_pfn:           %lu\n", z->zone_start_pfn);
}

/* Linux's /proc/zoneinfo; the pagesets are those of the online CPUs, as Linux lists them. */
static void zoneinfo_show(struct seq_buf *s)
{
	const struct zone *z;

	on_each_cpu(pageset_snap_cpu, NULL, 1);
	for_each_zone(z)
		zoneinfo_show_zone(s, z);
}
DEBUGFS_FILE(zoneinfo, "/proc/zoneinfo", zoneinfo_show);

static void show_val_kb(struct seq_buf *s, const char *name, unsigned long kb)
{
	seq_buf_printf(s, "%-16s%8lu kB\n", name, kb);
}

static unsigned long stat_pages(enum node_stat_item item)
{
	long v = global_node_page_state(item);

	return v > 0 ? (unsigned long)v : 0;
}

/*
 * Linux's si_mem_available() without a page cache: free pages minus what the
 * watermarks keep back, plus the half of reclaimable slab that could come back.
 */
static unsigned long mem_available(void)
{
	const struct zone *z;
	unsigned long wmark_low = 0, reclaimable = stat_pages(NR_SLAB_RECLAIMABLE);
	long avail;

	for_each_zone(z)
		wmark_low += low_wmark_pages(z);
	avail = (long)nr_free_pages() - (long)totalreserve_pages;
	avail += (long)(reclaimable - min(reclaimable / 2, wmark_low));
	return avail > 0 ? (unsigned long)avail : 0;
}

static void meminfo_show(struct seq_buf *s)
{
	unsigned long sr = stat_pages(NR_SLAB_RECLAIMABLE), su = stat_pages(NR_SLAB_UNRECLAIMABLE);

	show_val_kb(s, "MemTotal:", K(totalram_pages()));
	show_val_kb(s, "MemFree:", K(nr_free_pages()));
	show_val_kb(s, "MemAvailable:", K(mem_available()));
#ifdef ARCH_HAS_HIGHMEM
	show_val_kb(s, "HighTotal:", K(totalhigh_pages()));
	show_val_kb(s, "HighFree:", K(nr_free_highpages()));
	show_val_kb(s, "LowTotal:", K(totalram_pages() - totalhigh_pages()));
	show_val_kb(s, "LowFree:", K(nr_free_pages() - nr_free_highpages()));
#endif
	show_val_kb(s, "Slab:", K(sr + su));
	show_val_kb(s, "SReclaimable:", K(sr));
	show_val_kb(s, "SUnreclaim:", K(su));
	show_val_kb(s, "KernelStack:", K(stat_pages(NR_KERNEL_STACK)));
	show_val_kb(s, "PageTables:", K(stat_pages(NR_PAGETABLE)));
	show_val_kb(s, "VmallocTotal:", (unsigned long)((VMALLOC_END - VMALLOC_START) >> 10));
	show_val_kb(s, "VmallocUsed:", K(stat_pages(NR_VMALLOC)));
}
DEBUGFS_FILE(meminfo, "/proc/meminfo", meminfo_show);

/* ---- /proc/iomem ----------------------------------------------------------------------- */

#define MAX_IOMEM_RESOURCES	48
static struct resource iomem_res[MAX_IOMEM_RESOURCES];
static unsigned int nr_iomem_res;

/*
 * request_mem_region: records [start, start + n) under name for /proc/iomem. Ranges
 * nest by containment (a region inside System RAM prints as its child). Returns
 * the record, or NULL if it partially overlaps another or the table is full.
 */
struct resource *request_mem_region(paddr_t start, paddr_t n, const char *name)
{
	paddr_t end = start + n - 1;
	unsigned int i;

	if (!n || end < start || nr_iomem_res == MAX_IOMEM_RESOURCES)
		return NULL;
	for (i = 0; i < nr_iomem_res; i++) {
		const struct resource *r = &iomem_res[i];
		bool disjoint = end < r->start || start > r->end;
		bool nested = (start >= r->start && end <= r->end) || (start <= r->start && end >= r->end);

		if (!disjoint && !nested)
			return NULL;
	}
	iomem_res[nr_iomem_res] = (struct resource){ start, end, name };
	return &iomem_res[nr_iomem_res++];
}

void release_mem_region(paddr_t start, paddr_t n)
{
	unsigned int i;

	for (i = 0; i < nr_iomem_res; i++)
		if (iomem_res[i].start == start && iomem_res[i].end == start + n - 1) {
			iomem_res[i] = iomem_res[--nr_iomem_res];
			return;
		}
}

/* An item of the tree: a RAM region (from memblock.memory) or a recorded resource. */
struct iomem_item {
	paddr_t start, end;
	const char *name;
};

static unsigned int iomem_collect(struct iomem_item *it, unsigned int max)
{
	unsigned int n = 0, i, j;
	paddr_t s, e;
	u64 k;

	for_each_mem_range(k, &s, &e)
		if (n < max)
			it[n++] = (struct iomem_item){ s, e - 1, "System RAM" };
	for (i = 0; i < nr_iomem_res && n < max; i++)
		it[n++] = (struct iomem_item){ iomem_res[i].start, iomem_res[i].end, iomem_res[i].name };
	/* Sort by start, the larger (enclosing) range first. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && (it[j].start < it[j - 1].start ||
				      (it[j].start == it[j - 1].start && it[j].end > it[j - 1].end)); j--) {
			struct iomem_item t = it[j];

			it[j] = it[j - 1];
			it[j - 1] = t;
		}
	return n;
}

/* "%08llx-%08llx : name", children indented two spaces per level (Linux's r_show). */
static void iomem_show(struct seq_buf *s)
{
	static struct iomem_item it[MAX_IOMEM_RESOURCES + INIT_MEMBLOCK_REGIONS];
	unsigned int n = iomem_collect(it, ARRAY_SIZE(it)), i, depth;
	paddr_t stack_end[8];

	depth = 0;
	for (i = 0; i < n; i++) {
		while (depth && it[i].start > stack_end[depth - 1])
			depth--;
		seq_buf_printf(s, "%*s%08llx-%08llx : %s\n", (int)depth * 2, "",
			       (unsigned long long)it[i].start, (unsigned long long)it[i].end, it[i].name);
		if (depth < ARRAY_SIZE(stack_end))
			stack_end[depth++] = it[i].end;
	}
}
DEBUGFS_FILE(iomem, "/proc/iomem", iomem_show);

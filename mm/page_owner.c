/* page_owner.c: the allocation stack, gfp and order of every allocated block; /sys/kernel/debug/page_owner and its summary. */
#include <mm/page_owner.h>
#include <mm/gfp.h>
#include <mm/memblock.h>
#include <mm/mm.h>
#include <kernel/arch.h>
#include <kernel/atomic.h>
#include <kernel/debugfs.h>
#include <kernel/kallsyms.h>
#include <kernel/param.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <string.h>

struct page_owner *page_owner_table;
unsigned long page_owner_start_pfn, page_owner_nr;

static struct page_owner *record(const struct page *page)
{
	unsigned long i = page_to_pfn(page) - page_owner_start_pfn;

	return i < page_owner_nr ? &page_owner_table[i] : NULL;
}

/* Called by the buddy with the block just taken off its free lists (prep_new_page). */
__noinline void __page_owner_alloc(struct page *page, unsigned int order, gfp_t gfp)
{
	struct page_owner *po = record(page);

	if (!po)
		return;
	po->handle = save_stack(1);	/* from the buddy's caller of this hook outward */
	po->ts_nsec = local_clock();
	po->gfp_mask = gfp;
	po->order = (u16)order;
	po->allocated = 1;
}

__noinline void __page_owner_free(struct page *page, unsigned int order)
{
	struct page_owner *po = record(page);

	if (!po)
		return;
	po->free_handle = save_stack(1);
	po->allocated = 0;
}

void page_owner_attach(struct page_owner *table, unsigned long start_pfn, unsigned long nr)
{
	page_owner_start_pfn = start_pfn;
	page_owner_nr = nr;
	smp_store_release(&page_owner_table, table);
}

struct page_owner *page_owner_detach(void)
{
	struct page_owner *t = page_owner_table;

	WRITE_ONCE(page_owner_table, NULL);
	return t;
}

const struct page_owner *page_owner_lookup(unsigned long pfn)
{
	unsigned long i = pfn - page_owner_start_pfn;

	return page_owner_table && i < page_owner_nr ? &page_owner_table[i] : NULL;
}

/*
 * page_owner=on (Linux's parameter; off by default): the table comes from
 * memblock now, before the buddy takes over RAM, so every allocation from the
 * first one is recorded. Anything else: one line, and it stays off.
 */
static int setup_page_owner(const char *val)
{
	paddr_t start = memblock_start_of_DRAM(), end = memblock_end_of_DRAM();
	unsigned long nr = (unsigned long)(PFN_DOWN(end) - PFN_DOWN(start));
	struct page_owner *t;

	if (strcmp(val, "on") && strcmp(val, "off")) {
		printk("page_owner=%s: expected on or off; page_owner stays off\n", val);
		return 0;
	}
	if (!strcmp(val, "off") || page_owner_table)
		return 0;
	t = memblock_alloc((paddr_t)nr * sizeof(*t), PAGE_SIZE, "page_owner");
	if (!t) {
		printk("page_owner: no memory for %lu records; page_owner stays off\n", nr);
		return 0;
	}
	page_owner_attach(t, (unsigned long)PFN_DOWN(start), nr);
	printk("page_owner: on, %lu records of %zu bytes (%lu KiB) for PFNs 0x%lx-0x%lx\n", nr, sizeof(*t),
	       (unsigned long)((paddr_t)nr * sizeof(*t) >> 10), (unsigned long)PFN_DOWN(start),
	       (unsigned long)PFN_DOWN(end) - 1);
	return 0;
}
early_param("page_owner", setup_page_owner);

/* ---- /sys/kernel/debug/page_owner: Linux's layout (6.1), one block per allocated block ---- */

static const struct { gfp_t flag; const char *name; } gfp_names[] = {
	{ __GFP_DMA, "__GFP_DMA" }, { __GFP_HIGHMEM, "__GFP_HIGHMEM" }, { __GFP_ATOMIC, "__GFP_ATOMIC" },
	{ __GFP_ZERO, "__GFP_ZERO" }, { __GFP_NOWARN, "__GFP_NOWARN" }, { __GFP_COMP, "__GFP_COMP" },
	{ __GFP_NORETRY, "__GFP_NORETRY" }, { __GFP_NOFAIL, "__GFP_NOFAIL" },
};

/* Linux's %pGg: the flags' names joined by '|'; GFP_KERNEL for none (pagoda's GFP_KERNEL is 0). */
static void print_gfp(struct seq_buf *s, gfp_t gfp)
{
	unsigned int i;
	bool first = true;

	if (!gfp) {
		seq_buf_printf(s, "GFP_KERNEL");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(gfp_names); i++)
		if (gfp & gfp_names[i].flag) {
			seq_buf_printf(s, "%s%s", first ? "" : "|", gfp_names[i].name);
			first = false;
		}
	if (gfp & ~0x7fu)
		seq_buf_printf(s, "%s%#x", first ? "" : "|", gfp & ~0x7fu);
}

/* A stored stack as Linux's page_owner prints it: " func+0x../0x.." per line. */
static void print_stack(struct seq_buf *s, depot_stack_handle_t h)
{
	const unsigned long *e;
	unsigned int nr = stack_depot_fetch(h, &e), i;
	char sym[96];

	for (i = 0; i < nr; i++)
		seq_buf_printf(s, " %s\n", sprint_symbol(sym, sizeof(sym), e[i]));
}

/* The fields pagoda has no source for: pid/tgid -1 (no tasks), migratetype Unmovable (no mobility grouping). */
static void print_page_owner(struct seq_buf *s, unsigned long pfn, const struct page_owner *po)
{
	seq_buf_printf(s, "Page allocated via order %u, mask 0x%x(", po->order, po->gfp_mask);
	print_gfp(s, po->gfp_mask);
	seq_buf_printf(s, "), pid -1, tgid -1 (swapper/0), ts %llu ns, free_ts 0 ns\n",
		       (unsigned long long)po->ts_nsec);
	seq_buf_printf(s, "PFN %lu type Unmovable Block %lu type Unmovable Flags %#x\n", pfn,
		       pfn >> (MAX_ORDER - 1), pfn_valid(pfn) ? pfn_to_page(pfn)->flags : 0u);
	print_stack(s, po->handle);
	seq_buf_printf(s, "\n");
}

static void page_owner_show(struct seq_buf *s)
{
	unsigned long i;

	if (!page_owner_table) {
		seq_buf_printf(s, "page_owner is off (boot with page_owner=on)\n");
		return;
	}
	for (i = 0; i < page_owner_nr && !s->overflow; i++)
		if (page_owner_table[i].allocated)
			print_page_owner(s, page_owner_start_pfn + i, &page_owner_table[i]);
}
DEBUGFS_FILE(page_owner, "/sys/kernel/debug/page_owner", page_owner_show);

/* ---- the summary: what tools/mm/page_owner_sort prints, blocks grouped by stack ---------- */

#define SORT_MAX	256	/* distinct stacks summarised; the rest are counted on one line */

struct owner_group {
	depot_stack_handle_t handle;
	unsigned long times, pages;
};

/* Adds one block to its group (a linear search: a few hundred stacks at most). */
static bool group_add(struct owner_group *g, unsigned int *n, const struct page_owner *po)
{
	unsigned int i;

	for (i = 0; i < *n && g[i].handle != po->handle; i++)
		;
	if (i == *n) {
		if (*n == SORT_MAX)
			return false;
		g[(*n)++] = (struct owner_group){ po->handle, 0, 0 };
	}
	g[i].times++;
	g[i].pages += 1UL << po->order;
	return true;
}

/* "N times, M pages:" then the stack, most times first (page_owner_sort's default order). */
static void page_owner_sort_show(struct seq_buf *s)
{
	static struct owner_group g[SORT_MAX];
	unsigned int n = 0, i, j;
	unsigned long i_pfn, lost = 0;

	if (!page_owner_table) {
		seq_buf_printf(s, "page_owner is off (boot with page_owner=on)\n");
		return;
	}
	for (i_pfn = 0; i_pfn < page_owner_nr; i_pfn++)
		if (page_owner_table[i_pfn].allocated && !group_add(g, &n, &page_owner_table[i_pfn]))
			lost++;
	for (i = 1; i < n; i++)		/* insertion sort by times, descending */
		for (j = i; j > 0 && g[j].times > g[j - 1].times; j--) {
			struct owner_group t = g[j];

			g[j] = g[j - 1];
			g[j - 1] = t;
		}
	for (i = 0; i < n && !s->overflow; i++) {
		seq_buf_printf(s, "%lu times, %lu pages:\n", g[i].times, g[i].pages);
		print_stack(s, g[i].handle);
		seq_buf_printf(s, "\n");
	}
	if (lost)
		seq_buf_printf(s, "(%lu blocks from more than %d distinct stacks not grouped)\n", lost, SORT_MAX);
}
DEBUGFS_FILE(page_owner_sort, "/sys/kernel/debug/page_owner_sort", page_owner_sort_show);

/* page_alloc_debug.c: "BUG: Bad page state" reports for misused frees, and the buddy's invariant checker. */
#include <mm/mmzone.h>
#include <mm/page_alloc_debug.h>
#include <kernel/debugfs.h>
#include <kernel/kallsyms.h>
#include <kernel/param.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <stdio.h>
#include <string.h>

static void page_flag_names(const struct page *p, char *buf, size_t size)
{
	static const char *const names[NR_PAGEFLAGS] = {
		"reserved", "buddy", "head", "tail", "slab", "pcp", "highmem", "pgtable",
		"large_kmalloc",
	};
	size_t len = 0;
	int f;

	buf[0] = '\0';
	for (f = 0; f < NR_PAGEFLAGS && len + 10 < size; f++) {
		if (!PageFlag(p, f))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "|" : "", names[f]);
	}
}

/*
 * bad_page: Linux's report for a page in a state that a free must not see. The
 * caller then leaves the page alone, so the allocator stays as it was.
 */
void bad_page(const struct page *page, unsigned int order, const char *reason, unsigned long caller)
{
	unsigned long pfn = page_to_pfn(page);
	char flags[80], sym[96];

	__atomic_fetch_add(&bad_page_count, 1, __ATOMIC_RELAXED);
	page_flag_names(page, flags, sizeof(flags));
	printk("BUG: Bad page state in process swapper/%u  pfn:%05lx\n", smp_processor_id(), pfn);
	printk("page:%p pfn:0x%lx order:%u zone:%s alloc-order:%d\n", (const void *)page, pfn, order,
	       page_zone(page)->name,
	       (int)((page->flags & PAGE_ALLOC_ORDER_MASK) >> PAGE_ALLOC_ORDER_SHIFT) - 1);
	printk("flags: 0x%x(%s)\n", page->flags, flags);
	printk("page dumped because: %s\n", reason);
	printk("caller: %s\n", sprint_symbol(sym, sizeof(sym), caller));
}

/* The same report for an address that names no page (free_pages of a bad pointer). */
void bad_page_addr(unsigned long addr, const char *reason, unsigned long caller)
{
	char sym[96];

	__atomic_fetch_add(&bad_page_count, 1, __ATOMIC_RELAXED);
	if (virt_addr_valid((void *)addr))
		printk("BUG: Bad page state in process swapper/0  pfn:%05lx\n", PHYS_PFN(__pa((void *)addr)));
	else
		printk("BUG: Bad page state in process swapper/0  addr:0x%lx\n", addr);
	printk("page dumped because: %s (0x%lx)\n", reason, addr);
	printk("caller: %s\n", sprint_symbol(sym, sizeof(sym), caller));
}

bool page_poisoning;
unsigned long nr_poisoned_pages;	/* atomic adds: every CPU poisons what it frees */

void page_poisoning_set(bool on)
{
	page_poisoning = on;
}

/* page_poison=on|1|off|0: the last one given wins (Linux's rule for repeated parameters). */
static int setup_page_poison(const char *val)
{
	if (!strcmp(val, "on") || !strcmp(val, "1"))
		page_poisoning = true;
	else if (!strcmp(val, "off") || !strcmp(val, "0"))
		page_poisoning = false;
	else
		return -1;
	return 0;
}
early_param("page_poison", setup_page_poison);

/* /sys/kernel/debug/page_poison: whether freed pages are poisoned, and how many free pages carry it. */
static void show_page_poison(struct seq_buf *s)
{
	seq_buf_printf(s, "page_poison: %s\npoisoned free pages: %lu\n", page_poisoning ? "on" : "off",
		       zone_read(nr_poisoned_pages));
}
DEBUGFS_FILE(page_poison, "/sys/kernel/debug/page_poison", show_page_poison);

void kernel_poison_pages(struct page *page, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++) {
		if (PageHighMem(page + i) || (page[i].flags & PAGE_POISONED_BIT))
			continue;
		memset(page_address(page + i), PAGE_POISON, PAGE_SIZE);
		page[i].flags |= PAGE_POISONED_BIT;
		__atomic_fetch_add(&nr_poisoned_pages, 1, __ATOMIC_RELAXED);
	}
}

/* Checks (and un-marks) the poisoned pages of a block being handed out. */
void check_poison_pages(struct page *page, unsigned int order, unsigned long caller)
{
	unsigned long i, off;
	char why[96];

	for (i = 0; i < (1UL << order); i++) {
		const u8 *b;

		if (!(page[i].flags & PAGE_POISONED_BIT))
			continue;
		page[i].flags &= ~PAGE_POISONED_BIT;
		__atomic_fetch_sub(&nr_poisoned_pages, 1, __ATOMIC_RELAXED);
		b = page_address(page + i);
		for (off = 0; off < PAGE_SIZE && b[off] == PAGE_POISON; off++)
			;
		if (off == PAGE_SIZE)
			continue;
		snprintf(why, sizeof(why), "use after free: byte 0x%02x at offset 0x%lx of a freed page (poison 0x%02x)",
			 b[off], off, PAGE_POISON);
		bad_page(page + i, 0, why, caller);
	}
}

/* The order-o free block containing pfn, if any (its head carries PG_buddy with ->order >= o). */
static bool pfn_in_free_block(const struct zone *z, unsigned long pfn, unsigned int *order)
{
	unsigned int o;

	for (o = 0; o < MAX_ORDER; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		const struct page *h;

		if (!zone_spans_pfn(z, head))
			break;
		h = pfn_to_page(head);
		if (PageBuddy(h) && h->order >= o) {
			*order = h->order;
			return true;
		}
	}
	return false;
}

static bool page_in_mem_map(const struct page *page)
{
	uintptr_t off = (uintptr_t)page - (uintptr_t)mem_map;

	return mem_map && (uintptr_t)page >= (uintptr_t)mem_map &&
	       off < (max_pfn - min_low_pfn) * sizeof(struct page) && off % sizeof(struct page) == 0;
}

/*
 * free_pages_check: true if page may be freed as an order-order block. Otherwise
 * prints the report and returns false; nothing has been changed.
 */
bool free_pages_check(struct page *page, unsigned int order, unsigned long caller)
{
	unsigned int rec, fo;
	char why[96], sym[96];

	if (unlikely(!page_in_mem_map(page))) {
		__atomic_fetch_add(&bad_page_count, 1, __ATOMIC_RELAXED);
		printk("BUG: Bad page state in process swapper/0  page:%p\n", (void *)page);
		printk("page dumped because: not a struct page in mem_map\ncaller: %s\n",
		       sprint_symbol(sym, sizeof(sym), caller));
		return false;
	}
	rec = (page->flags & PAGE_ALLOC_ORDER_MASK) >> PAGE_ALLOC_ORDER_SHIFT;
	if (likely(rec == order + 1 && !(page->flags & ((1u << PG_reserved) | (1u << PG_buddy) |
							 (1u << PG_pcp) | (1u << PG_tail)))))
		return true;
	if (order >= MAX_ORDER)
		snprintf(why, sizeof(why), "order %u is beyond MAX_ORDER-1", order);
	else if (PageReserved(page))
		snprintf(why, sizeof(why), "freeing a reserved page (never given to the buddy)");
	else if (PageBuddy(page) || PageFlag(page, PG_pcp))
		snprintf(why, sizeof(why), "double free (page is already free%s)",
			 PageBuddy(page) ? " in the buddy" : " on a per-CPU list");
	else if (PageTail(page))
		snprintf(why, sizeof(why), "not a block start (tail page of a compound order-%u block)",
			 page->compound_head ? page->compound_head->order : 0);
	else if (!rec && pfn_in_free_block(page_zone(page), page_to_pfn(page), &fo))
		snprintf(why, sizeof(why), "double free (page is inside a free order-%u block)", fo);
	else if (!rec)
		snprintf(why, sizeof(why), "not the start of an allocated block");
	else
		snprintf(why, sizeof(why), "wrong order: freed as order %u, allocated as order %u",
			 order, rec - 1);
	bad_page(page, order, why, caller);
	return false;
}

static bool page_is_free_buddy_of(const struct zone *z, unsigned long pfn, unsigned int o)
{
	unsigned long bpfn = pfn ^ (1UL << o);

	return zone_spans_pfn(z, bpfn) && PageBuddy(pfn_to_page(bpfn)) && pfn_to_page(bpfn)->order == o;
}

static bool verify_fail(char *why, size_t n, const char *zone, unsigned long pfn, const char *what)
{
	snprintf(why, n, "zone %s pfn 0x%lx: %s", zone, pfn, what);
	return false;
}

/* Each free block: aligned, inside the zone, head alone flagged, interior pages clean. */
static bool verify_free_lists(const struct zone *z, unsigned long *nfree, char *why, size_t n)
{
	unsigned int o;

	for (o = 0; o < MAX_ORDER; o++) {
		const struct page *p;
		unsigned long cnt = 0, i;

		list_for_each_entry(p, &z->free_area[o].free_list, lru) {
			unsigned long pfn = page_to_pfn(p);

			if (++cnt > z->spanned_pages)
				return verify_fail(why, n, z->name, pfn, "free list loops");
			if (!PageBuddy(p) || p->order != o)
				return verify_fail(why, n, z->name, pfn, "block head not PG_buddy of its order");
			if ((pfn & ((1UL << o) - 1)) || !zone_spans_pfn(z, pfn + (1UL << o) - 1))
				return verify_fail(why, n, z->name, pfn, "free block misaligned or outside zone");
			if (p->flags & (PAGE_ALLOC_ORDER_MASK | (1u << PG_reserved) | (1u << PG_pcp)))
				return verify_fail(why, n, z->name, pfn, "free block head is allocated/reserved/pcp");
			if (o < MAX_ORDER - 1 && page_is_free_buddy_of(z, pfn, o))
				return verify_fail(why, n, z->name, pfn, "two free buddies not merged");
			for (i = 1; i < (1UL << o); i++)
				if (p[i].flags & (PAGE_ALLOC_ORDER_MASK | (1u << PG_reserved) | (1u << PG_buddy) |
						  (1u << PG_pcp) | (1u << PG_tail)))
					return verify_fail(why, n, z->name, pfn + i, "free block overlaps another block");
		}
		if (cnt != z->free_area[o].nr_free)
			return verify_fail(why, n, z->name, o, "nr_free differs from the list length");
		*nfree += cnt << o;
	}
	return true;
}

/* Every CPU's list: only PG_pcp pages of z, as many as its count says. */
static long verify_pcp_lists(const struct zone *z, char *why, size_t n)
{
	unsigned long npcp = 0, cpu;
	const struct page *p;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		const struct per_cpu_pages *pcp = &z->pcp[cpu];
		long cnt = 0;

		if (!pcp->list.next)	/* never set up: a CPU that has not used it */
			continue;
		list_for_each_entry(p, &pcp->list, lru) {
			if (!PageFlag(p, PG_pcp) || PageBuddy(p) || (p->flags & PAGE_ALLOC_ORDER_MASK) ||
			    page_zone(p) != z || ++cnt > pcp->count)
				return verify_fail(why, n, z->name, page_to_pfn(p), "bad per-CPU list page"), -1;
		}
		if (cnt != pcp->count)
			return verify_fail(why, n, z->name, cpu, "pcp count differs from its list"), -1;
		npcp += cnt;
	}
	return (long)npcp;
}

static long __buddy_verify_zone(const struct zone *z, char *why, size_t n)
{
	unsigned long nfree = 0, nreserved = 0, pfn;
	const struct page *p;
	long npcp;

	if (!verify_free_lists(z, &nfree, why, n))
		return -1;
	if (nfree != z->free_pages)
		return verify_fail(why, n, z->name, nfree, "free_pages differs from the free lists"), -1;
	npcp = verify_pcp_lists(z, why, n);
	if (npcp < 0)
		return -1;
	for (pfn = z->zone_start_pfn; pfn < zone_end_pfn(z); pfn++) {
		p = pfn_to_page(pfn);
		if (page_zonenum(p) != (unsigned int)(z - zones))
			return verify_fail(why, n, z->name, pfn, "page has the wrong zone"), -1;
		nreserved += PageReserved(p);
	}
	if (z->spanned_pages - nreserved != z->managed_pages)
		return verify_fail(why, n, z->name, nreserved, "reserved + managed != spanned"), -1;
	return (long)nfree + npcp;
}

long buddy_verify_zone(const struct zone *z, char *why, size_t n)
{
	struct zone *zz = (struct zone *)z;	/* the lock only: nothing else is changed */
	unsigned long flags;
	long ret;

	spin_lock_irqsave(&zz->lock, flags);
	ret = __buddy_verify_zone(z, why, n);
	spin_unlock_irqrestore(&zz->lock, flags);
	return ret;
}

/*
 * /sys/kernel/debug/page_alloc/verify: every CPU's lists drained (so that no
 * other CPU's list is read while it changes), then buddy_verify_zone() on
 * every zone, one line each.
 */
static void verify_show(struct seq_buf *s)
{
	const struct zone *z;
	char why[128];

	drain_all_pages(NULL);
	for_each_zone(z) {
		long n = buddy_verify_zone(z, why, sizeof(why));

		if (n < 0)
			seq_buf_printf(s, "zone %8s: BROKEN: %s\n", z->name, why);
		else
			seq_buf_printf(s, "zone %8s: ok, %ld pages free (%d on per-CPU lists), %lu managed\n",
				       z->name, n, z->pcp[smp_processor_id()].count, z->managed_pages);
	}
}
DEBUGFS_FILE(page_alloc_verify, "/sys/kernel/debug/page_alloc/verify", verify_show);

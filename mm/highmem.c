/* highmem.c: kmap (persistent pkmap slots, lazily flushed) and kmap_local (nested per-CPU fixmap slots). */
#include <mm/highmem.h>
#include <mm/fixmap.h>
#include <mm/pgtable.h>
#include <kernel/bug.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <string.h>
#include <asm/page.h>

#ifdef ARCH_HAS_HIGHMEM

#define PKMAP_ADDR(nr)	(PKMAP_BASE + ((unsigned long)(nr) << PAGE_SHIFT))
#define PKMAP_NR(va)	((unsigned int)(((unsigned long)(va) - PKMAP_BASE) >> PAGE_SHIFT))
#define PKMAP_HASH	128	/* buckets of the page -> slot lookup */

/*
 * pkmap_count[nr], as in Linux: 0 free and flushed; 1 free but its entry (and
 * maybe a TLB entry) is still there; n >= 2 mapped with n - 1 users.
 * pkmap_page[nr] is the page a slot with count >= 1 maps; slots with a page
 * are chained per hash bucket (indexes + 1, 0 ends a chain) for kmap's lookup.
 *
 * SMP. kmap_lock (Linux's) protects all the pkmap state below, and the pkmap
 * slots' page-table entries: a slot is written only by its owner under the
 * lock. The wrap-round flush (flush_all_zero_pkmaps) runs under it and reaches
 * every CPU's TLB (flush_tlb_kernel_range: broadcast TLBI on arm64, IPIs on
 * x86), so no CPU keeps a translation of a slot that is handed out again.
 * Lock order: kmap_lock -> init_mm.page_table_lock (the slot lookup).
 * kmap_local needs no lock: each CPU nests in its own KM_MAX_IDX fixmap slots
 * (asm/fixmap.h), with its own depth, touched with interrupts masked.
 */
static DEFINE_SPINLOCK(kmap_lock);
static unsigned int pkmap_count[LAST_PKMAP];	/* kmap_lock */
static struct page *pkmap_page[LAST_PKMAP];	/* kmap_lock */
static u16 pkmap_hash[PKMAP_HASH], pkmap_next[LAST_PKMAP];	/* kmap_lock */
static unsigned int last_pkmap_nr;		/* kmap_lock */
static unsigned long pkmap_flushes;		/* kmap_lock */
/* kmap_local nesting depth of each CPU (per-CPU: its own CPU, interrupts masked). */
static DEFINE_PER_CPU(unsigned int, kmap_local_idx);

static unsigned int pkmap_bucket(const struct page *page)
{
	return (unsigned int)(page_to_pfn(page) % PKMAP_HASH);
}

static int pkmap_lookup(const struct page *page)
{
	unsigned int i;

	for (i = pkmap_hash[pkmap_bucket(page)]; i; i = pkmap_next[i - 1])
		if (pkmap_page[i - 1] == page)
			return (int)i - 1;
	return -1;
}

static void pkmap_hash_del(unsigned int nr)
{
	u16 *pp = &pkmap_hash[pkmap_bucket(pkmap_page[nr])];

	while (*pp != nr + 1)
		pp = &pkmap_next[*pp - 1];
	*pp = pkmap_next[nr];
	pkmap_page[nr] = NULL;
}

/*
 * Maps the (empty) slot at va to page; false if no table page could be had.
 * The slots' page table is made by pt_map() the first time; after that the
 * core's leaf-slot API writes the entry directly (Linux writes its
 * pkmap_page_table and the kmap fixmap entries the same way).
 */
static bool kmap_set_slot(unsigned long va, struct page *page)
{
	pte_t *slot = pt_leaf_slot(&init_mm, va);

	if (!slot)
		return !pt_map(&init_mm, va, page_to_phys(page), PAGE_SIZE, PAGE_KERNEL);
	return !pt_set_leaf(&init_mm, slot, page_to_phys(page), PAGE_KERNEL);
}

/* Empties the slot at va, flushing its page now (gather NULL) or with the gather's one flush. */
static void kmap_clear_slot(unsigned long va, struct pt_gather *gather)
{
	pte_t *slot = pt_leaf_slot(&init_mm, va);

	if (WARN_ON(!slot))	/* a slot in use always has its page table */
		return;
	pt_clear_leaf(&init_mm, slot, va, gather);
}

/* flush_all_zero_pkmaps: clears every slot nobody uses any more; one TLB flush for all. */
static void flush_all_zero_pkmaps(void)
{
	struct pt_gather gather = { .pending = false };
	unsigned int nr;

	for (nr = 0; nr < LAST_PKMAP; nr++) {
		if (pkmap_count[nr] != 1)
			continue;
		pkmap_count[nr] = 0;
		kmap_clear_slot(PKMAP_ADDR(nr), &gather);
		pkmap_hash_del(nr);
	}
	if (gather.pending) {
		pt_gather_flush(&gather);
		pkmap_flushes++;
	}
}

/* map_new_virtual: the next free slot after the last one used (flushing on wrap), mapped to page. */
static int map_new_virtual(struct page *page)
{
	unsigned int count;

	for (count = LAST_PKMAP; count > 0; count--) {
		last_pkmap_nr = (last_pkmap_nr + 1) & (LAST_PKMAP - 1);
		if (!last_pkmap_nr)
			flush_all_zero_pkmaps();
		if (!pkmap_count[last_pkmap_nr])
			break;
	}
	if (!count) {
		printk("BUG: kmap: all %d pkmap slots are in use (pfn 0x%lx not mapped)\n", LAST_PKMAP,
		       page_to_pfn(page));
		return -1;
	}
	if (!kmap_set_slot(PKMAP_ADDR(last_pkmap_nr), page)) {
		printk("kmap: no page table for the pkmap area\n");
		return -1;
	}
	pkmap_count[last_pkmap_nr] = 1;
	pkmap_page[last_pkmap_nr] = page;
	pkmap_next[last_pkmap_nr] = pkmap_hash[pkmap_bucket(page)];
	pkmap_hash[pkmap_bucket(page)] = (u16)(last_pkmap_nr + 1);
	return (int)last_pkmap_nr;
}

static void *kmap_high(struct page *page)
{
	int nr;

	spin_lock(&kmap_lock);
	nr = pkmap_lookup(page);
	if (nr < 0)
		nr = map_new_virtual(page);
	if (nr >= 0)
		pkmap_count[nr]++;
	spin_unlock(&kmap_lock);
	return nr < 0 ? NULL : (void *)PKMAP_ADDR(nr);
}

static void kunmap_high(struct page *page)
{
	bool bad;
	int nr;

	spin_lock(&kmap_lock);
	nr = pkmap_lookup(page);
	bad = nr < 0 || pkmap_count[nr] < 2;
	if (!bad)
		pkmap_count[nr]--;	/* at 1 the entry stays until the next wrap-round flush */
	spin_unlock(&kmap_lock);
	if (bad) {
		printk("BUG: kunmap: pfn 0x%lx is not kmap()ed\n", page_to_pfn(page));
		WARN_ON(1);
	}
}

/* CPU cpu's kmap_local slot for nesting level idx (asm/fixmap.h's per-CPU layout). */
static unsigned long kmap_local_va(unsigned int cpu, unsigned int idx)
{
	return __fix_to_virt(FIX_KMAP_BEGIN + cpu * KM_MAX_IDX + idx);
}

static void *kmap_local_high(struct page *page)
{
	unsigned int cpu = smp_processor_id(), *depth = this_cpu_ptr(kmap_local_idx), idx;
	unsigned long flags;
	void *va = NULL;

	local_irq_save(flags);
	idx = *depth;
	if (cpu >= FIX_NR_CPUS || idx >= KM_MAX_IDX) {
		printk("BUG: kmap_local: %s (pfn 0x%lx not mapped)\n", cpu >= FIX_NR_CPUS ?
		       "this CPU has no fixmap slots (FIX_NR_CPUS)" : "nesting deeper than KM_MAX_IDX",
		       page_to_pfn(page));
		WARN_ON(1);
	} else if (!kmap_set_slot(kmap_local_va(cpu, idx), page)) {
		printk("kmap_local: no page table for the fixmap\n");
	} else {
		*depth = idx + 1;
		va = (void *)kmap_local_va(cpu, idx);
	}
	local_irq_restore(flags);
	return va;
}

/* Unmaps this CPU's innermost kmap_local slot; an address outside the kmap_local slots needs nothing. */
static void kunmap_local_high(unsigned long va)
{
	unsigned int cpu = smp_processor_id(), *depth = this_cpu_ptr(kmap_local_idx), idx;
	unsigned long flags;

	if (va < kmap_local_va(FIX_NR_CPUS - 1, KM_MAX_IDX - 1) || va > kmap_local_va(0, 0))
		return;
	local_irq_save(flags);
	idx = *depth;
	if (cpu >= FIX_NR_CPUS || !idx || va != kmap_local_va(cpu, idx - 1)) {
		printk("BUG: kunmap_local: 0x%lx is not the innermost kmap_local mapping of this CPU "
		       "(expected 0x%lx)\n", va, idx && cpu < FIX_NR_CPUS ? kmap_local_va(cpu, idx - 1) : 0UL);
		WARN_ON(1);
	} else {
		kmap_clear_slot(va, NULL);	/* this CPU's slot: the flush still reaches every CPU */
		*depth = idx - 1;
	}
	local_irq_restore(flags);
}

void kmap_get_stats(struct kmap_stats *st)
{
	unsigned int nr;

	memset(st, 0, sizeof(*st));
	spin_lock(&kmap_lock);
	for (nr = 0; nr < LAST_PKMAP; nr++) {
		st->pkmap_mapped += pkmap_count[nr] >= 1;
		st->pkmap_in_use += pkmap_count[nr] >= 2;
	}
	st->pkmap_flushes = pkmap_flushes;
	spin_unlock(&kmap_lock);
	st->local_depth = *this_cpu_ptr(kmap_local_idx);
}

#else /* !ARCH_HAS_HIGHMEM: every page is in the linear map, no page is PG_highmem */

static void *kmap_high(struct page *page) { WARN_ON(1); return NULL; }
static void kunmap_high(struct page *page) { WARN_ON(1); }
static void *kmap_local_high(struct page *page) { WARN_ON(1); return NULL; }
static void kunmap_local_high(unsigned long va) { }
void kmap_get_stats(struct kmap_stats *st) { memset(st, 0, sizeof(*st)); }

#endif

void *kmap(struct page *page)
{
	return PageHighMem(page) ? kmap_high(page) : page_address(page);
}

void kunmap(struct page *page)
{
	if (PageHighMem(page))
		kunmap_high(page);
}

void *kmap_local_page(struct page *page)
{
	return PageHighMem(page) ? kmap_local_high(page) : page_address(page);
}

void kunmap_local(const void *vaddr)
{
	kunmap_local_high((unsigned long)vaddr & PAGE_MASK);
}

void clear_highpage(struct page *page)
{
	void *va = kmap_local_page(page);

	if (!va)
		return;
	clear_page(va);
	kunmap_local(va);
}

void memcpy_to_page(struct page *page, size_t offset, const void *from, size_t len)
{
	char *va = kmap_local_page(page);

	BUG_ON(offset + len > PAGE_SIZE);
	if (!va)
		return;
	memcpy(va + offset, from, len);
	kunmap_local(va);
}

void memcpy_from_page(void *to, struct page *page, size_t offset, size_t len)
{
	char *va = kmap_local_page(page);

	BUG_ON(offset + len > PAGE_SIZE);
	if (!va)
		return;
	memcpy(to, va + offset, len);
	kunmap_local(va);
}

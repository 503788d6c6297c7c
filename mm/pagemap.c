/* pagemap.c: /proc/PID/pagemap, /proc/kpageflags and /proc/kpagecount — Linux's entries, rendered per read. */
#include <mm/mm.h>
#include <mm/mm_struct.h>
#include <mm/mm_types.h>
#include <mm/pagemap.h>
#include <string.h>

u64 pagemap_entry(bool present, u64 pfn, unsigned int mapcount)
{
	if (!present)
		return 0;
	return PM_PRESENT | (mapcount == 1 ? PM_MMAP_EXCLUSIVE : 0) | (pfn & PM_PFRAME_MASK);
}

/*
 * pagoda's PG_* as Linux's KPF_* (fs/proc/page.c's stable_page_flags):
 *   PG_reserved        KPF_RESERVED (32)       a kernel-hacker bit: page-types shows it with -r
 *   PG_buddy           KPF_BUDDY (10)          the head of a free block only, as Linux
 *   PG_head            KPF_COMPOUND_HEAD (15)
 *   PG_tail            KPF_COMPOUND_TAIL (16)
 *   PG_slab            KPF_SLAB (7)
 *   PG_pcp             -                       free on a per-CPU list: Linux sets nothing either
 *   PG_highmem         -                       Linux has no such KPF
 *   PG_pgtable         KPF_PGTABLE (26)
 *   PG_large_kmalloc   KPF_COMPOUND_HEAD (15)  Linux's large kmalloc is a compound page
 *   (mapped by a user mm) KPF_MMAP (11) | KPF_ANON (12): every private user page is anonymous
 *                      (exec copies the program's pages out of the archive: no page cache)
 *   PG_shmem           KPF_SWAPBACKED (14)     a shared anonymous page, which Linux keeps in
 *                      shmem: KPF_MMAP when mapped but never KPF_ANON (PageAnon is false)
 *   (no struct page)   KPF_NOPAGE (20)
 */
u64 stable_page_flags(const struct page *page, unsigned int mapcount)
{
	static const u8 kpf_of[NR_PAGEFLAGS] = {
		[PG_reserved] = KPF_RESERVED, [PG_buddy] = KPF_BUDDY, [PG_head] = KPF_COMPOUND_HEAD,
		[PG_tail] = KPF_COMPOUND_TAIL, [PG_slab] = KPF_SLAB, [PG_pgtable] = KPF_PGTABLE,
		[PG_large_kmalloc] = KPF_COMPOUND_HEAD, [PG_pcp] = 0xff, [PG_highmem] = 0xff,
		[PG_shmem] = KPF_SWAPBACKED,
	};
	u32 flags;
	u64 k = 0;
	unsigned int f;

	if (!page)
		return BIT_ULL(KPF_NOPAGE);
	flags = READ_ONCE(page->flags);
	for (f = 0; f < NR_PAGEFLAGS; f++)
		if ((flags & (1u << f)) && kpf_of[f] != 0xff)
			k |= BIT_ULL(kpf_of[f]);
	if (mapcount)
		k |= BIT_ULL(KPF_MMAP) | (flags & (1u << PG_shmem) ? 0 : BIT_ULL(KPF_ANON));
	return k;
}

u64 pagemap_entries(void)
{
	return TASK_SIZE >> PAGE_SHIFT;
}

u64 kpage_entries(void)
{
	return max_pfn;
}

unsigned long pagemap_read(struct mm_struct *mm, u64 index, u64 *out, unsigned long n)
{
	unsigned long i;
	struct pt_query q;

	if (index >= pagemap_entries())
		return 0;
	n = min((u64)n, pagemap_entries() - index);
	spin_lock(&mm->lock);
	for (i = 0; i < n; i++) {
		unsigned long va = (unsigned long)(index + i) << PAGE_SHIFT;
		bool present = find_vma(mm, va) && !pt_query(&mm->ctx, va, &q);

		/* user pages count their mappings (COW after fork: shared until written) */
		out[i] = present ? pagemap_entry(true, PHYS_PFN(q.pa), (unsigned int)page_mapcount(phys_to_page(q.pa)))
				 : pagemap_entry(false, 0, 0);
		if (present && PageShmem(phys_to_page(q.pa)))
			out[i] |= PM_FILE;	/* Linux: a page that is not PageAnon (shmem's) */
	}
	spin_unlock(&mm->lock);
	return n;
}

/* The PFN window a mapping count fills: count[pfn - lo] for lo <= pfn < lo + n. */
struct map_count {
	u64 lo;
	unsigned long n;
	u64 *count;
};

static int count_leaf(const struct pt_walk_entry *e, void *priv)
{
	struct map_count *mc = priv;
	u64 pfn = PHYS_PFN(e->pa), pages = e->size >> PAGE_SHIFT, i;

	for (i = 0; i < pages; i++)
		if (pfn + i >= mc->lo && pfn + i - mc->lo < mc->n)
			mc->count[pfn + i - mc->lo]++;
	return 0;
}

/*
 * count_mappings: count[i] := how many user PTEs of mms map PFN lo + i. Only
 * the tables under each mm's VMAs are walked (user pages live nowhere else).
 */
static void count_mappings(struct mm_struct *const *mms, unsigned int nr_mms, u64 lo, u64 *count,
			   unsigned long n)
{
	static const struct pt_walk_ops ops = { .leaf = count_leaf };
	struct map_count mc = { .lo = lo, .n = n, .count = count };
	struct vm_area_struct *v;
	unsigned int m;

	memset(count, 0, n * sizeof(*count));
	for (m = 0; m < nr_mms; m++) {
		spin_lock(&mms[m]->lock);
		for_each_vma(mms[m], v)
			pt_walk(&mms[m]->ctx, v->vm_start, v->vm_end, &ops, &mc);
		spin_unlock(&mms[m]->lock);
	}
}

/* kpage_window: how many of PFNs index.. exist in the file (n at most), counted into out. */
static unsigned long kpage_window(struct mm_struct *const *mms, unsigned int nr_mms, u64 index, u64 *out,
				  unsigned long n)
{
	if (index >= kpage_entries())
		return 0;
	n = min((u64)n, kpage_entries() - index);
	count_mappings(mms, nr_mms, index, out, n);
	return n;
}

unsigned long kpageflags_read(struct mm_struct *const *mms, unsigned int nr_mms, u64 index, u64 *out,
			      unsigned long n)
{
	unsigned long i;

	n = kpage_window(mms, nr_mms, index, out, n);
	for (i = 0; i < n; i++)
		out[i] = stable_page_flags(pfn_valid(index + i) ? pfn_to_page(index + i) : NULL,
					   (unsigned int)out[i]);
	return n;
}

/* kpagecount: the user mappings of each PFN (Linux's page_mapcount); 0 for free, kernel and missing pages. */
unsigned long kpagecount_read(struct mm_struct *const *mms, unsigned int nr_mms, u64 index, u64 *out,
			      unsigned long n)
{
	return kpage_window(mms, nr_mms, index, out, n);
}

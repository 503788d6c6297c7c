/* mprotect.c: mprotect(2) — the range's VMAs split off and re-protected, present pages changed, the TLB flushed by ASID. */
#include <errno.h>
#include <kernel/bug.h>
#include <kernel/process.h>
#include <mm/highmem.h>
#include <mm/mm.h>
#include <mm/mm_struct.h>

/*
 * pte_prot_for: the entry protection of a present page in a VMA with vm_prot.
 * PROT_NONE pages stay mapped (their contents survive a later mprotect back)
 * but without PROT_USER: EL0 / ring 3 faults on them, and the fault handler
 * refuses the access because the VMA allows nothing.
 */
static u32 pte_prot_for(u32 vm_prot)
{
	return (vm_prot ? vm_prot | PROT_USER : PROT_READ) | MT_NORMAL;
}

/* range_mapped: every page of [start, end) lies in some VMA. */
static bool range_mapped(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *v;

	while (start < end) {
		v = find_vma(mm, start);
		if (!v)
			return false;
		start = v->vm_end;
	}
	return true;
}

/* The runs of present pages one read walk found (protect_present): at most PROTECT_RUNS per walk. */
#define PROTECT_RUNS	16
struct present_runs {
	struct mm_struct *mm;
	unsigned long start, end;		/* the range asked */
	u32 prot;				/* the protection asked (pte_prot_for) */
	unsigned long run_start[PROTECT_RUNS], run_end[PROTECT_RUNS];
	u32 run_prot[PROTECT_RUNS];		/* what each run takes (page_prot) */
	unsigned int n;
	unsigned long resume;			/* where the next walk starts when the array filled */
};

/*
 * page_prot: the protection the present page at va (PA pa) takes. A page of
 * a private VMA that another process still maps (copy-on-write after fork:
 * mapcount above 1) stays read-only, so its first write still copies it, as
 * Linux's change_pte_range makes a PTE writable only for an exclusive page;
 * a shared VMA's pages take prot as they are (the same page is meant).
 */
static u32 page_prot(struct mm_struct *mm, unsigned long va, paddr_t pa, u32 prot)
{
	const struct vm_area_struct *v;

	if (!(prot & PROT_WRITE) || page_mapcount(phys_to_page(pa)) <= 1)
		return prot;
	v = find_vma(mm, va);
	return v && (v->vm_flags & VM_SHARED) ? prot : prot & ~PROT_WRITE;
}

/*
 * sync_exec_page: a page about to become executable may hold code the
 * program wrote as data: the I-cache must see it before any entry lets it be
 * fetched (arm64's I-cache does not snoop; Linux syncs in set_pte_at for the
 * same reason). Through a kernel mapping of the page (kmap_local: a highmem
 * page has no linear alias).
 */
static void sync_exec_page(paddr_t pa)
{
	void *k = kmap_local_page(phys_to_page(pa));

	arch_sync_icache((unsigned long)k, (unsigned long)k + PAGE_SIZE);
	kunmap_local(k);
}

static int collect_leaf(const struct pt_walk_entry *e, void *priv)
{
	struct present_runs *r = priv;
	unsigned long lo = max((unsigned long)e->va, r->start), hi = min((unsigned long)(e->va + e->size), r->end);
	u32 p;

	if (lo >= hi)
		return 0;
	if (r->prot & PROT_EXEC)
		sync_exec_page(e->pa);
	p = page_prot(r->mm, lo, e->pa, r->prot);
	if (r->n && r->run_end[r->n - 1] == lo && r->run_prot[r->n - 1] == p) {
		r->run_end[r->n - 1] = hi;
		return 0;
	}
	if (r->n == PROTECT_RUNS) {
		r->resume = lo;
		return 1;
	}
	r->run_start[r->n] = lo;
	r->run_end[r->n] = hi;
	r->run_prot[r->n++] = p;
	return 0;
}

/*
 * protect_present: every present page of [start, end) gets prot (page_prot:
 * a page still shared copy-on-write stays read-only), one pt_protect per run
 * of present pages taking the same protection. The runs are found by the read walk,
 * which steps over a missing table's whole span, so the cost follows the
 * pages present, not the range's size (an mprotect of a huge, mostly
 * untouched mapping is quick); pt_protect runs after each walk (a visitor
 * may not call pt_* itself).
 */
static void protect_present(struct mm_struct *mm, unsigned long start, unsigned long end, u32 prot)
{
	static const struct pt_walk_ops ops = { .leaf = collect_leaf };
	struct present_runs r = { .mm = mm, .start = start, .end = end, .prot = prot };
	unsigned int i;

	while (r.start < r.end) {
		r.n = 0;
		r.resume = r.end;
		pt_walk(&mm->ctx, r.start, r.end, &ops, &r);
		for (i = 0; i < r.n; i++)
			WARN_ON(pt_protect(&mm->ctx, r.run_start[i], r.run_end[i] - r.run_start[i], r.run_prot[i]));
		r.start = r.resume;
	}
}

/*
 * __do_mprotect: with mm->lock held. The splits are counted first, so an mm
 * at max_map_count refuses before anything changed (a split that finds no
 * memory after the first succeeded merges it back); then the VMAs of the
 * range take prot, the neighbours that now agree merge, and the pages follow.
 */
static int __do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long end, u32 prot)
{
	struct vm_area_struct *v, *first, *last;
	int splits, err;

	if (!range_mapped(mm, start, end))
		return -ENOMEM;
	first = find_vma(mm, start);
	last = find_vma(mm, end - 1);
	splits = (first->vm_start < start) + (last->vm_end > end);
	if (mm->map_count + splits > sysctl_max_map_count)
		return -ENOMEM;
	if (last->vm_end > end && (err = split_vma(mm, last, end)))
		return err;
	if (first->vm_start < start && (err = split_vma(mm, first, start))) {
		vma_merge_range(mm, end, end);
		return err;
	}
	for (v = find_vma(mm, start); v && v->vm_start < end; v = vma_next(v))
		v->vm_prot = prot;
	vma_merge_range(mm, start, end);
	protect_present(mm, start, end, pte_prot_for(prot));	/* flushed by the mm's ASID in pt_protect */
	return 0;
}

int do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long len, u32 prot)
{
	unsigned long end;
	int err;

	if (!IS_ALIGNED(start, PAGE_SIZE) || (prot & ~(u32)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (!len)
		return 0;
	len = PFN_ALIGN(len);
	end = start + len;
	if (end <= start || end > TASK_SIZE)
		return -ENOMEM;
	spin_lock(&mm->lock);
	err = __do_mprotect(mm, start, end, prot);
	spin_unlock(&mm->lock);
	return err;
}

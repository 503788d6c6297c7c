/* mprotect.c: mprotect(2) — the range's VMAs split off and re-protected, present pages changed, the TLB flushed by ASID. */
#include <errno.h>
#include <kernel/bug.h>
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
 * protect_present: every present page of [start, end) gets prot (page_prot),
 * one pt_protect per run of present pages taking the same protection (holes
 * are pages never touched).
 */
static void protect_present(struct mm_struct *mm, unsigned long start, unsigned long end, u32 prot)
{
	unsigned long va, run = 0;
	u32 run_prot = 0, p = 0;
	struct pt_query q;

	for (va = start; va <= end; va += PAGE_SIZE) {
		bool present = va < end && !pt_query(&mm->ctx, va, &q);

		if (present)
			p = page_prot(mm, va, q.pa, prot);
		if (run && (!present || p != run_prot)) {
			WARN_ON(pt_protect(&mm->ctx, run, va - run, run_prot));
			run = 0;
		}
		if (present && !run)
			run = va, run_prot = p;
	}
}

/*
 * __do_mprotect: with mm->lock held. The splits are counted first, so a full
 * VMA array refuses before anything changed; then the VMAs of the range take
 * prot, the neighbours that now agree merge, and the pages follow.
 */
static int __do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long end, u32 prot)
{
	struct vm_area_struct *v;
	unsigned int i, splits;

	if (!range_mapped(mm, start, end))
		return -ENOMEM;
	splits = (find_vma(mm, start)->vm_start < start) + (find_vma(mm, end - 1)->vm_end > end);
	if (mm->nr_vmas + splits > MM_MAX_VMAS)
		return -ENOMEM;
	i = vma_index_of(mm, start);
	if (mm->vmas[i].vm_start < start && !vma_split(mm, i, start))
		i++;
	for (; i < mm->nr_vmas && (v = &mm->vmas[i])->vm_start < end; i++) {
		if (v->vm_end > end)
			vma_split(mm, i, end);
		v->vm_prot = prot;
	}
	vma_merge_all(mm);
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

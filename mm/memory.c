/* memory.c: the generic user page-fault handler — demand-zero anonymous pages, refusal of bad accesses. */
#include <errno.h>
#include <mm/gfp.h>
#include <mm/mm.h>
#include <mm/mm_struct.h>
#include <mm/vmstat.h>

/* The protection an access needs from its VMA. */
static u32 fault_needs(unsigned int flags)
{
	u32 need = PROT_READ;

	if (flags & FAULT_FLAG_WRITE)
		need |= PROT_WRITE;
	if (flags & FAULT_FLAG_INSTRUCTION)
		need |= PROT_EXEC;
	return need;
}

/*
 * do_anonymous_page: a zeroed page from the buddy at addr's page, mapped with
 * the VMA's protection. With mm->lock held; the page is the process's until
 * zap_range (mm/mmap.c) frees it.
 */
static unsigned int do_anonymous_page(struct mm_struct *mm, const struct vm_area_struct *vma,
				      unsigned long addr)
{
	/* no allocation-failure warning: running out here is the OOM report's to tell */
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
	int err;

	if (!page)
		return VM_FAULT_OOM;
	err = install_user_page(mm, addr, page, vma->vm_prot);
	return !err || err == -EEXIST ? 0 : VM_FAULT_OOM;
}

int install_user_page(struct mm_struct *mm, unsigned long va, struct page *page, u32 prot)
{
	int err = pt_map(&mm->ctx, va, page_to_phys(page), PAGE_SIZE, prot | PROT_USER | MT_NORMAL);

	if (err) {
		__free_page(page);
		return err;
	}
	mm->rss++;
	if (mm->rss > mm->hiwater_rss)
		mm->hiwater_rss = mm->rss;
	return 0;
}

unsigned int handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned int flags)
{
	struct vm_area_struct *vma;
	struct pt_query q;
	u32 need = fault_needs(flags);
	unsigned int ret = VM_FAULT_SIGSEGV;

	count_vm_event(PGFAULT);
	addr &= PAGE_MASK;
	spin_lock(&mm->lock);
	mm->nr_faults++;
	vma = find_vma(mm, addr);
	if (!vma || (vma->vm_prot & need) != need)
		goto out;
	if (!pt_query(&mm->ctx, addr, &q)) {
		/* Mapped already: spurious (another path mapped it) if the entry allows it. */
		ret = (q.prot & need) == need ? 0 : VM_FAULT_SIGSEGV;
		goto out;
	}
	if (vma->vm_flags & VM_ANON)
		ret = do_anonymous_page(mm, vma, addr);
out:
	spin_unlock(&mm->lock);
	return ret;
}

/* memory.c: the generic user page-fault handler — demand-zero anonymous pages, program pages from the archive, copy-on-write, refusal of bad accesses. */
#include <errno.h>
#include <string.h>
#include <mm/gfp.h>
#include <mm/highmem.h>
#include <mm/mm.h>
#include <mm/mm_struct.h>
#include <mm/shmem.h>
#include <mm/vmstat.h>
#include <kernel/process.h>

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
 * install_slot: page goes into the empty slot f found (pt_install: a store,
 * no second descent) with prot for user mode, counted in the RSS; the mm's
 * page from then on. On failure the page is freed. mm->lock held.
 */
static int install_slot(struct mm_struct *mm, const struct pt_fault *f, struct page *page, u32 prot)
{
	int err = pt_install(&mm->ctx, f, page_to_phys(page), prot | PROT_USER | MT_NORMAL);

	if (err) {
		__free_page(page);
		return err;
	}
	atomic_set(&page->_refcount, 1);
	atomic_set(&page->_mapcount, 1);
	mm->rss++;
	if (mm->rss > mm->hiwater_rss)
		mm->hiwater_rss = mm->rss;
	return 0;
}

/*
 * do_anonymous_page: a zeroed page from the buddy (the arch's clear_page)
 * into the empty slot f found, with the VMA's protection. With mm->lock held;
 * the page is the process's until zap_range (mm/mmap.c) frees it.
 */
static unsigned int do_anonymous_page(struct mm_struct *mm, const struct vm_area_struct *vma,
				      const struct pt_fault *f)
{
	/* no allocation-failure warning: running out here is the OOM report's to tell */
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
	int err;

	if (!page)
		return VM_FAULT_OOM;
	err = install_slot(mm, f, page, vma->vm_prot);
	return !err || err == -EEXIST ? 0 : VM_FAULT_OOM;
}

/*
 * do_image_page: the first touch of a program's page: a zeroed page, the
 * segment's bytes that fall in it copied from the archive, the I-cache made
 * to see them if it is code; mapped with the VMA's protection. Linux counts
 * a page read from the file as a major fault (pgmajfault). mm->lock held.
 */
static unsigned int do_image_page(struct mm_struct *mm, const struct vm_area_struct *vma,
				  const struct pt_fault *f)
{
	unsigned long addr = f->va;
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
	unsigned long lo = max(addr, vma->vm_data_start), hi = min(addr + PAGE_SIZE, vma->vm_data_end);
	u8 *k;
	int err;

	if (!page)
		return VM_FAULT_OOM;
	k = kmap_local_page(page);
	if (hi > lo)
		memcpy(k + (lo - addr), vma->vm_data + (lo - vma->vm_data_start), hi - lo);
	if (vma->vm_prot & PROT_EXEC)
		arch_sync_icache((unsigned long)k, (unsigned long)k + PAGE_SIZE);
	kunmap_local(k);
	err = install_slot(mm, f, page, vma->vm_prot);
	if (!err) {
		count_vm_event(PGMAJFAULT);
		mm->nr_majfaults++;
	}
	return !err || err == -EEXIST ? 0 : VM_FAULT_OOM;
}

int install_user_page(struct mm_struct *mm, unsigned long va, struct page *page, u32 prot)
{
	struct pt_fault f;
	int err = pt_fault_slot(&mm->ctx, va, &f);

	if (!err && f.present)
		err = -EEXIST;
	if (err) {
		__free_page(page);
		return err;
	}
	return install_slot(mm, &f, page, prot);
}

void page_dup_rmap(struct page *page)
{
	atomic_inc(&page->_refcount);
	atomic_inc(&page->_mapcount);
}

void page_remove_rmap(struct page *page)
{
	atomic_dec(&page->_mapcount);
}

void put_page(struct page *page)
{
	if (atomic_dec_and_test(&page->_refcount))
		__free_page(page);
}

int page_mapcount(struct page *page)
{
	return atomic_read(&page->_mapcount);
}

int page_refcount(struct page *page)
{
	return atomic_read(&page->_refcount);
}

/*
 * do_wp_page: a write to the present, read-only page at addr of a writable
 * VMA: copy-on-write. Mapped by this mm alone (mapcount 1: the others have
 * copied or exited), it becomes writable in place (cow_reuse); else a copy
 * replaces it here (cow_fault) and this mm's reference to the old one goes.
 * Both rewrite the slot the fault found (pt_replace: break, flush by the mm's
 * ASID / its CPUs, make). mm->lock held.
 */
static unsigned int do_wp_page(struct mm_struct *mm, const struct vm_area_struct *vma,
			       const struct pt_fault *f)
{
	struct page *old = phys_to_page(f->pa), *new;
	u32 prot = vma->vm_prot | PROT_USER | MT_NORMAL;
	void *src, *dst;

	if (page_mapcount(old) == 1) {
		if (pt_replace(&mm->ctx, f, f->pa, prot))
			return VM_FAULT_OOM;	/* the slot is ours (mm->lock): cannot fail */
		count_vm_event(COW_REUSE);
		return 0;
	}
	new = alloc_page(GFP_KERNEL | __GFP_NOWARN);
	if (!new)
		return VM_FAULT_OOM;
	src = kmap_local_page(old);
	dst = kmap_local_page(new);
	memcpy(dst, src, PAGE_SIZE);
	if (prot & PROT_EXEC)
		arch_sync_icache((unsigned long)dst, (unsigned long)dst + PAGE_SIZE);
	kunmap_local(dst);
	kunmap_local(src);
	if (pt_replace(&mm->ctx, f, page_to_phys(new), prot)) {
		__free_page(new);	/* the slot is ours (mm->lock): cannot fail */
		return VM_FAULT_OOM;
	}
	atomic_set(&new->_refcount, 1);
	atomic_set(&new->_mapcount, 1);
	page_remove_rmap(old);
	put_page(old);
	count_vm_event(COW_FAULT);
	return 0;
}

unsigned int handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned int flags)
{
	struct vm_area_struct *vma;
	struct pt_fault f;
	u32 need = fault_needs(flags);
	unsigned int ret = VM_FAULT_SIGSEGV;
	int err;

	count_vm_event(PGFAULT);
	addr &= PAGE_MASK;
	spin_lock(&mm->lock);
	mm->nr_faults++;
	vma = find_vma(mm, addr);
	if (!vma || (vma->vm_prot & need) != need)
		goto out;
	/* One descent: the slot, its tables made; every case below works on it. */
	err = pt_fault_slot(&mm->ctx, addr, &f);
	if (err) {
		ret = err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGSEGV;
		goto out;
	}
	if (vma->vm_flags & VM_SHARED) {
		ret = do_shared_fault(mm, vma, &f);	/* the object's page: never copy-on-write */
		goto out;
	}
	if (f.present) {
		/* Mapped already: spurious (another path mapped it) if the entry allows it. */
		if ((f.prot & need) == need)
			ret = 0;
		else if ((flags & FAULT_FLAG_WRITE) && (f.prot & (need & ~PROT_WRITE)) == (need & ~PROT_WRITE))
			ret = do_wp_page(mm, vma, &f);
		goto out;
	}
	if (vma->vm_flags & VM_ANON)
		ret = do_anonymous_page(mm, vma, &f);
	else if (vma->vm_flags & VM_IMAGE)
		ret = do_image_page(mm, vma, &f);
out:
	spin_unlock(&mm->lock);
	return ret;
}

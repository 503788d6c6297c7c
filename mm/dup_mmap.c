/* dup_mmap.c: fork's copy of an address space — the same VMAs, every private page shared copy-on-write. */
#include <string.h>
#include <kernel/bug.h>
#include <mm/mm.h>
#include <mm/mm_struct.h>

/*
 * cow_protect: the parent's run [*start, end) of writable private pages
 * becomes read-only (one pt_protect, one flush); no run if *start is 0. The
 * run is closed (*start = 0).
 */
static void cow_protect(struct mm_struct *mm, unsigned long *start, unsigned long end, u32 prot)
{
	if (*start && pt_protect(&mm->ctx, *start, end - *start, prot & ~PROT_WRITE))
		panic("dup_mmap: pt_protect of %lx-%lx failed", *start, end);
	*start = 0;
}

/*
 * dup_vma_pages: every page old maps in v is mapped in new at the same VA,
 * read-only where v is writable (both sides: copy-on-write), its refcount
 * and mapcount raised. Runs of the parent's writable pages are protected
 * with one pt_protect each. 0 or -ENOMEM (new's tables); mm->lock held on old.
 */
static int dup_vma_pages(struct mm_struct *old, struct mm_struct *new, const struct vm_area_struct *v)
{
	unsigned long va, run = 0;
	u32 run_prot = 0;
	struct pt_query q;
	int err = 0;

	for (va = v->vm_start; va < v->vm_end && !err; va += PAGE_SIZE) {
		bool cow;

		if (pt_query(&old->ctx, va, &q)) {
			cow_protect(old, &run, va, run_prot);
			continue;
		}
		cow = q.prot & PROT_WRITE;
		if (!cow || q.prot != run_prot)
			cow_protect(old, &run, va, run_prot);
		if (cow && !run)
			run = va, run_prot = q.prot;
		err = pt_map(&new->ctx, va, q.pa, PAGE_SIZE, q.prot & ~PROT_WRITE);
		if (!err) {
			page_dup_rmap(phys_to_page(q.pa));
			new->rss++;
		}
	}
	cow_protect(old, &run, va, run_prot);
	return err;
}

/*
 * dup_mmap: new (empty) gets old's VMAs, break and layout, and shares every
 * mapped page copy-on-write. 0 or -ENOMEM (new then holds what was copied:
 * mmput frees it, and the parent's pages only lose the extra references).
 */
static int dup_mmap(struct mm_struct *old, struct mm_struct *new)
{
	struct vm_area_struct *v;
	int err = 0;

	spin_lock(&old->lock);
	new->start_brk = old->start_brk;
	new->brk = old->brk;
	new->mmap_base = old->mmap_base;
	new->start_stack = old->start_stack;
	new->comm = old->comm;
	for (v = vma_first(old); v && !err; v = vma_next(v)) {
		err = vma_link_copy(new, v);
		if (!err)
			err = dup_vma_pages(old, new, v);
	}
	new->hiwater_rss = new->rss;
	spin_unlock(&old->lock);
	return err;
}

struct mm_struct *dup_mm(struct mm_struct *mm)
{
	struct mm_struct *new = mm_alloc();

	if (!new)
		return NULL;
	if (dup_mmap(mm, new)) {
		mmput(new);
		return NULL;
	}
	return new;
}

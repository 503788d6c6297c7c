/* dup_mmap.c: fork's copy of an address space — the same VMAs, every private page shared copy-on-write, shared objects referenced. */
#include <string.h>
#include <kernel/bug.h>
#include <mm/mm.h>
#include <mm/mm_struct.h>
#include <mm/shmem.h>

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
 * mapped page of a private VMA copy-on-write. A shared VMA's copy takes a
 * reference to its object (before any page is copied, so mmput of a partial
 * copy drops exactly those) and no PTEs: the child faults the object's pages
 * in (Linux's choice: fork costs nothing per shared page, and no PTE of a
 * shared page is ever made read-only). 0 or -ENOMEM (new then holds what was
 * copied: mmput frees it, and the parent's pages only lose the extra references).
 */
static int dup_mmap(struct mm_struct *old, struct mm_struct *new)
{
	unsigned int i;
	int err = 0;

	spin_lock(&old->lock);
	memcpy(new->vmas, old->vmas, old->nr_vmas * sizeof(old->vmas[0]));
	new->nr_vmas = old->nr_vmas;
	new->start_brk = old->start_brk;
	new->brk = old->brk;
	new->mmap_base = old->mmap_base;
	new->start_stack = old->start_stack;
	new->comm = old->comm;
	for (i = 0; i < old->nr_vmas; i++)
		if (old->vmas[i].vm_shm)
			shmem_get(old->vmas[i].vm_shm);
	for (i = 0; i < old->nr_vmas && !err; i++)
		if (!(old->vmas[i].vm_flags & VM_SHARED))
			err = dup_vma_pages(old, new, &old->vmas[i]);
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

/* dup_mmap.c: fork's copy of an address space — the same VMAs, every private page shared copy-on-write, shared objects referenced. */
#include <errno.h>
#include <string.h>
#include <kernel/bug.h>
#include <mm/mm.h>
#include <mm/mm_struct.h>
#include <mm/shmem.h>

/* What dup_pte needs: the child, and the VMA being copied. */
struct dup_ctx {
	struct mm_struct *new;
	const struct vm_area_struct *vma;
};

/*
 * dup_pte: fork's policy for one page the parent maps (pt_copy_range's
 * callback, Linux's copy_present_pte): in a writable VMA (a private one:
 * dup_mmap copies no shared VMA's pages) both the child's entry and the parent's lose PROT_WRITE
 * (copy-on-write: the first write on either side copies, do_wp_page); the
 * page gains a mapping (refcount and mapcount) and the child's RSS counts
 * it. Never fails.
 */
static int dup_pte(struct pt_copy_leaf *leaf, void *priv)
{
	struct dup_ctx *d = priv;

	leaf->wrprotect = d->vma->vm_prot & PROT_WRITE;
	page_dup_rmap(phys_to_page(leaf->pa));
	d->new->rss++;
	return 0;
}

/*
 * dup_vma_pages: every page old maps in v is mapped in new at the same VA,
 * by one copy walk of v's range (mm/pgtable.c: the child's tables made a
 * table at a time, one flush of the parent's range at the end). 0 or -ENOMEM
 * (new's tables); mm->lock held on old.
 */
static int dup_vma_pages(struct mm_struct *old, struct mm_struct *new, const struct vm_area_struct *v)
{
	struct dup_ctx d = { .new = new, .vma = v };
	int err = pt_copy_range(&new->ctx, &old->ctx, v->vm_start, v->vm_end, dup_pte, &d);

	WARN_ON(err && err != -ENOMEM);	/* a user context holds pages in empty slots of a new one */
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
		if (err)
			break;
		if (v->vm_shm)
			shmem_get(v->vm_shm);	/* the child's VMA holds a reference of its own */
		if (!(v->vm_flags & VM_SHARED))
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

/* shmem.c: shared anonymous memory — the object that holds a MAP_SHARED | MAP_ANONYMOUS mapping's pages by index, and its fault. */
#include <errno.h>
#include <kernel/bug.h>
#include <kernel/process.h>
#include <mm/gfp.h>
#include <mm/highmem.h>
#include <mm/mm.h>
#include <mm/mm_struct.h>
#include <mm/mm_types.h>
#include <mm/shmem.h>
#include <mm/slab.h>

/* Inode numbers for /proc/PID/maps, one per object, as Linux's get_next_ino hands them out. */
static atomic_t shmem_last_ino;

struct shmem_object *shmem_object_create(unsigned long nr_pages)
{
	struct shmem_object *shm;

	if (!nr_pages || nr_pages > ((size_t)-1 - sizeof(*shm)) / sizeof(shm->pages[0]))
		return NULL;
	shm = kzalloc(sizeof(*shm) + nr_pages * sizeof(shm->pages[0]), GFP_KERNEL | __GFP_NOWARN);
	if (!shm)
		return NULL;
	atomic_set(&shm->refcount, 1);
	spin_lock_init(&shm->lock);
	shm->ino = (unsigned int)atomic_add_return(1, &shmem_last_ino);
	shm->nr_pages = nr_pages;
	return shm;
}

void shmem_get(struct shmem_object *shm)
{
	if (atomic_add_return(1, &shm->refcount) <= 1)
		panic("shmem_get: object %p had no reference", shm);
}

/* shmem_free_pages: every page the object holds goes back to the buddy (no one else refers to it). */
static void shmem_free_pages(struct shmem_object *shm)
{
	unsigned long i;

	for (i = 0; i < shm->nr_pages; i++) {
		struct page *page = shm->pages[i];

		if (!page)
			continue;
		if (page_refcount(page) != 1 || page_mapcount(page))
			panic("shmem_put: page %lu still mapped (refcount %d, mapcount %d)", i,
			      page_refcount(page), page_mapcount(page));
		ClearPageFlag(page, PG_shmem);
		shm->pages[i] = NULL;
		put_page(page);
	}
	shm->nr_resident = 0;
}

void shmem_put(struct shmem_object *shm)
{
	if (!atomic_dec_and_test(&shm->refcount))
		return;
	shmem_free_pages(shm);
	kfree(shm);
}

unsigned long shmem_resident(struct shmem_object *shm)
{
	unsigned long n;

	spin_lock(&shm->lock);
	n = shm->nr_resident;
	spin_unlock(&shm->lock);
	return n;
}

/*
 * shmem_find_or_create: the object's page at index, made zeroed if there is
 * none yet, with one more reference and mapping counted for the caller's PTE.
 * NULL: no page (out of memory) or an index past the end (a VMA and its
 * object disagree: a bug, reported once).
 */
static struct page *shmem_find_or_create(struct shmem_object *shm, unsigned long index)
{
	struct page *page;

	if (WARN_ON(index >= shm->nr_pages))
		return NULL;
	spin_lock(&shm->lock);
	page = shm->pages[index];
	if (!page) {
		/* no allocation-failure warning: running out here is the OOM report's to tell */
		page = alloc_page(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
		if (page) {
			atomic_set(&page->_refcount, 1);	/* the object's */
			atomic_set(&page->_mapcount, 0);
			SetPageFlag(page, PG_shmem);
			shm->pages[index] = page;
			shm->nr_resident++;
		}
	}
	if (page)
		page_dup_rmap(page);			/* the caller's PTE */
	spin_unlock(&shm->lock);
	return page;
}

unsigned int do_shared_fault(struct mm_struct *mm, const struct vm_area_struct *vma, const struct pt_fault *f)
{
	unsigned long index = vma->vm_pgoff + ((f->va - vma->vm_start) >> PAGE_SHIFT);
	u32 prot = vma->vm_prot | PROT_USER | MT_NORMAL;
	struct page *page;
	int err;

	lockdep_assert_held(&mm->lock);
	if (f->present) {
		/* mapped already: spurious, or (never expected: mprotect keeps them equal) an entry behind its VMA */
		if ((f->prot & PROT_ACCESS_MASK & ~PROT_GLOBAL) == (prot & PROT_ACCESS_MASK))
			return 0;
		return pt_replace(&mm->ctx, f, f->pa, prot) ? VM_FAULT_OOM : 0;
	}
	page = shmem_find_or_create(vma->vm_shm, index);
	if (!page)
		return VM_FAULT_OOM;
	if (prot & PROT_EXEC) {
		/* another process may have written code into it: the I-cache must see it (do_image_page's reason) */
		void *k = kmap_local_page(page);

		arch_sync_icache((unsigned long)k, (unsigned long)k + PAGE_SIZE);
		kunmap_local(k);
	}
	err = pt_install(&mm->ctx, f, page_to_phys(page), prot);
	if (err) {
		page_remove_rmap(page);
		put_page(page);		/* never the last: the object holds one */
		return err == -EEXIST ? 0 : VM_FAULT_OOM;
	}
	mm->rss++;
	mm->rss_shmem++;
	if (mm->rss > mm->hiwater_rss)
		mm->hiwater_rss = mm->rss;
	return 0;
}

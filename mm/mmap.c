/* mmap.c: a process's VMAs — a sorted array, placement for mmap, splits and merges, munmap, brk, and mm teardown. */
#include <errno.h>
#include <string.h>
#include <kernel/bug.h>
#include <kernel/seq_buf.h>
#include <mm/gfp.h>
#include <mm/mm.h>
#include <mm/mm_struct.h>
#include <mm/shmem.h>
#include <mm/slab.h>
#include <stdio.h>

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	if (mm_ctx_init(&mm->ctx, 0, TASK_SIZE, NULL)) {
		kfree(mm);
		return NULL;
	}
	mm->ctx.user = true;		/* its flushes name the address space (mm/pgtable.c) */
	spin_lock_init(&mm->lock);
	return mm;
}

/* The index of the first VMA that ends above addr (nr_vmas if none): binary search. */
static unsigned int vma_index(struct mm_struct *mm, unsigned long addr)
{
	unsigned int lo = 0, hi = mm->nr_vmas;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (mm->vmas[mid].vm_end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	unsigned int i = vma_index(mm, addr);

	if (i < mm->nr_vmas && mm->vmas[i].vm_start <= addr)
		return &mm->vmas[i];
	return NULL;
}

/* Whether any VMA meets [start, end). */
static bool vma_intersects(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned int i = vma_index(mm, start);

	return i < mm->nr_vmas && mm->vmas[i].vm_start < end;
}

/*
 * vma_compatible: a and b (a just below b) may be one VMA: they touch, have
 * the same protection and kind, and an image's file offsets (a shared VMA's
 * object and page index) continue. The stack never merges (its VMA is the
 * one exec made).
 */
static bool vma_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_prot == b->vm_prot && a->vm_flags == b->vm_flags &&
	       !(a->vm_flags & VM_STACK) && a->vm_shm == b->vm_shm &&
	       (!a->vm_shm || a->vm_pgoff + ((a->vm_end - a->vm_start) >> PAGE_SHIFT) == b->vm_pgoff) &&
	       (!(a->vm_flags & VM_IMAGE) || (a->vm_pgoff + ((a->vm_end - a->vm_start) >> PAGE_SHIFT) == b->vm_pgoff &&
					     a->vm_data == b->vm_data && a->vm_data_start == b->vm_data_start));
}

void vma_merge_all(struct mm_struct *mm)
{
	unsigned int i, n = 0;

	for (i = 0; i < mm->nr_vmas; i++) {
		if (n && vma_compatible(&mm->vmas[n - 1], &mm->vmas[i])) {
			mm->vmas[n - 1].vm_end = mm->vmas[i].vm_end;
			if (mm->vmas[i].vm_shm)
				shmem_put(mm->vmas[i].vm_shm);	/* never the last: vmas[n - 1] holds one */
		} else
			mm->vmas[n++] = mm->vmas[i];
	}
	mm->nr_vmas = n;
}

int vma_split(struct mm_struct *mm, unsigned int i, unsigned long addr)
{
	struct vm_area_struct *v = &mm->vmas[i];

	if (i >= mm->nr_vmas || addr <= v->vm_start || addr >= v->vm_end || !IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	if (mm->nr_vmas == MM_MAX_VMAS)
		return -ENOMEM;
	memmove(v + 1, v, (mm->nr_vmas - i) * sizeof(*v));
	mm->nr_vmas++;
	v[0].vm_end = addr;
	v[1].vm_start = addr;
	v[1].vm_pgoff += (addr - v[0].vm_start) >> PAGE_SHIFT;
	if (v->vm_shm)
		shmem_get(v->vm_shm);		/* both halves point at it */
	return 0;
}

unsigned int vma_index_of(struct mm_struct *mm, unsigned long addr)
{
	return vma_index(mm, addr);
}

/* A page-aligned user range [start, start+len) that mmap may use. */
static bool user_range_ok(unsigned long start, unsigned long len)
{
	return len && IS_ALIGNED(start, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) &&
	       start >= MMAP_MIN_ADDR && start < TASK_SIZE && len <= TASK_SIZE - start;
}

/* insert_vma: new (its range checked here) into the array, then merged with agreeing neighbours; mm->lock held. */
static int insert_vma(struct mm_struct *mm, const struct vm_area_struct *new)
{
	unsigned int i;

	if (!user_range_ok(new->vm_start, new->vm_end - new->vm_start) ||
	    (new->vm_prot & ~(u32)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (vma_intersects(mm, new->vm_start, new->vm_end))
		return -EEXIST;
	if (mm->nr_vmas == MM_MAX_VMAS)
		return -ENOMEM;
	i = vma_index(mm, new->vm_start);
	memmove(&mm->vmas[i + 1], &mm->vmas[i], (mm->nr_vmas - i) * sizeof(mm->vmas[0]));
	mm->vmas[i] = *new;
	mm->nr_vmas++;
	vma_merge_all(mm);
	return 0;
}

/* __mmap_region: mmap_region with mm->lock held. */
static int __mmap_region(struct mm_struct *mm, unsigned long start, unsigned long len, u32 prot,
			 u32 flags, unsigned long pgoff)
{
	const struct vm_area_struct v = { .vm_start = start, .vm_end = start + len, .vm_prot = prot,
					  .vm_flags = flags, .vm_pgoff = pgoff };

	return len > TASK_SIZE ? -EINVAL : insert_vma(mm, &v);
}

int mmap_region(struct mm_struct *mm, unsigned long start, unsigned long len, u32 prot,
		u32 flags, unsigned long pgoff)
{
	int err;

	spin_lock(&mm->lock);
	err = __mmap_region(mm, start, len, prot, flags, pgoff);
	spin_unlock(&mm->lock);
	return err;
}

int mmap_image(struct mm_struct *mm, unsigned long start, unsigned long len, u32 prot, unsigned long pgoff,
	       const u8 *data, unsigned long data_start, unsigned long data_end)
{
	const struct vm_area_struct v = { .vm_start = start, .vm_end = start + len, .vm_prot = prot,
					  .vm_flags = VM_IMAGE, .vm_pgoff = pgoff, .vm_data = data,
					  .vm_data_start = data_start, .vm_data_end = data_end };
	int err;

	if (len > TASK_SIZE || data_start > data_end)
		return -EINVAL;
	spin_lock(&mm->lock);
	err = insert_vma(mm, &v);
	spin_unlock(&mm->lock);
	return err;
}

/* zap_page: the mm's reference to a page it mapped goes (pt_zap_range's callback, after the flush). */
static void zap_page(paddr_t pa, void *priv)
{
	struct mm_struct *mm = priv;
	struct page *page = phys_to_page(pa);

	mm->rss_shmem -= PageShmem(page);	/* its object keeps it: put_page is not the last */
	page_remove_rmap(page);
	put_page(page);		/* freed if it was the last: a page shared copy-on-write stays */
	mm->rss--;
}

/*
 * zap_range: unmaps every page of [start, end) and drops the mm's reference
 * to it, in one zap walk (mm/pgtable.c): the emptied tables are freed, and
 * each page is let go only after the TLB flush that took it out (one per
 * PT_ZAP_BATCH pages), so no CPU can reach it through this mm any more.
 * dead (mmput): the mm is live on no CPU and will not be again — arm64 never
 * gives its ASID to another mm without a rollover, which flushes every TLB
 * first; x86 has no PCIDs and every CPU that ran it has loaded another CR3
 * since — so no TLB holds a translation of it: nothing is flushed, and the
 * pages go at once. mm->lock held (or the mm is dead).
 */
static void zap_range(struct mm_struct *mm, unsigned long start, unsigned long end, bool dead)
{
	if (start < end && pt_zap_range(&mm->ctx, start, end - start, dead, zap_page, mm))
		panic("zap_range: pt_zap_range of %lx-%lx failed", start, end);
}

/*
 * unmap_shm_refs: the shared objects' references for unmapping [start, end):
 * each piece a VMA keeps on either side takes one, and each VMA that meets
 * the range gives its own into drop[] (returned: how many), to be put after
 * its pages are zapped. mm->lock held.
 */
static unsigned int unmap_shm_refs(struct mm_struct *mm, unsigned long start, unsigned long end,
				   struct shmem_object **drop)
{
	unsigned int i, n = 0;

	for (i = 0; i < mm->nr_vmas; i++) {
		struct vm_area_struct *v = &mm->vmas[i];

		if (!v->vm_shm || v->vm_end <= start || v->vm_start >= end)
			continue;
		if (v->vm_start < start)
			shmem_get(v->vm_shm);
		if (v->vm_end > end)
			shmem_get(v->vm_shm);
		drop[n++] = v->vm_shm;
	}
	return n;
}

/*
 * __do_munmap: with mm->lock held. The VMAs are rebuilt without
 * [start, end) into a copy first, so a split that would need one slot too many
 * fails with -ENOMEM before anything changed. A shared VMA's object loses
 * this mapping's reference only after the pages are unmapped.
 */
static int __do_munmap(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct out[MM_MAX_VMAS], *v;
	struct shmem_object *drop[MM_MAX_VMAS];
	unsigned int i, n = 0, nd;

	for (i = 0; i < mm->nr_vmas; i++) {
		v = &mm->vmas[i];
		if (v->vm_end <= start || v->vm_start >= end) {
			if (n == MM_MAX_VMAS)
				return -ENOMEM;
			out[n++] = *v;
			continue;
		}
		if (v->vm_start < start) {
			if (n == MM_MAX_VMAS)
				return -ENOMEM;
			out[n] = *v;
			out[n++].vm_end = start;
		}
		if (v->vm_end > end) {
			if (n == MM_MAX_VMAS)
				return -ENOMEM;
			out[n] = *v;
			out[n].vm_start = end;
			out[n++].vm_pgoff += (end - v->vm_start) >> PAGE_SHIFT;
		}
	}
	nd = unmap_shm_refs(mm, start, end, drop);
	mm->nr_vmas = n;
	if (n)		/* out[] is all written then (GCC cannot see it) */
		memcpy(mm->vmas, out, n * sizeof(out[0]));
	vma_merge_all(mm);	/* nothing new touches, but keep the rule: compatible neighbours are one */
	zap_range(mm, start, end, false);
	while (nd)
		shmem_put(drop[--nd]);
	return 0;
}

int do_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	int err;

	len = PFN_ALIGN(len);
	if (!IS_ALIGNED(addr, PAGE_SIZE) || !len || addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return -EINVAL;
	spin_lock(&mm->lock);
	err = __do_munmap(mm, addr, addr + len);
	spin_unlock(&mm->lock);
	return err;
}

/*
 * get_unmapped_area: the highest free range of len bytes below mm->mmap_base
 * (top-down, as Linux's default layout), or 0 if there is none.
 */
static unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long len)
{
	unsigned long top = mm->mmap_base;
	unsigned int i;

	for (i = mm->nr_vmas; i-- > 0;) {
		const struct vm_area_struct *v = &mm->vmas[i];

		if (v->vm_start >= top)
			continue;
		if (top - MMAP_MIN_ADDR >= len && v->vm_end <= top - len)
			return top - len;
		top = v->vm_start;
	}
	return top >= MMAP_MIN_ADDR && top - MMAP_MIN_ADDR >= len ? top - len : 0;
}

/*
 * mmap_anon: do_mmap's work; with shm, the new VMA is VM_SHARED and takes the
 * caller's reference to shm (dropped here if no VMA is made).
 */
static long mmap_anon(struct mm_struct *mm, unsigned long addr, unsigned long len, u32 prot, bool fixed,
		      struct shmem_object *shm)
{
	struct vm_area_struct v = { .vm_prot = prot, .vm_flags = shm ? VM_SHARED : VM_ANON, .vm_shm = shm };
	long ret;

	spin_lock(&mm->lock);
	if (fixed) {
		ret = __do_munmap(mm, addr, addr + len);
	} else {
		if (!user_range_ok(addr, len) || vma_intersects(mm, addr, addr + len))
			addr = get_unmapped_area(mm, len);
		ret = addr ? 0 : -ENOMEM;
	}
	if (!ret) {
		v.vm_start = addr;
		v.vm_end = addr + len;
		ret = insert_vma(mm, &v);
	}
	spin_unlock(&mm->lock);
	if (ret && shm)
		shmem_put(shm);
	return ret ? ret : (long)addr;
}

long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len, u32 prot, bool fixed)
{
	len = PFN_ALIGN(len);
	if (!len || len > TASK_SIZE || (fixed && !user_range_ok(addr, len)))
		return -EINVAL;
	return mmap_anon(mm, addr, len, prot, fixed, NULL);
}

long do_mmap_shared(struct mm_struct *mm, unsigned long addr, unsigned long len, u32 prot, bool fixed)
{
	struct shmem_object *shm;

	len = PFN_ALIGN(len);
	if (!len || len > TASK_SIZE || (fixed && !user_range_ok(addr, len)))
		return -EINVAL;
	shm = shmem_object_create(len >> PAGE_SHIFT);
	return shm ? mmap_anon(mm, addr, len, prot, fixed, shm) : -ENOMEM;
}

/* __brk_grow: the heap reaches newend (page aligned) from oldend. 0 or -ENOMEM. */
static int __brk_grow(struct mm_struct *mm, unsigned long oldend, unsigned long newend)
{
	struct vm_area_struct *v;

	if (newend > mm->mmap_base || vma_intersects(mm, oldend, newend))
		return -ENOMEM;
	v = oldend > mm->start_brk ? find_vma(mm, oldend - 1) : NULL;
	if (v && (v->vm_flags & VM_HEAP)) {
		v->vm_end = newend;
		return 0;
	}
	return __mmap_region(mm, oldend, newend - oldend, PROT_READ | PROT_WRITE, VM_ANON | VM_HEAP, 0);
}

unsigned long do_brk(struct mm_struct *mm, unsigned long newbrk)
{
	unsigned long oldend, newend, ret;
	int err = 0;

	spin_lock(&mm->lock);
	if (newbrk < mm->start_brk || newbrk > mm->mmap_base)
		goto out;
	oldend = PFN_ALIGN(mm->brk);
	newend = PFN_ALIGN(newbrk);
	if (newend > oldend)
		err = __brk_grow(mm, oldend, newend);
	else if (newend < oldend)
		err = __do_munmap(mm, newend, oldend);
	if (!err)
		mm->brk = newbrk;
out:
	ret = mm->brk;
	spin_unlock(&mm->lock);
	return ret;
}

unsigned long mm_total_vm(struct mm_struct *mm)
{
	unsigned long pages = 0;
	unsigned int i;

	spin_lock(&mm->lock);
	for (i = 0; i < mm->nr_vmas; i++)
		pages += (mm->vmas[i].vm_end - mm->vmas[i].vm_start) >> PAGE_SHIFT;
	spin_unlock(&mm->lock);
	return pages;
}

void mmput(struct mm_struct *mm)
{
	unsigned int i;

	spin_lock(&mm->lock);
	for (i = 0; i < mm->nr_vmas; i++)
		zap_range(mm, mm->vmas[i].vm_start, mm->vmas[i].vm_end, true);
	for (i = 0; i < mm->nr_vmas; i++)
		if (mm->vmas[i].vm_shm)
			shmem_put(mm->vmas[i].vm_shm);	/* after every PTE of it is gone */
	mm->nr_vmas = 0;
	if (mm->rss || mm->rss_shmem)
		panic("mmput: %lu pages (%lu shared) mapped outside every VMA", mm->rss, mm->rss_shmem);
	spin_unlock(&mm->lock);
	mm_ctx_destroy(&mm->ctx);
	kfree(mm);
}

/*
 * show_map_vma: Linux's /proc/PID/maps line (fs/proc/task_mmu.c): start-end,
 * rwxp (s for shared), the file offset, dev and inode (the archive has
 * neither: 00:00 0), then the name from column 73 (0-based): the program's
 * path, [heap], [stack]. A shared anonymous VMA is what Linux shows for its
 * shmem object: the page index as offset, the shm mount's 00:01, the
 * object's inode, "/dev/zero (deleted)".
 */
void show_map_vma(struct seq_buf *s, struct mm_struct *mm, const struct vm_area_struct *v)
{
	char line[128];
	const char *name = v->vm_flags & VM_STACK ? "[stack]" : v->vm_flags & VM_HEAP ? "[heap]" :
			   v->vm_shm ? SHMEM_MAPS_NAME : NULL;
	unsigned long pgoff = v->vm_flags & (VM_IMAGE | VM_SHARED) ? v->vm_pgoff : 0;

	snprintf(line, sizeof(line), "%08lx-%08lx %c%c%c%c %08lx %s %lu ", v->vm_start, v->vm_end,
		 v->vm_prot & PROT_READ ? 'r' : '-', v->vm_prot & PROT_WRITE ? 'w' : '-',
		 v->vm_prot & PROT_EXEC ? 'x' : '-', v->vm_shm ? 's' : 'p', pgoff << PAGE_SHIFT,
		 v->vm_shm ? SHMEM_MAPS_DEV : "00:00", v->vm_shm ? v->vm_shm->ino : 0);
	if (v->vm_flags & VM_IMAGE)
		seq_buf_printf(s, "%-73s/%s\n", line, mm->comm);
	else if (name)
		seq_buf_printf(s, "%-73s%s\n", line, name);
	else
		seq_buf_printf(s, "%s\n", line);	/* Linux keeps the space after the inode */
}

/* mmap.c: a process's VMAs — a red-black tree with the largest gap, placement for mmap, splits and merges, munmap, brk, and mm teardown. */
#include <errno.h>
#include <string.h>
#include <kernel/atomic.h>
#include <kernel/bug.h>
#include <kernel/seq_buf.h>
#include <mm/gfp.h>
#include <mm/mm.h>
#include <mm/mm_struct.h>
#include <mm/shmem.h>
#include <mm/slab.h>
#include <stdio.h>

int sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;

/*
 * vm_area_cachep: every VMA's object. Made at boot (vma_cache_init, right
 * after the slab, as Linux's vma_init: it exists before any selftest counts
 * the caches), or by the first mm_alloc where there is no boot (the host
 * suites). vm_area_cache_lock (a leaf: only kmem_cache_create's own locks
 * inside) orders two first callers.
 */
static struct kmem_cache *vm_area_cachep;
static DEFINE_SPINLOCK(vm_area_cache_lock);

static struct kmem_cache *vma_cache(void)
{
	struct kmem_cache *c = smp_load_acquire(&vm_area_cachep);

	if (c)
		return c;
	spin_lock(&vm_area_cache_lock);
	c = vm_area_cachep;
	if (!c) {
		c = kmem_cache_create("vm_area_struct", sizeof(struct vm_area_struct), 0, 0, NULL);
		if (c)
			smp_store_release(&vm_area_cachep, c);
	}
	spin_unlock(&vm_area_cache_lock);
	return c;
}

void vma_cache_init(void)
{
	if (!vma_cache())
		panic("vma_cache_init: cannot create the vm_area_struct cache");
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm;

	if (!vma_cache())
		return NULL;
	mm = kzalloc(sizeof(*mm), GFP_KERNEL);
	if (!mm)
		return NULL;
	if (mm_ctx_init(&mm->ctx, 0, TASK_SIZE, NULL)) {
		kfree(mm);
		return NULL;
	}
	mm->ctx.user = true;		/* its flushes name the address space (mm/pgtable.c) */
	mm->mm_rb = RB_ROOT;
	spin_lock_init(&mm->lock);
	return mm;
}

static struct vm_area_struct *rb_vma(struct rb_node *n)
{
	return rb_entry_safe(n, struct vm_area_struct, vm_rb);
}

/*
 * vma_gap_propagate: the augmented value of v's subtree from v and its
 * children: the lowest start, the highest end, and the largest gap between
 * two neighbours inside it (the children's own, and the two at v's sides).
 * Returns whether anything changed (lib/rbtree.h).
 */
static bool vma_gap_propagate(struct rb_node *n)
{
	struct vm_area_struct *v = rb_vma(n), *l = rb_vma(n->rb_left), *r = rb_vma(n->rb_right);
	unsigned long lo = v->vm_start, hi = v->vm_end, gap = 0;

	if (l) {
		lo = l->rb_subtree_start;
		gap = max(l->rb_subtree_gap, v->vm_start - l->rb_subtree_end);
	}
	if (r) {
		hi = r->rb_subtree_end;
		gap = max(gap, max(r->rb_subtree_gap, r->rb_subtree_start - v->vm_end));
	}
	if (v->rb_subtree_start == lo && v->rb_subtree_end == hi && v->rb_subtree_gap == gap)
		return false;
	v->rb_subtree_start = lo;
	v->rb_subtree_end = hi;
	v->rb_subtree_gap = gap;
	return true;
}

static const struct rb_augment_callbacks vma_gap_callbacks = { .propagate = vma_gap_propagate };

struct vm_area_struct *find_vma_above(struct mm_struct *mm, unsigned long addr)
{
	struct rb_node *n = mm->mm_rb.rb_node;
	struct vm_area_struct *best = NULL;

	while (n) {
		struct vm_area_struct *v = rb_vma(n);

		if (v->vm_end > addr) {
			best = v;
			if (v->vm_start <= addr)
				break;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return best;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *v = find_vma_above(mm, addr);

	return v && v->vm_start <= addr ? v : NULL;
}

/* Whether any VMA meets [start, end). */
static bool vma_intersects(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *v = find_vma_above(mm, start);

	return v && v->vm_start < end;
}

/* vma_link: v (its range free, checked by the caller) into the tree; map_count + 1. */
static void vma_link(struct mm_struct *mm, struct vm_area_struct *v)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = v->vm_start < rb_vma(parent)->vm_start ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&v->vm_rb, parent, link);
	v->rb_subtree_start = v->rb_subtree_end = v->rb_subtree_gap = ~0UL;	/* not yet computed */
	rb_insert_augmented(&v->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	mm->map_count++;
}

/* vma_unlink_free: v out of the tree and back to vm_area_cachep; map_count - 1. */
static void vma_unlink_free(struct mm_struct *mm, struct vm_area_struct *v)
{
	rb_erase_augmented(&v->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	mm->map_count--;
	kmem_cache_free(vm_area_cachep, v);
}

/* vma_set_range: vma's bounds become [start, end) (its place in the order unchanged); the gaps above it follow. */
static void vma_set_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	vma->vm_start = start;
	vma->vm_end = end;
	rb_augment_propagate(&vma->vm_rb, &vma_gap_callbacks);
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

void vma_merge_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *v = find_vma_above(mm, start ? start - 1 : 0), *n;

	while (v && v->vm_start <= end && (n = vma_next(v))) {
		if (vma_compatible(v, n)) {
			unsigned long n_end = n->vm_end;
			struct shmem_object *shm = n->vm_shm;

			vma_unlink_free(mm, n);
			vma_set_range(v, v->vm_start, n_end);
			if (shm)
				shmem_put(shm);	/* never the last: v holds one */
		} else {
			v = n;
		}
	}
}

/* __split_vma: split_vma without the max_map_count check (munmap's, whose count it checked itself). */
static int __split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	struct vm_area_struct *new;

	if (addr <= vma->vm_start || addr >= vma->vm_end || !IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	new = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	*new = *vma;
	new->vm_start = addr;
	new->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
	vma_set_range(vma, vma->vm_start, addr);
	vma_link(mm, new);
	if (new->vm_shm)
		shmem_get(new->vm_shm);		/* both halves point at it */
	return 0;
}

int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	return mm->map_count >= sysctl_max_map_count ? -ENOMEM : __split_vma(mm, vma, addr);
}

/* vma_node_ok: n's augmented value is what its children give (recomputed on a copy: nothing changes). */
static bool vma_node_ok(struct rb_node *n)
{
	struct vm_area_struct *v = rb_vma(n), copy = *v;

	copy.vm_rb.rb_left = n->rb_left;
	copy.vm_rb.rb_right = n->rb_right;
	vma_gap_propagate(&copy.vm_rb);
	return copy.rb_subtree_start == v->rb_subtree_start && copy.rb_subtree_end == v->rb_subtree_end &&
	       copy.rb_subtree_gap == v->rb_subtree_gap;
}

int vma_tree_check(struct mm_struct *mm)
{
	struct vm_area_struct *v, *prev = NULL;
	int n = 0;

	if (rb_black_height(&mm->mm_rb) < 0)
		return -1;
	for_each_vma(mm, v) {
		if (v->vm_start >= v->vm_end || !IS_ALIGNED(v->vm_start | v->vm_end, PAGE_SIZE) ||
		    (prev && prev->vm_end > v->vm_start) || !vma_node_ok(&v->vm_rb))
			return -1;
		prev = v;
		n++;
	}
	return n == mm->map_count ? 0 : -1;
}

int vma_link_copy(struct mm_struct *mm, const struct vm_area_struct *vma)
{
	struct vm_area_struct *v = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);

	if (!v)
		return -ENOMEM;
	*v = *vma;
	vma_link(mm, v);
	return 0;
}

/* A page-aligned user range [start, start+len) that mmap may use. */
static bool user_range_ok(unsigned long start, unsigned long len)
{
	return len && IS_ALIGNED(start, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) &&
	       start >= MMAP_MIN_ADDR && start < TASK_SIZE && len <= TASK_SIZE - start;
}

/* insert_vma: a copy of new (its range checked here) into the tree, then merged with agreeing neighbours; mm->lock held. */
static int insert_vma(struct mm_struct *mm, const struct vm_area_struct *new)
{
	struct vm_area_struct *v;

	if (!user_range_ok(new->vm_start, new->vm_end - new->vm_start) ||
	    (new->vm_prot & ~(u32)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (vma_intersects(mm, new->vm_start, new->vm_end))
		return -EEXIST;
	if (mm->map_count >= sysctl_max_map_count)
		return -ENOMEM;
	v = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	*v = *new;
	vma_link(mm, v);
	vma_merge_range(mm, new->vm_start, new->vm_end);
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
 * __do_munmap: with mm->lock held. A VMA straddling start or end is split
 * there, then every VMA inside is unlinked and its pages zapped (only the
 * VMAs' ranges: pages live nowhere else). A VMA split in two ends with one
 * VMA more: refused at max_map_count before anything changed (as Linux); a
 * split that finds no memory undoes the one before it. A shared VMA's object
 * loses this mapping's reference only after the pages are unmapped.
 */
static int __do_munmap(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *v = find_vma_above(mm, start), *last, *next;
	int err;

	if (!v || v->vm_start >= end)
		return 0;
	if (v->vm_start < start && v->vm_end > end && mm->map_count >= sysctl_max_map_count)
		return -ENOMEM;
	if (v->vm_start < start) {
		err = __split_vma(mm, v, start);
		if (err)
			return err;
		v = vma_next(v);
	}
	last = find_vma(mm, end - 1);
	if (last && last->vm_end > end) {
		err = __split_vma(mm, last, end);
		if (err) {
			vma_merge_range(mm, start, start);
			return err;
		}
	}
	for (; v && v->vm_start < end; v = next) {
		unsigned long vs = v->vm_start, ve = v->vm_end;
		struct shmem_object *shm = v->vm_shm;

		next = vma_next(v);
		vma_unlink_free(mm, v);
		zap_range(mm, vs, ve, false);
		if (shm)
			shmem_put(shm);	/* after every PTE of this piece is gone */
	}
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
 * gap_search: the highest a with [a, a + len) free, a >= lo and a + len <=
 * min(hi, top), where the subtree at n holds every VMA between lo (the end of
 * the VMA before the subtree) and hi (the start of the one after it); 0 if
 * none. A subtree whose largest gap, and both gaps at its ends, are smaller
 * than len is skipped whole, so the search descends about two paths: O(log n).
 * Recursion as deep as the tree (at most 2 log2(n + 1): 32 at max_map_count).
 */
static unsigned long gap_search(struct rb_node *n, unsigned long lo, unsigned long hi, unsigned long len,
				unsigned long top)
{
	struct vm_area_struct *v = rb_vma(n);
	unsigned long best, a;

	hi = min(hi, top);
	if (hi < lo || hi - lo < len)
		return 0;
	if (!v)
		return hi - len;
	best = max(v->rb_subtree_gap, v->rb_subtree_start - lo);
	if (hi > v->rb_subtree_end)
		best = max(best, hi - v->rb_subtree_end);
	if (best < len)
		return 0;
	a = gap_search(n->rb_right, v->vm_end, hi, len, top);
	return a ? a : gap_search(n->rb_left, lo, v->vm_start, len, top);
}

/*
 * get_unmapped_area: the highest free range of len bytes below mm->mmap_base
 * (top-down, as Linux's default layout), or 0 if there is none.
 */
static unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long len)
{
	return gap_search(mm->mm_rb.rb_node, MMAP_MIN_ADDR, TASK_SIZE, len, mm->mmap_base);
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
		vma_set_range(v, v->vm_start, newend);
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
	struct vm_area_struct *v;
	unsigned long pages = 0;

	spin_lock(&mm->lock);
	for_each_vma(mm, v)
		pages += (v->vm_end - v->vm_start) >> PAGE_SHIFT;
	spin_unlock(&mm->lock);
	return pages;
}

void mmput(struct mm_struct *mm)
{
	struct vm_area_struct *v;

	/*
	 * mm->lock is taken per VMA: a teardown of max_map_count VMAs holds no
	 * spinlock for long (a KASAN kernel spends over a second on 65530), and
	 * a reader of the /proc files sees the mm one whole VMA smaller each time.
	 */
	for (spin_lock(&mm->lock); (v = vma_first(mm)); spin_lock(&mm->lock)) {
		struct shmem_object *shm = v->vm_shm;

		zap_range(mm, v->vm_start, v->vm_end, true);
		vma_unlink_free(mm, v);
		spin_unlock(&mm->lock);
		if (shm)
			shmem_put(shm);	/* after every PTE of it is gone */
	}
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

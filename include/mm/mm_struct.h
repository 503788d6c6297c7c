/* mm_struct.h: a user address space — its tables (one more mm_ctx), its VMAs, its lock and counters. */
#ifndef PAGODA_MM_MM_STRUCT_H
#define PAGODA_MM_MM_STRUCT_H

#include <kernel/spinlock.h>
#include <lib/rbtree.h>
#include <mm/pgtable.h>
#include <asm/memory.h>
#include <types.h>

/*
 * The user half of the address space (the arch sets it in asm/memory.h):
 *   TASK_SIZE        end of the user range (arm64: 2^48, TCR_EL1.T0SZ = 16)
 *   mmap_min_addr    nothing is mapped below it (64 KiB, Linux's default), so
 *                    NULL and small offsets from it always fault
 *   STACK_TOP        the stack's top, a page under TASK_SIZE; the stack VMA grows no further than
 *                    STACK_MAX below it, and mmap() stays STACK_GUARD_GAP below that
 */
#define MMAP_MIN_ADDR	0x10000UL
#define STACK_TOP	(TASK_SIZE - PAGE_SIZE)	/* the top page stays unmapped: ends print in 48 bits */
#define STACK_MAX	(128UL * 1024)		/* the stack VMA: 128 KiB, demand-zero */
#define STACK_GUARD_GAP	(256UL * PAGE_SIZE)	/* Linux's stack_guard_gap: 1 MiB */
/*
 * Linux's vm.max_map_count default (DEFAULT_MAX_MAP_COUNT): an mm holds at most
 * this many VMAs. A new VMA (mmap, even one that would merge) or a split
 * (mprotect, munmap of a middle part) beyond it fails with -ENOMEM.
 */
#define DEFAULT_MAX_MAP_COUNT	65530
extern int sysctl_max_map_count;

/* vm_flags: what kind of mapping a VMA is (the access is in vm_prot). */
#define VM_ANON		0x1u	/* pages appear zeroed at first touch (handle_mm_fault) */
#define VM_STACK	0x2u	/* the process stack ("[stack]") */
#define VM_HEAP		0x4u	/* brk's heap ("[heap]") */
#define VM_IMAGE	0x8u	/* a PT_LOAD of the program, filled at exec */
#define VM_SHARED	0x10u	/* MAP_SHARED | MAP_ANONYMOUS: pages from vm_shm (mm/shmem.c), never COW */

struct shmem_object;

/* One mapped range [vm_start, vm_end) of a process, page aligned. */
struct vm_area_struct {
	unsigned long vm_start, vm_end;
	u32 vm_prot;		/* PROT_READ | PROT_WRITE | PROT_EXEC (neutral, include/mm/prot.h) */
	u32 vm_flags;		/* VM_* above */
	unsigned long vm_pgoff;	/* VM_IMAGE: file offset of vm_start, in pages (for maps);
				   VM_SHARED: vm_start's page index in vm_shm */
	struct shmem_object *vm_shm;	/* VM_SHARED: the object, one reference held by this VMA */
	/*
	 * VM_IMAGE: the program's bytes for VAs [vm_data_start, vm_data_end), at
	 * vm_data in the archive of programs (linked into the kernel: never
	 * freed). A first touch fills a page from there; the rest of the VMA
	 * reads zero (.bss). Split VMAs keep the same three.
	 */
	const u8 *vm_data;
	unsigned long vm_data_start, vm_data_end;
	/*
	 * In mm->mm_rb, keyed by vm_start (mm/mmap.c). The subtree's augmented
	 * value: its lowest start, highest end, and the largest free gap between
	 * two of its VMAs (0 for one VMA), so get_unmapped_area finds a hole of a
	 * given size in O(log n), as Linux's rb_subtree_gap did before the maple
	 * tree. All protected by mm->lock; changed only through mm/mmap.c.
	 */
	struct rb_node vm_rb;
	unsigned long rb_subtree_start, rb_subtree_end, rb_subtree_gap;
};

/*
 * A process's address space. The VMAs (objects of vm_area_cachep, never
 * overlapping) are a red-black tree keyed by vm_start (lib/rbtree.c), augmented
 * with each subtree's largest gap. Why this tree: find_vma, insert and erase are
 * O(log n) in the worst case with no recursion (16 KiB kernel stacks), up to
 * max_map_count VMAs; the gap augmentation makes mmap's placement O(log n) too;
 * and the API is Linux's rb_*, which readers know. (Linux 6.1 moved to a maple
 * tree, a B-tree of ranges with better cache behaviour under RCU readers;
 * pagoda has no RCU and one lock per mm, where an rbtree is simpler and enough.
 * mm/vmap_area.c's treap keys free ranges and recurses; this one keys VMAs.)
 * Code outside mm/mmap.c walks the VMAs with for_each_vma and never touches
 * the tree.
 *
 * Locking: mm->lock protects mm_rb, map_count, every VMA's fields, brk and the counters; it is
 * taken by mmap, munmap, brk and the fault handler, never from an interrupt
 * (user faults and syscalls run in the process's exception context).
 * Lock order: [tasklist_lock ->] mm->lock -> mm->ctx.page_table_lock -> zone->lock
 * (tasklist_lock first where another process's mm is read: the /proc/PID
 * files, kpageflags, kpagecount). VMAs are allocated and freed from
 * vm_area_cachep with mm->lock held (mm->lock -> the slab's locks).
 * mm->lock -> a shared object's shm->lock -> zone->lock (include/mm/shmem.h).
 * ctx is the TTBR0-half context the generic walker changes (mm/pgtable.c).
 */
struct mm_struct {
	struct mm_ctx ctx;		/* the user tables, [0, TASK_SIZE) */
	spinlock_t lock;
	struct rb_root mm_rb;				/* the VMAs by vm_start; protected by lock */
	int map_count;					/* how many VMAs; protected by lock */
	unsigned long start_brk, brk;			/* protected by lock */
	unsigned long mmap_base;	/* top of the mmap area (set once by exec) */
	unsigned long start_stack;	/* the initial user sp (set once by exec) */
	unsigned long rss;		/* user pages mapped now; protected by lock */
	unsigned long rss_shmem;	/* ... of which shared anonymous pages (RssShmem); protected by lock */
	unsigned long hiwater_rss;	/* the most there ever were; protected by lock */
	unsigned long nr_faults;	/* faults handled (pages supplied or refused); protected by lock */
	unsigned long nr_majfaults;	/* ... of which a program's page read from the archive; protected by lock */
	u64 asid;			/* the arch's address-space id (0: none yet); arm64: generation << 16 | ASID */
	const char *comm;		/* the program's name (for maps and the segfault line) */
};

/* vma_cache_init: vm_area_cachep, at boot after kmem_cache_init (mm_alloc makes it too if it is missing). */
void vma_cache_init(void);
/* mm_alloc: an empty address space (tables: just the root). NULL if out of memory. */
struct mm_struct *mm_alloc(void);
/* mmput: frees every user page, every table and the mm. The mm must be live on no CPU. */
void mmput(struct mm_struct *mm);

/*
 * dup_mm (mm/dup_mmap.c): a copy of mm for fork's child: the same VMAs,
 * break and layout; every mapped page of a private VMA shared, read-only in
 * both where the VMA is writable (copy-on-write: handle_mm_fault copies at
 * the first write), its refcount and mapcount raised. A shared VMA's object
 * gains a reference and the child gets no PTEs there: it faults the
 * object's pages in (Linux's choice too). Takes mm->lock. NULL: no memory.
 */
struct mm_struct *dup_mm(struct mm_struct *mm);

/* mm_total_vm: pages the VMAs span (Linux's total_vm, /proc/PID/status VmSize). Takes mm->lock. */
unsigned long mm_total_vm(struct mm_struct *mm);

/* find_vma: the VMA that contains addr, or NULL. Called with mm->lock held. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* find_vma_above: the lowest VMA that ends above addr (contains it or lies above), or NULL. mm->lock held. */
struct vm_area_struct *find_vma_above(struct mm_struct *mm, unsigned long addr);

/*
 * Walking the VMAs in address order, mm->lock held: vma_first (NULL if none),
 * vma_next and vma_prev (NULL past the end). for_each_vma must not free the
 * VMA it stands on (mmput and munmap take the next one first).
 */
static inline struct vm_area_struct *vma_first(struct mm_struct *mm)
{
	return rb_entry_safe(rb_first(&mm->mm_rb), struct vm_area_struct, vm_rb);
}

static inline struct vm_area_struct *vma_next(struct vm_area_struct *vma)
{
	return rb_entry_safe(rb_next(&vma->vm_rb), struct vm_area_struct, vm_rb);
}

static inline struct vm_area_struct *vma_prev(struct vm_area_struct *vma)
{
	return rb_entry_safe(rb_prev(&vma->vm_rb), struct vm_area_struct, vm_rb);
}

#define for_each_vma(mm, vma)	for ((vma) = vma_first(mm); (vma); (vma) = vma_next(vma))
/*
 * mmap_region: adds the VMA [start, start+len) (page aligned, inside
 * [MMAP_MIN_ADDR, TASK_SIZE), overlapping nothing). 0, -EINVAL, -EEXIST or
 * -ENOMEM (no memory for the VMA, or max_map_count reached).
 */
/*
 * mmap_image: mmap_region for a program's segment (VM_IMAGE, file offset in
 * pages pgoff), its pages filled at first touch: the bytes for VAs
 * [data_start, data_end) from data, zeros elsewhere.
 */
int mmap_image(struct mm_struct *mm, unsigned long start, unsigned long len, u32 prot, unsigned long pgoff,
	       const u8 *data, unsigned long data_start, unsigned long data_end);
int mmap_region(struct mm_struct *mm, unsigned long start, unsigned long len, u32 prot,
		u32 flags, unsigned long pgoff);
/*
 * do_mmap: an anonymous private mapping of len bytes (rounded up to pages);
 * addr is a hint unless MAP_FIXED-like fixed is set (then whatever was there is
 * unmapped first). Returns the address, or a -errno (-EINVAL, -ENOMEM).
 */
long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len, u32 prot, bool fixed);
/*
 * do_mmap_shared: do_mmap for MAP_SHARED | MAP_ANONYMOUS: the VMA (VM_SHARED)
 * points at a new shared object of len bytes (mm/shmem.c) whose pages fork's
 * children map too. Same results, -ENOMEM also when the object cannot be made.
 */
long do_mmap_shared(struct mm_struct *mm, unsigned long addr, unsigned long len, u32 prot, bool fixed);
/*
 * do_munmap: removes [addr, addr+len) from the VMAs and frees its pages. 0 or
 * -EINVAL (or -ENOMEM: a split would pass max_map_count or found no memory;
 * nothing changed).
 */
int do_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len);
/* do_brk: moves the break to newbrk if it can; returns the break (Linux's brk(2) semantics). */
unsigned long do_brk(struct mm_struct *mm, unsigned long newbrk);

/* Fault flags (handle_mm_fault) and its result. */
#define FAULT_FLAG_WRITE	0x1u
#define FAULT_FLAG_INSTRUCTION	0x2u
#define VM_FAULT_SIGSEGV	0x1u	/* no VMA, wrong access: the process is killed */
#define VM_FAULT_OOM		0x2u	/* no page for it */
/*
 * handle_mm_fault: supplies the page for a fault at addr in mm: a zeroed page
 * from the buddy, mapped with the VMA's protection, for an anonymous VMA that
 * allows the access; for a write to a present read-only page of a writable
 * VMA (copy-on-write after fork), the page itself made writable if this mm
 * maps it alone, else a copy; in a VM_SHARED VMA, the shared object's page
 * (do_shared_fault, mm/shmem.c). Returns 0 (retry the access), VM_FAULT_SIGSEGV or
 * VM_FAULT_OOM. Takes mm->lock.
 */
unsigned int handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned int flags);

/*
 * install_user_page: maps page at va (page aligned) with prot (PROT_READ |
 * PROT_WRITE | PROT_EXEC) for user mode and counts it in the RSS; the mm's
 * page from then on (zap_range frees it), through the fault's one descent
 * (pt_fault_slot, then pt_install). On failure (-EEXIST: va is mapped;
 * -ENOMEM: no table page; -EINVAL: va outside the user range) the page is freed. With mm->lock held, or by exec on an mm no CPU runs.
 */
struct page;
int install_user_page(struct mm_struct *mm, unsigned long va, struct page *page, u32 prot);

/*
 * The VMA tree's edits (mm/mmap.c), with mm->lock held:
 *   split_vma      vma becomes [start, addr) and a new VMA [addr, end) (addr page
 *                  aligned, strictly inside): 0, -EINVAL, or -ENOMEM (max_map_count
 *                  reached or no memory; nothing changed).
 *   vma_merge_range  joins every pair of neighbours that touch and agree (protection,
 *                  kind, an image's offsets, a shared VMA's object and index;
 *                  never the stack) from the VMA below start
 *                  to the one starting at end: Linux's vma_merge, done after every
 *                  mmap, brk and mprotect over the range it changed.
 *                  A split takes and a merge drops a vm_shm reference.
 */
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr);
void vma_merge_range(struct mm_struct *mm, unsigned long start, unsigned long end);
/* vma_link_copy: a copy of vma (from another mm: fork) into mm, whose VMAs leave its range free. 0 or -ENOMEM. */
int vma_link_copy(struct mm_struct *mm, const struct vm_area_struct *vma);
/* vma_tree_check: 0 if mm's tree keeps every rule (red-black, order, no overlap, the augmented values, map_count), else -1 (tests). */
int vma_tree_check(struct mm_struct *mm);
/*
 * do_mprotect: gives [start, start+len) (start page aligned, len rounded up)
 * protection prot (PROT_READ/WRITE/EXEC, 0 for none): the VMAs are split at
 * the ends and merged after, present pages change through pt_protect, and the
 * range is flushed by the mm's ASID. 0, -EINVAL, or -ENOMEM (part of the range
 * is not mapped, or no VMA slot for a split; nothing changed). Takes mm->lock.
 */
int do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long len, u32 prot);

/*
 * A user page's counts (include/mm/mm_types.h): page_dup_rmap, one more
 * mapping (fork: refcount and mapcount + 1); page_remove_rmap, one mapping
 * fewer (mapcount - 1); put_page, one reference fewer, the page freed at 0.
 */
void page_dup_rmap(struct page *page);
void page_remove_rmap(struct page *page);
void put_page(struct page *page);
int page_mapcount(struct page *page);
int page_refcount(struct page *page);

/* show_map_vma: vma's line of /proc/PID/maps, Linux's layout (fs/proc/task_mmu.c). */
struct seq_buf;
void show_map_vma(struct seq_buf *s, struct mm_struct *mm, const struct vm_area_struct *vma);

#endif

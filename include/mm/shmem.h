/* shmem.h: the object behind a shared anonymous mapping (MAP_SHARED | MAP_ANONYMOUS) — its pages by index, shared across fork. */
#ifndef PAGODA_MM_SHMEM_H
#define PAGODA_MM_SHMEM_H

#include <kernel/atomic.h>
#include <kernel/spinlock.h>
#include <types.h>

struct mm_struct;
struct page;
struct vm_area_struct;

/*
 * A shared anonymous object: what Linux makes with shmem_zero_setup (a shmem
 * file named "dev/zero", unlinked at once). Its pages are found by index
 * (the VMA's vm_pgoff plus the page's offset in the VMA), created zeroed at
 * the first fault of any process that maps it, so a page first touched by a
 * fork child is the parent's too.
 *
 * References: one per VMA that points at it (vm_shm): the mmap that made it,
 * each VMA fork copies, each extra piece a split or a partial munmap leaves.
 * The last shmem_put frees every page it holds.
 *
 * A page it holds has PG_shmem set and counts (include/mm/mm_types.h)
 * _refcount = 1 (the object's) + one per PTE mapping it, _mapcount = PTEs
 * mapping it. Unmapping (zap_range) drops one of each; the page stays in the
 * object until the object goes.
 *
 * Locking: lock protects pages[] and nr_resident. Lock order: mm->lock ->
 * shm->lock -> zone->lock (a fault allocates under it); it takes no mm lock.
 * refcount is atomic: a VMA copy (fork, split) holds its mm's lock only.
 */
struct shmem_object {
	atomic_t refcount;		/* VMAs pointing at it */
	spinlock_t lock;
	unsigned long ino;		/* the inode number /proc/PID/maps shows (set once) */
	unsigned long nr_pages;		/* its size, fixed at creation (the mmap's length) */
	unsigned long nr_resident;	/* pages[] entries not NULL; protected by lock */
	struct page *pages[];		/* protected by lock */
};

/* The name and device /proc/PID/maps shows for a shared anonymous mapping (Linux's, from the shm mount). */
#define SHMEM_MAPS_NAME		"/dev/zero (deleted)"
#define SHMEM_MAPS_DEV		"00:01"

/*
 * shmem_object_create: an empty object of nr_pages pages, one reference
 * (the caller's, handed to the VMA it makes). NULL: no memory, or nr_pages 0.
 * The index table is kzalloc'ed: 8 bytes a page on arm64, 4 on x86.
 */
struct shmem_object *shmem_object_create(unsigned long nr_pages);
/* shmem_get: one more reference (a VMA copied or split). */
void shmem_get(struct shmem_object *shm);
/*
 * shmem_put: one reference fewer; the last frees the object and every page
 * it holds. No PTE may map its pages then (every VMA pointing at it is gone
 * and was zapped first): a mapped page left is a panic.
 */
void shmem_put(struct shmem_object *shm);
/* shmem_resident: pages the object holds now (takes shm->lock). */
unsigned long shmem_resident(struct shmem_object *shm);

/*
 * do_shared_fault: the fault in vma, a VM_SHARED VMA that allows the access
 * (handle_mm_fault checked), at the slot f that handle_mm_fault's one descent
 * found: the object's page for that index, created zeroed if no process
 * touched it yet, installed in the slot with the VMA's protection (never
 * copy-on-write); a present entry is left as it is if it agrees with the VMA.
 * mm->lock held. 0 or VM_FAULT_OOM.
 */
struct pt_fault;
unsigned int do_shared_fault(struct mm_struct *mm, const struct vm_area_struct *vma, const struct pt_fault *f);

#endif

/* shmem_test.c: KTAP suite for shared anonymous memory — the object's pages across dup_mm, splits, munmap, teardown and the views. */
#include <errno.h>
#include <string.h>
#include <kernel/kunit.h>
#include "mm_fixture.h"
#include <kernel/seq_buf.h>
#include <mm/mm.h>
#include <mm/mm_struct.h>
#include <mm/mm_types.h>
#include <mm/mmzone.h>
#include <mm/pagemap.h>
#include <mm/shmem.h>
#include <mm/slab.h>
#include <test_machine.h>

#define BASE	0x1000000UL
#define RW	(PROT_READ | PROT_WRITE)

static int shmem_suite_init(void)
{
	if (mm_test_machine())
		return 1;
	kmem_cache_init();
	return 0;
}

/* bare_mm: an empty mm with exec's mmap_base (the caller frees it), or NULL. */
static struct mm_struct *bare_mm(void)
{
	struct mm_struct *mm = mm_alloc();

	if (mm)
		mm->mmap_base = STACK_TOP - STACK_MAX - STACK_GUARD_GAP;
	return mm;
}

/* shared_mm: a new mm with a shared mapping of n pages at BASE, freed when the case ends. */
static struct mm_struct *shared_mm(struct kunit *test, unsigned long n)
{
	struct mm_struct *mm = kunit_mm_track(test, bare_mm());

	return mm && do_mmap_shared(mm, BASE, n * PAGE_SIZE, RW, true) == (long)BASE ? mm : NULL;
}

/* settled_free_pages: the buddy's free pages with the caches shrunk and the per-CPU lists drained. */
static unsigned long settled_free_pages(void)
{
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	return nr_free_pages();
}

/* pa_at: the PA mm maps at va, or 0 if nothing is mapped there. */
static paddr_t pa_at(struct mm_struct *mm, unsigned long va)
{
	struct pt_query q;

	return pt_query(&mm->ctx, va, &q) ? 0 : q.pa;
}

/* A child made by dup_mm has no PTE in the shared VMA; it faults the parent's page in, writable, no copy. */
static void fork_shares_pages(struct kunit *test)
{
	struct mm_struct *a = shared_mm(test, 4), *b;
	struct shmem_object *shm;
	struct pt_query q;
	paddr_t pa;

	KUNIT_ASSERT_NOT_NULL(test, a);
	shm = find_vma(a, BASE)->vm_shm;
	KUNIT_ASSERT_NOT_NULL(test, shm);
	KUNIT_EXPECT_EQ(test, find_vma(a, BASE)->vm_flags, VM_SHARED);
	KUNIT_ASSERT_EQ(test, handle_mm_fault(a, BASE, FAULT_FLAG_WRITE), 0u);
	pa = pa_at(a, BASE);
	KUNIT_ASSERT_NE(test, pa, (paddr_t)0);
	*(u32 *)__va(pa) = 0xfeed;
	b = kunit_mm_track(test, dup_mm(a));
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, atomic_read(&shm->refcount), 2);
	KUNIT_EXPECT_EQ(test, pa_at(b, BASE), (paddr_t)0);	/* no PTE copied */
	KUNIT_EXPECT_EQ(test, b->rss, 0UL);
	KUNIT_EXPECT_TRUE(test, pt_query(&a->ctx, BASE, &q) == 0 && (q.prot & PROT_WRITE));	/* not made COW */
	KUNIT_ASSERT_EQ(test, handle_mm_fault(b, BASE, FAULT_FLAG_WRITE), 0u);
	KUNIT_EXPECT_EQ(test, pa_at(b, BASE), pa);
	KUNIT_EXPECT_EQ(test, *(u32 *)__va(pa_at(b, BASE)), 0xfeedu);
	KUNIT_EXPECT_EQ(test, page_refcount(phys_to_page(pa)), 3);	/* the object's and two PTEs */
	KUNIT_EXPECT_EQ(test, page_mapcount(phys_to_page(pa)), 2);
	/* A page the child touches first is the parent's too. */
	KUNIT_ASSERT_EQ(test, handle_mm_fault(b, BASE + 3 * PAGE_SIZE, 0), 0u);
	KUNIT_ASSERT_EQ(test, handle_mm_fault(a, BASE + 3 * PAGE_SIZE, FAULT_FLAG_WRITE), 0u);
	KUNIT_EXPECT_EQ(test, pa_at(a, BASE + 3 * PAGE_SIZE), pa_at(b, BASE + 3 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, shmem_resident(shm), 2UL);
	KUNIT_EXPECT_EQ(test, a->rss_shmem, 2UL);
	KUNIT_EXPECT_EQ(test, b->rss_shmem, 2UL);
	/* A write through b's read-mapped page: writable already (the VMA's protection), nothing copied. */
	KUNIT_EXPECT_TRUE(test, pt_query(&b->ctx, BASE + 3 * PAGE_SIZE, &q) == 0 && (q.prot & PROT_WRITE));
}

/* mprotect splits the VMA (pieces share the object at their indices); munmap drops a piece's PTEs, not the pages. */
static void split_and_unmap_keep_pages(struct kunit *test)
{
	struct mm_struct *mm = shared_mm(test, 8);
	struct shmem_object *shm;
	paddr_t pa6;
	unsigned long i;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	shm = find_vma(mm, BASE)->vm_shm;
	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_EQ(test, handle_mm_fault(mm, BASE + i * PAGE_SIZE, FAULT_FLAG_WRITE), 0u);
	pa6 = pa_at(mm, BASE + 6 * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, do_mprotect(mm, BASE + 3 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ), 0);
	KUNIT_EXPECT_EQ(test, mm->map_count, 3u);
	KUNIT_EXPECT_EQ(test, atomic_read(&shm->refcount), 3);
	KUNIT_EXPECT_EQ(test, find_vma(mm, BASE + 3 * PAGE_SIZE)->vm_pgoff, 3UL);
	KUNIT_EXPECT_EQ(test, find_vma(mm, BASE + 5 * PAGE_SIZE)->vm_pgoff, 5UL);
	/* A write to the read-only piece is refused; the others still write. */
	KUNIT_EXPECT_EQ(test, handle_mm_fault(mm, BASE + 3 * PAGE_SIZE, FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
	/* Back to RW: the pieces merge again, one reference. */
	KUNIT_ASSERT_EQ(test, do_mprotect(mm, BASE + 3 * PAGE_SIZE, 2 * PAGE_SIZE, RW), 0);
	KUNIT_EXPECT_EQ(test, mm->map_count, 1u);
	KUNIT_EXPECT_EQ(test, atomic_read(&shm->refcount), 1);
	/* munmap of the middle: two pieces, their pages stay in the object, unmapped. */
	KUNIT_ASSERT_EQ(test, do_munmap(mm, BASE + 2 * PAGE_SIZE, 4 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, mm->map_count, 2u);
	KUNIT_EXPECT_EQ(test, atomic_read(&shm->refcount), 2);
	KUNIT_EXPECT_EQ(test, shmem_resident(shm), 8UL);
	KUNIT_EXPECT_EQ(test, mm->rss, 4UL);
	KUNIT_EXPECT_EQ(test, mm->rss_shmem, 4UL);
	KUNIT_EXPECT_EQ(test, page_mapcount(phys_to_page(pa6)), 1);
	KUNIT_EXPECT_EQ(test, find_vma(mm, BASE + 6 * PAGE_SIZE)->vm_pgoff, 6UL);
	/* The right piece unmapped and faulted again finds the same page by index. */
	KUNIT_ASSERT_EQ(test, do_munmap(mm, BASE + 6 * PAGE_SIZE, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, page_refcount(phys_to_page(pa6)), 1);	/* the object's alone */
	KUNIT_EXPECT_EQ(test, page_mapcount(phys_to_page(pa6)), 0);
	KUNIT_ASSERT_EQ(test, handle_mm_fault(mm, BASE + 7 * PAGE_SIZE, 0), 0u);
	KUNIT_EXPECT_EQ(test, atomic_read(&shm->refcount), 2);
	KUNIT_EXPECT_EQ(test, mm->rss_shmem, 3UL);
}

/* Two mms torn down in either order give back every page, the object and its table, to the page. */
static void last_reference_frees_everything(struct kunit *test)
{
	int order;

	for (order = 0; order < 2; order++) {
		unsigned long before = settled_free_pages();
		struct mm_struct *a = bare_mm(), *b = NULL;

		KUNIT_ASSERT_NOT_NULL(test, a);
		if (do_mmap_shared(a, BASE, 32 * PAGE_SIZE, RW, true) != (long)BASE ||
		    handle_mm_fault(a, BASE, FAULT_FLAG_WRITE) || !(b = dup_mm(a)) ||
		    handle_mm_fault(b, BASE + 31 * PAGE_SIZE, FAULT_FLAG_WRITE) ||
		    handle_mm_fault(b, BASE, 0)) {
			if (b)
				mmput(b);
			mmput(a);
			KUNIT_FAIL_IF(test, true, return, "setting up the two mms failed");
		}
		mmput(order ? b : a);
		KUNIT_EXPECT_EQ(test, page_refcount(phys_to_page(pa_at(order ? a : b, BASE))), 2);
		mmput(order ? a : b);
		KUNIT_EXPECT_EQ(test, settled_free_pages(), before);
	}
}

/*
 * A mapping replaced (MAP_FIXED over it) or refused (no room: -ENOMEM, the
 * object made or not) drops its object; bad arguments are -EINVAL. After
 * the mm goes, every page is back.
 */
static void replaced_or_refused_frees_object(struct kunit *test)
{
	unsigned long before = settled_free_pages();
	struct mm_struct *mm = bare_mm();

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_EQ(test, do_mmap_shared(mm, BASE, 0, RW, true), (long)-EINVAL);
	KUNIT_EXPECT_EQ(test, do_mmap_shared(mm, 0x1000, PAGE_SIZE, RW, true), (long)-EINVAL);
	KUNIT_EXPECT_EQ(test, do_mmap_shared(mm, BASE, 2 * PAGE_SIZE, RW, true), (long)BASE);
	KUNIT_EXPECT_EQ(test, handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE), 0u);
	KUNIT_EXPECT_EQ(test, do_mmap_shared(mm, BASE, 2 * PAGE_SIZE, RW, true), (long)BASE);
	KUNIT_EXPECT_EQ(test, mm->rss, 0UL);		/* the old object's page went with it */
	KUNIT_EXPECT_EQ(test, atomic_read(&find_vma(mm, BASE)->vm_shm->refcount), 1);
	KUNIT_EXPECT_EQ(test, do_mmap_shared(mm, 0, mm->mmap_base - PAGE_SIZE, RW, false), (long)-ENOMEM);
	KUNIT_EXPECT_EQ(test, mm->map_count, 1u);
	mmput(mm);
	KUNIT_EXPECT_EQ(test, settled_free_pages(), before);
}

/* Views: maps says rw-s and /dev/zero (deleted); pagemap's file bit; kpagecount 2; kpageflags MMAP, not ANON. */
static void views_show_shared(struct kunit *test)
{
	struct mm_struct *a = shared_mm(test, 2), *b, *both[2];
	char text[160];
	struct seq_buf s;
	u64 e, cnt, flags;
	paddr_t pa;

	KUNIT_ASSERT_NOT_NULL(test, a);
	a->comm = "t";
	seq_buf_init(&s, text, sizeof(text));
	show_map_vma(&s, a, find_vma(a, BASE));
	KUNIT_EXPECT_TRUE(test, !strncmp(text, "01000000-01002000 rw-s 00000000 00:01 ", 38));
	KUNIT_EXPECT_TRUE(test, strlen(text) == 73 + 20 && !strcmp(text + 73, "/dev/zero (deleted)\n"));
	KUNIT_ASSERT_EQ(test, handle_mm_fault(a, BASE + PAGE_SIZE, FAULT_FLAG_WRITE), 0u);
	b = kunit_mm_track(test, dup_mm(a));
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, handle_mm_fault(b, BASE + PAGE_SIZE, 0), 0u);
	pa = pa_at(a, BASE + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, pagemap_read(b, (BASE >> PAGE_SHIFT) + 1, &e, 1), 1UL);
	KUNIT_EXPECT_EQ(test, e, PM_PRESENT | PM_FILE | PHYS_PFN(pa));	/* mapped twice: not exclusive */
	both[0] = a, both[1] = b;
	KUNIT_EXPECT_EQ(test, kpagecount_read(both, 2, PHYS_PFN(pa), &cnt, 1), 1UL);
	KUNIT_EXPECT_EQ(test, cnt, 2ULL);
	KUNIT_EXPECT_EQ(test, kpageflags_read(both, 2, PHYS_PFN(pa), &flags, 1), 1UL);
	KUNIT_EXPECT_EQ(test, flags & (BIT_ULL(KPF_MMAP) | BIT_ULL(KPF_ANON) | BIT_ULL(KPF_SWAPBACKED)),
			BIT_ULL(KPF_MMAP) | BIT_ULL(KPF_SWAPBACKED));
	/* The split piece shows its offset in the object. */
	KUNIT_ASSERT_EQ(test, do_mprotect(b, BASE + PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
	seq_buf_init(&s, text, sizeof(text));
	show_map_vma(&s, b, find_vma(b, BASE + PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, !strncmp(text, "01001000-01002000 r--s 00001000 00:01 ", 38));
	/* mprotect in b changes b's PTE only. */
	KUNIT_EXPECT_EQ(test, handle_mm_fault(b, BASE + PAGE_SIZE, FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
	{
		struct pt_query q;

		KUNIT_EXPECT_TRUE(test, pt_query(&a->ctx, BASE + PAGE_SIZE, &q) == 0 && (q.prot & PROT_WRITE));
		KUNIT_EXPECT_TRUE(test, pt_query(&b->ctx, BASE + PAGE_SIZE, &q) == 0 && !(q.prot & PROT_WRITE));
	}
}

/*
 * mprotect after fork: read-only and back to RW makes the shared region's
 * pages writable (the same pages), but a private page the child still maps
 * stays read-only, so the parent's write copies it and the child keeps its
 * bytes.
 */
static void mprotect_keeps_cow_not_shared(struct kunit *test)
{
	struct mm_struct *a = shared_mm(test, 1), *b;
	const unsigned long priv = BASE + PAGE_SIZE;	/* just above the shared page: one mprotect spans both */
	struct pt_query q;
	paddr_t pa;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_EQ(test, do_mmap(a, priv, PAGE_SIZE, RW, true), (long)priv);
	KUNIT_ASSERT_EQ(test, handle_mm_fault(a, BASE, FAULT_FLAG_WRITE), 0u);
	KUNIT_ASSERT_EQ(test, handle_mm_fault(a, priv, FAULT_FLAG_WRITE), 0u);
	pa = pa_at(a, priv);
	*(u8 *)__va(pa) = 7;
	b = kunit_mm_track(test, dup_mm(a));
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, do_mprotect(a, BASE, 2 * PAGE_SIZE, PROT_READ), 0);
	KUNIT_ASSERT_EQ(test, do_mprotect(a, BASE, 2 * PAGE_SIZE, RW), 0);
	KUNIT_EXPECT_TRUE(test, pt_query(&a->ctx, BASE, &q) == 0 && (q.prot & PROT_WRITE));
	KUNIT_EXPECT_TRUE(test, pt_query(&a->ctx, priv, &q) == 0 && !(q.prot & PROT_WRITE));
	KUNIT_ASSERT_EQ(test, handle_mm_fault(a, priv, FAULT_FLAG_WRITE), 0u);
	KUNIT_EXPECT_NE(test, pa_at(a, priv), pa);		/* copied */
	KUNIT_EXPECT_EQ(test, pa_at(b, priv), pa);		/* the child's bytes untouched */
	KUNIT_EXPECT_EQ(test, *(u8 *)__va(pa), 7);
}

kunit_test_suite_init(shmem, shmem_suite_init, NULL,
	KUNIT_CASE(fork_shares_pages),
	KUNIT_CASE(split_and_unmap_keep_pages),
	KUNIT_CASE(last_reference_frees_everything),
	KUNIT_CASE(replaced_or_refused_frees_object),
	KUNIT_CASE(views_show_shared),
	KUNIT_CASE(mprotect_keeps_cow_not_shared));

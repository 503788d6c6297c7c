/* vma_tree_test.c: KTAP suite vma_tree — the VMA red-black tree against a page model under random mmap/munmap/mprotect. */
#include <errno.h>
#include <string.h>
#include <kernel/kunit.h>
#include "mm_fixture.h"
#include <mm/mm.h>
#include <mm/mm_struct.h>
#include <mm/mmzone.h>
#include <mm/slab.h>
#include <test_machine.h>

static int vma_tree_suite_init(void)
{
	if (mm_test_machine())
		return 1;
	kmem_cache_init();
	return 0;
}

#define BASE		0x1000000UL
#define W		256			/* the model's window, in pages */
#define UNMAPPED	0xffu
#define OPS		3000
#define RW		(PROT_READ | PROT_WRITE)

/*
 * The model: each page of the window [BASE, BASE + W pages) is unmapped or
 * has a protection, and may hold a page (touched). Every VMA the tests make is
 * anonymous, so the tree must hold exactly the runs of equal protection
 * (merging is complete) and nothing outside the window.
 */
struct model {
	u8 prot[W];
	bool touched[W];
	u64 rng;
};

static u32 model_rand(struct model *m)
{
	m->rng ^= m->rng << 13;
	m->rng ^= m->rng >> 7;
	m->rng ^= m->rng << 17;
	return (u32)(m->rng >> 11);
}

static struct mm_struct *new_mm(struct kunit *test)
{
	struct mm_struct *mm = kunit_mm_track(test, mm_alloc());

	if (!mm)
		return NULL;
	mm->mmap_base = BASE + W * PAGE_SIZE;	/* placement (hint-free mmap) lands in the window */
	mm->start_brk = mm->brk = 0x500000;
	return mm;
}

static unsigned long page_va(int i)
{
	return BASE + (unsigned long)i * PAGE_SIZE;
}

/* model_check: NULL if mm agrees with m (tree rules, every page's VMA, the runs, rss), else what differs. */
static const char *model_check(struct mm_struct *mm, const struct model *m)
{
	struct vm_area_struct *v;
	unsigned long rss = 0;
	int i, runs = 0;

	if (vma_tree_check(mm))
		return "the tree breaks a rule (colours, order, gaps or count)";
	for (i = 0; i < W; i++) {
		v = find_vma(mm, page_va(i));
		if ((m->prot[i] == UNMAPPED) != !v || (v && v->vm_prot != m->prot[i]))
			return "a page's VMA or protection";
		if (m->prot[i] != UNMAPPED && (i == 0 || m->prot[i - 1] != m->prot[i]))
			runs++;
		rss += m->touched[i];
	}
	if (mm->map_count != runs)
		return "the VMA count is not the number of runs (a merge missed)";
	for_each_vma(mm, v)
		if (v->vm_start < BASE || v->vm_end > page_va(W))
			return "a VMA outside the window";
	return mm->rss == rss ? NULL : "rss";
}

/* model_set: pages [a, a + n) get prot (UNMAPPED: their pages go). */
static void model_set(struct model *m, int a, int n, u8 prot, bool keep_pages)
{
	int i;

	for (i = a; i < a + n; i++) {
		m->prot[i] = prot;
		if (!keep_pages)
			m->touched[i] = false;
	}
}

/*
 * model_place: the highest a with [a, a + n) unmapped (top-down, as
 * get_unmapped_area below the window's top); pages below the window (a < 0)
 * are all free, so a hole may reach down past BASE.
 */
static int model_place(const struct model *m, int n)
{
	int a, i;

	for (a = W - n;; a--) {
		for (i = 0; i < n && (a + i < 0 || m->prot[a + i] == UNMAPPED); i++)
			;
		if (i == n)
			return a;
	}
}

/* one_op: a random mmap (fixed or placed), munmap, mprotect or write fault, done on mm and m; its result agrees. */
static bool one_op(struct mm_struct *mm, struct model *m)
{
	int a = (int)(model_rand(m) % W), n = 1 + (int)(model_rand(m) % 16), i, place;
	long ret;
	u8 prot = (u8)(model_rand(m) % 8);
	bool mapped = true;

	if (a + n > W)
		n = W - a;
	for (i = a; i < a + n; i++)
		mapped &= m->prot[i] != UNMAPPED;
	switch (model_rand(m) % 5) {
	case 0:
		model_set(m, a, n, prot, false);
		return do_mmap(mm, page_va(a), (unsigned long)n * PAGE_SIZE, prot, true) == (long)page_va(a);
	case 1:
		model_set(m, a, n, UNMAPPED, false);
		return do_munmap(mm, page_va(a), (unsigned long)n * PAGE_SIZE) == 0;
	case 2:
		if (mapped)
			model_set(m, a, n, prot, true);
		return do_mprotect(mm, page_va(a), (unsigned long)n * PAGE_SIZE, prot) == (mapped ? 0 : -ENOMEM);
	case 3:		/* placement: a hole reaching below the window is given back at once */
		place = model_place(m, n);
		ret = do_mmap(mm, 0, (unsigned long)n * PAGE_SIZE, prot, false);
		if (place < 0)
			return ret == (long)(BASE + place * (long)PAGE_SIZE) &&
			       !do_munmap(mm, (unsigned long)ret, (unsigned long)n * PAGE_SIZE);
		model_set(m, place, n, prot, false);
		return ret == (long)page_va(place);
	default:	/* a write needs PROT_READ | PROT_WRITE (mm/memory.c) */
		if (m->prot[a] == UNMAPPED || (m->prot[a] & RW) != RW)
			return handle_mm_fault(mm, page_va(a), FAULT_FLAG_WRITE) == VM_FAULT_SIGSEGV;
		m->touched[a] = true;
		return handle_mm_fault(mm, page_va(a), FAULT_FLAG_WRITE) == 0;
	}
}

static unsigned long vma_objects(void)
{
	struct kmem_cache *c = kmem_cache_find("vm_area_struct");
	struct slabinfo si;

	if (!c)
		return 0;
	kmem_cache_get_info(c, &si);
	return si.active_objs;
}

/* OPS random operations, the tree and the model compared after each; every VMA and page back at the end. */
static void random_ops_match_model(struct kunit *test)
{
	static struct model m;
	unsigned long objs, free_before;
	struct mm_struct *mm;
	const char *bad;
	int op;

	mm = mm_alloc();	/* the first one makes vm_area_cachep: before the count */
	KUNIT_ASSERT_NOT_NULL(test, mm);
	mmput(mm);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	objs = vma_objects();
	free_before = nr_free_pages();
	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	mm->mmap_base = BASE + W * PAGE_SIZE;
	memset(m.prot, UNMAPPED, sizeof(m.prot));
	memset(m.touched, 0, sizeof(m.touched));
	m.rng = 0x9e3779b97f4a7c15ULL;
	for (op = 0; op < OPS; op++) {
		bad = one_op(mm, &m) ? model_check(mm, &m) : "the call returned what the model did not expect";
		if (bad) {
			mmput(mm);
			KUNIT_FAIL_IF(test, true, return, "operation %d: %s", op, bad);
		}
	}
	KUNIT_EXPECT_GT(test, vma_objects(), objs);
	mmput(mm);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	KUNIT_EXPECT_EQ(test, vma_objects(), objs);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), free_before);
}

#define MANY	20000

/* log2_ceil: the least k with 2^k >= n. */
static int log2_ceil(unsigned long n)
{
	int k = 0;

	while ((1UL << k) < n)
		k++;
	return k;
}

/*
 * MANY one-page VMAs of alternating protection (none merges): every one is
 * found, the tree stays within 2 log2(n + 1), placement finds the top hole and
 * one in the middle; unmapping every other one leaves half; all come back.
 */
static void many_vmas(struct kunit *test)
{
	struct mm_struct *mm;
	unsigned long objs, top = BASE + (MANY + 4) * PAGE_SIZE;
	int i, bh, found = 0;

	if (nr_free_pages() < (8UL << 20) / PAGE_SIZE) {
		kunit_mark_skipped(test, "needs 8 MiB free for 20000 VMAs");
		return;
	}
	kmem_cache_shrink_all();
	objs = vma_objects();
	mm = new_mm(test);
	KUNIT_ASSERT_NOT_NULL(test, mm);
	mm->mmap_base = top;
	for (i = 0; i < MANY; i++)
		KUNIT_ASSERT_EQ(test, do_mmap(mm, page_va(i), PAGE_SIZE, i & 1 ? PROT_READ : PROT_READ | PROT_WRITE,
					      true), (long)page_va(i));
	KUNIT_EXPECT_EQ(test, mm->map_count, MANY);
	KUNIT_EXPECT_EQ(test, vma_tree_check(mm), 0);
	bh = rb_black_height(&mm->mm_rb);
	KUNIT_EXPECT_GT(test, bh, 0);
	KUNIT_EXPECT_TRUE(test, bh <= log2_ceil(MANY + 1));	/* height <= 2 bh <= 2 log2(n + 1) */
	for (i = 0; i < MANY; i++)
		found += find_vma(mm, page_va(i) + 8) && find_vma(mm, page_va(i))->vm_start == page_va(i);
	KUNIT_EXPECT_EQ(test, found, MANY);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, 0, 4 * PAGE_SIZE, PROT_READ, false), (long)(top - 4 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, do_munmap(mm, page_va(MANY / 2), PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, 0, PAGE_SIZE, PROT_EXEC, false), (long)page_va(MANY / 2));
	for (i = 1; i < MANY; i += 2)
		KUNIT_ASSERT_EQ(test, do_munmap(mm, page_va(i), PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, mm->map_count, MANY / 2 + 1);
	KUNIT_EXPECT_EQ(test, vma_tree_check(mm), 0);
	for (i = 0; i < MANY; i += 2)
		KUNIT_ASSERT_EQ(test, do_munmap(mm, page_va(i), PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, mm->map_count, 1);
	KUNIT_EXPECT_EQ(test, vma_tree_check(mm), 0);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, top - 4 * PAGE_SIZE, 4 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, mm->map_count, 0);
	/*
	 * Every object back (counted only with none live: KFENCE may serve a
	 * few objects from its pool, which the slab's counts do not see).
	 */
	kmem_cache_shrink_all();
	KUNIT_EXPECT_EQ(test, vma_objects(), objs);
}

/* munmap and mprotect of a huge range cost what is mapped in it, not its size (2^36 pages on arm64). */
static void huge_ranges_are_quick(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, BASE, PAGE_SIZE, PROT_READ | PROT_WRITE, true), (long)BASE);
	KUNIT_ASSERT_EQ(test, handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE), 0u);
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, MMAP_MIN_ADDR, TASK_SIZE - MMAP_MIN_ADDR, PROT_READ), -ENOMEM);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, MMAP_MIN_ADDR, TASK_SIZE - MMAP_MIN_ADDR), 0);
	KUNIT_EXPECT_EQ(test, mm->map_count, 0);
	KUNIT_EXPECT_EQ(test, mm->rss, 0UL);
}

/* max_map_count (65530, Linux's) is the limit: one VMA more is -ENOMEM until one goes; the tree is whole. */
static void max_map_count_limits(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_EQ(test, sysctl_max_map_count, 65530);
	if (nr_free_pages() < (24UL << 20) / PAGE_SIZE) {
		kunit_mark_skipped(test, "needs 24 MiB free for 65530 VMAs");
		return;
	}
	for (i = 0; i < DEFAULT_MAX_MAP_COUNT; i++)
		KUNIT_ASSERT_EQ(test, do_mmap(mm, page_va(2 * i), PAGE_SIZE, PROT_READ, true), (long)page_va(2 * i));
	KUNIT_EXPECT_EQ(test, mm->map_count, DEFAULT_MAX_MAP_COUNT);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, page_va(2 * i), PAGE_SIZE, PROT_READ, true), (long)-ENOMEM);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, page_va(0), PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, page_va(2 * i), PAGE_SIZE, PROT_READ, true), (long)page_va(2 * i));
	KUNIT_EXPECT_EQ(test, mm->map_count, DEFAULT_MAX_MAP_COUNT);
	KUNIT_EXPECT_EQ(test, vma_tree_check(mm), 0);
}

kunit_test_suite_init(vma_tree, vma_tree_suite_init, NULL,
	KUNIT_CASE(random_ops_match_model),
	KUNIT_CASE(many_vmas),
	KUNIT_CASE(max_map_count_limits),
	KUNIT_CASE(huge_ranges_are_quick));

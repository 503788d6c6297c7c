/* vmalloc_test.c: KTAP suites for the VA-range allocator (vmap_area) and vmalloc/vmap. */
#include <kernel/kunit.h>
#include <kernel/debugfs.h>
#include <kernel/kallsyms.h>
#include <kernel/seq_buf.h>
#include <mm/vmap_area.h>
#include <mm/vmalloc.h>
#include <mm/vmstat.h>
#include <mm/pgtable.h>
#include <mm/mm.h>
#include <mm/mmzone.h>
#include <asm/memory.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "vm_test.h"
#include "test_buf.h"

/* ---- vmap_area: the VA-range allocator on private spaces --------------------------------- */

#define TEST_POOL_PAGES	48
static char (*test_pool)[PAGE_SIZE];	/* from the page allocator while the suite runs */
static unsigned int test_pool_used;

/* Node pages for test spaces: a pool, reset by new_space(). */
static void *test_get_page(void)
{
	return test_pool_used < TEST_POOL_PAGES ? test_pool[test_pool_used++] : NULL;
}

#define SPACE_START	0x10000000UL
#define SPACE_SIZE	0x10000000UL	/* 256 MiB */

static void new_space(struct va_space *vs, unsigned long size)
{
	test_pool_used = 0;
	va_space_init(vs, SPACE_START, SPACE_START + size, test_get_page);
}

#define EXPECT_CONSISTENT(test, vs) do { \
	const char *__e = va_space_check(vs); \
	KUNIT_FAIL_IF(test, __e, (void)0, "va_space_check: %s", __e); \
} while (0)

static void va_alloc_lowest_first(struct kunit *test)
{
	struct va_space vs;
	unsigned long a, b, c;

	new_space(&vs, SPACE_SIZE);
	a = va_space_alloc(&vs, SZ_4K, PAGE_SIZE);
	b = va_space_alloc(&vs, 2 * SZ_4K, PAGE_SIZE);
	c = va_space_alloc(&vs, SZ_4K, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, a, SPACE_START);
	KUNIT_EXPECT_EQ(test, b, SPACE_START + SZ_4K);
	KUNIT_EXPECT_EQ(test, c, SPACE_START + 3 * SZ_4K);
	KUNIT_EXPECT_TRUE(test, va_space_free(&vs, b, 2 * SZ_4K));
	/* The hole at b is the lowest fit for one page, and for two, not for three. */
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, SZ_4K, PAGE_SIZE), b);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, 3 * SZ_4K, PAGE_SIZE), SPACE_START + 4 * SZ_4K);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, SZ_4K, PAGE_SIZE), b + SZ_4K);
	EXPECT_CONSISTENT(test, &vs);
	KUNIT_EXPECT_EQ(test, vs.free_bytes, SPACE_SIZE - 7 * SZ_4K);
}

static void va_alloc_aligned(struct kunit *test)
{
	struct va_space vs;
	unsigned long a, b;

	new_space(&vs, SPACE_SIZE);
	a = va_space_alloc(&vs, SZ_4K, PAGE_SIZE);
	b = va_space_alloc(&vs, SZ_64K, SZ_64K);
	KUNIT_EXPECT_EQ(test, a, SPACE_START);
	KUNIT_EXPECT_EQ(test, b, SPACE_START + SZ_64K);
	/* The head [4K, 64K) stays free and is used next. */
	KUNIT_EXPECT_EQ(test, vs.nr_free, 2UL);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, 15 * SZ_4K, PAGE_SIZE), SPACE_START + SZ_4K);
	KUNIT_EXPECT_EQ(test, vs.nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, SZ_2M, SZ_2M) & (SZ_2M - 1), 0UL);
	/* Bad sizes and alignments are refused, not rounded. */
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, 100, PAGE_SIZE), 0UL);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, SZ_4K, 3 * SZ_4K), 0UL);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, 0, PAGE_SIZE), 0UL);
	EXPECT_CONSISTENT(test, &vs);
}

static void va_free_coalesces(struct kunit *test)
{
	struct va_space vs;
	unsigned long a, b, c;

	new_space(&vs, SPACE_SIZE);
	a = va_space_alloc(&vs, SZ_4K, PAGE_SIZE);
	b = va_space_alloc(&vs, SZ_4K, PAGE_SIZE);
	c = va_space_alloc(&vs, SZ_4K, PAGE_SIZE);
	KUNIT_ASSERT_TRUE(test, va_space_free(&vs, b, SZ_4K));
	KUNIT_EXPECT_EQ(test, vs.nr_free, 2UL);
	KUNIT_ASSERT_TRUE(test, va_space_free(&vs, a, SZ_4K));	/* merges with b's hole */
	KUNIT_EXPECT_EQ(test, vs.nr_free, 2UL);
	KUNIT_ASSERT_TRUE(test, va_space_free(&vs, c, SZ_4K));	/* joins both sides */
	KUNIT_EXPECT_EQ(test, vs.nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, va_space_largest(&vs), SPACE_SIZE);
	KUNIT_EXPECT_EQ(test, vs.free_root->start, SPACE_START);
	EXPECT_CONSISTENT(test, &vs);
}

static void va_bad_free_reported(struct kunit *test)
{
	struct va_space vs;
	char log[512];
	unsigned long a, before;

	new_space(&vs, SPACE_SIZE);
	a = va_space_alloc(&vs, 4 * SZ_4K, PAGE_SIZE);
	va_space_alloc(&vs, SZ_4K, PAGE_SIZE);
	KUNIT_ASSERT_TRUE(test, va_space_free(&vs, a, 4 * SZ_4K));
	before = vs.free_bytes;
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_FALSE(test, va_space_free(&vs, a + SZ_4K, SZ_4K));	/* inside a free range */
	KUNIT_EXPECT_FALSE(test, va_space_free(&vs, a + 4 * SZ_4K, 2 * SZ_4K)); /* tail is free */
	KUNIT_EXPECT_FALSE(test, va_space_free(&vs, SPACE_START - SZ_4K, SZ_4K));
	KUNIT_EXPECT_FALSE(test, va_space_free(&vs, a + 5 * SZ_4K + 1, SZ_4K));
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "vmap: bad free of [0x");
	KUNIT_EXPECT_SUBSTR(test, log, "overlaps a free range (double free?)");
	KUNIT_EXPECT_SUBSTR(test, log, "not a page-aligned range of this space");
	KUNIT_EXPECT_EQ(test, vs.free_bytes, before);
	KUNIT_EXPECT_EQ(test, vs.nr_free, 2UL);
	EXPECT_CONSISTENT(test, &vs);
}

static void va_exhaustion(struct kunit *test)
{
	struct va_space vs;
	unsigned long i, n = 64;

	new_space(&vs, n * SZ_4K);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, SZ_4K, PAGE_SIZE), SPACE_START + i * SZ_4K);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, SZ_4K, PAGE_SIZE), 0UL);
	KUNIT_EXPECT_EQ(test, vs.nr_free, 0UL);
	for (i = 0; i < n; i += 2)
		va_space_free(&vs, SPACE_START + i * SZ_4K, SZ_4K);
	KUNIT_EXPECT_EQ(test, vs.nr_free, n / 2);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, 2 * SZ_4K, PAGE_SIZE), 0UL);	/* fragmented */
	for (i = 1; i < n; i += 2)
		va_space_free(&vs, SPACE_START + i * SZ_4K, SZ_4K);
	KUNIT_EXPECT_EQ(test, vs.nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, va_space_alloc(&vs, n * SZ_4K, PAGE_SIZE), SPACE_START);
	EXPECT_CONSISTENT(test, &vs);
}

struct live_range {
	unsigned long start, size;
};

#define MAX_LIVE	400
static struct live_range live[MAX_LIVE];

/* True if no free range below a could have held size bytes (first fit, page alignment). */
static bool lowest_fit(const struct va_space *vs, unsigned long a, unsigned long size)
{
	struct va_node *n;

	for (n = va_tree_ceil(vs->free_root, 0); n && n->start < a; n = va_tree_ceil(vs->free_root, n->start + 1))
		if (n->end - n->start >= size)
			return false;
	return true;
}

/* One random allocation, checked against every live range; returns false on a failure. */
static bool random_alloc(struct kunit *test, struct va_space *vs, u64 *rs, int *nlive)
{
	unsigned long pages = 1 + kunit_rand(rs) % (kunit_rand(rs) % 8 ? 8 : 512);
	unsigned long align = kunit_rand(rs) % 4 ? PAGE_SIZE : PAGE_SIZE << (kunit_rand(rs) % 6);
	unsigned long size = pages * PAGE_SIZE, a = va_space_alloc(vs, size, align);
	int i;

	if (!a)
		return true;	/* full: legal, the torture frees later */
	KUNIT_FAIL_IF(test, a < vs->start || a + size > vs->end || (a & (align - 1)), return false,
		      "bad range 0x%lx+0x%lx align 0x%lx", a, size, align);
	for (i = 0; i < *nlive; i++)
		KUNIT_FAIL_IF(test, a < live[i].start + live[i].size && live[i].start < a + size,
			      return false, "0x%lx+0x%lx overlaps live 0x%lx+0x%lx",
			      a, size, live[i].start, live[i].size);
	if (align == PAGE_SIZE && (kunit_rand(rs) & 31) == 0)
		KUNIT_FAIL_IF(test, !lowest_fit(vs, a, size), return false,
			      "0x%lx is not the lowest fit for 0x%lx", a, size);
	live[(*nlive)++] = (struct live_range){ a, size };
	return true;
}

/* Random allocs and frees against a shadow list: no overlap, invariants, all back at the end. */
static void va_random_torture(struct kunit *test)
{
	struct va_space vs;
	u64 rs = 0x5eed1234;
	int nlive = 0, i, op, max_depth = 0;

	new_space(&vs, 16 * SZ_1M);
	for (op = 0; op < 40000; op++) {
		if (nlive < MAX_LIVE && (nlive == 0 || kunit_rand(&rs) % 100 < 55)) {
			if (!random_alloc(test, &vs, &rs, &nlive))
				return;
		} else {
			i = kunit_rand(&rs) % nlive;
			KUNIT_ASSERT_TRUE(test, va_space_free(&vs, live[i].start, live[i].size));
			live[i] = live[--nlive];
		}
		if (op % 1000 == 0) {
			const char *e = va_space_check(&vs);
			KUNIT_FAIL_IF(test, e, return, "op %d: %s", op, e);
			max_depth = max(max_depth, (int)va_tree_depth(vs.free_root));
		}
	}
	for (i = 0; i < nlive; i++)
		KUNIT_ASSERT_TRUE(test, va_space_free(&vs, live[i].start, live[i].size));
	EXPECT_CONSISTENT(test, &vs);
	KUNIT_EXPECT_EQ(test, vs.nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, vs.free_bytes, 16 * SZ_1M);
	/* A random treap of <= 400 nodes is ~20 deep; a degenerate one would be hundreds. */
	KUNIT_EXPECT_LE(test, max_depth, 40);
	kunit_info(test, "max free-tree depth %d, node pages %lu", max_depth, vs.nodes.pages);
}

static int vmap_area_suite_init(void)
{
	if (mm_test_machine())
		return -1;
	test_pool = test_buf_alloc(TEST_POOL_PAGES * PAGE_SIZE);
	return test_pool ? 0 : -1;
}

static void vmap_area_suite_exit(void)
{
	test_buf_free(test_pool, TEST_POOL_PAGES * PAGE_SIZE);
	test_pool = NULL;
}

kunit_test_suite_init(vmap_area, vmap_area_suite_init, vmap_area_suite_exit,
	KUNIT_CASE(va_alloc_lowest_first),
	KUNIT_CASE(va_alloc_aligned),
	KUNIT_CASE(va_free_coalesces),
	KUNIT_CASE(va_bad_free_reported),
	KUNIT_CASE(va_exhaustion),
	KUNIT_CASE(va_random_torture));

/* ---- vmalloc: areas in the kernel context ------------------------------------------------ */

#define EXPECT_VM_CONSISTENT(test) do { \
	const char *__e = vmalloc_check(); \
	KUNIT_FAIL_IF(test, __e, (void)0, "vmalloc_check: %s", __e); \
} while (0)

/* The protection mapped at va, or 0 if nothing is. */
static u32 prot_at(const void *va)
{
	struct pt_query q;

	return pt_query(&init_mm, (vaddr_t)va, &q) ? 0 : q.prot;
}

/* Byte i of a vmalloc'ed buffer, through its page's linear-map alias. */
static unsigned char *alias(const void *base, unsigned long i)
{
	struct page *p = vmalloc_to_page((const char *)base + i);

	return p ? (unsigned char *)page_address(p) + ((uintptr_t)base + i) % PAGE_SIZE : NULL;
}

static void vmalloc_maps_pages_and_guard(struct kunit *test)
{
	long before = global_node_page_state(NR_VMALLOC);
	unsigned long i, n = 3 * PAGE_SIZE + 100, areas = vmalloc_nr_areas();
	struct vm_struct *vm;
	char *p = vmalloc(n);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_EQ(test, (uintptr_t)p % PAGE_SIZE, 0UL);
	vm = find_vm_area(p + n - 1);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, vm->addr, p);
	KUNIT_EXPECT_EQ(test, vm->size, 5 * PAGE_SIZE);		/* 4 pages + the guard */
	KUNIT_EXPECT_EQ(test, vm->nr_pages, 4U);
	KUNIT_EXPECT_EQ(test, global_node_page_state(NR_VMALLOC), before + 4);
	KUNIT_EXPECT_EQ(test, vmalloc_nr_areas(), areas + 1);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, prot_at(p + i * PAGE_SIZE), vm_prot(PAGE_KERNEL));	/* RW, NX, Normal */
	KUNIT_EXPECT_EQ(test, prot_at(p + 4 * PAGE_SIZE), 0U);	/* the guard page is unmapped */
	KUNIT_EXPECT_EQ(test, find_vm_area(p + 4 * PAGE_SIZE), vm);	/* ...but belongs to the area */
	/* Contents: what is written at the vmalloc address is in the pages, in order. */
	for (i = 0; i < n; i++) {
		if (VMALLOC_VA_LIVE)
			p[i] = (char)(i * 7 + 1);
		else
			*alias(p, i) = (unsigned char)(i * 7 + 1);
	}
	for (i = 0; i < n; i += 97)
		KUNIT_EXPECT_EQ(test, *alias(p, i), (unsigned char)(i * 7 + 1));
	for (i = 1; i < 4; i++)
		KUNIT_EXPECT_NE(test, vmalloc_to_page(p), vmalloc_to_page(p + i * PAGE_SIZE));
	EXPECT_VM_CONSISTENT(test);
	vfree(p);
	KUNIT_EXPECT_EQ(test, global_node_page_state(NR_VMALLOC), before);
	KUNIT_EXPECT_EQ(test, vmalloc_nr_areas(), areas);
	KUNIT_EXPECT_NULL(test, find_vm_area(p));
	KUNIT_EXPECT_EQ(test, prot_at(p), 0U);
	EXPECT_VM_CONSISTENT(test);
}

static void vzalloc_zeroes(struct kunit *test)
{
	unsigned long i, n = 8 * PAGE_SIZE;
	char *p = vmalloc(n);

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < n; i++)
		*alias(p, i) = 0xa5;		/* dirty pages go back to the buddy... */
	vfree(p);
	p = vzalloc(n);				/* ...and vzalloc must not show them */
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < n; i++) {
		if (*alias(p, i)) {
			KUNIT_FAIL_IF(test, true, break, "byte %lu is 0x%x", i, *alias(p, i));
		}
	}
	vfree(p);
}

static void vmap_maps_callers_pages(struct kunit *test)
{
	struct page *pages[3];
	unsigned int i;
	char *v;

	for (i = 0; i < 3; i++) {
		pages[2 - i] = alloc_page(GFP_KERNEL);	/* reversed: not physically in order */
		KUNIT_ASSERT_NOT_NULL(test, pages[2 - i]);
		memset(page_address(pages[2 - i]), 'a' + (2 - i), PAGE_SIZE);
	}
	v = vmap(pages, 3, 0, PAGE_KERNEL_RO);
	KUNIT_ASSERT_NOT_NULL(test, v);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, vmalloc_to_page(v + i * PAGE_SIZE), pages[i]);
		KUNIT_EXPECT_EQ(test, prot_at(v + i * PAGE_SIZE), vm_prot(PAGE_KERNEL_RO));
		if (VMALLOC_VA_LIVE)
			KUNIT_EXPECT_EQ(test, v[i * PAGE_SIZE + 5], 'a' + (int)i);
	}
	KUNIT_EXPECT_EQ(test, prot_at(v + 3 * PAGE_SIZE), 0U);
	KUNIT_EXPECT_EQ(test, find_vm_area(v)->flags & VM_MAP, VM_MAP);
	vunmap(v);
	KUNIT_EXPECT_EQ(test, prot_at(v), 0U);
	/* The pages are still the caller's, contents intact. */
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, *(char *)page_address(pages[i]), 'a' + (int)i);
		__free_page(pages[i]);
	}
	EXPECT_VM_CONSISTENT(test);
}

/* Renders /proc/vmallocinfo into buf. */
static void read_vmallocinfo(char *buf, size_t size)
{
	const struct debugfs_file *f = debugfs_lookup("/proc/vmallocinfo");
	struct seq_buf s;

	buf[0] = '\0';
	if (!f)
		return;
	seq_buf_init(&s, buf, size);
	f->show(&s);
}

#define INFO_SIZE	16384	/* room for /proc/vmallocinfo */

static void vmallocinfo_format(struct kunit *test)
{
	char want[160], one[200], sym[96], *line;
	char *info = test_buf_alloc(INFO_SIZE), *p = vmalloc(2 * PAGE_SIZE);
	struct vm_struct *vm;

	KUNIT_FAIL_IF(test, !info || !p, goto out, "no memory for the test");
	vm = find_vm_area(p);
	read_vmallocinfo(info, INFO_SIZE);
	snprintf(want, sizeof(want), "0x%0*lx-0x%0*lx %7lu ", (int)(2 * sizeof(long)), (unsigned long)p,
		 (int)(2 * sizeof(long)), (unsigned long)p + 3 * PAGE_SIZE, 3 * PAGE_SIZE);
	line = strstr(info, want);
	KUNIT_FAIL_IF(test, !line, goto out, "no line starting \"%s\" in:\n%s", want, info);
	snprintf(one, sizeof(one), "%.*s\n", (int)strcspn(line, "\n"), line);
	snprintf(want, sizeof(want), " %s pages=2 vmalloc\n", sprint_symbol(sym, sizeof(sym), vm->caller));
	/* The line ends with: caller, pages=, the kind. */
	KUNIT_EXPECT_STREQ(test, one + strlen(one) - min(strlen(one), strlen(want)), want);
	KUNIT_EXPECT_NE(test, vm->caller, 0UL);
out:
	vfree(p);
	if (info && p) {
		/* Freed lazily: listed as Linux lists it until the purge, then gone. */
		read_vmallocinfo(info, INFO_SIZE);
		snprintf(want, sizeof(want), "0x%0*lx-0x%0*lx %7lu unpurged vm_area\n", (int)(2 * sizeof(long)),
			 (unsigned long)p, (int)(2 * sizeof(long)), (unsigned long)p + 3 * PAGE_SIZE,
			 3 * PAGE_SIZE);
		KUNIT_EXPECT_SUBSTR(test, info, want);
		vm_unmap_aliases();
		read_vmallocinfo(info, INFO_SIZE);
		snprintf(want, sizeof(want), "0x%0*lx-", (int)(2 * sizeof(long)), (unsigned long)p);
		KUNIT_EXPECT_NULL(test, strstr(info, want));
	}
	test_buf_free(info, INFO_SIZE);
}

static void vfree_misuse_reported(struct kunit *test)
{
	char log[1024];
	struct page *pg = alloc_page(GFP_KERNEL);
	char *p = vmalloc(2 * PAGE_SIZE), *m;
	long before;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	m = vmap(&pg, 1, 0, PAGE_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	before = global_node_page_state(NR_VMALLOC);
	printk_capture_start(log, sizeof(log));
	vfree(p + PAGE_SIZE);		/* inside the area */
	vfree(m);			/* a vmap area */
	vunmap(p);			/* a vmalloc area */
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "Trying to vfree() bad address");
	KUNIT_EXPECT_SUBSTR(test, log, "not the start of its area");
	KUNIT_EXPECT_SUBSTR(test, log, "wrong kind of area");
	KUNIT_EXPECT_SUBSTR(test, log, "Trying to vunmap() bad address");
	/* Nothing changed: both areas are still mapped and accounted. */
	KUNIT_EXPECT_EQ(test, prot_at(p + PAGE_SIZE), vm_prot(PAGE_KERNEL));
	KUNIT_EXPECT_EQ(test, prot_at(m), vm_prot(PAGE_KERNEL));
	KUNIT_EXPECT_EQ(test, global_node_page_state(NR_VMALLOC), before);
	EXPECT_VM_CONSISTENT(test);
	vfree(p);
	printk_capture_start(log, sizeof(log));
	vfree(p);			/* double free */
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "no such vm area");
	vunmap(m);
	__free_page(pg);
	EXPECT_VM_CONSISTENT(test);
}

static void vmalloc_failure_leaves_nothing(struct kunit *test)
{
	unsigned long free_before, areas = vmalloc_nr_areas();
	unsigned long too_many = (totalram_pages() + 256) * PAGE_SIZE;
	char log[512];
	void *p;

	/* A failing allocation drains every CPU's lists: start from drained lists too. */
	drain_all_pages(NULL);
	free_before = nr_free_pages();
	printk_capture_start(log, sizeof(log));
	p = vmalloc(too_many);		/* more pages than the machine has */
	KUNIT_EXPECT_NULL(test, vmalloc(0));
	printk_capture_stop();
	KUNIT_EXPECT_NULL(test, p);
	KUNIT_EXPECT_SUBSTR(test, log, "vmalloc: allocation failure");
	KUNIT_EXPECT_EQ(test, vmalloc_nr_areas(), areas);
	/* Every page taken on the way was given back (the per-CPU lists may hold a batch). */
	KUNIT_EXPECT_LE(test, free_before, nr_free_pages() + 64);
	KUNIT_EXPECT_GE(test, free_before + 64, nr_free_pages());
	EXPECT_VM_CONSISTENT(test);
}

#define NR_STRESS 600
static void *stress_ptr[NR_STRESS];

/* Frees every stress area still held (in the array's order) — also the cleanup when an assert ends the case. */
static void vfree_stress(void *unused)
{
	int i;

	for (i = 0; i < NR_STRESS; i++) {
		vfree(stress_ptr[i]);
		stress_ptr[i] = NULL;
	}
}

static void vmalloc_many_areas(struct kunit *test)
{
	unsigned long areas = vmalloc_nr_areas();
	u64 rs = 42;
	int i, j;

	kunit_add_action(test, vfree_stress, NULL);
	for (i = 0; i < NR_STRESS; i++) {
		unsigned long n = PAGE_SIZE * (1 + kunit_rand(&rs) % 4);

		stress_ptr[i] = vmalloc(n);
		KUNIT_ASSERT_NOT_NULL(test, stress_ptr[i]);
		*alias(stress_ptr[i], n - 1) = (unsigned char)i;
	}
	KUNIT_EXPECT_EQ(test, vmalloc_nr_areas(), areas + NR_STRESS);
	EXPECT_VM_CONSISTENT(test);
	for (i = NR_STRESS - 1; i > 0; i--) {	/* free in a random order */
		void *t;

		j = kunit_rand(&rs) % (i + 1);
		t = stress_ptr[i], stress_ptr[i] = stress_ptr[j], stress_ptr[j] = t;
	}
	for (i = 0; i < NR_STRESS / 2; i++) {	/* half, then a purge: the free tree fragments */
		vfree(stress_ptr[i]);
		stress_ptr[i] = NULL;
	}
	vm_unmap_aliases();
	EXPECT_VM_CONSISTENT(test);
	vfree_stress(NULL);
	KUNIT_EXPECT_EQ(test, vmalloc_nr_areas(), areas);
	EXPECT_VM_CONSISTENT(test);
}

static void guard_fault_described(struct kunit *test)
{
	char buf[200], want[96];
	char *p = vmalloc(PAGE_SIZE);
	unsigned long a = (unsigned long)p;

	KUNIT_ASSERT_NOT_NULL(test, p);
	snprintf(want, sizeof(want), "the vmalloc area 0x%lx-0x%lx (8192 bytes", a, a + 2 * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, vmalloc_describe_fault(a + PAGE_SIZE + 8, buf, sizeof(buf)));
	KUNIT_EXPECT_SUBSTR(test, buf, "in the guard page of the vmalloc area");
	KUNIT_EXPECT_SUBSTR(test, buf, want);
	KUNIT_ASSERT_NOT_NULL(test, vmalloc_describe_fault(a + 8, buf, sizeof(buf)));
	KUNIT_EXPECT_SUBSTR(test, buf, "inside the vmalloc area");
	vfree(p);
	KUNIT_ASSERT_NOT_NULL(test, vmalloc_describe_fault(a + 8, buf, sizeof(buf)));
	KUNIT_EXPECT_SUBSTR(test, buf, "recently freed: the vmalloc area");
	KUNIT_EXPECT_NULL(test, vmalloc_describe_fault((unsigned long)PAGE_OFFSET + 8, buf, sizeof(buf)));
}

/* ---- lazy free: one flush for a burst of frees ------------------------------------------- */

#define NR_BURST	32

static long flushes(void)
{
	return atomic_read(&init_mm.nr_flushes);
}

/* The areas a case holds, freed at its end by vfree_held if an assertion cut it short. */
static void *held[NR_BURST];
static int nr_held;

static void vfree_held(void *unused)
{
	while (nr_held > 0) {
		vfree(held[--nr_held]);
		held[nr_held] = NULL;	/* no stale address in .bss to hide a later leak from kmemleak */
	}
}

/* vmalloc(size) kept in held[]; NULL when there is no memory (a KUNIT_ASSERT's cue). */
static void *vmalloc_held(struct kunit *test, unsigned long size)
{
	void *p = vmalloc(size);

	if (p) {
		if (!nr_held)
			kunit_add_action(test, vfree_held, NULL);
		held[nr_held++] = p;
	}
	return p;
}

/* N vfree cost no flush; the purge that follows costs exactly one; no VA is reused before it. */
static void vfree_burst_one_flush(struct kunit *test)
{
	struct vmap_lazy_stats st0, st;
	unsigned long addr[NR_BURST];
	long before;
	char *p;
	int i;

	vm_unmap_aliases();
	vmap_lazy_stats(&st0);
	for (i = 0; i < NR_BURST; i++) {
		p = vmalloc_held(test, 2 * PAGE_SIZE);
		KUNIT_ASSERT_NOT_NULL(test, p);
		addr[i] = (unsigned long)p;
	}
	nr_held = 0;		/* from here the case frees them itself */
	memset(held, 0, sizeof(held));	/* addr[] has them; no stale copy in .bss for kmemleak */
	before = flushes();
	for (i = 0; i < NR_BURST; i++) {
		vfree((void *)addr[i]);
		KUNIT_EXPECT_EQ(test, prot_at((void *)addr[i]), 0U);	/* unmapped at once... */
	}
	KUNIT_EXPECT_EQ(test, flushes(), before);			/* ...with no flush yet */
	vmap_lazy_stats(&st);
	KUNIT_EXPECT_EQ(test, st.lazy_areas, (unsigned long)NR_BURST);
	KUNIT_EXPECT_EQ(test, st.lazy_pages, 3UL * NR_BURST);
	KUNIT_EXPECT_EQ(test, st.purges, st0.purges);
	EXPECT_VM_CONSISTENT(test);
	p = vmalloc(2 * PAGE_SIZE);	/* the lowest fit, were the freed VAs reusable, is addr[0] */
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < NR_BURST; i++)
		KUNIT_EXPECT_NE(test, (unsigned long)p, addr[i]);
	vfree(p);
	before = flushes();
	vm_unmap_aliases();
	KUNIT_EXPECT_EQ(test, flushes(), before + 1);			/* one shootdown for all */
	vmap_lazy_stats(&st);
	KUNIT_EXPECT_EQ(test, st.lazy_areas, 0UL);
	KUNIT_EXPECT_EQ(test, st.purges, st0.purges + 1);
	vm_unmap_aliases();
	KUNIT_EXPECT_EQ(test, flushes(), before + 1);			/* nothing owed: no flush */
	p = vmalloc(2 * PAGE_SIZE);					/* the VA is free again */
	KUNIT_EXPECT_EQ(test, (unsigned long)p, addr[0]);
	vfree(p);
	EXPECT_VM_CONSISTENT(test);
}

static void restore_lazy_max(void *old)
{
	vmap_set_lazy_max((unsigned long)old);
	vm_unmap_aliases();
}

/* Past the threshold, the vfree that crosses it purges (one flush), by itself. */
static void lazy_threshold_purges(struct kunit *test)
{
	struct vmap_lazy_stats st0, st;
	void *p[9];
	long before;
	int i;

	vm_unmap_aliases();
	kunit_add_action(test, restore_lazy_max, (void *)vmap_set_lazy_max(16));
	vmap_lazy_stats(&st0);
	KUNIT_EXPECT_EQ(test, st0.max_pages, 16UL);
	for (i = 0; i < 9; i++) {
		p[i] = vmalloc_held(test, PAGE_SIZE);	/* 2 pages of VA with the guard */
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	nr_held = 0;
	memset(held, 0, sizeof(held));	/* p[] has them; as above */
	before = flushes();
	for (i = 0; i < 8; i++)
		vfree(p[i]);			/* 16 pages: not past it */
	vmap_lazy_stats(&st);
	KUNIT_EXPECT_EQ(test, st.lazy_pages, 16UL);
	KUNIT_EXPECT_EQ(test, st.purges, st0.purges);
	KUNIT_EXPECT_EQ(test, flushes(), before);
	vfree(p[8]);				/* 18: purged */
	vmap_lazy_stats(&st);
	KUNIT_EXPECT_EQ(test, st.lazy_pages, 0UL);
	KUNIT_EXPECT_EQ(test, st.purges, st0.purges + 1);
	KUNIT_EXPECT_EQ(test, flushes(), before + 1);
	EXPECT_VM_CONSISTENT(test);
}

#define NR_CHUNKS	24
static struct vm_struct *chunk[NR_CHUNKS];

static void free_chunks(void *unused)
{
	int i;

	for (i = 0; i < NR_CHUNKS; i++) {
		if (chunk[i])
			free_vm_area(chunk[i]);	/* never mapped: nothing to flush */
		chunk[i] = NULL;
	}
	vm_unmap_aliases();
}

/* A full space purges the lazy areas before it fails an allocation. */
static void purge_before_failing(struct kunit *test)
{
	unsigned long size = ALIGN_DOWN(vmalloc_total() / 16, PAGE_SIZE) - PAGE_SIZE;
	struct vmap_lazy_stats st0, st;
	struct vm_struct *last;
	int n;

	vm_unmap_aliases();
	kunit_add_action(test, restore_lazy_max, (void *)vmap_set_lazy_max(~0UL >> 1));
	kunit_add_action(test, free_chunks, NULL);
	for (n = 0; n < NR_CHUNKS; n++) {		/* fill the space with VA-only areas */
		chunk[n] = get_vm_area_caller(size, PAGE_SIZE, VM_MAP, _RET_IP_);
		if (!chunk[n])
			break;
	}
	KUNIT_ASSERT_LT(test, n, NR_CHUNKS);		/* the space is full */
	KUNIT_ASSERT_GT(test, n, 0);
	vmap_lazy_stats(&st0);
	last = chunk[n - 1];
	chunk[n - 1] = NULL;
	vunmap(last->addr);				/* freed lazily: its VA still taken */
	vmap_lazy_stats(&st);
	KUNIT_EXPECT_EQ(test, st.lazy_areas, 1UL);
	chunk[n - 1] = get_vm_area_caller(size, PAGE_SIZE, VM_MAP, _RET_IP_);
	KUNIT_EXPECT_NOT_NULL(test, chunk[n - 1]);	/* found room: the purge made it */
	vmap_lazy_stats(&st);
	KUNIT_EXPECT_EQ(test, st.lazy_areas, 0UL);
	KUNIT_EXPECT_EQ(test, st.purges, st0.purges + 1);
	EXPECT_VM_CONSISTENT(test);
}

kunit_test_suite_init(vmalloc, vm_test_init, NULL,
	KUNIT_CASE(vmalloc_maps_pages_and_guard),
	KUNIT_CASE(vzalloc_zeroes),
	KUNIT_CASE(vmap_maps_callers_pages),
	KUNIT_CASE(vmallocinfo_format),
	KUNIT_CASE(vfree_misuse_reported),
	KUNIT_CASE(vmalloc_failure_leaves_nothing),
	KUNIT_CASE(vmalloc_many_areas),
	KUNIT_CASE(guard_fault_described),
	KUNIT_CASE(vfree_burst_one_flush),
	KUNIT_CASE(lazy_threshold_purges),
	KUNIT_CASE(purge_before_failing));

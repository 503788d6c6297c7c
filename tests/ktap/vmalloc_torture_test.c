/* vmalloc_torture_test.c: KTAP suite — vmap, ioremap-style and vmalloc areas made and freed on every CPU at once. */
#include <kernel/atomic.h>
#include <kernel/debugfs.h>
#include <kernel/kunit.h>
#include <kernel/seq_buf.h>
#include <kernel/smp.h>
#include <mm/io.h>
#include <mm/mm.h>
#include <mm/mmzone.h>
#include <mm/pgtable.h>
#include <mm/vmalloc.h>
#include <mm/vmstat.h>
#include <string.h>
#include "test_buf.h"
#include "vm_test.h"

/*
 * Every online CPU runs the same worker at once (on_each_cpu): VT_ITERS
 * random steps over its own VT_SLOTS slots; an empty slot gets an area (vmap
 * of 1-4 pages, or an ioremap-style VM_IOREMAP area of a physically
 * contiguous run, or vmalloc), each page stamped through the new VA and
 * checked through the linear map; a full slot is checked through its VA, then
 * freed (vunmap, iounmap, vfree: lazily, with purges by whichever CPU crosses
 * the threshold, set low so they happen all the time and race with the
 * others' maps). Each map and each unmap counts one operation.
 *
 * Afterwards (one purge): /proc/vmallocinfo is byte for byte what it was,
 * vmalloc_check() holds, and, with the per-CPU lists drained, the free pages
 * and PageTables are back to the page.
 *
 * The vmap and ioremap-style areas use pages taken on the boot CPU before the
 * run, so the only page-allocator calls during the run are the page-table
 * pages, made and freed under init_mm.page_table_lock (the area pools are
 * warmed up first). vmalloc takes its pages from the buddy on every CPU (the
 * SMP page allocator: zone->lock, a per-CPU list per CPU).
 */
/*
 * Steps per CPU. Under QEMU the four vCPUs share the build machine's cores: a
 * vCPU holding a lock is often descheduled while the others spin for it, so a
 * contended lock changes hands only tens of times a second on a loaded 2-core
 * box. The kernel run is sized for that (under a minute); the host, where the
 * threads hand locks over in microseconds, runs eighty times as many
 * (TORTURE_SIZE in kunit.h).
 */
#define VT_ITERS	TORTURE_SIZE(12000, 150)
#define VT_SLOTS	8
#define VT_BLOCK_ORDER	2	/* a slot's pages: 4, physically contiguous */
#define VT_LAZY_MAX	64	/* pages: a purge every dozen frees or so */
#define VT_INFO_SIZE	16384

enum vt_kind { VT_NONE, VT_VMAP, VT_IOREMAP, VT_VMALLOC };

struct vt_slot {
	enum vt_kind kind;
	void *va;
	unsigned int n;		/* pages mapped */
	unsigned long stamp;
};

struct vt_cpu {
	struct page *block[VT_SLOTS];
	struct vt_slot slot[VT_SLOTS];
	u64 rng;
	unsigned long ops, errors, last_err;
};

struct vt_run {
	struct vt_cpu cpu[CONFIG_NR_CPUS];
	bool with_vmalloc;	/* the vmalloc kind is drawn too */
	atomic_t ops;
	atomic_t errors;
};

static struct vt_run vt;

/* The word at page j of the slot's area, read or written through the VA (or, on the host, its page). */
static unsigned long *vt_word(struct vt_slot *s, unsigned int j)
{
	void *va = (char *)s->va + (unsigned long)j * PAGE_SIZE;
	struct page *p;

	if (VMALLOC_VA_LIVE)
		return va;
	p = vmalloc_to_page(va);
	return p ? page_address(p) : NULL;
}

static void vt_error(struct vt_cpu *c, unsigned long where)
{
	c->errors++;
	c->last_err = where;
}

/* Maps slot i of c as kind; stamps each page through the VA, checks it through the linear map. */
static void vt_map(struct vt_cpu *c, unsigned int i, enum vt_kind kind, unsigned int n)
{
	struct vt_slot *s = &c->slot[i];
	struct page *pages[1u << VT_BLOCK_ORDER];
	struct vm_struct *vm;
	unsigned int j;

	for (j = 0; j < n; j++)
		pages[j] = c->block[i] + j;
	s->va = NULL;
	if (kind == VT_VMAP) {
		s->va = vmap(pages, n, 0, PAGE_KERNEL);
	} else if (kind == VT_VMALLOC) {
		s->va = vmalloc((unsigned long)n * PAGE_SIZE);
	} else {
		vm = get_vm_area_caller((unsigned long)n * PAGE_SIZE, PAGE_SIZE, VM_IOREMAP, _RET_IP_);
		if (vm && !vmap_range((unsigned long)vm->addr, page_to_phys(pages[0]),
				      (unsigned long)n * PAGE_SIZE, PAGE_KERNEL)) {
			vm->phys_addr = page_to_phys(pages[0]);
			s->va = vm->addr;
		} else if (vm) {
			free_vm_area(vm);
		}
	}
	c->ops++;
	if (!s->va)
		return vt_error(c, __LINE__);
	s->kind = kind;
	s->n = n;
	s->stamp = (kunit_rand(&c->rng) << 8) | i;
	for (j = 0; j < n; j++) {
		unsigned long *w = vt_word(s, j);

		if (!w)
			return vt_error(c, __LINE__);
		WRITE_ONCE(*w, s->stamp + j);
		/* the VA maps the page it should: the stamp shows through the linear map */
		if (kind != VT_VMALLOC && READ_ONCE(*(unsigned long *)page_address(pages[j])) != s->stamp + j)
			vt_error(c, __LINE__);
	}
}

/* Checks slot i's stamps through its VA, then frees the area (lazily). */
static void vt_unmap(struct vt_cpu *c, unsigned int i)
{
	struct vt_slot *s = &c->slot[i];
	unsigned int j;

	for (j = 0; j < s->n; j++) {
		unsigned long *w = vt_word(s, j);

		if (!w || READ_ONCE(*w) != s->stamp + j)
			vt_error(c, __LINE__);
	}
	if (s->kind == VT_VMAP)
		vunmap(s->va);
	else if (s->kind == VT_VMALLOC)
		vfree(s->va);
	else
		iounmap((void __iomem *)s->va);
	c->ops++;
	s->kind = VT_NONE;
	s->va = NULL;	/* no stale address in .bss to hide a later leak from kmemleak */
}

static void vt_worker(void *info)
{
	struct vt_run *r = info;
	struct vt_cpu *c = &r->cpu[smp_processor_id()];
	unsigned int it, i, kinds = r->with_vmalloc ? 3 : 2;

	for (it = 0; it < VT_ITERS; it++) {
		u64 x = kunit_rand(&c->rng);

		i = x % VT_SLOTS;
		if (c->slot[i].kind != VT_NONE)
			vt_unmap(c, i);
		else
			vt_map(c, i, (enum vt_kind)(VT_VMAP + (x >> 8) % kinds),
			       1 + (unsigned int)((x >> 16) % (1u << VT_BLOCK_ORDER)));
	}
	for (i = 0; i < VT_SLOTS; i++)
		if (c->slot[i].kind != VT_NONE)
			vt_unmap(c, i);
	atomic_add((int)c->ops, &r->ops);
	atomic_add((int)c->errors, &r->errors);
}

static void vt_read_info(char *buf)
{
	const struct debugfs_file *f = debugfs_lookup("/proc/vmallocinfo");
	struct seq_buf s;

	buf[0] = '\0';
	if (f) {
		seq_buf_init(&s, buf, VT_INFO_SIZE);
		f->show(&s);
	}
}

/* Gives every CPU's pages back and the threshold its old value: the cleanup on every path. */
static void vt_cleanup(void *old_max)
{
	unsigned int cpu, i;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		for (i = 0; i < VT_SLOTS; i++)
			if (vt.cpu[cpu].block[i]) {
				__free_pages(vt.cpu[cpu].block[i], VT_BLOCK_ORDER);
				vt.cpu[cpu].block[i] = NULL;
			}
	vmap_set_lazy_max((unsigned long)old_max);
	vm_unmap_aliases();
}

/*
 * The area pools (vm_structs, free-range nodes; never given back) grow to what
 * the run can need, here, before it: at most VT_SLOTS live areas per CPU and
 * VT_LAZY_MAX / 2 lazy ones, so fewer than VT_WARM / 2 free ranges at once.
 * (The vmalloc suite's many-areas case grows them further, so a whole
 * selftest run leaves MemFree as it found it.)
 */
#define VT_WARM	192

static void vt_warm_pools(void)
{
	static void *a[VT_WARM];
	unsigned int i;

	for (i = 0; i < VT_WARM; i++)
		a[i] = vmalloc(PAGE_SIZE);
	for (i = 0; i < VT_WARM; i += 2)
		vfree(a[i]);
	vm_unmap_aliases();	/* VT_WARM / 2 separate free ranges: the node pool holds that many */
	for (i = 1; i < VT_WARM; i += 2)
		vfree(a[i]);
	vm_unmap_aliases();
	memset(a, 0, sizeof(a));	/* as in vt_unmap: nothing stale for kmemleak's scan */
}

/* The run: every online CPU (or, without vmalloc-safe buddy, only this one) at once, then the checks. */
static void vt_run(struct kunit *test, bool with_vmalloc, bool all_cpus)
{
	char *before = test_buf_alloc(VT_INFO_SIZE), *after = test_buf_alloc(VT_INFO_SIZE);
	unsigned long free0, cpus = all_cpus ? num_online_cpus() : 1;
	long tables0;
	unsigned int cpu, i;

	KUNIT_FAIL_IF(test, !before || !after, goto out, "no memory for the test");
	kunit_add_action(test, vt_cleanup, (void *)vmap_set_lazy_max(VT_LAZY_MAX));
	memset(&vt, 0, sizeof(vt));
	vt.with_vmalloc = with_vmalloc;
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		vt.cpu[cpu].rng = 0x7e57ab1e0000ULL + cpu;
		for (i = 0; cpu < cpus && i < VT_SLOTS; i++) {
			vt.cpu[cpu].block[i] = alloc_pages(GFP_KERNEL, VT_BLOCK_ORDER);
			KUNIT_FAIL_IF(test, !vt.cpu[cpu].block[i], goto out, "no pages for the test");
		}
	}
	vt_warm_pools();
	vt_read_info(before);
	drain_all_pages(NULL);
	free0 = nr_free_pages();
	tables0 = global_node_page_state(NR_PAGETABLE);
	if (all_cpus)
		on_each_cpu(vt_worker, &vt, 1);
	else
		vt_worker(&vt);
	vm_unmap_aliases();
	drain_all_pages(NULL);
	kunit_info(test, "%d operations on %lu CPU(s)", atomic_read(&vt.ops), cpus);
	KUNIT_EXPECT_GE(test, (long)atomic_read(&vt.ops), (long)(cpus * VT_ITERS));
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		KUNIT_FAIL_IF(test, vt.cpu[cpu].errors, (void)0, "CPU%u: %lu errors (the last at line %lu)",
			      cpu, vt.cpu[cpu].errors, vt.cpu[cpu].last_err);
	vt_read_info(after);
	KUNIT_EXPECT_STREQ(test, after, before);	/* no test area left, none unpurged */
	KUNIT_FAIL_IF(test, vmalloc_check(), (void)0, "vmalloc_check: %s", vmalloc_check());
	KUNIT_EXPECT_EQ(test, nr_free_pages(), free0);	/* MemFree back to the page */
	KUNIT_EXPECT_EQ(test, global_node_page_state(NR_PAGETABLE), tables0);
out:
	test_buf_free(before, VT_INFO_SIZE);
	test_buf_free(after, VT_INFO_SIZE);
}

static bool vt_smp(struct kunit *test)
{
	if (num_online_cpus() < 2) {
		kunit_mark_skipped(test, "needs a second CPU online");
		return false;
	}
	return true;
}

/* vmap and ioremap-style areas on every CPU at once (pages taken before the run). */
static void vmap_ioremap_all_cpus(struct kunit *test)
{
	if (vt_smp(test))
		vt_run(test, false, true);
}

/* vmalloc too, on every CPU: its pages come from the buddy on each of them. */
static void vmalloc_vfree_all_cpus(struct kunit *test)
{
	vt_run(test, true, num_online_cpus() > 1);
}

static int vt_init(void)
{
	return vm_test_init();
}

kunit_test_suite_init(vmalloc_torture, vt_init, NULL,
	KUNIT_CASE(vmap_ioremap_all_cpus),
	KUNIT_CASE(vmalloc_vfree_all_cpus));

/* vmalloc.c: the vmalloc space — areas with guard pages, vmalloc/vfree, vmap/vunmap, vmallocinfo. */
#include <mm/vmalloc.h>
#include <mm/fault-inject.h>
#include <mm/io.h>
#include <mm/kasan.h>
#include <mm/kmemleak.h>
#include <mm/mm.h>
#include <mm/pgtable.h>
#include <mm/prot.h>
#include <mm/vmstat.h>
#include <kernel/bug.h>
#include <kernel/debugfs.h>
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <string.h>
#include <stdio.h>

/*
 * State: the free VA ranges (vmap_space, an augmented treap: vmap_area.c),
 * the busy areas by start address (busy_root, a treap of vm_struct.va), the
 * lazily freed areas (purge_list), and a pool of vm_structs. Every operation
 * is O(log n) expected in the number of areas, plus the work of mapping.
 *
 * SMP. vmap_area_lock (Linux's name) protects everything below it; it is held
 * only for tree work, never while mapping or flushing, so it nests outside
 * nothing but zone->lock (the pools take pages under it). vmap_purge_lock
 * makes purges one at a time: a CPU that finds the space full while another
 * purges waits for that purge instead of failing. Order (include/mm/pgtable.h):
 *   vmap_purge_lock -> init_mm.page_table_lock -> zone->lock
 *   vmap_purge_lock -> vmap_area_lock -> zone->lock
 *
 * LAZY FREE (Linux's lazy vunmap; its lazy_max_pages/purge_vmap_area_lazy).
 * vfree, vunmap and iounmap empty the area's page-table entries at once (a
 * stray access to the freed VA faults, unless a stale TLB entry still holds
 * it) and give its pages back at once, as Linux does — but they do no TLB
 * maintenance: the area goes on purge_list, still reserved, so its VA cannot
 * be handed out again while another CPU may still translate it. When the lazy
 * areas pass lazy_max_pages(), or an allocation finds no room, a purge takes
 * them all: under init_mm.page_table_lock it unhooks the page tables they
 * emptied, does ONE flush_tlb_kernel_range over the union of their ranges
 * (pt_reclaim_tables + pt_gather_flush), frees those tables, then returns the
 * VAs to the free tree. A burst of N vfree costs one shootdown, not N. Why
 * unmap at once rather than leave the area mapped until the purge: the pages
 * can go back to the buddy immediately (MemFree does not wait for a purge),
 * and a use after free faults on every CPU whose TLB does not hold the entry.
 * /proc/vmallocinfo shows the lazy areas, as Linux does, as
 * "unpurged vm_area" lines after the busy ones, so it stays exact about what
 * VA is taken.
 */
static DEFINE_SPINLOCK(vmap_area_lock);
static DEFINE_SPINLOCK(vmap_purge_lock);
static struct va_space vmap_space;	/* vmap_area_lock */
static struct va_node *busy_root;	/* vmap_area_lock */
static struct va_pool vm_pool;		/* vmap_area_lock */
static unsigned long nr_areas;		/* vmap_area_lock: areas in busy_root */
static struct vm_struct *purge_list;	/* vmap_area_lock: lazily freed, VA still reserved */
static unsigned long vmap_lazy_nr;	/* vmap_area_lock: pages (guards included) on purge_list */
static unsigned long vmap_lazy_areas;	/* vmap_area_lock: areas on purge_list */
static unsigned long nr_purges;		/* vmap_area_lock: purges that flushed something */
static unsigned long lazy_max_override;	/* vmap_area_lock: tests' threshold, 0 = lazy_max_pages() */
static bool vmalloc_ready;		/* set once at boot */

/* The last few freed areas, so a fault in free space can say what used to be there (vmap_area_lock). */
#define NR_FREED_HISTORY 8
static struct vm_struct freed_history[NR_FREED_HISTORY];
static unsigned int freed_next;
static struct pt_gather purge_gather;	/* vmap_purge_lock: purge_flush's, too big for the stack */

static void *vmalloc_get_page(void)
{
	return (void *)__get_free_pages(GFP_KERNEL, 0);
}

void vmalloc_init(void)
{
	if (vmalloc_ready)
		return;
	va_space_init(&vmap_space, VMALLOC_START, VMALLOC_END, vmalloc_get_page);
	vm_pool.obj_size = ALIGN(sizeof(struct vm_struct), sizeof(void *));
	vm_pool.get_page = vmalloc_get_page;
	/* freed areas' addresses (fault reports, the purge's ranges): no references for kmemleak */
	kmemleak_no_scan_static(freed_history, sizeof(freed_history));
	kmemleak_no_scan_static(&purge_gather, sizeof(purge_gather));
	vmalloc_ready = true;
	pr_info("vmalloc: %lu %s at 0x%lx-0x%lx, a guard page after each area\n",
		vmalloc_total() >> 30 ? vmalloc_total() >> 30 : vmalloc_total() >> 20,
		vmalloc_total() >> 30 ? "GiB" : "MiB", (unsigned long)VMALLOC_START,
		(unsigned long)VMALLOC_END);
}

bool is_vmalloc_addr(const void *addr)
{
	uintptr_t a = (uintptr_t)addr;

	return a >= VMALLOC_START && a < VMALLOC_END;
}

/* ---- areas ---------------------------------------------------------------------------- */

/* A new busy area of total bytes (guard included), or NULL if the space has no room. */
static struct vm_struct *alloc_vm_area(unsigned long total, unsigned long align, unsigned int flags,
				       unsigned long caller)
{
	struct vm_struct *vm;
	unsigned long addr = 0;

	spin_lock(&vmap_area_lock);
	vm = va_pool_get(&vm_pool);
	if (vm)
		addr = va_space_alloc(&vmap_space, total, align);
	if (vm && !addr) {
		va_pool_put(&vm_pool, vm);
		vm = NULL;
	}
	if (vm) {
		*vm = (struct vm_struct){ .addr = (void *)addr, .size = total, .flags = flags,
					  .caller = caller };
		vm->va.start = addr;
		vm->va.end = addr + total;
		INIT_LIST_HEAD(&vm->pages);
		va_tree_insert(&busy_root, &vm->va);
		nr_areas++;
	}
	spin_unlock(&vmap_area_lock);
	return vm;
}

struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long align, unsigned int flags,
				     unsigned long caller)
{
	unsigned long total;
	struct vm_struct *vm;

	if (!vmalloc_ready || !size)
		return NULL;
	size = ALIGN(size, PAGE_SIZE);
	total = size + (flags & VM_NO_GUARD ? 0 : PAGE_SIZE);
	if (total < size)
		return NULL;
	align = align < PAGE_SIZE ? PAGE_SIZE : align;
	vm = alloc_vm_area(total, align, flags, caller);
	/* No room: the lazily freed areas may hold it. Purge them (or wait for a purge) and retry. */
	if (!vm && purge_vmap_area_lazy())
		vm = alloc_vm_area(total, align, flags, caller);
	if (vm)
		kasan_unpoison_vmalloc(vm->addr, total, total);
	return vm;
}

static struct vm_struct *__find_vm_area(const void *addr)
{
	struct va_node *n = va_tree_find(busy_root, (unsigned long)addr);

	return n ? container_of(n, struct vm_struct, va) : NULL;
}

struct vm_struct *find_vm_area(const void *addr)
{
	struct vm_struct *vm;

	if (!vmalloc_ready)
		return NULL;
	spin_lock(&vmap_area_lock);
	vm = __find_vm_area(addr);
	spin_unlock(&vmap_area_lock);
	return vm;
}

/* Takes vm out of the busy tree (vmap_area_lock held). */
static void unlink_vm_area(struct vm_struct *vm)
{
	va_tree_erase(&busy_root, &vm->va);
	nr_areas--;
	freed_history[freed_next++ % NR_FREED_HISTORY] = *vm;
}

struct vm_struct *remove_vm_area(const void *addr)
{
	struct vm_struct *vm;

	if (!vmalloc_ready)
		return NULL;
	spin_lock(&vmap_area_lock);
	vm = __find_vm_area(addr);
	if (vm && vm->addr == addr)
		unlink_vm_area(vm);
	else
		vm = NULL;
	spin_unlock(&vmap_area_lock);
	return vm;
}

/* free_vm_area: gives the VA range back at once (the mapping must be gone AND flushed). */
void free_vm_area(struct vm_struct *vm)
{
	spin_lock(&vmap_area_lock);
	if (__find_vm_area(vm->addr) == vm)
		unlink_vm_area(vm);
	va_space_free(&vmap_space, (unsigned long)vm->addr, vm->size);
	va_pool_put(&vm_pool, vm);
	spin_unlock(&vmap_area_lock);
}

/* ---- lazy free and the purge ---------------------------------------------------------- */

/*
 * lazy_max_pages: Linux's threshold, 32 MiB of lazy VA per doubling of the
 * CPUs (fls(num_online_cpus()) * 32 MiB: 96 MiB on four), but never more than
 * an eighth of the space (x86's vmalloc space is 112 MiB).
 */
static unsigned long lazy_max_pages(void)
{
	unsigned int cpus = num_online_cpus() ? num_online_cpus() : 1;
	unsigned long fls_cpus = 32 - (unsigned long)__builtin_clz(cpus);	/* Linux's fls() */
	unsigned long pages = fls_cpus * ((32 * SZ_1M) >> PAGE_SHIFT);
	unsigned long cap = (VMALLOC_END - VMALLOC_START) >> (PAGE_SHIFT + 3);

	if (lazy_max_override)
		return lazy_max_override;
	return min(pages, cap);
}

/*
 * free_vm_area_lazy: the area is out of the busy tree and its leaves are
 * empty (pt_unmap_noflush): it waits on purge_list, VA reserved, for the next
 * purge; past the threshold this call purges.
 */
static void free_vm_area_lazy(struct vm_struct *vm)
{
	bool over;

	spin_lock(&vmap_area_lock);
	vm->next_lazy = purge_list;
	purge_list = vm;
	vmap_lazy_nr += vm->size >> PAGE_SHIFT;
	vmap_lazy_areas++;
	over = vmap_lazy_nr > lazy_max_pages();
	spin_unlock(&vmap_area_lock);
	if (over)
		purge_vmap_area_lazy();
}

void vunmap_area_lazy(struct vm_struct *vm)
{
	if (pt_unmap_noflush(&init_mm, (unsigned long)vm->addr, get_vm_area_size(vm))) {
		/* a block at an end could not be split: unmapped nothing; the VA stays taken */
		printk("vmalloc: could not unmap 0x%lx (%lu bytes): area leaked\n",
		       (unsigned long)vm->addr, vm->size);
		return;
	}
	free_vm_area_lazy(vm);
}

/* The purge's middle: one flush over every lazy area, their emptied tables freed after it. */
static void purge_flush(struct vm_struct *list)
{
	struct vm_struct *vm;

	spin_lock(&init_mm.page_table_lock);
	for (vm = list; vm; vm = vm->next_lazy)
		pt_reclaim_tables(&init_mm, (unsigned long)vm->addr, vm->size, &purge_gather);
	pt_gather_flush(&purge_gather);
	spin_unlock(&init_mm.page_table_lock);
}

bool purge_vmap_area_lazy(void)
{
	struct vm_struct *list, *vm, *next;
	unsigned long before;
	bool made_room;

	spin_lock(&vmap_area_lock);
	before = nr_purges;
	spin_unlock(&vmap_area_lock);
	spin_lock(&vmap_purge_lock);
	spin_lock(&vmap_area_lock);
	list = purge_list;
	purge_list = NULL;
	vmap_lazy_nr = 0;
	vmap_lazy_areas = 0;
	spin_unlock(&vmap_area_lock);
	if (list)
		purge_flush(list);
	spin_lock(&vmap_area_lock);
	for (vm = list; vm; vm = next) {
		next = vm->next_lazy;
		va_space_free(&vmap_space, (unsigned long)vm->addr, vm->size);
		va_pool_put(&vm_pool, vm);
	}
	nr_purges += list != NULL;
	made_room = nr_purges != before;	/* by us, or by a purge we waited for */
	spin_unlock(&vmap_area_lock);
	spin_unlock(&vmap_purge_lock);
	return made_room;
}

void vm_unmap_aliases(void)
{
	if (vmalloc_ready)
		purge_vmap_area_lazy();
}

void vmap_lazy_stats(struct vmap_lazy_stats *st)
{
	spin_lock(&vmap_area_lock);
	st->lazy_areas = vmap_lazy_areas;
	st->lazy_pages = vmap_lazy_nr;
	st->max_pages = lazy_max_pages();
	st->purges = nr_purges;
	spin_unlock(&vmap_area_lock);
}

unsigned long vmap_set_lazy_max(unsigned long pages)
{
	unsigned long old;

	spin_lock(&vmap_area_lock);
	old = lazy_max_override;
	lazy_max_override = pages;
	spin_unlock(&vmap_area_lock);
	return old;
}

/* ---- the kernel page table ------------------------------------------------------------ */

int vmap_range(unsigned long addr, paddr_t pa, unsigned long size, unsigned long prot)
{
	return pt_map(&init_mm, addr, pa, size, (u32)prot);
}

void vunmap_range(unsigned long addr, unsigned long size)
{
	pt_unmap(&init_mm, addr, size);
}

struct page *vmalloc_to_page(const void *addr)
{
	struct pt_query q;

	if (!is_vmalloc_addr(addr) || pt_query(&init_mm, (unsigned long)addr, &q))
		return NULL;
	return pfn_valid(PHYS_PFN(q.pa)) ? phys_to_page(q.pa) : NULL;
}

/* ---- vmalloc / vfree ------------------------------------------------------------------ */

/*
 * A vmalloc area takes its pages in blocks of up to 2^VMALLOC_MAX_ORDER pages
 * (64 KiB, the arm64 contiguous-hint span) while the buddy has them, falling
 * back to smaller orders, down to single pages, when it does not: fewer
 * allocator calls and map calls, and TLB-friendly runs, without needing
 * physically contiguous memory. Each block's head page is on vm->pages with
 * its order in ->private.
 */
#define VMALLOC_MAX_ORDER	4

static int alloc_area_pages(struct vm_struct *vm, unsigned long n, gfp_t gfp)
{
	unsigned int order = VMALLOC_MAX_ORDER;
	unsigned long got = 0;

	while (got < n) {
		struct page *p;

		while ((1UL << order) > n - got)
			order--;
		p = alloc_pages(gfp | __GFP_NOWARN, order);
		if (!p) {
			if (!order)
				return -1;
			order--;
			continue;
		}
		p->private = order;
		list_add_tail(&p->lru, &vm->pages);
		got += 1UL << order;
	}
	return 0;
}

/* Maps the blocks on vm->pages at vm->addr, one physically contiguous run per map call. */
static int map_area_pages(struct vm_struct *vm, u32 prot)
{
	unsigned long run_va = (unsigned long)vm->addr, run_len = 0;
	paddr_t run_pa = 0;
	struct page *p;

	list_for_each_entry(p, &vm->pages, lru) {
		paddr_t pa = page_to_phys(p);
		unsigned long len = PAGE_SIZE << p->private;

		if (run_len && pa == run_pa + run_len) {
			run_len += len;
			continue;
		}
		if (run_len && vmap_range(run_va, run_pa, run_len, prot))
			return -1;
		run_va += run_len;
		run_pa = pa;
		run_len = len;
	}
	return run_len ? vmap_range(run_va, run_pa, run_len, prot) : 0;
}

static void free_area_pages(struct vm_struct *vm)
{
	while (!list_empty(&vm->pages)) {
		struct page *p = list_first_entry(&vm->pages, struct page, lru);

		list_del(&p->lru);
		__free_pages(p, p->private);
	}
}

static void *__vmalloc_caller(unsigned long size, gfp_t gfp, unsigned long caller)
{
	unsigned long n = ALIGN(size, PAGE_SIZE) >> PAGE_SHIFT;
	struct vm_struct *vm;
	char sym[96];

	if (!size || n > (VMALLOC_END - VMALLOC_START) >> PAGE_SHIFT)
		goto fail;
	if (should_fail_vmalloc(size, gfp))
		goto fail;
	/* 64 KiB-aligned VAs let 64 KiB blocks take the contiguous hint. */
	vm = get_vm_area_caller(n << PAGE_SHIFT, n >= (1UL << VMALLOC_MAX_ORDER) ?
				PAGE_SIZE << VMALLOC_MAX_ORDER : PAGE_SIZE, VM_ALLOC, caller);
	if (!vm)
		goto fail;
	if (alloc_area_pages(vm, n, gfp))
		goto undo;
	vm->nr_pages = n;
	if (map_area_pages(vm, PAGE_KERNEL))
		goto undo;
	mod_node_page_state(NR_VMALLOC, n);
	kasan_populate_vmalloc((unsigned long)vm->addr, vm->size);
	/*
	 * min_count 1, not Linux's 2: Linux's vm_struct (kmalloc'd, scanned)
	 * always points at the area; pagoda's lives in the vmap pool's pages,
	 * which kmemleak does not scan.
	 */
	kmemleak_alloc(vm->addr, size, 1, gfp);
	return kasan_unpoison_vmalloc(vm->addr, size, vm->size);
undo:
	vunmap_range((unsigned long)vm->addr, n << PAGE_SHIFT);
	free_area_pages(vm);
	free_vm_area(vm);
fail:
	pr_warn("vmalloc: allocation failure: %lu bytes (caller %s)\n", size,
		sprint_symbol(sym, sizeof(sym), caller));
	return NULL;
}

void *vmalloc(unsigned long size)
{
	return __vmalloc_caller(size, GFP_KERNEL, _RET_IP_);
}

void *vzalloc(unsigned long size)
{
	return __vmalloc_caller(size, GFP_KERNEL | __GFP_ZERO, _RET_IP_);
}

struct vm_struct *take_vm_area(const void *addr, unsigned int kinds, const char *fn,
				   unsigned long caller)
{
	const char *why = NULL;
	struct vm_struct *vm;
	char sym[96];

	if (!vmalloc_ready)
		return NULL;
	/* Found and taken under one lock: of two CPUs freeing the same area, one gets it. */
	spin_lock(&vmap_area_lock);
	vm = __find_vm_area(addr);
	if (!vm)
		why = ": no such vm area";
	else if (vm->addr != addr)
		why = ": not the start of its area";
	else if (!(vm->flags & kinds))
		why = ": wrong kind of area";
	else
		unlink_vm_area(vm);
	spin_unlock(&vmap_area_lock);
	if (why) {
		printk("Trying to %s() bad address (0x%lx)%s, caller %s\n", fn, (unsigned long)addr,
		       why, sprint_symbol(sym, sizeof(sym), caller));
		return NULL;
	}
	return vm;
}

void vfree(const void *addr)
{
	struct vm_struct *vm;

	if (!addr)
		return;
	vm = take_vm_area(addr, VM_ALLOC, "vfree", _RET_IP_);
	if (!vm)
		return;
	kmemleak_free(vm->addr);
	kasan_poison_vmalloc(vm->addr, vm->size);
	if (pt_unmap_noflush(&init_mm, (unsigned long)vm->addr, get_vm_area_size(vm))) {
		printk("vmalloc: could not unmap 0x%lx (%lu bytes): area and pages leaked\n",
		       (unsigned long)vm->addr, vm->size);
		return;
	}
	/* The pages go back now (Linux's order): only the VA waits for the flush. */
	free_area_pages(vm);
	mod_node_page_state(NR_VMALLOC, -(long)vm->nr_pages);
	free_vm_area_lazy(vm);
}

/* ---- vmap / vunmap -------------------------------------------------------------------- */

void *vmap(struct page **pages, unsigned int count, unsigned long flags, unsigned long prot)
{
	struct vm_struct *vm;
	unsigned int i;

	if (!count)
		return NULL;
	vm = get_vm_area_caller((unsigned long)count << PAGE_SHIFT, PAGE_SIZE, VM_MAP | flags,
				_RET_IP_);
	if (!vm)
		return NULL;
	for (i = 0; i < count; i++) {
		if (vmap_range((unsigned long)vm->addr + ((unsigned long)i << PAGE_SHIFT),
			       page_to_phys(pages[i]), PAGE_SIZE, prot)) {
			vunmap_range((unsigned long)vm->addr, (unsigned long)i << PAGE_SHIFT);
			free_vm_area(vm);
			return NULL;
		}
	}
	vm->nr_pages = count;
	return vm->addr;
}

void vunmap(const void *addr)
{
	struct vm_struct *vm;

	if (!addr)
		return;
	vm = take_vm_area(addr, VM_MAP, "vunmap", _RET_IP_);
	if (vm)
		vunmap_area_lazy(vm);
}


/* ---- reporting ------------------------------------------------------------------------ */

static const char *area_kind(const struct vm_struct *vm)
{
	if (vm->flags & VM_IOREMAP)
		return "ioremap";
	if (vm->flags & VM_DMA_COHERENT)
		return "dma-coherent";
	if (vm->flags & VM_ALLOC)
		return "vmalloc";
	if (vm->flags & VM_MAP)
		return "vmap";
	return "reserved";
}

#define ADDR_DIGITS	((int)(2 * sizeof(unsigned long)))

static void show_area(struct seq_buf *s, const struct vm_struct *vm)
{
	unsigned long a = (unsigned long)vm->addr;
	char sym[96];

	/* The caller as Linux's %pS prints it: function+0xoff/0xsize. */
	seq_buf_printf(s, "0x%0*lx-0x%0*lx %7lu %s", ADDR_DIGITS, a, ADDR_DIGITS, a + vm->size,
		       vm->size, sprint_symbol(sym, sizeof(sym), vm->caller));
	if (vm->nr_pages)
		seq_buf_printf(s, " pages=%u", vm->nr_pages);
	if (vm->flags & (VM_IOREMAP | VM_DMA_COHERENT))
		seq_buf_printf(s, " phys=0x%016llx", (unsigned long long)vm->phys_addr);
	seq_buf_printf(s, " %s\n", area_kind(vm));
}

static void show_tree(struct seq_buf *s, const struct va_node *n)
{
	if (!n)
		return;
	show_tree(s, n->left);
	show_area(s, container_of(n, struct vm_struct, va));
	show_tree(s, n->right);
}

/*
 * /proc/vmallocinfo: Linux's columns (start-end size caller pages= phys= kind),
 * by address, then the lazily freed areas as Linux prints them
 * ("0x...-0x... size unpurged vm_area"). Printed under vmap_area_lock: the
 * show callback only formats into a buffer.
 */
static void vmallocinfo_show(struct seq_buf *s)
{
	const struct vm_struct *vm;

	spin_lock(&vmap_area_lock);
	show_tree(s, busy_root);
	for (vm = purge_list; vm; vm = vm->next_lazy)
		seq_buf_printf(s, "0x%0*lx-0x%0*lx %7lu unpurged vm_area\n", ADDR_DIGITS,
			       (unsigned long)vm->addr, ADDR_DIGITS, (unsigned long)vm->addr + vm->size,
			       vm->size);
	spin_unlock(&vmap_area_lock);
}
DEBUGFS_FILE(vmallocinfo, "/proc/vmallocinfo", vmallocinfo_show);

static int describe_area(char *buf, size_t n, const char *where, const struct vm_struct *vm)
{
	unsigned long a = (unsigned long)vm->addr;
	char sym[96];

	return snprintf(buf, n, "%s the %s area 0x%lx-0x%lx (%lu bytes, pages=%u, caller %s)",
			where, area_kind(vm), a, a + vm->size, vm->size, vm->nr_pages,
			sprint_symbol(sym, sizeof(sym), vm->caller));
}

/* vmalloc_describe_fault's work, vmap_area_lock held. */
static const char *describe_fault_locked(unsigned long addr, char *buf, size_t n)
{
	const struct vm_struct *vm;
	unsigned int i;

	vm = __find_vm_area((void *)addr);
	if (vm && addr >= (unsigned long)vm->addr + get_vm_area_size(vm)) {
		describe_area(buf, n, "in the guard page of", vm);
		return buf;
	}
	if (vm) {
		describe_area(buf, n, "inside", vm);
		return buf;
	}
	for (i = 1; i <= NR_FREED_HISTORY && i <= freed_next; i++) {
		const struct vm_struct *f = &freed_history[(freed_next - i) % NR_FREED_HISTORY];

		if (addr >= (unsigned long)f->addr && addr < (unsigned long)f->addr + f->size) {
			describe_area(buf, n, "in free vmalloc space; recently freed:", f);
			return buf;
		}
	}
	for (vm = purge_list; vm; vm = vm->next_lazy)
		if (addr >= (unsigned long)vm->addr && addr < (unsigned long)vm->addr + vm->size) {
			snprintf(buf, n, "in a freed vmalloc area 0x%lx-0x%lx not yet purged",
				 (unsigned long)vm->addr, (unsigned long)vm->addr + vm->size);
			return buf;
		}
	snprintf(buf, n, "in free vmalloc space (no area)");
	return buf;
}

/* In a fault handler: the lock may be held by this very CPU (a fault inside vmalloc), so only try. */
const char *vmalloc_describe_fault(unsigned long addr, char *buf, size_t n)
{
	const char *ret;

	if (!vmalloc_ready || !is_vmalloc_addr((void *)addr))
		return NULL;
	if (!spin_trylock(&vmap_area_lock)) {
		snprintf(buf, n, "in the vmalloc space (area unknown: vmap_area_lock is held)");
		return buf;
	}
	ret = describe_fault_locked(addr, buf, n);
	spin_unlock(&vmap_area_lock);
	return ret;
}

struct busy_check {
	unsigned long prev_end, count, bytes;
};

static const char *check_busy(const struct va_node *n, struct busy_check *c)
{
	const char *err;

	if (!n)
		return NULL;
	err = check_busy(n->left, c);
	if (err)
		return err;
	if (n->start < c->prev_end)
		return "busy areas overlap or are out of order";
	if (va_tree_find(vmap_space.free_root, n->start) || va_tree_find(vmap_space.free_root, n->end - 1))
		return "a busy area is also free";
	if ((unsigned long)container_of(n, struct vm_struct, va)->addr != n->start)
		return "an area's addr differs from its tree key";
	c->prev_end = n->end;
	c->count++;
	c->bytes += n->end - n->start;
	return check_busy(n->right, c);
}

/* The lazy areas: neither free nor busy, and their counts right (vmap_area_lock held). */
static const char *check_lazy(unsigned long *bytes)
{
	const struct vm_struct *vm;
	unsigned long pages = 0, n = 0;

	for (vm = purge_list; vm; vm = vm->next_lazy, n++) {
		unsigned long a = (unsigned long)vm->addr;

		if (va_tree_find(vmap_space.free_root, a) || va_tree_find(vmap_space.free_root, a + vm->size - 1))
			return "a lazily freed area is also free";
		if (va_tree_find(busy_root, a) || va_tree_find(busy_root, a + vm->size - 1))
			return "a lazily freed area is also busy";
		pages += vm->size >> PAGE_SHIFT;
	}
	if (pages != vmap_lazy_nr || n != vmap_lazy_areas)
		return "the lazy counts do not match purge_list";
	*bytes = pages << PAGE_SHIFT;
	return NULL;
}

const char *vmalloc_check(void)
{
	struct busy_check c = { 0, 0, 0 };
	unsigned long lazy = 0;
	const char *err;

	spin_lock(&vmap_area_lock);
	err = va_space_check(&vmap_space);
	if (!err)
		err = check_busy(busy_root, &c);
	if (!err && c.count != nr_areas)
		err = "nr_areas does not match the busy tree";
	if (!err)
		err = check_lazy(&lazy);
	if (!err && c.bytes + lazy + vmap_space.free_bytes != VMALLOC_END - VMALLOC_START)
		err = "busy + lazy + free bytes do not add up to the space";
	spin_unlock(&vmap_area_lock);
	return err;
}

unsigned long vmalloc_total(void)
{
	return VMALLOC_END - VMALLOC_START;
}

unsigned long vmalloc_nr_areas(void)
{
	return READ_ONCE(nr_areas);
}

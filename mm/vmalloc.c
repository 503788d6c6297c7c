/* vmalloc.c: the vmalloc space — areas with guard pages, vmalloc/vfree, vmap/vunmap, vmallocinfo. */
#include <mm/vmalloc.h>
#include <mm/fault-inject.h>
#include <mm/io.h>
#include <mm/mm.h>
#include <mm/pgtable.h>
#include <mm/prot.h>
#include <mm/vmstat.h>
#include <kernel/bug.h>
#include <kernel/debugfs.h>
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <string.h>
#include <stdio.h>

/*
 * State: the free VA ranges (vmap_space, an augmented treap: vmap_area.c),
 * the busy areas by start address (busy_root, a treap of vm_struct.va), and a
 * pool of vm_structs. pagoda's mm runs on one CPU with interrupts off during
 * allocation, so there is no lock. Every operation is O(log n) expected in the
 * number of areas, plus the work of mapping its pages.
 */
static struct va_space vmap_space;
static struct va_node *busy_root;
static struct va_pool vm_pool;
static unsigned long nr_areas;
static bool vmalloc_ready;

/* The last few freed areas, so a fault in free space can say what used to be there. */
#define NR_FREED_HISTORY 8
static struct vm_struct freed_history[NR_FREED_HISTORY];
static unsigned int freed_next;

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

struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long align, unsigned int flags,
				     unsigned long caller)
{
	unsigned long total, addr;
	struct vm_struct *vm;

	if (!vmalloc_ready || !size)
		return NULL;
	size = ALIGN(size, PAGE_SIZE);
	total = size + (flags & VM_NO_GUARD ? 0 : PAGE_SIZE);
	if (total < size)
		return NULL;
	vm = va_pool_get(&vm_pool);
	if (!vm)
		return NULL;
	addr = va_space_alloc(&vmap_space, total, align < PAGE_SIZE ? PAGE_SIZE : align);
	if (!addr) {
		va_pool_put(&vm_pool, vm);
		return NULL;
	}
	*vm = (struct vm_struct){ .addr = (void *)addr, .size = total, .flags = flags,
				  .caller = caller };
	vm->va.start = addr;
	vm->va.end = addr + total;
	INIT_LIST_HEAD(&vm->pages);
	va_tree_insert(&busy_root, &vm->va);
	nr_areas++;
	return vm;
}

struct vm_struct *find_vm_area(const void *addr)
{
	struct va_node *n;

	if (!vmalloc_ready)
		return NULL;
	n = va_tree_find(busy_root, (unsigned long)addr);
	return n ? container_of(n, struct vm_struct, va) : NULL;
}

struct vm_struct *remove_vm_area(const void *addr)
{
	struct vm_struct *vm = find_vm_area(addr);

	if (!vm || vm->addr != addr)
		return NULL;
	va_tree_erase(&busy_root, &vm->va);
	nr_areas--;
	return vm;
}

/* free_vm_area: gives the VA range back (the mapping must be gone) and recycles vm. */
void free_vm_area(struct vm_struct *vm)
{
	if (find_vm_area(vm->addr) == vm) {
		va_tree_erase(&busy_root, &vm->va);
		nr_areas--;
	}
	freed_history[freed_next++ % NR_FREED_HISTORY] = *vm;
	va_space_free(&vmap_space, (unsigned long)vm->addr, vm->size);
	va_pool_put(&vm_pool, vm);
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
	return vm->addr;
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
	struct vm_struct *vm = find_vm_area(addr);

	char sym[96];

	if (!vm || vm->addr != addr || !(vm->flags & kinds)) {
		printk("Trying to %s() bad address (0x%lx)%s, caller %s\n", fn, (unsigned long)addr,
		       !vm ? ": no such vm area" : vm->addr != addr ? ": not the start of its area" :
		       ": wrong kind of area", sprint_symbol(sym, sizeof(sym), caller));
		return NULL;
	}
	return remove_vm_area(addr);
}

void vfree(const void *addr)
{
	struct vm_struct *vm;

	if (!addr)
		return;
	vm = take_vm_area(addr, VM_ALLOC, "vfree", _RET_IP_);
	if (!vm)
		return;
	vunmap_range((unsigned long)vm->addr, get_vm_area_size(vm));
	free_area_pages(vm);
	mod_node_page_state(NR_VMALLOC, -(long)vm->nr_pages);
	free_vm_area(vm);
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
	if (!vm)
		return;
	vunmap_range((unsigned long)vm->addr, get_vm_area_size(vm));
	free_vm_area(vm);
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

/* /proc/vmallocinfo: Linux's columns (start-end size caller pages= phys= kind), by address. */
static void vmallocinfo_show(struct seq_buf *s)
{
	show_tree(s, busy_root);
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

const char *vmalloc_describe_fault(unsigned long addr, char *buf, size_t n)
{
	const struct vm_struct *vm;
	unsigned int i;

	if (!vmalloc_ready || !is_vmalloc_addr((void *)addr))
		return NULL;
	vm = find_vm_area((void *)addr);
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
	snprintf(buf, n, "in free vmalloc space (no area)");
	return buf;
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

const char *vmalloc_check(void)
{
	struct busy_check c = { 0, 0, 0 };
	const char *err = va_space_check(&vmap_space);

	if (!err)
		err = check_busy(busy_root, &c);
	if (!err && c.count != nr_areas)
		err = "nr_areas does not match the busy tree";
	if (!err && c.bytes + vmap_space.free_bytes != VMALLOC_END - VMALLOC_START)
		err = "busy + free bytes do not add up to the space";
	return err;
}

unsigned long vmalloc_total(void)
{
	return VMALLOC_END - VMALLOC_START;
}

unsigned long vmalloc_nr_areas(void)
{
	return nr_areas;
}

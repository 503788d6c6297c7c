/* ioremap_test.c: KTAP suites for ioremap, the fixmap with early_ioremap, and coherent DMA buffers. */
#include <kernel/kunit.h>
#include <kernel/debugfs.h>
#include <kernel/seq_buf.h>
#include <mm/dma.h>
#include <mm/fixmap.h>
#include <mm/io.h>
#include <mm/mm.h>
#include <mm/pgtable.h>
#include <mm/vmalloc.h>
#include <asm/cacheflush.h>
#include <stdio.h>
#include <string.h>
#include "vm_test.h"
#include "test_buf.h"

static u32 prot_at(const void *va)
{
	struct pt_query q;

	return pt_query(&init_mm, (vaddr_t)va, &q) ? 0 : q.prot;
}

static paddr_t pa_at(const void *va)
{
	struct pt_query q;

	return pt_query(&init_mm, (vaddr_t)va, &q) ? ~(paddr_t)0 : q.pa;
}

/* A physical address no RAM is at: 16 MiB past the end of RAM (never touched, only mapped). */
static paddr_t not_ram(void)
{
	return PFN_PHYS(max_pfn) + SZ_16M;
}

/* Whether /proc/vmallocinfo holds needle (read into a buffer taken for the call). */
static bool vmallocinfo_has(const char *needle)
{
	const size_t size = 16384;
	const struct debugfs_file *f = debugfs_lookup("/proc/vmallocinfo");
	char *info = test_buf_alloc(size);
	struct seq_buf s;
	bool found;

	if (!f || !info) {
		test_buf_free(info, size);
		return false;
	}
	seq_buf_init(&s, info, size);
	f->show(&s);
	found = strstr(info, needle) != NULL;
	test_buf_free(info, size);
	return found;
}

/* ---- ioremap ------------------------------------------------------------------------------ */

static void ioremap_device_attributes(struct kunit *test)
{
	paddr_t base = not_ram();
	char line[96];
	struct vm_struct *vm;
	char *p = ioremap(base + 0x10, 0x20);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_EQ(test, (uintptr_t)p % PAGE_SIZE, 0x10UL);	/* the offset is kept */
	KUNIT_EXPECT_EQ(test, pa_at(p), base + 0x10);
	/* Device-nGnRE, RW, execute-never, global. */
	KUNIT_EXPECT_EQ(test, prot_at(p), vm_prot(PROT_READ | PROT_WRITE | PROT_GLOBAL | MT_DEVICE_nGnRE));
	vm = find_vm_area(p);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, vm->flags & VM_IOREMAP, VM_IOREMAP);
	KUNIT_EXPECT_EQ(test, vm->phys_addr, base);
	KUNIT_EXPECT_EQ(test, vm->size, 2 * PAGE_SIZE);		/* one page + the guard */
	KUNIT_EXPECT_EQ(test, prot_at((char *)vm->addr + PAGE_SIZE), 0U);
	snprintf(line, sizeof(line), " phys=0x%016llx ioremap\n", (unsigned long long)base);
	KUNIT_EXPECT_TRUE(test, vmallocinfo_has(line));
	iounmap(p);					/* any address in the first page */
	KUNIT_EXPECT_EQ(test, prot_at(p), 0U);
	KUNIT_EXPECT_NULL(test, find_vm_area(p));
	KUNIT_EXPECT_FALSE(test, vmallocinfo_has(line));
	/* A range across a page boundary maps both pages. */
	p = ioremap(base + PAGE_SIZE - 8, 16);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, pa_at(p + 8), base + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, find_vm_area(p)->size, 3 * PAGE_SIZE);
	iounmap(p);
	KUNIT_EXPECT_NULL(test, vmalloc_check());
}

static void ioremap_wc_and_np(struct kunit *test)
{
	void *wc = ioremap_wc(not_ram(), PAGE_SIZE);
	void *np = ioremap_np(not_ram() + PAGE_SIZE, PAGE_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, wc);
	KUNIT_ASSERT_NOT_NULL(test, np);
	KUNIT_EXPECT_EQ(test, prot_at(wc), vm_prot(PAGE_KERNEL_NC));
	KUNIT_EXPECT_EQ(test, prot_at(np), vm_prot(PAGE_KERNEL_DEVICE_nGnRnE));
	iounmap(wc);
	iounmap(np);
	KUNIT_EXPECT_EQ(test, prot_at(wc), 0U);
	KUNIT_EXPECT_EQ(test, prot_at(np), 0U);
}

static void ioremap_misuse_reported(struct kunit *test)
{
	struct page *pg = alloc_page(GFP_KERNEL);
	unsigned long areas = vmalloc_nr_areas();
	char log[1024];
	void *v = vmalloc(PAGE_SIZE);

	if (!pg || !v) {	/* free what was had before asserting */
		vfree(v);
		if (pg)
			__free_page(pg);
	}
	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_ASSERT_NOT_NULL(test, v);
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_NULL(test, ioremap(page_to_phys(pg), 64));	/* RAM the buddy owns */
	KUNIT_EXPECT_NULL(test, ioremap(not_ram(), 0));
	KUNIT_EXPECT_NULL(test, ioremap(~(paddr_t)0 - 16, 64));		/* wraps */
	iounmap(v);						/* not an ioremap */
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "ioremap: refusing to map RAM");
	KUNIT_EXPECT_SUBSTR(test, log, "ioremap: bad range");
	KUNIT_EXPECT_SUBSTR(test, log, "Trying to iounmap() bad address");
	KUNIT_EXPECT_EQ(test, prot_at(v), vm_prot(PAGE_KERNEL));			/* still mapped */
	KUNIT_EXPECT_EQ(test, vmalloc_nr_areas(), areas + 1);
	vfree(v);
	__free_page(pg);
	KUNIT_EXPECT_NULL(test, vmalloc_check());
}

kunit_test_suite_init(ioremap, vm_test_init, NULL,
	KUNIT_CASE(ioremap_device_attributes),
	KUNIT_CASE(ioremap_wc_and_np),
	KUNIT_CASE(ioremap_misuse_reported));

/* ---- fixmap and early_ioremap ------------------------------------------------------------- */

static bool in_fixmap(const void *va)
{
	return (unsigned long)va >= FIXADDR_START && (unsigned long)va < FIXADDR_TOP;
}

static void fixmap_set_and_clear(struct kunit *test)
{
	struct page *pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	unsigned long va = fix_to_virt(FIX_TEST);
	char log[512];

	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_EXPECT_TRUE(test, in_fixmap((void *)va));
	KUNIT_EXPECT_TRUE(test, in_fixmap((void *)fix_to_virt(__end_of_fixed_addresses - 1)));
	KUNIT_EXPECT_EQ(test, __virt_to_fix(va + 123), (unsigned long)FIX_TEST);
	set_fixmap(FIX_TEST, page_to_phys(pg));
	KUNIT_EXPECT_EQ(test, pa_at((void *)va), page_to_phys(pg));
	KUNIT_EXPECT_EQ(test, prot_at((void *)va), vm_prot(PAGE_KERNEL));
	if (VMALLOC_VA_LIVE) {
		*(volatile u32 *)(va + 64) = 0xfeedf00d;
		KUNIT_EXPECT_EQ(test, *(u32 *)((char *)page_address(pg) + 64), 0xfeedf00dU);
	}
	set_fixmap_io(FIX_TEST, not_ram());		/* remap a live slot */
	KUNIT_EXPECT_EQ(test, pa_at((void *)va), not_ram());
	KUNIT_EXPECT_EQ(test, prot_at((void *)va), vm_prot(PAGE_KERNEL_DEVICE));
	clear_fixmap(FIX_TEST);
	KUNIT_EXPECT_EQ(test, prot_at((void *)va), 0U);
	/* A read-only blob: the offset is kept, the protection is PAGE_KERNEL_RO. */
	KUNIT_EXPECT_EQ(test, (unsigned long)fixmap_remap_ro(FIX_TEST, 1, page_to_phys(pg) + 100, 200),
			va + 100);
	KUNIT_EXPECT_EQ(test, prot_at((void *)va), vm_prot(PAGE_KERNEL_RO));
	clear_fixmap(FIX_TEST);
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_NULL(test, fixmap_remap_ro(FIX_TEST, 1, page_to_phys(pg) + 100, PAGE_SIZE));
	set_fixmap(FIX_HOLE, page_to_phys(pg));
	set_fixmap(__end_of_fixed_addresses, page_to_phys(pg));
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "does not fit 1 slots");
	KUNIT_EXPECT_EQ(test, prot_at((void *)va), 0U);
	KUNIT_EXPECT_SUBSTR(test, log, "set_fixmap: bad fixmap slot 0");
	KUNIT_EXPECT_EQ(test, prot_at((void *)fix_to_virt(FIX_HOLE)), 0U);
	__free_page(pg);
}

static void early_ioremap_windows(struct kunit *test)
{
	paddr_t base = not_ram();
	void *w[FIX_BTMAPS_SLOTS];
	char log[512];
	unsigned int i;
	char *p = early_ioremap(base + 0x123, 3 * PAGE_SIZE);	/* spans 4 pages */

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, in_fixmap(p));
	KUNIT_EXPECT_EQ(test, (uintptr_t)p % PAGE_SIZE, 0x123UL);
	for (i = 0; i < 4; i++) {
		KUNIT_EXPECT_EQ(test, pa_at(p + i * PAGE_SIZE), base + 0x123 + i * PAGE_SIZE);
		KUNIT_EXPECT_EQ(test, prot_at(p + i * PAGE_SIZE), vm_prot(PAGE_KERNEL_DEVICE));
	}
	printk_capture_start(log, sizeof(log));
	early_iounmap(p, PAGE_SIZE);				/* wrong size: refused */
	KUNIT_EXPECT_NULL(test, early_ioremap(base, (NR_FIX_BTMAPS + 1) * PAGE_SIZE));
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "size differs from the mapping's");
	KUNIT_EXPECT_SUBSTR(test, log, "does not fit a 16-page window");
	KUNIT_EXPECT_EQ(test, prot_at(p), vm_prot(PAGE_KERNEL_DEVICE));
	early_iounmap(p, 3 * PAGE_SIZE);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, prot_at(p + i * PAGE_SIZE), 0U);
	/* Every window busy: the next request fails cleanly. */
	for (i = 0; i < FIX_BTMAPS_SLOTS; i++) {
		w[i] = early_memremap(base + i * SZ_1M, PAGE_SIZE);
		KUNIT_EXPECT_NOT_NULL(test, w[i]);
	}
	KUNIT_EXPECT_EQ(test, prot_at(w[0]), vm_prot(PAGE_KERNEL));
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_NULL(test, early_ioremap(base, PAGE_SIZE));
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "all 4 windows busy");
	for (i = 0; i < FIX_BTMAPS_SLOTS; i++)
		early_memunmap(w[i], PAGE_SIZE);
	p = early_ioremap(base, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, (void *)p, w[0]);			/* the first window is free again */
	early_iounmap(p, PAGE_SIZE);
}

kunit_test_suite_init(fixmap, vm_test_init, NULL,
	KUNIT_CASE(fixmap_set_and_clear),
	KUNIT_CASE(early_ioremap_windows));

/* ---- coherent DMA --------------------------------------------------------------------------- */

static void dma_coherent_buffer(struct kunit *test)
{
	dma_addr_t h = 0;
	char line[96];
	struct vm_struct *vm;
	unsigned int i;
	char *cpu = dma_alloc_coherent(NULL, 5 * PAGE_SIZE, &h, GFP_KERNEL);
	paddr_t pa;

	KUNIT_ASSERT_NOT_NULL(test, cpu);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(cpu));
	pa = pa_at(cpu);
	KUNIT_EXPECT_EQ(test, h, phys_to_dma(pa));
	KUNIT_EXPECT_EQ(test, h - DMA_BUS_OFFSET, pa);		/* the board's bus view of RAM */
	vm = find_vm_area(cpu);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, vm->flags & VM_DMA_COHERENT, VM_DMA_COHERENT);
	KUNIT_EXPECT_EQ(test, vm->nr_pages, 8U);		/* 5 pages round up to order 3 */
	for (i = 0; i < 8; i++) {				/* non-cacheable, physically contiguous */
		KUNIT_EXPECT_EQ(test, prot_at(cpu + i * PAGE_SIZE), vm_prot(PAGE_KERNEL_NC));
		KUNIT_EXPECT_EQ(test, pa_at(cpu + i * PAGE_SIZE), pa + i * PAGE_SIZE);
	}
	for (i = 0; i < 8 * PAGE_SIZE; i += 511)		/* zeroed */
		KUNIT_EXPECT_EQ(test, VMALLOC_VA_LIVE ? cpu[i] : *((char *)__va(pa) + i), 0);
	snprintf(line, sizeof(line), " pages=8 phys=0x%016llx dma-coherent\n", (unsigned long long)pa);
	KUNIT_EXPECT_TRUE(test, vmallocinfo_has(line));
	dma_free_coherent(NULL, 5 * PAGE_SIZE, cpu, h);
	KUNIT_EXPECT_EQ(test, prot_at(cpu), 0U);
	KUNIT_EXPECT_NULL(test, find_vm_area(cpu));
}

static void dma_free_misuse_reported(struct kunit *test)
{
	dma_addr_t h = 0;
	char log[512];
	char *cpu = dma_alloc_coherent(NULL, 100, &h, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cpu);
	printk_capture_start(log, sizeof(log));
	dma_free_coherent(NULL, 100, cpu, h + PAGE_SIZE);	/* wrong handle */
	dma_free_coherent(NULL, 3 * PAGE_SIZE, cpu, h);		/* wrong size */
	dma_free_coherent(NULL, 100, cpu + 64, h);		/* not the start */
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "do not match the allocation");
	KUNIT_EXPECT_SUBSTR(test, log, "Trying to dma_free_coherent() bad address");
	KUNIT_EXPECT_EQ(test, prot_at(cpu), vm_prot(PAGE_KERNEL_NC));	/* untouched */
	dma_free_coherent(NULL, 100, cpu, h);
	KUNIT_EXPECT_EQ(test, prot_at(cpu), 0U);
	KUNIT_EXPECT_NULL(test, vmalloc_check());
}

/* The maintenance runs (arm64: dc cvac/ivac/civac at EL1) on linear, vmalloc and odd ranges. */
static void dma_streaming_round_trip(struct kunit *test)
{
	struct page *pg = alloc_page(GFP_KERNEL);
	char *v = vmalloc(2 * PAGE_SIZE), *p;
	dma_addr_t h;

	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_ASSERT_NOT_NULL(test, v);
	p = page_address(pg);
	memset(p, 0x5a, PAGE_SIZE);
	h = dma_map_single(NULL, p + 3, 1000, DMA_TO_DEVICE);	/* unaligned at both ends */
	KUNIT_EXPECT_EQ(test, h, phys_to_dma(page_to_phys(pg) + 3));
	dma_sync_single_for_cpu(NULL, h, 1000, DMA_FROM_DEVICE);
	dma_sync_single_for_device(NULL, h, 1000, DMA_BIDIRECTIONAL);
	dma_unmap_single(NULL, h, 1000, DMA_FROM_DEVICE);
	/* Bytes next to a partly invalidated line survive (clean+invalidate at the edges). */
	KUNIT_EXPECT_EQ(test, p[0], 0x5a);
	KUNIT_EXPECT_EQ(test, p[1003], 0x5a);
	if (VMALLOC_VA_LIVE) {
		dma_sync_va_for_device(v + 100, PAGE_SIZE, DMA_TO_DEVICE);	/* by VA in vmalloc space */
		dma_sync_va_for_cpu(v + 100, PAGE_SIZE, DMA_FROM_DEVICE);
	}
	vfree(v);
	__free_page(pg);
}

static void dma_cache_line_size(struct kunit *test)
{
	unsigned long l = dcache_line_size();

	/* CTR_EL0.DminLine on arm64 (64 on a Cortex-A53): a power of two a line can be. */
	KUNIT_EXPECT_GE(test, l, 16UL);
	KUNIT_EXPECT_LE(test, l, 2048UL);
	KUNIT_EXPECT_EQ(test, l & (l - 1), 0UL);
	kunit_info(test, "data cache line %lu bytes", l);
}

kunit_test_suite_init(dma, vm_test_init, NULL,
	KUNIT_CASE(dma_coherent_buffer),
	KUNIT_CASE(dma_free_misuse_reported),
	KUNIT_CASE(dma_streaming_round_trip),
	KUNIT_CASE(dma_cache_line_size));

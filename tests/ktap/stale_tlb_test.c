/* stale_tlb_test.c: KTAP suite — after a kernel mapping changes, no CPU reads through the old translation. */
#include <kernel/atomic.h>
#include <kernel/kunit.h>
#include <kernel/smp.h>
#include <mm/highmem.h>
#include <mm/mm.h>
#include <mm/pgtable.h>
#include <mm/vmalloc.h>
#include <mm/io.h>
#include <string.h>
#include <test_machine.h>
#include "vm_test.h"

/*
 * The experiment (issue 12). CPU A (the one running the suite) maps a VA to a
 * page holding pattern k; the other online CPUs, the readers, read it in a
 * loop, which loads the translation into their TLBs. A then remaps the VA to
 * the other page, which holds pattern k+1 (unmap, flush, map: the kernel's own
 * calls, so the flush is whatever the kernel does), and publishes the new
 * phase with a release store. A reader that has seen the new phase (acquire)
 * and still reads pattern k has read through a stale TLB entry: the shootdown
 * did not reach its CPU. Anything but the two patterns is a wrong page.
 *
 * The readers stop reading (and only spin on the phase word, in another page)
 * while A remaps: between the unmap and the map the VA is invalid, and a read
 * then would fault — that window is break-before-make, not a bug. Their TLB
 * entries for the VA stay, so a missing broadcast shows on the first read of
 * the next phase. Checked under QEMU (-accel tcg,thread=multi, which keeps a
 * software TLB per vCPU): with TLBI VAALE1/VAAE1 (no IS) in place of the
 * broadcast forms, every case reports stale reads.
 *
 * The host has no TLB (its VAs of the vmalloc space are not mapped): there the
 * readers translate in software (pt_query, under init_mm.page_table_lock), so
 * the same protocol checks the page-table locking with real threads.
 */
#define STALE_ROUNDS	32	/* remaps per case (even: each area ends on its own page) */
#define STALE_READS	16	/* reads per reader per phase, all pages each time */
#define STALE_SPINS	20000000UL	/* bounded waits: a missing CPU fails the case, never hangs it */
#define STALE_MAX_PAGES	16

struct stale_run {
	unsigned long va;		/* what the readers read: word 0 of each page */
	unsigned int npages;
	bool direct;			/* the VA can be dereferenced here (else: software walk) */
	void (*remap)(struct stale_run *r);	/* A's step: the VA to the other page(s) */
	struct page *pg[2];		/* the two targets (head pages of npages blocks) */
	unsigned int cur;		/* which of pg[] the VA maps now (A only) */
	void *priv;			/* the case's own state */
	unsigned int writer;		/* CPU A */
	unsigned int phase;		/* written by A (release); the pattern of phase k is pattern(k) */
	atomic_t acks;			/* readers done with the current phase */
	int abort;			/* A gave up: readers return */
	atomic_t stale;			/* reads of the previous phase's pattern after the new phase */
	atomic_t wrong;			/* reads of neither pattern */
	atomic_t reads;			/* reads checked */
	atomic_t timeouts;
	unsigned long bad_value, bad_expect;
};

/* One run at a time (the suite's CPU is A): zeroed for each case. */
static struct stale_run the_run;

static struct stale_run *new_run(void)
{
	memset(&the_run, 0, sizeof(the_run));
	return &the_run;
}

static unsigned long pattern(unsigned int phase)
{
	return 0x5a1e0000UL + phase * 0x101UL;
}

/* Word 0 of page i of the run's VA, as a reader on this CPU sees it. */
static unsigned long read_word(struct stale_run *r, unsigned int i)
{
	unsigned long va = r->va + (unsigned long)i * PAGE_SIZE;
	struct pt_query q;

	if (r->direct)
		return READ_ONCE(*(volatile unsigned long *)va);
	if (pt_query(&init_mm, va, &q))
		return ~0UL;
	return READ_ONCE(*(volatile unsigned long *)page_address(phys_to_page(q.pa)));
}

/* Fills the npages pages of block b with the pattern of phase, through the linear map / kmap. */
static void fill_block(struct stale_run *r, unsigned int b, unsigned int phase)
{
	unsigned int i;

	for (i = 0; i < r->npages; i++) {
		unsigned long *w = kmap_local_page(r->pg[b] + i);

		WRITE_ONCE(w[0], pattern(phase));	/* readers may still read it through another mapping */
		kunmap_local(w);
	}
	/* ordered before the readers' reads by the release store of the phase */
}

/* Waits (bounded) until every reader has acked the phase; false on timeout. */
static bool wait_acks(struct stale_run *r, unsigned int readers)
{
	unsigned long spins;

	for (spins = 0; spins < STALE_SPINS; spins++) {
		if ((unsigned int)atomic_read(&r->acks) == readers)
			return true;
		cpu_relax();
	}
	atomic_inc(&r->timeouts);
	return false;
}

static void stale_writer(struct stale_run *r)
{
	unsigned int readers = num_online_cpus() - 1, k;

	for (k = 1; k <= STALE_ROUNDS; k++) {
		if (!wait_acks(r, readers))
			break;
		fill_block(r, !r->cur, k);	/* the target: not mapped at the VA right now */
		r->remap(r);			/* unmap, flush, map: the VA now shows pattern(k) */
		r->cur = !r->cur;
		atomic_set(&r->acks, 0);
		smp_store_release(&r->phase, k);
	}
	wait_acks(r, readers);
	smp_store_release(&r->abort, 1);
}

/* One phase's reads: every value must be this phase's pattern. */
static void stale_read_phase(struct stale_run *r, unsigned int phase)
{
	unsigned int n, i;

	for (n = 0; n < STALE_READS; n++) {
		for (i = 0; i < r->npages; i++) {
			unsigned long v = read_word(r, i);

			atomic_inc(&r->reads);
			if (v == pattern(phase))
				continue;
			r->bad_value = v;
			r->bad_expect = pattern(phase);
			atomic_inc(phase && v == pattern(phase - 1) ? &r->stale : &r->wrong);
		}
	}
}

static void stale_reader(struct stale_run *r)
{
	unsigned int seen = 0, phase;
	unsigned long spins = 0;

	stale_read_phase(r, 0);
	atomic_inc(&r->acks);
	while (!READ_ONCE(r->abort) && spins++ < STALE_SPINS) {
		phase = smp_load_acquire(&r->phase);
		if (phase == seen) {
			cpu_relax();
			continue;
		}
		seen = phase;		/* A's remap for this phase has returned: no old value may show */
		stale_read_phase(r, phase);
		atomic_inc(&r->acks);
		spins = 0;
	}
}

static void stale_worker(void *info)
{
	struct stale_run *r = info;

	if (smp_processor_id() == r->writer)
		stale_writer(r);
	else
		stale_reader(r);
}

/* Runs the experiment over r (VA mapped to pg[0], which holds pattern(0)) and checks it. */
static void stale_run_check(struct kunit *test, struct stale_run *r)
{
	r->writer = smp_processor_id();
	r->cur = 0;
	r->phase = 0;
	r->abort = 0;
	atomic_set(&r->acks, 0);
	atomic_set(&r->stale, 0);
	atomic_set(&r->wrong, 0);
	atomic_set(&r->reads, 0);
	atomic_set(&r->timeouts, 0);
	on_each_cpu(stale_worker, r, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->timeouts), 0);
	KUNIT_EXPECT_EQ(test, r->phase, (unsigned int)STALE_ROUNDS);
	KUNIT_EXPECT_EQ(test, (long)atomic_read(&r->reads),
			(long)(num_online_cpus() - 1) * (STALE_ROUNDS + 1) * STALE_READS * r->npages);
	KUNIT_FAIL_IF(test, atomic_read(&r->stale), (void)0,
		      "%d stale reads (a reader saw 0x%lx, the previous page's pattern, after the remap "
		      "to 0x%lx had returned): the TLB shootdown missed a CPU",
		      atomic_read(&r->stale), r->bad_value, r->bad_expect);
	KUNIT_FAIL_IF(test, atomic_read(&r->wrong), (void)0, "%d reads of a wrong value (0x%lx, expected 0x%lx)",
		      atomic_read(&r->wrong), r->bad_value, r->bad_expect);
}

static bool stale_can_run(struct kunit *test)
{
	if (num_online_cpus() < 2) {
		kunit_mark_skipped(test, "needs a second CPU online to hold a stale TLB entry");
		return false;
	}
	return true;
}

/* ---- vmalloc: one page of a vmalloc area ------------------------------------------------ */

static void remap_vmalloc(struct stale_run *r)
{
	unsigned long size = (unsigned long)r->npages << PAGE_SHIFT;

	vunmap_range(r->va, size);	/* pt_unmap: break, then the one flush */
	if (vmap_range(r->va, page_to_phys(r->pg[!r->cur]), size, PAGE_KERNEL))
		panic("stale_tlb: remap of 0x%lx failed", r->va);
}

static void stale_vmalloc(struct kunit *test)
{
	struct stale_run *r = new_run();
	void *p;

	if (!stale_can_run(test))
		return;
	p = vmalloc(PAGE_SIZE);
	r->pg[1] = alloc_page(GFP_KERNEL);
	KUNIT_FAIL_IF(test, !p || !r->pg[1], goto out, "no memory for the test");
	r->va = (unsigned long)p;
	r->npages = 1;
	r->direct = VMALLOC_VA_LIVE;
	r->remap = remap_vmalloc;
	r->pg[0] = vmalloc_to_page(p);
	fill_block(r, 0, 0);
	stale_run_check(test, r);
	/* STALE_ROUNDS is even: the area maps its own page again, as vfree expects. */
	KUNIT_EXPECT_EQ(test, vmalloc_to_page(p), r->pg[0]);
out:
	vfree(p);
	if (r->pg[1])
		__free_page(r->pg[1]);
}

/* ---- ioremap-style: a 64 KiB VM_IOREMAP area of RAM, Normal memory, contiguous hint ------- */

#define IOR_ORDER	4	/* 16 pages: one contiguous-hint group on arm64 */

static void stale_ioremap(struct kunit *test)
{
	struct stale_run *r = new_run();
	struct vm_struct *vm = NULL;
	unsigned int b;

	if (!stale_can_run(test))
		return;
	for (b = 0; b < 2; b++)
		r->pg[b] = alloc_pages(GFP_KERNEL, IOR_ORDER);
	vm = get_vm_area_caller(PAGE_SIZE << IOR_ORDER, PAGE_SIZE << IOR_ORDER, VM_IOREMAP, _RET_IP_);
	KUNIT_FAIL_IF(test, !r->pg[0] || !r->pg[1] || !vm, goto out, "no memory for the test");
	r->va = (unsigned long)vm->addr;
	r->npages = 1u << IOR_ORDER;
	r->direct = VMALLOC_VA_LIVE;
	r->remap = remap_vmalloc;
	vm->phys_addr = page_to_phys(r->pg[0]);
	fill_block(r, 0, 0);
	KUNIT_FAIL_IF(test, vmap_range(r->va, vm->phys_addr, PAGE_SIZE << IOR_ORDER, PAGE_KERNEL),
		      goto out, "vmap_range failed");
	stale_run_check(test, r);
	iounmap((void __iomem *)r->va);
	vm = NULL;
out:
	if (vm)
		free_vm_area(vm);
	for (b = 0; b < 2; b++)
		if (r->pg[b])
			__free_pages(r->pg[b], IOR_ORDER);
}

/* ---- kmap: CPU A's kmap_local (kmap_atomic) slot, read by the others ---------------------- */

static void remap_kmap_local(struct stale_run *r)
{
	kunmap_local((void *)r->va);	/* clears A's slot, flushes it from every CPU */
	if ((unsigned long)kmap_local_page(r->pg[!r->cur]) != r->va)
		panic("stale_tlb: kmap_local did not reuse slot 0x%lx", r->va);
}


static void stale_kmap(struct kunit *test)
{
	struct stale_run *r = new_run();
	unsigned int b;

	if (!PKMAP_SLOTS)
		kunit_skip(test, "no highmem: kmap is the linear map on this arch, nothing is remapped");
	if (!stale_can_run(test))
		return;
	for (b = 0; b < 2; b++)
		r->pg[b] = alloc_highpage();
	if (!r->pg[0] || !r->pg[1]) {
		kunit_mark_skipped(test, "no HighMem page on this machine");
		goto out;
	}
	r->npages = 1;
	r->direct = true;	/* kmap slots are real addresses on the host too (its kmap window) */
	r->remap = remap_kmap_local;
	fill_block(r, 0, 0);
	r->va = (unsigned long)kmap_local_page(r->pg[0]);
	stale_run_check(test, r);
	kunmap_local((void *)r->va);
out:
	for (b = 0; b < 2; b++)
		if (r->pg[b])
			__free_page(r->pg[b]);
}

static int stale_tlb_init(void)
{
	return vm_test_init();
}

kunit_test_suite_init(stale_tlb, stale_tlb_init, NULL,
	KUNIT_CASE(stale_vmalloc),
	KUNIT_CASE(stale_ioremap),
	KUNIT_CASE(stale_kmap));

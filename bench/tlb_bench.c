/* tlb_bench.c: `bench tlb` — the cost of one kernel-range TLB shootdown, in timer ticks (median, p99). */
#include <kernel/bench.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <mm/mm.h>
#include <mm/vmalloc.h>
#include <asm/tlbflush.h>
#include <errno.h>

/*
 * One shootdown = one flush_tlb_kernel_range() over a vmalloc-space range, as
 * mm/pgtable.c issues it after a kernel mapping changes: on arm64 a broadcast
 * TLBI VAAE1IS per page (TLBI VMALLE1IS above MAX_TLBI_OPS pages) then
 * DSB ISH, which waits for every CPU of the inner-shareable domain; on x86 the
 * INVLPGs here plus, once the SMP x86 backend is in, the IPI round trip to
 * every other CPU. Written against the generic call only, so it measures
 * whatever the arch does. Each sample is one call, timed alone with the bench
 * clock (generic-timer ticks on arm64); the table gives the median and the
 * 99th percentile of TB_SAMPLES calls, in ticks and in ns. Under QEMU a
 * broadcast TLBI makes every vCPU stop at a safe point, so the figures are
 * the emulator's, not a Cortex-A53's. A benchmark prints; it never fails.
 */
#define TB_SAMPLES	1024

static u64 tb_sample[TB_SAMPLES];

/* Sorts the samples (insertion sort: 1024 values, once per row). */
static void tb_sort(u64 *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		u64 x = v[i];
		unsigned int j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* One row: TB_SAMPLES shootdowns of pages pages at va. */
static void tb_row(unsigned long va, unsigned int pages)
{
	char med[BENCH_NS_LEN], p99[BENCH_NS_LEN];
	unsigned long end = va + (unsigned long)pages * PAGE_SIZE;

	for (unsigned int i = 0; i < TB_SAMPLES; i++) {
		u64 t0 = bench_clock();

		flush_tlb_kernel_range(va, end);
		tb_sample[i] = bench_clock() - t0;
	}
	tb_sort(tb_sample, TB_SAMPLES);
	kprintf("%-8u %12llu %12llu %12s %12s\n", pages, (unsigned long long)tb_sample[TB_SAMPLES / 2],
		(unsigned long long)tb_sample[TB_SAMPLES * 99 / 100],
		bench_fmt_ns(med, bench_ns10(tb_sample[TB_SAMPLES / 2], 1)),
		bench_fmt_ns(p99, bench_ns10(tb_sample[TB_SAMPLES * 99 / 100], 1)));
}

static int tlb_bench(void)
{
	const unsigned int pages[] = { 1, 16, 64, 65 };
	struct vm_struct *vm = get_vm_area_caller(65 * PAGE_SIZE, PAGE_SIZE, VM_MAP, _RET_IP_);

	if (!vm) {
		kprintf("tlb: no vmalloc space for the range\n");
		return -ENOMEM;
	}
	kprintf("kernel-range TLB shootdown, flush_tlb_kernel_range (%s), %u CPUs online, %d samples\n",
		bench_where(), num_online_cpus(), TB_SAMPLES);
	kprintf("%-8s %12s %12s %12s %12s\n", "pages", "median tick", "p99 ticks", "median ns", "p99 ns");
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++) {
		if (bench_interrupted()) {
			free_vm_area(vm);
			return -EINTR;
		}
		tb_row((unsigned long)vm->addr, pages[i]);
	}
	kprintf("(65 pages: above the per-page limit, one flush of the whole TLB)\n");
	free_vm_area(vm);	/* nothing was mapped: nothing to flush */
	return 0;
}
BENCH(tlb, "tlb", "the cost of one kernel-range TLB shootdown (median and p99, timer ticks)", tlb_bench);

/* vmalloc_bench.c: `bench vmalloc` — vmalloc+vfree pairs in the kernel, by generic-timer ticks, against live areas. */
#include <errno.h>
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/bench.h>
#include <mm/vmalloc.h>

/*
 * The kernel twin of bench/vmalloc_bench.c: the same live-area layout (each
 * one-page area after a one-page hole, so the free tree has as many ranges as
 * there are areas), but with the real page tables and TLB maintenance. A
 * benchmark prints figures; it never fails on a slow machine.
 */
#define VMBENCH_MAX_LIVE	10000

/* Bookkeeping for the live areas, vmalloc'd per run so it costs the image nothing. */
static void **live;
static struct vm_struct **hole;

static unsigned int make_live(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		hole[i] = get_vm_area_caller(PAGE_SIZE, PAGE_SIZE, VM_MAP | VM_NO_GUARD, _RET_IP_);
		live[i] = vmalloc(PAGE_SIZE);
		if (!hole[i] || !live[i])
			break;
	}
	for (unsigned int j = 0; j < n && j <= i && hole[j]; j++)
		free_vm_area(hole[j]);
	return i;
}

static void drop_live(unsigned int n)
{
	for (unsigned int i = 0; i < n && live[i]; i++)
		vfree(live[i]);
}

/* ns per vmalloc(size)+vfree pair over `pairs` pairs (0 if an allocation failed). */
static u64 pair_ns(unsigned long size, unsigned int pairs)
{
	u64 t0 = arch_counter_read(), ticks;

	for (unsigned int i = 0; i < pairs; i++) {
		void *p = vmalloc(size);

		if (!p)
			return 0;
		vfree(p);
	}
	ticks = arch_counter_read() - t0;
	return ticks * 1000000000ULL / arch_counter_freq() / pairs;
}

/* ns per get_vm_area+free_vm_area pair: the VA allocator alone (no pages, no tables). */
static u64 area_ns(unsigned long size, unsigned int pairs)
{
	u64 t0 = arch_counter_read(), ticks;

	for (unsigned int i = 0; i < pairs; i++) {
		struct vm_struct *vm = get_vm_area_caller(size, PAGE_SIZE, VM_MAP, _RET_IP_);

		if (!vm)
			return 0;
		free_vm_area(vm);
	}
	ticks = arch_counter_read() - t0;
	return ticks * 1000000000ULL / arch_counter_freq() / pairs;
}

static int cmd_vmbench(void)
{
	static const unsigned int counts[] = { 1, 100, VMBENCH_MAX_LIVE };

	int ret = 0;

	live = vmalloc(VMBENCH_MAX_LIVE * sizeof(*live));
	hole = vmalloc(VMBENCH_MAX_LIVE * sizeof(*hole));
	if (!live || !hole) {
		ret = -ENOMEM;
		goto out;
	}
	kprintf("vmalloc+vfree pairs in the kernel, ns per pair (counter %llu Hz)\n",
		(unsigned long long)arch_counter_freq());
	kprintf("%-11s %12s %12s %14s\n", "live areas", "4 KiB pair", "1 MiB pair", "VA-only 4 KiB");
	for (unsigned int c = 0; c < ARRAY_SIZE(counts); c++) {
		unsigned int n = make_live(counts[c]);
		u64 small, big, va;

		if (n < counts[c]) {
			kprintf("vmbench: only %u areas fit\n", n);
			drop_live(n);
			ret = 1;
			goto out;
		}
		small = pair_ns(PAGE_SIZE, 2000);
		big = pair_ns(1UL << 20, 50);
		va = area_ns(PAGE_SIZE, 20000);
		kprintf("%-11u %12llu %12llu %14llu\n", n, (unsigned long long)small,
			(unsigned long long)big, (unsigned long long)va);
		drop_live(n);
	}
out:
	vfree(hole);
	vfree(live);
	return ret;
}
BENCH(vmalloc, "vmalloc", "time vmalloc+vfree pairs against 1, 100, 10000 live areas", cmd_vmbench);

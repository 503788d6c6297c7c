/* tlbflush.h (arm64): TLB maintenance for kernel mappings and the table-store barrier (ARM ARM D8.13). */
#ifndef ASM_ARM64_TLBFLUSH_H
#define ASM_ARM64_TLBFLUSH_H

#include <compiler.h>
#include <asm/barrier.h>

/* Beyond this many pages one TLBI VMALLE1IS is cheaper than a TLBI per page. */
#define MAX_TLBI_OPS	64

/* pte_barrier: a table store is visible to the walker (and to other CPUs' walkers). */
static inline void pte_barrier(void)
{
	dsb(ishst);
	isb();
}

/* flush_tlb_all: every EL1&0 translation on every CPU of the inner-shareable domain. */
static inline void flush_tlb_all(void)
{
	dsb(ishst);
	__asm__ volatile("tlbi vmalle1is" : : : "memory");
	dsb(ish);
	isb();
}

/*
 * flush_tlb_kernel_range: translations (and walk-cache entries) for [start, end)
 * on every CPU. TLBI VAAE1IS takes VA[55:12] and matches any ASID; it also hits
 * a block entry that covers the VA. end may be 0 for a range ending at the top
 * of the address space (unsigned arithmetic).
 */
static inline void flush_tlb_kernel_range(vaddr_t start, vaddr_t end)
{
	u64 pages = (end - start) >> 12, i, arg = (start >> 12) & GENMASK_ULL(43, 0);

	if (pages > MAX_TLBI_OPS) {
		flush_tlb_all();
		return;
	}
	dsb(ishst);
	for (i = 0; i < pages; i++)
		__asm__ volatile("tlbi vaae1is, %0" : : "r"(arg + i) : "memory");
	dsb(ish);
	isb();
}

/*
 * flush_tlb_kernel_range_stride: the same for a range of entries that each map
 * stride bytes (blocks, or tables being unhooked): one TLBI VAAE1IS per entry
 * is enough, since it removes the block's TLB entry and any walk-cache entry
 * used to translate that VA.
 */
#define flush_tlb_kernel_range_stride flush_tlb_kernel_range_stride
static inline void flush_tlb_kernel_range_stride(vaddr_t start, vaddr_t end, u64 stride)
{
	u64 n = (end - start) / stride, i;

	if (n > MAX_TLBI_OPS) {
		flush_tlb_all();
		return;
	}
	dsb(ishst);
	for (i = 0; i < n; i++)
		__asm__ volatile("tlbi vaae1is, %0" : :
				 "r"(((start + i * stride) >> 12) & GENMASK_ULL(43, 0)) : "memory");
	dsb(ish);
	isb();
}

/* local_flush_tlb_all: this CPU only (boot, before other CPUs run). */
static inline void local_flush_tlb_all(void)
{
	dsb(nshst);
	__asm__ volatile("tlbi vmalle1" : : : "memory");
	dsb(nsh);
	isb();
}

#endif

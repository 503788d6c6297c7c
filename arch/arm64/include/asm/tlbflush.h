/* tlbflush.h (arm64): TLB maintenance for kernel mappings and the table-store barrier (ARM ARM D8.13). */
#ifndef ASM_ARM64_TLBFLUSH_H
#define ASM_ARM64_TLBFLUSH_H

#include <compiler.h>
#include <asm/barrier.h>
#include <mm/vmstat.h>

/*
 * THE SMP RULE FOR KERNEL MAPPINGS. Every CPU translates the kernel through
 * the same tables (init_mm, TTBR1), so a change to a kernel mapping must leave
 * no stale translation in ANY CPU's TLB. Every flush here is therefore the
 * inner-shareable broadcast form (TLBI ...IS: the Pi 3's four cores are one
 * inner-shareable domain), bracketed by
 *   DSB ISHST  the table store is visible to every CPU's walker before the TLBI,
 *   DSB ISH    waits until the TLBI has completed on every CPU,
 *   ISB        this CPU refetches with the new translation.
 * No IPI is needed: the hardware broadcasts. Two forms per VA:
 *   TLBI VAAE1IS   any ASID, every level: for table entries being unhooked
 *                  (the walk caches must forget the table) or unknown changes;
 *   TLBI VAALE1IS  any ASID, last level only: when only leaf entries (pages or
 *                  blocks, the last level of their walk) changed, the walk
 *                  caches may stay (ARM ARM D8.13.5).
 * The only local (non-IS) TLBIs are the boot-time ones (head.S, mmu.c's switch
 * of TTBR1, setup.c's TTBR0 switch-off): each CPU cleans its own TLB before it
 * uses the shared tables, when no other CPU uses them, or the register changed
 * is this CPU's own. local_flush_tlb_all below is for those.
 *
 * Every TLBI is counted in /proc/vmstat's per-CPU events: nr_tlb_local_flush_one
 * per VA TLBI, nr_tlb_local_flush_all per VMALLE1(IS).
 */

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
	count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
}

/* The VA argument of a TLBI by VA: VA[55:12] in bits [43:0], ASID ignored by the *AA* forms. */
static inline u64 __tlbi_va(vaddr_t va)
{
	return (va >> 12) & GENMASK_ULL(43, 0);
}

/*
 * __flush_tlb_kernel_range: one broadcast TLBI per stride-sized entry of
 * [start, end) (a TLBI by VA removes the entry covering that VA, block or
 * page), last: the last-level form; above MAX_TLBI_OPS entries, VMALLE1IS.
 */
static inline void __flush_tlb_kernel_range(vaddr_t start, vaddr_t end, u64 stride, bool last)
{
	u64 n = (end - start) / stride, i;

	if (n > MAX_TLBI_OPS) {
		flush_tlb_all();
		return;
	}
	dsb(ishst);
	for (i = 0; i < n; i++) {
		if (last)
			__asm__ volatile("tlbi vaale1is, %0" : : "r"(__tlbi_va(start + i * stride)) : "memory");
		else
			__asm__ volatile("tlbi vaae1is, %0" : : "r"(__tlbi_va(start + i * stride)) : "memory");
	}
	dsb(ish);
	isb();
	count_vm_events(NR_TLB_LOCAL_FLUSH_ONE, n);
}

/*
 * flush_tlb_kernel_range: translations (and walk-cache entries) for [start, end)
 * on every CPU (TLBI VAAE1IS per page). end may be 0 for a range ending at the
 * top of the address space (unsigned arithmetic).
 */
static inline void flush_tlb_kernel_range(vaddr_t start, vaddr_t end)
{
	__flush_tlb_kernel_range(start, end, 1UL << 12, false);
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
	__flush_tlb_kernel_range(start, end, stride, false);
}

/*
 * flush_tlb_kernel_leaf_range: the same when only leaf entries were broken
 * (mm/pgtable.c knows): TLBI VAALE1IS, which leaves the walk caches alone.
 */
#define flush_tlb_kernel_leaf_range flush_tlb_kernel_leaf_range
static inline void flush_tlb_kernel_leaf_range(vaddr_t start, vaddr_t end, u64 stride)
{
	__flush_tlb_kernel_range(start, end, stride, true);
}

/*
 * USER MAPPINGS are tagged with their mm's ASID (nG), so their flushes name it:
 *   TLBI VAE1IS    one VA of one ASID, every level (the walk caches too);
 *   TLBI ASIDE1IS  everything of one ASID: above MAX_TLBI_OPS pages.
 * Both broadcast (any CPU may have run the mm or walked its tables
 * speculatively), bracketed as above. asid is the mm's context id: the
 * hardware ASID is its low 16 bits (the generation above is software's).
 */
#define TLBI_ASID_SHIFT	48
static inline u64 __tlbi_asid(u64 asid)
{
	return (asid & 0xffff) << TLBI_ASID_SHIFT;
}

/* flush_tlb_asid: every translation of one ASID, on every CPU. */
static inline void flush_tlb_asid(u64 asid)
{
	dsb(ishst);
	__asm__ volatile("tlbi aside1is, %0" : : "r"(__tlbi_asid(asid)) : "memory");
	dsb(ish);
	isb();
	count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
}

/*
 * flush_tlb_user_ctx_range (arch/arm64/mmu_context.c): mm/pgtable.c's flush of
 * a process's tables ctx: flush_tlb_user_range with its mm's ASID (VAE1IS
 * drops the walk caches too, so tables freed need nothing more).
 */
struct mm_ctx;
void flush_tlb_user_ctx_range(struct mm_ctx *ctx, vaddr_t start, vaddr_t end, bool tables);

/* flush_tlb_user_range: the pages of [start, end) in the address space of asid, on every CPU. */
static inline void flush_tlb_user_range(u64 asid, vaddr_t start, vaddr_t end)
{
	u64 n = (end - start) >> 12, i;

	if (n > MAX_TLBI_OPS) {
		flush_tlb_asid(asid);
		return;
	}
	dsb(ishst);
	for (i = 0; i < n; i++)
		__asm__ volatile("tlbi vae1is, %0" : : "r"(__tlbi_asid(asid) | __tlbi_va(start + (i << 12)))
				 : "memory");
	dsb(ish);
	isb();
	count_vm_events(NR_TLB_LOCAL_FLUSH_ONE, n);
}

/*
 * local_flush_tlb_all: this CPU only (TLBI VMALLE1, DSB NSH): boot, before the
 * other CPUs run or for this CPU's own registers (see the rule above).
 */
static inline void local_flush_tlb_all(void)
{
	dsb(nshst);
	__asm__ volatile("tlbi vmalle1" : : : "memory");
	dsb(nsh);
	isb();
	count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
}

#endif

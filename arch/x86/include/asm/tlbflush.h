/* tlbflush.h (x86): TLB maintenance for kernel mappings (Intel SDM vol. 3, 4.10.4) — local instructions, and every CPU's through arch/x86/tlb.c. */
#ifndef ASM_X86_TLBFLUSH_H
#define ASM_X86_TLBFLUSH_H

#include <compiler.h>
#include <types.h>
#include <asm/barrier.h>

/* Beyond this many pages one full flush is cheaper than an INVLPG per page. */
#define MAX_INVLPG_OPS	64
#define X86_CR4_PGE_BIT	(1u << 7)
#define TLB_FLUSH_ALL	(~(vaddr_t)0)	/* an end that means "everything" (Linux's name) */

/*
 * pte_barrier: x86's page walker sees this CPU's stores in program order, so
 * only the compiler must be kept from reordering or caching a table store.
 */
static inline void pte_barrier(void)
{
	barrier();
}

/*
 * local_flush_tlb_all: every translation of this CPU, global ones included:
 * toggling CR4.PGE drops them all, and the CR3 reload also re-reads the four
 * PDPT entries (PAE loads them into registers at CR3 load; a changed PDPT
 * entry counts only after this).
 */
static inline void local_flush_tlb_all(void)
{
	unsigned long cr3, cr4;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(cr4));
	__asm__ __volatile__("mov %%cr3, %0" : "=r"(cr3));
	if (cr4 & X86_CR4_PGE_BIT)
		__asm__ __volatile__("mov %0, %%cr4" :: "r"(cr4 & ~X86_CR4_PGE_BIT) : "memory");
	__asm__ __volatile__("mov %0, %%cr3" :: "r"(cr3) : "memory");
	if (cr4 & X86_CR4_PGE_BIT)
		__asm__ __volatile__("mov %0, %%cr4" :: "r"(cr4) : "memory");
}

/* flush_tlb_one_kernel: INVLPG drops the page's translation on this CPU, global or not, and any
 * paging-structure cache entries for it (a 2 MiB page is flushed by any VA in it). */
static inline void flush_tlb_one_kernel(vaddr_t va)
{
	__asm__ __volatile__("invlpg (%0)" :: "r"(va) : "memory");
}

/*
 * flush_tlb_kernel_range: [start, end) (end 0: to the top; TLB_FLUSH_ALL:
 * everything) on every online CPU — here by INVLPG or a full flush above
 * MAX_INVLPG_OPS pages, on the others by one shootdown IPI for the whole
 * range, returning once every one of them has flushed. No IPI with one CPU
 * online. Callable with interrupts masked (arch/x86/tlb.c says how).
 * flush_tlb_all: the same for every translation.
 */
void flush_tlb_kernel_range(vaddr_t start, vaddr_t end);
void flush_tlb_all(void);

/*
 * x86_flush_tlb_range (arch/x86/mmu_context.c): what mm/pgtable.c's flushes
 * and flush_tlb_user_range come to. A kernel range is flush_tlb_kernel_range
 * (every online CPU). A user range (below TASK_SIZE) is flushed only on the
 * CPUs running this CPU's mm — their cur_user_mm is the mm cpumask, no IPI
 * elsewhere (user entries are not global and a CPU drops them all when it
 * leaves a process). tables: tables may have been freed there, so those CPUs
 * also reload CR3, as PAE keeps the PDPT entries in registers until then.
 * No PCIDs: the asid is unused.
 */
void x86_flush_tlb_range(vaddr_t start, vaddr_t end, bool tables);
static inline void flush_tlb_user_range(u64 asid, vaddr_t start, vaddr_t end)
{
	(void)asid;
	x86_flush_tlb_range(start, end, false);
}
/* mm/pgtable.c's flush of a process's tables: the same user range, tables as told. */
struct mm_ctx;
static inline void flush_tlb_user_ctx_range(struct mm_ctx *ctx, vaddr_t start, vaddr_t end, bool tables)
{
	(void)ctx;
	x86_flush_tlb_range(start, end, tables);
}
#define flush_tlb_kernel_range_stride(s, e, stride)	x86_flush_tlb_range(s, e, true)
#define flush_tlb_kernel_leaf_range(s, e, stride)	x86_flush_tlb_range(s, e, false)

#endif

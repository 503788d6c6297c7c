/* tlbflush.h (host seam): TLB maintenance counted instead of executed, so tests can see BBM happen. */
#ifndef HOST_ASM_TLBFLUSH_H
#define HOST_ASM_TLBFLUSH_H

#include <types.h>

/*
 * Every call is counted (tests/seam/host/tlbflush.c). A test may also set
 * host_tlb_flush_hook to look at the tables at the moment of a flush (e.g. to
 * check that the entry being flushed was already invalid: break before make).
 */
struct host_tlb_stats {
	unsigned long range_flushes;	/* flush_tlb_kernel_range calls */
	unsigned long all_flushes;	/* flush_tlb_all + local_flush_tlb_all calls */
	unsigned long barriers;		/* pte_barrier calls */
};
extern struct host_tlb_stats host_tlb;
extern void (*host_tlb_flush_hook)(vaddr_t start, vaddr_t end);
/* Set by the kmap window (kmap_window.c): drops the host's mappings of flushed slots. */
extern void (*host_tlb_drop_hook)(vaddr_t start, vaddr_t end);

static inline void host_tlb_drop(vaddr_t start, vaddr_t end)
{
	if (host_tlb_drop_hook)
		host_tlb_drop_hook(start, end);
}

static inline void pte_barrier(void) { host_tlb.barriers++; }
static inline void flush_tlb_all(void) { host_tlb.all_flushes++; host_tlb_drop(0, ~(vaddr_t)0); }
static inline void local_flush_tlb_all(void) { flush_tlb_all(); }
static inline void flush_tlb_kernel_range(vaddr_t start, vaddr_t end)
{
	host_tlb.range_flushes++;
	host_tlb_drop(start, end);
	if (host_tlb_flush_hook)
		host_tlb_flush_hook(start, end);
}

/* The host's model has no address-space ids: a process's range goes as a kernel one does. */
struct mm_ctx;
static inline void flush_tlb_user_ctx_range(struct mm_ctx *ctx, vaddr_t start, vaddr_t end, bool tables)
{
	(void)ctx;
	(void)tables;
	flush_tlb_kernel_range(start, end);
}

/* The host's model has no address-space ids: a user range goes as a kernel one does. */
static inline void flush_tlb_user_range(u64 asid, vaddr_t start, vaddr_t end)
{
	(void)asid;
	flush_tlb_kernel_range(start, end);
}

#endif

/* vmstat.h: the page counters behind /proc/meminfo and /proc/vmstat — per-CPU diffs folded into global totals. */
#ifndef PAGODA_VMSTAT_H
#define PAGODA_VMSTAT_H

#include <kernel/percpu.h>
#include <kernel/spinlock.h>
#include <types.h>

/*
 * A counter another CPU reads is written with vmstat_write and read with
 * vmstat_read: single-word relaxed atomics (plain loads and stores on both
 * arches), so a reader sees some value the writer stored, never a torn one,
 * and the host's ThreadSanitizer sees no race.
 */
#define vmstat_read(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define vmstat_write(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* Each subsystem adds and subtracts its own pages; meminfo only reads. */
enum node_stat_item {
	NR_SLAB_RECLAIMABLE,	/* pages held by SLAB_RECLAIM_ACCOUNT caches */
	NR_SLAB_UNRECLAIMABLE,	/* pages held by the other slab caches */
	NR_PAGETABLE,		/* kernel page-table pages in use */
	NR_VMALLOC,		/* pages mapped by vmalloc */
	NR_KERNEL_STACK,	/* pages of kernel stacks */
	NR_KMALLOC_LARGE,	/* pages of kmalloc allocations too large for a size class */
	NR_VM_STAT_ITEMS,
};

/*
 * Linux's vm_stat_diff scheme. A change lands in this CPU's diff (interrupts
 * masked, no lock, no shared cache line); when a diff passes the CPU's
 * threshold in either direction it is folded into the global total with one
 * atomic add. refresh_cpu_vm_stats() folds this CPU's diffs, vmstat_refresh()
 * every online CPU's (a cross call). Thresholds follow Linux's formula
 * (refresh_zone_stat_thresholds); 0, the boot value, folds every change.
 */
extern long vm_node_stat[NR_VM_STAT_ITEMS];	/* folded totals: atomic adds only */

struct vm_stat_pcp {
	long diff[NR_VM_STAT_ITEMS];		/* per-CPU: not yet folded */
	long threshold;				/* per-CPU: fold when |diff| exceeds it */
} __aligned(64);

DECLARE_PER_CPU(struct vm_stat_pcp, vm_node_stat_pcp);

/* __mod_node_page_state: the same with interrupts already masked. */
static inline void __mod_node_page_state(enum node_stat_item item, long delta)
{
	struct vm_stat_pcp *p = this_cpu_ptr(vm_node_stat_pcp);
	long x = p->diff[item] + delta, t = p->threshold;

	if (unlikely(x > t || x < -t)) {
		__atomic_fetch_add(&vm_node_stat[item], x, __ATOMIC_RELAXED);
		x = 0;
	}
	vmstat_write(p->diff[item], x);
}

/* Any context, any CPU (slab, vmalloc and the page-table allocator call it). */
static inline void mod_node_page_state(enum node_stat_item item, long delta)
{
	unsigned long flags;

	local_irq_save(flags);
	__mod_node_page_state(item, delta);
	local_irq_restore(flags);
}

/*
 * global_node_page_state: the folded total plus every CPU's pending diff —
 * Linux's node_page_state_snapshot, exact whenever no CPU is changing the
 * counter meanwhile, so callers never need a fold first. Can be negative
 * for a moment while another CPU is mid-change.
 */
long global_node_page_state(enum node_stat_item item);
/* The folded total alone (what a fold has reached; for the vmstat tests). */
static inline long global_node_page_state_folded(enum node_stat_item item)
{
	return vmstat_read(vm_node_stat[item]);
}
/* This CPU's diffs into the totals (interrupts masked inside). */
void refresh_cpu_vm_stats(void);
/* Every online CPU folds its own (returns when all have). */
void vmstat_refresh(void);
/* Sets each CPU's threshold from the RAM the buddy manages and the possible CPUs. */
void refresh_zone_stat_thresholds(void);
/* CPU cpu's threshold (for /proc/zoneinfo). */
long vm_stat_threshold(unsigned int cpu);

/*
 * Event counters for /proc/vmstat (Linux's vm_event_item names, lower-cased
 * there): per-CPU, each CPU adding to its own slot with interrupts masked,
 * summed only when read — they never need folding.
 */
enum vm_event_item {
	PGALLOC_DMA,			/* pages allocated from ZONE_DMA */
	PGALLOC_NORMAL,			/* ... ZONE_NORMAL (PGALLOC_DMA + zone index) */
	PGALLOC_HIGH,			/* ... ZONE_HIGHMEM */
	PGFREE,				/* pages freed */
	PGFAULT,			/* user page faults handled (mm/memory.c) */
	PGMAJFAULT,			/* ... that read a program's page from the archive (Linux: from a file) */
	COW_FAULT,			/* COW write faults that copied the page (Linux has no name: ours) */
	COW_REUSE,			/* COW write faults that found the page mapped once: made writable */
	NR_TLB_REMOTE_FLUSH,		/* this CPU asked other CPUs to flush (x86 IPI) */
	NR_TLB_REMOTE_FLUSH_RECEIVED,	/* this CPU flushed for another */
	NR_TLB_LOCAL_FLUSH_ALL,		/* whole-TLB flushes here */
	NR_TLB_LOCAL_FLUSH_ONE,		/* single-page flushes here */
	NR_VM_EVENT_ITEMS,
};

DECLARE_PER_CPU(unsigned long [NR_VM_EVENT_ITEMS], vm_event_states);

/* __count_vm_events: with interrupts already masked. */
static inline void __count_vm_events(enum vm_event_item item, unsigned long delta)
{
	unsigned long *c = &(*this_cpu_ptr(vm_event_states))[item];

	vmstat_write(*c, *c + delta);
}

static inline void count_vm_events(enum vm_event_item item, unsigned long delta)
{
	unsigned long flags;

	local_irq_save(flags);
	__count_vm_events(item, delta);
	local_irq_restore(flags);
}

static inline void count_vm_event(enum vm_event_item item)
{
	count_vm_events(item, 1);
}

/* The sum over all CPUs (a snapshot: others may be counting meanwhile). */
unsigned long sum_vm_event(enum vm_event_item item);

#endif

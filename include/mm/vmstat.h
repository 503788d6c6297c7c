/* vmstat.h: global page counters that /proc/meminfo reports (Linux's node_stat_item idea). */
#ifndef PAGODA_VMSTAT_H
#define PAGODA_VMSTAT_H

#include <kernel/percpu.h>
#include <kernel/spinlock.h>
#include <types.h>

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

extern long vm_node_stat[NR_VM_STAT_ITEMS];

static inline void mod_node_page_state(enum node_stat_item item, long delta)
{
	vm_node_stat[item] += delta;
}

static inline long global_node_page_state(enum node_stat_item item)
{
	return vm_node_stat[item];
}

/*
 * Event counters for /proc/vmstat (Linux's vm_event_item names, lower-cased
 * there): per-CPU, each CPU adding to its own slot with interrupts masked,
 * summed only when read — they never need folding.
 */
enum vm_event_item {
	NR_TLB_REMOTE_FLUSH,		/* this CPU asked other CPUs to flush (x86 IPI) */
	NR_TLB_REMOTE_FLUSH_RECEIVED,	/* this CPU flushed for another */
	NR_TLB_LOCAL_FLUSH_ALL,		/* whole-TLB flushes here */
	NR_TLB_LOCAL_FLUSH_ONE,		/* single-page flushes here */
	NR_VM_EVENT_ITEMS,
};

DECLARE_PER_CPU(unsigned long [NR_VM_EVENT_ITEMS], vm_event_states);

static inline void count_vm_events(enum vm_event_item item, unsigned long delta)
{
	unsigned long flags;

	local_irq_save(flags);
	(*this_cpu_ptr(vm_event_states))[item] += delta;
	local_irq_restore(flags);
}

static inline void count_vm_event(enum vm_event_item item)
{
	count_vm_events(item, 1);
}

/* The sum over all CPUs (a snapshot: others may be counting meanwhile). */
unsigned long sum_vm_event(enum vm_event_item item);

#endif

/* vmstat.h: global page counters that /proc/meminfo reports (Linux's node_stat_item idea). */
#ifndef PAGODA_VMSTAT_H
#define PAGODA_VMSTAT_H

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

#endif

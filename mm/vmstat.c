/* vmstat.c: the page counters of include/mm/vmstat.h — folding per-CPU diffs, thresholds, and /proc/vmstat. */
#include <mm/mmzone.h>
#include <mm/vmstat.h>
#include <kernel/debugfs.h>
#include <kernel/smp.h>

long vm_node_stat[NR_VM_STAT_ITEMS];
DEFINE_PER_CPU(struct vm_stat_pcp, vm_node_stat_pcp);
DEFINE_PER_CPU(unsigned long [NR_VM_EVENT_ITEMS], vm_event_states);

long global_node_page_state(enum node_stat_item item)
{
	long sum = vmstat_read(vm_node_stat[item]);
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		sum += vmstat_read(per_cpu(vm_node_stat_pcp, cpu).diff[item]);
	return sum;
}

void refresh_cpu_vm_stats(void)
{
	struct vm_stat_pcp *p;
	unsigned long flags;
	int i;

	local_irq_save(flags);
	p = this_cpu_ptr(vm_node_stat_pcp);
	for (i = 0; i < NR_VM_STAT_ITEMS; i++) {
		if (!p->diff[i])
			continue;
		__atomic_fetch_add(&vm_node_stat[i], p->diff[i], __ATOMIC_RELAXED);
		vmstat_write(p->diff[i], 0);
	}
	local_irq_restore(flags);
}

static void refresh_cpu_vm_stats_call(void *unused)
{
	(void)unused;
	refresh_cpu_vm_stats();
}

void vmstat_refresh(void)
{
	on_each_cpu(refresh_cpu_vm_stats_call, NULL, 1);
}

static unsigned int fls_ul(unsigned long x)
{
	return x ? (unsigned int)(8 * sizeof(long)) - (unsigned int)__builtin_clzl(x) : 0;
}

/*
 * Linux's calculate_normal_threshold(): 2 * fls(CPUs) * (1 + fls(RAM in 128 MiB
 * units)), at most 125 — more CPUs and more memory mean rarer folds. pagoda
 * counts the possible CPUs (the lists exist for all of them): the Pi 3's
 * 960 MiB and 8 possible CPUs give 32. The largest error a reader of the
 * folded totals can see is threshold x CPUs; global_node_page_state has none.
 */
void refresh_zone_stat_thresholds(void)
{
	unsigned long mem = totalram_pages() >> (27 - PAGE_SHIFT);
	long t = 2 * (long)fls_ul(CONFIG_NR_CPUS) * (1 + (long)fls_ul(mem));
	unsigned int cpu;

	if (t > 125)
		t = 125;
	vmstat_refresh();
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		vmstat_write(per_cpu(vm_node_stat_pcp, cpu).threshold, t);
}

long vm_stat_threshold(unsigned int cpu)
{
	return vmstat_read(per_cpu(vm_node_stat_pcp, cpu).threshold);
}

unsigned long sum_vm_event(enum vm_event_item item)
{
	unsigned long sum = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		sum += vmstat_read(per_cpu(vm_event_states, cpu)[item]);
	return sum;
}

/* ---- /proc/vmstat ------------------------------------------------------------------ */

/* Node counters in Linux's order and names (pagoda's own last); nr_kernel_stack is in kB, as Linux's. */
static const struct {
	const char *name;
	enum node_stat_item item;
	unsigned int shift;		/* pages << shift: the unit printed */
} vmstat_node_rows[] = {
	{ "nr_slab_reclaimable", NR_SLAB_RECLAIMABLE, 0 },
	{ "nr_slab_unreclaimable", NR_SLAB_UNRECLAIMABLE, 0 },
	{ "nr_kernel_stack", NR_KERNEL_STACK, PAGE_SHIFT - 10 },
	{ "nr_page_table_pages", NR_PAGETABLE, 0 },
	{ "nr_vmalloc", NR_VMALLOC, 0 },
	{ "nr_kmalloc_large", NR_KMALLOC_LARGE, 0 },
};

static const char *const vmstat_event_names[NR_VM_EVENT_ITEMS] = {
	"pgalloc_dma", "pgalloc_normal", "pgalloc_high", "pgfree", "pgfault",
	"pgmajfault", "cow_fault", "cow_reuse",
	"nr_tlb_remote_flush", "nr_tlb_remote_flush_received",
	"nr_tlb_local_flush_all", "nr_tlb_local_flush_one",
};

/*
 * /proc/vmstat: "name value" per line, Linux's layout: the free pages (the
 * buddy's, not the per-CPU lists'), the node counters, then the events summed
 * over the CPUs. pgalloc_<zone> lines exist for the zones this arch has.
 */
static void vmstat_show(struct seq_buf *s)
{
	unsigned int i;
	long v;

	seq_buf_printf(s, "nr_free_pages %lu\n", nr_free_pages());
	for (i = 0; i < ARRAY_SIZE(vmstat_node_rows); i++) {
		v = global_node_page_state(vmstat_node_rows[i].item);
		seq_buf_printf(s, "%s %lu\n", vmstat_node_rows[i].name,
			       (v > 0 ? (unsigned long)v : 0) << vmstat_node_rows[i].shift);
	}
	for (i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		if (i >= PGALLOC_DMA + MAX_NR_ZONES && i <= PGALLOC_HIGH)
			continue;
		seq_buf_printf(s, "%s %lu\n", vmstat_event_names[i], sum_vm_event(i));
	}
}
DEBUGFS_FILE(vmstat, "/proc/vmstat", vmstat_show);

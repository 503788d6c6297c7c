/* vmstat.c: storage for the global page counters and the per-CPU event counters of include/mm/vmstat.h. */
#include <mm/vmstat.h>

long vm_node_stat[NR_VM_STAT_ITEMS];
DEFINE_PER_CPU(unsigned long [NR_VM_EVENT_ITEMS], vm_event_states);

unsigned long sum_vm_event(enum vm_event_item item)
{
	unsigned long sum = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		sum += READ_ONCE(per_cpu(vm_event_states, cpu)[item]);
	return sum;
}

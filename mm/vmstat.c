/* vmstat.c: storage for the global page counters of include/mm/vmstat.h. */
#include <mm/vmstat.h>

long vm_node_stat[NR_VM_STAT_ITEMS];

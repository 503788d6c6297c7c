/* smp_seam.c (host seam): the thread-local state behind smp_processor_id() and local_irq_save() on the host. */
#include <asm/irqflags.h>
#include <asm/percpu.h>

__thread unsigned long host_cpu_offset;
__thread unsigned long host_irqs_masked;

/* percpu.h: per-CPU variables, and which CPU this is (smp_processor_id) from the per-CPU offset register. */
#ifndef PAGODA_PERCPU_H
#define PAGODA_PERCPU_H

#include <asm/percpu.h>
#include <asm/smp.h>

/*
 * CONFIG_NR_CPUS (asm/smp.h) is how many CPUs the arch can bring up; every
 * per-CPU array has that many slots.
 *
 * A per-CPU variable is an array with one slot per possible CPU. Each CPU's
 * per-CPU offset, kept in a register of its own (arm64: TPIDR_EL1, written by
 * head.S before any C runs; x86: the first word of the %fs segment each CPU
 * loads with its own base), is its slot index —
 * until the linker script gets a per-CPU section to copy, an index is all an
 * offset needs to be. The rules of use are in include/kernel/spinlock.h: a CPU
 * touches only its own slot, with interrupts masked.
 */
#define DEFINE_PER_CPU(type, name)	__typeof__(type) name[CONFIG_NR_CPUS]
#define DECLARE_PER_CPU(type, name)	extern __typeof__(type) name[CONFIG_NR_CPUS]

/* CPU n's per-CPU offset (what its register holds). */
#define per_cpu_offset(cpu)		((unsigned long)(cpu))

/* The CPU running this code (0 is the boot CPU). Stable only with interrupts masked, once tasks can move. */
static inline unsigned int smp_processor_id(void)
{
	return (unsigned int)__my_cpu_offset();
}

#define per_cpu_ptr(var, cpu)		(&(var)[(cpu)])
#define per_cpu(var, cpu)		(*per_cpu_ptr(var, cpu))
#define this_cpu_ptr(var)		per_cpu_ptr(var, smp_processor_id())

#endif

/* smp.h: bringing up the secondary CPUs (kernel/smp.c) and the mask of the CPUs that are online. */
#ifndef PAGODA_SMP_H
#define PAGODA_SMP_H

#include <asm/smp.h>
#include <kernel/atomic.h>
#include <kernel/percpu.h>

/* One bit per online CPU; set by each CPU for itself (secondary_start_kernel), never cleared yet. */
extern atomic_t cpu_online_bits;

/* Each online CPU's model register (arm64: MIDR_EL1), as that CPU read it. */
DECLARE_PER_CPU(unsigned long, cpu_model);

static inline bool cpu_online(unsigned int cpu)
{
	return cpu < CONFIG_NR_CPUS && (atomic_read(&cpu_online_bits) >> cpu) & 1;
}

static inline unsigned int num_online_cpus(void)
{
	return (unsigned int)__builtin_popcount((unsigned int)atomic_read(&cpu_online_bits));
}

#define for_each_online_cpu(cpu) \
	for ((cpu) = 0; (cpu) < CONFIG_NR_CPUS; (cpu)++) if (cpu_online(cpu))

/*
 * smp_init (start_kernel, after the memory subsystems): starts the possible
 * secondary CPUs one at a time, as nosmp and maxcpus= allow, waiting at most
 * a second for each; one that does not come up is reported and left out.
 */
void smp_init(void);

/* Where a secondary CPU's C starts (head.S), with its stack and per-CPU offset set. */
void __noreturn secondary_start_kernel(unsigned int cpu);

/*
 * The arch's part. arch_nr_possible_cpus: CPUs the firmware describes (the
 * boot CPU included, at most CONFIG_NR_CPUS). arch_cpu_up: releases cpu into
 * the kernel (false, with a line, if it cannot be released). arch_cpu_park:
 * releases cpu into a WFI park outside the kernel, for CPUs left out.
 * arch_cpu_up_failed: cpu missed its deadline; if it answers later it must
 * not enter the kernel.
 * arch_cpu_id: the hardware id printed at bring-up (arm64: MPIDR affinity);
 * arch_cpu_model: the running CPU's model register (arm64: MIDR_EL1).
 */
unsigned int arch_nr_possible_cpus(void);
bool arch_cpu_up(unsigned int cpu);
void arch_cpu_park(unsigned int cpu);
void arch_cpu_up_failed(unsigned int cpu);
unsigned long arch_cpu_id(unsigned int cpu);
unsigned long arch_cpu_model(void);
/* arch_secondary_idle: what an online secondary does until IPIs exist (interrupts masked). */
void __noreturn arch_secondary_idle(void);

#endif

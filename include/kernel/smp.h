/* smp.h: bringing up the secondary CPUs (kernel/smp.c) and the mask of the CPUs that are online. */
#ifndef PAGODA_SMP_H
#define PAGODA_SMP_H

#include <asm/smp.h>
#include <kernel/atomic.h>
#include <kernel/percpu.h>

/* One bit per online CPU; set by each CPU for itself (secondary_start_kernel), cleared by a CPU that stops (the stop IPI). */
extern atomic_t cpu_online_bits;

/*
 * The CPU that is panicking, or -1 (kernel/panic.c, Linux's name): the first
 * CPU to panic sets it; any other that panics after it just stops.
 */
extern atomic_t panic_cpu;

/* Clears cpu's online bit (a CPU that stops for good clears its own: the stop IPI). */
void set_cpu_offline(unsigned int cpu);

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
/* arch_secondary_idle: what an online secondary does when it has nothing to run (kernel/smp_call.c's queue). */
void __noreturn arch_secondary_idle(void);

/*
 * Cross-CPU function calls (kernel/smp_call.c; Linux's names and contracts).
 * func runs on the target CPU with interrupts masked, from its IPI handler
 * (or its idle loop), so it must be short-lived or the caller must accept that
 * the target does nothing else meanwhile; it must not itself wait for another
 * cross call. Every call returns only when func has returned on every target
 * (wait is kept for Linux's signature; pagoda always waits, so the call
 * records live on the caller's stack and a cross call never allocates).
 * A call never waits for an offline CPU: targets are masked with the online
 * CPUs. A caller with interrupts masked may call: while it waits it runs the
 * calls queued for itself, so two CPUs calling each other do not deadlock.
 */
typedef void (*smp_call_func_t)(void *info);
typedef unsigned long cpumask_t;	/* bit n: CPU n */

#define cpumask_of(cpu)		(1UL << (cpu))
static inline cpumask_t cpu_online_mask(void)
{
	return (cpumask_t)(unsigned int)atomic_read(&cpu_online_bits);
}

/* func(info) on cpu (this CPU: called directly). -ENXIO (and no call) if cpu is not online. */
int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, int wait);
/*
 * smp_call_function_single_window: the same, for a caller that holds no lock
 * and may take interrupts while it waits (the shell's taskset on CPU 0): the
 * wait opens the arch's interrupt window (arch_irq_window), so this CPU's tick
 * and IPIs are served meanwhile.
 */
int smp_call_function_single_window(unsigned int cpu, smp_call_func_t func, void *info);
/* func(info) on every online CPU in mask except this one. */
void smp_call_function_many(cpumask_t mask, smp_call_func_t func, void *info, int wait);
/* func(info) on every other online CPU. */
void smp_call_function(smp_call_func_t func, void *info, int wait);
/* func(info) on every online CPU in mask, this one included (here with interrupts masked). */
void on_each_cpu_mask(cpumask_t mask, smp_call_func_t func, void *info, int wait);
/* func(info) on every online CPU, this one included: the others run it at the same time as this one. */
void on_each_cpu(smp_call_func_t func, void *info, int wait);

/* Runs the calls queued for this CPU; the arch calls it from its IPI handler and its idle loop. */
void generic_smp_call_function_interrupt(void);

/* The arch's doorbell: make cpu run generic_smp_call_function_interrupt() soon. */
void arch_send_call_function_ipi(unsigned int cpu);

#endif

/* smp.c: bringing up the secondary CPUs — nosmp/maxcpus=, one CPU at a time with a deadline, the online mask. */
#include <kernel/arch.h>
#include <kernel/param.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>	/* the arch's barriers and cpu_relax */
#include <stdio.h>
#include <stdlib.h>

BUILD_BUG_ON(CONFIG_NR_CPUS > 31);	/* cpu_online_bits is one int */

atomic_t cpu_online_bits = ATOMIC_INIT(1);	/* the boot CPU */
DEFINE_PER_CPU(unsigned long, cpu_model);	/* each CPU writes its own slot as it comes up */

/* How many CPUs may run (the boot CPU included): nosmp and maxcpus= lower it. */
static unsigned int setup_max_cpus = CONFIG_NR_CPUS;
static const char *max_cpus_reason;	/* the parameter that lowered it, for the boot log */
static char max_cpus_arg[24];

static int setup_nosmp(const char *val)
{
	(void)val;
	setup_max_cpus = 1;
	max_cpus_reason = "nosmp";
	return 0;
}
early_param("nosmp", setup_nosmp);

/*
 * maxcpus=N: at most N CPUs, the boot CPU included (Linux's meaning); 0 is
 * nosmp. Anything but a decimal number is refused: one CPU, and a line.
 */
static int setup_maxcpus(const char *val)
{
	char *end;
	unsigned long n = strtoul(val, &end, 10);

	snprintf(max_cpus_arg, sizeof(max_cpus_arg), "maxcpus=%s", val);
	max_cpus_reason = max_cpus_arg;
	if (!*val || *end) {
		printk("smp: %s is not a number of CPUs; booting CPU 0 only\n", max_cpus_arg);
		setup_max_cpus = 1;
		return -1;
	}
	setup_max_cpus = n ? (n < CONFIG_NR_CPUS ? n : CONFIG_NR_CPUS) : 1;
	if (!n)
		printk("smp: maxcpus=0: booting CPU 0 only, as nosmp\n");
	return 0;
}
early_param("maxcpus", setup_maxcpus);

/* Sets cpu's bit: the only writer of a bit is that CPU, but the word is shared. */
static void set_cpu_online(unsigned int cpu)
{
	int old, seen = atomic_read(&cpu_online_bits);

	do {
		old = seen;
		seen = atomic_cmpxchg(&cpu_online_bits, old, old | (1 << cpu));
	} while (seen != old);
}

/* Clears cpu's bit (a CPU stopping for good clears its own). */
void set_cpu_offline(unsigned int cpu)
{
	int old, seen = atomic_read(&cpu_online_bits);

	do {
		old = seen;
		seen = atomic_cmpxchg(&cpu_online_bits, old, old & ~(1 << cpu));
	} while (seen != old);
}

/*
 * secondary_start_kernel: a secondary CPU's first C, on its own stack with
 * its per-CPU offset set and the kernel's tables. It says hello, marks itself
 * online (the boot CPU waits for that bit) and idles with interrupts enabled
 * (arch_secondary_idle): from then on it runs what cross calls and IPIs bring.
 */
void secondary_start_kernel(unsigned int cpu)
{
	*this_cpu_ptr(cpu_model) = arch_cpu_model();
	printk("CPU%u: Booted secondary processor 0x%010lx [0x%08lx]\n", cpu, arch_cpu_id(cpu),
	       per_cpu(cpu_model, cpu));
	smp_wmb();	/* the line above is in the log before the boot CPU goes on */
	set_cpu_online(cpu);
	arch_secondary_idle();
}

/* Waits until cpu is online or one second of the generic timer has passed; returns whether it came. */
static bool wait_for_cpu(unsigned int cpu)
{
	u64 deadline = arch_counter_read() + arch_counter_freq();

	while (!cpu_online(cpu)) {
		if (arch_counter_read() > deadline)
			return cpu_online(cpu);
		cpu_relax();
	}
	smp_rmb();
	return true;
}

void smp_init(void)
{
	unsigned int possible = arch_nr_possible_cpus(), cpu, parked = 0;

	*this_cpu_ptr(cpu_model) = arch_cpu_model();
	printk("smp: Bringing up secondary CPUs ...\n");
	for (cpu = 1; cpu < possible; cpu++) {
		if (num_online_cpus() >= setup_max_cpus) {
			arch_cpu_park(cpu);
			parked++;
			continue;
		}
		if (!arch_cpu_up(cpu) || !wait_for_cpu(cpu)) {
			arch_cpu_up_failed(cpu);
			printk("CPU%u: failed to come online\n", cpu);
		}
	}
	if (parked)
		printk("smp: %u CPU(s) left parked in " ARCH_CPU_PARKED_IN " (%s)\n", parked, max_cpus_reason);
	printk("smp: Brought up 1 node, %u CPU%s\n", num_online_cpus(), num_online_cpus() > 1 ? "s" : "");
}

/* A CPU-less arch (x86 today) has the boot CPU only. */
__weak unsigned int arch_nr_possible_cpus(void)
{
	return 1;
}

__weak bool arch_cpu_up(unsigned int cpu)
{
	(void)cpu;
	return false;
}

__weak void arch_cpu_up_failed(unsigned int cpu)
{
	(void)cpu;
}

__weak void arch_cpu_park(unsigned int cpu)
{
	(void)cpu;
}

__weak unsigned long arch_cpu_id(unsigned int cpu)
{
	return cpu;
}

__weak unsigned long arch_cpu_model(void)
{
	return 0;
}

__weak void arch_secondary_idle(void)
{
	for (;;)
		cpu_relax();
}

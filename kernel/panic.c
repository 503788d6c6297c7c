/* panic.c: panic() — stopping the other CPUs with their registers printed (the stop IPI) — and fault recovery for shell commands. */
#include <kernel/arch.h>
#include <kernel/bug.h>
#include <kernel/irq.h>
#include <kernel/setjmp.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <stdio.h>

DEFINE_PER_CPU(jmp_buf *, fault_recovery_pcpu);
atomic_t panic_cpu = ATOMIC_INIT(-1);

/*
 * Serialises the stopping CPUs' reports, so each CPU's block of lines stays
 * whole. Taken with interrupts masked (the IPI handler's context), before the
 * console lock (printk's, innermost).
 */
static DEFINE_SPINLOCK(stop_lock);

/*
 * ipi_cpu_stop: the stop IPI's handler (interrupts masked). Prints Linux's
 * "CPUn: stopping" and where this CPU was (the registers its interrupt
 * saved), goes offline — the panicking CPU waits for that — and halts.
 */
void ipi_cpu_stop(void)
{
	unsigned int cpu = smp_processor_id();

	spin_lock(&stop_lock);
	printk("CPU%u: stopping\n", cpu);
	arch_show_regs(get_irq_regs());
	spin_unlock(&stop_lock);
	set_cpu_offline(cpu);
	arch_cpu_halt();
}

/* Sorted list of the online CPUs but me, "1,3", into buf. */
static void others_online(char *buf, size_t n)
{
	unsigned int cpu, me = smp_processor_id();
	size_t len = 0;

	buf[0] = '\0';
	for_each_online_cpu(cpu)
		if (cpu != me && len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%u", len ? "," : "", cpu);
}

/*
 * smp_send_stop (Linux's name): the stop IPI to every other online CPU, then
 * a bounded wait for them to go offline: two seconds of the generic timer,
 * counted again from each CPU that goes (each prints a block of lines first,
 * which takes long on a loaded emulator). A CPU with interrupts masked for
 * good never answers: it is named, and the panic goes on.
 */
static void smp_send_stop(void)
{
	unsigned int cpu, me = smp_processor_id(), left_n;
	u64 deadline;
	char left[32];

	if ((left_n = num_online_cpus()) <= 1)
		return;
	printk("SMP: stopping secondary CPUs\n");
	for_each_online_cpu(cpu)
		if (cpu != me)
			arch_send_ipi(cpu, IPI_CPU_STOP);
	deadline = arch_counter_read() + 2 * arch_counter_freq();
	while (num_online_cpus() > 1 && arch_counter_read() < deadline) {
		if (num_online_cpus() < left_n) {
			left_n = num_online_cpus();
			deadline = arch_counter_read() + 2 * arch_counter_freq();
		}
		cpu_relax();
	}
	if (num_online_cpus() > 1) {
		others_online(left, sizeof(left));
		printk("SMP: failed to stop secondary CPUs %s\n", left);
	}
}

/*
 * panic: prints the reason and this CPU's registers, stops the other CPUs
 * (each prints its own), then stops the machine: under QEMU with semihosting
 * it exits with status 255, else the CPU parks. A second CPU that panics
 * meanwhile stops as if it had got the stop IPI; a panic inside the panic
 * (this CPU again) goes straight to the power-off.
 */
void panic(const char *fmt, ...)
{
	unsigned long flags;
	char msg[256];
	va_list ap;
	int me, old;

	local_irq_save(flags);
	(void)flags;
	me = (int)smp_processor_id();
	old = atomic_cmpxchg(&panic_cpu, -1, me);
	if (old == me)
		arch_poweroff(255);
	if (old != -1)
		ipi_cpu_stop();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("Kernel panic - not syncing: %s\n", msg);
	dump_stack();
	smp_send_stop();
	printk("---[ end Kernel panic - not syncing: %s ]---\n", msg);
	arch_poweroff(255);
}

__weak void dump_stack(void)
{
}

void fault_recover(const char *what)
{
	jmp_buf *jb = fault_recovery;

	if (!jb)
		panic("%s: fatal exception", what);
	fault_recovery = NULL;
	longjmp(*jb, 1);
}

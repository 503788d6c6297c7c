/* time.c (arm64): the generic timer — the physical counter as the free-running clock, the virtual timer as each CPU's HZ tick. */
#include <asm/irq.h>
#include <asm/sysreg.h>
#include <kernel/arch.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/smp.h>

/* CNTV_CTL_EL0 (ARM ARM D13.8.16) */
#define CNTV_CTL_ENABLE		(1UL << 0)
#define CNTV_CTL_IMASK		(1UL << 1)

/* Counter ticks per timer tick (CNTFRQ / HZ), set once by time_init before any secondary starts. */
static u64 tick_cycles;

/* CNTPCT_EL0, after an ISB so the read is not hoisted above earlier instructions. */
u64 arch_counter_read(void)
{
	u64 v;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v) :: "memory");
	return v;
}

/* CNTFRQ_EL0 as the firmware (or QEMU) set it: 19.2 MHz on a Pi 3, 62.5 MHz in QEMU; never assumed. */
u64 arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

static u64 virt_counter(void)
{
	u64 v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

/*
 * The next tick is one period after the last one's deadline (no drift), or
 * one period from now if this CPU had interrupts masked for longer than that:
 * missed ticks are not made up in a burst.
 */
static void timer_program_next(void)
{
	u64 now = virt_counter(), next = read_sysreg(cntv_cval_el0) + tick_cycles;

	if (next <= now || next > now + tick_cycles)
		next = now + tick_cycles;
	write_sysreg(next, cntv_cval_el0);
	write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
	__asm__ volatile("isb" ::: "memory");
}

/* CNTKCTL_EL1 (ARM ARM D13.8.2): EL0 may read the virtual counter, as Linux allows for its vDSO. */
#define CNTKCTL_EL0VCTEN	(1UL << 1)

/*
 * This CPU's tick: one period from now (each CPU calls it for itself,
 * interrupts masked). It also lets EL0 read CNTVCT_EL0 (only that: no
 * physical counter, no timer registers), so user programs time themselves.
 */
void arch_timer_starting_cpu(void)
{
	write_sysreg(CNTKCTL_EL0VCTEN, cntkctl_el1);
	write_sysreg(virt_counter() + tick_cycles, cntv_cval_el0);
	write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
	__asm__ volatile("isb" ::: "memory");
}

/* Stops this CPU's tick. */
void arch_timer_dying_cpu(void)
{
	write_sysreg(CNTV_CTL_IMASK, cntv_ctl_el0);
	__asm__ volatile("isb" ::: "memory");
}

/* The timer line's handler (irq-bcm2836.c): the level drops once CVAL is in the future again. */
void arch_timer_handle_irq(void)
{
	timer_program_next();
	timer_tick();
}

/*
 * time_init: the virtual timer (CNTV) ticks HZ times a second on every CPU.
 * CNTV, not CNTP: it needs no EL2 permission (CNTHCTL_EL2.EL1PCEN) and is
 * what Linux's arch_timer uses at EL1; head.S zeroes CNTVOFF_EL2, so the
 * virtual count equals the physical one that printk's timestamps read.
 */
void time_init(void)
{
	tick_cycles = arch_counter_freq() / HZ;
	arch_timer_starting_cpu();
	printk("arch_timer: cp15 timer(s) running at %lu.%02luMHz (virt), tick %u Hz\n",
	       (unsigned long)(arch_counter_freq() / 1000000),
	       (unsigned long)(arch_counter_freq() / 10000 % 100), HZ);
}

/* time.c (arm64): the generic timer's physical counter as the free-running counter. */
#include <asm/sysreg.h>
#include <kernel/arch.h>

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

/* time.c (x86): the TSC as the free-running counter, calibrated against the PIT; power-off. */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/setup.h>

/* 8254 PIT (channel 2 is gated by port 0x61 and its output is readable there) */
#define PIT_TICK_RATE	1193182u	/* Hz */
#define PIT_CH2		0x42
#define PIT_MODE	0x43
#define PIT_CH2_MODE0	0xb0		/* channel 2, lobyte/hibyte, mode 0, binary */
#define PORT61		0x61
#define PORT61_GATE2	0x01
#define PORT61_SPEAKER	0x02
#define PORT61_OUT2	0x20
#define CALIBRATE_MS	10
#define TSC_FALLBACK_HZ	1000000000ull	/* used only if the PIT never answers */

/* isa-debug-exit (QEMU -device isa-debug-exit,iobase=0xf4,iosize=0x04) */
#define DEBUG_EXIT_PORT	0xf4

static u64 tsc_hz = TSC_FALLBACK_HZ;

/*
 * tsc_init: counts TSC ticks while PIT channel 2 counts down CALIBRATE_MS
 * (mode 0: OUT2 rises at terminal count). Under QEMU's TCG both run from the
 * host clock, so the figure is the host's TSC rate.
 */
void tsc_init(void)
{
	u32 latch = PIT_TICK_RATE / (1000 / CALIBRATE_MS);
	u64 t0, t1;
	u32 spins = 0;

	outb((inb(PORT61) & ~PORT61_SPEAKER) | PORT61_GATE2, PORT61);
	outb(PIT_CH2_MODE0, PIT_MODE);
	outb(latch & 0xff, PIT_CH2);
	outb(latch >> 8, PIT_CH2);
	t0 = rdtsc();
	while (!(inb(PORT61) & PORT61_OUT2))
		if (++spins > 50000000u) {
			printk("tsc: PIT calibration timed out, assuming %llu Hz\n",
			       (unsigned long long)tsc_hz);
			return;
		}
	t1 = rdtsc();
	tsc_hz = (t1 - t0) * (1000 / CALIBRATE_MS);
	printk("tsc: Detected %llu.%03llu MHz processor\n", (unsigned long long)(tsc_hz / 1000000),
	       (unsigned long long)(tsc_hz / 1000 % 1000));
}

u64 arch_counter_read(void)
{
	return rdtsc();
}

u64 arch_counter_freq(void)
{
	return tsc_hz;
}

/*
 * arch_poweroff: writes status to isa-debug-exit, so QEMU exits with
 * (status << 1) | 1 — a test reads back status = exit_code >> 1 (and an exit
 * code with bit 0 clear means the guest never got here). Without that device
 * (real hardware, a QEMU without it) the write goes nowhere and the CPU halts.
 */
void arch_poweroff(int status)
{
	outl((u32)status, DEBUG_EXIT_PORT);
	halt_forever();
}

const char arch_name[] = "i686 (PAE)";

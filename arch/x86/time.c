/* time.c (x86): the TSC as the free-running counter, calibrated against the PIT; power-off. */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <asm/board.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/setup.h>

/* 8254 PIT (ports and rate: asm/board.h; channel 2 is gated by PORT61, its output readable there) */
#define PIT_CH2_MODE0	0xb0		/* channel 2, lobyte/hibyte, mode 0, binary */
#define PORT61_GATE2	0x01
#define PORT61_SPEAKER	0x02
#define PORT61_OUT2	0x20
#define PIT_LATCH_CH2	0x80		/* counter latch command, channel 2 */
#define CALIBRATE_COUNTS (PIT_TICK_RATE / 100)	/* a 10 ms window */
#define CALIBRATE_TRIES	5
#define SAMPLE_MAX_TICKS 100000u	/* a tight sample: < 50 us at 2 GHz */
#define TSC_FALLBACK_HZ	1000000000ull	/* used only if the PIT never answers */

static u64 tsc_hz = TSC_FALLBACK_HZ;

/*
 * pit_sample: reads PIT channel 2's count (latched) and the TSC around it; the
 * TSC at the middle of the read goes to *tsc. False if the read took so long
 * (the vCPU was descheduled in between) that the pair is not trustworthy.
 */
static bool pit_sample(u64 *tsc, u32 *count)
{
	u64 a = rdtsc(), b;
	u8 lo, hi;

	outb(PIT_LATCH_CH2, PIT_MODE);
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	b = rdtsc();
	*tsc = a + (b - a) / 2;
	*count = lo | (u32)hi << 8;
	return b - a < SAMPLE_MAX_TICKS;
}

/*
 * pit_calibrate: channel 2 counts down from 0xffff (mode 0); two tight
 * (TSC, count) samples at least CALIBRATE_COUNTS apart give the TSC rate.
 * Only the samples must be tight: a delay between them (under QEMU the vCPU
 * thread may be descheduled for tens of ms on a busy host) costs nothing, so
 * the figure does not depend on the host's load. 0 if the window wrapped or
 * no tight sample came.
 */
static u64 pit_calibrate(void)
{
	u64 t0, t1;
	u32 c0, c1, n = 0;

	outb((inb(PORT61) & ~PORT61_SPEAKER) | PORT61_GATE2, PORT61);
	outb(PIT_CH2_MODE0, PIT_MODE);
	outb(0xff, PIT_CH2);
	outb(0xff, PIT_CH2);
	while (!pit_sample(&t0, &c0))
		if (++n > 1000)
			return 0;
	for (n = 0; n < 50000000u; n++) {
		bool tight = pit_sample(&t1, &c1);

		if (c1 > c0)
			return 0;	/* wrapped round: the window is unknown */
		if (tight && c0 - c1 >= CALIBRATE_COUNTS)
			return (t1 - t0) * PIT_TICK_RATE / (c0 - c1);
	}
	return 0;
}

/* tsc_init: the TSC's rate against the PIT (a few tries), else TSC_FALLBACK_HZ. */
void tsc_init(void)
{
	u64 hz = 0;
	int i;

	for (i = 0; i < CALIBRATE_TRIES && !hz; i++)
		hz = pit_calibrate();
	if (!hz) {
		printk("tsc: PIT calibration failed, assuming %llu Hz\n", (unsigned long long)tsc_hz);
		return;
	}
	tsc_hz = hz;
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
const int arch_poweroff_status_max = 127;

void arch_poweroff(int status)
{
	outl((u32)status, DEBUG_EXIT_PORT);
	halt_forever();
}

const char arch_name[] = "i686 (PAE)";

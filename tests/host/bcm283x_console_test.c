/* bcm283x_console_test.c (host): the Pi console choice against simulated registers and real DTBs; the dead UART path. */
#include <kernel/kunit.h>
#include <kernel/printk.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The drivers themselves, compiled into this test (the host build has no drivers/serial). */
#include "../../drivers/serial/bcm283x_console.c"
#include "../../drivers/serial/serial_core.c"
#include "../../drivers/serial/pl011.c"

#define REAL_DTB	"build/deps/bcm2837-rpi-3-b.dtb"
#define FSEL14_15(f)	(((u32)(f) << GPIO_FSEL_SHIFT(14)) | ((u32)(f) << GPIO_FSEL_SHIFT(15)))
#define PL011_FR_TXFF	(1u << 5)

/* A register file: GPIO, PL011 and AUX blocks as the firmware (or QEMU's reset) leaves them. */
struct regs {
	u32 gpio[64], pl011[64], aux[64];
};

static void regs_set(struct regs *r, u32 gpfsel1, u32 uartcr, u32 aux_enables)
{
	memset(r, 0, sizeof(*r));
	r->gpio[GPIO_GPFSEL1 / 4] = gpfsel1;
	r->pl011[PL011_UARTCR / 4] = uartcr;
	r->aux[AUX_ENABLES / 4] = aux_enables;
}

/* choose: reads the simulated registers, adds the DTB's two names, selects. */
static void choose(struct bcm283x_console_choice *c, u32 gpfsel1, u32 uartcr, u32 aux_enables,
		   enum bcm283x_uart serial0, enum bcm283x_uart stdout_path)
{
	struct bcm283x_uart_facts f;
	static struct regs r;

	regs_set(&r, gpfsel1, uartcr, aux_enables);
	bcm283x_uart_facts_read(&f, r.gpio, r.pl011, r.aux);
	f.serial0 = serial0;
	f.stdout_path = stdout_path;
	bcm283x_console_select(&f, c);
}

/* A Pi 3 with enable_uart=1: header on the mini UART, the PL011 (Bluetooth) left off. */
static void pins_alt5_pick_the_mini_uart(struct kunit *test)
{
	struct bcm283x_console_choice c;

	choose(&c, FSEL14_15(GPIO_FSEL_ALT5) | 0x7, 0x300, 1, BCM283X_UART_PL011, BCM283X_UART_PL011);
	KUNIT_EXPECT_EQ(test, c.console, BCM283X_UART_MINI);
	KUNIT_EXPECT_EQ(test, c.mirror, BCM283X_UART_NONE);	/* the disabled PL011 is never touched */
	KUNIT_EXPECT_FALSE(test, c.init_pl011);
	KUNIT_EXPECT_STREQ(test, c.reason, "GPIO14/15 in ALT5");
	/* Muxed but not clocked: no console rather than the Bluetooth UART. */
	choose(&c, FSEL14_15(GPIO_FSEL_ALT5), 0x301, 0, BCM283X_UART_PL011, BCM283X_UART_NONE);
	KUNIT_EXPECT_EQ(test, c.console, BCM283X_UART_NONE);
	KUNIT_EXPECT_EQ(test, c.mirror, BCM283X_UART_NONE);
	KUNIT_EXPECT_SUBSTR(test, c.reason, "mini UART is off");
}

/* dtoverlay=disable-bt (or a Pi 2): header on the PL011; the mini UART, even if on, gets nothing. */
static void pins_alt0_pick_the_pl011(struct kunit *test)
{
	struct bcm283x_console_choice c;

	choose(&c, FSEL14_15(GPIO_FSEL_ALT0), 0x301, 1, BCM283X_UART_MINI, BCM283X_UART_MINI);
	KUNIT_EXPECT_EQ(test, c.console, BCM283X_UART_PL011);
	KUNIT_EXPECT_EQ(test, c.mirror, BCM283X_UART_NONE);
	KUNIT_EXPECT_FALSE(test, c.init_pl011);
	choose(&c, FSEL14_15(GPIO_FSEL_ALT0), 0x300, 0, BCM283X_UART_NONE, BCM283X_UART_NONE);
	KUNIT_EXPECT_EQ(test, c.console, BCM283X_UART_PL011);
	KUNIT_EXPECT_TRUE(test, c.init_pl011);			/* muxed but off: programmed */
}

/* QEMU: pins at reset (inputs) or split between functions — then the DTB decides. */
static void pins_on_no_uart_follow_the_dtb(struct kunit *test)
{
	struct bcm283x_console_choice c;
	u32 split = (GPIO_FSEL_ALT5 << GPIO_FSEL_SHIFT(14)) | (GPIO_FSEL_ALT0 << GPIO_FSEL_SHIFT(15));

	choose(&c, 0, 0x300, 1, BCM283X_UART_PL011, BCM283X_UART_MINI);
	KUNIT_EXPECT_EQ(test, c.console, BCM283X_UART_PL011);	/* serial0 before stdout-path */
	KUNIT_EXPECT_EQ(test, c.mirror, BCM283X_UART_MINI);
	KUNIT_EXPECT_TRUE(test, c.init_pl011);
	KUNIT_EXPECT_SUBSTR(test, c.reason, "serial0 alias");
	choose(&c, split, 0x301, 1, BCM283X_UART_NONE, BCM283X_UART_MINI);
	KUNIT_EXPECT_EQ(test, c.console, BCM283X_UART_MINI);
	KUNIT_EXPECT_EQ(test, c.mirror, BCM283X_UART_PL011);
	KUNIT_EXPECT_SUBSTR(test, c.reason, "stdout-path");
	choose(&c, 0, 0x300, 1, BCM283X_UART_NONE, BCM283X_UART_NONE);
	KUNIT_EXPECT_EQ(test, c.console, BCM283X_UART_PL011);
	KUNIT_EXPECT_SUBSTR(test, c.reason, "nothing in the DTB");
	choose(&c, 0, 0x300, 0, BCM283X_UART_MINI, BCM283X_UART_NONE);
	KUNIT_EXPECT_EQ(test, c.console, BCM283X_UART_PL011);	/* the named mini UART is off */
	KUNIT_EXPECT_EQ(test, c.mirror, BCM283X_UART_NONE);
}

/* Loads REAL_DTB into a buffer with room for edits; NULL (and a skip) if it is missing. */
static void *load_real_dtb(struct kunit *test)
{
	static char buf[256 * 1024] __attribute__((aligned(8)));
	FILE *f = fopen(REAL_DTB, "rb");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	KUNIT_EXPECT_EQ(test, fdt_open_into(buf, buf, sizeof(buf)), 0);
	return n ? buf : NULL;
}

/* The real Pi 3 DTB; without stdout-path (as Raspberry Pi OS's); with RPi OS's serial0 = mini UART. */
static void dtb_names_of_the_real_pi3_dtb(struct kunit *test)
{
	struct bcm283x_uart_facts f;
	char *fdt = load_real_dtb(test);
	int chosen, aliases;

	if (!fdt)
		kunit_skip(test, REAL_DTB " missing (run tools/bootstrap)");
	bcm283x_uart_facts_fdt(&f, fdt);
	KUNIT_EXPECT_EQ(test, f.serial0, BCM283X_UART_PL011);
	KUNIT_EXPECT_EQ(test, f.stdout_path, BCM283X_UART_MINI);	/* "serial1:115200n8" */
	chosen = fdt_path_offset(fdt, "/chosen");
	KUNIT_ASSERT_GE(test, chosen, 0);
	KUNIT_ASSERT_EQ(test, fdt_delprop(fdt, chosen, "stdout-path"), 0);
	bcm283x_uart_facts_fdt(&f, fdt);
	KUNIT_EXPECT_EQ(test, f.stdout_path, BCM283X_UART_NONE);
	aliases = fdt_path_offset(fdt, "/aliases");
	KUNIT_ASSERT_GE(test, aliases, 0);
	KUNIT_ASSERT_EQ(test, fdt_setprop_string(fdt, aliases, "serial0", "/soc/serial@7e215040"), 0);
	bcm283x_uart_facts_fdt(&f, fdt);
	KUNIT_EXPECT_EQ(test, f.serial0, BCM283X_UART_MINI);
	KUNIT_ASSERT_EQ(test, fdt_delprop(fdt, aliases, "serial0"), 0);
	bcm283x_uart_facts_fdt(&f, fdt);
	KUNIT_EXPECT_EQ(test, f.serial0, BCM283X_UART_NONE);
	bcm283x_uart_facts_fdt(&f, NULL);
	KUNIT_EXPECT_EQ(test, f.serial0, BCM283X_UART_NONE);
	KUNIT_EXPECT_EQ(test, f.stdout_path, BCM283X_UART_NONE);
}

/* Counts the lines of log that contain needle. */
static int count_lines(const char *log, const char *needle)
{
	int n = 0;

	for (; (log = strstr(log, needle)); log += strlen(needle))
		n++;
	return n;
}

/*
 * A disabled PL011 as the firmware leaves it when the header belongs to the
 * mini UART: TXFF stays set. The first character spins the timeout and kills
 * the console (one log line); later ones return at once and write nothing.
 */
static void stuck_pl011_is_dropped_once(struct kunit *test)
{
	static struct regs r;
	struct console con;
	char log[512];
	int i;

	regs_set(&r, 0, 0x300, 0);
	r.pl011[0x18 / 4] = PL011_FR_TXFF;
	pl011_console_init(&con, r.pl011, false);
	printk_capture_start(log, sizeof(log));
	for (i = 0; i < 100; i++)
		con.putc(&con, 'x');
	printk_capture_stop();
	KUNIT_EXPECT_TRUE(test, uart_is_dead(&con));
	KUNIT_EXPECT_NULL(test, con.getc);
	KUNIT_EXPECT_EQ(test, count_lines(log, "pl011: transmit timed out"), 1);
	KUNIT_EXPECT_EQ(test, r.pl011[0], 0u);		/* nothing was written to UARTDR */

	/* A PL011 that drains is used, and stays alive. */
	regs_set(&r, 0, 0x301, 0);
	pl011_console_init(&con, r.pl011, false);
	con.putc(&con, 'y');
	KUNIT_EXPECT_FALSE(test, uart_is_dead(&con));
	KUNIT_EXPECT_EQ(test, r.pl011[0], (u32)'y');
}

kunit_test_suite(bcm283x_console,
	KUNIT_CASE(pins_alt5_pick_the_mini_uart),
	KUNIT_CASE(pins_alt0_pick_the_pl011),
	KUNIT_CASE(pins_on_no_uart_follow_the_dtb),
	KUNIT_CASE(dtb_names_of_the_real_pi3_dtb),
	KUNIT_CASE(stuck_pl011_is_dropped_once));

/* bcm283x_console.c: choose the console UART of a BCM283x board the way its firmware wired it. */
#include <drivers/bcm283x_console.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

static u32 rd32(const void *base, unsigned int off)
{
	return *(const volatile u32 *)((const char *)base + off);
}

void bcm283x_uart_facts_read(struct bcm283x_uart_facts *f, const void *gpio,
			     const void *pl011, const void *aux)
{
	f->gpfsel1 = rd32(gpio, GPIO_GPFSEL1);
	f->pl011_on = rd32(pl011, PL011_UARTCR) & PL011_CR_UARTEN;
	f->mini_on = rd32(aux, AUX_ENABLES) & AUX_ENABLES_MINI_UART;
}

/* uart_of_path: the UART a path or alias ("serial1:115200n8" or "/soc/serial@7e215040") names. */
static enum bcm283x_uart uart_of_path(const void *fdt, const char *p, int len)
{
	char path[64];
	int node;

	if (!p || len <= 0)
		return BCM283X_UART_NONE;
	snprintf(path, sizeof(path), "%.*s", (int)strcspn(p, ":"), p);
	p = path[0] == '/' ? path : fdt_get_alias(fdt, path);
	node = p ? fdt_path_offset(fdt, p) : -1;
	if (node < 0)
		return BCM283X_UART_NONE;
	if (!fdt_node_check_compatible(fdt, node, "brcm,bcm2835-aux-uart"))
		return BCM283X_UART_MINI;
	if (!fdt_node_check_compatible(fdt, node, "arm,pl011"))
		return BCM283X_UART_PL011;
	return BCM283X_UART_NONE;
}

void bcm283x_uart_facts_fdt(struct bcm283x_uart_facts *f, const void *fdt)
{
	const char *p;
	int chosen, len = 0;

	f->serial0 = f->stdout_path = BCM283X_UART_NONE;
	if (!fdt)
		return;
	p = fdt_get_alias(fdt, "serial0");
	f->serial0 = uart_of_path(fdt, p, p ? (int)strlen(p) : 0);
	chosen = fdt_path_offset(fdt, "/chosen");
	p = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", &len) : NULL;
	f->stdout_path = uart_of_path(fdt, p, len);
}

/* pinmux_uart: the UART GPIO14 and GPIO15 are both switched to, or NONE. */
static enum bcm283x_uart pinmux_uart(u32 gpfsel1)
{
	u32 f14 = (gpfsel1 >> GPIO_FSEL_SHIFT(14)) & 7, f15 = (gpfsel1 >> GPIO_FSEL_SHIFT(15)) & 7;

	if (f14 != f15)
		return BCM283X_UART_NONE;
	if (f14 == GPIO_FSEL_ALT5)
		return BCM283X_UART_MINI;
	if (f14 == GPIO_FSEL_ALT0)
		return BCM283X_UART_PL011;
	return BCM283X_UART_NONE;
}

/*
 * The pins decide first (as U-Boot's bcm283x serial drivers do): the firmware
 * muxes GPIO14/15 to the UART the header gets, and the other UART's pins go
 * elsewhere (on a Pi 3 the PL011 drives Bluetooth on GPIO32/33), so it gets
 * nothing. A muxed PL011 that is off is programmed (its clock is the firmware's
 * 48 MHz); a muxed mini UART that is off is not (its clock is the VPU's): no console.
 */
static bool select_by_pins(const struct bcm283x_uart_facts *f, struct bcm283x_console_choice *c)
{
	enum bcm283x_uart mux = pinmux_uart(f->gpfsel1);

	if (mux == BCM283X_UART_MINI) {
		c->console = f->mini_on ? mux : BCM283X_UART_NONE;
		c->reason = f->mini_on ? "GPIO14/15 in ALT5" :
			    "GPIO14/15 in ALT5 but the mini UART is off (enable_uart=1 missing?)";
	} else if (mux == BCM283X_UART_PL011) {
		c->console = mux;
		c->init_pl011 = !f->pl011_on;
		c->reason = "GPIO14/15 in ALT0";
	}
	return mux != BCM283X_UART_NONE;
}

/*
 * Pins on no UART (QEMU's GPIO model resets them to inputs and no firmware runs):
 * the serial0 alias (Raspberry Pi OS's name for the header UART), then
 * /chosen/stdout-path, then the PL011. Nothing says where the other UART goes,
 * so it mirrors the output if it is on; input still comes from the console only.
 */
void bcm283x_console_select(const struct bcm283x_uart_facts *f, struct bcm283x_console_choice *c)
{
	c->mirror = BCM283X_UART_NONE;
	c->init_pl011 = false;
	if (select_by_pins(f, c))
		return;
	if (f->serial0 != BCM283X_UART_NONE) {
		c->console = f->serial0;
		c->reason = "GPIO14/15 on no UART; the serial0 alias";
	} else if (f->stdout_path != BCM283X_UART_NONE) {
		c->console = f->stdout_path;
		c->reason = "GPIO14/15 on no UART, no serial0 alias; /chosen/stdout-path";
	} else {
		c->console = BCM283X_UART_PL011;
		c->reason = "GPIO14/15 on no UART, nothing in the DTB; the PL011";
	}
	if (c->console == BCM283X_UART_MINI && !f->mini_on) {
		c->console = BCM283X_UART_PL011;
		c->reason = "GPIO14/15 on no UART, the DTB's mini UART is off; the PL011";
	}
	if (c->console == BCM283X_UART_PL011) {
		c->init_pl011 = !f->pl011_on;
		c->mirror = f->mini_on ? BCM283X_UART_MINI : BCM283X_UART_NONE;
	} else {
		c->mirror = f->pl011_on ? BCM283X_UART_PL011 : BCM283X_UART_NONE;
	}
}

const char *bcm283x_uart_name(enum bcm283x_uart u)
{
	return u == BCM283X_UART_PL011 ? "PL011" : u == BCM283X_UART_MINI ? "mini UART" : "none";
}

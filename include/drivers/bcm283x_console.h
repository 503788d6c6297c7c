/* bcm283x_console.h: which UART is the console on a BCM283x board (pin mux, then serial0, then stdout-path). */
#ifndef PAGODA_DRIVERS_BCM283X_CONSOLE_H
#define PAGODA_DRIVERS_BCM283X_CONSOLE_H

/* BCM2835 ARM Peripherals §6.1: GPFSEL1 holds GPIO10-19, three function bits per pin. */
#define GPIO_GPFSEL1		0x04
#define GPIO_FSEL_ALT0		4	/* GPIO14/15: PL011 TXD0/RXD0 */
#define GPIO_FSEL_ALT5		2	/* GPIO14/15: mini UART TXD1/RXD1 */
#define GPIO_FSEL_SHIFT(pin)	(((pin) % 10) * 3)	/* within GPFSEL(pin / 10) */
/* The UARTs' "on" bits: PL011 UARTCR.UARTEN (DDI 0183 §3.3.8), AUX_ENABLES bit 0 (§2.1.1). */
#define PL011_UARTCR		0x30
#define PL011_CR_UARTEN		(1u << 0)
#define AUX_ENABLES		0x04
#define AUX_ENABLES_MINI_UART	(1u << 0)

#ifndef __ASSEMBLER__
#include <types.h>

enum bcm283x_uart { BCM283X_UART_NONE, BCM283X_UART_PL011, BCM283X_UART_MINI };

/* What the board and the DTB say, read once at boot. */
struct bcm283x_uart_facts {
	u32 gpfsel1;			/* GPFSEL1 as the firmware (or U-Boot) left it */
	bool pl011_on;			/* UARTCR.UARTEN */
	bool mini_on;			/* AUX_ENABLES: the mini UART is clocked */
	enum bcm283x_uart serial0;	/* the UART the DTB's serial0 alias names, or NONE */
	enum bcm283x_uart stdout_path;	/* the UART /chosen/stdout-path names, or NONE */
};

/* What to register. Input is read from the console only; a mirror gets output only. */
struct bcm283x_console_choice {
	enum bcm283x_uart console;	/* NONE: no UART is usable (muxed but switched off) */
	enum bcm283x_uart mirror;	/* the other UART, also written to; NONE if not */
	bool init_pl011;		/* the console is a PL011 that is off: program it (48 MHz) */
	const char *reason;		/* why this console, for the log */
};

/* bcm283x_uart_facts_read: fills the register half of f from mapped GPIO, PL011 and AUX blocks. */
void bcm283x_uart_facts_read(struct bcm283x_uart_facts *f, const void *gpio,
			     const void *pl011, const void *aux);
/* bcm283x_uart_facts_fdt: fills serial0/stdout_path from a checked DTB (NONE when fdt is NULL). */
void bcm283x_uart_facts_fdt(struct bcm283x_uart_facts *f, const void *fdt);
/* bcm283x_console_select: the pure decision; never fails, always sets every field of c. */
void bcm283x_console_select(const struct bcm283x_uart_facts *f, struct bcm283x_console_choice *c);
/* bcm283x_uart_name: "PL011", "mini UART" or "none", for log lines. */
const char *bcm283x_uart_name(enum bcm283x_uart u);

#endif /* __ASSEMBLER__ */

#endif

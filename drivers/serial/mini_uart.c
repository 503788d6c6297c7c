/* mini_uart.c: the BCM2835 AUX mini UART (BCM2835 ARM Peripherals §2.2), polled. */
#include <drivers/serial.h>
#include <types.h>

#define AUX_ENABLES	0x04
#define AUX_MU_IO	0x40
#define AUX_MU_LSR	0x54
#define LSR_TX_EMPTY	(1u << 5)
#define LSR_DATA_READY	(1u << 0)
#define TX_SPIN_LIMIT	1000000

static inline u32 rd(struct console *con, unsigned int off)
{
	return *(volatile u32 *)((char *)con->base + off);
}

static void mini_uart_putc(struct console *con, char c)
{
	int spin = TX_SPIN_LIMIT;

	while (!(rd(con, AUX_MU_LSR) & LSR_TX_EMPTY))
		if (!--spin) {
			uart_tx_timed_out(con);
			return;
		}
	*(volatile u32 *)((char *)con->base + AUX_MU_IO) = (u8)c;
}

static int mini_uart_getc(struct console *con)
{
	if (!(rd(con, AUX_MU_LSR) & LSR_DATA_READY))
		return -1;
	return rd(con, AUX_MU_IO) & 0xff;
}

/* The firmware (enable_uart=1) or U-Boot sets the mini UART up; we only use it if it is on. */
bool mini_uart_console_init(struct console *con, void *base)
{
	con->name = "mini-uart";
	con->base = base;
	con->putc = mini_uart_putc;
	con->getc = mini_uart_getc;
	return rd(con, AUX_ENABLES) & 1;
}

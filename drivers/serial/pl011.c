/* pl011.c: ARM PrimeCell PL011 UART driver (ARM DDI 0183), polled. */
#include <drivers/serial.h>
#include <types.h>

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_IBRD	0x24
#define UART_FBRD	0x28
#define UART_LCRH	0x2c
#define UART_CR		0x30
#define UART_ICR	0x44
#define FR_TXFF		(1u << 5)	/* transmit FIFO full */
#define FR_RXFE		(1u << 4)	/* receive FIFO empty */
#define LCRH_WLEN8_FEN	0x70		/* 8 bits, FIFOs on */
#define CR_UARTEN_TXE_RXE 0x301
#define TX_SPIN_LIMIT	1000000		/* a stuck UART must not hang the machine */

static inline u32 rd(struct console *con, unsigned int off)
{
	return *(volatile u32 *)((char *)con->base + off);
}

static inline void wr(struct console *con, unsigned int off, u32 v)
{
	*(volatile u32 *)((char *)con->base + off) = v;
}

static void pl011_putc(struct console *con, char c)
{
	int spin = TX_SPIN_LIMIT;

	while ((rd(con, UART_FR) & FR_TXFF))
		if (!--spin) {
			uart_tx_timed_out(con);
			return;
		}
	wr(con, UART_DR, (u8)c);
}

/*
 * Bytes that were waiting when the UART was (re)programmed: changing LCRH.FEN
 * empties the receive FIFO (QEMU 10 models that), so pl011_console_init reads
 * them out just before that write and getc hands them back before the FIFO.
 * There is one PL011.
 */
#define HELD_MAX	4
static u8 held_rx[HELD_MAX];
static unsigned int held_head, held_count;

static void pl011_hold_rx(struct console *con)
{
	while (held_head + held_count < HELD_MAX && !(rd(con, UART_FR) & FR_RXFE))
		held_rx[held_head + held_count++] = rd(con, UART_DR) & 0xff;
}

static int pl011_getc(struct console *con)
{
	if (held_count) {
		held_count--;
		return held_rx[held_head++];
	}
	if (rd(con, UART_FR) & FR_RXFE)
		return -1;
	return rd(con, UART_DR) & 0xff;
}

void pl011_console_init(struct console *con, void *base, bool init_hw)
{
	con->name = "pl011";
	con->base = base;
	con->putc = pl011_putc;
	con->getc = pl011_getc;
	if (!init_hw)
		return;
	pl011_hold_rx(con);		/* typed before we were ready: keep it */
	wr(con, UART_CR, 0);
	wr(con, UART_ICR, 0x7ff);
	wr(con, UART_IBRD, 26);		/* 48 MHz / (16 * 115200) = 26.04 */
	wr(con, UART_FBRD, 3);
	pl011_hold_rx(con);		/* and what came since, right before the FIFO reset */
	wr(con, UART_LCRH, LCRH_WLEN8_FEN);
	wr(con, UART_CR, CR_UARTEN_TXE_RXE);
}

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
#define LCRH_WLEN8	0x60		/* 8 bits */
#define LCRH_FEN	0x10		/* FIFOs on */
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

static int pl011_getc(struct console *con)
{
	if (rd(con, UART_FR) & FR_RXFE)
		return -1;
	return rd(con, UART_DR) & 0xff;
}

/*
 * pl011_console_init: with init_hw, programs 115200 8N1 (the firmware's 48 MHz
 * UART clock). LCRH.FEN is kept as found: a change of FEN empties the receive
 * FIFO (QEMU's PL011 models that), and input typed before the kernel was ready
 * would be lost. A UART the firmware left off has its FIFOs off: it then holds
 * one received byte, which a polled console drains as fast as bytes come.
 */
void pl011_console_init(struct console *con, void *base, bool init_hw)
{
	u32 fen;

	con->name = "pl011";
	con->base = base;
	con->putc = pl011_putc;
	con->getc = pl011_getc;
	if (!init_hw)
		return;
	fen = rd(con, UART_LCRH) & LCRH_FEN;
	wr(con, UART_CR, 0);
	wr(con, UART_ICR, 0x7ff);
	wr(con, UART_IBRD, 26);		/* 48 MHz / (16 * 115200) = 26.04 */
	wr(con, UART_FBRD, 3);
	wr(con, UART_LCRH, LCRH_WLEN8 | fen);	/* after the divisor, which it latches */
	wr(con, UART_CR, CR_UARTEN_TXE_RXE);
}

/* 8250.c: the 16550 UART on COM1 (I/O port 0x3F8), polled, as a pagoda console. */
#include <kernel/console.h>
#include <asm/apic.h>
#include <asm/board.h>
#include <asm/io.h>
#include <asm/setup.h>

/* Register offsets from the base port (PC16550D datasheet, table 2). */
#define UART_RX		0	/* receive buffer (DLAB = 0) */
#define UART_TX		0	/* transmit holding (DLAB = 0) */
#define UART_DLL	0	/* divisor latch low (DLAB = 1) */
#define UART_IER	1	/* interrupt enable (DLAB = 0) */
#define UART_DLM	1	/* divisor latch high (DLAB = 1) */
#define UART_FCR	2	/* FIFO control */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */
#define UART_LCR_DLAB	0x80
#define UART_LCR_WLEN8	0x03
#define UART_FCR_ENABLE	0x07	/* enable and clear both FIFOs */
#define UART_MCR_DTR_RTS 0x03
#define UART_LSR_DR	0x01	/* a byte is waiting */
#define UART_LSR_THRE	0x20	/* the transmit holding register is empty */

#define UART_CLOCK	115200	/* 1.8432 MHz / 16 */
#define UART_BAUD	115200

static u16 port_of(struct console *con)
{
	return (u16)(uintptr_t)con->base;
}

static void serial8250_putc(struct console *con, char c)
{
	u16 port = port_of(con);

	while (!(inb(port + UART_LSR) & UART_LSR_THRE))
		;
	outb((u8)c, port + UART_TX);
}

/*
 * Bytes that were waiting when serial8250_init cleared the FIFOs (typed, or
 * sent by a test, before the kernel was ready): read out first, handed out
 * before anything newer. One COM1, so one small static buffer.
 */
#define HELD_MAX	16
static u8 held[HELD_MAX];
static unsigned int held_head, held_count;

static int serial8250_getc(struct console *con)
{
	u16 port = port_of(con);

	if (held_count) {
		held_count--;
		return held[held_head++];
	}
	if (!(inb(port + UART_LSR) & UART_LSR_DR)) {
		x86_poll_interrupts();	/* the input wait is where the boot CPU takes IPIs */
		return -1;
	}
	return inb(port + UART_RX);
}

static struct console serial8250_console = {
	.name = "16550",
	.putc = serial8250_putc,
	.getc = serial8250_getc,
	.base = (void *)COM1_PORT,
};

/* serial8250_init: 115200 8N1, FIFOs on, interrupts off; registers COM1 as a console. */
void serial8250_init(void)
{
	u16 port = COM1_PORT;
	u16 div = UART_CLOCK / UART_BAUD;

	outb(0, port + UART_IER);
	while (held_count < HELD_MAX && (inb(port + UART_LSR) & UART_LSR_DR))
		held[held_count++] = inb(port + UART_RX);
	outb(UART_LCR_DLAB, port + UART_LCR);
	outb(div & 0xff, port + UART_DLL);
	outb(div >> 8, port + UART_DLM);
	outb(UART_LCR_WLEN8, port + UART_LCR);
	while (held_count < HELD_MAX && (inb(port + UART_LSR) & UART_LSR_DR))	/* up to the clear */
		held[held_count++] = inb(port + UART_RX);
	outb(UART_FCR_ENABLE, port + UART_FCR);
	outb(UART_MCR_DTR_RTS, port + UART_MCR);
	register_console(&serial8250_console);
}

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
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */
#define UART_LCR_DLAB	0x80
#define UART_LCR_WLEN8	0x03
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

static int serial8250_getc(struct console *con)
{
	u16 port = port_of(con);

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

/*
 * serial8250_init: 115200 8N1, interrupts off; registers COM1 as a console.
 *
 * The FIFOs are left as the loader set them (GRUB turns them on; QEMU's
 * -kernel path leaves them off). Turning them on or off flushes them, on the
 * 16550 and in QEMU alike, and a byte that arrives between the driver's last
 * read and that write is lost: typed before the shell was up, "echo" became
 * "eho". Without a FIFO the receiver holds one byte; QEMU then hands over the
 * next only when that one has been read, so nothing is lost there, and the
 * shell polls the port whenever it is idle.
 */
void serial8250_init(void)
{
	u16 port = COM1_PORT;
	u16 div = UART_CLOCK / UART_BAUD;

	outb(0, port + UART_IER);
	outb(UART_LCR_DLAB, port + UART_LCR);
	outb(div & 0xff, port + UART_DLL);
	outb(div >> 8, port + UART_DLM);
	outb(UART_LCR_WLEN8, port + UART_LCR);
	outb(UART_MCR_DTR_RTS, port + UART_MCR);
	register_console(&serial8250_console);
}

/* serial_core.c: what the polled UART drivers share — giving up on a UART that stopped transmitting. */
#include <drivers/serial.h>
#include <kernel/printk.h>

/* The putc of a dead console: its characters are dropped at once. */
static void uart_dead_putc(struct console *con, char c)
{
	(void)con;
	(void)c;
}

/*
 * uart_tx_timed_out: a driver's putc waited its whole transmit timeout (a UART
 * that is off, unclocked or stalled by flow control never drains). Later
 * characters are dropped instead of each spinning the timeout again, and the log
 * says so once on the consoles that still work. The console stays registered
 * (console_write may be walking the list right now).
 */
void uart_tx_timed_out(struct console *con)
{
	if (con->putc == uart_dead_putc)
		return;
	con->putc = uart_dead_putc;
	con->getc = NULL;
	printk("%s: transmit timed out (UART off or stalled): console disabled\n", con->name);
}

bool uart_is_dead(const struct console *con)
{
	return con->putc == uart_dead_putc;
}

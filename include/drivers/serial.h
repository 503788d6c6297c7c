/* serial.h: the UART drivers' entry points (each fills in a struct console). */
#ifndef PAGODA_DRIVERS_SERIAL_H
#define PAGODA_DRIVERS_SERIAL_H

#include <kernel/console.h>

/* pl011_console_init: PL011 at base (a mapped VA); init_hw programs 115200 8N1 for a 48 MHz clock. */
void pl011_console_init(struct console *con, void *base, bool init_hw);
/* mini_uart_console_init: BCM2835 AUX mini UART, AUX block at base; false if the AUX UART is off. */
bool mini_uart_console_init(struct console *con, void *base);
/* uart_tx_timed_out: called by a putc that waited its full timeout; the console drops output from then on. */
void uart_tx_timed_out(struct console *con);
/* uart_is_dead: true once uart_tx_timed_out gave up on con. */
bool uart_is_dead(const struct console *con);

#endif

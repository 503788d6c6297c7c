/* console.h: serial consoles — drivers register, printk/kprintf and the shell use them. */
#ifndef PAGODA_CONSOLE_H
#define PAGODA_CONSOLE_H

#include <compiler.h>

struct console {
	const char *name;		/* "pl011", "mini-uart", "16550" */
	void (*putc)(struct console *con, char c);	/* blocking; \n is sent as-is */
	int (*getc)(struct console *con);	/* a received byte, or -1 if none waiting */
	void *base;			/* the driver's register base (a virtual address) */
	struct console *next;
};

/* Adds con to the set that output goes to and input is read from; replays the log to it. */
void register_console(struct console *con);
void console_write(const char *s, size_t n);
/* log_replay: writes the retained kernel log to con (done for each newly registered console). */
void log_replay(struct console *con);
/* Waits for one input byte from any console. */
int console_getc(void);

#endif

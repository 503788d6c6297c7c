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
/* Waits for one input byte from any console (type-ahead first, see below). */
int console_getc(void);

#define CONSOLE_CTRL_C	0x03

/*
 * console_interrupted: has the user typed ^C? For long commands (selftest,
 * bench) to call at a safe point — between two test cases, between two rounds
 * — and then stop, print why and return a failing status. It never blocks: it
 * reads what the consoles hold now, and keeps other bytes (up to 64) as
 * type-ahead for the shell's next line. The ^C itself is consumed. The host
 * build has no console: it returns false there.
 */
bool console_interrupted(void);

/*
 * ^C for a command running on another CPU (taskset): input stays CPU 0's.
 * console_watch_interrupt(true) before CPU 0 waits for the command (with
 * interrupts enabled), false after; meanwhile CPU 0's tick calls
 * console_tick(), which reads the consoles, and a ^C makes the command's next
 * console_interrupted() return true there.
 */
void console_watch_interrupt(bool on);
void console_tick(void);

#endif

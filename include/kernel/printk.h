/* printk.h: the kernel log (timestamped lines) and raw console output. */
#ifndef PAGODA_PRINTK_H
#define PAGODA_PRINTK_H

#include <compiler.h>

/*
 * printk() writes to the log: every line that starts a new line gets Linux's
 * "[%5lu.%06lu] " timestamp. kprintf() writes raw text (shell output, KTAP),
 * no timestamp. Both go to the console and to an active capture buffer.
 * Format strings are plain C printf formats (checked by -Wformat); pagoda does
 * not use Linux's %p extensions, so the host build can use libc's printf.
 */
__printf(1, 2) int printk(const char *fmt, ...);
__printf(1, 2) int kprintf(const char *fmt, ...);
int vprintk(const char *fmt, va_list ap);
/* kputs: raw output of a string of any length (no formatting, no timestamp). */
void kputs(const char *s);
/* kputs_n: raw output of n bytes, NULs included (a process's write(2) to the console). */
void kputs_n(const char *s, size_t n);
/*
 * SMP: each printk/kprintf/kputs call is written whole under the console lock
 * (kernel/printk.c), with interrupts masked, so two CPUs' lines never mix
 * within a line; a line one CPU leaves unfinished is ended before another
 * CPU prints. The CPU that panics (panic_cpu, include/kernel/smp.h) takes the
 * lock over after a second rather than hang behind a CPU that stopped.
 */
/* dump_stack: this CPU's registers and call trace (the arch's; panic prints it). */
void dump_stack(void);
/* log_dump: prints the retained kernel log (dmesg). */
void log_dump(void);
int vkprintf(const char *fmt, va_list ap);

/*
 * Capture: while a capture is active, everything printed is also appended to
 * buf (NUL-terminated, truncated at size - 1). Tests use it to check reports.
 * printk_capture_stop() returns the number of bytes captured.
 */
void printk_capture_start(char *buf, size_t size);
size_t printk_capture_stop(void);
/* Used by the output paths (kernel/printk.c, the host shim): feed the active capture. */
void printk_capture(const char *s, size_t n);

#define pr_emerg(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_cont(fmt, ...)	kprintf(fmt, ##__VA_ARGS__)
#ifdef DEBUG
#define pr_debug(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#else
#define pr_debug(fmt, ...)	do { if (0) printk(fmt, ##__VA_ARGS__); } while (0)
#endif

#endif

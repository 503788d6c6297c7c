/* printk.c: the kernel log — timestamped lines in a ring buffer, replayed to each new console; one CPU prints at a time. */
#include <kernel/arch.h>
#include <kernel/atomic.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <stdio.h>
#include <string.h>

#define LOG_BUF_LEN	(64 * 1024)

/* All of the state below is protected by the console lock. */
static char log_buf[LOG_BUF_LEN];
static size_t log_head;		/* bytes ever written; the buffer holds the last LOG_BUF_LEN */
static bool line_start = true;	/* the log's last line is complete */
static bool out_partial;	/* the consoles' last line is not finished ... */
static unsigned int out_cpu;	/* ... by this CPU */

/*
 * The console lock: one CPU at a time writes the log, the capture and the
 * consoles, so lines from different CPUs never mix within a line. It is held
 * with interrupts masked (an interrupt handler may print) and records its
 * owner, for the two cases where waiting would hang the machine:
 * - the owner prints again (a fault inside a console driver, whose report is
 *   printed by the same CPU): it goes on inside the section it holds;
 * - a CPU that panics waits at most a second (the holder may have stopped for
 *   good), then prints without the lock: a mixed line is better than silence.
 * Lock order: it is innermost — printk may be called under any lock (zone->lock,
 * panic.c's stop_lock), and nothing is taken while it is held (the console
 * drivers poll their UARTs and take no lock).
 */
static atomic_t console_owner = ATOMIC_INIT(-1);

/* Takes the console lock; returns whether this call took it (false: nested, or taken over by a panic). */
static bool console_lock_irqsave(unsigned long *flags)
{
	int me = (int)smp_processor_id();
	u64 deadline = 0;

	local_irq_save(*flags);
	if (atomic_read(&console_owner) == me)
		return false;
	while (atomic_cmpxchg(&console_owner, -1, me) != -1) {
		if (atomic_read(&panic_cpu) == me) {
			if (!deadline)
				deadline = arch_counter_read() + arch_counter_freq();
			else if (arch_counter_read() > deadline)
				return false;
		}
		cpu_relax();
	}
	return true;
}

static void console_unlock_irqrestore(bool taken, unsigned long flags)
{
	if (taken) {
		smp_mb();	/* everything written inside before the lock is seen free */
		atomic_set(&console_owner, -1);
	}
	local_irq_restore(flags);
}

static void log_store(const char *s, size_t n)
{
	for (; n; n--, s++)
		log_buf[log_head++ % LOG_BUF_LEN] = *s;
}

/*
 * emit (console lock held): to the log (if it is log text), the capture and
 * the consoles. A line another CPU left unfinished is ended first.
 */
static void end_foreign_line(void)
{
	if (!out_partial || out_cpu == smp_processor_id())
		return;
	if (!line_start) {
		log_store("\n", 1);
		line_start = true;
	}
	printk_capture("\n", 1);
	console_write("\n", 1);
	out_partial = false;
}

static void emit(const char *s, size_t n, bool to_log)
{
	if (!n)
		return;
	end_foreign_line();
	if (to_log)
		log_store(s, n);
	printk_capture(s, n);
	console_write(s, n);
	out_partial = s[n - 1] != '\n';
	out_cpu = smp_processor_id();
}

/* Linux's "[%5lu.%06lu] " from the arch counter. */
static int timestamp(char *buf, size_t n)
{
	u64 freq = arch_counter_freq(), cnt = arch_counter_read();
	u64 sec, usec;

	if (!freq)
		freq = 1;
	sec = cnt / freq;
	usec = (cnt % freq) * 1000000 / freq;
	return snprintf(buf, n, "[%5lu.%06lu] ", (unsigned long)sec, (unsigned long)usec);
}

int vprintk(const char *fmt, va_list ap)
{
	char text[512], ts[32];
	int n = vsnprintf(text, sizeof(text), fmt, ap);
	const char *p = text, *end;
	unsigned long flags;
	bool taken;

	if (n > (int)sizeof(text) - 1)
		n = sizeof(text) - 1;
	end = text + n;
	taken = console_lock_irqsave(&flags);
	end_foreign_line();	/* another CPU's unfinished line: ours starts afresh, with its timestamp */
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		if (line_start)
			emit(ts, timestamp(ts, sizeof(ts)), true);
		emit(p, len, true);
		line_start = nl != NULL;
		p += len;
	}
	console_unlock_irqrestore(taken, flags);
	return n;
}

/* Raw output under the console lock. */
void kputs_n(const char *s, size_t n)
{
	unsigned long flags;
	bool taken = console_lock_irqsave(&flags);

	emit(s, n, false);
	console_unlock_irqrestore(taken, flags);
}

int vkprintf(const char *fmt, va_list ap)
{
	char text[512];
	int n = vsnprintf(text, sizeof(text), fmt, ap);

	if (n > (int)sizeof(text) - 1)
		n = sizeof(text) - 1;
	kputs_n(text, n);
	return n;
}

void kputs(const char *s)
{
	kputs_n(s, strlen(s));
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vkprintf(fmt, ap);
	va_end(ap);
	return n;
}

/* log_replay: writes the whole retained log to one console (a newly registered one). */
void log_replay(struct console *con)
{
	size_t start = log_head > LOG_BUF_LEN ? log_head - LOG_BUF_LEN : 0, i;

	for (i = start; i < log_head; i++) {
		if (log_buf[i % LOG_BUF_LEN] == '\n')
			con->putc(con, '\r');
		con->putc(con, log_buf[i % LOG_BUF_LEN]);
	}
}

/* dmesg: the retained log, through kprintf (so it is not logged twice). */
void log_dump(void)
{
	size_t start = log_head > LOG_BUF_LEN ? log_head - LOG_BUF_LEN : 0, i;
	char chunk[128];
	size_t n = 0;

	for (i = start; i < log_head; i++) {
		chunk[n++] = log_buf[i % LOG_BUF_LEN];
		if (n == sizeof(chunk) - 1 || i + 1 == log_head) {
			chunk[n] = '\0';
			kputs(chunk);
			n = 0;
		}
	}
}

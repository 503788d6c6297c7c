/* printk.c: the kernel log — timestamped lines in a ring buffer, replayed to each new console. */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <stdio.h>
#include <string.h>

#define LOG_BUF_LEN	(64 * 1024)

static char log_buf[LOG_BUF_LEN];
static size_t log_head;		/* bytes ever written; the buffer holds the last LOG_BUF_LEN */
static bool line_start = true;
static void log_store(const char *s, size_t n)
{
	for (; n; n--, s++)
		log_buf[log_head++ % LOG_BUF_LEN] = *s;
}

/* emit: to the log (if it is log text), the capture and the consoles. */
static void emit(const char *s, size_t n, bool to_log)
{
	if (to_log)
		log_store(s, n);
	printk_capture(s, n);
	console_write(s, n);
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

	if (n > (int)sizeof(text) - 1)
		n = sizeof(text) - 1;
	end = text + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		if (line_start)
			emit(ts, timestamp(ts, sizeof(ts)), true);
		emit(p, len, true);
		line_start = nl != NULL;
		p += len;
	}
	return n;
}

int vkprintf(const char *fmt, va_list ap)
{
	char text[512];
	int n = vsnprintf(text, sizeof(text), fmt, ap);

	if (n > (int)sizeof(text) - 1)
		n = sizeof(text) - 1;
	emit(text, n, false);
	return n;
}

void kputs(const char *s)
{
	emit(s, strlen(s), false);
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

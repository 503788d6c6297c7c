/* host_env.c (host): printk, panic and capture for the native build of the generic code. */
#include <kernel/bug.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/kallsyms.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The host log is raw: its lines start with "# " so TAP readers ignore them. */
int vprintk(const char *fmt, va_list ap)
{
	char line[1024];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	printk_capture(line, strlen(line));
	if (!getenv("PAGODA_QUIET_LOG"))
		fprintf(stdout, "# log: %s", line);
	return n;
}

int vkprintf(const char *fmt, va_list ap)
{
	char line[1024];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	printk_capture(line, strlen(line));
	fputs(line, stdout);
	return n;
}

void kputs(const char *s)
{
	printk_capture(s, strlen(s));
	fputs(s, stdout);
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

void panic(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "Kernel panic - not syncing: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

/* The host has no kernel symbol table: callers print as addresses. */
char *sprint_symbol(char *buf, size_t n, unsigned long addr)
{
	snprintf(buf, n, "0x%lx", addr);
	return buf;
}

/* The host build has no serial console: nothing interrupts a run (^C is SIGINT there). */
bool console_interrupted(void)
{
	return false;
}

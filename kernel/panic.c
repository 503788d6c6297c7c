/* panic.c: panic() and fault recovery for shell commands. */
#include <kernel/arch.h>
#include <kernel/bug.h>
#include <kernel/setjmp.h>
#include <stdio.h>

jmp_buf *fault_recovery;

/* Stops the machine: under QEMU with semihosting it exits with status 255, else the CPU parks. */
void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("Kernel panic - not syncing: %s\n", msg);
	printk("---[ end Kernel panic - not syncing: %s ]---\n", msg);
	arch_poweroff(255);
}

void fault_recover(const char *what)
{
	jmp_buf *jb = fault_recovery;

	if (!jb)
		panic("%s: fatal exception", what);
	fault_recovery = NULL;
	longjmp(*jb, 1);
}

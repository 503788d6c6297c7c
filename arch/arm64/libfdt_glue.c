/* libfdt_glue.c (arm64): what Debian's libfdt.a expects from a C library besides string.h. */
#include <kernel/bug.h>

void __stack_chk_fail(void);

/* libfdt.a is built with -fstack-protector: a smashed stack there is a bug, reported as one. */
unsigned long __stack_chk_guard = 0x595e9fbd94fda766UL;

void __stack_chk_fail(void)
{
	panic("stack-protector: kernel stack is corrupted in libfdt");
}

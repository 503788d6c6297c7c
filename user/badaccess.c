/* badaccess.c: makes one bad access on purpose (argv[1]: null, text, kernel, nx, ill, priv, div0) — the kernel must kill it. */
#include <ulib.h>

static volatile int zero, seven = 7;
static unsigned char data_code[] = RET42_CODE;	/* in rw- data: NX there */

int main(int argc, char **argv, char **envp)
{
	const char *what = argc > 1 ? argv[1] : "null";

	printf("badaccess: %s\n", what);
	if (!strcmp(what, "null"))
		*(volatile int *)0 = 1;
	else if (!strcmp(what, "text"))
		*(volatile unsigned int *)(void *)main = 0;
	else if (!strcmp(what, "kernel"))
		(void)*(volatile long *)KERNEL_ADDR;
	else if (!strcmp(what, "ill"))
		__asm__ volatile(ILLEGAL_INSN);		/* asm/unistd.h: an undefined instruction */
	else if (!strcmp(what, "priv"))
		__asm__ volatile(PRIVILEGED_INSN);	/* one only the kernel may run */
	else if (!strcmp(what, "nx"))
		printf("badaccess: data code returned %d\n", ((int (*)(void))(void *)data_code)());
	else if (!strcmp(what, "div0"))
		printf("badaccess: 7 / 0 = %d\n", seven / zero);	/* x86 traps (#DE); arm64 gives 0 */
	else
		return printf("usage: badaccess null|text|kernel|nx|ill|priv|div0\n"), 2;
	printf("badaccess: still alive after the %s access\n", what);
	return 1;
}

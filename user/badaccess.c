/* badaccess.c: makes one bad access on purpose (argv[1]: null, text, kernel) — the kernel must kill it. */
#include <ulib.h>

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
	else
		return printf("usage: badaccess null|text|kernel\n"), 2;
	printf("badaccess: still alive after the %s access\n", what);
	return 1;
}

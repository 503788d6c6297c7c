/* start.c: __libc_start_main — finds argv, envp and auxv on the initial stack, runs main, exits. */
#include <ulib.h>

char **environ;
static unsigned long *auxv;

__attribute__((noreturn)) void __libc_start_main(long *sp);

void __libc_start_main(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1), **p;

	environ = argv + argc + 1;
	for (p = environ; *p; p++)
		;
	auxv = (unsigned long *)(p + 1);
	exit(main(argc, argv, environ));
}

/* getauxval: the value of an AT_* entry of the auxiliary vector, 0 if absent. */
unsigned long getauxval(unsigned long type)
{
	unsigned long *a;

	for (a = auxv; a && a[0]; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}

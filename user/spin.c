/* spin.c: computes in user mode for a while (argv[1] million rounds, default 20) — timer IRQs must arrive meanwhile. */
#include <ulib.h>

int main(int argc, char **argv, char **envp)
{
	unsigned long n = 0, i;
	volatile unsigned long x = 1;
	const char *s = argc > 1 ? argv[1] : "20";

	while (*s >= '0' && *s <= '9')
		n = n * 10 + (unsigned long)(*s++ - '0');
	for (i = 0; i < n * 1000000; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	printf("spin: %lu million rounds done (%lx)\n", n, x);
	return 0;
}

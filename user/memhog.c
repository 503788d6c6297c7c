/* memhog.c: maps argv[1] MiB and writes one byte per page, so every page is faulted in (the OOM path's test). */
#include <ulib.h>

int main(int argc, char **argv, char **envp)
{
	unsigned long mib = 0, i, n;
	const char *s = argc > 1 ? argv[1] : "";
	volatile char *p;

	while (*s >= '0' && *s <= '9')
		mib = mib * 10 + (unsigned long)(*s++ - '0');
	if (!mib)
		return printf("usage: memhog MiB\n"), 2;
	n = mib * 256;
	p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return printf("memhog: mmap of %lu MiB failed\n", mib), 1;
	for (i = 0; i < n; i++)
		p[i * 4096] = 1;
	printf("memhog: %lu MiB touched\n", mib);
	return 0;
}

/*
 * demandzero.c: maps N anonymous pages (default 64, or argv[1]; at the hex
 * address argv[2] if given, MAP_FIXED), touches each, checks it reads zero
 * first, writes a pattern and reads it back, unmaps; argv[3] times over.
 * Exits 0 when every page was right, 1 otherwise.
 */
#include <ulib.h>

#define PAGE	4096UL

/* parse: a decimal number, or a hex one after 0x. */
static unsigned long parse(const char *s)
{
	unsigned long v = 0, base = 10, d;

	if (s[0] == '0' && s[1] == 'x')
		s += 2, base = 16;
	for (;; s++) {
		if (*s >= '0' && *s <= '9')
			d = (unsigned long)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned long)(*s - 'a' + 10);
		else
			return v;
		v = v * base + d;
	}
}

/* check_page: 0 if every word of page i reads zero, then holds the pattern after writing it. */
static int check_page(unsigned long *p, unsigned long i)
{
	unsigned long w, n = PAGE / sizeof(*p);

	for (w = 0; w < n; w++)
		if (p[w])
			return printf("demandzero: page %lu word %lu reads %lx, not 0\n", i, w, p[w]), 1;
	for (w = 0; w < n; w++)
		p[w] = (i << 16) ^ w ^ 0x5a5a5a5aUL;
	for (w = 0; w < n; w++)
		if (p[w] != ((i << 16) ^ w ^ 0x5a5a5a5aUL))
			return printf("demandzero: page %lu word %lu lost its pattern\n", i, w), 1;
	return 0;
}

/* one_round: maps n pages (at addr, MAP_FIXED, unless NULL), checks each, unmaps; 0, 1 (a bad page) or -1 (a call failed). */
static int one_round(void *addr, unsigned long n)
{
	unsigned char *p = mmap(addr, n * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | (addr ? MAP_FIXED : 0), -1, 0);
	unsigned long i;
	int bad = 0;

	if (p == MAP_FAILED)
		return printf("demandzero: mmap of %lu pages failed\n", n), -1;
	for (i = 0; i < n && !bad; i++)
		bad = check_page((unsigned long *)(p + i * PAGE), i);
	if (munmap(p, n * PAGE))
		return printf("demandzero: munmap failed\n"), -1;
	printf("demandzero: %lu pages at %p %s\n", n, p, bad ? "FAILED" : "ok");
	return bad;
}

int main(int argc, char **argv, char **envp)
{
	unsigned long n = argc > 1 ? parse(argv[1]) : 64, rounds = argc > 3 ? parse(argv[3]) : 1, r;
	void *addr = argc > 2 ? (void *)parse(argv[2]) : NULL;
	int bad = 0;

	if (!n || !rounds)
		return printf("usage: demandzero [PAGES [ADDR [ROUNDS]]]\n"), 2;
	for (r = 0; r < rounds && !bad; r++)
		bad = one_round(addr, n);
	return bad ? 1 : 0;
}

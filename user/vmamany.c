/*
 * vmamany.c: many VMAs at once — one anonymous mapping of N pages (default
 * 10000) made N VMAs by mprotect of every other page, each found in
 * /proc/self/maps with its range and protection; then mprotect back (they
 * merge into one) and munmap (none left). Exits 0 when all hold.
 */
#include <ulib.h>

#define PAGE	4096UL

/* The maps lines that fall in [lo, hi): how many, and whether each is the next page with the expected perms. */
struct scan {
	unsigned long lo, hi, next;
	long lines, inside, bad;
};

static unsigned long hex(const char **s)
{
	unsigned long v = 0;

	for (;; (*s)++) {
		char c = **s;

		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (unsigned long)(c - 'a' + 10);
		else
			return v;
	}
}

/* scan_line: one line "start-end perms ...": alternating pages rw-p (even) and r--p (odd) from lo. */
static void scan_line(struct scan *sc, const char *l)
{
	unsigned long start = hex(&l), end, i;

	sc->lines++;
	l++;
	end = hex(&l);
	l++;
	if (start >= sc->hi || end <= sc->lo)
		return;
	sc->inside++;
	i = (start - sc->lo) / PAGE;
	if (start != sc->next || end != start + PAGE || memcmp(l, i & 1 ? "r--p" : "rw-p", 4))
		sc->bad++;
	sc->next = end;
}

/* scan_maps: reads the whole of /proc/self/maps line by line into sc; -1 if it cannot be read. */
static int scan_maps(struct scan *sc)
{
	static char buf[4096 + 128];
	long fd = open("/proc/self/maps", O_RDONLY), n;
	size_t have = 0, i, from;

	if (fd < 0)
		return -1;
	sc->lines = sc->inside = sc->bad = 0;
	sc->next = sc->lo;
	while ((n = read((int)fd, buf + have, sizeof(buf) - have - 1)) > 0) {
		have += (size_t)n;
		for (i = from = 0; i < have; i++)
			if (buf[i] == '\n') {
				buf[i] = '\0';
				scan_line(sc, buf + from);
				from = i + 1;
			}
		memcpy(buf, buf + from, have - from);	/* the part of a line the next read completes */
		have -= from;
	}
	close((int)fd);
	return n < 0 ? -1 : 0;
}

int main(int argc, char **argv, char **envp)
{
	long n = 10000, i, base_lines;
	struct scan sc;
	char *p;

	(void)envp;
	if (argc > 1)
		for (n = 0, i = 0; argv[1][i] >= '0' && argv[1][i] <= '9'; i++)
			n = n * 10 + argv[1][i] - '0';
	if (n < 2)
		return printf("usage: vmamany [N >= 2]\n"), 2;
	p = mmap(NULL, (size_t)n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return printf("vmamany: mmap of %ld pages failed\n", n), 1;
	sc.lo = (unsigned long)p;
	sc.hi = sc.lo + (unsigned long)n * PAGE;
	if (scan_maps(&sc) || sc.inside != 1)
		return printf("vmamany: FAILED: the mapping is not one VMA\n"), 1;
	base_lines = sc.lines;
	for (i = 1; i < n; i += 2)
		if (mprotect(p + i * PAGE, PAGE, PROT_READ))
			return printf("vmamany: FAILED: mprotect of page %ld\n", i), 1;
	if (scan_maps(&sc) || sc.inside != n || sc.bad || sc.lines != base_lines + n - 1)
		return printf("vmamany: FAILED: %ld of %ld VMAs in /proc/self/maps, %ld wrong\n", sc.inside, n, sc.bad), 1;
	printf("vmamany: %ld VMAs in /proc/self/maps (%ld lines), each page in order with its protection\n",
	       sc.inside, sc.lines);
	if (mprotect(p, (size_t)n * PAGE, PROT_READ | PROT_WRITE) || scan_maps(&sc) || sc.inside != 1 ||
	    sc.lines != base_lines)
		return printf("vmamany: FAILED: mprotect back did not merge them (%ld left)\n", sc.inside), 1;
	printf("vmamany: mprotect back: merged into 1 (%ld lines)\n", sc.lines);
	if (munmap(p, (size_t)n * PAGE) || scan_maps(&sc) || sc.inside != 0 || sc.lines != base_lines - 1)
		return printf("vmamany: FAILED: munmap left %ld\n", sc.inside), 1;
	printf("vmamany: munmap: none left (%ld lines): ok\n", sc.lines);
	return 0;
}

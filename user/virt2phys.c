/*
 * virt2phys.c: the classic exercise — translates the program's own addresses
 * through /proc/self/pagemap: a malloc'd (brk) buffer, an mmap'd one whose
 * odd pages are never touched, the stack and the text. Prints
 *   virt2phys: NAME VA -> PFN 0x... PA 0x... [exclusive] count N flags 0x...
 * (count and flags from /proc/kpagecount and /proc/kpageflags at that PFN), or
 *   virt2phys: NAME VA not present
 * then, with -t, /proc/self/page_tables, so a test can check every line
 * against the tables themselves.
 */
#include <ulib.h>

#define PAGE		4096UL
#define PM_PRESENT	(1ULL << 63)
#define PM_EXCLUSIVE	(1ULL << 56)
#define PM_PFN		((1ULL << 55) - 1)

static long pagemap, kpagecount, kpageflags;
static int bad;

/* u64_at: the entry at index of fd (pread), or ~0 on an error. */
static uint64_t u64_at(long fd, unsigned long index)
{
	uint64_t v;

	return pread((int)fd, &v, 8, (off_t)(index * 8)) == 8 ? v : ~0ULL;
}

static void translate(const char *name, const void *p)
{
	unsigned long va = (unsigned long)p;
	uint64_t e = u64_at(pagemap, va / PAGE), pfn = e & PM_PFN;

	if (e == ~0ULL) {
		bad = 1;
		printf("virt2phys: %s 0x%lx: pagemap read failed\n", name, va);
	} else if (!(e & PM_PRESENT)) {
		printf("virt2phys: %s 0x%lx not present\n", name, va);
	} else {
		printf("virt2phys: %s 0x%lx -> PFN 0x%llx PA 0x%llx%s count %llu flags 0x%llx\n", name, va,
		       (unsigned long long)pfn, (unsigned long long)(pfn * PAGE + va % PAGE),
		       e & PM_EXCLUSIVE ? " exclusive" : "", (unsigned long long)u64_at(kpagecount, pfn),
		       (unsigned long long)u64_at(kpageflags, pfn));
	}
}

static void cat(const char *path)
{
	static char text[4096];
	long fd = open(path, O_RDONLY), n;

	if (fd < 0) {
		bad = 1;
		printf("virt2phys: %s: error %ld\n", path, -fd);
		return;
	}
	while ((n = read((int)fd, text, sizeof(text))) > 0)
		write(1, text, (size_t)n);
	close((int)fd);
}

int main(int argc, char **argv, char **envp)
{
	char *heap = (char *)brk(0), *map, name[32];
	int local = 1, i;

	pagemap = open("/proc/self/pagemap", O_RDONLY);
	kpagecount = open("/proc/kpagecount", O_RDONLY);
	kpageflags = open("/proc/kpageflags", O_RDONLY);
	if (pagemap < 0 || kpagecount < 0 || kpageflags < 0)
		return printf("virt2phys: open failed: %ld %ld %ld\n", pagemap, kpagecount, kpageflags), 1;
	if (brk(heap + 2 * PAGE) != (long)(heap + 2 * PAGE))
		return printf("virt2phys: brk failed\n"), 1;
	heap[0] = 1;				/* the heap's first page only */
	map = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return printf("virt2phys: mmap failed\n"), 1;
	map[0] = map[2 * PAGE] = 1;		/* pages 0 and 2 */
	translate("text", (const void *)main);
	translate("stack", &local);
	translate("heap0", heap);
	translate("heap1", heap + PAGE);
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "mmap%d", i);
		translate(name, map + i * PAGE);
	}
	if (argc > 1 && !strcmp(argv[1], "-t"))
		cat("/proc/self/page_tables");
	return bad;
}

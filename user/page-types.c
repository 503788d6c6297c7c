/*
 * page-types.c: in the spirit of Linux's tools/mm/page-types.c — reads
 * /proc/kpageflags for every PFN (or -a's range) and prints the summary table
 * in its layout (flags, page-count, MB, symbolic-flags, long-symbolic-flags).
 *   -r            raw: keep the kernel-hacker bits (reserved...) and compound pages
 *   -a N|N,M|N,+M|N,   PFNs N, N..M-1, N..N+M-1, N..the end (0x for hex)
 *   --buddyinfo   (pagoda's) also sums /proc/buddyinfo's free blocks, read just
 *                 before the scan, to compare with the buddy row
 */
#include <ulib.h>

/* Linux's KPF_* names (the first letter is the symbolic column). */
static const char *const names[64] = {
	[0] = "L:locked", [1] = "E:error", [2] = "R:referenced", [3] = "U:uptodate", [4] = "D:dirty",
	[5] = "l:lru", [6] = "A:active", [7] = "S:slab", [8] = "W:writeback", [9] = "I:reclaim",
	[10] = "B:buddy", [11] = "M:mmap", [12] = "a:anonymous", [13] = "s:swapcache",
	[14] = "b:swapbacked", [15] = "H:compound_head", [16] = "T:compound_tail", [17] = "G:huge",
	[18] = "u:unevictable", [19] = "X:hwpoison", [20] = "n:nopage", [21] = "x:ksm", [22] = "t:thp",
	[23] = "o:offline", [24] = "z:zero_page", [25] = "i:idle_page", [26] = "g:pgtable",
	[32] = "r:reserved", [33] = "m:mlocked", [34] = "d:owner_2", [35] = "P:private",
	[36] = "p:private_2", [37] = "O:owner_private", [38] = "h:arch", [40] = "f:softdirty",
	[41] = "H:arch_2", [47] = "d:anon_exclusive", [48] = "I:readahead", [50] = "A:slub_frozen",
	[51] = "E:slub_debug", [61] = "F:file", [62] = "w:swap", [63] = "1:mmap_exclusive",
};
#define KPF_HACKERS_BITS	(0xffffULL << 32)
#define BITS_COMPOUND		((1ULL << 15) | (1ULL << 16))
#define KPF_HUGE		(1ULL << 17)
#define KPF_BUDDY		(1ULL << 10)

/* The table, hashed as Linux's (slot 0 for flags 0, linear probing), so rows come in its order. */
#define HASH_SIZE	8192
static unsigned long nr_pages[HASH_SIZE], total_pages;
static uint64_t page_flags[HASH_SIZE];

#define BATCH	4096
static uint64_t buf[BATCH];

static unsigned long hash_slot(uint64_t flags)
{
	unsigned long k = flags & (HASH_SIZE - 1), i;

	if (!flags)
		return 0;
	for (i = 1; i < HASH_SIZE; i++, k++) {
		if (!k || k >= HASH_SIZE)
			k = 1;
		if (!page_flags[k])
			page_flags[k] = flags;
		if (page_flags[k] == flags)
			return k;
	}
	printf("page-types: hash table full\n");
	exit(1);
}

static const char *flag_name(uint64_t flags)
{
	static char s[65];
	unsigned int i, j = 0;

	for (i = 0; i < 64; i++)
		if (names[i])
			s[j++] = (flags >> i) & 1 ? names[i][0] : '_';
	s[j] = 0;
	return s;
}

static const char *flag_longname(uint64_t flags)
{
	static char s[1024];
	size_t i, n = 0;

	for (i = 0; i < 64; i++)
		if (names[i] && ((flags >> i) & 1))
			n += (size_t)snprintf(s + n, sizeof(s) - n, "%s,", names[i] + 2);
	s[n ? n - 1 : 0] = 0;
	return s;
}

static void show_summary(void)
{
	unsigned long i;

	printf("             flags\tpage-count       MB  symbolic-flags\t\t\tlong-symbolic-flags\n");
	for (i = 0; i < HASH_SIZE; i++)
		if (nr_pages[i])
			printf("0x%016llx\t%10lu %8lu  %s\t%s\n", (unsigned long long)page_flags[i], nr_pages[i],
			       nr_pages[i] >> 8, flag_name(page_flags[i]), flag_longname(page_flags[i]));
	printf("             total\t%10lu %8lu\n", total_pages, total_pages >> 8);
}

/* parse: a number (decimal, or hex after 0x) at *s, which moves past it; -1 if none. */
static long parse(const char **s)
{
	unsigned long v = 0, base = 10, d, n = 0;
	const char *p = *s;

	if (p[0] == '0' && p[1] == 'x')
		base = 16, p += 2;
	for (;; p++, n++) {
		if (*p >= '0' && *p <= '9')
			d = (unsigned long)(*p - '0');
		else if (base == 16 && (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			d = (unsigned long)((*p | 0x20) - 'a' + 10);
		else
			break;
		v = v * base + d;
	}
	*s = p;
	return n ? (long)v : -1;
}

/* parse_range: -a's spec into [*start, *end); 0, or -1 if it is not one. */
static int parse_range(const char *s, unsigned long *start, unsigned long *end)
{
	long a = parse(&s), b;
	int plus;

	if (a < 0)
		return -1;
	*start = (unsigned long)a;
	*end = *start + 1;
	if (!*s)
		return 0;
	if (*s++ != ',')
		return -1;
	*end = ~0UL;
	if (!*s)
		return 0;
	plus = *s == '+';
	s += plus;
	b = parse(&s);
	if (b < 0 || *s)
		return -1;
	*end = plus ? *start + (unsigned long)b : (unsigned long)b;
	return *end > *start ? 0 : -1;
}

/* buddyinfo_blocks: the sum of every count in /proc/buddyinfo (free blocks of each order). */
static long buddyinfo_blocks(void)
{
	static char text[2048];
	long fd = open("/proc/buddyinfo", O_RDONLY), n, sum = 0, v;
	const char *p;

	if (fd < 0)
		return fd;
	n = read((int)fd, text, sizeof(text) - 1);
	close((int)fd);
	if (n < 0)
		return n;
	text[n] = 0;
	for (p = text; *p;) {
		if (*p == 'z' && !memcmp(p, "zone", 4)) {	/* skip "zone" and its name */
			for (p += 4; *p == ' '; p++)
				;
			while (*p && *p != ' ')
				p++;
		}
		v = *p >= '0' && *p <= '9' && p[-1] == ' ' ? parse(&p) : -1;
		if (v >= 0)
			sum += v;
		else
			p++;
	}
	return sum;
}

static int usage(void)
{
	printf("usage: page-types [-r] [-a N|N,M|N,+M|N,] [--buddyinfo]\n");
	return 1;
}

int main(int argc, char **argv, char **envp)
{
	unsigned long start = 0, end = ~0UL, i, got, buddy_blocks = 0;
	int raw = 0, buddyinfo = 0, a;
	long fd, blocks = 0;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "-r"))
			raw = 1;
		else if (!strcmp(argv[a], "--buddyinfo"))
			buddyinfo = 1;
		else if (!strcmp(argv[a], "-a") && a + 1 < argc && !parse_range(argv[a + 1], &start, &end))
			a++;
		else
			return usage();
	}
	fd = open("/proc/kpageflags", O_RDONLY);
	if (fd < 0)
		return printf("page-types: /proc/kpageflags: error %ld\n", -fd), 1;
	/* touched now, so that the scan below faults in no page (it allocates nothing) */
	memset(buf, 0, sizeof(buf));
	memset(nr_pages, 0, sizeof(nr_pages));
	memset(page_flags, 0, sizeof(page_flags));
	if (buddyinfo && (blocks = buddyinfo_blocks()) < 0)
		return printf("page-types: /proc/buddyinfo: error %ld\n", -blocks), 1;
	for (i = start; i < end; i += got) {
		long n = pread((int)fd, buf, (end - i < BATCH ? end - i : BATCH) * 8, (off_t)(i * 8));

		if (n < 0)
			return printf("page-types: read of kpageflags at PFN %lu: error %ld\n", i, -n), 1;
		got = (unsigned long)n / 8;
		if (!got)
			break;
		for (unsigned long j = 0; j < got; j++) {
			uint64_t f = buf[j];

			buddy_blocks += !!(f & KPF_BUDDY);
			if (!raw) {
				f &= ~KPF_HACKERS_BITS;
				if ((f & BITS_COMPOUND) && !(f & KPF_HUGE))
					f &= ~BITS_COMPOUND;
			}
			nr_pages[hash_slot(f)]++;
			total_pages++;
		}
	}
	close((int)fd);
	show_summary();
	if (buddyinfo)
		printf("page-types: buddy heads %lu, /proc/buddyinfo free blocks %ld\n", buddy_blocks, blocks);
	return 0;
}

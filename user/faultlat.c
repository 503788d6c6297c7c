/*
 * faultlat.c: demand-zero fault latency and fork+exit of a 64 MiB process, in
 * counter ticks. Maps N anonymous pages (default 4096, or argv[1]) and times
 * each page's first write with the counter read just before and after it
 * (arm64: CNTVCT_EL0 after an ISB; i386: RDTSC); prints the median, p99, min
 * and max. Then maps and writes 64 MiB and times R rounds (default 10, or
 * argv[2]; 0 skips it) of fork -> child exits at once -> wait4; prints the
 * median and the best round. The same source builds static for Linux, where it runs as /init:
 * as PID 1 it powers the machine off at the end (reboot(2)), so QEMU exits.
 * One summary line per figure ("faultlat: demand-zero fault: median ...").
 */
#include <ulib.h>

#define PAGE		4096UL
#define MAX_FAULTS	65536UL
#define MAX_ROUNDS	100UL
#define FORK_BYTES	(64UL << 20)

#if defined(__aarch64__)
#define __NR_reboot_	142
/* The virtual counter (Linux lets EL0 read it: CNTKCTL_EL1.EL0VCTEN); the ISB keeps the read in program order. */
static inline uint64_t ticks(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

static uint64_t ticks_freq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}
#elif defined(__i386__)
#define __NR_reboot_	88
/* The time-stamp counter; LFENCE orders the read (Nehalem has it: SSE2). */
static inline uint64_t ticks(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t ticks_freq(void) { return 0; }	/* not known to user space: the lines say "TSC" */
#else
#error "faultlat: no counter for this architecture"
#endif

/* reboot(2)'s magic numbers and the power-off command (<linux/reboot.h>). */
#define LINUX_REBOOT_MAGIC1		0xfee1deadUL
#define LINUX_REBOOT_MAGIC2		672274793UL
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedcUL

static uint64_t lat[MAX_FAULTS];
static char clock_name[32];	/* "62500000 Hz", or "TSC" when the rate is not known */

/* parse: a decimal number; 0 if s holds none. */
static unsigned long parse(const char *s)
{
	unsigned long v = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (unsigned long)(*s - '0');
	return v;
}

/* sort: v[0..n) ascending (Shell's sort with Ciura's gaps: no recursion, fast enough for 64 Ki values). */
static void sort(uint64_t *v, unsigned long n)
{
	static const unsigned long gaps[] = { 1750, 701, 301, 132, 57, 23, 10, 4, 1 };
	unsigned long g, i, j;

	for (g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++)
		for (i = gaps[g]; i < n; i++) {
			uint64_t x = v[i];

			for (j = i; j >= gaps[g] && v[j - gaps[g]] > x; j -= gaps[g])
				v[j] = v[j - gaps[g]];
			v[j] = x;
		}
}

/* pct: the p-th percentile of sorted v[0..n) (nearest rank). */
static uint64_t pct(const uint64_t *v, unsigned long n, unsigned long p)
{
	unsigned long r = (n * p + 99) / 100;

	return v[r ? r - 1 : 0];
}

/* fault_latency: times the first write of each of n fresh anonymous pages; 0, or -1 if mmap failed. */
static int fault_latency(unsigned long n)
{
	volatile unsigned char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long i;

	if ((void *)p == MAP_FAILED)
		return printf("faultlat: mmap of %lu pages failed\n", n), -1;
	for (i = 0; i < n; i++) {
		uint64_t t0 = ticks();

		p[i * PAGE] = 1;
		lat[i] = ticks() - t0;
	}
	munmap((void *)p, n * PAGE);
	sort(lat, n);
	printf("faultlat: demand-zero fault: median %llu ticks, p99 %llu ticks, min %llu, max %llu (%lu faults, %s)\n",
	       (unsigned long long)pct(lat, n, 50), (unsigned long long)pct(lat, n, 99),
	       (unsigned long long)lat[0], (unsigned long long)lat[n - 1], n, clock_name);
	return 0;
}

/*
 * fork_exit: r rounds of fork, the child exiting at once, wait4, from a
 * process with 64 MiB written; 0 or -1. Also times fork() alone, until it
 * returns in the parent (the address space copied; the child's exit, on
 * another CPU, may overlap it).
 */
static int fork_exit(unsigned long r)
{
	static uint64_t fork_only[MAX_ROUNDS];
	unsigned char *p = mmap(NULL, FORK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long i;

	if (p == MAP_FAILED)
		return printf("faultlat: mmap of 64 MiB failed\n"), -1;
	for (i = 0; i < FORK_BYTES; i += PAGE)
		p[i] = (unsigned char)i | 1;
	for (i = 0; i < r; i++) {
		uint64_t t0 = ticks();
		int status = -1;
		pid_t pid = fork();

		if (pid == 0)
			exit(0);
		fork_only[i] = ticks() - t0;
		if (pid < 0)
			return printf("faultlat: fork: error %d\n", -pid), -1;
		if (wait4(pid, &status, 0, NULL) != pid || !WIFEXITED(status))
			return printf("faultlat: wait4 for %d failed (status 0x%x)\n", pid, status), -1;
		lat[i] = ticks() - t0;
	}
	munmap(p, FORK_BYTES);
	sort(lat, r);
	sort(fork_only, r);
	printf("faultlat: fork+exit 64 MiB: median %llu ticks, best %llu ticks; fork() alone median %llu ticks (%lu rounds, %s)\n",
	       (unsigned long long)pct(lat, r, 50), (unsigned long long)lat[0],
	       (unsigned long long)pct(fork_only, r, 50), r, clock_name);
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	unsigned long n = argc > 1 ? parse(argv[1]) : 4096, r = argc > 2 ? parse(argv[2]) : 10;
	uint64_t freq = ticks_freq();
	int bad;

	if (freq)
		snprintf(clock_name, sizeof(clock_name), "%llu Hz", (unsigned long long)freq);
	else
		snprintf(clock_name, sizeof(clock_name), "TSC");

	(void)envp;
	if (!n || n > MAX_FAULTS || r > MAX_ROUNDS || (argc > 2 && !r && argv[2][0] != '0'))
		return printf("usage: faultlat [PAGES (1-%lu) [ROUNDS (0-%lu)]]\n", MAX_FAULTS, MAX_ROUNDS), 2;
	bad = fault_latency(n) || (r && fork_exit(r));
	if (getpid() == 1)	/* Linux's /init (pagoda has no reboot(2): ENOSYS, and the shell goes on) */
		syscall6(__NR_reboot_, (long)LINUX_REBOOT_MAGIC1, (long)LINUX_REBOOT_MAGIC2,
			 (long)LINUX_REBOOT_CMD_POWER_OFF, 0, 0, 0);
	return bad;
}

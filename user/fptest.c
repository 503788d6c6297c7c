/*
 * fptest.c: floating-point registers are each process's own. Checks, in
 * order: a program starts with the clean FP control state (x87 FCW 0x037f
 * and MXCSR 0x1f80 on i386, FPCR 0 on arm64); fork's child inherits the
 * parent's control state and execve resets it ("fptest clean" is the exec'd
 * half); NCHILD processes summing series at once, preempted and sharing
 * CPUs, get bit for bit the sums the parent computed alone. An i386 CPU
 * with SSE2 runs the series in SSE registers too. Exits 0 when all hold.
 */
#include <ulib.h>

#define NCHILD	6
#define TERMS	400000L
#define ROUNDS	4

typedef unsigned long long u64;

static u64 bits(double d)
{
	union { double d; u64 u; } v = { .d = d };

	return v.u;
}

/* The sum of 1 / (k^2 + id) for k = 1..n: its accumulator lives in an FP register for the whole loop. */
static __attribute__((noinline)) double series(int id, long n)
{
	double s = 0;
	long k;

	for (k = 1; k <= n; k++)
		s += 1.0 / ((double)k * (double)k + id);
	return s;
}

#ifdef __i386__
static int has_sse2(void)
{
	unsigned int a = 1, b, c, d;

	__asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	return (d >> 26) & 1;
}

/*
 * The same series in SSE2 registers (i686 code never uses them, so the
 * whole loop is one asm block: the sum stays in xmm0 throughout).
 */
static double series_sse(int id, long n)
{
	static const double one = 1.0;
	double idd = id, s;

	__asm__ __volatile__(
		"xorpd	%%xmm0, %%xmm0\n\t"
		"movl	$1, %%ecx\n"
		"1:\tcvtsi2sd %%ecx, %%xmm1\n\t"
		"mulsd	%%xmm1, %%xmm1\n\t"
		"addsd	%2, %%xmm1\n\t"
		"movsd	%3, %%xmm2\n\t"
		"divsd	%%xmm1, %%xmm2\n\t"
		"addsd	%%xmm2, %%xmm0\n\t"
		"incl	%%ecx\n\t"
		"cmpl	%1, %%ecx\n\t"
		"jle	1b\n\t"
		"movsd	%%xmm0, %0"
		: "=m"(s) : "r"(n), "m"(idd), "m"(one) : "ecx", "cc");	/* xmm0-2: this i686 code has no xmm registers to clobber */
	return s;
}

static unsigned int control(void)
{
	unsigned short fcw;

	__asm__ __volatile__("fnstcw %0" : "=m"(fcw));
	return fcw;
}

static unsigned int sse_control(void)
{
	unsigned int mxcsr = 0x1f80;

	if (has_sse2())
		__asm__ __volatile__("stmxcsr %0" : "=m"(mxcsr));
	return mxcsr;
}

#define CLEAN_CONTROL	0x037f
#define DIRTY_CONTROL	0x0f7f		/* rounding toward zero */
static void set_control(unsigned int v)
{
	unsigned short fcw = (unsigned short)v;

	__asm__ __volatile__("fldcw %0" :: "m"(fcw));
}
#else
static int has_sse2(void)
{
	return 0;
}

static double series_sse(int id, long n)
{
	return series(id, n);
}

static unsigned int control(void)
{
	unsigned long fpcr;

	__asm__ __volatile__("mrs %0, fpcr" : "=r"(fpcr));
	return (unsigned int)fpcr;
}

static unsigned int sse_control(void)
{
	return 0x1f80;
}

#define CLEAN_CONTROL	0
#define DIRTY_CONTROL	(3u << 22)	/* FPCR.RMode: toward zero */
static void set_control(unsigned int v)
{
	unsigned long fpcr = v;

	__asm__ __volatile__("msr fpcr, %0" :: "r"(fpcr));
}
#endif

static int check_clean(const char *who)
{
	if (control() == CLEAN_CONTROL && sse_control() == 0x1f80)
		return 0;
	printf("fptest: %s: control 0x%x mxcsr 0x%x, expected 0x%x and 0x1f80\n", who, control(),
	       sse_control(), CLEAN_CONTROL);
	return 1;
}

static int wait_ok(pid_t pid, const char *what)
{
	int status = -1;

	if (wait4(pid, &status, 0, NULL) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("fptest: %s (pid %d): status 0x%x\n", what, pid, status);
		return 1;
	}
	return 0;
}

/* fork inherits the control state; execve of "fptest clean" starts clean. */
static int check_fork_exec(char **envp)
{
	char *argv[] = { "fptest", "clean", NULL };
	pid_t pid;

	set_control(DIRTY_CONTROL);
	pid = fork();
	if (pid == 0) {
		if (control() != DIRTY_CONTROL) {
			printf("fptest: child: control 0x%x after fork, parent's 0x%x\n", control(), DIRTY_CONTROL);
			exit(1);
		}
		execve("fptest", argv, envp);
		exit(3);
	}
	set_control(CLEAN_CONTROL);
	if (pid < 0)
		return printf("fptest: fork: error %d\n", -pid), 1;
	return wait_ok(pid, "fork keeps, execve resets the control state");
}

/* NCHILD children sum at once; each compares ROUNDS sums with the parent's, bit for bit. */
static int check_concurrent(void)
{
	double want[NCHILD], want_sse[NCHILD];
	pid_t pids[NCHILD];
	int i, bad = 0;

	for (i = 0; i < NCHILD; i++) {
		want[i] = series(i, TERMS);
		want_sse[i] = has_sse2() ? series_sse(i, TERMS) : want[i];
	}
	for (i = 0; i < NCHILD; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			int r, wrong = 0;

			for (r = 0; r < ROUNDS; r++) {
				double s = series(i, TERMS), t = has_sse2() ? series_sse(i, TERMS) : s;

				if (bits(s) != bits(want[i]) || bits(t) != bits(want_sse[i])) {
					printf("fptest: child %d round %d: sum 0x%llx/0x%llx, alone 0x%llx/0x%llx\n",
					       i, r, bits(s), bits(t), bits(want[i]), bits(want_sse[i]));
					wrong = 1;
				}
			}
			exit(wrong);
		}
		if (pids[i] < 0)
			return printf("fptest: fork %d: error %d\n", i, -pids[i]), 1;
	}
	for (i = 0; i < NCHILD; i++)
		bad |= wait_ok(pids[i], "a summing child");
	return bad;
}

int main(int argc, char **argv, char **envp)
{
	int bad;

	if (argc > 1 && !strcmp(argv[1], "clean"))
		return check_clean("after execve");
	bad = check_clean("at start");
	bad |= check_fork_exec(envp);
	bad |= check_concurrent();
	printf("fptest: %d processes x %d sums of %ld terms%s: %s\n", NCHILD, ROUNDS, TERMS,
	       has_sse2() ? " (x87 and SSE2)" : "", bad ? "FAILED" : "every FP state was the process's own");
	return bad;
}

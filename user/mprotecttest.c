/*
 * mprotecttest.c: mprotect(2) — splits and merges seen in /proc/self/maps,
 * contents kept through PROT_NONE, code written as data then run after
 * PROT_EXEC, W^X on the text allowed as on Linux, Linux's errors. Exits 0 when
 * all hold. With an argument it makes one forbidden access on purpose:
 *   ro    a write after mprotect(PROT_READ)     (segfault, error 7)
 *   none  a read after mprotect(PROT_NONE)      (segfault, error 5)
 */
#include <ulib.h>

#define PAGE	4096UL

static int failed;

static void check(int ok, const char *what)
{
	if (!ok)
		failed = 1;
	printf("mprotecttest: %s: %s\n", what, ok ? "ok" : "FAILED");
}

/* count_vmas: lines of /proc/self/maps (one per VMA), or -1. */
static int count_vmas(void)
{
	static char buf[4096];
	long fd = open("/proc/self/maps", O_RDONLY), n, i;
	int lines = 0;

	if (fd < 0)
		return -1;
	while ((n = read((int)fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close((int)fd);
	return lines;
}

static int forbidden(const char *what)
{
	volatile unsigned long *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return printf("mprotecttest: mmap failed\n"), 1;
	*p = 7;
	if (!strcmp(what, "ro")) {
		mprotect((void *)p, PAGE, PROT_READ);
		printf("mprotecttest: read-only page at %p reads %lu; writing\n", (void *)p, *p);
		*p = 8;
	} else if (!strcmp(what, "none")) {
		mprotect((void *)p, PAGE, PROT_NONE);
		printf("mprotecttest: PROT_NONE page at %p; reading\n", (void *)p);
		(void)*p;
	} else {
		return printf("usage: mprotecttest [ro|none]\n"), 2;
	}
	printf("mprotecttest: still alive after the %s access\n", what);
	return 1;
}

/* Splits and merges: one VMA becomes three around a read-only middle page, then one again. */
static void split_merge(unsigned long *p)
{
	int n0 = count_vmas() - 1, n1, n2;	/* before p's own VMA */

	p[PAGE / 8] = 0x1234;
	check(mprotect((char *)p + PAGE, PAGE, PROT_READ) == 0, "mprotect of the 2nd of 4 pages");
	n1 = count_vmas();
	check(p[PAGE / 8] == 0x1234, "the read-only page keeps its contents");
	check(mprotect((char *)p + PAGE, PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect back to rw");
	n2 = count_vmas();
	printf("mprotecttest: vmas %d, split %d, merged %d\n", n0 + 1, n1, n2);
	check(n1 == n0 + 3 && n2 == n0 + 1, "split into 3, merged into 1");
	check(mprotect(p, 4 * PAGE, PROT_NONE) == 0 && count_vmas() == n0 + 1, "PROT_NONE on the whole VMA");
	check(mprotect(p, 4 * PAGE, PROT_READ | PROT_WRITE) == 0 && p[PAGE / 8] == 0x1234,
	      "contents kept through PROT_NONE");
}

/* Code written as data runs after PROT_EXEC (RET42_CODE, asm/unistd.h: "return 42" in this arch's machine code). */
static void exec_data(void)
{
	static const unsigned char ret42[] = RET42_CODE;
	unsigned char *code = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int (*fn)(void) = (int (*)(void))(void *)code;

	if (code == MAP_FAILED)
		return check(0, "mmap for code");
	memcpy(code, ret42, sizeof(ret42));
	check(mprotect(code, PAGE, PROT_READ | PROT_EXEC) == 0, "mprotect(PROT_READ|PROT_EXEC) on data");
	check(fn() == 42, "the code written as data runs and returns 42");
	munmap(code, PAGE);
}

int main(int argc, char **argv, char **envp)
{
	unsigned long *p, text = (unsigned long)main & ~(PAGE - 1);

	if (argc > 1)
		return forbidden(argv[1]);
	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return printf("mprotecttest: mmap failed\n"), 1;
	split_merge(p);
	exec_data();
	check(mprotect((void *)text, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC) == 0, "W^X on the text: rwx allowed");
	check(mprotect((void *)text, PAGE, PROT_READ | PROT_EXEC) == 0, "and back to r-x");
	check(mprotect((char *)p + 1, PAGE, PROT_READ) == -EINVAL, "unaligned start: -EINVAL");
	check(mprotect(p, PAGE, 0x8) == -EINVAL, "unknown prot bit: -EINVAL");
	check(mprotect((char *)p + 4 * PAGE, PAGE, PROT_READ) == -ENOMEM, "unmapped range: -ENOMEM");
	check(mprotect(p, 0, PROT_READ) == 0, "length 0: 0");
	printf("mprotecttest: %s\n", failed ? "FAILED" : "all passed");
	return failed;
}

/* bench.c: the `bench` command — lists and runs the registered benchmarks (kernel shell and host runner). */
#include <kernel/bench.h>
#include <kernel/console.h>
#include <errno.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <stdio.h>
#include <string.h>

extern const struct bench __start_benches[] __weak, __stop_benches[] __weak;

static int run_bench(const struct bench *b)
{
	int ret;

	kprintf("== bench %s: %s\n", b->name, b->help);
	ret = b->fn();
	if (ret == -EINTR)
		kprintf("bench %s: interrupted (^C)\n", b->name);
	else if (ret)
		kprintf("bench %s: could not run (%d)\n", b->name, ret);
	return ret;
}

static const struct bench *find_bench(const char *name)
{
	const struct bench *b;

	for (b = __start_benches; b < __stop_benches; b++)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

int bench_run(int argc, char **argv)
{
	const struct bench *b;
	int i, failed = 0;

	if (argc == 2 && !strcmp(argv[1], "list")) {
		for (b = __start_benches; b < __stop_benches; b++)
			kprintf("  %-10s %s\n", b->name, b->help);
		return 0;
	}
	if (argc == 1) {
		for (b = __start_benches; b < __stop_benches; b++) {
			if (bench_interrupted()) {
				kprintf("bench: interrupted (^C) before %s\n", b->name);
				return 1;
			}
			failed += run_bench(b) != 0;
		}
		return failed ? 1 : 0;
	}
	for (i = 1; i < argc; i++) {
		b = find_bench(argv[i]);
		if (!b) {
			kprintf("bench: no benchmark '%s' (try 'bench list')\n", argv[i]);
			failed++;
			continue;
		}
		failed += run_bench(b) != 0;
	}
	return failed ? 1 : 0;
}
SHELL_CMD(bench, "bench", "bench [list|NAME...]", "run the benchmarks (all by default)", bench_run);

bool bench_interrupted(void)
{
	return console_interrupted();
}

char *bench_fmt_ns(char *buf, u64 ns10)
{
	snprintf(buf, BENCH_NS_LEN, "%llu.%u", (unsigned long long)(ns10 / 10), (unsigned int)(ns10 % 10));
	return buf;
}

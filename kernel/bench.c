/* bench.c: the `bench` shell command — lists and runs the registered in-kernel benchmarks. */
#include <kernel/bench.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <string.h>

extern const struct bench __start_benches[] __weak, __stop_benches[] __weak;

static int run_bench(const struct bench *b)
{
	int ret;

	kprintf("== bench %s: %s\n", b->name, b->help);
	ret = b->fn();
	if (ret)
		kprintf("bench %s: could not run (%d)\n", b->name, ret);
	return ret;
}

static int cmd_bench(int argc, char **argv)
{
	const struct bench *b;
	int i, failed = 0;

	if (argc == 2 && !strcmp(argv[1], "list")) {
		for (b = __start_benches; b < __stop_benches; b++)
			kprintf("  %-10s %s\n", b->name, b->help);
		return 0;
	}
	if (argc == 1) {
		for (b = __start_benches; b < __stop_benches; b++)
			failed += run_bench(b) != 0;
		return failed ? 1 : 0;
	}
	for (i = 1; i < argc; i++) {
		for (b = __start_benches; b < __stop_benches; b++)
			if (!strcmp(b->name, argv[i]))
				break;
		if (b == __stop_benches) {
			kprintf("bench: no benchmark '%s' (try 'bench list')\n", argv[i]);
			failed++;
			continue;
		}
		failed += run_bench(b) != 0;
	}
	return failed ? 1 : 0;
}
SHELL_CMD(bench, "bench", "bench [list|NAME...]", "run in-kernel benchmarks (all by default)", cmd_bench);

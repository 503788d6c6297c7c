/* bench_main.c (host): runs the benches of bench/ natively on the simulated machine; argv as for `bench`. */
#include <kernel/bench.h>
#include <stdio.h>
#include <stdlib.h>
#include <test_machine.h>

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	setenv("PAGODA_QUIET_LOG", "1", 1);
	if (vm_test_init()) {
		fprintf(stderr, "%s: no simulated machine\n", argv[0]);
		return 1;
	}
	return bench_run(argc, argv);
}

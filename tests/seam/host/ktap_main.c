/* ktap_main.c (host): runs the KTAP suites natively; argv[1] selects suites (comma list). */
#include <kernel/kunit.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	int failed;

	setvbuf(stdout, NULL, _IOLBF, 0);
	failed = kunit_run_all(argc > 1 ? argv[1] : NULL);
	return failed ? 1 : 0;
}

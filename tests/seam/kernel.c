/* kernel.c (seam, kernel side): the KTAP suites and benches run on the booted kernel's allocators and timer. */
#include <kernel/arch.h>
#include <kernel/bench.h>
#include <mm/mm.h>
#include <stdio.h>
#include <test_machine.h>

/* The suites run from the shell, after mem_init() and vmalloc_init(): the machine is the live one. */
int mm_test_machine(void)
{
	return totalram_pages() ? 0 : -1;
}

int vm_test_init(void)
{
	return mm_test_machine();
}

/* The bench clock is the generic timer (arch_counter_read): ticks, converted per table row. */
u64 bench_clock(void)
{
	return arch_counter_read();
}

u64 bench_ns10(u64 elapsed, unsigned long ops)
{
	return elapsed * 10000000000ULL / arch_counter_freq() / ops;
}

/* QEMU emulates: a hundredth of the host's loop counts keeps `bench` to seconds. */
unsigned long bench_loops(unsigned long host_n)
{
	return host_n / 100 ? host_n / 100 : 1;
}

const char *bench_where(void)
{
	static char where[48];

	snprintf(where, sizeof(where), "in the kernel, counter %llu Hz",
		 (unsigned long long)arch_counter_freq());
	return where;
}

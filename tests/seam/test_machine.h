/* test_machine.h: what the KTAP suites, the fuzzer and the benches ask of the machine they run on. */
#ifndef PAGODA_TEST_MACHINE_H
#define PAGODA_TEST_MACHINE_H

/*
 * Each side of the seam answers once: in the kernel (tests/seam/kernel.c) the
 * running machine; on the host (tests/seam/host/) a simulated one, built the
 * first time it is asked for.
 *
 * mm_test_machine: a running page allocator (and slab); 0, or -1 if none.
 * vm_test_init: that, plus init_mm and the vmalloc space; 0, or -1.
 */
int mm_test_machine(void);
int vm_test_init(void);

#endif

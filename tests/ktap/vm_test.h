/* vm_test.h: set-up shared by the vmalloc, ioremap, fixmap and DMA suites. */
#ifndef PAGODA_TESTS_VM_TEST_H
#define PAGODA_TESTS_VM_TEST_H

/* A page allocator, init_mm and the vmalloc space (built on the host, the live ones in the kernel). */
int vm_test_init(void);

#endif

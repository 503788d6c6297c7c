/* mm_machine.c (host): a simulated 64 MiB machine with a running page allocator for the KTAP suites. */
#include <asm/memory.h>
#include <mm/memblock.h>
#include <mm/mm.h>
#include <test_machine.h>

/*
 * The host build has no boot: the first suite that needs pages gets this machine,
 * built the way the kernel builds its own: RAM at PA 0 (as on the Pi), a fake
 * spin-table page and kernel image reserved, then mem_init(). The kernel's side
 * of the seam (tests/seam/kernel.c) answers with the booted machine instead.
 */
#define HOST_RAM_BASE	0x0ULL
#define HOST_RAM_SIZE	(64ULL << 20)

int mm_test_machine(void)
{
	static bool done;

	if (done)
		return 0;
	host_physmem_init(HOST_RAM_BASE, HOST_RAM_SIZE);
	memblock_add(HOST_RAM_BASE, HOST_RAM_SIZE);
	memblock_reserve(HOST_RAM_BASE, 0x1000, "spin-table");
	memblock_reserve(HOST_RAM_BASE + 0x80000, 0x180000, "kernel");
	mem_init();
	done = true;
	return 0;
}

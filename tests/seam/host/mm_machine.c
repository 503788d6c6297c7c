/* mm_machine.c (host): the simulated machine with a running page allocator for the KTAP suites and benches. */
#include <asm/memory.h>
#include <mm/memblock.h>
#include <mm/mm.h>
#include <test_machine.h>

/*
 * The host build has no boot: the first suite that needs pages gets this machine,
 * built the way the kernel builds its own: RAM banks added, a fake spin-table
 * page and kernel image reserved, then mem_init(). The kernel's side of the seam
 * (tests/seam/kernel.c) answers with the booted machine instead.
 *
 * 64 MiB at PA 0 (as on the Pi). A format with HighMem (ARCH_HAS_HIGHMEM) gets
 * a PC-like sparse machine instead, so kmap and kmap_local run under the
 * sanitizers: lowmem at PA 0, HighMem just above the lowmem limit and more
 * above 4 GiB, holes in between (the simulation backs no hole).
 */
struct host_bank {
	paddr_t base, size;
};

#ifdef ARCH_HAS_HIGHMEM
static const struct host_bank host_banks[] = {
	{ 0x0ULL, 128ULL << 20 },		/* DMA + Normal */
	{ 896ULL << 20, 32ULL << 20 },		/* HighMem below 4 GiB (MAXMEM is 896 MiB) */
	{ 4ULL << 30, 32ULL << 20 },		/* HighMem above 4 GiB: PAE's reason to exist */
};
#else
static const struct host_bank host_banks[] = {
	{ 0x0ULL, 64ULL << 20 },
};
#endif

int mm_test_machine(void)
{
	static bool done;
	unsigned int i;

	if (done)
		return 0;
	for (i = 0; i < ARRAY_SIZE(host_banks); i++) {
		host_physmem_init(host_banks[i].base, host_banks[i].size);
		memblock_add(host_banks[i].base, host_banks[i].size);
	}
	memblock_reserve(0, 0x1000, "spin-table");
	memblock_reserve(0x80000, 0x180000, "kernel");
	mem_init();
	done = true;
	return 0;
}

/* physmem.c (host): simulated physical memory, so mm/ can run natively under ASan and UBSan. */
#include <asm/memory.h>
#include <kernel/bug.h>
#include <stdlib.h>

uintptr_t host_va_offset;
static void *host_ram;
static size_t host_ram_size;

void host_physmem_init(paddr_t base, size_t size)
{
	if (host_ram) {
		BUG_ON(size > host_ram_size);
		host_va_offset = (uintptr_t)host_ram - (uintptr_t)base;
		return;
	}
	/* 4 MiB alignment: block mappings of real addresses, and the buddy's largest
	 * block (order 10) is aligned in VA as in PA, as through a linear map. */
	host_ram = aligned_alloc(4 << 20, size);
	BUG_ON(!host_ram);
	host_ram_size = size;
	host_va_offset = (uintptr_t)host_ram - (uintptr_t)base;
}

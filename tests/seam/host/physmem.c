/* physmem.c (host): simulated physical memory, so mm/ can run natively under ASan and UBSan. */
#define _GNU_SOURCE
#include <asm/memory.h>
#include <kernel/bug.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * Physical address PA is host address host_va_offset + PA, over a window
 * reserved once for PAs [0, HOST_PA_SPAN). The window stays PROT_NONE except
 * where RAM was added: a bank is mapped from one memfd at the offset equal to
 * its PA, so holes cost nothing and another mapping of the same PA (a kmap
 * slot: kmap_window.c) sees the same bytes.
 */
#define HOST_PA_SPAN	(8ULL << 30)
#define HOST_PA_ALIGN	(4ULL << 20)	/* the buddy's largest block aligned in VA as in PA */

uintptr_t host_va_offset;
int host_ram_fd = -1;

static void physmem_reserve(void)
{
	void *w;

	host_ram_fd = memfd_create("pagoda-ram", 0);
	BUG_ON(host_ram_fd < 0 || ftruncate(host_ram_fd, HOST_PA_SPAN));
	w = mmap(NULL, HOST_PA_SPAN + HOST_PA_ALIGN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	BUG_ON(w == MAP_FAILED);
	host_va_offset = ((uintptr_t)w + HOST_PA_ALIGN - 1) & ~(uintptr_t)(HOST_PA_ALIGN - 1);
}

/* Makes [base, base + size) simulated RAM (page-aligned, below HOST_PA_SPAN). Idempotent. */
void host_physmem_init(paddr_t base, size_t size)
{
	void *va;

	if (host_ram_fd < 0)
		physmem_reserve();
	BUG_ON(base + size > HOST_PA_SPAN || (base | size) & 0xfff);
	va = mmap(__va(base), size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, host_ram_fd, (off_t)base);
	BUG_ON(va != __va(base));
}

/* memory.h (host seam): the arch's layout constants, with PA<->VA over simulated RAM. */
#ifndef HOST_ASM_MEMORY_H
#define HOST_ASM_MEMORY_H

#include_next <asm/memory.h>
#include <types.h>

/*
 * On the host, "physical memory" is a block of process memory (tests/seam/host/physmem.c).
 * host_va_offset = (host VA of the block) - (the PA it stands for), so __va/__pa
 * stay one addition, as in the kernel.
 */
extern uintptr_t host_va_offset;

#undef __va
#undef __pa
#undef __pa_symbol
#define __va(pa)	((void *)((uintptr_t)(pa) + host_va_offset))
#define __pa(va)	((paddr_t)((uintptr_t)(va) - host_va_offset))
#define __pa_symbol(x)	__pa(x)

/* init_mm's tables are simulated: a vmalloc address is not a host address (include/mm/vmalloc.h). */
#define VMALLOC_VA_LIVE	0

/* Maps size bytes of host memory as simulated RAM at physical address base. Idempotent. */
void host_physmem_init(paddr_t base, size_t size);

#endif

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

/*
 * The kmap window (kmap_window.c): where mm/highmem.c, built with
 * -DHOST_KMAP_SLOTS, puts the pkmap slots and the fixmap. The arch's own
 * addresses (0xff800000 up on x86) fall in AddressSanitizer's shadow gap; these
 * are ordinary host addresses below 2 GiB, inside the host init_mm's span.
 * Everything else (ptdump's markers, the fixmap suite) keeps the arch's layout.
 */
#define HOST_KMAP_WINDOW	0x7f000000UL
#define HOST_KMAP_WINDOW_END	0x7f400000UL
#if defined(HOST_KMAP_SLOTS) && defined(ARCH_HAS_HIGHMEM)
#undef PKMAP_BASE
#undef FIXADDR_TOP
#define PKMAP_BASE		HOST_KMAP_WINDOW			/* LAST_PKMAP slots: 2 MiB */
#define FIXADDR_TOP		(HOST_KMAP_WINDOW_END - PAGE_SIZE)	/* the fixmap below it */
#endif
void host_kmap_window_init(void);

/* Makes [base, base + size) simulated RAM (tests/seam/host/physmem.c); a machine may add several banks. */
void host_physmem_init(paddr_t base, size_t size);

#endif

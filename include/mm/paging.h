/* paging.h: paging_init's contract with the arch — a region table in, the root switch out. */
#ifndef PAGODA_MM_PAGING_H
#define PAGODA_MM_PAGING_H

#include <mm/board.h>
#include <mm/pgtable.h>

/*
 * What the arch tells paging_init (arch_paging_setup fills it). The generic
 * part maps, in this order: all RAM in memblock at __va() below linear_end
 * (the VAs of an image that lives inside the linear map are left to the
 * image's own regions), the image's text/rodata/data from the linker symbols,
 * the board's device map, then the arch's own regions.
 */
struct paging_arch {
	vaddr_t va_base;		/* init_mm's range: [va_base, va_base + va_size) */
	u64 va_size;
	paddr_t linear_end;		/* RAM from here on is not linearly mapped (x86: HighMem); 0: all */
	const struct map_region *regions;	/* arch-only regions (may be empty) */
	unsigned int nr_regions;
	bool no_nx;			/* the CPU has no execute-never: the W^X check is skipped */
};

/* arch/<arch>/mmu.c: the arch's limits and regions, before anything is allocated. */
void arch_paging_setup(struct paging_arch *pa);
/* arch/<arch>/mmu.c: make ctx the kernel's live translation (arm64 TTBR1, x86 CR3). */
void arch_switch_root(struct mm_ctx *ctx);
/* After the generic report: arch lines of its own (x86: the VM layout). Default: none. */
void arch_paging_done(void);

#endif

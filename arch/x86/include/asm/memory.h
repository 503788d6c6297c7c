/* memory.h (x86): the 3G/1G virtual address map of the PAE kernel and the PA<->VA conversions. */
#ifndef ASM_X86_MEMORY_H
#define ASM_X86_MEMORY_H

#include <const.h>

/*
 * 32-bit VA, PAE paging (3 levels: 4-entry PDPT, 512-entry PMDs and PTEs).
 * The lower 3 GiB is user space and stays empty after boot, so a NULL
 * dereference faults. The top 1 GiB is the kernel (Linux's 3G/1G split):
 *
 *   0xffff_f000  FIXADDR_TOP     last page left unmapped (catches -1 pointers)
 *                                fixmap: compile-time 4 KiB slots, including the
 *                                per-CPU kmap_local/kmap_atomic slots (asm/fixmap.h)
 *   0xffe0_0000  FIXADDR_START
 *                                (hole)
 *   0xffa0_0000  PKMAP end
 *                                persistent kmap() area: LAST_PKMAP 4 KiB slots,
 *                                one page table (mm/highmem.c)
 *   0xff80_0000  PKMAP_BASE
 *                                (2-page guard)
 *   0xff7f_e000  VMALLOC_END
 *                                vmalloc() and ioremap() area
 *   0xf880_0000  VMALLOC_START
 *                                (8 MiB hole: VMALLOC_OFFSET catches linear-map overruns)
 *   0xf800_0000  PAGE_OFFSET + MAXMEM: the most lowmem there can be (896 MiB);
 *                high_memory = __va(end of lowmem RAM) <= this
 *                                lowmem: linear map of PA 0 .. 896 MiB, 2 MiB pages
 *                                where aligned; the kernel image sits inside it
 *   0xc010_0000  _text           kernel image (loaded at PA 1 MiB by Multiboot)
 *   0xc000_0000  PAGE_OFFSET     PA 0
 *   0x0000_0000                  user space: empty (an identity map exists only
 *                                while head.S switches the MMU on)
 *
 * RAM above 896 MiB, including RAM above 4 GiB that only PAE can address, is
 * HighMem: it has no permanent mapping and is reached through kmap().
 */
#define PAGE_SHIFT		12
#define PAGE_SIZE		(_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))

#define PAGE_OFFSET		_AC(0xc0000000, UL)
/* The user half: below the kernel (no user mode on x86 yet: issue 16's next slice). */
#define TASK_SIZE		PAGE_OFFSET
#define MAXMEM			_AC(0x38000000, UL)	/* 896 MiB of lowmem at most */
#define LOAD_PHYSICAL_ADDR	_AC(0x100000, UL)	/* Multiboot loads us at 1 MiB */
#define VMALLOC_OFFSET		_AC(0x800000, UL)
#define VMALLOC_START		_AC(0xf8800000, UL)
#define VMALLOC_END		_AC(0xff7fe000, UL)
#define PKMAP_BASE		_AC(0xff800000, UL)
#define LAST_PKMAP		512
#define PKMAP_END		(PKMAP_BASE + LAST_PKMAP * PAGE_SIZE)
#define FIXADDR_TOP		_AC(0xfffff000, UL)
#define FIXADDR_SIZE		_AC(0x1ff000, UL)
#define FIXADDR_START		(FIXADDR_TOP - FIXADDR_SIZE)

/* RAM above MAXMEM is HighMem: zones, mem_map flags and kmap() (mm/highmem.c) switch on this. */
#define ARCH_HAS_HIGHMEM	1

/* RAM starts at PA 0 on a PC. */
#define PHYS_OFFSET		_AC(0, UL)

#ifndef __ASSEMBLER__
#include <types.h>

/* The end of the linear map: __va() of the first byte past lowmem RAM (set by the arch). */
extern void *high_memory;

#define __va(pa)	((void *)((uintptr_t)(pa) + PAGE_OFFSET))
#define __pa(va)	((paddr_t)((uintptr_t)(va) - PAGE_OFFSET))
#define __pa_symbol(x)	__pa(x)
#define virt_to_phys(v)	__pa(v)
#define phys_to_virt(p)	__va(p)
#endif

#endif

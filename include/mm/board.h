/* board.h: the board layer's memory facts — fixed device map, default RAM, boot reservations. */
#ifndef PAGODA_MM_BOARD_H
#define PAGODA_MM_BOARD_H

#include <mm/memblock.h>
#include <types.h>

/*
 * One entry of a static memory map, TF-A's mmap_region_t in pagoda's words:
 * [pa, pa + size) appears at va with prot (PROT_* | MT_*, e.g. PAGE_KERNEL_DEVICE).
 * Everything page aligned.
 */
struct map_region {
	vaddr_t va;
	paddr_t pa;
	u64 size;
	u32 prot;
	const char *name;
};

/* A range memblock must never hand out, whoever owns it (firmware, BIOS). */
struct board_reservation {
	paddr_t base;
	paddr_t size;
	const char *owner;	/* as /sys/kernel/debug/memblock/reserved names it */
};

/*
 * What a board is, as const tables (arch/<arch>/boards/<board>.c): another
 * board is another one of these, not edits across arch/. Register addresses
 * for drivers stay named constants in the arch's <asm/board.h>.
 */
struct board_desc {
	const char *name;
	const struct map_region *device_map;	/* mapped by paging_init (may be empty) */
	unsigned int nr_device_map;
	paddr_t default_ram_start;		/* RAM assumed when memory discovery finds none */
	paddr_t default_ram_end;		/* exclusive; 0: no default (discovery must work) */
	const struct board_reservation *reserved;	/* reserved before anything is allocated */
	unsigned int nr_reserved;
};

/* The board this kernel was built for. */
extern const struct board_desc board_desc;

/* memblock_reserve_board: reserves the board's ranges (memory discovery, before any allocation). */
static inline void memblock_reserve_board(void)
{
	unsigned int i;

	for (i = 0; i < board_desc.nr_reserved; i++)
		memblock_reserve(board_desc.reserved[i].base, board_desc.reserved[i].size,
				 board_desc.reserved[i].owner);
}

#endif

/* memblock.h: the boot-time physical memory map (RAM and reservations) before the buddy exists. */
#ifndef PAGODA_MEMBLOCK_H
#define PAGODA_MEMBLOCK_H

#include <compiler.h>

/*
 * Two sorted arrays of non-overlapping regions in static storage (no allocation):
 *   memory    the RAM the machine has (discovery adds it: DTB, mailbox, Multiboot)
 *   reserved  parts of that RAM already in use, each with an owner tag ("kernel",
 *             "dtb", "spin-table", "mem_map", "pgtable", ...)
 * Adjacent or overlapping memory regions merge. A reservation that overlaps an
 * existing one only adds the part not yet reserved (the first owner keeps the
 * overlap); adjacent reservations merge only when their owners are equal, so the
 * debugfs view says who holds what.
 *
 * memblock lives from discovery until mem_init() hands every free range to the
 * buddy allocator. After that it is retired: its arrays stay readable (debugfs,
 * /proc/iomem), but any further add/reserve/alloc/free is a reported bug
 * (WARNING + failure return), never a silent change.
 */
#define INIT_MEMBLOCK_REGIONS	128
#define MEMBLOCK_ALLOC_ANYWHERE	(~(paddr_t)0)
#define MEMBLOCK_OWNER_LEN	16

struct memblock_region {
	paddr_t base;
	paddr_t size;
	char owner[MEMBLOCK_OWNER_LEN];	/* "" for memory regions */
};

struct memblock_type {
	unsigned long cnt;
	unsigned long max;
	struct memblock_region *regions;
	const char *name;
};

struct memblock {
	paddr_t current_limit;	/* allocations stay below this (exclusive) */
	bool retired;		/* set by memblock_retire() once the buddy owns RAM */
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;

/* All return 0, or -1 after printing why (full array, wrapping range, retired). */
int memblock_add(paddr_t base, paddr_t size);
int memblock_remove(paddr_t base, paddr_t size);
int memblock_reserve(paddr_t base, paddr_t size, const char *owner);
/* memblock_free: un-reserves [base, base+size) whoever owned it (Linux: memblock_phys_free). */
int memblock_free(paddr_t base, paddr_t size);

/*
 * memblock_phys_alloc: the highest free, align-aligned range of size bytes that
 * ends at or below the current limit, reserved for owner. Returns its physical
 * address, or 0 after printing "memblock: cannot allocate ..." (PA 0 is never
 * handed out: on the Pi it holds the spin-table page). Does not touch the memory,
 * so it is safe before the linear map exists.
 */
paddr_t memblock_phys_alloc(paddr_t size, paddr_t align, const char *owner);
/* memblock_alloc: the same, returned through the linear map (__va) and zeroed; NULL on failure.
 * Only after paging_init() has mapped RAM. */
void *memblock_alloc(paddr_t size, paddr_t align, const char *owner);

void memblock_set_current_limit(paddr_t limit);

paddr_t memblock_phys_mem_size(void);		/* sum of memory regions */
paddr_t memblock_reserved_size(void);		/* sum of reserved regions */
paddr_t memblock_start_of_DRAM(void);		/* 0 if there is no memory */
paddr_t memblock_end_of_DRAM(void);		/* exclusive */
bool memblock_is_memory(paddr_t addr);
bool memblock_is_reserved(paddr_t addr);
/* The owner of the reservation containing addr, or NULL. */
const char *memblock_reserved_owner(paddr_t addr);

/* mem_init() calls this after the hand-over; later changes are reported bugs. */
void memblock_retire(void);

/*
 * Iterators. i is a u64 cursor; *p_start and *p_end receive [start, end) (end exclusive).
 *   for_each_mem_range       every memory region
 *   for_each_reserved_mem_range  every reserved region
 *   for_each_free_mem_range  every piece of memory not reserved, ascending
 */
bool __next_mem_range(u64 *idx, paddr_t *p_start, paddr_t *p_end);
bool __next_reserved_range(u64 *idx, paddr_t *p_start, paddr_t *p_end);
bool __next_free_mem_range(u64 *idx, paddr_t *p_start, paddr_t *p_end);
#define for_each_mem_range(i, p_start, p_end) \
	for (i = 0; __next_mem_range(&i, p_start, p_end);)
#define for_each_reserved_mem_range(i, p_start, p_end) \
	for (i = 0; __next_reserved_range(&i, p_start, p_end);)
#define for_each_free_mem_range(i, p_start, p_end) \
	for (i = 0; __next_free_mem_range(&i, p_start, p_end);)

/*
 * Tests: save the live state, work on an empty un-retired memblock, then put the
 * live state back (in the kernel the live memblock is the boot record the debugfs
 * files show, so a test must not leave its own regions behind).
 */
struct memblock_state {
	struct memblock mb;
	struct memblock_region memory[INIT_MEMBLOCK_REGIONS];
	struct memblock_region reserved[INIT_MEMBLOCK_REGIONS];
};
void memblock_save(struct memblock_state *s);
void memblock_restore(const struct memblock_state *s);
void memblock_reset(void);

#endif

/* of_fdt.h: memory discovery and boot parameters from a flattened device tree (drivers/of/fdt.c). */
#ifndef PAGODA_OF_FDT_H
#define PAGODA_OF_FDT_H

#include <compiler.h>

#define DT_MAX_MEM_REGIONS	16
#define DT_MAX_RSV_REGIONS	32
#define DT_MAX_DROPPED		8	/* bad /memreserve/ entries remembered for the report */
#define FDT_MAX_SIZE		0x200000	/* 2 MiB, as Linux's MAX_FDT_SIZE */
#define DT_MAX_PHYS		(1ULL << 52)	/* no arch addresses more (PAE: 52, arm64: 48) */

struct dt_region {
	paddr_t base;
	paddr_t size;
	char owner[16];		/* reservations: "memreserve", or the /reserved-memory child's name */
};

/* What a DTB says about memory, checked for sanity but not yet given to memblock. */
struct dt_memory_map {
	unsigned int nr_mem, nr_rsv;
	struct dt_region mem[DT_MAX_MEM_REGIONS];	/* sorted by base, non-overlapping */
	struct dt_region rsv[DT_MAX_RSV_REGIONS];
	u32 addr_cells, size_cells;			/* of the root node */
	unsigned int nr_dynamic;			/* /reserved-memory children with only a size (ignored) */
	unsigned int nr_dropped;			/* bad /memreserve/ entries left out (the rest are kept) */
	struct { int index; paddr_t base, size; } dropped[DT_MAX_DROPPED];
};

/*
 * early_init_dt_check: is blob a whole, well-formed DTB no larger than bufsize?
 * Magic, version, header offsets and sizes, and the full structure block
 * (fdt_check_full). Returns 0, or -1 with the reason in why.
 */
int early_init_dt_check(const void *blob, size_t bufsize, char *why, size_t n);

/*
 * early_init_dt_parse: fills map from /memory nodes (device_type = "memory",
 * reg in the root's #address-cells/#size-cells), the /memreserve/ block and the
 * /reserved-memory children with reg. Rejects wrong cell sizes, regions that wrap
 * or reach past DT_MAX_PHYS, overlapping memory and a DTB without memory. A
 * /memreserve/ entry that wraps or reaches past DT_MAX_PHYS is only left out
 * (listed in map->dropped): one bad entry must not throw away the good ones.
 * Pure: changes nothing outside map. Returns 0, or -1 with the reason in why.
 */
int early_init_dt_parse(const void *blob, size_t bufsize, struct dt_memory_map *map, char *why, size_t n);

/*
 * early_init_dt_scan_phys: check + parse, then (only if all is well) memblock_add
 * the memory, memblock_reserve the reservations and the blob itself at blob_pa
 * (owner "dtb", whole pages), copy /chosen/bootargs into boot_command_line and
 * /chosen/stdout-path into of_stdout_path. Prints one line per dropped
 * /memreserve/ entry. On a malformed DTB prints ONE line
 * ("OF: fdt: ignoring the device tree at 0x...: <reason>") and returns -1 with
 * memblock and the command line untouched, so the caller can fall back.
 * bufsize: how many bytes at blob may be read (FDT_MAX_SIZE if unknown).
 */
int early_init_dt_scan_phys(const void *blob, paddr_t blob_pa, size_t bufsize);
/* early_init_dt_scan: the same for a blob readable at its linear-map or image address. */
int early_init_dt_scan(const void *blob);

/* /chosen/stdout-path without its ":options" ("serial1", "/soc/serial@7e215040"), or "". */
extern char of_stdout_path[64];
/* The options after ':' ("115200n8"), or "". */
extern char of_stdout_options[32];

#endif

/* ioport.h: named physical address ranges shown in /proc/iomem (Linux's struct resource, flat). */
#ifndef PAGODA_IOPORT_H
#define PAGODA_IOPORT_H

#include <compiler.h>

struct resource {
	paddr_t start;
	paddr_t end;		/* inclusive, as Linux */
	const char *name;	/* not copied: a string literal or static storage */
};

/*
 * request_mem_region: names [start, start + n) in /proc/iomem ("Kernel code",
 * "serial", ...). System RAM comes from memblock and needs no call. Regions nest
 * by containment; one that partly overlaps another is refused (NULL), as is a full
 * table (48 entries).
 */
struct resource *request_mem_region(paddr_t start, paddr_t n, const char *name);
void release_mem_region(paddr_t start, paddr_t n);

#endif

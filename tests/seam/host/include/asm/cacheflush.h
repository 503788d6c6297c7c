/* cacheflush.h (host seam): records data-cache maintenance so tests can check what DMA asked for. */
#ifndef HOST_ASM_CACHEFLUSH_H
#define HOST_ASM_CACHEFLUSH_H

#include <types.h>

/* The host pretends to be a non-coherent machine with 64-byte lines (a Cortex-A53). */
#define ARCH_DMA_NONCOHERENT	1

enum host_cache_op { HOST_DC_CLEAN = 1, HOST_DC_INVAL, HOST_DC_CLEAN_INVAL };

/* The last HOST_CACHE_LOG operations, oldest first; host_cache_log_n counts all of them. */
#define HOST_CACHE_LOG	16
struct host_cache_rec {
	enum host_cache_op op;
	unsigned long start, end;
};
extern struct host_cache_rec host_cache_log[HOST_CACHE_LOG];
extern unsigned int host_cache_log_n;

static inline unsigned long dcache_line_size(void)
{
	return 64;
}

static inline void host_cache_record(enum host_cache_op op, unsigned long start, unsigned long end)
{
	host_cache_log[host_cache_log_n++ % HOST_CACHE_LOG] = (struct host_cache_rec){ op, start, end };
}

static inline void dcache_clean_range(unsigned long start, unsigned long end)
{
	host_cache_record(HOST_DC_CLEAN, start, end);
}

static inline void dcache_inval_range(unsigned long start, unsigned long end)
{
	host_cache_record(HOST_DC_INVAL, start, end);
}

static inline void dcache_clean_inval_range(unsigned long start, unsigned long end)
{
	host_cache_record(HOST_DC_CLEAN_INVAL, start, end);
}

#endif

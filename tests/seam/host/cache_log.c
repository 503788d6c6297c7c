/* cache_log.c (host): storage for the data-cache maintenance log of tests/seam/host/include/asm/cacheflush.h; arch_sync_icache. */
#include <asm/cacheflush.h>

struct host_cache_rec host_cache_log[HOST_CACHE_LOG];
unsigned int host_cache_log_n;

/* arch_sync_icache (kernel/process.h): the host has no I-cache to keep coherent; a COW copy of an executable page calls it. */
void arch_sync_icache(unsigned long start, unsigned long end);
void arch_sync_icache(unsigned long start, unsigned long end)
{
	(void)start, (void)end;
}

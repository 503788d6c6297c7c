/* cache_log.c (host): storage for the data-cache maintenance log of tests/seam/host/include/asm/cacheflush.h. */
#include <asm/cacheflush.h>

struct host_cache_rec host_cache_log[HOST_CACHE_LOG];
unsigned int host_cache_log_n;

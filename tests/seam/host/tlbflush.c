/* tlbflush.c (host): the counters behind tests/seam/host/include/asm/tlbflush.h. */
#include <asm/tlbflush.h>

struct host_tlb_stats host_tlb;
void (*host_tlb_flush_hook)(vaddr_t start, vaddr_t end);
void (*host_tlb_drop_hook)(vaddr_t start, vaddr_t end);

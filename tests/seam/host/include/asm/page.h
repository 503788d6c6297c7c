/* page.h (host seam): clear_page is a memset of simulated RAM. */
#ifndef HOST_ASM_PAGE_H
#define HOST_ASM_PAGE_H

#include <string.h>
#include <asm/memory.h>

static inline void clear_page(void *addr)
{
	memset(addr, 0, PAGE_SIZE);
}

#endif

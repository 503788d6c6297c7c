/* page.h (x86): clear_page — a whole page zeroed with REP STOSL. */
#ifndef ASM_X86_PAGE_H
#define ASM_X86_PAGE_H

#include <asm/memory.h>

/* clear_page: zeroes the PAGE_SIZE bytes at addr (a mapped kernel VA, page aligned). */
static inline void clear_page(void *addr)
{
	unsigned long d0, d1;

	__asm__ volatile("rep stosl" : "=&c"(d0), "=&D"(d1) : "0"(PAGE_SIZE / 4), "1"(addr), "a"(0) : "memory");
}

#endif

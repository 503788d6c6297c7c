/* cacheflush.h (arm64): data-cache maintenance by VA to the point of coherency (for DMA). */
#ifndef ASM_ARM64_CACHEFLUSH_H
#define ASM_ARM64_CACHEFLUSH_H

#include <compiler.h>
#include <asm/sysreg.h>

/* The CPU and devices do not snoop each other: DMA needs the maintenance below. */
#define ARCH_DMA_NONCOHERENT	1

/*
 * The smallest data-cache line of any level, in bytes: CTR_EL0.DminLine
 * (bits [19:16], ARM ARM D17.2.34) is log2 of the line in 4-byte words.
 * Cortex-A53: 64 bytes.
 */
#define CTR_DMINLINE_SHIFT	16
#define CTR_DMINLINE_MASK	0xfUL

static inline unsigned long dcache_line_size(void)
{
	return 4UL << ((read_sysreg(ctr_el0) >> CTR_DMINLINE_SHIFT) & CTR_DMINLINE_MASK);
}

#define __dcache_by_line(insn, start, end) do { \
	unsigned long __l = dcache_line_size(); \
	unsigned long __a = (start) & ~(__l - 1); \
	for (; __a < (end); __a += __l) \
		__asm__ volatile("dc " insn ", %0" : : "r"(__a) : "memory"); \
	__asm__ volatile("dsb sy" : : : "memory"); \
} while (0)

/* dcache_clean_range: write dirty lines of [start, end) back to memory (dc cvac). */
static inline void dcache_clean_range(unsigned long start, unsigned long end)
{
	__dcache_by_line("cvac", start, end);
}

/* dcache_clean_inval_range: write back, then discard, the lines of [start, end) (dc civac). */
static inline void dcache_clean_inval_range(unsigned long start, unsigned long end)
{
	__dcache_by_line("civac", start, end);
}

/*
 * dcache_inval_range: discard the lines of [start, end) (dc ivac) so the next
 * read sees memory. A line only partly inside the range is cleaned and
 * invalidated instead, so bytes next to the buffer are never lost.
 */
static inline void dcache_inval_range(unsigned long start, unsigned long end)
{
	unsigned long l = dcache_line_size(), m = l - 1;

	if (start & m) {
		__asm__ volatile("dc civac, %0" : : "r"(start & ~m) : "memory");
		start = (start | m) + 1;
	}
	if (end & m && end > start) {
		__asm__ volatile("dc civac, %0" : : "r"(end & ~m) : "memory");
		end &= ~m;
	}
	for (; start < end; start += l)
		__asm__ volatile("dc ivac, %0" : : "r"(start) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}

#endif

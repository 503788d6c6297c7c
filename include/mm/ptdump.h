/* ptdump.h: dump a translation context like Linux's kernel_page_tables, check W^X, explain one VA. */
#ifndef PAGODA_MM_PTDUMP_H
#define PAGODA_MM_PTDUMP_H

#include <mm/pgtable.h>
#include <kernel/seq_buf.h>

/* One attribute word of the dump: " set" if (entry & mask) == val, else " clear" (NULL: nothing). */
struct ptdump_prot_bits {
	u64 mask;
	u64 val;
	const char *set;
	const char *clear;
};

/* A region boundary: "---[ name ]---" is printed when the walk reaches start. */
struct ptdump_marker {
	unsigned long start;
	const char *name;
};

/*
 * ptdump_show: the whole context in Linux's kernel_page_tables format (one line
 * per run of entries with the same level and attributes, markers between
 * regions, holes as lines without attributes) plus a trailing "-> PA" column.
 * A run also ends where the physical addresses stop being consecutive, so the
 * PA column is true for the whole line. markers NULL: the arch's kernel layout.
 */
void ptdump_show(struct mm_ctx *ctx, const struct ptdump_marker *markers, struct seq_buf *s);
/*
 * ptdump_check_wx: walks ctx and counts pages both writable and executable;
 * prints "Checked W+X mappings: passed, no W+X pages found" or
 * "Checked W+X mappings: FAILED, N W+X pages found" (and a warning per run).
 * Returns N.
 */
unsigned long ptdump_check_wx(struct mm_ctx *ctx);
/*
 * ptdump_walk_va: prints (kprintf) how va translates in ctx: per level the
 * index, the table's PA, the raw entry and its meaning, then the PA and
 * attributes, or where and why translation stops. Returns 0 if va is mapped.
 */
int ptdump_walk_va(struct mm_ctx *ctx, vaddr_t va);

#endif

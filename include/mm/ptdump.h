/* ptdump.h: dump a translation context like Linux's kernel_page_tables, check W^X; words for `walk VA`. */
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
 * For `walk VA` (kernel/walk_cmd.c), which prints one translation with the
 * dump's words:
 *   ptdump_leaf_words: the attribute words of the leaf entry e, as the dump
 *       prints them (blank columns kept), appended to s.
 *   ptdump_level_name: the arch's name of a level ("PMD", "pte"; "?" if no level).
 *   ptdump_outside_why: why va, outside the kernel context, does not
 *       translate (arm64: TTBR0's half, or non-canonical).
 */
void ptdump_leaf_words(struct seq_buf *s, pte_t e);
const char *ptdump_level_name(int level);
const char *ptdump_outside_why(vaddr_t va);

#endif

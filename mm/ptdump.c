/* ptdump.c: the page-table dump and the W^X check, visitors of the read walk (the arch supplies the words). */
#include <mm/ptdump.h>
#include <asm/ptdump.h>
#include <kernel/debugfs.h>
#include <kernel/printk.h>
#include <string.h>

#define PT_PAGE_SIZE	pt_level_size(PT_LEVELS - 1)
#ifndef PTDUMP_LEVEL_LAST
#define PTDUMP_LEVEL_LAST	0	/* 1: the level name follows the attribute columns (x86) */
#endif

/* The state of the run being merged (Linux's struct pg_state). */
struct pg_state {
	struct seq_buf *seq;		/* NULL: walk for the W^X check only */
	const struct ptdump_marker *marker;
	int level;			/* -1 until the first entry */
	u64 attr;			/* entry & attribute mask; 0 for a hole */
	pte_t first;			/* the run's first entry */
	unsigned long start_va;
	paddr_t start_pa;
	unsigned long wx_pages;
};

static u64 ptdump_attr_mask(void)
{
	u64 m = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ptdump_bits); i++)
		m |= ptdump_bits[i].mask;
	return m;
}

/* The attribute words of a leaf entry, with blank columns kept (as Linux's dump_prot). */
static void ptdump_prot_words(struct seq_buf *s, u64 attr)
{
	unsigned int i;
	const char *w;

	for (i = 0; i < ARRAY_SIZE(ptdump_bits); i++) {
		w = (attr & ptdump_bits[i].mask) == ptdump_bits[i].val ? ptdump_bits[i].set :
									  ptdump_bits[i].clear;
		if (w)
			seq_buf_printf(s, " %s", w);
	}
}

/* A hole's attribute columns as blanks of the same widths (where the level name comes last). */
static void ptdump_blank_words(struct seq_buf *s)
{
	unsigned int i;
	size_t a, b;

	for (i = 0; i < ARRAY_SIZE(ptdump_bits); i++) {
		a = ptdump_bits[i].set ? strlen(ptdump_bits[i].set) : 0;
		b = ptdump_bits[i].clear ? strlen(ptdump_bits[i].clear) : 0;
		if (ptdump_bits[i].set || ptdump_bits[i].clear)
			seq_buf_printf(s, " %*s", (int)max(a, b), "");
	}
}

/* Ends the current run at va: counts W+X pages, prints its line. */
static void ptdump_end_run(struct pg_state *st, unsigned long va)
{
	static const char units[] = "KMGTPE";
	const char *unit = units;
	unsigned long delta = (va - st->start_va) >> 10;
	u32 prot;

	if (st->attr) {
		prot = pte_leaf_prot(st->first, st->level);
		if ((prot & (PROT_WRITE | PROT_EXEC)) == (PROT_WRITE | PROT_EXEC)) {
			pr_warn("ptdump: Found insecure W+X mapping at address 0x%016llx\n",
				(unsigned long long)st->start_va);
			st->wx_pages += (va - st->start_va) / PT_PAGE_SIZE;
		}
	}
	if (!st->seq)
		return;
	seq_buf_printf(st->seq, PTDUMP_ADDR_FMT "-" PTDUMP_ADDR_FMT "   ", st->start_va, va);
	while (!(delta & 1023) && unit[1]) {
		delta >>= 10;
		unit++;
	}
	seq_buf_printf(st->seq, "%9lu%c", delta, *unit);
	if (!PTDUMP_LEVEL_LAST)
		seq_buf_printf(st->seq, " %s", ptdump_level_names[st->level]);
	if (st->attr)
		ptdump_prot_words(st->seq, st->attr);
	else if (PTDUMP_LEVEL_LAST)
		ptdump_blank_words(st->seq);
	if (PTDUMP_LEVEL_LAST)
		seq_buf_printf(st->seq, " %s", ptdump_level_names[st->level]);
	if (st->attr)
		seq_buf_printf(st->seq, " -> 0x%016llx", (unsigned long long)st->start_pa);
	seq_buf_putc(st->seq, '\n');
}

static void ptdump_marker_line(struct pg_state *st)
{
	if (st->seq)
		seq_buf_printf(st->seq, "---[ %s ]---\n", st->marker->name);
}

/*
 * note_page: one entry that maps (or fails to map) [va, va + size of level).
 * It extends the current run if level and attributes match (and, for mapped
 * runs, the PA continues), else ends the run and starts a new one, printing
 * the markers the walk has passed.
 */
static void note_page(struct pg_state *st, int level, unsigned long va, pte_t e)
{
	u64 attr = pte_valid(e) ? pte_val(e) & ptdump_attr_mask() : 0;
	paddr_t pa = attr ? pte_leaf_pa(e, level) : 0;

	if (st->level >= 0) {
		if (attr == st->attr && level == st->level && va < st->marker[1].start &&
		    (!attr || pa == st->start_pa + (va - st->start_va)))
			return;
		ptdump_end_run(st, va);
		while (va >= st->marker[1].start) {
			st->marker++;
			ptdump_marker_line(st);
		}
	} else {
		ptdump_marker_line(st);
	}
	st->level = level;
	st->attr = attr;
	st->first = e;
	st->start_va = va;
	st->start_pa = pa;
}

/*
 * note_entry: note_page for one entry, except that a hole is cut at the region
 * markers inside it, so that every marker is printed where its region starts
 * even when nothing below it is mapped (runs never cross a marker).
 */
static void note_entry(struct pg_state *st, int level, unsigned long va, pte_t e)
{
	unsigned long last = va + (pt_level_size(level) - 1);

	note_page(st, level, va, e);
	while (!pte_valid(e) && st->marker[1].name && st->marker[1].start > va &&
	       st->marker[1].start <= last)
		note_page(st, level, st->marker[1].start, e);
}

/* The dump's visitor: every leaf and every hole, in address order (tables only lead to them). */
static int ptdump_note(const struct pt_walk_entry *e, void *priv)
{
	note_entry(priv, e->level, e->va, e->entry);
	return 0;
}

static const struct pt_walk_ops ptdump_walk_ops = { .leaf = ptdump_note, .hole = ptdump_note };

static void ptdump_walk(struct pg_state *st, struct mm_ctx *ctx)
{
	st->level = -1;
	pt_walk(ctx, ctx->va_base, ctx->va_base + ctx->va_size, &ptdump_walk_ops, st);
	if (st->level >= 0)	/* the end of the range; 0 when it is the top of the address space */
		ptdump_end_run(st, (unsigned long)(ctx->va_base + ctx->va_size));
}

void ptdump_show(struct mm_ctx *ctx, const struct ptdump_marker *markers, struct seq_buf *s)
{
	struct pg_state st = { .seq = s, .marker = markers ? markers : ptdump_markers };

	if (!ctx->root) {
		seq_buf_printf(s, "no page tables\n");
		return;
	}
	while (st.marker[1].name && st.marker[1].start <= ctx->va_base)
		st.marker++;
	ptdump_walk(&st, ctx);
}

unsigned long ptdump_check_wx(struct mm_ctx *ctx)
{
	struct pg_state st = { .marker = ptdump_markers };

	if (!ctx->root)
		return 0;
	ptdump_walk(&st, ctx);
	if (st.wx_pages)
		pr_info("Checked W+X mappings: FAILED, %lu W+X pages found\n", st.wx_pages);
	else
		pr_info("Checked W+X mappings: passed, no W+X pages found\n");
	return st.wx_pages;
}

void ptdump_leaf_words(struct seq_buf *s, pte_t e)
{
	ptdump_prot_words(s, pte_val(e) & ptdump_attr_mask());
}

const char *ptdump_level_name(int level)
{
	return level >= 0 && level < PT_LEVELS ? ptdump_level_names[level] : "?";
}

const char *ptdump_outside_why(vaddr_t va)
{
	return PTDUMP_OUTSIDE_WHY(va);
}

static void kernel_page_tables_show(struct seq_buf *s)
{
	ptdump_show(&init_mm, NULL, s);
}
DEBUGFS_FILE(kernel_page_tables, "/sys/kernel/debug/kernel_page_tables", kernel_page_tables_show);

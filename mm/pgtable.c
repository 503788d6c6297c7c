/* pgtable.c: the generic page-table core — one walker over PT_LEVELS levels for every arch. */
#include <mm/pgalloc.h>
#include <mm/pgtable.h>
#include <mm/vmstat.h>
#include <asm/tlbflush.h>
#include <errno.h>
#include <kernel/bug.h>
#include <string.h>

/* The kernel's context; paging_init() fills it in. */
struct mm_ctx init_mm;

/*
 * Entries are changed a group at a time: a group is a contiguous-hint group
 * where the level has one (so folding and unfolding see all 16 entries), else
 * PT_GROUP entries. One TLB flush covers a whole group.
 */
#define PT_GROUP	16

/* An arch that can flush a range of same-size entries with one TLBI each says so. */
#ifndef flush_tlb_kernel_range_stride
#define flush_tlb_kernel_range_stride(s, e, stride)	flush_tlb_kernel_range(s, e)
#endif
#define PT_PAGE_SIZE	pt_level_size(PT_LEVELS - 1)

struct pt_freed {
	pte_t *va;
	paddr_t pa;
};

/* Table pages an unmap may free before its one TLB flush; when full, flush and free. */
#define PT_GATHER_TABLES	16

struct pt_walk {
	struct mm_ctx *ctx;
	enum pt_op op;
	u64 start, end;		/* offsets from ctx->va_base; PT_OP_SPLIT: [point, point + 1) */
	paddr_t pa;		/* PT_OP_MAP: the PA mapped at offset start */
	u32 prot;		/* PT_OP_MAP, PT_OP_PROTECT */
	/*
	 * The gather (Linux's mmu_gather idea): entries that an unmap only breaks
	 * need no flush before anything is written after them, so their flush is
	 * put off to the end of the walk and done once for [fl_start, fl_end).
	 * Tables freed meanwhile wait in freed[] until that flush (a walk cache
	 * may still point at them).
	 */
	bool fl_pending;
	vaddr_t fl_start, fl_end;	/* fl_end == 0: the top of the address space */
	u64 fl_stride;			/* the smallest entry size gathered */
	unsigned int nfreed;
	struct pt_freed freed[PT_GATHER_TABLES];
};

static int pt_walk_table(struct pt_walk *w, pte_t *table, int level, u64 tbase, bool live);

enum pt_action pt_decide(enum pt_op op, int level, enum pt_kind kind, bool covers, bool aligned)
{
	bool last = level == PT_LEVELS - 1;

	if (kind == PT_KIND_NONE)
		return op != PT_OP_MAP ? PT_ACT_NOTHING :
		       last || (covers && aligned && pt_level_has_block(level)) ?
		       PT_ACT_WRITE_LEAF : PT_ACT_ALLOC_TABLE;
	if (kind == PT_KIND_TABLE)
		return op == PT_OP_SPLIT && covers ? PT_ACT_NOTHING : PT_ACT_DESCEND;
	switch (op) {
	case PT_OP_MAP:
		return PT_ACT_EXISTS;
	case PT_OP_UNMAP:
		return covers ? PT_ACT_CLEAR : PT_ACT_SPLIT;
	case PT_OP_PROTECT:
		return covers ? PT_ACT_UPDATE : PT_ACT_SPLIT;
	case PT_OP_SPLIT:
		return covers ? PT_ACT_NOTHING : PT_ACT_SPLIT;
	}
	return PT_ACT_NOTHING;
}

/* Table pages come from the one allocator (mm/pgalloc.c), which also does the accounting. */
static pte_t *pt_table_alloc(struct mm_ctx *ctx, paddr_t *pa)
{
	return pagetable_alloc(ctx, pa);
}

static void pt_table_free(struct mm_ctx *ctx, pte_t *t, paddr_t pa)
{
	pagetable_free(ctx, t, pa);
}

static unsigned int pt_group_size(int level)
{
	unsigned int c = pt_cont_entries(level);

	return min(c ? c : PT_GROUP, pt_entries(level));
}

/* True if e[0..n) can carry the contiguous hint: n aligned leaves, one prot, consecutive PAs. */
static bool pt_foldable(const pte_t *e, unsigned int n, int level)
{
	u64 sz = pt_level_size(level);
	paddr_t pa0;
	u32 prot0;
	unsigned int i;

	if (n != pt_cont_entries(level) || !pte_is_leaf(e[0], level))
		return false;
	pa0 = pte_leaf_pa(e[0], level);
	prot0 = pte_leaf_prot(e[0], level);
	if (!IS_ALIGNED(pa0, sz * n))
		return false;
	for (i = 1; i < n; i++)
		if (!pte_is_leaf(e[i], level) || pte_leaf_pa(e[i], level) != pa0 + i * sz ||
		    pte_leaf_prot(e[i], level) != prot0)
			return false;
	return true;
}

/* Recomputes the contiguous hint of one group: cleared everywhere, set again if it still fits. */
static void pt_refold(pte_t *e, unsigned int n, int level)
{
	bool fold;
	unsigned int i;

	if (!pt_cont_entries(level))
		return;
	for (i = 0; i < n; i++)
		if (pte_is_leaf(e[i], level))
			e[i] = pte_mknoncont(e[i]);
	fold = pt_foldable(e, n, level);
	for (i = 0; fold && i < n; i++)
		e[i] = pte_mkcont(e[i]);
}

/*
 * Between the break and the make, [s, e) is unmapped: the code and the stack
 * doing the change must not be in it (splitting the block that holds the
 * running stack would fault half way). Only the live kernel context can hit
 * this; it is a caller's bug, reported instead of a fault in the middle.
 */
static void pt_check_break(struct mm_ctx *ctx, vaddr_t s, vaddr_t e)
{
	vaddr_t sp = (vaddr_t)__builtin_frame_address(0), pc = (vaddr_t)pt_check_break;

	if (ctx != &init_mm)
		return;
	if ((sp >= s && sp - s < e - s) || (pc >= s && pc - s < e - s))
		panic("pt_commit: changing 0x%016llx-0x%016llx would unmap the running %s",
		      (unsigned long long)s, (unsigned long long)e, sp >= s && sp - s < e - s ? "stack" : "code");
}

/*
 * pt_commit: writes new[0..n) over table[g..g+n), one group. THIS IS THE ONE
 * PLACE A LIVE ENTRY CHANGES, and it follows break-before-make (ARM ARM D8.16.1;
 * the same order is safe for x86 PAE): replacing a valid entry by another valid
 * one in a single store may leave the old and new translations (or a stale
 * walk-cache entry for a table being replaced) both in some TLB, which is a TLB
 * conflict when the block size or the contiguous bit changes. So:
 *   1. break: store invalid into every live valid entry that changes;
 *   2. flush the TLBs for the span of entries broken (flush_tlb_kernel_range_stride: on
 *      arm64 TLBI VAAE1IS per entry, or TLBI VMALLE1IS, then DSB ISH; ISB),
 *      so no CPU keeps the old translation or a walk through a dropped table;
 *   3. make: store the new entries (set_pte: store, DSB ISHST; ISB).
 * An unmap whose group makes no new valid entry needs no flush before step 3,
 * so it is gathered (pt_gather) and flushed once when the walk ends: unmapping
 * 1 MiB costs one flush (above MAX_TLBI_OPS pages, one TLBI VMALLE1IS), not 256.
 * Permission-only changes would be allowed without the break; doing it anyway
 * keeps one rule. Entries that were invalid are written directly (the walker
 * never caches an invalid entry), and so is everything in a table that is not
 * live yet (being built or split; it becomes live when its parent is written).
 */
static void pt_flush(vaddr_t s, vaddr_t e, u64 stride)
{
	if (e <= s)	/* the range ends at the top of the address space */
		flush_tlb_all();
	else
		flush_tlb_kernel_range_stride(s, e, stride);
}

/* pt_gather_flush: the put-off flush, then the tables that waited for it. */
static void pt_gather_flush(struct pt_walk *w)
{
	unsigned int i;

	if (w->fl_pending)
		pt_flush(w->fl_start, w->fl_end, w->fl_stride);
	w->fl_pending = false;
	for (i = 0; i < w->nfreed; i++)
		pt_table_free(w->ctx, w->freed[i].va, w->freed[i].pa);
	w->nfreed = 0;
}

/* pt_free_later: frees a table now if no flush is pending, else after the gathered flush. */
static void pt_free_later(struct pt_walk *w, struct pt_freed f)
{
	if (!w->fl_pending) {
		pt_table_free(w->ctx, f.va, f.pa);
		return;
	}
	if (w->nfreed == PT_GATHER_TABLES)
		pt_gather_flush(w);
	w->freed[w->nfreed++] = f;
}

static void pt_gather(struct pt_walk *w, vaddr_t s, vaddr_t e, u64 stride)
{
	if (!w->fl_pending) {
		w->fl_start = s;
		w->fl_end = e;
		w->fl_stride = stride;
		w->fl_pending = true;
		return;
	}
	w->fl_start = min(w->fl_start, s);
	w->fl_end = (w->fl_end == 0 || e == 0) ? 0 : max(w->fl_end, e);
	w->fl_stride = min(w->fl_stride, stride);
}

static void pt_commit(struct pt_walk *w, pte_t *table, int level, u64 goff, unsigned int g,
		      unsigned int n, const pte_t *old, const pte_t *new, bool live)
{
	struct mm_ctx *ctx = w->ctx;
	bool changed = false, makes = false;
	unsigned int i, lo = n, hi = 0;	/* the span of entries broken, [lo, hi) */
	vaddr_t s, e;

	for (i = 0; i < n; i++) {
		if (pte_val(old[i]) == pte_val(new[i]))
			continue;
		changed = true;
		makes |= pte_valid(new[i]);
		if (live && pte_valid(old[i])) {
			pte_clear(&table[g + i]);
			lo = min(lo, i);
			hi = i + 1;
		}
	}
	if (!changed)
		return;
	/* Only what was broken can be cached in the TLB: flush that span, not the whole group. */
	if (lo < hi) {
		s = ctx->va_base + goff + lo * pt_level_size(level);
		e = s + (hi - lo) * pt_level_size(level);
		pt_check_break(ctx, s, e);
		if (w->op == PT_OP_UNMAP && !makes)
			pt_gather(w, s, e, pt_level_size(level));	/* nothing to make: flush later */
		else
			pt_flush(s, e, pt_level_size(level));
		ctx->nr_bbm++;
	}
	for (i = 0; i < n; i++) {
		if (pte_val(old[i]) == pte_val(new[i]))
			continue;
		if (pte_valid(new[i]))
			set_pte(&table[g + i], new[i]);
		else if (!live || !pte_valid(old[i]))
			pte_clear(&table[g + i]);
	}
}

/* Fills a fresh table of level clevel with the translation of the leaf old (one level up). */
static void pt_fill_split(pte_t *t, int clevel, pte_t old)
{
	paddr_t pa = pte_leaf_pa(old, clevel - 1);
	u32 prot = pte_leaf_prot(old, clevel - 1);
	unsigned int i, n = pt_entries(clevel), gsz = pt_group_size(clevel);
	pte_t e[PT_GROUP];

	for (i = 0; i < n; i++) {
		e[i % gsz] = pte_mk_leaf(pa + i * pt_level_size(clevel), clevel, prot);
		if (i % gsz == gsz - 1) {
			pt_refold(e, gsz, clevel);
			memcpy(&t[i + 1 - gsz], e, gsz * sizeof(pte_t));
		}
	}
}

/*
 * pt_new_table: allocates the next-level table for an empty entry (map) or a
 * leaf being split (old valid: the table repeats its translation), runs the walk
 * in it, and points *e at it. The table is installed even if the walk below
 * failed: it holds a consistent partial result that the caller undoes.
 */
static int pt_new_table(struct pt_walk *w, int level, u64 ent_start, pte_t *e, pte_t old)
{
	paddr_t pa;
	pte_t *t = pt_table_alloc(w->ctx, &pa);
	int err;

	if (!t)
		return -ENOMEM;
	if (pte_valid(old))
		pt_fill_split(t, level + 1, old);
	err = pt_walk_table(w, t, level + 1, ent_start, false);
	*e = pte_mk_table(pa, level);
	return err;
}

/* Descends into an existing table; after an unmap, a table left empty is unhooked and freed. */
static int pt_descend(struct pt_walk *w, int level, u64 ent_start, pte_t *e, bool live,
		      struct pt_freed *fr)
{
	paddr_t pa = pte_table_pa(*e);
	pte_t *t = w->ctx->pt_va(w->ctx, pa);
	unsigned int i;
	int err = pt_walk_table(w, t, level + 1, ent_start, live);

	if (w->op != PT_OP_UNMAP)
		return err;
	for (i = 0; i < pt_entries(level + 1); i++)
		if (!pte_none(pte_read(&t[i])))
			return err;
	*e = __pte(0);
	fr->va = t;
	fr->pa = pa;
	return err;
}

/* Decides and acts for one entry; *e is its new value (written later by pt_commit). */
static int pt_entry(struct pt_walk *w, int level, u64 ent_start, pte_t *e, bool live,
		    struct pt_freed *fr)
{
	pte_t old = *e;
	u64 sz = pt_level_size(level);
	enum pt_kind kind = pte_is_table(old, level) ? PT_KIND_TABLE :
			    pte_valid(old) ? PT_KIND_LEAF : PT_KIND_NONE;
	bool covers = w->op == PT_OP_SPLIT ? ent_start == w->start :
		      w->start <= ent_start && ent_start + sz <= w->end;
	paddr_t pa = w->pa + (ent_start - w->start);

	switch (pt_decide(w->op, level, kind, covers, IS_ALIGNED(pa, sz))) {
	case PT_ACT_NOTHING:
		return 0;
	case PT_ACT_WRITE_LEAF:
		*e = pte_mk_leaf(pa, level, w->prot);
		return 0;
	case PT_ACT_CLEAR:
		*e = __pte(0);
		return 0;
	case PT_ACT_UPDATE:
		*e = pte_mk_leaf(pte_leaf_pa(old, level), level, w->prot);
		return 0;
	case PT_ACT_EXISTS:
		return -EEXIST;
	case PT_ACT_ALLOC_TABLE:
		return pt_new_table(w, level, ent_start, e, __pte(0));
	case PT_ACT_SPLIT:
		return pt_new_table(w, level, ent_start, e, old);
	case PT_ACT_DESCEND:
		return pt_descend(w, level, ent_start, e, live, fr);
	}
	return 0;
}

/* One group: decide and act for the entries in [first, last], then commit them together. */
static int pt_walk_group(struct pt_walk *w, pte_t *table, int level, u64 tbase, unsigned int g,
			 unsigned int first, unsigned int last, bool live)
{
	u64 sz = pt_level_size(level);
	unsigned int i, n = min(pt_group_size(level), pt_entries(level) - g), nfree = 0;
	pte_t old[PT_GROUP], new[PT_GROUP];
	struct pt_freed fr[PT_GROUP], f;
	int err = 0;

	for (i = 0; i < n; i++)
		old[i] = new[i] = pte_read(&table[g + i]);
	for (i = max(first, g) - g; i < n && g + i <= last && !err; i++) {
		f.va = NULL;
		err = pt_entry(w, level, tbase + (g + i) * sz, &new[i], live, &f);
		if (f.va)
			fr[nfree++] = f;
	}
	pt_refold(new, n, level);
	pt_commit(w, table, level, tbase + g * sz, g, n, old, new, live);
	for (i = 0; i < nfree; i++)
		pt_free_later(w, fr[i]);
	return err;
}

/* Walks the entries of table (level, mapping offsets from tbase) that meet [w->start, w->end). */
static int pt_walk_table(struct pt_walk *w, pte_t *table, int level, u64 tbase, bool live)
{
	u64 sz = pt_level_size(level), tend = tbase + pt_entries(level) * sz;
	unsigned int first = (max(w->start, tbase) - tbase) / sz;
	unsigned int last = (min(w->end, tend) - 1 - tbase) / sz, g;
	int err;

	for (g = ALIGN_DOWN(first, pt_group_size(level)); g <= last; g += pt_group_size(level)) {
		err = pt_walk_group(w, table, level, tbase, g, first, last, live);
		if (err)
			return err;
	}
	return 0;
}

/* Looks up the offset off (from va_base): 0 if mapped, -ENOENT otherwise; res filled either way. */
static int pt_lookup(struct mm_ctx *ctx, u64 off, struct pt_query *res)
{
	pte_t *t = ctx->root;
	u64 tbase = 0, sz;
	unsigned int idx;
	int level;
	pte_t e;

	memset(res, 0, sizeof(*res));
	for (level = 0; level < PT_LEVELS; level++) {
		sz = pt_level_size(level);
		idx = (off - tbase) / sz;
		e = pte_read(&t[idx]);
		res->level = level;
		res->size = sz;
		if (!pte_valid(e))
			return -ENOENT;
		if (!pte_is_table(e, level))
			break;
		t = ctx->pt_va(ctx, pte_table_pa(e));
		tbase += idx * sz;
	}
	res->entry = e;
	res->pa = pte_leaf_pa(e, level) + (off & (sz - 1));
	res->prot = pte_leaf_prot(e, level);
	res->block = level < PT_LEVELS - 1;
	res->cont = pte_cont(e);
	return 0;
}

int pt_query(struct mm_ctx *ctx, vaddr_t va, struct pt_query *res)
{
	u64 off = (vaddr_t)(va - ctx->va_base);

	if (!ctx->root || off >= ctx->va_size) {
		memset(res, 0, sizeof(*res));
		return -EINVAL;
	}
	return pt_lookup(ctx, off, res);
}

/* Validates [va, va+size) against the context; *start gets its offset. */
static int pt_check_range(struct mm_ctx *ctx, vaddr_t va, u64 size, u64 *start)
{
	u64 off = (vaddr_t)(va - ctx->va_base);

	if (!ctx->root || !size || !IS_ALIGNED(off, PT_PAGE_SIZE) || !IS_ALIGNED(size, PT_PAGE_SIZE))
		return -EINVAL;
	if (off >= ctx->va_size || size > ctx->va_size - off)
		return -EINVAL;
	*start = off;
	return 0;
}

static bool pt_prot_ok(u32 prot)
{
	return !(prot & ~PROT_VALID_MASK) && (prot & PROT_READ);
}

/* Scans [start, end): does anything map there, and does everything? */
static void pt_scan(struct mm_ctx *ctx, u64 start, u64 end, bool *any, bool *all)
{
	struct pt_query q;
	u64 off = start;

	*any = false;
	*all = true;
	while (off < end) {
		if (pt_lookup(ctx, off, &q) == 0)
			*any = true;
		else
			*all = false;
		off = ALIGN_DOWN(off, q.size) + q.size;
	}
}

static int pt_run(struct mm_ctx *ctx, enum pt_op op, u64 start, u64 end, paddr_t pa, u32 prot)
{
	struct pt_walk w = { .ctx = ctx, .op = op, .start = start, .end = end, .pa = pa, .prot = prot };
	int err = pt_walk_table(&w, ctx->root, 0, 0, true);

	pt_gather_flush(&w);
	return err;
}

/* Makes off an entry boundary at every level (splits the block containing it). */
static int pt_split_at(struct mm_ctx *ctx, u64 off)
{
	if (off >= ctx->va_size)
		return 0;
	return pt_run(ctx, PT_OP_SPLIT, off, off + 1, 0, 0);
}

int pt_map(struct mm_ctx *ctx, vaddr_t va, paddr_t pa, u64 size, u32 prot)
{
	u64 start;
	bool any, all;
	int err = pt_check_range(ctx, va, size, &start);

	if (err)
		return err;
	if (!IS_ALIGNED(pa, PT_PAGE_SIZE) || !pt_prot_ok(prot) ||
	    pa >= (1ULL << PT_PA_BITS) || size > (1ULL << PT_PA_BITS) - pa)
		return -EINVAL;
	pt_scan(ctx, start, start + size, &any, &all);
	if (any)
		return -EEXIST;
	err = pt_run(ctx, PT_OP_MAP, start, start + size, pa, prot);
	if (err)	/* undo: the range was empty, so unmapping it removes only our work */
		pt_run(ctx, PT_OP_UNMAP, start, start + size, 0, 0);
	return err;
}

int pt_unmap(struct mm_ctx *ctx, vaddr_t va, u64 size)
{
	u64 start;
	int err = pt_check_range(ctx, va, size, &start);

	if (!err)
		err = pt_split_at(ctx, start);
	if (!err)
		err = pt_split_at(ctx, start + size);
	if (err)
		return err;
	err = pt_run(ctx, PT_OP_UNMAP, start, start + size, 0, 0);
	WARN_ON(err);	/* both ends are entry boundaries now: nothing left to allocate */
	return err;
}

int pt_protect(struct mm_ctx *ctx, vaddr_t va, u64 size, u32 prot)
{
	u64 start;
	bool any, all;
	int err = pt_check_range(ctx, va, size, &start);

	if (err)
		return err;
	if (!pt_prot_ok(prot))
		return -EINVAL;
	pt_scan(ctx, start, start + size, &any, &all);
	if (!all)
		return -ENOENT;
	err = pt_split_at(ctx, start);
	if (!err)
		err = pt_split_at(ctx, start + size);
	if (err)
		return err;
	err = pt_run(ctx, PT_OP_PROTECT, start, start + size, 0, prot);
	WARN_ON(err);
	return err;
}

int mm_ctx_init(struct mm_ctx *ctx, vaddr_t va_base, u64 va_size, struct pt_pool *pool)
{
	memset(ctx, 0, sizeof(*ctx));
	if (!va_size || va_size > (u64)pt_entries(0) * pt_level_size(0) ||
	    !IS_ALIGNED(va_size, PT_PAGE_SIZE) || !IS_ALIGNED((u64)va_base, pt_level_size(0)))
		return -EINVAL;
	ctx->va_base = va_base;
	ctx->va_size = va_size;
	ctx->pt_pool = pool;
	ctx->pt_va = pagetable_va;
	ctx->root = pt_table_alloc(ctx, &ctx->root_pa);
	return ctx->root ? 0 : -ENOMEM;
}

void mm_ctx_destroy(struct mm_ctx *ctx)
{
	if (!ctx->root)
		return;
	pt_run(ctx, PT_OP_UNMAP, 0, ctx->va_size, 0, 0);
	pt_table_free(ctx, ctx->root, ctx->root_pa);
	ctx->root = NULL;
	BUG_ON(ctx->nr_tables != 0);
}

/* pgtable.c: the generic page-table core — one descent over PT_LEVELS levels, for reads and writes. */
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
/* ... and one whose TLBI can spare the walk caches when only leaf entries changed. */
#ifndef flush_tlb_kernel_leaf_range
#define flush_tlb_kernel_leaf_range(s, e, stride)	flush_tlb_kernel_range_stride(s, e, stride)
#endif
#define PT_PAGE_SIZE	pt_level_size(PT_LEVELS - 1)

struct pt_table;

/*
 * A walk in progress. One descent (pt_descend) serves two kinds of walk: a
 * read walk calls the visitor in ops per entry; a write walk (ops NULL) decides
 * and acts per entry (pt_entry) and commits a group of entries at a time.
 * Either may hand its last-level tables to a batch step instead (leaves: the
 * copy walk is a read walk with one, the zap walk an unmap walk with one).
 */
struct pt_walker {
	struct mm_ctx *ctx;
	u64 start, end;		/* offsets from ctx->va_base; PT_OP_SPLIT: [point, point + 1) */
	const struct pt_walk_ops *ops;	/* the read walk's visitor, NULL for a write walk */
	void *priv;			/* ... and its argument */
	enum pt_op op;
	paddr_t pa;		/* PT_OP_MAP: the PA mapped at offset start */
	u32 prot;		/* PT_OP_MAP, PT_OP_PROTECT */
	/*
	 * The gather (Linux's mmu_gather idea): entries that an unmap only breaks
	 * need no flush before anything is written after them, so their flush is
	 * put off to the end of the walk and done once for the gathered range.
	 * Tables freed meanwhile wait in the gather until that flush (a walk cache
	 * may still point at them). g is the walk's own gather, or the caller's
	 * (pt_reclaim_tables). keep_tables: a lazy unmap leaves empty tables hooked.
	 */
	struct pt_gather *g;
	bool keep_tables;
	/* The batch step: entries [lo, hi) of the last-level table tb, in one call (NULL: none). */
	int (*leaves)(struct pt_walker *w, const struct pt_table *tb, unsigned int lo, unsigned int hi);
	bool dead;		/* a zap of a context no CPU can translate through: nothing to flush */
};

/* One table the descent is in. */
struct pt_table {
	pte_t *t;
	paddr_t pa;
	int level;
	u64 base;	/* offset (from va_base) of the first byte its entry 0 maps */
	bool live;	/* reachable by the MMU: a valid entry changes by break-before-make */
};

static int pt_descend(struct pt_walker *w, const struct pt_table *tb);

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
 * pt_commit: writes new[0..n) over table[g..g+n), one group. THIS FILE IS THE
 * ONE PLACE A LIVE ENTRY CHANGES: pt_commit for the walks, and for single
 * last-level slots pt_set_leaf and pt_install (empty -> valid: a plain store,
 * step 3 alone), pt_clear_leaf and the zap walk (valid -> empty: step 1, then
 * step 2 now or gathered), pt_replace and pt_unfold (all three steps), and
 * the copy walk's write-protect (permissions only: see pt_copy_leaves).
 * pt_commit follows break-before-make (ARM ARM D8.16.1;
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
 * so it is gathered (pt_gather_add) and flushed once when the walk ends: unmapping
 * 1 MiB costs one flush (above MAX_TLBI_OPS pages, one TLBI VMALLE1IS), not 256.
 * Permission-only changes would be allowed without the break; doing it anyway
 * keeps one rule. Entries that were invalid are written directly (the walker
 * never caches an invalid entry), and so is everything in a table that is not
 * live yet (being built or split; it becomes live when its parent is written).
 */
/*
 * pt_flush: THE SHOOTDOWN — every TLB of every CPU loses [s, e) (counted in
 * ctx->nr_flushes). leaf: only leaf entries were broken, so the arch may keep
 * walk-cache entries (arm64: TLBI VAALE1IS instead of VAAE1IS). A process's
 * tables go to the arch's flush by address space (arm64: TLBI VAE1IS with the
 * mm's ASID; x86: only the CPUs running a process), told whether tables went.
 */
static void pt_flush(struct mm_ctx *ctx, vaddr_t s, vaddr_t e, u64 stride, bool leaf)
{
	if (ctx)
		atomic_inc(&ctx->nr_flushes);
	if (ctx && ctx->user && e > s)
		flush_tlb_user_ctx_range(ctx, s, e, !leaf);
	else if (e <= s)	/* the range ends at the top of the address space */
		flush_tlb_all();
	else if (leaf)
		flush_tlb_kernel_leaf_range(s, e, stride);
	else
		flush_tlb_kernel_range_stride(s, e, stride);
}

static void pt_gather_add(struct pt_gather *g, vaddr_t s, vaddr_t e, u64 stride, bool table)
{
	g->tables |= table;
	if (!g->pending) {
		g->start = s;
		g->end = e;
		g->stride = stride;
		g->pending = true;
		return;
	}
	g->start = min(g->start, s);
	g->end = (g->end == 0 || e == 0) ? 0 : max(g->end, e);
	g->stride = min(g->stride, stride);
}

void pt_gather_flush(struct pt_gather *g)
{
	unsigned int i;

	if (g->pending)
		pt_flush(g->ctx, g->start, g->end, g->stride, !g->tables);
	g->pending = false;
	g->tables = false;
	for (i = 0; i < g->nfreed; i++)
		pt_table_free(g->ctx, g->freed[i].va, g->freed[i].pa);
	g->nfreed = 0;
}

/* pt_free_later: frees a table now if no flush is pending, else after the gathered flush. */
static void pt_free_later(struct pt_walker *w, struct pt_freed f)
{
	struct pt_gather *g = w->g;

	if (!g->pending) {
		pt_table_free(w->ctx, f.va, f.pa);
		return;
	}
	if (g->nfreed == PT_GATHER_TABLES)
		pt_gather_flush(g);
	g->ctx = w->ctx;
	g->freed[g->nfreed++] = f;
}

/* pt_commit: writes new[0..n) over entries g..g+n of tb, one group (the rule is above). */
static void pt_commit(struct pt_walker *w, const struct pt_table *tb, unsigned int g, unsigned int n,
		      const pte_t *old, const pte_t *new)
{
	struct mm_ctx *ctx = w->ctx;
	u64 sz = pt_level_size(tb->level);
	bool changed = false, makes = false, table = false;
	unsigned int i, lo = n, hi = 0;	/* the span of entries broken, [lo, hi) */
	vaddr_t s, e;

	for (i = 0; i < n; i++) {
		if (pte_val(old[i]) == pte_val(new[i]))
			continue;
		changed = true;
		makes |= pte_valid(new[i]);
		if (tb->live && pte_valid(old[i])) {
			pte_clear(&tb->t[g + i]);
			table |= pte_is_table(old[i], tb->level);
			lo = min(lo, i);
			hi = i + 1;
		}
	}
	if (!changed)
		return;
	/* Only what was broken can be cached in the TLB: flush that span, not the whole group. */
	if (lo < hi) {
		s = ctx->va_base + tb->base + (g + lo) * sz;
		e = s + (hi - lo) * sz;
		pt_check_break(ctx, s, e);
		if (w->op == PT_OP_UNMAP && !makes) {
			if (!w->dead)	/* a dead context is in no TLB (pt_zap_range) */
				pt_gather_add(w->g, s, e, sz, table);	/* nothing to make: flush later */
		} else
			pt_flush(ctx, s, e, sz, !table);
		ctx->nr_bbm++;
	}
	for (i = 0; i < n; i++) {
		if (pte_val(old[i]) == pte_val(new[i]))
			continue;
		if (pte_valid(new[i]))
			set_pte(&tb->t[g + i], new[i]);
		else if (!tb->live || !pte_valid(old[i]))
			pte_clear(&tb->t[g + i]);
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
 * leaf being split (old valid: the table repeats its translation) and points
 * *e at it, for the descent to enter. The table stays installed even if the
 * walk below fails: it holds a consistent partial result that the caller undoes.
 */
static int pt_new_table(struct pt_walker *w, int level, pte_t *e, pte_t old)
{
	paddr_t pa;
	pte_t *t = pt_table_alloc(w->ctx, &pa);

	if (!t)
		return -ENOMEM;
	if (pte_valid(old))
		pt_fill_split(t, level + 1, old);
	*e = pte_mk_table(pa, level);
	return 0;
}

/*
 * The write walk's step for entry idx of tb: decides and acts; *e is its new
 * value (written later by pt_commit). *enter: the descent goes on into the
 * table *e points at (an existing one, or one just made).
 */
static int pt_entry(struct pt_walker *w, const struct pt_table *tb, unsigned int idx, pte_t *e,
		    bool *enter)
{
	int level = tb->level;
	pte_t old = *e;
	u64 sz = pt_level_size(level), ent_start = tb->base + (u64)idx * sz;
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
		WARN_ON(w->leaves);	/* a zap walk met a block: its page is not handed to the zap's fn */
		*e = __pte(0);
		return 0;
	case PT_ACT_UPDATE:
		*e = pte_mk_leaf(pte_leaf_pa(old, level), level, w->prot);
		return 0;
	case PT_ACT_EXISTS:
		return -EEXIST;
	case PT_ACT_ALLOC_TABLE:
	case PT_ACT_SPLIT:
		*enter = true;
		return pt_new_table(w, level, e, old);
	case PT_ACT_DESCEND:
		*enter = true;
		return 0;
	}
	return 0;
}

/* After an unmap went through table child: if it is empty now, *e unhooks it and *fr frees it. */
static bool pt_emptied(struct pt_walker *w, const struct pt_table *child, pte_t *e, struct pt_freed *fr)
{
	unsigned int i;

	if (w->op != PT_OP_UNMAP || w->keep_tables)
		return false;
	for (i = 0; i < pt_entries(child->level); i++)
		if (!pte_none(pte_read(&child->t[i])))
			return false;
	*e = __pte(0);
	fr->va = child->t;
	fr->pa = child->pa;
	w->ctx->leaf_table = NULL;	/* pt_leaf_slot's memo may be this table */
	return true;
}

/* The read walk's step for entry idx of tb (value e): tells the visitor; tables are entered. */
static int pt_visit(struct pt_walker *w, const struct pt_table *tb, unsigned int idx, pte_t e,
		    bool *enter)
{
	struct pt_walk_entry we;	/* filled field by field: a freestanding build would memset it */
	int (*fn)(const struct pt_walk_entry *, void *);

	we.pa = 0;
	we.prot = 0;
	if (pte_is_table(e, tb->level)) {
		we.pa = pte_table_pa(e);
		*enter = true;
		fn = w->ops->table;
	} else if (pte_valid(e)) {
		we.pa = pte_leaf_pa(e, tb->level);
		we.prot = pte_leaf_prot(e, tb->level);
		fn = w->ops->leaf;
	} else {
		fn = w->ops->hole;
	}
	if (!fn)
		return 0;
	we.level = tb->level;
	we.size = pt_level_size(tb->level);
	we.va = w->ctx->va_base + tb->base + (u64)idx * we.size;
	we.index = idx;
	we.table_pa = tb->pa;
	we.ptep = &tb->t[idx];
	we.entry = e;
	return fn(&we, w->priv);
}

/*
 * pt_descend: THE DESCENT — the only code in pagoda that indexes a table by
 * level and follows table entries. It goes through the entries of tb that
 * meet [w->start, w->end), a group at a time for a write walk (so a
 * contiguous-hint group is decided and committed whole) and one at a time for
 * a read walk, lets the walk's step look at each (pt_entry / pt_visit), and
 * enters the next-level table the step points it at. An error (or a visitor's
 * nonzero return) ends the walk; a write walk still commits the group it is in.
 */
static int pt_descend(struct pt_walker *w, const struct pt_table *tb)
{
	unsigned int sh = pt_shift(tb->level), gsz = pt_group_size(tb->level);
	u64 tend = tb->base + ((u64)pt_entries(tb->level) << sh);
	unsigned int first = (max(w->start, tb->base) - tb->base) >> sh;
	unsigned int last = (min(w->end, tend) - 1 - tb->base) >> sh, g, i, n, lo, nfree;
	pte_t old[PT_GROUP], new[PT_GROUP];
	struct pt_freed fr[PT_GROUP];
	struct pt_table child;
	bool enter;
	int err = 0;

	if (w->leaves && tb->level == PT_LEVELS - 1)
		return w->leaves(w, tb, first, last + 1);
	for (g = ALIGN_DOWN(first, gsz); g <= last && !err; g += gsz) {
		/* a read looks at the entries in range; a write decides and commits whole groups */
		n = w->ops ? min(gsz, last + 1 - g) : min(gsz, pt_entries(tb->level) - g);
		lo = w->ops ? max(first, g) - g : 0;
		for (i = lo; i < n; i++)
			old[i] = new[i] = pte_read(&tb->t[g + i]);
		for (i = max(first, g) - g, nfree = 0; i < n && g + i <= last && !err; i++) {
			enter = false;
			err = w->ops ? pt_visit(w, tb, g + i, new[i], &enter) : pt_entry(w, tb, g + i, &new[i], &enter);
			if (err || !enter)
				continue;
			child.pa = pte_table_pa(new[i]);
			child.t = pagetable_va(w->ctx, child.pa);
			child.level = tb->level + 1;
			child.base = tb->base + ((u64)(g + i) << sh);
			child.live = tb->live && pte_val(new[i]) == pte_val(old[i]);
			err = pt_descend(w, &child);
			if (!w->ops && pt_emptied(w, &child, &new[i], &fr[nfree]))
				nfree++;
		}
		if (w->ops)
			continue;
		pt_refold(new, n, tb->level);
		pt_commit(w, tb, g, n, old, new);
		for (i = 0; i < nfree; i++)
			pt_free_later(w, fr[i]);
	}
	return err;
}

/* The read walk over offsets [start, end) of ctx (inside it, start < end). */
static int pt_walk_range(struct mm_ctx *ctx, u64 start, u64 end, const struct pt_walk_ops *ops, void *priv)
{
	struct pt_table root = { .t = ctx->root, .pa = ctx->root_pa, .level = 0, .base = 0, .live = true };
	struct pt_walker w;	/* a read walk uses no write state: not worth zeroing its gather */

	w.ctx = ctx;
	w.start = start;
	w.end = end;
	w.ops = ops;
	w.priv = priv;
	w.leaves = NULL;
	return pt_descend(&w, &root);
}

/* pt_walk with ctx->page_table_lock held. */
static int __pt_walk(struct mm_ctx *ctx, vaddr_t start, vaddr_t end, const struct pt_walk_ops *ops,
		     void *priv)
{
	u64 s = (vaddr_t)(start - ctx->va_base), e = (vaddr_t)(end - ctx->va_base);

	if (!e)		/* the context ends at the top of the address space */
		e = ctx->va_size;
	if (!ctx->root || s >= e || e > ctx->va_size)
		return -EINVAL;
	return pt_walk_range(ctx, s, e, ops, priv);
}

int pt_walk(struct mm_ctx *ctx, vaddr_t start, vaddr_t end, const struct pt_walk_ops *ops, void *priv)
{
	int ret;

	spin_lock(&ctx->page_table_lock);
	ret = __pt_walk(ctx, start, end, ops, priv);
	spin_unlock(&ctx->page_table_lock);
	return ret;
}

/* pt_query's visitor: the one leaf or hole at the VA asked for. */
struct pt_query_walk {
	vaddr_t va;
	struct pt_query *res;
};

static int pt_query_hole(const struct pt_walk_entry *e, void *priv)
{
	struct pt_query *res = ((struct pt_query_walk *)priv)->res;

	res->level = e->level;
	res->size = e->size;
	return -ENOENT;
}

static int pt_query_leaf(const struct pt_walk_entry *e, void *priv)
{
	struct pt_query_walk *q = priv;

	pt_query_hole(e, priv);
	q->res->entry = e->entry;
	q->res->pa = e->pa + (q->va - e->va);
	q->res->prot = e->prot;
	q->res->block = e->level < PT_LEVELS - 1;
	q->res->cont = pte_cont(e->entry);
	return 0;
}

static const struct pt_walk_ops pt_query_ops = { .leaf = pt_query_leaf, .hole = pt_query_hole };

int pt_query_locked(struct mm_ctx *ctx, vaddr_t va, struct pt_query *res)
{
	struct pt_query_walk q = { .va = va, .res = res };

	lockdep_assert_held(&ctx->page_table_lock);
	memset(res, 0, sizeof(*res));
	return __pt_walk(ctx, va, va + 1, &pt_query_ops, &q);
}

int pt_query(struct mm_ctx *ctx, vaddr_t va, struct pt_query *res)
{
	int ret;

	spin_lock(&ctx->page_table_lock);
	ret = pt_query_locked(ctx, va, res);
	spin_unlock(&ctx->page_table_lock);
	return ret;
}

/* pt_leaf_slot's visitor: the last-level slot, whether it maps or not. */
static int pt_slot_visit(const struct pt_walk_entry *e, void *priv)
{
	if (e->level == PT_LEVELS - 1)
		*(pte_t **)priv = e->ptep;
	return 0;
}

static const struct pt_walk_ops pt_slot_ops = { .leaf = pt_slot_visit, .hole = pt_slot_visit };

pte_t *pt_leaf_slot(struct mm_ctx *ctx, vaddr_t va)
{
	u64 off = (vaddr_t)(va - ctx->va_base), span = pt_level_size(PT_LEVELS - 2);
	pte_t *slot = NULL;

	spin_lock(&ctx->page_table_lock);
	if (ctx->leaf_table && off - ctx->leaf_base < span) {
		slot = &ctx->leaf_table[(off - ctx->leaf_base) >> pt_shift(PT_LEVELS - 1)];
		goto out;
	}
	__pt_walk(ctx, va, va + 1, &pt_slot_ops, &slot);
	if (slot) {
		ctx->leaf_base = ALIGN_DOWN(off, span);
		ctx->leaf_table = slot - ((off - ctx->leaf_base) >> pt_shift(PT_LEVELS - 1));
	}
out:
	spin_unlock(&ctx->page_table_lock);
	return slot;
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

int pt_set_leaf(struct mm_ctx *ctx, pte_t *slot, paddr_t pa, u32 prot)
{
	if (!IS_ALIGNED(pa, PT_PAGE_SIZE) || pa >= (1ULL << PT_PA_BITS) || !pt_prot_ok(prot))
		return -EINVAL;
	if (WARN_ON(pte_valid(pte_read(slot))))
		return -EEXIST;
	set_pte(slot, pte_mk_leaf(pa, PT_LEVELS - 1, prot));	/* was invalid: no TLB holds it */
	return 0;
}

void pt_clear_leaf(struct mm_ctx *ctx, pte_t *slot, vaddr_t va, struct pt_gather *gather)
{
	va &= ~(vaddr_t)(PT_PAGE_SIZE - 1);
	pte_clear(slot);
	if (gather) {
		gather->ctx = ctx;
		pt_gather_add(gather, va, va + PT_PAGE_SIZE, PT_PAGE_SIZE, false);
	} else {
		pt_flush(ctx, va, va + PT_PAGE_SIZE, PT_PAGE_SIZE, true);
	}
}

/* pt_scan's visitor: does anything map in the range, and does everything? */
struct pt_scan {
	bool any, all;
};

static int pt_scan_leaf(const struct pt_walk_entry *e, void *priv)
{
	((struct pt_scan *)priv)->any = true;
	return 0;
}

static int pt_scan_hole(const struct pt_walk_entry *e, void *priv)
{
	((struct pt_scan *)priv)->all = false;
	return 0;
}

static const struct pt_walk_ops pt_scan_ops = { .leaf = pt_scan_leaf, .hole = pt_scan_hole };

static struct pt_scan pt_scan(struct mm_ctx *ctx, u64 start, u64 end)
{
	struct pt_scan sc = { .any = false, .all = true };

	pt_walk_range(ctx, start, end, &pt_scan_ops, &sc);
	return sc;
}

/* A write walk over offsets [start, end) whose unmaps go into g (keep: leave empty tables). */
static int pt_run_gather(struct mm_ctx *ctx, enum pt_op op, u64 start, u64 end, paddr_t pa, u32 prot,
			 struct pt_gather *g, bool keep)
{
	struct pt_walker w = { .ctx = ctx, .op = op, .start = start, .end = end, .pa = pa, .prot = prot,
			       .g = g, .keep_tables = keep };
	struct pt_table root = { .t = ctx->root, .pa = ctx->root_pa, .level = 0, .base = 0, .live = true };

	lockdep_assert_held(&ctx->page_table_lock);
	g->ctx = ctx;
	return pt_descend(&w, &root);
}

/* An empty gather (not zeroed whole: the freed[] array is only read below nfreed). */
static void pt_gather_init(struct pt_gather *g, struct mm_ctx *ctx)
{
	g->pending = false;
	g->tables = false;
	g->ctx = ctx;
	g->nfreed = 0;
}

/* A write walk that pays what it owes (one flush, then its tables) before it returns. */
static int pt_run(struct mm_ctx *ctx, enum pt_op op, u64 start, u64 end, paddr_t pa, u32 prot)
{
	struct pt_gather g;
	int err;

	pt_gather_init(&g, ctx);
	err = pt_run_gather(ctx, op, start, end, pa, prot, &g, false);
	pt_gather_flush(&g);
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
	int err = pt_check_range(ctx, va, size, &start);

	if (err)
		return err;
	if (!IS_ALIGNED(pa, PT_PAGE_SIZE) || !pt_prot_ok(prot) ||
	    pa >= (1ULL << PT_PA_BITS) || size > (1ULL << PT_PA_BITS) - pa)
		return -EINVAL;
	spin_lock(&ctx->page_table_lock);
	if (pt_scan(ctx, start, start + size).any) {
		err = -EEXIST;
	} else {
		err = pt_run(ctx, PT_OP_MAP, start, start + size, pa, prot);
		if (err)	/* undo: the range was empty, so unmapping it removes only our work */
			pt_run(ctx, PT_OP_UNMAP, start, start + size, 0, 0);
	}
	spin_unlock(&ctx->page_table_lock);
	return err;
}

/* pt_unmap's work with the lock held: the ends split, then one unmap walk into g. */
static int __pt_unmap(struct mm_ctx *ctx, u64 start, u64 size, struct pt_gather *g, bool keep)
{
	int err = pt_split_at(ctx, start);

	if (!err)
		err = pt_split_at(ctx, start + size);
	if (err)
		return err;
	err = pt_run_gather(ctx, PT_OP_UNMAP, start, start + size, 0, 0, g, keep);
	WARN_ON(err);	/* both ends are entry boundaries now: nothing left to allocate */
	return err;
}

/* pt_unmap (flushed, empty tables freed) and pt_unmap_noflush (lazy: neither). */
static int pt_unmap_common(struct mm_ctx *ctx, vaddr_t va, u64 size, bool lazy)
{
	struct pt_gather g;	/* lazy: collects the range owed a flush, then is dropped (the caller owes it) */
	u64 start;
	int err = pt_check_range(ctx, va, size, &start);

	if (err)
		return err;
	pt_gather_init(&g, ctx);
	spin_lock(&ctx->page_table_lock);
	err = __pt_unmap(ctx, start, size, &g, lazy);
	if (!lazy)
		pt_gather_flush(&g);
	spin_unlock(&ctx->page_table_lock);
	BUG_ON(lazy && g.nfreed);	/* a lazy unmap unhooks no table */
	return err;
}

int pt_unmap(struct mm_ctx *ctx, vaddr_t va, u64 size)
{
	return pt_unmap_common(ctx, va, size, false);
}

int pt_unmap_noflush(struct mm_ctx *ctx, vaddr_t va, u64 size)
{
	return pt_unmap_common(ctx, va, size, true);
}

void pt_reclaim_tables(struct mm_ctx *ctx, vaddr_t va, u64 size, struct pt_gather *g)
{
	u64 start;

	lockdep_assert_held(&ctx->page_table_lock);
	if (pt_check_range(ctx, va, size, &start))
		return;
	pt_gather_add(g, va, va + size, PT_PAGE_SIZE, false);
	pt_run_gather(ctx, PT_OP_UNMAP, start, start + size, 0, 0, g, false);
}

int pt_protect(struct mm_ctx *ctx, vaddr_t va, u64 size, u32 prot)
{
	u64 start;
	int err = pt_check_range(ctx, va, size, &start);

	if (err)
		return err;
	if (!pt_prot_ok(prot))
		return -EINVAL;
	spin_lock(&ctx->page_table_lock);
	if (!pt_scan(ctx, start, start + size).all) {
		err = -ENOENT;
		goto out;
	}
	err = pt_split_at(ctx, start);
	if (!err)
		err = pt_split_at(ctx, start + size);
	if (!err) {
		err = pt_run(ctx, PT_OP_PROTECT, start, start + size, 0, prot);
		WARN_ON(err);
	}
out:
	spin_unlock(&ctx->page_table_lock);
	return err;
}

int mm_ctx_init(struct mm_ctx *ctx, vaddr_t va_base, u64 va_size, struct pt_pool *pool)
{
	memset(ctx, 0, sizeof(*ctx));
	if (!va_size || va_size > (u64)pt_entries(0) * pt_level_size(0) ||
	    !IS_ALIGNED(va_size, PT_PAGE_SIZE) || !IS_ALIGNED((u64)va_base, pt_level_size(0)))
		return -EINVAL;
	spin_lock_init(&ctx->page_table_lock);
	ctx->va_base = va_base;
	ctx->va_size = va_size;
	ctx->pt_pool = pool;
	ctx->root = pt_table_alloc(ctx, &ctx->root_pa);
	return ctx->root ? 0 : -ENOMEM;
}

void mm_ctx_destroy(struct mm_ctx *ctx)
{
	if (!ctx->root)
		return;
	spin_lock(&ctx->page_table_lock);
	pt_run(ctx, PT_OP_UNMAP, 0, ctx->va_size, 0, 0);
	/*
	 * A process's context was zapped dead (pt_zap_range: nothing flushed, no
	 * CPU can use its entries). What its ASID still tags in some TLB goes now,
	 * in one flush of the whole context by address space (arm64: one TLBI
	 * ASIDE1IS; x86: no CPU runs it, nothing to do), rather than waiting in
	 * the TLBs until the next rollover.
	 */
	if (ctx->user)
		pt_flush(ctx, ctx->va_base, ctx->va_base + ctx->va_size, PT_PAGE_SIZE, true);
	pt_table_free(ctx, ctx->root, ctx->root_pa);
	ctx->root = NULL;
	spin_unlock(&ctx->page_table_lock);
	BUG_ON(ctx->nr_tables != 0);
}

/* ---- the fault slot, the copy walk and the zap walk ------------------------------------- */

/* The index of offset off's entry in its table at level. */
static inline unsigned int pt_index(u64 off, int level)
{
	return (off >> pt_shift(level)) & (pt_entries(level) - 1);
}

/*
 * pt_point: THE POINT DESCENT — offset off's last-level slot, from the root
 * through the table entries; alloc: a missing table is made on the way (an
 * empty entry becomes a table entry by a plain set_pte: no TLB caches an
 * invalid entry, as pt_commit's step 3 alone). NULL and *err if there is no
 * slot: -ENOENT (a table missing, !alloc), -ENOMEM (no table page: those made
 * so far stay hooked, empty, for an unmap to free) or -EEXIST (a block maps
 * off). The context's page_table_lock is held.
 */
static pte_t *pt_point(struct mm_ctx *ctx, u64 off, bool alloc, int *err)
{
	pte_t *t = ctx->root, *slot, e;
	paddr_t pa;
	int level;

	for (level = 0; level < PT_LEVELS - 1; level++) {
		slot = &t[pt_index(off, level)];
		e = pte_read(slot);
		if (pte_is_table(e, level)) {
			t = pagetable_va(ctx, pte_table_pa(e));
			continue;
		}
		*err = pte_valid(e) ? -EEXIST : alloc ? -ENOMEM : -ENOENT;
		if (pte_valid(e) || !alloc)
			return NULL;
		t = pt_table_alloc(ctx, &pa);
		if (!t)
			return NULL;
		set_pte(slot, pte_mk_table(pa, level));
	}
	return &t[pt_index(off, PT_LEVELS - 1)];
}

/*
 * pt_unfold: the contiguous-hint group whose first slot is grp (mapping from
 * va) loses the hint, by break-before-make (pt_commit's rule: the bit changes,
 * so no TLB may keep the old entries while the new ones are written). flush:
 * the break is flushed (false only for a context no CPU translates through).
 * Before one entry of a group changes alone (a copy-on-write, a partial zap).
 */
static void pt_unfold(struct mm_ctx *ctx, pte_t *grp, vaddr_t va, bool flush)
{
	unsigned int i, n = pt_cont_entries(PT_LEVELS - 1);
	pte_t e[PT_GROUP];

	for (i = 0; i < n; i++) {
		e[i] = pte_read(&grp[i]);
		if (pte_valid(e[i]))
			pte_clear(&grp[i]);
	}
	if (flush)
		pt_flush(ctx, va, va + n * PT_PAGE_SIZE, PT_PAGE_SIZE, true);
	ctx->nr_bbm++;
	for (i = 0; i < n; i++)
		if (pte_valid(e[i]))
			set_pte(&grp[i], pte_mknoncont(e[i]));
}

/* pt_unfold for the group slot (at VA va) belongs to, if slot carries the hint. */
static void pt_unfold_slot(struct mm_ctx *ctx, pte_t *slot, vaddr_t va, bool flush)
{
	unsigned int idx = pt_index(va - ctx->va_base, PT_LEVELS - 1), k;

	if (!pte_cont(pte_read(slot)))
		return;
	k = idx % pt_cont_entries(PT_LEVELS - 1);
	pt_unfold(ctx, slot - k, va - k * PT_PAGE_SIZE, flush);
}

static bool pt_leaf_ok(paddr_t pa, u32 prot)
{
	return IS_ALIGNED(pa, PT_PAGE_SIZE) && pa < (1ULL << PT_PA_BITS) && pt_prot_ok(prot);
}

int pt_fault_slot(struct mm_ctx *ctx, vaddr_t va, struct pt_fault *f)
{
	u64 off;
	pte_t e;
	int err;

	va &= ~(vaddr_t)(PT_PAGE_SIZE - 1);
	err = pt_check_range(ctx, va, PT_PAGE_SIZE, &off);
	if (err)
		return err;
	f->va = va;
	f->present = false;
	f->pa = 0;
	f->prot = 0;
	spin_lock(&ctx->page_table_lock);
	f->slot = pt_point(ctx, off, true, &err);
	if (f->slot) {
		err = 0;
		e = pte_read(f->slot);
		if (pte_valid(e)) {
			f->present = true;
			f->pa = pte_leaf_pa(e, PT_LEVELS - 1);
			f->prot = pte_leaf_prot(e, PT_LEVELS - 1);
		}
	}
	spin_unlock(&ctx->page_table_lock);
	return err;
}

int pt_install(struct mm_ctx *ctx, const struct pt_fault *f, paddr_t pa, u32 prot)
{
	int err = 0;

	if (!pt_leaf_ok(pa, prot))
		return -EINVAL;
	spin_lock(&ctx->page_table_lock);
	if (pte_valid(pte_read(f->slot)))
		err = -EEXIST;
	else	/* was invalid: no TLB holds it (pt_set_leaf's store) */
		set_pte(f->slot, pte_mk_leaf(pa, PT_LEVELS - 1, prot));
	spin_unlock(&ctx->page_table_lock);
	return err;
}

int pt_replace(struct mm_ctx *ctx, const struct pt_fault *f, paddr_t pa, u32 prot)
{
	pte_t old;
	int err = 0;

	if (!pt_leaf_ok(pa, prot))
		return -EINVAL;
	spin_lock(&ctx->page_table_lock);
	old = pte_read(f->slot);
	if (!pte_valid(old) || pte_leaf_pa(old, PT_LEVELS - 1) != f->pa) {
		err = -EAGAIN;
		goto out;
	}
	pt_unfold_slot(ctx, f->slot, f->va, true);	/* the others keep their translation, without the hint */
	pte_clear(f->slot);				/* break */
	pt_flush(ctx, f->va, f->va + PT_PAGE_SIZE, PT_PAGE_SIZE, true);
	ctx->nr_bbm++;
	set_pte(f->slot, pte_mk_leaf(pa, PT_LEVELS - 1, prot));	/* make */
out:
	spin_unlock(&ctx->page_table_lock);
	return err;
}

/* The copy walk's state: the policy, and the source's range write-protected so far. */
struct pt_copy_walk {
	struct mm_ctx *dst;
	pt_copy_fn fn;
	void *priv;
	bool wp;		/* something was write-protected: [wp_start, wp_end) owes a flush */
	vaddr_t wp_start, wp_end;
};

/* The copy walk's read visitor sees only what is not a table of pages: a block is refused. */
static int pt_copy_block(const struct pt_walk_entry *e, void *priv)
{
	WARN_ON(e->level < PT_LEVELS - 1);	/* a block: not what a process's context holds */
	return -EINVAL;
}

static const struct pt_walk_ops pt_copy_ops = { .leaf = pt_copy_block };

/*
 * The copy walk's step for entries [lo, hi) of one of the source's page
 * tables: the child's table is found (or made) once, by the point descent,
 * at the first page present; each present entry is copied into it with a
 * plain store (the child is reachable by no CPU: pt_copy_range's barrier
 * publishes them), and write-protected in the source if fn says so. That is
 * a permission-only change of a live entry, which needs no break-before-make
 * (ARM ARM D8.16.1 asks for it when the output address, the block size or
 * the contiguous bit changes, not the permissions; on x86 PAE PROT_WRITE is
 * in the low word, so set_pte's two stores are never seen half made): a CPU
 * may keep the writable translation until the walk's one flush, and none
 * runs the source meanwhile but the forking one, which is in the kernel (a
 * write through it before the flush would be one made before fork returned,
 * as on Linux). A contiguous-hint group is unfolded first (its entries must
 * agree). The entry is copied whole (pte_wrprotect for copy-on-write), not
 * decoded and made again: the child maps exactly what the parent did.
 */
static int pt_copy_leaves(struct pt_walker *w, const struct pt_table *tb, unsigned int lo, unsigned int hi)
{
	struct pt_copy_walk *c = w->priv;
	struct pt_copy_leaf leaf;
	pte_t *dt = NULL, e, ce;
	unsigned int i;
	int err = 0;

	for (i = lo; i < hi; i++) {
		e = pte_read(&tb->t[i]);
		if (!pte_valid(e))
			continue;
		if (!dt) {
			dt = pt_point(c->dst, tb->base + (u64)i * PT_PAGE_SIZE, true, &err);
			if (!dt)
				return err;
			dt -= i;
		}
		if (!pte_none(dt[i]))
			return -EEXIST;
		leaf.va = w->ctx->va_base + tb->base + (u64)i * PT_PAGE_SIZE;
		leaf.pa = pte_leaf_pa(e, PT_LEVELS - 1);
		leaf.wrprotect = false;
		err = c->fn(&leaf, c->priv);
		if (err)
			return err;
		/* the entry itself, as Linux copies a pte: no prot decoded and encoded again */
		ce = pte_mknoncont(leaf.wrprotect ? pte_wrprotect(e) : e);
		dt[i] = ce;
		if (pte_val(ce) == pte_val(pte_mknoncont(e)))
			continue;	/* copied as is, or read-only already (a page shared since an earlier fork) */
		pt_unfold_slot(w->ctx, &tb->t[i], leaf.va, true);
		set_pte(&tb->t[i], ce);
		if (!c->wp)
			c->wp_start = leaf.va;
		c->wp = true;
		c->wp_end = leaf.va + PT_PAGE_SIZE;
	}
	return 0;
}

int pt_copy_range(struct mm_ctx *dst, struct mm_ctx *src, vaddr_t start, vaddr_t end, pt_copy_fn fn,
		  void *priv)
{
	struct pt_copy_walk c = { .dst = dst, .fn = fn, .priv = priv, .wp = false };
	struct pt_table root = { .t = src->root, .pa = src->root_pa, .level = 0, .base = 0, .live = true };
	struct pt_walker w;
	u64 off;
	int err;

	if (dst == src || !dst->root || dst->va_base != src->va_base || dst->va_size != src->va_size ||
	    end <= start)
		return -EINVAL;
	err = pt_check_range(src, start, end - start, &off);
	if (err)
		return err;
	w.ctx = src;
	w.start = off;
	w.end = off + (end - start);
	w.ops = &pt_copy_ops;
	w.priv = &c;
	w.leaves = pt_copy_leaves;
	spin_lock(&src->page_table_lock);
	spin_lock(&dst->page_table_lock);	/* the child's: src's -> dst's, fork only (spinlock.h) */
	err = pt_descend(&w, &root);
	pte_barrier();		/* dst's plain stores reach the walker before anything runs on dst */
	if (c.wp)		/* one flush for every write-protect: the copy-on-write starts here */
		pt_flush(src, c.wp_start, c.wp_end, PT_PAGE_SIZE, true);
	spin_unlock(&dst->page_table_lock);
	spin_unlock(&src->page_table_lock);
	return err;
}

/* The zap walk's state: the policy, and the pages cleared but not yet flushed. */
struct pt_zap_walk {
	pt_zap_fn fn;
	void *priv;
	unsigned int n;
	paddr_t pa[PT_ZAP_BATCH];
};

/* The batch's pages go to fn after the one flush that covers them (and frees the tables waiting). */
static void pt_zap_release(struct pt_walker *w, struct pt_zap_walk *z)
{
	unsigned int i;

	pt_gather_flush(w->g);
	for (i = 0; i < z->n; i++)
		z->fn(z->pa[i], z->priv);
	z->n = 0;
}

/*
 * The zap walk's step for entries [lo, hi) of one page table: each present
 * entry is cleared (the break; its flush gathered) and its page batched for
 * fn. A contiguous-hint group cut by the range is unfolded first, so the
 * entries that stay agree. A dead context's entries are cleared with plain
 * stores and its pages handed to fn at once: no TLB holds them. The table
 * itself is pt_descend's to free when it is empty (pt_emptied).
 */
static int pt_zap_leaves(struct pt_walker *w, const struct pt_table *tb, unsigned int lo, unsigned int hi)
{
	struct pt_zap_walk *z = w->priv;
	unsigned int i, gsz, g;
	vaddr_t va;
	paddr_t pa;
	pte_t e;

	for (i = lo; i < hi; i++) {
		e = pte_read(&tb->t[i]);
		if (!pte_valid(e))
			continue;
		va = w->ctx->va_base + tb->base + (u64)i * PT_PAGE_SIZE;
		pa = pte_leaf_pa(e, PT_LEVELS - 1);
		if (pte_cont(e)) {
			gsz = pt_cont_entries(PT_LEVELS - 1);
			g = ALIGN_DOWN(i, gsz);
			if (g < lo || g + gsz > hi)
				pt_unfold(w->ctx, &tb->t[g], va - (u64)(i - g) * PT_PAGE_SIZE, tb->live && !w->dead);
		}
		if (!tb->live || w->dead) {
			tb->t[i] = __pte(0);
			if (w->dead) {
				z->fn(pa, z->priv);
				continue;
			}
		} else {
			pte_clear(&tb->t[i]);
			pt_gather_add(w->g, va, va + PT_PAGE_SIZE, PT_PAGE_SIZE, false);
		}
		z->pa[z->n++] = pa;
		if (z->n == PT_ZAP_BATCH)
			pt_zap_release(w, z);
	}
	return 0;
}

int pt_zap_range(struct mm_ctx *ctx, vaddr_t va, u64 size, bool dead, pt_zap_fn fn, void *priv)
{
	struct pt_table root = { .t = ctx->root, .pa = ctx->root_pa, .level = 0, .base = 0, .live = true };
	struct pt_walker w = { .ctx = ctx, .op = PT_OP_UNMAP, .leaves = pt_zap_leaves, .dead = dead };
	struct pt_zap_walk z;	/* pa[] is read only below n: not zeroed */
	struct pt_gather g;
	u64 start;
	int err = pt_check_range(ctx, va, size, &start);

	if (err)
		return err;
	z.fn = fn;
	z.priv = priv;
	z.n = 0;
	pt_gather_init(&g, ctx);
	w.start = start;
	w.end = start + size;
	w.g = &g;
	w.priv = &z;
	spin_lock(&ctx->page_table_lock);
	err = pt_descend(&w, &root);
	pt_zap_release(&w, &z);
	spin_unlock(&ctx->page_table_lock);
	return err;
}

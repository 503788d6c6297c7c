/* pgtable.h: the generic page-table core — one descent for every arch (map, unmap, protect, read walks). */
#ifndef PAGODA_MM_PGTABLE_H
#define PAGODA_MM_PGTABLE_H

#include <compiler.h>
#include <kernel/atomic.h>
#include <kernel/spinlock.h>
#include <mm/prot.h>
#include <asm/pgtable.h>

/*
 * THE ARCH CONTRACT. arch/<arch>/include/asm/pgtable.h provides, and nothing
 * else in mm/ knows about descriptor bits:
 *
 *   typedef struct { u64 v; } pte_t;   __pte(x), pte_val(p)     (64-bit entries on every arch)
 *   PT_LEVELS                      number of levels; level 0 is the root, PT_LEVELS-1 maps pages
 *   PT_ARCH_NAME                   "arm64", "x86" (golden-file names)
 *   PT_PA_BITS                     widest physical address an entry can hold
 *   unsigned pt_shift(level)       log2 of the bytes one entry maps (arm64 39/30/21/12, PAE 30/21/12)
 *   unsigned pt_entries(level)     entries in a table of that level (arm64 512; PAE 4 at level 0)
 *   bool pt_level_has_block(level) entries of that level may map a block (arm64 1,2; PAE 1)
 *   unsigned pt_cont_entries(level) contiguous-hint group size, 0 = none (arm64 16 at 2,3; PAE 0)
 *   pte_none, pte_valid, pte_is_table(p, level), pte_is_leaf(p, level)
 *   pte_cont, pte_mkcont, pte_mknoncont (PAE: pte_cont false, the others identity)
 *   paddr_t pte_table_pa(p), paddr_t pte_leaf_pa(p, level)
 *   pte_t pte_mk_table(pa, level)               a table entry at level (PAE: level 0 Present only,
 *                                               level 1 P|RW|US so the leaves decide access)
 *   pte_t pte_mk_leaf(pa, level, prot)          THE prot -> bits conversion
 *   u32 pte_leaf_prot(p, level)                 THE bits -> prot conversion (exact round trip)
 *   pte_t pte_wrprotect(p)                      the leaf p without PROT_WRITE, all else kept
 *   set_pte(ptep, p), pte_clear(ptep), pte_read(ptep)
 *        stores the walker sees, with the arch's barrier. PAE writes the 64-bit entry
 *        as two 32-bit stores: high word first when making it present, low word
 *        (holding Present) first when clearing it, so the walker never sees half.
 *        Only mm/pgtable.c calls set_pte/pte_clear on a table reachable by the MMU.
 * and <asm/tlbflush.h>: flush_tlb_kernel_range(start, end), flush_tlb_all(), pte_barrier().
 *
 * Levels are parameters: mm/pgtable.c loops from 0 to PT_LEVELS-1 using these
 * and never names an arch. ONE DESCENT: the only code that indexes a table by
 * level and follows table entries is in mm/pgtable.c: pt_descend() for a
 * range (its last level may be handed whole to a batch step: the copy and
 * zap walks), pt_point() for one VA (the fault slot; fork's child tables);
 * everything else that looks at tables (pt_query, ptdump and its W^X check,
 * `walk VA`, kmap's slots) is a visitor of pt_walk() or a user of the
 * leaf-slot, fault-slot, copy and zap APIs below.
 */

struct mm_ctx;
struct pt_pool;

/*
 * One translation regime: its root table, the VA range it covers, where its
 * table pages come from (include/mm/pgalloc.h: the one allocator; a context
 * only names its pool).
 *
 * SMP. page_table_lock (Linux's init_mm.page_table_lock) serialises every
 * change to the context's tables and every software walk of them: pt_map,
 * pt_unmap, pt_protect, pt_unmap_noflush, pt_walk, pt_query, pt_leaf_slot,
 * pt_fault_slot, pt_install, pt_replace and pt_zap_range take it, and
 * pt_copy_range takes the source's and then the destination's (a new
 * context nobody else reaches: the only nesting of two of them);
 * pt_reclaim_tables wants it held. Hardware walkers on other CPUs
 * do not take it: break-before-make (pt_commit in mm/pgtable.c) is what keeps
 * them safe. The lock is a plain spin_lock (interrupts stay as they are), so
 * an arch whose shootdown needs an IPI answered (x86) is not deadlocked by a
 * CPU waiting for the lock with interrupts on. Lock order (the locks of mm/):
 *   vmap_purge_lock -> init_mm.page_table_lock -> zone->lock
 *   vmap_area_lock  -> zone->lock     (never held together with page_table_lock)
 *   kmap_lock       -> init_mm.page_table_lock -> zone->lock
 * The exceptions, which take no lock: pt_set_leaf/pt_clear_leaf on a slot the
 * caller owns (a pkmap slot under kmap_lock, a CPU's own kmap_local slot).
 */
struct mm_ctx {
	pte_t *root;		/* VA of the level-0 table (set once by mm_ctx_init) */
	paddr_t root_pa;	/* what goes into TTBR1 / CR3 (set once) */
	vaddr_t va_base;	/* first VA this context translates (set once) */
	u64 va_size;		/* bytes from va_base; at most pt_entries(0) << pt_shift(0) */
	struct pt_pool *pt_pool;	/* tried first for table pages; NULL: memblock/buddy */
	spinlock_t page_table_lock;	/* protects the tables and the fields below */
	unsigned long nr_tables;	/* table pages in use, the root included */
	unsigned long nr_bbm;		/* break-before-make sequences done on live entries */
	atomic_t nr_flushes;		/* TLB flushes (shootdowns) done for this context: no lock */
	bool user;			/* a process's tables (struct mm_struct's ctx): flushed by the arch's
					   flush_tlb_user_ctx_range, which names the address space (set once) */
	/*
	 * pt_leaf_slot's memo: the last-level table the walk found last, and the
	 * offset (from va_base) of what it maps. Dropped whenever a table is
	 * unhooked, so it never points at a freed table.
	 */
	pte_t *leaf_table;
	u64 leaf_base;
};

/* What pt_query() found at a VA. */
struct pt_query {
	paddr_t pa;		/* PA of the VA asked for (not of the block start) */
	int level;		/* level of the leaf, or of the entry where translation stopped */
	u32 prot;		/* PROT_* | MT_* of the leaf */
	bool block;		/* a block (level < PT_LEVELS-1), not a page */
	bool cont;		/* part of a contiguous-hint group */
	u64 size;		/* bytes the leaf (or the missing entry) spans */
	pte_t entry;		/* the raw leaf entry */
};

/*
 * mm_ctx_init: an empty context covering [va_base, va_base + va_size) whose
 * table pages come from pool first (NULL: none), then from memblock or the
 * buddy unless the pool is exclusive. Returns 0 or -ENOMEM (no root), -EINVAL
 * (bad range).
 */
int mm_ctx_init(struct mm_ctx *ctx, vaddr_t va_base, u64 va_size, struct pt_pool *pool);
/* mm_ctx_destroy: unmaps everything and frees every table page, the root last. */
void mm_ctx_destroy(struct mm_ctx *ctx);

/*
 * pt_map: maps [va, va+size) to [pa, pa+size) with prot, using the largest
 * blocks alignment allows and the contiguous hint where the arch has one.
 * Everything 4 KiB aligned, size > 0. Returns 0, -EINVAL (alignment, range,
 * prot), -EEXIST (something in the range is already mapped; nothing changed)
 * or -ENOMEM (out of table pages; whatever was mapped is unmapped again).
 */
int pt_map(struct mm_ctx *ctx, vaddr_t va, paddr_t pa, u64 size, u32 prot);
/*
 * pt_unmap: removes every mapping in [va, va+size) (holes are fine),
 * splitting blocks that straddle the ends and freeing tables that become empty.
 * Returns 0, -EINVAL, or -ENOMEM (a block at an end could not be split: nothing
 * was unmapped).
 */
int pt_unmap(struct mm_ctx *ctx, vaddr_t va, u64 size);
/*
 * pt_protect: gives every page in [va, va+size) protection prot (the PA
 * stays), splitting blocks at the ends. Returns 0, -EINVAL, -ENOENT (part of
 * the range is unmapped; nothing changed) or -ENOMEM (a split failed; the
 * protections are unchanged, a block may stay split).
 */
int pt_protect(struct mm_ctx *ctx, vaddr_t va, u64 size, u32 prot);
/* pt_query: 0 and *res if va is mapped; -ENOENT (res->level says where it stopped) or -EINVAL. */
int pt_query(struct mm_ctx *ctx, vaddr_t va, struct pt_query *res);
/* pt_query_locked: the same with ctx->page_table_lock already held (e.g. from inside a TLB flush). */
int pt_query_locked(struct mm_ctx *ctx, vaddr_t va, struct pt_query *res);

/*
 * THE READ WALK. pt_walk() visits, in address order, every entry of every
 * table that meets [start, end): a table entry is reported (ops->table) and
 * then entered, a valid entry that is not a table is a leaf (ops->leaf), an
 * invalid one a hole (ops->hole). A NULL callback is skipped. What a callback
 * is told is the entry's whole span, which may begin before start or end after
 * end. A callback returning nonzero stops the walk, and pt_walk returns that
 * value; otherwise 0, or -EINVAL if the range is empty, not inside the
 * context, or the context has no root. end is exclusive; the end of a context
 * that reaches the top of the address space is 0 (va_base + va_size wraps).
 * The walk is the same descent map/unmap/protect use (mm/pgtable.c). Like
 * them it holds ctx->page_table_lock for the whole walk: a visitor must not
 * call back into pt_* for the same context (it would deadlock).
 */
struct pt_walk_entry {
	int level;		/* 0 is the root */
	vaddr_t va;		/* first VA the entry spans */
	u64 size;		/* bytes it spans: pt_level_size(level) */
	unsigned int index;	/* its index in its table */
	paddr_t table_pa;	/* PA of the table that holds it */
	pte_t *ptep;		/* the slot (read only: entries change through pt_* calls) */
	pte_t entry;		/* the entry, read once */
	paddr_t pa;		/* leaf: the PA at va (the block or page start); table: the next table */
	u32 prot;		/* leaf: PROT_* | MT_* (pte_leaf_prot); else 0 */
};
struct pt_walk_ops {
	int (*table)(const struct pt_walk_entry *e, void *priv);
	int (*leaf)(const struct pt_walk_entry *e, void *priv);
	int (*hole)(const struct pt_walk_entry *e, void *priv);
};
int pt_walk(struct mm_ctx *ctx, vaddr_t start, vaddr_t end, const struct pt_walk_ops *ops, void *priv);

/*
 * THE LEAF-SLOT API, for fixed slots written at a high rate (kmap's pkmap and
 * fixmap slots, Linux's pkmap_page_table): find the slot once per use with
 * the read walk, then change it through the core, which owns the store and
 * the TLB rule.
 *   pt_leaf_slot: the last-level (PT_LEVELS-1) slot for va in an existing
 *       page table, or NULL if va is outside ctx, a table on the way is
 *       missing, or a block maps va (pt_map() makes the table). The walk's
 *       answer is remembered (ctx->leaf_table) until a table is unhooked, so
 *       the next slot in the same table costs a compare and an index. The
 *       slot is good until the next pt_unmap() of the context (which may free
 *       its table): look it up again each time rather than keep it. The memo
 *       is written by the lookup, so lookups are serialised like writes.
 *   pt_set_leaf: makes an EMPTY slot map pa with prot (a store, no flush: the
 *       TLBs never cache an invalid entry). A valid slot is not replaced
 *       (that needs break-before-make: pt_map/pt_protect do it): -EEXIST and
 *       a warning; -EINVAL for a bad prot or pa.
 *   pt_clear_leaf: empties the slot that maps va, then flushes va's page from
 *       every TLB, or, with a gather, adds va to it so that one flush covers
 *       many slots (pkmap's lazy flush): pt_gather_flush() does the flush
 *       the gather owes, and must run before any cleared VA is mapped again.
 *   The slot is the caller's (kmap_lock for pkmap, the CPU for its own
 *   kmap_local slots): pt_set_leaf/pt_clear_leaf take no lock.
 *
 * A gather (Linux's mmu_gather idea) is what an unmap owes: one TLB flush over
 * [start, end), then the table pages it unhooked, freed only after that flush
 * (a walk cache may still point at them). Only leaf entries broken: the flush
 * may use the arch's last-level form; a table entry broken: the full form.
 * Start one as { .pending = false } (or zeroed).
 */
struct pt_freed {
	pte_t *va;
	paddr_t pa;
};
#define PT_GATHER_TABLES	32	/* tables held before an early flush frees them */
struct pt_gather {
	bool pending;
	bool tables;		/* a table entry was broken (walk caches must go too) */
	vaddr_t start, end;	/* the range owed a flush; end 0: the top of the address space */
	u64 stride;		/* the smallest entry size in it */
	struct mm_ctx *ctx;	/* whose table pages freed[] holds; its flushes are counted */
	unsigned int nfreed;
	struct pt_freed freed[PT_GATHER_TABLES];
};
pte_t *pt_leaf_slot(struct mm_ctx *ctx, vaddr_t va);
int pt_set_leaf(struct mm_ctx *ctx, pte_t *slot, paddr_t pa, u32 prot);
void pt_clear_leaf(struct mm_ctx *ctx, pte_t *slot, vaddr_t va, struct pt_gather *gather);
/* pt_gather_flush: the one TLB flush the gather owes (if any), then frees its tables. */
void pt_gather_flush(struct pt_gather *gather);

/*
 * THE LAZY UNMAP (vmalloc's purge, Linux's lazy vunmap), in two halves:
 *   pt_unmap_noflush: empties every leaf in [va, va+size) like pt_unmap, but
 *       does no TLB maintenance for them and frees no table (empty tables stay
 *       hooked). Until the second half, other CPUs may still translate the
 *       range through stale TLB entries: the caller must not map anything in
 *       it again before then. Blocks straddling the ends are split (with their
 *       own break-before-make). Returns 0, -EINVAL or -ENOMEM (as pt_unmap).
 *   pt_reclaim_tables: with ctx->page_table_lock held, adds [va, va+size) to
 *       g's flush and unhooks every table in the range that is empty now,
 *       leaving them for g. Called for a batch of ranges, then one
 *       pt_gather_flush(g) — still under the lock, so no table entry unhooked
 *       here is made again before the flush — pays for all of them.
 */
int pt_unmap_noflush(struct mm_ctx *ctx, vaddr_t va, u64 size);
void pt_reclaim_tables(struct mm_ctx *ctx, vaddr_t va, u64 size, struct pt_gather *g);

/*
 * THE FAULT SLOT (Linux's handle_pte_fault on a pte it found once). A fault
 * descends once and then decides on the slot it found:
 *   pt_fault_slot: descends from the root to va's last-level slot, making
 *       every missing table on the way (an empty entry becomes a table entry:
 *       a store, no flush), and tells what the slot holds. 0, -EINVAL (va
 *       outside ctx), -ENOMEM (no table page; the tables made so far stay,
 *       empty: an unmap frees them) or -EEXIST (a block maps va: no slot).
 *       f->slot stays good while the caller keeps every unmap of ctx out
 *       (for a process: mm->lock, which munmap and exit take).
 *   pt_install: makes the empty slot map pa with prot (a store, no flush).
 *       0, -EEXIST (the slot is not empty any more) or -EINVAL (prot, pa).
 *   pt_replace: the slot that maps f->pa now maps pa with prot, by
 *       break-before-make: cleared, va's page flushed (a process: by its
 *       ASID / its CPUs), rewritten (copy-on-write's new page, or the same
 *       page writable). 0, -EAGAIN (the slot no longer maps f->pa), -EINVAL.
 * All three take ctx->page_table_lock.
 */
struct pt_fault {
	vaddr_t va;		/* the page's VA */
	pte_t *slot;		/* its last-level slot */
	bool present;		/* the slot maps a page: */
	paddr_t pa;		/*   its PA */
	u32 prot;		/*   its PROT_* | MT_* */
};
int pt_fault_slot(struct mm_ctx *ctx, vaddr_t va, struct pt_fault *f);
int pt_install(struct mm_ctx *ctx, const struct pt_fault *f, paddr_t pa, u32 prot);
int pt_replace(struct mm_ctx *ctx, const struct pt_fault *f, paddr_t pa, u32 prot);

/*
 * THE COPY WALK (fork; Linux's copy_page_range): pt_copy_range visits every
 * page src maps in [start, end), once, in address order, and asks fn (the
 * policy: mm/dup_mmap.c raises the page's counts) what to do with it: fn
 * gets va and pa and sets wrprotect for copy-on-write. dst then gets the
 * same entry at the same VA (dst's tables made a table at a time; the slot
 * must be empty) — write-protected if asked, and then the source's entry
 * loses PROT_WRITE too, in place (pte_wrprotect: nothing else changes). One
 * flush of the source's range at the end covers every write-protect. fn
 * returning nonzero stops the walk and that value is returned (the entries
 * done so far stay done and flushed); else 0, -ENOMEM (dst's tables),
 * -EEXIST (a dst slot was not empty: fn not called for it), -EINVAL (bad
 * range; a block in src: contexts of pages only). Takes src's
 * page_table_lock, then dst's: dst must be reachable by no CPU (a new mm) —
 * its entries are written without break-before-make.
 */
struct pt_copy_leaf {
	vaddr_t va;
	paddr_t pa;
	bool wrprotect;		/* out: both entries without PROT_WRITE (default false: copied as is) */
};
typedef int (*pt_copy_fn)(struct pt_copy_leaf *leaf, void *priv);
int pt_copy_range(struct mm_ctx *dst, struct mm_ctx *src, vaddr_t start, vaddr_t end, pt_copy_fn fn,
		  void *priv);

/*
 * THE ZAP WALK (munmap, exit; Linux's zap_page_range with an mmu_gather):
 * pt_zap_range empties every page entry in [va, va+size) in one walk, frees
 * the tables that become empty, and hands each page that was mapped to
 * fn(pa, priv) once — only after the TLB flush that removed it (pages are
 * batched: one flush per PT_ZAP_BATCH pages at most), so fn may free it.
 * dead: no CPU can hold a translation of ctx any more (an exited mm: live on
 * no CPU, its ASID never given out again without a flush of every TLB, or on
 * x86 dropped by every CPU's CR3 switch away from it): no flush at all, fn
 * called at once. 0 or -EINVAL. Contexts of pages only: a block met is
 * cleared without fn (and warned about). Takes ctx->page_table_lock.
 */
#define PT_ZAP_BATCH	64
typedef void (*pt_zap_fn)(paddr_t pa, void *priv);
int pt_zap_range(struct mm_ctx *ctx, vaddr_t va, u64 size, bool dead, pt_zap_fn fn, void *priv);

/* Decide, then act: what the walker does with one entry (pure; tested directly). */
enum pt_op { PT_OP_MAP, PT_OP_UNMAP, PT_OP_PROTECT, PT_OP_SPLIT };
enum pt_kind { PT_KIND_NONE, PT_KIND_TABLE, PT_KIND_LEAF };
enum pt_action {
	PT_ACT_NOTHING,		/* leave the entry alone */
	PT_ACT_WRITE_LEAF,	/* map: write a block or a page */
	PT_ACT_ALLOC_TABLE,	/* map: allocate a table for the next level and descend */
	PT_ACT_DESCEND,		/* go into the existing table */
	PT_ACT_SPLIT,		/* replace a block by a table of smaller entries, then descend */
	PT_ACT_CLEAR,		/* unmap: invalidate a leaf */
	PT_ACT_UPDATE,		/* protect: rewrite a leaf with the new protection */
	PT_ACT_EXISTS,		/* map over a leaf: refuse */
};
/*
 * pt_decide: covers = the operation spans the entry's whole range (for
 * PT_OP_SPLIT: the split point is the entry's start); aligned = the PA to map
 * there is aligned to the entry's size.
 */
enum pt_action pt_decide(enum pt_op op, int level, enum pt_kind kind, bool covers, bool aligned);

static inline u64 pt_level_size(int level) { return 1ULL << pt_shift(level); }

/* The kernel's translation context (arm64: TTBR1), set up by paging_init(). */
extern struct mm_ctx init_mm;
/* paging_init (mm/paging.c): builds the final kernel map in init_mm and switches to it. */
void paging_init(void);

#endif

/* vmap_area.h: the VA-range allocator behind vmalloc/ioremap — free ranges in an augmented treap. */
#ifndef PAGODA_VMAP_AREA_H
#define PAGODA_VMAP_AREA_H

#include <compiler.h>

/*
 * A va_node is one range [start, end) of virtual addresses. The same node type
 * builds two kinds of tree (both treaps: a BST by start, a heap by prio):
 *   - a space's free tree, augmented with max_free = the largest range in the
 *     subtree, so a first-fit search goes straight to its answer;
 *   - the busy tree of vmalloc.c (struct vm_struct embeds a va_node).
 * Treap priorities come from a PRNG, so every operation visits O(log n) nodes
 * in expectation (for n nodes, depth <= ~3 ln n with high probability) whatever
 * the order of allocations and frees; no operation walks a list of areas.
 */
struct va_node {
	unsigned long start, end;	/* [start, end), page aligned */
	unsigned long max_free;		/* free tree: max (end - start) over this subtree */
	u32 prio;
	struct va_node *left, *right;
};

/* A pool of fixed-size objects (tree nodes) carved from whole pages. */
struct va_pool {
	size_t obj_size;
	void *free;			/* singly linked free objects */
	void *(*get_page)(void);	/* one PAGE_SIZE page, or NULL */
	unsigned long pages;		/* pages taken so far (never given back) */
	unsigned long in_use;
};

/* A space of virtual addresses [start, end) handed out in page multiples. */
struct va_space {
	unsigned long start, end;
	struct va_node *free_root;
	struct va_pool nodes;
	unsigned long nr_free;		/* free ranges (nodes in the free tree) */
	unsigned long free_bytes;
};

/* va_space_init: the whole [start, end) free. get_page feeds the node pool. */
void va_space_init(struct va_space *vs, unsigned long start, unsigned long end,
		   void *(*get_page)(void));
/*
 * va_space_alloc: reserves size bytes (page multiple) aligned to align (a power
 * of two >= PAGE_SIZE) at the lowest address where a free range of at least
 * size + align - PAGE_SIZE bytes starts (exact for page alignment; for larger
 * alignments a tighter fit may be passed over, never an overlap made).
 * Returns the start, or 0 if nothing fits or no node could be allocated.
 */
unsigned long va_space_alloc(struct va_space *vs, unsigned long size, unsigned long align);
/*
 * va_space_free: returns [start, start + size) to the free tree, merged with
 * free neighbours. A range outside the space or overlapping a free range is
 * misuse: it is reported ("vmap: bad free ...") and nothing changes. Returns
 * true if the range was freed.
 */
bool va_space_free(struct va_space *vs, unsigned long start, unsigned long size);
/* va_space_check: verifies every invariant (order, no overlap, coalesced, max_free, heap);
 * returns 0 or a short description of the first violation. O(n): for tests. */
const char *va_space_check(const struct va_space *vs);
/* The largest free range, O(1). */
static inline unsigned long va_space_largest(const struct va_space *vs)
{
	return vs->free_root ? vs->free_root->max_free : 0;
}

/* Treap primitives, shared with vmalloc.c's busy tree (keys: node->start). */
void va_tree_insert(struct va_node **root, struct va_node *n);
void va_tree_erase(struct va_node **root, struct va_node *n);
/* The node with start <= addr < end, or NULL. */
struct va_node *va_tree_find(struct va_node *root, unsigned long addr);
/* The node with the largest start <= addr, or NULL. */
struct va_node *va_tree_floor(struct va_node *root, unsigned long addr);
/* The node with the smallest start >= addr, or NULL (ceil(root, 0) is the first). */
struct va_node *va_tree_ceil(struct va_node *root, unsigned long addr);
/* Depth of the tree (for tests and benchmarks; O(n)). */
unsigned int va_tree_depth(const struct va_node *root);

void *va_pool_get(struct va_pool *p);
void va_pool_put(struct va_pool *p, void *obj);

#endif

/* vmap_area.c: the VA-range allocator — free ranges in a treap augmented with the largest gap. */
#include <mm/vmap_area.h>
#include <asm/memory.h>
#include <kernel/bug.h>
#include <kernel/printk.h>

/*
 * Bound: a treap with random priorities has the shape of a random BST, so its
 * expected depth is O(log n) (about 2 ln n on average, rarely more than 3 ln n)
 * for any sequence of operations that does not look at the priorities. Every
 * operation here descends once or twice from the root: alloc = one first-fit
 * descent + an erase + at most two inserts; free = a floor and a ceil search +
 * at most two erases + one insert. So alloc and free are O(log n) expected in
 * the number n of free ranges, independent of how many areas are live.
 * Recursion depth equals tree depth (~30 frames for 10^4 nodes).
 */

static u64 prio_state = 0x2545F4914F6CDD1DULL;

static u32 next_prio(void)
{
	u64 x = prio_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	prio_state = x;
	return (u32)((x * 0x2545F4914F6CDD1DULL) >> 32);
}

static inline unsigned long node_len(const struct va_node *n)
{
	return n->end - n->start;
}

static void update(struct va_node *t)
{
	unsigned long m = node_len(t);

	if (t->left && t->left->max_free > m)
		m = t->left->max_free;
	if (t->right && t->right->max_free > m)
		m = t->right->max_free;
	t->max_free = m;
}

/* split: t into l (start < key) and r (start >= key). */
static void split(struct va_node *t, unsigned long key, struct va_node **l, struct va_node **r)
{
	if (!t) {
		*l = *r = NULL;
	} else if (t->start < key) {
		split(t->right, key, &t->right, r);
		*l = t;
		update(t);
	} else {
		split(t->left, key, l, &t->left);
		*r = t;
		update(t);
	}
}

/* merge: every start in l is below every start in r. */
static struct va_node *merge(struct va_node *l, struct va_node *r)
{
	if (!l || !r)
		return l ? l : r;
	if (l->prio > r->prio) {
		l->right = merge(l->right, r);
		update(l);
		return l;
	}
	r->left = merge(l, r->left);
	update(r);
	return r;
}

static struct va_node *insert(struct va_node *t, struct va_node *n)
{
	if (!t)
		return n;
	if (n->prio > t->prio) {
		split(t, n->start, &n->left, &n->right);
		update(n);
		return n;
	}
	if (n->start < t->start)
		t->left = insert(t->left, n);
	else
		t->right = insert(t->right, n);
	update(t);
	return t;
}

void va_tree_insert(struct va_node **root, struct va_node *n)
{
	n->prio = next_prio();
	n->left = n->right = NULL;
	update(n);
	*root = insert(*root, n);
}

static struct va_node *erase(struct va_node *t, struct va_node *n)
{
	if (!t)
		panic("va_tree_erase: node [0x%lx, 0x%lx) not in tree", n->start, n->end);
	if (t == n)
		return merge(t->left, t->right);
	if (n->start < t->start)
		t->left = erase(t->left, n);
	else
		t->right = erase(t->right, n);
	update(t);
	return t;
}

void va_tree_erase(struct va_node **root, struct va_node *n)
{
	*root = erase(*root, n);
	n->left = n->right = NULL;
}

struct va_node *va_tree_floor(struct va_node *t, unsigned long addr)
{
	struct va_node *best = NULL;

	while (t) {
		if (t->start <= addr) {
			best = t;
			t = t->right;
		} else {
			t = t->left;
		}
	}
	return best;
}

struct va_node *va_tree_ceil(struct va_node *t, unsigned long addr)
{
	struct va_node *best = NULL;

	while (t) {
		if (t->start >= addr) {
			best = t;
			t = t->left;
		} else {
			t = t->right;
		}
	}
	return best;
}

struct va_node *va_tree_find(struct va_node *root, unsigned long addr)
{
	struct va_node *n = va_tree_floor(root, addr);

	return n && addr < n->end ? n : NULL;
}

unsigned int va_tree_depth(const struct va_node *t)
{
	unsigned int l, r;

	if (!t)
		return 0;
	l = va_tree_depth(t->left);
	r = va_tree_depth(t->right);
	return 1 + (l > r ? l : r);
}

/* ---- node pool ------------------------------------------------------------------------ */

void *va_pool_get(struct va_pool *p)
{
	void *obj;

	if (!p->free) {
		char *page = p->get_page ? p->get_page() : NULL;
		size_t off;

		if (!page)
			return NULL;
		p->pages++;
		for (off = 0; off + p->obj_size <= PAGE_SIZE; off += p->obj_size) {
			*(void **)(page + off) = p->free;
			p->free = page + off;
		}
	}
	obj = p->free;
	p->free = *(void **)obj;
	p->in_use++;
	return obj;
}

void va_pool_put(struct va_pool *p, void *obj)
{
	*(void **)obj = p->free;
	p->free = obj;
	p->in_use--;
}

/* ---- the space ------------------------------------------------------------------------ */

static struct va_node *new_node(struct va_space *vs, unsigned long start, unsigned long end)
{
	struct va_node *n = va_pool_get(&vs->nodes);

	if (n) {
		n->start = start;
		n->end = end;
	}
	return n;
}

static void insert_free(struct va_space *vs, struct va_node *n)
{
	va_tree_insert(&vs->free_root, n);
	vs->nr_free++;
}

static void erase_free(struct va_space *vs, struct va_node *n)
{
	va_tree_erase(&vs->free_root, n);
	vs->nr_free--;
}

void va_space_init(struct va_space *vs, unsigned long start, unsigned long end,
		   void *(*get_page)(void))
{
	struct va_node *n;

	BUG_ON(start >= end || (start | end) & ~PAGE_MASK);
	*vs = (struct va_space){ .start = start, .end = end };
	vs->nodes.obj_size = ALIGN(sizeof(struct va_node), sizeof(void *));
	vs->nodes.get_page = get_page;
	n = new_node(vs, start, end);
	if (!n)
		panic("va_space_init: no memory for the first node");
	insert_free(vs, n);
	vs->free_bytes = end - start;
}

/* The lowest free node holding an aligned [*out, *out + size), given need (see the header). */
static struct va_node *first_fit(struct va_node *t, unsigned long size, unsigned long align,
				 unsigned long need, unsigned long *out)
{
	if (!t || t->max_free < need)
		return NULL;
	while (t) {
		unsigned long a = ALIGN(t->start, align);

		if (t->left && t->left->max_free >= need) {
			t = t->left;
		} else if (a >= t->start && a + size > a && a + size <= t->end) {
			*out = a;
			return t;
		} else if (t->right && t->right->max_free >= need) {
			t = t->right;
		} else {
			panic("va_space_alloc: max_free says a fit exists, none found");
		}
	}
	return NULL;
}

unsigned long va_space_alloc(struct va_space *vs, unsigned long size, unsigned long align)
{
	struct va_node *t, *extra = NULL;
	unsigned long a = 0, need, tail_start, tail_end;

	if (!size || size & ~PAGE_MASK || align < PAGE_SIZE || (align & (align - 1)))
		return 0;
	need = size + align - PAGE_SIZE;
	if (need < size)
		return 0;
	t = first_fit(vs->free_root, size, align, need, &a);
	if (!t)
		return 0;
	tail_start = a + size;
	tail_end = t->end;
	if (a > t->start && tail_end > tail_start) {
		extra = new_node(vs, tail_start, tail_end);
		if (!extra)
			return 0;
	}
	erase_free(vs, t);
	if (a > t->start) {		/* t keeps the head, extra the tail */
		t->end = a;
		insert_free(vs, t);
		if (extra)
			insert_free(vs, extra);
	} else if (tail_end > tail_start) {	/* t becomes the tail */
		t->start = tail_start;
		insert_free(vs, t);
	} else {
		va_pool_put(&vs->nodes, t);
	}
	vs->free_bytes -= size;
	return a;
}

/* Reports a bad free; returns false so callers can `return bad_free(...)`. */
static bool bad_free(unsigned long start, unsigned long end, const char *why,
		     const struct va_node *n)
{
	if (n)
		printk("vmap: bad free of [0x%lx-0x%lx): %s (free range 0x%lx-0x%lx)\n", start, end,
		       why, n->start, n->end);
	else
		printk("vmap: bad free of [0x%lx-0x%lx): %s\n", start, end, why);
	return false;
}

bool va_space_free(struct va_space *vs, unsigned long start, unsigned long size)
{
	unsigned long end = start + size;
	struct va_node *pred, *succ, *n = NULL;

	if (!size || (start | size) & ~PAGE_MASK || end < start || start < vs->start || end > vs->end)
		return bad_free(start, end, "not a page-aligned range of this space", NULL);
	pred = va_tree_floor(vs->free_root, start);
	succ = va_tree_ceil(vs->free_root, start + 1);
	if (pred && pred->end > start)
		return bad_free(start, end, "overlaps a free range (double free?)", pred);
	if (succ && succ->start < end)
		return bad_free(start, end, "overlaps a free range (double free?)", succ);
	if (pred && pred->end == start) {
		erase_free(vs, pred);
		start = pred->start;
		n = pred;
	}
	if (succ && succ->start == end) {
		erase_free(vs, succ);
		end = succ->end;
		if (n)
			va_pool_put(&vs->nodes, succ);
		else
			n = succ;
	}
	if (!n)
		n = new_node(vs, start, end);
	if (!n) {
		printk("vmap: no memory for a free-range node: 0x%lx-0x%lx leaked\n", start, end);
		return true;
	}
	n->start = start;
	n->end = end;
	insert_free(vs, n);
	vs->free_bytes += size;
	return true;
}

/* ---- invariant check (tests) ---------------------------------------------------------- */

struct check_state {
	const struct va_space *vs;
	unsigned long prev_end, count, bytes;
	bool first;
};

static const char *check_node(const struct va_node *t, u32 parent_prio, struct check_state *st)
{
	unsigned long m;
	const char *err;

	if (!t)
		return NULL;
	if (t->prio > parent_prio)
		return "heap order broken (child priority above parent)";
	err = check_node(t->left, t->prio, st);
	if (err)
		return err;
	if (t->start >= t->end || (t->start | t->end) & ~PAGE_MASK)
		return "empty or unaligned range";
	if (t->start < st->vs->start || t->end > st->vs->end)
		return "range outside the space";
	if (!st->first && t->start < st->prev_end)
		return "free ranges overlap or are out of order";
	if (!st->first && t->start == st->prev_end)
		return "adjacent free ranges not coalesced";
	m = node_len(t);
	if (t->left && t->left->max_free > m)
		m = t->left->max_free;
	if (t->right && t->right->max_free > m)
		m = t->right->max_free;
	if (t->max_free != m)
		return "max_free is stale";
	st->first = false;
	st->prev_end = t->end;
	st->count++;
	st->bytes += node_len(t);
	return check_node(t->right, t->prio, st);
}

const char *va_space_check(const struct va_space *vs)
{
	struct check_state st = { .vs = vs, .first = true };
	const char *err = check_node(vs->free_root, ~0u, &st);

	if (err)
		return err;
	if (st.count != vs->nr_free)
		return "nr_free does not match the tree";
	if (st.bytes != vs->free_bytes)
		return "free_bytes does not match the tree";
	return NULL;
}

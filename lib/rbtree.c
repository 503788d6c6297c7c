/* rbtree.c: red-black tree rebalancing, neighbours and a checker (Linux's rb_* names; written for pagoda). */
#include <lib/rbtree.h>

/* change_child: old's parent (or the root) points at new instead; new's parent becomes old's. */
static void change_child(struct rb_node *old, struct rb_node *new, struct rb_root *root)
{
	struct rb_node *p = old->rb_parent;

	if (!p)
		root->rb_node = new;
	else if (p->rb_left == old)
		p->rb_left = new;
	else
		p->rb_right = new;
	if (new)
		new->rb_parent = p;
}

static void augment(struct rb_node *n, const struct rb_augment_callbacks *cb)
{
	if (cb)
		cb->propagate(n);
}

/* rotate_left: x's right child y takes x's place, x becomes y's left child. */
static void rotate_left(struct rb_node *x, struct rb_root *root, const struct rb_augment_callbacks *cb)
{
	struct rb_node *y = x->rb_right;

	x->rb_right = y->rb_left;
	if (y->rb_left)
		y->rb_left->rb_parent = x;
	change_child(x, y, root);
	y->rb_left = x;
	x->rb_parent = y;
	augment(x, cb);
	augment(y, cb);
}

/* rotate_right: the mirror of rotate_left. */
static void rotate_right(struct rb_node *x, struct rb_root *root, const struct rb_augment_callbacks *cb)
{
	struct rb_node *y = x->rb_left;

	x->rb_left = y->rb_right;
	if (y->rb_right)
		y->rb_right->rb_parent = x;
	change_child(x, y, root);
	y->rb_right = x;
	x->rb_parent = y;
	augment(x, cb);
	augment(y, cb);
}

/* rotate: toward the left if left, else the right (the two mirrored cases share one body below). */
static void rotate(struct rb_node *x, bool left, struct rb_root *root, const struct rb_augment_callbacks *cb)
{
	if (left)
		rotate_left(x, root, cb);
	else
		rotate_right(x, root, cb);
}

#define CHILD(n, left)	((left) ? (n)->rb_left : (n)->rb_right)

/*
 * insert_fixup: node is red; while its parent is red too, either recolour
 * (the uncle is red: the problem moves two levels up) or rotate once or twice
 * (the uncle is black: done). pl says whether the parent is a left child.
 */
static void insert_fixup(struct rb_node *node, struct rb_root *root, const struct rb_augment_callbacks *cb)
{
	struct rb_node *parent, *gparent, *uncle;

	while (rb_is_red(parent = node->rb_parent)) {
		bool pl;

		gparent = parent->rb_parent;	/* a red node is never the root */
		pl = parent == gparent->rb_left;
		uncle = CHILD(gparent, !pl);
		if (rb_is_red(uncle)) {
			parent->rb_color = uncle->rb_color = RB_BLACK;
			gparent->rb_color = RB_RED;
			node = gparent;
			continue;
		}
		if (node == CHILD(parent, !pl)) {	/* the inner grandchild: make it the outer one */
			rotate(parent, pl, root, cb);
			node = parent;
			parent = node->rb_parent;
		}
		parent->rb_color = RB_BLACK;
		gparent->rb_color = RB_RED;
		rotate(gparent, !pl, root, cb);
	}
	root->rb_node->rb_color = RB_BLACK;
}

void rb_insert_augmented(struct rb_node *node, struct rb_root *root, const struct rb_augment_callbacks *cb)
{
	struct rb_node *n;

	if (cb) {
		cb->propagate(node);
		for (n = node->rb_parent; n && cb->propagate(n); n = n->rb_parent)
			;
	}
	insert_fixup(node, root, cb);
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	rb_insert_augmented(node, root, NULL);
}

/*
 * erase_fixup: the subtree at x (child of parent; x may be NULL) has one
 * black node too few on its paths. Borrow from the sibling w: a red w is
 * rotated up first; a w with two black children turns red and the deficit
 * moves up; otherwise one or two rotations end it.
 */
static void erase_fixup(struct rb_node *x, struct rb_node *parent, struct rb_root *root,
			const struct rb_augment_callbacks *cb)
{
	while (x != root->rb_node && !rb_is_red(x)) {
		bool xl = x == parent->rb_left;
		struct rb_node *w = CHILD(parent, !xl);

		if (rb_is_red(w)) {
			w->rb_color = RB_BLACK;
			parent->rb_color = RB_RED;
			rotate(parent, xl, root, cb);
			w = CHILD(parent, !xl);
		}
		if (!rb_is_red(w->rb_left) && !rb_is_red(w->rb_right)) {
			w->rb_color = RB_RED;
			x = parent;
			parent = x->rb_parent;
			continue;
		}
		if (!rb_is_red(CHILD(w, !xl))) {	/* the near child is the red one: turn it outward */
			CHILD(w, xl)->rb_color = RB_BLACK;
			w->rb_color = RB_RED;
			rotate(w, !xl, root, cb);
			w = CHILD(parent, !xl);
		}
		w->rb_color = parent->rb_color;
		parent->rb_color = RB_BLACK;
		CHILD(w, !xl)->rb_color = RB_BLACK;
		rotate(parent, xl, root, cb);
		x = root->rb_node;
	}
	if (x)
		x->rb_color = RB_BLACK;
}

/*
 * rb_erase_augmented: a node with at most one child is replaced by it; a
 * node with two by its successor y (the leftmost of its right subtree), y's
 * right child taking y's old place. The values are recomputed from the
 * lowest changed node to the root (all the way: y moved onto that path),
 * then the colours are repaired if a black node left its place.
 */
void rb_erase_augmented(struct rb_node *z, struct rb_root *root, const struct rb_augment_callbacks *cb)
{
	struct rb_node *x, *xp, *y, *n;
	int removed_color = z->rb_color;

	if (!z->rb_left || !z->rb_right) {
		x = z->rb_left ? z->rb_left : z->rb_right;
		xp = z->rb_parent;
		change_child(z, x, root);
	} else {
		for (y = z->rb_right; y->rb_left; y = y->rb_left)
			;
		removed_color = y->rb_color;
		x = y->rb_right;
		xp = y;
		if (y->rb_parent != z) {
			xp = y->rb_parent;
			change_child(y, x, root);
			y->rb_right = z->rb_right;
			y->rb_right->rb_parent = y;
		}
		change_child(z, y, root);
		y->rb_left = z->rb_left;
		y->rb_left->rb_parent = y;
		y->rb_color = z->rb_color;
	}
	if (cb)
		for (n = xp; n; n = n->rb_parent)
			cb->propagate(n);
	if (removed_color == RB_BLACK)
		erase_fixup(x, xp, root, cb);
	z->rb_parent = z->rb_left = z->rb_right = NULL;
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	rb_erase_augmented(node, root, NULL);
}

void rb_augment_propagate(struct rb_node *n, const struct rb_augment_callbacks *cb)
{
	while (n && cb->propagate(n))
		n = n->rb_parent;
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_right)
		n = n->rb_right;
	return n;
}

/* rb_next: the leftmost of the right subtree, else the first ancestor reached from its left. */
struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *n;

	if (node->rb_right) {
		for (n = node->rb_right; n->rb_left; n = n->rb_left)
			;
		return n;
	}
	while ((n = node->rb_parent) && node == n->rb_right)
		node = n;
	return n;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *n;

	if (node->rb_left) {
		for (n = node->rb_left; n->rb_right; n = n->rb_right)
			;
		return n;
	}
	while ((n = node->rb_parent) && node == n->rb_left)
		node = n;
	return n;
}

/* black_height: of the subtree at n (parent its expected parent), or -1 on a broken rule or link. */
static int black_height(const struct rb_node *n, const struct rb_node *parent)
{
	int l, r;

	if (!n)
		return 0;
	if (n->rb_parent != parent || (n->rb_color != RB_RED && n->rb_color != RB_BLACK) ||
	    (rb_is_red(n) && (rb_is_red(n->rb_left) || rb_is_red(n->rb_right))))
		return -1;
	l = black_height(n->rb_left, n);
	r = black_height(n->rb_right, n);
	if (l < 0 || l != r)
		return -1;
	return l + (n->rb_color == RB_BLACK);
}

int rb_black_height(const struct rb_root *root)
{
	if (rb_is_red(root->rb_node))
		return -1;
	return black_height(root->rb_node, NULL);
}

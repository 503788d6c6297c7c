/* rbtree.h: red-black trees (Linux's rb_node API), with an optional augmented value kept per subtree. */
#ifndef PAGODA_RBTREE_H
#define PAGODA_RBTREE_H

#include <compiler.h>
#include <types.h>

/*
 * A node embedded in the caller's object. The tree orders nothing itself:
 * the caller descends by its own key and links the new node where the descent
 * ended (rb_link_node), then rb_insert_color rebalances. Red-black rules
 * (checked by the vma_tree suite): the root is black, a red node has no red
 * child, and every path from a node down to a NULL has the same number of
 * black nodes; so the height is at most 2 log2(n + 1), and every operation
 * here is O(log n) in the worst case, without recursion.
 */
#define RB_RED		0
#define RB_BLACK	1

struct rb_node {
	struct rb_node *rb_parent;
	struct rb_node *rb_left, *rb_right;
	int rb_color;
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT		((struct rb_root) { NULL })
#define rb_entry(ptr, type, member)	container_of(ptr, type, member)
#define rb_entry_safe(ptr, type, member) \
	({ struct rb_node *__n = (ptr); __n ? rb_entry(__n, type, member) : NULL; })
#define rb_parent(n)	((n)->rb_parent)
#define rb_is_red(n)	((n) && (n)->rb_color == RB_RED)
#define RB_EMPTY_ROOT(root)	((root)->rb_node == NULL)

/* rb_link_node: node becomes the (red) child *link of parent (NULL: the root). */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent, struct rb_node **link)
{
	node->rb_parent = parent;
	node->rb_left = node->rb_right = NULL;
	node->rb_color = RB_RED;
	*link = node;
}

/*
 * An augmented tree keeps a value per node computed from the node and its two
 * children only (the VMA tree: the largest gap inside each subtree).
 * propagate(n) recomputes n's value from n and its children and returns
 * whether it changed. The tree calls it on the two nodes of every rotation
 * (the lower first), and up the path from every link or unlink; the plain
 * calls pass NULL.
 */
struct rb_augment_callbacks {
	bool (*propagate)(struct rb_node *n);
};

/* rb_insert_color: rebalances after rb_link_node (augmented: propagate from node first, then rotations). */
void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_insert_augmented(struct rb_node *node, struct rb_root *root, const struct rb_augment_callbacks *cb);
/* rb_erase: unlinks node and rebalances. */
void rb_erase(struct rb_node *node, struct rb_root *root);
void rb_erase_augmented(struct rb_node *node, struct rb_root *root, const struct rb_augment_callbacks *cb);
/* rb_augment_propagate: n's value changed (its own key moved): recompute it and its ancestors. */
void rb_augment_propagate(struct rb_node *n, const struct rb_augment_callbacks *cb);

/* In-order neighbours and ends (NULL past the end). */
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

/* rb_black_height: the black nodes on every path down, or -1 if a rule above is broken (tests). */
int rb_black_height(const struct rb_root *root);

#endif

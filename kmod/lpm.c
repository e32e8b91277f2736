// SPDX-License-Identifier: GPL-2.0
/*
 * Longest-prefix match for the routing tables of router datapaths.
 *
 * A path-compressed binary trie.  Every node holds a prefix (its bits and
 * its length) and, when a route has exactly that prefix, the route.  A
 * child's prefix extends its parent's, and the child's index is the first
 * bit past the parent's length, so the bits in between need no nodes of
 * their own: a lookup walks down from the root while the address matches the
 * node's prefix, remembering the last route seen, and visits at most one
 * node per prefix length.
 *
 * A node without a route (a "glue" node) exists only to join two subtrees
 * whose prefixes diverge at its length, so it always has two children.
 * Removal keeps it that way, which bounds the trie to 2n - 1 nodes for n
 * routes however much the table churns.
 *
 * Writers are serialised by the caller's mutex.  Every change builds what
 * it needs first and then makes it visible with a single pointer store
 * (rcu_assign_pointer), so a concurrent lookup sees the trie either before
 * or after the change.  Nodes that are unlinked are freed after a grace
 * period; the routes are the caller's to free.
 *
 * This file uses nothing but RCU, the allocator and bit operations so that
 * the host-side unit test (selftests/lpm) can build it with a shim.
 */
#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/types.h>
#include <asm/byteorder.h>

#include "lpm.h"

#define LSDP_LPM_BITS4	32U
#define LSDP_LPM_BITS6	128U

/*
 * A key is the address in host order, most significant bit first, in two
 * 64-bit words; an IPv4 address fills the top half of the first word.  Both
 * families then share one code path, and finding where two keys diverge is a
 * find-last-set of their XOR.
 */
struct lsdp_lpm_key {
	u64 w[2];
};

struct lsdp_lpm_node {
	struct lsdp_lpm_node __rcu *child[2];
	struct lsdp_route __rcu *rt;	/* NULL in a glue node */
	struct lsdp_lpm_key key;	/* bits past plen are zero */
	u8 plen;
	struct rcu_head rcu;
};

static void lsdp_lpm_key_load(struct lsdp_lpm_key *k, bool ipv6,
			      const __be32 *a)
{
	if (ipv6) {
		k->w[0] = (u64)be32_to_cpu(a[0]) << 32 | be32_to_cpu(a[1]);
		k->w[1] = (u64)be32_to_cpu(a[2]) << 32 | be32_to_cpu(a[3]);
	} else {
		k->w[0] = (u64)be32_to_cpu(a[0]) << 32;
		k->w[1] = 0;
	}
}

/* The bits of word @w (0 or 1) that a prefix @plen bits long covers. */
static u64 lsdp_lpm_mask(unsigned int plen, unsigned int w)
{
	if (plen <= 64 * w)
		return 0;
	if (plen >= 64 * (w + 1))
		return ~0ULL;
	return ~0ULL << (64 * (w + 1) - plen);
}

/* How many leading bits @a and @b share: 0..128. */
static unsigned int lsdp_lpm_common(const struct lsdp_lpm_key *a,
				    const struct lsdp_lpm_key *b)
{
	u64 d = a->w[0] ^ b->w[0];

	if (d)
		return 64 - fls64(d);
	return 128 - fls64(a->w[1] ^ b->w[1]);
}

/* Bit @i of @k, counting from the most significant; @i < 128. */
static unsigned int lsdp_lpm_bit(const struct lsdp_lpm_key *k, unsigned int i)
{
	return (k->w[i / 64] >> (63 - i % 64)) & 1;
}

/* Does the address @k lie within @node's prefix? */
static bool lsdp_lpm_match(const struct lsdp_lpm_node *node,
			   const struct lsdp_lpm_key *k)
{
	return lsdp_lpm_common(&node->key, k) >= node->plen;
}

/* Process context, no locks needed: the node is not published yet. */
static struct lsdp_lpm_node *lsdp_lpm_node_new(const struct lsdp_lpm_key *k,
					       unsigned int plen,
					       struct lsdp_route *rt)
{
	struct lsdp_lpm_node *node;

	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return NULL;
	/* Masked here so that a key can be taken straight from an address. */
	node->key.w[0] = k->w[0] & lsdp_lpm_mask(plen, 0);
	node->key.w[1] = k->w[1] & lsdp_lpm_mask(plen, 1);
	node->plen = plen;
	RCU_INIT_POINTER(node->rt, rt);
	return node;
}

/* No locks: reads only its arguments.  Are the bits past @plen all zero? */
bool lsdp_lpm_prefix_clean(bool ipv6, const __be32 *prefix, u8 plen)
{
	struct lsdp_lpm_key k;

	lsdp_lpm_key_load(&k, ipv6, prefix);
	return !(k.w[0] & ~lsdp_lpm_mask(plen, 0)) &&
	       !(k.w[1] & ~lsdp_lpm_mask(plen, 1));
}

/*
 * Called with @lock held.  Adds @rt under @prefix/@plen.  Host bits of
 * @prefix are ignored (masked off).  Returns -EEXIST if a route has exactly
 * that prefix, -EINVAL for a @plen too long, -ENOMEM; on error the trie is
 * unchanged.
 */
int lsdp_lpm_insert(struct lsdp_lpm_node __rcu **root, bool ipv6,
		    const __be32 *prefix, u8 plen, struct lsdp_route *rt,
		    struct mutex *lock)
{
	struct lsdp_lpm_node __rcu **slot = root;
	struct lsdp_lpm_node *node, *leaf, *glue;
	struct lsdp_lpm_key k;
	unsigned int common = 0;

	lockdep_assert_held(lock);
	if (plen > (ipv6 ? LSDP_LPM_BITS6 : LSDP_LPM_BITS4) || !rt)
		return -EINVAL;
	lsdp_lpm_key_load(&k, ipv6, prefix);

	/* Walk down to the slot where our prefix leaves the existing path. */
	for (;;) {
		node = rcu_dereference_protected(*slot, lockdep_is_held(lock));
		if (!node)
			break;
		common = min_t(unsigned int, lsdp_lpm_common(&node->key, &k),
			       min_t(unsigned int, node->plen, plen));
		if (common < node->plen)
			break;
		if (node->plen == plen) {
			/* A glue node at our length: it just gains a route. */
			if (rcu_access_pointer(node->rt))
				return -EEXIST;
			rcu_assign_pointer(node->rt, rt);
			return 0;
		}
		slot = &node->child[lsdp_lpm_bit(&k, node->plen)];
	}

	leaf = lsdp_lpm_node_new(&k, plen, rt);
	if (!leaf)
		return -ENOMEM;
	if (!node) {
		rcu_assign_pointer(*slot, leaf);
		return 0;
	}
	if (common == plen) {
		/* Our prefix covers node's: slot in above it. */
		RCU_INIT_POINTER(leaf->child[lsdp_lpm_bit(&node->key, plen)],
				 node);
		rcu_assign_pointer(*slot, leaf);
		return 0;
	}
	/* The two diverge at bit @common: join them under a glue node. */
	glue = lsdp_lpm_node_new(&k, common, NULL);
	if (!glue) {
		kfree(leaf);
		return -ENOMEM;
	}
	RCU_INIT_POINTER(glue->child[lsdp_lpm_bit(&k, common)], leaf);
	RCU_INIT_POINTER(glue->child[lsdp_lpm_bit(&node->key, common)], node);
	rcu_assign_pointer(*slot, glue);
	return 0;
}

/*
 * Called with @lock held.  The node with exactly @prefix/@plen, with the
 * slot that points at it, its parent (NULL at the root) and the parent's
 * slot; NULL if there is no such node.
 */
static struct lsdp_lpm_node *
lsdp_lpm_find_node(struct lsdp_lpm_node __rcu **root,
		   const struct lsdp_lpm_key *k, unsigned int plen,
		   struct mutex *lock, struct lsdp_lpm_node __rcu ***rslot,
		   struct lsdp_lpm_node **rparent,
		   struct lsdp_lpm_node __rcu ***rpslot)
{
	struct lsdp_lpm_node __rcu **slot = root, **pslot = NULL;
	struct lsdp_lpm_node *node, *parent = NULL;

	lockdep_assert_held(lock);
	for (;;) {
		node = rcu_dereference_protected(*slot, lockdep_is_held(lock));
		if (!node || node->plen > plen || !lsdp_lpm_match(node, k))
			return NULL;
		if (node->plen == plen)
			break;
		pslot = slot;
		parent = node;
		slot = &node->child[lsdp_lpm_bit(k, node->plen)];
	}
	if (rslot)
		*rslot = slot;
	if (rparent)
		*rparent = parent;
	if (rpslot)
		*rpslot = pslot;
	return node;
}

/* Called with @lock held.  The route with exactly @prefix/@plen, or NULL. */
struct lsdp_route *lsdp_lpm_find(struct lsdp_lpm_node __rcu **root,
				 bool ipv6, const __be32 *prefix, u8 plen,
				 struct mutex *lock)
{
	struct lsdp_lpm_node *node;
	struct lsdp_lpm_key k;

	lockdep_assert_held(lock);
	if (plen > (ipv6 ? LSDP_LPM_BITS6 : LSDP_LPM_BITS4))
		return NULL;
	lsdp_lpm_key_load(&k, ipv6, prefix);
	node = lsdp_lpm_find_node(root, &k, plen, lock, NULL, NULL, NULL);
	return node ? rcu_dereference_protected(node->rt,
						lockdep_is_held(lock)) : NULL;
}

/*
 * Called with @lock held.  Unlinks the route with exactly @prefix/@plen and
 * returns it (the caller frees it after a grace period), or returns NULL if
 * there is none.  The node goes too unless it still joins two subtrees, and
 * so does its parent if that was a glue node left with a single child.
 */
struct lsdp_route *lsdp_lpm_remove(struct lsdp_lpm_node __rcu **root,
				   bool ipv6, const __be32 *prefix, u8 plen,
				   struct mutex *lock)
{
	struct lsdp_lpm_node __rcu **slot, **pslot;
	struct lsdp_lpm_node *node, *parent, *child, *c0, *c1;
	struct lsdp_route *rt;
	struct lsdp_lpm_key k;

	lockdep_assert_held(lock);
	if (plen > (ipv6 ? LSDP_LPM_BITS6 : LSDP_LPM_BITS4))
		return NULL;
	lsdp_lpm_key_load(&k, ipv6, prefix);
	node = lsdp_lpm_find_node(root, &k, plen, lock, &slot, &parent, &pslot);
	if (!node)
		return NULL;
	rt = rcu_dereference_protected(node->rt, lockdep_is_held(lock));
	if (!rt)
		return NULL;
	RCU_INIT_POINTER(node->rt, NULL);

	c0 = rcu_dereference_protected(node->child[0], lockdep_is_held(lock));
	c1 = rcu_dereference_protected(node->child[1], lockdep_is_held(lock));
	if (c0 && c1)
		return rt;	/* now a glue node, still needed */

	/*
	 * Splice the node out: its only child (or nothing) takes its place.
	 * A reader already on the node still finds valid children there.
	 */
	child = c0 ? c0 : c1;
	rcu_assign_pointer(*slot, child);
	kfree_rcu(node, rcu);
	if (child || !parent || rcu_access_pointer(parent->rt))
		return rt;

	/*
	 * The node was a leaf and its parent a glue node, which had two
	 * children and now has one: the survivor takes the parent's place.
	 */
	child = rcu_dereference_protected(parent->child[0],
					  lockdep_is_held(lock));
	if (!child)
		child = rcu_dereference_protected(parent->child[1],
						  lockdep_is_held(lock));
	rcu_assign_pointer(*pslot, child);
	kfree_rcu(parent, rcu);
	return rt;
}

/*
 * No readers left and no lock needed (the owner is past its grace period).
 * Frees every node; the routes are the caller's.  Iterative, with no stack:
 * while a node has a left child, rotate that child up; a node without one is
 * freed and its right child is next.
 */
void lsdp_lpm_destroy(struct lsdp_lpm_node __rcu **root)
{
	struct lsdp_lpm_node *node, *next;

	node = rcu_dereference_protected(*root, 1);
	RCU_INIT_POINTER(*root, NULL);
	while (node) {
		next = rcu_dereference_protected(node->child[0], 1);
		if (next) {
			RCU_INIT_POINTER(node->child[0],
					 rcu_dereference_protected(next->child[1],
								   1));
			RCU_INIT_POINTER(next->child[1], node);
		} else {
			next = rcu_dereference_protected(node->child[1], 1);
			kfree(node);
		}
		node = next;
	}
}

/* Called with RCU read lock.  The longest prefix of @bits that holds @k. */
static struct lsdp_route *lsdp_lpm_lookup(const struct lsdp_lpm_node *node,
					  const struct lsdp_lpm_key *k,
					  unsigned int bits)
{
	struct lsdp_route *best = NULL, *rt;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "lsdp: LPM lookup without rcu_read_lock()");
	/*
	 * Below a node that does not match, nothing can: every prefix there
	 * extends the node's.
	 */
	while (node && lsdp_lpm_match(node, k)) {
		rt = rcu_dereference(node->rt);
		if (rt)
			best = rt;
		if (node->plen == bits)
			break;
		node = rcu_dereference(node->child[lsdp_lpm_bit(k, node->plen)]);
	}
	return best;
}

/* Called with RCU read lock. */
struct lsdp_route *lsdp_lpm_lookup4(struct lsdp_lpm_node __rcu *const *root,
				    __be32 addr)
{
	struct lsdp_lpm_key k;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "lsdp: LPM lookup without rcu_read_lock()");
	lsdp_lpm_key_load(&k, false, &addr);
	return lsdp_lpm_lookup(rcu_dereference(*root), &k, LSDP_LPM_BITS4);
}

/* Called with RCU read lock. */
struct lsdp_route *lsdp_lpm_lookup6(struct lsdp_lpm_node __rcu *const *root,
				    const __be32 *addr)
{
	struct lsdp_lpm_key k;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "lsdp: LPM lookup without rcu_read_lock()");
	lsdp_lpm_key_load(&k, true, addr);
	return lsdp_lpm_lookup(rcu_dereference(*root), &k, LSDP_LPM_BITS6);
}

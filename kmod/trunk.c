// SPDX-License-Identifier: GPL-2.0
/*
 * Trunk ports: containers nested in a VM, each on its own VLAN behind the
 * VM's one vNIC, each its own logical port (OVN's parent_name + tag).
 *
 * A child port has no netdev of its own.  It lives where its parent lives:
 * its dev (or chassis) is a copy of the parent's, kept in step here under
 * RTNL and ln->lock whenever the parent's binding changes, so the rest of
 * the datapath treats a child like any other port.  Frames tagged with a
 * child's VID on the parent's netdev enter the child's switch untagged
 * (switch.c); frames for the child leave the parent's netdev with the tag
 * pushed (switch.c).  Across chassis the frame travels untagged with the
 * child's keys, as in OVN, and is tagged on the chassis of the parent.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "lsdp.h"

/* Called with ln->lock held. */
static struct lsdp_trunk *lsdp_trunk_get(const struct lsdp_port *parent)
{
	const struct lsdp_port_ext *ext = lsdp_port_ext(parent);

	lockdep_assert_held(&parent->dp->ln->lock);
	return ext ? rcu_dereference_protected(ext->trunk,
			lockdep_is_held(&parent->dp->ln->lock)) : NULL;
}

/*
 * Called with RCU read lock (packet path).  The child of @parent tagged
 * @tag, or NULL.  Entries are sorted by tag: a binary search keeps the
 * cost at a few compares for the hundreds of children a parent may have.
 */
struct lsdp_port *lsdp_trunk_child_rcu(const struct lsdp_port *parent,
				       u16 tag)
{
	const struct lsdp_port_ext *ext = lsdp_port_ext(parent);
	const struct lsdp_trunk *t;
	unsigned int lo = 0, hi, mid;

	lsdp_assert_rcu();
	t = ext ? rcu_dereference(ext->trunk) : NULL;
	if (!t)
		return NULL;
	hi = t->n;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (t->e[mid].tag == tag)
			return READ_ONCE(t->e[mid].child);
		if (t->e[mid].tag < tag)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Called with ln->lock held.  Does a child of @parent have @tag? */
bool lsdp_trunk_tag_used(const struct lsdp_port *parent, u16 tag)
{
	const struct lsdp_trunk *t = lsdp_trunk_get(parent);
	unsigned int i;

	lockdep_assert_held(&parent->dp->ln->lock);
	for (i = 0; t && i < t->n; i++)
		if (t->e[i].child && t->e[i].tag == tag)
			return true;
	return false;
}

static void lsdp_trunk_follow(struct lsdp_port *child, bool notify);

/*
 * Called with RTNL and ln->lock held.  Adds @child (its cfg->tag set,
 * already published) under @parent and binds it where the parent is
 * bound.  The caller has checked that the tag is free.  On error nothing
 * changed.
 */
int lsdp_trunk_add(struct lsdp_port *parent, struct lsdp_port *child,
		   struct netlink_ext_ack *extack)
{
	const struct lsdp_trunk *old = lsdp_trunk_get(parent);
	u16 tag = lsdp_port_cfg(child)->tag;
	struct lsdp_port_ext *ext;
	unsigned int i, n = 0;
	struct lsdp_trunk *t;
	bool placed = false;

	ASSERT_RTNL();
	lockdep_assert_held(&parent->dp->ln->lock);
	/* The children's table hangs off the parent's extension. */
	ext = lsdp_port_ext_get(parent, GFP_KERNEL);
	if (!ext) {
		NL_SET_ERR_MSG(extack, "no memory for the parent's tag table");
		return -ENOMEM;
	}
	t = kmalloc(struct_size(t, e, (old ? old->n : 0) + 1), GFP_KERNEL);
	if (!t) {
		NL_SET_ERR_MSG(extack, "no memory for the parent's tag table");
		return -ENOMEM;
	}
	/* Copy in order, dropping cleared entries, placing the new one. */
	for (i = 0; old && i < old->n; i++) {
		if (!old->e[i].child)
			continue;
		if (!placed && old->e[i].tag > tag) {
			t->e[n].tag = tag;
			t->e[n++].child = child;
			placed = true;
		}
		t->e[n++] = old->e[i];
	}
	if (!placed) {
		t->e[n].tag = tag;
		t->e[n++].child = child;
	}
	t->n = n;
	rcu_assign_pointer(ext->trunk, t);
	if (old)
		kfree_rcu((struct lsdp_trunk *)old, rcu);
	lsdp_trunk_follow(child, false);
	return 0;
}

/*
 * Called with ln->lock held.  Takes @child out of its parent's table.
 * Never fails: the entry is cleared in place; readers that still found it
 * are inside an RCU section, and the child is freed after one.
 */
void lsdp_trunk_remove(struct lsdp_port *child)
{
	struct lsdp_trunk *t = lsdp_trunk_get(lsdp_port_parent(child));
	unsigned int i;

	lockdep_assert_held(&child->dp->ln->lock);
	for (i = 0; t && i < t->n; i++) {
		if (t->e[i].child == child) {
			WRITE_ONCE(t->e[i].child, NULL);
			return;
		}
	}
	/* Not there: its insertion failed half way. */
}

/*
 * Called with RTNL and ln->lock held.  Gives @child the netdev @dev (NULL:
 * none) without an rx_handler of its own: the parent's receives for it.
 * The parent keeps its own reference on @dev until after a grace period
 * (netdev_rx_handler_unregister), so readers of child->dev never see it
 * freed.
 */
static void lsdp_child_set_dev(struct lsdp_port *child, struct net_device *dev)
{
	struct net_device *old = lsdp_port_dev(child);

	ASSERT_RTNL();
	lockdep_assert_held(&child->dp->ln->lock);
	if (old == dev) {
		if (dev)
			strscpy(child->ifname, dev->name, sizeof(child->ifname));
		return;
	}
	if (old) {
		RCU_INIT_POINTER(child->dev, NULL);
		child->ifname[0] = '\0';
		netdev_put(old, &child->dev_tracker);
	}
	if (dev) {
		netdev_hold(dev, &child->dev_tracker, GFP_KERNEL);
		strscpy(child->ifname, dev->name, sizeof(child->ifname));
		rcu_assign_pointer(child->dev, dev);
	}
}

/*
 * Called with RTNL and ln->lock held.  @child takes its parent's netdev
 * or chassis.  A child that cannot follow to a chassis (no memory for its
 * switch's chassis entry) is left unbound, and says so in its PORT_SET
 * event, rather than pointing somewhere else than its parent.
 */
static void lsdp_trunk_follow(struct lsdp_port *child, bool notify)
{
	struct lsdp_port *parent = lsdp_port_parent(child);
	struct lsdp_chassis *ch = lsdp_port_chassis(parent);
	struct net_device *old_dev = lsdp_port_dev(child);
	bool was, now;

	ASSERT_RTNL();
	lockdep_assert_held(&child->dp->ln->lock);
	was = old_dev || lsdp_port_chassis(child);
	if (ch) {
		/* Chassis first: the child is never bound nowhere on the way. */
		if (lsdp_port_set_chassis(child, ch))
			lsdp_port_set_chassis(child, NULL);
		lsdp_child_set_dev(child, NULL);
	} else {
		lsdp_child_set_dev(child, lsdp_port_dev(parent));
		lsdp_port_set_chassis(child, NULL);
	}
	now = lsdp_port_dev(child) || lsdp_port_chassis(child);
	/* Bound at last: what waited for it goes out now, in order. */
	if (now && !was)
		lsdp_port_hold_release(child, true);
	if (notify && (now || was))
		lsdp_notify_port(child, LSDP_CMD_PORT_SET);
	/* Arrived on this chassis (or on another netdev of it): announce. */
	if (lsdp_port_dev(child) && lsdp_port_dev(child) != old_dev)
		lsdp_announce_start(child);
}

/*
 * Called with RTNL and ln->lock held, after @parent's binding changed:
 * every child follows.
 */
void lsdp_trunk_sync(struct lsdp_port *parent)
{
	struct lsdp_trunk *t = lsdp_trunk_get(parent);
	unsigned int i;

	ASSERT_RTNL();
	lockdep_assert_held(&parent->dp->ln->lock);
	for (i = 0; t && i < t->n; i++)
		if (t->e[i].child)
			lsdp_trunk_follow(t->e[i].child, true);
}

/* Called with RTNL and ln->lock held: a child's own unbinding. */
void lsdp_trunk_child_unbind(struct lsdp_port *child)
{
	ASSERT_RTNL();
	lockdep_assert_held(&child->dp->ln->lock);
	lsdp_child_set_dev(child, NULL);
}

/*
 * Called with RTNL and ln->lock held.  A parent going away takes its
 * children with it (each announced as deleted): a child cannot live
 * without the netdev it is reached through.
 */
void lsdp_trunk_destroy_children(struct lsdp_port *parent)
{
	struct lsdp_trunk *t = lsdp_trunk_get(parent);
	struct lsdp_port *child;
	unsigned int i;

	ASSERT_RTNL();
	lockdep_assert_held(&parent->dp->ln->lock);
	for (i = 0; t && i < t->n; i++) {
		child = t->e[i].child;
		if (!child)
			continue;
		lsdp_notify_port(child, LSDP_CMD_PORT_DEL);
		lsdp_port_destroy(child);	/* clears e[i] */
	}
}

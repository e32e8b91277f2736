// SPDX-License-Identifier: GPL-2.0
/*
 * Chassis: the other hypervisors, by underlay address.  A port bound to a
 * chassis lives there and is reached through a Geneve tunnel; each datapath
 * keeps the set of chassis hosting its ports so that a flood is sent to
 * each of them once.
 */
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "lsdp.h"

static const struct rhashtable_params lsdp_chassis_name_params = {
	.head_offset = offsetof(struct lsdp_chassis, name_node),
	.key_offset = offsetof(struct lsdp_chassis, name),
	.key_len = LSDP_NAME_SIZE,
	.automatic_shrinking = true,
};

/* Called from pernet init. */
int lsdp_chassis_table_init(struct lsdp_net *ln)
{
	INIT_LIST_HEAD(&ln->chassis);
	return rhashtable_init(&ln->chassis_by_name, &lsdp_chassis_name_params);
}

/* Called from pernet exit, once every chassis is gone. */
void lsdp_chassis_table_destroy(struct lsdp_net *ln)
{
	WARN_ON(ln->n_chassis);
	rhashtable_destroy(&ln->chassis_by_name);
}

/* Called with ln->lock held. */
struct lsdp_chassis *lsdp_chassis_find(struct lsdp_net *ln, const char *name)
{
	return lsdp_find_name(ln, &ln->chassis_by_name, name,
			      lsdp_chassis_name_params);
}

/* Called with ln->lock held or under RCU. */
struct lsdp_chassis *lsdp_port_chassis(const struct lsdp_port *port)
{
	return rcu_dereference_check(port->chassis,
				     lockdep_is_held(&port->dp->ln->lock));
}

static bool lsdp_chassis_same_ip(const struct lsdp_chassis *a, bool ipv6,
				 __be32 ip4, const struct in6_addr *ip6)
{
	if (a->ipv6 != ipv6)
		return false;
	return ipv6 ? ipv6_addr_equal(&a->ip6, ip6) : a->ip4 == ip4;
}

/* Called with ln->lock held. */
int lsdp_chassis_create(struct lsdp_net *ln, const char *name, const void *ip,
			int iplen, struct netlink_ext_ack *extack,
			struct lsdp_chassis **out)
{
	struct lsdp_chassis *ch, *other;
	int err;

	lockdep_assert_held(&ln->lock);
	if (lsdp_chassis_find(ln, name)) {
		NL_SET_ERR_MSG(extack, "chassis name already exists");
		return -EEXIST;
	}
	ch = kzalloc(sizeof(*ch), GFP_KERNEL);
	if (!ch)
		return -ENOMEM;
	strscpy_pad(ch->name, name, sizeof(ch->name));
	ch->ipv6 = iplen == sizeof(struct in6_addr);
	if (ch->ipv6)
		memcpy(&ch->ip6, ip, sizeof(ch->ip6));
	else
		memcpy(&ch->ip4, ip, sizeof(ch->ip4));
	list_for_each_entry(other, &ln->chassis, list) {
		if (lsdp_chassis_same_ip(other, ch->ipv6, ch->ip4, &ch->ip6)) {
			NL_SET_ERR_MSG(extack,
				       "chassis address already used by another chassis");
			err = -EEXIST;
			goto err_free;
		}
	}
	err = dst_cache_init(&ch->dst_cache, GFP_KERNEL);
	if (err)
		goto err_free;
	err = rhashtable_insert_fast(&ln->chassis_by_name, &ch->name_node,
				     lsdp_chassis_name_params);
	if (err)
		goto err_destroy_cache;
	ch->serial = ++ln->serial;
	list_add_tail(&ch->list, &ln->chassis);
	ln->n_chassis++;
	lsdp_gen_bump(ln);
	*out = ch;
	return 0;

err_destroy_cache:
	dst_cache_destroy(&ch->dst_cache);
err_free:
	kfree(ch);
	return err;
}

static void lsdp_chassis_free_rcu(struct rcu_head *head)
{
	struct lsdp_chassis *ch = container_of(head, struct lsdp_chassis, rcu);

	dst_cache_destroy(&ch->dst_cache);
	kfree(ch);
}

/* Called with ln->lock held. */
static struct lsdp_dp_chassis *lsdp_dp_chassis_find(struct lsdp_dp *dp,
						    struct lsdp_chassis *ch)
{
	struct lsdp_dp_chassis *dc;

	list_for_each_entry(dc, &dp->chassis, node)
		if (dc->chassis == ch)
			return dc;
	return NULL;
}

/*
 * Called with ln->lock held.  The make half of moving @port to chassis @ch
 * (NULL: none): the only thing that can fail is the allocation of the
 * datapath's entry for @ch when it is the first port of the datapath
 * there, so it is done here, into *@spare (NULL when not needed), for
 * lsdp_port_chassis_commit() to use or free.
 */
int lsdp_port_chassis_prepare(struct lsdp_port *port, struct lsdp_chassis *ch,
			      struct lsdp_dp_chassis **spare)
{
	lockdep_assert_held(&port->dp->ln->lock);
	*spare = NULL;
	if (!ch || lsdp_port_chassis(port) == ch ||
	    lsdp_dp_chassis_find(port->dp, ch))
		return 0;
	*spare = kzalloc(sizeof(**spare), GFP_KERNEL);
	return *spare ? 0 : -ENOMEM;
}

/*
 * Called with ln->lock held, after lsdp_port_chassis_prepare() for the
 * same @port and @ch with nothing changed in between: moves the port's
 * remote binding to @ch, keeping the datapath's chassis set and the counts
 * right.  Consumes @spare.  Cannot fail.
 */
void lsdp_port_chassis_commit(struct lsdp_port *port, struct lsdp_chassis *ch,
			      struct lsdp_dp_chassis *spare)
{
	struct lsdp_chassis *old = lsdp_port_chassis(port);
	struct lsdp_dp *dp = port->dp;
	struct lsdp_dp_chassis *dc;

	lockdep_assert_held(&dp->ln->lock);
	if (old == ch) {
		kfree(spare);
		return;
	}
	if (ch) {
		dc = lsdp_dp_chassis_find(dp, ch);
		if (!dc) {
			dc = spare;
			spare = NULL;
			dc->chassis = ch;
			list_add_tail_rcu(&dc->node, &dp->chassis);
		}
		dc->n_ports++;
		ch->n_ports++;
	}
	kfree(spare);
	if (old) {
		dc = lsdp_dp_chassis_find(dp, old);
		if (!WARN_ON(!dc) && !--dc->n_ports) {
			list_del_rcu(&dc->node);
			kfree_rcu(dc, rcu);
		}
		old->n_ports--;
	}
	rcu_assign_pointer(port->chassis, ch);
	/* A trunk parent's children live where it lives. */
	lsdp_trunk_sync(port);
}

/*
 * Called with RTNL and ln->lock held (a trunk parent's children follow
 * it).  Moves the port's remote binding to @ch (NULL: none); on error
 * (no memory) the port is as it was.  Clearing it never fails.
 */
int lsdp_port_set_chassis(struct lsdp_port *port, struct lsdp_chassis *ch)
{
	struct lsdp_dp_chassis *spare;
	int err;

	err = lsdp_port_chassis_prepare(port, ch, &spare);
	if (err)
		return err;
	lsdp_port_chassis_commit(port, ch, spare);
	return 0;
}

/*
 * Called with RTNL and ln->lock held (a trunk parent's children follow
 * it).  Ports bound to the chassis stay defined, bound nowhere (as when a
 * local netdev disappears).
 */
void lsdp_chassis_destroy(struct lsdp_net *ln, struct lsdp_chassis *ch)
{
	struct lsdp_port *port;
	struct lsdp_dp *dp;

	ASSERT_RTNL();
	lockdep_assert_held(&ln->lock);
	list_for_each_entry(dp, &ln->dps, list) {
		list_for_each_entry(port, &dp->ports, dp_node) {
			if (lsdp_port_chassis(port) != ch)
				continue;
			lsdp_port_set_chassis(port, NULL);
			lsdp_notify_port(port, LSDP_CMD_PORT_SET);
		}
	}
	WARN_ON(ch->n_ports);
	rhashtable_remove_fast(&ln->chassis_by_name, &ch->name_node,
			       lsdp_chassis_name_params);
	list_del(&ch->list);
	ln->n_chassis--;
	lsdp_gen_bump(ln);
	call_rcu(&ch->rcu, lsdp_chassis_free_rcu);
}

/* Called with ln->lock held, after every datapath is gone. */
void lsdp_chassis_destroy_all(struct lsdp_net *ln)
{
	struct lsdp_chassis *ch, *next;

	lockdep_assert_held(&ln->lock);
	list_for_each_entry_safe(ch, next, &ln->chassis, list)
		lsdp_chassis_destroy(ln, ch);
}

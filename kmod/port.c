// SPDX-License-Identifier: GPL-2.0
/*
 * Logical ports: creation, configuration, binding to a local netdev through
 * an rx_handler, and the netdev notifier that unbinds a port whose netdev
 * goes away (the port stays defined, unbound).
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/inetdevice.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "lsdp.h"

/* Called with ln->lock (or RTNL while the port is bound) held. */
struct net_device *lsdp_port_dev(const struct lsdp_port *port)
{
	return rcu_dereference_protected(port->dev,
					 lockdep_is_held(&port->dp->ln->lock) ||
					 lockdep_rtnl_is_held());
}

/* Called with ln->lock held. */
const struct lsdp_port_cfg *lsdp_port_cfg(const struct lsdp_port *port)
{
	lockdep_assert_held(&port->dp->ln->lock);
	return rcu_dereference_protected(port->cfg,
					 lockdep_is_held(&port->dp->ln->lock));
}

/*
 * Ports come from one slab cache per name size: the name is most of a
 * small port (a remote port is a MAC entry, and there are many), and
 * names are mostly short (OVN's: UUIDs, 36 characters).  Sizes keep the
 * objects 8-byte multiples.
 */
static const u8 lsdp_port_name_sizes[] = { 16, 40, LSDP_NAME_SIZE };
static const char * const lsdp_port_cache_names[] = {
	"lsdp_port", "lsdp_port_n40", "lsdp_port_n64",
};

static struct kmem_cache *lsdp_port_caches[ARRAY_SIZE(lsdp_port_name_sizes)];

/* Module init. */
int lsdp_port_caches_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lsdp_port_caches); i++) {
		lsdp_port_caches[i] =
			kmem_cache_create(lsdp_port_cache_names[i],
					  sizeof(struct lsdp_port) +
					  lsdp_port_name_sizes[i],
					  __alignof__(struct lsdp_port), 0, NULL);
		if (!lsdp_port_caches[i]) {
			lsdp_port_caches_destroy();
			return -ENOMEM;
		}
	}
	return 0;
}

/* Module exit, after every port's grace period (rcu_barrier()). */
void lsdp_port_caches_destroy(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lsdp_port_caches); i++) {
		kmem_cache_destroy(lsdp_port_caches[i]);
		lsdp_port_caches[i] = NULL;
	}
}

/* Process context, no locks: the port is not published yet. */
struct lsdp_port *lsdp_port_alloc(const char *name, u32 key, u8 type)
{
	size_t len = strnlen(name, LSDP_NAME_SIZE - 1);
	struct lsdp_port *port;
	u8 c = 0;

	while (len >= lsdp_port_name_sizes[c])
		c++;
	port = kmem_cache_zalloc(lsdp_port_caches[c], GFP_KERNEL);
	if (!port)
		return NULL;
	port->name_class = c;
	/* Counters come with the port's first packet: see stats.c. */
	lsdp_counters_init(&port->stats, false);
	strscpy(port->name, name, lsdp_port_name_sizes[c]);
	port->key = key;
	port->type = type;
	INIT_LIST_HEAD(&port->dp_node);
	return port;
}

/* Frees a port that was never published, or after its grace period. */
void lsdp_port_free(struct lsdp_port *port)
{
	lsdp_counters_free(&port->stats);
	if (port->ext)
		kfree(port->ext->virt);
	kfree(port->ext);
	kmem_cache_free(lsdp_port_caches[port->name_class], port);
}

/*
 * @port's rare fields, made if needed (NULL without memory).  Callers set
 * them under different locks (ln->lock, hold_lock in the packet path), so
 * the extension is published with cmpxchg(), whose full barrier pairs
 * with lsdp_port_ext()'s acquire; once published it is never replaced.
 * Any context; @gfp says what the caller may wait for.
 */
struct lsdp_port_ext *lsdp_port_ext_get(struct lsdp_port *port, gfp_t gfp)
{
	struct lsdp_port_ext *ext = lsdp_port_ext(port);

	if (ext)
		return ext;
	ext = kzalloc(sizeof(*ext), gfp);
	if (!ext)
		return NULL;
	ext->port = port;
	if (cmpxchg(&port->ext, NULL, ext)) {
		/* Another writer was first: use theirs. */
		kfree(ext);
		ext = lsdp_port_ext(port);
	}
	return ext;
}

static void lsdp_port_free_rcu(struct rcu_head *head)
{
	struct lsdp_port *port = container_of(head, struct lsdp_port, rcu);
	struct lsdp_port_ext *ext = lsdp_port_ext(port);

	kfree(rcu_dereference_raw(port->cfg));
	if (ext)
		kfree(rcu_dereference_raw(ext->trunk));
	lsdp_port_tun_md_release(port);
	lsdp_ct_port_free(port);
	lsdp_port_free(port);
}

/* Process context; may sleep. */
static struct lsdp_l2_entry *lsdp_l2_alloc(struct lsdp_port *port,
					   const u8 *mac)
{
	struct lsdp_l2_entry *e;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return NULL;
	ether_addr_copy(e->mac, mac);
	e->port = port;
	return e;
}

/* Called with ln->lock held; may sleep (a mutex: see DOC: Locking). */
static void lsdp_l2_remove(struct lsdp_dp *dp, struct lsdp_l2_entry *e)
{
	lockdep_assert_held(&dp->ln->lock);
	might_sleep();
	rhashtable_remove_fast(&dp->l2, &e->node, lsdp_l2_params);
	kfree_rcu_mightsleep(e);
}

/*
 * Called with ln->lock held.  @port's entry in its switch's L2 table, found
 * by the MAC of @cfg, the port's configuration (current, or the one being
 * replaced): a port has an entry exactly when its configuration has a MAC,
 * so the port keeps no pointer to it (8 bytes of every port).
 */
static struct lsdp_l2_entry *lsdp_port_l2(const struct lsdp_port *port,
					  const struct lsdp_port_cfg *cfg)
{
	struct lsdp_l2_entry *e;

	lockdep_assert_held(&port->dp->ln->lock);
	if (!cfg || !cfg->has_mac)
		return NULL;
	e = rhashtable_lookup_fast(&port->dp->l2, cfg->mac, lsdp_l2_params);
	return e && e->port == port ? e : NULL;
}

/* Called with ln->lock held: is @mac taken by a port other than @self? */
static bool lsdp_l2_taken(struct lsdp_dp *dp, const u8 *mac,
			  const struct lsdp_port *self)
{
	struct lsdp_l2_entry *e;

	e = rhashtable_lookup_fast(&dp->l2, mac, lsdp_l2_params);
	return e && e->port != self;
}

/* Does @cfg put its addresses in its switch's address index? */
static bool lsdp_cfg_indexed(const struct lsdp_port_cfg *cfg)
{
	return cfg && !cfg->nets && cfg->has_mac;
}

/* Address @i of indexed @cfg, IPv4 first (as v4-mapped). */
static void lsdp_cfg_addr(const struct lsdp_port_cfg *cfg, unsigned int i,
			  struct in6_addr *addr)
{
	if (i < cfg->n_ip4)
		ipv6_addr_set_v4mapped(lsdp_cfg_ip4(cfg)[i], addr);
	else
		*addr = cfg->addrs[i - cfg->n_ip4];
}

/* Does @cfg (if any) index @addr? */
static bool lsdp_cfg_has_addr(const struct lsdp_port_cfg *cfg,
			      const struct in6_addr *addr)
{
	struct in6_addr a;
	unsigned int i;

	if (!lsdp_cfg_indexed(cfg))
		return false;
	for (i = 0; i < cfg->n_ip4 + cfg->n_ip6; i++) {
		lsdp_cfg_addr(cfg, i, &a);
		if (ipv6_addr_equal(&a, addr))
			return true;
	}
	return false;
}

/*
 * Called with ln->lock held.  Forgets the addresses @cfg gave @port in its
 * switch's address index, but those @keep (the configuration replacing
 * @cfg, or NULL) has too.
 */
static void lsdp_port_ips_del(struct lsdp_port *port,
			      const struct lsdp_port_cfg *cfg,
			      const struct lsdp_port_cfg *keep)
{
	struct lsdp_ip_entry *e;
	struct in6_addr addr;
	unsigned int i;

	lockdep_assert_held(&port->dp->ln->lock);
	if (!lsdp_cfg_indexed(cfg) || port->type == LSDP_PORT_TYPE_VIRTUAL)
		return;
	for (i = 0; i < cfg->n_ip4 + cfg->n_ip6; i++) {
		lsdp_cfg_addr(cfg, i, &addr);
		if (lsdp_cfg_has_addr(keep, &addr))
			continue;
		e = rhashtable_lookup_fast(&port->dp->ips, &addr,
					   lsdp_ip_params);
		if (!e || e->port != port)
			continue;
		rhashtable_remove_fast(&port->dp->ips, &e->node,
				       lsdp_ip_params);
		kfree_rcu_mightsleep(e);
	}
}

/*
 * Called with ln->lock held.  Indexes the addresses of a switch port with
 * a MAC, so that routers resolve them as OVN does from port addresses,
 * without asking (not a virtual port's: as in OVN, a router asks for a
 * VIP and the parent holding it answers).  An address another port
 * already has stays that port's;
 * one the port has through @old (its current configuration, or NULL)
 * stays as it is.  On error nothing of @cfg is indexed that was not
 * before.
 */
static int lsdp_port_ips_add(struct lsdp_port *port,
			     const struct lsdp_port_cfg *cfg,
			     const struct lsdp_port_cfg *old)
{
	struct lsdp_ip_entry *e;
	unsigned int i;
	int err;

	lockdep_assert_held(&port->dp->ln->lock);
	if (!lsdp_cfg_indexed(cfg) || port->type == LSDP_PORT_TYPE_VIRTUAL)
		return 0;
	for (i = 0; i < cfg->n_ip4 + cfg->n_ip6; i++) {
		e = kzalloc(sizeof(*e), GFP_KERNEL);
		if (!e) {
			err = -ENOMEM;
			goto err_undo;
		}
		lsdp_cfg_addr(cfg, i, &e->addr);
		e->port = port;
		err = rhashtable_lookup_insert_fast(&port->dp->ips, &e->node,
						    lsdp_ip_params);
		if (err) {
			kfree(e);
			if (err == -EEXIST)
				continue;
			goto err_undo;
		}
	}
	return 0;

err_undo:
	lsdp_port_ips_del(port, cfg, old);
	return err;
}

/* Called with RCU read lock.  The port of switch @dp configured with @addr. */
struct lsdp_port *lsdp_switch_ip_port(struct lsdp_dp *dp,
				      const struct in6_addr *addr)
{
	struct lsdp_ip_entry *e;

	lsdp_assert_rcu();
	e = rhashtable_lookup(&dp->ips, addr, lsdp_ip_params);
	return e ? e->port : NULL;
}

/*
 * Called with ln->lock held.  Publishes @port in @dp with @cfg, which the
 * port owns from here on.  On error nothing is published and both are
 * freed: at once if no reader could have seen the port, after a grace
 * period otherwise (call_rcu, so that no writer waits for one).
 */
int lsdp_port_insert(struct lsdp_dp *dp, struct lsdp_port *port,
		     struct lsdp_port_cfg *cfg, struct netlink_ext_ack *extack)
{
	struct lsdp_net *ln = dp->ln;
	struct lsdp_l2_entry *l2 = NULL;
	int err;

	lockdep_assert_held(&ln->lock);
	RCU_INIT_POINTER(port->cfg, cfg);
	err = -EEXIST;
	if (lsdp_port_find_name(ln, port->name)) {
		NL_SET_ERR_MSG(extack, "port name already exists");
		goto err_free;
	}
	if (lsdp_port_find_key(dp, port->key)) {
		NL_SET_ERR_MSG(extack, "port key already exists in this datapath");
		goto err_free;
	}
	if (port->type == LSDP_PORT_TYPE_LOCALNET &&
	    rcu_access_pointer(dp->localnet)) {
		NL_SET_ERR_MSG(extack, "this switch already has a localnet port");
		goto err_free;
	}
	if (cfg->has_mac) {
		if (lsdp_l2_taken(dp, cfg->mac, NULL)) {
			NL_SET_ERR_MSG(extack,
				       "MAC address already used by another port of this switch");
			goto err_free;
		}
		err = -ENOMEM;
		l2 = lsdp_l2_alloc(port, cfg->mac);
		if (!l2)
			goto err_free;
	}
	/* The unknown list links the extension. */
	if (cfg->unknown && !lsdp_port_ext_get(port, GFP_KERNEL)) {
		err = -ENOMEM;
		goto err_free_l2;
	}

	port->dp = dp;
	/* The name index is the writers' alone: no reader sees it. */
	err = lsdp_port_name_insert(ln, port);
	if (err)
		goto err_free_l2;
	err = rhashtable_insert_fast(&dp->ports_by_key, &port->key_node,
				     lsdp_port_key_params);
	if (err)
		goto err_remove_name;
	/* From here the packet path may find the port (tunnel receive). */
	if (l2) {
		err = rhashtable_insert_fast(&dp->l2, &l2->node, lsdp_l2_params);
		if (err) {
			kfree(l2);
			goto err_unpublish;
		}
	}
	err = lsdp_port_ips_add(port, cfg, NULL);
	if (err)
		goto err_unpublish;
	port->serial = ++ln->serial;
	list_add_tail_rcu(&port->dp_node, &dp->ports);
	if (port->type == LSDP_PORT_TYPE_LOCALNET)
		rcu_assign_pointer(dp->localnet, port);
	if (cfg->unknown) {
		list_add_tail_rcu(&lsdp_port_ext(port)->unknown_node,
				  &dp->unknown_ports);
		port->in_unknown = true;
	}
	dp->n_ports++;
	ln->n_ports++;
	lsdp_gen_bump(ln);
	lsdp_acl_port_added(port);
	return 0;

err_unpublish:
	/*
	 * The packet path may have found the port by key or its L2 entry:
	 * both are freed after a grace period, without waiting for it here.
	 */
	l2 = lsdp_port_l2(port, cfg);
	if (l2)
		lsdp_l2_remove(dp, l2);
	rhashtable_remove_fast(&dp->ports_by_key, &port->key_node,
			       lsdp_port_key_params);
	lsdp_port_name_remove(ln, port);
	call_rcu(&port->rcu, lsdp_port_free_rcu);
	return err;

err_remove_name:
	lsdp_port_name_remove(ln, port);
err_free_l2:
	kfree(l2);
err_free:
	RCU_INIT_POINTER(port->cfg, NULL);
	kfree(cfg);
	lsdp_port_free(port);
	return err;
}

/*
 * Called with ln->lock held.  Replaces the port's configuration with @cfg
 * (which the port then owns).  Make before break: the new configuration's
 * index entries are added next to the old ones first, and only when all
 * are in are the old ones removed, so on error nothing changed and the
 * caller still owns @cfg.  No grace period is waited for.
 */
int lsdp_port_set_cfg(struct lsdp_port *port, struct lsdp_port_cfg *cfg,
		      struct netlink_ext_ack *extack)
{
	const struct lsdp_port_cfg *old = lsdp_port_cfg(port);
	struct lsdp_dp *dp = port->dp;
	struct lsdp_l2_entry *l2 = NULL;
	bool mac_changed;
	int err;

	lockdep_assert_held(&dp->ln->lock);
	/* The unknown list links the extension: have it before changing. */
	if (cfg->unknown && !port->in_unknown &&
	    !lsdp_port_ext_get(port, GFP_KERNEL))
		return -ENOMEM;
	mac_changed = cfg->has_mac != old->has_mac ||
		      (cfg->has_mac && !ether_addr_equal(cfg->mac, old->mac));
	if (mac_changed && cfg->has_mac) {
		if (lsdp_l2_taken(dp, cfg->mac, port)) {
			NL_SET_ERR_MSG(extack,
				       "MAC address already used by another port of this switch");
			return -EEXIST;
		}
		l2 = lsdp_l2_alloc(port, cfg->mac);
		if (!l2)
			return -ENOMEM;
	}
	/* Make: what can fail adds to what is there and undoes itself. */
	err = lsdp_port_ips_add(port, cfg, old);
	if (err)
		goto err_free_l2;
	if (l2) {
		/* The old entry holds the old MAC: no clash here. */
		err = rhashtable_insert_fast(&dp->l2, &l2->node, lsdp_l2_params);
		if (err) {
			lsdp_port_ips_del(port, cfg, old);
			goto err_free_l2;
		}
	}

	/* Break: nothing below fails. */
	lsdp_port_ips_del(port, old, cfg);
	if (mac_changed) {
		/* The old MAC finds the old entry (the new one has the new). */
		l2 = lsdp_port_l2(port, old);
		if (l2)
			lsdp_l2_remove(dp, l2);
	}
	/*
	 * A port joins dp->unknown_ports the first time it takes unknown
	 * addresses and stays there until it is deleted; the flood reads
	 * its configuration to skip it while it does not.  Unlinking and
	 * relinking the node instead would need a grace period in between
	 * (a reader may still stand on it), here under RTNL.
	 */
	if (cfg->unknown && !port->in_unknown) {
		list_add_tail_rcu(&lsdp_port_ext(port)->unknown_node,
				  &dp->unknown_ports);
		port->in_unknown = true;
	}
	rcu_assign_pointer(port->cfg, cfg);
	kfree_rcu_mightsleep((struct lsdp_port_cfg *)old);
	return 0;

err_free_l2:
	kfree(l2);
	return err;
}

/*
 * Called with RTNL held.  Says who owns @dev when it cannot be bound, in
 * words an operator can act on.
 */
int lsdp_port_check_dev(struct lsdp_port *port, struct net_device *dev,
			struct netlink_ext_ack *extack)
{
	if (dev->flags & IFF_LOOPBACK) {
		NL_SET_ERR_MSG(extack, "cannot bind the loopback device");
		return -EINVAL;
	}
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG(extack, "device is not an Ethernet device");
		return -EINVAL;
	}
	if (rtnl_dereference(dev->rx_handler) == lsdp_handle_frame) {
		if (rtnl_dereference(dev->rx_handler_data) == port)
			return 0;
		NL_SET_ERR_MSG(extack, "device is bound to another lsdp port");
		return -EBUSY;
	}
	if (netif_is_bridge_port(dev)) {
		NL_SET_ERR_MSG(extack, "device is a bridge port");
		return -EBUSY;
	}
	if (netif_is_ovs_port(dev)) {
		NL_SET_ERR_MSG(extack, "device is an Open vSwitch port");
		return -EBUSY;
	}
	if (netif_is_bond_slave(dev) || netif_is_team_port(dev)) {
		NL_SET_ERR_MSG(extack, "device is enslaved to a bond or team");
		return -EBUSY;
	}
	if (netdev_is_rx_handler_busy(dev)) {
		NL_SET_ERR_MSG(extack,
			       "device already has a receive handler (macvlan, ipvlan or similar)");
		return -EBUSY;
	}
	return 0;
}

/*
 * Called with RTNL and ln->lock held.  The make half of binding @port to
 * @dev (not its current netdev): @dev hands its frames to lsdp from here
 * on, but the port is unchanged.  Follow it with lsdp_port_bind_commit(),
 * which cannot fail, or lsdp_port_bind_abort().
 */
int lsdp_port_bind_prepare(struct lsdp_port *port, struct net_device *dev,
			   struct netlink_ext_ack *extack)
{
	int err;

	ASSERT_RTNL();
	lockdep_assert_held(&port->dp->ln->lock);
	err = lsdp_port_check_dev(port, dev, extack);
	if (err)
		return err;
	/* Frames for the VMs' MACs must reach us, as on a bridge port. */
	err = dev_set_promiscuity(dev, 1);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot set the device promiscuous");
		return err;
	}
	err = netdev_rx_handler_register(dev, lsdp_handle_frame, port);
	if (err) {
		dev_set_promiscuity(dev, -1);
		NL_SET_ERR_MSG(extack, "device already has a receive handler");
		return err;
	}
	/* LRO merges frames that then cannot be forwarded as they were. */
	dev_disable_lro(dev);
	return 0;
}

/* Called with RTNL held.  Undoes lsdp_port_bind_prepare() on @dev. */
void lsdp_port_bind_abort(struct net_device *dev)
{
	ASSERT_RTNL();
	netdev_rx_handler_unregister(dev);
	dev_set_promiscuity(dev, -1);
}

/*
 * Called with RTNL and ln->lock held, after lsdp_port_bind_prepare(): the
 * break half.  The port leaves its previous netdev (if any) for @dev.
 */
void lsdp_port_bind_commit(struct lsdp_port *port, struct net_device *dev)
{
	ASSERT_RTNL();
	lockdep_assert_held(&port->dp->ln->lock);
	lsdp_port_unbind(port);
	netdev_hold(dev, &port->dev_tracker, GFP_KERNEL);
	strscpy(port->ifname, dev->name, sizeof(port->ifname));
	rcu_assign_pointer(port->dev, dev);
	lsdp_trunk_sync(port);
	/* A localnet port up, or a VM arrived here: tell the provider network. */
	lsdp_announce_start(port);
}

/*
 * Called with RTNL and ln->lock held.  Binds the port to @dev, moving it off
 * its previous netdev if any.  The new binding is made before the old one
 * is undone, so a failure leaves the port exactly as it was.
 */
int lsdp_port_bind(struct lsdp_port *port, struct net_device *dev,
		   struct netlink_ext_ack *extack)
{
	int err;

	if (lsdp_port_dev(port) == dev)
		return 0;
	err = lsdp_port_bind_prepare(port, dev, extack);
	if (err)
		return err;
	lsdp_port_bind_commit(port, dev);
	return 0;
}

/*
 * Called with RTNL and ln->lock held.  After it returns no packet path
 * still uses the old netdev through this port (the rx_handler unregister
 * waits for a grace period, and port->dev was cleared before it).
 */
void lsdp_port_unbind(struct lsdp_port *port)
{
	struct net_device *dev = lsdp_port_dev(port);

	ASSERT_RTNL();
	lockdep_assert_held(&port->dp->ln->lock);
	if (lsdp_port_parent(port)) {
		/* Only the parent's binding carries an rx_handler. */
		lsdp_trunk_child_unbind(port);
		return;
	}
	if (!dev)
		return;
	RCU_INIT_POINTER(port->dev, NULL);
	port->ifname[0] = '\0';
	/* Children first: the grace period below covers their readers too. */
	lsdp_trunk_sync(port);
	netdev_rx_handler_unregister(dev);
	dev_set_promiscuity(dev, -1);
	netdev_put(dev, &port->dev_tracker);
}

/*
 * Called with ln->lock held.  A router port's networks become connected
 * routes.  On error some may be in; lsdp_port_destroy() removes them.
 */
int lsdp_port_add_connected(struct lsdp_port *port,
			    struct netlink_ext_ack *extack)
{
	const struct lsdp_port_cfg *cfg = lsdp_port_cfg(port);
	const __be32 *ip4 = lsdp_cfg_ip4(cfg);
	struct lsdp_route *rt;
	unsigned int i;
	int err;

	lockdep_assert_held(&port->dp->ln->lock);
	for (i = 0; i < cfg->n_ip4 + cfg->n_ip6; i++) {
		rt = kzalloc(sizeof(*rt), GFP_KERNEL);
		if (!rt)
			return -ENOMEM;
		rt->port = port;
		rt->connected = true;
		if (i < cfg->n_ip4) {
			rt->plen = lsdp_cfg_plen4(cfg)[i];
			rt->prefix.ip4 = ip4[i] & inet_make_mask(rt->plen);
		} else {
			rt->ipv6 = true;
			rt->plen = lsdp_cfg_plen6(cfg)[i - cfg->n_ip4];
			ipv6_addr_prefix(&rt->prefix.ip6,
					 &cfg->addrs[i - cfg->n_ip4], rt->plen);
		}
		err = lsdp_route_insert(port->dp, rt, extack);
		if (err) {
			kfree(rt);
			return err;
		}
	}
	return 0;
}

/*
 * Called with RTNL and ln->lock held.  Unbinds and unpublishes the port;
 * it is freed after a grace period.
 */
void lsdp_port_destroy(struct lsdp_port *port)
{
	struct lsdp_dp *dp = port->dp;
	struct lsdp_net *ln = dp->ln;
	struct lsdp_l2_entry *l2;
	struct lsdp_port *peer;

	ASSERT_RTNL();
	lockdep_assert_held(&port->dp->ln->lock);
	/* Nothing may look this port up from here: children, then itself. */
	lsdp_trunk_destroy_children(port);
	if (lsdp_port_parent(port))
		lsdp_trunk_remove(port);
	if (rcu_access_pointer(dp->localnet) == port)
		RCU_INIT_POINTER(dp->localnet, NULL);
	lsdp_announce_stop(port);
	lsdp_nat_port_gone(port);
	if (port->type == LSDP_PORT_TYPE_VIRTUAL)
		lsdp_virt_detach(port);
	else if (port->type == LSDP_PORT_TYPE_VIF)
		lsdp_virt_parent_gone(port);
	lsdp_port_unbind(port);
	lsdp_port_set_chassis(port, NULL);
	peer = lsdp_port_peer(port);
	if (peer) {
		/* The other side stays, joined to nothing. */
		RCU_INIT_POINTER(lsdp_port_ext(peer)->peer, NULL);
		RCU_INIT_POINTER(lsdp_port_ext(port)->peer, NULL);
		lsdp_notify_port(peer, LSDP_CMD_PORT_SET);
	}
	/*
	 * From here the packet path may still see the port for a grace
	 * period, but it may no longer leave anything waiting on it.
	 */
	spin_lock_bh(&ln->hold_lock);
	port->dying = true;
	spin_unlock_bh(&ln->hold_lock);
	if (port->type == LSDP_PORT_TYPE_ROUTER_PORT) {
		lsdp_routes_remove_port(dp, port);
		lsdp_neigh_flush_port(port);
	}
	lsdp_port_hold_release(port, false);
	list_del_rcu(&port->dp_node);
	if (port->in_unknown)
		list_del_rcu(&lsdp_port_ext(port)->unknown_node);
	l2 = lsdp_port_l2(port, lsdp_port_cfg(port));
	if (l2)
		lsdp_l2_remove(dp, l2);
	lsdp_port_ips_del(port, lsdp_port_cfg(port), NULL);
	rhashtable_remove_fast(&dp->ports_by_key, &port->key_node,
			       lsdp_port_key_params);
	lsdp_port_name_remove(ln, port);
	dp->n_ports--;
	ln->n_ports--;
	lsdp_gen_bump(ln);
	lsdp_acl_port_removed(port);
	call_rcu(&port->rcu, lsdp_port_free_rcu);
}

/*
 * Netdev events for devices bound to a port.  Called with RTNL held; takes
 * the owning instance's lock.  A port is only reachable here while it is
 * bound, and unbinding needs RTNL, so the port cannot go away under us.
 */
static int lsdp_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct lsdp_port *port;
	struct lsdp_net *ln;

	ASSERT_RTNL();
	if (rtnl_dereference(dev->rx_handler) == lsdp_handle_tunnel) {
		/* Our tunnel endpoint's netdev is going away. */
		if (event != NETDEV_UNREGISTER)
			return NOTIFY_DONE;
		ln = rtnl_dereference(dev->rx_handler_data);
		mutex_lock(&ln->lock);
		lsdp_encap_dev_gone(ln);
		mutex_unlock(&ln->lock);
		return NOTIFY_DONE;
	}
	if (rtnl_dereference(dev->rx_handler) != lsdp_handle_frame)
		return NOTIFY_DONE;
	port = rtnl_dereference(dev->rx_handler_data);
	ln = port->dp->ln;

	switch (event) {
	case NETDEV_UNREGISTER:
		/* Deleted, or moving to another netns: the port stays. */
		mutex_lock(&ln->lock);
		lsdp_port_unbind(port);
		lsdp_notify_port(port, LSDP_CMD_PORT_SET);
		mutex_unlock(&ln->lock);
		break;
	case NETDEV_CHANGENAME:
		/* The binding is to the device, not its name; show the new one. */
		mutex_lock(&ln->lock);
		strscpy(port->ifname, dev->name, sizeof(port->ifname));
		lsdp_notify_port(port, LSDP_CMD_PORT_SET);
		lsdp_trunk_sync(port);
		mutex_unlock(&ln->lock);
		break;
	case NETDEV_UP:
		/* Announcements sent while the device was down were lost. */
		mutex_lock(&ln->lock);
		lsdp_announce_start(port);
		mutex_unlock(&ln->lock);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block lsdp_netdev_notifier = {
	.notifier_call = lsdp_netdev_event,
};

int lsdp_notifier_init(void)
{
	return register_netdevice_notifier(&lsdp_netdev_notifier);
}

void lsdp_notifier_exit(void)
{
	unregister_netdevice_notifier(&lsdp_netdev_notifier);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Gratuitous ARP and unsolicited Neighbour Advertisements on provider
 * networks.
 *
 * The switches of a provider network learn where a MAC lives from the
 * frames it sends.  A router port that just became reachable through a
 * localnet port, or a VM whose port just moved to this chassis (seed 003's
 * failover), may not send anything for a while, and until it does the
 * physical switches deliver its traffic to the old place.  So, as
 * ovn-controller does, we announce: a gratuitous ARP request for each IPv4
 * address and an unsolicited NA (override set) for each IPv6 address, out
 * of the switch's localnet port only (never through tunnels: other
 * chassis' switch ports learn nothing from them).
 *
 * A series is five rounds: at once, then after 1, 2, 4 and 8 seconds (the
 * gap doubling towards OVN's 16 s cap).  It starts when a localnet port is
 * bound or its netdev comes up (everything behind it: router ports and
 * the VIFs bound here), when a router port is joined to a switch that has
 * one, and when a VIF (or trunk child) is bound here on such a switch.
 * `lsdp port announce NAME` sends one round now.
 *
 * A router port also announces its router's NAT addresses on its
 * networks, as ovn-controller does for a port with nat-addresses=router:
 * a centralized rule's external address with the port's MAC, a
 * distributed rule's with its external MAC, from the chassis where the
 * rule's logical port is bound (and only there: lsdp answers ARP for it
 * only there too).  A series of the router port starts when a rule is
 * added (nat.c) and when a distributed rule's logical port is bound here,
 * so the provider network follows a floating IP to its VM's new chassis.
 *
 * Each announcing port has a struct lsdp_announce, allocated the first
 * time and freed with the port.  Its delayed work runs in process context
 * and takes no lsdp lock: it reads the ports under RCU, so port deletion
 * (under RTNL and ln->lock) can cancel it synchronously.  @lock protects
 * the series state between the work and lsdp_announce_start().
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/ip6_checksum.h>
#include <net/ndisc.h>

#include "lsdp.h"

#define LSDP_ANNOUNCE_ROUNDS	5

struct lsdp_announce {
	struct delayed_work work;
	struct lsdp_port *port;
	spinlock_t lock;		/* @left and @gap */
	unsigned int left;		/* rounds still to send in this series */
	unsigned int gap;		/* seconds before the next round */
	atomic_t sent;			/* frames sent, ever */
};

/* Gratuitous ARP: a broadcast request for our own address (RFC 5227). */
struct lsdp_garp {
	struct ethhdr eth;
	struct lsdp_arp_eth arp;
} __packed;

/* Unsolicited NA with its target link-layer address option (RFC 4861 7.2.6). */
struct lsdp_una {
	struct ethhdr eth;
	struct ipv6hdr ip6;
	struct lsdp_nd_msg nd;
} __packed;

/* An skb holding @len bytes of frame, zeroed; data at the network header. */
static struct sk_buff *lsdp_announce_alloc(unsigned int len, __be16 proto)
{
	struct sk_buff *skb = lsdp_pkt_alloc(len, proto);

	if (!skb)
		return NULL;
	/* @len counts the Ethernet header: the frame starts at data. */
	skb_put_zero(skb, len);
	skb_reset_mac_header(skb);
	skb_pull(skb, ETH_HLEN);
	skb_reset_network_header(skb);
	skb->mac_len = ETH_HLEN;
	return skb;
}

/* Called with RCU read lock, BHs off.  Sends one GARP out of @lp. */
static bool lsdp_send_garp(struct lsdp_port *lp, const u8 *mac, __be32 ip)
{
	struct lsdp_garp *f;
	struct sk_buff *skb;

	lsdp_assert_packet_path();
	skb = lsdp_announce_alloc(sizeof(*f), htons(ETH_P_ARP));
	if (!skb) {
		lsdp_stats_drop(lp, NULL, LSDP_DROP_NOMEM);
		return false;
	}
	f = (struct lsdp_garp *)skb_mac_header(skb);
	eth_broadcast_addr(f->eth.h_dest);
	ether_addr_copy(f->eth.h_source, mac);
	f->eth.h_proto = htons(ETH_P_ARP);
	lsdp_arp_fill(&f->arp, ARPOP_REQUEST, mac, ip, NULL, ip);
	lsdp_output_local(lp, skb);
	return true;
}

/*
 * Called with RCU read lock, BHs off.  Sends one unsolicited NA for @addr
 * out of @lp to all nodes; @router sets the R flag (router ports).
 */
static bool lsdp_send_una(struct lsdp_port *lp, const u8 *mac,
			  const struct in6_addr *addr, bool router)
{
	static const u8 all_nodes_mac[ETH_ALEN] = { 0x33, 0x33, 0, 0, 0, 1 };
	struct in6_addr all_nodes;
	struct lsdp_una *f;
	struct sk_buff *skb;

	lsdp_assert_packet_path();
	skb = lsdp_announce_alloc(sizeof(*f), htons(ETH_P_IPV6));
	if (!skb) {
		lsdp_stats_drop(lp, NULL, LSDP_DROP_NOMEM);
		return false;
	}
	f = (struct lsdp_una *)skb_mac_header(skb);
	ether_addr_copy(f->eth.h_dest, all_nodes_mac);
	ether_addr_copy(f->eth.h_source, mac);
	f->eth.h_proto = htons(ETH_P_IPV6);
	ipv6_addr_set(&all_nodes, htonl(0xff020000), 0, 0, htonl(1));
	lsdp_nd_fill(&f->ip6, &f->nd, NDISC_NEIGHBOUR_ADVERTISEMENT, addr,
		     &all_nodes, addr, mac, router, false);
	lsdp_output_local(lp, skb);
	return true;
}

/*
 * Called with RCU read lock, BHs off.  GARPs out of @lp for the NAT
 * addresses of router port @rp (config @cfg) that this chassis answers
 * for, each address and MAC once, the port's own addresses left to the
 * caller.  Returns the frames sent.
 */
static unsigned int lsdp_announce_nat(struct lsdp_port *lp,
				      struct lsdp_port *rp,
				      const struct lsdp_port_cfg *cfg)
{
	const struct lsdp_nat_table *t = rcu_dereference(rp->dp->nat);
	const __be32 *ip4 = lsdp_cfg_ip4(cfg);
	const struct lsdp_nat_rule *r, *o;
	unsigned int i, j, n = 0;
	struct in6_addr a;
	const u8 *mac;

	lsdp_assert_packet_path();
	if (!t)
		return 0;
	for (i = 0; i < t->n; i++) {
		r = t->rules[i];
		if (r->has_mac && !lsdp_nat_rule_here(r))
			continue;
		mac = r->has_mac ? r->mac : cfg->mac;
		ipv6_addr_set_v4mapped(r->external, &a);
		if (!lsdp_router_addr_in_nets(cfg, &a, false))
			continue;
		for (j = 0; j < cfg->n_ip4; j++)
			if (ip4[j] == r->external && !r->has_mac)
				break;
		if (j < cfg->n_ip4)
			continue;	/* the port's own: sent already */
		for (j = 0; j < i; j++) {
			o = t->rules[j];
			if (o->external == r->external &&
			    o->has_mac == r->has_mac &&
			    (!o->has_mac || ether_addr_equal(o->mac, r->mac)))
				break;
		}
		if (j < i)
			continue;	/* snat and dnat of one address: once */
		n += lsdp_send_garp(lp, mac, r->external);
	}
	return n;
}

/*
 * Called with RCU read lock, BHs off.  Announces what switch port @q
 * stands for out of localnet port @lp: a patch its router port's
 * addresses, a VIF bound here its own.  Returns the frames sent.
 */
static unsigned int lsdp_announce_one(struct lsdp_port *lp,
				      struct lsdp_port *q)
{
	const struct lsdp_port_cfg *cfg;
	struct lsdp_port *rp = NULL;
	unsigned int i, n = 0;
	const __be32 *ip4;

	lsdp_assert_packet_path();
	if (q->type == LSDP_PORT_TYPE_ROUTER) {
		rp = lsdp_port_peer_rcu(q);
		if (!rp)
			return 0;
		cfg = rcu_dereference(rp->cfg);
	} else if (q->type == LSDP_PORT_TYPE_VIF &&
		   rcu_access_pointer(q->dev)) {
		cfg = rcu_dereference(q->cfg);
		if (!cfg->has_mac)
			return 0;
	} else {
		return 0;
	}
	ip4 = lsdp_cfg_ip4(cfg);
	for (i = 0; i < cfg->n_ip4; i++)
		n += lsdp_send_garp(lp, cfg->mac, ip4[i]);
	for (i = 0; i < cfg->n_ip6; i++)
		n += lsdp_send_una(lp, cfg->mac, &cfg->addrs[i], rp);
	if (rp)
		n += lsdp_announce_nat(lp, rp, cfg);
	return n;
}

/* Called with RCU read lock, BHs off.  One round for @port; frames sent. */
static unsigned int lsdp_announce_round(struct lsdp_port *port)
{
	struct lsdp_port *lp, *q;
	unsigned int n = 0;

	lsdp_assert_packet_path();
	switch (port->type) {
	case LSDP_PORT_TYPE_LOCALNET:
		lp = lsdp_localnet(port->dp);
		if (lp != port)
			return 0;
		list_for_each_entry_rcu(q, &port->dp->ports, dp_node)
			n += lsdp_announce_one(lp, q);
		return n;
	case LSDP_PORT_TYPE_ROUTER_PORT:
		q = lsdp_port_peer_rcu(port);
		if (!q)
			return 0;
		lp = lsdp_localnet(q->dp);
		return lp ? lsdp_announce_one(lp, q) : 0;
	default:
		lp = lsdp_localnet(port->dp);
		return lp ? lsdp_announce_one(lp, port) : 0;
	}
}

static void lsdp_announce_work(struct work_struct *w)
{
	struct lsdp_announce *a = container_of(to_delayed_work(w),
					       struct lsdp_announce, work);
	unsigned int gap, n;
	bool again;

	spin_lock_bh(&a->lock);
	if (!a->left) {
		spin_unlock_bh(&a->lock);
		return;
	}
	again = --a->left > 0;
	gap = a->gap;
	a->gap *= 2;
	spin_unlock_bh(&a->lock);

	local_bh_disable();
	rcu_read_lock();
	n = lsdp_announce_round(a->port);
	rcu_read_unlock();
	local_bh_enable();
	atomic_add(n, &a->sent);
	if (again)
		queue_delayed_work(lsdp_wq, &a->work, gap * HZ);
}

/*
 * Called with ln->lock held.  Why @port has nothing to announce on this
 * chassis, as an extack message; 0 when it has.
 */
static int lsdp_announce_check(struct lsdp_port *port,
			       struct netlink_ext_ack *extack)
{
	struct lsdp_port *sw = port, *lp;
	const struct lsdp_port_cfg *cfg;

	lockdep_assert_held(&port->dp->ln->lock);
	if (port->type == LSDP_PORT_TYPE_ROUTER_PORT) {
		sw = lsdp_port_peer(port);
		if (!sw) {
			NL_SET_ERR_MSG(extack,
				       "router port is not joined to a switch");
			return -ENOENT;
		}
	}
	lp = rcu_dereference_protected(sw->dp->localnet,
				       lockdep_is_held(&port->dp->ln->lock));
	if (!lp) {
		NL_SET_ERR_MSG(extack,
			       "nothing to announce: the switch has no localnet port");
		return -ENOENT;
	}
	if (!lsdp_port_dev(lp)) {
		NL_SET_ERR_MSG(extack,
			       "nothing to announce: the switch's localnet port is not bound to a device here");
		return -ENOLINK;
	}
	if (lsdp_port_chassis(port) || port->type == LSDP_PORT_TYPE_REMOTE) {
		NL_SET_ERR_MSG(extack,
			       "nothing to announce: the port lives on another chassis");
		return -ENOLINK;
	}
	if (port->type == LSDP_PORT_TYPE_VIF) {
		if (!lsdp_port_dev(port)) {
			NL_SET_ERR_MSG(extack,
				       "nothing to announce: the port is not bound on this chassis");
			return -ENOLINK;
		}
		cfg = lsdp_port_cfg(port);
		if (!cfg->has_mac || !(cfg->n_ip4 + cfg->n_ip6)) {
			NL_SET_ERR_MSG(extack,
				       "nothing to announce: the port has no MAC and addresses");
			return -ENODATA;
		}
	}
	return 0;
}

/* Called with ln->lock held.  @port's announcement state, made if needed. */
static struct lsdp_announce *lsdp_announce_get(struct lsdp_port *port)
{
	struct lsdp_port_ext *ext;
	struct lsdp_announce *a;

	lockdep_assert_held(&port->dp->ln->lock);
	ext = lsdp_port_ext_get(port, GFP_KERNEL);
	if (!ext)
		return NULL;
	if (ext->announce)
		return ext->announce;
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return NULL;
	INIT_DELAYED_WORK(&a->work, lsdp_announce_work);
	spin_lock_init(&a->lock);
	a->port = port;
	ext->announce = a;
	return a;
}

/*
 * Called with ln->lock held.  Starts (or restarts) a series of
 * announcements for @port if it has anything to announce here.  Best
 * effort: without memory for the state, nothing is announced.
 */
void lsdp_announce_start(struct lsdp_port *port)
{
	struct lsdp_announce *a;

	lockdep_assert_held(&port->dp->ln->lock);
	/* A VM here: its floating IPs are announced by their router ports. */
	if (port->type == LSDP_PORT_TYPE_VIF)
		lsdp_nat_port_here(port);
	if (lsdp_announce_check(port, NULL))
		return;
	a = lsdp_announce_get(port);
	if (!a)
		return;
	spin_lock_bh(&a->lock);
	a->left = LSDP_ANNOUNCE_ROUNDS;
	a->gap = 1;
	spin_unlock_bh(&a->lock);
	mod_delayed_work(lsdp_wq, &a->work, 0);
}

/*
 * Called with RTNL and ln->lock held, when @port goes away.  The work
 * takes neither lock, so waiting for it here cannot deadlock.
 */
void lsdp_announce_stop(struct lsdp_port *port)
{
	struct lsdp_port_ext *ext = lsdp_port_ext(port);
	struct lsdp_announce *a = ext ? ext->announce : NULL;

	ASSERT_RTNL();
	lockdep_assert_held(&port->dp->ln->lock);
	if (!a)
		return;
	cancel_delayed_work_sync(&a->work);
	ext->announce = NULL;
	kfree(a);
}

/* Called with ln->lock held.  Has @port ever been announced? */
bool lsdp_announce_started(const struct lsdp_port *port)
{
	struct lsdp_port_ext *ext = lsdp_port_ext(port);

	lockdep_assert_held(&port->dp->ln->lock);
	return ext && ext->announce;
}

/* Called with ln->lock held.  Frames announced for @port so far. */
u32 lsdp_announce_count(const struct lsdp_port *port)
{
	lockdep_assert_held(&port->dp->ln->lock);
	return lsdp_announce_started(port) ?
	       atomic_read(&lsdp_port_ext(port)->announce->sent) : 0;
}

/* LSDP_CMD_PORT_ANNOUNCE: one round now, or an error saying why not. */
int lsdp_cmd_port_announce(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct lsdp_announce *a;
	struct lsdp_port *port;
	unsigned int n;
	int err;

	if (!LSDP_REQUIRE(info, LSDP_A_PORT_NAME, "missing port name"))
		return -EINVAL;
	mutex_lock(&ln->lock);
	port = lsdp_req_port(ln, info->attrs[LSDP_A_PORT_NAME], info->extack);
	if (!port) {
		err = -ENOENT;
		goto out_unlock;
	}
	err = lsdp_announce_check(port, info->extack);
	if (err)
		goto out_unlock;
	a = lsdp_announce_get(port);
	if (!a) {
		NL_SET_ERR_MSG(info->extack, "no memory for the announcement state");
		err = -ENOMEM;
		goto out_unlock;
	}
	local_bh_disable();
	rcu_read_lock();
	n = lsdp_announce_round(port);
	rcu_read_unlock();
	local_bh_enable();
	atomic_add(n, &a->sent);
	if (!n) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to announce: no addresses behind the port (or no memory)");
		err = -ENODATA;
	}
out_unlock:
	mutex_unlock(&ln->lock);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * NAT on logical routers, with the kernel's nf_conntrack and nf_nat as the
 * OVS kernel datapath uses them (a conntrack template per zone,
 * nf_nat_setup_info() for a new connection, nf_nat_packet() for the rest,
 * nf_nat_icmp_reply_translation() for ICMP errors).
 *
 * DOC: NAT
 *
 * A router with NAT rules has one conntrack zone of its own (from the
 * numbering ports use, ct.c), as ovn-controller gives each router one.
 * Every IPv4 packet the router forwards goes through it twice, in the
 * places OVN's stages are:
 *
 * - lsdp_nat_in(), before the router looks at the destination (OVN's
 *   lr_in_unsnat and lr_in_dnat): conntrack as PRE_ROUTING; a new
 *   connection to a dnat or dnat_and_snat rule's external address gets its
 *   destination rewritten; a reply of a source-NATed connection gets its
 *   inside address back (so a reply to a router port's own address used as
 *   the snat address is not taken for the router's), and an ICMP error
 *   about a translated connection is translated, inner header too.
 * - lsdp_nat_out(), after routing, once the output port is known (OVN's
 *   lr_out_snat): a new connection from a rule's logical address or
 *   network gets its source rewritten when it leaves by the port whose
 *   networks hold the rule's external address (the gateway side), or when
 *   it was destination-NATed (hairpin: VM to a floating IP behind the same
 *   router, whose reply must come back through the router); then the
 *   connection is confirmed and let go of.
 *
 * dnat_and_snat with a logical port and an external MAC is distributed:
 * the chassis where that port is bound answers ARP for the external
 * address with the external MAC, accepts frames to it and sends the
 * translated packets from it; other chassis stay silent for it.  Without
 * them the rule is centralized: answered with the router port's MAC.
 *
 * The rule a connection was translated by is kept in its conntrack mark
 * (dnat rule's slot in bits 0..11, snat rule's in 16..27), so that every
 * packet of it counts as a hit of its rules without a search.  Deleting a
 * rule deletes its connections.  A new connection that finds no free
 * external port (ICMP: echo id) in the rule's range cannot be confirmed
 * and is dropped as nat-exhausted.  IPv4 only; fragments are dropped
 * (nat-fragment): nothing reassembles them here yet.
 *
 * Rules are written under ln->lock and published as an immutable table
 * (dp->nat), replaced wholesale and freed after a grace period; the packet
 * path reads the table under RCU.
 */
#include <linux/etherdevice.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_nat.h>

#include "lsdp.h"
#include "compat.h"

#define LSDP_NAT_MARK_DNAT(m)	((m) & 0xfff)
#define LSDP_NAT_MARK_SNAT(m)	(((m) >> 16) & 0xfff)
#define LSDP_NAT_MARK_DNAT_MASK	0xfffU
#define LSDP_NAT_MARK_SNAT_MASK	(0xfffU << 16)

/* Process context: frees a rule after the grace period it waited. */
static void lsdp_nat_rule_free_rcu(struct rcu_head *head)
{
	struct lsdp_nat_rule *r = container_of(head, struct lsdp_nat_rule, rcu);

	free_percpu(r->hits);
	kfree(r);
}

static bool lsdp_nat_is_dnat(const struct lsdp_nat_rule *r)
{
	return r->type != LSDP_NAT_TYPE_SNAT;
}

static bool lsdp_nat_is_snat(const struct lsdp_nat_rule *r)
{
	return r->type != LSDP_NAT_TYPE_DNAT;
}

/*
 * Called with RCU read lock or ln->lock.  Is a distributed rule's logical
 * port bound to a netdev of this chassis (itself, or as a trunk child its
 * parent, or as a virtual port the parent it is bound to now)?
 */
bool lsdp_nat_rule_here(const struct lsdp_nat_rule *r)
{
	const struct lsdp_port *p = READ_ONCE(r->lport);
	const struct lsdp_port *parent;

	if (p && p->type == LSDP_PORT_TYPE_VIRTUAL)
		p = lsdp_virt_parent(p);
	if (!p)
		return false;
	if (rcu_access_pointer(p->dev))
		return true;
	parent = lsdp_port_parent(p);
	return parent && rcu_access_pointer(parent->dev);
}

/* --- the packet path ------------------------------------------------------ */

/* Called with RCU read lock.  The dnat-kind rule for external @addr. */
static struct lsdp_nat_rule *
lsdp_nat_find_dnat(const struct lsdp_nat_table *t, __be32 addr)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (lsdp_nat_is_dnat(t->rules[i]) &&
		    t->rules[i]->external == addr)
			return t->rules[i];
	return NULL;
}

/*
 * Called with RCU read lock.  The snat-kind rule for inside source @addr:
 * a dnat_and_snat of that address, else the snat of the longest network
 * holding it.
 */
static struct lsdp_nat_rule *
lsdp_nat_find_snat(const struct lsdp_nat_table *t, __be32 addr)
{
	struct lsdp_nat_rule *r, *best = NULL;
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		r = t->rules[i];
		if (!lsdp_nat_is_snat(r) ||
		    (addr ^ r->logical) & inet_make_mask(r->plen))
			continue;
		if (r->type == LSDP_NAT_TYPE_DNAT_AND_SNAT)
			return r;
		if (!best || r->plen > best->plen)
			best = r;
	}
	return best;
}

/* Called with RCU read lock, BHs off. */
static void lsdp_nat_hit(const struct lsdp_nat_table *t, unsigned int slot)
{
	if (slot && slot < t->n_slots && t->by_slot[slot])
		this_cpu_inc(*t->by_slot[slot]->hits);
}

/* Called with RCU read lock, BHs off.  Consumes @skb. */
static void lsdp_nat_drop(struct lsdp_port *rp, struct sk_buff *skb,
			  enum lsdp_drop_reason reason)
{
	lsdp_stats_drop(rp, skb, reason);
	kfree_skb(skb);
}

/*
 * Called with RCU read lock, BHs off: sets up @ct's @manip with rule @r,
 * or with a null binding (nothing translated that way) when @r is NULL.
 */
static unsigned int lsdp_nat_setup(struct nf_conn *ct,
				   const struct lsdp_nat_rule *r,
				   enum nf_nat_manip_type manip)
{
	struct nf_nat_range2 range = { .flags = NF_NAT_RANGE_MAP_IPS };
	u32 mark = READ_ONCE(ct->mark);
	__be32 to;

	if (!r)
		return nf_nat_alloc_null_binding(ct, manip == NF_NAT_MANIP_DST ?
						 NF_INET_PRE_ROUTING :
						 NF_INET_POST_ROUTING);
	to = manip == NF_NAT_MANIP_DST ? r->logical : r->external;
	range.min_addr.ip = to;
	range.max_addr.ip = to;
	if (manip == NF_NAT_MANIP_SRC && r->port_min) {
		range.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
		/* The union's every member is the port in the same place. */
		range.min_proto.all = htons(r->port_min);
		range.max_proto.all = htons(r->port_max);
	}
	/* Unconfirmed: the connection is still this packet's alone. */
	if (manip == NF_NAT_MANIP_DST)
		mark = (mark & ~LSDP_NAT_MARK_DNAT_MASK) | r->slot;
	else
		mark = (mark & ~LSDP_NAT_MARK_SNAT_MASK) | (r->slot << 16);
	WRITE_ONCE(ct->mark, mark);
	return nf_nat_setup_info(ct, &range, manip);
}

/*
 * Called with RCU read lock, BHs off.  @skb (an IPv4 packet, data at L3,
 * checked by the router) reached router port @rp of a router with NAT
 * table @t: conntrack, then destination NAT (and the reverse of source
 * NAT for replies).  False when @skb was dropped (consumed).
 */
bool lsdp_nat_in(struct lsdp_port *rp, const struct lsdp_nat_table *t,
		 struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;
	unsigned int v;

	lsdp_assert_packet_path();
	if (ip_is_fragment(ip_hdr(skb))) {
		lsdp_nat_drop(rp, skb, LSDP_DROP_NAT_FRAGMENT);
		return false;
	}
	if (!lsdp_ct_in(rp->dp->ln->net, t->tmpl, NF_INET_PRE_ROUTING, skb)) {
		lsdp_nat_drop(rp, skb, LSDP_DROP_NAT_FAILED);
		return false;
	}
	ct = nf_ct_get(skb, &ctinfo);
	if (!ct)
		return true;	/* untracked (invalid): routed as it is */
	switch (ctinfo) {
	case IP_CT_RELATED:
	case IP_CT_RELATED_REPLY:
		if (ip_hdr(skb)->protocol == IPPROTO_ICMP) {
			if (!nf_nat_icmp_reply_translation(skb, ct, ctinfo,
							   NF_INET_PRE_ROUTING))
				goto failed;
			return true;
		}
		fallthrough;
	case IP_CT_NEW:
		if (!nf_nat_initialized(ct, NF_NAT_MANIP_DST)) {
			struct lsdp_nat_rule *r;

			r = lsdp_nat_find_dnat(t, ip_hdr(skb)->daddr);
			v = lsdp_nat_setup(ct, r, NF_NAT_MANIP_DST);
			if (v != NF_ACCEPT)
				goto failed;
			if (r)
				lsdp_trace_step(LSDP_TRACE_ROUTE, rp,
						"dnat %pI4 -> %pI4 (new connection, zone %u)",
						&r->external, &r->logical,
						t->zone);
		}
		break;
	case IP_CT_ESTABLISHED:
	case IP_CT_ESTABLISHED_REPLY:
		break;
	default:
		goto failed;
	}
	if (nf_nat_packet(ct, ctinfo, NF_INET_PRE_ROUTING, skb) != NF_ACCEPT)
		goto failed;
	return true;

failed:
	lsdp_nat_drop(rp, skb, LSDP_DROP_NAT_FAILED);
	return false;
}

/*
 * Called with RCU read lock, BHs off: confirms @skb's connection @ct;
 * false when conntrack refuses it.  A simulated trace confirms nothing
 * (DOC: Tracing); it asks instead what confirming would meet: a new
 * connection whose reply tuple another one holds (the clash
 * __nf_conntrack_confirm() refuses), so that the trace predicts
 * nat-exhausted.  A live trace's packet is confirmed as any other.
 */
static bool lsdp_nat_confirm(struct nf_conn *ct, struct sk_buff *skb)
{
	lsdp_assert_packet_path();
	if (!lsdp_simulating())
		return nf_conntrack_confirm(skb) == NF_ACCEPT;
	return nf_ct_is_confirmed(ct) ||
	       !nf_conntrack_tuple_taken(&ct->tuplehash[IP_CT_DIR_REPLY].tuple,
					 ct);
}

/*
 * Called with RCU read lock, BHs off.  @skb (IPv4, data at L3, after
 * lsdp_nat_in()) leaves router port @out of a router with NAT table @t:
 * source NAT for a new connection, the connection confirmed, hits
 * counted, and the packet let go of its connection.  False when @skb was
 * dropped (consumed); @in is charged then.
 */
bool lsdp_nat_out(struct lsdp_port *in, struct lsdp_port *out,
		  const struct lsdp_nat_table *t, struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);
	struct lsdp_nat_rule *r = NULL;
	unsigned int v;
	u32 mark;

	lsdp_assert_packet_path();
	if (!ct)
		return true;
	if (ctinfo == IP_CT_RELATED || ctinfo == IP_CT_RELATED_REPLY) {
		if (ip_hdr(skb)->protocol == IPPROTO_ICMP) {
			if (!nf_nat_icmp_reply_translation(skb, ct, ctinfo,
							   NF_INET_POST_ROUTING))
				goto failed;
			goto confirm;
		}
	}
	if (ctinfo == IP_CT_NEW || ctinfo == IP_CT_RELATED) {
		if (!nf_nat_initialized(ct, NF_NAT_MANIP_SRC)) {
			r = lsdp_nat_find_snat(t, ip_hdr(skb)->saddr);
			/* Only towards the outside, or back in (hairpin). */
			if (r && !(ct->status & IPS_DST_NAT)) {
				struct in6_addr ext;

				ipv6_addr_set_v4mapped(r->external, &ext);
				if (!lsdp_router_addr_in_nets(rcu_dereference(out->cfg),
							      &ext, false))
					r = NULL;
			}
			v = lsdp_nat_setup(ct, r, NF_NAT_MANIP_SRC);
			if (v != NF_ACCEPT)
				goto failed;
			if (r)
				lsdp_trace_step(LSDP_TRACE_ROUTE, out,
						"snat %pI4 -> %pI4 (new connection, zone %u)",
						&ip_hdr(skb)->saddr, &r->external,
						t->zone);
		}
	}
	if (nf_nat_packet(ct, ctinfo, NF_INET_POST_ROUTING, skb) != NF_ACCEPT)
		goto failed;
confirm:
	if (!lsdp_nat_confirm(ct, skb)) {
		/*
		 * The one way a new connection of ours is refused: its reply
		 * tuple is taken, i.e. the rule's external ports ran out.
		 */
		lsdp_nat_drop(in, skb, ct->status & IPS_SRC_NAT ?
			      LSDP_DROP_NAT_EXHAUSTED : LSDP_DROP_NAT_FAILED);
		return false;
	}
	mark = READ_ONCE(ct->mark);
	lsdp_nat_hit(t, LSDP_NAT_MARK_DNAT(mark));
	lsdp_nat_hit(t, LSDP_NAT_MARK_SNAT(mark));
	lsdp_ct_clear(skb);
	return true;

failed:
	lsdp_nat_drop(in, skb, LSDP_DROP_NAT_FAILED);
	return false;
}

/*
 * Called with RCU read lock.  Should router port @rp answer ARP for @tip
 * because of a NAT rule?  The MAC to answer with goes to @mac.
 */
bool lsdp_nat_arp(struct lsdp_port *rp, __be32 tip, u8 *mac)
{
	const struct lsdp_nat_table *t = rcu_dereference(rp->dp->nat);
	const struct lsdp_port_cfg *cfg = rcu_dereference(rp->cfg);
	const struct lsdp_nat_rule *r;
	struct in6_addr a;
	bool found = false;
	unsigned int i;

	lsdp_assert_rcu();
	if (!t)
		return false;
	ipv6_addr_set_v4mapped(tip, &a);
	if (!lsdp_router_addr_in_nets(cfg, &a, false))
		return false;
	for (i = 0; i < t->n; i++) {
		r = t->rules[i];
		if (r->external != tip)
			continue;
		if (r->has_mac) {
			/* Distributed: only where its port lives. */
			if (lsdp_nat_rule_here(r)) {
				ether_addr_copy(mac, r->mac);
				return true;
			}
			continue;
		}
		found = true;
	}
	if (found)
		ether_addr_copy(mac, cfg->mac);
	return found;
}

/*
 * Called with RCU read lock.  Does router port @rp take frames to @mac,
 * the external MAC of a distributed rule whose port is bound here?
 */
bool lsdp_nat_mac_here(struct lsdp_port *rp, const u8 *mac)
{
	const struct lsdp_nat_table *t = rcu_dereference(rp->dp->nat);
	const struct lsdp_nat_rule *r;
	struct in6_addr a;
	unsigned int i;

	lsdp_assert_rcu();
	if (!t || !t->distributed)
		return false;
	for (i = 0; i < t->n; i++) {
		r = t->rules[i];
		if (!r->has_mac || !ether_addr_equal(r->mac, mac) ||
		    !lsdp_nat_rule_here(r))
			continue;
		ipv6_addr_set_v4mapped(r->external, &a);
		if (lsdp_router_addr_in_nets(rcu_dereference(rp->cfg), &a,
					     false))
			return true;
	}
	return false;
}

/*
 * Called with RCU read lock.  The source MAC of @skb (IPv4, data at L3)
 * leaving router port @rp: a distributed rule's external MAC when the
 * packet comes from its external address and its port is here, else NULL
 * (the port's own).
 */
const u8 *lsdp_nat_src_mac(struct lsdp_port *rp, struct sk_buff *skb)
{
	const struct lsdp_nat_table *t = rcu_dereference(rp->dp->nat);
	const struct lsdp_nat_rule *r;
	unsigned int i;
	__be32 saddr;

	lsdp_assert_rcu();
	if (!t || !t->distributed || skb->protocol != htons(ETH_P_IP) ||
	    !pskb_network_may_pull(skb, sizeof(struct iphdr)))
		return NULL;
	saddr = ip_hdr(skb)->saddr;
	for (i = 0; i < t->n; i++) {
		r = t->rules[i];
		if (r->has_mac && r->external == saddr &&
		    lsdp_nat_rule_here(r))
			return r->mac;
	}
	return NULL;
}

/*
 * Called with RCU read lock.  An L2 lookup of switch @dp missed @mac: the
 * switch's router-type port whose router takes @mac for a distributed NAT
 * rule (OVN adds those MACs to the router port's addresses), or NULL.
 */
struct lsdp_port *lsdp_nat_switch_port(struct lsdp_dp *dp, const u8 *mac)
{
	struct lsdp_port *port, *rp;

	lsdp_assert_rcu();
	if (!atomic_read(&dp->ln->n_nat_macs))
		return NULL;
	list_for_each_entry_rcu(port, &dp->ports, dp_node) {
		if (port->type != LSDP_PORT_TYPE_ROUTER)
			continue;
		rp = lsdp_port_peer_rcu(port);
		if (rp && lsdp_nat_mac_here(rp, mac))
			return port;
	}
	return NULL;
}

/* --- configuration --------------------------------------------------------- */

/*
 * Called with ln->lock held.  Publishes a new table of @dp's rules (NULL
 * when there are none); the old one goes after a grace period.
 */
static int lsdp_nat_publish(struct lsdp_dp *dp)
{
	struct lsdp_nat_table *t = NULL, *old;
	struct lsdp_nat_rule *r;
	unsigned int i = 0, n_slots = 1;

	lockdep_assert_held(&dp->ln->lock);
	list_for_each_entry(r, &dp->nat_rules, list)
		n_slots = max_t(unsigned int, n_slots, r->slot + 1);
	if (dp->n_nat) {
		t = kzalloc(struct_size(t, rules, dp->n_nat + n_slots),
			    GFP_KERNEL);
		if (!t)
			return -ENOMEM;
		t->tmpl = dp->nat_tmpl;
		t->zone = dp->nat_zone;
		t->n = dp->n_nat;
		t->n_slots = n_slots;
		t->by_slot = &t->rules[t->n];
		list_for_each_entry(r, &dp->nat_rules, list) {
			t->rules[i++] = r;
			t->by_slot[r->slot] = r;
			if (r->has_mac)
				t->distributed = true;
		}
	}
	old = rcu_dereference_protected(dp->nat,
					lockdep_is_held(&dp->ln->lock));
	rcu_assign_pointer(dp->nat, t);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/* Called with ln->lock held.  Unlinks rule @r; freed after a grace period. */
static void lsdp_nat_rule_unlink(struct lsdp_dp *dp, struct lsdp_nat_rule *r)
{
	lockdep_assert_held(&dp->ln->lock);
	list_del(&r->list);
	dp->n_nat--;
	if (r->has_mac)
		atomic_dec(&dp->ln->n_nat_macs);
	ida_free(&dp->nat_slots, r->slot);
	call_rcu(&r->rcu, lsdp_nat_rule_free_rcu);
}

/*
 * Called with RTNL and ln->lock held, when router @dp goes: its rules,
 * and the connections of its zone (a later owner of the zone number must
 * not inherit them).  The template goes with the datapath (lsdp_dp_free).
 */
void lsdp_nat_dp_destroy(struct lsdp_dp *dp)
{
	struct lsdp_nat_rule *r, *next;
	struct lsdp_nat_table *t;

	lockdep_assert_held(&dp->ln->lock);
	t = rcu_dereference_protected(dp->nat, lockdep_is_held(&dp->ln->lock));
	RCU_INIT_POINTER(dp->nat, NULL);
	if (t)
		kfree_rcu(t, rcu);
	list_for_each_entry_safe(r, next, &dp->nat_rules, list)
		lsdp_nat_rule_unlink(dp, r);
	if (dp->nat_zone) {
		lsdp_ct_zone_flush(dp->ln, dp->nat_zone, 0, 0);
		lsdp_ct_zone_free(dp->ln, dp->nat_zone);
		dp->nat_zone = 0;
	}
	ida_destroy(&dp->nat_slots);
}

/* Any context, after a grace period: the datapath's last reference. */
void lsdp_nat_dp_free(struct lsdp_dp *dp)
{
	if (dp->nat_tmpl)
		nf_ct_put(dp->nat_tmpl);
	dp->nat_tmpl = NULL;
}

typedef void (*lsdp_nat_port_fn)(struct lsdp_dp *dp, struct lsdp_nat_rule *r,
				 struct lsdp_port *port);

/*
 * Called with ln->lock held (the rule lists' writers' lock), by the port
 * hooks below: @fn on every NAT rule of every router, with @port.  Only
 * rules with a logical port care about ports: none, no walk.
 */
static void lsdp_nat_port_walk(struct lsdp_port *port, lsdp_nat_port_fn fn)
{
	struct lsdp_net *ln = port->dp->ln;
	struct lsdp_nat_rule *r;
	struct lsdp_dp *dp;

	lockdep_assert_held(&ln->lock);
	if (!atomic_read(&ln->n_nat_macs))
		return;
	list_for_each_entry(dp, &ln->dps, list)
		list_for_each_entry(r, &dp->nat_rules, list)
			fn(dp, r, port);
}

static void lsdp_nat_rule_port_gone(struct lsdp_dp *dp,
				    struct lsdp_nat_rule *r,
				    struct lsdp_port *port)
{
	if (r->lport == port)
		WRITE_ONCE(r->lport, NULL);
}

/*
 * Called with ln->lock held, when switch port @port is deleted: rules
 * naming it as their logical port no longer find it bound anywhere.
 */
void lsdp_nat_port_gone(struct lsdp_port *port)
{
	lsdp_nat_port_walk(port, lsdp_nat_rule_port_gone);
}

/*
 * Called with ln->lock held.  Starts announcing rule @r's external address
 * out of the router ports of @dp whose networks hold it (announce.c sends
 * the router's NAT addresses with the port's own), unless the rule is
 * distributed and its port lives elsewhere: that chassis announces it.
 */
void lsdp_nat_announce_rule(struct lsdp_dp *dp, const struct lsdp_nat_rule *r)
{
	struct lsdp_port *port;
	struct in6_addr a;

	lockdep_assert_held(&dp->ln->lock);
	if (r->has_mac && !lsdp_nat_rule_here(r))
		return;
	ipv6_addr_set_v4mapped(r->external, &a);
	list_for_each_entry(port, &dp->ports, dp_node)
		if (port->type == LSDP_PORT_TYPE_ROUTER_PORT &&
		    lsdp_router_addr_in_nets(lsdp_port_cfg(port), &a, false))
			lsdp_announce_start(port);
}

static void lsdp_nat_rule_port_here(struct lsdp_dp *dp,
				    struct lsdp_nat_rule *r,
				    struct lsdp_port *port)
{
	if (r->lport &&
	    (r->lport == port || lsdp_port_parent(r->lport) == port ||
	     lsdp_virt_parent(r->lport) == port))
		lsdp_nat_announce_rule(dp, r);
}

/*
 * Called with ln->lock held, when switch port @port was bound here (or its
 * netdev came up, or, a virtual port, bound to a parent): the distributed
 * rules whose logical port it is (or a trunk child of it, or a virtual
 * port bound to it) now translate where it is, and their external
 * addresses move there on the provider network (announced if here).
 */
void lsdp_nat_port_here(struct lsdp_port *port)
{
	lsdp_nat_port_walk(port, lsdp_nat_rule_port_here);
}

static void lsdp_nat_rule_port_added(struct lsdp_dp *dp,
				     struct lsdp_nat_rule *r,
				     struct lsdp_port *port)
{
	if (r->has_mac && !r->lport && !strcmp(r->lport_name, port->name))
		WRITE_ONCE(r->lport, port);
}

/*
 * Called with ln->lock held, when switch port @port was created: rules
 * that name it as their logical port (added while it existed, or before
 * it was deleted and made again) find it again.
 */
void lsdp_nat_port_added(struct lsdp_port *port)
{
	lockdep_assert_held(&port->dp->ln->lock);
	if (port->dp->kind != LSDP_DP_KIND_SWITCH ||
	    port->type == LSDP_PORT_TYPE_ROUTER)
		return;
	lsdp_nat_port_walk(port, lsdp_nat_rule_port_added);
}

/* A request's IPv4 unicast address attribute @attr into @out; 0 or -EINVAL. */
static int lsdp_nat_get_ip4(struct genl_info *info, int attr, __be32 *out)
{
	const struct nlattr *a = info->attrs[attr];
	bool ext = attr == LSDP_A_NAT_EXTERNAL_IP;

	if (nla_len(a) != sizeof(__be32)) {
		if (ext)
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "external address must be IPv4 (4 bytes); IPv6 NAT is not supported");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "logical address must be IPv4 (4 bytes); IPv6 NAT is not supported");
		return -EINVAL;
	}
	*out = nla_get_in_addr(a);
	if (*out == htonl(INADDR_ANY) || ipv4_is_multicast(*out) ||
	    ipv4_is_lbcast(*out)) {
		if (ext)
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "external address must be unicast");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "logical address must be unicast");
		return -EINVAL;
	}
	return 0;
}

/*
 * Process context, no locks: the rule a NAT_NEW (or, @del, NAT_DEL)
 * request describes, into @r; what names other objects is checked later.
 */
static int lsdp_nat_parse(struct genl_info *info, struct lsdp_nat_rule *r,
			  bool del)
{
	struct nlattr **a = info->attrs;
	int err;

	if (!LSDP_REQUIRE(info, LSDP_A_DP_NAME, "missing router name") ||
	    !LSDP_REQUIRE(info, LSDP_A_NAT_TYPE, "missing NAT type") ||
	    !LSDP_REQUIRE(info, LSDP_A_NAT_EXTERNAL_IP,
			  "missing external address") ||
	    (!del && !LSDP_REQUIRE(info, LSDP_A_NAT_LOGICAL_IP,
				   "missing logical address")))
		return -EINVAL;
	r->type = nla_get_u8(a[LSDP_A_NAT_TYPE]);
	if (r->type < LSDP_NAT_TYPE_SNAT || r->type > LSDP_NAT_TYPE_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_NAT_TYPE],
				    "NAT type must be snat, dnat or dnat_and_snat");
		return -EINVAL;
	}
	err = lsdp_nat_get_ip4(info, LSDP_A_NAT_EXTERNAL_IP, &r->external);
	if (err)
		return err;
	r->plen = 32;
	if (a[LSDP_A_NAT_LOGICAL_PLEN]) {
		r->plen = nla_get_u8(a[LSDP_A_NAT_LOGICAL_PLEN]);
		if (r->plen > 32) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[LSDP_A_NAT_LOGICAL_PLEN],
					    "logical prefix length must be 0..32");
			return -EINVAL;
		}
		if (!a[LSDP_A_NAT_LOGICAL_IP]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[LSDP_A_NAT_LOGICAL_PLEN],
					    "a prefix length needs a logical address");
			return -EINVAL;
		}
		if (r->plen != 32 && r->type != LSDP_NAT_TYPE_SNAT) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[LSDP_A_NAT_LOGICAL_PLEN],
					    "dnat and dnat_and_snat take one logical address, not a network");
			return -EINVAL;
		}
	}
	if (a[LSDP_A_NAT_LOGICAL_IP]) {
		/* A network (snat) may be 0.0.0.0/0; an address is unicast. */
		if (r->plen == 32) {
			err = lsdp_nat_get_ip4(info, LSDP_A_NAT_LOGICAL_IP,
					       &r->logical);
			if (err)
				return err;
		} else if (nla_len(a[LSDP_A_NAT_LOGICAL_IP]) != sizeof(__be32)) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[LSDP_A_NAT_LOGICAL_IP],
					    "logical address must be IPv4 (4 bytes); IPv6 NAT is not supported");
			return -EINVAL;
		}
		r->logical = nla_get_in_addr(a[LSDP_A_NAT_LOGICAL_IP]);
		if (r->logical & ~inet_make_mask(r->plen)) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[LSDP_A_NAT_LOGICAL_IP],
					    "logical network has host bits set");
			return -EINVAL;
		}
	}
	if (del)
		return 0;

	if (!!a[LSDP_A_NAT_LOGICAL_PORT] != !!a[LSDP_A_NAT_EXTERNAL_MAC]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    a[LSDP_A_NAT_LOGICAL_PORT] ?:
				    a[LSDP_A_NAT_EXTERNAL_MAC],
				    "external MAC and logical port go together");
		return -EINVAL;
	}
	if (a[LSDP_A_NAT_EXTERNAL_MAC]) {
		if (r->type != LSDP_NAT_TYPE_DNAT_AND_SNAT) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[LSDP_A_NAT_EXTERNAL_MAC],
					    "only dnat_and_snat takes a logical port and external MAC");
			return -EINVAL;
		}
		if (nla_len(a[LSDP_A_NAT_EXTERNAL_MAC]) != ETH_ALEN ||
		    !is_valid_ether_addr(nla_data(a[LSDP_A_NAT_EXTERNAL_MAC]))) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[LSDP_A_NAT_EXTERNAL_MAC],
					    "external MAC must be a 6-byte unicast address");
			return -EINVAL;
		}
		ether_addr_copy(r->mac, nla_data(a[LSDP_A_NAT_EXTERNAL_MAC]));
		r->has_mac = true;
		if (!lsdp_name_valid(a[LSDP_A_NAT_LOGICAL_PORT])) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[LSDP_A_NAT_LOGICAL_PORT],
					    "invalid logical port name");
			return -EINVAL;
		}
		strscpy_pad(r->lport_name, nla_data(a[LSDP_A_NAT_LOGICAL_PORT]),
			    sizeof(r->lport_name));
	}
	if (!!a[LSDP_A_NAT_PORT_MIN] != !!a[LSDP_A_NAT_PORT_MAX]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    a[LSDP_A_NAT_PORT_MIN] ?:
				    a[LSDP_A_NAT_PORT_MAX],
				    "port range needs both ends");
		return -EINVAL;
	}
	if (a[LSDP_A_NAT_PORT_MIN]) {
		if (r->type == LSDP_NAT_TYPE_DNAT) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_NAT_PORT_MIN],
					    "only snat and dnat_and_snat take a port range");
			return -EINVAL;
		}
		r->port_min = nla_get_u16(a[LSDP_A_NAT_PORT_MIN]);
		r->port_max = nla_get_u16(a[LSDP_A_NAT_PORT_MAX]);
		if (!r->port_min || r->port_min > r->port_max) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_NAT_PORT_MIN],
					    "port range must be 1 <= MIN <= MAX");
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Called with ln->lock held.  Why @r cannot join @dp's rules, said in
 * @extack, or 0.  As ovn-nbctl lr-nat-add: one dnat-kind rule per external
 * address, one snat per logical network, one dnat_and_snat per logical
 * address.
 */
static int lsdp_nat_check(struct lsdp_dp *dp, const struct lsdp_nat_rule *r,
			  struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct lsdp_nat_rule *o;

	lockdep_assert_held(&dp->ln->lock);
	list_for_each_entry(o, &dp->nat_rules, list) {
		if (o->type == r->type && o->external == r->external &&
		    o->logical == r->logical && o->plen == r->plen) {
			NL_SET_ERR_MSG(info->extack, "NAT rule already exists");
			return -EEXIST;
		}
		if (lsdp_nat_is_dnat(o) && lsdp_nat_is_dnat(r) &&
		    o->external == r->external) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[LSDP_A_NAT_EXTERNAL_IP],
					    "external address is already translated by another dnat or dnat_and_snat rule");
			return -EEXIST;
		}
		if (o->type == r->type && r->type != LSDP_NAT_TYPE_DNAT &&
		    o->logical == r->logical && o->plen == r->plen) {
			if (r->type == LSDP_NAT_TYPE_SNAT)
				NL_SET_ERR_MSG_ATTR(info->extack,
						    a[LSDP_A_NAT_LOGICAL_IP],
						    "logical network already has an snat rule");
			else
				NL_SET_ERR_MSG_ATTR(info->extack,
						    a[LSDP_A_NAT_LOGICAL_IP],
						    "logical address already has a dnat_and_snat rule");
			return -EEXIST;
		}
	}
	if (dp->n_nat >= LSDP_NAT_MAX) {
		NL_SET_ERR_MSG(info->extack, "too many NAT rules on this router");
		return -ENOSPC;
	}
	return 0;
}

int lsdp_cmd_nat_new(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr **a = info->attrs;
	struct lsdp_nat_rule *r;
	struct lsdp_port *lport = NULL;
	struct lsdp_dp *dp;
	int err, slot;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->hits = alloc_percpu(u64);
	if (!r->hits) {
		kfree(r);
		return -ENOMEM;
	}
	err = lsdp_nat_parse(info, r, false);
	if (err)
		goto err_free;

	mutex_lock(&ln->lock);
	dp = lsdp_router_find(ln, a[LSDP_A_DP_NAME], info->extack);
	if (IS_ERR(dp)) {
		err = PTR_ERR(dp);
		goto err_unlock;
	}
	if (r->has_mac) {
		lport = lsdp_port_find_name(ln, r->lport_name);
		if (!lport) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[LSDP_A_NAT_LOGICAL_PORT],
					    "no such port");
			err = -ENOENT;
			goto err_unlock;
		}
		if (lport->dp->kind != LSDP_DP_KIND_SWITCH ||
		    lport->type == LSDP_PORT_TYPE_ROUTER) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[LSDP_A_NAT_LOGICAL_PORT],
					    "logical port must be a VM's port on a switch");
			err = -EINVAL;
			goto err_unlock;
		}
	}
	err = lsdp_nat_check(dp, r, info);
	if (err)
		goto err_unlock;
	if (!dp->nat_tmpl) {
		err = lsdp_ct_zone_alloc(ln, &dp->nat_zone, &dp->nat_tmpl);
		if (err) {
			NL_SET_ERR_MSG(info->extack,
				       "no conntrack zone left for the router");
			goto err_unlock;
		}
	}
	slot = ida_alloc_range(&dp->nat_slots, 1, LSDP_NAT_MAX, GFP_KERNEL);
	if (slot < 0) {
		err = slot;
		goto err_unlock;
	}
	r->slot = slot;
	r->lport = lport;
	r->dp = dp;
	r->serial = ++ln->serial;
	list_add_tail(&r->list, &dp->nat_rules);
	dp->n_nat++;
	err = lsdp_nat_publish(dp);
	if (err) {
		list_del(&r->list);
		dp->n_nat--;
		ida_free(&dp->nat_slots, r->slot);
		goto err_unlock;
	}
	if (r->has_mac)
		atomic_inc(&ln->n_nat_macs);
	lsdp_gen_bump(ln);
	/* A new address this chassis answers for: tell the provider network. */
	lsdp_nat_announce_rule(dp, r);
	mutex_unlock(&ln->lock);
	return 0;

err_unlock:
	mutex_unlock(&ln->lock);
err_free:
	free_percpu(r->hits);
	kfree(r);
	return err;
}

int lsdp_cmd_nat_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr **a = info->attrs;
	struct lsdp_nat_rule key = {}, *r, *next;
	unsigned int n = 0, i;
	u16 slots[8];
	struct lsdp_dp *dp;
	bool overflow = false;
	int err;

	err = lsdp_nat_parse(info, &key, true);
	if (err)
		return err;
	mutex_lock(&ln->lock);
	dp = lsdp_router_find(ln, a[LSDP_A_DP_NAME], info->extack);
	if (IS_ERR(dp)) {
		err = PTR_ERR(dp);
		goto out_unlock;
	}
	list_for_each_entry_safe(r, next, &dp->nat_rules, list) {
		if (r->type != key.type || r->external != key.external ||
		    (a[LSDP_A_NAT_LOGICAL_IP] &&
		     (r->logical != key.logical || r->plen != key.plen)))
			continue;
		if (n < ARRAY_SIZE(slots))
			slots[n] = r->slot;
		else
			overflow = true;
		n++;
		lsdp_nat_rule_unlink(dp, r);
	}
	if (!n) {
		NL_SET_ERR_MSG(info->extack, "no such NAT rule");
		err = -ENOENT;
		goto out_unlock;
	}
	/* Publishing a smaller table can only fail for memory: keep trying. */
	while (lsdp_nat_publish(dp))
		cond_resched();
	lsdp_gen_bump(ln);
	/* The rules' connections go with them (no stale translation). */
	if (overflow) {
		lsdp_ct_zone_flush(ln, dp->nat_zone, 0, 0);
	} else {
		for (i = 0; i < n; i++) {
			lsdp_ct_zone_flush(ln, dp->nat_zone,
					   LSDP_NAT_MARK_DNAT_MASK, slots[i]);
			lsdp_ct_zone_flush(ln, dp->nat_zone,
					   LSDP_NAT_MARK_SNAT_MASK,
					   slots[i] << 16);
		}
	}
out_unlock:
	mutex_unlock(&ln->lock);
	return err;
}

/* Called with ln->lock held.  One NAT_NEW message for rule @r. */
static int lsdp_nat_fill(struct sk_buff *skb, const struct lsdp_nat_rule *r,
			 u32 portid, u32 seq, int flags)
{
	u64 hits = 0;
	void *hdr;
	int cpu;

	lockdep_assert_held(&r->dp->ln->lock);
	for_each_possible_cpu(cpu)
		hits += *per_cpu_ptr(r->hits, cpu);
	hdr = lsdp_msg_put(skb, portid, seq, flags, LSDP_CMD_NAT_NEW);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, LSDP_A_DP_NAME, r->dp->name) ||
	    nla_put_u8(skb, LSDP_A_NAT_TYPE, r->type) ||
	    nla_put_in_addr(skb, LSDP_A_NAT_EXTERNAL_IP, r->external) ||
	    nla_put_in_addr(skb, LSDP_A_NAT_LOGICAL_IP, r->logical) ||
	    nla_put_u8(skb, LSDP_A_NAT_LOGICAL_PLEN, r->plen) ||
	    (r->has_mac &&
	     (nla_put_string(skb, LSDP_A_NAT_LOGICAL_PORT, r->lport_name) ||
	      nla_put(skb, LSDP_A_NAT_EXTERNAL_MAC, ETH_ALEN, r->mac) ||
	      nla_put_u8(skb, LSDP_A_NAT_LOCAL, lsdp_nat_rule_here(r)))) ||
	    (r->port_min &&
	     (nla_put_u16(skb, LSDP_A_NAT_PORT_MIN, r->port_min) ||
	      nla_put_u16(skb, LSDP_A_NAT_PORT_MAX, r->port_max))) ||
	    nla_put_u64_64bit(skb, LSDP_A_NAT_HITS, hits, LSDP_A_PAD) ||
	    nla_put_u16(skb, LSDP_A_NAT_CT_ZONE, r->dp->nat_zone)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Called with ln->lock held.  An lsdp_router_dump_t: the rules of @dp in
 * creation order, after the cursor's last one (a router has few: a walk).
 */
static int lsdp_nat_dump_dp(struct sk_buff *skb, struct netlink_callback *cb,
			    struct lsdp_dp *dp, bool resume)
{
	struct lsdp_dump_cursor *c = lsdp_dump_cursor(cb);
	struct lsdp_nat_rule *r;
	int start;

	lockdep_assert_held(&dp->ln->lock);
	list_for_each_entry(r, &dp->nat_rules, list) {
		if (resume && r->serial <= c->serial)
			continue;
		start = skb->len;
		if (lsdp_nat_fill(skb, r, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI))
			return -EMSGSIZE;
		lsdp_dump_check(cb, skb, start);
		lsdp_dump_sent(c, dp, r->serial);
	}
	return 0;
}

/*
 * Rules of every router, or of LSDP_A_DP_NAME's, in creation order.  A
 * change between two parts moves the generation: NLM_F_DUMP_INTR.
 */
int lsdp_cmd_nat_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return lsdp_router_dump(skb, cb, lsdp_nat_dump_dp);
}

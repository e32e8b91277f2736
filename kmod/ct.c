// SPDX-License-Identifier: GPL-2.0
/*
 * Connection tracking for the datapath, through the kernel's own
 * nf_conntrack as the OVS kernel datapath uses it: a packet is looked up
 * (and a new connection created, unconfirmed) by nf_conntrack_in() in a
 * zone, and only a commit confirms the connection into the table.
 *
 * Zones are per logical port, as ovn-controller assigns them: every VIF of
 * a switch that needs conntrack gets a zone number (1..65535, per netns)
 * and a conntrack template carrying it.  The layer knows nothing of ACLs,
 * so that NAT (issue 18) can use it too.
 *
 * The template is taken by packets (a reference per packet, dropped by
 * nf_conntrack_in()), so it lives until the last of them is done; the
 * port drops its own reference after a grace period.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_zones.h>

#include "lsdp.h"

/*
 * Stateful ACLs need the kernel's conntrack with zones (one per logical
 * port) and marks (a connection's verdict): say so at build time, not with
 * a page of errors about struct nf_conn.
 */
#if !IS_ENABLED(CONFIG_NF_CONNTRACK) || !defined(CONFIG_NF_CONNTRACK_MARK) || \
	!defined(CONFIG_NF_CONNTRACK_ZONES)
#error "lsdp needs CONFIG_NF_CONNTRACK, CONFIG_NF_CONNTRACK_MARK and CONFIG_NF_CONNTRACK_ZONES"
#endif

/*
 * Called with ln->lock held.  A new conntrack zone of @ln (1..65535, one
 * numbering for ports and routers) in @zone_id, and a template carrying
 * it in @tmpl.  -ENOMEM or -ENOSPC (no zone left) otherwise.
 */
int lsdp_ct_zone_alloc(struct lsdp_net *ln, u16 *zone_id,
		       struct nf_conn **tmpl)
{
	struct nf_conntrack_zone zone;
	struct nf_conn *t;
	int id;

	lockdep_assert_held(&ln->lock);
	id = ida_alloc_range(&ln->ct_zones, 1, U16_MAX, GFP_KERNEL);
	if (id < 0)
		return id;
	nf_ct_zone_init(&zone, id, NF_CT_DEFAULT_ZONE_DIR, 0);
	t = nf_ct_tmpl_alloc(ln->net, &zone, GFP_KERNEL);
	if (!t) {
		ida_free(&ln->ct_zones, id);
		return -ENOMEM;
	}
	__set_bit(IPS_CONFIRMED_BIT, &t->status);
	/*
	 * nf_ct_tmpl_alloc() returns the template holding one reference,
	 * ours, which the owner's nf_ct_put() drops; taking another leaked
	 * every template (kmemleak on the debug kernel).
	 */
	*zone_id = id;
	*tmpl = t;
	return 0;
}

/*
 * Called with ln->lock held.  Gives VIF @port a zone and template if it
 * has none yet.  -ENOMEM or -ENOSPC (no zone left) otherwise.
 */
int lsdp_ct_port_init(struct lsdp_port *port)
{
	struct lsdp_net *ln = port->dp->ln;
	struct lsdp_port_ext *ext;
	struct nf_conn *tmpl;
	u16 id;
	int err;

	lockdep_assert_held(&ln->lock);
	ext = lsdp_port_ext_get(port, GFP_KERNEL);
	if (!ext)
		return -ENOMEM;
	if (ext->ct_tmpl)
		return 0;
	err = lsdp_ct_zone_alloc(ln, &id, &tmpl);
	if (err)
		return err;
	ext->ct_zone = id;
	/* Read locklessly by the packet path; set once, never changed. */
	smp_store_release(&ext->ct_tmpl, tmpl);
	return 0;
}

/* What lsdp_ct_zone_flush() deletes. */
struct lsdp_ct_flush {
	u16 zone;
	u32 mask;
	u32 mark;
};

static int lsdp_ct_flush_one(struct nf_conn *ct, void *data)
{
	const struct lsdp_ct_flush *f = data;

	return nf_ct_zone_id(nf_ct_zone(ct), IP_CT_DIR_ORIGINAL) == f->zone &&
	       (READ_ONCE(ct->mark) & f->mask) == f->mark;
}

/*
 * Process context, may sleep.  Deletes the connections of zone @zone of
 * @ln's netns whose mark has @mark in the bits @mask (0, 0: all of the
 * zone), so that a zone given to another object, or a deleted NAT rule,
 * leaves no translation behind.
 */
void lsdp_ct_zone_flush(struct lsdp_net *ln, u16 zone, u32 mask, u32 mark)
{
	struct lsdp_ct_flush f = { .zone = zone, .mask = mask, .mark = mark };
	struct nf_ct_iter_data d = { .net = ln->net, .data = &f };

	might_sleep();
	nf_ct_iterate_cleanup_net(lsdp_ct_flush_one, &d);
}

/* Called with ln->lock held: zone @zone may be given to another object. */
void lsdp_ct_zone_free(struct lsdp_net *ln, u16 zone)
{
	lockdep_assert_held(&ln->lock);
	if (zone)
		ida_free(&ln->ct_zones, zone);
}

/*
 * Called with ln->lock held (process context: the flush sleeps), when
 * @port is unpublished: its zone number may be given to another port, so
 * the zone's connections go now (as ovn-controller flushes a zone it
 * frees), or that port would inherit them: their state, and a blocked
 * mark or an allowed connection it never made.  A packet still in flight
 * on @port may add one entry after the flush; it expires as any.  The
 * template goes with the port.
 */
void lsdp_ct_port_release(struct lsdp_port *port)
{
	struct lsdp_port_ext *ext = lsdp_port_ext(port);
	struct lsdp_net *ln = port->dp->ln;

	lockdep_assert_held(&ln->lock);
	if (!ext || !ext->ct_zone)
		return;
	lsdp_ct_zone_flush(ln, ext->ct_zone, 0, 0);
	lsdp_ct_zone_free(ln, ext->ct_zone);
	ext->ct_zone = 0;
}

/* Any context, after a grace period: the port's last reference. */
void lsdp_ct_port_free(struct lsdp_port *port)
{
	struct lsdp_port_ext *ext = lsdp_port_ext(port);

	if (!ext)
		return;
	if (ext->ct_tmpl)
		nf_ct_put(ext->ct_tmpl);
	ext->ct_tmpl = NULL;
}

/*
 * Cuts @skb (data at L3) to its IP length, as the stack does before
 * conntrack sees it: Ethernet padding is not payload.  False when the
 * header is not a sane IPv4 or IPv6 header.
 */
static bool lsdp_ct_trim(struct sk_buff *skb)
{
	unsigned int len;

	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return false;
		iph = ip_hdr(skb);
		len = ntohs(iph->tot_len);
		if (iph->version != 4 || iph->ihl < 5 ||
		    len < iph->ihl * 4 || len > skb->len)
			return false;
	} else {
		const struct ipv6hdr *ip6h;

		if (!pskb_may_pull(skb, sizeof(*ip6h)))
			return false;
		ip6h = ipv6_hdr(skb);
		len = sizeof(*ip6h) + ntohs(ip6h->payload_len);
		if (ip6h->version != 6 || len > skb->len)
			return false;
	}
	return !pskb_trim_rcsum(skb, len);
}

/*
 * Called with RCU read lock, BHs off.  Runs @skb (IPv4 or IPv6, data at
 * L3) through conntrack in @tmpl's zone of @net, as hook @hook would;
 * leaves the connection attached to @skb.  False when conntrack refused
 * the packet or the header is not sane; true otherwise, with or without
 * a connection (nf_ct_get() says).
 */
bool lsdp_ct_in(struct net *net, struct nf_conn *tmpl, unsigned int hook,
		struct sk_buff *skb)
{
	struct nf_hook_state state = {
		.hook = hook,
		.net = net,
	};
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;

	lsdp_assert_packet_path();
	/* Another zone's verdict (a stage before) is not ours. */
	nf_reset_ct(skb);
	if (!tmpl || !lsdp_ct_trim(skb))
		return false;
	state.pf = skb->protocol == htons(ETH_P_IP) ? NFPROTO_IPV4 :
						      NFPROTO_IPV6;
	skb_reset_network_header(skb);
	nf_conntrack_get(&tmpl->ct_general);
	nf_ct_set(skb, tmpl, IP_CT_NEW);
	if (nf_conntrack_in(skb, &state) != NF_ACCEPT)
		return false;
	ct = nf_ct_get(skb, &ctinfo);
	if (ct && nf_ct_is_template(ct))
		nf_reset_ct(skb);
	return true;
}

/*
 * Called with RCU read lock, BHs off.  Runs @skb (IPv4 or IPv6, data at
 * L3) through conntrack in @port's zone; returns the connection's state
 * and leaves the connection attached to @skb (lsdp_ct_commit() confirms
 * it, lsdp_ct_clear() lets an unconfirmed one go).
 */
enum lsdp_ct_state lsdp_ct_lookup(struct lsdp_port *port, struct sk_buff *skb)
{
	struct lsdp_port_ext *ext = lsdp_port_ext(port);
	/* Pairs with lsdp_ct_port_init(): the template is whole when seen. */
	struct nf_conn *tmpl = ext ? smp_load_acquire(&ext->ct_tmpl) : NULL;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;

	lsdp_assert_packet_path();
	if (!lsdp_ct_in(port->dp->ln->net, tmpl, NF_INET_PRE_ROUTING, skb))
		return LSDP_CT_INVALID;
	ct = nf_ct_get(skb, &ctinfo);
	if (!ct)
		return LSDP_CT_INVALID;
	switch (ctinfo) {
	case IP_CT_NEW:
		return LSDP_CT_NEW;
	case IP_CT_ESTABLISHED:
		return LSDP_CT_EST;
	case IP_CT_ESTABLISHED_REPLY:
		return LSDP_CT_REPLY;
	case IP_CT_RELATED:
	case IP_CT_RELATED_REPLY:
		return LSDP_CT_RELATED;
	default:
		return LSDP_CT_INVALID;
	}
}

/* Called with RCU read lock, BHs off.  The mark of @skb's connection. */
u32 lsdp_ct_mark(const struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	return ct ? READ_ONCE(ct->mark) : 0;
}

/*
 * Called with RCU read lock, BHs off.  Sets @skb's connection's mark to
 * @mark and confirms the connection if it is new.  False if conntrack
 * refused it.
 */
bool lsdp_ct_commit(struct sk_buff *skb, u32 mark)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	lsdp_assert_packet_path();
	if (!ct)
		return false;
	if (READ_ONCE(ct->mark) != mark)
		WRITE_ONCE(ct->mark, mark);
	return nf_conntrack_confirm(skb) == NF_ACCEPT;
}

/*
 * Any context.  Lets @skb's connection go: an unconfirmed one is freed.
 * Packets leave the datapath without one, as they leave OVS's.
 */
void lsdp_ct_clear(struct sk_buff *skb)
{
	nf_reset_ct(skb);
}

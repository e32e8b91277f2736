// SPDX-License-Identifier: GPL-2.0
/*
 * Logical router pipeline, on the packet path.
 *
 * A frame reaches router port @rp from the switch it is patched to.  The
 * router answers ARP and Neighbour Solicitations for its port addresses,
 * ICMP and ICMPv6 echo requests to any of its addresses, and learns
 * neighbours from what they send it.  Everything else addressed to it is
 * dropped and counted.  Transit packets get their TTL / hop limit
 * decremented (ICMP time exceeded when it runs out), a longest-prefix-match
 * route (ICMP unreachable when there is none) and leave by the route's
 * port towards the next hop, whose MAC comes from neigh.c - at once when
 * known, after resolution when not (the packet is held meanwhile).
 *
 * Routing is distributed as in OVN: the chassis where the packet entered
 * routes it, and the frame continues into the next switch's ingress on
 * the same chassis.  All of it runs with RCU read lock and BHs off.
 */
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

#include "lsdp.h"

static const u8 lsdp_bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Called with RCU read lock.  Consumes @skb. */
static void lsdp_router_drop(struct lsdp_port *rp, struct sk_buff *skb,
			     enum lsdp_drop_reason reason)
{
	lsdp_assert_rcu();
	lsdp_stats_drop(rp, skb, reason);
	kfree_skb(skb);
}

static bool lsdp_prefix_match(const struct in6_addr *a,
			      const struct in6_addr *b, unsigned int plen)
{
	return ipv6_prefix_equal(a, b, plen);
}

/*
 * Does @addr (v4-mapped for IPv4) fall in one of router port @cfg's
 * networks?
 */
bool lsdp_router_addr_in_nets(const struct lsdp_port_cfg *cfg,
			      const struct in6_addr *addr, bool ipv6)
{
	const __be32 *ip4 = lsdp_cfg_ip4(cfg);
	const u8 *plen4 = lsdp_cfg_plen4(cfg);
	const u8 *plen6 = lsdp_cfg_plen6(cfg);
	unsigned int i;

	if (!cfg->nets)
		return false;
	if (ipv6) {
		for (i = 0; i < cfg->n_ip6; i++)
			if (lsdp_prefix_match(&cfg->addrs[i], addr, plen6[i]))
				return true;
		return false;
	}
	for (i = 0; i < cfg->n_ip4; i++)
		if (!((ip4[i] ^ addr->s6_addr32[3]) &
		      inet_make_mask(plen4[i])))
			return true;
	return false;
}

/* The port's IPv4 address facing @dst: on its network, else the first. */
static __be32 lsdp_rp_src4(const struct lsdp_port_cfg *cfg, __be32 dst)
{
	const __be32 *ip4 = lsdp_cfg_ip4(cfg);
	const u8 *plen4 = lsdp_cfg_plen4(cfg);
	unsigned int i;

	for (i = 0; i < cfg->n_ip4; i++)
		if (!((ip4[i] ^ dst) & inet_make_mask(plen4[i])))
			return ip4[i];
	return cfg->n_ip4 ? ip4[0] : 0;
}

/*
 * The port's IPv6 address facing @dst, into @src; its link-local one for
 * link-local.
 */
static void lsdp_rp_src6(const struct lsdp_port_cfg *cfg,
			 const struct in6_addr *dst, struct in6_addr *src)
{
	const u8 *plen6 = lsdp_cfg_plen6(cfg);
	unsigned int i;

	if (!(ipv6_addr_type(dst) & IPV6_ADDR_LINKLOCAL)) {
		for (i = 0; i < cfg->n_ip6; i++) {
			if (lsdp_prefix_match(&cfg->addrs[i], dst, plen6[i])) {
				*src = cfg->addrs[i];
				return;
			}
		}
		if (cfg->n_ip6) {
			*src = cfg->addrs[0];
			return;
		}
	}
	lsdp_cfg_ll6(cfg, src);
}

/* Is @addr an address of any port of router @dp?  (Link-local: of @rp.) */
static bool lsdp_router_is_local(struct lsdp_dp *dp, struct lsdp_port *rp,
				 const struct in6_addr *addr, bool ipv6)
{
	const struct lsdp_port_cfg *cfg;
	struct lsdp_port *port;

	if (ipv6 && (ipv6_addr_type(addr) & IPV6_ADDR_LINKLOCAL))
		return lsdp_cfg_owns6(rcu_dereference(rp->cfg), addr);
	list_for_each_entry_rcu(port, &dp->ports, dp_node) {
		cfg = rcu_dereference(port->cfg);
		if (ipv6 ? lsdp_cfg_owns6(cfg, addr) :
			   lsdp_cfg_owns4(cfg, addr->s6_addr32[3]))
			return true;
	}
	return false;
}

/*
 * Sends @skb (data at L3, skb->protocol set) out of router port @rp to
 * @dst_mac: it enters the ingress of the switch @rp is patched to.
 * Consumes @skb.
 */
void lsdp_router_tx(struct lsdp_port *rp, struct sk_buff *skb,
		    const u8 *dst_mac)
{
	const struct lsdp_port_cfg *cfg = rcu_dereference(rp->cfg);
	struct lsdp_port *peer = lsdp_port_peer_rcu(rp);
	const u8 *src = NULL;
	struct ethhdr *eth;

	if (!peer) {
		lsdp_router_drop(rp, skb, LSDP_DROP_NO_PEER);
		return;
	}
	if (skb_cow_head(skb, ETH_HLEN)) {
		lsdp_router_drop(rp, skb, LSDP_DROP_NOMEM);
		return;
	}
	/* A distributed floating IP speaks from its own MAC (nat.c). */
	if (unlikely(rcu_access_pointer(rp->dp->nat)))
		src = lsdp_nat_src_mac(rp, skb);
	eth = skb_push(skb, ETH_HLEN);
	skb_reset_mac_header(skb);
	ether_addr_copy(eth->h_dest, dst_mac);
	ether_addr_copy(eth->h_source, src ?: cfg->mac);
	eth->h_proto = skb->protocol;
	skb_pull(skb, ETH_HLEN);
	skb->mac_len = ETH_HLEN;
	skb_reset_network_header(skb);
	if (unlikely(!lsdp_stats_tx(rp, skb->len + ETH_HLEN))) {
		lsdp_router_drop(rp, skb, LSDP_DROP_NOMEM);
		return;
	}
	/* A loop of patches always re-enters a router: counted there. */
	lsdp_switch_input(peer, skb);
}

/*
 * Sends @skb out of router port @rp to next hop @nh.  A next hop that is
 * an address configured on a port of the attached switch is resolved from
 * that port's MAC, as OVN does, wherever the port lives; others are asked
 * for (neigh.c).  Consumes @skb.
 */
static void lsdp_router_nexthop(struct lsdp_port *rp,
				const struct in6_addr *nh, bool ipv6,
				struct sk_buff *skb)
{
	struct lsdp_port *peer = lsdp_port_peer_rcu(rp);
	const struct lsdp_port_cfg *cfg;
	struct lsdp_port *port;
	u8 dst[ETH_ALEN];

	if (peer) {
		port = lsdp_switch_ip_port(peer->dp, nh);
		if (port) {
			cfg = rcu_dereference(port->cfg);
			if (cfg->has_mac) {
				lsdp_trace_step(LSDP_TRACE_NEIGH, rp,
						"next hop %s is port %s's address: %pM",
						LSDP_ADDR(nh), port->name, cfg->mac);
				lsdp_router_tx(rp, skb, cfg->mac);
				return;
			}
		}
	}
	if (lsdp_neigh_resolve(rp, nh, ipv6, skb, dst))
		lsdp_router_tx(rp, skb, dst);
}

/*
 * The route of @skb (data at L3, a complete IP packet) in router @dp, and
 * in @nh its next hop (v4-mapped for IPv4); NULL when there is none.
 */
static const struct lsdp_route *lsdp_router_lookup(struct lsdp_dp *dp,
						   struct sk_buff *skb,
						   struct in6_addr *nh)
{
	const struct lsdp_route *rt;

	if (skb->protocol == htons(ETH_P_IPV6)) {
		rt = lsdp_route_lookup6(dp, &ipv6_hdr(skb)->daddr);
		if (rt)
			*nh = rt->has_via ? rt->via.ip6 : ipv6_hdr(skb)->daddr;
		return rt;
	}
	rt = lsdp_route_lookup4(dp, ip_hdr(skb)->daddr);
	if (rt)
		ipv6_addr_set_v4mapped(rt->has_via ? rt->via.ip4 :
				       ip_hdr(skb)->daddr, nh);
	return rt;
}

/*
 * Routes @skb (data at L3, a complete IP packet the router built) of
 * router @dp to its destination.  @in is the router port charged when
 * there is no route.  Consumes @skb.
 */
static void lsdp_router_route(struct lsdp_dp *dp, struct lsdp_port *in,
			      struct sk_buff *skb)
{
	const struct lsdp_route *rt;
	struct in6_addr nh;

	rt = lsdp_router_lookup(dp, skb, &nh);
	if (!rt) {
		lsdp_router_drop(in, skb, LSDP_DROP_NO_ROUTE);
		return;
	}
	lsdp_router_nexthop(rt->port, &nh,
			    skb->protocol == htons(ETH_P_IPV6), skb);
}

/*
 * Answers @skb (data at L3, not consumed), which reached router port @rp,
 * with an ICMP error from @rp's address facing the sender.
 */
static void lsdp_router_icmp(struct lsdp_port *rp, struct sk_buff *skb,
			     u8 type, u8 code)
{
	const struct lsdp_port_cfg *cfg = rcu_dereference(rp->cfg);
	struct sk_buff *nskb;
	struct in6_addr src;

	if (lsdp_trace_step(LSDP_TRACE_GENERATED, rp,
			    "would send ICMP%s type %u code %u to the sender",
			    skb->protocol == htons(ETH_P_IP) ? "" : "v6",
			    type, code))
		return;
	if (skb->protocol == htons(ETH_P_IP)) {
		__be32 s4 = lsdp_rp_src4(cfg, ip_hdr(skb)->saddr);

		if (!s4)
			return;
		ipv6_addr_set_v4mapped(s4, &src);
	} else {
		lsdp_rp_src6(cfg, &ipv6_hdr(skb)->saddr, &src);
	}
	nskb = lsdp_icmp_error(rp->dp->ln, skb, type, code, 0, &src);
	if (nskb)
		lsdp_router_route(rp->dp, rp, nskb);
}

/*
 * A packet held for a next hop behind @rp that never answered: tell the
 * sender the host is unreachable, as the Linux neighbour code does.
 * @skb is not consumed.
 */
static void lsdp_router_unreachable(struct lsdp_port *rp,
				    struct sk_buff *skb)
{
	skb_reset_network_header(skb);
	if (skb->protocol == htons(ETH_P_IP))
		lsdp_router_icmp(rp, skb, ICMP_DEST_UNREACH,
				 ICMP_HOST_UNREACH);
	else if (skb->protocol == htons(ETH_P_IPV6))
		lsdp_router_icmp(rp, skb, ICMPV6_DEST_UNREACH,
				 ICMPV6_ADDR_UNREACH);
}

/* --- ARP and ND ---------------------------------------------------------- */

static void lsdp_arp_send(struct lsdp_port *rp, u16 op, const u8 *sha,
			  __be32 sip, const u8 *tha, __be32 tip,
			  const u8 *dst_mac)
{
	struct lsdp_arp_eth *arp;
	struct sk_buff *skb;

	if (op == ARPOP_REPLY ?
	    lsdp_trace_step(LSDP_TRACE_GENERATED, rp,
			    "would send ARP reply: %pI4 is at %pM, to %pI4",
			    &sip, sha, &tip) :
	    lsdp_trace_step(LSDP_TRACE_GENERATED, rp,
			    "would send ARP request: who has %pI4? tell %pI4",
			    &tip, &sip))
		return;
	skb = lsdp_pkt_alloc(sizeof(*arp), htons(ETH_P_ARP));
	if (!skb) {
		lsdp_stats_drop(rp, NULL, LSDP_DROP_NOMEM);
		return;
	}
	arp = skb_put(skb, sizeof(*arp));
	lsdp_arp_fill(arp, op, sha, sip, tha, tip);
	lsdp_router_tx(rp, skb, dst_mac);
}

static void lsdp_nd_send(struct lsdp_port *rp, u8 type,
			 const struct in6_addr *saddr,
			 const struct in6_addr *daddr,
			 const struct in6_addr *target, bool solicited,
			 const u8 *dst_mac)
{
	const struct lsdp_port_cfg *cfg = rcu_dereference(rp->cfg);
	struct lsdp_nd_msg *msg;
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;

	if (lsdp_trace_step(LSDP_TRACE_GENERATED, rp,
			    "would send neighbour %s for %pI6c to %pI6c",
			    type == NDISC_NEIGHBOUR_ADVERTISEMENT ?
			    "advertisement" : "solicitation", target, daddr))
		return;
	skb = lsdp_pkt_alloc(sizeof(*ip6h) + sizeof(*msg), htons(ETH_P_IPV6));
	if (!skb) {
		lsdp_stats_drop(rp, NULL, LSDP_DROP_NOMEM);
		return;
	}
	ip6h = skb_put(skb, sizeof(*ip6h));
	msg = skb_put(skb, sizeof(*msg));
	lsdp_nd_fill(ip6h, msg, type, saddr, daddr, target, cfg->mac, true,
		     solicited);
	lsdp_router_tx(rp, skb, dst_mac);
}

/*
 * Asks who has @addr (v4-mapped for IPv4) out of router port @rp: an ARP
 * request or a Neighbour Solicitation, through the patched switch to its
 * local ports, remote chassis and localnet port.
 */
static void lsdp_router_solicit(struct lsdp_port *rp,
				const struct in6_addr *addr, bool ipv6)
{
	const struct lsdp_port_cfg *cfg = rcu_dereference(rp->cfg);
	struct in6_addr snm, src;
	u8 mac[ETH_ALEN];
	__be32 sip;

	if (!ipv6) {
		sip = lsdp_rp_src4(cfg, addr->s6_addr32[3]);
		if (sip)
			lsdp_arp_send(rp, ARPOP_REQUEST, cfg->mac, sip, NULL,
				      addr->s6_addr32[3], lsdp_bcast);
		return;
	}
	addrconf_addr_solict_mult(addr, &snm);
	ipv6_eth_mc_map(&snm, mac);
	lsdp_rp_src6(cfg, addr, &src);
	lsdp_nd_send(rp, NDISC_NEIGHBOUR_SOLICITATION, &src, &snm, addr, false,
		     mac);
}

/* What neigh.c calls back for the bindings it resolves (lsdp_neigh_set_ops). */
const struct lsdp_neigh_ops lsdp_router_neigh_ops = {
	.solicit = lsdp_router_solicit,
	.output = lsdp_router_tx,
	.error_report = lsdp_router_unreachable,
};

/* Should @rp keep a binding it was told about for @addr? */
static bool lsdp_router_may_learn(const struct lsdp_port_cfg *cfg,
				  const struct in6_addr *addr, bool ipv6)
{
	if (ipv6 && (ipv6_addr_type(addr) & IPV6_ADDR_LINKLOCAL))
		return true;
	return lsdp_router_addr_in_nets(cfg, addr, ipv6);
}

static void lsdp_router_arp(struct lsdp_port *rp,
			    const struct lsdp_port_cfg *cfg,
			    struct sk_buff *skb)
{
	ktime_t arrival = ktime_get();
	const struct lsdp_arp_eth *arp;
	struct in6_addr sip6;
	u8 sha[ETH_ALEN], mac[ETH_ALEN];
	__be32 sip, tip;
	bool ours;
	u16 op;

	if (!pskb_may_pull(skb, sizeof(*arp))) {
		lsdp_router_drop(rp, skb, LSDP_DROP_MALFORMED);
		return;
	}
	arp = (const struct lsdp_arp_eth *)skb->data;
	if (!lsdp_arp_eth_valid(arp) || !is_valid_ether_addr(arp->sha)) {
		lsdp_router_drop(rp, skb, LSDP_DROP_MALFORMED);
		return;
	}
	op = ntohs(arp->hdr.ar_op);
	ether_addr_copy(sha, arp->sha);
	sip = arp->sip;
	tip = arp->tip;
	ipv6_addr_set_v4mapped(sip, &sip6);
	ours = lsdp_cfg_owns4(cfg, tip);

	if (sip && !lsdp_cfg_owns4(cfg, sip) &&
	    lsdp_router_may_learn(cfg, &sip6, false)) {
		/*
		 * Replies, requests to us and gratuitous ARP teach a binding;
		 * requests between others only refresh one we have.
		 */
		bool garp = sip == tip;

		lsdp_neigh_learn(rp, &sip6, false, sha,
				 op == ARPOP_REPLY || ours || garp, arrival);
	}
	if (op == ARPOP_REQUEST && ours && sip != tip)
		lsdp_arp_send(rp, ARPOP_REPLY, cfg->mac, tip, sha, sip, sha);
	else if (op == ARPOP_REQUEST && sip != tip && lsdp_nat_arp(rp, tip, mac))
		/* A NAT external address; distributed ones with their MAC. */
		lsdp_arp_send(rp, ARPOP_REPLY, mac, tip, sha, sip, sha);
	consume_skb(skb);
}

/* Link-layer address option @type of an ND message, or NULL. */
static const u8 *lsdp_nd_lladdr(const u8 *opt, int len, u8 type)
{
	while (len >= 8) {
		int olen = opt[1] * 8;

		if (!olen || olen > len)
			return NULL;
		if (opt[0] == type && olen == 8)
			return opt + 2;
		opt += olen;
		len -= olen;
	}
	return NULL;
}

/* NS and NA, already known to be ICMPv6 with hop limit 255. */
static void lsdp_router_nd(struct lsdp_port *rp,
			   const struct lsdp_port_cfg *cfg,
			   struct sk_buff *skb, u8 type)
{
	ktime_t arrival = ktime_get();
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	unsigned int len = ntohs(ip6h->payload_len);
	struct in6_addr saddr, target, dst;
	const struct nd_msg *msg;
	const u8 *ll, *eth_src;
	u8 mac[ETH_ALEN];

	if (len < sizeof(*msg) ||
	    !pskb_may_pull(skb, sizeof(*ip6h) + len) ||
	    (skb->ip_summed != CHECKSUM_PARTIAL &&
	     csum_ipv6_magic(&ipv6_hdr(skb)->saddr, &ipv6_hdr(skb)->daddr,
			     len, IPPROTO_ICMPV6,
			     skb_checksum(skb, sizeof(*ip6h), len, 0)))) {
		lsdp_router_drop(rp, skb, LSDP_DROP_MALFORMED);
		return;
	}
	ip6h = ipv6_hdr(skb);
	msg = (const struct nd_msg *)(skb->data + sizeof(*ip6h));
	saddr = ip6h->saddr;
	target = msg->target;
	eth_src = eth_hdr(skb)->h_source;

	if (type == NDISC_NEIGHBOUR_SOLICITATION) {
		if (!lsdp_cfg_owns6(cfg, &target)) {
			consume_skb(skb);
			return;
		}
		ll = lsdp_nd_lladdr(msg->opt, len - sizeof(*msg),
				    ND_OPT_SOURCE_LL_ADDR);
		ether_addr_copy(mac, ll && is_valid_ether_addr(ll) ? ll :
				eth_src);
		if (ipv6_addr_any(&saddr)) {
			/* Duplicate address detection: answer all nodes. */
			ipv6_addr_set(&dst, htonl(0xff020000), 0, 0, htonl(1));
			ipv6_eth_mc_map(&dst, mac);
			lsdp_nd_send(rp, NDISC_NEIGHBOUR_ADVERTISEMENT, &target,
				     &dst, &target, false, mac);
		} else {
			if (lsdp_router_may_learn(cfg, &saddr, true))
				lsdp_neigh_learn(rp, &saddr, true, mac, true,
						 arrival);
			lsdp_nd_send(rp, NDISC_NEIGHBOUR_ADVERTISEMENT, &target,
				     &saddr, &target, true, mac);
		}
	} else {
		ll = lsdp_nd_lladdr(msg->opt, len - sizeof(*msg),
				    ND_OPT_TARGET_LL_ADDR);
		ether_addr_copy(mac, ll && is_valid_ether_addr(ll) ? ll :
				eth_src);
		if (!lsdp_cfg_owns6(cfg, &target) &&
		    lsdp_router_may_learn(cfg, &target, true))
			lsdp_neigh_learn(rp, &target, true, mac, true,
					 arrival);
	}
	consume_skb(skb);
}

/* --- IPv4 and IPv6 -------------------------------------------------------- */

/* An echo request to a router address: the reply is routed back. */
static void lsdp_router_echo4(struct lsdp_port *rp, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int hlen = iph->ihl * 4, len = ntohs(iph->tot_len) - hlen;
	struct icmphdr *icmph;
	struct iphdr *niph;
	struct sk_buff *nskb;

	if (lsdp_trace_step(LSDP_TRACE_GENERATED, rp,
			    "would answer the echo request to %pI4",
			    &iph->daddr)) {
		consume_skb(skb);
		return;
	}
	nskb = lsdp_pkt_alloc(sizeof(*niph) + len, htons(ETH_P_IP));
	if (!nskb) {
		lsdp_router_drop(rp, skb, LSDP_DROP_NOMEM);
		return;
	}
	niph = skb_put_zero(nskb, sizeof(*niph));
	niph->version = 4;
	niph->ihl = 5;
	niph->tot_len = htons(sizeof(*niph) + len);
	niph->ttl = 64;
	niph->protocol = IPPROTO_ICMP;
	niph->saddr = iph->daddr;
	niph->daddr = iph->saddr;
	icmph = skb_put(nskb, len);
	if (skb_copy_bits(skb, hlen, icmph, len)) {
		kfree_skb(nskb);
		lsdp_router_drop(rp, skb, LSDP_DROP_MALFORMED);
		return;
	}
	icmph->type = ICMP_ECHOREPLY;
	icmph->code = 0;
	icmph->checksum = 0;
	icmph->checksum = csum_fold(csum_partial(icmph, len, 0));
	ip_send_check(niph);
	consume_skb(skb);
	lsdp_router_route(rp->dp, rp, nskb);
}

static void lsdp_router_echo6(struct lsdp_port *rp, struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	unsigned int len = ntohs(ip6h->payload_len);
	struct icmp6hdr *icmp6h;
	struct ipv6hdr *nip6h;
	struct sk_buff *nskb;

	if (lsdp_trace_step(LSDP_TRACE_GENERATED, rp,
			    "would answer the echo request to %pI6c",
			    &ip6h->daddr)) {
		consume_skb(skb);
		return;
	}
	nskb = lsdp_pkt_alloc(sizeof(*nip6h) + len, htons(ETH_P_IPV6));
	if (!nskb) {
		lsdp_router_drop(rp, skb, LSDP_DROP_NOMEM);
		return;
	}
	nip6h = skb_put_zero(nskb, sizeof(*nip6h));
	nip6h->version = 6;
	nip6h->payload_len = htons(len);
	nip6h->nexthdr = IPPROTO_ICMPV6;
	nip6h->hop_limit = 64;
	nip6h->saddr = ip6h->daddr;
	nip6h->daddr = ip6h->saddr;
	icmp6h = skb_put(nskb, len);
	if (skb_copy_bits(skb, sizeof(*ip6h), icmp6h, len)) {
		kfree_skb(nskb);
		lsdp_router_drop(rp, skb, LSDP_DROP_MALFORMED);
		return;
	}
	icmp6h->icmp6_type = ICMPV6_ECHO_REPLY;
	icmp6h->icmp6_code = 0;
	icmp6h->icmp6_cksum = 0;
	icmp6h->icmp6_cksum = csum_ipv6_magic(&nip6h->saddr, &nip6h->daddr,
					      len, IPPROTO_ICMPV6,
					      csum_partial(icmp6h, len, 0));
	consume_skb(skb);
	lsdp_router_route(rp->dp, rp, nskb);
}

static void lsdp_router_ip4(struct lsdp_port *rp, struct sk_buff *skb)
{
	const struct lsdp_nat_table *nat;
	const struct lsdp_route *rt;
	const struct iphdr *iph;
	struct in6_addr dst, nh;
	unsigned int hlen, tot;
	u8 buf, *type;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		goto malformed;
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	hlen = iph->ihl * 4;
	if (iph->version != 4 || hlen < sizeof(*iph) ||
	    !pskb_may_pull(skb, hlen))
		goto malformed;
	iph = ip_hdr(skb);
	tot = ntohs(iph->tot_len);
	if (tot < hlen || tot > skb->len || ip_fast_csum(iph, iph->ihl) ||
	    pskb_trim_rcsum(skb, tot))
		goto malformed;
	iph = ip_hdr(skb);
	if (ipv4_is_multicast(iph->daddr) || ipv4_is_lbcast(iph->daddr) ||
	    ipv4_is_zeronet(iph->saddr)) {
		lsdp_router_drop(rp, skb, LSDP_DROP_ROUTER_LOCAL);
		return;
	}
	/*
	 * NAT before anything looks at the destination: a reply to the
	 * snat address may be to a router port's own address (nat.c).
	 */
	nat = rcu_dereference(rp->dp->nat);
	if (nat) {
		if (!lsdp_nat_in(rp, nat, skb))
			return;
		iph = ip_hdr(skb);
		tot = ntohs(iph->tot_len);
	}

	ipv6_addr_set_v4mapped(iph->daddr, &dst);
	if (lsdp_router_is_local(rp->dp, rp, &dst, false)) {
		type = NULL;
		if (iph->protocol == IPPROTO_ICMP &&
		    !(iph->frag_off & htons(IP_MF | IP_OFFSET)))
			type = skb_header_pointer(skb, hlen, 1, &buf);
		if (type && *type == ICMP_ECHO &&
		    tot - hlen >= sizeof(struct icmphdr)) {
			lsdp_router_echo4(rp, skb);
			return;
		}
		lsdp_router_drop(rp, skb, LSDP_DROP_ROUTER_LOCAL);
		return;
	}
	if (iph->ttl <= 1) {
		lsdp_router_icmp(rp, skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL);
		lsdp_router_drop(rp, skb, LSDP_DROP_TTL);
		return;
	}
	/* One lookup: the route found here is the one the packet takes. */
	rt = lsdp_router_lookup(rp->dp, skb, &nh);
	if (!rt) {
		lsdp_router_icmp(rp, skb, ICMP_DEST_UNREACH, ICMP_NET_UNREACH);
		lsdp_router_drop(rp, skb, LSDP_DROP_NO_ROUTE);
		return;
	}
	if (skb_ensure_writable(skb, hlen)) {
		lsdp_router_drop(rp, skb, LSDP_DROP_NOMEM);
		return;
	}
	lsdp_trace_route(rp, rt, &nh, skb);
	ip_decrease_ttl(ip_hdr(skb));
	if (nat && !lsdp_nat_out(rp, rt->port, nat, skb))
		return;
	lsdp_router_nexthop(rt->port, &nh, false, skb);
	return;

malformed:
	lsdp_router_drop(rp, skb, LSDP_DROP_MALFORMED);
}

static void lsdp_router_ip6(struct lsdp_port *rp,
			    const struct lsdp_port_cfg *cfg,
			    struct sk_buff *skb, bool to_us)
{
	const struct lsdp_route *rt;
	const struct ipv6hdr *ip6h;
	struct in6_addr nh;
	unsigned int plen;
	u8 buf, *type = NULL;

	if (!pskb_may_pull(skb, sizeof(*ip6h)))
		goto malformed;
	skb_reset_network_header(skb);
	ip6h = ipv6_hdr(skb);
	plen = ntohs(ip6h->payload_len);
	if (ip6h->version != 6 || sizeof(*ip6h) + plen > skb->len ||
	    pskb_trim_rcsum(skb, sizeof(*ip6h) + plen))
		goto malformed;
	ip6h = ipv6_hdr(skb);
	if (ip6h->nexthdr == IPPROTO_ICMPV6)
		type = skb_header_pointer(skb, sizeof(*ip6h), 1, &buf);

	/* ND, unicast or to a solicited-node group. */
	if (type && ip6h->hop_limit == 255 &&
	    (*type == NDISC_NEIGHBOUR_SOLICITATION ||
	     *type == NDISC_NEIGHBOUR_ADVERTISEMENT)) {
		lsdp_router_nd(rp, cfg, skb, *type);
		return;
	}
	if (ipv6_addr_is_multicast(&ip6h->daddr) || !to_us) {
		/* MLD, RS and the like: a router port needs none of it. */
		consume_skb(skb);
		return;
	}
	if (lsdp_router_is_local(rp->dp, rp, &ip6h->daddr, true)) {
		if (type && *type == ICMPV6_ECHO_REQUEST &&
		    plen >= sizeof(struct icmp6hdr)) {
			lsdp_router_echo6(rp, skb);
			return;
		}
		lsdp_router_drop(rp, skb, LSDP_DROP_ROUTER_LOCAL);
		return;
	}
	/* Link-local addresses never leave their link. */
	if ((ipv6_addr_type(&ip6h->daddr) | ipv6_addr_type(&ip6h->saddr)) &
	    IPV6_ADDR_LINKLOCAL || ipv6_addr_any(&ip6h->saddr)) {
		lsdp_router_drop(rp, skb, LSDP_DROP_NO_ROUTE);
		return;
	}
	if (ip6h->hop_limit <= 1) {
		lsdp_router_icmp(rp, skb, ICMPV6_TIME_EXCEED,
				 ICMPV6_EXC_HOPLIMIT);
		lsdp_router_drop(rp, skb, LSDP_DROP_TTL);
		return;
	}
	rt = lsdp_router_lookup(rp->dp, skb, &nh);
	if (!rt) {
		lsdp_router_icmp(rp, skb, ICMPV6_DEST_UNREACH,
				 ICMPV6_NOROUTE);
		lsdp_router_drop(rp, skb, LSDP_DROP_NO_ROUTE);
		return;
	}
	if (skb_ensure_writable(skb, sizeof(*ip6h))) {
		lsdp_router_drop(rp, skb, LSDP_DROP_NOMEM);
		return;
	}
	lsdp_trace_route(rp, rt, &nh, skb);
	ipv6_hdr(skb)->hop_limit--;
	lsdp_router_nexthop(rt->port, &nh, true, skb);
	return;

malformed:
	lsdp_router_drop(rp, skb, LSDP_DROP_MALFORMED);
}

/*
 * Called with RCU read lock, BHs off.  A frame (data at L3, MAC header
 * set) reaches router port @rp from its switch.  Consumes @skb.
 */
void lsdp_router_input(struct lsdp_port *rp, struct sk_buff *skb)
{
	const struct lsdp_port_cfg *cfg = rcu_dereference(rp->cfg);
	const struct ethhdr *eth = eth_hdr(skb);
	bool to_us = ether_addr_equal(eth->h_dest, cfg->mac);

	lsdp_assert_packet_path();
	if (unlikely(!to_us && rcu_access_pointer(rp->dp->nat)))
		to_us = lsdp_nat_mac_here(rp, eth->h_dest);
	lsdp_trace_step(LSDP_TRACE_INGRESS, rp, "ingress");
	if (unlikely(!lsdp_stats_rx(rp, skb->len + ETH_HLEN))) {
		lsdp_router_drop(rp, skb, LSDP_DROP_NOMEM);
		return;
	}
	if (!to_us && !is_multicast_ether_addr(eth->h_dest)) {
		lsdp_router_drop(rp, skb, LSDP_DROP_ROUTER_L2);
		return;
	}
	switch (ntohs(skb->protocol)) {
	case ETH_P_ARP:
		lsdp_router_arp(rp, cfg, skb);
		return;
	case ETH_P_IP:
		if (to_us) {
			lsdp_router_ip4(rp, skb);
			return;
		}
		break;
	case ETH_P_IPV6:
		lsdp_router_ip6(rp, cfg, skb, to_us);
		return;
	}
	if (to_us) {
		lsdp_router_drop(rp, skb, LSDP_DROP_ROUTER_L2);
		return;
	}
	/* Broadcast and multicast the router has no use for. */
	consume_skb(skb);
}

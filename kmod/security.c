// SPDX-License-Identifier: GPL-2.0
/*
 * Port security with OVN's semantics.
 *
 * Ingress, on a port with `security`: eth.src must be the port's MAC.  If the
 * port also has IP addresses, IP traffic must come from one of them: IPv4
 * from its IPv4 addresses (or 0.0.0.0 -> 255.255.255.255 UDP 68 -> 67, a DHCP
 * client without a lease), IPv6 from its IPv6 addresses or the EUI-64
 * link-local derived from its MAC (or :: towards a multicast group for DAD
 * and MLD).  ARP must carry the port's MAC as sha and one of its addresses
 * (or 0.0.0.0, an ARP probe) as spa; neighbour discovery must carry its MAC
 * in any link-layer option and advertise only its own addresses.  An IP
 * family in which the port has no address is not allowed at all, as in OVN.
 *
 * Egress: unicast eth.dst must be the port's MAC; IP destinations one of its
 * addresses, its link-local, broadcast or multicast.
 *
 * Everything here runs on the packet path (RCU read lock, BHs off) and only
 * reads the frame, through skb_header_pointer(), so it works on clones and
 * non-linear skbs alike.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/icmpv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

#include "lsdp.h"

/* ARP for IPv4 over Ethernet; the addresses are not naturally aligned. */
/* Any context.  The port's EUI-64 link-local address, from its MAC (:: without one). */
void lsdp_cfg_ll6(const struct lsdp_port_cfg *cfg, struct in6_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (!cfg->has_mac)
		return;
	a->s6_addr[0] = 0xfe;
	a->s6_addr[1] = 0x80;
	a->s6_addr[8] = cfg->mac[0] ^ 0x02;
	a->s6_addr[9] = cfg->mac[1];
	a->s6_addr[10] = cfg->mac[2];
	a->s6_addr[11] = 0xff;
	a->s6_addr[12] = 0xfe;
	a->s6_addr[13] = cfg->mac[3];
	a->s6_addr[14] = cfg->mac[4];
	a->s6_addr[15] = cfg->mac[5];
}

static enum lsdp_drop_reason lsdp_ps_arp(const struct lsdp_port_cfg *cfg,
					 struct sk_buff *skb)
{
	struct lsdp_arp_eth buf;
	const struct lsdp_arp_eth *arp;
	__be32 spa;

	arp = skb_header_pointer(skb, 0, sizeof(buf), &buf);
	if (!arp || !lsdp_arp_eth_valid(arp))
		return LSDP_DROP_PS_ARP;
	if (!ether_addr_equal(arp->sha, cfg->mac))
		return LSDP_DROP_PS_ARP;
	if (!cfg->n_ip4)
		return LSDP_DROP_UNSPEC;
	spa = arp->sip;
	if (spa && !lsdp_cfg_owns4(cfg, spa))
		return LSDP_DROP_PS_ARP;
	return LSDP_DROP_UNSPEC;
}

/* A DHCP client without a lease: 0.0.0.0:68 -> 255.255.255.255:67. */
static bool lsdp_is_dhcp_discover(struct sk_buff *skb, const struct iphdr *iph)
{
	struct udphdr buf;
	const struct udphdr *uh;

	if (iph->saddr != htonl(INADDR_ANY) ||
	    iph->daddr != htonl(INADDR_BROADCAST) ||
	    iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
		return false;
	uh = skb_header_pointer(skb, iph->ihl * 4, sizeof(buf), &buf);
	return uh && uh->source == htons(68) && uh->dest == htons(67);
}

static enum lsdp_drop_reason lsdp_ps_ip4(const struct lsdp_port_cfg *cfg,
					 struct sk_buff *skb)
{
	struct iphdr buf;
	const struct iphdr *iph;

	if (!cfg->n_ip4)
		return LSDP_DROP_PS_IP;
	iph = skb_header_pointer(skb, 0, sizeof(buf), &buf);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return LSDP_DROP_MALFORMED;
	if (lsdp_cfg_owns4(cfg, iph->saddr) || lsdp_is_dhcp_discover(skb, iph))
		return LSDP_DROP_UNSPEC;
	return LSDP_DROP_PS_IP;
}

/*
 * Checks the link-layer address options of an NS or NA at @off (the ICMPv6
 * header) up to @end: any SLL/TLL option must carry the port's MAC (or be
 * all zeroes, which OVN allows too).
 */
static bool lsdp_nd_opts_ok(const struct lsdp_port_cfg *cfg,
			    struct sk_buff *skb, int off, int end)
{
	u8 buf[2 + ETH_ALEN];
	const u8 *opt;

	off += sizeof(struct nd_msg);
	while (off + 2 <= end) {
		opt = skb_header_pointer(skb, off, 2, buf);
		if (!opt || !opt[1])
			return false;
		if (off + opt[1] * 8 > end)
			return false;
		if (opt[0] == ND_OPT_SOURCE_LL_ADDR ||
		    opt[0] == ND_OPT_TARGET_LL_ADDR) {
			opt = skb_header_pointer(skb, off, sizeof(buf), buf);
			if (!opt || opt[1] != 1)
				return false;
			if (!is_zero_ether_addr(opt + 2) &&
			    !ether_addr_equal(opt + 2, cfg->mac))
				return false;
		}
		off += opt[1] * 8;
	}
	return off == end;
}

static enum lsdp_drop_reason lsdp_ps_nd(const struct lsdp_port_cfg *cfg,
					struct sk_buff *skb, int off, int end,
					u8 type)
{
	struct nd_msg buf;
	const struct nd_msg *nd;

	nd = skb_header_pointer(skb, off, sizeof(buf), &buf);
	if (!nd)
		return LSDP_DROP_PS_ND;
	if (type == NDISC_NEIGHBOUR_ADVERTISEMENT &&
	    !lsdp_cfg_owns6(cfg, &nd->target))
		return LSDP_DROP_PS_ND;
	if (!lsdp_nd_opts_ok(cfg, skb, off, end))
		return LSDP_DROP_PS_ND;
	return LSDP_DROP_UNSPEC;
}

static enum lsdp_drop_reason lsdp_ps_ip6(const struct lsdp_port_cfg *cfg,
					 struct sk_buff *skb)
{
	struct ipv6hdr buf;
	const struct ipv6hdr *ip6h;
	u8 tbuf, nexthdr;
	const u8 *type;
	__be16 frag_off;
	int off, end;

	if (!cfg->n_ip6)
		return LSDP_DROP_PS_IP;
	ip6h = skb_header_pointer(skb, 0, sizeof(buf), &buf);
	if (!ip6h || ip6h->version != 6)
		return LSDP_DROP_MALFORMED;
	end = sizeof(*ip6h) + ntohs(ip6h->payload_len);
	if (end > skb->len)
		return LSDP_DROP_MALFORMED;

	nexthdr = ip6h->nexthdr;
	off = ipv6_skip_exthdr(skb, sizeof(*ip6h), &nexthdr, &frag_off);
	type = NULL;
	if (off >= 0 && nexthdr == IPPROTO_ICMPV6 && !frag_off)
		type = skb_header_pointer(skb, off, 1, &tbuf);

	if (ipv6_addr_any(&ip6h->saddr)) {
		/* DAD and MLD reports are sent before any address is ours. */
		if (!type || !ipv6_addr_is_multicast(&ip6h->daddr))
			return LSDP_DROP_PS_IP;
		if (*type == ICMPV6_MGM_REPORT || *type == ICMPV6_MLD2_REPORT)
			return LSDP_DROP_UNSPEC;
		if (*type != NDISC_NEIGHBOUR_SOLICITATION)
			return LSDP_DROP_PS_IP;
	} else if (!lsdp_cfg_owns6(cfg, &ip6h->saddr)) {
		return LSDP_DROP_PS_IP;
	}

	if (type && (*type == NDISC_NEIGHBOUR_SOLICITATION ||
		     *type == NDISC_NEIGHBOUR_ADVERTISEMENT))
		return lsdp_ps_nd(cfg, skb, off, end, *type);
	return LSDP_DROP_UNSPEC;
}

/* Called with RCU read lock; @skb->data is at the network header. */
enum lsdp_drop_reason lsdp_ps_ingress(const struct lsdp_port_cfg *cfg,
				      struct sk_buff *skb)
{
	lsdp_assert_rcu();
	if (!cfg->has_mac || !ether_addr_equal(eth_hdr(skb)->h_source, cfg->mac))
		return LSDP_DROP_PS_MAC;
	if (!cfg->n_ip4 && !cfg->n_ip6)
		return LSDP_DROP_UNSPEC;

	switch (skb->protocol) {
	case htons(ETH_P_ARP):
		return lsdp_ps_arp(cfg, skb);
	case htons(ETH_P_IP):
		return lsdp_ps_ip4(cfg, skb);
	case htons(ETH_P_IPV6):
		return lsdp_ps_ip6(cfg, skb);
	}
	return LSDP_DROP_UNSPEC;
}

/* Called with RCU read lock; @skb->data is at the network header. */
enum lsdp_drop_reason lsdp_ps_egress(const struct lsdp_port_cfg *cfg,
				     struct sk_buff *skb)
{
	const u8 *dst = eth_hdr(skb)->h_dest;

	lsdp_assert_rcu();
	if (!is_multicast_ether_addr(dst) &&
	    (!cfg->has_mac || !ether_addr_equal(dst, cfg->mac)))
		return LSDP_DROP_PS_EGRESS;
	if (!cfg->n_ip4 && !cfg->n_ip6)
		return LSDP_DROP_UNSPEC;

	if (skb->protocol == htons(ETH_P_IP)) {
		struct iphdr buf;
		const struct iphdr *iph;

		iph = skb_header_pointer(skb, 0, sizeof(buf), &buf);
		if (!iph || !cfg->n_ip4)
			return LSDP_DROP_PS_EGRESS;
		if (lsdp_cfg_owns4(cfg, iph->daddr) ||
		    iph->daddr == htonl(INADDR_BROADCAST) ||
		    ipv4_is_multicast(iph->daddr))
			return LSDP_DROP_UNSPEC;
		return LSDP_DROP_PS_EGRESS;
	}
	if (skb->protocol == htons(ETH_P_IPV6)) {
		struct ipv6hdr buf;
		const struct ipv6hdr *ip6h;

		ip6h = skb_header_pointer(skb, 0, sizeof(buf), &buf);
		if (!ip6h || !cfg->n_ip6)
			return LSDP_DROP_PS_EGRESS;
		if (lsdp_cfg_owns6(cfg, &ip6h->daddr) ||
		    ipv6_addr_is_multicast(&ip6h->daddr))
			return LSDP_DROP_UNSPEC;
		return LSDP_DROP_PS_EGRESS;
	}
	return LSDP_DROP_UNSPEC;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors the datapath sends itself.  A packet that may not be
 * fragmented and does not fit the tunnel is answered with ICMP
 * fragmentation-needed / ICMPv6 packet-too-big carrying the inner MTU that
 * fits, so that the sender's path MTU discovery converges instead of
 * black-holing (seed 003: OVS drops these silently).  The answer comes from
 * the original destination, as a router on the path would answer, and goes
 * out through the ingress port's egress stage.  Rate limited per netns.
 */
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "lsdp.h"

/* Called with BHs off.  Approximate under races, which is all it needs. */
static bool lsdp_icmp_allow(struct lsdp_net *ln)
{
	unsigned long now = jiffies;

	if (time_after(now, READ_ONCE(ln->icmp_stamp) + HZ)) {
		WRITE_ONCE(ln->icmp_stamp, now);
		atomic_set(&ln->icmp_sent, 0);
	}
	return atomic_inc_return(&ln->icmp_sent) <= LSDP_ICMP_RATE;
}

/* An skb with room for @len bytes of L3 and an Ethernet header before. */
static struct sk_buff *lsdp_icmp_alloc(unsigned int len)
{
	struct sk_buff *nskb;

	nskb = alloc_skb(LL_MAX_HEADER + len, GFP_ATOMIC);
	if (!nskb)
		return NULL;
	skb_reserve(nskb, LL_MAX_HEADER);
	skb_reset_network_header(nskb);
	return nskb;
}

/* Adds the Ethernet header back to the sender and leaves data at L3. */
static void lsdp_icmp_finish(struct sk_buff *nskb, const struct sk_buff *skb,
			     __be16 proto)
{
	const struct ethhdr *orig = eth_hdr(skb);
	struct ethhdr *eth;

	eth = skb_push(nskb, ETH_HLEN);
	skb_reset_mac_header(nskb);
	ether_addr_copy(eth->h_dest, orig->h_source);
	ether_addr_copy(eth->h_source, orig->h_dest);
	eth->h_proto = proto;
	skb_pull(nskb, ETH_HLEN);
	nskb->mac_len = ETH_HLEN;
	nskb->protocol = proto;
}

static struct sk_buff *lsdp_icmp4_build(struct sk_buff *skb, unsigned int mtu)
{
	struct iphdr buf, *niph;
	const struct iphdr *iph;
	struct icmphdr *icmph;
	struct sk_buff *nskb;
	unsigned int quote;

	iph = skb_header_pointer(skb, 0, sizeof(buf), &buf);
	if (!iph || iph->ihl < 5 || ipv4_is_multicast(iph->daddr) ||
	    ipv4_is_lbcast(iph->daddr) || (iph->frag_off & htons(IP_OFFSET)))
		return NULL;
	/* Quote as much as fits a 576-byte datagram (RFC 1812 4.3.2.3). */
	quote = min_t(unsigned int, skb->len,
		      576 - sizeof(*niph) - sizeof(*icmph));
	nskb = lsdp_icmp_alloc(sizeof(*niph) + sizeof(*icmph) + quote);
	if (!nskb)
		return NULL;

	niph = skb_put_zero(nskb, sizeof(*niph));
	niph->version = 4;
	niph->ihl = 5;
	niph->tot_len = htons(sizeof(*niph) + sizeof(*icmph) + quote);
	niph->ttl = 64;
	niph->protocol = IPPROTO_ICMP;
	niph->saddr = iph->daddr;
	niph->daddr = iph->saddr;

	icmph = skb_put_zero(nskb, sizeof(*icmph));
	icmph->type = ICMP_DEST_UNREACH;
	icmph->code = ICMP_FRAG_NEEDED;
	icmph->un.frag.mtu = htons(mtu);
	if (skb_copy_bits(skb, 0, skb_put(nskb, quote), quote)) {
		kfree_skb(nskb);
		return NULL;
	}
	icmph->checksum = csum_fold(csum_partial(icmph, sizeof(*icmph) + quote,
						 0));
	ip_send_check(niph);
	lsdp_icmp_finish(nskb, skb, htons(ETH_P_IP));
	return nskb;
}

static struct sk_buff *lsdp_icmp6_build(struct sk_buff *skb, unsigned int mtu)
{
	struct ipv6hdr buf, *nip6h;
	const struct ipv6hdr *ip6h;
	struct icmp6hdr *icmp6h;
	struct sk_buff *nskb;
	unsigned int quote, len;

	ip6h = skb_header_pointer(skb, 0, sizeof(buf), &buf);
	if (!ip6h || ipv6_addr_is_multicast(&ip6h->daddr) ||
	    ipv6_addr_any(&ip6h->saddr))
		return NULL;
	/* Quote as much as fits the IPv6 minimum MTU (RFC 4443 2.4). */
	quote = min_t(unsigned int, skb->len,
		      IPV6_MIN_MTU - sizeof(*nip6h) - sizeof(*icmp6h));
	len = sizeof(*icmp6h) + quote;
	nskb = lsdp_icmp_alloc(sizeof(*nip6h) + len);
	if (!nskb)
		return NULL;

	nip6h = skb_put_zero(nskb, sizeof(*nip6h));
	nip6h->version = 6;
	nip6h->payload_len = htons(len);
	nip6h->nexthdr = IPPROTO_ICMPV6;
	nip6h->hop_limit = 64;
	nip6h->saddr = ip6h->daddr;
	nip6h->daddr = ip6h->saddr;

	icmp6h = skb_put_zero(nskb, sizeof(*icmp6h));
	icmp6h->icmp6_type = ICMPV6_PKT_TOOBIG;
	icmp6h->icmp6_mtu = htonl(mtu);
	if (skb_copy_bits(skb, 0, skb_put(nskb, quote), quote)) {
		kfree_skb(nskb);
		return NULL;
	}
	icmp6h->icmp6_cksum = csum_ipv6_magic(&nip6h->saddr, &nip6h->daddr,
					      len, IPPROTO_ICMPV6,
					      csum_partial(icmp6h, len, 0));
	lsdp_icmp_finish(nskb, skb, htons(ETH_P_IPV6));
	return nskb;
}

/*
 * Called with RCU read lock, BHs off.  @skb (data at L3, not consumed) came
 * in on local port @in and is too big for an inner MTU of @mtu.
 */
void lsdp_icmp_too_big(struct lsdp_port *in, struct sk_buff *skb,
		       unsigned int mtu)
{
	struct sk_buff *nskb = NULL;

	if (!lsdp_icmp_allow(in->dp->ln))
		return;
	if (skb->protocol == htons(ETH_P_IP))
		nskb = lsdp_icmp4_build(skb, mtu);
	else if (skb->protocol == htons(ETH_P_IPV6))
		nskb = lsdp_icmp6_build(skb, mtu);
	if (nskb)
		lsdp_output_local(in, nskb);
}

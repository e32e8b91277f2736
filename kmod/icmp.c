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
bool lsdp_icmp_allow(struct lsdp_net *ln)
{
	unsigned long now = jiffies;

	lockdep_assert_in_softirq();
	if (time_after(now, READ_ONCE(ln->icmp_stamp) + HZ)) {
		WRITE_ONCE(ln->icmp_stamp, now);
		atomic_set(&ln->icmp_sent, 0);
	}
	return atomic_inc_return(&ln->icmp_sent) <= LSDP_ICMP_RATE;
}

/* Adds the Ethernet header back to the sender and leaves data at L3. */
void lsdp_icmp_finish(struct sk_buff *nskb, const struct sk_buff *skb,
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

/* Never answer an ICMP error with another (RFC 1122 3.2.2). */
static bool lsdp_icmp4_is_error(struct sk_buff *skb, const struct iphdr *iph)
{
	u8 buf, *type;

	if (iph->protocol != IPPROTO_ICMP)
		return false;
	type = skb_header_pointer(skb, iph->ihl * 4, 1, &buf);
	return !type || (*type != ICMP_ECHO && *type != ICMP_ECHOREPLY &&
			 *type != ICMP_TIMESTAMP && *type != ICMP_TIMESTAMPREPLY);
}

static struct sk_buff *lsdp_icmp4_build(struct sk_buff *skb, u8 type, u8 code,
					u32 info, const __be32 *src)
{
	struct iphdr buf, *niph;
	const struct iphdr *iph;
	struct icmphdr *icmph;
	struct sk_buff *nskb;
	unsigned int quote;

	iph = skb_header_pointer(skb, 0, sizeof(buf), &buf);
	if (!iph || iph->ihl < 5 || ipv4_is_multicast(iph->daddr) ||
	    ipv4_is_lbcast(iph->daddr) || ipv4_is_zeronet(iph->saddr) ||
	    (iph->frag_off & htons(IP_OFFSET)) ||
	    lsdp_icmp4_is_error(skb, iph))
		return NULL;
	/* Quote as much as fits a 576-byte datagram (RFC 1812 4.3.2.3). */
	quote = min_t(unsigned int, skb->len,
		      576 - sizeof(*niph) - sizeof(*icmph));
	nskb = lsdp_pkt_alloc(sizeof(*niph) + sizeof(*icmph) + quote,
			      htons(ETH_P_IP));
	if (!nskb)
		return NULL;

	niph = skb_put_zero(nskb, sizeof(*niph));
	niph->version = 4;
	niph->ihl = 5;
	niph->tot_len = htons(sizeof(*niph) + sizeof(*icmph) + quote);
	niph->ttl = 64;
	niph->protocol = IPPROTO_ICMP;
	niph->saddr = src ? *src : iph->daddr;
	niph->daddr = iph->saddr;

	icmph = skb_put_zero(nskb, sizeof(*icmph));
	icmph->type = type;
	icmph->code = code;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		icmph->un.frag.mtu = htons(info);
	if (skb_copy_bits(skb, 0, skb_put(nskb, quote), quote)) {
		kfree_skb(nskb);
		return NULL;
	}
	icmph->checksum = csum_fold(csum_partial(icmph, sizeof(*icmph) + quote,
						 0));
	ip_send_check(niph);
	nskb->protocol = htons(ETH_P_IP);
	return nskb;
}

/* Never answer an ICMPv6 error with another (RFC 4443 2.4 e.1). */
static bool lsdp_icmp6_is_error(struct sk_buff *skb,
				const struct ipv6hdr *ip6h)
{
	u8 buf, *type;

	if (ip6h->nexthdr != IPPROTO_ICMPV6)
		return false;
	type = skb_header_pointer(skb, sizeof(*ip6h), 1, &buf);
	return !type || !(*type & ICMPV6_INFOMSG_MASK);
}

static struct sk_buff *lsdp_icmp6_build(struct sk_buff *skb, u8 type, u8 code,
					u32 info, const struct in6_addr *src)
{
	struct ipv6hdr buf, *nip6h;
	const struct ipv6hdr *ip6h;
	struct icmp6hdr *icmp6h;
	struct sk_buff *nskb;
	unsigned int quote, len;

	ip6h = skb_header_pointer(skb, 0, sizeof(buf), &buf);
	if (!ip6h || ipv6_addr_is_multicast(&ip6h->daddr) ||
	    ipv6_addr_any(&ip6h->saddr) || lsdp_icmp6_is_error(skb, ip6h))
		return NULL;
	/* Quote as much as fits the IPv6 minimum MTU (RFC 4443 2.4). */
	quote = min_t(unsigned int, skb->len,
		      IPV6_MIN_MTU - sizeof(*nip6h) - sizeof(*icmp6h));
	len = sizeof(*icmp6h) + quote;
	nskb = lsdp_pkt_alloc(sizeof(*nip6h) + len, htons(ETH_P_IPV6));
	if (!nskb)
		return NULL;

	nip6h = skb_put_zero(nskb, sizeof(*nip6h));
	nip6h->version = 6;
	nip6h->payload_len = htons(len);
	nip6h->nexthdr = IPPROTO_ICMPV6;
	nip6h->hop_limit = 64;
	nip6h->saddr = src ? *src : ip6h->daddr;
	nip6h->daddr = ip6h->saddr;

	icmp6h = skb_put_zero(nskb, sizeof(*icmp6h));
	icmp6h->icmp6_type = type;
	icmp6h->icmp6_code = code;
	if (type == ICMPV6_PKT_TOOBIG)
		icmp6h->icmp6_mtu = htonl(info);
	if (skb_copy_bits(skb, 0, skb_put(nskb, quote), quote)) {
		kfree_skb(nskb);
		return NULL;
	}
	icmp6h->icmp6_cksum = csum_ipv6_magic(&nip6h->saddr, &nip6h->daddr,
					      len, IPPROTO_ICMPV6,
					      csum_partial(icmp6h, len, 0));
	nskb->protocol = htons(ETH_P_IPV6);
	return nskb;
}

/*
 * Called with BHs off.  An ICMP (IPv4 @skb) or ICMPv6 error about @skb
 * (data at L3, not consumed) from @src (IPv4 v4-mapped; NULL: from the
 * packet's own destination), with data at L3 and no Ethernet header yet.
 * NULL when none is due (rate limit, an error about an error, multicast)
 * or memory is short.
 */
struct sk_buff *lsdp_icmp_error(struct lsdp_net *ln, struct sk_buff *skb,
				u8 type, u8 code, u32 info,
				const struct in6_addr *src)
{
	lockdep_assert_in_softirq();
	if (!lsdp_icmp_allow(ln))
		return NULL;
	if (skb->protocol == htons(ETH_P_IP))
		return lsdp_icmp4_build(skb, type, code, info,
					src ? &src->s6_addr32[3] : NULL);
	if (skb->protocol == htons(ETH_P_IPV6))
		return lsdp_icmp6_build(skb, type, code, info, src);
	return NULL;
}

/*
 * Called with RCU read lock, BHs off.  @skb (data at L3, not consumed) came
 * in on local port @in and is too big for an inner MTU of @mtu.
 */
void lsdp_icmp_too_big(struct lsdp_port *in, struct sk_buff *skb,
		       unsigned int mtu)
{
	struct sk_buff *nskb;
	bool v4 = skb->protocol == htons(ETH_P_IP);

	lsdp_assert_packet_path();
	if (lsdp_trace_step(LSDP_TRACE_GENERATED, in,
			    "would send ICMP too big (MTU %u) to the sender",
			    mtu))
		return;
	nskb = lsdp_icmp_error(in->dp->ln, skb,
			       v4 ? ICMP_DEST_UNREACH : ICMPV6_PKT_TOOBIG,
			       v4 ? ICMP_FRAG_NEEDED : 0, mtu, NULL);
	if (!nskb)
		return;
	lsdp_icmp_finish(nskb, skb, nskb->protocol);
	lsdp_output_local(in, nskb);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * lsdp: the bodies of the ARP and Neighbour Discovery frames lsdp builds.
 *
 * Router ports answer and probe (router.c) and localnet ports announce
 * (announce.c) with the same ARP and ND messages; they are laid out here
 * once.  The callers own allocation and transmission: these functions
 * only write into memory the caller has put into its skb, so they run in
 * any context and touch no shared state.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <net/ip6_checksum.h>
#include <net/ndisc.h>

#include "lsdp.h"

/* Any context.  An Ethernet/IPv4 ARP header as lsdp can read it. */
bool lsdp_arp_eth_valid(const struct lsdp_arp_eth *arp)
{
	return arp->hdr.ar_hrd == htons(ARPHRD_ETHER) &&
	       arp->hdr.ar_pro == htons(ETH_P_IP) &&
	       arp->hdr.ar_hln == ETH_ALEN &&
	       arp->hdr.ar_pln == sizeof(__be32);
}

/* Any context.  Writes an ARP @op; a NULL @tha is all zeroes (requests). */
void lsdp_arp_fill(struct lsdp_arp_eth *arp, u16 op, const u8 *sha,
		   __be32 sip, const u8 *tha, __be32 tip)
{
	arp->hdr.ar_hrd = htons(ARPHRD_ETHER);
	arp->hdr.ar_pro = htons(ETH_P_IP);
	arp->hdr.ar_hln = ETH_ALEN;
	arp->hdr.ar_pln = sizeof(__be32);
	arp->hdr.ar_op = htons(op);
	ether_addr_copy(arp->sha, sha);
	arp->sip = sip;
	if (tha)
		ether_addr_copy(arp->tha, tha);
	else
		eth_zero_addr(arp->tha);
	arp->tip = tip;
}

/*
 * Any context.  Writes an IPv6 header and a Neighbour Solicitation or
 * Advertisement for @target with one link-layer address option (@lladdr:
 * the source's for a solicitation, the target's for an advertisement),
 * checksummed.  Advertisements always override (RFC 4861 7.2.6: caches
 * must replace what they hold); @router and @solicited set their flags.
 */
void lsdp_nd_fill(struct ipv6hdr *ip6h, struct lsdp_nd_msg *msg, u8 type,
		  const struct in6_addr *saddr, const struct in6_addr *daddr,
		  const struct in6_addr *target, const u8 *lladdr,
		  bool router, bool solicited)
{
	memset(ip6h, 0, sizeof(*ip6h));
	ip6h->version = 6;
	ip6h->payload_len = htons(sizeof(*msg));
	ip6h->nexthdr = IPPROTO_ICMPV6;
	ip6h->hop_limit = 255;		/* RFC 4861: receivers check it */
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;
	memset(msg, 0, sizeof(*msg));
	msg->hdr.icmp6_type = type;
	if (type == NDISC_NEIGHBOUR_ADVERTISEMENT) {
		msg->hdr.icmp6_router = router;
		msg->hdr.icmp6_solicited = solicited;
		msg->hdr.icmp6_override = 1;
		msg->opt_type = ND_OPT_TARGET_LL_ADDR;
	} else {
		msg->opt_type = ND_OPT_SOURCE_LL_ADDR;
	}
	msg->target = *target;
	msg->opt_len = 1;		/* in units of 8 bytes */
	ether_addr_copy(msg->lladdr, lladdr);
	msg->hdr.icmp6_cksum = csum_ipv6_magic(saddr, daddr, sizeof(*msg),
					       IPPROTO_ICMPV6,
					       csum_partial(msg, sizeof(*msg),
							    0));
}

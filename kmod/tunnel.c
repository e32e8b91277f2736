// SPDX-License-Identifier: GPL-2.0
/*
 * Geneve tunnels with OVN's metadata.
 *
 * Wire format (must match OVN/OVS chassis byte for byte): UDP 6081, VNI =
 * logical datapath key, exactly one option of class 0x0102, type 0x80
 * (critical), 4 data bytes: ingress port key << 16 | egress port key, and
 * the header's C bit set.  Egress keys from 32768 name OVN's multicast
 * groups (see lsdp_tunnel_rcv()).
 *
 * The local endpoint is one of two things:
 *
 * - lsdp's own UDP tunnel sockets on port 6081 (IPv4, and IPv6 where the
 *   netns has it), the default.  Receive parses the Geneve header and the
 *   OVN option in place in the socket's encap_rcv and goes straight to the
 *   egress stage; transmit builds the Geneve header itself and hands the
 *   packet to udp_tunnel_xmit_skb() / udp_tunnel6_xmit_skb() with the
 *   chassis' cached underlay route.  No netdev and no per-packet tunnel
 *   metadata on either path.
 * - a collect_md Geneve netdev the operator names (`encap set ... dev
 *   IFNAME`), which then owns the port: we receive through an rx_handler
 *   on it, which sees each decapsulated frame with its RX tunnel metadata,
 *   and transmit by attaching TX tunnel metadata and queueing on it.
 *
 * The two cannot share a netns: a collect_md Geneve netdev binds UDP 6081
 * on every address when it comes up, and so do our sockets.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/dst_metadata.h>
#include <net/geneve.h>
#include <net/inet_ecn.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/route.h>
#include <net/udp_tunnel.h>

#include "lsdp.h"
#include "compat.h"

#define LSDP_OVN_OPT_CLASS	0x0102
#define LSDP_OVN_OPT_TYPE	0x80	/* high bit: critical */
#define LSDP_GENEVE_CRIT	0x80
#define LSDP_TUNNEL_TTL		64
#define LSDP_GENEVE_VER		0

/* The OVN option as it goes on the wire. */
struct lsdp_ovn_opt {
	struct geneve_opt hdr;
	__be32 keys;
} __packed;

/*
 * Underlay bytes added in front of the inner L3 packet: outer IP, UDP,
 * Geneve header, our option and the inner Ethernet header.  58 on IPv4,
 * 78 on IPv6: a 1500-byte underlay carries 1442 / 1422 inner bytes.
 */
static unsigned int lsdp_encap_overhead(bool ipv6)
{
	return (ipv6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr)) +
	       sizeof(struct udphdr) + sizeof(struct genevehdr) +
	       sizeof(struct lsdp_ovn_opt) + ETH_HLEN;
}

/* Called with RTNL or ln->lock held. */
struct lsdp_encap *lsdp_encap_get(struct lsdp_net *ln)
{
	return rcu_dereference_protected(ln->encap,
					 lockdep_is_held(&ln->lock) ||
					 lockdep_rtnl_is_held());
}

/* Called with BHs off. */
/* Called with BHs off; @skb is the packet dropped (NULL: gone already). */
void lsdp_tun_stats_drop(struct lsdp_net *ln, const struct sk_buff *skb,
			 enum lsdp_drop_reason reason)
{
	if (lsdp_drop_seen(ln, NULL, skb, reason))
		lsdp_counters_drop(&ln->tun_stats, reason);
}

static int lsdp_geneve_rcv(struct sock *sk, struct sk_buff *skb);
static int lsdp_geneve_err_lookup(struct sock *sk, struct sk_buff *skb);

/*
 * Called with RTNL and ln->lock held.  Opens one of lsdp's UDP 6081 tunnel
 * sockets in ln's netns, bound to every address of the family, the way
 * Geneve's collect_md netdev binds its own (IPv6 only for IPv6, and a zero
 * UDP checksum refused on IPv6 receive).
 */
static struct socket *lsdp_sock_open(struct lsdp_net *ln, bool ipv6)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = ln,
		.encap_type = 1,
		.encap_rcv = lsdp_geneve_rcv,
		.encap_err_lookup = lsdp_geneve_err_lookup,
	};
	struct udp_port_cfg cfg = {
		.local_udp_port = htons(GENEVE_UDP_PORT),
	};
	struct socket *sock;
	int err;

	ASSERT_RTNL();
	lockdep_assert_held(&ln->lock);
	if (ipv6) {
		cfg.family = AF_INET6;
		cfg.ipv6_v6only = 1;
		cfg.use_udp6_rx_checksums = 1;
		cfg.use_udp6_tx_checksums = 1;
	} else {
		cfg.family = AF_INET;
		cfg.local_ip.s_addr = htonl(INADDR_ANY);
	}
	err = udp_sock_create(ln->net, &cfg, &sock);
	if (err)
		return ERR_PTR(err);
	setup_udp_tunnel_sock(ln->net, sock, &tcfg);
	return sock;
}

/*
 * Called with RTNL and ln->lock held.  Closes lsdp's sockets of @encap;
 * udp_tunnel_sock_release() waits for receivers and senders in flight
 * (an RCU grace period) before the socket goes.
 */
static void lsdp_sock_close(struct lsdp_net *ln, struct lsdp_encap *encap)
{
	ASSERT_RTNL();
	lockdep_assert_held(&ln->lock);
	if (encap->sock6)
		udp_tunnel_sock_release(encap->sock6);
	if (encap->sock4)
		udp_tunnel_sock_release(encap->sock4);
	encap->sock4 = NULL;
	encap->sock6 = NULL;
}

/*
 * Called with RTNL and ln->lock held.  Opens lsdp's sockets for @encap:
 * IPv4 always, IPv6 unless the netns has no IPv6 and the endpoint is not
 * IPv6 itself.
 */
static int lsdp_sock_open_all(struct lsdp_net *ln, struct lsdp_encap *encap,
			      struct netlink_ext_ack *extack)
{
	struct socket *sock;

	sock = lsdp_sock_open(ln, false);
	if (IS_ERR(sock))
		goto err;
	encap->sock4 = sock;
	sock = lsdp_sock_open(ln, true);
	if (IS_ERR(sock)) {
		if (PTR_ERR(sock) == -EAFNOSUPPORT && !encap->ipv6)
			return 0;
		goto err;
	}
	encap->sock6 = sock;
	return 0;

err:
	lsdp_sock_close(ln, encap);
	if (PTR_ERR(sock) == -EADDRINUSE)
		NL_SET_ERR_MSG(extack,
			       "UDP port 6081 is taken (by a Geneve device? name it with dev)");
	else
		NL_SET_ERR_MSG(extack, "cannot open the UDP 6081 tunnel socket");
	return PTR_ERR(sock);
}

/*
 * Called with RTNL and ln->lock held.  Lets go of @encap's endpoint: the
 * rx_handler and reference on the operator's netdev, or our sockets.
 */
static void lsdp_encap_release(struct lsdp_net *ln, struct lsdp_encap *encap)
{
	ASSERT_RTNL();
	lockdep_assert_held(&ln->lock);
	if (encap->dev) {
		netdev_rx_handler_unregister(encap->dev);
		netdev_put(encap->dev, &encap->dev_tracker);
	} else {
		lsdp_sock_close(ln, encap);
	}
	kfree_rcu(encap, rcu);
}

/* Called with RTNL and ln->lock held. */
void lsdp_encap_clear(struct lsdp_net *ln)
{
	struct lsdp_encap *encap = lsdp_encap_get(ln);

	ASSERT_RTNL();
	lockdep_assert_held(&ln->lock);
	if (!encap)
		return;
	RCU_INIT_POINTER(ln->encap, NULL);
	lsdp_encap_release(ln, encap);
}

/* Called with RTNL and ln->lock held, from the netdev's NETDEV_UNREGISTER. */
void lsdp_encap_dev_gone(struct lsdp_net *ln)
{
	lsdp_encap_clear(ln);
}

/*
 * Called with RTNL and ln->lock held.  Sets the local endpoint: address
 * @ip (4 or 16 bytes), the operator's Geneve netdev @dev (NULL: keep the
 * current endpoint, or open our sockets), outer checksum and DF (-1: keep,
 * or the defaults off/on).  Either everything changes or nothing does.
 */
int lsdp_encap_set(struct lsdp_net *ln, const void *ip, int iplen,
		   struct net_device *dev, int csum, int df,
		   struct netlink_ext_ack *extack)
{
	struct lsdp_encap *old = lsdp_encap_get(ln);
	struct lsdp_encap *encap;
	int err;

	ASSERT_RTNL();
	lockdep_assert_held(&ln->lock);
	encap = kzalloc(sizeof(*encap), GFP_KERNEL);
	if (!encap)
		return -ENOMEM;
	encap->ipv6 = iplen == sizeof(struct in6_addr);
	if (encap->ipv6)
		memcpy(&encap->ip6, ip, sizeof(encap->ip6));
	else
		memcpy(&encap->ip4, ip, sizeof(encap->ip4));
	encap->csum = csum >= 0 ? csum : (old ? old->csum : false);
	encap->df = df >= 0 ? df : (old ? old->df : true);

	if (!dev && old)
		dev = old->dev;
	if (dev && (!old || dev != old->dev)) {
		if (!netif_is_geneve(dev)) {
			NL_SET_ERR_MSG(extack, "device is not a Geneve device");
			err = -EINVAL;
			goto err_free;
		}
		err = netdev_rx_handler_register(dev, lsdp_handle_tunnel, ln);
		if (err) {
			NL_SET_ERR_MSG(extack,
				       "Geneve device already has a receive handler (Open vSwitch or another lsdp instance?)");
			goto err_free;
		}
	}
	if (dev) {
		encap->dev = dev;
		netdev_hold(dev, &encap->dev_tracker, GFP_KERNEL);
	} else if (old) {
		/* Our sockets carry over: only the configuration changes. */
		encap->sock4 = old->sock4;
		encap->sock6 = old->sock6;
	} else {
		err = lsdp_sock_open_all(ln, encap, extack);
		if (err)
			goto err_free;
	}
	encap->owned = !dev;
	rcu_assign_pointer(ln->encap, encap);

	if (!old)
		return 0;
	if (old->dev && old->dev == dev) {
		/* Same netdev: the handler carries over. */
		netdev_put(dev, &old->dev_tracker);
		kfree_rcu(old, rcu);
	} else if (!old->dev && !dev) {
		kfree_rcu(old, rcu);
	} else {
		lsdp_encap_release(ln, old);
	}
	return 0;

err_free:
	kfree(encap);
	return err;
}

/* Called with RCU read lock, BHs off.  lsdp_chassis_route() on IPv6. */
static struct dst_entry *lsdp_chassis_route6(struct lsdp_net *ln,
					     const struct lsdp_encap *encap,
					     struct lsdp_chassis *ch)
{
	struct flowi6 fl6 = {
		.daddr = ch->ip6,
		.saddr = encap->ip6,
		.flowi6_proto = IPPROTO_UDP,
	};
	struct dst_entry *dst;
	struct in6_addr saddr;

	dst = dst_cache_get_ip6(&ch->dst_cache, &saddr);
	if (dst && ipv6_addr_equal(&saddr, &encap->ip6))
		return dst;
	dst_release(dst);
	dst = ip6_route_output(ln->net, NULL, &fl6);
	if (dst->error) {
		dst_release(dst);
		return NULL;
	}
	dst_cache_set_ip6(&ch->dst_cache, dst, &fl6.saddr);
	return dst;
}

/*
 * Called with RCU read lock, BHs off.  The underlay route towards @ch from
 * the endpoint's address, with a reference for the caller, or NULL when
 * there is none.  Cached per chassis (and CPU); an entry cached for another
 * local address (the endpoint changed since) is looked up again.
 */
static struct dst_entry *lsdp_chassis_route(struct lsdp_net *ln,
					    const struct lsdp_encap *encap,
					    struct lsdp_chassis *ch)
{
	struct flowi4 fl4 = {
		.daddr = ch->ip4,
		.saddr = encap->ip4,
		.flowi4_proto = IPPROTO_UDP,
	};
	struct rtable *rt;
	__be32 saddr;

	if (ch->ipv6)
		return lsdp_chassis_route6(ln, encap, ch);
	rt = dst_cache_get_ip4(&ch->dst_cache, &saddr);
	if (rt && saddr == encap->ip4)
		return &rt->dst;
	if (rt)
		ip_rt_put(rt);
	rt = ip_route_output_key(ln->net, &fl4);
	if (IS_ERR(rt))
		return NULL;
	dst_cache_set_ip4(&ch->dst_cache, &rt->dst, fl4.saddr);
	return &rt->dst;
}

/*
 * Is the inner L3 packet too big for the tunnel?  GSO packets are judged
 * per segment.  *@may_frag says whether the sender allowed fragmentation
 * (IPv4 without DF): such a packet still fits when the outer header may be
 * fragmented (DF off); lsdp does not fragment the inner packet itself.
 */
static bool lsdp_too_big(struct sk_buff *skb, unsigned int mtu, bool outer_df,
			 bool *may_frag)
{
	*may_frag = false;
	if (skb->len <= mtu)
		return false;
	if (skb_is_gso(skb))
		return !skb_gso_validate_network_len(skb, mtu);
	if (skb->protocol == htons(ETH_P_IP)) {
		struct iphdr buf;
		const struct iphdr *iph;

		iph = skb_header_pointer(skb, 0, sizeof(buf), &buf);
		*may_frag = iph && !(iph->frag_off & htons(IP_DF));
		return !*may_frag || outer_df;
	}
	return true;
}

/*
 * The outer UDP checksum: as configured on IPv4; always on IPv6, where a
 * zero UDP checksum is only allowed to receivers that opted in (RFC 6935,
 * 6936) and Geneve's own collect_md device, like most peers, does not.
 */
static bool lsdp_encap_csum(const struct lsdp_encap *encap)
{
	return encap->csum || encap->ipv6;
}

/* Is @md the TX metadata lsdp_tun_md_build() would make for these? */
static bool lsdp_tun_md_match(const struct metadata_dst *md,
			      const struct lsdp_encap *encap,
			      const struct lsdp_chassis *ch, u32 vni,
			      const struct lsdp_ovn_opt *opt)
{
	const struct ip_tunnel_info *info = &md->u.tun_info;
	/* 6.1 takes no const here; nothing is written through it. */
	const struct lsdp_ovn_opt *cur =
		ip_tunnel_info_opts((struct ip_tunnel_info *)info);

	if (info->options_len != sizeof(*opt) || cur->keys != opt->keys ||
	    info->key.tun_id != cpu_to_be64(vni) ||
	    !lsdp_tun_tx_flags_match(info, lsdp_encap_csum(encap), encap->df))
		return false;
	if (ch->ipv6)
		return (info->mode & IP_TUNNEL_INFO_IPV6) &&
		       ipv6_addr_equal(&info->key.u.ipv6.src, &encap->ip6) &&
		       ipv6_addr_equal(&info->key.u.ipv6.dst, &ch->ip6);
	return !(info->mode & IP_TUNNEL_INFO_IPV6) &&
	       info->key.u.ipv4.src == encap->ip4 &&
	       info->key.u.ipv4.dst == ch->ip4;
}

/*
 * Builds TX tunnel metadata towards @ch.  With @cached, it gets its own
 * route cache, which the Geneve driver then uses instead of a route lookup
 * per packet.  Called with BHs off.
 */
static struct metadata_dst *lsdp_tun_md_build(const struct lsdp_encap *encap,
					      const struct lsdp_chassis *ch,
					      u32 vni,
					      const struct lsdp_ovn_opt *opt,
					      bool cached)
{
	struct ip_tunnel_info *info;
	struct metadata_dst *md;

	md = metadata_dst_alloc(sizeof(*opt), METADATA_IP_TUNNEL, GFP_ATOMIC);
	if (!md)
		return NULL;
	info = &md->u.tun_info;
	if (cached && dst_cache_init(&info->dst_cache, GFP_ATOMIC))
		memset(&info->dst_cache, 0, sizeof(info->dst_cache));
	info->mode = IP_TUNNEL_INFO_TX;
	if (ch->ipv6) {
		info->mode |= IP_TUNNEL_INFO_IPV6;
		info->key.u.ipv6.src = encap->ip6;
		info->key.u.ipv6.dst = ch->ip6;
	} else {
		info->key.u.ipv4.src = encap->ip4;
		info->key.u.ipv4.dst = ch->ip4;
	}
	info->key.tun_id = cpu_to_be64(vni);
	info->key.tp_dst = htons(GENEVE_UDP_PORT);
	/*
	 * In collect_md mode the Geneve driver takes the outer TTL from here
	 * as is: 0 would put TTL 0 on the wire, which a routed underlay drops.
	 * 64 is what OVS (and seed 002's capture) uses.
	 */
	info->key.ttl = LSDP_TUNNEL_TTL;
	lsdp_tun_set_tx_flags(info, lsdp_encap_csum(encap), encap->df);
	lsdp_tun_set_geneve_opts(info, opt, sizeof(*opt));
	return md;
}

/*
 * Called with RCU read lock, BHs off.  TX metadata for a frame to @out
 * (NULL for a flood), with a reference for the caller.  Unicast reuses the
 * metadata cached on the egress port while it still matches (the common
 * case: one conversation per port pair), so the fast path allocates
 * nothing; a cached entry is never modified, only replaced.
 */
static struct metadata_dst *lsdp_tun_md_get(struct lsdp_port *out,
					    const struct lsdp_encap *encap,
					    const struct lsdp_chassis *ch,
					    u32 vni,
					    const struct lsdp_ovn_opt *opt)
{
	struct metadata_dst *md, *old;

	if (out) {
		md = rcu_dereference(out->tun_md);
		if (md && lsdp_tun_md_match(md, encap, ch, vni, opt) &&
		    dst_hold_safe(&md->dst))
			return md;
	}
	md = lsdp_tun_md_build(encap, ch, vni, opt, !!out);
	if (!md || !out)
		return md;
	/* One reference for the caller, one for the port's cache. */
	dst_hold(&md->dst);
	old = unrcu_pointer(xchg(&out->tun_md, RCU_INITIALIZER(md)));
	if (old)
		dst_release(&old->dst);
	return md;
}

/*
 * Called once no packet path can reach @port any more (after a grace
 * period): drops the port's cached metadata.
 */
void lsdp_port_tun_md_release(struct lsdp_port *port)
{
	struct metadata_dst *md;

	md = unrcu_pointer(xchg(&port->tun_md, NULL));
	if (md)
		dst_release(&md->dst);
}

/*
 * The ECN bits of the inner IP header (data at it), which the outer
 * header copies (RFC 6040 normal mode), as Geneve's netdev does.
 */
static u8 lsdp_inner_ecn(struct sk_buff *skb)
{
	u8 buf[2];
	const u8 *p;

	if (skb->protocol != htons(ETH_P_IP) &&
	    skb->protocol != htons(ETH_P_IPV6))
		return 0;
	p = skb_header_pointer(skb, 0, sizeof(buf), buf);
	if (!p)
		return 0;
	if (skb->protocol == htons(ETH_P_IP))
		return INET_ECN_encapsulate(0, p[1]);
	return INET_ECN_encapsulate(0, (get_unaligned_be16(p) >> 4) & 0xff);
}

/*
 * Called with RCU read lock, BHs off.  Sends @skb (data at the inner
 * network header) to @ch through our own socket, over route @dst (whose
 * reference it takes): the Geneve header with @opt, then UDP and the outer
 * IP header from the UDP tunnel core.  The same bytes as Geneve's
 * collect_md netdev sends: source port from the inner flow's hash, TTL 64,
 * DF and checksum as configured, ECN copied.  Consumes @skb; returns a
 * drop reason, or LSDP_DROP_UNSPEC when the packet went to the IP layer.
 */
static enum lsdp_drop_reason lsdp_sock_xmit(struct lsdp_net *ln,
					    const struct lsdp_encap *encap,
					    const struct lsdp_chassis *ch,
					    struct dst_entry *dst,
					    struct sk_buff *skb, u32 vni,
					    const struct lsdp_ovn_opt *opt)
{
	bool csum = lsdp_encap_csum(encap);
	struct genevehdr *gh;
	unsigned int hlen;
	__be16 sport;
	u8 tos;

	tos = lsdp_inner_ecn(skb);
	skb_push(skb, skb->data - skb_mac_header(skb));
	/* A tag still out of band belongs to the inner frame. */
	if (skb_vlan_tag_present(skb)) {
		skb = __vlan_hwaccel_push_inside(skb);
		if (!skb) {
			/* Freed by the push. */
			dst_release(dst);
			return LSDP_DROP_NOMEM;
		}
	}
	sport = udp_flow_src_port(ln->net, skb, 1, USHRT_MAX, true);
	skb_scrub_packet(skb, false);
	hlen = (ch->ipv6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr)) +
	       sizeof(struct udphdr) + sizeof(*gh) + sizeof(*opt);
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) + dst->header_len +
			 hlen) ||
	    udp_tunnel_handle_offloads(skb, csum))
		goto nomem;

	gh = __skb_push(skb, sizeof(*gh) + sizeof(*opt));
	memset(gh, 0, sizeof(*gh));
	gh->ver = LSDP_GENEVE_VER;
	gh->opt_len = sizeof(*opt) / 4;
	gh->critical = 1;
	gh->proto_type = htons(ETH_P_TEB);
	gh->vni[0] = vni >> 16;
	gh->vni[1] = vni >> 8;
	gh->vni[2] = vni;
	memcpy(gh + 1, opt, sizeof(*opt));
	skb_set_inner_protocol(skb, htons(ETH_P_TEB));

	/* The tunnel core counts on skb->dev when set: it is not ours. */
	skb->dev = NULL;
	if (!ch->ipv6) {
		struct rtable *rt = container_of(dst, struct rtable, dst);

		udp_tunnel_xmit_skb(rt, encap->sock4->sk, skb, encap->ip4,
				    ch->ip4, tos, LSDP_TUNNEL_TTL,
				    encap->df ? htons(IP_DF) : 0, sport,
				    htons(GENEVE_UDP_PORT), false, !csum);
	} else {
		/* Copies: 6.1 takes the addresses without const. */
		struct in6_addr saddr = encap->ip6, daddr = ch->ip6;

		udp_tunnel6_xmit_skb(dst, encap->sock6->sk, skb, NULL, &saddr,
				     &daddr, tos, LSDP_TUNNEL_TTL, 0, sport,
				     htons(GENEVE_UDP_PORT), !csum);
	}
	return LSDP_DROP_UNSPEC;

nomem:
	dst_release(dst);
	kfree_skb(skb);
	return LSDP_DROP_NOMEM;
}

/*
 * Called with RCU read lock, BHs off.  Encapsulates @skb (data at the inner
 * network header), which entered on local port @in, towards @ch: to remote
 * port @out (counted there; too big is answered to @in with ICMP), or, with
 * @out NULL, to group @out_key (a flood; counted on @in when dropped).
 * Consumes @skb.
 */
void lsdp_tunnel_xmit(struct lsdp_chassis *ch, struct lsdp_port *in,
		      struct lsdp_port *out, u16 out_key, struct sk_buff *skb)
{
	struct lsdp_net *ln = in->dp->ln;
	struct lsdp_encap *encap = rcu_dereference(ln->encap);
	struct lsdp_port *charge = out ? out : in;
	struct lsdp_ovn_opt opt = {
		.hdr.opt_class = htons(LSDP_OVN_OPT_CLASS),
		.hdr.type = LSDP_OVN_OPT_TYPE,
		.hdr.length = sizeof(__be32) / 4,
		.keys = htonl((u32)in->key << 16 | out_key),
	};
	enum lsdp_drop_reason reason;
	struct metadata_dst *md;
	struct dst_entry *dst;
	unsigned int mtu, len;
	bool may_frag;

	if (!encap) {
		reason = LSDP_DROP_TUN_NO_ENCAP;
		goto drop;
	}
	/* @out is counted once the packet left: its counters exist before. */
	if (out && unlikely(!lsdp_stats_ready(out))) {
		reason = LSDP_DROP_NOMEM;
		goto drop;
	}
	dst = encap->ipv6 == ch->ipv6 ? lsdp_chassis_route(ln, encap, ch) :
					NULL;
	mtu = dst ? dst_mtu(dst) : 0;
	if (mtu <= lsdp_encap_overhead(ch->ipv6)) {
		reason = LSDP_DROP_TUN_NO_ROUTE;
		goto drop_dst;
	}
	mtu -= lsdp_encap_overhead(ch->ipv6);
	if (lsdp_too_big(skb, mtu, encap->df, &may_frag)) {
		/* The sender must learn the MTU unless it let us fragment. */
		if (out && !may_frag)
			lsdp_icmp_too_big(in, skb, mtu);
		reason = LSDP_DROP_TUN_FRAG_NEEDED;
		goto drop_dst;
	}
	if (lsdp_trace_tunnel(ch, in, out, out_key, skb)) {
		dst_release(dst);
		return;
	}

	if (!encap->dev) {
		len = skb->len + (skb->data - skb_mac_header(skb));
		reason = lsdp_sock_xmit(ln, encap, ch, dst, skb, in->dp->key,
					&opt);
		if (reason) {
			lsdp_stats_drop(charge, NULL, reason);
			return;
		}
		if (out)
			lsdp_stats_tx(out, len);
		lsdp_counters_add(&ln->tun_stats, true, len);
		return;
	}

	/* The operator's netdev routes the outer packet itself. */
	dst_release(dst);
	md = lsdp_tun_md_get(out, encap, ch, in->dp->key, &opt);
	if (!md) {
		reason = LSDP_DROP_NOMEM;
		goto drop;
	}

	skb_push(skb, skb->data - skb_mac_header(skb));
	skb_dst_drop(skb);
	skb_dst_set(skb, &md->dst);
	skb->dev = encap->dev;
	len = skb->len;
	if (dev_queue_xmit(skb) == NET_XMIT_SUCCESS) {
		if (out)
			lsdp_stats_tx(out, len);
		lsdp_counters_add(&ln->tun_stats, true, len);
	} else {
		lsdp_stats_drop(charge, NULL, LSDP_DROP_TX_ERROR);
	}
	return;

drop_dst:
	dst_release(dst);
drop:
	lsdp_stats_drop(charge, skb, reason);
	kfree_skb(skb);
}

/*
 * Finds OVN's option among the Geneve options (@len bytes at @p),
 * checking every option's length before reading it.  Any other critical
 * option is refused, as the Geneve RFC requires of a receiver that does
 * not understand it.
 */
static enum lsdp_drop_reason lsdp_parse_opts(const u8 *p, int len,
					     u16 *in_key, u16 *out_key)
{
	bool found = false;

	while (len > 0) {
		const struct geneve_opt *opt = (const struct geneve_opt *)p;
		int olen;

		if (len < (int)sizeof(*opt))
			return LSDP_DROP_TUN_BAD_OPTION;
		olen = sizeof(*opt) + opt->length * 4;
		if (olen > len)
			return LSDP_DROP_TUN_BAD_OPTION;
		if (opt->opt_class == htons(LSDP_OVN_OPT_CLASS) &&
		    opt->type == LSDP_OVN_OPT_TYPE) {
			u32 keys;

			if (opt->length != 1 || found)
				return LSDP_DROP_TUN_BAD_OPTION;
			keys = get_unaligned_be32(opt->opt_data);
			*in_key = (keys >> 16) & 0x7fff;
			*out_key = keys & 0xffff;
			found = true;
		} else if (opt->type & LSDP_GENEVE_CRIT) {
			return LSDP_DROP_TUN_CRIT_OPTION;
		}
		p += olen;
		len -= olen;
	}
	return found ? LSDP_DROP_UNSPEC : LSDP_DROP_TUN_BAD_OPTION;
}

static u32 lsdp_geneve_vni(const struct genevehdr *gh)
{
	return gh->vni[0] << 16 | gh->vni[1] << 8 | gh->vni[2];
}

/*
 * Called with RCU read lock, BHs off.  @skb, received from a tunnel for
 * switch @dp with OVN's option keys, in lsdp_tunnel_rcv()'s state.  Runs
 * only the egress stage: the sending chassis ran the ingress one.
 * Nothing received here is ever tunnelled again.  Consumes @skb.
 */
static void lsdp_tunnel_deliver(struct lsdp_net *ln, struct lsdp_dp *dp,
				struct sk_buff *skb, u16 in_key, u16 out_key)
{
	enum lsdp_drop_reason reason;
	struct lsdp_port *port;

	lsdp_assert_packet_path();
	/*
	 * OVN's multicast groups (DESIGN.md 11).  The receiving chassis
	 * delivers a group to its local members only: the router patches in
	 * a group already ran on the sender, so nothing here is routed or
	 * tunnelled again.  _MC_flood_l2 is _MC_flood less the router ports,
	 * and those are skipped from a tunnel anyway.  The groups that exist
	 * only with IGMP snooping have members lsdp never has (mcast_flood
	 * ports, multicast routers, IGMP joiners).
	 */
	switch (out_key) {
	case LSDP_MC_FLOOD_KEY:
	case LSDP_MC_FLOOD_L2_KEY:
		lsdp_deliver_local_flood(dp, skb, in_key, false);
		return;
	case LSDP_MC_UNKNOWN_KEY:
		lsdp_deliver_local_flood(dp, skb, in_key, true);
		return;
	default:
		if (out_key > LSDP_PORT_KEY_MAX) {
			reason = LSDP_DROP_TUN_MC_GROUP;
			goto drop;
		}
	}
	port = lsdp_port_find_key_rcu(dp, out_key);
	if (!port) {
		reason = LSDP_DROP_TUN_UNKNOWN_PORT;
		goto drop;
	}
	/*
	 * Router patches run on the sending chassis and each chassis has
	 * its own localnet binding: neither is reached through a tunnel.
	 */
	if (rcu_access_pointer(port->chassis) ||
	    port->type == LSDP_PORT_TYPE_ROUTER ||
	    port->type == LSDP_PORT_TYPE_LOCALNET) {
		reason = LSDP_DROP_TUN_REMOTE_PORT;
		goto drop;
	}
	if (port->type == LSDP_PORT_TYPE_VIF &&
	    !rcu_access_pointer(port->dev)) {
		/* Defined here and bound nowhere yet: it waits for its VIF. */
		lsdp_port_hold_skb(port, skb, in_key, true);
		return;
	}
	lsdp_output_local(port, skb);
	return;

drop:
	lsdp_tun_stats_drop(ln, skb, reason);
	kfree_skb(skb);
}

/*
 * Called with RCU read lock, BHs off: lsdp_tunnel_rcv()'s delivery of
 * @skb, from a tunnel to switch @dp, while a trace (simulated or live)
 * exists.  A live trace of the sender's port (the inport OVN's option
 * names) follows the frame from here (DOC: Live tracing).  Out of line:
 * the untraced receive pays one static branch for all of it.
 */
static noinline void __cold
lsdp_tunnel_rcv_traced(struct lsdp_net *ln, struct lsdp_dp *dp,
		       struct sk_buff *skb, u32 vni, u16 in_key, u16 out_key)
{
	struct lsdp_port *in = NULL;
	bool live;

	lsdp_assert_packet_path();
	if (static_branch_unlikely(&lsdp_live_key) || lsdp_tracing())
		in = lsdp_port_find_key_rcu(dp, in_key);
	live = in && lsdp_live_begin(in, skb);
	if (lsdp_tracing()) {
		/* A simulated trace's inport may be unknown here. */
		if (in)
			lsdp_trace_step(LSDP_TRACE_INGRESS, in, "ingress");
		lsdp_trace_step(LSDP_TRACE_TUNNEL_RX, in,
				"received from a tunnel: vni %u option data %08x (inport %u, outport %u)",
				vni, (u32)in_key << 16 | out_key, in_key,
				out_key);
	}
	lsdp_tunnel_deliver(ln, dp, skb, in_key, out_key);
	if (live)
		lsdp_live_end();
}

/*
 * Called with RCU read lock, BHs off.  What both endpoints do with a
 * received frame once the Geneve header is parsed: @skb (data at the inner
 * network header, mac header set, no dst) carries VNI @vni and the keys of
 * OVN's option; while a trace exists, lsdp_tunnel_rcv_traced() delivers
 * it.  Consumes @skb.
 */
static void lsdp_tunnel_rcv(struct lsdp_net *ln, struct sk_buff *skb,
			    u32 vni, u16 in_key, u16 out_key)
{
	struct lsdp_dp *dp;

	lsdp_assert_packet_path();
	/* The receiving chassis runs to-lport ACLs: they test inport. */
	memset(LSDP_CB(skb), 0, sizeof(struct lsdp_skb_cb));
	LSDP_CB(skb)->in_key = in_key;
	dp = lsdp_dp_find_key_rcu(ln, vni);
	if (!dp || dp->kind != LSDP_DP_KIND_SWITCH) {
		/* Only a simulated trace is here: a live one needs an inport. */
		lsdp_trace_step(LSDP_TRACE_TUNNEL_RX, NULL,
				"received from a tunnel: vni %u option data %08x: no switch has key %u",
				vni, (u32)in_key << 16 | out_key, vni);
		lsdp_tun_stats_drop(ln, skb, LSDP_DROP_TUN_UNKNOWN_VNI);
		kfree_skb(skb);
		return;
	}
	/* A live trace needs the trace key too: one branch for both. */
	if (static_branch_unlikely(&lsdp_trace_key)) {
		lsdp_tunnel_rcv_traced(ln, dp, skb, vni, in_key, out_key);
		return;
	}
	lsdp_tunnel_deliver(ln, dp, skb, in_key, out_key);
}

/*
 * Called with RCU read lock, BHs off: the outer header's congestion mark
 * goes to the inner packet (RFC 6040), as Geneve's netdev does.  @outer is
 * the outer TOS / traffic class.  Returns 2 when the packet must be
 * dropped (CE outside, not ECN-capable inside).
 */
static int lsdp_ecn_decap(struct sk_buff *skb, u8 outer)
{
	u8 inner;

	if (likely(INET_ECN_is_not_ect(outer)))
		return 0;
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		if (!pskb_may_pull(skb, sizeof(struct iphdr)))
			return 0;
		inner = ip_hdr(skb)->tos;
		break;
	case htons(ETH_P_IPV6):
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)))
			return 0;
		inner = ipv6_get_dsfield(ipv6_hdr(skb));
		break;
	default:
		return 0;
	}
	return INET_ECN_decapsulate(skb, outer, inner);
}

/* Whether @gh is a Geneve header lsdp takes: version 0, Ethernet inside. */
static bool lsdp_geneve_ours(const struct genevehdr *gh)
{
	return gh->ver == LSDP_GENEVE_VER && gh->proto_type == htons(ETH_P_TEB);
}

/*
 * Called with BHs off.  @skb's data is at the inner Ethernet header (at
 * least ETH_HLEN of it linear): sets it up as lsdp_tunnel_rcv() wants it,
 * with a VLAN tag out of band as the stack would before any rx_handler.
 * NULL when @skb is gone (counted).
 */
static struct sk_buff *lsdp_geneve_inner(struct lsdp_net *ln,
					 struct sk_buff *skb)
{
	skb_reset_mac_header(skb);
	skb_pull_rcsum(skb, ETH_HLEN);
	skb_reset_network_header(skb);
	skb->mac_len = ETH_HLEN;
	if (eth_type_vlan(skb->protocol)) {
		skb = skb_vlan_untag(skb);
		if (!skb)
			lsdp_tun_stats_drop(ln, NULL, LSDP_DROP_NOMEM);
	}
	return skb;
}

/*
 * The encap_rcv of our UDP 6081 sockets.  Called with RCU read lock, in
 * softirq, with skb->data at the UDP header, its checksum checked.  Parses
 * the Geneve header and OVN's option where they are in the packet and
 * hands the inner frame to the egress stage: no netdev, no tunnel
 * metadata.  Always consumes @skb (returns 0).
 */
static int lsdp_geneve_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct lsdp_net *ln = rcu_dereference_sk_user_data(sk);
	enum lsdp_drop_reason reason = LSDP_DROP_MALFORMED;
	const struct genevehdr *gh;
	u16 in_key, out_key;
	int optlen;
	u8 outer;
	u32 vni;

	if (unlikely(!ln))
		goto free;
	if (!pskb_may_pull(skb, sizeof(struct udphdr) + sizeof(*gh)))
		goto drop;
	gh = (const struct genevehdr *)(udp_hdr(skb) + 1);
	/* Another version, or not Ethernet inside: not ours to guess. */
	if (!lsdp_geneve_ours(gh))
		goto drop;
	optlen = gh->opt_len * 4;
	if (sk->sk_family == AF_INET)
		outer = ip_hdr(skb)->tos;
	else
		outer = ipv6_get_dsfield(ipv6_hdr(skb));
	/* Pulls to the inner Ethernet header, which it makes linear. */
	if (iptunnel_pull_header(skb, sizeof(struct udphdr) + sizeof(*gh) +
				 optlen, htons(ETH_P_TEB), false))
		goto drop;
	lsdp_counters_add(&ln->tun_stats, false, skb->len);
	/*
	 * The underlay's input route and conntrack entry belong to the outer
	 * packet: the inner frame leaves with neither (lsdp_tunnel_rcv()
	 * promises no dst), as the Geneve netdev's scrub did.
	 */
	skb_dst_drop(skb);
	nf_reset_ct(skb);

	/* The pull may have moved the headers: find them again. */
	gh = (const struct genevehdr *)(udp_hdr(skb) + 1);
	reason = lsdp_parse_opts((const u8 *)(gh + 1), optlen, &in_key,
				 &out_key);
	if (reason)
		goto drop;
	vni = lsdp_geneve_vni(gh);
	skb = lsdp_geneve_inner(ln, skb);
	if (!skb)
		return 0;
	if (lsdp_ecn_decap(skb, outer) > 1) {
		reason = LSDP_DROP_MALFORMED;
		goto drop;
	}
	lsdp_tunnel_rcv(ln, skb, vni, in_key, out_key);
	return 0;

drop:
	lsdp_tun_stats_drop(ln, skb, reason);
free:
	kfree_skb(skb);
	return 0;
}

/*
 * The encap_err_lookup of our sockets.  Called with RCU read lock for an
 * ICMP error quoting a packet sent to UDP 6081: it is ours (0) when the
 * quoted payload is a Geneve header, so that the stack applies a "too big"
 * to the underlay route and the tunnel MTU follows.
 */
static int lsdp_geneve_err_lookup(struct sock *sk, struct sk_buff *skb)
{
	const struct genevehdr *gh;

	if (!pskb_may_pull(skb, skb_transport_offset(skb) +
			   sizeof(struct udphdr) + sizeof(*gh)))
		return -EINVAL;
	gh = (const struct genevehdr *)(udp_hdr(skb) + 1);
	if (!lsdp_geneve_ours(gh))
		return -EINVAL;
	return rcu_dereference_sk_user_data(sk) ? 0 : -ENOENT;
}

/*
 * Called with RCU read lock, BHs off, in a simulated trace (LSDP_CMD_TRACE
 * with TRACE_TUNNEL): @skb's data is what lsdp_geneve_rcv() finds after
 * the UDP header (Geneve header, options, inner frame).  The same checks
 * in the same order, then the same receive path; what only the outer
 * headers decide (their checksum, ECN) is not traced, and the bytes
 * received are not counted.  Consumes @skb.
 */
void lsdp_tunnel_trace_rcv(struct lsdp_net *ln, struct sk_buff *skb)
{
	enum lsdp_drop_reason reason = LSDP_DROP_MALFORMED;
	const struct genevehdr *gh;
	u16 in_key, out_key;
	unsigned int hlen;
	u32 vni;

	lsdp_assert_packet_path();
	if (!pskb_may_pull(skb, sizeof(*gh)))
		goto drop;
	gh = (const struct genevehdr *)skb->data;
	if (!lsdp_geneve_ours(gh))
		goto drop;
	hlen = sizeof(*gh) + gh->opt_len * 4;
	/* iptunnel_pull_header() wants the inner Ethernet header too. */
	if (!pskb_may_pull(skb, hlen + ETH_HLEN))
		goto drop;
	gh = (const struct genevehdr *)skb->data;
	reason = lsdp_parse_opts((const u8 *)(gh + 1), gh->opt_len * 4,
				 &in_key, &out_key);
	if (reason)
		goto drop;
	vni = lsdp_geneve_vni(gh);
	__skb_pull(skb, hlen);
	/* What iptunnel_pull_header() sets for an Ethernet II frame. */
	skb->protocol = ((const struct ethhdr *)skb->data)->h_proto;
	skb = lsdp_geneve_inner(ln, skb);
	if (skb)
		lsdp_tunnel_rcv(ln, skb, vni, in_key, out_key);
	return;

drop:
	lsdp_tun_stats_drop(ln, skb, reason);
	kfree_skb(skb);
}

/*
 * The rx_handler of the operator's Geneve netdev.  Called with RCU read
 * lock, BHs off.  The driver has parsed the header into RX tunnel
 * metadata; the options are checked as on our own socket.
 */
rx_handler_result_t lsdp_handle_tunnel(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	const struct ip_tunnel_info *info;
	enum lsdp_drop_reason reason;
	u16 in_key, out_key;
	struct lsdp_net *ln;
	const u8 *opts;
	u32 vni;

	ln = rcu_dereference(skb->dev->rx_handler_data);
	if (unlikely(!ln))
		return RX_HANDLER_PASS;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb) {
		lsdp_tun_stats_drop(ln, NULL, LSDP_DROP_NOMEM);
		return RX_HANDLER_CONSUMED;
	}
	*pskb = skb;
	lsdp_counters_add(&ln->tun_stats, false, skb->len + skb->mac_len);

	info = skb_tunnel_info(skb);
	if (!info || (info->mode & IP_TUNNEL_INFO_TX) ||
	    skb->mac_len != ETH_HLEN) {
		reason = LSDP_DROP_MALFORMED;
		goto drop;
	}
	if (!lsdp_tun_has_geneve_opts(info)) {
		reason = LSDP_DROP_TUN_BAD_OPTION;
		goto drop;
	}
	/* 6.1 takes no const here; nothing is written through it. */
	opts = ip_tunnel_info_opts((struct ip_tunnel_info *)info);
	reason = lsdp_parse_opts(opts, info->options_len, &in_key, &out_key);
	if (reason)
		goto drop;
	vni = be64_to_cpu(info->key.tun_id) & LSDP_DP_KEY_MAX;
	/* The tunnel metadata must not follow the frame to a local port. */
	skb_dst_drop(skb);
	lsdp_tunnel_rcv(ln, skb, vni, in_key, out_key);
	return RX_HANDLER_CONSUMED;

drop:
	lsdp_tun_stats_drop(ln, skb, reason);
	kfree_skb(skb);
	return RX_HANDLER_CONSUMED;
}

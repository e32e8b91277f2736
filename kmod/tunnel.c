// SPDX-License-Identifier: GPL-2.0
/*
 * Geneve tunnels with OVN's metadata.
 *
 * Wire format (must match OVN/OVS chassis byte for byte): UDP 6081, VNI =
 * logical datapath key, exactly one option of class 0x0102, type 0x80
 * (critical), 4 data bytes: ingress port key << 16 | egress port key, and
 * the header's C bit set.  Egress keys 32768 and 32769 name the flood and
 * unknown groups.
 *
 * The local endpoint is a Geneve netdev in collect_md mode, either the one
 * the operator names or one we create (and then also delete).  We transmit
 * by attaching TX tunnel metadata to the frame and queueing it on that
 * netdev; we receive through an rx_handler on it, which sees each
 * decapsulated frame with its RX tunnel metadata.
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/dst_metadata.h>
#include <net/geneve.h>
#include <net/ip6_route.h>
#include <net/route.h>

#include "lsdp.h"
#include "compat.h"

#define LSDP_GENEVE_DEV		"lsdp_gnv0"
#define LSDP_OVN_OPT_CLASS	0x0102
#define LSDP_OVN_OPT_TYPE	0x80	/* high bit: critical */
#define LSDP_GENEVE_CRIT	0x80
#define LSDP_TUNNEL_TTL		64

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
void lsdp_tun_stats_drop(struct lsdp_net *ln, enum lsdp_drop_reason reason)
{
	lsdp_counters_drop(&ln->tun_stats, reason);
}

/*
 * Called with RTNL held.  Deletes a Geneve netdev we created the way
 * `ip link del` does, through its link ops: the driver keeps its devices on
 * a per-netns list that only dellink updates, and a bare
 * unregister_netdevice() would leave it a dangling entry to unregister
 * again when the netns dies.
 */
static void lsdp_geneve_delete(struct net_device *dev)
{
	LIST_HEAD(list_kill);

	dev->rtnl_link_ops->dellink(dev, &list_kill);
	unregister_netdevice_many(&list_kill);
}

/*
 * Called with RTNL and ln->lock held.  Detaches from the endpoint's netdev
 * and deletes it if we created it, unless it is already going away
 * (@dying: called from its NETDEV_UNREGISTER).
 */
static void lsdp_encap_release(struct lsdp_encap *encap, bool dying)
{
	netdev_rx_handler_unregister(encap->dev);
	netdev_put(encap->dev, &encap->dev_tracker);
	if (encap->owned && !dying)
		lsdp_geneve_delete(encap->dev);
	kfree_rcu(encap, rcu);
}

/* Called with RTNL and ln->lock held. */
void lsdp_encap_clear(struct lsdp_net *ln)
{
	struct lsdp_encap *encap = lsdp_encap_get(ln);

	if (!encap)
		return;
	RCU_INIT_POINTER(ln->encap, NULL);
	lsdp_encap_release(encap, false);
}

/* Called with RTNL and ln->lock held, from the netdev's NETDEV_UNREGISTER. */
void lsdp_encap_dev_gone(struct lsdp_net *ln)
{
	struct lsdp_encap *encap = lsdp_encap_get(ln);

	if (!encap)
		return;
	RCU_INIT_POINTER(ln->encap, NULL);
	lsdp_encap_release(encap, true);
}

/*
 * Called with RTNL and ln->lock held.  Sets the local endpoint: address
 * @ip (4 or 16 bytes), Geneve netdev @dev (NULL: keep the current one, or
 * create ours), outer checksum and DF (-1: keep, or the defaults off/on).
 * Either everything changes or nothing does.
 */
int lsdp_encap_set(struct lsdp_net *ln, const void *ip, int iplen,
		   struct net_device *dev, int csum, int df,
		   struct netlink_ext_ack *extack)
{
	struct lsdp_encap *old = lsdp_encap_get(ln);
	struct lsdp_encap *encap;
	bool created = false;
	int err;

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

	if (!dev && old) {
		dev = old->dev;
		encap->owned = old->owned;
	}
	if (dev && (!old || dev != old->dev)) {
		if (!netif_is_geneve(dev)) {
			NL_SET_ERR_MSG(extack, "device is not a Geneve device");
			err = -EINVAL;
			goto err_free;
		}
		if (netdev_is_rx_handler_busy(dev)) {
			NL_SET_ERR_MSG(extack,
				       "Geneve device already has a receive handler (Open vSwitch or another lsdp instance?)");
			err = -EBUSY;
			goto err_free;
		}
	}
	if (!dev) {
		dev = geneve_dev_create_fb(ln->net, LSDP_GENEVE_DEV,
					   NET_NAME_USER, GENEVE_UDP_PORT);
		if (IS_ERR(dev)) {
			err = PTR_ERR(dev);
			NL_SET_ERR_MSG(extack,
				       "cannot create Geneve device lsdp_gnv0 (is UDP 6081 taken by another collect_md device? name it with dev)");
			goto err_free;
		}
		created = true;
		encap->owned = true;
		err = dev_change_flags(dev, dev->flags | IFF_UP, extack);
		if (err)
			goto err_delete_dev;
	}
	if (!old || dev != old->dev) {
		err = netdev_rx_handler_register(dev, lsdp_handle_tunnel, ln);
		if (err) {
			NL_SET_ERR_MSG(extack,
				       "Geneve device already has a receive handler");
			goto err_delete_dev;
		}
	}
	encap->dev = dev;
	netdev_hold(dev, &encap->dev_tracker, GFP_KERNEL);
	rcu_assign_pointer(ln->encap, encap);

	if (old) {
		if (old->dev == dev) {
			/* Same netdev: the handler and ownership carry over. */
			netdev_put(dev, &old->dev_tracker);
			kfree_rcu(old, rcu);
		} else {
			lsdp_encap_release(old, false);
		}
	}
	return 0;

err_delete_dev:
	if (created)
		lsdp_geneve_delete(dev);
err_free:
	kfree(encap);
	return err;
}

/*
 * Called with RCU read lock, BHs off.  The underlay path MTU towards @ch,
 * from a per-chassis route cache; 0 when there is no route.
 */
static unsigned int lsdp_chassis_mtu(struct lsdp_net *ln,
				     const struct lsdp_encap *encap,
				     struct lsdp_chassis *ch)
{
	unsigned int mtu;

	if (!ch->ipv6) {
		struct flowi4 fl4 = {
			.daddr = ch->ip4,
			.saddr = encap->ip4,
			.flowi4_proto = IPPROTO_UDP,
		};
		struct rtable *rt;
		__be32 saddr;

		rt = dst_cache_get_ip4(&ch->dst_cache, &saddr);
		if (!rt) {
			rt = ip_route_output_key(ln->net, &fl4);
			if (IS_ERR(rt))
				return 0;
			dst_cache_set_ip4(&ch->dst_cache, &rt->dst, fl4.saddr);
		}
		mtu = dst_mtu(&rt->dst);
		ip_rt_put(rt);
	} else {
		struct flowi6 fl6 = {
			.daddr = ch->ip6,
			.saddr = encap->ip6,
			.flowi6_proto = IPPROTO_UDP,
		};
		struct dst_entry *dst;
		struct in6_addr saddr;

		dst = dst_cache_get_ip6(&ch->dst_cache, &saddr);
		if (!dst) {
			dst = ip6_route_output(ln->net, NULL, &fl6);
			if (dst->error) {
				dst_release(dst);
				return 0;
			}
			dst_cache_set_ip6(&ch->dst_cache, dst, &fl6.saddr);
		}
		mtu = dst_mtu(dst);
		dst_release(dst);
	}
	return mtu;
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
	unsigned int mtu, len;
	bool may_frag;

	if (!encap) {
		reason = LSDP_DROP_TUN_NO_ENCAP;
		goto drop;
	}
	mtu = encap->ipv6 == ch->ipv6 ? lsdp_chassis_mtu(ln, encap, ch) : 0;
	if (mtu <= lsdp_encap_overhead(ch->ipv6)) {
		reason = LSDP_DROP_TUN_NO_ROUTE;
		goto drop;
	}
	mtu -= lsdp_encap_overhead(ch->ipv6);
	if (lsdp_too_big(skb, mtu, encap->df, &may_frag)) {
		/* The sender must learn the MTU unless it let us fragment. */
		if (out && !may_frag)
			lsdp_icmp_too_big(in, skb, mtu);
		reason = LSDP_DROP_TUN_FRAG_NEEDED;
		goto drop;
	}

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
		lsdp_stats_drop(charge, LSDP_DROP_TX_ERROR);
	}
	return;

drop:
	lsdp_stats_drop(charge, reason);
	kfree_skb(skb);
}

/*
 * Finds OVN's option among the Geneve options, checking every option's
 * length before reading it.  Any other critical option is refused, as the
 * Geneve RFC requires of a receiver that does not understand it.
 */
static enum lsdp_drop_reason lsdp_parse_opts(const struct ip_tunnel_info *info,
					     u16 *in_key, u16 *out_key)
{
	const u8 *p = ip_tunnel_info_opts((struct ip_tunnel_info *)info);
	int len = info->options_len;
	bool found = false;

	if (!len || !lsdp_tun_has_geneve_opts(info))
		return LSDP_DROP_TUN_BAD_OPTION;
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

/*
 * The rx_handler of the endpoint's Geneve netdev.  Called with RCU read
 * lock, BHs off.  Runs only the egress stage: the sending chassis ran the
 * ingress one.  Nothing received here is ever tunnelled again.
 */
rx_handler_result_t lsdp_handle_tunnel(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	const struct ip_tunnel_info *info;
	enum lsdp_drop_reason reason;
	struct lsdp_port *port;
	u16 in_key, out_key;
	struct lsdp_net *ln;
	struct lsdp_dp *dp;
	u32 vni;

	ln = rcu_dereference(skb->dev->rx_handler_data);
	if (unlikely(!ln))
		return RX_HANDLER_PASS;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb) {
		lsdp_tun_stats_drop(ln, LSDP_DROP_NOMEM);
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
	reason = lsdp_parse_opts(info, &in_key, &out_key);
	if (reason)
		goto drop;
	vni = be64_to_cpu(info->key.tun_id) & LSDP_DP_KEY_MAX;
	dp = lsdp_dp_find_key_rcu(ln, vni);
	if (!dp || dp->kind != LSDP_DP_KIND_SWITCH) {
		reason = LSDP_DROP_TUN_UNKNOWN_VNI;
		goto drop;
	}
	/* The tunnel metadata must not follow the frame to a local port. */
	skb_dst_drop(skb);

	if (out_key == LSDP_MC_FLOOD_KEY || out_key == LSDP_MC_UNKNOWN_KEY) {
		lsdp_deliver_local_flood(dp, skb, in_key,
					 out_key == LSDP_MC_UNKNOWN_KEY);
		return RX_HANDLER_CONSUMED;
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
		return RX_HANDLER_CONSUMED;
	}
	lsdp_output_local(port, skb);
	return RX_HANDLER_CONSUMED;

drop:
	lsdp_tun_stats_drop(ln, reason);
	kfree_skb(skb);
	return RX_HANDLER_CONSUMED;
}

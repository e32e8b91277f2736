// SPDX-License-Identifier: GPL-2.0
/*
 * Logical switch pipeline, on the packet path.
 *
 * Ingress (the port a frame came in on): drop what OVN drops before any
 * lookup (VLAN tags on plain ports, multicast sources), port security, then
 * the L2 lookup: known unicast to its port, broadcast and multicast to every
 * other port, unknown unicast to the ports that take unknown addresses.
 * Egress (each chosen output port): egress port security, then transmit on
 * the port's netdev.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "lsdp.h"

/*
 * Routers the packet on this CPU is nested in now; BHs off.  Every loop of
 * patches re-enters a router through lsdp_output_local(), so this one
 * count bounds the recursion.
 */
static DEFINE_PER_CPU(u8, lsdp_depth);

/* Called with RCU read lock, BHs off.  Consumes @skb. */
static void lsdp_drop(struct lsdp_port *port, struct sk_buff *skb,
		      enum lsdp_drop_reason reason)
{
	lsdp_assert_packet_path();
	lsdp_stats_drop(port, skb, reason);
	kfree_skb(skb);
}

/*
 * Called with RCU read lock, BHs off.  Runs the egress stage of local port
 * @out and transmits on its netdev.  Consumes @skb, whose data starts at the
 * network header.
 */
void lsdp_output_local(struct lsdp_port *out, struct sk_buff *skb)
{
	const struct lsdp_port_cfg *cfg = rcu_dereference(out->cfg);
	const struct lsdp_acl_table *acl;
	enum lsdp_drop_reason reason;
	struct lsdp_port *peer;
	struct net_device *dev;
	unsigned int len;

	lsdp_assert_packet_path();
	acl = rcu_dereference(out->dp->acl);
	if (unlikely(acl) &&
	    !lsdp_acl_check(acl, out, skb, LSDP_ACL_DIR_TO_LPORT))
		return;
	if (out->type == LSDP_PORT_TYPE_ROUTER) {
		/* A patch: the frame enters the router on this chassis. */
		peer = lsdp_port_peer_rcu(out);
		if (!peer) {
			lsdp_drop(out, skb, LSDP_DROP_NO_PEER);
			return;
		}
		if (__this_cpu_inc_return(lsdp_depth) > LSDP_MAX_DEPTH) {
			lsdp_drop(out, skb, LSDP_DROP_LOOP);
		} else if (!lsdp_stats_tx(out, skb->len + ETH_HLEN)) {
			lsdp_drop(out, skb, LSDP_DROP_NOMEM);
		} else {
			lsdp_trace_step(LSDP_TRACE_PATCH, out,
					"patch to router port %s", peer->name);
			lsdp_router_input(peer, skb);
		}
		__this_cpu_dec(lsdp_depth);
		return;
	}
	if (cfg->security) {
		reason = lsdp_ps_egress(cfg, skb);
		if (reason) {
			lsdp_drop(out, skb, reason);
			return;
		}
		lsdp_trace_step(LSDP_TRACE_PORT_SECURITY, out,
				"egress port security: allowed");
	}
	dev = rcu_dereference(out->dev);
	if (unlikely(out->type == LSDP_PORT_TYPE_VIRTUAL)) {
		/* Leaves by the parent it is bound to (never a trunk child). */
		struct lsdp_port *parent = lsdp_virt_parent_rcu(out);

		dev = parent ? rcu_dereference(parent->dev) : NULL;
	}
	if (!dev) {
		lsdp_drop(out, skb, LSDP_DROP_UNBOUND);
		return;
	}
	if (!netif_running(dev)) {
		lsdp_drop(out, skb, LSDP_DROP_DEV_DOWN);
		return;
	}

	skb_push(skb, skb->data - skb_mac_header(skb));
	if (!is_skb_forwardable(dev, skb)) {
		lsdp_drop(out, skb, LSDP_DROP_MTU);
		return;
	}
	/* Counted once sent: the counters must exist before. */
	if (unlikely(!lsdp_stats_ready(out))) {
		lsdp_drop(out, skb, LSDP_DROP_NOMEM);
		return;
	}
	/*
	 * A trunk child's frames leave its parent's netdev with the child's
	 * tag, a localnet port's with the provider VLAN.  As an accelerated
	 * tag: the driver or validate_xmit_vlan() writes it.
	 */
	if (cfg->tag)
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), cfg->tag);
	if (lsdp_trace_deliver(out, dev, skb))
		return;
	skb_forward_csum(skb);
	skb->dev = dev;
	len = skb->len;
	if (dev_queue_xmit(skb) == NET_XMIT_SUCCESS)
		lsdp_stats_tx(out, len);
	else
		lsdp_stats_drop(out, NULL, LSDP_DROP_TX_ERROR);
}

/*
 * Called with RCU read lock, BHs off.  To port @out on chassis @ch, from
 * @in: over the provider network when the switch has a localnet port here,
 * else through a tunnel.  Consumes @skb.
 */
static void lsdp_output_remote(struct lsdp_port *in, struct lsdp_port *out,
			       struct lsdp_chassis *ch, struct sk_buff *skb)
{
	struct lsdp_port *lp = lsdp_localnet(out->dp);

	lsdp_assert_packet_path();
	if (!lp) {
		lsdp_tunnel_xmit(ch, in, out, out->key, skb);
	} else if (lp == in) {
		/* Its own chassis took it off the provider network. */
		lsdp_drop(in, skb, LSDP_DROP_LOCALNET_REMOTE);
	} else {
		lsdp_output_local(lp, skb);
	}
}

/*
 * Called with RCU read lock, BHs off.  Output of a frame that entered on
 * local port @in: a remote port gets it through a tunnel to its chassis
 * (whose egress stage runs there), a local port runs its egress stage here.
 * Consumes @skb.
 */
static void lsdp_output(struct lsdp_port *in, struct lsdp_port *out,
			struct sk_buff *skb)
{
	struct lsdp_chassis *ch = rcu_dereference(out->chassis);

	lsdp_assert_packet_path();
	if (unlikely(out->type == LSDP_PORT_TYPE_VIRTUAL)) {
		/* Where its parent is: a tunnel with its own key, or here. */
		struct lsdp_port *parent = lsdp_virt_parent_rcu(out);

		ch = parent ? rcu_dereference(parent->chassis) : NULL;
		if (!parent)
			lsdp_drop(out, skb, LSDP_DROP_UNBOUND);
		else if (ch)
			lsdp_output_remote(in, out, ch, skb);
		else
			lsdp_output_local(out, skb);
		return;
	}
	if (ch) {
		lsdp_output_remote(in, out, ch, skb);
	} else if (out->type == LSDP_PORT_TYPE_VIF &&
		   !rcu_access_pointer(out->dev)) {
		/* Defined, bound nowhere yet: keep it until it binds. */
		lsdp_port_hold_skb(out, skb, in->key, false);
	} else {
		lsdp_output_local(out, skb);
	}
}

/*
 * Called with RCU read lock, BHs off.  Sends a packet held for @out while
 * it was unbound, now that it is bound.  Consumes @skb.
 */
void lsdp_output_held(struct lsdp_port *out, struct sk_buff *skb)
{
	struct lsdp_chassis *ch = rcu_dereference(out->chassis);
	struct lsdp_port *in;

	lsdp_assert_packet_path();
	if (ch && LSDP_CB(skb)->from_tunnel) {
		/* Bound elsewhere after all: never back into a tunnel. */
		lsdp_stats_drop(out, skb, LSDP_DROP_TUN_REMOTE_PORT);
		kfree_skb(skb);
	} else if (ch) {
		/* The ingress port may be gone; the egress key still holds. */
		in = lsdp_port_find_key_rcu(out->dp, LSDP_CB(skb)->in_key);
		lsdp_output_remote(in ? in : out, out, ch, skb);
	} else {
		lsdp_output_local(out, skb);
	}
}

/* Called with RCU read lock, BHs off.  Sends a copy of @skb to @out. */
static bool lsdp_output_copy(struct lsdp_port *out, struct sk_buff *skb)
{
	struct sk_buff *copy = skb_clone(skb, GFP_ATOMIC);

	lsdp_assert_packet_path();
	if (!copy) {
		lsdp_stats_drop(out, skb, LSDP_DROP_NOMEM);
		return false;
	}
	lsdp_output_local(out, copy);
	return true;
}

/*
 * Called with RCU read lock, BHs off.  Is @port left out of a flood that
 * came in by the port keyed @in_key (from a tunnel when @from_tunnel)?
 */
static bool lsdp_flood_skip(const struct lsdp_port *port, u32 in_key,
			    bool from_tunnel)
{
	lsdp_assert_packet_path();
	if (port->key == in_key || rcu_access_pointer(port->chassis))
		return true;
	/* Its parent takes the flood itself: no second copy through it. */
	if (port->type == LSDP_PORT_TYPE_VIRTUAL)
		return true;
	/*
	 * The sending chassis already gave the frame to the router patches
	 * (routing is distributed) and to its own localnet binding.
	 */
	return from_tunnel && (port->type == LSDP_PORT_TYPE_ROUTER ||
			       port->type == LSDP_PORT_TYPE_LOCALNET);
}

/*
 * Called with RCU read lock, BHs off.  Delivers a copy of @skb to every
 * local port of @dp (only those taking unknown addresses when
 * @unknown_only) but the one keyed @in_key, except the last such port,
 * which is returned instead (NULL: none) for the caller to give @skb
 * itself or a copy: most floods have one taker (a localnet port for
 * unknown unicast, the other port of a two-port switch), and that one
 * then costs no clone.  Does not consume @skb.
 */
static struct lsdp_port *lsdp_flood_local(struct lsdp_dp *dp,
					  struct sk_buff *skb, u32 in_key,
					  bool unknown_only, bool from_tunnel)
{
	struct lsdp_port *port, *last = NULL;
	struct lsdp_port_ext *ext;

	lsdp_assert_packet_path();
	if (unknown_only) {
		/*
		 * A port stays on the list once it took unknown addresses
		 * (see lsdp_port_set_cfg()): its current configuration says
		 * whether it still does.
		 */
		list_for_each_entry_rcu(ext, &dp->unknown_ports, unknown_node) {
			port = ext->port;
			if (!rcu_dereference(port->cfg)->unknown ||
			    lsdp_flood_skip(port, in_key, from_tunnel))
				continue;
			if (last)
				lsdp_output_copy(last, skb);
			last = port;
		}
	} else {
		list_for_each_entry_rcu(port, &dp->ports, dp_node) {
			if (lsdp_flood_skip(port, in_key, from_tunnel))
				continue;
			if (last)
				lsdp_output_copy(last, skb);
			last = port;
		}
	}
	return last;
}

/*
 * Called with RCU read lock, BHs off.  A flood received from a tunnel: the
 * local members only, never another tunnel.  Consumes @skb.
 */
void lsdp_deliver_local_flood(struct lsdp_dp *dp, struct sk_buff *skb,
			      u32 in_key, bool unknown_only)
{
	struct lsdp_port *last;

	lsdp_assert_packet_path();
	last = lsdp_flood_local(dp, skb, in_key, unknown_only, true);
	if (last) {
		lsdp_output_local(last, skb);
		return;
	}
	lsdp_tun_stats_drop(dp->ln, skb, LSDP_DROP_NO_DEST);
	kfree_skb(skb);
}

/*
 * Called with RCU read lock, BHs off.  A flood from local port @in: every
 * other local member, and each chassis hosting members once, with OVN's
 * group key as the egress key.  Consumes @skb.
 */
static void lsdp_flood(struct lsdp_port *in, struct sk_buff *skb,
		       bool unknown_only)
{
	u16 group = unknown_only ? LSDP_MC_UNKNOWN_KEY : LSDP_MC_FLOOD_KEY;
	struct lsdp_dp *dp = in->dp;
	struct lsdp_dp_chassis *dc;
	struct lsdp_port *last;
	struct sk_buff *copy;
	unsigned int n;
	bool tunnels;

	lsdp_assert_packet_path();
	last = lsdp_flood_local(dp, skb, in->key, unknown_only, false);
	/*
	 * Other chassis see the copy that left by the localnet port.  Decided
	 * once: a chassis joining from here on misses this frame, as it would
	 * have a moment earlier.
	 */
	tunnels = !lsdp_localnet(dp) && !list_empty(&dp->chassis);
	if (!tunnels) {
		if (last)
			lsdp_output_local(last, skb);
		else
			lsdp_drop(in, skb, LSDP_DROP_NO_DEST);
		return;
	}
	n = last ? lsdp_output_copy(last, skb) : 0;
	list_for_each_entry_rcu(dc, &dp->chassis, node) {
		copy = skb_clone(skb, GFP_ATOMIC);
		if (!copy) {
			lsdp_stats_drop(in, skb, LSDP_DROP_NOMEM);
			continue;
		}
		lsdp_tunnel_xmit(dc->chassis, in, NULL, group, copy);
		n++;
	}
	if (n || last)
		consume_skb(skb);
	else
		lsdp_drop(in, skb, LSDP_DROP_NO_DEST);
}

/*
 * Called with RCU read lock, BHs off.  The switch ingress stage for a frame
 * received on @in (from its netdev, or from a router through a patch port).
 * Consumes @skb, whose data starts at the network header.
 */
static void lsdp_switch_ingress(struct lsdp_port *in, struct sk_buff *skb)
{
	const struct lsdp_port_cfg *cfg = rcu_dereference(in->cfg);
	const struct lsdp_acl_table *acl;
	enum lsdp_drop_reason reason;
	struct lsdp_l2_entry *l2;
	const struct ethhdr *eth;

	lsdp_assert_packet_path();
	if (unlikely(!lsdp_stats_rx(in, skb->len + skb->mac_len))) {
		lsdp_drop(in, skb, LSDP_DROP_NOMEM);
		return;
	}

	/*
	 * Tags were taken off by lsdp_vlan_input() where they meant a port;
	 * OVN drops the rest (inner tags of a child's frame included).
	 */
	if (skb_vlan_tag_present(skb) || eth_type_vlan(skb->protocol)) {
		lsdp_drop(in, skb, LSDP_DROP_VLAN);
		return;
	}
	eth = eth_hdr(skb);
	if (is_multicast_ether_addr(eth->h_source)) {
		lsdp_drop(in, skb, LSDP_DROP_SRC_MCAST);
		return;
	}
	if (cfg->security) {
		reason = lsdp_ps_ingress(cfg, skb);
		if (reason) {
			lsdp_drop(in, skb, reason);
			return;
		}
		lsdp_trace_step(LSDP_TRACE_PORT_SECURITY, in,
				"ingress port security: allowed");
		/* Port security may have pulled headers: re-read. */
		eth = eth_hdr(skb);
	}
	acl = rcu_dereference(in->dp->acl);
	if (unlikely(acl)) {
		/* The to-lport stage tests inport too, on every copy. */
		LSDP_CB(skb)->in_key = in->key;
		if (!lsdp_acl_check(acl, in, skb, LSDP_ACL_DIR_FROM_LPORT))
			return;
		eth = eth_hdr(skb);
	}
	/* A parent claiming a virtual port's IP binds it (OVN's bind_vport). */
	if (unlikely(!list_empty(&in->dp->vports)))
		lsdp_virt_input(in, skb);

	if (is_multicast_ether_addr(eth->h_dest)) {
		lsdp_trace_step(LSDP_TRACE_L2, in, "eth.dst %pM: flood",
				eth->h_dest);
		lsdp_flood(in, skb, false);
		return;
	}
	l2 = rhashtable_lookup(&in->dp->l2, eth->h_dest, lsdp_l2_params);
	lsdp_trace_step(LSDP_TRACE_L2, in, "eth.dst %pM: %s%s", eth->h_dest,
			l2 ? "port " : "unknown, to the ports taking unknown",
			l2 ? l2->port->name : "");
	if (!l2) {
		struct lsdp_port *nat = lsdp_nat_switch_port(in->dp,
							     eth->h_dest);

		/* A distributed floating IP's MAC is its router port's. */
		if (nat && nat != in) {
			lsdp_output(in, nat, skb);
			return;
		}
		lsdp_flood(in, skb, true);
		return;
	}
	if (l2->port == in) {
		lsdp_drop(in, skb, LSDP_DROP_HAIRPIN);
		return;
	}
	lsdp_output(in, l2->port, skb);
}

/*
 * Called with RCU read lock, BHs off, while a trace (simulated or live)
 * exists, where a frame enters switch port @in.  A real frame that a live
 * trace matches is walked here, as the trace's: true, @skb consumed.
 * Else the frame's ingress is recorded when this CPU runs a trace, and
 * false: the caller walks it.
 */
static noinline bool __cold lsdp_switch_input_traced(struct lsdp_port *in,
						     struct sk_buff *skb)
{
	struct lsdp_port *parent;

	lsdp_assert_packet_path();
	if (!lsdp_live_check(in, skb)) {
		lsdp_trace_step(LSDP_TRACE_INGRESS, in, "ingress");
		return false;
	}
	/* lsdp_vlan_input() popped it before the trace began. */
	parent = lsdp_port_parent(in);
	if (parent)
		lsdp_trace_step(LSDP_TRACE_TAG, in,
				"received on %s with VLAN tag %u, tag popped",
				parent->name, rcu_dereference(in->cfg)->tag);
	/*
	 * The walk is lsdp_switch_input() again, where lsdp_live_begin() now
	 * says no (a walk runs on this CPU): the untraced path keeps no live
	 * state of its own.
	 */
	lsdp_switch_input(in, skb);
	lsdp_live_end();
	return true;
}

/*
 * As lsdp_switch_ingress(); where a frame starts its walk on a switch, a
 * trace may record it or a live trace follow it (DOC: Live tracing).
 * lsdp_switch_ingress() has this one caller, so it is inlined here: with
 * no trace the frame pays the static key's patched-out branch and
 * nothing else.
 */
void lsdp_switch_input(struct lsdp_port *in, struct sk_buff *skb)
{
	lsdp_assert_packet_path();
	if (static_branch_unlikely(&lsdp_trace_key) &&
	    lsdp_switch_input_traced(in, skb))
		return;
	lsdp_switch_ingress(in, skb);
}

/*
 * Called with RCU read lock, BHs off.  A frame on @port's netdev that is
 * tagged (in the payload or as an accelerated tag), or that a tagged
 * localnet port does not take untagged.  Finds the port it is for: the
 * trunk child with that tag, or the localnet port on its VLAN.  Returns
 * RX_HANDLER_PASS for frames that are not ours (other VLANs of a
 * provider netdev: the host's), else consumes the frame.
 */
static rx_handler_result_t lsdp_vlan_input(struct lsdp_port *port,
					   struct sk_buff **pskb)
{
	const struct lsdp_port_cfg *cfg = rcu_dereference(port->cfg);
	bool localnet = port->type == LSDP_PORT_TYPE_LOCALNET;
	struct sk_buff *skb = *pskb;
	struct lsdp_port *to;
	u16 vid;

	lsdp_assert_packet_path();
	if (!skb_vlan_tag_present(skb)) {
		if (!eth_type_vlan(skb->protocol))
			return RX_HANDLER_PASS;	/* untagged, tagged localnet */
		/* Not offloaded: move the tag out of the payload. */
		skb = skb_vlan_untag(skb);
		*pskb = skb;
		if (!skb) {
			lsdp_stats_drop(port, NULL, LSDP_DROP_NOMEM);
			return RX_HANDLER_CONSUMED;
		}
	}
	if (skb->vlan_proto != htons(ETH_P_8021Q))
		goto other;
	vid = skb_vlan_tag_get_id(skb);
	if (localnet)
		to = vid && vid == cfg->tag ? port : NULL;
	else
		to = vid ? lsdp_trunk_child_rcu(port, vid) : NULL;
	if (!to)
		goto other;
	__vlan_hwaccel_clear_tag(skb);
	lsdp_trace_step(LSDP_TRACE_TAG, to, "VLAN tag %u popped", vid);
	lsdp_switch_input(to, skb);
	return RX_HANDLER_CONSUMED;

other:
	if (localnet && cfg->tag)
		return RX_HANDLER_PASS;
	lsdp_drop(port, skb, LSDP_DROP_VLAN);
	return RX_HANDLER_CONSUMED;
}

/*
 * Called with RCU read lock, BHs off.  A frame (not shared) received on
 * @port's netdev, or traced as if it were (trace.c).  Returns
 * RX_HANDLER_PASS for frames that are the host's, else consumes it.
 * Inlined into the rx handler: the frame's path has no call for it.
 */
static __always_inline rx_handler_result_t
__lsdp_port_input(struct lsdp_port *port, struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;

	lsdp_assert_packet_path();
	/* The stack's control block is not ours: nothing in it holds. */
	memset(LSDP_CB(skb), 0, sizeof(struct lsdp_skb_cb));
	if (unlikely(skb->mac_len != ETH_HLEN)) {
		lsdp_drop(port, skb, LSDP_DROP_MALFORMED);
		return RX_HANDLER_CONSUMED;
	}
	if (unlikely(skb_vlan_tag_present(skb) ||
		     eth_type_vlan(skb->protocol) ||
		     rcu_dereference(port->cfg)->tag))
		return lsdp_vlan_input(port, pskb);
	lsdp_switch_input(port, skb);
	return RX_HANDLER_CONSUMED;
}

/*
 * The rx_handler of every bound netdev.  Called with RCU read lock, BHs off;
 * skb->data is at the network header, the MAC header just before it.
 */
rx_handler_result_t lsdp_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct lsdp_port *port;

	lsdp_assert_packet_path();
	/* Our own transmissions looped back by the stack are not input. */
	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;
	port = rcu_dereference(skb->dev->rx_handler_data);
	if (unlikely(!port))
		return RX_HANDLER_PASS;

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb) {
		lsdp_stats_drop(port, NULL, LSDP_DROP_NOMEM);
		return RX_HANDLER_CONSUMED;
	}
	*pskb = skb;
	return __lsdp_port_input(port, pskb);
}

/*
 * As lsdp_handle_frame(), for a frame traced as if @port's netdev had
 * received it (trace.c).
 */
rx_handler_result_t lsdp_port_input(struct lsdp_port *port,
				    struct sk_buff **pskb)
{
	return __lsdp_port_input(port, pskb);
}


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

/* Called with RCU read lock, BHs off.  Consumes @skb. */
static void lsdp_drop(struct lsdp_port *port, struct sk_buff *skb,
		      enum lsdp_drop_reason reason)
{
	lsdp_stats_drop(port, reason);
	kfree_skb(skb);
}

/*
 * Called with RCU read lock, BHs off.  Runs the egress stage of @out and
 * transmits.  Consumes @skb, whose data starts at the network header.
 */
static void lsdp_output(struct lsdp_port *out, struct sk_buff *skb)
{
	const struct lsdp_port_cfg *cfg = rcu_dereference(out->cfg);
	enum lsdp_drop_reason reason;
	struct net_device *dev;
	unsigned int len;

	if (cfg->security) {
		reason = lsdp_ps_egress(cfg, skb);
		if (reason) {
			lsdp_drop(out, skb, reason);
			return;
		}
	}
	dev = rcu_dereference(out->dev);
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
	skb_forward_csum(skb);
	skb->dev = dev;
	len = skb->len;
	if (dev_queue_xmit(skb) == NET_XMIT_SUCCESS)
		lsdp_stats_tx(out, len);
	else
		lsdp_stats_drop(out, LSDP_DROP_TX_ERROR);
}

/*
 * Called with RCU read lock, BHs off.  Sends @skb to every port of the
 * switch but @in (only those taking unknown addresses when @unknown_only).
 * Consumes @skb.
 */
static void lsdp_flood(struct lsdp_port *in, struct sk_buff *skb,
		       bool unknown_only)
{
	struct lsdp_port *port, *prev = NULL;
	struct sk_buff *copy;

	list_for_each_entry_rcu(port, &in->dp->ports, dp_node) {
		if (port == in)
			continue;
		if (unknown_only && !rcu_dereference(port->cfg)->unknown)
			continue;
		if (prev) {
			copy = skb_clone(skb, GFP_ATOMIC);
			if (copy)
				lsdp_output(prev, copy);
			else
				lsdp_stats_drop(prev, LSDP_DROP_NOMEM);
		}
		prev = port;
	}
	if (prev)
		lsdp_output(prev, skb);
	else
		lsdp_drop(in, skb, LSDP_DROP_NO_DEST);
}

/*
 * Called with RCU read lock, BHs off.  The switch ingress stage for a frame
 * received on @in.  Consumes @skb.
 */
static void lsdp_switch_ingress(struct lsdp_port *in, struct sk_buff *skb)
{
	const struct lsdp_port_cfg *cfg = rcu_dereference(in->cfg);
	enum lsdp_drop_reason reason;
	struct lsdp_l2_entry *l2;
	const struct ethhdr *eth;

	lsdp_stats_rx(in, skb->len + skb->mac_len);

	/* OVN drops tagged frames on ports that are not trunk parents. */
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
		/* Port security may have pulled headers: re-read. */
		eth = eth_hdr(skb);
	}

	if (is_multicast_ether_addr(eth->h_dest)) {
		lsdp_flood(in, skb, false);
		return;
	}
	l2 = rhashtable_lookup(&in->dp->l2, eth->h_dest, lsdp_l2_params);
	if (!l2) {
		lsdp_flood(in, skb, true);
		return;
	}
	if (l2->port == in) {
		lsdp_drop(in, skb, LSDP_DROP_HAIRPIN);
		return;
	}
	lsdp_output(l2->port, skb);
}

/*
 * The rx_handler of every bound netdev.  Called with RCU read lock, BHs off;
 * skb->data is at the network header, the MAC header just before it.
 */
rx_handler_result_t lsdp_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct lsdp_port *port;

	/* Our own transmissions looped back by the stack are not input. */
	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;
	port = rcu_dereference(skb->dev->rx_handler_data);
	if (unlikely(!port))
		return RX_HANDLER_PASS;

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb) {
		lsdp_stats_drop(port, LSDP_DROP_NOMEM);
		return RX_HANDLER_CONSUMED;
	}
	*pskb = skb;
	if (unlikely(skb->mac_len != ETH_HLEN)) {
		lsdp_drop(port, skb, LSDP_DROP_MALFORMED);
		return RX_HANDLER_CONSUMED;
	}
	lsdp_switch_ingress(port, skb);
	return RX_HANDLER_CONSUMED;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lsdp tracepoints: lsdp:drop fires for every packet the datapath drops,
 * from the one place drops are counted (lsdp_drop_seen()), so that perf,
 * bpftrace and retis see the same drops as `lsdp stats show`.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM lsdp

#if !defined(_LSDP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _LSDP_TRACE_H

#include <linux/tracepoint.h>
#include <linux/string.h>
#include "lsdp.h"

/* The reasons' names, as `lsdp stats show` prints them. */
#define LSDP_DROP_REASONS					\
	EM(LSDP_DROP_MALFORMED, "malformed")			\
	EM(LSDP_DROP_VLAN, "vlan")				\
	EM(LSDP_DROP_SRC_MCAST, "src-mcast")			\
	EM(LSDP_DROP_PS_MAC, "port-security-mac")		\
	EM(LSDP_DROP_PS_IP, "port-security-ip")			\
	EM(LSDP_DROP_PS_ARP, "port-security-arp")		\
	EM(LSDP_DROP_PS_ND, "port-security-nd")			\
	EM(LSDP_DROP_PS_EGRESS, "port-security-egress")		\
	EM(LSDP_DROP_NO_DEST, "no-dest")			\
	EM(LSDP_DROP_HAIRPIN, "hairpin")			\
	EM(LSDP_DROP_UNBOUND, "unbound")			\
	EM(LSDP_DROP_DEV_DOWN, "dev-down")			\
	EM(LSDP_DROP_MTU, "mtu")				\
	EM(LSDP_DROP_NOMEM, "nomem")				\
	EM(LSDP_DROP_TX_ERROR, "tx-error")			\
	EM(LSDP_DROP_TUN_NO_ENCAP, "tun-no-encap")		\
	EM(LSDP_DROP_TUN_UNKNOWN_VNI, "tun-unknown-vni")	\
	EM(LSDP_DROP_TUN_UNKNOWN_PORT, "tun-unknown-port")	\
	EM(LSDP_DROP_TUN_REMOTE_PORT, "tun-remote-port")	\
	EM(LSDP_DROP_TUN_BAD_OPTION, "tun-bad-option")		\
	EM(LSDP_DROP_TUN_CRIT_OPTION, "tun-crit-option")	\
	EM(LSDP_DROP_TUN_FRAG_NEEDED, "tun-frag-needed")	\
	EM(LSDP_DROP_TUN_NO_ROUTE, "tun-no-route")		\
	EM(LSDP_DROP_TTL, "ttl")				\
	EM(LSDP_DROP_NO_ROUTE, "no-route")			\
	EM(LSDP_DROP_ROUTER_LOCAL, "router-local")		\
	EM(LSDP_DROP_ROUTER_L2, "router-l2")			\
	EM(LSDP_DROP_NO_PEER, "no-peer")			\
	EM(LSDP_DROP_LOOP, "loop")				\
	EM(LSDP_DROP_HOLD_OFF, "hold-off")			\
	EM(LSDP_DROP_HOLD_DEST_FULL, "hold-dest-full")		\
	EM(LSDP_DROP_HOLD_TOTAL_FULL, "hold-total-full")	\
	EM(LSDP_DROP_HOLD_FAILED, "hold-failed")		\
	EM(LSDP_DROP_HOLD_TIMEOUT, "hold-timeout")		\
	EM(LSDP_DROP_HOLD_FLUSH, "hold-flush")			\
	EM(LSDP_DROP_NEIGH_FULL, "neigh-full")			\
	EM(LSDP_DROP_LOCALNET_REMOTE, "localnet-remote")	\
	EMe(LSDP_DROP_UNCLASSIFIED, "unclassified")

/* Tools reading the format file need the enum values. */
#undef EM
#undef EMe
#define EM(a, b)	TRACE_DEFINE_ENUM(a);
#define EMe(a, b)	TRACE_DEFINE_ENUM(a);
LSDP_DROP_REASONS
#undef EM
#undef EMe
#define EM(a, b)	{ a, b },
#define EMe(a, b)	{ a, b }

/* lsdp:drop (so the functions are trace_drop(), local to the module). */
TRACE_EVENT(drop,
	TP_PROTO(const struct sk_buff *skb, const struct lsdp_port *port,
		 unsigned int reason, const struct lsdp_pkt_summary *s),
	TP_ARGS(skb, port, reason, s),
	TP_STRUCT__entry(
		__field(const void *, skbaddr)
		__field(u32, dp_key)
		__field(u32, port_key)
		__field(unsigned int, reason)
		__array(char, port, LSDP_NAME_SIZE)
		__array(u8, eth_src, ETH_ALEN)
		__array(u8, eth_dst, ETH_ALEN)
		__field(u16, eth_type)
		__field(u8, ipver)
		__field(u8, proto)
		__array(u8, saddr, 16)
		__array(u8, daddr, 16)
	),
	TP_fast_assign(
		__entry->skbaddr = skb;
		__entry->dp_key = port ? port->dp->key : 0;
		__entry->port_key = port ? port->key : 0;
		__entry->reason = reason;
		strscpy_pad(__entry->port, port ? port->name : "",
			    LSDP_NAME_SIZE);
		memcpy(__entry->eth_src, s->src, ETH_ALEN);
		memcpy(__entry->eth_dst, s->dst, ETH_ALEN);
		__entry->eth_type = s->type;
		__entry->ipver = s->ipver;
		__entry->proto = s->proto;
		memcpy(__entry->saddr, &s->saddr, 16);
		memcpy(__entry->daddr, &s->daddr, 16);
	),
	TP_printk("dp=%u port=%s port_key=%u reason=%s skbaddr=%p eth_src=%pM eth_dst=%pM eth_type=0x%04x ipver=%u src=%pI6c dst=%pI6c proto=%u",
		  __entry->dp_key, __entry->port, __entry->port_key,
		  __print_symbolic(__entry->reason, LSDP_DROP_REASONS),
		  __entry->skbaddr, __entry->eth_src, __entry->eth_dst,
		  __entry->eth_type, __entry->ipver, __entry->saddr,
		  __entry->daddr, __entry->proto)
);

#undef EM
#undef EMe

#endif /* _LSDP_TRACE_H */

/* Out of tree: the header is found next to its user. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE lsdp_trace
#include <trace/define_trace.h>

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

/* Tools reading the format file need the enum values. */
TRACE_DEFINE_ENUM(LSDP_DROP_MALFORMED);
TRACE_DEFINE_ENUM(LSDP_DROP_VLAN);
TRACE_DEFINE_ENUM(LSDP_DROP_SRC_MCAST);
TRACE_DEFINE_ENUM(LSDP_DROP_PS_MAC);
TRACE_DEFINE_ENUM(LSDP_DROP_PS_IP);
TRACE_DEFINE_ENUM(LSDP_DROP_PS_ARP);
TRACE_DEFINE_ENUM(LSDP_DROP_PS_ND);
TRACE_DEFINE_ENUM(LSDP_DROP_PS_EGRESS);
TRACE_DEFINE_ENUM(LSDP_DROP_NO_DEST);
TRACE_DEFINE_ENUM(LSDP_DROP_HAIRPIN);
TRACE_DEFINE_ENUM(LSDP_DROP_UNBOUND);
TRACE_DEFINE_ENUM(LSDP_DROP_DEV_DOWN);
TRACE_DEFINE_ENUM(LSDP_DROP_MTU);
TRACE_DEFINE_ENUM(LSDP_DROP_NOMEM);
TRACE_DEFINE_ENUM(LSDP_DROP_TX_ERROR);
TRACE_DEFINE_ENUM(LSDP_DROP_TUN_NO_ENCAP);
TRACE_DEFINE_ENUM(LSDP_DROP_TUN_UNKNOWN_VNI);
TRACE_DEFINE_ENUM(LSDP_DROP_TUN_UNKNOWN_PORT);
TRACE_DEFINE_ENUM(LSDP_DROP_TUN_REMOTE_PORT);
TRACE_DEFINE_ENUM(LSDP_DROP_TUN_BAD_OPTION);
TRACE_DEFINE_ENUM(LSDP_DROP_TUN_CRIT_OPTION);
TRACE_DEFINE_ENUM(LSDP_DROP_TUN_FRAG_NEEDED);
TRACE_DEFINE_ENUM(LSDP_DROP_TUN_NO_ROUTE);
TRACE_DEFINE_ENUM(LSDP_DROP_TTL);
TRACE_DEFINE_ENUM(LSDP_DROP_NO_ROUTE);
TRACE_DEFINE_ENUM(LSDP_DROP_ROUTER_LOCAL);
TRACE_DEFINE_ENUM(LSDP_DROP_ROUTER_L2);
TRACE_DEFINE_ENUM(LSDP_DROP_NO_PEER);
TRACE_DEFINE_ENUM(LSDP_DROP_LOOP);
TRACE_DEFINE_ENUM(LSDP_DROP_HOLD_OFF);
TRACE_DEFINE_ENUM(LSDP_DROP_HOLD_DEST_FULL);
TRACE_DEFINE_ENUM(LSDP_DROP_HOLD_TOTAL_FULL);
TRACE_DEFINE_ENUM(LSDP_DROP_HOLD_FAILED);
TRACE_DEFINE_ENUM(LSDP_DROP_HOLD_TIMEOUT);
TRACE_DEFINE_ENUM(LSDP_DROP_HOLD_FLUSH);
TRACE_DEFINE_ENUM(LSDP_DROP_NEIGH_FULL);
TRACE_DEFINE_ENUM(LSDP_DROP_LOCALNET_REMOTE);
TRACE_DEFINE_ENUM(LSDP_DROP_UNCLASSIFIED);
TRACE_DEFINE_ENUM(LSDP_DROP_TUN_MC_GROUP);
TRACE_DEFINE_ENUM(LSDP_DROP_ACL_DROP);
TRACE_DEFINE_ENUM(LSDP_DROP_ACL_REJECT);
TRACE_DEFINE_ENUM(LSDP_DROP_CT_INVALID);
TRACE_DEFINE_ENUM(LSDP_DROP_NAT_EXHAUSTED);
TRACE_DEFINE_ENUM(LSDP_DROP_NAT_FRAGMENT);
TRACE_DEFINE_ENUM(LSDP_DROP_NAT_FAILED);

TRACE_EVENT(drop,
	    TP_PROTO(const struct sk_buff *skb, const struct lsdp_port *port,
		     unsigned int reason, const struct lsdp_pkt_summary *s),
	    TP_ARGS(skb, port, reason, s),
	    TP_STRUCT__entry(__field(const void *, skbaddr)
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
			     __array(u8, daddr, 16)),
	    TP_fast_assign(__entry->skbaddr = skb;
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
			   memcpy(__entry->daddr, &s->daddr, 16);),
	    TP_printk("dp=%u port=%s port_key=%u reason=%s skbaddr=%p eth_src=%pM eth_dst=%pM eth_type=0x%04x ipver=%u src=%pI6c dst=%pI6c proto=%u",
		      __entry->dp_key, __entry->port, __entry->port_key,
		      __print_symbolic(__entry->reason,
				       /* as `lsdp stats show` names them */
				       { LSDP_DROP_MALFORMED, "malformed" },
				       { LSDP_DROP_VLAN, "vlan" },
				       { LSDP_DROP_SRC_MCAST, "src-mcast" },
				       { LSDP_DROP_PS_MAC, "port-security-mac" },
				       { LSDP_DROP_PS_IP, "port-security-ip" },
				       { LSDP_DROP_PS_ARP, "port-security-arp" },
				       { LSDP_DROP_PS_ND, "port-security-nd" },
				       { LSDP_DROP_PS_EGRESS, "port-security-egress" },
				       { LSDP_DROP_NO_DEST, "no-dest" },
				       { LSDP_DROP_HAIRPIN, "hairpin" },
				       { LSDP_DROP_UNBOUND, "unbound" },
				       { LSDP_DROP_DEV_DOWN, "dev-down" },
				       { LSDP_DROP_MTU, "mtu" },
				       { LSDP_DROP_NOMEM, "nomem" },
				       { LSDP_DROP_TX_ERROR, "tx-error" },
				       { LSDP_DROP_TUN_NO_ENCAP, "tun-no-encap" },
				       { LSDP_DROP_TUN_UNKNOWN_VNI, "tun-unknown-vni" },
				       { LSDP_DROP_TUN_UNKNOWN_PORT, "tun-unknown-port" },
				       { LSDP_DROP_TUN_REMOTE_PORT, "tun-remote-port" },
				       { LSDP_DROP_TUN_BAD_OPTION, "tun-bad-option" },
				       { LSDP_DROP_TUN_CRIT_OPTION, "tun-crit-option" },
				       { LSDP_DROP_TUN_FRAG_NEEDED, "tun-frag-needed" },
				       { LSDP_DROP_TUN_NO_ROUTE, "tun-no-route" },
				       { LSDP_DROP_TTL, "ttl" },
				       { LSDP_DROP_NO_ROUTE, "no-route" },
				       { LSDP_DROP_ROUTER_LOCAL, "router-local" },
				       { LSDP_DROP_ROUTER_L2, "router-l2" },
				       { LSDP_DROP_NO_PEER, "no-peer" },
				       { LSDP_DROP_LOOP, "loop" },
				       { LSDP_DROP_HOLD_OFF, "hold-off" },
				       { LSDP_DROP_HOLD_DEST_FULL, "hold-dest-full" },
				       { LSDP_DROP_HOLD_TOTAL_FULL, "hold-total-full" },
				       { LSDP_DROP_HOLD_FAILED, "hold-failed" },
				       { LSDP_DROP_HOLD_TIMEOUT, "hold-timeout" },
				       { LSDP_DROP_HOLD_FLUSH, "hold-flush" },
				       { LSDP_DROP_NEIGH_FULL, "neigh-full" },
				       { LSDP_DROP_LOCALNET_REMOTE, "localnet-remote" },
				       { LSDP_DROP_UNCLASSIFIED, "unclassified" },
				       { LSDP_DROP_TUN_MC_GROUP, "tun-mc-group" },
				       { LSDP_DROP_ACL_DROP, "acl-drop" },
				       { LSDP_DROP_ACL_REJECT, "acl-reject" },
				       { LSDP_DROP_CT_INVALID, "ct-invalid" },
				       { LSDP_DROP_NAT_EXHAUSTED, "nat-exhausted" },
				       { LSDP_DROP_NAT_FRAGMENT, "nat-fragment" },
				       { LSDP_DROP_NAT_FAILED, "nat-failed" }),
		      __entry->skbaddr, __entry->eth_src, __entry->eth_dst,
		      __entry->eth_type, __entry->ipver, __entry->saddr,
		      __entry->daddr, __entry->proto)
);

#endif /* _LSDP_TRACE_H */

/* Out of tree: the header is found next to its user. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE lsdp_trace
#include <trace/define_trace.h>

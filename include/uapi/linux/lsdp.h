/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * lsdp: generic netlink interface of the logical switch/router datapath.
 *
 * This header is uAPI, shared by the kernel module and userspace: values are
 * only ever appended, never renumbered or reused.
 *
 * One flat attribute space (enum lsdp_attr) serves every command; each
 * command's policy accepts only the attributes that make sense for it, and the
 * family validates strictly, so an attribute a command does not take is
 * rejected rather than ignored.
 */
#ifndef _UAPI_LINUX_LSDP_H
#define _UAPI_LINUX_LSDP_H

#include <linux/types.h>

#define LSDP_GENL_NAME		"lsdp"
#define LSDP_GENL_VERSION	1
#define LSDP_MCGRP_EVENTS	"events"
/* Drop events (LSDP_CMD_DROP_EVENT), rate-limited per netns. */
#define LSDP_MCGRP_DROPS	"drops"

/* Logical datapath keys are the 24-bit Geneve VNI; 0 is never used. */
#define LSDP_DP_KEY_MIN		1
#define LSDP_DP_KEY_MAX		0xffffff
/* Logical port keys: OVN's unicast range; the two above it name groups. */
#define LSDP_PORT_KEY_MIN	1
#define LSDP_PORT_KEY_MAX	32767
#define LSDP_MC_FLOOD_KEY	32768
#define LSDP_MC_UNKNOWN_KEY	32769
/*
 * The other groups OVN 23.03's northd keys per switch, as a chassis sends
 * them: multicast routers and mcast_flood_reports ports, mcast_flood ports
 * (both with IGMP snooping only), and every port but the router ones
 * (router-originated ARP/NS, GARPs).  IP multicast groups follow from 32773.
 */
#define LSDP_MC_MROUTER_FLOOD_KEY	32770
#define LSDP_MC_STATIC_KEY	32771
#define LSDP_MC_FLOOD_L2_KEY	32772
/* Names: 1..63 printable bytes; this size includes the terminating NUL. */
#define LSDP_NAME_SIZE		64

enum lsdp_dp_kind {
	LSDP_DP_KIND_UNSPEC,
	LSDP_DP_KIND_SWITCH,
	LSDP_DP_KIND_ROUTER,

	__LSDP_DP_KIND_MAX,
	LSDP_DP_KIND_MAX = __LSDP_DP_KIND_MAX - 1
};

enum lsdp_port_type {
	LSDP_PORT_TYPE_UNSPEC,
	LSDP_PORT_TYPE_VIF,		/* bound to a local netdev */
	LSDP_PORT_TYPE_ROUTER,		/* switch side of a switch-router patch */
	LSDP_PORT_TYPE_LOCALNET,	/* bridged onto a provider netdev */
	LSDP_PORT_TYPE_REMOTE,		/* lives on another chassis */
	/* a port of a router datapath (MAC + networks); set by the kernel */
	LSDP_PORT_TYPE_ROUTER_PORT,
	/*
	 * OVN's type "virtual": a virtual IP that one of its parents (vif
	 * ports of the same switch) claims with a GARP or ARP reply (NA for
	 * IPv6); its traffic goes to that parent
	 */
	LSDP_PORT_TYPE_VIRTUAL,

	__LSDP_PORT_TYPE_MAX,
	LSDP_PORT_TYPE_MAX = __LSDP_PORT_TYPE_MAX - 1
};

enum lsdp_cmd {
	LSDP_CMD_UNSPEC,
	LSDP_CMD_DP_NEW,	/* create a datapath; also an event */
	LSDP_CMD_DP_DEL,	/* delete a datapath and its ports; also an event */
	LSDP_CMD_DP_GET,	/* one datapath by name, or dump all */
	LSDP_CMD_PORT_NEW,	/* create a port; also an event */
	LSDP_CMD_PORT_SET,	/* change a port; also an event (incl. unbind) */
	LSDP_CMD_PORT_DEL,	/* delete a port; also an event */
	LSDP_CMD_PORT_GET,	/* one port by name, or dump (filter: DP_NAME) */
	LSDP_CMD_CHASSIS_NEW,	/* add a remote chassis; also an event */
	LSDP_CMD_CHASSIS_DEL,	/* delete a chassis (its ports become unbound) */
	LSDP_CMD_CHASSIS_GET,	/* one chassis by name, or dump all */
	LSDP_CMD_ENCAP_SET,	/* set the local tunnel endpoint; also an event */
	LSDP_CMD_ENCAP_GET,	/* the local tunnel endpoint and its counters */
	LSDP_CMD_ROUTE_NEW,	/* add a static route; also an event */
	LSDP_CMD_ROUTE_DEL,	/* delete a static route; also an event */
	LSDP_CMD_ROUTE_GET,	/* dump routes (filter: DP_NAME), connected too */
	LSDP_CMD_NEIGH_NEW,	/* add or replace a static binding; also an event */
	LSDP_CMD_NEIGH_DEL,	/* delete one binding; also an event */
	LSDP_CMD_NEIGH_GET,	/* dump bindings (filter: PORT_NAME) */
	LSDP_CMD_NEIGH_FLUSH,	/* delete bindings (filter: PORT_NAME), static too */
	LSDP_CMD_HOLD_SET,	/* change the hold queue and neighbour limits */
	/* doit: limits, counters and release latency; dump: held destinations */
	LSDP_CMD_HOLD_GET,
	/* multicast only: a hold queue resolved, failed or overflowed */
	LSDP_CMD_HOLD_EVENT,
	/*
	 * send gratuitous ARPs / unsolicited NAs for what a port announces
	 * (PORT_NAME) out of its switch's localnet port, once, now
	 */
	LSDP_CMD_PORT_ANNOUNCE,
	/* ACLs (issue 15): address sets, port groups, ACLs */
	LSDP_CMD_AS_NEW,	/* create an address set (AS_NAME, ADDRS) */
	LSDP_CMD_AS_SET,	/* add (AS_ADDRS) and/or remove (AS_DEL_ADDRS) members */
	LSDP_CMD_AS_DEL,	/* delete an unreferenced address set */
	LSDP_CMD_AS_GET,	/* one address set by name, or dump all */
	LSDP_CMD_PG_NEW,	/* create a port group (PG_NAME, PG_PORTS) */
	LSDP_CMD_PG_SET,	/* replace a port group's members */
	LSDP_CMD_PG_DEL,	/* delete a port group and the ACLs it owns */
	LSDP_CMD_PG_GET,	/* one port group by name, or dump all */
	LSDP_CMD_ACL_NEW,	/* add an ACL to a switch (DP_NAME) or PG_NAME */
	/* delete the ACLs of a switch or port group matching the filters */
	LSDP_CMD_ACL_DEL,
	LSDP_CMD_ACL_GET,	/* dump ACLs (filter: DP_NAME or PG_NAME) */
	/*
	 * multicast only, on LSDP_MCGRP_DROPS: a packet was dropped (DP_*,
	 * PORT_* when a port is charged, DROP_REASON, PKT_* header summary)
	 */
	LSDP_CMD_DROP_EVENT,
	/*
	 * run TRACE_FRAME, as if received on PORT_NAME (with TRACE_TUNNEL:
	 * from a Geneve tunnel), through the packet path without any side
	 * effect; the reply holds TRACE_STEPS
	 */
	LSDP_CMD_TRACE,
	/* NAT on routers (issue 18) */
	LSDP_CMD_NAT_NEW,	/* add a NAT rule to a router (DP_NAME); also an event */
	/* delete a router's NAT rule: TYPE, EXTERNAL_IP, LOGICAL_IP optional */
	LSDP_CMD_NAT_DEL,
	LSDP_CMD_NAT_GET,	/* dump NAT rules and hits (filter: DP_NAME) */
	/*
	 * start a live trace: real packets entering PORT_NAME (or arriving
	 * from a tunnel with it as their logical inport) whose bytes match
	 * TRACE_FRAME under TRACE_MASK are walked for real and each walk is
	 * sent, as this command with TRACE_LIVE_ID and TRACE_STEPS and the
	 * request's sequence number, to the requesting socket only;
	 * TRACE_COUNT packets at most.  The reply
	 * holds TRACE_LIVE_ID.  Ends when that socket closes.
	 */
	LSDP_CMD_TRACE_LIVE,

	__LSDP_CMD_MAX,
	LSDP_CMD_MAX = __LSDP_CMD_MAX - 1
};

enum lsdp_attr {
	LSDP_A_UNSPEC,
	LSDP_A_PAD,
	LSDP_A_DP_NAME,		/* string */
	LSDP_A_DP_KEY,		/* u32, LSDP_DP_KEY_MIN..LSDP_DP_KEY_MAX */
	LSDP_A_DP_KIND,		/* u8, enum lsdp_dp_kind */
	LSDP_A_DP_NPORTS,	/* u32, read only */
	LSDP_A_PORT_NAME,	/* string */
	LSDP_A_PORT_KEY,	/* u32, LSDP_PORT_KEY_MIN..LSDP_PORT_KEY_MAX */
	LSDP_A_PORT_TYPE,	/* u8, enum lsdp_port_type */
	LSDP_A_PORT_MAC,	/* binary, 6 bytes */
	LSDP_A_PORT_ADDRS,	/* nest of LSDP_ADDR_A_*; replaces the list */
	LSDP_A_PORT_UNKNOWN,	/* u8 0/1: receives unknown unicast */
	LSDP_A_PORT_SECURITY,	/* u8 0/1: port security on MAC and addrs */
	LSDP_A_PORT_IFINDEX,	/* u32: bound netdev; 0 = unbind */
	LSDP_A_PORT_IFNAME,	/* string, read only */
	LSDP_A_PORT_STATS,	/* nest of LSDP_STATS_A_*, read only */
	/* string: chassis the port is bound to; "" in PORT_SET = none */
	LSDP_A_PORT_CHASSIS,
	LSDP_A_CHASSIS_NAME,	/* string */
	LSDP_A_CHASSIS_IP,	/* binary, 4 (IPv4) or 16 (IPv6) bytes */
	LSDP_A_CHASSIS_NPORTS,	/* u32, read only: ports bound to it */
	LSDP_A_ENCAP_LOCAL_IP,	/* binary, 4 or 16 bytes: our underlay address */
	/* u32: collect_md Geneve netdev to use; absent = lsdp creates one */
	LSDP_A_ENCAP_IFINDEX,
	LSDP_A_ENCAP_IFNAME,	/* string, read only */
	LSDP_A_ENCAP_CSUM,	/* u8 0/1: outer UDP checksum (default 0) */
	LSDP_A_ENCAP_DF,	/* u8 0/1: outer DF bit (default 1) */
	LSDP_A_ENCAP_OWNED,	/* u8, read only: lsdp created the netdev */
	/*
	 * nest of LSDP_STATS_A_*, read only: tunnel receive and transmit, and
	 * the drops no port can be charged with (e.g. unknown VNI)
	 */
	LSDP_A_ENCAP_STATS,
	/*
	 * string: in PORT_NEW of a switch port of type router, the router
	 * port it joins (which must exist and have no peer yet); read back on
	 * both sides of the patch
	 */
	LSDP_A_PORT_PEER,
	LSDP_A_ROUTE_PREFIX,	/* binary, 4 or 16 bytes: destination network */
	LSDP_A_ROUTE_PLEN,	/* u8: prefix length, at most 32 (IPv4) or 128 (IPv6) */
	LSDP_A_ROUTE_VIA,	/* binary, 4 or 16 bytes: next hop; absent = on link */
	LSDP_A_ROUTE_CONNECTED,	/* u8, read only: from a router port's network */
	LSDP_A_NEIGH_ADDR,	/* binary, 4 or 16 bytes */
	LSDP_A_NEIGH_MAC,	/* binary, 6 bytes */
	LSDP_A_NEIGH_STATE,	/* u8, enum lsdp_neigh_state, read only */
	LSDP_A_NEIGH_AGE_MS,	/* u32, read only: since last confirmed */
	LSDP_A_NEIGH_PROBES,	/* u32, read only: probes sent, this round */
	/* u32: bytes held per destination (oldest dropped); 0 = never hold */
	LSDP_A_HOLD_DEST_BYTES,
	/* u32: bytes held per netns; beyond it new packets are not held */
	LSDP_A_HOLD_TOTAL_BYTES,
	LSDP_A_HOLD_RETRIES,	/* u32: ARP/NS probes before failure, 1..10 */
	LSDP_A_HOLD_INTERVAL_MS, /* u32: between probes, 10..60000 */
	/* u32: how long packets for a defined but unbound port wait, 10..600000 */
	LSDP_A_HOLD_UNBOUND_MS,
	LSDP_A_NEIGH_MAX,	/* u32: neighbour table size per netns, 1..1048576 */
	/* u32: a confirmed binding is reachable this long, 1000..3600000 */
	LSDP_A_NEIGH_REACHABLE_MS,
	/* u32: an unconfirmed (stale) binding is deleted after, 1000..3600000 */
	LSDP_A_NEIGH_STALE_MS,
	LSDP_A_HOLD_PACKETS,	/* u32, read only: packets held */
	LSDP_A_HOLD_BYTES,	/* u32, read only: bytes held */
	LSDP_A_HOLD_AGE_MS,	/* u32, read only: age of the oldest held packet */
	/*
	 * nest of LSDP_STATS_A_*, read only, per netns: rx = packets held,
	 * tx = packets released, drops = hold and neighbour drops by reason
	 */
	LSDP_A_HOLD_STATS,
	LSDP_A_HOLD_LAT_SAMPLES, /* u32, read only: release latency samples */
	LSDP_A_HOLD_LAT_P50_NS,	/* u64, read only: median release latency */
	LSDP_A_HOLD_LAT_P99_NS,	/* u64, read only: 99th percentile */
	LSDP_A_HOLD_LAT_MAX_NS,	/* u64, read only */
	LSDP_A_HOLD_EVENT,	/* u8, enum lsdp_hold_event */
	LSDP_A_NEIGH_COUNT,	/* u32, read only: bindings in the netns */
	/* string: a trunk child's parent port (set at creation, with TAG) */
	LSDP_A_PORT_PARENT,
	/*
	 * u16, VLAN ID 1..4094: a trunk child's tag on its parent's netdev, or
	 * a localnet port's tag on the provider netdev (0 in PORT_SET: none)
	 */
	LSDP_A_PORT_TAG,
	LSDP_A_PORT_ANNOUNCED,	/* u32, read only: announcements sent */
	LSDP_A_AS_NAME,		/* string: an address set */
	/* nest of LSDP_ADDR_A_* (addresses and networks): members to add */
	LSDP_A_AS_ADDRS,
	LSDP_A_AS_DEL_ADDRS,	/* nest of LSDP_ADDR_A_*: members to remove */
	LSDP_A_AS_COUNT,	/* u32, read only: members */
	LSDP_A_PG_NAME,		/* string: a port group */
	/* nest of LSDP_A_PORT_NAME strings: the members (replaces the list) */
	LSDP_A_PG_PORTS,
	LSDP_A_ACL_DIR,		/* u8, enum lsdp_acl_dir */
	LSDP_A_ACL_PRIORITY,	/* u16, 0..LSDP_ACL_PRIORITY_MAX */
	LSDP_A_ACL_MATCH,	/* nest of LSDP_MATCH_A_TEST (AND of tests) */
	LSDP_A_ACL_ACTION,	/* u8, enum lsdp_acl_action */
	LSDP_A_ACL_NAME,	/* string, optional label */
	LSDP_A_ACL_HITS,	/* u64, read only: packets the ACL decided */
	LSDP_A_ACL_ID,		/* u32, read only: kernel-assigned, unique per netns */
	LSDP_A_PORT_CT_ZONE,	/* u16, read only: conntrack zone of a VIF */
	LSDP_A_DROP_REASON,	/* u32: why, as the type of a drop counter */
	LSDP_A_PKT_ETH_SRC,	/* binary, 6 bytes: a packet's Ethernet source */
	LSDP_A_PKT_ETH_DST,	/* binary, 6 bytes */
	LSDP_A_PKT_ETH_TYPE,	/* u16, host order: its EtherType */
	LSDP_A_PKT_IP_SRC,	/* binary, 4 or 16 bytes, when IPv4/IPv6 */
	LSDP_A_PKT_IP_DST,	/* binary, 4 or 16 bytes */
	LSDP_A_PKT_IP_PROTO,	/* u8: IPv4 protocol / IPv6 next header */
	/* binary: a whole Ethernet frame to trace (14..LSDP_TRACE_FRAME_MAX) */
	LSDP_A_TRACE_FRAME,
	/* nest of LSDP_A_TRACE_STEP, in the order they happened */
	LSDP_A_TRACE_STEPS,
	LSDP_A_TRACE_STEP,	/* nest of LSDP_TRACE_A_* */
	/* u8 1: more steps happened than LSDP_TRACE_MAX_STEPS */
	LSDP_A_TRACE_TRUNCATED,
	LSDP_A_NAT_TYPE,	/* u8, enum lsdp_nat_type */
	LSDP_A_NAT_EXTERNAL_IP,	/* binary, 4 bytes: the address outside sees */
	LSDP_A_NAT_LOGICAL_IP,	/* binary, 4 bytes: inside address or network */
	/* u8: LOGICAL_IP's prefix length, snat only (default 32) */
	LSDP_A_NAT_LOGICAL_PLEN,
	/*
	 * string: dnat_and_snat only, with EXTERNAL_MAC: the switch port the
	 * logical address lives on; the chassis where it is bound answers
	 * ARP for EXTERNAL_IP with EXTERNAL_MAC and translates (distributed)
	 */
	LSDP_A_NAT_LOGICAL_PORT,
	LSDP_A_NAT_EXTERNAL_MAC, /* binary, 6 bytes */
	/* u16 each: external ports (ICMP: echo ids) snat may use, 1..65535 */
	LSDP_A_NAT_PORT_MIN,
	LSDP_A_NAT_PORT_MAX,
	LSDP_A_NAT_HITS,	/* u64, read only: packets the rule translated */
	/* u8, read only: distributed rule whose port is bound here */
	LSDP_A_NAT_LOCAL,
	LSDP_A_NAT_CT_ZONE,	/* u16, read only: the router's conntrack zone */
	/*
	 * binary, as long as TRACE_FRAME (at most LSDP_TRACE_MATCH_MAX):
	 * the bits of the frame a live trace matches on
	 */
	LSDP_A_TRACE_MASK,
	LSDP_A_TRACE_COUNT,	/* u32 >= 1: packets a live trace follows */
	LSDP_A_TRACE_LIVE_ID,	/* u32: a live trace, unique per netns */
	/*
	 * u8 1: TRACE_FRAME is a Geneve packet's UDP payload (header,
	 * options, inner frame), traced as received from a tunnel
	 */
	LSDP_A_TRACE_TUNNEL,
	/* binary, 4 or 16 bytes: a virtual port's virtual IP (port-new) */
	LSDP_A_PORT_VIRTUAL_IP,
	/* nest of LSDP_A_PORT_NAME strings: a virtual port's parents */
	LSDP_A_PORT_VIRTUAL_PARENTS,
	/* string, read only: the parent a virtual port is bound to now */
	LSDP_A_PORT_VIRTUAL_PARENT,
	/* u64, read only: VIP claims from ports that are not its parents */
	LSDP_A_PORT_VIRTUAL_IGNORED,

	__LSDP_A_MAX,
	LSDP_A_MAX = __LSDP_A_MAX - 1
};

/*
 * Entries of LSDP_A_PORT_ADDRS; each may appear many times.  Switch ports
 * carry plain addresses, router ports networks (address and prefix length).
 */
enum lsdp_addr_attr {
	LSDP_ADDR_A_UNSPEC,
	LSDP_ADDR_A_IPV4,	/* binary, 4 bytes, network order */
	LSDP_ADDR_A_IPV6,	/* binary, 16 bytes */
	LSDP_ADDR_A_IPV4_NET,	/* binary, 5 bytes: address, then prefix length */
	LSDP_ADDR_A_IPV6_NET,	/* binary, 17 bytes: address, then prefix length */

	__LSDP_ADDR_A_MAX,
	LSDP_ADDR_A_MAX = __LSDP_ADDR_A_MAX - 1
};

enum lsdp_stats_attr {
	LSDP_STATS_A_UNSPEC,
	LSDP_STATS_A_PAD,
	LSDP_STATS_A_RX_PACKETS,	/* u64 */
	LSDP_STATS_A_RX_BYTES,		/* u64 */
	LSDP_STATS_A_TX_PACKETS,	/* u64 */
	LSDP_STATS_A_TX_BYTES,		/* u64 */
	LSDP_STATS_A_DROPS,		/* nest: attr type = enum lsdp_drop_reason, u64 */

	__LSDP_STATS_A_MAX,
	LSDP_STATS_A_MAX = __LSDP_STATS_A_MAX - 1
};

/*
 * Why a packet was dropped.  Ingress drops are counted on the port the packet
 * came in on, egress drops on the port it was going out of.  Inside
 * LSDP_STATS_A_DROPS the attribute type is the reason and its value the count;
 * a reason a kernel does not know yet is simply absent.
 */
enum lsdp_drop_reason {
	LSDP_DROP_UNSPEC,
	LSDP_DROP_MALFORMED,	/* truncated or unparsable header */
	LSDP_DROP_VLAN,		/* tagged frame on a plain port, or no child has the tag */
	LSDP_DROP_SRC_MCAST,	/* multicast Ethernet source */
	LSDP_DROP_PS_MAC,	/* port security: eth.src not the port's MAC */
	LSDP_DROP_PS_IP,	/* port security: IPv4/IPv6 source not allowed */
	LSDP_DROP_PS_ARP,	/* port security: ARP sha/spa not the port's */
	LSDP_DROP_PS_ND,	/* port security: ND sll/tll/target not the port's */
	LSDP_DROP_PS_EGRESS,	/* egress port security: destination not the port's */
	LSDP_DROP_NO_DEST,	/* unknown unicast and no port takes unknown */
	LSDP_DROP_HAIRPIN,	/* destination is the ingress port */
	LSDP_DROP_UNBOUND,	/* output port is bound to no netdev */
	LSDP_DROP_DEV_DOWN,	/* output netdev is not up */
	LSDP_DROP_MTU,		/* frame larger than the output netdev's MTU */
	LSDP_DROP_NOMEM,	/* no memory to copy a flooded frame */
	LSDP_DROP_TX_ERROR,	/* the output netdev refused the frame */
	LSDP_DROP_TUN_NO_ENCAP,	/* remote output, no local tunnel endpoint */
	LSDP_DROP_TUN_UNKNOWN_VNI,	/* received VNI names no datapath */
	LSDP_DROP_TUN_UNKNOWN_PORT,	/* received egress key names no port */
	LSDP_DROP_TUN_REMOTE_PORT,	/* received for a port not bound here */
	LSDP_DROP_TUN_BAD_OPTION,	/* malformed options, or no OVN option */
	LSDP_DROP_TUN_CRIT_OPTION,	/* unknown critical option */
	LSDP_DROP_TUN_FRAG_NEEDED,	/* too big for the underlay; ICMP sent */
	LSDP_DROP_TUN_NO_ROUTE,		/* no underlay route to the chassis */
	LSDP_DROP_TTL,		/* TTL / hop limit expired; ICMP time exceeded sent */
	LSDP_DROP_NO_ROUTE,	/* router: no route; ICMP unreachable sent */
	LSDP_DROP_ROUTER_LOCAL,	/* to a router address, not ARP/ND/echo */
	LSDP_DROP_ROUTER_L2,	/* frame a router does not take (not IP/ARP, not its MAC) */
	LSDP_DROP_NO_PEER,	/* router patch port without a peer */
	LSDP_DROP_LOOP,		/* too many nested datapaths (a loop) */
	LSDP_DROP_HOLD_OFF,	/* next hop unresolved and holding disabled */
	LSDP_DROP_HOLD_DEST_FULL,	/* oldest held packet dropped: per-destination cap */
	LSDP_DROP_HOLD_TOTAL_FULL,	/* not held: per-netns cap reached */
	LSDP_DROP_HOLD_FAILED,	/* next hop never answered; ICMP unreachable sent */
	LSDP_DROP_HOLD_TIMEOUT,	/* port stayed unbound past the hold time */
	LSDP_DROP_HOLD_FLUSH,	/* held for a port, neighbour or netns that went away */
	LSDP_DROP_NEIGH_FULL,	/* neighbour table full: next hop not resolved */
	/* from the provider network for a port on another chassis */
	LSDP_DROP_LOCALNET_REMOTE,
	/*
	 * dropped for one of the reasons above, but no memory could be had
	 * for the object's per-reason counters when it first dropped one
	 */
	LSDP_DROP_UNCLASSIFIED,
	/* received for an OVN multicast group lsdp has no member of */
	LSDP_DROP_TUN_MC_GROUP,
	LSDP_DROP_ACL_DROP,	/* an ACL with action drop */
	LSDP_DROP_ACL_REJECT,	/* an ACL with action reject (RST/ICMP sent) */
	LSDP_DROP_CT_INVALID,	/* conntrack says invalid, on a stateful switch */
	/* router NAT: no free external port/id for a new connection */
	LSDP_DROP_NAT_EXHAUSTED,
	/* router NAT: an IPv4 fragment (NAT needs whole packets; no reassembly) */
	LSDP_DROP_NAT_FRAGMENT,
	/* router NAT: conntrack or nf_nat refused the packet */
	LSDP_DROP_NAT_FAILED,

	__LSDP_DROP_MAX,
	LSDP_DROP_MAX = __LSDP_DROP_MAX - 1
};

enum lsdp_neigh_state {
	LSDP_NEIGH_UNSPEC,
	LSDP_NEIGH_INCOMPLETE,	/* probing; packets are held */
	LSDP_NEIGH_REACHABLE,	/* confirmed recently */
	LSDP_NEIGH_STALE,	/* still used; re-probed when used; then deleted */
	LSDP_NEIGH_FAILED,	/* no answer to any probe */
	LSDP_NEIGH_STATIC,	/* set by the operator; never ages */

	__LSDP_NEIGH_MAX,
	LSDP_NEIGH_MAX = __LSDP_NEIGH_MAX - 1
};

enum lsdp_hold_event {
	LSDP_HOLD_EVENT_UNSPEC,
	LSDP_HOLD_EVENT_RESOLVED,	/* the next hop answered; packets sent */
	LSDP_HOLD_EVENT_FAILED,		/* no answer; packets answered with ICMP */
	LSDP_HOLD_EVENT_OVERFLOW,	/* a cap was reached; packets dropped */
	LSDP_HOLD_EVENT_BOUND,		/* the port bound; its packets sent */
	LSDP_HOLD_EVENT_TIMEOUT,	/* the port stayed unbound; packets freed */

	__LSDP_HOLD_EVENT_MAX,
	LSDP_HOLD_EVENT_MAX = __LSDP_HOLD_EVENT_MAX - 1
};

/* NAT rules of a router (ovn-nb(5), NAT table). */
enum lsdp_nat_type {
	LSDP_NAT_TYPE_UNSPEC,
	LSDP_NAT_TYPE_SNAT,		/* LOGICAL_IP/PLEN -> EXTERNAL_IP, outbound */
	LSDP_NAT_TYPE_DNAT,		/* EXTERNAL_IP -> LOGICAL_IP, inbound */
	LSDP_NAT_TYPE_DNAT_AND_SNAT,	/* both: a floating IP */

	__LSDP_NAT_TYPE_MAX,
	LSDP_NAT_TYPE_MAX = __LSDP_NAT_TYPE_MAX - 1
};

/* Rules one router may have. */
#define LSDP_NAT_MAX	4095

/* ACLs (ovn-nb(5), ACL table). */
#define LSDP_ACL_PRIORITY_MAX	32767

enum lsdp_acl_dir {
	LSDP_ACL_DIR_UNSPEC,
	LSDP_ACL_DIR_FROM_LPORT,	/* at the switch's ingress, inport known */
	LSDP_ACL_DIR_TO_LPORT,		/* before delivery, outport known */

	__LSDP_ACL_DIR_MAX,
	LSDP_ACL_DIR_MAX = __LSDP_ACL_DIR_MAX - 1
};

enum lsdp_acl_action {
	LSDP_ACL_ACTION_UNSPEC,
	LSDP_ACL_ACTION_ALLOW,		/* commits too on a stateful switch */
	LSDP_ACL_ACTION_ALLOW_RELATED,	/* commits: replies and related pass */
	LSDP_ACL_ACTION_ALLOW_STATELESS, /* bypasses conntrack */
	LSDP_ACL_ACTION_DROP,
	LSDP_ACL_ACTION_REJECT,		/* drop, answer TCP RST / ICMP unreachable */
	LSDP_ACL_ACTION_PASS,		/* stop evaluating; no tiers: as allow */

	__LSDP_ACL_ACTION_MAX,
	LSDP_ACL_ACTION_MAX = __LSDP_ACL_ACTION_MAX - 1
};

/*
 * An ACL's match, compiled by userspace: LSDP_A_ACL_MATCH holds any number
 * of LSDP_MATCH_A_TEST nests, all of which must hold (AND).  A test names
 * one field and lists alternatives (OR); LSDP_TEST_A_NEG makes it "none of
 * them" (OVN's !=).  A field has at most one positive and one negative
 * test.  Prerequisites are explicit: L4 fields need an ip.proto test, IPv4
 * and IPv6 fields imply their family.
 */
enum lsdp_match_attr {
	LSDP_MATCH_A_UNSPEC,
	LSDP_MATCH_A_TEST,		/* nest of LSDP_TEST_A_* */

	__LSDP_MATCH_A_MAX,
	LSDP_MATCH_A_MAX = __LSDP_MATCH_A_MAX - 1
};

enum lsdp_test_attr {
	LSDP_TEST_A_UNSPEC,
	LSDP_TEST_A_FIELD,		/* u8, enum lsdp_match_field */
	LSDP_TEST_A_NEG,		/* flag: the field matches none of them */
	/* binary, the field's width, network order: an exact value */
	LSDP_TEST_A_VALUE,
	LSDP_TEST_A_MASKED,		/* binary, twice the width: value, mask */
	LSDP_TEST_A_RANGE,		/* binary, twice the width: low, high */
	LSDP_TEST_A_ADDR_SET,		/* string: an address set's members */
	LSDP_TEST_A_PORT,		/* string: a port (inport/outport) */
	LSDP_TEST_A_PORT_GROUP,		/* string: a port group's members */

	__LSDP_TEST_A_MAX,
	LSDP_TEST_A_MAX = __LSDP_TEST_A_MAX - 1
};

enum lsdp_match_field {
	LSDP_FIELD_UNSPEC,
	LSDP_FIELD_INPORT,		/* ports and port groups only */
	LSDP_FIELD_OUTPORT,		/* ports and port groups only */
	LSDP_FIELD_ETH_TYPE,		/* 2 bytes */
	LSDP_FIELD_IP_PROTO,		/* 1 byte; IPv6: after extension headers */
	LSDP_FIELD_IP4_SRC,		/* 4 bytes; also address sets */
	LSDP_FIELD_IP4_DST,
	LSDP_FIELD_IP6_SRC,		/* 16 bytes; also address sets */
	LSDP_FIELD_IP6_DST,
	LSDP_FIELD_L4_SRC,		/* 2 bytes: TCP/UDP/SCTP port */
	LSDP_FIELD_L4_DST,
	LSDP_FIELD_ICMP_TYPE,		/* 1 byte: ICMP or ICMPv6 */
	LSDP_FIELD_ICMP_CODE,

	__LSDP_FIELD_MAX,
	LSDP_FIELD_MAX = __LSDP_FIELD_MAX - 1
};

/* A traced frame's size limit and the steps one trace records at most. */
#define LSDP_TRACE_FRAME_MAX	9216
#define LSDP_TRACE_MAX_STEPS	64
/* Bytes of a frame a live trace can match on, and live traces per netns. */
#define LSDP_TRACE_MATCH_MAX	128
#define LSDP_TRACE_LIVE_MAX	4

/* What one step of a trace is (LSDP_TRACE_A_KIND). */
enum lsdp_trace_kind {
	LSDP_TRACE_UNSPEC,
	LSDP_TRACE_INGRESS,	/* entered a datapath's ingress on a port */
	LSDP_TRACE_PORT_SECURITY, /* port security verdict (pass) */
	LSDP_TRACE_L2,		/* L2 lookup: the port, or the flood set */
	LSDP_TRACE_PATCH,	/* crossed a switch-router patch */
	LSDP_TRACE_ROUTE,	/* route chosen, next hop, TTL */
	LSDP_TRACE_NEIGH,	/* next hop resolution */
	LSDP_TRACE_GENERATED,	/* the datapath would send a packet of its own */
	LSDP_TRACE_LEARN,	/* a neighbour would be learned */
	LSDP_TRACE_TAG,		/* VLAN tag popped on ingress */
	LSDP_TRACE_DELIVER,	/* final: delivered to a local port */
	LSDP_TRACE_TUNNEL,	/* final: encapsulated to a chassis */
	LSDP_TRACE_HOLD,	/* final: held (next hop or unbound port) */
	LSDP_TRACE_DROP,	/* final: dropped (LSDP_TRACE_A_REASON) */
	LSDP_TRACE_CONSUMED,	/* final: taken by the datapath (ARP, ND...) */
	LSDP_TRACE_ACL,		/* the ACL that decides, and its action */
	LSDP_TRACE_TUNNEL_RX,	/* (live) arrived from a tunnel: VNI, keys */

	__LSDP_TRACE_MAX,
	LSDP_TRACE_MAX = __LSDP_TRACE_MAX - 1
};

enum lsdp_trace_attr {
	LSDP_TRACE_A_UNSPEC,
	LSDP_TRACE_A_KIND,	/* u8, enum lsdp_trace_kind */
	LSDP_TRACE_A_DP_NAME,	/* string: the datapath it happened in */
	LSDP_TRACE_A_DP_KEY,	/* u32 */
	LSDP_TRACE_A_PORT_NAME,	/* string: the port it is about, if any */
	LSDP_TRACE_A_PORT_KEY,	/* u32 */
	LSDP_TRACE_A_DETAIL,	/* string: what happened, for people */
	LSDP_TRACE_A_REASON,	/* u32: a drop step's reason, as LSDP_A_DROP_REASON */

	__LSDP_TRACE_A_MAX,
	LSDP_TRACE_A_MAX = __LSDP_TRACE_A_MAX - 1
};

#endif /* _UAPI_LINUX_LSDP_H */

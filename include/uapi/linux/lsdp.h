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

/* Logical datapath keys are the 24-bit Geneve VNI; 0 is never used. */
#define LSDP_DP_KEY_MIN		1
#define LSDP_DP_KEY_MAX		0xffffff
/* Logical port keys: OVN's unicast range; the two above it name groups. */
#define LSDP_PORT_KEY_MIN	1
#define LSDP_PORT_KEY_MAX	32767
#define LSDP_MC_FLOOD_KEY	32768
#define LSDP_MC_UNKNOWN_KEY	32769
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

	__LSDP_A_MAX,
	LSDP_A_MAX = __LSDP_A_MAX - 1
};

/* Entries of LSDP_A_PORT_ADDRS; each may appear many times. */
enum lsdp_addr_attr {
	LSDP_ADDR_A_UNSPEC,
	LSDP_ADDR_A_IPV4,	/* binary, 4 bytes, network order */
	LSDP_ADDR_A_IPV6,	/* binary, 16 bytes */

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
	LSDP_DROP_VLAN,		/* VLAN-tagged frame on a plain port */
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

	__LSDP_DROP_MAX,
	LSDP_DROP_MAX = __LSDP_DROP_MAX - 1
};

#endif /* _UAPI_LINUX_LSDP_H */

/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * liblsdp: generic netlink client of the lsdp kernel module, shared by the
 * `lsdp` CLI and the agent.
 *
 * One struct lsdp_nl is one netlink socket bound to one generic netlink
 * family.  Requests are synchronous: lsdp_nl_request() sends a message and
 * reads until the kernel's ACK (doit) or NLMSG_DONE (dump), handing every
 * reply message to a callback.  Extended ACK is enabled, so when a request
 * fails lsdp_nl_strerror() returns the kernel's own message (the extack
 * text), or strerror(errno) when the kernel gave none.
 *
 * Events: open a second handle, lsdp_nl_join_events() on it and call
 * lsdp_nl_recv() whenever its fd (lsdp_nl_fd()) is readable.  Do not mix
 * events and requests on one handle.
 *
 * Not thread safe: one handle per thread.
 */
#ifndef LSDP_NL_H
#define LSDP_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include <linux/lsdp.h>

struct lsdp_nl;

/* Flags of lsdp_nl_connect(). */
#define LSDP_NL_F_NO_CAP_ACK	0x1	/* have the kernel echo the request in ACKs */

/*
 * Called for every reply message of a request (or every event).  Return 0
 * to go on, a negative errno to make the request fail with it; the rest of
 * the reply is then read and discarded, so the socket stays usable.
 */
typedef int (*lsdp_nl_cb_t)(struct nl_msg *msg, void *arg);

/* Allocates an unconnected handle; NULL only when out of memory. */
struct lsdp_nl *lsdp_nl_new(void);
void lsdp_nl_free(struct lsdp_nl *nl);

/*
 * Opens the socket (in the caller's current network namespace) and
 * resolves @family.  Returns 0 or a negative errno; the text is in
 * lsdp_nl_strerror(), "<family> module not loaded" when the family does
 * not exist.  May be called again after a failure.
 */
int lsdp_nl_connect(struct lsdp_nl *nl, const char *family, unsigned int flags);

int lsdp_nl_family_id(const struct lsdp_nl *nl);
int lsdp_nl_fd(const struct lsdp_nl *nl);
struct nl_sock *lsdp_nl_sock(struct lsdp_nl *nl);
/* Version put in the genl header of new messages; LSDP_GENL_VERSION by default. */
void lsdp_nl_set_version(struct lsdp_nl *nl, uint8_t version);

/*
 * A new request: netlink + genl headers for @cmd of the connected family.
 * @flags: 0 for a doit, NLM_F_DUMP for a dump (NLM_F_REQUEST and NLM_F_ACK
 * are added on send).  NULL when out of memory.
 */
struct nl_msg *lsdp_nl_msg(struct lsdp_nl *nl, uint8_t cmd, int flags);
struct nl_msg *lsdp_nl_msg_size(struct lsdp_nl *nl, uint8_t cmd, int flags,
				size_t size);

/*
 * Sends @msg (always consumed) and waits for the end of the answer,
 * calling @cb (may be NULL) for every reply message.  Returns 0 or a
 * negative errno, text in lsdp_nl_strerror().  A warning the kernel
 * attached to a successful ACK is in lsdp_nl_warning().
 * A dump the kernel flagged as interrupted by a concurrent change
 * (NLM_F_DUMP_INTR) returns -EINTR: collect again.
 */
int lsdp_nl_request(struct lsdp_nl *nl, struct nl_msg *msg,
		    lsdp_nl_cb_t cb, void *arg);

/* Last error text ("" when none) and last warning (NULL when none). */
const char *lsdp_nl_strerror(const struct lsdp_nl *nl);
const char *lsdp_nl_warning(const struct lsdp_nl *nl);
/* Extack details of the last error: attribute offset / missing type, or 0. */
uint32_t lsdp_nl_err_offset(const struct lsdp_nl *nl);
uint32_t lsdp_nl_err_miss_type(const struct lsdp_nl *nl);

/* Events: join the family's "events" multicast group (LSDP_MCGRP_EVENTS). */
int lsdp_nl_join_group(struct lsdp_nl *nl, const char *group);
int lsdp_nl_join_events(struct lsdp_nl *nl);
/* Reads what is pending on the socket, calling @cb for every message. */
int lsdp_nl_recv(struct lsdp_nl *nl, lsdp_nl_cb_t cb, void *arg);

/* Parses a reply's attributes with the lsdp policy; tb has LSDP_A_MAX + 1 slots. */
int lsdp_nl_parse(struct nl_msg *msg, struct nlattr **tb);
/* The genl command of a message (for events). */
uint8_t lsdp_nl_cmd(struct nl_msg *msg);

/* ---- objects as the kernel reports them ---- */

struct lsdp_addr {
	int family;			/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/* A network (router port) or a route prefix: address and prefix length. */
struct lsdp_prefix {
	struct lsdp_addr addr;
	uint8_t plen;			/* 0..32 or 0..128 */
};

struct lsdp_drop {
	uint16_t reason;		/* enum lsdp_drop_reason, maybe newer */
	uint64_t count;
};

struct lsdp_stats {
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t tx_packets;
	uint64_t tx_bytes;
	struct lsdp_drop *drops;	/* as reported, ascending reason */
	unsigned int n_drops;
};

struct lsdp_dp_info {
	char name[LSDP_NAME_SIZE];
	uint32_t key;
	uint8_t kind;			/* enum lsdp_dp_kind; 0 if absent */
	uint32_t nports;
	bool has_nports;
};

struct lsdp_port_info {
	char name[LSDP_NAME_SIZE];
	char dp[LSDP_NAME_SIZE];	/* "" if absent */
	uint32_t key;
	uint8_t type;			/* enum lsdp_port_type; 0 if absent */
	bool has_mac;
	uint8_t mac[6];
	struct lsdp_addr *addrs;
	unsigned int n_addrs;
	struct lsdp_prefix *nets;	/* router ports: networks */
	unsigned int n_nets;
	char peer[LSDP_NAME_SIZE];	/* other side of a patch; "" if none */
	char parent[LSDP_NAME_SIZE];	/* a trunk child's parent; "" if none */
	uint16_t tag;			/* child's tag / localnet VLAN; 0: none */
	bool has_announced;
	uint32_t announced;		/* GARP/NA frames sent for the port */
	bool unknown;
	bool security;
	uint32_t ifindex;		/* 0: unbound */
	char ifname[16];		/* "" if absent */
	char chassis[LSDP_NAME_SIZE];	/* "" if not bound to a chassis */
	bool has_stats;
	struct lsdp_stats stats;
	/* A virtual port: its VIP, parents, the one bound now ("" if none) */
	bool has_vip;
	struct lsdp_addr vip;
	char (*vparents)[LSDP_NAME_SIZE];
	unsigned int n_vparents;
	char vparent[LSDP_NAME_SIZE];
	uint64_t vignored;
};

struct lsdp_chassis_info {
	char name[LSDP_NAME_SIZE];
	struct lsdp_addr ip;
	uint32_t nports;
};

struct lsdp_encap_info {
	bool configured;		/* a local endpoint is set */
	struct lsdp_addr local;
	uint32_t ifindex;
	char ifname[16];
	bool csum;
	bool df;
	bool owned;
	struct lsdp_stats stats;	/* tunnel counters */
};

struct lsdp_route_info {
	char dp[LSDP_NAME_SIZE];	/* the router; "" if absent */
	struct lsdp_prefix prefix;
	bool has_via;
	struct lsdp_addr via;		/* next hop when has_via */
	char port[LSDP_NAME_SIZE];	/* router port it leaves by; "" if absent */
	bool connected;			/* from a router port's network */
};

struct lsdp_nat_info {
	char dp[LSDP_NAME_SIZE];	/* the router; "" if absent */
	uint8_t type;			/* enum lsdp_nat_type */
	struct lsdp_addr external;
	struct lsdp_prefix logical;	/* plen 32 but for snat networks */
	char port[LSDP_NAME_SIZE];	/* distributed: logical port; "" if not */
	bool has_mac;
	uint8_t mac[6];			/* distributed: external MAC */
	bool local;			/* distributed and its port is bound here */
	bool has_range;
	uint16_t port_min, port_max;	/* snat's external port range */
	uint64_t hits;			/* packets translated */
	uint16_t zone;			/* the router's conntrack zone */
};

struct lsdp_neigh_info {
	char port[LSDP_NAME_SIZE];
	struct lsdp_addr addr;
	bool has_mac;			/* no MAC while incomplete or failed */
	uint8_t mac[6];
	uint8_t state;			/* enum lsdp_neigh_state; 0 if absent */
	bool has_age;
	uint32_t age_ms;		/* since last confirmed */
	uint32_t probes;		/* probes sent, this round */
};

/* The settable limits of the hold queue and the neighbour table. */
enum lsdp_hold_limit {
	LSDP_HOLD_L_DEST_BYTES,
	LSDP_HOLD_L_TOTAL_BYTES,
	LSDP_HOLD_L_RETRIES,
	LSDP_HOLD_L_INTERVAL_MS,
	LSDP_HOLD_L_UNBOUND_MS,
	LSDP_HOLD_L_NEIGH_MAX,
	LSDP_HOLD_L_REACHABLE_MS,
	LSDP_HOLD_L_STALE_MS,
	LSDP_HOLD_L_COUNT
};

struct lsdp_hold_limit_desc {
	uint16_t attr;			/* LSDP_A_* (u32) */
	const char *keyword;		/* CLI keyword: "dest-bytes" */
	const char *json;		/* JSON member: "dest_bytes" */
	bool ms;			/* a time in milliseconds */
};

/* Indexed by enum lsdp_hold_limit. */
extern const struct lsdp_hold_limit_desc lsdp_hold_limit_descs[LSDP_HOLD_L_COUNT];

struct lsdp_hold_limits {
	unsigned int present;		/* 1 << enum lsdp_hold_limit */
	uint32_t v[LSDP_HOLD_L_COUNT];
};

/* The reply to a HOLD_GET doit. */
struct lsdp_hold_info {
	struct lsdp_hold_limits limits;
	bool has_neigh_count;
	uint32_t neigh_count;
	bool has_stats;
	struct lsdp_stats stats;	/* rx = held, tx = released, drops */
	bool has_bytes;
	uint32_t bytes;			/* bytes held now, in the netns */
	uint32_t lat_samples;
	uint64_t lat_p50_ns;
	uint64_t lat_p99_ns;
	uint64_t lat_max_ns;
};

/* One entry of a HOLD_GET dump: packets waiting for one destination. */
struct lsdp_held_info {
	char port[LSDP_NAME_SIZE];
	bool has_addr;			/* false: waiting for an unbound port */
	struct lsdp_addr addr;		/* the unresolved next hop */
	uint32_t packets;
	uint32_t bytes;
	uint32_t age_ms;		/* of the oldest held packet */
};

/* Fill @dp / @port from a DP_* / PORT_* message; 0 or a negative errno. */
int lsdp_dp_parse(struct nl_msg *msg, struct lsdp_dp_info *dp);
int lsdp_port_parse(struct nl_msg *msg, struct lsdp_port_info *port);
/* Frees what lsdp_port_parse() allocated (not @port itself). */
void lsdp_port_info_clear(struct lsdp_port_info *port);
int lsdp_chassis_parse(struct nl_msg *msg, struct lsdp_chassis_info *ch);
int lsdp_encap_parse(struct nl_msg *msg, struct lsdp_encap_info *encap);
void lsdp_encap_info_clear(struct lsdp_encap_info *encap);

/*
 * Fill from a ROUTE_GET / NEIGH_GET dump message, a HOLD_GET doit reply or
 * a HOLD_GET dump message; 0 or a negative errno.
 */
int lsdp_route_parse(struct nl_msg *msg, struct lsdp_route_info *rt);
int lsdp_nat_parse(struct nl_msg *msg, struct lsdp_nat_info *n);
int lsdp_neigh_parse(struct nl_msg *msg, struct lsdp_neigh_info *ne);
int lsdp_hold_parse(struct nl_msg *msg, struct lsdp_hold_info *hold);
void lsdp_hold_info_clear(struct lsdp_hold_info *hold);
int lsdp_held_parse(struct nl_msg *msg, struct lsdp_held_info *held);

/* Appends @a as a 4- or 16-byte binary attribute @type. */
int lsdp_put_ip(struct nl_msg *msg, int type, const struct lsdp_addr *a);

/* Appends @n addresses as one LSDP_A_PORT_ADDRS nest (n may be 0). */
int lsdp_put_addrs(struct nl_msg *msg, const struct lsdp_addr *addrs,
		   unsigned int n);

/*
 * Appends addresses and networks as one LSDP_A_PORT_ADDRS nest (both may
 * be empty: an empty nest clears the list).
 */
int lsdp_put_port_addrs(struct nl_msg *msg, const struct lsdp_addr *addrs,
			unsigned int n_addrs, const struct lsdp_prefix *nets,
			unsigned int n_nets);

/*
 * Request attributes.  ROUTE_NEW: all of them (@via may be NULL);
 * ROUTE_DEL: @via and @port NULL.  NEIGH_NEW: with @mac; NEIGH_DEL: @mac
 * NULL.  HOLD_SET: the limits present.  0 or -EMSGSIZE.
 */
/* A NAT rule (@logical, @port, @mac NULL and @port_min 0 when absent). */
int lsdp_put_nat(struct nl_msg *msg, const char *router, uint8_t type,
		 const struct lsdp_addr *external,
		 const struct lsdp_prefix *logical, const char *port,
		 const uint8_t *mac, uint16_t port_min, uint16_t port_max);
int lsdp_put_route(struct nl_msg *msg, const char *router,
		   const struct lsdp_prefix *prefix, const struct lsdp_addr *via,
		   const char *port);
int lsdp_put_neigh(struct nl_msg *msg, const char *port,
		   const struct lsdp_addr *addr, const uint8_t *mac);
int lsdp_put_hold_limits(struct nl_msg *msg, const struct lsdp_hold_limits *l);

/* ---- text ---- */

/* An IPv4 or IPv6 address; true on success. */
bool lsdp_addr_parse(const char *s, struct lsdp_addr *a);
/* xx:xx:xx:xx:xx:xx, one or two hex digits per byte. */
bool lsdp_mac_parse(const char *s, uint8_t mac[6]);

/* What lsdp_prefix_parse() found wrong. */
enum lsdp_prefix_err {
	LSDP_PREFIX_OK,
	LSDP_PREFIX_BAD,		/* not ADDR[/LEN] */
	LSDP_PREFIX_NO_LEN,		/* no /LEN and it is required */
	LSDP_PREFIX_BAD_LEN,		/* LEN not 0..32 (IPv4) or 0..128 (IPv6) */
	LSDP_PREFIX_HOST_BITS,		/* bits beyond LEN set, and not allowed */
};

/* Flags of lsdp_prefix_parse(). */
#define LSDP_PREFIX_F_NEED_LEN	0x1	/* "ADDR" alone is an error */
#define LSDP_PREFIX_F_NETWORK	0x2	/* host bits must be zero */
#define LSDP_PREFIX_F_DEFAULT	0x4	/* "default" is 0.0.0.0/0 */

/*
 * ADDR/LEN (or ADDR alone: a host, /32 or /128, unless NEED_LEN).  On
 * LSDP_PREFIX_HOST_BITS, @p holds the masked network (for the message).
 */
enum lsdp_prefix_err lsdp_prefix_parse(const char *s, struct lsdp_prefix *p,
				       unsigned int flags);
/* "10.0.0.0/8", "2001:db8::/32"; @len >= LSDP_PREFIX_STRLEN. */
#define LSDP_PREFIX_STRLEN	(46 + 4)
const char *lsdp_prefix_str(const struct lsdp_prefix *p, char *buf, size_t len);

/* ---- names ---- */

const char *lsdp_dp_kind_name(unsigned int kind);	/* NULL if unknown */
const char *lsdp_port_type_name(unsigned int type);	/* NULL if unknown */
int lsdp_port_type_parse(const char *s);		/* -1 if unknown */
/* "no-dest", ...; "reason-N" for a reason this build does not know. */
const char *lsdp_drop_reason_name(unsigned int reason, char *buf, size_t len);
/* "reachable", ...; NULL if unknown. */
const char *lsdp_neigh_state_name(unsigned int state);
/* "resolved", ...; NULL if unknown. */
const char *lsdp_hold_event_name(unsigned int event);
/* "ingress", "delivered", ... of enum lsdp_trace_kind; NULL if unknown. */
const char *lsdp_trace_kind_name(unsigned int kind);
/* A printable name for an LSDP_A_* attribute ("LSDP_A_PORT_KEY"). */
const char *lsdp_attr_name(unsigned int type);

#endif /* LSDP_NL_H */

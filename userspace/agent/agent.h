/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * lsdp-agent: what the OVSDB side (main.c, sb.c: OVS's library) and the
 * netlink side (kernel.c, link.c: liblsdp and libnl) share.  Plain C only:
 * neither OVS's nor libnl's headers are included here, so each side
 * compiles with its own headers.
 */
#ifndef LSDP_AGENT_H
#define LSDP_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGENT_NAME_SIZE	64	/* as LSDP_NAME_SIZE: 1..63 bytes and a NUL */

/* Log levels of agent_log(), mapped onto vlog's. */
enum agent_log_level { AGENT_ERR, AGENT_WARN, AGENT_INFO, AGENT_DBG };

/* Implemented by main.c (vlog); kernel.c and link.c log through it. */
void agent_log(enum agent_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- the wanted kernel state, computed from the southbound database ---- */

enum want_port_kind {
	WANT_VIF,		/* switch port: local (ifindex) or remote (chassis) */
	WANT_ROUTER,		/* switch side of a switch-router patch (peer) */
	WANT_ROUTER_PORT,	/* a router's port: mac + nets */
	WANT_LOCALNET,		/* switch port on a provider netdev (ifindex, tag) */
};

struct want_port {
	char name[AGENT_NAME_SIZE];
	char dp[AGENT_NAME_SIZE];
	uint32_t key;
	enum want_port_kind kind;
	char mac[32];			/* "" when none */
	char **addrs;			/* switch ports: IPs, as text */
	size_t n_addrs;
	char **nets;			/* router ports: ADDR/PLEN, as text */
	size_t n_nets;
	bool unknown;
	char peer[AGENT_NAME_SIZE];	/* WANT_ROUTER: the router port */
	char parent[AGENT_NAME_SIZE];	/* trunk child: its parent, else "" */
	uint16_t tag;			/* child's tag, localnet's VLAN; 0: none */
	uint32_t ifindex;		/* bound to this local netdev; 0: not */
	char chassis[AGENT_NAME_SIZE];	/* bound to this chassis; "": not */
};

struct want_dp {
	char name[AGENT_NAME_SIZE];
	uint32_t key;
	bool router;
};

struct want_chassis {
	char name[AGENT_NAME_SIZE];
	char ip[64];
};

/* A static neighbour of a router port: a port address on its switch. */
struct want_neigh {
	char port[AGENT_NAME_SIZE];	/* the router port */
	char ip[64];
	char mac[32];
};

/* A static route of a router (from SB's lr_in_ip_routing flows). */
struct want_route {
	char router[AGENT_NAME_SIZE];	/* the router datapath */
	char prefix[64];		/* ADDR/PLEN */
	char via[64];			/* next hop */
	char port[AGENT_NAME_SIZE];	/* the router port it leaves by */
};

struct want {
	struct want_dp *dps;
	size_t n_dps, cap_dps;
	struct want_chassis *chassis;
	size_t n_chassis, cap_chassis;
	struct want_port *ports;
	size_t n_ports, cap_ports;
	struct want_neigh *neighs;	/* kept only when on the port's networks */
	size_t n_neighs, cap_neighs;
	struct want_route *routes;
	size_t n_routes, cap_routes;
	char encap_ip[64];		/* "" when none */
	bool encap_csum;
};

/*
 * ---- ACLs, port groups and address sets, from the northbound database ----
 * (read only when the agent is given ovn-nb-remote; see kacl.c)
 */

struct want_acl {
	char owner[AGENT_NAME_SIZE];	/* the lsdp switch, or port group */
	bool on_pg;			/* owner is a port group */
	bool to_lport;			/* direction; false: from-lport */
	uint16_t prio;
	char action[24];		/* OVN's word: allow, drop, ... */
	char name[AGENT_NAME_SIZE];	/* "" when none */
	char *match;			/* OVN's text */
	char id[40];			/* the NB row, for logs and status */
};

/* A port group (members: lsdp port names) or an address set (members:
 * addresses and CIDRs, as text). */
struct want_set {
	char name[AGENT_NAME_SIZE];
	char **members;
	size_t n_members;
};

struct want_acls {
	struct want_acl *acls;
	size_t n_acls, cap_acls;
	struct want_set *pgs;
	size_t n_pgs, cap_pgs;
	struct want_set *ases;
	size_t n_ases, cap_ases;
};

struct want_acl *want_add_acl(struct want_acls *w);
struct want_set *want_add_set(struct want_set **v, size_t *n, size_t *cap);
void want_set_add(struct want_set *s, const char *member);
void want_acls_clear(struct want_acls *w);

/*
 * Implemented by main.c: an ACL row lsdp cannot enforce as written (@id
 * its NB row, @why what and what was done instead), logged once and listed
 * by status.
 */
void agent_acl_unsupported(const char *id, const char *why);

/*
 * ---- NAT rules of routers, from the northbound database ----
 * (read only when the agent is given ovn-nb-remote; see knat.c)
 */

struct want_nat {
	char router[AGENT_NAME_SIZE];	/* the lsdp router */
	char type[16];			/* snat, dnat, dnat_and_snat */
	char external[64];		/* external_ip */
	char logical[64];		/* logical_ip: ADDR, or CIDR for snat */
	char port[AGENT_NAME_SIZE];	/* logical_port; "" when none */
	char mac[32];			/* external_mac; "" when none */
	char range[32];			/* external_port_range; "" when none */
	char id[40];			/* the NB row, for logs and status */
};

struct want_nats {
	struct want_nat *v;
	size_t n, cap;
};

struct want_nat *want_add_nat(struct want_nats *w);
void want_nats_clear(struct want_nats *w);

/*
 * Implemented by main.c: a NAT row lsdp does not install as written (@id
 * its NB row, @why what and what was done instead), logged once and listed
 * by status.
 */
void agent_nat_unsupported(const char *id, const char *why);

/* ---- kernel.c: the lsdp instance of one network namespace ---- */

struct kernel;

/*
 * Connects to the lsdp family in the calling thread's network namespace
 * and reads what the kernel has.  NULL with @err filled on failure.
 */
struct kernel *kernel_open(char *err, size_t errlen);
void kernel_close(struct kernel *k);

/* Counts of what the kernel was last seen or made to hold. */
struct kernel_counts {
	size_t dps, ports, chassis, bound;	/* bound: ports on a local netdev */
	size_t static_neighs;
	size_t static_routes;
	unsigned long long requests;	/* changes sent since kernel_open() */
};

/*
 * Makes the kernel hold @w, changing only what differs (a port's address
 * list, its binding, ...), and never what already matches, so that an
 * agent restart does not disturb forwarding.  Returns the number of
 * requests the kernel refused (each logged); 0 means the kernel holds @w.
 */
int kernel_sync(struct kernel *k, const struct want *w);
void kernel_counts(const struct kernel *k, struct kernel_counts *c);
/*
 * The neighbours the kernel's routers learned (reachable or stale, with a
 * MAC), read now: *@v (free() it) holds @n of them.  0 or -errno.
 */
int kernel_learned(struct kernel *k, struct want_neigh **v, size_t *n);
/* Whether the kernel has port @port. */
bool kernel_port_exists(const struct kernel *k, const char *port);
/*
 * Makes the kernel's ACLs, port groups and address sets those of @w,
 * changing only what differs (kacl.c).  Returns the refusals (logged);
 * @n_acls is set to the ACLs the kernel holds for @w.
 */
int kernel_acl_sync(struct kernel *k, const struct want_acls *w,
		    size_t *n_acls);
/*
 * Makes the kernel's NAT rules those of @w, changing only what differs
 * (knat.c).  Returns the refusals (logged); @n_nats is set to the rules
 * the kernel holds for @w.
 */
int kernel_nat_sync(struct kernel *k, const struct want_nats *w,
		    size_t *n_nats);
/* Whether @port exists bound to local netdev @ifindex (non-zero). */
bool kernel_port_bound(const struct kernel *k, const char *port,
		       uint32_t ifindex);

/* ---- link.c: the netdevs of that namespace and their iface-ids ---- */

/*
 * A VM manager names the logical port a netdev plays with its ifalias:
 *	ip link set dev TAP alias iface-id=LOGICAL_PORT
 */
#define LINK_IFACE_ID_PREFIX "iface-id="

struct links;

struct links *links_open(char *err, size_t errlen);
void links_close(struct links *l);
int links_fd(const struct links *l);
/* Reads pending link events; true when something the agent uses changed. */
bool links_run(struct links *l);
/* The netdev whose iface-id is @iface_id: its ifindex, 0 when none. */
uint32_t links_find_iface(const struct links *l, const char *iface_id);
/* The ifindex of netdev @ifname, 0 when none. */
uint32_t links_find_name(const struct links *l, const char *ifname);
/* Calls @cb for every netdev that has an iface-id. */
void links_for_each_iface(const struct links *l,
			  void (*cb)(const char *iface_id, uint32_t ifindex,
				     const char *ifname, void *arg),
			  void *arg);

/* ---- want helpers (want.c) ---- */

struct want_port *want_add_port(struct want *w);
struct want_dp *want_add_dp(struct want *w);
struct want_chassis *want_add_chassis(struct want *w);
struct want_neigh *want_add_neigh(struct want *w);
struct want_route *want_add_route(struct want *w);
void want_port_add_addr(struct want_port *p, const char *a);
void want_port_add_net(struct want_port *p, const char *n);
void want_clear(struct want *w);

/* Copies @src into @dst (AGENT_NAME_SIZE); false if too long or empty. */
bool agent_name_copy(char *dst, const char *src);

#endif /* LSDP_AGENT_H */

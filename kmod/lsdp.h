/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lsdp: logical switch/router datapath, internal definitions.
 *
 * DOC: Locking
 *
 * Each network namespace has one struct lsdp_net.  Its @lock mutex serialises
 * every writer of that instance: datapath and port creation, change and
 * deletion, and the tables that index them.  Binding a port to a netdev also
 * needs RTNL (rx_handler registration and the netdev notifier), so writers
 * that may bind take RTNL first, then @lock; the notifier runs under RTNL and
 * takes @lock.  Never take RTNL while holding @lock.
 *
 * The packet path (rx_handler, softirq) holds only rcu_read_lock(): it reads a
 * port through dev->rx_handler_data, the port's configuration through
 * port->cfg, the output netdev through port->dev, and the switch's L2 table
 * and port list.  Writers publish with rcu_assign_pointer() / list_*_rcu()
 * and free after a grace period (kfree_rcu, call_rcu, or queue_rcu_work
 * where the free may sleep).
 *
 * Counters are per-CPU (u64_stats), written only with BHs off (the packet
 * path, or process context inside local_bh_disable()) by the CPU that owns
 * them, and summed by readers.  A port's counters appear with its first
 * packet, its drop counters with its first drop (struct lsdp_counters).
 *
 * Every function says in its comment what it must be called with, and
 * checks it: lockdep_assert_held(&ln->lock), ASSERT_RTNL(),
 * lockdep_assert_held(&ln->hold_lock), lsdp_assert_rcu() (rcu_read_lock())
 * and lsdp_assert_packet_path() (that and BHs off).  A kernel with lockdep
 * and PROVE_RCU verifies them; elsewhere they cost nothing.
 */
#ifndef _LSDP_H
#define _LSDP_H

#include <linux/types.h>
#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/etherdevice.h>
#include <linux/jhash.h>
#include <net/ipv6.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/timer.h>
#include <linux/ktime.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <net/ipv6.h>
#include <linux/if_arp.h>
#include <linux/icmpv6.h>
#include <linux/idr.h>
#include <linux/ratelimit.h>
#include <linux/jump_label.h>
#include <net/ipv6.h>
#include <net/dst_cache.h>
#include <net/genetlink.h>
#include <uapi/linux/lsdp.h>

#include "genl_gen.h"	/* request handlers, policies, ops */

/* Addresses one port may carry, IPv4 and IPv6 together. */
#define LSDP_MAX_ADDRS	64

/* An IPv4 or IPv6 address; which one is said next to it. */
union lsdp_addr {
	__be32 ip4;
	struct in6_addr ip6;
};

struct lsdp_lpm_node;

/*
 * Traffic counters, per CPU: every packet touches them, so they are kept
 * small (a port's cost in memory is this times the number of CPUs).
 */
struct lsdp_pcpu_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	struct u64_stats_sync syncp;
};

/* Drop counters by reason, per CPU; allocated on an object's first drop. */
struct lsdp_pcpu_drops {
	u64_stats_t n[__LSDP_DROP_MAX];
	struct u64_stats_sync syncp;
};

/*
 * The counters of one port, or of one netns-wide part (tunnel, hold
 * queue).  A netns-wide part has both blocks from the start.  A port's
 * @traffic is NULL until its first packet and @drops until its first drop
 * (most ports, remote ones above all, never carry a packet here, and a
 * per-reason block per CPU is ten times the traffic block); the packet
 * path installs each once with cmpxchg() (stats.c) and it lives as long
 * as the port.  A drop that finds no block and cannot allocate one (atomic
 * context) is counted in @unclassified, so that every drop is counted;
 * after such a failure no drop tries again before @drops_retry (jiffies),
 * so that a burst of drops under memory pressure does not hammer the
 * percpu allocator once per packet.
 */
struct lsdp_counters {
	struct lsdp_pcpu_stats __percpu *traffic;
	struct lsdp_pcpu_drops __percpu *drops;
	atomic64_t unclassified;
	unsigned long drops_retry;
};

struct lsdp_stats {
	u64 rx_packets;
	u64 rx_bytes;
	u64 tx_packets;
	u64 tx_bytes;
	u64 drops[__LSDP_DROP_MAX];
};

/* Hold queue and neighbour settings of one netns (LSDP_A_HOLD_*). */
struct lsdp_hold_cfg {
	u32 dest_bytes;
	u32 total_bytes;
	u32 retries;
	u32 interval_ms;
	u32 unbound_ms;
	u32 neigh_max;
	u32 reachable_ms;
	u32 stale_ms;
};

/* Release latency samples, a ring of the most recent ones. */
#define LSDP_LAT_SAMPLES	1024
struct lsdp_lat {
	u32 ns[LSDP_LAT_SAMPLES];	/* capped at U32_MAX */
	unsigned int next;
	unsigned int count;
	u64 max_ns;
};

/*
 * Packets waiting for something: a next hop's MAC (in a neighbour) or a
 * port's binding (in a port hold).  Protected by ln->hold_lock.
 */
struct lsdp_hold {
	struct sk_buff_head q;		/* its own lock is not used */
	unsigned int bytes;
	ktime_t since;			/* when the oldest was queued */
	bool overflowed;		/* overflow event sent this round */
};

/* A neighbour is found by router port and address (IPv4 as v4-mapped). */
struct lsdp_neigh_key {
	struct lsdp_port *port;
	struct in6_addr addr;
};

struct lsdp_neigh {
	struct rhash_head node;		/* in ln->neighs; hold_lock */
	struct list_head list;		/* in ln->neigh_list; hold_lock, RCU */
	struct list_head gc;		/* a flush's list of the unlinked */
	u64 serial;			/* creation order (ln->hold_serial) */
	struct lsdp_neigh_key key;
	bool ipv6;
	u8 state;			/* hold_lock to write; READ_ONCE */
	u64 mac;			/* 6 bytes; hold_lock to write; READ_ONCE */
	/* jiffies; hold_lock + WRITE_ONCE to write, READ_ONCE lockless */
	unsigned long confirmed;
	unsigned long used;		/* jiffies; WRITE_ONCE by the packet path */
	unsigned int probes;		/* as confirmed */
	/* hold_lock + WRITE_ONCE: unlinked, timer must not rearm */
	bool dead;
	struct lsdp_hold hold;		/* hold_lock */
	struct timer_list timer;
	struct lsdp_net *ln;
	struct rcu_head rcu;
};

/* Packets for a port that is defined but bound nowhere yet. */
struct lsdp_port_hold {
	struct list_head list;		/* in ln->port_holds; hold_lock */
	u64 serial;			/* creation order (ln->hold_serial) */
	struct lsdp_port *port;
	/*
	 * hold_lock.  Unlinked by lsdp_port_hold_release() alone, which then
	 * waits for the timer; the timer only empties the queue.
	 */
	bool dead;
	struct lsdp_hold hold;		/* hold_lock */
	struct timer_list timer;
	struct rcu_head rcu;
};

struct lsdp_net {
	struct net *net;
	struct mutex lock;		/* writers; see DOC: Locking */
	/*
	 * Bumped by every writer that adds or removes an object a dump lists
	 * (datapath, port, chassis, route, neighbour, port hold): a dump
	 * that saw it change between two of its parts is flagged
	 * NLM_F_DUMP_INTR.  Written under ln->lock or hold_lock.
	 */
	atomic_t gen;
	u64 serial;			/* lock; creation order, see dumps */
	struct rhashtable dps_by_key;	/* lock */
	struct rhashtable dps_by_name;	/* lock */
	struct rhashtable ports_by_name; /* lock */
	struct list_head dps;		/* lock; creation order, for dumps */
	unsigned int n_dps;		/* lock */
	unsigned int n_ports;		/* lock */
	struct rhashtable chassis_by_name; /* lock */
	struct list_head chassis;	/* lock; creation order, for dumps */
	unsigned int n_chassis;		/* lock */
	struct lsdp_encap __rcu *encap;	/* RTNL + lock to write */
	/* Tunnel receive/transmit and drops no port can be charged with. */
	struct lsdp_counters tun_stats;
	/* ICMP "too big" answers: at most LSDP_ICMP_RATE a second. */
	unsigned long icmp_stamp;
	atomic_t icmp_sent;
	/* Drop events to "drops" listeners: LSDP_DROP_EVENT_RATE a second. */
	struct ratelimit_state drop_rs;

	/* Neighbours and the hold queue: see DOC: Neighbours and holding. */
	struct lsdp_hold_cfg hold_cfg;	/* lock to write, READ_ONCE to read */
	spinlock_t hold_lock;		/* everything below */
	struct rhashtable neighs;	/* lsdp_neigh by key */
	struct list_head neigh_list;	/* lsdp_neigh, for dumps; also RCU */
	u64 hold_serial;		/* creation order of the two lists */
	unsigned int n_neighs;
	struct list_head port_holds;	/* lsdp_port_hold, for dumps */
	unsigned int hold_bytes;	/* held in this netns, all queues */
	struct lsdp_lat lat;		/* release latency samples */
	/* held (rx), released (tx), hold and neighbour drops */
	struct lsdp_counters hold_stats;

	/* ACLs (acl.c): all lock to write */
	struct list_head acl_sets;	/* lsdp_as, creation order */
	struct list_head acl_pgs;	/* lsdp_pg, creation order */
	struct list_head acls;		/* lsdp_acl, creation order (= id) */
	u32 acl_next_id;
	unsigned int n_acls;
	struct lsdp_acl_scratch *acl_scratch;	/* lock: an ACL's expansion */
	struct lsdp_acl_emc __percpu *acl_emc;	/* set once; lock */
	atomic64_t acl_epoch;		/* lock to write; see acl.c */
	struct ida ct_zones;		/* conntrack zones of ports (ct.c) */
	/* NAT rules with an external MAC, all routers (nat.c); lock to write */
	atomic_t n_nat_macs;
	/*
	 * Virtual ports (virt.c): binds the packet path asked for, made
	 * under @lock in process context
	 */
	struct work_struct virt_work;

	/* Live traces (trace.c): lock to write, RCU readers */
	struct list_head live;
	unsigned int n_live;		/* lock */
	u32 live_next_id;		/* lock */
};

#define LSDP_ICMP_RATE	100
#define LSDP_DROP_EVENT_RATE	100

/* The local tunnel endpoint; replaced wholesale, freed after RCU. */
struct lsdp_encap {
	struct net_device *dev;		/* operator's Geneve netdev, or NULL */
	netdevice_tracker dev_tracker;
	/* Without dev: lsdp's own UDP 6081 sockets (sock6 may be NULL). */
	struct socket *sock4;
	struct socket *sock6;
	bool owned;			/* the endpoint is lsdp's (no dev) */
	bool ipv6;
	bool csum;
	bool df;
	__be32 ip4;
	struct in6_addr ip6;
	struct rcu_head rcu;
};

struct lsdp_chassis {
	struct rhash_head name_node;	/* in ln->chassis_by_name */
	struct list_head list;		/* in ln->chassis */
	u64 serial;			/* creation order (ln->serial) */
	char name[LSDP_NAME_SIZE];
	bool ipv6;
	__be32 ip4;
	struct in6_addr ip6;
	unsigned int n_ports;		/* lock */
	struct dst_cache dst_cache;	/* underlay route, for the MTU */
	struct rcu_head rcu;
};

/* A chassis hosting ports of a datapath: floods go there once. */
struct lsdp_dp_chassis {
	struct list_head node;		/* in dp->chassis, RCU */
	struct lsdp_chassis *chassis;
	unsigned int n_ports;		/* lock */
	struct rcu_head rcu;
};

struct lsdp_dp {
	struct rhash_head key_node;	/* in ln->dps_by_key */
	struct rhash_head name_node;	/* in ln->dps_by_name */
	struct list_head list;		/* in ln->dps */
	u64 serial;			/* creation order (ln->serial) */
	struct lsdp_net *ln;
	u32 key;
	u8 kind;			/* enum lsdp_dp_kind */
	char name[LSDP_NAME_SIZE];
	struct rhashtable ports_by_key;	/* lock */
	struct rhashtable l2;		/* MAC -> port; RCU readers */
	/* Switches: configured IP -> port, how routers resolve next hops */
	struct rhashtable ips;		/* lock to write; RCU readers */
	struct list_head ports;		/* RCU list; creation order */
	struct list_head unknown_ports;	/* RCU list; ports taking unknown */
	struct list_head chassis;	/* RCU list of lsdp_dp_chassis */
	/* Switches: the localnet port, at most one; lock to write */
	struct lsdp_port __rcu *localnet;
	unsigned int n_ports;		/* lock */
	/* Routers only: routing tables (route.c), RCU readers. */
	struct lsdp_lpm_node __rcu *lpm4;
	struct lsdp_lpm_node __rcu *lpm6;
	struct list_head routes;	/* lock; lsdp_route, for dumps */
	unsigned int n_routes;		/* lock */
	/* Switches: ACLs owned by the switch (acl.c); lock */
	struct list_head acls;
	/* The compiled ACLs of the switch and its port groups; NULL: none */
	struct lsdp_acl_table __rcu *acl;
	/* Routers: NAT rules (nat.c); lock to write, the table RCU */
	struct lsdp_nat_table __rcu *nat;
	struct list_head nat_rules;	/* creation order */
	unsigned int n_nat;
	struct ida nat_slots;		/* rule slots, 1..LSDP_NAT_MAX */
	struct nf_conn *nat_tmpl;	/* zone template, with the first rule */
	u16 nat_zone;			/* 0 until the first rule */
	/* Switches: virtual ports (lsdp_virt); lock to write, RCU readers */
	struct list_head vports;
	struct rcu_work free_work;
};

/*
 * A NAT rule of a router (nat.c).  Immutable once published but for
 * @lport (cleared when the port goes) and the counters.
 */
struct lsdp_nat_rule {
	struct list_head list;		/* in dp->nat_rules; lock */
	struct lsdp_dp *dp;
	u64 serial;			/* creation order (ln->serial) */
	u8 type;			/* enum lsdp_nat_type */
	u8 plen;			/* of @logical: snat's network; else 32 */
	bool has_mac;			/* distributed: @mac and @lport */
	u8 mac[ETH_ALEN];
	u16 slot;			/* in the table and in conntrack marks */
	u16 port_min;			/* snat's external port range; 0: any */
	u16 port_max;
	__be32 external;
	__be32 logical;
	/* lock + WRITE_ONCE to write, READ_ONCE; NULL when it went away */
	struct lsdp_port *lport;
	char lport_name[LSDP_NAME_SIZE];
	u64 __percpu *hits;		/* packets translated; this_cpu_inc() */
	struct rcu_head rcu;
};

/* A router's rules as the packet path reads them; replaced wholesale. */
struct lsdp_nat_table {
	struct rcu_head rcu;
	struct nf_conn *tmpl;		/* the router's zone (dp->nat_tmpl) */
	u16 zone;
	bool distributed;		/* some rule has an external MAC */
	unsigned int n;
	unsigned int n_slots;
	struct lsdp_nat_rule **by_slot;	/* [n_slots], NULL: free slot */
	struct lsdp_nat_rule *rules[];	/* [n] in creation order, then by_slot */
};

/*
 * A route of a router datapath.  Immutable once inserted: a change is a
 * delete and an add.  Connected routes come from router port networks and
 * go away with them.
 */
struct lsdp_route {
	struct list_head list;		/* in dp->routes; lock */
	struct lsdp_port *port;		/* router port the route leaves by */
	u64 serial;			/* creation order (ln->serial) */
	bool ipv6;
	bool connected;
	bool has_via;
	u8 plen;
	union lsdp_addr prefix;		/* host bits are zero */
	union lsdp_addr via;		/* next hop when has_via */
	struct rcu_head rcu;
};

/*
 * A port's configuration is immutable once published: a change builds a new
 * one and swaps the pointer, so the packet path sees either the old or the
 * new configuration, never a mix.  Kept small, since every port has one (a
 * MAC alone fits kmalloc-16, a MAC and an IPv4 address kmalloc-32): the
 * replaced one is freed with kfree_rcu_mightsleep() (writers may sleep),
 * not through an rcu_head of its own, and the EUI-64 link-local address
 * is derived from the MAC where needed (lsdp_cfg_ll6()).
 */
struct lsdp_port_cfg {
	u8 mac[ETH_ALEN];
	bool has_mac;
	bool unknown;
	bool security;
	bool nets;			/* router port: prefix lengths follow */
	/*
	 * VLAN ID on the wire, 0 for none: a trunk child's tag on its
	 * parent's netdev, a localnet port's on the provider netdev.
	 */
	u16 tag;
	u8 n_ip4;
	u8 n_ip6;
	/*
	 * n_ip6 struct in6_addr, then n_ip4 __be32, then (router ports) the
	 * prefix lengths: n_ip6 u8 then n_ip4 u8
	 */
	struct in6_addr addrs[];
};

static inline const __be32 *lsdp_cfg_ip4(const struct lsdp_port_cfg *cfg)
{
	return (const __be32 *)&cfg->addrs[cfg->n_ip6];
}

static inline const u8 *lsdp_cfg_plen6(const struct lsdp_port_cfg *cfg)
{
	return (const u8 *)(lsdp_cfg_ip4(cfg) + cfg->n_ip4);
}

static inline const u8 *lsdp_cfg_plen4(const struct lsdp_port_cfg *cfg)
{
	return lsdp_cfg_plen6(cfg) + cfg->n_ip6;
}

/*
 * Does the port own IPv4 @addr?  The one answer for port security (is
 * it the port's?) and a router (is it for me?).
 */
static inline bool lsdp_cfg_owns4(const struct lsdp_port_cfg *cfg,
				  __be32 addr)
{
	const __be32 *ip4 = lsdp_cfg_ip4(cfg);
	unsigned int i;

	for (i = 0; i < cfg->n_ip4; i++)
		if (ip4[i] == addr)
			return true;
	return false;
}

void lsdp_cfg_ll6(const struct lsdp_port_cfg *cfg, struct in6_addr *a);

/* As lsdp_cfg_owns4(), for IPv6: its addresses and EUI-64 link-local. */
static inline bool lsdp_cfg_owns6(const struct lsdp_port_cfg *cfg,
				  const struct in6_addr *addr)
{
	struct in6_addr ll6;
	unsigned int i;

	lsdp_cfg_ll6(cfg, &ll6);
	if (ipv6_addr_equal(addr, &ll6))
		return true;
	for (i = 0; i < cfg->n_ip6; i++)
		if (ipv6_addr_equal(addr, &cfg->addrs[i]))
			return true;
	return false;
}

/*
 * An address configured on a switch port (IPv4 as v4-mapped).  32 bytes,
 * kmalloc-32: freed with kfree_rcu_mightsleep() by its writer, which may
 * sleep, rather than through an rcu_head of its own.
 */
struct lsdp_ip_entry {
	struct rhash_head node;		/* in dp->ips */
	struct in6_addr addr;
	struct lsdp_port *port;
};

/*
 * The trunk children of a parent port, sorted by tag; replaced wholesale
 * under ln->lock when a child is added, freed after RCU.  A deleted
 * child's entry is only cleared (@child NULL) so that deleting never
 * needs memory; the next addition compacts.
 */
struct lsdp_trunk {
	unsigned int n;
	struct rcu_head rcu;
	struct lsdp_trunk_entry {
		u16 tag;
		struct lsdp_port *child;	/* WRITE_ONCE/READ_ONCE */
	} e[];
};

struct lsdp_announce;

/*
 * kmalloc-32: freed with kfree_rcu_mightsleep() by its writer (which may
 * sleep), not through an rcu_head of its own (40 bytes then).
 */
struct lsdp_l2_entry {
	struct rhash_head node;		/* in dp->l2 */
	u8 mac[ETH_ALEN];
	struct lsdp_port *port;
};

/*
 * What few ports use, out of struct lsdp_port so that the many that never
 * do (remote ports above all) do not carry it: allocated the first time
 * one of these is set (lsdp_port_ext_get()), never replaced, freed with
 * the port.
 */
struct lsdp_port_ext {
	struct lsdp_announce *announce;	/* ln->lock; NULL until first announced */
	struct lsdp_port_hold *phold;	/* hold_lock; packets while unbound */
	/* Conntrack (ct.c): template with the port's zone; set once, lock */
	struct nf_conn *ct_tmpl;
	u16 ct_zone;			/* lock; 0: none */
	/*
	 * In dp->unknown_ports, RCU (the port's in_unknown says so); from
	 * the first time the port takes unknown addresses to its deletion.
	 */
	struct list_head unknown_node;
	struct lsdp_port *port;		/* whose extension this is */
	/* Router patch: switch port of type router <-> router port. */
	struct lsdp_port __rcu *peer;	/* lock to write */
	/* Trunk child: its parent (lock; set before publishing, never changed) */
	struct lsdp_port *parent;
	struct lsdp_trunk __rcu *trunk;	/* trunk parent: children; lock */
	/* Virtual port: VIP and parents (lock; set before publishing) */
	struct lsdp_virt *virt;
};

/* Parents one virtual port may list. */
#define LSDP_VIRT_PARENTS_MAX	16

/*
 * A virtual port (OVN's type "virtual", virt.c): a virtual IP that one of
 * the listed parents, vif ports of the same switch, claims with a GARP or
 * an ARP reply (NS/NA for IPv6).  Made with the port, freed with it;
 * immutable but for the fields said.
 */
struct lsdp_virt {
	struct list_head node;		/* in dp->vports; lock, RCU */
	struct lsdp_port *port;		/* the virtual port */
	/* The parent it is bound to, NULL: none; ln->lock to write, RCU */
	struct lsdp_port __rcu *bound;
	/*
	 * Key of the parent a claim asked to bind to, 0: none.  Set by the
	 * packet path, taken (xchg) by lsdp_virt_work() under ln->lock.
	 */
	u32 pending;
	atomic64_t ignored;		/* claims from ports not parents */
	bool ipv6;
	struct in6_addr vip;		/* IPv4 as v4-mapped */
	unsigned int n_parents;
	char parents[][LSDP_NAME_SIZE];	/* by name, as OVN's virtual-parents */
};

struct lsdp_port {
	struct rhash_head name_node;	/* in ln->ports_by_name */
	struct rhash_head key_node;	/* in dp->ports_by_key */
	struct list_head dp_node;	/* in dp->ports, RCU */
	u64 serial;			/* creation order (ln->serial) */
	struct lsdp_chassis __rcu *chassis; /* lock to write; remote binding */
	/*
	 * Tunnel metadata last used to reach this (remote) port; immutable
	 * once published, replaced by the packet path with xchg().
	 */
	struct metadata_dst __rcu *tun_md;
	struct lsdp_dp *dp;
	/*
	 * Rare fields (a router patch's peer, a trunk's parent or children
	 * among them); see lsdp_port_ext_get() for how it is published.
	 */
	struct lsdp_port_ext *ext;
	u32 key;
	u8 type;			/* enum lsdp_port_type */
	/* Next to @type, not padded apart: a port's size counts (bench mem). */
	bool in_unknown;		/* lock: ext on dp->unknown_ports */
	bool dying;			/* hold_lock: nothing new may be held */
	u8 name_class;			/* the cache it came from (port.c) */
	struct lsdp_port_cfg __rcu *cfg;
	struct net_device __rcu *dev;	/* RTNL + lock to write */
	/*
	 * @ifname is read under ln->lock only, so once the port is
	 * unpublished (lsdp_port_destroy(), under that lock) nobody reads
	 * it again and its bytes serve as the rcu_head that frees the port.
	 */
	union {
		char ifname[IFNAMSIZ];	/* lock; dev's name, for show */
		struct rcu_head rcu;
	};
	netdevice_tracker dev_tracker;
	struct lsdp_counters stats;
	/*
	 * NUL-terminated, in the smallest of the port caches' name sizes
	 * that holds it (names are uAPI: up to 63 characters, but OVN's are
	 * mostly 36-character UUIDs or shorter): never compare or copy it
	 * as LSDP_NAME_SIZE bytes.  Never changes.
	 */
	char name[];
};

/*
 * A port's rare fields, or NULL if none was ever set.  Any context: the
 * acquire pairs with the publication in lsdp_port_ext_get(), so the
 * fields set before it are seen.
 */
static inline struct lsdp_port_ext *lsdp_port_ext(const struct lsdp_port *port)
{
	/* Pairs with the cmpxchg() in lsdp_port_ext_get(). */
	return smp_load_acquire(&port->ext);
}

/* Any context: a trunk child's parent (never changes), or NULL. */
static inline struct lsdp_port *lsdp_port_parent(const struct lsdp_port *port)
{
	const struct lsdp_port_ext *ext = lsdp_port_ext(port);

	return ext ? ext->parent : NULL;
}

/* Called with RCU read lock.  The other side of a router patch, or NULL. */
static inline struct lsdp_port *lsdp_port_peer_rcu(const struct lsdp_port *port)
{
	const struct lsdp_port_ext *ext = lsdp_port_ext(port);

	return ext ? rcu_dereference(ext->peer) : NULL;
}

/* Called with ln->lock held.  The other side of a router patch, or NULL. */
static inline struct lsdp_port *lsdp_port_peer(const struct lsdp_port *port)
{
	const struct lsdp_port_ext *ext = lsdp_port_ext(port);

	return ext ? rcu_dereference_protected(ext->peer,
			lockdep_is_held(&port->dp->ln->lock)) : NULL;
}

/*
 * The rules of DOC: Locking as checks: a kernel with lockdep and PROVE_RCU
 * verifies them on every call, a production kernel compiles them to
 * nothing.  Next to them, lockdep_assert_held() names the lock a function
 * needs, and ASSERT_RTNL() (which every kernel checks) RTNL.
 */

/* The caller holds rcu_read_lock(). */
static inline void lsdp_assert_rcu(void)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "lsdp: called without rcu_read_lock()");
}

/*
 * Called with RCU read lock.  The localnet port of switch @dp if it is
 * bound on this chassis: then, as in OVN, the switch's other chassis are
 * reached over the provider network, and announcements go out there.
 */
static inline struct lsdp_port *lsdp_localnet(struct lsdp_dp *dp)
{
	struct lsdp_port *lp = rcu_dereference(dp->localnet);

	lsdp_assert_rcu();
	return lp && rcu_access_pointer(lp->dev) ? lp : NULL;
}

/*
 * Called with ln->lock held.  The object named @name in @ht, a table of
 * ln's keyed by the whole zero-padded name buffer (datapaths, ports,
 * chassis).
 */
static inline void *lsdp_find_name(struct lsdp_net *ln, struct rhashtable *ht,
				   const char *name,
				   const struct rhashtable_params params)
{
	char key[LSDP_NAME_SIZE];

	lockdep_assert_held(&ln->lock);
	strscpy_pad(key, name, sizeof(key));
	return rhashtable_lookup_fast(ht, key, params);
}

/*
 * Any context.  An skb for @len bytes from the network header on, with
 * room for an Ethernet header (and more) before it: every frame lsdp
 * builds (ARP, ND, ICMP, announcements) starts here.
 */
static inline struct sk_buff *lsdp_pkt_alloc(unsigned int len, __be16 proto)
{
	struct sk_buff *skb;

	skb = alloc_skb(LL_MAX_HEADER + len, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	skb->protocol = proto;
	return skb;
}

/* pkt.c: the ARP and ND messages lsdp builds (after the Ethernet header). */
struct lsdp_arp_eth {
	struct arphdr hdr;
	u8 sha[ETH_ALEN];
	__be32 sip;
	u8 tha[ETH_ALEN];
	__be32 tip;
} __packed;

/* A Neighbour Solicitation or Advertisement with one address option. */
struct lsdp_nd_msg {
	struct icmp6hdr hdr;
	struct in6_addr target;
	u8 opt_type;
	u8 opt_len;
	u8 lladdr[ETH_ALEN];
} __packed;

bool lsdp_arp_eth_valid(const struct lsdp_arp_eth *arp);
void lsdp_arp_fill(struct lsdp_arp_eth *arp, u16 op, const u8 *sha,
		   __be32 sip, const u8 *tha, __be32 tip);
void lsdp_nd_fill(struct ipv6hdr *ip6h, struct lsdp_nd_msg *msg, u8 type,
		  const struct in6_addr *saddr, const struct in6_addr *daddr,
		  const struct in6_addr *target, const u8 *lladdr,
		  bool router, bool solicited);

/* The packet path: rcu_read_lock() and BHs off (softirq, or disabled). */
static inline void lsdp_assert_packet_path(void)
{
	lsdp_assert_rcu();
	lockdep_assert_in_softirq();
}

/* main.c */
extern struct workqueue_struct *lsdp_wq;
int lsdp_port_caches_init(void);
void lsdp_port_caches_destroy(void);

/* netns.c */
extern unsigned int lsdp_net_id;
struct lsdp_net *lsdp_net(const struct net *net);
int lsdp_netns_init(void);
void lsdp_netns_exit(void);

/* datapath.c */
struct lsdp_dp *lsdp_dp_find_name(struct lsdp_net *ln, const char *name);
struct lsdp_dp *lsdp_dp_find_key(struct lsdp_net *ln, u32 key);
struct lsdp_dp *lsdp_dp_find_key_rcu(struct lsdp_net *ln, u32 key);
struct lsdp_port *lsdp_port_find_key_rcu(struct lsdp_dp *dp, u32 key);
int lsdp_dp_create(struct lsdp_net *ln, struct lsdp_dp *dp,
		   struct netlink_ext_ack *extack);
struct lsdp_dp *lsdp_dp_alloc(const char *name, u32 key, u8 kind);
void lsdp_dp_free(struct lsdp_dp *dp);
void lsdp_dp_destroy(struct lsdp_dp *dp);
void lsdp_dp_destroy_all(struct lsdp_net *ln);
int lsdp_tables_init(struct lsdp_net *ln);
void lsdp_tables_destroy(struct lsdp_net *ln);
int lsdp_port_name_insert(struct lsdp_net *ln, struct lsdp_port *port);
void lsdp_port_name_remove(struct lsdp_net *ln, struct lsdp_port *port);
extern const struct rhashtable_params lsdp_port_key_params;

/*
 * The MAC and address tables of a datapath are looked up per packet.  Their
 * parameters are static here, a constant in every file that uses them, so
 * that rhashtable_lookup() folds them: the hash and the compare below are
 * inlined, where an extern copy made every lookup call the generic jhash()
 * and memcmp() through the table's runtime parameters (an indirect call and
 * a byte loop each).
 */
static inline u32 lsdp_mac_hash(const void *data, u32 len, u32 seed)
{
	const u8 *mac = data;

	return jhash_2words(get_unaligned((const u32 *)mac),
			    get_unaligned((const u16 *)(mac + 4)), seed);
}

static inline int lsdp_l2_cmp(struct rhashtable_compare_arg *arg,
			      const void *obj)
{
	const struct lsdp_l2_entry *e = obj;

	return !ether_addr_equal_unaligned(e->mac, arg->key);
}

/* Not every file that includes this looks the table up. */
static const struct rhashtable_params lsdp_l2_params __maybe_unused = {
	.head_offset = offsetof(struct lsdp_l2_entry, node),
	.key_offset = offsetof(struct lsdp_l2_entry, mac),
	.key_len = ETH_ALEN,
	.hashfn = lsdp_mac_hash,
	.obj_cmpfn = lsdp_l2_cmp,
	.automatic_shrinking = true,
};

/* Keys are v4-mapped for IPv4: the first two words are zero then. */
static inline u32 lsdp_addr_hash(const void *data, u32 len, u32 seed)
{
	const struct in6_addr *a = data;

	return jhash_3words((__force u32)(a->s6_addr32[0] ^ a->s6_addr32[1]),
			    (__force u32)a->s6_addr32[2],
			    (__force u32)a->s6_addr32[3], seed);
}

static inline int lsdp_ip_cmp(struct rhashtable_compare_arg *arg,
			      const void *obj)
{
	const struct lsdp_ip_entry *e = obj;

	return !ipv6_addr_equal(&e->addr, arg->key);
}

static const struct rhashtable_params lsdp_ip_params __maybe_unused = {
	.head_offset = offsetof(struct lsdp_ip_entry, node),
	.key_offset = offsetof(struct lsdp_ip_entry, addr),
	.key_len = sizeof(struct in6_addr),
	.hashfn = lsdp_addr_hash,
	.obj_cmpfn = lsdp_ip_cmp,
	.automatic_shrinking = true,
};

/* port.c */
struct lsdp_port *lsdp_port_find_name(struct lsdp_net *ln, const char *name);
struct lsdp_port *lsdp_port_find_key(struct lsdp_dp *dp, u32 key);
struct lsdp_port *lsdp_port_alloc(const char *name, u32 key, u8 type);
void lsdp_port_free(struct lsdp_port *port);
struct lsdp_port_ext *lsdp_port_ext_get(struct lsdp_port *port, gfp_t gfp);
int lsdp_port_insert(struct lsdp_dp *dp, struct lsdp_port *port,
		     struct lsdp_port_cfg *cfg, struct netlink_ext_ack *extack);
int lsdp_port_set_cfg(struct lsdp_port *port, struct lsdp_port_cfg *cfg,
		      struct netlink_ext_ack *extack);
int lsdp_port_check_dev(struct lsdp_port *port, struct net_device *dev,
			struct netlink_ext_ack *extack);
int lsdp_port_bind(struct lsdp_port *port, struct net_device *dev,
		   struct netlink_ext_ack *extack);
int lsdp_port_bind_prepare(struct lsdp_port *port, struct net_device *dev,
			   struct netlink_ext_ack *extack);
void lsdp_port_bind_commit(struct lsdp_port *port, struct net_device *dev);
void lsdp_port_bind_abort(struct net_device *dev);
void lsdp_port_unbind(struct lsdp_port *port);
void lsdp_port_destroy(struct lsdp_port *port);
int lsdp_port_add_connected(struct lsdp_port *port,
			    struct netlink_ext_ack *extack);
struct lsdp_port *lsdp_switch_ip_port(struct lsdp_dp *dp,
				      const struct in6_addr *addr);
struct net_device *lsdp_port_dev(const struct lsdp_port *port);
const struct lsdp_port_cfg *lsdp_port_cfg(const struct lsdp_port *port);
int lsdp_notifier_init(void);
void lsdp_notifier_exit(void);

/* trunk.c */
struct lsdp_port *lsdp_trunk_child_rcu(const struct lsdp_port *parent,
				       u16 tag);
int lsdp_trunk_add(struct lsdp_port *parent, struct lsdp_port *child,
		   struct netlink_ext_ack *extack);
void lsdp_trunk_remove(struct lsdp_port *child);
void lsdp_trunk_sync(struct lsdp_port *parent);
void lsdp_trunk_child_unbind(struct lsdp_port *child);
void lsdp_trunk_destroy_children(struct lsdp_port *parent);
bool lsdp_trunk_tag_used(const struct lsdp_port *parent, u16 tag);

/* virt.c */
struct lsdp_virt *lsdp_virt_parse(struct genl_info *info);
int lsdp_virt_attach(struct lsdp_port *port, struct lsdp_virt *v,
		     struct netlink_ext_ack *extack);
void lsdp_virt_detach(struct lsdp_port *port);
void lsdp_virt_parent_gone(struct lsdp_port *port);
void lsdp_virt_input(struct lsdp_port *in, struct sk_buff *skb);
struct lsdp_port *lsdp_virt_parent_rcu(const struct lsdp_port *port);
struct lsdp_port *lsdp_virt_parent(const struct lsdp_port *port);
int lsdp_virt_fill(struct sk_buff *skb, const struct lsdp_port *port);
void lsdp_virt_work(struct work_struct *w);

/* announce.c */
void lsdp_announce_start(struct lsdp_port *port);
void lsdp_announce_stop(struct lsdp_port *port);
u32 lsdp_announce_count(const struct lsdp_port *port);
bool lsdp_announce_started(const struct lsdp_port *port);

/* switch.c */
/* What the datapath keeps in skb->cb while it owns the packet. */
struct lsdp_skb_cb {
	u16 in_key;			/* ingress port (held packets, ACLs) */
	bool from_tunnel;		/* ...which came from a tunnel */
	bool no_acl;			/* an ACL's own reject: not filtered */
};

#define LSDP_CB(skb)	((struct lsdp_skb_cb *)(skb)->cb)

/* Routers one packet may be nested in on one CPU before it is a loop. */
#define LSDP_MAX_DEPTH	8

rx_handler_result_t lsdp_handle_frame(struct sk_buff **pskb);
rx_handler_result_t lsdp_port_input(struct lsdp_port *port,
				    struct sk_buff **pskb);
void lsdp_switch_input(struct lsdp_port *in, struct sk_buff *skb);
void lsdp_output_local(struct lsdp_port *out, struct sk_buff *skb);
void lsdp_output_held(struct lsdp_port *out, struct sk_buff *skb);
void lsdp_deliver_local_flood(struct lsdp_dp *dp, struct sk_buff *skb,
			      u32 in_key, bool unknown_only);

/* chassis.c */
struct lsdp_chassis *lsdp_chassis_find(struct lsdp_net *ln, const char *name);
int lsdp_chassis_create(struct lsdp_net *ln, const char *name, const void *ip,
			int iplen, struct netlink_ext_ack *extack,
			struct lsdp_chassis **out);
void lsdp_chassis_destroy(struct lsdp_net *ln, struct lsdp_chassis *ch);
void lsdp_chassis_destroy_all(struct lsdp_net *ln);
struct lsdp_chassis *lsdp_port_chassis(const struct lsdp_port *port);
int lsdp_port_set_chassis(struct lsdp_port *port, struct lsdp_chassis *ch);
int lsdp_port_chassis_prepare(struct lsdp_port *port, struct lsdp_chassis *ch,
			      struct lsdp_dp_chassis **spare);
void lsdp_port_chassis_commit(struct lsdp_port *port, struct lsdp_chassis *ch,
			      struct lsdp_dp_chassis *spare);

/* tunnel.c */
int lsdp_encap_set(struct lsdp_net *ln, const void *ip, int iplen,
		   struct net_device *dev, int csum, int df,
		   struct netlink_ext_ack *extack);
void lsdp_encap_clear(struct lsdp_net *ln);
struct lsdp_encap *lsdp_encap_get(struct lsdp_net *ln);
rx_handler_result_t lsdp_handle_tunnel(struct sk_buff **pskb);
void lsdp_tunnel_trace_rcv(struct lsdp_net *ln, struct sk_buff *skb);
void lsdp_tunnel_xmit(struct lsdp_chassis *ch, struct lsdp_port *in,
		      struct lsdp_port *out, u16 out_key, struct sk_buff *skb);
void lsdp_encap_dev_gone(struct lsdp_net *ln);
void lsdp_port_tun_md_release(struct lsdp_port *port);
int lsdp_chassis_table_init(struct lsdp_net *ln);
void lsdp_chassis_table_destroy(struct lsdp_net *ln);
void lsdp_tun_stats_drop(struct lsdp_net *ln, const struct sk_buff *skb,
			 enum lsdp_drop_reason reason);

/* route.c */
int lsdp_route_insert(struct lsdp_dp *dp, struct lsdp_route *rt,
		      struct netlink_ext_ack *extack);
struct lsdp_route *lsdp_route_find(struct lsdp_dp *dp, bool ipv6,
				   const union lsdp_addr *prefix, u8 plen);
void lsdp_route_remove(struct lsdp_dp *dp, struct lsdp_route *rt);
void lsdp_routes_remove_port(struct lsdp_dp *dp, struct lsdp_port *port);
void lsdp_routes_destroy(struct lsdp_dp *dp);
const struct lsdp_route *lsdp_route_lookup4(const struct lsdp_dp *dp,
					    __be32 dst);
const struct lsdp_route *lsdp_route_lookup6(const struct lsdp_dp *dp,
					    const struct in6_addr *dst);
struct lsdp_dp *lsdp_router_find(struct lsdp_net *ln, const struct nlattr *attr,
				 struct netlink_ext_ack *extack);
/*
 * A router's part of a dump: sends @dp's objects created after the cursor's
 * last one (@resume: that one was in @dp; else all of them), recording each
 * one sent with lsdp_dump_sent(); -EMSGSIZE when the skb is full.
 */
typedef int (*lsdp_router_dump_t)(struct sk_buff *skb,
				  struct netlink_callback *cb,
				  struct lsdp_dp *dp, bool resume);
int lsdp_router_dump(struct sk_buff *skb, struct netlink_callback *cb,
		     lsdp_router_dump_t dump_dp);

/* nat.c */
bool lsdp_nat_in(struct lsdp_port *rp, const struct lsdp_nat_table *t,
		 struct sk_buff *skb);
bool lsdp_nat_out(struct lsdp_port *in, struct lsdp_port *out,
		  const struct lsdp_nat_table *t, struct sk_buff *skb);
bool lsdp_nat_arp(struct lsdp_port *rp, __be32 tip, u8 *mac);
bool lsdp_nat_mac_here(struct lsdp_port *rp, const u8 *mac);
const u8 *lsdp_nat_src_mac(struct lsdp_port *rp, struct sk_buff *skb);
struct lsdp_port *lsdp_nat_switch_port(struct lsdp_dp *dp, const u8 *mac);
void lsdp_nat_dp_destroy(struct lsdp_dp *dp);
void lsdp_nat_dp_free(struct lsdp_dp *dp);
void lsdp_nat_port_gone(struct lsdp_port *port);
void lsdp_nat_port_added(struct lsdp_port *port);
void lsdp_nat_port_here(struct lsdp_port *port);
void lsdp_nat_announce_rule(struct lsdp_dp *dp, const struct lsdp_nat_rule *r);
bool lsdp_nat_rule_here(const struct lsdp_nat_rule *r);

/* router.c */
void lsdp_router_input(struct lsdp_port *rp, struct sk_buff *skb);
void lsdp_router_tx(struct lsdp_port *rp, struct sk_buff *skb,
		    const u8 *dst_mac);
extern const struct lsdp_neigh_ops lsdp_router_neigh_ops;
bool lsdp_router_addr_in_nets(const struct lsdp_port_cfg *cfg,
			      const struct in6_addr *addr, bool ipv6);

/* neigh.c */
int lsdp_neigh_init(struct lsdp_net *ln);
void lsdp_neigh_destroy(struct lsdp_net *ln);
/*
 * What the neighbour table needs of the router above it, as the Linux
 * neighbour code's struct neigh_ops: neigh.c calls up only through these,
 * so that router.c -> neigh.c is the one direction between the two.
 */
struct lsdp_neigh_ops {
	/* Ask who has @addr (v4-mapped for IPv4) out of @rp. */
	void (*solicit)(struct lsdp_port *rp, const struct in6_addr *addr,
			bool ipv6);
	/* Send @skb (data at L3) out of @rp to @dst_mac; consumes it. */
	void (*output)(struct lsdp_port *rp, struct sk_buff *skb,
		       const u8 *dst_mac);
	/* @skb waited for a next hop that never answered; not consumed. */
	void (*error_report)(struct lsdp_port *rp, struct sk_buff *skb);
};

void lsdp_neigh_set_ops(const struct lsdp_neigh_ops *ops);
bool lsdp_neigh_resolve(struct lsdp_port *rp, const struct in6_addr *nh,
			bool ipv6, struct sk_buff *skb, u8 *dst);
void lsdp_neigh_learn(struct lsdp_port *rp, const struct in6_addr *addr,
		      bool ipv6, const u8 *mac, bool create, ktime_t arrival);
void lsdp_neigh_flush_port(struct lsdp_port *port);
void lsdp_neigh_table_free(struct lsdp_net *ln);
struct lsdp_dump_cursor;
struct lsdp_neigh *lsdp_neigh_dump_next(struct lsdp_net *ln,
					const struct lsdp_dump_cursor *c);
void lsdp_neigh_dump_mark(struct lsdp_dump_cursor *c,
			  const struct lsdp_neigh *n);

/* hold.c */
void lsdp_hold_cfg_init(struct lsdp_hold_cfg *cfg);
void lsdp_hold_init(struct lsdp_hold *h);
bool lsdp_hold_add(struct lsdp_net *ln, struct lsdp_hold *h,
		   struct lsdp_port *port, struct sk_buff *skb);
void lsdp_hold_take(struct lsdp_net *ln, struct lsdp_hold *h,
		    struct sk_buff_head *out);
unsigned int lsdp_hold_len(const struct sk_buff *skb);
void lsdp_hold_purge(struct lsdp_net *ln, struct lsdp_port *port,
		     struct sk_buff_head *q, enum lsdp_drop_reason reason);
void lsdp_hold_count(struct lsdp_net *ln, struct lsdp_port *port,
		     const struct sk_buff *skb, enum lsdp_drop_reason reason);
void lsdp_hold_lat_add(struct lsdp_net *ln, ktime_t arrival);
void lsdp_hold_event(struct lsdp_net *ln, u8 event, struct lsdp_port *port,
		     const struct in6_addr *addr, bool ipv6,
		     unsigned int packets);
void lsdp_port_hold_skb(struct lsdp_port *port, struct sk_buff *skb,
			u16 in_key, bool from_tunnel);
void lsdp_port_hold_release(struct lsdp_port *port, bool deliver);

/* icmp.c */
void lsdp_icmp_too_big(struct lsdp_port *in, struct sk_buff *skb,
		       unsigned int mtu);
bool lsdp_icmp_allow(struct lsdp_net *ln);
void lsdp_icmp_finish(struct sk_buff *nskb, const struct sk_buff *skb,
		      __be16 proto);
struct sk_buff *lsdp_icmp_error(struct lsdp_net *ln, struct sk_buff *skb,
				u8 type, u8 code, u32 info,
				const struct in6_addr *src);

/* security.c */
enum lsdp_drop_reason lsdp_ps_ingress(const struct lsdp_port_cfg *cfg,
				      struct sk_buff *skb);
enum lsdp_drop_reason lsdp_ps_egress(const struct lsdp_port_cfg *cfg,
				     struct sk_buff *skb);

/* ct.c */
enum lsdp_ct_state {
	LSDP_CT_INVALID,
	LSDP_CT_NEW,
	LSDP_CT_EST,		/* established, original direction */
	LSDP_CT_REPLY,		/* established, reply direction */
	LSDP_CT_RELATED,
};

int lsdp_ct_zone_alloc(struct lsdp_net *ln, u16 *zone_id,
		       struct nf_conn **tmpl);
void lsdp_ct_zone_flush(struct lsdp_net *ln, u16 zone, u32 mask, u32 mark);
void lsdp_ct_zone_free(struct lsdp_net *ln, u16 zone);
bool lsdp_ct_in(struct net *net, struct nf_conn *tmpl, unsigned int hook,
		struct sk_buff *skb);
int lsdp_ct_port_init(struct lsdp_port *port);
void lsdp_ct_port_release(struct lsdp_port *port);
void lsdp_ct_port_free(struct lsdp_port *port);
enum lsdp_ct_state lsdp_ct_lookup(struct lsdp_port *port, struct sk_buff *skb);
u32 lsdp_ct_mark(const struct sk_buff *skb);
bool lsdp_ct_commit(struct sk_buff *skb, u32 mark);
void lsdp_ct_clear(struct sk_buff *skb);

/* acl.c */
struct lsdp_acl_table;
bool lsdp_acl_check(const struct lsdp_acl_table *t, struct lsdp_port *port,
		    struct sk_buff *skb, u8 dir);
void lsdp_acl_net_init(struct lsdp_net *ln);
void lsdp_acl_net_exit(struct lsdp_net *ln);
void lsdp_acl_net_free(struct lsdp_net *ln);
void lsdp_acl_dp_destroy(struct lsdp_dp *dp);
void lsdp_acl_port_added(struct lsdp_port *port);
void lsdp_acl_port_removed(struct lsdp_port *port);

/* stats.c (the packet path's counting is inline, after lsdp_simulating()) */
bool lsdp_stats_ready_slow(struct lsdp_port *port);

/*
 * Called with BHs off, @port kept alive by the caller (as lsdp_stats_rx()).
 * Makes sure @port can count a packet before it is sent: false when it
 * cannot, and the caller drops the packet (LSDP_DROP_NOMEM).  A block once
 * installed stays as long as the port: a look suffices, inline.
 */
static inline bool lsdp_stats_ready(struct lsdp_port *port)
{
	return likely(READ_ONCE(port->stats.traffic)) ||
	       lsdp_stats_ready_slow(port);
}

void lsdp_stats_drop(struct lsdp_port *port, const struct sk_buff *skb,
		     enum lsdp_drop_reason reason);
void lsdp_stats_read(const struct lsdp_port *port, struct lsdp_stats *out);
int lsdp_counters_init(struct lsdp_counters *c, bool now);
void lsdp_counters_free(struct lsdp_counters *c);
void lsdp_counters_read(const struct lsdp_counters *c, struct lsdp_stats *out);
void lsdp_counters_drop(struct lsdp_counters *c, enum lsdp_drop_reason reason);

/* trace.c */
/*
 * DOC: Tracing
 *
 * `lsdp trace` runs a frame built in userspace through the real packet
 * path (the same functions real frames take), in process context with
 * BHs off and RCU held, with this CPU's lsdp_trace_cur pointing at the
 * trace.  The walk is synchronous and nothing else of lsdp can run on
 * that CPU meanwhile (BHs are off, the datapath never runs in hard IRQ),
 * so every packet the datapath handles on this CPU while the pointer is
 * set is the traced one or one it caused (a flood copy, an ARP probe,
 * an ICMP error): a per-CPU context catches them all where an skb mark
 * would miss the packets the datapath builds itself.
 *
 * A traced walk has no side effect: each place that would transmit,
 * encapsulate, hold, learn, probe, answer or count asks lsdp_simulating()
 * first and, in a trace, records what it would have done instead.  When
 * no trace runs, that question is one static branch (lsdp_trace_key is
 * enabled only while a trace request runs).
 *
 * DOC: Live tracing
 *
 * `lsdp trace live` follows real packets instead.  A live trace (at most
 * LSDP_TRACE_LIVE_MAX per netns, each owned by the netlink socket that
 * asked for it) is a logical inport and up to LSDP_TRACE_MATCH_MAX bytes
 * of frame under a mask.  While one exists lsdp_live_key is on, and the
 * two places where a packet starts its logical walk, the switch ingress
 * of a frame from a netdev (after any trunk tag is popped) and the
 * receive of a frame from a tunnel, compare it against the netns's live
 * traces.  A packet that matches runs the same per-CPU context as a
 * simulated trace, marked live: every step is recorded, but
 * lsdp_simulating() is false, so the packet is forwarded, counted, held
 * and learned from as any other.  When the walk returns, its steps go to
 * the owner's socket by unicast.  With no live trace the check is a
 * patched-out branch; with one, the cost for a packet that does not
 * match is a list walk and a key compare per live trace.
 */
struct lsdp_trace;

DECLARE_STATIC_KEY_FALSE(lsdp_trace_key);
DECLARE_STATIC_KEY_FALSE(lsdp_live_key);
DECLARE_PER_CPU(struct lsdp_trace *, lsdp_trace_cur);

/*
 * BHs off: the trace (simulated or live) the packet handled on this CPU
 * belongs to, or NULL.  For recording steps.
 */
static __always_inline struct lsdp_trace *lsdp_tracing(void)
{
	if (!static_branch_unlikely(&lsdp_trace_key))
		return NULL;
	return this_cpu_read(lsdp_trace_cur);
}

bool lsdp_trace_is_live(const struct lsdp_trace *t);

/*
 * BHs off: true when the packet on this CPU is a simulated one, whose
 * side effects (transmit, count, hold, learn, allocate) must not happen.
 */
static __always_inline bool lsdp_simulating(void)
{
	struct lsdp_trace *t = lsdp_tracing();

	return unlikely(t) && !lsdp_trace_is_live(t);
}

/* Returns true when @t is simulated: the caller skips the side effect. */
__printf(5, 6)
bool lsdp_trace_add(struct lsdp_trace *t, u8 kind, const struct lsdp_port *port,
		    u32 reason, const char *fmt, ...);

/*
 * Records step @kind about @port (in its datapath) when tracing; true
 * when the trace is simulated, so that a place with a side effect can
 * write "if (lsdp_trace_step(...)) return;" and still act in a live one.
 */
#define lsdp_trace_step(kind, port, fmt, ...) ({			\
	struct lsdp_trace *__t = lsdp_tracing();			\
	bool __sim = false;						\
									\
	if (unlikely(__t))						\
		__sim = lsdp_trace_add(__t, (kind), (port), 0, fmt,	\
				       ##__VA_ARGS__);			\
	__sim;								\
})

/*
 * Trace steps print addresses the way their users wrote them: IPv4 (kept
 * v4-mapped in the tables) as a dotted quad, not ::ffff:a.b.c.d.  Use as
 * an argument of lsdp_trace_step() only: the buffer is a compound literal
 * that lives as long as the step's own block, and is built only when a
 * trace runs.
 */
struct lsdp_addr_buf {
	char s[INET6_ADDRSTRLEN];
};

static inline const char *lsdp_addr_fmt(const struct in6_addr *a,
					struct lsdp_addr_buf *b)
{
	if (ipv6_addr_v4mapped(a))
		snprintf(b->s, sizeof(b->s), "%pI4", &a->s6_addr32[3]);
	else
		snprintf(b->s, sizeof(b->s), "%pI6c", a);
	return b->s;
}

#define LSDP_ADDR(a)	lsdp_addr_fmt((a), &(struct lsdp_addr_buf){})

/* A packet's headers, as drop events and the tracepoint show them. */
struct lsdp_pkt_summary {
	u8 src[ETH_ALEN];
	u8 dst[ETH_ALEN];
	u16 type;			/* EtherType, host order; 0: unknown */
	u8 ipver;			/* 4, 6, or 0: no IP header */
	u8 proto;
	struct in6_addr saddr;		/* IPv4 as v4-mapped */
	struct in6_addr daddr;
};

void lsdp_pkt_summary(const struct sk_buff *skb, struct lsdp_pkt_summary *s);
bool lsdp_drop_seen(struct lsdp_net *ln, const struct lsdp_port *port,
		    const struct sk_buff *skb, enum lsdp_drop_reason reason);
bool __lsdp_trace_deliver(struct lsdp_trace *t, struct lsdp_port *out,
			  struct net_device *dev, struct sk_buff *skb);
bool __lsdp_trace_tunnel(struct lsdp_trace *t, struct lsdp_chassis *ch,
			 struct lsdp_port *in, struct lsdp_port *out,
			 u16 out_key, struct sk_buff *skb);
bool __lsdp_trace_port_hold(struct lsdp_trace *t, struct lsdp_port *port,
			    struct sk_buff *skb);
void __lsdp_trace_route(struct lsdp_trace *t, struct lsdp_port *rp,
			const struct lsdp_route *rt, const struct in6_addr *nh,
			const struct sk_buff *skb);

/*
 * The hooks where a packet would leave or change state.  Inline, so that
 * with no trace running each is the static branch alone: no call, and no
 * argument set up (the packet path's cost of tracing compiled in but
 * off, bench/README "Live tracing").
 */

/*
 * Called with RCU read lock, BHs off, where @skb would be transmitted on
 * @dev for local port @out.  In a simulated trace: records the delivery,
 * frees @skb and returns true; else false and @skb is the caller's (a
 * live trace records the delivery too).
 */
static __always_inline bool lsdp_trace_deliver(struct lsdp_port *out,
					       struct net_device *dev,
					       struct sk_buff *skb)
{
	struct lsdp_trace *t = lsdp_tracing();

	return unlikely(t) && __lsdp_trace_deliver(t, out, dev, skb);
}

/*
 * As lsdp_trace_deliver(), where @skb from @in would be encapsulated to
 * chassis @ch for @out (NULL: group @out_key).
 */
static __always_inline bool lsdp_trace_tunnel(struct lsdp_chassis *ch,
					      struct lsdp_port *in,
					      struct lsdp_port *out,
					      u16 out_key, struct sk_buff *skb)
{
	struct lsdp_trace *t = lsdp_tracing();

	return unlikely(t) && __lsdp_trace_tunnel(t, ch, in, out, out_key, skb);
}

/*
 * As lsdp_trace_deliver(), where @skb would be held for @port, defined
 * and bound nowhere.
 */
static __always_inline bool lsdp_trace_port_hold(struct lsdp_port *port,
						 struct sk_buff *skb)
{
	struct lsdp_trace *t = lsdp_tracing();

	return unlikely(t) && __lsdp_trace_port_hold(t, port, skb);
}

/*
 * Called with RCU read lock, BHs off: router port @rp routes @skb (data
 * at L3, TTL not yet decremented) by @rt to next hop @nh.
 */
static __always_inline void lsdp_trace_route(struct lsdp_port *rp,
					     const struct lsdp_route *rt,
					     const struct in6_addr *nh,
					     const struct sk_buff *skb)
{
	struct lsdp_trace *t = lsdp_tracing();

	if (unlikely(t))
		__lsdp_trace_route(t, rp, rt, nh, skb);
}

bool lsdp_live_begin(struct lsdp_port *in, const struct sk_buff *skb);
void lsdp_live_end(void);
void lsdp_live_net_exit(struct lsdp_net *ln);
int lsdp_live_init(void);
void lsdp_live_exit(void);

/*
 * Called with RCU read lock, BHs off, where a real packet @skb starts its
 * logical walk on @in.  True when a live trace took it: the caller runs
 * the walk, then lsdp_live_end().
 */
static __always_inline bool lsdp_live_check(struct lsdp_port *in,
					    const struct sk_buff *skb)
{
	if (!static_branch_unlikely(&lsdp_live_key))
		return false;
	return lsdp_live_begin(in, skb);
}

/* stats.c, the packet path's part: inline, it needs lsdp_simulating(). */
bool lsdp_counters_add_slow(struct lsdp_counters *c, bool tx,
			    unsigned int len);

/* Called with BHs off: adds a packet of @len bytes to this CPU's @s. */
static __always_inline void lsdp_pcpu_stats_add(struct lsdp_pcpu_stats *s,
						bool tx, unsigned int len)
{
	u64_stats_update_begin(&s->syncp);
	if (tx) {
		u64_stats_inc(&s->tx_packets);
		u64_stats_add(&s->tx_bytes, len);
	} else {
		u64_stats_inc(&s->rx_packets);
		u64_stats_add(&s->rx_bytes, len);
	}
	u64_stats_update_end(&s->syncp);
}

/*
 * Called with BHs off (packet path, or process context inside
 * local_bh_disable()): the per-CPU copy and its u64_stats sequence belong
 * to this CPU only while no softirq can preempt us on it.  Returns false,
 * counting nothing, when @c has no traffic block and none could be had.
 * Inline for the common case (the block is there, no trace runs); the
 * rest in lsdp_counters_add_slow().
 */
static __always_inline bool lsdp_counters_add(struct lsdp_counters *c,
					      bool tx, unsigned int len)
{
	struct lsdp_pcpu_stats __percpu *t = READ_ONCE(c->traffic);

	lockdep_assert_in_softirq();
	if (unlikely(!t || lsdp_simulating()))
		return lsdp_counters_add_slow(c, tx, len);
	lsdp_pcpu_stats_add(this_cpu_ptr(t), tx, len);
	return true;
}

/*
 * Called with BHs off, @port kept alive by the caller: RCU on the packet
 * path, ln->lock or the port's own timer when held packets are freed.
 * False when the port has no counters and none could be had: the caller
 * drops the packet (NOMEM).  A caller that counts after sending makes
 * sure of the counters with lsdp_stats_ready() before.
 */
static __always_inline bool lsdp_stats_rx(struct lsdp_port *port,
					  unsigned int len)
{
	return lsdp_counters_add(&port->stats, false, len);
}

/* As lsdp_stats_rx(). */
static __always_inline bool lsdp_stats_tx(struct lsdp_port *port,
					  unsigned int len)
{
	return lsdp_counters_add(&port->stats, true, len);
}

/* netlink.c */
/*
 * Where a dump resumes, in cb->ctx: the last object sent, found again by
 * its key and checked by its creation serial, whatever the number of
 * objects before it.  Every list a dump walks is in creation order, so
 * when that object is gone the dump goes on with the first one created
 * after it (and is flagged NLM_F_DUMP_INTR: the generation moved).
 */
struct lsdp_dump_cursor {
	u64 dp_serial;		/* the last object's datapath */
	u64 serial;		/* the last object (port, chassis, neighbour...) */
	struct in6_addr addr;	/* neighbour address; route prefix */
	u32 dp_key;
	u32 key;		/* port key (a neighbour's: of its port); */
				/* a route's ipv6 << 8 | plen */
	u8 phase;		/* hold dump: 0 neighbours, 1 unbound ports */
};

static inline struct lsdp_dump_cursor *lsdp_dump_cursor(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct lsdp_dump_cursor) > sizeof(cb->ctx));
	return (struct lsdp_dump_cursor *)cb->ctx;
}

/* Any context: a dumped object was added or removed. */
static inline void lsdp_gen_bump(struct lsdp_net *ln)
{
	atomic_inc(&ln->gen);
}

void lsdp_dump_begin(struct netlink_callback *cb, struct lsdp_net *ln);
void lsdp_dump_check(struct netlink_callback *cb, struct sk_buff *skb,
		     int start);
struct lsdp_dp *lsdp_dump_dp(struct lsdp_net *ln,
			     const struct lsdp_dump_cursor *c, bool *same);

/* The object of @dp with creation serial @serial was sent: resume after it. */
static inline void lsdp_dump_sent(struct lsdp_dump_cursor *c,
				  const struct lsdp_dp *dp, u64 serial)
{
	c->dp_key = dp->key;
	c->dp_serial = dp->serial;
	c->serial = serial;
}

int lsdp_genl_init(void);
void lsdp_genl_exit(void);
void lsdp_notify_port(struct lsdp_port *port, u8 cmd);
/* Helpers for the per-concern request handlers in other files. */
bool lsdp_name_valid(const struct nlattr *attr);
struct lsdp_net *lsdp_info_net(struct genl_info *info);
void *lsdp_msg_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		   u8 cmd);
bool lsdp_has_listeners(struct lsdp_net *ln);
bool lsdp_has_drop_listeners(struct lsdp_net *ln);
void lsdp_multicast_drop(struct lsdp_net *ln, struct sk_buff *msg);
int lsdp_put_stats(struct sk_buff *skb, int type,
		   const struct lsdp_counters *stats);
/*
 * Writes one message about an object (a port, a datapath, ...) into @skb:
 * the same function serves events (lsdp_notify), do replies (lsdp_reply)
 * and dumps.
 */
typedef int (*lsdp_fill_t)(struct sk_buff *skb, void *obj, u32 portid,
			   u32 seq, int flags, u8 cmd);
int lsdp_dump_fill(struct sk_buff *skb, struct netlink_callback *cb,
		   lsdp_fill_t fill, void *obj, u8 cmd);
void lsdp_notify(struct lsdp_net *ln, lsdp_fill_t fill, void *obj, u8 cmd,
		 gfp_t gfp);
int lsdp_reply(struct genl_info *info, lsdp_fill_t fill, void *obj, u8 cmd);
int lsdp_reply_size(struct genl_info *info, size_t size, lsdp_fill_t fill,
		    void *obj, u8 cmd);
struct lsdp_dp *lsdp_req_dp(struct lsdp_net *ln, const struct nlattr *attr,
			    struct netlink_ext_ack *extack);
struct lsdp_port *lsdp_req_port(struct lsdp_net *ln,
				const struct nlattr *attr,
				struct netlink_ext_ack *extack);

/* A required attribute is missing: say which, and point at it. */
#define LSDP_REQUIRE(info, type, msg) ({				\
	struct genl_info *__info = (info);				\
	int __type = (type);						\
	bool __present = !!__info->attrs[__type];			\
	if (!__present) {						\
		NL_SET_ERR_MSG(__info->extack, msg);			\
		NL_SET_ERR_ATTR_MISS(__info->extack, NULL, __type);	\
	}								\
	__present;							\
})

#endif /* _LSDP_H */

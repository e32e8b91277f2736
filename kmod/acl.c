// SPDX-License-Identifier: GPL-2.0
/*
 * ACLs with OVN's semantics (ovn-nb(5), ACL table): address sets, port
 * groups, and the ACLs of switches and port groups, compiled per switch
 * into a classifier the packet path walks.
 *
 * DOC: ACL classifier
 *
 * Each switch with ACLs (its own and those of port groups with a member in
 * it) has one struct lsdp_acl_table, changed in place under ln->lock
 * when an ACL is added or deleted (the ACL's entries go into or out of
 * their tuples; a tuple is made when a new mask appears and goes with its
 * last entry), so that installing N ACLs costs O(N), not O(N^2).  What
 * changes a whole switch (a port added or removed, port group members)
 * compiles a new table, rule by rule, swapped under RCU.  A switch
 * without ACLs has none: the packet path pays one pointer test.  Address
 * set membership is not compiled in: sets change in place.
 *
 * Per direction the table is a tuple space (as OVS's classifier): every
 * ACL's indexable tests (exact values, CIDRs, port ranges as prefixes,
 * ports) are expanded into entries (value, mask); entries with the same
 * mask share a tuple, a hash table of masked values (RCU lists, a tuple
 * that fills up is replaced by a larger copy).  A lookup hashes the key
 * words a tuple's mask covers once per tuple, tuples sorted by their
 * highest priority, and stops at the first tuple that cannot beat the best
 * match found: its cost grows with the number of distinct masks (a handful for what security
 * groups generate), not with the number of rules.  Tests that cannot be
 * indexed (address sets, port groups, !=) are checked on the candidates a
 * tuple yields.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/sort.h>
#include <linux/sctp.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/tcp.h>

#include "lsdp.h"
#include "compat.h"

/* A port key no port has: a port test naming a port not in the switch. */
#define LSDP_ACL_NO_PORT	0xffff
/* Alternatives of one test, and tests of one ACL. */
#define LSDP_ACL_MAX_ALTS	1024
#define LSDP_ACL_MAX_TESTS	32
/* Entries one ACL may expand into (sets times ranges). */
#define LSDP_ACL_MAX_ENTRIES	4096
/* Entries of one switch's table: bounds its memory and build time. */
#define LSDP_ACL_MAX_TABLE	65536
/* Members of one address set. */
#define LSDP_AS_MAX		BIT(20)
/* ct_mark bit OVN calls ct_mark.blocked: an ACL now drops the connection. */
#define LSDP_CT_BLOCKED		1U

/*
 * The packet's fields an ACL can test; IPv4 addresses as v4-mapped IPv6
 * ones, so that an IPv4 test never matches an IPv6 packet.  ICMP type and
 * code have their own bytes.  A multiple of 4 bytes: hashed as u32s.
 */
struct lsdp_acl_key {
	__be16 in_key;
	__be16 out_key;
	__be16 eth_type;
	u8 proto;
	u8 icmp_type;
	u8 icmp_code;
	u8 pad[3];
	__be16 l4_src;
	__be16 l4_dst;
	struct in6_addr src;
	struct in6_addr dst;
};

static_assert(sizeof(struct lsdp_acl_key) % 4 == 0);

struct lsdp_field_desc {
	u8 off;
	u8 width;
	u16 implied_eth;	/* host order; 0: none */
};

static const struct lsdp_field_desc lsdp_fields[LSDP_FIELD_MAX + 1] = {
	[LSDP_FIELD_INPORT] = { offsetof(struct lsdp_acl_key, in_key), 2 },
	[LSDP_FIELD_OUTPORT] = { offsetof(struct lsdp_acl_key, out_key), 2 },
	[LSDP_FIELD_ETH_TYPE] = { offsetof(struct lsdp_acl_key, eth_type), 2 },
	[LSDP_FIELD_IP_PROTO] = { offsetof(struct lsdp_acl_key, proto), 1 },
	[LSDP_FIELD_IP4_SRC] = { offsetof(struct lsdp_acl_key, src) + 12, 4,
				 ETH_P_IP },
	[LSDP_FIELD_IP4_DST] = { offsetof(struct lsdp_acl_key, dst) + 12, 4,
				 ETH_P_IP },
	[LSDP_FIELD_IP6_SRC] = { offsetof(struct lsdp_acl_key, src), 16,
				 ETH_P_IPV6 },
	[LSDP_FIELD_IP6_DST] = { offsetof(struct lsdp_acl_key, dst), 16,
				 ETH_P_IPV6 },
	[LSDP_FIELD_L4_SRC] = { offsetof(struct lsdp_acl_key, l4_src), 2 },
	[LSDP_FIELD_L4_DST] = { offsetof(struct lsdp_acl_key, l4_dst), 2 },
	[LSDP_FIELD_ICMP_TYPE] = { offsetof(struct lsdp_acl_key, icmp_type), 1 },
	[LSDP_FIELD_ICMP_CODE] = { offsetof(struct lsdp_acl_key, icmp_code), 1 },
};

/* An address set member: an address and prefix length (IPv4 v4-mapped). */
struct lsdp_as_entry {
	struct rhash_head node;
	struct lsdp_as_key {
		struct in6_addr addr;	/* host bits zero */
		u32 plen;		/* 0..128 */
	} key;
	struct rcu_head rcu;
};

static const struct rhashtable_params lsdp_as_params = {
	.key_len = sizeof(struct lsdp_as_key),
	.key_offset = offsetof(struct lsdp_as_entry, key),
	.head_offset = offsetof(struct lsdp_as_entry, node),
	.automatic_shrinking = true,
};

/*
 * An address set.  Members change in place: the packet path looks an
 * address up once per prefix length present (@plens, a bit per length,
 * set before a member of that length is inserted and cleared after the
 * last one is removed).
 */
struct lsdp_as {
	struct list_head list;		/* in ln->acl_sets; lock */
	u64 serial;			/* creation order (ln->serial) */
	char name[LSDP_NAME_SIZE];
	struct rhashtable members;	/* lock to write; RCU readers */
	DECLARE_BITMAP(plens, 129);	/* lock to write; RCU readers */
	u32 n_plen[129];		/* lock */
	u32 n;				/* lock */
	unsigned int refs;		/* lock: ACL tests naming it */
	struct rcu_work free_work;
};

/* A port group's members in one switch: a bit per port key. */
struct lsdp_pg_dp {
	struct lsdp_dp *dp;		/* WRITE_ONCE NULL when it goes */
	unsigned long *bits;		/* LSDP_PORT_KEY_MAX + 1 bits */
	unsigned int n;			/* lock */
};

struct lsdp_pg_dps {
	unsigned int n;
	struct rcu_head rcu;
	struct lsdp_pg_dp e[];
};

struct lsdp_pg {
	struct lsdp_net *ln;		/* its instance, for the fill */
	struct list_head list;		/* in ln->acl_pgs; lock */
	u64 serial;			/* creation order (ln->serial) */
	char name[LSDP_NAME_SIZE];
	struct lsdp_pg_dps __rcu *dps;	/* lock to write; bits in place */
	struct list_head acls;		/* ACLs it owns; lock */
	unsigned int refs;		/* lock: ACL tests naming it */
	struct rcu_head rcu;
};

enum lsdp_alt_kind {
	LSDP_ALT_MASKED,	/* v & m, all fields */
	LSDP_ALT_RANGE,		/* lo..hi, 2-byte fields */
	LSDP_ALT_AS,
	LSDP_ALT_PG,
	LSDP_ALT_PORT,		/* by name until compiled */
};

struct lsdp_acl_alt {
	u8 kind;
	u8 v[16];
	u8 m[16];
	u16 lo, hi;
	struct lsdp_as *as;
	struct lsdp_pg *pg;
	char port[LSDP_NAME_SIZE];
};

struct lsdp_acl_test {
	u8 field;
	bool neg;
	bool indexed;		/* positive, masked/range/port alternatives */
	u16 n_alt;
	struct lsdp_acl_alt alt[];
};

struct lsdp_acl {
	struct list_head list;		/* in dp->acls or pg->acls; lock */
	struct list_head all;		/* in ln->acls; lock */
	u32 id;
	u8 dir;
	u8 action;
	u16 prio;
	char name[LSDP_NAME_SIZE];
	struct lsdp_dp *dp;		/* owner: a switch... */
	struct lsdp_pg *pg;		/* ...or a port group */
	struct nlattr *match;		/* as given, for show and delete */
	unsigned int n_tests;
	struct lsdp_acl_test *tests[LSDP_ACL_MAX_TESTS];
	u64 __percpu *hits;
	struct rcu_head rcu;
};

/*
 * One ACL in one switch's table: its residual tests (port tests resolved
 * to the switch's keys) and the entries it expanded into.
 */
struct lsdp_acl_rule {
	struct lsdp_acl *acl;
	u32 id;				/* acl->id: the key in t->rules */
	u16 prio;
	u8 action;
	u8 dir;
	unsigned int n_res;
	u32 res_copy;			/* bit i: res[i] is a resolved copy */
	struct lsdp_acl_test *res[LSDP_ACL_MAX_TESTS];
	struct rcu_head rcu;
	unsigned int n_ent;
	struct lsdp_acl_entry *ent[];	/* lock: its entries, wherever they are */
};

/* A (value, mask) an ACL expanded into, in the tuple of its mask. */
struct lsdp_acl_entry {
	struct hlist_node node;		/* in a bucket, rule order; lock to write */
	struct lsdp_acl_rule *rule;
	unsigned int idx;		/* in rule->ent[] */
	struct lsdp_acl_tuple *tuple;	/* lock */
	struct lsdp_acl_key val;	/* masked */
};

#define LSDP_ACL_KEY_WORDS	(sizeof(struct lsdp_acl_key) / 4)
#define LSDP_ACL_MIN_BUCKETS	8

/*
 * The entries of one mask.  Entries are added and removed in place (RCU
 * lists); a tuple that outgrows its buckets is copied into a larger one
 * that replaces it.  Only the key words the mask covers are hashed and
 * compared (@w): a security-group rule's mask covers 4 of 12.
 */
struct lsdp_acl_tuple {
	struct lsdp_acl_key mask;
	u16 max_prio;			/* lock to write; READ_ONCE */
	u8 n_w;
	u8 w[LSDP_ACL_KEY_WORDS];	/* words of the key the mask covers */
	u32 hmask;			/* buckets - 1 */
	u32 n;				/* entries; lock */
	u32 n_max;			/* entries at max_prio; lock */
	struct hlist_head *buckets;
	struct rcu_head rcu;
};

/* A direction's tuples, max_prio descending.  Replaced, never changed. */
struct lsdp_acl_tvec {
	unsigned int n;
	struct rcu_head rcu;
	struct lsdp_acl_tuple *t[];
};

struct lsdp_acl_table {
	bool stateful;			/* an allow-related ACL: READ_ONCE */
	unsigned int n_stateful;	/* lock */
	unsigned int n_rules;		/* lock */
	unsigned int n_entries;		/* lock */
	struct lsdp_net *ln;
	struct lsdp_acl_tvec __rcu *tv[2];	/* from-lport, to-lport */
	struct xarray rules;		/* lsdp_acl_rule by ACL id; lock */
	struct rcu_work free_work;
};

/*
 * Exact-match cache, per instance and CPU: the verdicts (the rule, or
 * none) of the last keys looked up, valid while nothing that could change
 * a verdict changed in the instance (ln->acl_epoch: an ACL, a table, an
 * address set, a port group).  A flow's packets after its first cost one
 * hash of the whole key and a compare, whatever the number of rules and
 * masks, as OVS's microflow cache does for its classifier.
 */
#define LSDP_ACL_EMC_SIZE	256

struct lsdp_acl_emc {
	struct lsdp_acl_emc_entry {
		const struct lsdp_acl_table *t;
		u64 epoch;
		struct lsdp_acl_rule *rule;
		u8 dir;
		struct lsdp_acl_key key;
	} e[LSDP_ACL_EMC_SIZE];
};

static bool acl_cache = true;
module_param(acl_cache, bool, 0644);
MODULE_PARM_DESC(acl_cache,
		 "cache ACL verdicts per flow (off: every packet walks the classifier)");

/* ---- the packet path ---- */

/* Called with RCU read lock.  Is @addr (v4-mapped for IPv4) in @as? */
static bool lsdp_as_has(const struct lsdp_as *as, const struct in6_addr *addr)
{
	struct lsdp_as_key k;
	int plen;

	lsdp_assert_rcu();
	for_each_set_bit(plen, as->plens, 129) {
		ipv6_addr_prefix(&k.addr, addr, plen);
		k.plen = plen;
		if (rhashtable_lookup(&((struct lsdp_as *)as)->members, &k,
				      lsdp_as_params))
			return true;
	}
	return false;
}

/* Called with RCU read lock.  Is port @key of @dp in @pg? */
static bool lsdp_pg_has(const struct lsdp_pg *pg, const struct lsdp_dp *dp,
			u16 key)
{
	const struct lsdp_pg_dps *dps = rcu_dereference(pg->dps);
	unsigned int i;

	lsdp_assert_rcu();
	if (!dps || key > LSDP_PORT_KEY_MAX)
		return false;
	for (i = 0; i < dps->n; i++)
		if (READ_ONCE(dps->e[i].dp) == dp)
			return test_bit(key, dps->e[i].bits);
	return false;
}

static bool lsdp_alt_match(const struct lsdp_acl_alt *a, u8 field,
			   const struct lsdp_acl_key *k, const struct lsdp_dp *dp)
{
	const struct lsdp_field_desc *f = &lsdp_fields[field];
	const u8 *p = (const u8 *)k + f->off;
	const struct in6_addr *addr;
	bool v4f, v4p;
	unsigned int i;
	u16 v;

	switch (a->kind) {
	case LSDP_ALT_MASKED:
		for (i = 0; i < f->width; i++)
			if ((p[i] & a->m[i]) != a->v[i])
				return false;
		return true;
	case LSDP_ALT_RANGE:
		v = get_unaligned_be16(p);
		return v >= a->lo && v <= a->hi;
	case LSDP_ALT_AS:
		addr = field == LSDP_FIELD_IP4_SRC || field == LSDP_FIELD_IP6_SRC ?
		       &k->src : &k->dst;
		/* An IPv4 set member never matches an IPv6 packet: v4-mapped. */
		v4f = field == LSDP_FIELD_IP4_SRC || field == LSDP_FIELD_IP4_DST;
		v4p = k->eth_type == htons(ETH_P_IP);
		if (v4f != v4p)
			return false;
		return lsdp_as_has(a->as, addr);
	case LSDP_ALT_PG:
		return lsdp_pg_has(a->pg, dp, get_unaligned_be16(p));
	}
	return false;
}

/* Called with RCU read lock.  The tests a tuple could not check. */
static bool lsdp_rule_residual(const struct lsdp_acl_rule *r,
			       const struct lsdp_acl_key *k,
			       const struct lsdp_dp *dp)
{
	const struct lsdp_acl_test *t;
	unsigned int i, j;
	bool any;

	for (i = 0; i < r->n_res; i++) {
		t = r->res[i];
		any = false;
		for (j = 0; j < t->n_alt && !any; j++)
			any = lsdp_alt_match(&t->alt[j], t->field, k, dp);
		if (any == t->neg)
			return false;
	}
	return true;
}

/* The hash of @k's words under tuple @tp's mask (@k itself if masked). */
static u32 lsdp_key_hash(const struct lsdp_acl_key *k,
			 const struct lsdp_acl_tuple *tp)
{
	const u32 *kw = (const u32 *)k, *mw = (const u32 *)&tp->mask;
	u32 w[LSDP_ACL_KEY_WORDS];
	unsigned int i;

	for (i = 0; i < tp->n_w; i++)
		w[i] = kw[tp->w[i]] & mw[tp->w[i]];
	return jhash2(w, tp->n_w, 0) & tp->hmask;
}

static bool lsdp_key_equal_masked(const struct lsdp_acl_key *k,
				  const struct lsdp_acl_tuple *tp,
				  const struct lsdp_acl_key *val)
{
	const u32 *kw = (const u32 *)k, *mw = (const u32 *)&tp->mask;
	const u32 *vw = (const u32 *)val;
	unsigned int i, w;

	for (i = 0; i < tp->n_w; i++) {
		w = tp->w[i];
		if ((kw[w] & mw[w]) != vw[w])
			return false;
	}
	return true;
}

/*
 * Called with RCU read lock.  The highest-priority ACL of direction @dir
 * of @t matching @k.  Tuples come by their highest priority: the walk
 * stops at the first one that cannot beat the best match found.
 */
static struct lsdp_acl_rule *
lsdp_acl_lookup(const struct lsdp_acl_table *t, u8 dir,
		const struct lsdp_acl_key *k, const struct lsdp_dp *dp)
{
	const struct lsdp_acl_tvec *tv = rcu_dereference(t->tv[dir - 1]);
	const struct lsdp_acl_tuple *tp;
	struct lsdp_acl_rule *best = NULL;
	struct lsdp_acl_entry *e;
	unsigned int i;

	lsdp_assert_rcu();
	for (i = 0; tv && i < tv->n; i++) {
		tp = tv->t[i];
		if (best && READ_ONCE(tp->max_prio) <= best->prio)
			break;
		hlist_for_each_entry_rcu(e, &tp->buckets[lsdp_key_hash(k, tp)],
					 node) {
			if (best && e->rule->prio <= best->prio)
				break;
			if (lsdp_key_equal_masked(k, tp, &e->val) &&
			    lsdp_rule_residual(e->rule, k, dp)) {
				best = e->rule;
				break;
			}
		}
	}
	return best;
}

static bool lsdp_key_equal(const struct lsdp_acl_key *a,
			   const struct lsdp_acl_key *b)
{
	const u64 *x = (const u64 *)a, *y = (const u64 *)b;
	unsigned int i;

	for (i = 0; i < sizeof(*a) / 8; i++)
		if (x[i] != y[i])
			return false;
	return true;
}

/*
 * Called with RCU read lock, BHs off.  lsdp_acl_lookup() through the
 * instance's exact-match cache.
 */
static struct lsdp_acl_rule *
lsdp_acl_classify(const struct lsdp_acl_table *t, u8 dir,
		  const struct lsdp_acl_key *k, const struct lsdp_dp *dp)
{
	struct lsdp_acl_emc __percpu *emc;
	struct lsdp_acl_emc_entry *ce;
	struct lsdp_acl_rule *r;
	u64 epoch;
	u32 h;

	lsdp_assert_packet_path();
	/* Pairs with lsdp_acl_emc_init(). */
	emc = smp_load_acquire(&dp->ln->acl_emc);
	/* A hard interrupt (netpoll) could tear an entry a softirq writes. */
	if (!emc || !READ_ONCE(acl_cache) || in_hardirq())
		return lsdp_acl_lookup(t, dir, k, dp);
	/*
	 * Read before the lookup: a change that races with it leaves the
	 * entry under an epoch already gone.  Pairs with lsdp_acl_changed().
	 */
	epoch = atomic64_read_acquire(&dp->ln->acl_epoch);
	h = jhash2((const u32 *)k, LSDP_ACL_KEY_WORDS,
		   (u32)(unsigned long)t ^ dir);
	ce = &this_cpu_ptr(emc)->e[h & (LSDP_ACL_EMC_SIZE - 1)];
	if (ce->t == t && ce->epoch == epoch && ce->dir == dir &&
	    lsdp_key_equal(&ce->key, k))
		return ce->rule;
	r = lsdp_acl_lookup(t, dir, k, dp);
	ce->t = t;
	ce->epoch = epoch;
	ce->dir = dir;
	ce->key = *k;
	ce->rule = r;
	return r;
}

/* Fills @k from @skb (data at L3).  False: not IP, or not parsable. */
static bool lsdp_acl_key_extract(struct sk_buff *skb, struct lsdp_acl_key *k)
{
	int off = -1;
	u8 proto = 0;

	k->eth_type = skb->protocol;
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph;
		struct iphdr ibuf;

		iph = skb_header_pointer(skb, 0, sizeof(ibuf), &ibuf);
		if (!iph || iph->ihl < 5)
			return false;
		ipv6_addr_set_v4mapped(iph->saddr, &k->src);
		ipv6_addr_set_v4mapped(iph->daddr, &k->dst);
		proto = iph->protocol;
		/* Later fragments carry no L4 header: IP fields only. */
		if (!(iph->frag_off & htons(IP_OFFSET)))
			off = iph->ihl * 4;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6h;
		struct ipv6hdr i6buf;
		__be16 frag_off = 0;

		ip6h = skb_header_pointer(skb, 0, sizeof(i6buf), &i6buf);
		if (!ip6h)
			return false;
		k->src = ip6h->saddr;
		k->dst = ip6h->daddr;
		proto = ip6h->nexthdr;
		off = ipv6_skip_exthdr(skb, sizeof(*ip6h), &proto, &frag_off);
		if (off >= 0 && (frag_off & htons(IP6_OFFSET)))
			off = -1;
	} else {
		return false;
	}
	k->proto = proto;
	if (off < 0)
		return true;
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_SCTP: {
		__be16 pbuf[2];
		const __be16 *ports;

		/* Source and destination ports lead all three headers. */
		ports = skb_header_pointer(skb, off, sizeof(pbuf), pbuf);
		if (ports) {
			k->l4_src = ports[0];
			k->l4_dst = ports[1];
		}
		break;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		u8 tbuf[2];
		const u8 *tc;

		tc = skb_header_pointer(skb, off, sizeof(tbuf), tbuf);
		if (tc) {
			k->icmp_type = tc[0];
			k->icmp_code = tc[1];
		}
		break;
	}
	}
	return true;
}

/*
 * IPv6 neighbour discovery and MLD: OVN lets them through whatever the
 * ACLs say (ls_in_acl_eval priority 65532), and they are no connections.
 */
static bool lsdp_acl_nd(const struct lsdp_acl_key *k)
{
	if (k->proto != IPPROTO_ICMPV6 || k->eth_type != htons(ETH_P_IPV6))
		return false;
	switch (k->icmp_type) {
	case ICMPV6_MGM_QUERY:
	case ICMPV6_MGM_REPORT:
	case ICMPV6_MGM_REDUCTION:
	case ICMPV6_MLD2_REPORT:
	case NDISC_ROUTER_SOLICITATION:
	case NDISC_ROUTER_ADVERTISEMENT:
	case NDISC_NEIGHBOUR_SOLICITATION:
	case NDISC_NEIGHBOUR_ADVERTISEMENT:
	case NDISC_REDIRECT:
		return true;
	}
	return false;
}

/* A TCP RST answering TCP @skb (data at L3); NULL for an RST. */
static struct sk_buff *lsdp_acl_rst(struct lsdp_net *ln, struct sk_buff *skb,
				    const struct lsdp_acl_key *k)
{
	bool v4 = k->eth_type == htons(ETH_P_IP);
	unsigned int l3 = v4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	unsigned int off = v4 ? ip_hdrlen(skb) : sizeof(struct ipv6hdr);
	const struct tcphdr *oth;
	struct tcphdr tbuf, *th;
	struct sk_buff *nskb;
	u32 seglen;

	oth = skb_header_pointer(skb, off, sizeof(tbuf), &tbuf);
	if (!oth || oth->rst || !lsdp_icmp_allow(ln))
		return NULL;
	nskb = alloc_skb(LL_MAX_HEADER + l3 + sizeof(*th), GFP_ATOMIC);
	if (!nskb)
		return NULL;
	skb_reserve(nskb, LL_MAX_HEADER);
	skb_reset_network_header(nskb);
	if (v4) {
		struct iphdr *iph = skb_put_zero(nskb, sizeof(*iph));

		iph->version = 4;
		iph->ihl = 5;
		iph->tot_len = htons(l3 + sizeof(*th));
		iph->ttl = 64;
		iph->protocol = IPPROTO_TCP;
		iph->saddr = k->dst.s6_addr32[3];
		iph->daddr = k->src.s6_addr32[3];
		ip_send_check(iph);
	} else {
		struct ipv6hdr *ip6h = skb_put_zero(nskb, sizeof(*ip6h));

		ip6h->version = 6;
		ip6h->payload_len = htons(sizeof(*th));
		ip6h->nexthdr = IPPROTO_TCP;
		ip6h->hop_limit = 64;
		ip6h->saddr = k->dst;
		ip6h->daddr = k->src;
	}
	th = skb_put_zero(nskb, sizeof(*th));
	th->source = oth->dest;
	th->dest = oth->source;
	th->doff = sizeof(*th) / 4;
	th->rst = 1;
	/* RFC 9293 3.10.7.1: the RST acknowledges what it refuses. */
	if (oth->ack) {
		th->seq = oth->ack_seq;
	} else {
		seglen = skb->len - off - oth->doff * 4 + oth->syn + oth->fin;
		th->ack = 1;
		th->ack_seq = htonl(ntohl(oth->seq) + seglen);
	}
	if (v4)
		th->check = tcp_v4_check(sizeof(*th), k->dst.s6_addr32[3],
					 k->src.s6_addr32[3],
					 csum_partial(th, sizeof(*th), 0));
	else
		th->check = tcp_v6_check(sizeof(*th), &k->dst, &k->src,
					 csum_partial(th, sizeof(*th), 0));
	nskb->protocol = k->eth_type;
	return nskb;
}

/*
 * Called with RCU read lock, BHs off.  An ACL rejected @skb (data at L3,
 * not consumed) at @port: answer its sender with a TCP RST or an ICMP
 * port/protocol unreachable, as ovn-northd's reject does, rate limited.
 */
static void lsdp_acl_reject(struct lsdp_port *port, struct sk_buff *skb,
			    const struct lsdp_acl_key *k, u8 dir)
{
	bool v4 = k->eth_type == htons(ETH_P_IP);
	struct lsdp_net *ln = port->dp->ln;
	struct sk_buff *nskb;
	u8 type, code;

	lsdp_assert_packet_path();
	if (k->proto == IPPROTO_TCP) {
		nskb = lsdp_acl_rst(ln, skb, k);
	} else {
		if (v4) {
			type = ICMP_DEST_UNREACH;
			code = k->proto == IPPROTO_UDP ? ICMP_PORT_UNREACH :
							 ICMP_PROT_UNREACH;
		} else {
			type = ICMPV6_DEST_UNREACH;
			code = ICMPV6_PORT_UNREACH;
		}
		nskb = lsdp_icmp_error(ln, skb, type, code, 0, NULL);
	}
	if (!nskb)
		return;
	lsdp_icmp_finish(nskb, skb, nskb->protocol);
	LSDP_CB(nskb)->no_acl = true;
	LSDP_CB(nskb)->in_key = port->key;
	if (dir == LSDP_ACL_DIR_FROM_LPORT)
		lsdp_output_local(port, nskb);	/* back to the sender */
	else
		lsdp_switch_input(port, nskb);	/* as if @port answered */
}

/*
 * Called with RCU read lock, BHs off, in a trace (simulated or live):
 * records the ACL that decides at @port, or that none does; @how adds
 * what conntrack makes of it.
 */
static void lsdp_acl_trace_verdict(const struct lsdp_acl_rule *r,
				   struct lsdp_port *port, u8 dir, u8 action,
				   const char *how)
{
	static const char *const names[] = {
		[LSDP_ACL_ACTION_ALLOW] = "allow",
		[LSDP_ACL_ACTION_ALLOW_RELATED] = "allow-related",
		[LSDP_ACL_ACTION_ALLOW_STATELESS] = "allow-stateless",
		[LSDP_ACL_ACTION_DROP] = "drop",
		[LSDP_ACL_ACTION_REJECT] = "reject",
		[LSDP_ACL_ACTION_PASS] = "pass",
	};
	const char *d = dir == LSDP_ACL_DIR_FROM_LPORT ? "from-lport" :
							 "to-lport";

	lsdp_assert_packet_path();
	if (r)
		lsdp_trace_step(LSDP_TRACE_ACL, port,
				"%s ACL %u (priority %u): %s%s", d, r->acl->id,
				r->acl->prio, names[action], how);
	else
		lsdp_trace_step(LSDP_TRACE_ACL, port,
				"%s: no ACL matches: allow%s", d, how);
}

/*
 * Called with RCU read lock, BHs off, in a simulated trace (trace.c).  A
 * trace changes no state, so it neither looks the packet up in conntrack
 * (which would create an entry) nor sends a reject: it records the ACL
 * that decides, as if the packet started a new connection, and what would
 * follow.  True: go on.  False: the step recorded a drop (the caller's
 * drop path records and frees it without counting).
 */
static bool lsdp_acl_trace(const struct lsdp_acl_rule *r,
			   struct lsdp_port *port, struct sk_buff *skb,
			   u8 dir, u8 action, bool stateful)
{
	lsdp_assert_packet_path();
	lsdp_acl_trace_verdict(r, port, dir, action,
			       stateful ? ", as a new connection" : "");
	if (action == LSDP_ACL_ACTION_REJECT) {
		lsdp_trace_step(LSDP_TRACE_GENERATED, port,
				"would answer with a TCP RST or ICMP unreachable");
		lsdp_stats_drop(port, skb, LSDP_DROP_ACL_REJECT);
	} else if (action == LSDP_ACL_ACTION_DROP) {
		lsdp_stats_drop(port, skb, LSDP_DROP_ACL_DROP);
	} else {
		return true;
	}
	kfree_skb(skb);
	return false;
}

/*
 * Called with RCU read lock, BHs off.  Runs the @dir ACLs of table @t on
 * @skb (data at L3) at @port: the ingress port for from-lport, the output
 * port for to-lport (the ingress key is in LSDP_CB()).  True: go on.
 * False: @skb was dropped (and counted) or rejected.
 */
bool lsdp_acl_check(const struct lsdp_acl_table *t, struct lsdp_port *port,
		    struct sk_buff *skb, u8 dir)
{
	enum lsdp_drop_reason reason;
	struct lsdp_acl_key k = {};
	struct lsdp_acl_rule *r;
	enum lsdp_ct_state st;
	bool ip, stateful;
	u8 action;

	lsdp_assert_packet_path();
	if (LSDP_CB(skb)->no_acl)
		return true;
	ip = lsdp_acl_key_extract(skb, &k);
	if (ip && lsdp_acl_nd(&k))
		return true;
	k.in_key = htons(LSDP_CB(skb)->in_key);
	k.out_key = htons(dir == LSDP_ACL_DIR_TO_LPORT ? port->key :
			  LSDP_ACL_NO_PORT);
	r = lsdp_acl_classify(t, dir, &k, port->dp);
	action = r ? r->action : LSDP_ACL_ACTION_ALLOW;
	stateful = READ_ONCE(t->stateful);
	if (unlikely(lsdp_tracing())) {
		if (lsdp_simulating())
			return lsdp_acl_trace(r, port, skb, dir, action,
					      stateful && ip);
		/* Live: conntrack and the verdict run for real below. */
		lsdp_acl_trace_verdict(r, port, dir, action,
				       stateful && ip ?
				       ", conntrack decides for replies" : "");
	}

	/*
	 * OVN sends IP through conntrack on a stateful switch, except on
	 * router and localnet ports and for allow-stateless matches.
	 */
	if (!stateful || !ip || port->type != LSDP_PORT_TYPE_VIF ||
	    action == LSDP_ACL_ACTION_ALLOW_STATELESS)
		goto verdict;
	st = lsdp_ct_lookup(port, skb);
	switch (st) {
	case LSDP_CT_INVALID:
		reason = LSDP_DROP_CT_INVALID;
		goto drop;
	case LSDP_CT_REPLY:
	case LSDP_CT_RELATED:
		/* Replies and related of an allowed connection pass. */
		if (lsdp_ct_mark(skb) & LSDP_CT_BLOCKED) {
			reason = LSDP_DROP_ACL_DROP;
			goto drop;
		}
		lsdp_ct_clear(skb);
		return true;
	case LSDP_CT_NEW:
	case LSDP_CT_EST:
		break;
	}
	if (action == LSDP_ACL_ACTION_DROP ||
	    action == LSDP_ACL_ACTION_REJECT) {
		/*
		 * An ACL that now drops an established connection blocks
		 * it, replies too, until an ACL allows it again.
		 */
		if (st == LSDP_CT_EST)
			lsdp_ct_commit(skb, LSDP_CT_BLOCKED);
	} else if (!lsdp_ct_commit(skb, 0)) {
		if (r)
			this_cpu_inc(*r->acl->hits);
		reason = LSDP_DROP_CT_INVALID;
		goto drop;
	}
	lsdp_ct_clear(skb);

verdict:
	if (r)
		this_cpu_inc(*r->acl->hits);
	switch (action) {
	case LSDP_ACL_ACTION_DROP:
		reason = LSDP_DROP_ACL_DROP;
		goto drop;
	case LSDP_ACL_ACTION_REJECT:
		if (ip)
			lsdp_acl_reject(port, skb, &k, dir);
		reason = LSDP_DROP_ACL_REJECT;
		goto drop;
	}
	return true;

drop:
	lsdp_ct_clear(skb);
	lsdp_stats_drop(port, skb, reason);
	kfree_skb(skb);
	return false;
}

/* ---- a switch's table (ln->lock) ---- */

/*
 * Called with ln->lock held, after a change that may change a verdict:
 * the exact-match cache's entries are stale.  Fully ordered: a reader
 * that sees the new epoch sees the change.
 */
static void lsdp_acl_changed(struct lsdp_net *ln)
{
	lockdep_assert_held(&ln->lock);
	atomic64_inc_return(&ln->acl_epoch);
}

/*
 * Called with ln->lock held.  The instance's exact-match cache, made with
 * its first table; without memory there is none (every packet walks the
 * classifier).
 */
static void lsdp_acl_emc_init(struct lsdp_net *ln)
{
	struct lsdp_acl_emc __percpu *emc;

	lockdep_assert_held(&ln->lock);
	if (ln->acl_emc)
		return;
	emc = alloc_percpu(struct lsdp_acl_emc);
	if (!emc)
		return;
	/* Pairs with lsdp_acl_classify(): zeroed entries when seen. */
	smp_store_release(&ln->acl_emc, emc);
}

static void lsdp_acl_rule_free(struct lsdp_acl_rule *r)
{
	unsigned int i;

	for (i = 0; i < r->n_ent; i++)
		kfree(r->ent[i]);
	/* Never r->res[i]->field: the ACL may be gone already. */
	for (i = 0; i < r->n_res; i++)
		if (r->res_copy & BIT(i))
			kfree(r->res[i]);
	kfree(r);
}

static void lsdp_acl_rule_free_rcu(struct rcu_head *head)
{
	lsdp_acl_rule_free(container_of(head, struct lsdp_acl_rule, rcu));
}

/* A tuple whose entries belong to rules (they free them). */
static void lsdp_acl_tuple_free(struct lsdp_acl_tuple *tp)
{
	kvfree(tp->buckets);
	kfree(tp);
}

static void lsdp_acl_tuple_free_rcu(struct rcu_head *head)
{
	lsdp_acl_tuple_free(container_of(head, struct lsdp_acl_tuple, rcu));
}

/* A tuple replaced by a larger copy, or never published: its entries too. */
static void lsdp_acl_tuple_free_all(struct lsdp_acl_tuple *tp)
{
	struct lsdp_acl_entry *e;
	struct hlist_node *next;
	unsigned int i;

	for (i = 0; i <= tp->hmask; i++)
		hlist_for_each_entry_safe(e, next, &tp->buckets[i], node)
			kfree(e);
	lsdp_acl_tuple_free(tp);
}

static void lsdp_acl_tuple_free_all_rcu(struct rcu_head *head)
{
	lsdp_acl_tuple_free_all(container_of(head, struct lsdp_acl_tuple, rcu));
}

/* @t unpublished for a grace period, or never published. */
static void lsdp_acl_table_free(struct lsdp_acl_table *t)
{
	struct lsdp_acl_tvec *tv;
	struct lsdp_acl_rule *r;
	unsigned long id;
	unsigned int d, i;

	xa_for_each(&t->rules, id, r)
		lsdp_acl_rule_free(r);
	xa_destroy(&t->rules);
	for (d = 0; d < 2; d++) {
		tv = rcu_dereference_protected(t->tv[d], true);
		for (i = 0; tv && i < tv->n; i++)
			lsdp_acl_tuple_free(tv->t[i]);
		kfree(tv);
	}
	kfree(t);
}

static void lsdp_acl_table_free_work(struct work_struct *work)
{
	lsdp_acl_table_free(container_of(to_rcu_work(work),
					 struct lsdp_acl_table, free_work));
}

/*
 * @t (may be NULL) was unpublished: freed after a grace period, by a
 * worker since a table of 10,000 rules takes a while.
 */
static void lsdp_acl_table_put(struct lsdp_acl_table *t)
{
	if (!t)
		return;
	/* Its address may come back as another table's. */
	lsdp_acl_changed(t->ln);
	INIT_RCU_WORK(&t->free_work, lsdp_acl_table_free_work);
	queue_rcu_work(lsdp_wq, &t->free_work);
}

/* Called with ln->lock held.  Port @name's key in switch @dp. */
static u16 lsdp_acl_port_key(struct lsdp_dp *dp, const char *name)
{
	struct lsdp_port *port = lsdp_port_find_name(dp->ln, name);

	lockdep_assert_held(&dp->ln->lock);
	return port && port->dp == dp ? port->key : LSDP_ACL_NO_PORT;
}

/*
 * Called with ln->lock held.  A copy of port test @t with names resolved
 * to @dp's keys (a port group alternative stays as it is).
 */
static struct lsdp_acl_test *lsdp_acl_resolve(struct lsdp_dp *dp,
					      const struct lsdp_acl_test *t)
{
	struct lsdp_acl_test *c;
	unsigned int i;

	lockdep_assert_held(&dp->ln->lock);
	c = kmemdup(t, struct_size(t, alt, t->n_alt), GFP_KERNEL);
	if (!c)
		return NULL;
	for (i = 0; i < c->n_alt; i++) {
		if (c->alt[i].kind != LSDP_ALT_PORT)
			continue;
		c->alt[i].kind = LSDP_ALT_MASKED;
		put_unaligned_be16(lsdp_acl_port_key(dp, c->alt[i].port),
				   c->alt[i].v);
		memset(c->alt[i].m, 0xff, 2);
	}
	return c;
}

/* A value/mask pair over the whole key. */
struct lsdp_vm {
	struct lsdp_acl_key v, m;
};

/* Sets field bytes @v/@m into @out unless they conflict with it. */
static bool lsdp_vm_and(struct lsdp_vm *out, const struct lsdp_vm *in,
			const struct lsdp_field_desc *f, const u8 *v,
			const u8 *m)
{
	u8 *ov = (u8 *)&out->v + f->off, *om = (u8 *)&out->m + f->off;
	unsigned int i;

	*out = *in;
	for (i = 0; i < f->width; i++) {
		u8 both = om[i] & m[i];

		if ((ov[i] & both) != (v[i] & both))
			return false;
		ov[i] |= v[i] & m[i];
		om[i] |= m[i];
	}
	return true;
}

/*
 * The value/mask alternatives of indexed test @t into @vm (at most @max),
 * ranges as prefixes.  Returns how many, or -E2BIG.
 */
static int lsdp_test_pairs(struct lsdp_dp *dp, const struct lsdp_acl_test *t,
			   u8 (*vm)[2][16], int max)
{
	const struct lsdp_acl_alt *a;
	unsigned int i;
	u32 lo, size;
	int n = 0;

	for (i = 0; i < t->n_alt; i++) {
		a = &t->alt[i];
		switch (a->kind) {
		case LSDP_ALT_MASKED:
			if (n >= max)
				return -E2BIG;
			memcpy(vm[n][0], a->v, 16);
			memcpy(vm[n][1], a->m, 16);
			n++;
			break;
		case LSDP_ALT_PORT:
			if (n >= max)
				return -E2BIG;
			memset(vm[n], 0, sizeof(vm[n]));
			put_unaligned_be16(lsdp_acl_port_key(dp, a->port),
					   vm[n][0]);
			vm[n][1][0] = 0xff;
			vm[n][1][1] = 0xff;
			n++;
			break;
		case LSDP_ALT_RANGE:
			for (lo = a->lo; lo <= a->hi; lo += size) {
				size = lo ? 1U << __ffs(lo) : 1U << 16;
				while (lo + size - 1 > a->hi)
					size >>= 1;
				if (n >= max)
					return -E2BIG;
				memset(vm[n], 0, sizeof(vm[n]));
				put_unaligned_be16(lo, vm[n][0]);
				put_unaligned_be16(~(size - 1) & 0xffff,
						   vm[n][1]);
				n++;
			}
			break;
		}
	}
	return n;
}

/*
 * Called with ln->lock held.  Expands @acl's indexed tests into value/mask
 * pairs, in @out (room for LSDP_ACL_MAX_ENTRIES; NULL to count only) with
 * @tmp as scratch of the same size.  Returns how many, or -E2BIG.
 */
static int lsdp_acl_expand(struct lsdp_dp *dp, const struct lsdp_acl *acl,
			   struct lsdp_vm *out, struct lsdp_vm *tmp,
			   u8 (*pairs)[2][16])
{
	static const u8 ff[16] = { [0 ... 15] = 0xff };
	struct lsdp_vm *cur = out, *next = tmp;
	unsigned int i, j, k;
	int n = 1, nn, np;
	u8 eth[2];

	memset(&cur[0], 0, sizeof(cur[0]));
	for (i = 0; i < acl->n_tests; i++) {
		const struct lsdp_acl_test *t = acl->tests[i];
		const struct lsdp_field_desc *f = &lsdp_fields[t->field];

		/* IPv4 and IPv6 fields imply their family. */
		if (f->implied_eth) {
			put_unaligned_be16(f->implied_eth, eth);
			nn = 0;
			for (j = 0; j < n; j++)
				if (lsdp_vm_and(&cur[nn], &cur[j],
						&lsdp_fields[LSDP_FIELD_ETH_TYPE],
						eth, ff))
					nn++;
			n = nn;
		}
		if (!t->indexed)
			continue;
		np = lsdp_test_pairs(dp, t, pairs, LSDP_ACL_MAX_ALTS);
		if (np < 0)
			return np;
		nn = 0;
		for (j = 0; j < n; j++)
			for (k = 0; k < np; k++) {
				if (nn >= LSDP_ACL_MAX_ENTRIES)
					return -E2BIG;
				if (lsdp_vm_and(&next[nn], &cur[j], f,
						pairs[k][0], pairs[k][1]))
					nn++;
			}
		swap(cur, next);
		n = nn;
	}
	if (cur != out)
		memcpy(out, cur, n * sizeof(*out));
	return n;
}

/* Called with ln->lock held.  Does port group @pg have members in @dp? */
static bool lsdp_pg_in_dp(struct lsdp_pg *pg, struct lsdp_dp *dp)
{
	const struct lsdp_pg_dps *dps;
	unsigned int i;

	dps = rcu_dereference_protected(pg->dps, lockdep_is_held(&dp->ln->lock));
	for (i = 0; dps && i < dps->n; i++)
		if (dps->e[i].dp == dp && dps->e[i].n)
			return true;
	return false;
}

/*
 * Called with ln->lock held.  The ACLs of switch @dp, its own and those of
 * port groups with members in it, into @v (NULL: count only).
 */
static unsigned int lsdp_dp_acls(struct lsdp_dp *dp, struct lsdp_acl **v)
{
	unsigned int n = 0;
	struct lsdp_acl *acl;
	struct lsdp_pg *pg;

	lockdep_assert_held(&dp->ln->lock);
	list_for_each_entry(acl, &dp->acls, list) {
		if (v)
			v[n] = acl;
		n++;
	}
	list_for_each_entry(pg, &dp->ln->acl_pgs, list) {
		if (list_empty(&pg->acls) || !lsdp_pg_in_dp(pg, dp))
			continue;
		list_for_each_entry(acl, &pg->acls, list) {
			if (v)
				v[n] = acl;
			n++;
		}
	}
	return n;
}

/* Called with ln->lock held.  Switch @dp's table, NULL for none. */
static struct lsdp_acl_table *lsdp_acl_table(struct lsdp_dp *dp)
{
	return rcu_dereference_protected(dp->acl, lockdep_is_held(&dp->ln->lock));
}

static struct lsdp_acl_table *lsdp_acl_table_new(struct lsdp_net *ln)
{
	struct lsdp_acl_table *t = kzalloc(sizeof(*t), GFP_KERNEL);

	lockdep_assert_held(&ln->lock);
	if (t) {
		t->ln = ln;
		xa_init(&t->rules);
		lsdp_acl_emc_init(ln);
	}
	return t;
}

/* Called with ln->lock held.  The tuples of direction index @d of @t. */
static struct lsdp_acl_tvec *lsdp_acl_tvec(struct lsdp_acl_table *t, u8 d)
{
	return rcu_dereference_protected(t->tv[d],
					 lockdep_is_held(&t->ln->lock));
}

/* Called with ln->lock held.  Publishes @tv; the old one goes after RCU. */
static void lsdp_acl_tvec_set(struct lsdp_acl_table *t, u8 d,
			      struct lsdp_acl_tvec *tv)
{
	struct lsdp_acl_tvec *old;

	old = rcu_replace_pointer(t->tv[d], tv, lockdep_is_held(&t->ln->lock));
	if (old)
		kfree_rcu(old, rcu);
}

/*
 * Called with ln->lock held.  A copy of @old (may be NULL) without tuple
 * @from and with tuple @to (either may be NULL; the same: a move), in
 * max_prio order, @to placed as if its max_prio were @to_prio (the caller
 * changes it before or after publishing, whichever keeps readers right).
 */
static struct lsdp_acl_tvec *
lsdp_acl_tvec_edit(const struct lsdp_acl_tvec *old,
		   const struct lsdp_acl_tuple *from, struct lsdp_acl_tuple *to,
		   u16 to_prio)
{
	unsigned int n = old ? old->n : 0, i, m = 0;
	struct lsdp_acl_tvec *tv;

	tv = kmalloc(struct_size(tv, t, n + 1), GFP_KERNEL);
	if (!tv)
		return NULL;
	for (i = 0; i < n; i++)
		if (old->t[i] != from)
			tv->t[m++] = old->t[i];
	if (to) {
		for (i = m; i > 0 && tv->t[i - 1]->max_prio < to_prio; i--)
			tv->t[i] = tv->t[i - 1];
		tv->t[i] = to;
		m++;
	}
	tv->n = m;
	return tv;
}

static struct lsdp_acl_tuple *lsdp_acl_tuple_alloc(const struct lsdp_acl_key *mask,
						   u32 buckets)
{
	const u32 *mw = (const u32 *)mask;
	struct lsdp_acl_tuple *tp;
	unsigned int i;

	tp = kzalloc(sizeof(*tp), GFP_KERNEL);
	if (!tp)
		return NULL;
	tp->buckets = kvcalloc(buckets, sizeof(*tp->buckets), GFP_KERNEL);
	if (!tp->buckets) {
		kfree(tp);
		return NULL;
	}
	tp->hmask = buckets - 1;
	tp->mask = *mask;
	for (i = 0; i < LSDP_ACL_KEY_WORDS; i++)
		if (mw[i])
			tp->w[tp->n_w++] = i;
	return tp;
}

/* Does rule @a come before rule @b: a higher priority, or older. */
static bool lsdp_rule_before(const struct lsdp_acl_rule *a,
			     const struct lsdp_acl_rule *b)
{
	return a->prio != b->prio ? a->prio > b->prio : a->id < b->id;
}

/*
 * Called with ln->lock held.  Links @e into its bucket of @tp in rule
 * order (a lookup takes a bucket's first match); its priority is at most
 * @tp's max_prio.
 */
static void lsdp_acl_link(struct lsdp_acl_tuple *tp, struct lsdp_acl_entry *e)
{
	struct hlist_head *h = &tp->buckets[lsdp_key_hash(&e->val, tp)];
	struct lsdp_acl_entry *pos, *last = NULL;

	e->tuple = tp;
	tp->n++;
	tp->n_max += e->rule->prio == tp->max_prio;
	hlist_for_each_entry(pos, h, node) {
		if (lsdp_rule_before(e->rule, pos->rule)) {
			hlist_add_before_rcu(&e->node, &pos->node);
			return;
		}
		last = pos;
	}
	if (last)
		hlist_add_behind_rcu(&e->node, &last->node);
	else
		hlist_add_head_rcu(&e->node, h);
}

/* Called with ln->lock held.  Copies @tp's entries into unpublished @ntp. */
static int lsdp_acl_tuple_copy(struct lsdp_acl_tuple *ntp,
			       const struct lsdp_acl_tuple *tp)
{
	struct lsdp_acl_entry *e, *ne;
	unsigned int i;

	ntp->max_prio = tp->max_prio;
	for (i = 0; i <= tp->hmask; i++)
		hlist_for_each_entry(e, &tp->buckets[i], node) {
			ne = kmemdup(e, sizeof(*e), GFP_KERNEL);
			if (!ne)
				return -ENOMEM;
			lsdp_acl_link(ntp, ne);
		}
	return 0;
}

/*
 * Called with ln->lock held.  Adds entry @idx of rule @r, value/mask @vm,
 * to @t (published or not): into the tuple of its mask, a new one for a
 * new mask, a larger copy of it when it is full.  Nothing changes on
 * error.
 */
static int lsdp_acl_entry_add(struct lsdp_acl_table *t, struct lsdp_acl_rule *r,
			      unsigned int idx, const struct lsdp_vm *vm)
{
	struct lsdp_acl_tuple *tp = NULL, *ntp = NULL, *cur;
	struct lsdp_acl_tvec *tv, *ntv = NULL;
	struct lsdp_acl_entry *e;
	unsigned int i, d = r->dir - 1;
	u16 prio = r->prio;

	lockdep_assert_held(&t->ln->lock);
	tv = lsdp_acl_tvec(t, d);
	/* Few masks (what security groups generate): a linear search. */
	for (i = 0; tv && i < tv->n && !tp; i++)
		if (!memcmp(&tv->t[i]->mask, &vm->m, sizeof(vm->m)))
			tp = tv->t[i];
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->rule = r;
	e->idx = idx;
	e->val = vm->v;
	if (tp)
		prio = max(prio, tp->max_prio);
	if (!tp || tp->n >= 2 * (tp->hmask + 1)) {
		ntp = lsdp_acl_tuple_alloc(&vm->m, tp ?
					   2 * roundup_pow_of_two(tp->n + 1) :
					   LSDP_ACL_MIN_BUCKETS);
		if (!ntp || (tp && lsdp_acl_tuple_copy(ntp, tp)))
			goto nomem;
	}
	if (ntp || prio != tp->max_prio) {
		ntv = lsdp_acl_tvec_edit(tv, tp, ntp ?: tp, prio);
		if (!ntv)
			goto nomem;
	}
	/*
	 * From here nothing fails.  A higher max_prio is set before the
	 * tuple moves up: a reader of the old order then visits it later
	 * than needed, never stops before it wrongly.
	 */
	cur = ntp ?: tp;
	if (prio != cur->max_prio) {
		WRITE_ONCE(cur->max_prio, prio);
		cur->n_max = 0;
	}
	lsdp_acl_link(cur, e);
	r->ent[idx] = e;
	if (ntp && tp) {
		/* The copies are the rules' entries now. */
		for (i = 0; i <= ntp->hmask; i++)
			hlist_for_each_entry(e, &ntp->buckets[i], node)
				e->rule->ent[e->idx] = e;
	}
	if (ntv)
		lsdp_acl_tvec_set(t, d, ntv);
	if (ntp && tp)
		call_rcu(&tp->rcu, lsdp_acl_tuple_free_all_rcu);
	return 0;

nomem:
	if (ntp)
		lsdp_acl_tuple_free_all(ntp);
	kfree(e);
	return -ENOMEM;
}

/*
 * Called with ln->lock held.  Unlinks @e (freed with its rule).  A tuple
 * left empty goes; one whose highest priority went moves down.  Without
 * memory for the new order a tuple stays where it is, its max_prio too
 * high (n_max 0 says so): lookups stay right, only stop later.
 */
static void lsdp_acl_entry_del(struct lsdp_acl_table *t, struct lsdp_acl_entry *e)
{
	struct lsdp_acl_tuple *tp = e->tuple;
	unsigned int i, n = 0, d = e->rule->dir - 1;
	struct lsdp_acl_tvec *ntv;
	struct lsdp_acl_entry *pos;
	u16 prio = 0;

	lockdep_assert_held(&t->ln->lock);
	hlist_del_rcu(&e->node);
	tp->n--;
	if (e->rule->prio == tp->max_prio && tp->n_max)
		tp->n_max--;
	if (tp->n && tp->n_max)
		return;
	if (!tp->n) {
		ntv = lsdp_acl_tvec_edit(lsdp_acl_tvec(t, d), tp, NULL, 0);
		if (!ntv)
			return;
		lsdp_acl_tvec_set(t, d, ntv);
		call_rcu(&tp->rcu, lsdp_acl_tuple_free_rcu);
		return;
	}
	for (i = 0; i <= tp->hmask; i++)
		hlist_for_each_entry(pos, &tp->buckets[i], node) {
			if (pos->rule->prio > prio) {
				prio = pos->rule->prio;
				n = 0;
			}
			n += pos->rule->prio == prio;
		}
	ntv = lsdp_acl_tvec_edit(lsdp_acl_tvec(t, d), tp, tp, prio);
	if (!ntv)
		return;
	/* Moved down first, lowered after: see lsdp_acl_entry_add(). */
	lsdp_acl_tvec_set(t, d, ntv);
	WRITE_ONCE(tp->max_prio, prio);
	tp->n_max = n;
}

/*
 * Called with ln->lock held.  Takes rule @r out of @t; it is freed after
 * a grace period.
 */
static void lsdp_acl_rule_del(struct lsdp_acl_table *t, struct lsdp_acl_rule *r)
{
	unsigned int i;

	lockdep_assert_held(&t->ln->lock);
	for (i = 0; i < r->n_ent; i++)
		lsdp_acl_entry_del(t, r->ent[i]);
	xa_erase(&t->rules, r->id);
	t->n_entries -= r->n_ent;
	t->n_rules--;
	if (r->action == LSDP_ACL_ACTION_ALLOW_RELATED && !--t->n_stateful)
		WRITE_ONCE(t->stateful, false);
	lsdp_acl_changed(t->ln);
	call_rcu(&r->rcu, lsdp_acl_rule_free_rcu);
}

/* Scratch space of an ACL's expansion. */
struct lsdp_acl_scratch {
	struct lsdp_vm out[LSDP_ACL_MAX_ENTRIES];
	struct lsdp_vm tmp[LSDP_ACL_MAX_ENTRIES];
	u8 pairs[LSDP_ACL_MAX_ALTS][2][16];
};

/*
 * Called with ln->lock held.  The instance's scratch space (800 kB, kept:
 * a batch of 10,000 ACLs would otherwise map and unmap it 10,000 times).
 */
static struct lsdp_acl_scratch *lsdp_acl_scratch(struct lsdp_net *ln)
{
	lockdep_assert_held(&ln->lock);
	if (!ln->acl_scratch)
		ln->acl_scratch = kvmalloc(sizeof(*ln->acl_scratch), GFP_KERNEL);
	return ln->acl_scratch;
}

/*
 * Called with ln->lock held.  Adds ACL @acl to switch @dp's table @t
 * (published or not): its residual tests, its entries.  -E2BIG when it
 * expands into too many entries.  On error @t is as it was.
 */
static int lsdp_acl_rule_add(struct lsdp_dp *dp, struct lsdp_acl_table *t,
			     struct lsdp_acl *acl)
{
	struct lsdp_acl_scratch *sc = lsdp_acl_scratch(dp->ln);
	struct lsdp_acl_test *rt;
	struct lsdp_acl_rule *r;
	struct lsdp_port *port;
	unsigned int i;
	int cnt, err;

	lockdep_assert_held(&dp->ln->lock);
	if (!sc)
		return -ENOMEM;
	cnt = lsdp_acl_expand(dp, acl, sc->out, sc->tmp, sc->pairs);
	if (cnt < 0)
		return cnt;
	if (t->n_entries + cnt > LSDP_ACL_MAX_TABLE)
		return -E2BIG;
	r = kzalloc(struct_size(r, ent, cnt), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->acl = acl;
	r->id = acl->id;
	r->prio = acl->prio;
	r->action = acl->action;
	r->dir = acl->dir;
	err = -ENOMEM;
	for (i = 0; i < acl->n_tests; i++) {
		rt = acl->tests[i];
		if (rt->indexed)
			continue;
		if (rt->field == LSDP_FIELD_INPORT ||
		    rt->field == LSDP_FIELD_OUTPORT) {
			rt = lsdp_acl_resolve(dp, rt);
			if (!rt)
				goto err_free;
			r->res_copy |= BIT(r->n_res);
		}
		r->res[r->n_res++] = rt;
	}
	/* Conntrack zones for the switch's VIFs, as OVN gives them. */
	if (r->action == LSDP_ACL_ACTION_ALLOW_RELATED && !t->n_stateful) {
		list_for_each_entry(port, &dp->ports, dp_node) {
			if (port->type != LSDP_PORT_TYPE_VIF)
				continue;
			err = lsdp_ct_port_init(port);
			if (err)
				goto err_free;
		}
	}
	err = xa_insert(&t->rules, r->id, r, GFP_KERNEL);
	if (err)
		goto err_free;
	t->n_rules++;
	if (r->action == LSDP_ACL_ACTION_ALLOW_RELATED && !t->n_stateful++)
		WRITE_ONCE(t->stateful, true);
	for (i = 0; i < cnt; i++) {
		err = lsdp_acl_entry_add(t, r, i, &sc->out[i]);
		if (err)
			break;
	}
	r->n_ent = i;
	t->n_entries += i;
	if (err)
		lsdp_acl_rule_del(t, r);
	lsdp_acl_changed(dp->ln);
	return err;

err_free:
	lsdp_acl_rule_free(r);
	return err;
}

/*
 * Called with ln->lock held.  Compiles the ACLs of switch @dp into a new
 * table, rule by rule; NULL in *@out when it has none.  -E2BIG when the
 * ACLs expand into too many entries.  For what changes a whole switch
 * (ports, port group members); an ACL added or deleted changes the
 * published tables in place.
 */
static int lsdp_acl_compile(struct lsdp_dp *dp, struct lsdp_acl_table **out)
{
	struct lsdp_acl **acls = NULL;
	struct lsdp_acl_table *t;
	unsigned int i, n;
	int err = -ENOMEM;

	lockdep_assert_held(&dp->ln->lock);
	*out = NULL;
	n = lsdp_dp_acls(dp, NULL);
	if (!n || dp->kind != LSDP_DP_KIND_SWITCH)
		return 0;
	t = lsdp_acl_table_new(dp->ln);
	acls = kvcalloc(n, sizeof(*acls), GFP_KERNEL);
	if (!t || !acls)
		goto err;
	lsdp_dp_acls(dp, acls);
	for (i = 0; i < n; i++) {
		err = lsdp_acl_rule_add(dp, t, acls[i]);
		if (err)
			goto err;
	}
	kvfree(acls);
	*out = t;
	return 0;

err:
	kvfree(acls);
	if (t)
		lsdp_acl_table_free(t);
	return err;
}

/*
 * Called with ln->lock held.  Recompiles switch @dp's table and swaps it
 * in; the old one goes after a grace period.  On error the old one stays.
 */
static int lsdp_acl_rebuild(struct lsdp_dp *dp)
{
	struct lsdp_acl_table *t, *old;
	int err;

	lockdep_assert_held(&dp->ln->lock);
	err = lsdp_acl_compile(dp, &t);
	if (err)
		return err;
	old = rcu_replace_pointer(dp->acl, t, lockdep_is_held(&dp->ln->lock));
	lsdp_acl_table_put(old);
	return 0;
}

/*
 * Called with ln->lock held.  Recompiles the tables of switch @dp (may be
 * NULL) and of the switches of port group member tables @a and @b (may be
 * NULL), all or none: every table is compiled before any is swapped in,
 * so that on error (-ENOMEM, -E2BIG) every switch keeps its old table and
 * the caller can undo its change.  A caller that removes ACLs relies on
 * it: no table may keep an ACL it frees.
 */
static int lsdp_acl_rebuild_set(struct lsdp_net *ln, struct lsdp_dp *dp,
				const struct lsdp_pg_dps *a,
				const struct lsdp_pg_dps *b);

/* ---- address sets ---- */

/* Called with ln->lock held. */
static struct lsdp_as *lsdp_as_find(struct lsdp_net *ln, const char *name)
{
	struct lsdp_as *as;

	lockdep_assert_held(&ln->lock);
	list_for_each_entry(as, &ln->acl_sets, list)
		if (!strcmp(as->name, name))
			return as;
	return NULL;
}

static void lsdp_as_entry_free(void *ptr, void *arg)
{
	kfree(ptr);
}

static void lsdp_as_free_work(struct work_struct *work)
{
	struct lsdp_as *as = container_of(to_rcu_work(work), struct lsdp_as,
					  free_work);

	rhashtable_free_and_destroy(&as->members, lsdp_as_entry_free, NULL);
	kfree(as);
}

/* One LSDP_ADDR_A_* attribute as a member key; false if malformed. */
static bool lsdp_as_parse(const struct nlattr *a, struct lsdp_as_key *k)
{
	int len = nla_len(a);
	const u8 *p = nla_data(a);
	struct in6_addr addr;
	u32 plen;

	switch (nla_type(a)) {
	case LSDP_ADDR_A_IPV4:
	case LSDP_ADDR_A_IPV4_NET:
		if (len != (nla_type(a) == LSDP_ADDR_A_IPV4 ? 4 : 5))
			return false;
		plen = len == 5 ? p[4] : 32;
		if (plen > 32)
			return false;
		ipv6_addr_set_v4mapped(get_unaligned((const __be32 *)p), &addr);
		plen += 96;
		break;
	case LSDP_ADDR_A_IPV6:
	case LSDP_ADDR_A_IPV6_NET:
		if (len != (nla_type(a) == LSDP_ADDR_A_IPV6 ? 16 : 17))
			return false;
		plen = len == 17 ? p[16] : 128;
		if (plen > 128)
			return false;
		memcpy(&addr, p, 16);
		break;
	default:
		return false;
	}
	memset(k, 0, sizeof(*k));
	ipv6_addr_prefix(&k->addr, &addr, plen);
	k->plen = plen;
	return true;
}

/* Called with ln->lock held.  Adds the members in nest @nest. */
static int lsdp_as_add(struct lsdp_net *ln, struct lsdp_as *as,
		       struct nlattr *nest, struct netlink_ext_ack *extack)
{
	struct lsdp_as_entry *e;
	struct lsdp_as_key k;
	struct nlattr *a;
	int rem, err;

	lockdep_assert_held(&ln->lock);
	nla_for_each_nested(a, nest, rem) {
		if (!lsdp_as_parse(a, &k)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "malformed address");
			return -EINVAL;
		}
		if (rhashtable_lookup_fast(&as->members, &k, lsdp_as_params))
			continue;
		if (as->n >= LSDP_AS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a, "address set is full");
			return -ENOSPC;
		}
		e = kzalloc(sizeof(*e), GFP_KERNEL);
		if (!e)
			return -ENOMEM;
		e->key = k;
		/* The length first: a reader must look for it. */
		set_bit(k.plen, as->plens);
		err = rhashtable_insert_fast(&as->members, &e->node,
					     lsdp_as_params);
		if (err) {
			if (!as->n_plen[k.plen])
				clear_bit(k.plen, as->plens);
			kfree(e);
			return err;
		}
		as->n_plen[k.plen]++;
		as->n++;
	}
	return 0;
}

/* Called with ln->lock held.  Removes the members in nest @nest. */
static int lsdp_as_remove(struct lsdp_net *ln, struct lsdp_as *as,
			  struct nlattr *nest, struct netlink_ext_ack *extack)
{
	struct lsdp_as_entry *e;
	struct lsdp_as_key k;
	struct nlattr *a;
	int rem;

	lockdep_assert_held(&ln->lock);
	/* All or nothing: check every one before removing any. */
	nla_for_each_nested(a, nest, rem) {
		if (!lsdp_as_parse(a, &k)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "malformed address");
			return -EINVAL;
		}
		if (!rhashtable_lookup_fast(&as->members, &k, lsdp_as_params)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "address is not in the set");
			return -ENOENT;
		}
	}
	nla_for_each_nested(a, nest, rem) {
		lsdp_as_parse(a, &k);
		e = rhashtable_lookup_fast(&as->members, &k, lsdp_as_params);
		if (!e)
			continue;	/* named twice */
		rhashtable_remove_fast(&as->members, &e->node, lsdp_as_params);
		if (!--as->n_plen[k.plen])
			clear_bit(k.plen, as->plens);
		as->n--;
		kfree_rcu(e, rcu);
	}
	return 0;
}

/* The policy has checked the name when it is present. */
#define lsdp_req_as_name(info) \
	LSDP_REQUIRE(info, LSDP_A_AS_NAME, "missing address set name")
#define lsdp_req_pg_name(info) \
	LSDP_REQUIRE(info, LSDP_A_PG_NAME, "missing port group name")

int lsdp_cmd_as_new(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr **a = info->attrs;
	struct lsdp_as *as;
	int err;

	if (!lsdp_req_as_name(info))
		return -EINVAL;
	as = kzalloc(sizeof(*as), GFP_KERNEL);
	if (!as)
		return -ENOMEM;
	nla_strscpy(as->name, a[LSDP_A_AS_NAME], sizeof(as->name));
	err = rhashtable_init(&as->members, &lsdp_as_params);
	if (err) {
		kfree(as);
		return err;
	}
	mutex_lock(&ln->lock);
	if (lsdp_as_find(ln, as->name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_AS_NAME],
				    "address set already exists");
		err = -EEXIST;
	} else if (a[LSDP_A_AS_ADDRS]) {
		err = lsdp_as_add(ln, as, a[LSDP_A_AS_ADDRS], info->extack);
	}
	if (!err) {
		as->serial = ++ln->serial;
		list_add_tail(&as->list, &ln->acl_sets);
		lsdp_gen_bump(ln);
	}
	mutex_unlock(&ln->lock);
	if (err) {
		rhashtable_free_and_destroy(&as->members, lsdp_as_entry_free,
					    NULL);
		kfree(as);
	}
	return err;
}

/* Called with ln->lock held.  The request's address set, or an error. */
static struct lsdp_as *lsdp_req_as(struct lsdp_net *ln, struct genl_info *info)
{
	struct lsdp_as *as;

	lockdep_assert_held(&ln->lock);
	as = lsdp_as_find(ln, nla_data(info->attrs[LSDP_A_AS_NAME]));
	if (!as)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LSDP_A_AS_NAME],
				    "no such address set");
	return as;
}

int lsdp_cmd_as_set(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr **a = info->attrs;
	struct lsdp_as *as;
	int err = -ENOENT;

	if (!lsdp_req_as_name(info))
		return -EINVAL;
	if (!a[LSDP_A_AS_ADDRS] && !a[LSDP_A_AS_DEL_ADDRS]) {
		NL_SET_ERR_MSG(info->extack, "nothing to add or remove");
		return -EINVAL;
	}
	mutex_lock(&ln->lock);
	as = lsdp_req_as(ln, info);
	if (!as)
		goto out;
	err = 0;
	if (a[LSDP_A_AS_DEL_ADDRS])
		err = lsdp_as_remove(ln, as, a[LSDP_A_AS_DEL_ADDRS],
				     info->extack);
	if (!err && a[LSDP_A_AS_ADDRS])
		err = lsdp_as_add(ln, as, a[LSDP_A_AS_ADDRS], info->extack);
	/* Members change in place: cached verdicts may not hold. */
	lsdp_acl_changed(ln);
out:
	mutex_unlock(&ln->lock);
	return err;
}

int lsdp_cmd_as_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct lsdp_as *as;
	int err = -ENOENT;

	if (!lsdp_req_as_name(info))
		return -EINVAL;
	mutex_lock(&ln->lock);
	as = lsdp_req_as(ln, info);
	if (!as)
		goto out;
	err = -EBUSY;
	if (as->refs) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LSDP_A_AS_NAME],
				    "address set is used by an ACL");
		goto out;
	}
	list_del(&as->list);
	lsdp_gen_bump(ln);
	INIT_RCU_WORK(&as->free_work, lsdp_as_free_work);
	queue_rcu_work(lsdp_wq, &as->free_work);
	err = 0;
out:
	mutex_unlock(&ln->lock);
	return err;
}

/*
 * Called with ln->lock held.  An lsdp_fill_t of an address set: with its
 * members in a do reply, only its name and size in a dump (NLM_F_MULTI).
 */
static int lsdp_fill_as(struct sk_buff *skb, void *obj, u32 portid, u32 seq,
			int flags, u8 cmd)
{
	bool members = !(flags & NLM_F_MULTI);
	struct lsdp_as *as = obj;
	struct rhashtable_iter it;
	struct lsdp_as_entry *e;
	struct nlattr *nest;
	u8 buf[17];
	void *hdr;
	int err = -EMSGSIZE;

	hdr = lsdp_msg_put(skb, portid, seq, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, LSDP_A_AS_NAME, as->name) ||
	    nla_put_u32(skb, LSDP_A_AS_COUNT, as->n))
		goto cancel;
	if (members) {
		nest = nla_nest_start(skb, LSDP_A_AS_ADDRS);
		if (!nest)
			goto cancel;
		err = 0;	/* an empty set is an empty nest */
		rhashtable_walk_enter(&as->members, &it);
		rhashtable_walk_start(&it);
		while ((e = rhashtable_walk_next(&it))) {
			if (IS_ERR(e))
				continue;
			if (e->key.plen >= 96 &&
			    ipv6_addr_v4mapped(&e->key.addr)) {
				memcpy(buf, &e->key.addr.s6_addr32[3], 4);
				buf[4] = e->key.plen - 96;
				err = buf[4] == 32 ?
				      nla_put(skb, LSDP_ADDR_A_IPV4, 4, buf) :
				      nla_put(skb, LSDP_ADDR_A_IPV4_NET, 5, buf);
			} else {
				memcpy(buf, &e->key.addr, 16);
				buf[16] = e->key.plen;
				err = buf[16] == 128 ?
				      nla_put(skb, LSDP_ADDR_A_IPV6, 16, buf) :
				      nla_put(skb, LSDP_ADDR_A_IPV6_NET, 17, buf);
			}
			if (err)
				break;
		}
		rhashtable_walk_stop(&it);
		rhashtable_walk_exit(&it);
		if (err)
			goto cancel;
		nla_nest_end(skb, nest);
	}
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int lsdp_cmd_as_get(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct lsdp_as *as;
	int err;

	if (!lsdp_req_as_name(info))
		return -EINVAL;
	mutex_lock(&ln->lock);
	as = lsdp_req_as(ln, info);
	err = as ? lsdp_reply_size(info, 256 + as->n * (NLA_HDRLEN + 20),
				   lsdp_fill_as, as, LSDP_CMD_AS_NEW) : -ENOENT;
	mutex_unlock(&ln->lock);
	return err;
}

/* Address sets, names and sizes; resumes after the last one sent. */
int lsdp_cmd_as_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lsdp_net *ln = lsdp_net(sock_net(skb->sk));
	struct lsdp_dump_cursor *c = lsdp_dump_cursor(cb);
	struct lsdp_as *as;

	mutex_lock(&ln->lock);
	lsdp_dump_begin(cb, ln);
	list_for_each_entry(as, &ln->acl_sets, list) {
		if (as->serial <= c->serial)
			continue;
		if (lsdp_dump_fill(skb, cb, lsdp_fill_as, as, LSDP_CMD_AS_NEW))
			break;
		c->serial = as->serial;
	}
	mutex_unlock(&ln->lock);
	return skb->len;
}

/* ---- port groups ---- */

/* Called with ln->lock held. */
static struct lsdp_pg *lsdp_pg_find(struct lsdp_net *ln, const char *name)
{
	struct lsdp_pg *pg;

	lockdep_assert_held(&ln->lock);
	list_for_each_entry(pg, &ln->acl_pgs, list)
		if (!strcmp(pg->name, name))
			return pg;
	return NULL;
}

static void lsdp_pg_dps_free(struct lsdp_pg_dps *dps)
{
	unsigned int i;

	if (!dps)
		return;
	for (i = 0; i < dps->n; i++)
		bitmap_free(dps->e[i].bits);
	kfree(dps);
}

static void lsdp_pg_dps_free_rcu(struct rcu_head *head)
{
	lsdp_pg_dps_free(container_of(head, struct lsdp_pg_dps, rcu));
}

static struct lsdp_pg_dps *lsdp_pg_dps(struct lsdp_net *ln, struct lsdp_pg *pg)
{
	return rcu_dereference_protected(pg->dps, lockdep_is_held(&ln->lock));
}

/*
 * Called with ln->lock held.  The members named in nest @nest as a new
 * member table (NULL, no error, for none).
 */
static int lsdp_pg_build(struct lsdp_net *ln, struct nlattr *nest,
			 struct lsdp_pg_dps **out, struct netlink_ext_ack *extack)
{
	struct lsdp_pg_dps *dps = NULL;
	struct lsdp_port *port;
	struct nlattr *a;
	unsigned int i, n = 0;
	int rem;

	lockdep_assert_held(&ln->lock);
	*out = NULL;
	if (!nest)
		return 0;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != LSDP_A_PORT_NAME || !lsdp_name_valid(a) ||
		    ((char *)nla_data(a))[nla_len(a) - 1]) {
			NL_SET_ERR_MSG_ATTR(extack, a, "invalid port name");
			goto err;
		}
		port = lsdp_port_find_name(ln, nla_data(a));
		if (!port || port->dp->kind != LSDP_DP_KIND_SWITCH) {
			NL_SET_ERR_MSG_ATTR(extack, a, "no such switch port");
			goto err;
		}
		n++;
	}
	/* At most one entry per switch, so never more than members. */
	dps = kzalloc(struct_size(dps, e, n), GFP_KERNEL);
	if (!dps)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem) {
		port = lsdp_port_find_name(ln, nla_data(a));
		for (i = 0; i < dps->n; i++)
			if (dps->e[i].dp == port->dp)
				break;
		if (i == dps->n) {
			dps->e[i].dp = port->dp;
			dps->e[i].bits = bitmap_zalloc(LSDP_PORT_KEY_MAX + 1,
						       GFP_KERNEL);
			if (!dps->e[i].bits) {
				lsdp_pg_dps_free(dps);
				return -ENOMEM;
			}
			dps->n++;
		}
		if (!__test_and_set_bit(port->key, dps->e[i].bits))
			dps->e[i].n++;
	}
	*out = dps;
	return 0;
err:
	return -EINVAL;
}

static int lsdp_acl_rebuild_set(struct lsdp_net *ln, struct lsdp_dp *dp,
				const struct lsdp_pg_dps *a,
				const struct lsdp_pg_dps *b)
{
	unsigned int n = 1 + (a ? a->n : 0) + (b ? b->n : 0), m = 0, i, j;
	struct lsdp_acl_table **t, *old;
	struct lsdp_dp **v;
	int err = -ENOMEM;

	lockdep_assert_held(&ln->lock);
	v = kcalloc(n, sizeof(*v), GFP_KERNEL);
	t = kcalloc(n, sizeof(*t), GFP_KERNEL);
	if (!v || !t)
		goto out;
	if (dp)
		v[m++] = dp;
	for (i = 0; a && i < a->n; i++)
		if (a->e[i].dp)
			v[m++] = a->e[i].dp;
	for (i = 0; b && i < b->n; i++)
		if (b->e[i].dp)
			v[m++] = b->e[i].dp;
	for (i = 0; i < m; i++) {
		for (j = 0; j < i; j++)
			if (v[j] == v[i])
				break;
		if (j < i) {
			v[i] = NULL;	/* compiled once */
			continue;
		}
		err = lsdp_acl_compile(v[i], &t[i]);
		if (err) {
			while (i--)
				lsdp_acl_table_free(t[i]);
			goto out;
		}
	}
	for (i = 0; i < m; i++) {
		if (!v[i])
			continue;
		old = rcu_replace_pointer(v[i]->acl, t[i],
					  lockdep_is_held(&ln->lock));
		lsdp_acl_table_put(old);
	}
	err = 0;
out:
	kfree(t);
	kfree(v);
	return err;
}

int lsdp_cmd_pg_new(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr **a = info->attrs;
	struct lsdp_pg_dps *dps;
	struct lsdp_pg *pg;
	int err;

	if (!lsdp_req_pg_name(info))
		return -EINVAL;
	pg = kzalloc(sizeof(*pg), GFP_KERNEL);
	if (!pg)
		return -ENOMEM;
	nla_strscpy(pg->name, a[LSDP_A_PG_NAME], sizeof(pg->name));
	INIT_LIST_HEAD(&pg->acls);
	pg->ln = ln;
	mutex_lock(&ln->lock);
	err = -EEXIST;
	if (lsdp_pg_find(ln, pg->name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_PG_NAME],
				    "port group already exists");
		goto err_unlock;
	}
	err = lsdp_pg_build(ln, a[LSDP_A_PG_PORTS], &dps, info->extack);
	if (err)
		goto err_unlock;
	RCU_INIT_POINTER(pg->dps, dps);
	pg->serial = ++ln->serial;
	list_add_tail(&pg->list, &ln->acl_pgs);
	lsdp_gen_bump(ln);
	mutex_unlock(&ln->lock);
	return 0;

err_unlock:
	mutex_unlock(&ln->lock);
	kfree(pg);
	return err;
}

/* Called with ln->lock held.  The request's port group, or an error. */
static struct lsdp_pg *lsdp_req_pg(struct lsdp_net *ln, struct genl_info *info)
{
	struct lsdp_pg *pg;

	lockdep_assert_held(&ln->lock);
	pg = lsdp_pg_find(ln, nla_data(info->attrs[LSDP_A_PG_NAME]));
	if (!pg)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LSDP_A_PG_NAME],
				    "no such port group");
	return pg;
}

int lsdp_cmd_pg_set(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct lsdp_pg_dps *dps, *old;
	struct lsdp_pg *pg;
	int err = -ENOENT;

	if (!lsdp_req_pg_name(info) ||
	    !LSDP_REQUIRE(info, LSDP_A_PG_PORTS, "missing port group members"))
		return -EINVAL;
	mutex_lock(&ln->lock);
	pg = lsdp_req_pg(ln, info);
	if (!pg)
		goto out;
	err = lsdp_pg_build(ln, info->attrs[LSDP_A_PG_PORTS], &dps,
			    info->extack);
	if (err)
		goto out;
	old = rcu_replace_pointer(pg->dps, dps, lockdep_is_held(&ln->lock));
	lsdp_acl_changed(ln);
	/* Its ACLs now apply to the switches of the new members. */
	if (!list_empty(&pg->acls))
		err = lsdp_acl_rebuild_set(ln, NULL, old, dps);
	if (err) {
		NL_SET_ERR_MSG(info->extack,
			       "could not rebuild the ACLs of the group's switches");
		swap(old, dps);
		rcu_assign_pointer(pg->dps, dps);
	}
	if (old)
		call_rcu(&old->rcu, lsdp_pg_dps_free_rcu);
	lsdp_gen_bump(ln);
out:
	mutex_unlock(&ln->lock);
	return err;
}

static void lsdp_acl_unlink(struct lsdp_net *ln, struct lsdp_acl *acl);
static void lsdp_acl_remove(struct lsdp_net *ln, const struct lsdp_acl *acl);

/* Called with ln->lock held.  Tests of @pg's own ACLs that name @pg. */
static unsigned int lsdp_pg_self_refs(struct lsdp_pg *pg)
{
	const struct lsdp_acl_test *t;
	struct lsdp_acl *acl;
	unsigned int i, j, n = 0;

	list_for_each_entry(acl, &pg->acls, list)
		for (i = 0; i < acl->n_tests; i++) {
			t = acl->tests[i];
			for (j = 0; j < t->n_alt; j++)
				n += t->alt[j].kind == LSDP_ALT_PG &&
				     t->alt[j].pg == pg;
		}
	return n;
}

int lsdp_cmd_pg_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct lsdp_acl *acl, *next;
	struct lsdp_pg_dps *dps;
	struct lsdp_pg *pg;
	int err = -ENOENT;

	if (!lsdp_req_pg_name(info))
		return -EINVAL;
	mutex_lock(&ln->lock);
	pg = lsdp_req_pg(ln, info);
	if (!pg)
		goto out;
	err = -EBUSY;
	/* Its own ACLs may name it ("outport == @pg"): they go with it. */
	if (pg->refs > lsdp_pg_self_refs(pg)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LSDP_A_PG_NAME],
				    "port group is used in an ACL's match");
		goto out;
	}
	/*
	 * Its ACLs go with it, as in OVN's northbound database: out of the
	 * tables in place before they are freed.
	 */
	dps = lsdp_pg_dps(ln, pg);
	list_for_each_entry_safe(acl, next, &pg->acls, list) {
		lsdp_acl_remove(ln, acl);
		lsdp_acl_unlink(ln, acl);
	}
	err = 0;
	RCU_INIT_POINTER(pg->dps, NULL);
	list_del(&pg->list);
	lsdp_gen_bump(ln);
	if (dps)
		call_rcu(&dps->rcu, lsdp_pg_dps_free_rcu);
	kfree_rcu(pg, rcu);
out:
	mutex_unlock(&ln->lock);
	return err;
}

/* Called with ln->lock held.  An lsdp_fill_t of a port group. */
static int lsdp_fill_pg(struct sk_buff *skb, void *obj, u32 portid, u32 seq,
			int flags, u8 cmd)
{
	struct lsdp_pg *pg = obj;
	struct lsdp_net *ln = pg->ln;
	struct lsdp_pg_dps *dps = lsdp_pg_dps(ln, pg);
	struct lsdp_port *port;
	struct nlattr *nest;
	unsigned int i, key;
	void *hdr;

	lockdep_assert_held(&ln->lock);
	hdr = lsdp_msg_put(skb, portid, seq, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, LSDP_A_PG_NAME, pg->name))
		goto cancel;
	nest = nla_nest_start(skb, LSDP_A_PG_PORTS);
	if (!nest)
		goto cancel;
	for (i = 0; dps && i < dps->n; i++) {
		if (!dps->e[i].dp)
			continue;
		for_each_set_bit(key, dps->e[i].bits, LSDP_PORT_KEY_MAX + 1) {
			port = lsdp_port_find_key(dps->e[i].dp, key);
			if (port && nla_put_string(skb, LSDP_A_PORT_NAME,
						   port->name))
				goto cancel;
		}
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int lsdp_cmd_pg_get(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct lsdp_pg *pg;
	int err;

	if (!lsdp_req_pg_name(info))
		return -EINVAL;
	mutex_lock(&ln->lock);
	pg = lsdp_req_pg(ln, info);
	err = pg ? lsdp_reply_size(info, GENLMSG_DEFAULT_SIZE * 4, lsdp_fill_pg,
				   pg, LSDP_CMD_PG_NEW) : -ENOENT;
	mutex_unlock(&ln->lock);
	return err;
}

/* Port groups in creation order; resumes after the last one sent. */
int lsdp_cmd_pg_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lsdp_net *ln = lsdp_net(sock_net(skb->sk));
	struct lsdp_dump_cursor *c = lsdp_dump_cursor(cb);
	struct lsdp_pg *pg;

	mutex_lock(&ln->lock);
	lsdp_dump_begin(cb, ln);
	list_for_each_entry(pg, &ln->acl_pgs, list) {
		if (pg->serial <= c->serial)
			continue;
		if (lsdp_dump_fill(skb, cb, lsdp_fill_pg, pg, LSDP_CMD_PG_NEW))
			break;
		c->serial = pg->serial;
	}
	mutex_unlock(&ln->lock);
	return skb->len;
}

/* ---- ACLs ---- */

/* Called with ln->lock held.  Drops the references of @acl's tests. */
static void lsdp_acl_put_refs(struct lsdp_acl *acl)
{
	struct lsdp_acl_test *t;
	unsigned int i, j;

	for (i = 0; i < acl->n_tests; i++) {
		t = acl->tests[i];
		for (j = 0; j < t->n_alt; j++) {
			if (t->alt[j].kind == LSDP_ALT_AS)
				t->alt[j].as->refs--;
			else if (t->alt[j].kind == LSDP_ALT_PG)
				t->alt[j].pg->refs--;
		}
	}
}

static void lsdp_acl_free(struct lsdp_acl *acl)
{
	unsigned int i;

	for (i = 0; i < acl->n_tests; i++)
		kfree(acl->tests[i]);
	free_percpu(acl->hits);
	kfree(acl->match);
	kfree(acl);
}

static void lsdp_acl_free_rcu(struct rcu_head *head)
{
	lsdp_acl_free(container_of(head, struct lsdp_acl, rcu));
}

/*
 * Called with ln->lock held.  One alternative @a of a test on field @f
 * into @alt; -EINVAL with the reason in @extack.
 */
static int lsdp_alt_parse(struct lsdp_net *ln, u8 f, const struct nlattr *a,
			  struct lsdp_acl_alt *alt,
			  struct netlink_ext_ack *extack)
{
	unsigned int w = lsdp_fields[f].width, i;
	bool port = f == LSDP_FIELD_INPORT || f == LSDP_FIELD_OUTPORT;
	bool addr = f >= LSDP_FIELD_IP4_SRC && f <= LSDP_FIELD_IP6_DST;
	const u8 *p = nla_data(a);

	lockdep_assert_held(&ln->lock);
	switch (nla_type(a)) {
	case LSDP_TEST_A_VALUE:
	case LSDP_TEST_A_MASKED:
		if (port)
			goto bad_kind;
		if (nla_len(a) != (nla_type(a) == LSDP_TEST_A_VALUE ? w : 2 * w)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "value does not have the field's width");
			return -EINVAL;
		}
		alt->kind = LSDP_ALT_MASKED;
		for (i = 0; i < w; i++) {
			alt->m[i] = nla_type(a) == LSDP_TEST_A_VALUE ? 0xff :
								       p[w + i];
			alt->v[i] = p[i] & alt->m[i];
		}
		return 0;
	case LSDP_TEST_A_RANGE:
		if (w != 2 || port)
			goto bad_kind;
		if (nla_len(a) != 4) {
			NL_SET_ERR_MSG_ATTR(extack, a, "a range is two 2-byte values");
			return -EINVAL;
		}
		alt->kind = LSDP_ALT_RANGE;
		alt->lo = get_unaligned_be16(p);
		alt->hi = get_unaligned_be16(p + 2);
		if (alt->lo > alt->hi) {
			NL_SET_ERR_MSG_ATTR(extack, a, "empty range");
			return -EINVAL;
		}
		return 0;
	case LSDP_TEST_A_ADDR_SET:
		if (!addr)
			goto bad_kind;
		alt->kind = LSDP_ALT_AS;
		alt->as = lsdp_as_find(ln, nla_data(a));
		if (!alt->as) {
			NL_SET_ERR_MSG_ATTR(extack, a, "no such address set");
			return -ENOENT;
		}
		alt->as->refs++;
		return 0;
	case LSDP_TEST_A_PORT_GROUP:
		if (!port)
			goto bad_kind;
		alt->kind = LSDP_ALT_PG;
		alt->pg = lsdp_pg_find(ln, nla_data(a));
		if (!alt->pg) {
			NL_SET_ERR_MSG_ATTR(extack, a, "no such port group");
			return -ENOENT;
		}
		alt->pg->refs++;
		return 0;
	case LSDP_TEST_A_PORT:
		if (!port)
			goto bad_kind;
		if (!lsdp_name_valid(a)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "invalid port name");
			return -EINVAL;
		}
		/* OVN lets a match name a port that does not exist (yet). */
		alt->kind = LSDP_ALT_PORT;
		nla_strscpy(alt->port, a, sizeof(alt->port));
		return 0;
	}
	NL_SET_ERR_MSG_ATTR(extack, a, "unknown test attribute");
	return -EINVAL;
bad_kind:
	NL_SET_ERR_MSG_ATTR(extack, a, "this kind of value does not apply to the field");
	return -EINVAL;
}

/* Called with ln->lock held.  One LSDP_MATCH_A_TEST nest into @acl. */
static int lsdp_test_parse(struct lsdp_net *ln, const struct nlattr *nest,
			   struct lsdp_acl *acl, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[LSDP_TEST_A_MAX + 1];
	struct lsdp_acl_test *t;
	unsigned int n = 0, i;
	struct nlattr *a;
	int rem, err;
	u8 f;

	lockdep_assert_held(&ln->lock);
	if (nla_type(nest) != LSDP_MATCH_A_TEST) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a match holds only tests");
		return -EINVAL;
	}
	if (acl->n_tests >= LSDP_ACL_MAX_TESTS) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "too many tests in one match");
		return -E2BIG;
	}
	err = nla_parse_nested(tb, LSDP_TEST_A_MAX, nest, lsdp_test_nl_policy,
			       extack);
	if (err)
		return err;
	if (!tb[LSDP_TEST_A_FIELD]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "test without a field");
		return -EINVAL;
	}
	f = nla_get_u8(tb[LSDP_TEST_A_FIELD]);
	if (f < 1 || f > LSDP_FIELD_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LSDP_TEST_A_FIELD],
				    "unknown field");
		return -EINVAL;
	}
	for (i = 0; i < acl->n_tests; i++)
		if (acl->tests[i]->field == f &&
		    acl->tests[i]->neg == !!tb[LSDP_TEST_A_NEG]) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "field tested twice the same way");
			return -EINVAL;
		}
	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) != LSDP_TEST_A_FIELD &&
		    nla_type(a) != LSDP_TEST_A_NEG)
			n++;
	if (!n) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "test without a value");
		return -EINVAL;
	}
	if (n > LSDP_ACL_MAX_ALTS) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "too many values in one test");
		return -E2BIG;
	}
	t = kzalloc(struct_size(t, alt, n), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->field = f;
	t->neg = !!tb[LSDP_TEST_A_NEG];
	t->indexed = !t->neg;
	/* Counted as parsed, so that an error releases what was taken. */
	acl->tests[acl->n_tests++] = t;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == LSDP_TEST_A_FIELD ||
		    nla_type(a) == LSDP_TEST_A_NEG)
			continue;
		err = lsdp_alt_parse(ln, f, a, &t->alt[t->n_alt], extack);
		if (err)
			return err;
		if (t->alt[t->n_alt].kind == LSDP_ALT_AS ||
		    t->alt[t->n_alt].kind == LSDP_ALT_PG)
			t->indexed = false;
		t->n_alt++;
	}
	return 0;
}

/* Does @acl test ip.proto positively with values all in @protos? */
static bool lsdp_acl_proto_in(const struct lsdp_acl *acl, const u8 *protos,
			      unsigned int n)
{
	const struct lsdp_acl_test *t;
	unsigned int i, j, k;

	for (i = 0; i < acl->n_tests; i++) {
		t = acl->tests[i];
		if (t->field != LSDP_FIELD_IP_PROTO || t->neg)
			continue;
		for (j = 0; j < t->n_alt; j++) {
			if (t->alt[j].m[0] != 0xff)
				return false;
			for (k = 0; k < n; k++)
				if (t->alt[j].v[0] == protos[k])
					break;
			if (k == n)
				return false;
		}
		return true;
	}
	return false;
}

/* Called with ln->lock held.  The whole match into @acl. */
static int lsdp_match_parse(struct lsdp_net *ln, const struct nlattr *match,
			    struct lsdp_acl *acl, struct netlink_ext_ack *extack)
{
	static const u8 l4[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP };
	static const u8 icmp[] = { IPPROTO_ICMP, IPPROTO_ICMPV6 };
	const struct nlattr *nest;
	unsigned int i;
	int rem, err;
	u8 f;

	lockdep_assert_held(&ln->lock);
	nla_for_each_nested(nest, match, rem) {
		err = lsdp_test_parse(ln, nest, acl, extack);
		if (err)
			return err;
	}
	/* Prerequisites, as OVN's expression language has them. */
	for (i = 0; i < acl->n_tests; i++) {
		f = acl->tests[i]->field;
		if ((f == LSDP_FIELD_L4_SRC || f == LSDP_FIELD_L4_DST) &&
		    !lsdp_acl_proto_in(acl, l4, ARRAY_SIZE(l4))) {
			NL_SET_ERR_MSG_ATTR(extack, match,
					    "L4 port test without ip.proto tcp, udp or sctp");
			return -EINVAL;
		}
		if ((f == LSDP_FIELD_ICMP_TYPE || f == LSDP_FIELD_ICMP_CODE) &&
		    !lsdp_acl_proto_in(acl, icmp, ARRAY_SIZE(icmp))) {
			NL_SET_ERR_MSG_ATTR(extack, match,
					    "ICMP test without ip.proto icmp or icmp6");
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Called with ln->lock held.  Unlinks @acl and frees it after a grace
 * period; the caller rebuilds the tables that held it.
 */
static void lsdp_acl_unlink(struct lsdp_net *ln, struct lsdp_acl *acl)
{
	lockdep_assert_held(&ln->lock);
	list_del(&acl->list);
	list_del(&acl->all);
	ln->n_acls--;
	lsdp_acl_put_refs(acl);
	lsdp_gen_bump(ln);
	call_rcu(&acl->rcu, lsdp_acl_free_rcu);
}

/*
 * Called with ln->lock held.  The switches the ACLs of @acl's owner apply
 * to, into @v (room for one per switch of its port group); the count.
 */
static unsigned int lsdp_acl_dps(struct lsdp_net *ln, const struct lsdp_acl *acl,
				 struct lsdp_dp **v)
{
	const struct lsdp_pg_dps *dps;
	unsigned int i, n = 0;

	lockdep_assert_held(&ln->lock);
	if (acl->dp) {
		v[0] = acl->dp;
		return 1;
	}
	dps = lsdp_pg_dps(ln, acl->pg);
	for (i = 0; dps && i < dps->n; i++)
		if (dps->e[i].dp && dps->e[i].n)
			v[n++] = dps->e[i].dp;
	return n;
}

/* Called with ln->lock held.  Room for lsdp_acl_dps(). */
static struct lsdp_dp **lsdp_acl_dps_alloc(struct lsdp_net *ln,
					   const struct lsdp_acl *acl)
{
	const struct lsdp_pg_dps *dps = acl->pg ? lsdp_pg_dps(ln, acl->pg) : NULL;

	return kcalloc(dps ? dps->n + 1 : 1, sizeof(struct lsdp_dp *),
		       GFP_KERNEL);
}

/*
 * Called with ln->lock held.  Adds new ACL @acl to the tables of the
 * switches it applies to, in place, all or none.
 */
static int lsdp_acl_insert(struct lsdp_net *ln, struct lsdp_acl *acl)
{
	struct lsdp_acl_table **t = NULL;
	struct lsdp_dp **v;
	unsigned int i, n;
	int err = -ENOMEM;

	lockdep_assert_held(&ln->lock);
	v = lsdp_acl_dps_alloc(ln, acl);
	if (!v)
		return -ENOMEM;
	n = lsdp_acl_dps(ln, acl, v);
	t = kcalloc(n ?: 1, sizeof(*t), GFP_KERNEL);
	if (!t)
		goto out;
	err = 0;
	for (i = 0; i < n; i++) {
		t[i] = lsdp_acl_table(v[i]) ?: lsdp_acl_table_new(ln);
		err = t[i] ? lsdp_acl_rule_add(v[i], t[i], acl) : -ENOMEM;
		if (err)
			break;
	}
	if (err) {
		/* Undo: out of the tables it went into; new ones go. */
		while (i--)
			lsdp_acl_rule_del(t[i], xa_load(&t[i]->rules, acl->id));
		for (i = 0; i < n; i++)
			if (t[i] && !lsdp_acl_table(v[i]))
				lsdp_acl_table_free(t[i]);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (!lsdp_acl_table(v[i]))
			rcu_assign_pointer(v[i]->acl, t[i]);
	err = 0;
out:
	kfree(t);
	kfree(v);
	return err;
}

/* Called with ln->lock held.  Takes @acl out of @dp's table, if there. */
static void lsdp_acl_remove_dp(struct lsdp_dp *dp, const struct lsdp_acl *acl)
{
	struct lsdp_acl_table *t = lsdp_acl_table(dp);
	struct lsdp_acl_rule *r;

	lockdep_assert_held(&dp->ln->lock);
	r = t ? xa_load(&t->rules, acl->id) : NULL;
	if (!r)
		return;
	lsdp_acl_rule_del(t, r);
	/* No ACLs: the packet path pays one pointer test again. */
	if (!t->n_rules) {
		RCU_INIT_POINTER(dp->acl, NULL);
		lsdp_acl_table_put(t);
	}
}

/*
 * Called with ln->lock held.  Takes @acl out of the tables that have it,
 * in place.  Never fails.
 */
static void lsdp_acl_remove(struct lsdp_net *ln, const struct lsdp_acl *acl)
{
	const struct lsdp_pg_dps *dps;
	unsigned int i;

	lockdep_assert_held(&ln->lock);
	if (acl->dp) {
		lsdp_acl_remove_dp(acl->dp, acl);
		return;
	}
	dps = lsdp_pg_dps(ln, acl->pg);
	for (i = 0; dps && i < dps->n; i++)
		if (dps->e[i].dp)
			lsdp_acl_remove_dp(dps->e[i].dp, acl);
}

/* Called with ln->lock held.  The request's owner: switch or port group. */
static int lsdp_req_owner(struct lsdp_net *ln, struct genl_info *info,
			  struct lsdp_dp **dp, struct lsdp_pg **pg)
{
	struct nlattr **a = info->attrs;

	lockdep_assert_held(&ln->lock);
	*dp = NULL;
	*pg = NULL;
	if (!!a[LSDP_A_DP_NAME] == !!a[LSDP_A_PG_NAME]) {
		NL_SET_ERR_MSG(info->extack,
			       "give a switch or a port group, not both or none");
		return -EINVAL;
	}
	if (a[LSDP_A_PG_NAME]) {
		*pg = lsdp_req_pg(ln, info);
		return *pg ? 0 : -ENOENT;
	}
	*dp = lsdp_dp_find_name(ln, nla_data(a[LSDP_A_DP_NAME]));
	if (!*dp || (*dp)->kind != LSDP_DP_KIND_SWITCH) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_DP_NAME],
				    "no such switch");
		return -ENOENT;
	}
	return 0;
}

/* Checks direction, priority and action; all three required. */
static int lsdp_acl_check_attrs(struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	u8 v;

	if (!LSDP_REQUIRE(info, LSDP_A_ACL_DIR, "missing ACL direction") ||
	    !LSDP_REQUIRE(info, LSDP_A_ACL_PRIORITY, "missing ACL priority") ||
	    !LSDP_REQUIRE(info, LSDP_A_ACL_ACTION, "missing ACL action") ||
	    !LSDP_REQUIRE(info, LSDP_A_ACL_MATCH, "missing ACL match"))
		return -EINVAL;
	v = nla_get_u8(a[LSDP_A_ACL_DIR]);
	if (v < 1 || v > LSDP_ACL_DIR_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_ACL_DIR],
				    "direction is from-lport or to-lport");
		return -EINVAL;
	}
	if (nla_get_u16(a[LSDP_A_ACL_PRIORITY]) > LSDP_ACL_PRIORITY_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_ACL_PRIORITY],
				    "priority is 0..32767");
		return -EINVAL;
	}
	v = nla_get_u8(a[LSDP_A_ACL_ACTION]);
	if (v < 1 || v > LSDP_ACL_ACTION_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_ACL_ACTION],
				    "unknown action");
		return -EINVAL;
	}
	return 0;
}

int lsdp_cmd_acl_new(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr **a = info->attrs;
	struct lsdp_acl *acl;
	struct lsdp_dp *dp;
	struct lsdp_pg *pg;
	int err;

	err = lsdp_acl_check_attrs(info);
	if (err)
		return err;
	acl = kzalloc(sizeof(*acl), GFP_KERNEL);
	if (!acl)
		return -ENOMEM;
	acl->hits = alloc_percpu(u64);
	acl->match = kmemdup(a[LSDP_A_ACL_MATCH],
			     nla_attr_size(nla_len(a[LSDP_A_ACL_MATCH])),
			     GFP_KERNEL);
	if (!acl->hits || !acl->match) {
		lsdp_acl_free(acl);
		return -ENOMEM;
	}
	acl->dir = nla_get_u8(a[LSDP_A_ACL_DIR]);
	acl->prio = nla_get_u16(a[LSDP_A_ACL_PRIORITY]);
	acl->action = nla_get_u8(a[LSDP_A_ACL_ACTION]);
	if (a[LSDP_A_ACL_NAME])
		nla_strscpy(acl->name, a[LSDP_A_ACL_NAME], sizeof(acl->name));

	mutex_lock(&ln->lock);
	err = lsdp_req_owner(ln, info, &dp, &pg);
	if (err)
		goto err_unlock;
	err = lsdp_match_parse(ln, a[LSDP_A_ACL_MATCH], acl, info->extack);
	if (err)
		goto err_put;
	acl->dp = dp;
	acl->pg = pg;
	acl->id = ++ln->acl_next_id;
	list_add_tail(&acl->list, dp ? &dp->acls : &pg->acls);
	list_add_tail(&acl->all, &ln->acls);
	ln->n_acls++;
	err = lsdp_acl_insert(ln, acl);
	if (err) {
		if (err == -E2BIG)
			NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_ACL_MATCH],
					    "too many classifier entries (this match, or the switch's ACLs together)");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_ACL_MATCH],
					    "could not compile the ACLs");
		/* No table has it: all or none were rebuilt. */
		lsdp_acl_unlink(ln, acl);
		goto err_unlock_only;
	}
	lsdp_gen_bump(ln);
	mutex_unlock(&ln->lock);
	return 0;

err_put:
	lsdp_acl_put_refs(acl);
err_unlock:
	mutex_unlock(&ln->lock);
	lsdp_acl_free(acl);
	return err;
err_unlock_only:
	mutex_unlock(&ln->lock);
	return err;
}

/* Does @acl pass the ACL_DEL request's filters? */
static bool lsdp_acl_del_match(const struct lsdp_acl *acl, struct nlattr **a)
{
	const struct nlattr *m = a[LSDP_A_ACL_MATCH];

	if (a[LSDP_A_ACL_DIR] && nla_get_u8(a[LSDP_A_ACL_DIR]) != acl->dir)
		return false;
	if (a[LSDP_A_ACL_PRIORITY] &&
	    nla_get_u16(a[LSDP_A_ACL_PRIORITY]) != acl->prio)
		return false;
	if (m && (nla_len(m) != nla_len(acl->match) ||
		  memcmp(nla_data(m), nla_data(acl->match), nla_len(m))))
		return false;
	if (a[LSDP_A_ACL_NAME] && strcmp(nla_data(a[LSDP_A_ACL_NAME]), acl->name))
		return false;
	if (a[LSDP_A_ACL_ID] && nla_get_u32(a[LSDP_A_ACL_ID]) != acl->id)
		return false;
	return true;
}

/*
 * Deletes the ACLs of a switch or port group that pass every filter
 * given (direction, priority, match, name, id), all of them if none is
 * given, as ovn-nbctl acl-del does.  ENOENT if filters matched nothing.
 */
int lsdp_cmd_acl_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr **a = info->attrs;
	struct lsdp_acl *acl, *next;
	struct list_head *head;
	struct lsdp_dp *dp;
	struct lsdp_pg *pg;
	unsigned int n = 0;
	int err;

	mutex_lock(&ln->lock);
	err = lsdp_req_owner(ln, info, &dp, &pg);
	if (err)
		goto out;
	head = dp ? &dp->acls : &pg->acls;
	/* Out of the tables in place, then freed after a grace period. */
	list_for_each_entry_safe(acl, next, head, list) {
		if (!lsdp_acl_del_match(acl, a))
			continue;
		lsdp_acl_remove(ln, acl);
		lsdp_acl_unlink(ln, acl);
		n++;
	}
	if (!n && (a[LSDP_A_ACL_DIR] || a[LSDP_A_ACL_PRIORITY] ||
		   a[LSDP_A_ACL_MATCH] || a[LSDP_A_ACL_NAME] ||
		   a[LSDP_A_ACL_ID])) {
		NL_SET_ERR_MSG(info->extack, "no such ACL");
		err = -ENOENT;
	}
out:
	mutex_unlock(&ln->lock);
	return err;
}

/* Called with ln->lock held. */
static int lsdp_fill_acl(struct sk_buff *skb, struct lsdp_net *ln,
			 struct lsdp_acl *acl, u32 portid, u32 seq, int flags)
{
	u64 hits = 0;
	void *hdr;
	int cpu;

	lockdep_assert_held(&ln->lock);
	for_each_possible_cpu(cpu)
		hits += *per_cpu_ptr(acl->hits, cpu);
	hdr = lsdp_msg_put(skb, portid, seq, flags, LSDP_CMD_ACL_NEW);
	if (!hdr)
		return -EMSGSIZE;
	if ((acl->dp && nla_put_string(skb, LSDP_A_DP_NAME, acl->dp->name)) ||
	    (acl->pg && nla_put_string(skb, LSDP_A_PG_NAME, acl->pg->name)) ||
	    nla_put_u32(skb, LSDP_A_ACL_ID, acl->id) ||
	    nla_put_u8(skb, LSDP_A_ACL_DIR, acl->dir) ||
	    nla_put_u16(skb, LSDP_A_ACL_PRIORITY, acl->prio) ||
	    nla_put_u8(skb, LSDP_A_ACL_ACTION, acl->action) ||
	    (acl->name[0] && nla_put_string(skb, LSDP_A_ACL_NAME, acl->name)) ||
	    nla_put(skb, LSDP_A_ACL_MATCH, nla_len(acl->match),
		    nla_data(acl->match)) ||
	    nla_put_u64_64bit(skb, LSDP_A_ACL_HITS, hits, LSDP_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * ACLs in creation order, of one switch or port group if named; resumes
 * after the last id sent (the cursor), ids growing with creation.
 */
int lsdp_cmd_acl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lsdp_net *ln = lsdp_net(sock_net(skb->sk));
	struct nlattr **a = lsdp_dump_attrs(cb);
	struct lsdp_dp *dp = NULL;
	struct lsdp_pg *pg = NULL;
	struct lsdp_dump_cursor *c = lsdp_dump_cursor(cb);
	struct lsdp_acl *acl;
	int err = 0, start;

	mutex_lock(&ln->lock);
	lsdp_dump_begin(cb, ln);
	if (a && a[LSDP_A_DP_NAME]) {
		dp = lsdp_dp_find_name(ln, nla_data(a[LSDP_A_DP_NAME]));
		if (!dp) {
			NL_SET_ERR_MSG_ATTR(cb->extack, a[LSDP_A_DP_NAME],
					    "no such switch");
			err = -ENOENT;
			goto out;
		}
	}
	if (a && a[LSDP_A_PG_NAME]) {
		pg = lsdp_pg_find(ln, nla_data(a[LSDP_A_PG_NAME]));
		if (!pg) {
			NL_SET_ERR_MSG_ATTR(cb->extack, a[LSDP_A_PG_NAME],
					    "no such port group");
			err = -ENOENT;
			goto out;
		}
	}
	list_for_each_entry(acl, &ln->acls, all) {
		/* Ids grow in list order: the id is the cursor. */
		if (acl->id <= c->serial || (dp && acl->dp != dp) ||
		    (pg && acl->pg != pg))
			continue;
		start = skb->len;
		if (lsdp_fill_acl(skb, ln, acl, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI))
			break;
		lsdp_dump_check(cb, skb, start);
		c->serial = acl->id;
	}
out:
	mutex_unlock(&ln->lock);
	return err ? err : skb->len;
}

/* ---- life cycle hooks ---- */

/* Pernet init, before the instance is reachable. */
void lsdp_acl_net_init(struct lsdp_net *ln)
{
	INIT_LIST_HEAD(&ln->acl_sets);
	INIT_LIST_HEAD(&ln->acl_pgs);
	INIT_LIST_HEAD(&ln->acls);
	ida_init(&ln->ct_zones);
}

/*
 * Called with RTNL and ln->lock held, at netns exit before the datapaths
 * go: ACLs, port groups and address sets.
 */
void lsdp_acl_net_exit(struct lsdp_net *ln)
{
	struct lsdp_acl *acl, *nacl;
	struct lsdp_acl_table *t;
	struct lsdp_pg *pg, *npg;
	struct lsdp_as *as, *nas;
	struct lsdp_dp *dp;

	lockdep_assert_held(&ln->lock);
	/* No table may keep what is freed below: drop them first. */
	list_for_each_entry(dp, &ln->dps, list) {
		t = rcu_replace_pointer(dp->acl, NULL, lockdep_is_held(&ln->lock));
		lsdp_acl_table_put(t);
	}
	list_for_each_entry_safe(acl, nacl, &ln->acls, all)
		lsdp_acl_unlink(ln, acl);
	list_for_each_entry_safe(pg, npg, &ln->acl_pgs, list) {
		struct lsdp_pg_dps *dps = lsdp_pg_dps(ln, pg);

		list_del(&pg->list);
		RCU_INIT_POINTER(pg->dps, NULL);
		if (dps)
			call_rcu(&dps->rcu, lsdp_pg_dps_free_rcu);
		kfree_rcu(pg, rcu);
	}
	list_for_each_entry_safe(as, nas, &ln->acl_sets, list) {
		list_del(&as->list);
		INIT_RCU_WORK(&as->free_work, lsdp_as_free_work);
		queue_rcu_work(lsdp_wq, &as->free_work);
	}
}

/* Pernet exit, after every port is gone. */
void lsdp_acl_net_free(struct lsdp_net *ln)
{
	kvfree(ln->acl_scratch);
	if (ln->acl_emc) {
		/* No port is left, but a packet may still be on its way out. */
		synchronize_rcu();
		free_percpu(ln->acl_emc);
	}
	ida_destroy(&ln->ct_zones);
}

/*
 * Called with RTNL and ln->lock held, when switch @dp goes (its ports
 * are gone): its ACLs and table go, port groups forget it.
 */
void lsdp_acl_dp_destroy(struct lsdp_dp *dp)
{
	struct lsdp_net *ln = dp->ln;
	struct lsdp_acl *acl, *next;
	struct lsdp_acl_table *t;
	struct lsdp_pg_dps *dps;
	struct lsdp_pg *pg;
	unsigned int i;

	lockdep_assert_held(&ln->lock);
	list_for_each_entry_safe(acl, next, &dp->acls, list)
		lsdp_acl_unlink(ln, acl);
	list_for_each_entry(pg, &ln->acl_pgs, list) {
		dps = lsdp_pg_dps(ln, pg);
		for (i = 0; dps && i < dps->n; i++)
			if (dps->e[i].dp == dp)
				WRITE_ONCE(dps->e[i].dp, NULL);
	}
	t = rcu_replace_pointer(dp->acl, NULL, lockdep_is_held(&ln->lock));
	lsdp_acl_table_put(t);
}

/*
 * Called with ln->lock held, when @port was published in its switch:
 * ACLs may name it, and a stateful switch gives it a zone.  Best effort:
 * without memory the old table stays (and the port without a zone drops
 * its IP traffic as ct-invalid, never lets it through unchecked).
 */
void lsdp_acl_port_added(struct lsdp_port *port)
{
	lockdep_assert_held(&port->dp->ln->lock);
	if (rcu_access_pointer(port->dp->acl) || port->dp->ln->n_acls)
		lsdp_acl_rebuild(port->dp);
}

/*
 * Called with ln->lock held, when @port was unpublished: it leaves its
 * port groups, and ACLs naming it no longer match its key.
 */
void lsdp_acl_port_removed(struct lsdp_port *port)
{
	struct lsdp_net *ln = port->dp->ln;
	struct lsdp_pg_dps *dps;
	struct lsdp_pg *pg;
	unsigned int i;

	lockdep_assert_held(&ln->lock);
	list_for_each_entry(pg, &ln->acl_pgs, list) {
		dps = lsdp_pg_dps(ln, pg);
		for (i = 0; dps && i < dps->n; i++)
			if (dps->e[i].dp == port->dp &&
			    test_and_clear_bit(port->key, dps->e[i].bits))
				dps->e[i].n--;
	}
	lsdp_ct_port_release(port);
	if (rcu_access_pointer(port->dp->acl))
		lsdp_acl_rebuild(port->dp);
}

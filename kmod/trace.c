// SPDX-License-Identifier: GPL-2.0
/*
 * Seeing what the datapath does: the lsdp:drop tracepoint and drop events
 * (from the one place every drop goes through), and LSDP_CMD_TRACE, which
 * runs a frame through the real packet path with every side effect
 * replaced by a recorded step (see DOC: Tracing in lsdp.h).
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "lsdp.h"

#define CREATE_TRACE_POINTS
#include "lsdp_trace.h"

DEFINE_STATIC_KEY_FALSE(lsdp_trace_key);
DEFINE_STATIC_KEY_FALSE(lsdp_live_key);
DEFINE_PER_CPU(struct lsdp_trace *, lsdp_trace_cur);

#define LSDP_TRACE_DETAIL	128

struct lsdp_trace_step {
	u8 kind;
	u32 reason;
	u32 dp_key;
	u32 port_key;
	char dp[LSDP_NAME_SIZE];
	char port[LSDP_NAME_SIZE];
	char detail[LSDP_TRACE_DETAIL];
};

/* One trace request's record; only its own CPU writes it, BHs off. */
struct lsdp_trace {
	unsigned int n;
	bool truncated;
	struct lsdp_live *live;		/* NULL: simulated */
	struct lsdp_trace_step step[LSDP_TRACE_MAX_STEPS];
};

/*
 * A live trace (DOC: Live tracing).  In ln->live under ln->lock, read
 * under RCU by the packet path; freed after a grace period.
 */
struct lsdp_live {
	struct list_head list;		/* in ln->live */
	struct list_head dead;		/* unlinked, waiting for readers */
	struct net *net;		/* goes after its live traces */
	u32 id;
	u32 portid;			/* the owner's netlink socket */
	u32 nl_seq;			/* ...and its request's sequence */
	u32 dp_key;			/* the logical inport */
	u16 port_key;
	u16 len;			/* bytes of @frame and @mask */
	atomic_t left;			/* packets still to follow */
	atomic_t seq;			/* packets followed */
	u8 frame[LSDP_TRACE_MATCH_MAX];	/* already masked */
	u8 mask[LSDP_TRACE_MATCH_MAX];
	/* A record per possible CPU: a CPU walks one packet at a time. */
	struct lsdp_trace **rec;
};

bool lsdp_trace_is_live(const struct lsdp_trace *t)
{
	return t->live;
}

/*
 * Any context.  The headers of @skb (NULL: none), data at L3 with the MAC
 * header before it when set; what is not there stays zero.
 */
void lsdp_pkt_summary(const struct sk_buff *skb, struct lsdp_pkt_summary *s)
{
	const struct ethhdr *eth;
	int off;

	memset(s, 0, sizeof(*s));
	if (!skb)
		return;
	if (skb_mac_header_was_set(skb) &&
	    skb_mac_header(skb) >= skb->head &&
	    skb_mac_header(skb) + ETH_HLEN <= skb_tail_pointer(skb)) {
		eth = (const struct ethhdr *)skb_mac_header(skb);
		ether_addr_copy(s->src, eth->h_source);
		ether_addr_copy(s->dst, eth->h_dest);
	}
	s->type = ntohs(skb->protocol);
	off = skb_network_offset(skb);
	if (skb->protocol == htons(ETH_P_IP)) {
		struct iphdr _iph;
		const struct iphdr *iph;

		iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
		if (!iph || iph->version != 4)
			return;
		s->ipver = 4;
		s->proto = iph->protocol;
		ipv6_addr_set_v4mapped(iph->saddr, &s->saddr);
		ipv6_addr_set_v4mapped(iph->daddr, &s->daddr);
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		struct ipv6hdr _ip6h;
		const struct ipv6hdr *ip6h;

		ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
		if (!ip6h || ip6h->version != 6)
			return;
		s->ipver = 6;
		s->proto = ip6h->nexthdr;
		s->saddr = ip6h->saddr;
		s->daddr = ip6h->daddr;
	}
}

static int lsdp_put_summary(struct sk_buff *msg,
			    const struct lsdp_pkt_summary *s)
{
	if (nla_put(msg, LSDP_A_PKT_ETH_SRC, ETH_ALEN, s->src) ||
	    nla_put(msg, LSDP_A_PKT_ETH_DST, ETH_ALEN, s->dst) ||
	    nla_put_u16(msg, LSDP_A_PKT_ETH_TYPE, s->type))
		return -EMSGSIZE;
	if (!s->ipver)
		return 0;
	if (s->ipver == 4 ?
	    nla_put_in_addr(msg, LSDP_A_PKT_IP_SRC, s->saddr.s6_addr32[3]) ||
	    nla_put_in_addr(msg, LSDP_A_PKT_IP_DST, s->daddr.s6_addr32[3]) :
	    nla_put_in6_addr(msg, LSDP_A_PKT_IP_SRC, &s->saddr) ||
	    nla_put_in6_addr(msg, LSDP_A_PKT_IP_DST, &s->daddr))
		return -EMSGSIZE;
	return nla_put_u8(msg, LSDP_A_PKT_IP_PROTO, s->proto);
}

/*
 * Called with BHs off (softirq or timer).  Tells "drops" listeners about a
 * drop, at most LSDP_DROP_EVENT_RATE a second per netns.  Best effort:
 * atomic allocation, lost under memory pressure.
 */
static void lsdp_drop_notify(struct lsdp_net *ln, const struct lsdp_port *port,
			     enum lsdp_drop_reason reason,
			     const struct lsdp_pkt_summary *s)
{
	struct sk_buff *msg;
	void *hdr;

	lockdep_assert_in_softirq();
	if (!__ratelimit(&ln->drop_rs))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = lsdp_msg_put(msg, 0, 0, 0, LSDP_CMD_DROP_EVENT);
	if (!hdr)
		goto err_free;
	if (nla_put_u32(msg, LSDP_A_DROP_REASON, reason))
		goto err_free;
	if (port &&
	    (nla_put_string(msg, LSDP_A_DP_NAME, port->dp->name) ||
	     nla_put_u32(msg, LSDP_A_DP_KEY, port->dp->key) ||
	     nla_put_string(msg, LSDP_A_PORT_NAME, port->name) ||
	     nla_put_u32(msg, LSDP_A_PORT_KEY, port->key)))
		goto err_free;
	if (lsdp_put_summary(msg, s))
		goto err_free;
	genlmsg_end(msg, hdr);
	lsdp_multicast_drop(ln, msg);
	return;

err_free:
	nlmsg_free(msg);
}

/*
 * Called with BHs off, @port (NULL: charged to the netns) and @skb (NULL:
 * already gone) alive.  Every drop passes here before it is counted.  In a
 * trace the drop is a step and nothing is counted: returns false.  Else
 * the lsdp:drop tracepoint fires, "drops" listeners hear of it, and the
 * caller counts it: returns true.
 */
bool lsdp_drop_seen(struct lsdp_net *ln, const struct lsdp_port *port,
		    const struct sk_buff *skb, enum lsdp_drop_reason reason)
{
	struct lsdp_trace *t = lsdp_tracing();
	struct lsdp_pkt_summary s;
	bool tp = trace_drop_enabled();
	bool listen;

	lockdep_assert_in_softirq();
	if (unlikely(t) &&
	    lsdp_trace_add(t, LSDP_TRACE_DROP, port, reason, "dropped"))
		return false;
	listen = lsdp_has_drop_listeners(ln);
	if (likely(!tp && !listen))
		return true;
	lsdp_pkt_summary(skb, &s);
	if (tp)
		trace_drop(skb, port, reason, &s);
	if (listen)
		lsdp_drop_notify(ln, port, reason, &s);
	return true;
}

/*
 * Called with BHs off, by the CPU that owns @t (see DOC: Tracing).  Adds
 * a step; past LSDP_TRACE_MAX_STEPS the trace is only marked truncated.
 * True when @t is simulated (the caller skips its side effect).
 */
bool lsdp_trace_add(struct lsdp_trace *t, u8 kind, const struct lsdp_port *port,
		    u32 reason, const char *fmt, ...)
{
	struct lsdp_trace_step *st;
	va_list ap;

	lockdep_assert_in_softirq();
	if (t->n >= LSDP_TRACE_MAX_STEPS) {
		t->truncated = true;
		return !t->live;
	}
	st = &t->step[t->n++];
	st->kind = kind;
	st->reason = reason;
	if (port) {
		st->dp_key = port->dp->key;
		st->port_key = port->key;
		strscpy(st->dp, port->dp->name, sizeof(st->dp));
		strscpy(st->port, port->name, sizeof(st->port));
	}
	va_start(ap, fmt);
	vsnprintf(st->detail, sizeof(st->detail), fmt, ap);
	va_end(ap);
	if (!t->live)
		return true;
	/* A live step happened: "would send X" reads "send X". */
	if (!strncmp(st->detail, "would ", 6))
		memmove(st->detail, st->detail + 6, strlen(st->detail + 6) + 1);
	return false;
}

/* lsdp_trace_deliver() when the CPU runs trace @t. */
bool __lsdp_trace_deliver(struct lsdp_trace *t, struct lsdp_port *out,
			  struct net_device *dev, struct sk_buff *skb)
{
	u16 tag;

	lsdp_assert_packet_path();
	tag = skb_vlan_tag_present(skb) ? skb_vlan_tag_get_id(skb) : 0;
	if (!(tag ? lsdp_trace_add(t, LSDP_TRACE_DELIVER, out, 0,
				   "delivered on %s, VLAN tag %u pushed",
				   dev->name, tag) :
		    lsdp_trace_add(t, LSDP_TRACE_DELIVER, out, 0,
				   "delivered on %s", dev->name)))
		return false;	/* live: sent for real */
	consume_skb(skb);
	return true;
}

/* lsdp_trace_tunnel() when the CPU runs trace @t. */
bool __lsdp_trace_tunnel(struct lsdp_trace *t, struct lsdp_chassis *ch,
			 struct lsdp_port *in, struct lsdp_port *out,
			 u16 out_key, struct sk_buff *skb)
{
	u32 keys = (u32)in->key << 16 | out_key;

	lsdp_assert_packet_path();
	if (!(ch->ipv6 ?
	      lsdp_trace_add(t, LSDP_TRACE_TUNNEL, out ? out : in, 0,
			     "tunnelled to %s (%pI6c) vni %u option class 0x0102 type 0x80 len 4 data %08x",
			     ch->name, &ch->ip6, in->dp->key, keys) :
	      lsdp_trace_add(t, LSDP_TRACE_TUNNEL, out ? out : in, 0,
			     "tunnelled to %s (%pI4) vni %u option class 0x0102 type 0x80 len 4 data %08x",
			     ch->name, &ch->ip4, in->dp->key, keys)))
		return false;	/* live: sent for real */
	consume_skb(skb);
	return true;
}

/*
 * lsdp_trace_port_hold() when the CPU runs trace @t.  The checks are
 * lsdp_port_hold_skb()'s, without its lock: a trace reads, it does not
 * race to hold.
 */
bool __lsdp_trace_port_hold(struct lsdp_trace *t, struct lsdp_port *port,
			    struct sk_buff *skb)
{
	struct lsdp_net *ln = port->dp->ln;

	lsdp_assert_packet_path();
	if (t->live) {
		/* Held for real; a hold drop records its own step. */
		lsdp_trace_add(t, LSDP_TRACE_HOLD, port, 0,
			       "held until the port is bound (at most %u ms)",
			       READ_ONCE(ln->hold_cfg.unbound_ms));
		return false;
	}
	if (!READ_ONCE(ln->hold_cfg.dest_bytes)) {
		lsdp_hold_count(ln, port, skb, LSDP_DROP_HOLD_OFF);
	} else {
		lsdp_trace_add(t, LSDP_TRACE_HOLD, port, 0,
			       "held until the port is bound (at most %u ms)",
			       READ_ONCE(ln->hold_cfg.unbound_ms));
	}
	consume_skb(skb);
	return true;
}

/* lsdp_trace_route() when the CPU runs trace @t. */
void __lsdp_trace_route(struct lsdp_trace *t, struct lsdp_port *rp,
			const struct lsdp_route *rt, const struct in6_addr *nh,
			const struct sk_buff *skb)
{
	const char *how = rt->connected ? "connected" : "static";

	lsdp_assert_packet_path();
	if (rt->ipv6)
		lsdp_trace_add(t, LSDP_TRACE_ROUTE, rt->port, 0,
			       "ip6.dst %pI6c: route %pI6c/%u (%s) next hop %pI6c; hop limit %u -> %u",
			       &ipv6_hdr(skb)->daddr, &rt->prefix.ip6,
			       rt->plen, how, nh, ipv6_hdr(skb)->hop_limit,
			       ipv6_hdr(skb)->hop_limit - 1);
	else
		lsdp_trace_add(t, LSDP_TRACE_ROUTE, rt->port, 0,
			       "ip4.dst %pI4: route %pI4/%u (%s) next hop %pI4; ttl %u -> %u",
			       &ip_hdr(skb)->daddr, &rt->prefix.ip4, rt->plen,
			       how, &nh->s6_addr32[3], ip_hdr(skb)->ttl,
			       ip_hdr(skb)->ttl - 1);
}

/* --- LSDP_CMD_TRACE ------------------------------------------------------ */

static int lsdp_trace_put(struct sk_buff *msg, const struct lsdp_trace *t)
{
	struct nlattr *steps, *nest;
	unsigned int i;

	steps = nla_nest_start(msg, LSDP_A_TRACE_STEPS);
	if (!steps)
		return -EMSGSIZE;
	for (i = 0; i < t->n; i++) {
		const struct lsdp_trace_step *st = &t->step[i];

		nest = nla_nest_start(msg, LSDP_A_TRACE_STEP);
		if (!nest ||
		    nla_put_u8(msg, LSDP_TRACE_A_KIND, st->kind) ||
		    nla_put_string(msg, LSDP_TRACE_A_DETAIL, st->detail))
			return -EMSGSIZE;
		if (st->port[0] &&
		    (nla_put_string(msg, LSDP_TRACE_A_DP_NAME, st->dp) ||
		     nla_put_u32(msg, LSDP_TRACE_A_DP_KEY, st->dp_key) ||
		     nla_put_string(msg, LSDP_TRACE_A_PORT_NAME, st->port) ||
		     nla_put_u32(msg, LSDP_TRACE_A_PORT_KEY, st->port_key)))
			return -EMSGSIZE;
		if (st->reason &&
		    nla_put_u32(msg, LSDP_TRACE_A_REASON, st->reason))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	nla_nest_end(msg, steps);
	if (t->truncated && nla_put_u8(msg, LSDP_A_TRACE_TRUNCATED, 1))
		return -EMSGSIZE;
	return 0;
}

/*
 * An skb of @frame as a netdev's receive path hands it to rx_handler:
 * data after the Ethernet header, MAC header set before it.  From a
 * tunnel (@tun), as our UDP socket hands it over: data at the Geneve
 * header, after the outer headers' room.
 */
static struct sk_buff *lsdp_trace_skb(const struct nlattr *frame, bool tun)
{
	unsigned int len = nla_len(frame);
	struct sk_buff *skb;
	struct ethhdr *eth;

	skb = alloc_skb(LL_MAX_HEADER + len, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_put_data(skb, nla_data(frame), len);
	if (tun) {
		skb->pkt_type = PACKET_HOST;
		return skb;
	}
	skb_reset_mac_header(skb);
	eth = eth_hdr(skb);
	/* 802.3 length fields are not traced: lsdp forwards Ethernet II. */
	skb->protocol = eth->h_proto;
	skb_pull(skb, ETH_HLEN);
	skb_reset_network_header(skb);
	skb->mac_len = ETH_HLEN;
	skb->pkt_type = is_multicast_ether_addr(eth->h_dest) ?
			PACKET_MULTICAST : PACKET_HOST;
	return skb;
}

/*
 * Called with RCU read lock, BHs off, @t this CPU's trace.  @skb enters
 * on @port as if its netdev received it; a trunk child's frame as if it
 * came tagged on its parent's.  Consumes @skb.
 */
static void lsdp_trace_input(struct lsdp_trace *t, struct lsdp_port *port,
			     struct sk_buff *skb)
{
	lsdp_assert_packet_path();
	if (lsdp_port_parent(port)) {
		lsdp_trace_add(t, LSDP_TRACE_TAG, port, 0,
			       "received on %s with VLAN tag %u, tag popped",
			       lsdp_port_parent(port)->name,
			       rcu_dereference(port->cfg)->tag);
		lsdp_switch_input(port, skb);
		return;
	}
	if (lsdp_port_input(port, &skb) == RX_HANDLER_PASS) {
		lsdp_trace_add(t, LSDP_TRACE_CONSUMED, port, 0,
			       "not for lsdp: passed to the host's stack");
		kfree_skb(skb);
	}
}

/*
 * LSDP_CMD_TRACE: PORT_NAME (a switch port) and TRACE_FRAME, or
 * TRACE_TUNNEL and TRACE_FRAME (a Geneve payload).  The walk runs under
 * ln->lock, so that the configuration it reads cannot change under it and
 * the port stays, then RCU and BHs off as on the packet path.
 */
int lsdp_cmd_trace(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	bool tun = info->attrs[LSDP_A_TRACE_TUNNEL];
	const struct nlattr *frame;
	struct lsdp_port *port = NULL;
	struct lsdp_trace *t;
	struct sk_buff *pkt, *msg;
	void *hdr;
	int err;

	if ((!tun && !LSDP_REQUIRE(info, LSDP_A_PORT_NAME, "missing port name")) ||
	    !LSDP_REQUIRE(info, LSDP_A_TRACE_FRAME, "missing frame to trace"))
		return -EINVAL;
	if (tun && info->attrs[LSDP_A_PORT_NAME]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LSDP_A_PORT_NAME],
				    "a trace from a tunnel starts at no port");
		return -EINVAL;
	}
	frame = info->attrs[LSDP_A_TRACE_FRAME];
	if (nla_len(frame) < ETH_HLEN || nla_len(frame) > LSDP_TRACE_FRAME_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, frame,
				    "frame must be 14 to 9216 bytes");
		return -EINVAL;
	}
	t = kvzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	pkt = lsdp_trace_skb(frame, tun);
	if (!pkt) {
		err = -ENOMEM;
		goto err_free_trace;
	}

	static_branch_inc(&lsdp_trace_key);
	mutex_lock(&ln->lock);
	if (!tun)
		port = lsdp_port_find_name(ln,
					   nla_data(info->attrs[LSDP_A_PORT_NAME]));
	if (!tun && (!port || port->dp->kind != LSDP_DP_KIND_SWITCH)) {
		mutex_unlock(&ln->lock);
		static_branch_dec(&lsdp_trace_key);
		kfree_skb(pkt);
		if (port)
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[LSDP_A_PORT_NAME],
					    "a trace starts on a switch port");
		else
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[LSDP_A_PORT_NAME],
					    "port not found");
		err = port ? -EINVAL : -ENOENT;
		goto err_free_trace;
	}
	local_bh_disable();
	rcu_read_lock();
	this_cpu_write(lsdp_trace_cur, t);
	if (tun)
		lsdp_tunnel_trace_rcv(ln, pkt);
	else
		lsdp_trace_input(t, port, pkt);
	this_cpu_write(lsdp_trace_cur, NULL);
	rcu_read_unlock();
	local_bh_enable();
	mutex_unlock(&ln->lock);
	static_branch_dec(&lsdp_trace_key);

	msg = genlmsg_new(NLMSG_HDRLEN + GENL_HDRLEN + 64 + t->n *
			  (sizeof(struct lsdp_trace_step) + 64), GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto err_free_trace;
	}
	hdr = lsdp_msg_put(msg, info->snd_portid, info->snd_seq, 0,
			   LSDP_CMD_TRACE);
	if (!hdr || lsdp_trace_put(msg, t)) {
		nlmsg_free(msg);
		err = -EMSGSIZE;
		goto err_free_trace;
	}
	genlmsg_end(msg, hdr);
	kvfree(t);
	return genlmsg_reply(msg, info);

err_free_trace:
	kvfree(t);
	return err;
}

/* --- Live traces (DOC: Live tracing) ----------------------------------- */

/*
 * Called with RCU read lock, BHs off.  Whether @skb (data at L3, its
 * Ethernet header just before) matches @l's masked bytes.  Bytes the
 * frame does not have never match.
 */
static bool lsdp_live_match(const struct lsdp_live *l,
			    const struct sk_buff *skb)
{
	u8 buf[LSDP_TRACE_MATCH_MAX - ETH_HLEN];
	const u8 *eth = skb_mac_header(skb);
	const u8 *p;
	unsigned int i;

	lsdp_assert_packet_path();
	if (skb->data - eth != ETH_HLEN)
		return false;
	for (i = 0; i < ETH_HLEN && i < l->len; i++)
		if ((eth[i] & l->mask[i]) != l->frame[i])
			return false;
	if (l->len <= ETH_HLEN)
		return true;
	p = skb_header_pointer(skb, 0, l->len - ETH_HLEN, buf);
	if (!p)
		return false;
	for (i = ETH_HLEN; i < l->len; i++)
		if ((p[i - ETH_HLEN] & l->mask[i]) != l->frame[i])
			return false;
	return true;
}

/*
 * Called with RCU read lock, BHs off, through lsdp_live_check() where a
 * real packet starts its logical walk on @in.  Not when a walk already
 * runs on this CPU: a packet the walk makes (a flood copy, a probe, an
 * answer) is part of it.  When a live trace of @in's netns matches and
 * still wants packets, this CPU's context points at that trace's record
 * for this CPU, and true.
 */
bool lsdp_live_begin(struct lsdp_port *in, const struct sk_buff *skb)
{
	struct lsdp_net *ln = in->dp->ln;
	struct lsdp_trace *t;
	struct lsdp_live *l;

	lsdp_assert_packet_path();
	if (this_cpu_read(lsdp_trace_cur))
		return false;
	list_for_each_entry_rcu(l, &ln->live, list) {
		if (l->port_key != in->key || l->dp_key != in->dp->key ||
		    !lsdp_live_match(l, skb) ||
		    atomic_dec_if_positive(&l->left) < 0)
			continue;
		t = l->rec[smp_processor_id()];
		t->n = 0;
		t->truncated = false;
		t->live = l;
		this_cpu_write(lsdp_trace_cur, t);
		return true;
	}
	return false;
}

/*
 * Called with RCU read lock (which keeps the live trace), BHs off, when
 * the walk lsdp_live_begin() started returns.  Sends its steps to the
 * owner's socket.  Best effort, as drop events: a walk the socket has no
 * room for is lost, and the next one says how many were (TRACE_COUNT is
 * the packet's number).
 */
void lsdp_live_end(void)
{
	struct lsdp_trace *t = this_cpu_read(lsdp_trace_cur);
	struct lsdp_live *l = t->live;
	struct sk_buff *msg;
	void *hdr;

	lsdp_assert_packet_path();
	this_cpu_write(lsdp_trace_cur, NULL);
	msg = genlmsg_new(NLMSG_HDRLEN + GENL_HDRLEN + 64 + t->n *
			  (sizeof(struct lsdp_trace_step) + 64), GFP_ATOMIC);
	if (!msg)
		return;
	/*
	 * As more answers to the request: a walk that overtakes the reply
	 * still passes the requester's sequence check.
	 */
	hdr = lsdp_msg_put(msg, l->portid, l->nl_seq, 0, LSDP_CMD_TRACE_LIVE);
	if (!hdr || nla_put_u32(msg, LSDP_A_TRACE_LIVE_ID, l->id) ||
	    nla_put_u32(msg, LSDP_A_TRACE_COUNT,
			atomic_inc_return(&l->seq)) ||
	    lsdp_trace_put(msg, t)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_unicast(l->net, msg, l->portid);
}

static void lsdp_live_free(struct lsdp_live *l)
{
	unsigned int cpu;

	if (l->rec)
		for_each_possible_cpu(cpu)
			kvfree(l->rec[cpu]);
	kfree(l->rec);
	kfree(l);
}

/*
 * Called with no lock.  Frees the live traces on @dead (unlinked from
 * their netns under its lock) once no packet can be walking them.
 */
static void lsdp_live_free_list(struct list_head *dead)
{
	struct lsdp_live *l, *tmp;

	might_sleep();
	if (list_empty(dead))
		return;
	synchronize_rcu();
	list_for_each_entry_safe(l, tmp, dead, dead) {
		lsdp_live_free(l);
		static_branch_dec(&lsdp_live_key);
		static_branch_dec(&lsdp_trace_key);
	}
}

/* Called with ln->lock.  Moves @ln's live traces of @portid (0: all). */
static void lsdp_live_unlink(struct lsdp_net *ln, u32 portid,
			     struct list_head *dead)
{
	struct lsdp_live *l, *tmp;

	lockdep_assert_held(&ln->lock);
	list_for_each_entry_safe(l, tmp, &ln->live, list) {
		if (portid && l->portid != portid)
			continue;
		/* ->list stays as readers may still follow it. */
		list_del_rcu(&l->list);
		WRITE_ONCE(ln->n_live, ln->n_live - 1);
		list_add(&l->dead, dead);
	}
}

/*
 * Called with no lock, when @ln goes: its live traces go with it.
 */
void lsdp_live_net_exit(struct lsdp_net *ln)
{
	LIST_HEAD(dead);

	mutex_lock(&ln->lock);
	lsdp_live_unlink(ln, 0, &dead);
	mutex_unlock(&ln->lock);
	lsdp_live_free_list(&dead);
}

/*
 * The netlink release notifier, in process context (blocking chain): a
 * generic netlink socket closed, by exit, kill or close().  The live
 * traces it owned end with it, so a killed CLI leaves nothing behind.
 */
static int lsdp_live_release(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct netlink_notify *n = ptr;
	struct lsdp_net *ln;
	LIST_HEAD(dead);

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	ln = lsdp_net(n->net);
	/* Most sockets never asked for one: no lock for them. */
	if (!READ_ONCE(ln->n_live))
		return NOTIFY_DONE;
	mutex_lock(&ln->lock);
	lsdp_live_unlink(ln, n->portid, &dead);
	mutex_unlock(&ln->lock);
	lsdp_live_free_list(&dead);
	return NOTIFY_OK;
}

static struct notifier_block lsdp_live_nb = {
	.notifier_call = lsdp_live_release,
};

int lsdp_live_init(void)
{
	return netlink_register_notifier(&lsdp_live_nb);
}

void lsdp_live_exit(void)
{
	netlink_unregister_notifier(&lsdp_live_nb);
}

/*
 * LSDP_CMD_TRACE_LIVE: PORT_NAME (a port of a switch), TRACE_FRAME and
 * TRACE_MASK of the same length, TRACE_COUNT (optional, >= 1).  Takes
 * ln->lock to find the port and add the trace.
 */
int lsdp_cmd_trace_live(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	const struct nlattr *frame, *mask, *name;
	struct lsdp_port *port;
	struct lsdp_live *l;
	struct sk_buff *msg;
	unsigned int cpu, i;
	u32 count = INT_MAX;
	void *hdr;
	int err;

	if (!LSDP_REQUIRE(info, LSDP_A_PORT_NAME, "missing port name") ||
	    !LSDP_REQUIRE(info, LSDP_A_TRACE_FRAME, "missing frame to match") ||
	    !LSDP_REQUIRE(info, LSDP_A_TRACE_MASK, "missing mask to match"))
		return -EINVAL;
	name = info->attrs[LSDP_A_PORT_NAME];
	frame = info->attrs[LSDP_A_TRACE_FRAME];
	mask = info->attrs[LSDP_A_TRACE_MASK];
	if (!lsdp_name_valid(name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, name, "invalid port name");
		return -EINVAL;
	}
	if (nla_len(frame) != nla_len(mask) ||
	    nla_len(frame) > LSDP_TRACE_MATCH_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, mask,
				    "frame and mask must have the same length, at most 128 bytes");
		return -EINVAL;
	}
	if (info->attrs[LSDP_A_TRACE_COUNT]) {
		count = nla_get_u32(info->attrs[LSDP_A_TRACE_COUNT]);
		if (!count || count > INT_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[LSDP_A_TRACE_COUNT],
					    "count must be 1 or more");
			return -EINVAL;
		}
	}

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	l->rec = kcalloc(nr_cpu_ids, sizeof(*l->rec), GFP_KERNEL);
	if (!l->rec)
		goto err_nomem;
	for_each_possible_cpu(cpu) {
		l->rec[cpu] = kvzalloc(sizeof(*l->rec[cpu]), GFP_KERNEL);
		if (!l->rec[cpu])
			goto err_nomem;
	}
	l->net = ln->net;
	l->portid = info->snd_portid;
	l->nl_seq = info->snd_seq;
	l->len = nla_len(frame);
	memcpy(l->mask, nla_data(mask), l->len);
	for (i = 0; i < l->len; i++)
		l->frame[i] = ((const u8 *)nla_data(frame))[i] & l->mask[i];
	atomic_set(&l->left, count);

	mutex_lock(&ln->lock);
	port = lsdp_port_find_name(ln, nla_data(name));
	if (!port || port->dp->kind != LSDP_DP_KIND_SWITCH) {
		if (port)
			NL_SET_ERR_MSG_ATTR(info->extack, name,
					    "a live trace starts on a switch port");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, name,
					    "port not found");
		err = port ? -EINVAL : -ENOENT;
		goto err_unlock;
	}
	if (ln->n_live >= LSDP_TRACE_LIVE_MAX) {
		NL_SET_ERR_MSG(info->extack,
			       "at most 4 live traces per network namespace");
		err = -EBUSY;
		goto err_unlock;
	}
	l->id = ++ln->live_next_id;
	l->dp_key = port->dp->key;
	l->port_key = port->key;
	/* Records need lsdp_tracing(); the packet path checks live traces. */
	static_branch_inc(&lsdp_trace_key);
	static_branch_inc(&lsdp_live_key);
	list_add_tail_rcu(&l->list, &ln->live);
	WRITE_ONCE(ln->n_live, ln->n_live + 1);
	mutex_unlock(&ln->lock);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;	/* the trace stays until the socket closes */
	hdr = lsdp_msg_put(msg, info->snd_portid, info->snd_seq, 0,
			   LSDP_CMD_TRACE_LIVE);
	if (!hdr || nla_put_u32(msg, LSDP_A_TRACE_LIVE_ID, l->id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&ln->lock);
	lsdp_live_free(l);
	return err;
err_nomem:
	lsdp_live_free(l);
	return -ENOMEM;
}

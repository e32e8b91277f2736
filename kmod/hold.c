// SPDX-License-Identifier: GPL-2.0
/*
 * The hold queue: packets kept instead of dropped while what they need is
 * missing - the next hop's MAC (neigh.c) or the output port's binding (a
 * port defined before its VIF appears).  See DOC: Neighbours and holding
 * in neigh.c for the locking.
 *
 * Bounds, all settable: bytes per destination (the oldest packet makes
 * room), bytes per netns (beyond it nothing new is held), and for unbound
 * ports a time after which their packets are freed.  Every packet that is
 * not delivered is counted by reason, on the port it was for and in the
 * netns totals that `lsdp hold show` prints.  Bytes are frame bytes, the
 * Ethernet header included, so that limits are predictable from packet
 * sizes.
 */
#include <linux/etherdevice.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "lsdp.h"
#include "compat.h"

/*
 * Defaults: Linux's neighbour code holds 212992 bytes per destination
 * and probes 3 times 1 s apart; ovn-controller held 4 packets and 1000
 * destinations.  The per-netns cap is a few dozen destinations' worth.
 */
void lsdp_hold_cfg_init(struct lsdp_hold_cfg *cfg)
{
	cfg->dest_bytes = 212992;
	cfg->total_bytes = 8 << 20;
	cfg->retries = 3;
	cfg->interval_ms = 1000;
	cfg->unbound_ms = 10000;
	cfg->neigh_max = 16384;
	cfg->reachable_ms = 30000;
	cfg->stale_ms = 60000;
}

void lsdp_hold_init(struct lsdp_hold *h)
{
	__skb_queue_head_init(&h->q);
	h->bytes = 0;
	h->overflowed = false;
}

/*
 * Any context.  What @skb (data at L3) counts for in the limits and in the
 * held/released byte counters: the same on the way in and on the way out,
 * so that what is held and what left add up.
 */
unsigned int lsdp_hold_len(const struct sk_buff *skb)
{
	return skb->len + ETH_HLEN;
}

/*
 * Called with BHs off (the counters are per CPU).  Counts a hold or
 * neighbour drop on @port (if any) and in the netns totals.
 */
void lsdp_hold_count(struct lsdp_net *ln, struct lsdp_port *port,
		     const struct sk_buff *skb, enum lsdp_drop_reason reason)
{
	lockdep_assert_in_softirq();
	if (!lsdp_drop_seen(ln, port, skb, reason))
		return;
	if (port)
		lsdp_counters_drop(&port->stats, reason);
	lsdp_counters_drop(&ln->hold_stats, reason);
}

/*
 * Called with hold_lock held, BHs off.  Queues @skb (data at L3) on @h for @port,
 * dropping the oldest packets to stay under the per-destination cap.
 * Returns false when something was dropped for the first time in this
 * round (the caller sends an overflow event).  Consumes @skb.
 */
bool lsdp_hold_add(struct lsdp_net *ln, struct lsdp_hold *h,
		   struct lsdp_port *port, struct sk_buff *skb)
{
	const struct lsdp_hold_cfg *cfg = &ln->hold_cfg;
	u32 dest = READ_ONCE(cfg->dest_bytes);
	unsigned int len = lsdp_hold_len(skb);
	unsigned int dropped = 0;
	struct sk_buff *old;
	bool first;

	lockdep_assert_held(&ln->hold_lock);
	if (!dest) {
		lsdp_hold_count(ln, port, skb, LSDP_DROP_HOLD_OFF);
		kfree_skb(skb);
		return true;
	}
	if (len > dest) {
		lsdp_hold_count(ln, port, skb, LSDP_DROP_HOLD_DEST_FULL);
		kfree_skb(skb);
		goto overflow;
	}
	/* Oldest first out: the newest packets are the ones still wanted. */
	while (h->bytes + len > dest) {
		old = __skb_dequeue(&h->q);
		h->bytes -= lsdp_hold_len(old);
		ln->hold_bytes -= lsdp_hold_len(old);
		lsdp_hold_count(ln, port, old, LSDP_DROP_HOLD_DEST_FULL);
		kfree_skb(old);
		dropped++;
	}
	if (ln->hold_bytes + len > READ_ONCE(cfg->total_bytes)) {
		lsdp_hold_count(ln, port, skb, LSDP_DROP_HOLD_TOTAL_FULL);
		kfree_skb(skb);
		goto overflow;
	}
	/*
	 * A held packet may outlive the device it came in on and the socket
	 * that sent it: keep neither.
	 */
	skb_orphan(skb);
	skb_dst_drop(skb);
	skb->dev = NULL;
	if (skb_queue_empty(&h->q))
		h->since = ktime_get();
	__skb_queue_tail(&h->q, skb);
	h->bytes += len;
	ln->hold_bytes += len;
	lsdp_counters_add(&ln->hold_stats, false, len);
	if (!dropped)
		return true;

overflow:
	first = !h->overflowed;
	h->overflowed = true;
	return !first;
}

/* Called with hold_lock held.  Moves everything @h holds to @out. */
void lsdp_hold_take(struct lsdp_net *ln, struct lsdp_hold *h,
		    struct sk_buff_head *out)
{
	lockdep_assert_held(&ln->hold_lock);
	ln->hold_bytes -= h->bytes;
	h->bytes = 0;
	h->overflowed = false;
	skb_queue_splice_tail_init(&h->q, out);
}

/*
 * Process context or BHs off; no lock.  Frees the packets of @q (nobody
 * else's list), counting @reason on @port (if any) and in @ln's totals.
 * BHs are turned off here because the counters are per CPU and the
 * process-context callers (flush, delete, purge) would otherwise write
 * them preemptibly, racing the packet path on the same CPU.
 */
void lsdp_hold_purge(struct lsdp_net *ln, struct lsdp_port *port,
		     struct sk_buff_head *q, enum lsdp_drop_reason reason)
{
	struct sk_buff *skb;

	if (skb_queue_empty(q))
		return;
	local_bh_disable();
	while ((skb = __skb_dequeue(q))) {
		lsdp_hold_count(ln, port, skb, reason);
		kfree_skb(skb);
	}
	local_bh_enable();
}

/*
 * Called with BHs off.  One release latency sample: from @arrival (when
 * the answer reached the module) to now (the packet was just sent).
 */
void lsdp_hold_lat_add(struct lsdp_net *ln, ktime_t arrival)
{
	u64 ns = ktime_to_ns(ktime_sub(ktime_get(), arrival));
	struct lsdp_lat *lat = &ln->lat;

	lockdep_assert_in_softirq();
	spin_lock(&ln->hold_lock);
	lat->ns[lat->next] = min_t(u64, ns, U32_MAX);
	lat->next = (lat->next + 1) % LSDP_LAT_SAMPLES;
	if (lat->count < LSDP_LAT_SAMPLES)
		lat->count++;
	if (ns > lat->max_ns)
		lat->max_ns = ns;
	spin_unlock(&ln->hold_lock);
}

/* What one hold event reports. */
struct lsdp_hold_ev {
	struct lsdp_port *port;
	const struct in6_addr *addr;	/* the next hop; NULL: the port */
	unsigned int packets;
	bool ipv6;
	u8 event;			/* enum lsdp_hold_event */
};

/* Any context.  An lsdp_fill_t of a hold event. */
static int lsdp_fill_hold_event(struct sk_buff *skb, void *obj, u32 portid,
				u32 seq, int flags, u8 cmd)
{
	const struct lsdp_hold_ev *ev = obj;
	void *hdr;

	hdr = lsdp_msg_put(skb, portid, seq, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u8(skb, LSDP_A_HOLD_EVENT, ev->event) ||
	    nla_put_string(skb, LSDP_A_PORT_NAME, ev->port->name) ||
	    nla_put_u32(skb, LSDP_A_HOLD_PACKETS, ev->packets) ||
	    (ev->addr &&
	     (ev->ipv6 ? nla_put_in6_addr(skb, LSDP_A_NEIGH_ADDR, ev->addr) :
	      nla_put_in_addr(skb, LSDP_A_NEIGH_ADDR,
			      ev->addr->s6_addr32[3])))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Any context.  Tells listeners that a queue resolved, failed, overflowed,
 * was released by a binding or timed out.  Best effort: allocation is
 * atomic and events may be lost under memory pressure.
 */
void lsdp_hold_event(struct lsdp_net *ln, u8 event, struct lsdp_port *port,
		     const struct in6_addr *addr, bool ipv6,
		     unsigned int packets)
{
	struct lsdp_hold_ev ev = {
		.port = port, .addr = addr, .packets = packets,
		.ipv6 = ipv6, .event = event,
	};

	lsdp_notify(ln, lsdp_fill_hold_event, &ev, LSDP_CMD_HOLD_EVENT,
		    GFP_ATOMIC);
}

/* --- packets for unbound ports ------------------------------------------- */

/*
 * Called with hold_lock held.  Detaches @ph from its port and the netns
 * list; its packets move to @q.  Returns how many.  The caller frees @ph,
 * after timer_shutdown_sync(): only lsdp_port_hold_release() does this.
 */
static unsigned int lsdp_port_hold_unlink(struct lsdp_net *ln,
					  struct lsdp_port_hold *ph,
					  struct sk_buff_head *q)
{
	unsigned int n = skb_queue_len(&ph->hold.q);

	lockdep_assert_held(&ln->hold_lock);
	ph->dead = true;
	list_del(&ph->list);
	lsdp_gen_bump(ln);
	/* The extension exists: it holds @ph. */
	lsdp_port_ext(ph->port)->phold = NULL;
	lsdp_hold_take(ln, &ph->hold, q);
	return n;
}

/*
 * The unbound port's hold timer (softirq): its packets waited too long.
 * It only empties the queue; @ph stays attached to its port (rearmed by
 * the next packet held) and is unlinked and freed by nobody but
 * lsdp_port_hold_release(), which waits for this callback first.  So the
 * port, the netns and the counters the callback uses after dropping the
 * lock are alive until it returns: the port's and the netns's teardown
 * both go through lsdp_port_hold_release().
 */
static void lsdp_port_hold_timer(struct timer_list *t)
{
	struct lsdp_port_hold *ph = from_timer(ph, t, timer);
	struct lsdp_port *port = ph->port;
	struct lsdp_net *ln = port->dp->ln;
	struct sk_buff_head q;
	unsigned int n;

	__skb_queue_head_init(&q);
	spin_lock(&ln->hold_lock);
	if (ph->dead) {
		spin_unlock(&ln->hold_lock);
		return;
	}
	n = skb_queue_len(&ph->hold.q);
	lsdp_hold_take(ln, &ph->hold, &q);
	spin_unlock(&ln->hold_lock);

	if (!n)
		return;
	lsdp_hold_purge(ln, port, &q, LSDP_DROP_HOLD_TIMEOUT);
	lsdp_hold_event(ln, LSDP_HOLD_EVENT_TIMEOUT, port, NULL, false, n);
}

/*
 * Called with RCU read lock, BHs off.  @port is defined but bound
 * nowhere: keep @skb (data at L3), which came in on port @in_key (of this
 * switch, or of the sending chassis when @from_tunnel), until it binds.
 * Consumes @skb.
 */
void lsdp_port_hold_skb(struct lsdp_port *port, struct sk_buff *skb,
			u16 in_key, bool from_tunnel)
{
	struct lsdp_net *ln = port->dp->ln;
	struct lsdp_port_hold *ph = NULL;
	struct lsdp_port_ext *ext;
	bool overflow;

	lsdp_assert_packet_path();
	if (lsdp_trace_port_hold(port, skb))
		return;
	/* What lsdp_output_held() needs to send it on. */
	LSDP_CB(skb)->in_key = in_key;
	LSDP_CB(skb)->from_tunnel = from_tunnel;

	spin_lock(&ln->hold_lock);
	if (port->dying) {
		spin_unlock(&ln->hold_lock);
		lsdp_hold_count(ln, port, skb, LSDP_DROP_HOLD_FLUSH);
		kfree_skb(skb);
		return;
	}
	ext = lsdp_port_ext(port);
	if (ext)
		ph = ext->phold;
	if (!ph) {
		if (!READ_ONCE(ln->hold_cfg.dest_bytes)) {
			spin_unlock(&ln->hold_lock);
			lsdp_hold_count(ln, port, skb, LSDP_DROP_HOLD_OFF);
			kfree_skb(skb);
			return;
		}
		ext = lsdp_port_ext_get(port, GFP_ATOMIC);
		ph = ext ? kzalloc(sizeof(*ph), GFP_ATOMIC) : NULL;
		if (!ph) {
			spin_unlock(&ln->hold_lock);
			lsdp_hold_count(ln, port, skb, LSDP_DROP_NOMEM);
			kfree_skb(skb);
			return;
		}
		ph->port = port;
		lsdp_hold_init(&ph->hold);
		timer_setup(&ph->timer, lsdp_port_hold_timer, 0);
		ph->serial = ++ln->hold_serial;
		list_add_tail(&ph->list, &ln->port_holds);
		ext->phold = ph;
		lsdp_gen_bump(ln);
	}
	/* The first packet of a round starts its clock (the timer's too). */
	if (skb_queue_empty(&ph->hold.q))
		mod_timer(&ph->timer, jiffies +
			  msecs_to_jiffies(READ_ONCE(ln->hold_cfg.unbound_ms)));
	overflow = !lsdp_hold_add(ln, &ph->hold, port, skb);
	spin_unlock(&ln->hold_lock);
	if (overflow)
		lsdp_hold_event(ln, LSDP_HOLD_EVENT_OVERFLOW, port, NULL, false,
				1);
}

/*
 * Called with ln->lock held (process context).  @port just bound
 * (@deliver: send what it held, in order) or is going away (free it).
 * The one place a port hold is unlinked and freed: after it returns, the
 * hold's timer is not running and never runs again.
 */
void lsdp_port_hold_release(struct lsdp_port *port, bool deliver)
{
	struct lsdp_port_ext *ext = lsdp_port_ext(port);
	struct lsdp_net *ln = port->dp->ln;
	struct lsdp_port_hold *ph;
	struct sk_buff_head q;
	struct sk_buff *skb;
	unsigned int n;

	lockdep_assert_held(&ln->lock);
	__skb_queue_head_init(&q);
	spin_lock_bh(&ln->hold_lock);
	ph = ext ? ext->phold : NULL;
	if (!ph) {
		spin_unlock_bh(&ln->hold_lock);
		return;
	}
	n = lsdp_port_hold_unlink(ln, ph, &q);
	spin_unlock_bh(&ln->hold_lock);
	/* A running callback finishes (and counts what it took) first. */
	timer_shutdown_sync(&ph->timer);

	if (deliver && n) {
		local_bh_disable();
		rcu_read_lock();
		while ((skb = __skb_dequeue(&q))) {
			lsdp_counters_add(&ln->hold_stats, true,
					  lsdp_hold_len(skb));
			lsdp_output_held(port, skb);
		}
		lsdp_hold_event(ln, LSDP_HOLD_EVENT_BOUND, port, NULL, false,
				n);
		rcu_read_unlock();
		local_bh_enable();
	} else {
		lsdp_hold_purge(ln, port, &q, LSDP_DROP_HOLD_FLUSH);
	}
	kfree_rcu(ph, rcu);
}

/* --- requests ------------------------------------------------------------ */

/* Where each limit goes; the policy checked its range (spec: checks). */
struct lsdp_hold_limit {
	int attr;
	size_t off;
};

static const struct lsdp_hold_limit lsdp_hold_limits[] = {
	{ LSDP_A_HOLD_DEST_BYTES, offsetof(struct lsdp_hold_cfg, dest_bytes) },
	{ LSDP_A_HOLD_TOTAL_BYTES, offsetof(struct lsdp_hold_cfg, total_bytes) },
	{ LSDP_A_HOLD_RETRIES, offsetof(struct lsdp_hold_cfg, retries) },
	{ LSDP_A_HOLD_INTERVAL_MS, offsetof(struct lsdp_hold_cfg, interval_ms) },
	{ LSDP_A_HOLD_UNBOUND_MS, offsetof(struct lsdp_hold_cfg, unbound_ms) },
	{ LSDP_A_NEIGH_MAX, offsetof(struct lsdp_hold_cfg, neigh_max) },
	{ LSDP_A_NEIGH_REACHABLE_MS, offsetof(struct lsdp_hold_cfg, reachable_ms) },
	{ LSDP_A_NEIGH_STALE_MS, offsetof(struct lsdp_hold_cfg, stale_ms) },
};

int lsdp_cmd_hold_set(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr *attr;
	bool any = false;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lsdp_hold_limits); i++)
		any |= !!info->attrs[lsdp_hold_limits[i].attr];
	if (!any) {
		NL_SET_ERR_MSG(info->extack, "nothing to set");
		return -EINVAL;
	}
	mutex_lock(&ln->lock);
	for (i = 0; i < ARRAY_SIZE(lsdp_hold_limits); i++) {
		attr = info->attrs[lsdp_hold_limits[i].attr];
		if (attr)
			WRITE_ONCE(*(u32 *)((u8 *)&ln->hold_cfg +
					    lsdp_hold_limits[i].off),
				   nla_get_u32(attr));
	}
	mutex_unlock(&ln->lock);
	return 0;
}

static int lsdp_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* Process context.  Percentiles of the recent release latencies. */
static int lsdp_put_lat(struct sk_buff *msg, struct lsdp_net *ln)
{
	unsigned int n;
	u64 max;
	u32 *buf;
	int err;

	buf = kmalloc_array(LSDP_LAT_SAMPLES, sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	spin_lock_bh(&ln->hold_lock);
	n = ln->lat.count;
	max = ln->lat.max_ns;
	memcpy(buf, ln->lat.ns, n * sizeof(*buf));
	spin_unlock_bh(&ln->hold_lock);
	sort(buf, n, sizeof(*buf), lsdp_cmp_u32, NULL);

	err = nla_put_u32(msg, LSDP_A_HOLD_LAT_SAMPLES, n);
	if (!err && n)
		err = nla_put_u64_64bit(msg, LSDP_A_HOLD_LAT_P50_NS,
					buf[(n - 1) / 2], LSDP_A_PAD) ||
		      nla_put_u64_64bit(msg, LSDP_A_HOLD_LAT_P99_NS,
					buf[(n - 1) * 99 / 100], LSDP_A_PAD) ||
		      nla_put_u64_64bit(msg, LSDP_A_HOLD_LAT_MAX_NS, max,
					LSDP_A_PAD);
	kfree(buf);
	return err ? -EMSGSIZE : 0;
}

int lsdp_cmd_hold_get(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	const struct lsdp_hold_limit *l;
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = lsdp_msg_put(msg, info->snd_portid, info->snd_seq, 0,
			   LSDP_CMD_HOLD_GET);
	if (!hdr)
		goto err_size;
	mutex_lock(&ln->lock);
	for (i = 0; i < ARRAY_SIZE(lsdp_hold_limits); i++) {
		l = &lsdp_hold_limits[i];
		if (nla_put_u32(msg, l->attr,
				*(u32 *)((u8 *)&ln->hold_cfg + l->off)))
			goto err_unlock;
	}
	spin_lock_bh(&ln->hold_lock);
	err = nla_put_u32(msg, LSDP_A_NEIGH_COUNT, ln->n_neighs) ||
	      nla_put_u32(msg, LSDP_A_HOLD_BYTES, ln->hold_bytes);
	spin_unlock_bh(&ln->hold_lock);
	mutex_unlock(&ln->lock);
	if (err || lsdp_put_stats(msg, LSDP_A_HOLD_STATS, &ln->hold_stats))
		goto err_size;
	err = lsdp_put_lat(msg, ln);
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&ln->lock);
err_size:
	err = -EMSGSIZE;
err_free:
	nlmsg_free(msg);
	return err;
}

/* Called with hold_lock held. */
static int lsdp_fill_held(struct sk_buff *skb, struct lsdp_port *port,
			  const struct lsdp_neigh *n,
			  const struct lsdp_hold *h, u32 portid, u32 seq)
{
	u32 age = ktime_ms_delta(ktime_get(), h->since);
	void *hdr;

	lockdep_assert_held(&port->dp->ln->hold_lock);
	hdr = lsdp_msg_put(skb, portid, seq, NLM_F_MULTI, LSDP_CMD_HOLD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, LSDP_A_PORT_NAME, port->name) ||
	    (n && (n->ipv6 ?
		   nla_put_in6_addr(skb, LSDP_A_NEIGH_ADDR, &n->key.addr) :
		   nla_put_in_addr(skb, LSDP_A_NEIGH_ADDR,
				   n->key.addr.s6_addr32[3]))) ||
	    nla_put_u32(skb, LSDP_A_HOLD_PACKETS, skb_queue_len(&h->q)) ||
	    nla_put_u32(skb, LSDP_A_HOLD_BYTES, h->bytes) ||
	    nla_put_u32(skb, LSDP_A_HOLD_AGE_MS, age)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * The destinations holding packets: neighbours first (walked under RCU as
 * the neighbour dump does, hold_lock taken only for the one being sent),
 * then unbound ports (few; under hold_lock, resumed by creation serial).
 * Cursor: struct lsdp_dump_cursor.  Queues fill and drain meanwhile, so
 * this is a snapshot of each queue, not of all at one instant.
 */
int lsdp_cmd_hold_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lsdp_net *ln = lsdp_net(sock_net(skb->sk));
	struct lsdp_dump_cursor *c = lsdp_dump_cursor(cb);
	u32 portid = NETLINK_CB(cb->skb).portid, seq = cb->nlh->nlmsg_seq;
	struct lsdp_port_hold *ph;
	struct lsdp_neigh *n;
	int err = 0, start;

	lsdp_dump_begin(cb, ln);
	if (c->phase == 0) {
		rcu_read_lock();
		n = lsdp_neigh_dump_next(ln, c);
		list_for_each_entry_from_rcu(n, &ln->neigh_list, list) {
			/* A first look without the lock: most hold nothing. */
			if (skb_queue_empty_lockless(&n->hold.q))
				continue;
			start = skb->len;
			spin_lock_bh(&ln->hold_lock);
			if (!n->dead && !skb_queue_empty(&n->hold.q))
				err = lsdp_fill_held(skb, n->key.port, n,
						     &n->hold, portid, seq);
			spin_unlock_bh(&ln->hold_lock);
			if (err)
				break;
			if (skb->len != start)
				lsdp_dump_check(cb, skb, start);
			lsdp_neigh_dump_mark(c, n);
		}
		rcu_read_unlock();
		if (err)
			return skb->len;
		c->phase = 1;
		c->serial = 0;
	}
	spin_lock_bh(&ln->hold_lock);
	list_for_each_entry(ph, &ln->port_holds, list) {
		if (ph->serial <= c->serial || skb_queue_empty(&ph->hold.q))
			continue;
		start = skb->len;
		if (lsdp_fill_held(skb, ph->port, NULL, &ph->hold, portid,
				   seq))
			break;
		lsdp_dump_check(cb, skb, start);
		c->serial = ph->serial;
	}
	spin_unlock_bh(&ln->hold_lock);
	return skb->len;
}

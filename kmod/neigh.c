// SPDX-License-Identifier: GPL-2.0
/*
 * Neighbours of router ports: IP -> MAC bindings, learned from ARP and ND
 * or set by the operator, and the packets waiting for one.
 *
 * DOC: Neighbours and holding
 *
 * One table per netns, bounded (neigh_max), keyed by router port and
 * address.  The packet path looks a binding up under RCU and reads its
 * state and MAC with READ_ONCE (the MAC is a u64 so that it is read in one
 * go).  Everything else - creating, learning, state changes, the queues of
 * held packets, the timers - happens under ln->hold_lock, a spinlock taken
 * with BHs off, because the packet path creates bindings and learns too.
 * The instance mutex is taken before hold_lock when both are needed.
 * Dumps walk ln->neigh_list under RCU alone (it is an RCU list, and a
 * binding is freed after a grace period), reading fields as the packet
 * path does, so that showing a large table never holds the packet path
 * off hold_lock.
 *
 * No packet is built or sent with hold_lock held: a probe or a released
 * packet re-enters the switch and router pipelines, which may come back
 * here.  Work is decided under the lock and done after it.
 *
 * Each binding has a timer: it sends the probes (retries x interval), fails
 * an unanswered resolution (ICMP unreachable to every held packet), moves
 * a reachable binding to stale, re-probes a stale one that traffic uses,
 * and deletes unused stale and failed ones.  Whoever unlinks a binding
 * under hold_lock frees it: from process context after shutting the timer
 * down (timer_shutdown_sync, outside the lock), from the timer itself with
 * call_rcu.
 */
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "lsdp.h"
#include "compat.h"

static const struct rhashtable_params lsdp_neigh_params = {
	.head_offset = offsetof(struct lsdp_neigh, node),
	.key_offset = offsetof(struct lsdp_neigh, key),
	.key_len = sizeof(struct lsdp_neigh_key),
	.automatic_shrinking = true,
};

/*
 * How the table reaches the router above it (router.c), which calls down
 * into the table and is never called back by name: set once at module
 * init, before any packet or request, as the Linux neighbour code is
 * handed its protocol's struct neigh_ops.
 */
static const struct lsdp_neigh_ops *lsdp_neigh_ops __read_mostly;

void lsdp_neigh_set_ops(const struct lsdp_neigh_ops *ops)
{
	lsdp_neigh_ops = ops;
}

static u64 lsdp_mac_to_u64(const u8 *mac)
{
	u64 v = 0;

	memcpy(&v, mac, ETH_ALEN);
	return v;
}

static void lsdp_u64_to_mac(u64 v, u8 *mac)
{
	memcpy(mac, &v, ETH_ALEN);
}

static bool lsdp_neigh_usable(u8 state)
{
	return state == LSDP_NEIGH_REACHABLE || state == LSDP_NEIGH_STALE ||
	       state == LSDP_NEIGH_STATIC;
}

static void lsdp_neigh_key_init(struct lsdp_neigh_key *key,
				struct lsdp_port *port,
				const struct in6_addr *addr)
{
	memset(key, 0, sizeof(*key));
	key->port = port;
	key->addr = *addr;
}

/* Called with RCU read lock or hold_lock. */
static struct lsdp_neigh *lsdp_neigh_lookup(struct lsdp_net *ln,
					    struct lsdp_port *port,
					    const struct in6_addr *addr)
{
	struct lsdp_neigh_key key;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held() &&
			 !lockdep_is_held(&ln->hold_lock),
			 "lsdp: neighbour lookup without RCU or hold_lock");
	lsdp_neigh_key_init(&key, port, addr);
	return rhashtable_lookup(&ln->neighs, &key, lsdp_neigh_params);
}

/* Called with hold_lock held. */
static void lsdp_neigh_arm(struct lsdp_neigh *n, unsigned long when)
{
	lockdep_assert_held(&n->ln->hold_lock);
	if (!n->dead)
		mod_timer(&n->timer, when);
}

static void lsdp_neigh_timer(struct timer_list *t);

/*
 * Called with hold_lock held.  A new binding for @port/@addr, or
 * ERR_PTR(-ENOSPC) when the table is full, -ENOENT when the port is going
 * away, -ENOMEM.
 */
static struct lsdp_neigh *lsdp_neigh_create(struct lsdp_net *ln,
					    struct lsdp_port *port,
					    const struct in6_addr *addr,
					    bool ipv6, gfp_t gfp)
{
	struct lsdp_neigh *n;

	lockdep_assert_held(&ln->hold_lock);
	if (port->dying)
		return ERR_PTR(-ENOENT);
	if (ln->n_neighs >= READ_ONCE(ln->hold_cfg.neigh_max))
		return ERR_PTR(-ENOSPC);
	n = kzalloc(sizeof(*n), gfp);
	if (!n)
		return ERR_PTR(-ENOMEM);
	lsdp_neigh_key_init(&n->key, port, addr);
	n->ipv6 = ipv6;
	n->ln = ln;
	/* Not published yet: plain stores are fine until the insert. */
	n->state = LSDP_NEIGH_INCOMPLETE;
	n->confirmed = jiffies;
	n->used = jiffies;
	lsdp_hold_init(&n->hold);
	timer_setup(&n->timer, lsdp_neigh_timer, 0);
	if (rhashtable_insert_fast(&ln->neighs, &n->node, lsdp_neigh_params)) {
		kfree(n);
		return ERR_PTR(-ENOMEM);
	}
	n->serial = ++ln->hold_serial;
	list_add_tail_rcu(&n->list, &ln->neigh_list);
	ln->n_neighs++;
	lsdp_gen_bump(ln);
	return n;
}

/* The drop reason of a packet whose binding could not be created. */
static enum lsdp_drop_reason lsdp_neigh_create_drop(const struct lsdp_neigh *n)
{
	switch (PTR_ERR(n)) {
	case -ENOSPC:
		return LSDP_DROP_NEIGH_FULL;
	case -ENOENT:
		return LSDP_DROP_HOLD_FLUSH;
	default:
		return LSDP_DROP_NOMEM;
	}
}

/*
 * Called with hold_lock held.  Unlinks @n; its held packets move to @q for
 * the caller to dispose of once the lock is dropped.  The caller frees @n.
 */
static void lsdp_neigh_unlink(struct lsdp_net *ln, struct lsdp_neigh *n,
			      struct sk_buff_head *q)
{
	lockdep_assert_held(&ln->hold_lock);
	WRITE_ONCE(n->dead, true);
	rhashtable_remove_fast(&ln->neighs, &n->node, lsdp_neigh_params);
	/* Dumps walk the list under RCU; @n is freed after a grace period. */
	list_del_rcu(&n->list);
	ln->n_neighs--;
	lsdp_gen_bump(ln);
	lsdp_hold_take(ln, &n->hold, q);
}

static void lsdp_neigh_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct lsdp_neigh, rcu));
}

/* Process context, @n already unlinked by the caller: frees it. */
static void lsdp_neigh_free(struct lsdp_neigh *n)
{
	timer_shutdown_sync(&n->timer);
	call_rcu(&n->rcu, lsdp_neigh_free_rcu);
}

/*
 * Called with RCU read lock, BHs off.  Sends packets released from a
 * queue to @mac out of router port @port, oldest first, and records how
 * long after @arrival each one left.  Consumes @q's packets.
 */
static void lsdp_neigh_release(struct lsdp_port *port, u64 mac,
			       struct sk_buff_head *q, ktime_t arrival)
{
	struct lsdp_net *ln = port->dp->ln;
	struct sk_buff *skb;
	u8 dst[ETH_ALEN];

	lsdp_assert_packet_path();
	lsdp_u64_to_mac(mac, dst);
	while ((skb = __skb_dequeue(q))) {
		lsdp_counters_add(&ln->hold_stats, true, lsdp_hold_len(skb));
		lsdp_neigh_ops->output(port, skb, dst);
		lsdp_hold_lat_add(ln, arrival);
	}
}

/*
 * The binding's timer (softirq).  Takes hold_lock; sends probes and ICMP
 * after dropping it.
 */
static void lsdp_neigh_timer(struct timer_list *t)
{
	struct lsdp_neigh *n = from_timer(n, t, timer);
	struct lsdp_net *ln = n->ln;
	const struct lsdp_hold_cfg *cfg = &ln->hold_cfg;
	unsigned long now = jiffies, deadline;
	unsigned long interval = msecs_to_jiffies(READ_ONCE(cfg->interval_ms));
	unsigned long stale = msecs_to_jiffies(READ_ONCE(cfg->stale_ms));
	struct sk_buff_head failed;
	struct lsdp_port *port = n->key.port;
	struct in6_addr addr = n->key.addr;
	bool ipv6 = n->ipv6, probe = false, gone = false;
	unsigned int nfailed = 0;
	struct sk_buff *skb;

	__skb_queue_head_init(&failed);
	spin_lock(&ln->hold_lock);
	if (n->dead) {
		spin_unlock(&ln->hold_lock);
		return;
	}
	switch (n->state) {
	case LSDP_NEIGH_INCOMPLETE:
		if (n->probes < READ_ONCE(cfg->retries)) {
			WRITE_ONCE(n->probes, n->probes + 1);
			probe = true;
			lsdp_neigh_arm(n, now + interval);
			break;
		}
		/* Nobody answered: fail every packet waiting for it. */
		WRITE_ONCE(n->state, LSDP_NEIGH_FAILED);
		nfailed = skb_queue_len(&n->hold.q);
		lsdp_hold_take(ln, &n->hold, &failed);
		WRITE_ONCE(n->confirmed, now);
		lsdp_neigh_arm(n, now + stale);
		break;
	case LSDP_NEIGH_REACHABLE:
		deadline = n->confirmed +
			   msecs_to_jiffies(READ_ONCE(cfg->reachable_ms));
		if (time_before(now, deadline)) {
			lsdp_neigh_arm(n, deadline);
			break;
		}
		WRITE_ONCE(n->state, LSDP_NEIGH_STALE);
		WRITE_ONCE(n->probes, 0);
		fallthrough;
	case LSDP_NEIGH_STALE:
		/*
		 * Traffic still uses it: ask again before dropping it, so
		 * that a busy binding never goes back to holding packets.
		 */
		if (time_after(READ_ONCE(n->used), n->confirmed) &&
		    n->probes < READ_ONCE(cfg->retries)) {
			WRITE_ONCE(n->probes, n->probes + 1);
			probe = true;
			lsdp_neigh_arm(n, now + interval);
			break;
		}
		if (n->probes) {
			/* Used, asked, never answered: it is gone. */
			WRITE_ONCE(n->state, LSDP_NEIGH_FAILED);
			WRITE_ONCE(n->confirmed, now);
			lsdp_neigh_arm(n, now + stale);
			break;
		}
		deadline = max(READ_ONCE(n->used), n->confirmed) + stale;
		if (time_before(now, deadline)) {
			lsdp_neigh_arm(n, deadline);
			break;
		}
		fallthrough;
	case LSDP_NEIGH_FAILED:
		if (n->state == LSDP_NEIGH_FAILED &&
		    time_before(now, n->confirmed + stale)) {
			lsdp_neigh_arm(n, n->confirmed + stale);
			break;
		}
		lsdp_neigh_unlink(ln, n, &failed);
		gone = true;
		break;
	default:
		break;
	}
	spin_unlock(&ln->hold_lock);

	rcu_read_lock();
	if (probe)
		lsdp_neigh_ops->solicit(port, &addr, ipv6);
	while ((skb = __skb_dequeue(&failed))) {
		lsdp_hold_count(ln, port, skb, gone ? LSDP_DROP_HOLD_FLUSH :
						      LSDP_DROP_HOLD_FAILED);
		if (!gone)
			lsdp_neigh_ops->error_report(port, skb);
		kfree_skb(skb);
	}
	if (nfailed)
		lsdp_hold_event(ln, LSDP_HOLD_EVENT_FAILED, port, &addr, ipv6,
				nfailed);
	rcu_read_unlock();
	if (gone)
		call_rcu(&n->rcu, lsdp_neigh_free_rcu);
}

static const char *const lsdp_neigh_state_names[] = {
	[LSDP_NEIGH_INCOMPLETE] = "incomplete",
	[LSDP_NEIGH_REACHABLE] = "reachable",
	[LSDP_NEIGH_STALE] = "stale",
	[LSDP_NEIGH_FAILED] = "failed",
	[LSDP_NEIGH_STATIC] = "static",
};

/*
 * Called with RCU read lock, BHs off, in a trace (DOC: Tracing).
 * lsdp_neigh_resolve() without its side effects: what it would decide,
 * from the same table, recorded; no binding is created, no probe sent,
 * nothing held.
 */
static bool lsdp_neigh_resolve_trace(struct lsdp_port *rp,
				     const struct in6_addr *nh, bool ipv6,
				     struct sk_buff *skb, u8 *dst)
{
	struct lsdp_net *ln = rp->dp->ln;
	const struct lsdp_hold_cfg *cfg = &ln->hold_cfg;
	struct lsdp_neigh *n;
	u8 state;

	lsdp_assert_packet_path();
	n = lsdp_neigh_lookup(ln, rp, nh);
	state = n ? READ_ONCE(n->state) : LSDP_NEIGH_UNSPEC;
	if (n && lsdp_neigh_usable(state)) {
		lsdp_u64_to_mac(READ_ONCE(n->mac), dst);
		lsdp_trace_step(LSDP_TRACE_NEIGH, rp, "next hop %s is %pM (%s)",
				LSDP_ADDR(nh), dst, lsdp_neigh_state_names[state]);
		return true;
	}
	if (!n && ln->n_neighs >= READ_ONCE(cfg->neigh_max)) {
		lsdp_hold_count(ln, rp, skb, LSDP_DROP_NEIGH_FULL);
		kfree_skb(skb);
		return false;
	}
	lsdp_trace_step(LSDP_TRACE_NEIGH, rp, "next hop %s is %s", LSDP_ADDR(nh),
			n ? lsdp_neigh_state_names[state] : "unknown");
	if (!n || state == LSDP_NEIGH_FAILED)
		lsdp_neigh_ops->solicit(rp, nh, ipv6);
	if (!READ_ONCE(cfg->dest_bytes)) {
		lsdp_hold_count(ln, rp, skb, LSDP_DROP_HOLD_OFF);
	} else if (lsdp_hold_len(skb) > READ_ONCE(cfg->dest_bytes)) {
		lsdp_hold_count(ln, rp, skb, LSDP_DROP_HOLD_DEST_FULL);
	} else if (READ_ONCE(ln->hold_bytes) + lsdp_hold_len(skb) >
		   READ_ONCE(cfg->total_bytes)) {
		/* Unlocked: a trace reads the netns's total as it is now. */
		lsdp_hold_count(ln, rp, skb, LSDP_DROP_HOLD_TOTAL_FULL);
	} else {
		lsdp_trace_step(LSDP_TRACE_HOLD, rp,
				"held until %s answers (%u probes, %u ms apart)",
				LSDP_ADDR(nh), READ_ONCE(cfg->retries),
				READ_ONCE(cfg->interval_ms));
	}
	kfree_skb(skb);
	return false;
}

/*
 * Called with RCU read lock, BHs off.  The MAC of next hop @nh of @skb
 * (data at L3) out of router port @rp: true with it in @dst when it is
 * known, the caller then sending @skb; else false, @skb consumed: held
 * while the next hop is asked (or dropped).
 */
bool lsdp_neigh_resolve(struct lsdp_port *rp, const struct in6_addr *nh,
			bool ipv6, struct sk_buff *skb, u8 *dst)
{
	struct lsdp_net *ln = rp->dp->ln;
	bool probe = false, overflow;
	struct lsdp_neigh *n;
	u8 state;
	u64 mac;

	lsdp_assert_packet_path();
	if (lsdp_simulating())
		return lsdp_neigh_resolve_trace(rp, nh, ipv6, skb, dst);
	n = lsdp_neigh_lookup(ln, rp, nh);
	if (n) {
		state = READ_ONCE(n->state);
		if (lsdp_neigh_usable(state)) {
			mac = READ_ONCE(n->mac);
			/* Written once a tick at most: the line stays shared. */
			if (time_after(jiffies, READ_ONCE(n->used)))
				WRITE_ONCE(n->used, jiffies);
			/* A stale binding in use is re-asked by its timer. */
			if (state == LSDP_NEIGH_STALE && !READ_ONCE(n->probes))
				mod_timer_pending(&n->timer, jiffies);
			lsdp_u64_to_mac(mac, dst);
			lsdp_trace_step(LSDP_TRACE_NEIGH, rp,
					"next hop %s is %pM (%s)",
					LSDP_ADDR(nh), dst,
					lsdp_neigh_state_names[state]);
			return true;
		}
	}

	spin_lock(&ln->hold_lock);
	n = lsdp_neigh_lookup(ln, rp, nh);
	if (n && lsdp_neigh_usable(n->state)) {
		/* Resolved while we were getting here. */
		mac = n->mac;
		spin_unlock(&ln->hold_lock);
		lsdp_u64_to_mac(mac, dst);
		lsdp_trace_step(LSDP_TRACE_NEIGH, rp, "next hop %s is %pM",
				LSDP_ADDR(nh), dst);
		return true;
	}
	/* A live trace (the only kind that gets here) sees the hold. */
	lsdp_trace_step(LSDP_TRACE_NEIGH, rp, "next hop %s is %s",
			LSDP_ADDR(nh),
			n ? lsdp_neigh_state_names[n->state] : "unknown");
	if (!n) {
		n = lsdp_neigh_create(ln, rp, nh, ipv6, GFP_ATOMIC);
		if (IS_ERR(n)) {
			spin_unlock(&ln->hold_lock);
			lsdp_hold_count(ln, rp, skb, lsdp_neigh_create_drop(n));
			kfree_skb(skb);
			return false;
		}
		probe = true;
	} else if (n->state == LSDP_NEIGH_FAILED) {
		/* Try again, as the Linux neighbour code does. */
		WRITE_ONCE(n->state, LSDP_NEIGH_INCOMPLETE);
		probe = true;
	}
	WRITE_ONCE(n->used, jiffies);
	lsdp_trace_step(LSDP_TRACE_HOLD, rp,
			"held until %s answers (%u probes, %u ms apart)",
			LSDP_ADDR(nh), READ_ONCE(ln->hold_cfg.retries),
			READ_ONCE(ln->hold_cfg.interval_ms));
	if (probe) {
		WRITE_ONCE(n->probes, 1);
		lsdp_neigh_arm(n, jiffies +
			       msecs_to_jiffies(READ_ONCE(ln->hold_cfg.interval_ms)));
	}
	overflow = !lsdp_hold_add(ln, &n->hold, rp, skb);
	spin_unlock(&ln->hold_lock);

	if (overflow)
		lsdp_hold_event(ln, LSDP_HOLD_EVENT_OVERFLOW, rp, nh, ipv6, 1);
	if (probe)
		lsdp_neigh_ops->solicit(rp, nh, ipv6);
	return false;
}

/*
 * Called with RCU read lock, BHs off, @arrival the time the answer reached
 * the module.  @rp heard that @addr is at @mac: confirm or learn the
 * binding (@create: also when there is none yet) and send what waited
 * for it.
 */
void lsdp_neigh_learn(struct lsdp_port *rp, const struct in6_addr *addr,
		      bool ipv6, const u8 *mac, bool create, ktime_t arrival)
{
	struct lsdp_net *ln = rp->dp->ln;
	u64 mac64 = lsdp_mac_to_u64(mac);
	struct sk_buff_head q;
	struct lsdp_neigh *n;
	unsigned int npkts;

	lsdp_assert_packet_path();
	if (lsdp_trace_step(LSDP_TRACE_LEARN, rp, "would %s %s is at %pM",
			    create ? "learn" : "refresh (if known)", LSDP_ADDR(addr),
			    mac))
		return;
	n = lsdp_neigh_lookup(ln, rp, addr);
	if (!n && !create)
		return;
	/* Already known and fresh: nothing to write, no lock to take. */
	if (n && READ_ONCE(n->state) == LSDP_NEIGH_REACHABLE &&
	    READ_ONCE(n->mac) == mac64 &&
	    time_before(jiffies, READ_ONCE(n->confirmed) + HZ))
		return;

	__skb_queue_head_init(&q);
	spin_lock(&ln->hold_lock);
	n = lsdp_neigh_lookup(ln, rp, addr);
	if (!n) {
		if (!create) {
			spin_unlock(&ln->hold_lock);
			return;
		}
		n = lsdp_neigh_create(ln, rp, addr, ipv6, GFP_ATOMIC);
		if (IS_ERR(n)) {
			spin_unlock(&ln->hold_lock);
			if (PTR_ERR(n) == -ENOSPC)
				lsdp_hold_count(ln, rp, NULL, LSDP_DROP_NEIGH_FULL);
			return;
		}
	}
	if (n->state == LSDP_NEIGH_STATIC) {
		spin_unlock(&ln->hold_lock);
		return;
	}
	WRITE_ONCE(n->mac, mac64);
	WRITE_ONCE(n->state, LSDP_NEIGH_REACHABLE);
	WRITE_ONCE(n->confirmed, jiffies);
	WRITE_ONCE(n->probes, 0);
	lsdp_neigh_arm(n, jiffies +
		       msecs_to_jiffies(READ_ONCE(ln->hold_cfg.reachable_ms)));
	npkts = skb_queue_len(&n->hold.q);
	lsdp_hold_take(ln, &n->hold, &q);
	spin_unlock(&ln->hold_lock);

	if (npkts) {
		lsdp_neigh_release(rp, mac64, &q, arrival);
		lsdp_hold_event(ln, LSDP_HOLD_EVENT_RESOLVED, rp, addr, ipv6,
				npkts);
	}
}

/*
 * Called with ln->lock held (process context).  Deletes every binding of
 * @port (all of them when NULL; @statics false keeps static ones), freeing
 * what they held.  Returns how many were deleted.
 */
static unsigned int lsdp_neigh_flush(struct lsdp_net *ln,
				     struct lsdp_port *port, bool statics)
{
	struct lsdp_neigh *n, *next;
	struct sk_buff_head q;
	LIST_HEAD(gone);
	unsigned int cnt = 0;

	lockdep_assert_held(&ln->lock);
	__skb_queue_head_init(&q);
	spin_lock_bh(&ln->hold_lock);
	list_for_each_entry_safe(n, next, &ln->neigh_list, list) {
		if (port && n->key.port != port)
			continue;
		if (!statics && n->state == LSDP_NEIGH_STATIC)
			continue;
		lsdp_neigh_unlink(ln, n, &q);
		list_add_tail(&n->gc, &gone);
		cnt++;
	}
	spin_unlock_bh(&ln->hold_lock);

	lsdp_hold_purge(ln, NULL, &q, LSDP_DROP_HOLD_FLUSH);
	list_for_each_entry_safe(n, next, &gone, gc)
		lsdp_neigh_free(n);
	return cnt;
}

/* Called with ln->lock held: @port is going away. */
void lsdp_neigh_flush_port(struct lsdp_port *port)
{
	lockdep_assert_held(&port->dp->ln->lock);
	lsdp_neigh_flush(port->dp->ln, port, true);
}

/* Called from pernet init. */
int lsdp_neigh_init(struct lsdp_net *ln)
{
	spin_lock_init(&ln->hold_lock);
	INIT_LIST_HEAD(&ln->neigh_list);
	INIT_LIST_HEAD(&ln->port_holds);
	lsdp_hold_cfg_init(&ln->hold_cfg);
	if (lsdp_counters_init(&ln->hold_stats, true))
		return -ENOMEM;
	if (rhashtable_init(&ln->neighs, &lsdp_neigh_params)) {
		lsdp_counters_free(&ln->hold_stats);
		return -ENOMEM;
	}
	return 0;
}

/* Called from pernet exit with ln->lock held, after every port is gone. */
void lsdp_neigh_destroy(struct lsdp_net *ln)
{
	lockdep_assert_held(&ln->lock);
	lsdp_neigh_flush(ln, NULL, true);
	WARN_ON(ln->hold_bytes || ln->n_neighs);
}

/* Called from pernet exit once nothing can reach the table. */
void lsdp_neigh_table_free(struct lsdp_net *ln)
{
	rhashtable_destroy(&ln->neighs);
	lsdp_counters_free(&ln->hold_stats);
}

/* --- requests ------------------------------------------------------------ */

/*
 * Called with ln->lock held.  The router port a neighbour request names,
 * or NULL with the error set.
 */
static struct lsdp_port *lsdp_req_rport(struct lsdp_net *ln,
					const struct nlattr *attr,
					struct netlink_ext_ack *extack,
					int *err)
{
	struct lsdp_port *port;

	lockdep_assert_held(&ln->lock);
	port = lsdp_req_port(ln, attr, extack);
	if (!port) {
		*err = -ENOENT;
		return NULL;
	}
	if (port->type != LSDP_PORT_TYPE_ROUTER_PORT) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "not a router port");
		*err = -EINVAL;
		return NULL;
	}
	return port;
}

/*
 * The binding a request is about: it must name the router port and the
 * address, read here as v4-mapped or IPv6.
 */
static int lsdp_req_neigh_addr(struct genl_info *info, struct in6_addr *addr,
			       bool *ipv6)
{
	struct nlattr *attr = info->attrs[LSDP_A_NEIGH_ADDR];

	if (!LSDP_REQUIRE(info, LSDP_A_PORT_NAME, "missing port name") ||
	    !LSDP_REQUIRE(info, LSDP_A_NEIGH_ADDR, "missing neighbour address"))
		return -EINVAL;
	if (nla_len(attr) == sizeof(__be32)) {
		__be32 v4 = nla_get_in_addr(attr);

		if (ipv4_is_zeronet(v4) || ipv4_is_multicast(v4) ||
		    ipv4_is_lbcast(v4) || ipv4_is_loopback(v4)) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "invalid neighbour address (zero, loopback, multicast or broadcast)");
			return -EINVAL;
		}
		ipv6_addr_set_v4mapped(v4, addr);
		*ipv6 = false;
		return 0;
	}
	if (nla_len(attr) == sizeof(*addr)) {
		*addr = nla_get_in6_addr(attr);
		if (ipv6_addr_any(addr) || ipv6_addr_is_multicast(addr) ||
		    ipv6_addr_loopback(addr) || ipv6_addr_v4mapped(addr)) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "invalid neighbour address (unspecified, loopback, v4-mapped or multicast)");
			return -EINVAL;
		}
		*ipv6 = true;
		return 0;
	}
	NL_SET_ERR_MSG_ATTR(info->extack, attr,
			    "neighbour address must be 4 (IPv4) or 16 (IPv6) bytes");
	return -EINVAL;
}

static int lsdp_put_addr(struct sk_buff *skb, int type,
			 const struct in6_addr *addr, bool ipv6)
{
	if (ipv6)
		return nla_put_in6_addr(skb, type, addr);
	return nla_put_in_addr(skb, type, addr->s6_addr32[3]);
}

/*
 * Called with RCU read lock or hold_lock held.  Under RCU alone the
 * fields are read one by one (READ_ONCE, as the packet path does): a
 * binding changing meanwhile may show its new state with its old age,
 * never a torn value.
 */
static int lsdp_fill_neigh(struct sk_buff *skb, void *obj, u32 portid,
			   u32 seq, int flags, u8 cmd)
{
	struct lsdp_neigh *n = obj;
	u8 state = READ_ONCE(n->state);
	u32 age = jiffies_to_msecs(jiffies - READ_ONCE(n->confirmed));
	u8 mac[ETH_ALEN];
	void *hdr;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held() &&
			 !lockdep_is_held(&n->ln->hold_lock),
			 "lsdp: neighbour read without RCU or hold_lock");
	hdr = lsdp_msg_put(skb, portid, seq, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	lsdp_u64_to_mac(READ_ONCE(n->mac), mac);
	if (nla_put_string(skb, LSDP_A_PORT_NAME, n->key.port->name) ||
	    lsdp_put_addr(skb, LSDP_A_NEIGH_ADDR, &n->key.addr, n->ipv6) ||
	    nla_put_u8(skb, LSDP_A_NEIGH_STATE, state) ||
	    nla_put_u32(skb, LSDP_A_NEIGH_AGE_MS, age) ||
	    nla_put_u32(skb, LSDP_A_NEIGH_PROBES, READ_ONCE(n->probes)) ||
	    (lsdp_neigh_usable(state) &&
	     nla_put(skb, LSDP_A_NEIGH_MAC, ETH_ALEN, mac))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* An lsdp_fill_t of a neighbour, for callers without hold_lock. */
static int lsdp_fill_neigh_locked(struct sk_buff *skb, void *obj, u32 portid,
				  u32 seq, int flags, u8 cmd)
{
	struct lsdp_neigh *n = obj;
	int err;

	spin_lock_bh(&n->ln->hold_lock);
	err = lsdp_fill_neigh(skb, n, portid, seq, flags, cmd);
	spin_unlock_bh(&n->ln->hold_lock);
	return err;
}

int lsdp_cmd_neigh_new(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr *macattr = info->attrs[LSDP_A_NEIGH_MAC];
	struct sk_buff_head q;
	struct lsdp_port *rp;
	struct lsdp_neigh *n;
	struct in6_addr addr;
	unsigned int npkts;
	ktime_t arrival;
	bool ipv6;
	int err = 0;

	err = lsdp_req_neigh_addr(info, &addr, &ipv6);
	if (err)
		return err;
	if (!LSDP_REQUIRE(info, LSDP_A_NEIGH_MAC, "missing neighbour MAC"))
		return -EINVAL;
	/* The policy checked the length. */
	if (!is_valid_ether_addr(nla_data(macattr))) {
		NL_SET_ERR_MSG_ATTR(info->extack, macattr,
				    "invalid MAC address (must be unicast and not zero)");
		return -EINVAL;
	}

	__skb_queue_head_init(&q);
	mutex_lock(&ln->lock);
	rp = lsdp_req_rport(ln, info->attrs[LSDP_A_PORT_NAME],
			    info->extack, &err);
	if (!rp)
		goto out_unlock;
	arrival = ktime_get();
	spin_lock_bh(&ln->hold_lock);
	n = lsdp_neigh_lookup(ln, rp, &addr);
	if (!n) {
		n = lsdp_neigh_create(ln, rp, &addr, ipv6, GFP_ATOMIC);
		if (IS_ERR(n)) {
			spin_unlock_bh(&ln->hold_lock);
			err = PTR_ERR(n);
			if (err == -ENOSPC)
				NL_SET_ERR_MSG(info->extack,
					       "neighbour table full (see hold set neigh-max)");
			else
				NL_SET_ERR_MSG(info->extack,
					       "no memory for the neighbour");
			goto out_unlock;
		}
	}
	/* A static binding never ages: no timer. */
	WRITE_ONCE(n->mac, lsdp_mac_to_u64(nla_data(macattr)));
	WRITE_ONCE(n->state, LSDP_NEIGH_STATIC);
	WRITE_ONCE(n->confirmed, jiffies);
	WRITE_ONCE(n->probes, 0);
	npkts = skb_queue_len(&n->hold.q);
	lsdp_hold_take(ln, &n->hold, &q);
	spin_unlock_bh(&ln->hold_lock);
	/* Stopped outside the lock; a running callback sees STATIC. */
	timer_delete_sync(&n->timer);

	if (npkts) {
		local_bh_disable();
		rcu_read_lock();
		lsdp_neigh_release(rp, lsdp_mac_to_u64(nla_data(macattr)), &q,
				   arrival);
		lsdp_hold_event(ln, LSDP_HOLD_EVENT_RESOLVED, rp, &addr, ipv6,
				npkts);
		rcu_read_unlock();
		local_bh_enable();
	}
	lsdp_notify(ln, lsdp_fill_neigh_locked, n, LSDP_CMD_NEIGH_NEW,
		    GFP_KERNEL);
out_unlock:
	mutex_unlock(&ln->lock);
	return err;
}

int lsdp_cmd_neigh_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct sk_buff_head q;
	struct lsdp_port *rp;
	struct lsdp_neigh *n;
	struct in6_addr addr;
	bool ipv6;
	int err = 0;

	err = lsdp_req_neigh_addr(info, &addr, &ipv6);
	if (err)
		return err;

	__skb_queue_head_init(&q);
	mutex_lock(&ln->lock);
	rp = lsdp_req_rport(ln, info->attrs[LSDP_A_PORT_NAME],
			    info->extack, &err);
	if (!rp)
		goto out_unlock;
	spin_lock_bh(&ln->hold_lock);
	n = lsdp_neigh_lookup(ln, rp, &addr);
	if (!n) {
		spin_unlock_bh(&ln->hold_lock);
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LSDP_A_NEIGH_ADDR],
				    "no such neighbour");
		err = -ENOENT;
		goto out_unlock;
	}
	/* Its last state, before it goes: atomic, under hold_lock. */
	lsdp_notify(ln, lsdp_fill_neigh, n, LSDP_CMD_NEIGH_DEL, GFP_ATOMIC);
	lsdp_neigh_unlink(ln, n, &q);
	spin_unlock_bh(&ln->hold_lock);
	lsdp_neigh_free(n);
	lsdp_hold_purge(ln, rp, &q, LSDP_DROP_HOLD_FLUSH);
out_unlock:
	mutex_unlock(&ln->lock);
	return err;
}

int lsdp_cmd_neigh_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct lsdp_port *rp = NULL;
	int err = 0;

	mutex_lock(&ln->lock);
	if (info->attrs[LSDP_A_PORT_NAME]) {
		rp = lsdp_req_rport(ln, info->attrs[LSDP_A_PORT_NAME],
				    info->extack, &err);
		if (!rp)
			goto out_unlock;
	}
	lsdp_neigh_flush(ln, rp, true);
out_unlock:
	mutex_unlock(&ln->lock);
	return err;
}

/*
 * Called with RCU read lock.  The first binding after the cursor's last
 * one: found again by its port's keys and its address (a hash lookup, so
 * that a dump of n bindings costs O(n), not O(n^2) as skipping by count
 * did at up to a million), else the first created after it.  The list is
 * RCU: a binding unlinked since keeps its way on for a grace period.
 */
struct lsdp_neigh *lsdp_neigh_dump_next(struct lsdp_net *ln,
					const struct lsdp_dump_cursor *c)
{
	struct lsdp_port *port = NULL;
	struct lsdp_neigh *n;
	struct lsdp_dp *dp;

	lsdp_assert_rcu();
	if (!c->serial)
		return list_entry_rcu(ln->neigh_list.next, struct lsdp_neigh,
				      list);
	dp = lsdp_dp_find_key_rcu(ln, c->dp_key);
	if (dp)
		port = lsdp_port_find_key_rcu(dp, c->key);
	n = port ? lsdp_neigh_lookup(ln, port, &c->addr) : NULL;
	if (n && n->serial == c->serial)
		return list_entry_rcu(n->list.next, struct lsdp_neigh, list);
	list_for_each_entry_rcu(n, &ln->neigh_list, list)
		if (n->serial > c->serial)
			break;
	return n;
}

/* Any context: the cursor now points at @n, just sent. */
void lsdp_neigh_dump_mark(struct lsdp_dump_cursor *c,
			  const struct lsdp_neigh *n)
{
	c->dp_key = n->key.port->dp->key;
	c->key = n->key.port->key;
	c->addr = n->key.addr;
	c->serial = n->serial;
}

/*
 * Bindings in creation order, of every router port or of LSDP_A_PORT_NAME;
 * cursor: struct lsdp_dump_cursor.  The walk is under RCU, not hold_lock:
 * a dump of a large table does not stall the packet path that learns.
 * Bindings come and go meanwhile (the packet path creates them); a dump
 * during which one did is flagged NLM_F_DUMP_INTR.
 */
int lsdp_cmd_neigh_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lsdp_net *ln = lsdp_net(sock_net(skb->sk));
	struct lsdp_dump_cursor *c = lsdp_dump_cursor(cb);
	struct nlattr **attrs = lsdp_dump_attrs(cb);
	struct lsdp_port *port = NULL;
	struct lsdp_neigh *n;
	int err = 0;

	/* ln->lock keeps the filter's port; the walk needs only RCU. */
	mutex_lock(&ln->lock);
	lsdp_dump_begin(cb, ln);
	if (attrs && attrs[LSDP_A_PORT_NAME]) {
		port = lsdp_req_rport(ln, attrs[LSDP_A_PORT_NAME],
				      cb->extack, &err);
		if (!port)
			goto out_unlock;
	}
	rcu_read_lock();
	n = lsdp_neigh_dump_next(ln, c);
	list_for_each_entry_from_rcu(n, &ln->neigh_list, list) {
		if ((port && n->key.port != port) || READ_ONCE(n->dead))
			continue;
		if (lsdp_dump_fill(skb, cb, lsdp_fill_neigh, n,
				   LSDP_CMD_NEIGH_NEW))
			break;
		lsdp_neigh_dump_mark(c, n);
	}
	rcu_read_unlock();
out_unlock:
	mutex_unlock(&ln->lock);
	return err ? err : skb->len;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Per-port and per-netns counters (struct lsdp_counters).  Writers are the
 * packet path only (softirq, or process context with BHs off), each on its
 * own CPU's copy, so the u64_stats sequence is all the protection they need;
 * readers sum all CPUs.
 *
 * A port's blocks are allocated by the packet path when first needed: the
 * traffic block by the port's first packet, the per-reason drop block by
 * its first drop.  Most ports of a large network never carry a packet on a
 * given hypervisor (remote ports above all), and a block per CPU per port
 * is what a port would otherwise cost most on a many-CPU host.  The
 * allocation cannot sleep (GFP_ATOMIC); the block is installed with
 * cmpxchg(), so concurrent first packets on two CPUs agree on one block and
 * the loser frees its own; once installed a block lives as long as the
 * port (freed after a grace period with it), so a reader that saw the
 * pointer may use it.  A packet whose port cannot get a traffic block is
 * dropped and counted as LSDP_DROP_NOMEM, as one whose skb cannot be
 * cloned, so that every packet that leaves is counted.
 */
#include <linux/jiffies.h>
#include <linux/percpu.h>

#include "lsdp.h"

static void lsdp_drops_init_syncp(struct lsdp_pcpu_drops __percpu *d)
{
	int cpu;

	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(d, cpu)->syncp);
}

static struct lsdp_pcpu_stats __percpu *lsdp_traffic_alloc(gfp_t gfp)
{
	struct lsdp_pcpu_stats __percpu *t;
	int cpu;

	t = alloc_percpu_gfp(struct lsdp_pcpu_stats, gfp);
	if (t)
		for_each_possible_cpu(cpu)
			u64_stats_init(&per_cpu_ptr(t, cpu)->syncp);
	return t;
}

/*
 * Process context, no locks: @c is not reachable yet.  @now allocates
 * both blocks at once, for the few netns-wide counters that are sure to
 * need them; without it (ports) the packet path allocates them when first
 * needed.
 */
int lsdp_counters_init(struct lsdp_counters *c, bool now)
{
	atomic64_set(&c->unclassified, 0);
	c->drops_retry = jiffies;
	c->drops = NULL;
	c->traffic = NULL;
	if (!now)
		return 0;
	c->traffic = lsdp_traffic_alloc(GFP_KERNEL);
	c->drops = alloc_percpu(struct lsdp_pcpu_drops);
	if (!c->traffic || !c->drops) {
		lsdp_counters_free(c);
		return -ENOMEM;
	}
	lsdp_drops_init_syncp(c->drops);
	return 0;
}

/*
 * Called with BHs off, as lsdp_counters_add().  Returns @c's traffic
 * block, installing one on the first call; NULL when none could be had.
 * Every packet that fails here tries again: the block is what lets the
 * port forward at all (see the top of this file).
 */
static struct lsdp_pcpu_stats __percpu *lsdp_traffic_get(struct lsdp_counters *c)
{
	struct lsdp_pcpu_stats __percpu *t, *old;

	t = READ_ONCE(c->traffic);
	if (likely(t))
		return t;
	t = lsdp_traffic_alloc(GFP_ATOMIC | __GFP_NOWARN);
	if (!t)
		return NULL;
	/* Another CPU may have installed one meanwhile: keep the first. */
	old = cmpxchg(&c->traffic, NULL, t);
	if (old) {
		free_percpu(t);
		return old;
	}
	return t;
}

/* lsdp_stats_ready() when @port has no traffic block yet. */
bool lsdp_stats_ready_slow(struct lsdp_port *port)
{
	lockdep_assert_in_softirq();
	/* A trace allocates nothing either (DOC: Tracing). */
	if (lsdp_simulating())
		return true;
	return !!lsdp_traffic_get(&port->stats);
}

/* Any context; no writer or reader may reach @c any more. */
void lsdp_counters_free(struct lsdp_counters *c)
{
	free_percpu(c->drops);
	free_percpu(c->traffic);
	c->drops = NULL;
	c->traffic = NULL;
}

/*
 * Called with BHs off, as lsdp_counters_add(), when @c has no traffic
 * block yet or a trace runs.
 */
bool lsdp_counters_add_slow(struct lsdp_counters *c, bool tx, unsigned int len)
{
	struct lsdp_pcpu_stats __percpu *t;

	lockdep_assert_in_softirq();
	/* A trace touches no counter (DOC: Tracing). */
	if (lsdp_simulating())
		return true;
	t = lsdp_traffic_get(c);
	if (unlikely(!t))
		return false;
	lsdp_pcpu_stats_add(this_cpu_ptr(t), tx, len);
	return true;
}

/*
 * Any context, BHs off or not: the block is allocated without sleeping.
 * Returns @c's drop block, installing one on the first call; NULL when
 * none exists and none could be had.
 */
static struct lsdp_pcpu_drops __percpu *lsdp_drops_get(struct lsdp_counters *c)
{
	struct lsdp_pcpu_drops __percpu *d, *old;

	d = READ_ONCE(c->drops);
	if (likely(d))
		return d;
	/* The last try failed: give memory a second before the next. */
	if (time_before(jiffies, READ_ONCE(c->drops_retry)))
		return NULL;
	d = alloc_percpu_gfp(struct lsdp_pcpu_drops, GFP_ATOMIC | __GFP_NOWARN);
	if (!d) {
		WRITE_ONCE(c->drops_retry, jiffies + HZ);
		return NULL;
	}
	lsdp_drops_init_syncp(d);
	/* Another CPU may have installed one meanwhile: keep the first. */
	old = cmpxchg(&c->drops, NULL, d);
	if (old) {
		free_percpu(d);
		return old;
	}
	return d;
}

/* Called with BHs off, as lsdp_counters_add(). */
void lsdp_counters_drop(struct lsdp_counters *c, enum lsdp_drop_reason reason)
{
	struct lsdp_pcpu_drops __percpu *d;
	struct lsdp_pcpu_drops *s;

	lockdep_assert_in_softirq();
	if (WARN_ON_ONCE(reason <= LSDP_DROP_UNSPEC || reason > LSDP_DROP_MAX))
		reason = LSDP_DROP_UNSPEC;
	d = lsdp_drops_get(c);
	if (unlikely(!d)) {
		atomic64_inc(&c->unclassified);
		return;
	}
	s = this_cpu_ptr(d);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->n[reason]);
	u64_stats_update_end(&s->syncp);
}

/* As lsdp_stats_rx(); @skb is the packet dropped (NULL: gone already). */
void lsdp_stats_drop(struct lsdp_port *port, const struct sk_buff *skb,
		     enum lsdp_drop_reason reason)
{
	if (lsdp_drop_seen(port->dp->ln, port, skb, reason))
		lsdp_counters_drop(&port->stats, reason);
}

/* Any context; the port must stay alive (RCU or the instance lock). */
void lsdp_stats_read(const struct lsdp_port *port, struct lsdp_stats *out)
{
	lsdp_counters_read(&port->stats, out);
}

/* Any context; @c must stay allocated. */
void lsdp_counters_read(const struct lsdp_counters *c, struct lsdp_stats *out)
{
	struct lsdp_pcpu_stats __percpu *t = READ_ONCE(c->traffic);
	struct lsdp_pcpu_drops __percpu *d = READ_ONCE(c->drops);
	int cpu, i;

	memset(out, 0, sizeof(*out));
	/* No traffic block: the port has not carried a packet yet. */
	for_each_possible_cpu(cpu) {
		const struct lsdp_pcpu_stats *s;
		u64 rxp, rxb, txp, txb;
		unsigned int start;

		if (!t)
			break;
		s = per_cpu_ptr(t, cpu);
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			rxp = u64_stats_read(&s->rx_packets);
			rxb = u64_stats_read(&s->rx_bytes);
			txp = u64_stats_read(&s->tx_packets);
			txb = u64_stats_read(&s->tx_bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		out->rx_packets += rxp;
		out->rx_bytes += rxb;
		out->tx_packets += txp;
		out->tx_bytes += txb;
	}
	if (d) {
		for_each_possible_cpu(cpu) {
			const struct lsdp_pcpu_drops *s = per_cpu_ptr(d, cpu);
			u64 one[__LSDP_DROP_MAX];
			unsigned int start;

			do {
				start = u64_stats_fetch_begin(&s->syncp);
				for (i = 0; i < __LSDP_DROP_MAX; i++)
					one[i] = u64_stats_read(&s->n[i]);
			} while (u64_stats_fetch_retry(&s->syncp, start));
			for (i = 0; i < __LSDP_DROP_MAX; i++)
				out->drops[i] += one[i];
		}
	}
	out->drops[LSDP_DROP_UNCLASSIFIED] += atomic64_read(&c->unclassified);
}

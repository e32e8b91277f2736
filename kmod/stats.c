// SPDX-License-Identifier: GPL-2.0
/*
 * Per-port and per-netns counters (struct lsdp_counters).  Writers are the
 * packet path only (softirq, or process context with BHs off), each on its
 * own CPU's copy, so the u64_stats sequence is all the protection they need;
 * readers sum all CPUs.  The per-reason drop block is allocated by the first
 * drop and installed with cmpxchg(), so concurrent first drops on two CPUs
 * agree on one block and free the other.
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

/*
 * Process context, no locks: @c is not reachable yet.  @drops_now
 * allocates the drop block at once, for the few netns-wide counters that
 * are sure to need it.
 */
int lsdp_counters_init(struct lsdp_counters *c, bool drops_now)
{
	struct lsdp_pcpu_drops __percpu *d = NULL;

	atomic64_set(&c->unclassified, 0);
	c->drops_retry = jiffies;
	c->drops = NULL;
	c->traffic = netdev_alloc_pcpu_stats(struct lsdp_pcpu_stats);
	if (!c->traffic)
		return -ENOMEM;
	if (drops_now) {
		d = alloc_percpu(struct lsdp_pcpu_drops);
		if (!d) {
			free_percpu(c->traffic);
			c->traffic = NULL;
			return -ENOMEM;
		}
		lsdp_drops_init_syncp(d);
	}
	c->drops = d;
	return 0;
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
 * Called with BHs off (packet path, or process context inside
 * local_bh_disable()): the per-CPU copy and its u64_stats sequence belong
 * to this CPU only while no softirq can preempt us on it.
 */
void lsdp_counters_add(struct lsdp_counters *c, bool tx, unsigned int len)
{
	struct lsdp_pcpu_stats *s;

	lockdep_assert_in_softirq();
	/* A trace touches no counter (DOC: Tracing). */
	if (lsdp_tracing())
		return;
	s = this_cpu_ptr(c->traffic);
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

/*
 * Called with BHs off, @port kept alive by the caller: RCU on the packet
 * path, ln->lock or the port's own timer when held packets are freed.
 */
void lsdp_stats_rx(struct lsdp_port *port, unsigned int len)
{
	lsdp_counters_add(&port->stats, false, len);
}

/* As lsdp_stats_rx(). */
void lsdp_stats_tx(struct lsdp_port *port, unsigned int len)
{
	lsdp_counters_add(&port->stats, true, len);
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
	struct lsdp_pcpu_drops __percpu *d = READ_ONCE(c->drops);
	int cpu, i;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct lsdp_pcpu_stats *s = per_cpu_ptr(c->traffic, cpu);
		u64 rxp, rxb, txp, txb;
		unsigned int start;

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

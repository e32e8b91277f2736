// SPDX-License-Identifier: GPL-2.0
/*
 * Per-port, per-CPU counters.  Writers are the packet path only (softirq,
 * or process context with BHs off), each on its own CPU's copy, so the
 * u64_stats sequence is all the protection they need; readers sum all CPUs.
 */
#include <linux/percpu.h>

#include "lsdp.h"

/* Called with BHs off (packet path). */
void lsdp_pcpu_stats_add(struct lsdp_pcpu_stats __percpu *stats, bool tx,
			 unsigned int len)
{
	struct lsdp_pcpu_stats *s = this_cpu_ptr(stats);

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

/* Called with BHs off (packet path). */
void lsdp_pcpu_stats_drop(struct lsdp_pcpu_stats __percpu *stats,
			  enum lsdp_drop_reason reason)
{
	struct lsdp_pcpu_stats *s = this_cpu_ptr(stats);

	if (WARN_ON_ONCE(reason <= LSDP_DROP_UNSPEC || reason > LSDP_DROP_MAX))
		reason = LSDP_DROP_UNSPEC;
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->drops[reason]);
	u64_stats_update_end(&s->syncp);
}

/* Called with RCU read lock, BHs off. */
void lsdp_stats_rx(struct lsdp_port *port, unsigned int len)
{
	lsdp_pcpu_stats_add(port->stats, false, len);
}

/* Called with RCU read lock, BHs off. */
void lsdp_stats_tx(struct lsdp_port *port, unsigned int len)
{
	lsdp_pcpu_stats_add(port->stats, true, len);
}

/* Called with RCU read lock, BHs off. */
void lsdp_stats_drop(struct lsdp_port *port, enum lsdp_drop_reason reason)
{
	lsdp_pcpu_stats_drop(port->stats, reason);
}

/* Any context; the port must stay alive (RCU or the instance lock). */
void lsdp_stats_read(const struct lsdp_port *port, struct lsdp_stats *out)
{
	lsdp_pcpu_stats_read(port->stats, out);
}

/* Any context; @stats must stay allocated. */
void lsdp_pcpu_stats_read(struct lsdp_pcpu_stats __percpu *stats,
			  struct lsdp_stats *out)
{
	int cpu, i;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct lsdp_pcpu_stats *s = per_cpu_ptr(stats, cpu);
		struct lsdp_stats one;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			one.rx_packets = u64_stats_read(&s->rx_packets);
			one.rx_bytes = u64_stats_read(&s->rx_bytes);
			one.tx_packets = u64_stats_read(&s->tx_packets);
			one.tx_bytes = u64_stats_read(&s->tx_bytes);
			for (i = 0; i < __LSDP_DROP_MAX; i++)
				one.drops[i] = u64_stats_read(&s->drops[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		out->rx_packets += one.rx_packets;
		out->rx_bytes += one.rx_bytes;
		out->tx_packets += one.tx_packets;
		out->tx_bytes += one.tx_bytes;
		for (i = 0; i < __LSDP_DROP_MAX; i++)
			out->drops[i] += one.drops[i];
	}
}

// SPDX-License-Identifier: GPL-2.0
/* lsdp CLI: lsdp stats: per-port counters and drop reasons. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static uint64_t drops_total(const struct lsdp_stats *s)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < s->n_drops; i++)
		sum += s->drops[i].count;
	return sum;
}

/* Adds @s's drops into the sorted array @tot (grown as needed). */
static int drops_add(struct lsdp_stats *tot, const struct lsdp_stats *s)
{
	unsigned int i, k;

	for (i = 0; i < s->n_drops; i++) {
		for (k = 0; k < tot->n_drops; k++)
			if (tot->drops[k].reason == s->drops[i].reason)
				break;
		if (k == tot->n_drops) {
			struct lsdp_drop *p = realloc(tot->drops,
						      (k + 1) * sizeof(*p));

			if (!p)
				return -ENOMEM;
			tot->drops = p;
			/* keep ascending order */
			while (k > 0 && p[k - 1].reason > s->drops[i].reason) {
				p[k] = p[k - 1];
				k--;
			}
			p[k].reason = s->drops[i].reason;
			p[k].count = 0;
			tot->n_drops++;
		}
		tot->drops[k].count += s->drops[i].count;
	}
	return 0;
}

/* "  drop REASON: COUNT" lines, non-zero reasons only. */
void print_drops(const struct lsdp_stats *s)
{
	char rbuf[24];
	unsigned int k;

	for (k = 0; k < s->n_drops; k++)
		if (s->drops[k].count)
			printf("  drop %s: %" PRIu64 "\n",
			       lsdp_drop_reason_name(s->drops[k].reason,
						     rbuf, sizeof(rbuf)),
			       s->drops[k].count);
}

static void stats_drops_total(struct out *o, const void *obj)
{
	out_u64(o, drops_total(obj));
}

/*
 * "drops": { REASON: COUNT, ... }, every reason the kernel reported; in
 * the table "port-security-mac:2,no-dest:1", non-zero reasons only.
 */
static void stats_drops(struct out *o, const void *obj)
{
	const struct lsdp_stats *s = obj;
	char rbuf[24];
	unsigned int k;

	out_map_open(o);
	for (k = 0; k < s->n_drops; k++)
		out_count(o, lsdp_drop_reason_name(s->drops[k].reason, rbuf,
						   sizeof(rbuf)),
			  s->drops[k].count);
	out_map_close(o);
}

#define FIELD_TYPE struct lsdp_stats
static const struct field stats_counter_fields[] = {
	{ COL("rx_packets", "RX_PACKETS", 0), AT(FK_U64, rx_packets), RIGHT },
	{ COL("rx_bytes", "RX_BYTES", 1), AT(FK_U64, rx_bytes), RIGHT },
	{ COL("tx_packets", "TX_PACKETS", 2), AT(FK_U64, tx_packets), RIGHT },
	{ COL("tx_bytes", "TX_BYTES", 3), AT(FK_U64, tx_bytes), RIGHT },
	{ COL(NULL, "DROPS", 4), FN(stats_drops_total), RIGHT },
	{ COL("drops", "DROP_REASONS", 5), FN(stats_drops) },
};
#undef FIELD_TYPE

/* The counters of a port, the tunnel endpoint (encap show). */
const struct field_set stats_counters = FIELD_SET(stats_counter_fields);

static const struct field_set stats_drops_only = {
	&stats_counter_fields[ARRAY_SIZE(stats_counter_fields) - 1], 1
};

/* "drops": { REASON: COUNT, ... } into the JSON object being written. */
void json_drops(struct json *j, const struct lsdp_stats *s)
{
	fields_json(j, &stats_drops_only, s);
}

#define FIELD_TYPE struct lsdp_port_info
static const struct field stats_fields[] = {
	{ COL("port", "PORT", 0), AT(FK_STR, name) },
	{ COL("datapath", "DATAPATH", 1), AT(FK_STR, dp) },
	{ COL(NULL, NULL, 2), NEST(stats, &stats_counters) },
};

static const struct view stats_view =
	VIEW(struct lsdp_port_info, cmp_port, stats_fields, NULL);

int stats_show(const struct object *obj, int argc, char **argv)
{
	struct port_list l = { 0 };
	struct lsdp_port_info total = { 0 };
	struct lsdp_stats *tot = &total.stats;
	const char *dp;
	struct table t;
	size_t i;
	int r;

	(void)obj;
	r = ports_for_show(argc, argv, &l, &dp);
	if (r || list_format(&stats_view, l.v, l.n, &t))
		goto out;
	for (i = 0; i < l.n; i++) {
		const struct lsdp_stats *s = &l.v[i].stats;

		tot->rx_packets += s->rx_packets;
		tot->rx_bytes += s->rx_bytes;
		tot->tx_packets += s->tx_packets;
		tot->tx_bytes += s->tx_bytes;
		if (drops_add(tot, s))
			t.failed = true;
	}
	/* A datapath's ports, then their sum. */
	if (dp && l.n) {
		snprintf(total.name, sizeof(total.name), "(total)");
		snprintf(total.dp, sizeof(total.dp), "%s", dp);
		table_add(&t, &stats_view, &total);
	}
	r = table_finish(&t);
out:
	free(tot->drops);
	port_list_free(&l);
	return r;
}

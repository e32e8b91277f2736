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

/* "port-security-mac:2,no-dest:1", non-zero reasons only; NULL if none. */
static char *drops_text(const struct lsdp_drop *d, unsigned int n)
{
	char *s = NULL, rbuf[24];
	size_t len = 0;
	unsigned int i;
	bool any = false;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return NULL;
	for (i = 0; i < n; i++) {
		if (!d[i].count)
			continue;
		fprintf(f, "%s%s:%" PRIu64, any ? "," : "",
			lsdp_drop_reason_name(d[i].reason, rbuf, sizeof(rbuf)),
			d[i].count);
		any = true;
	}
	fclose(f);
	if (!any) {
		free(s);
		return NULL;
	}
	return s;
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

static void stats_row(struct table *t, const char *port, const char *dp,
		      const struct lsdp_stats *s)
{
	char rxp[24], rxb[24], txp[24], txb[24], dr[24];
	char *reasons = drops_text(s->drops, s->n_drops);
	const char *row[8];

	snprintf(rxp, sizeof(rxp), "%" PRIu64, s->rx_packets);
	snprintf(rxb, sizeof(rxb), "%" PRIu64, s->rx_bytes);
	snprintf(txp, sizeof(txp), "%" PRIu64, s->tx_packets);
	snprintf(txb, sizeof(txb), "%" PRIu64, s->tx_bytes);
	snprintf(dr, sizeof(dr), "%" PRIu64, drops_total(s));
	row[0] = port;
	row[1] = dp && dp[0] ? dp : NULL;
	row[2] = rxp;
	row[3] = rxb;
	row[4] = txp;
	row[5] = txb;
	row[6] = dr;
	row[7] = reasons;
	table_row(t, row);
	free(reasons);
}

/* "drops": { REASON: COUNT, ... }, every reason the kernel reported. */
void json_drops(struct json *j, const struct lsdp_stats *s)
{
	char rbuf[24];
	unsigned int k;

	json_key(j, "drops");
	json_obj_open(j);
	for (k = 0; k < s->n_drops; k++)
		json_kv_u64(j, lsdp_drop_reason_name(s->drops[k].reason,
						     rbuf, sizeof(rbuf)),
			    s->drops[k].count);
	json_obj_close(j);
}

void json_stats(struct json *j, const struct lsdp_stats *s)
{
	json_kv_u64(j, "rx_packets", s->rx_packets);
	json_kv_u64(j, "rx_bytes", s->rx_bytes);
	json_kv_u64(j, "tx_packets", s->tx_packets);
	json_kv_u64(j, "tx_bytes", s->tx_bytes);
	json_drops(j, s);
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

static void stats_json(struct json *j, const void *obj)
{
	const struct lsdp_port_info *p = obj;

	json_kv_str(j, "port", p->name);
	json_kv_str(j, "datapath", p->dp);
	json_stats(j, &p->stats);
}

static void stats_port_row(struct table *t, const void *obj)
{
	const struct lsdp_port_info *p = obj;

	stats_row(t, p->name, p->dp, &p->stats);
}

static const char *const stats_hdr[] = {
	"PORT", "DATAPATH", "RX_PACKETS", "RX_BYTES", "TX_PACKETS",
	"TX_BYTES", "DROPS", "DROP_REASONS"
};
static const bool stats_right[] = {
	false, false, true, true, true, true, true, false
};

static const struct list_fmt stats_fmt = {
	.size = sizeof(struct lsdp_port_info), .cmp = cmp_port,
	.json = stats_json, .ncols = ARRAY_SIZE(stats_hdr), .hdr = stats_hdr,
	.right = stats_right, .row = stats_port_row,
};

static int stats_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct port_list l = { 0 };
	struct lsdp_stats tot = { 0 };
	const char *arg, *dp;
	struct table t;
	size_t i;
	int r;

	(void)obj;
	r = args_optional_last(&a, &arg);
	if (r)
		return r;
	r = ports_for_show(arg, &l, &dp);
	if (r || list_format(&stats_fmt, l.v, l.n, &t))
		goto out;
	for (i = 0; i < l.n; i++) {
		const struct lsdp_stats *s = &l.v[i].stats;

		tot.rx_packets += s->rx_packets;
		tot.rx_bytes += s->rx_bytes;
		tot.tx_packets += s->tx_packets;
		tot.tx_bytes += s->tx_bytes;
		if (drops_add(&tot, s))
			t.failed = true;
	}
	/* A datapath's ports, then their sum. */
	if (dp && l.n)
		stats_row(&t, "(total)", dp, &tot);
	r = table_finish(&t);
out:
	free(tot.drops);
	port_list_free(&l);
	return r;
}

static const struct cmd stats_cmds[] = {
	{ "show", stats_show, "lsdp stats show [ PORT | DATAPATH ]", NULL },
};

const struct object stats_object = {
	"stats", 0, stats_cmds, ARRAY_SIZE(stats_cmds), NULL
};

// SPDX-License-Identifier: GPL-2.0
/* lsdp CLI: lsdp hold: the hold queue and the neighbour table's limits. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int hold_set(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct lsdp_hold_limits l = { 0 };
	const char *kw, *v;
	struct nl_msg *msg;
	unsigned int i;

	(void)obj;
	while ((kw = args_next(&a))) {
		for (i = 0; i < LSDP_HOLD_L_COUNT; i++)
			if (!strcmp(kw, lsdp_hold_limit_descs[i].keyword))
				break;
		if (i == LSDP_HOLD_L_COUNT)
			return args_unknown(kw);
		if (l.present & (1u << i))
			return usage_error("duplicate \"%s\"", kw);
		if (!(v = args_value(&a, kw)))
			return CMD_FAIL;
		/* Ranges are the kernel's to check (and to explain). */
		if (!parse_u32_unit(v, lsdp_hold_limit_descs[i].ms ? "ms" : NULL,
				    &l.v[i]))
			return usage_error("invalid %s \"%s\"", kw, v);
		l.present |= 1u << i;
	}
	if (!l.present)
		return usage_error("nothing to change");
	msg = new_msg(LSDP_CMD_HOLD_SET, 0);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_hold_limits(msg, &l) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

DEFINE_COLLECT(held, struct lsdp_held_info, lsdp_held_parse)

static int hold_collect_cb(struct nl_msg *msg, void *arg)
{
	struct lsdp_hold_info *h = arg;

	lsdp_hold_info_clear(h);
	return lsdp_hold_parse(msg, h);
}

/* By port, the unbound-port entry first, then by address. */
static int cmp_held(const void *a, const void *b)
{
	const struct lsdp_held_info *x = a, *y = b;
	int c = strcmp(x->port, y->port);

	if (c)
		return c;
	if (x->has_addr != y->has_addr)
		return x->has_addr ? 1 : -1;
	return x->has_addr ? cmp_addr(&x->addr, &y->addr) : 0;
}

/* Nanoseconds as microseconds, one decimal. */
static const char *fmt_us(uint64_t ns, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64 ".%" PRIu64, ns / 1000, ns % 1000 / 100);
	return buf;
}

/* The next hop the packets wait for, or the port they wait to be bound. */
static void held_addr(struct out *o, const void *obj)
{
	const struct lsdp_held_info *d = obj;

	out_addr(o, d->has_addr ? &d->addr : NULL);
	if (!d->has_addr)
		out_text(o, "(unbound port)");
}

#define FIELD_TYPE struct lsdp_held_info
static const struct field held_fields[] = {
	{ COL("port", "PORT", 0), AT(FK_STR, port) },
	{ COL("address", "DESTINATION", 1), FN(held_addr) },
	{ COL("packets", "PACKETS", 2), AT(FK_U32, packets), RIGHT },
	{ COL("bytes", "BYTES", 3), AT(FK_U32, bytes), RIGHT },
	{ COL("age_ms", "AGE_MS", 4), AT(FK_U32, age_ms), RIGHT },
};

static const struct view held_view =
	VIEW(struct lsdp_held_info, cmp_held, held_fields, NULL);

static void hold_print_json(const struct lsdp_hold_info *h,
			    const struct list *l)
{
	struct json j;
	unsigned int i;

	json_init(&j, stdout, G.pretty);
	json_obj_open(&j);
	json_key(&j, "limits");
	json_obj_open(&j);
	for (i = 0; i < LSDP_HOLD_L_COUNT; i++) {
		if (h->limits.present & (1u << i))
			json_kv_u64(&j, lsdp_hold_limit_descs[i].json, h->limits.v[i]);
		else
			json_kv_null(&j, lsdp_hold_limit_descs[i].json);
	}
	json_obj_close(&j);
	json_key(&j, "counters");
	json_obj_open(&j);
	json_kv_u64(&j, "held", h->stats.rx_packets);
	json_kv_u64(&j, "released", h->stats.tx_packets);
	if (h->has_bytes)
		json_kv_u64(&j, "bytes_held", h->bytes);
	else
		json_kv_null(&j, "bytes_held");
	json_drops(&j, &h->stats);
	json_obj_close(&j);
	json_key(&j, "latency");
	json_obj_open(&j);
	json_kv_u64(&j, "samples", h->lat_samples);
	json_kv_u64(&j, "p50_ns", h->lat_p50_ns);
	json_kv_u64(&j, "p99_ns", h->lat_p99_ns);
	json_kv_u64(&j, "max_ns", h->lat_max_ns);
	json_obj_close(&j);
	if (h->has_neigh_count)
		json_kv_u64(&j, "neighbours", h->neigh_count);
	else
		json_kv_null(&j, "neighbours");
	json_key(&j, "pending");
	list_json(&j, &held_view, l->v, l->n);
	json_obj_close(&j);
	json_end(&j);
}

static void hold_print(const struct lsdp_hold_info *h, const struct list *l)
{
	char b1[32], b2[32], b3[32];
	struct table t;
	unsigned int i;

	/* The settings, in the words of "hold set"; times in milliseconds. */
	fputs("limits", stdout);
	for (i = 0; i < LSDP_HOLD_L_COUNT; i++)
		if (h->limits.present & (1u << i))
			printf(" %s %" PRIu32 "%s", lsdp_hold_limit_descs[i].keyword,
			       h->limits.v[i], lsdp_hold_limit_descs[i].ms ? "ms" : "");
	fputc('\n', stdout);
	printf("held %" PRIu64 " packets, released %" PRIu64,
	       h->stats.rx_packets, h->stats.tx_packets);
	if (h->has_bytes)
		printf(", %" PRIu32 " bytes held now", h->bytes);
	fputc('\n', stdout);
	print_drops(&h->stats);
	if (h->lat_samples)
		printf("release latency: median %s us, p99 %s us, max %s us (%" PRIu32
		       " samples)\n", fmt_us(h->lat_p50_ns, b1, sizeof(b1)),
		       fmt_us(h->lat_p99_ns, b2, sizeof(b2)),
		       fmt_us(h->lat_max_ns, b3, sizeof(b3)), h->lat_samples);
	else
		printf("release latency: no samples\n");
	if (h->has_neigh_count)
		printf("neighbours %" PRIu32 "\n", h->neigh_count);
	if (!l->n)
		return;

	fputc('\n', stdout);
	list_table(&t, &held_view, l->v, l->n);
	table_finish(&t);
}

int hold_show(const struct object *obj, int argc, char **argv)
{
	struct lsdp_hold_info h = { 0 };
	struct list l = { 0 };
	int r;

	(void)obj;
	r = show_one(argc, argv, LSDP_CMD_HOLD_GET, hold_collect_cb, &h);
	if (!r)
		r = dump_show(LSDP_CMD_HOLD_GET, 0, NULL, held_collect_cb, &l,
			      list_reset);
	if (r)
		goto out;
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(struct lsdp_held_info), cmp_held);
	if (G.json)
		hold_print_json(&h, &l);
	else
		hold_print(&h, &l);
out:
	lsdp_hold_info_clear(&h);
	free(l.v);
	return r;
}

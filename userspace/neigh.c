// SPDX-License-Identifier: GPL-2.0
/* lsdp CLI: lsdp neigh: a router port's neighbours. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

DEFINE_COLLECT(neigh, struct lsdp_neigh_info, lsdp_neigh_parse)

static int cmp_neigh(const void *a, const void *b)
{
	const struct lsdp_neigh_info *x = a, *y = b;
	int c = strcmp(x->port, y->port);

	return c ? c : cmp_addr(&x->addr, &y->addr);
}

static const char *fmt_neigh_state(uint8_t state, char *buf, size_t len)
{
	const char *s = lsdp_neigh_state_name(state);

	if (s)
		return s;
	snprintf(buf, len, "state-%u", state);
	return buf;
}

static void neigh_state(struct out *o, const void *obj)
{
	const struct lsdp_neigh_info *ne = obj;
	char buf[16];

	out_str(o, fmt_neigh_state(ne->state, buf, sizeof(buf)));
}

#define FIELD_TYPE struct lsdp_neigh_info
static const struct field neigh_fields[] = {
	{ COL("port", "PORT", 0), AT(FK_STR, port) },
	{ COL("address", "ADDRESS", 1), AT(FK_ADDR, addr) },
	{ COL("mac", "MAC", 2), AT(FK_MAC, mac), IF(has_mac) },
	{ COL("state", "STATE", 3), FN(neigh_state) },
	{ COL("age_ms", "AGE_MS", 4), AT(FK_U32, age_ms), IF(has_age), RIGHT },
	{ COL("probes", "PROBES", 5), AT(FK_U32, probes), RIGHT },
};

const struct view neigh_view =
	VIEW(struct lsdp_neigh_info, cmp_neigh, neigh_fields, neigh_collect_cb);

/* "neigh add" or "neigh del". */
int neigh_change(const struct object *obj, int argc, char **argv)
{
	bool add = cur_cmd->req == LSDP_CMD_NEIGH_NEW;
	struct args a = { argc, argv };
	const char *port = NULL, *addr = NULL, *kw, *v;
	struct lsdp_addr ip;
	struct nl_msg *msg;
	bool has_mac = false;
	uint8_t mac[6];
	int r;

	(void)obj;
	r = args_positional(&a, "PORT", &port);
	if (!r)
		r = args_positional(&a, "ADDR", &addr);
	if (r)
		return r;
	if (!parse_addr(addr, &ip))
		return usage_error("invalid address \"%s\"", addr);
	while (add && (kw = args_next(&a))) {
		if (strcmp(kw, "mac"))
			return args_unknown(kw);
		if (!(v = args_once(&a, kw, &has_mac)))
			return CMD_FAIL;
		if (!parse_mac(v, mac))
			return usage_error("invalid MAC address \"%s\"", v);
	}
	if (add && !has_mac)
		return usage_error("\"mac\" is required");
	if (!add && (r = args_end(&a)))
		return r;

	msg = new_msg(cur_cmd->req, 0);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_neigh(msg, port, &ip, add ? mac : NULL) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

int neigh_flush(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct nl_msg *msg;
	const char *port;
	int r;

	(void)obj;
	r = args_optional_last(&a, &port);
	if (r)
		return r;
	msg = new_msg_str(LSDP_CMD_NEIGH_FLUSH, 0, LSDP_A_PORT_NAME, port);
	return msg ? transact(msg) : CMD_FAIL;
}

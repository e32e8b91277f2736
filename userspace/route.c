// SPDX-License-Identifier: GPL-2.0
/* lsdp CLI: lsdp route: a router's routes. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/*
 * A route's destination: ADDR/LEN with no host bits, ADDR alone (a host
 * route) or "default" (0.0.0.0/0; IPv6 says ::/0).
 */
static int parse_route_prefix(const char *v, struct lsdp_prefix *p)
{
	char buf[LSDP_PREFIX_STRLEN];

	switch (lsdp_prefix_parse(v, p, LSDP_PREFIX_F_NETWORK |
				     LSDP_PREFIX_F_DEFAULT)) {
	case LSDP_PREFIX_OK:
		return CMD_OK;
	case LSDP_PREFIX_BAD_LEN:
		return usage_error("invalid prefix length in \"%s\"", v);
	case LSDP_PREFIX_HOST_BITS:
		return usage_error("prefix \"%s\" has host bits set (network %s)",
				   v, lsdp_prefix_str(p, buf, sizeof(buf)));
	default:
		return usage_error("invalid prefix \"%s\"", v);
	}
}

static int route_add(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *router = NULL, *pfx = NULL, *kw, *v, *port = NULL;
	struct lsdp_addr via;
	struct lsdp_prefix p;
	bool has_via = false;
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = args_positional(&a, "ROUTER", &router);
	if (!r)
		r = args_positional(&a, "PREFIX", &pfx);
	if (r)
		return r;
	if ((r = parse_route_prefix(pfx, &p)))
		return r;
	while ((kw = args_next(&a))) {
		if (is_help(kw))
			return CMD_HELP;
		if (!strcmp(kw, "via")) {
			if (has_via)
				return usage_error("duplicate \"via\"");
			if (!(v = args_value(&a, kw)))
				return CMD_FAIL;
			if (!parse_addr(v, &via))
				return usage_error("invalid address \"%s\"", v);
			if (via.family != p.addr.family)
				return usage_error("\"via %s\" is not of the family of the prefix", v);
			has_via = true;
		} else if (!strcmp(kw, "port")) {
			if (port)
				return usage_error("duplicate \"port\"");
			if (!(port = args_value(&a, kw)))
				return CMD_FAIL;
		} else {
			return usage_error("unknown argument \"%s\"", kw);
		}
	}
	if (!port)
		return usage_error("\"port\" is required");

	msg = new_msg(LSDP_CMD_ROUTE_NEW, 0);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_route(msg, router, &p, has_via ? &via : NULL, port) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

static int route_del(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *router = NULL, *pfx = NULL;
	struct lsdp_prefix p;
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = args_positional(&a, "ROUTER", &router);
	if (!r)
		r = args_positional(&a, "PREFIX", &pfx);
	if (!r)
		r = parse_route_prefix(pfx, &p);
	if (!r)
		r = args_end(&a);
	if (r)
		return r;
	msg = new_msg(LSDP_CMD_ROUTE_DEL, 0);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_route(msg, router, &p, NULL, NULL) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

DEFINE_LIST(route, struct lsdp_route_info, lsdp_route_parse)

/* By router, IPv4 first, then by address and longest prefix first. */
static int cmp_route(const void *a, const void *b)
{
	const struct lsdp_route_info *x = a, *y = b;
	int c = strcmp(x->dp, y->dp);

	if (c)
		return c;
	c = cmp_addr(&x->prefix.addr, &y->prefix.addr);
	if (c)
		return c;
	return (x->prefix.plen < y->prefix.plen) - (x->prefix.plen > y->prefix.plen);
}

static void route_json(struct json *j, const void *obj)
{
	const struct lsdp_route_info *rt = obj;
	char pbuf[LSDP_PREFIX_STRLEN], vbuf[INET6_ADDRSTRLEN];

	json_kv_str(j, "router", rt->dp[0] ? rt->dp : NULL);
	json_kv_str(j, "prefix",
		    lsdp_prefix_str(&rt->prefix, pbuf, sizeof(pbuf)));
	json_kv_str(j, "via", rt->has_via ?
		    fmt_addr(&rt->via, vbuf, sizeof(vbuf)) : NULL);
	json_kv_str(j, "port", rt->port[0] ? rt->port : NULL);
	json_kv_bool(j, "connected", rt->connected);
}

static void route_row(struct table *t, const void *obj)
{
	const struct lsdp_route_info *rt = obj;
	char pbuf[LSDP_PREFIX_STRLEN], vbuf[INET6_ADDRSTRLEN];
	const char *row[5];

	row[0] = rt->dp[0] ? rt->dp : NULL;
	row[1] = lsdp_prefix_str(&rt->prefix, pbuf, sizeof(pbuf));
	row[2] = rt->has_via ? fmt_addr(&rt->via, vbuf, sizeof(vbuf)) : NULL;
	row[3] = rt->port[0] ? rt->port : NULL;
	row[4] = rt->connected ? "connected" : "static";
	table_row(t, row);
}

static const char *const route_hdr[] = {
	"ROUTER", "PREFIX", "VIA", "PORT", "TYPE"
};
static const bool route_right[] = { false, false, false, false, false };

static const struct list_fmt route_fmt = {
	.size = sizeof(struct lsdp_route_info), .cmp = cmp_route,
	.json = route_json, .ncols = ARRAY_SIZE(route_hdr), .hdr = route_hdr,
	.right = route_right, .row = route_row,
};

static int route_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct route_list l = { 0 };
	const char *router;
	struct table t;
	int r;

	(void)obj;
	r = args_optional_last(&a, &router);
	if (r)
		return r;
	r = dump_show(LSDP_CMD_ROUTE_GET, LSDP_A_DP_NAME, router,
		      route_collect_cb, &l, route_list_reset);
	if (!r && !list_format(&route_fmt, l.v, l.n, &t))
		table_finish(&t);
	free(l.v);
	return r;
}

#define ROUTE_WHERE \
	"where  PREFIX := ADDR/PREFIXLEN with no host bits, ADDR (a host route),\n" \
	"                 or default (0.0.0.0/0; for IPv6 write ::/0)\n" \
	"       ADDR := the next hop, of the prefix's family; without via the\n" \
	"               destination is on the port's link\n"

static const struct cmd route_cmds[] = {
	{ "add", route_add, "lsdp route add ROUTER PREFIX [ via ADDR ] port PORT",
	  ROUTE_WHERE },
	{ "del", route_del, "lsdp route del ROUTER PREFIX", ROUTE_WHERE },
	{ "show", route_show, "lsdp route show [ ROUTER ]", NULL },
};

const struct object route_object = {
	"route", 0, route_cmds, ARRAY_SIZE(route_cmds), ROUTE_WHERE
};

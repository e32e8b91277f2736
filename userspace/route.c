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

static void route_prefix(struct out *o, const void *obj)
{
	const struct lsdp_route_info *rt = obj;
	char buf[LSDP_PREFIX_STRLEN];

	out_str(o, lsdp_prefix_str(&rt->prefix, buf, sizeof(buf)));
}

static void route_via(struct out *o, const void *obj)
{
	const struct lsdp_route_info *rt = obj;

	out_addr(o, rt->has_via ? &rt->via : NULL);
}

/* "connected": true/false; the table's TYPE says connected or static. */
static void route_connected(struct out *o, const void *obj)
{
	const struct lsdp_route_info *rt = obj;

	out_bool(o, rt->connected, rt->connected ? "connected" : "static");
}

#define FIELD_TYPE struct lsdp_route_info
static const struct field route_fields[] = {
	{ COL("router", "ROUTER", 0), AT(FK_NAME, dp) },
	{ COL("prefix", "PREFIX", 1), FN(route_prefix) },
	{ COL("via", "VIA", 2), FN(route_via) },
	{ COL("port", "PORT", 3), AT(FK_NAME, port) },
	{ COL("connected", "TYPE", 4), FN(route_connected) },
};
#undef FIELD_TYPE

static const struct view route_view = {
	sizeof(struct lsdp_route_info), cmp_route, FIELD_SET(route_fields)
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
	if (!r && !list_format(&route_view, l.v, l.n, &t))
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

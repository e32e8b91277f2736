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

DEFINE_COLLECT(route, struct lsdp_route_info, lsdp_route_parse)

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
	{ COL("via", "VIA", 2), AT(FK_ADDR, via), IF(has_via) },
	{ COL("port", "PORT", 3), AT(FK_NAME, port) },
	{ COL("connected", "TYPE", 4), FN(route_connected) },
};

const struct view route_view =
	VIEW(struct lsdp_route_info, cmp_route, route_fields, route_collect_cb);

/*
 * A route's destination: ADDR/LEN with no host bits, ADDR alone (a host
 * route) or "default" (0.0.0.0/0; IPv6 says ::/0).
 */
static int parse_route_prefix(const char *v, struct lsdp_prefix *p)
{
	return parse_network(v, p, LSDP_PREFIX_F_DEFAULT, "prefix", "prefix");
}

/* "ROUTER PREFIX", the words both add and del begin with. */
static int route_target(struct args *a, const char **router,
			struct lsdp_prefix *p)
{
	const char *pfx = NULL;
	int r;

	r = args_positional(a, "ROUTER", router);
	if (!r)
		r = args_positional(a, "PREFIX", &pfx);
	if (!r)
		r = parse_route_prefix(pfx, p);
	return r;
}

int route_add(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *router = NULL, *kw, *v, *port = NULL;
	struct lsdp_addr via;
	struct lsdp_prefix p;
	bool has_via = false, has_port = false;
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = route_target(&a, &router, &p);
	if (r)
		return r;
	while ((kw = args_next(&a))) {
		if (!strcmp(kw, "port")) {
			if (!(port = args_once(&a, kw, &has_port)))
				return CMD_FAIL;
		} else if (!strcmp(kw, "via")) {
			if (!(v = args_addr(&a, kw, &has_via, &via)))
				return CMD_FAIL;
			if (via.family != p.addr.family)
				return usage_error("\"via %s\" is not of the family of the prefix", v);
		} else {
			return args_unknown(kw);
		}
	}
	msg = new_msg_needs(has_port, "port", LSDP_CMD_ROUTE_NEW);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_route(msg, router, &p, has_via ? &via : NULL, port) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

int route_del(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *router = NULL;
	struct lsdp_prefix p;
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = route_target(&a, &router, &p);
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

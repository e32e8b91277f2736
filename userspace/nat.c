// SPDX-License-Identifier: GPL-2.0
/* lsdp CLI: lsdp nat: a router's NAT rules (ovn-nbctl lr-nat-*). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

DEFINE_COLLECT(nat, struct lsdp_nat_info, lsdp_nat_parse)

static const char *const nat_types[] = {
	[LSDP_NAT_TYPE_SNAT] = "snat",
	[LSDP_NAT_TYPE_DNAT] = "dnat",
	[LSDP_NAT_TYPE_DNAT_AND_SNAT] = "dnat_and_snat",
};

static const char *nat_type_name(unsigned int type)
{
	return type < ARRAY_SIZE(nat_types) ? nat_types[type] : NULL;
}

/* By router, then external address, then type (as lr-nat-list). */
static int cmp_nat(const void *a, const void *b)
{
	const struct lsdp_nat_info *x = a, *y = b;
	int c = strcmp(x->dp, y->dp);

	if (c)
		return c;
	c = cmp_addr(&x->external, &y->external);
	if (c)
		return c;
	c = (x->type > y->type) - (x->type < y->type);
	if (c)
		return c;
	return cmp_addr(&x->logical.addr, &y->logical.addr);
}

static void nat_logical(struct out *o, const void *obj)
{
	const struct lsdp_nat_info *n = obj;
	char buf[LSDP_PREFIX_STRLEN];

	if (n->logical.plen == 32) {
		out_addr(o, &n->logical.addr);
		return;
	}
	out_str(o, lsdp_prefix_str(&n->logical, buf, sizeof(buf)));
}

static void nat_range(struct out *o, const void *obj)
{
	const struct lsdp_nat_info *n = obj;
	char buf[16];

	snprintf(buf, sizeof(buf), "%u-%u", n->port_min, n->port_max);
	out_str(o, buf);
}

/* Where the rule is translated: here, elsewhere (distributed), gateway. */
static void nat_where(struct out *o, const void *obj)
{
	const struct lsdp_nat_info *n = obj;

	if (!n->has_mac)
		out_str(o, "centralized");
	else
		out_str(o, n->local ? "distributed-here" : "distributed-elsewhere");
}

#define FIELD_TYPE struct lsdp_nat_info
static const struct field nat_fields[] = {
	{ COL("router", "ROUTER", 0), AT(FK_NAME, dp) },
	{ COL("type", "TYPE", 1), ENUM(type, nat_type_name, "type") },
	{ COL("external_ip", "EXTERNAL_IP", 2), AT(FK_ADDR, external) },
	{ COL("logical_ip", "LOGICAL_IP", 3), FN(nat_logical) },
	{ COL("logical_port", "LOGICAL_PORT", 4), AT(FK_NAME, port) },
	{ COL("external_mac", "EXTERNAL_MAC", 5), AT(FK_MAC, mac), IF(has_mac) },
	{ COL("port_range", "PORTS", 6), FN(nat_range), IF(has_range) },
	{ COL("where", "WHERE", 7), FN(nat_where) },
	{ COL("hits", "HITS", 8), AT(FK_U64, hits), RIGHT },
	{ COL("ct_zone", NULL, -1), AT(FK_U32, zone) },
};

const struct view nat_view =
	VIEW(struct lsdp_nat_info, cmp_nat, nat_fields, nat_collect_cb);

static int parse_nat_type(const char *v, uint8_t *type)
{
	unsigned int i;

	for (i = 1; i < ARRAY_SIZE(nat_types); i++) {
		if (!strcmp(v, nat_types[i])) {
			*type = i;
			return CMD_OK;
		}
	}
	return usage_error("invalid NAT type \"%s\" (snat, dnat or dnat_and_snat)", v);
}

/* INTERNAL: an address, or (snat) a network with no host bits. */
static int parse_logical(const char *v, struct lsdp_prefix *p)
{
	int r = parse_network(v, p, 0, "logical network", "logical address");

	if (r == CMD_OK && p->addr.family != AF_INET)
		return error("logical address must be IPv4; IPv6 NAT is not supported");
	return r;
}

/* "ROUTER TYPE EXTERNAL", the words add and del begin with. */
static int nat_target(struct args *a, const char **router, uint8_t *type,
		      struct lsdp_addr *ext)
{
	const char *t = NULL, *e = NULL;
	int r;

	r = args_positional(a, "ROUTER", router);
	if (!r)
		r = args_positional(a, "TYPE", &t);
	if (!r)
		r = parse_nat_type(t, type);
	if (!r)
		r = args_positional(a, "EXTERNAL", &e);
	if (!r && !parse_addr(e, ext))
		r = usage_error("invalid external address \"%s\"", e);
	/* The kernel's policy would only say "4 bytes". */
	if (!r && ext->family != AF_INET)
		r = error("external address must be IPv4; IPv6 NAT is not supported");
	return r;
}

/* "MIN-MAX" of ports 1..65535; the kernel checks the order. */
static bool parse_range(const char *v, uint16_t *min, uint16_t *max)
{
	unsigned long a, b;
	char *end;

	if (*v < '0' || *v > '9')
		return false;
	a = strtoul(v, &end, 10);
	if (*end != '-' || end[1] < '0' || end[1] > '9')
		return false;
	b = strtoul(end + 1, &end, 10);
	if (*end || !a || a > 65535 || !b || b > 65535)
		return false;
	*min = a;
	*max = b;
	return true;
}

int nat_add(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *router = NULL, *in = NULL, *kw, *v, *port = NULL;
	bool has_port = false, has_mac = false, has_range = false;
	uint16_t pmin = 0, pmax = 0;
	struct lsdp_prefix logical;
	struct lsdp_addr ext;
	struct nl_msg *msg;
	uint8_t type, mac[6];
	int r;

	(void)obj;
	r = nat_target(&a, &router, &type, &ext);
	if (!r)
		r = args_positional(&a, "INTERNAL", &in);
	if (!r)
		r = parse_logical(in, &logical);
	if (r)
		return r;
	while ((kw = args_next(&a))) {
		if (!strcmp(kw, "port")) {
			if (!(port = args_once(&a, kw, &has_port)))
				return CMD_FAIL;
		} else if (!strcmp(kw, "mac")) {
			if (!(v = args_once(&a, kw, &has_mac)))
				return CMD_FAIL;
			if (!parse_mac(v, mac))
				return usage_error("invalid MAC address \"%s\"", v);
		} else if (!strcmp(kw, "ports")) {
			if (!(v = args_once(&a, kw, &has_range)))
				return CMD_FAIL;
			if (!parse_range(v, &pmin, &pmax))
				return usage_error("invalid port range \"%s\" (MIN-MAX, 1..65535)", v);
		} else {
			return args_unknown(kw);
		}
	}
	msg = new_msg(LSDP_CMD_NAT_NEW, 0);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_nat(msg, router, type, &ext, &logical, port,
			 has_mac ? mac : NULL, pmin, pmax) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

int nat_del(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *router = NULL, *in = NULL;
	struct lsdp_prefix logical;
	struct lsdp_addr ext;
	struct nl_msg *msg;
	uint8_t type;
	int r;

	(void)obj;
	r = nat_target(&a, &router, &type, &ext);
	if (!r)
		r = args_optional_last(&a, &in);
	if (!r && in)
		r = parse_logical(in, &logical);
	if (r)
		return r;
	msg = new_msg(LSDP_CMD_NAT_DEL, 0);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_nat(msg, router, type, &ext, in ? &logical : NULL, NULL,
			 NULL, 0, 0) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

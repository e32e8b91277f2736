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

static int neigh_add_del(bool add, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *port = NULL, *addr = NULL, *kw, *v;
	struct lsdp_addr ip;
	struct nl_msg *msg;
	bool has_mac = false;
	uint8_t mac[6];
	int r;

	r = args_positional(&a, "PORT", &port);
	if (!r)
		r = args_positional(&a, "ADDR", &addr);
	if (r)
		return r;
	if (!parse_addr(addr, &ip))
		return usage_error("invalid address \"%s\"", addr);
	while (add && (kw = args_next(&a))) {
		if (is_help(kw))
			return CMD_HELP;
		if (strcmp(kw, "mac"))
			return usage_error("unknown argument \"%s\"", kw);
		if (has_mac)
			return usage_error("duplicate \"mac\"");
		if (!(v = args_value(&a, kw)))
			return CMD_FAIL;
		if (!parse_mac(v, mac))
			return usage_error("invalid MAC address \"%s\"", v);
		has_mac = true;
	}
	if (add && !has_mac)
		return usage_error("\"mac\" is required");
	if (!add && (r = args_end(&a)))
		return r;

	msg = new_msg(add ? LSDP_CMD_NEIGH_NEW : LSDP_CMD_NEIGH_DEL, 0);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_neigh(msg, port, &ip, add ? mac : NULL) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

static int neigh_add(const struct object *obj, int argc, char **argv)
{
	(void)obj;
	return neigh_add_del(true, argc, argv);
}

static int neigh_del(const struct object *obj, int argc, char **argv)
{
	(void)obj;
	return neigh_add_del(false, argc, argv);
}

DEFINE_LIST(neigh, struct lsdp_neigh_info, lsdp_neigh_parse)

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

static void neigh_addr(struct out *o, const void *obj)
{
	out_addr(o, &((const struct lsdp_neigh_info *)obj)->addr);
}

static void neigh_mac(struct out *o, const void *obj)
{
	const struct lsdp_neigh_info *ne = obj;

	out_mac(o, ne->has_mac ? ne->mac : NULL);
}

static void neigh_state(struct out *o, const void *obj)
{
	const struct lsdp_neigh_info *ne = obj;
	char buf[16];

	out_str(o, fmt_neigh_state(ne->state, buf, sizeof(buf)));
}

static void neigh_age(struct out *o, const void *obj)
{
	const struct lsdp_neigh_info *ne = obj;

	if (ne->has_age)
		out_u64(o, ne->age_ms);
	else
		out_null(o);
}

#define FIELD_TYPE struct lsdp_neigh_info
static const struct field neigh_fields[] = {
	{ COL("port", "PORT", 0), AT(FK_STR, port) },
	{ COL("address", "ADDRESS", 1), FN(neigh_addr) },
	{ COL("mac", "MAC", 2), FN(neigh_mac) },
	{ COL("state", "STATE", 3), FN(neigh_state) },
	{ COL("age_ms", "AGE_MS", 4), FN(neigh_age), RIGHT },
	{ COL("probes", "PROBES", 5), AT(FK_U32, probes), RIGHT },
};
#undef FIELD_TYPE

static const struct view neigh_view = {
	sizeof(struct lsdp_neigh_info), cmp_neigh, FIELD_SET(neigh_fields)
};

static int neigh_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct neigh_list l = { 0 };
	const char *port;
	struct table t;
	int r;

	(void)obj;
	r = args_optional_last(&a, &port);
	if (r)
		return r;
	r = dump_show(LSDP_CMD_NEIGH_GET, LSDP_A_PORT_NAME, port,
		      neigh_collect_cb, &l, neigh_list_reset);
	if (!r && !list_format(&neigh_view, l.v, l.n, &t))
		table_finish(&t);
	free(l.v);
	return r;
}

static int neigh_flush(const struct object *obj, int argc, char **argv)
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

#define NEIGH_WHERE \
	"where  PORT := a router port\n" \
	"       ADDR := an IPv4 or IPv6 address\n" \
	"       MAC := xx:xx:xx:xx:xx:xx\n"

static const struct cmd neigh_cmds[] = {
	{ "add", neigh_add, "lsdp neigh add PORT ADDR mac MAC", NEIGH_WHERE },
	{ "del", neigh_del, "lsdp neigh del PORT ADDR", NEIGH_WHERE },
	{ "show", neigh_show, "lsdp neigh show [ PORT ]", NULL },
	{ "flush", neigh_flush, "lsdp neigh flush [ PORT ]", NULL },
};

const struct object neigh_object = {
	"neigh", 0, neigh_cmds, ARRAY_SIZE(neigh_cmds), NEIGH_WHERE
};

// SPDX-License-Identifier: GPL-2.0
/* lsdp CLI: lsdp chassis: other hypervisors and their tunnel addresses. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct chassis_list {
	struct lsdp_chassis_info *v;
	size_t n, cap;
};

static int chassis_collect_cb(struct nl_msg *msg, void *arg)
{
	struct chassis_list *l = arg;

	if (grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)))
		return -ENOMEM;
	if (lsdp_chassis_parse(msg, &l->v[l->n]))
		return 0;	/* not a chassis: skip */
	l->n++;
	return 0;
}

static int cmp_chassis(const void *a, const void *b)
{
	return strcmp(((const struct lsdp_chassis_info *)a)->name,
		      ((const struct lsdp_chassis_info *)b)->name);
}

static void chassis_ip(struct out *o, const void *obj)
{
	out_addr(o, &((const struct lsdp_chassis_info *)obj)->ip);
}

#define FIELD_TYPE struct lsdp_chassis_info
static const struct field chassis_fields[] = {
	{ COL("name", "NAME", 0), AT(FK_STR, name) },
	{ COL("ip", "IP", 1), FN(chassis_ip) },
	{ COL("ports", "PORTS", 2), AT(FK_U32, nports), RIGHT },
};
#undef FIELD_TYPE

static const struct view chassis_view = {
	sizeof(struct lsdp_chassis_info), cmp_chassis, FIELD_SET(chassis_fields)
};

static int chassis_add(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *name, *kw, *v = NULL;
	struct lsdp_addr ip;
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = args_positional(&a, "chassis NAME", &name);
	if (r)
		return r;
	while ((kw = args_next(&a))) {
		if (is_help(kw))
			return CMD_HELP;
		if (strcmp(kw, "ip"))
			return usage_error("unknown argument \"%s\"", kw);
		if (v)
			return usage_error("duplicate \"ip\"");
		if (!(v = args_value(&a, kw)))
			return CMD_FAIL;
		if (!parse_addr(v, &ip))
			return usage_error("invalid address \"%s\"", v);
	}
	if (!v)
		return usage_error("\"ip\" is required");
	msg = new_msg(LSDP_CMD_CHASSIS_NEW, 0);
	if (!msg)
		return CMD_FAIL;
	if (nla_put_string(msg, LSDP_A_CHASSIS_NAME, name) < 0 ||
	    lsdp_put_ip(msg, LSDP_A_CHASSIS_IP, &ip) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

static int chassis_del(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *name = NULL;
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = args_positional(&a, "chassis NAME", &name);
	if (!r)
		r = args_end(&a);
	if (r)
		return r;
	msg = new_msg_str(LSDP_CMD_CHASSIS_DEL, 0, LSDP_A_CHASSIS_NAME, name);
	return msg ? transact(msg) : CMD_FAIL;
}

static int chassis_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct chassis_list l = { 0 };
	const char *name;
	struct nl_msg *msg;
	struct table t;
	int r;

	(void)obj;
	r = args_optional_last(&a, &name);
	if (r)
		return r;
	msg = new_msg_str(LSDP_CMD_CHASSIS_GET, name ? 0 : NLM_F_DUMP,
			  LSDP_A_CHASSIS_NAME, name);
	if (!msg)
		return CMD_FAIL;
	r = request(msg, chassis_collect_cb, &l);
	if (r)
		r = report_nl_error();
	else if (!list_format(&chassis_view, l.v, l.n, &t))
		r = table_finish(&t);
	free(l.v);
	return r;
}

static const struct cmd chassis_cmds[] = {
	{ "add", chassis_add, "lsdp chassis add NAME ip ADDR",
	  "where  ADDR := the chassis' IPv4 or IPv6 underlay (tunnel) address\n" },
	{ "del", chassis_del, "lsdp chassis del NAME", NULL },
	{ "show", chassis_show, "lsdp chassis show [ NAME ]", NULL },
};

const struct object chassis_object = {
	"chassis", 0, chassis_cmds, ARRAY_SIZE(chassis_cmds), NULL
};

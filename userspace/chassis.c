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

static int chassis_collect_cb(struct nl_msg *msg, void *arg)
{
	struct list *l = arg;
	struct lsdp_chassis_info *ch = list_slot(l, sizeof(*ch));

	if (!ch)
		return -ENOMEM;
	if (lsdp_chassis_parse(msg, ch))
		return 0;	/* not a chassis: skip */
	l->n++;
	return 0;
}

static int cmp_chassis(const void *a, const void *b)
{
	return strcmp(((const struct lsdp_chassis_info *)a)->name,
		      ((const struct lsdp_chassis_info *)b)->name);
}

#define FIELD_TYPE struct lsdp_chassis_info
static const struct field chassis_fields[] = {
	{ COL("name", "NAME", 0), AT(FK_STR, name) },
	{ COL("ip", "IP", 1), AT(FK_ADDR, ip) },
	{ COL("ports", "PORTS", 2), AT(FK_U32, nports), RIGHT },
};

const struct view chassis_view =
	VIEW(struct lsdp_chassis_info, cmp_chassis, chassis_fields, chassis_collect_cb);

int chassis_add(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *name, *kw;
	bool has_ip = false;
	struct lsdp_addr ip;
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = args_positional(&a, "chassis NAME", &name);
	if (r)
		return r;
	while ((kw = args_next(&a))) {
		if (strcmp(kw, "ip"))
			return args_unknown(kw);
		if (!args_addr(&a, kw, &has_ip, &ip))
			return CMD_FAIL;
	}
	msg = new_msg_needs(has_ip, "ip", LSDP_CMD_CHASSIS_NEW);
	if (!msg)
		return CMD_FAIL;
	if (nla_put_string(msg, LSDP_A_CHASSIS_NAME, name) < 0 ||
	    lsdp_put_ip(msg, LSDP_A_CHASSIS_IP, &ip) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

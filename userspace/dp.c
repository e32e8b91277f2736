// SPDX-License-Identifier: GPL-2.0
/* lsdp CLI: lsdp switch / lsdp router: logical datapaths. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

DEFINE_COLLECT(dp, struct lsdp_dp_info, lsdp_dp_parse)

/* Negative errno (text in the handle) or 0. */
static int dp_dump(struct list *l)
{
	return dump_filtered(LSDP_CMD_DP_GET, 0, NULL, dp_collect_cb, l,
			     list_reset, false);
}

/* One datapath by name: negative errno (text in the handle) or 0. */
static int dp_get(const char *name, struct lsdp_dp_info *out)
{
	struct list l = { 0 };
	struct nl_msg *msg;
	int err;

	err = build_msg(LSDP_CMD_DP_GET, 0, LSDP_A_DP_NAME, name, &msg);
	if (err)
		return err;
	err = request(msg, dp_collect_cb, &l);
	if (!err && l.n != 1)
		err = -EIO;
	if (!err)
		*out = *(struct lsdp_dp_info *)l.v;
	free(l.v);
	return err;
}

/* Whether datapath @name exists: negative errno (text in the handle) or 0. */
int dp_exists(const char *name, bool *found)
{
	struct list l = { 0 };
	const struct lsdp_dp_info *dps;
	size_t i;
	int err;

	*found = false;
	err = dp_dump(&l);
	for (dps = l.v, i = 0; !err && i < l.n && !*found; i++)
		*found = !strcmp(dps[i].name, name);
	free(l.v);
	return err;
}

static int cmp_dp(const void *a, const void *b)
{
	const struct lsdp_dp_info *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* ------------------------------------------------------------------ */
/* switch / router                                                    */
/* ------------------------------------------------------------------ */

int dp_add(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *name = NULL, *kw, *v;
	bool has_key = false;
	struct nl_msg *msg;
	uint32_t key = 0;
	int r;

	r = args_positional(&a, "NAME", &name);
	if (r)
		return r;
	while ((kw = args_next(&a))) {
		if (strcmp(kw, "key"))
			return args_unknown(kw);
		if (!(v = args_once(&a, kw, &has_key)))
			return CMD_FAIL;
		if (!parse_u32(v, &key))
			return usage_error("invalid key \"%s\"", v);
	}
	msg = new_msg_needs(has_key, "key", LSDP_CMD_DP_NEW);
	if (!msg)
		return CMD_FAIL;
	if (nla_put_string(msg, LSDP_A_DP_NAME, name) < 0 ||
	    nla_put_u32(msg, LSDP_A_DP_KEY, key) < 0 ||
	    nla_put_u8(msg, LSDP_A_DP_KIND, obj->kind) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

int dp_del(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct lsdp_dp_info dp;
	struct nl_msg *msg;
	const char *name = NULL;
	int r;

	r = args_positional(&a, "NAME", &name);
	if (r)
		return r;
	r = args_end(&a);
	if (r)
		return r;

	if (!nl_get())
		return CMD_FAIL;
	/* "switch del" must not delete a router (and vice versa). */
	if (dp_get(name, &dp))
		return report_nl_error();
	if (dp.kind != obj->kind)
		return error("\"%s\" is not a %s", name, obj->name);

	msg = new_msg_str(LSDP_CMD_DP_DEL, 0, LSDP_A_DP_NAME, name);
	return msg ? transact(msg) : CMD_FAIL;
}

#define FIELD_TYPE struct lsdp_dp_info
static const struct field dp_fields[] = {
	{ COL("name", "NAME", 0), AT(FK_STR, name) },
	{ COL("key", "KEY", 1), AT(FK_U32, key), RIGHT },
	{ COL("kind", "KIND", 2), ENUM(kind, lsdp_dp_kind_name, "kind") },
	{ COL("ports", "PORTS", 3), AT(FK_U32, nports), IF(has_nports), RIGHT },
};

static const struct view dp_view =
	VIEW(struct lsdp_dp_info, cmp_dp, dp_fields, NULL);

int dp_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct list l = { 0 };
	struct lsdp_dp_info *dps;
	const char *name = NULL;
	struct table t;
	size_t i, n;
	int r;

	r = args_optional_last(&a, &name);
	if (r)
		return r;
	if (!nl_get())
		return CMD_FAIL;

	if (name) {
		struct lsdp_dp_info dp;

		if (dp_get(name, &dp))
			return report_nl_error();
		if (dp.kind != obj->kind)
			return error("\"%s\" is not a %s", name, obj->name);
		dps = list_slot(&l, sizeof(*dps));
		if (!dps)
			return error("%s", strerror(ENOMEM));
		dps[0] = dp;
		l.n = 1;
	} else {
		if (dp_dump(&l)) {
			free(l.v);
			return report_nl_error();
		}
		/* Only this object's kind. */
		for (dps = l.v, i = 0, n = 0; i < l.n; i++)
			if (dps[i].kind == obj->kind)
				dps[n++] = dps[i];
		l.n = n;
	}
	/* (Unlike the other tables, printed as far as memory allowed.) */
	if (!list_format(&dp_view, l.v, l.n, &t)) {
		table_print(&t, stdout);
		table_free(&t);
	}
	free(l.v);
	return CMD_OK;
}

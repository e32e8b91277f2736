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

DEFINE_LIST(dp, struct lsdp_dp_info, lsdp_dp_parse)

static void dp_list_free(struct dp_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Negative errno (text in the handle) or 0. */
static int dp_dump(struct dp_list *l)
{
	return dump_filtered(LSDP_CMD_DP_GET, 0, NULL, dp_collect_cb, l,
			     dp_list_reset, false);
}

/* One datapath by name: negative errno (text in the handle) or 0. */
static int dp_get(const char *name, struct lsdp_dp_info *out)
{
	struct dp_list l = { 0 };
	struct nl_msg *msg;
	int err;

	err = build_msg(LSDP_CMD_DP_GET, 0, LSDP_A_DP_NAME, name, &msg);
	if (err)
		return err;
	err = request(msg, dp_collect_cb, &l);
	if (!err && l.n != 1)
		err = -EIO;
	if (!err)
		*out = l.v[0];
	dp_list_free(&l);
	return err;
}

/* Whether datapath @name exists: negative errno (text in the handle) or 0. */
int dp_exists(const char *name, bool *found)
{
	struct dp_list l = { 0 };
	size_t i;
	int err;

	*found = false;
	err = dp_dump(&l);
	for (i = 0; !err && i < l.n && !*found; i++)
		*found = !strcmp(l.v[i].name, name);
	dp_list_free(&l);
	return err;
}

static int cmp_dp(const void *a, const void *b)
{
	const struct lsdp_dp_info *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return strcmp(x->name, y->name);
}

static const char *fmt_dp_kind(uint8_t kind, char *buf, size_t len)
{
	const char *s = lsdp_dp_kind_name(kind);

	if (s)
		return s;
	if (!kind)
		return NULL;
	snprintf(buf, len, "kind-%u", kind);
	return buf;
}

/* ------------------------------------------------------------------ */
/* switch / router                                                    */
/* ------------------------------------------------------------------ */

static int dp_add(const struct object *obj, int argc, char **argv)
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
		if (!strcmp(kw, "key")) {
			if (has_key)
				return usage_error("duplicate \"key\"");
			v = args_value(&a, kw);
			if (!v)
				return CMD_FAIL;
			if (!parse_u32(v, &key))
				return usage_error("invalid key \"%s\"", v);
			has_key = true;
		} else if (is_help(kw)) {
			return CMD_HELP;
		} else {
			return usage_error("unknown argument \"%s\"", kw);
		}
	}
	if (!has_key)
		return usage_error("\"key\" is required");

	msg = new_msg(LSDP_CMD_DP_NEW, 0);
	if (!msg)
		return CMD_FAIL;
	if (nla_put_string(msg, LSDP_A_DP_NAME, name) < 0 ||
	    nla_put_u32(msg, LSDP_A_DP_KEY, key) < 0 ||
	    nla_put_u8(msg, LSDP_A_DP_KIND, obj->kind) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

static int dp_del(const struct object *obj, int argc, char **argv)
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

static void dp_kind(struct out *o, const void *obj)
{
	const struct lsdp_dp_info *d = obj;
	char buf[16];

	out_str(o, fmt_dp_kind(d->kind, buf, sizeof(buf)));
}

static void dp_nports(struct out *o, const void *obj)
{
	const struct lsdp_dp_info *d = obj;

	if (d->has_nports)
		out_u64(o, d->nports);
	else
		out_null(o);
}

#define FIELD_TYPE struct lsdp_dp_info
static const struct field dp_fields[] = {
	{ COL("name", "NAME", 0), AT(FK_STR, name) },
	{ COL("key", "KEY", 1), AT(FK_U32, key), RIGHT },
	{ COL("kind", "KIND", 2), FN(dp_kind) },
	{ COL("ports", "PORTS", 3), FN(dp_nports), RIGHT },
};
#undef FIELD_TYPE

static const struct view dp_view = {
	sizeof(struct lsdp_dp_info), cmp_dp, FIELD_SET(dp_fields)
};

static int dp_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct dp_list l = { 0 };
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
		l.v = malloc(sizeof(*l.v));
		if (!l.v)
			return error("%s", strerror(ENOMEM));
		l.v[0] = dp;
		l.n = 1;
	} else {
		if (dp_dump(&l)) {
			dp_list_free(&l);
			return report_nl_error();
		}
		/* Only this object's kind. */
		for (i = 0, n = 0; i < l.n; i++)
			if (l.v[i].kind == obj->kind)
				l.v[n++] = l.v[i];
		l.n = n;
	}
	/* (Unlike the other tables, printed as far as memory allowed.) */
	if (!list_format(&dp_view, l.v, l.n, &t)) {
		table_print(&t, stdout);
		table_free(&t);
	}
	dp_list_free(&l);
	return CMD_OK;
}

#define DP_WHERE "where  KEY := 1..16777215 (the Geneve VNI)\n"
static const struct cmd switch_cmds[] = {
	{ "add", dp_add, "lsdp switch add NAME key KEY", DP_WHERE },
	{ "del", dp_del, "lsdp switch del NAME", NULL },
	{ "show", dp_show, "lsdp switch show [ NAME ]", NULL },
};

static const struct cmd router_cmds[] = {
	{ "add", dp_add, "lsdp router add NAME key KEY", DP_WHERE },
	{ "del", dp_del, "lsdp router del NAME", NULL },
	{ "show", dp_show, "lsdp router show [ NAME ]", NULL },
};

const struct object switch_object = {
	"switch", LSDP_DP_KIND_SWITCH, switch_cmds, ARRAY_SIZE(switch_cmds),
	DP_WHERE
};

const struct object router_object = {
	"router", LSDP_DP_KIND_ROUTER, router_cmds, ARRAY_SIZE(router_cmds),
	DP_WHERE
};

// SPDX-License-Identifier: GPL-2.0
/*
 * lsdp CLI: lsdp acl, lsdp pg, lsdp as: OVN's ACLs, port groups and
 * address sets.  Matches are parsed here (liblsdp's lsdp_acl.c), never by
 * the kernel.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lsdp_acl.h"

/* Members per AS_NEW/AS_SET request: what fits one netlink message. */
#define AS_CHUNK	400

/* ---- acl ---- */

/* "SWITCH" or "@PORTGROUP": the owner attribute and name. */
static int acl_owner(const char *s, int *attr, const char **name)
{
	if (s[0] == '@') {
		if (!s[1])
			return usage_error("missing port group name after '@'");
		*attr = LSDP_A_PG_NAME;
		*name = s + 1;
	} else {
		*attr = LSDP_A_DP_NAME;
		*name = s;
	}
	return CMD_OK;
}

/* The words add and del share; @need: dir, prio, match, action required. */
static int acl_args(struct args *a, struct nl_msg *msg, bool add)
{
	bool has_dir = false, has_prio = false, has_match = false;
	bool has_action = false, has_name = false, has_id = false;
	char err[256];
	struct lsdp_match m;
	const char *kw, *v;
	uint32_t n;
	int x;

	while ((kw = args_next(a))) {
		if (!strcmp(kw, "dir")) {
			if (!(v = args_once(a, kw, &has_dir)))
				return CMD_FAIL;
			x = lsdp_acl_dir_parse(v);
			if (x < 0)
				return usage_error("invalid direction \"%s\" (from-lport or to-lport)", v);
			if (nla_put_u8(msg, LSDP_A_ACL_DIR, (uint8_t)x) < 0)
				return -EMSGSIZE;
		} else if (!strcmp(kw, "prio") || !strcmp(kw, "priority")) {
			if (!(v = args_once(a, kw, &has_prio)))
				return CMD_FAIL;
			if (!parse_u32(v, &n) || n > LSDP_ACL_PRIORITY_MAX)
				return usage_error("invalid priority \"%s\" (0..%u)", v,
						   LSDP_ACL_PRIORITY_MAX);
			if (nla_put_u16(msg, LSDP_A_ACL_PRIORITY, (uint16_t)n) < 0)
				return -EMSGSIZE;
		} else if (!strcmp(kw, "match")) {
			if (!(v = args_once(a, kw, &has_match)))
				return CMD_FAIL;
			if (lsdp_match_parse(v, &m, err, sizeof(err))) {
				lsdp_match_free(&m);
				return error("match: %s", err);
			}
			x = lsdp_put_match(msg, &m);
			lsdp_match_free(&m);
			if (x < 0)
				return -EMSGSIZE;
		} else if (add && !strcmp(kw, "action")) {
			if (!(v = args_once(a, kw, &has_action)))
				return CMD_FAIL;
			x = lsdp_acl_action_parse(v);
			if (x < 0)
				return usage_error("invalid action \"%s\"", v);
			if (nla_put_u8(msg, LSDP_A_ACL_ACTION, (uint8_t)x) < 0)
				return -EMSGSIZE;
		} else if (!strcmp(kw, "name")) {
			if (!(v = args_once(a, kw, &has_name)))
				return CMD_FAIL;
			if (nla_put_string(msg, LSDP_A_ACL_NAME, v) < 0)
				return -EMSGSIZE;
		} else if (!add && !strcmp(kw, "id")) {
			if (!(v = args_once(a, kw, &has_id)))
				return CMD_FAIL;
			if (!parse_u32(v, &n))
				return usage_error("invalid id \"%s\"", v);
			if (nla_put_u32(msg, LSDP_A_ACL_ID, n) < 0)
				return -EMSGSIZE;
		} else {
			return args_unknown(kw);
		}
	}
	if (!add)
		return CMD_OK;
	if (!has_dir)
		return usage_error("\"dir\" is required");
	if (!has_prio)
		return usage_error("\"prio\" is required");
	if (!has_match)
		return usage_error("\"match\" is required");
	if (!has_action)
		return usage_error("\"action\" is required");
	return CMD_OK;
}

/*
 * A compiled match takes a few dozen bytes per character of its text at
 * most (the worst: "::" becomes a 16-byte value and mask with headers),
 * so size the request by the arguments: a long set of addresses must not
 * fail for want of room in one fixed-size message.
 */
static size_t acl_msg_size(const struct args *a)
{
	size_t n = CLI_MSG_SIZE;
	int i;

	for (i = 0; i < a->argc; i++)
		n += 48 * strlen(a->argv[i]);
	return n;
}

int acl_change(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *owner, *name = NULL;
	struct nl_msg *msg;
	int attr = 0, r;

	(void)obj;
	r = args_positional(&a, "SWITCH or @PORTGROUP", &owner);
	if (!r)
		r = acl_owner(owner, &attr, &name);
	if (r)
		return r;
	msg = new_msg_size(cur_cmd->req, 0, acl_msg_size(&a));
	if (!msg)
		return CMD_FAIL;
	if (nla_put_string(msg, attr, name) < 0)
		return msg_too_big(msg);
	r = acl_args(&a, msg, cur_cmd->req == LSDP_CMD_ACL_NEW);
	if (r == -EMSGSIZE)
		return msg_too_big(msg);
	if (r) {
		nlmsg_free(msg);
		return r;
	}
	return transact(msg);
}

DEFINE_COLLECT(acl, struct lsdp_acl_info, lsdp_acl_parse)

/* By owner, direction, priority (highest first), then creation. */
static int cmp_acl(const void *a, const void *b)
{
	const struct lsdp_acl_info *x = a, *y = b;
	int c = strcmp(x->dp, y->dp);

	if (!c)
		c = strcmp(x->pg, y->pg);
	if (!c)
		c = x->dir - y->dir;
	if (!c)
		c = y->prio - x->prio;
	if (!c)
		c = (x->id > y->id) - (x->id < y->id);
	return c;
}

static void acl_owner_out(struct out *o, const void *obj)
{
	const struct lsdp_acl_info *acl = obj;
	char buf[LSDP_NAME_SIZE + 1];

	if (acl->pg[0]) {
		snprintf(buf, sizeof(buf), "@%s", acl->pg);
		out_str(o, buf);
	} else {
		out_str(o, acl->dp);
	}
}

static const char *acl_dir_name(unsigned int v)
{
	return lsdp_acl_dir_name(v);
}

static const char *acl_action_name(unsigned int v)
{
	return lsdp_acl_action_name(v);
}

#define FIELD_TYPE struct lsdp_acl_info
static const struct field acl_fields[] = {
	{ COL("id", "ID", 0), AT(FK_U32, id), RIGHT },
	{ COL("owner", "OWNER", 1), FN(acl_owner_out) },
	{ COL("dir", "DIR", 2), ENUM(dir, acl_dir_name, "dir") },
	{ COL("priority", "PRIO", 3), AT(FK_U32, prio), RIGHT },
	{ COL("action", "ACTION", 4), ENUM(action, acl_action_name, "action") },
	{ COL("name", "NAME", 5), AT(FK_NAME, name) },
	{ COL("hits", "HITS", 6), AT(FK_U64, hits), RIGHT },
	{ COL("match", "MATCH", 7), AT(FK_STR, match) },
};
#undef FIELD_TYPE

static const struct view acl_view =
	VIEW(struct lsdp_acl_info, cmp_acl, acl_fields, acl_collect_cb);

int acl_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct list l = { 0 };
	const char *filter, *name = NULL;
	struct table t;
	int attr = 0, r;

	(void)obj;
	r = args_optional_last(&a, &filter);
	if (!r && filter)
		r = acl_owner(filter, &attr, &name);
	if (r)
		return r;
	r = dump_show(LSDP_CMD_ACL_GET, attr, name, acl_view.collect, &l,
		      list_reset);
	if (!r && !list_format(&acl_view, l.v, l.n, &t))
		r = table_finish(&t);
	free(l.v);
	return r;
}

/* ---- pg ---- */

int pg_change(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct nlattr *nest;
	const char *name, *port;
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = args_positional(&a, "port group NAME", &name);
	if (r)
		return r;
	if (cur_cmd->req == LSDP_CMD_PG_SET && !a.argc)
		return usage_error("missing PORT (a port group keeps at least one)");
	/* Room for every member's name at its longest. */
	msg = new_msg_size(cur_cmd->req, 0, CLI_MSG_SIZE +
			   a.argc * NLA_ALIGN(NLA_HDRLEN + LSDP_NAME_SIZE));
	if (!msg)
		return CMD_FAIL;
	if (nla_put_string(msg, LSDP_A_PG_NAME, name) < 0)
		return msg_too_big(msg);
	nest = nla_nest_start(msg, LSDP_A_PG_PORTS);
	if (!nest)
		return msg_too_big(msg);
	while ((port = args_next(&a))) {
		if (is_help(port)) {
			nlmsg_free(msg);
			return CMD_HELP;
		}
		if (nla_put_string(msg, LSDP_A_PORT_NAME, port) < 0)
			return msg_too_big(msg);
	}
	nla_nest_end(msg, nest);
	return transact(msg);
}

DEFINE_COLLECT(pg, struct lsdp_pg_info, lsdp_pg_parse)

static void pg_release(void *obj)
{
	free(((struct lsdp_pg_info *)obj)->ports);
}

static int cmp_pg(const void *a, const void *b)
{
	return strcmp(((const struct lsdp_pg_info *)a)->name,
		      ((const struct lsdp_pg_info *)b)->name);
}

static void pg_ports_out(struct out *o, const void *obj)
{
	const struct lsdp_pg_info *pg = obj;
	unsigned int i;

	out_list_open(o);
	for (i = 0; i < pg->n_ports; i++)
		out_str(o, pg->ports[i]);
	out_list_close(o);
}

#define FIELD_TYPE struct lsdp_pg_info
static const struct field pg_fields[] = {
	{ COL("name", "NAME", 0), AT(FK_STR, name) },
	{ COL("ports", "PORTS", 1), FN(pg_ports_out) },
};
#undef FIELD_TYPE

const struct view pg_view =
	VIEW_OWNING(struct lsdp_pg_info, cmp_pg, pg_fields, pg_collect_cb,
		    pg_release);

/* ---- as ---- */

/*
 * Sends members [@from, @n) of @argv with @cmd for set @name, AS_CHUNK a
 * request (the first with @first_cmd), as LSDP_A_AS_ADDRS (or DEL_ADDRS).
 */
static int as_send(const char *name, uint8_t first_cmd, bool del,
		   char **argv, int n)
{
	struct lsdp_prefix p;
	struct nlattr *nest;
	struct nl_msg *msg;
	int i = 0, j, r;

	do {
		/* Room for a whole chunk of the largest entry (an IPv6 CIDR). */
		msg = new_msg_size(i ? LSDP_CMD_AS_SET : first_cmd, 0,
				   CLI_MSG_SIZE + AS_CHUNK * LSDP_AS_MEMBER_SIZE);
		if (!msg)
			return CMD_FAIL;
		if (nla_put_string(msg, LSDP_A_AS_NAME, name) < 0)
			return msg_too_big(msg);
		nest = nla_nest_start(msg, del ? LSDP_A_AS_DEL_ADDRS :
					   LSDP_A_AS_ADDRS);
		if (!nest)
			return msg_too_big(msg);
		for (j = 0; j < AS_CHUNK && i < n; j++, i++) {
			if (lsdp_prefix_parse(argv[i], &p, 0) != LSDP_PREFIX_OK) {
				nlmsg_free(msg);
				return usage_error("invalid address or CIDR \"%s\"",
						   argv[i]);
			}
			if (lsdp_put_as_member(msg, &p) < 0)
				return msg_too_big(msg);
		}
		nla_nest_end(msg, nest);
		r = transact(msg);
		if (r)
			return r;
	} while (i < n);
	return CMD_OK;
}

/* Every argument is checked before anything is sent. */
static int as_check(char **argv, int n)
{
	struct lsdp_prefix p;
	int i;

	for (i = 0; i < n; i++) {
		if (is_help(argv[i]))
			return CMD_HELP;
		if (lsdp_prefix_parse(argv[i], &p, 0) != LSDP_PREFIX_OK)
			return usage_error("invalid address or CIDR \"%s\"", argv[i]);
	}
	return CMD_OK;
}

int as_add(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *name;
	int r;

	(void)obj;
	r = args_positional(&a, "address set NAME", &name);
	if (!r)
		r = as_check(a.argv, a.argc);
	return r ? r : as_send(name, LSDP_CMD_AS_NEW, false, a.argv, a.argc);
}

/* "as member { add | del } NAME ADDR...". */
int as_member(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *op, *name;
	int r;

	(void)obj;
	r = args_positional(&a, "add or del", &op);
	if (!r && strcmp(op, "add") && strcmp(op, "del"))
		return usage_error("expected add or del, not \"%s\"", op);
	if (!r)
		r = args_positional(&a, "address set NAME", &name);
	if (!r && !a.argc)
		r = usage_error("missing ADDR");
	if (!r)
		r = as_check(a.argv, a.argc);
	return r ? r : as_send(name, LSDP_CMD_AS_SET, !strcmp(op, "del"),
			       a.argv, a.argc);
}

DEFINE_COLLECT(as, struct lsdp_as_info, lsdp_as_parse)

static void as_release(void *obj)
{
	free(((struct lsdp_as_info *)obj)->members);
}

static int cmp_as(const void *a, const void *b)
{
	return strcmp(((const struct lsdp_as_info *)a)->name,
		      ((const struct lsdp_as_info *)b)->name);
}

static void as_members_out(struct out *o, const void *obj)
{
	const struct lsdp_as_info *as = obj;
	char buf[LSDP_PREFIX_STRLEN];
	struct lsdp_prefix p;
	unsigned int i;

	if (!as->members) {
		out_null(o);
		return;
	}
	out_list_open(o);
	for (i = 0; i < as->n_members; i++) {
		p = as->members[i];
		if (p.plen == (p.addr.family == AF_INET ? 32 : 128))
			out_addr(o, &p.addr);
		else
			out_str(o, lsdp_prefix_str(&p, buf, sizeof(buf)));
	}
	out_list_close(o);
}

#define FIELD_TYPE struct lsdp_as_info
static const struct field as_fields[] = {
	{ COL("name", "NAME", 0), AT(FK_STR, name) },
	{ COL("count", "COUNT", 1), AT(FK_U32, count), RIGHT },
	{ COL("members", "MEMBERS", 2), FN(as_members_out) },
};
#undef FIELD_TYPE

const struct view as_view =
	VIEW_OWNING(struct lsdp_as_info, cmp_as, as_fields, as_collect_cb,
		    as_release);


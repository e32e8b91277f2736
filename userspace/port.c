// SPDX-License-Identifier: GPL-2.0
/* lsdp CLI: lsdp port: logical ports. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void port_list_reset(void *arg)
{
	struct port_list *l = arg;
	size_t i;

	for (i = 0; i < l->n; i++)
		lsdp_port_info_clear(&l->v[i]);
	l->n = 0;
}

void port_list_free(struct port_list *l)
{
	port_list_reset(l);
	free(l->v);
	l->v = NULL;
	l->cap = 0;
}

static int port_collect_cb(struct nl_msg *msg, void *arg)
{
	struct port_list *l = arg;
	int err;

	err = grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v));
	if (err)
		return err;
	err = lsdp_port_parse(msg, &l->v[l->n]);
	if (err)
		return err;
	if (l->dp && strcmp(l->v[l->n].dp, l->dp)) {
		lsdp_port_info_clear(&l->v[l->n]);
		return 0;
	}
	l->n++;
	return 0;
}

static int port_dump(struct port_list *l, const char *dp)
{
	l->dp = dp;
	return dump_filtered(LSDP_CMD_PORT_GET, LSDP_A_DP_NAME, dp,
			     port_collect_cb, l, port_list_reset, false);
}

static int port_get(const char *name, struct port_list *l)
{
	struct nl_msg *msg;
	int err;

	l->dp = NULL;
	err = build_msg(LSDP_CMD_PORT_GET, 0, LSDP_A_PORT_NAME, name, &msg);
	return err ? err : request(msg, port_collect_cb, l);
}

/*
 * The ports `show [ NAME | DATAPATH ]` is about (CMD_HELP for "help").  A
 * name is tried as a port first (one doit); when that fails, as a datapath
 * (its ports, dumped with the kernel's DP_NAME filter).  If it is neither,
 * the port lookup's error is what the user sees, unless it merely said
 * "not found".  On success *@dp_out is the datapath name when the argument
 * was one.
 */
int ports_for_show(int argc, char **argv, struct port_list *l,
		   const char **dp_out)
{
	struct args a = { argc, argv };
	char port_err[256];
	const char *arg;
	bool is_dp;
	int err, perr;

	*dp_out = NULL;
	err = args_optional_last(&a, &arg);
	if (err)
		return err;
	if (!nl_get())
		return CMD_FAIL;
	if (!arg) {
		err = port_dump(l, NULL);
		return err ? report_nl_error() : CMD_OK;
	}

	perr = port_get(arg, l);
	if (!perr)
		return CMD_OK;
	snprintf(port_err, sizeof(port_err), "%s", lsdp_nl_strerror(G.nl));
	port_list_reset(l);

	if (dp_exists(arg, &is_dp))
		return report_nl_error();
	if (!is_dp) {
		if (perr == -ENOENT || perr == -ENODEV)
			return error("no port or datapath \"%s\"", arg);
		return error("%s", port_err);
	}
	*dp_out = arg;
	err = port_dump(l, arg);
	return err ? report_nl_error() : CMD_OK;
}

int cmp_port(const void *a, const void *b)
{
	const struct lsdp_port_info *x = a, *y = b;
	int c = strcmp(x->dp, y->dp);

	if (c)
		return c;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* ------------------------------------------------------------------ */
/* port add, port set                                                 */
/* ------------------------------------------------------------------ */

/* Keywords that may appear once; bits of port_opts.seen. */
enum {
	KW_KEY, KW_TYPE, KW_MAC, KW_UNKNOWN, KW_SECURITY, KW_DEV, KW_PARENT,
	KW_TAG, KW_VLAN, KW_CHASSIS, KW_PEER, KW_NOIP, KW_VIP, KW_PARENTS,
};

struct port_opts {
	const char *dp;
	const char *name;
	unsigned int seen;		/* 1 << KW_* */
	uint32_t key;
	int type;			/* -1: not given */
	uint8_t mac[6];
	struct lsdp_addr *addrs;
	unsigned int n_addrs;
	size_t cap_addrs;
	struct lsdp_prefix *nets;
	unsigned int n_nets;
	size_t cap_nets;
	const char *noip;		/* "noip" or "nonet" when given */
	int unknown;			/* -1: not given, else 0/1 */
	int security;			/* -1: not given, else 0/1 */
	bool nodev;
	uint32_t ifindex;
	const char *parent, *chassis, *peer;
	uint32_t tag, vlan;
	struct lsdp_addr vip;		/* a virtual port's "vip" */
	const char *parents;		/* its "parents P1,P2,...", as typed */
};

static void port_opts_free(struct port_opts *o)
{
	free(o->addrs);
	o->addrs = NULL;
	free(o->nets);
	o->nets = NULL;
}

static int mark(struct port_opts *o, int kw, const char *name)
{
	if (o->seen & (1u << kw))
		return usage_error("duplicate \"%s\"", name);
	o->seen |= 1u << kw;
	return CMD_OK;
}

/* The value of keyword @kw, bit @bit of @o->seen; NULL after the error. */
static const char *opt_value(struct args *a, struct port_opts *o, int bit,
			     const char *kw)
{
	if (mark(o, bit, kw))
		return NULL;
	return args_value(a, kw);
}

static int add_ip(struct port_opts *o, const char *v)
{
	if (grow((void **)&o->addrs, &o->cap_addrs, o->n_addrs,
		 sizeof(*o->addrs)))
		return error("%s", strerror(ENOMEM));
	if (!parse_addr(v, &o->addrs[o->n_addrs]))
		return usage_error("invalid address \"%s\"", v);
	o->n_addrs++;
	return CMD_OK;
}

/* "net ADDR/PLEN": a router port's network; the address keeps its host bits. */
static int add_net(struct port_opts *o, const char *v)
{
	if (grow((void **)&o->nets, &o->cap_nets, o->n_nets, sizeof(*o->nets)))
		return error("%s", strerror(ENOMEM));
	switch (lsdp_prefix_parse(v, &o->nets[o->n_nets], LSDP_PREFIX_F_NEED_LEN)) {
	case LSDP_PREFIX_OK:
		break;
	case LSDP_PREFIX_NO_LEN:
		return usage_error("net needs ADDR/PREFIXLEN");
	default:
		return usage_error("invalid network \"%s\"", v);
	}
	o->n_nets++;
	return CMD_OK;
}

/*
 * The keywords of `port add` (@add) and `port set`.  Returns CMD_OK, CMD_FAIL
 * or CMD_HELP.
 */
static int port_parse_opts(struct args *a, struct port_opts *o, bool add)
{
	const char *kw, *v;
	int r;

	while ((kw = args_next(a))) {
		if (add && !strcmp(kw, "key")) {
			if (!(v = opt_value(a, o, KW_KEY, kw)))
				return CMD_FAIL;
			if (!parse_u32(v, &o->key))
				return usage_error("invalid key \"%s\"", v);
		} else if (add && !strcmp(kw, "type")) {
			if (!(v = opt_value(a, o, KW_TYPE, kw)))
				return CMD_FAIL;
			o->type = lsdp_port_type_parse(v);
			if (o->type < 0)
				return usage_error("invalid port type \"%s\"", v);
		} else if (!strcmp(kw, "mac")) {
			if (!(v = opt_value(a, o, KW_MAC, kw)))
				return CMD_FAIL;
			if (!parse_mac(v, o->mac))
				return usage_error("invalid MAC address \"%s\"", v);
		} else if (!strcmp(kw, "ip") || !strcmp(kw, "net")) {
			if (o->noip)
				return usage_error("\"%s\" conflicts with \"%s\"",
						   kw, o->noip);
			if (!(v = args_value(a, kw)))
				return CMD_FAIL;
			if ((r = kw[0] == 'i' ? add_ip(o, v) : add_net(o, v)))
				return r;
		} else if (!add && (!strcmp(kw, "noip") || !strcmp(kw, "nonet"))) {
			if (o->n_addrs)
				return usage_error("\"%s\" conflicts with \"ip\"", kw);
			if (o->n_nets)
				return usage_error("\"%s\" conflicts with \"net\"", kw);
			if ((r = mark(o, KW_NOIP, kw)))
				return r;
			o->noip = kw;
		} else if (!strcmp(kw, "unknown") ||
			   (!add && !strcmp(kw, "nounknown"))) {
			if ((r = mark(o, KW_UNKNOWN, "unknown")))
				return r;
			o->unknown = kw[0] != 'n';
		} else if (!strcmp(kw, "security") ||
			   (!add && !strcmp(kw, "nosecurity"))) {
			if ((r = mark(o, KW_SECURITY, "security")))
				return r;
			o->security = kw[0] != 'n';
		} else if (!strcmp(kw, "dev")) {
			if (!(v = opt_value(a, o, KW_DEV, kw)))
				return CMD_FAIL;
			if ((r = resolve_dev(v, &o->ifindex)))
				return r;
		} else if (!add && !strcmp(kw, "nodev")) {
			if ((r = mark(o, KW_DEV, "dev")))
				return r;
			o->nodev = true;
			o->ifindex = 0;
		} else if (add && !strcmp(kw, "parent")) {
			if (!(o->parent = opt_value(a, o, KW_PARENT, kw)))
				return CMD_FAIL;
		} else if (add && !strcmp(kw, "tag")) {
			if (!(v = opt_value(a, o, KW_TAG, kw)))
				return CMD_FAIL;
			if (!parse_vid(v, &o->tag))
				return usage_error("invalid VLAN ID \"%s\"", v);
		} else if (!strcmp(kw, "vlan")) {
			if (!(v = opt_value(a, o, KW_VLAN, kw)))
				return CMD_FAIL;
			if (!parse_vid(v, &o->vlan))
				return usage_error("invalid VLAN ID \"%s\"", v);
		} else if (!add && !strcmp(kw, "novlan")) {
			if ((r = mark(o, KW_VLAN, "vlan")))
				return r;
			o->vlan = 0;
		} else if (!strcmp(kw, "chassis")) {
			if (!(o->chassis = opt_value(a, o, KW_CHASSIS, kw)))
				return CMD_FAIL;
		} else if (!add && !strcmp(kw, "nochassis")) {
			if ((r = mark(o, KW_CHASSIS, "chassis")))
				return r;
			o->chassis = "";
		} else if (add && !strcmp(kw, "peer")) {
			if (!(o->peer = opt_value(a, o, KW_PEER, kw)))
				return CMD_FAIL;
		} else if (add && !strcmp(kw, "vip")) {
			if (!(v = opt_value(a, o, KW_VIP, kw)))
				return CMD_FAIL;
			if (!parse_addr(v, &o->vip))
				return usage_error("invalid virtual IP \"%s\"", v);
		} else if (add && !strcmp(kw, "parents")) {
			if (!(o->parents = opt_value(a, o, KW_PARENTS, kw)))
				return CMD_FAIL;
			if (!o->parents[0] || strstr(o->parents, ",,") ||
			    o->parents[0] == ',' ||
			    o->parents[strlen(o->parents) - 1] == ',')
				return usage_error("invalid parents \"%s\" (PORT[,PORT...])",
						   o->parents);
		} else {
			return args_unknown(kw);
		}
	}

	if ((o->seen & (1u << KW_PARENT)) && !(o->seen & (1u << KW_TAG)))
		return usage_error("\"parent\" requires \"tag\"");
	if ((o->seen & (1u << KW_TAG)) && !(o->seen & (1u << KW_PARENT)))
		return usage_error("\"tag\" requires \"parent\"");
	if (o->peer && o->type != LSDP_PORT_TYPE_ROUTER)
		return usage_error("\"peer\" requires \"type router\"");
	if ((o->seen & (1u << KW_PARENT)) && (o->seen & (1u << KW_VLAN)))
		return usage_error("\"vlan\" is a localnet port's; a trunk child has \"tag\"");
	if ((o->seen & (1u << KW_VIP)) && !(o->seen & (1u << KW_PARENTS)))
		return usage_error("\"vip\" requires \"parents\"");
	if ((o->seen & (1u << KW_PARENTS)) && !(o->seen & (1u << KW_VIP)))
		return usage_error("\"parents\" requires \"vip\"");
	if ((o->seen & (1u << KW_VIP)) && o->type != LSDP_PORT_TYPE_VIRTUAL)
		return usage_error("\"vip\" and \"parents\" require \"type virtual\"");
	return CMD_OK;
}

/* A virtual port's VIP and parents (the comma-separated list); 0 or < 0. */
static int port_put_virtual(struct nl_msg *msg, const struct port_opts *o)
{
	char name[LSDP_NAME_SIZE];
	const char *p = o->parents, *c;
	struct nlattr *nest;
	size_t len;

	if (o->vip.family == AF_INET ?
	    nla_put(msg, LSDP_A_PORT_VIRTUAL_IP, 4, &o->vip.v4) < 0 :
	    nla_put(msg, LSDP_A_PORT_VIRTUAL_IP, 16, &o->vip.v6) < 0)
		return -EMSGSIZE;
	nest = nla_nest_start(msg, LSDP_A_PORT_VIRTUAL_PARENTS);
	if (!nest)
		return -EMSGSIZE;
	while (*p) {
		c = strchr(p, ',');
		len = c ? (size_t)(c - p) : strlen(p);
		/* Too long a name: the kernel says which. */
		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		memcpy(name, p, len);
		name[len] = '\0';
		if (nla_put_string(msg, LSDP_A_PORT_NAME, name) < 0)
			return -EMSGSIZE;
		p = c ? c + 1 : p + strlen(p);
	}
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * The attributes of PORT_NEW (datapath, name, key, type, peer and the
 * rest) or PORT_SET (the name and what changes); 0 or -EMSGSIZE.
 */
static int port_put_opts(struct nl_msg *msg, const struct port_opts *o)
{
	if (o->dp && nla_put_string(msg, LSDP_A_DP_NAME, o->dp) < 0)
		return -EMSGSIZE;
	if (nla_put_string(msg, LSDP_A_PORT_NAME, o->name) < 0)
		return -EMSGSIZE;
	if ((o->seen & (1u << KW_KEY)) &&
	    nla_put_u32(msg, LSDP_A_PORT_KEY, o->key) < 0)
		return -EMSGSIZE;
	if (o->type >= 0 &&
	    nla_put_u8(msg, LSDP_A_PORT_TYPE, (uint8_t)o->type) < 0)
		return -EMSGSIZE;
	if (o->peer && nla_put_string(msg, LSDP_A_PORT_PEER, o->peer) < 0)
		return -EMSGSIZE;
	if ((o->seen & (1u << KW_MAC)) &&
	    nla_put(msg, LSDP_A_PORT_MAC, 6, o->mac) < 0)
		return -EMSGSIZE;
	/* "ip"/"net" replace the whole list; "noip"/"nonet" send it empty. */
	if ((o->n_addrs || o->n_nets || o->noip) &&
	    lsdp_put_port_addrs(msg, o->addrs, o->n_addrs, o->nets,
				o->n_nets) < 0)
		return -EMSGSIZE;
	if (o->unknown >= 0 &&
	    nla_put_u8(msg, LSDP_A_PORT_UNKNOWN, (uint8_t)o->unknown) < 0)
		return -EMSGSIZE;
	if (o->security >= 0 &&
	    nla_put_u8(msg, LSDP_A_PORT_SECURITY, (uint8_t)o->security) < 0)
		return -EMSGSIZE;
	/* "dev" binds, "nodev" (ifindex 0) unbinds. */
	if ((o->seen & (1u << KW_DEV)) &&
	    nla_put_u32(msg, LSDP_A_PORT_IFINDEX, o->ifindex) < 0)
		return -EMSGSIZE;
	/* "chassis NAME" binds remotely, "nochassis" ("") unbinds. */
	if ((o->seen & (1u << KW_CHASSIS)) &&
	    nla_put_string(msg, LSDP_A_PORT_CHASSIS, o->chassis) < 0)
		return -EMSGSIZE;
	/* A child's "parent P tag T", a localnet's "vlan V" ("novlan": 0). */
	if ((o->seen & (1u << KW_PARENT)) &&
	    nla_put_string(msg, LSDP_A_PORT_PARENT, o->parent) < 0)
		return -EMSGSIZE;
	if ((o->seen & (1u << KW_TAG)) &&
	    nla_put_u16(msg, LSDP_A_PORT_TAG, (uint16_t)o->tag) < 0)
		return -EMSGSIZE;
	if ((o->seen & (1u << KW_VLAN)) &&
	    nla_put_u16(msg, LSDP_A_PORT_TAG, (uint16_t)o->vlan) < 0)
		return -EMSGSIZE;
	if ((o->seen & (1u << KW_VIP)) && port_put_virtual(msg, o) < 0)
		return -EMSGSIZE;
	return 0;
}

static void port_opts_init(struct port_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->type = -1;
	o->unknown = -1;
	o->security = -1;
}

/* "port add" or "port set": parsed whole, then one request. */
int port_change(const struct object *obj, int argc, char **argv)
{
	bool add = cur_cmd->req == LSDP_CMD_PORT_NEW;
	struct args a = { argc, argv };
	struct port_opts o;
	struct nl_msg *msg;
	int r = CMD_OK;

	(void)obj;
	port_opts_init(&o);
	if (add)
		r = args_positional(&a, "DATAPATH", &o.dp);
	if (!r)
		r = args_positional(&a, "port NAME", &o.name);
	if (!r)
		r = port_parse_opts(&a, &o, add);
	if (!r && add && !(o.seen & (1u << KW_KEY)))
		r = usage_error("\"key\" is required");
	if (!r && !add && !o.seen && !o.n_addrs && !o.n_nets)
		r = usage_error("nothing to change");
	if (r)
		goto out;

	/* An address takes at most 24 bytes, a network (nested) 48. */
	msg = new_msg_size(cur_cmd->req, 0,
			   CLI_MSG_SIZE + o.n_addrs * 24 + o.n_nets * 48 +
			   (o.parents ? 2 * strlen(o.parents) + 64 * 8 : 0));
	if (!msg) {
		r = CMD_FAIL;
		goto out;
	}
	if (port_put_opts(msg, &o) < 0) {
		r = msg_too_big(msg);
		goto out;
	}
	r = transact(msg);
out:
	port_opts_free(&o);
	return r;
}

static void port_addrs(struct out *o, const void *obj)
{
	const struct lsdp_port_info *p = obj;
	unsigned int k;

	out_list_open(o);
	for (k = 0; k < p->n_addrs; k++)
		out_addr(o, &p->addrs[k]);
	out_list_close(o);
}

/* A router port's networks, as CIDRs (in the table, after its addresses). */
static void port_nets(struct out *o, const void *obj)
{
	const struct lsdp_port_info *p = obj;
	char buf[LSDP_PREFIX_STRLEN];
	unsigned int k;

	out_list_open(o);
	for (k = 0; k < p->n_nets; k++)
		out_str(o, lsdp_prefix_str(&p->nets[k], buf, sizeof(buf)));
	out_list_close(o);
}

/* The bound netdev; in the table its index when it has no name. */
static void port_dev(struct out *o, const void *obj)
{
	const struct lsdp_port_info *p = obj;

	if (p->ifname[0]) {
		out_str(o, p->ifname);
		return;
	}
	out_null(o);
	if (p->ifindex)
		out_text(o, "if%" PRIu32, p->ifindex);
}

/*
 * A trunk child's "tag" on its parent (table: "30@vm1"), or a localnet
 * port's "vlan" (table: "100").
 */
static void port_vlan(struct out *o, const void *obj)
{
	const struct lsdp_port_info *p = obj;

	if (p->parent[0])
		out_key(o, "tag");
	if (!p->tag) {
		out_null(o);
		return;
	}
	out_u64(o, p->tag);
	if (p->parent[0])
		out_text(o, "@%s", p->parent);
}

/* A virtual port's VIP; in the table with "@PARENT" when it is bound. */
static void port_vip(struct out *o, const void *obj)
{
	const struct lsdp_port_info *p = obj;

	if (!p->has_vip) {
		out_null(o);
		return;
	}
	out_addr(o, &p->vip);
	if (p->vparent[0])
		out_text(o, "@%s", p->vparent);
}

/* A virtual port's parents (null for other ports). */
static void port_vparents(struct out *o, const void *obj)
{
	const struct lsdp_port_info *p = obj;
	unsigned int k;

	if (!p->has_vip) {
		out_null(o);
		return;
	}
	out_list_open(o);
	for (k = 0; k < p->n_vparents; k++)
		out_str(o, p->vparents[k]);
	out_list_close(o);
}

#define FIELD_TYPE struct lsdp_port_info
static const struct field port_fields[] = {
	{ COL("name", "NAME", 0), AT(FK_STR, name) },
	{ COL("datapath", "DATAPATH", 1), AT(FK_STR, dp) },
	{ COL("key", "KEY", 2), AT(FK_U32, key), RIGHT },
	{ COL("type", "TYPE", 3), ENUM(type, lsdp_port_type_name, "type") },
	{ COL("mac", "MAC", 4), AT(FK_MAC, mac), IF(has_mac) },
	{ COL("addresses", "ADDRESSES", 5), FN(port_addrs) },
	{ COL("nets", NULL, 5), FN(port_nets) },
	{ COL("peer", "PEER", 9), AT(FK_NAME, peer) },
	{ COL("unknown", "FLAGS", 6), AT(FK_FLAG, unknown) },
	{ COL("security", NULL, 6), AT(FK_FLAG, security) },
	{ COL("dev", "DEV", 7), FN(port_dev) },
	{ COL("ifindex", NULL, -1), AT(FK_U32, ifindex) },
	{ COL("chassis", "CHASSIS", 8), AT(FK_NAME, chassis) },
	{ COL("parent", NULL, -1), AT(FK_NAME, parent) },
	{ COL("vlan", "VLAN", 10), FN(port_vlan) },
	{ COL("announced", NULL, -1), AT(FK_U32, announced) },
	{ COL("vip", "VIRTUAL", 11), FN(port_vip) },
	{ COL("parents", "PARENTS", 12), FN(port_vparents) },
	{ COL("virtual_parent", NULL, -1), AT(FK_NAME, vparent), IF(has_vip) },
	{ COL("virtual_ignored", NULL, -1), AT(FK_U64, vignored), IF(has_vip) },
};

static const struct view port_view =
	VIEW(struct lsdp_port_info, cmp_port, port_fields, NULL);

int port_show(const struct object *obj, int argc, char **argv)
{
	struct port_list l = { 0 };
	const char *dp;
	struct table t;
	int r;

	(void)obj;
	r = ports_for_show(argc, argv, &l, &dp);
	if (!r && !list_format(&port_view, l.v, l.n, &t))
		table_finish(&t);
	port_list_free(&l);
	return r;
}

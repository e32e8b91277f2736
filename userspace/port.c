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
 * The ports `show [ NAME | DATAPATH ]` is about.  A name is tried as a
 * port first (one doit); when that fails, as a datapath (its ports, dumped
 * with the kernel's DP_NAME filter).  If it is neither, the port lookup's
 * error is what the user sees, unless it merely said "not found".
 * On success *@dp_out is the datapath name when the argument was one.
 */
int ports_for_show(const char *arg, struct port_list *l, const char **dp_out)
{
	char port_err[256];
	bool is_dp;
	int err, perr;

	*dp_out = NULL;
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

static const char *fmt_port_type(uint8_t type, char *buf, size_t len)
{
	const char *s = lsdp_port_type_name(type);

	if (s)
		return s;
	if (!type)
		return NULL;
	snprintf(buf, len, "type-%u", type);
	return buf;
}

/* ------------------------------------------------------------------ */
/* port                                                               */
/* ------------------------------------------------------------------ */

/* Keywords that may appear once; bits of port_opts.seen. */
enum {
	KW_KEY, KW_TYPE, KW_MAC, KW_UNKNOWN, KW_SECURITY, KW_DEV, KW_PARENT,
	KW_TAG, KW_VLAN, KW_CHASSIS, KW_PEER, KW_NOIP,
};

struct port_opts {
	const char *dp;
	const char *name;
	unsigned int seen;		/* 1 << KW_* */
	uint32_t key;
	int type;			/* -1: not given */
	uint8_t mac[6];
	struct lsdp_addr *addrs;
	unsigned int n_addrs, cap_addrs;
	struct lsdp_prefix *nets;
	unsigned int n_nets, cap_nets;
	const char *noip;		/* "noip" or "nonet" when given */
	int unknown;			/* -1: not given, else 0/1 */
	int security;			/* -1: not given, else 0/1 */
	bool nodev;
	uint32_t ifindex;
	const char *parent, *chassis, *peer;
	uint32_t tag, vlan;
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

static int add_ip(struct port_opts *o, const char *v)
{
	if (o->n_addrs == o->cap_addrs) {
		unsigned int ncap = o->cap_addrs ? o->cap_addrs * 2 : 4;
		struct lsdp_addr *p = realloc(o->addrs, ncap * sizeof(*p));

		if (!p)
			return error("%s", strerror(ENOMEM));
		o->addrs = p;
		o->cap_addrs = ncap;
	}
	if (!parse_addr(v, &o->addrs[o->n_addrs]))
		return usage_error("invalid address \"%s\"", v);
	o->n_addrs++;
	return CMD_OK;
}

/* "net ADDR/PLEN": a router port's network; the address keeps its host bits. */
static int add_net(struct port_opts *o, const char *v)
{
	if (o->n_nets == o->cap_nets) {
		unsigned int ncap = o->cap_nets ? o->cap_nets * 2 : 4;
		struct lsdp_prefix *p = realloc(o->nets, ncap * sizeof(*p));

		if (!p)
			return error("%s", strerror(ENOMEM));
		o->nets = p;
		o->cap_nets = ncap;
	}
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
		if (is_help(kw))
			return CMD_HELP;

		if (add && !strcmp(kw, "key")) {
			if ((r = mark(o, KW_KEY, kw)))
				return r;
			if (!(v = args_value(a, kw)))
				return CMD_FAIL;
			if (!parse_u32(v, &o->key))
				return usage_error("invalid key \"%s\"", v);
		} else if (add && !strcmp(kw, "type")) {
			if ((r = mark(o, KW_TYPE, kw)))
				return r;
			if (!(v = args_value(a, kw)))
				return CMD_FAIL;
			o->type = lsdp_port_type_parse(v);
			if (o->type < 0)
				return usage_error("invalid port type \"%s\"", v);
		} else if (!strcmp(kw, "mac")) {
			if ((r = mark(o, KW_MAC, kw)))
				return r;
			if (!(v = args_value(a, kw)))
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
			if ((r = mark(o, KW_DEV, "dev")))
				return r;
			if (!(v = args_value(a, kw)))
				return CMD_FAIL;
			if ((r = resolve_dev(v, &o->ifindex)))
				return r;
		} else if (!add && !strcmp(kw, "nodev")) {
			if ((r = mark(o, KW_DEV, "dev")))
				return r;
			o->nodev = true;
			o->ifindex = 0;
		} else if (add && !strcmp(kw, "parent")) {
			if ((r = mark(o, KW_PARENT, kw)))
				return r;
			if (!(o->parent = args_value(a, kw)))
				return CMD_FAIL;
		} else if (add && !strcmp(kw, "tag")) {
			if ((r = mark(o, KW_TAG, kw)))
				return r;
			if (!(v = args_value(a, kw)))
				return CMD_FAIL;
			if (!parse_vid(v, &o->tag))
				return usage_error("invalid VLAN ID \"%s\"", v);
		} else if (!strcmp(kw, "vlan")) {
			if ((r = mark(o, KW_VLAN, kw)))
				return r;
			if (!(v = args_value(a, kw)))
				return CMD_FAIL;
			if (!parse_vid(v, &o->vlan))
				return usage_error("invalid VLAN ID \"%s\"", v);
		} else if (!add && !strcmp(kw, "novlan")) {
			if ((r = mark(o, KW_VLAN, "vlan")))
				return r;
			o->vlan = 0;
		} else if (!strcmp(kw, "chassis")) {
			if ((r = mark(o, KW_CHASSIS, kw)))
				return r;
			if (!(o->chassis = args_value(a, kw)))
				return CMD_FAIL;
		} else if (!add && !strcmp(kw, "nochassis")) {
			if ((r = mark(o, KW_CHASSIS, "chassis")))
				return r;
			o->chassis = "";
		} else if (add && !strcmp(kw, "peer")) {
			if ((r = mark(o, KW_PEER, kw)))
				return r;
			if (!(o->peer = args_value(a, kw)))
				return CMD_FAIL;
		} else {
			return usage_error("unknown argument \"%s\"", kw);
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
	return CMD_OK;
}

/* Attributes common to PORT_NEW and PORT_SET; 0 or -EMSGSIZE. */
static int port_put_opts(struct nl_msg *msg, const struct port_opts *o)
{
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
	return 0;
}

static void port_opts_init(struct port_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->type = -1;
	o->unknown = -1;
	o->security = -1;
}

static int port_add(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct port_opts o;
	struct nl_msg *msg;
	int r;

	(void)obj;
	port_opts_init(&o);
	r = args_positional(&a, "DATAPATH", &o.dp);
	if (!r)
		r = args_positional(&a, "port NAME", &o.name);
	if (!r)
		r = port_parse_opts(&a, &o, true);
	if (!r && !(o.seen & (1u << KW_KEY)))
		r = usage_error("\"key\" is required");
	if (r)
		goto out;

	msg = new_msg(LSDP_CMD_PORT_NEW, 0);
	if (!msg) {
		r = CMD_FAIL;
		goto out;
	}
	if (nla_put_string(msg, LSDP_A_DP_NAME, o.dp) < 0 ||
	    nla_put_string(msg, LSDP_A_PORT_NAME, o.name) < 0 ||
	    nla_put_u32(msg, LSDP_A_PORT_KEY, o.key) < 0 ||
	    (o.type >= 0 &&
	     nla_put_u8(msg, LSDP_A_PORT_TYPE, (uint8_t)o.type) < 0) ||
	    (o.peer && nla_put_string(msg, LSDP_A_PORT_PEER, o.peer) < 0) ||
	    port_put_opts(msg, &o) < 0) {
		r = msg_too_big(msg);
		goto out;
	}
	r = transact(msg);
out:
	port_opts_free(&o);
	return r;
}

static int port_set(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct port_opts o;
	struct nl_msg *msg;
	int r;

	(void)obj;
	port_opts_init(&o);
	r = args_positional(&a, "port NAME", &o.name);
	if (!r)
		r = port_parse_opts(&a, &o, false);
	if (!r && !o.seen && !o.n_addrs && !o.n_nets)
		r = usage_error("nothing to change");
	if (r)
		goto out;

	msg = new_msg(LSDP_CMD_PORT_SET, 0);
	if (!msg) {
		r = CMD_FAIL;
		goto out;
	}
	if (nla_put_string(msg, LSDP_A_PORT_NAME, o.name) < 0 ||
	    port_put_opts(msg, &o) < 0) {
		r = msg_too_big(msg);
		goto out;
	}
	r = transact(msg);
out:
	port_opts_free(&o);
	return r;
}

/* "port CMD NAME": a request carrying only the port's name. */
static int port_name_cmd(uint8_t cmd, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct nl_msg *msg;
	const char *name = NULL;
	int r;

	r = args_positional(&a, "port NAME", &name);
	if (r)
		return r;
	r = args_end(&a);
	if (r)
		return r;
	msg = new_msg_str(cmd, 0, LSDP_A_PORT_NAME, name);
	return msg ? transact(msg) : CMD_FAIL;
}

static int port_del(const struct object *obj, int argc, char **argv)
{
	(void)obj;
	return port_name_cmd(LSDP_CMD_PORT_DEL, argc, argv);
}

/* One round of gratuitous ARPs / unsolicited NAs for what NAME stands for. */
static int port_announce(const struct object *obj, int argc, char **argv)
{
	(void)obj;
	return port_name_cmd(LSDP_CMD_PORT_ANNOUNCE, argc, argv);
}

static void port_type(struct out *o, const void *obj)
{
	const struct lsdp_port_info *p = obj;
	char buf[16];

	out_str(o, fmt_port_type(p->type, buf, sizeof(buf)));
}

static void port_mac(struct out *o, const void *obj)
{
	const struct lsdp_port_info *p = obj;

	out_mac(o, p->has_mac ? p->mac : NULL);
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

#define FIELD_TYPE struct lsdp_port_info
static const struct field port_fields[] = {
	{ COL("name", "NAME", 0), AT(FK_STR, name) },
	{ COL("datapath", "DATAPATH", 1), AT(FK_STR, dp) },
	{ COL("key", "KEY", 2), AT(FK_U32, key), RIGHT },
	{ COL("type", "TYPE", 3), FN(port_type) },
	{ COL("mac", "MAC", 4), FN(port_mac) },
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
};
#undef FIELD_TYPE

static const struct view port_view = {
	sizeof(struct lsdp_port_info), cmp_port, FIELD_SET(port_fields)
};

static int port_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct port_list l = { 0 };
	const char *arg, *dp;
	struct table t;
	int r;

	(void)obj;
	r = args_optional_last(&a, &arg);
	if (r)
		return r;
	r = ports_for_show(arg, &l, &dp);
	if (!r && !list_format(&port_view, l.v, l.n, &t))
		table_finish(&t);
	port_list_free(&l);
	return r;
}

#define PORT_WHERE \
	"where  KEY := 1..32767\n" \
	"       TYPE := { vif | router | localnet | remote }\n" \
	"       MAC := xx:xx:xx:xx:xx:xx\n" \
	"       ADDR := an IPv4 or IPv6 address (repeat \"ip\" for more)\n" \
	"       CIDR := ADDR/PREFIXLEN, a router port's network (repeat \"net\")\n" \
	"       PORT := with \"type router\", the router port to patch to;\n" \
	"               with \"parent\", the trunk parent (a vif port)\n" \
	"       VID := 1..4094: \"tag\", a trunk child's VLAN on its parent's\n" \
	"              device; \"vlan\", a localnet port's on the provider network\n"

static const struct cmd port_cmds[] = {
	{ "add", port_add,
	  "lsdp port add DATAPATH NAME key KEY [ type TYPE ] [ mac MAC ]\n"
	  "                     [ ip ADDR ]... [ unknown ] [ security ]\n"
	  "                     [ dev IFNAME | chassis NAME ]\n"
	  "                     [ net CIDR ]... [ peer PORT ]\n"
	  "                     [ parent PORT tag VID ] [ vlan VID ]",
	  PORT_WHERE },
	{ "set", port_set,
	  "lsdp port set NAME [ dev IFNAME | nodev ] [ chassis NAME | nochassis ]\n"
	  "                     [ mac MAC ] [ ip ADDR ]... [ noip ]\n"
	  "                     [ net CIDR ]... [ nonet ]\n"
	  "                     [ unknown | nounknown ] [ security | nosecurity ]\n"
	  "                     [ vlan VID | novlan ]",
	  "where  MAC := xx:xx:xx:xx:xx:xx\n"
	  "       VID := 1..4094, a localnet port's tag on the provider network\n"
	  "       ADDR := an IPv4 or IPv6 address; \"ip\" replaces the list\n"
	  "       CIDR := ADDR/PREFIXLEN of a router port; \"net\" replaces the list\n" },
	{ "del", port_del, "lsdp port del NAME", NULL },
	{ "show", port_show, "lsdp port show [ NAME | DATAPATH ]", NULL },
	{ "announce", port_announce, "lsdp port announce NAME",
	  "where  NAME := a localnet port (all behind it), a router port or its\n"
	  "               patch, or a port bound here, on a switch with a localnet\n"
	  "               port: gratuitous ARP / unsolicited NA, once, now\n" },
};

const struct object port_object = {
	"port", 0, port_cmds, ARRAY_SIZE(port_cmds), PORT_WHERE
};

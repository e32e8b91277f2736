// SPDX-License-Identifier: GPL-2.0
/* lsdp CLI: lsdp encap: this chassis' tunnel endpoint. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int parse_on_off(struct args *a, const char *kw, int *out)
{
	const char *v = args_value(a, kw);

	if (!v)
		return CMD_FAIL;
	if (!strcmp(v, "on"))
		*out = 1;
	else if (!strcmp(v, "off"))
		*out = 0;
	else
		return usage_error("\"%s\" takes on or off, not \"%s\"", kw, v);
	return CMD_OK;
}

static int encap_set(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *kw, *v, *local = NULL, *dev = NULL;
	int csum = -1, df = -1, r;
	struct lsdp_addr ip;
	uint32_t ifindex = 0;
	struct nl_msg *msg;

	(void)obj;
	while ((kw = args_next(&a))) {
		if (is_help(kw))
			return CMD_HELP;
		if (!strcmp(kw, "local")) {
			if (local)
				return usage_error("duplicate \"local\"");
			if (!(local = args_value(&a, kw)))
				return CMD_FAIL;
			if (!parse_addr(local, &ip))
				return usage_error("invalid address \"%s\"", local);
		} else if (!strcmp(kw, "dev")) {
			if (dev)
				return usage_error("duplicate \"dev\"");
			if (!(dev = v = args_value(&a, kw)))
				return CMD_FAIL;
			if ((r = resolve_dev(v, &ifindex)))
				return r;
		} else if (!strcmp(kw, "csum")) {
			if (csum >= 0)
				return usage_error("duplicate \"csum\"");
			if ((r = parse_on_off(&a, kw, &csum)))
				return r;
		} else if (!strcmp(kw, "df")) {
			if (df >= 0)
				return usage_error("duplicate \"df\"");
			if ((r = parse_on_off(&a, kw, &df)))
				return r;
		} else {
			return usage_error("unknown argument \"%s\"", kw);
		}
	}
	if (!local)
		return usage_error("\"local\" is required");
	msg = new_msg(LSDP_CMD_ENCAP_SET, 0);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_ip(msg, LSDP_A_ENCAP_LOCAL_IP, &ip) < 0 ||
	    (dev && nla_put_u32(msg, LSDP_A_ENCAP_IFINDEX, ifindex) < 0) ||
	    (csum >= 0 && nla_put_u8(msg, LSDP_A_ENCAP_CSUM, (uint8_t)csum) < 0) ||
	    (df >= 0 && nla_put_u8(msg, LSDP_A_ENCAP_DF, (uint8_t)df) < 0))
		return msg_too_big(msg);
	return transact(msg);
}

static int encap_collect_cb(struct nl_msg *msg, void *arg)
{
	struct lsdp_encap_info *e = arg;

	lsdp_encap_info_clear(e);
	return lsdp_encap_parse(msg, e);
}

static void encap_local(struct out *o, const void *obj)
{
	const struct lsdp_encap_info *e = obj;

	out_addr(o, e->configured ? &e->local : NULL);
}

/* What "-j encap show" prints; the text form is prose, not a table. */
#define FIELD_TYPE struct lsdp_encap_info
static const struct field encap_fields[] = {
	{ COL("local", NULL, -1), FN(encap_local) },
	{ COL("dev", NULL, -1), AT(FK_NAME, ifname) },
	{ COL("ifindex", NULL, -1), AT(FK_U32, ifindex) },
	{ COL("csum", NULL, -1), AT(FK_FLAG, csum) },
	{ COL("df", NULL, -1), AT(FK_FLAG, df) },
	{ COL("owned", NULL, -1), AT(FK_FLAG, owned) },
	{ COL(NULL, NULL, -1), NEST(stats, &stats_counters) },
};
#undef FIELD_TYPE

static const struct field_set encap_fieldset = FIELD_SET(encap_fields);

static int encap_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct lsdp_encap_info e = { 0 };
	char buf[INET6_ADDRSTRLEN];
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = args_end(&a);
	if (r)
		return r;
	msg = new_msg(LSDP_CMD_ENCAP_GET, 0);
	if (!msg)
		return CMD_FAIL;
	r = request(msg, encap_collect_cb, &e);
	if (r) {
		r = report_nl_error();
		goto out;
	}
	if (G.json) {
		struct json j;

		json_init(&j, stdout, G.pretty);
		json_obj_open(&j);
		fields_json(&j, &encap_fieldset, &e);
		json_obj_close(&j);
		json_end(&j);
		goto out;
	}
	if (e.configured)
		printf("local %s dev %s%s csum %s df %s\n",
		       fmt_addr(&e.local, buf, sizeof(buf)),
		       e.ifname[0] ? e.ifname : "-",
		       e.owned ? " (created by lsdp)" : "",
		       e.csum ? "on" : "off", e.df ? "on" : "off");
	else
		printf("local none (no tunnel endpoint: remote ports unreachable)\n");
	printf("tunnel rx %" PRIu64 " packets %" PRIu64 " bytes, tx %" PRIu64
	       " packets %" PRIu64 " bytes\n", e.stats.rx_packets,
	       e.stats.rx_bytes, e.stats.tx_packets, e.stats.tx_bytes);
	print_drops(&e.stats);
out:
	lsdp_encap_info_clear(&e);
	return r;
}

static const struct cmd encap_cmds[] = {
	{ "set", encap_set,
	  "lsdp encap set local ADDR [ dev IFNAME ] [ csum on|off ] [ df on|off ]",
	  "where  ADDR := this chassis' IPv4 or IPv6 underlay address\n"
	  "       IFNAME := a Geneve device in external (collect_md) mode;\n"
	  "                 without it lsdp creates lsdp_gnv0\n" },
	{ "show", encap_show, "lsdp encap show", NULL },
};

const struct object encap_object = {
	"encap", 0, encap_cmds, ARRAY_SIZE(encap_cmds), NULL
};

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

static int parse_on_off(struct args *a, const char *kw, bool *seen, int *out)
{
	const char *v = args_once(a, kw, seen);

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

int encap_set(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *kw, *v;
	bool has_local = false, has_dev = false, has_csum = false, has_df = false;
	int csum = -1, df = -1, r;
	struct lsdp_addr ip;
	uint32_t ifindex = 0;
	struct nl_msg *msg;

	(void)obj;
	while ((kw = args_next(&a))) {
		if (!strcmp(kw, "local")) {
			if (!args_addr(&a, kw, &has_local, &ip))
				return CMD_FAIL;
		} else if (!strcmp(kw, "dev")) {
			if (!(v = args_once(&a, kw, &has_dev)))
				return CMD_FAIL;
			if ((r = resolve_dev(v, &ifindex)))
				return r;
		} else if (!strcmp(kw, "csum")) {
			if ((r = parse_on_off(&a, kw, &has_csum, &csum)))
				return r;
		} else if (!strcmp(kw, "df")) {
			if ((r = parse_on_off(&a, kw, &has_df, &df)))
				return r;
		} else {
			return args_unknown(kw);
		}
	}
	msg = new_msg_needs(has_local, "local", LSDP_CMD_ENCAP_SET);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_ip(msg, LSDP_A_ENCAP_LOCAL_IP, &ip) < 0 ||
	    (has_dev && nla_put_u32(msg, LSDP_A_ENCAP_IFINDEX, ifindex) < 0) ||
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

/* What "-j encap show" prints; the text form is prose, not a table. */
#define FIELD_TYPE struct lsdp_encap_info
static const struct field encap_fields[] = {
	{ COL("local", NULL, -1), AT(FK_ADDR, local), IF(configured) },
	{ COL("dev", NULL, -1), AT(FK_NAME, ifname) },
	{ COL("ifindex", NULL, -1), AT(FK_U32, ifindex) },
	{ COL("csum", NULL, -1), AT(FK_FLAG, csum) },
	{ COL("df", NULL, -1), AT(FK_FLAG, df) },
	{ COL("owned", NULL, -1), AT(FK_FLAG, owned) },
	{ COL(NULL, NULL, -1), NEST(stats, &stats_counters) },
};

static const struct field_set encap_fieldset = FIELD_SET(encap_fields);

int encap_show(const struct object *obj, int argc, char **argv)
{
	struct lsdp_encap_info e = { 0 };
	char buf[INET6_ADDRSTRLEN];
	int r;

	(void)obj;
	r = show_one(argc, argv, LSDP_CMD_ENCAP_GET, encap_collect_cb, &e);
	if (r)
		goto out;
	if (G.json) {
		struct json j;

		json_init(&j, stdout, G.pretty);
		json_obj_open(&j);
		fields_json(&j, &encap_fieldset, &e);
		json_obj_close(&j);
		json_end(&j);
		goto out;
	}
	if (e.configured && e.ifname[0])
		printf("local %s dev %s csum %s df %s\n",
		       fmt_addr(&e.local, buf, sizeof(buf)), e.ifname,
		       e.csum ? "on" : "off", e.df ? "on" : "off");
	else if (e.configured)
		/* No netdev: lsdp's own UDP socket is the endpoint. */
		printf("local %s udp 6081 (lsdp's socket) csum %s df %s\n",
		       fmt_addr(&e.local, buf, sizeof(buf)),
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

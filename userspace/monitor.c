// SPDX-License-Identifier: GPL-2.0
/*
 * lsdp CLI: lsdp monitor [ events | drops | hold | all ] [ count N ]: the
 * kernel's multicast events as they happen, one line (or one JSON object)
 * each.  Configuration and hold events come on the "events" group, drops
 * on the rate-limited "drops" group.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* What to show: */
#define MON_EVENTS	0x1	/* configuration changes */
#define MON_HOLD	0x2	/* hold queue events */
#define MON_DROPS	0x4

struct monitor {
	unsigned int what;
	uint32_t count;		/* stop after this many; 0: never */
	uint32_t seen;
};

static const char *const cmd_events[] = {
	[LSDP_CMD_DP_NEW]	= "datapath-new",
	[LSDP_CMD_DP_DEL]	= "datapath-del",
	[LSDP_CMD_PORT_NEW]	= "port-new",
	[LSDP_CMD_PORT_SET]	= "port-set",
	[LSDP_CMD_PORT_DEL]	= "port-del",
	[LSDP_CMD_CHASSIS_NEW]	= "chassis-new",
	[LSDP_CMD_CHASSIS_DEL]	= "chassis-del",
	[LSDP_CMD_ENCAP_SET]	= "encap-set",
	[LSDP_CMD_ROUTE_NEW]	= "route-new",
	[LSDP_CMD_ROUTE_DEL]	= "route-del",
	[LSDP_CMD_NEIGH_NEW]	= "neigh-new",
	[LSDP_CMD_NEIGH_DEL]	= "neigh-del",
	[LSDP_CMD_HOLD_EVENT]	= "hold",
	[LSDP_CMD_DROP_EVENT]	= "drop",
};

/* An address attribute (4 or 16 bytes) as text. */
static const char *attr_addr(const struct nlattr *a, char *buf, size_t len)
{
	struct lsdp_addr ad;

	if (nla_len(a) == 4) {
		ad.family = AF_INET;
		memcpy(&ad.v4, nla_data(a), 4);
	} else if (nla_len(a) == 16) {
		ad.family = AF_INET6;
		memcpy(&ad.v6, nla_data(a), 16);
	} else {
		return "?";
	}
	return fmt_addr(&ad, buf, len);
}

/* One member (JSON) or "key value " (text) per attribute present. */
struct ev_out {
	struct json j;
	bool json;
};

static void ev_str(struct ev_out *o, const char *key, const char *v)
{
	if (o->json)
		json_kv_str(&o->j, key, v);
	else
		printf(" %s %s", key, v);
}

static void ev_u64(struct ev_out *o, const char *key, uint64_t v)
{
	if (o->json)
		json_kv_u64(&o->j, key, v);
	else
		printf(" %s %llu", key, (unsigned long long)v);
}

static void ev_attrs(struct ev_out *o, struct nlattr **tb)
{
	char buf[64];

	if (tb[LSDP_A_DP_NAME])
		ev_str(o, "datapath", nla_get_string(tb[LSDP_A_DP_NAME]));
	if (tb[LSDP_A_PORT_NAME])
		ev_str(o, "port", nla_get_string(tb[LSDP_A_PORT_NAME]));
	if (tb[LSDP_A_PORT_KEY])
		ev_u64(o, "key", nla_get_u32(tb[LSDP_A_PORT_KEY]));
	else if (tb[LSDP_A_DP_KEY])
		ev_u64(o, "key", nla_get_u32(tb[LSDP_A_DP_KEY]));
	if (tb[LSDP_A_CHASSIS_NAME])
		ev_str(o, "chassis", nla_get_string(tb[LSDP_A_CHASSIS_NAME]));
	if (tb[LSDP_A_ROUTE_PREFIX] && tb[LSDP_A_ROUTE_PLEN]) {
		char p[80];

		snprintf(p, sizeof(p), "%s/%u",
			 attr_addr(tb[LSDP_A_ROUTE_PREFIX], buf, sizeof(buf)),
			 nla_get_u8(tb[LSDP_A_ROUTE_PLEN]));
		ev_str(o, "prefix", p);
	}
	if (tb[LSDP_A_ROUTE_VIA])
		ev_str(o, "via", attr_addr(tb[LSDP_A_ROUTE_VIA], buf,
					   sizeof(buf)));
	if (tb[LSDP_A_NEIGH_ADDR])
		ev_str(o, "addr", attr_addr(tb[LSDP_A_NEIGH_ADDR], buf,
					    sizeof(buf)));
	if (tb[LSDP_A_NEIGH_MAC]) {
		fmt_mac(nla_data(tb[LSDP_A_NEIGH_MAC]), buf, sizeof(buf));
		ev_str(o, "mac", buf);
	}
	if (tb[LSDP_A_HOLD_EVENT]) {
		const char *n = lsdp_hold_event_name(nla_get_u8(tb[LSDP_A_HOLD_EVENT]));

		ev_str(o, "event", n ? n : "unknown");
	}
	if (tb[LSDP_A_HOLD_PACKETS])
		ev_u64(o, "packets", nla_get_u32(tb[LSDP_A_HOLD_PACKETS]));
	if (tb[LSDP_A_DROP_REASON]) {
		ev_str(o, "reason",
		       lsdp_drop_reason_name(nla_get_u32(tb[LSDP_A_DROP_REASON]),
					     buf, sizeof(buf)));
	}
	if (tb[LSDP_A_PKT_ETH_SRC]) {
		fmt_mac(nla_data(tb[LSDP_A_PKT_ETH_SRC]), buf, sizeof(buf));
		ev_str(o, "eth_src", buf);
	}
	if (tb[LSDP_A_PKT_ETH_DST]) {
		fmt_mac(nla_data(tb[LSDP_A_PKT_ETH_DST]), buf, sizeof(buf));
		ev_str(o, "eth_dst", buf);
	}
	if (tb[LSDP_A_PKT_ETH_TYPE]) {
		snprintf(buf, sizeof(buf), "0x%04x",
			 nla_get_u16(tb[LSDP_A_PKT_ETH_TYPE]));
		ev_str(o, "eth_type", buf);
	}
	if (tb[LSDP_A_PKT_IP_SRC])
		ev_str(o, "ip_src", attr_addr(tb[LSDP_A_PKT_IP_SRC], buf,
					      sizeof(buf)));
	if (tb[LSDP_A_PKT_IP_DST])
		ev_str(o, "ip_dst", attr_addr(tb[LSDP_A_PKT_IP_DST], buf,
					      sizeof(buf)));
	if (tb[LSDP_A_PKT_IP_PROTO])
		ev_u64(o, "ip_proto", nla_get_u8(tb[LSDP_A_PKT_IP_PROTO]));
}

static int monitor_cb(struct nl_msg *msg, void *arg)
{
	struct monitor *m = arg;
	struct nlattr *tb[LSDP_A_MAX + 1];
	uint8_t cmd = lsdp_nl_cmd(msg);
	unsigned int kind;
	struct ev_out o;

	if (m->count && m->seen >= m->count)
		return 0;
	if (lsdp_nl_parse(msg, tb))
		return 0;	/* not ours to judge: skip what we cannot read */
	kind = cmd == LSDP_CMD_DROP_EVENT ? MON_DROPS :
	       cmd == LSDP_CMD_HOLD_EVENT ? MON_HOLD : MON_EVENTS;
	if (!(m->what & kind))
		return 0;
	o.json = G.json;
	if (o.json) {
		json_init(&o.j, stdout, G.pretty);
		json_obj_open(&o.j);
		json_kv_str(&o.j, "type", cmd < ARRAY_SIZE(cmd_events) &&
			    cmd_events[cmd] ? cmd_events[cmd] : "unknown");
	} else {
		if (cmd < ARRAY_SIZE(cmd_events) && cmd_events[cmd])
			printf("%s", cmd_events[cmd]);
		else
			printf("event-%u", cmd);
	}
	ev_attrs(&o, tb);
	if (o.json) {
		json_obj_close(&o.j);
		json_end(&o.j);
	} else {
		putchar('\n');
		fflush(stdout);
	}
	m->seen++;
	return 0;
}

int monitor_run(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct monitor m = { 0 };
	const char *w, *v;
	struct lsdp_nl *nl;
	int r = CMD_FAIL;

	(void)obj;
	while ((w = args_next(&a))) {
		if (!strcmp(w, "events") || !strcmp(w, "drops") ||
		    !strcmp(w, "hold") || !strcmp(w, "all")) {
			m.what |= !strcmp(w, "events") ? MON_EVENTS :
				  !strcmp(w, "drops") ? MON_DROPS :
				  !strcmp(w, "hold") ? MON_HOLD :
				  MON_EVENTS | MON_DROPS | MON_HOLD;
		} else if (!strcmp(w, "count")) {
			if (!(v = args_value(&a, w)))
				return CMD_FAIL;
			if (!parse_u32(v, &m.count) || !m.count)
				return usage_error("invalid count \"%s\"", v);
		} else if (is_help(w)) {
			return CMD_HELP;
		} else {
			return args_unknown(w);
		}
	}
	if (!m.what)
		m.what = MON_EVENTS | MON_DROPS | MON_HOLD;
	if (!nl_get())
		return CMD_FAIL;
	/* Events on their own handle, as liblsdp asks. */
	nl = lsdp_nl_new();
	if (!nl)
		return error("%s", strerror(ENOMEM));
	if (lsdp_nl_connect(nl, LSDP_GENL_NAME, 0) < 0 ||
	    ((m.what & (MON_EVENTS | MON_HOLD)) && lsdp_nl_join_events(nl)) ||
	    ((m.what & MON_DROPS) && lsdp_nl_join_group(nl, LSDP_MCGRP_DROPS))) {
		error("%s", lsdp_nl_strerror(nl));
		goto out;
	}
	for (;;) {
		struct pollfd p = { .fd = lsdp_nl_fd(nl), .events = POLLIN };

		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			error("poll: %s", strerror(errno));
			goto out;
		}
		if (lsdp_nl_recv(nl, monitor_cb, &m) < 0) {
			/* Lost events are said, and the watch goes on. */
			if (lsdp_nl_strerror(nl)[0] && errno != EAGAIN)
				fprintf(stderr, "Warning: %s\n",
					lsdp_nl_strerror(nl));
		}
		if (m.count && m.seen >= m.count)
			break;
	}
	r = CMD_OK;
out:
	lsdp_nl_free(nl);
	return r;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of liblsdp's object layer (lib/lsdp_obj.c): a port reply built
 * the way the kernel builds it is parsed back field by field, address
 * nests are written as the kernel expects them (including the empty nest
 * of "noip"), and names of kinds, types and drop reasons.  TAP, exit 0/1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsdp_nl.h"

static int n, failed;

static void result(int ok, const char *name)
{
	n++;
	printf("%sok %d %s\n", ok ? "" : "not ", n, name);
	if (!ok)
		failed++;
}

static struct nl_msg *new_reply(void)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 1, 0x20, 0, 0, LSDP_CMD_PORT_NEW, LSDP_GENL_VERSION);
	return msg;
}

int main(void)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct lsdp_addr addrs[2];
	struct lsdp_port_info p;
	struct nlattr *nest, *stats, *drops, *a;
	struct nl_msg *msg;
	char buf[32], pbuf[LSDP_PREFIX_STRLEN];
	int err;

	/* A port reply as lsdp_fill_port() builds it. */
	msg = new_reply();
	nla_put_string(msg, LSDP_A_PORT_NAME, "p1");
	nla_put_string(msg, LSDP_A_DP_NAME, "sw1");
	nla_put_u32(msg, LSDP_A_DP_KEY, 1);
	nla_put_u32(msg, LSDP_A_PORT_KEY, 7);
	nla_put_u8(msg, LSDP_A_PORT_TYPE, LSDP_PORT_TYPE_VIF);
	nla_put_u8(msg, LSDP_A_PORT_UNKNOWN, 1);
	nla_put_u8(msg, LSDP_A_PORT_SECURITY, 0);
	nla_put_u32(msg, LSDP_A_PORT_IFINDEX, 42);
	nla_put(msg, LSDP_A_PORT_MAC, 6, mac);
	nla_put_string(msg, LSDP_A_PORT_IFNAME, "tap1");
	nest = nla_nest_start(msg, LSDP_A_PORT_ADDRS);
	inet_pton(AF_INET, "10.0.0.1", buf);
	nla_put(msg, LSDP_ADDR_A_IPV4, 4, buf);
	inet_pton(AF_INET6, "fd00::1", buf);
	nla_put(msg, LSDP_ADDR_A_IPV6, 16, buf);
	nla_nest_end(msg, nest);
	stats = nla_nest_start(msg, LSDP_A_PORT_STATS);
	nla_put(msg, LSDP_STATS_A_PAD, 0, buf);
	nla_put_u64(msg, LSDP_STATS_A_RX_PACKETS, 10);
	nla_put_u64(msg, LSDP_STATS_A_RX_BYTES, 1000);
	nla_put_u64(msg, LSDP_STATS_A_TX_PACKETS, 20);
	nla_put_u64(msg, LSDP_STATS_A_TX_BYTES, 2000);
	drops = nla_nest_start(msg, LSDP_STATS_A_DROPS);
	nla_put(msg, LSDP_DROP_UNSPEC, 0, buf);		/* padding */
	nla_put_u64(msg, 200, 9);			/* a reason from the future */
	nla_put_u64(msg, LSDP_DROP_PS_MAC, 3);
	nla_put_u64(msg, LSDP_DROP_NO_DEST, 0);
	nla_nest_end(msg, drops);
	nla_nest_end(msg, stats);
	nla_put_u32(msg, 999, 1);			/* an attribute from the future */

	err = lsdp_port_parse(msg, &p);
	result(!err, "port reply parses");
	result(!strcmp(p.name, "p1") && !strcmp(p.dp, "sw1") && p.key == 7 &&
	       p.type == LSDP_PORT_TYPE_VIF, "name, datapath, key, type");
	result(p.has_mac && !memcmp(p.mac, mac, 6), "mac");
	result(p.unknown && !p.security, "flags");
	result(p.ifindex == 42 && !strcmp(p.ifname, "tap1"), "ifindex, ifname");
	result(p.n_addrs == 2 && p.addrs[0].family == AF_INET &&
	       p.addrs[1].family == AF_INET6 &&
	       !strcmp(inet_ntop(AF_INET6, &p.addrs[1].v6, buf, sizeof(buf)), "fd00::1"),
	       "addresses, in the kernel's order");
	result(p.has_stats && p.stats.rx_packets == 10 && p.stats.rx_bytes == 1000 &&
	       p.stats.tx_packets == 20 && p.stats.tx_bytes == 2000, "counters");
	result(p.stats.n_drops == 3 && p.stats.drops[0].reason == LSDP_DROP_PS_MAC &&
	       p.stats.drops[0].count == 3 && p.stats.drops[2].reason == 200 &&
	       p.stats.drops[2].count == 9, "drops: sorted, padding skipped, new reasons kept");
	lsdp_port_info_clear(&p);
	nlmsg_free(msg);

	/* A reply with a wrong type is refused, not misread. */
	msg = new_reply();
	nla_put_string(msg, LSDP_A_PORT_NAME, "p1");
	nla_put_u8(msg, LSDP_A_PORT_KEY, 1);
	result(lsdp_port_parse(msg, &p) < 0, "malformed reply refused");
	nlmsg_free(msg);

	/* "noip": an empty LSDP_A_PORT_ADDRS, present in the message. */
	msg = new_reply();
	err = lsdp_put_addrs(msg, NULL, 0);
	a = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN, LSDP_A_PORT_ADDRS);
	result(!err && a && nla_len(a) == 0 && (a->nla_type & NLA_F_NESTED),
	       "empty address list is an empty nest, flagged NLA_F_NESTED");
	nlmsg_free(msg);

	msg = new_reply();
	inet_pton(AF_INET, "10.0.0.1", &addrs[0].v4);
	addrs[0].family = AF_INET;
	inet_pton(AF_INET6, "fd00::2", &addrs[1].v6);
	addrs[1].family = AF_INET6;
	err = lsdp_put_addrs(msg, addrs, 2);
	a = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN, LSDP_A_PORT_ADDRS);
	{
		struct nlattr *tb[LSDP_ADDR_A_MAX + 1];

		result(!err && a && (a->nla_type & NLA_F_NESTED) &&
		       nla_parse_nested(tb, LSDP_ADDR_A_MAX, a, NULL) == 0 &&
		       tb[LSDP_ADDR_A_IPV4] && nla_len(tb[LSDP_ADDR_A_IPV4]) == 4 &&
		       tb[LSDP_ADDR_A_IPV6] && nla_len(tb[LSDP_ADDR_A_IPV6]) == 16,
		       "addresses: IPV4 4 bytes, IPV6 16 bytes");
	}
	nlmsg_free(msg);

	/* A router port: networks in the address nest, and its peer. */
	msg = new_reply();
	nla_put_string(msg, LSDP_A_PORT_NAME, "lrp1");
	nla_put_string(msg, LSDP_A_DP_NAME, "lr0");
	nla_put_u8(msg, LSDP_A_PORT_TYPE, LSDP_PORT_TYPE_ROUTER_PORT);
	nla_put_string(msg, LSDP_A_PORT_PEER, "sw1-portr0");
	nest = nla_nest_start(msg, LSDP_A_PORT_ADDRS);
	{
		uint8_t n4[5] = { 1, 1, 254, 254, 16 }, n6[17];

		inet_pton(AF_INET6, "2001:db8::1", n6);
		n6[16] = 64;
		nla_put(msg, LSDP_ADDR_A_IPV4_NET, 5, n4);
		nla_put(msg, LSDP_ADDR_A_IPV6_NET, 17, n6);
	}
	nla_nest_end(msg, nest);
	err = lsdp_port_parse(msg, &p);
	result(!err && p.n_addrs == 0 && p.n_nets == 2 &&
	       !strcmp(lsdp_prefix_str(&p.nets[0], pbuf, sizeof(pbuf)), "1.1.254.254/16") &&
	       !strcmp(lsdp_prefix_str(&p.nets[1], pbuf, sizeof(pbuf)), "2001:db8::1/64"),
	       "router port: networks parsed as CIDRs, host bits kept");
	result(!err && !strcmp(p.peer, "sw1-portr0") &&
	       !strcmp(lsdp_port_type_name(p.type), "router-port"), "router port: peer, type");
	lsdp_port_info_clear(&p);
	nlmsg_free(msg);

	msg = new_reply();
	nla_put_string(msg, LSDP_A_PORT_NAME, "lrp1");
	nest = nla_nest_start(msg, LSDP_A_PORT_ADDRS);
	{
		uint8_t n4[5] = { 1, 1, 254, 254, 33 };

		nla_put(msg, LSDP_ADDR_A_IPV4_NET, 5, n4);
	}
	nla_nest_end(msg, nest);
	result(lsdp_port_parse(msg, &p) < 0, "network with prefix length 33 refused");
	nlmsg_free(msg);

	/* Networks (and addresses) written into one nest, 5 and 17 bytes. */
	msg = new_reply();
	{
		struct lsdp_prefix nets[2];
		struct nlattr *tb[LSDP_ADDR_A_MAX + 1];
		const uint8_t *d4, *d6;

		lsdp_prefix_parse("1.1.254.254/16", &nets[0], LSDP_PREFIX_F_NEED_LEN);
		lsdp_prefix_parse("2001:db8::1/64", &nets[1], LSDP_PREFIX_F_NEED_LEN);
		addrs[0].family = AF_INET;
		inet_pton(AF_INET, "10.0.0.1", &addrs[0].v4);
		err = lsdp_put_port_addrs(msg, addrs, 1, nets, 2);
		a = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN, LSDP_A_PORT_ADDRS);
		result(!err && a && nla_parse_nested(tb, LSDP_ADDR_A_MAX, a, NULL) == 0 &&
		       tb[LSDP_ADDR_A_IPV4] && tb[LSDP_ADDR_A_IPV4_NET] &&
		       nla_len(tb[LSDP_ADDR_A_IPV4_NET]) == 5 &&
		       tb[LSDP_ADDR_A_IPV6_NET] && nla_len(tb[LSDP_ADDR_A_IPV6_NET]) == 17,
		       "networks: IPV4_NET 5 bytes, IPV6_NET 17 bytes, beside addresses");
		d4 = tb[LSDP_ADDR_A_IPV4_NET] ? nla_data(tb[LSDP_ADDR_A_IPV4_NET]) : NULL;
		d6 = tb[LSDP_ADDR_A_IPV6_NET] ? nla_data(tb[LSDP_ADDR_A_IPV6_NET]) : NULL;
		result(d4 && d6 && d4[0] == 1 && d4[2] == 254 && d4[3] == 254 && d4[4] == 16 &&
		       d6[0] == 0x20 && d6[1] == 0x01 && d6[15] == 1 && d6[16] == 64,
		       "networks: address then prefix length byte");
	}
	nlmsg_free(msg);

	/* Prefixes as typed. */
	{
		static const struct {
			const char *s;
			unsigned int flags;
			enum lsdp_prefix_err want;
			const char *str;
		} cases[] = {
			{ "10.0.0.0/8", LSDP_PREFIX_F_NETWORK, LSDP_PREFIX_OK, "10.0.0.0/8" },
			{ "10.0.0.1", LSDP_PREFIX_F_NETWORK, LSDP_PREFIX_OK, "10.0.0.1/32" },
			{ "fd00::1", LSDP_PREFIX_F_NETWORK, LSDP_PREFIX_OK, "fd00::1/128" },
			{ "default", LSDP_PREFIX_F_NETWORK | LSDP_PREFIX_F_DEFAULT,
			  LSDP_PREFIX_OK, "0.0.0.0/0" },
			{ "default", LSDP_PREFIX_F_NETWORK, LSDP_PREFIX_BAD, NULL },
			{ "::/0", LSDP_PREFIX_F_NETWORK, LSDP_PREFIX_OK, "::/0" },
			{ "0.0.0.0/0", LSDP_PREFIX_F_NETWORK, LSDP_PREFIX_OK, "0.0.0.0/0" },
			{ "10.0.0.1/24", LSDP_PREFIX_F_NETWORK, LSDP_PREFIX_HOST_BITS, "10.0.0.0/24" },
			{ "10.0.0.1/24", LSDP_PREFIX_F_NEED_LEN, LSDP_PREFIX_OK, "10.0.0.1/24" },
			{ "10.0.0.128/25", LSDP_PREFIX_F_NETWORK, LSDP_PREFIX_OK, "10.0.0.128/25" },
			{ "10.0.0.129/25", LSDP_PREFIX_F_NETWORK, LSDP_PREFIX_HOST_BITS, "10.0.0.128/25" },
			{ "2001:db8::1/64", LSDP_PREFIX_F_NETWORK, LSDP_PREFIX_HOST_BITS, "2001:db8::/64" },
			{ "2001:db8:0:1::/63", LSDP_PREFIX_F_NETWORK, LSDP_PREFIX_HOST_BITS, "2001:db8::/63" },
			{ "10.0.0.1", LSDP_PREFIX_F_NEED_LEN, LSDP_PREFIX_NO_LEN, NULL },
			{ "10.0.0.0/33", 0, LSDP_PREFIX_BAD_LEN, NULL },
			{ "fd00::/129", 0, LSDP_PREFIX_BAD_LEN, NULL },
			{ "fd00::/128", 0, LSDP_PREFIX_OK, "fd00::/128" },
			{ "10.0.0.0/", 0, LSDP_PREFIX_BAD_LEN, NULL },
			{ "10.0.0.0/-1", 0, LSDP_PREFIX_BAD_LEN, NULL },
			{ "10.0.0.0/1x", 0, LSDP_PREFIX_BAD_LEN, NULL },
			{ "10.0.0.0/00000008", 0, LSDP_PREFIX_BAD_LEN, NULL },
			{ "10.0.0/8", 0, LSDP_PREFIX_BAD, NULL },
			{ "", 0, LSDP_PREFIX_BAD, NULL },
			{ "/8", 0, LSDP_PREFIX_BAD, NULL },
			{ "host.example/8", 0, LSDP_PREFIX_BAD, NULL },
		};
		struct lsdp_prefix pf;
		unsigned int i;

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			enum lsdp_prefix_err e = lsdp_prefix_parse(cases[i].s, &pf,
								   cases[i].flags);
			char name[96];

			snprintf(name, sizeof(name), "prefix \"%s\" (flags %u)",
				 cases[i].s, cases[i].flags);
			result(e == cases[i].want &&
			       (!cases[i].str ||
				!strcmp(lsdp_prefix_str(&pf, pbuf, sizeof(pbuf)), cases[i].str)),
			       name);
		}
	}
	{
		uint8_t m[6];

		result(lsdp_mac_parse("0:1:2:a:BC:ff", m) && m[3] == 0xa && m[4] == 0xbc &&
		       !lsdp_mac_parse("00:00:00:00:00", m) &&
		       !lsdp_mac_parse("00:00:00:00:00:00:00", m) &&
		       !lsdp_mac_parse("000:00:00:00:00:00", m) &&
		       !lsdp_mac_parse("zz:00:00:00:00:00", m) &&
		       !lsdp_mac_parse("", m), "MAC addresses");
	}

	/* Route requests, and route dump replies. */
	{
		struct lsdp_prefix pf;
		struct lsdp_addr via;
		struct nlattr *tb[LSDP_A_MAX + 1];
		struct lsdp_route_info rt;

		lsdp_prefix_parse("10.2.0.0/16", &pf, LSDP_PREFIX_F_NETWORK);
		lsdp_addr_parse("10.0.0.254", &via);
		msg = new_reply();
		err = lsdp_put_route(msg, "lr0", &pf, &via, "lrp1");
		result(!err && genlmsg_parse(nlmsg_hdr(msg), 0, tb, LSDP_A_MAX, NULL) == 0 &&
		       !strcmp(nla_get_string(tb[LSDP_A_DP_NAME]), "lr0") &&
		       nla_len(tb[LSDP_A_ROUTE_PREFIX]) == 4 &&
		       nla_get_u8(tb[LSDP_A_ROUTE_PLEN]) == 16 &&
		       nla_len(tb[LSDP_A_ROUTE_VIA]) == 4 &&
		       !strcmp(nla_get_string(tb[LSDP_A_PORT_NAME]), "lrp1"),
		       "route add request: router, prefix, plen, via, port");
		/* The same message read back as a dump entry would be. */
		nla_put_u8(msg, LSDP_A_ROUTE_CONNECTED, 0);
		err = lsdp_route_parse(msg, &rt);
		result(!err && !strcmp(rt.dp, "lr0") && rt.has_via && !rt.connected &&
		       !strcmp(lsdp_prefix_str(&rt.prefix, pbuf, sizeof(pbuf)), "10.2.0.0/16") &&
		       !strcmp(rt.port, "lrp1"), "route reply parses");
		nlmsg_free(msg);

		lsdp_prefix_parse("::/0", &pf, LSDP_PREFIX_F_NETWORK);
		msg = new_reply();
		err = lsdp_put_route(msg, "lr0", &pf, NULL, NULL);
		result(!err && genlmsg_parse(nlmsg_hdr(msg), 0, tb, LSDP_A_MAX, NULL) == 0 &&
		       nla_len(tb[LSDP_A_ROUTE_PREFIX]) == 16 &&
		       nla_get_u8(tb[LSDP_A_ROUTE_PLEN]) == 0 &&
		       !tb[LSDP_A_ROUTE_VIA] && !tb[LSDP_A_PORT_NAME],
		       "route del request: no via, no port");
		nla_put_u8(msg, LSDP_A_ROUTE_CONNECTED, 1);
		err = lsdp_route_parse(msg, &rt);
		result(!err && !rt.has_via && rt.connected && rt.prefix.addr.family == AF_INET6,
		       "connected IPv6 route reply parses");
		nlmsg_free(msg);

		msg = new_reply();
		nla_put_string(msg, LSDP_A_DP_NAME, "lr0");
		nla_put(msg, LSDP_A_ROUTE_PREFIX, 4, "\0\0\0\0");
		nla_put_u8(msg, LSDP_A_ROUTE_PLEN, 33);
		result(lsdp_route_parse(msg, &rt) < 0, "route reply with plen 33 refused");
		nlmsg_free(msg);
	}

	/* Neighbour requests and replies. */
	{
		struct nlattr *tb[LSDP_A_MAX + 1];
		struct lsdp_neigh_info ne;
		struct lsdp_addr ad;

		lsdp_addr_parse("fd00::5", &ad);
		msg = new_reply();
		err = lsdp_put_neigh(msg, "lrp1", &ad, mac);
		result(!err && genlmsg_parse(nlmsg_hdr(msg), 0, tb, LSDP_A_MAX, NULL) == 0 &&
		       nla_len(tb[LSDP_A_NEIGH_ADDR]) == 16 && nla_len(tb[LSDP_A_NEIGH_MAC]) == 6,
		       "neigh add request: port, 16-byte address, MAC");
		nla_put_u8(msg, LSDP_A_NEIGH_STATE, LSDP_NEIGH_REACHABLE);
		nla_put_u32(msg, LSDP_A_NEIGH_AGE_MS, 1500);
		nla_put_u32(msg, LSDP_A_NEIGH_PROBES, 2);
		err = lsdp_neigh_parse(msg, &ne);
		result(!err && !strcmp(ne.port, "lrp1") && ne.has_mac &&
		       !memcmp(ne.mac, mac, 6) && ne.has_age && ne.age_ms == 1500 &&
		       ne.probes == 2 && !strcmp(lsdp_neigh_state_name(ne.state), "reachable"),
		       "neighbour reply parses");
		nlmsg_free(msg);

		msg = new_reply();
		err = lsdp_put_neigh(msg, "lrp1", &ad, NULL);
		nla_put_u8(msg, LSDP_A_NEIGH_STATE, LSDP_NEIGH_INCOMPLETE);
		result(!err && lsdp_neigh_parse(msg, &ne) == 0 && !ne.has_mac && !ne.has_age &&
		       ne.state == LSDP_NEIGH_INCOMPLETE, "neigh del request; incomplete entry has no MAC");
		nlmsg_free(msg);
	}

	/* Hold queue: limits request, settings reply, held destinations. */
	{
		struct lsdp_hold_limits lim = { 0 };
		struct lsdp_hold_info h;
		struct lsdp_held_info held;
		struct nlattr *tb[LSDP_A_MAX + 1];

		lim.present = 1u << LSDP_HOLD_L_RETRIES | 1u << LSDP_HOLD_L_STALE_MS;
		lim.v[LSDP_HOLD_L_RETRIES] = 3;
		lim.v[LSDP_HOLD_L_STALE_MS] = 60000;
		msg = new_reply();
		err = lsdp_put_hold_limits(msg, &lim);
		result(!err && genlmsg_parse(nlmsg_hdr(msg), 0, tb, LSDP_A_MAX, NULL) == 0 &&
		       nla_get_u32(tb[LSDP_A_HOLD_RETRIES]) == 3 &&
		       nla_get_u32(tb[LSDP_A_NEIGH_STALE_MS]) == 60000 &&
		       !tb[LSDP_A_HOLD_DEST_BYTES] && !tb[LSDP_A_NEIGH_MAX],
		       "hold set request: only the limits given");
		nla_put_u32(msg, LSDP_A_NEIGH_COUNT, 7);
		nla_put_u32(msg, LSDP_A_HOLD_LAT_SAMPLES, 10);
		nla_put_u64(msg, LSDP_A_HOLD_LAT_P50_NS, 1500);
		nla_put_u64(msg, LSDP_A_HOLD_LAT_P99_NS, 9000);
		nla_put_u64(msg, LSDP_A_HOLD_LAT_MAX_NS, 12345);
		stats = nla_nest_start(msg, LSDP_A_HOLD_STATS);
		nla_put_u64(msg, LSDP_STATS_A_RX_PACKETS, 12);
		nla_put_u64(msg, LSDP_STATS_A_TX_PACKETS, 10);
		drops = nla_nest_start(msg, LSDP_STATS_A_DROPS);
		nla_put_u64(msg, LSDP_DROP_HOLD_FAILED, 2);
		nla_nest_end(msg, drops);
		nla_nest_end(msg, stats);
		err = lsdp_hold_parse(msg, &h);
		result(!err && h.limits.present == lim.present &&
		       h.limits.v[LSDP_HOLD_L_RETRIES] == 3 && h.has_neigh_count &&
		       h.neigh_count == 7 && h.lat_samples == 10 && h.lat_p50_ns == 1500 &&
		       h.lat_p99_ns == 9000 && h.lat_max_ns == 12345 && h.has_stats &&
		       h.stats.rx_packets == 12 && h.stats.tx_packets == 10 &&
		       h.stats.n_drops == 1 && h.stats.drops[0].reason == LSDP_DROP_HOLD_FAILED,
		       "hold get reply parses");
		lsdp_hold_info_clear(&h);
		nlmsg_free(msg);

		msg = new_reply();
		nla_put_string(msg, LSDP_A_PORT_NAME, "vm1");
		nla_put_u32(msg, LSDP_A_HOLD_PACKETS, 3);
		nla_put_u32(msg, LSDP_A_HOLD_BYTES, 294);
		nla_put_u32(msg, LSDP_A_HOLD_AGE_MS, 40);
		err = lsdp_held_parse(msg, &held);
		result(!err && !held.has_addr && held.packets == 3 && held.bytes == 294 &&
		       held.age_ms == 40, "held destination of an unbound port parses");
		nla_put(msg, LSDP_A_NEIGH_ADDR, 4, "\x0a\0\0\x01");
		err = lsdp_held_parse(msg, &held);
		result(!err && held.has_addr && held.addr.family == AF_INET,
		       "held destination with a next hop parses");
		nlmsg_free(msg);
		result(!strcmp(lsdp_hold_limit_descs[LSDP_HOLD_L_UNBOUND_MS].keyword,
			       "unbound-time") &&
		       lsdp_hold_limit_descs[LSDP_HOLD_L_NEIGH_MAX].attr == LSDP_A_NEIGH_MAX,
		       "hold limit table");
	}

	/* Names. */
	result(!strcmp(lsdp_drop_reason_name(LSDP_DROP_PS_MAC, buf, sizeof(buf)),
		       "port-security-mac") &&
	       !strcmp(lsdp_drop_reason_name(LSDP_DROP_TX_ERROR, buf, sizeof(buf)), "tx-error") &&
	       !strcmp(lsdp_drop_reason_name(LSDP_DROP_SRC_MCAST, buf, sizeof(buf)), "src-mcast") &&
	       !strcmp(lsdp_drop_reason_name(200, buf, sizeof(buf)), "reason-200"),
	       "drop reason names");
	{
		unsigned int r;
		int all = 1;

		for (r = 1; r <= LSDP_DROP_MAX; r++)
			if (!strncmp(lsdp_drop_reason_name(r, buf, sizeof(buf)), "reason-", 7))
				all = 0;
		result(all, "every drop reason of the header has a name");
	}
	result(!strcmp(lsdp_drop_reason_name(LSDP_DROP_TTL, buf, sizeof(buf)), "ttl") &&
	       !strcmp(lsdp_drop_reason_name(LSDP_DROP_ROUTER_L2, buf, sizeof(buf)), "router-l2") &&
	       !strcmp(lsdp_drop_reason_name(LSDP_DROP_HOLD_TOTAL_FULL, buf, sizeof(buf)),
		       "hold-total-full") &&
	       !strcmp(lsdp_drop_reason_name(LSDP_DROP_NEIGH_FULL, buf, sizeof(buf)), "neigh-full"),
	       "router and hold drop reason names");
	{
		unsigned int i;
		int all = 1;

		for (i = 1; i <= LSDP_NEIGH_MAX; i++)
			all &= lsdp_neigh_state_name(i) != NULL;
		for (i = 1; i <= LSDP_HOLD_EVENT_MAX; i++)
			all &= lsdp_hold_event_name(i) != NULL;
		result(all && !lsdp_neigh_state_name(0) && !lsdp_neigh_state_name(99),
		       "every neighbour state and hold event has a name");
	}
	result(lsdp_port_type_parse("router-port") < 0 &&
	       lsdp_port_type_parse("router") == LSDP_PORT_TYPE_ROUTER,
	       "router-port is shown, not typed");
	result(lsdp_port_type_parse("localnet") == LSDP_PORT_TYPE_LOCALNET &&
	       lsdp_port_type_parse("frob") < 0 &&
	       !strcmp(lsdp_port_type_name(LSDP_PORT_TYPE_REMOTE), "remote"),
	       "port type names");
	result(!strcmp(lsdp_dp_kind_name(LSDP_DP_KIND_ROUTER), "router") &&
	       !lsdp_dp_kind_name(7), "datapath kind names");

	printf("1..%d\n", n);
	return failed ? 1 : 0;
}

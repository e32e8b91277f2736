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
	char buf[32];
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
	result(lsdp_port_type_parse("localnet") == LSDP_PORT_TYPE_LOCALNET &&
	       lsdp_port_type_parse("frob") < 0 &&
	       !strcmp(lsdp_port_type_name(LSDP_PORT_TYPE_REMOTE), "remote"),
	       "port type names");
	result(!strcmp(lsdp_dp_kind_name(LSDP_DP_KIND_ROUTER), "router") &&
	       !lsdp_dp_kind_name(7), "datapath kind names");

	printf("1..%d\n", n);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of liblsdp's ACL match parser (lib/lsdp_acl.c): OVN matches as
 * security groups write them are parsed into the kernel's compact form,
 * written as LSDP_A_ACL_MATCH, read back and printed canonically; bad
 * matches are refused with the offending token and its position.  TAP,
 * exit 0/1.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>

#include "lsdp_acl.h"

static int n, failed;

static void result(int ok, const char *name, const char *got)
{
	n++;
	printf("%sok %d %s\n", ok ? "" : "not ", n, name);
	if (!ok) {
		printf("# got: %s\n", got);
		failed++;
	}
}

/* Parse, round-trip through netlink, and compare the canonical text. */
static void good(const char *in, const char *want)
{
	struct lsdp_match m, back;
	char err[256], txt[1024], txt2[1024];
	struct nl_msg *msg;
	struct nlattr *a;
	int r;

	r = lsdp_match_parse(in, &m, err, sizeof(err));
	if (r) {
		result(0, in, err);
		lsdp_match_free(&m);
		return;
	}
	lsdp_match_format(&m, txt, sizeof(txt));
	msg = nlmsg_alloc();
	r = lsdp_put_match(msg, &m);
	a = nlmsg_find_attr(nlmsg_hdr(msg), 0, LSDP_A_ACL_MATCH);
	if (r || !a || lsdp_match_from_nl(a, &back)) {
		result(0, in, "netlink round trip failed");
	} else {
		lsdp_match_format(&back, txt2, sizeof(txt2));
		result(!strcmp(txt, want) && !strcmp(txt2, want), in, txt2);
		lsdp_match_free(&back);
	}
	nlmsg_free(msg);
	lsdp_match_free(&m);
}

/* Must fail, with @want (a substring) in the message. */
static void bad(const char *in, const char *want)
{
	struct lsdp_match m;
	char err[256] = "";
	int r;

	r = lsdp_match_parse(in, &m, err, sizeof(err));
	lsdp_match_free(&m);
	result(r && strstr(err, want), in, r ? err : "(accepted)");
}

int main(void)
{
	good("(inport == \"fr3p\" && ip)",
	     "inport == \"fr3p\" && eth.type == {0x0800, 0x86dd}");
	good("(outport == \"fr3p\" && ip && icmp)",
	     "outport == \"fr3p\" && eth.type == {0x0800, 0x86dd} && ip.proto == {1, 58}");
	good("outport == @pg1 && ip4 && ip4.src == $as1 && tcp && tcp.dst >= 22 && tcp.dst <= 80",
	     "outport == @pg1 && eth.type == 0x0800 && ip4.src == $as1 && ip.proto == 6 && l4.dst == 22-80");
	good("ip4.src == {10.0.0.0/8, 192.168.1.1} && (udp.dst == 53 || udp.dst == 5353)",
	     "eth.type == 0x0800 && ip4.src == {10.0.0.0/8, 192.168.1.1} && ip.proto == 17 && l4.dst == {53, 5353}");
	good("ip6 && icmp6.type == 128",
	     "eth.type == 0x86dd && ip.proto == 58 && icmp.type == 128");
	good("tcp.dst != {22, 23} && ip4.dst != 10.1.1.1",
	     "ip.proto == 6 && l4.dst != {22, 23} && eth.type == 0x0800 && ip4.dst != 10.1.1.1");
	good("ip && ip4", "eth.type == 0x0800");
	good("tcp.dst == 1000-2000 && tcp.src < 1024",
	     "ip.proto == 6 && l4.dst == 1000-2000 && l4.src == 0-1023");
	good("ip6.dst == fd00::/64 && sctp.src > 100",
	     "eth.type == 0x86dd && ip6.dst == fd00::/64 && ip.proto == 132 && l4.src == 101-65535");
	good("((inport == \"a\") && (ip4 && (udp)))",
	     "inport == \"a\" && eth.type == 0x0800 && ip.proto == 17");
	good("inport == {\"a\", \"b\"} && eth.type == 0x806",
	     "inport == {\"a\", \"b\"} && eth.type == 0x0806");

	bad("ip && ip6 && ip4", "eth.type can never match, at position");
	bad("inport == fr3p", "a port is a quoted name or @group, at position 11 ('fr3p')");
	bad("ip4.src == 10.0.0.300", "expected an IPv4 address or CIDR, at position 12 ('10.0.0.300')");
	bad("tcp.dst == 80 || ip", "|| joins only tests of one field");
	bad("(ip4", "expected ')', at the end");
	bad("ip4 &&", "expected a test, at the end");
	bad("foo.bar == 1", "unknown field or macro, at position 1 ('foo.bar')");
	bad("!ip", "'!' is not supported");
	bad("ip4.src = 1.2.3.4", "unexpected character, at position 9");
	bad("tcp.dst == 70000", "expected a number up to 65535");
	bad("ip4.src == $as && ip4 ^", "unexpected character");
	bad("inport == \"x", "unterminated string");
	bad("", "empty match");
	bad("ip4.dst < 5", "an order comparison only goes with L4 ports");
	bad("tcp.dst == 90-80", "invalid port range");
	bad("ip4 ip6", "expected && or the end of the match, at position 5 ('ip6')");

	printf("1..%d\n", n);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * lsdp: configure the lsdp logical switch/router datapath over generic
 * netlink, with the grammar and conventions of iproute2.
 *
 *   lsdp [ -j [-p] ] [ -n NETNS ] [ -b FILE [-f] ] [ -V ] OBJECT { COMMAND | help }
 *
 * Every command is parsed and checked completely before anything is sent,
 * so a bad command line never reaches the kernel (and `help` never opens a
 * socket).  Errors print "Error: ..." on stderr and make the exit status 1;
 * the kernel's extack text is what the user reads when the kernel refuses.
 *
 * This file: the options, the table of objects and their commands (with
 * their usage), batch mode and main().  The commands' handlers live in the
 * files of their objects (dp.c, port.c, ...); utils.c holds what those
 * share to parse and to ask, output.c how they print.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef LSDP_VERSION
#define LSDP_VERSION "0.1.0"
#endif

struct cli G;

/* ------------------------------------------------------------------ */
/* Usage                                                              */
/* ------------------------------------------------------------------ */

const char usage_main[] =
	"Usage: lsdp [ OPTIONS ] OBJECT { COMMAND | help }\n"
	"       lsdp [ -j [ -p ] ] [ -n NETNS ] -b FILE [ -f ]\n"
	"       lsdp -V\n"
	"where  OBJECT := { switch | router | port | route | nat | neigh | chassis |\n"
	"                   encap | hold | stats | acl | pg | as | trace |\n"
	"                   monitor }\n"
	"       OPTIONS := { -j[son] [ -p[retty] ] | -n[etns] NETNS |\n"
	"                    -b[atch] FILE [ -f[orce] ] | -V[ersion] }\n"
	"Try \"lsdp OBJECT help\" for the commands of an object.\n";

static void print_synopsis(FILE *f, const char *prefix, const char *syn)
{
	fputs(prefix, f);
	fputs(syn, f);
	fputc('\n', f);
}

void print_cmd_usage(FILE *f, const struct cmd *cmd)
{
	print_synopsis(f, "Usage: ", cmd->synopsis);
	if (cmd->where)
		fputs(cmd->where, f);
}

void print_obj_usage(FILE *f, const struct object *obj)
{
	size_t i;

	for (i = 0; i < obj->ncmds; i++)
		print_synopsis(f, i ? "       " : "Usage: ", obj->cmds[i].synopsis);
	if (obj->where)
		fputs(obj->where, f);
}

/* ------------------------------------------------------------------ */
/* Objects                                                            */
/* ------------------------------------------------------------------ */

#define DP_WHERE "where  KEY := 1..16777215 (the Geneve VNI)\n"

static const struct cmd switch_cmds[] = {
	{ "add", dp_add, LSDP_CMD_DP_NEW,
	  "lsdp switch add NAME key KEY", DP_WHERE },
	{ "del", dp_del, LSDP_CMD_DP_DEL, "lsdp switch del NAME", NULL },
	{ "show", dp_show, LSDP_CMD_DP_GET, "lsdp switch show [ NAME ]", NULL },
};

static const struct cmd router_cmds[] = {
	{ "add", dp_add, LSDP_CMD_DP_NEW,
	  "lsdp router add NAME key KEY", DP_WHERE },
	{ "del", dp_del, LSDP_CMD_DP_DEL, "lsdp router del NAME", NULL },
	{ "show", dp_show, LSDP_CMD_DP_GET, "lsdp router show [ NAME ]", NULL },
};

#define PORT_WHERE \
	"where  KEY := 1..32767\n" \
	"       TYPE := { vif | router | localnet | remote | virtual }\n" \
	"       MAC := xx:xx:xx:xx:xx:xx\n" \
	"       ADDR := an IPv4 or IPv6 address (repeat \"ip\" for more)\n" \
	"       CIDR := ADDR/PREFIXLEN, a router port's network (repeat \"net\")\n" \
	"       PORT := with \"type router\", the router port to patch to;\n" \
	"               with \"parent\", the trunk parent (a vif port)\n" \
	"       VID := 1..4094: \"tag\", a trunk child's VLAN on its parent's\n" \
	"              device; \"vlan\", a localnet port's on the provider network\n" \
	"       VIP, PARENTS := with \"type virtual\", its virtual IP and the vif\n" \
	"              ports (P1,P2,...) whose ARP for it binds it\n"

static const struct cmd port_cmds[] = {
	{ "add", port_change, LSDP_CMD_PORT_NEW,
	  "lsdp port add DATAPATH NAME key KEY [ type TYPE ] [ mac MAC ]\n"
	  "                     [ ip ADDR ]... [ unknown ] [ security ]\n"
	  "                     [ dev IFNAME | chassis NAME ]\n"
	  "                     [ net CIDR ]... [ peer PORT ]\n"
	  "                     [ parent PORT tag VID ] [ vlan VID ]\n"
	  "                     [ vip VIP parents PARENTS ]",
	  PORT_WHERE },
	{ "set", port_change, LSDP_CMD_PORT_SET,
	  "lsdp port set NAME [ dev IFNAME | nodev ] [ chassis NAME | nochassis ]\n"
	  "                     [ mac MAC ] [ ip ADDR ]... [ noip ]\n"
	  "                     [ net CIDR ]... [ nonet ]\n"
	  "                     [ unknown | nounknown ] [ security | nosecurity ]\n"
	  "                     [ vlan VID | novlan ]",
	  "where  MAC := xx:xx:xx:xx:xx:xx\n"
	  "       VID := 1..4094, a localnet port's tag on the provider network\n"
	  "       ADDR := an IPv4 or IPv6 address; \"ip\" replaces the list\n"
	  "       CIDR := ADDR/PREFIXLEN of a router port; \"net\" replaces the list\n" },
	{ "del", name_request, LSDP_CMD_PORT_DEL, "lsdp port del NAME", NULL },
	{ "show", port_show, LSDP_CMD_PORT_GET,
	  "lsdp port show [ NAME | DATAPATH ]", NULL },
	{ "announce", name_request, LSDP_CMD_PORT_ANNOUNCE,
	  "lsdp port announce NAME",
	  "where  NAME := a localnet port (all behind it), a router port or its\n"
	  "               patch, or a port bound here, on a switch with a localnet\n"
	  "               port: gratuitous ARP / unsolicited NA, once, now\n" },
};

static const struct cmd chassis_cmds[] = {
	{ "add", chassis_add, LSDP_CMD_CHASSIS_NEW,
	  "lsdp chassis add NAME ip ADDR",
	  "where  ADDR := the chassis' IPv4 or IPv6 underlay (tunnel) address\n" },
	{ "del", name_request, LSDP_CMD_CHASSIS_DEL,
	  "lsdp chassis del NAME", NULL },
	{ "show", show_list, LSDP_CMD_CHASSIS_GET,
	  "lsdp chassis show [ NAME ]", NULL },
};

static const struct cmd encap_cmds[] = {
	{ "set", encap_set, LSDP_CMD_ENCAP_SET,
	  "lsdp encap set local ADDR [ dev IFNAME ] [ csum on|off ] [ df on|off ]",
	  "where  ADDR := this chassis' IPv4 or IPv6 underlay address\n"
	  "       IFNAME := a Geneve device in external (collect_md) mode;\n"
	  "                 without it lsdp uses its own UDP socket (6081)\n" },
	{ "show", encap_show, LSDP_CMD_ENCAP_GET, "lsdp encap show", NULL },
};

#define ROUTE_WHERE \
	"where  PREFIX := ADDR/PREFIXLEN with no host bits, ADDR (a host route),\n" \
	"                 or default (0.0.0.0/0; for IPv6 write ::/0)\n" \
	"       ADDR := the next hop, of the prefix's family; without via the\n" \
	"               destination is on the port's link\n"

static const struct cmd route_cmds[] = {
	{ "add", route_add, LSDP_CMD_ROUTE_NEW,
	  "lsdp route add ROUTER PREFIX [ via ADDR ] port PORT",
	  ROUTE_WHERE },
	{ "del", route_del, LSDP_CMD_ROUTE_DEL,
	  "lsdp route del ROUTER PREFIX", ROUTE_WHERE },
	{ "show", show_list, LSDP_CMD_ROUTE_GET,
	  "lsdp route show [ ROUTER ]", NULL },
};

#define NAT_WHERE \
	"where  TYPE := { snat | dnat | dnat_and_snat }\n" \
	"       EXTERNAL := the IPv4 address the outside sees\n" \
	"       INTERNAL := the inside address; for snat also a network ADDR/LEN\n" \
	"       port P mac M := dnat_and_snat only, distributed: the chassis where\n" \
	"                       switch port P is bound answers ARP for EXTERNAL\n" \
	"                       with MAC M and translates\n" \
	"       ports MIN-MAX := the external ports (ICMP: echo ids) snat may use\n"

static const struct cmd nat_cmds[] = {
	{ "add", nat_add, LSDP_CMD_NAT_NEW,
	  "lsdp nat add ROUTER TYPE EXTERNAL INTERNAL [ port P mac M ]\n"
	  "                     [ ports MIN-MAX ]", NAT_WHERE },
	{ "del", nat_del, LSDP_CMD_NAT_DEL,
	  "lsdp nat del ROUTER TYPE EXTERNAL [ INTERNAL ]",
	  "where  every rule of that type and external address goes, or only\n"
	  "       the one of INTERNAL\n" },
	{ "show", show_list, LSDP_CMD_NAT_GET,
	  "lsdp nat show [ ROUTER ]", NULL },
};

#define NEIGH_WHERE \
	"where  PORT := a router port\n" \
	"       ADDR := an IPv4 or IPv6 address\n" \
	"       MAC := xx:xx:xx:xx:xx:xx\n"

static const struct cmd neigh_cmds[] = {
	{ "add", neigh_change, LSDP_CMD_NEIGH_NEW,
	  "lsdp neigh add PORT ADDR mac MAC", NEIGH_WHERE },
	{ "del", neigh_change, LSDP_CMD_NEIGH_DEL,
	  "lsdp neigh del PORT ADDR", NEIGH_WHERE },
	{ "show", show_list, LSDP_CMD_NEIGH_GET,
	  "lsdp neigh show [ PORT ]", NULL },
	{ "flush", neigh_flush, LSDP_CMD_NEIGH_FLUSH,
	  "lsdp neigh flush [ PORT ]", NULL },
};

static const struct cmd hold_cmds[] = {
	{ "show", hold_show, LSDP_CMD_HOLD_GET, "lsdp hold show", NULL },
	{ "set", hold_set, LSDP_CMD_HOLD_SET,
	  "lsdp hold set [ dest-bytes N ] [ total-bytes N ] [ retries N ]\n"
	  "                     [ interval MS ] [ unbound-time MS ] [ neigh-max N ]\n"
	  "                     [ reachable MS ] [ stale MS ]",
	  "where  dest-bytes := bytes held per destination, oldest dropped (0: never hold)\n"
	  "       total-bytes := bytes held in the network namespace\n"
	  "       retries := ARP/NS probes before giving up (1..10)\n"
	  "       interval := milliseconds between probes (10..60000)\n"
	  "       unbound-time := milliseconds packets wait for an unbound port\n"
	  "       neigh-max := neighbour table size (1..1048576)\n"
	  "       reachable, stale := milliseconds a binding stays reachable,\n"
	  "                           then stale before it is deleted\n" },
};

static const struct cmd stats_cmds[] = {
	{ "show", stats_show, LSDP_CMD_PORT_GET,
	  "lsdp stats show [ PORT | DATAPATH ]", NULL },
};

#define ACL_WHERE \
	"where  DIR := { from-lport | to-lport }\n" \
	"       N := priority 0..32767, the highest matching ACL decides\n" \
	"       EXPR := OVN match: inport/outport == \"PORT\" or @PORTGROUP,\n" \
	"               eth.type, ip, ip4, ip6, ip4.src/dst and ip6.src/dst ==\n" \
	"               ADDR, CIDR or $ADDRSET, ip.proto, icmp, icmp4, icmp6,\n" \
	"               icmp4/icmp6.type/code, tcp, udp, sctp, tcp/udp/sctp.src/dst\n" \
	"               (N, N-M, <, <=, >, >=), joined by &&; != and {A, B} sets\n" \
	"       ACTION := { allow | allow-related | allow-stateless | drop |\n" \
	"                   reject | pass }\n"

static const struct cmd acl_cmds[] = {
	{ "add", acl_change, LSDP_CMD_ACL_NEW,
	  "lsdp acl add { SWITCH | @PORTGROUP } dir DIR prio N match EXPR\n"
	  "                     action ACTION [ name NAME ]", ACL_WHERE },
	{ "del", acl_change, LSDP_CMD_ACL_DEL,
	  "lsdp acl del { SWITCH | @PORTGROUP } [ dir DIR ] [ prio N ]\n"
	  "                     [ match EXPR ] [ name NAME ] [ id ID ]",
	  "where  without a filter every ACL of the switch or port group goes\n" },
	{ "show", acl_show, LSDP_CMD_ACL_GET,
	  "lsdp acl show [ SWITCH | @PORTGROUP ]", NULL },
};

static const struct cmd pg_cmds[] = {
	{ "add", pg_change, LSDP_CMD_PG_NEW, "lsdp pg add NAME [ PORT ]...",
	  NULL },
	{ "set", pg_change, LSDP_CMD_PG_SET, "lsdp pg set NAME PORT...",
	  "where  the ports replace the group's members\n" },
	{ "del", name_request, LSDP_CMD_PG_DEL, "lsdp pg del NAME",
	  "where  the ACLs of the group go with it\n" },
	{ "show", show_list, LSDP_CMD_PG_GET, "lsdp pg show [ NAME ]", NULL },
};

static const struct cmd as_cmds[] = {
	{ "add", as_add, LSDP_CMD_AS_NEW, "lsdp as add NAME [ ADDR ]...",
	  "where  ADDR := an IPv4 or IPv6 address or CIDR\n" },
	{ "member", as_member, LSDP_CMD_AS_SET,
	  "lsdp as member { add | del } NAME ADDR...",
	  "where  ADDR := an IPv4 or IPv6 address or CIDR\n" },
	{ "del", name_request, LSDP_CMD_AS_DEL, "lsdp as del NAME", NULL },
	{ "show", show_list, LSDP_CMD_AS_GET, "lsdp as show [ NAME ]", NULL },
};

static const struct cmd trace_cmd = {
	"trace", trace_run, LSDP_CMD_TRACE,
	"lsdp trace [ --summary ] PORT from-hex HEX\n"
	"       lsdp trace [ --summary ] MICROFLOW\n"
	"       lsdp trace [ --summary ] from-tunnel GENEVE\n"
	"       lsdp trace [ --summary ] live MICROFLOW [ count N ]",
	"where  HEX := a whole Ethernet frame, in hex (blanks and ':' ignored)\n"
	"       GENEVE := in hex, what a Geneve packet to UDP 6081 carries: its\n"
	"                 header, options and inner Ethernet frame\n"
	"       MICROFLOW := FIELD == VALUE && ... && PROTO, as ovn-trace takes it:\n"
	"                    inport == \"PORT\" (required), eth.src, eth.dst, eth.type,\n"
	"                    vlan.vid, ip4.src, ip4.dst, ip6.src, ip6.dst, ip.ttl,\n"
	"                    ip.proto, icmp4.type, icmp4.code, icmp6.type, icmp6.code,\n"
	"                    udp.src, udp.dst, tcp.src, tcp.dst, arp.op, arp.sha,\n"
	"                    arp.spa, arp.tha, arp.tpa;\n"
	"       PROTO := ip4 | ip6 | icmp4 | icmp6 | udp | tcp | arp\n"
	"       Unset fields: eth.src and the IP/ARP source are the port's, ARP goes\n"
	"       to broadcast, ip.ttl is 64, the rest is zero.  Nothing is sent and\n"
	"       no state changes: the kernel says what it would do.\n"
	"       live: follow real packets that enter PORT (from its netdev, or from\n"
	"       a tunnel with PORT as their inport) and match the fields given\n"
	"       (unset ones match anything; no vlan.vid: name the trunk child);\n"
	"       each is forwarded as usual and its walk printed, until N packets\n"
	"       or Ctrl-C.\n",
};

static const struct cmd monitor_cmd = {
	"monitor", monitor_run, 0,
	"lsdp monitor [ events | drops | hold | all ]... [ count N ]",
	"where  events := configuration changes; hold := hold queue events;\n"
	"       drops := dropped packets (at most 100 a second per netns);\n"
	"       all (the default) := all three; count N: stop after N\n",
};

#define CMDS(c)	.cmds = (c), .ncmds = ARRAY_SIZE(c)

static const struct object objects[] = {
	{ .name = "switch", .kind = LSDP_DP_KIND_SWITCH, CMDS(switch_cmds),
	  .where = DP_WHERE },
	{ .name = "router", .kind = LSDP_DP_KIND_ROUTER, CMDS(router_cmds),
	  .where = DP_WHERE },
	{ .name = "port", CMDS(port_cmds), .where = PORT_WHERE,
	  .name_attr = LSDP_A_PORT_NAME },
	{ .name = "route", CMDS(route_cmds), .where = ROUTE_WHERE,
	  .filter_attr = LSDP_A_DP_NAME, .view = &route_view },
	{ .name = "nat", CMDS(nat_cmds), .where = NAT_WHERE,
	  .filter_attr = LSDP_A_DP_NAME, .view = &nat_view },
	{ .name = "neigh", CMDS(neigh_cmds), .where = NEIGH_WHERE,
	  .filter_attr = LSDP_A_PORT_NAME, .view = &neigh_view },
	{ .name = "chassis", CMDS(chassis_cmds),
	  .name_attr = LSDP_A_CHASSIS_NAME,
	  .filter_attr = LSDP_A_CHASSIS_NAME, .view = &chassis_view },
	{ .name = "encap", CMDS(encap_cmds) },
	{ .name = "hold", CMDS(hold_cmds) },
	{ .name = "stats", CMDS(stats_cmds) },
	{ .name = "acl", CMDS(acl_cmds), .where = ACL_WHERE },
	{ .name = "pg", CMDS(pg_cmds), .name_attr = LSDP_A_PG_NAME,
	  .filter_attr = LSDP_A_PG_NAME, .view = &pg_view },
	{ .name = "as", CMDS(as_cmds), .name_attr = LSDP_A_AS_NAME,
	  .filter_attr = LSDP_A_AS_NAME, .view = &as_view },
	{ .name = "trace", .cmds = &trace_cmd, .ncmds = 1, .all = &trace_cmd },
	{ .name = "monitor", .cmds = &monitor_cmd, .ncmds = 1,
	  .all = &monitor_cmd },
};

/* Runs one command line (without global options). */
static int run(int argc, char **argv)
{
	const struct object *obj = NULL;
	const struct cmd *cmd = NULL;
	const char *cname;
	size_t i;
	int r;

	cur_obj = NULL;
	cur_cmd = NULL;
	if (argc < 1)
		return usage_error("missing OBJECT");
	if (is_help(argv[0])) {
		fputs(usage_main, stdout);
		return CMD_OK;
	}
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (!strcmp(argv[0], objects[i].name))
			obj = &objects[i];
	if (!obj)
		return usage_error("unknown object \"%s\"", argv[0]);
	cur_obj = obj;
	argc--;
	argv++;
	if (obj->all) {
		cmd = obj->all;
		cur_cmd = cmd;
		if (argc > 0 && is_help(argv[0]))
			r = CMD_HELP;
		else
			r = cmd->fn(obj, argc, argv);
		if (r == CMD_HELP) {
			print_cmd_usage(stdout, cmd);
			r = CMD_OK;
		}
		return r;
	}

	/* "lsdp port" alone means "lsdp port show", as in iproute2. */
	cname = argc > 0 ? argv[0] : "show";
	if (argc > 0) {
		argc--;
		argv++;
	}
	if (is_help(cname)) {
		print_obj_usage(stdout, obj);
		return CMD_OK;
	}
	for (i = 0; i < obj->ncmds; i++)
		if (!strcmp(cname, obj->cmds[i].name))
			cmd = &obj->cmds[i];
	if (!cmd)
		return usage_error("unknown command \"%s\"", cname);
	cur_cmd = cmd;

	r = cmd->fn(obj, argc, argv);
	if (r == CMD_HELP) {
		print_cmd_usage(stdout, cmd);
		r = CMD_OK;
	}
	return r;
}

/* ------------------------------------------------------------------ */
/* Batch                                                              */
/* ------------------------------------------------------------------ */

/*
 * Splits @line in place into words: blanks separate, '...' and "..."
 * quote, a backslash escapes the next character (outside '...'), and a
 * word starting with # starts a comment.  Returns the number of words or
 * -1 on an unterminated quote.
 */
static int split_line(char *line, char ***argvp, size_t *cap)
{
	char *r = line, *w = line;
	int argc = 0;

	for (;;) {
		char quote = 0;

		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			break;
		if ((size_t)argc + 1 >= *cap) {
			size_t ncap = *cap ? *cap * 2 : 16;
			char **p = realloc(*argvp, ncap * sizeof(*p));

			if (!p)
				return -2;
			*argvp = p;
			*cap = ncap;
		}
		(*argvp)[argc++] = w;
		for (; *r; r++) {
			if (quote) {
				if (*r == quote) {
					quote = 0;
				} else if (*r == '\\' && quote == '"' && r[1]) {
					*w++ = *++r;
				} else {
					*w++ = *r;
				}
			} else if (*r == '\'' || *r == '"') {
				quote = *r;
			} else if (*r == '\\' && r[1]) {
				*w++ = *++r;
			} else if (*r == ' ' || *r == '\t' || *r == '\n' ||
				   *r == '\r') {
				break;
			} else {
				*w++ = *r;
			}
		}
		if (quote)
			return -1;
		if (*r)
			r++;
		*w++ = '\0';
	}
	if (*argvp)
		(*argvp)[argc] = NULL;
	return argc;
}

static int run_batch(const char *file, bool force)
{
	FILE *f = stdin;
	char *line = NULL, **argv = NULL;
	size_t len = 0, cap = 0;
	bool failed = false;

	if (strcmp(file, "-")) {
		f = fopen(file, "r");
		if (!f)
			return error("cannot open \"%s\": %s", file, strerror(errno));
	}
	G.batch = true;
	G.line = 0;
	while (getline(&line, &len, f) >= 0) {
		int argc;

		G.line++;
		argc = split_line(line, &argv, &cap);
		if (argc == 0)
			continue;
		if (argc == -1)
			error("unterminated quote");
		else if (argc < 0)
			error("%s", strerror(ENOMEM));
		else if (argv[0][0] == '-')
			error("options are not allowed in a batch line: \"%s\"",
			      argv[0]);
		else if (run(argc, argv) == CMD_OK)
			continue;
		failed = true;
		if (!force)
			break;
	}
	if (ferror(f)) {
		error("cannot read \"%s\": %s", file, strerror(errno));
		failed = true;
	}
	free(line);
	free(argv);
	if (f != stdin)
		fclose(f);
	G.batch = false;
	return failed ? CMD_FAIL : CMD_OK;
}

/* ------------------------------------------------------------------ */
/* main                                                               */
/* ------------------------------------------------------------------ */

/* -x, -xlong or --xlong. */
static bool opt_is(const char *arg, const char *shrt, const char *lng)
{
	if (!strcmp(arg, shrt))
		return true;
	if (arg[0] == '-' && arg[1] == '-')
		arg++;
	return !strcmp(arg + 1, lng);
}

int lsdp_main(int argc, char **argv)
{
	const char *batch = NULL;
	bool force = false;
	int r;

	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-') {
		const char *opt = argv[0];

		if (!strcmp(opt, "--")) {
			argc--;
			argv++;
			break;
		} else if (opt_is(opt, "-j", "json")) {
			G.json = true;
		} else if (opt_is(opt, "-p", "pretty")) {
			G.pretty = true;
		} else if (opt_is(opt, "-f", "force")) {
			force = true;
		} else if (opt_is(opt, "-V", "Version") ||
			   !strcmp(opt, "--version")) {
			printf("lsdp %s\n", LSDP_VERSION);
			return 0;
		} else if (opt_is(opt, "-h", "help")) {
			fputs(usage_main, stdout);
			return 0;
		} else if (opt_is(opt, "-n", "netns")) {
			if (argc < 2)
				return usage_error("\"%s\" requires a value", opt);
			G.netns = argv[1];
			argc--;
			argv++;
		} else if (opt_is(opt, "-b", "batch")) {
			if (argc < 2)
				return usage_error("\"%s\" requires a value", opt);
			batch = argv[1];
			argc--;
			argv++;
		} else {
			return usage_error("unknown option \"%s\"", opt);
		}
		argc--;
		argv++;
	}

	if (batch) {
		if (argc > 0)
			r = usage_error("unexpected argument \"%s\" with -b", argv[0]);
		else
			r = run_batch(batch, force);
	} else if (argc == 0) {
		r = usage_error("missing OBJECT");
	} else {
		r = run(argc, argv);
	}

	lsdp_nl_free(G.nl);
	if (fflush(stdout) && r == CMD_OK)
		r = CMD_FAIL;
	return r == CMD_OK ? 0 : 1;
}

#ifndef LSDP_NO_MAIN
int main(int argc, char **argv)
{
	return lsdp_main(argc, argv);
}
#endif

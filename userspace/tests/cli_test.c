// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side test of the lsdp CLI (lsdp.c and the files of its objects,
 * linked in; lsdp.c built without main()) with the netlink transport
 * replaced by a mock: every command line is run as the binary would run
 * it, the request it sends is captured and checked attribute by attribute,
 * and canned kernel replies (built as the kernel builds them) are fed to
 * it so that show tables and JSON can be compared byte for byte.  Needs no
 * kernel module; prints TAP and exits 0/1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli.h"

/* ---- the mock transport (replaces lib/lsdp_nl.c) ---- */

struct lsdp_nl {
	int connected;
	char errmsg[256];
};

#define MAX_REPLIES 8
#define MAX_REQS 4

static struct {
	/* canned replies, handed to the callback of any request of cmd */
	struct nl_msg *reply[MAX_REPLIES];
	uint8_t reply_cmd[MAX_REPLIES];
	int reply_dump[MAX_REPLIES];	/* 1: only for dumps, 0: only doit */
	int n_replies;
	/* captured requests */
	struct nl_msg *req[MAX_REQS];
	int n_reqs;
	int fail_err;			/* next request fails with this */
	const char *fail_msg;
} M;

struct lsdp_nl *lsdp_nl_new(void)
{
	return calloc(1, sizeof(struct lsdp_nl));
}

void lsdp_nl_free(struct lsdp_nl *nl)
{
	free(nl);
}

int lsdp_nl_connect(struct lsdp_nl *nl, const char *family, unsigned int flags)
{
	(void)family;
	(void)flags;
	nl->connected = 1;
	return 0;
}

int lsdp_nl_fd(const struct lsdp_nl *nl)
{
	return nl->connected ? 3 : -1;
}

struct nl_msg *lsdp_nl_msg_size(struct lsdp_nl *nl, uint8_t cmd, int flags,
				size_t size)
{
	struct nl_msg *msg = nlmsg_alloc_size(size);

	(void)nl;
	if (msg)
		genlmsg_put(msg, 0, 0, 0x20, 0, flags, cmd, LSDP_GENL_VERSION);
	return msg;
}

struct nl_msg *lsdp_nl_msg(struct lsdp_nl *nl, uint8_t cmd, int flags)
{
	return lsdp_nl_msg_size(nl, cmd, flags, 8192);
}

static uint8_t msg_cmd(struct nl_msg *msg)
{
	return ((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(msg)))->cmd;
}

int lsdp_nl_request(struct lsdp_nl *nl, struct nl_msg *msg,
		    lsdp_nl_cb_t cb, void *arg)
{
	int dump = !!(nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP);
	uint8_t cmd = msg_cmd(msg);
	int i, err;

	if (M.n_reqs < MAX_REQS)
		M.req[M.n_reqs++] = msg;
	else
		nlmsg_free(msg);
	if (M.fail_err) {
		err = M.fail_err;
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s", M.fail_msg);
		M.fail_err = 0;
		return err;
	}
	for (i = 0; i < M.n_replies; i++) {
		if (M.reply_cmd[i] != cmd || M.reply_dump[i] != dump || !cb)
			continue;
		err = cb(M.reply[i], arg);
		if (err < 0) {
			snprintf(nl->errmsg, sizeof(nl->errmsg),
				 "cannot parse the kernel's answer: %s",
				 strerror(-err));
			return err;
		}
	}
	return 0;
}

const char *lsdp_nl_strerror(const struct lsdp_nl *nl)
{
	return nl->errmsg;
}

const char *lsdp_nl_warning(const struct lsdp_nl *nl)
{
	(void)nl;
	return NULL;
}

/* No multicast in the mock: monitor fails as without the module. */
int lsdp_nl_join_group(struct lsdp_nl *nl, const char *group)
{
	snprintf(nl->errmsg, sizeof(nl->errmsg), "no group %s", group);
	return -ENOENT;
}

int lsdp_nl_join_events(struct lsdp_nl *nl)
{
	return lsdp_nl_join_group(nl, LSDP_MCGRP_EVENTS);
}

uint8_t lsdp_nl_cmd(struct nl_msg *msg)
{
	return msg_cmd(msg);
}

int lsdp_nl_recv(struct lsdp_nl *nl, lsdp_nl_cb_t cb, void *arg)
{
	(void)nl;
	(void)cb;
	(void)arg;
	return -ENOTCONN;
}

/* ---- test helpers ---- */

static int n, failed;

static void result(int ok, const char *name, const char *detail)
{
	n++;
	printf("%sok %d %s\n", ok ? "" : "not ", n, name);
	if (!ok) {
		failed++;
		if (detail)
			printf("# %s\n", detail);
	}
}

static void reset(void)
{
	int i;

	for (i = 0; i < M.n_replies; i++)
		nlmsg_free(M.reply[i]);
	for (i = 0; i < M.n_reqs; i++)
		nlmsg_free(M.req[i]);
	memset(&M, 0, sizeof(M));
	G.json = false;
	G.pretty = false;
}

static struct nl_msg *reply(uint8_t req_cmd, int dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 1, 0x20, 0, 0, req_cmd, LSDP_GENL_VERSION);
	M.reply[M.n_replies] = msg;
	M.reply_cmd[M.n_replies] = req_cmd;
	M.reply_dump[M.n_replies] = dump;
	M.n_replies++;
	return msg;
}

static char out_buf[8192], err_buf[8192];

static void slurp(FILE *f, char *buf, size_t len)
{
	size_t k;

	rewind(f);
	k = fread(buf, 1, len - 1, f);
	buf[k] = '\0';
	fclose(f);
}

/* Runs one command line ("-j route show"); returns its exit status. */
static int cli(const char *line)
{
	char copy[512], *argv[32];
	int argc = 1, saved_out, saved_err, rc;
	FILE *fo = tmpfile(), *fe = tmpfile();
	char *tok;

	snprintf(copy, sizeof(copy), "%s", line);
	argv[0] = "lsdp";
	for (tok = strtok(copy, " "); tok && argc < 31; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;

	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	rc = lsdp_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	G.nl = NULL;		/* freed by lsdp_main */
	slurp(fo, out_buf, sizeof(out_buf));
	slurp(fe, err_buf, sizeof(err_buf));
	return rc;
}

/* Runs @line, which must exit 0 and print exactly @want. */
static void check_out(const char *line, const char *want, const char *name)
{
	int rc = cli(line);

	result(rc == 0 && !strcmp(out_buf, want), name, out_buf);
}

/* The attributes of captured request @i. */
static uint8_t req_attrs(int i, struct nlattr **tb)
{
	memset(tb, 0, sizeof(*tb) * (LSDP_A_MAX + 1));
	if (i >= M.n_reqs)
		return 0;
	if (genlmsg_parse(nlmsg_hdr(M.req[i]), 0, tb, LSDP_A_MAX, NULL) < 0)
		return 0;
	return msg_cmd(M.req[i]);
}

static bool str_is(struct nlattr *a, const char *s)
{
	return a && !strcmp(nla_get_string(a), s);
}

/* An error run: exit 1, exactly @msg as the first stderr line, no stdout. */
static void expect_error(const char *line, const char *msg)
{
	char name[600], first[512];
	size_t k;
	int rc;

	reset();
	rc = cli(line);
	k = strcspn(err_buf, "\n");
	if (k >= sizeof(first))
		k = sizeof(first) - 1;
	memcpy(first, err_buf, k);
	first[k] = '\0';
	snprintf(name, sizeof(name), "error: %s", line);
	result(rc == 1 && !strcmp(first, msg) && !out_buf[0] && M.n_reqs == 0,
	       name, first);
}

static void put_ip(struct nl_msg *msg, int type, const char *s)
{
	struct lsdp_addr a;

	lsdp_addr_parse(s, &a);
	lsdp_put_ip(msg, type, &a);
}

static void put_route(const char *dp, const char *pfx, const char *via,
		      const char *port, int connected)
{
	struct nl_msg *msg = reply(LSDP_CMD_ROUTE_GET, 1);
	struct lsdp_prefix p;

	lsdp_prefix_parse(pfx, &p, 0);
	nla_put_string(msg, LSDP_A_DP_NAME, dp);
	lsdp_put_ip(msg, LSDP_A_ROUTE_PREFIX, &p.addr);
	nla_put_u8(msg, LSDP_A_ROUTE_PLEN, p.plen);
	if (via)
		put_ip(msg, LSDP_A_ROUTE_VIA, via);
	nla_put_string(msg, LSDP_A_PORT_NAME, port);
	nla_put_u8(msg, LSDP_A_ROUTE_CONNECTED, (uint8_t)connected);
}

static void put_dp(const char *name, uint32_t key, uint8_t kind, int nports)
{
	struct nl_msg *msg = reply(LSDP_CMD_DP_GET, 1);

	nla_put_string(msg, LSDP_A_DP_NAME, name);
	nla_put_u32(msg, LSDP_A_DP_KEY, key);
	nla_put_u8(msg, LSDP_A_DP_KIND, kind);
	if (nports >= 0)
		nla_put_u32(msg, LSDP_A_DP_NPORTS, (uint32_t)nports);
}

/* A port reply; @dp NULL, @key 0 and @type 0 are left out. */
static struct nl_msg *put_port(int dump, const char *name, const char *dp,
			       uint32_t key, uint8_t type)
{
	struct nl_msg *msg = reply(LSDP_CMD_PORT_GET, dump);

	nla_put_string(msg, LSDP_A_PORT_NAME, name);
	if (dp)
		nla_put_string(msg, LSDP_A_DP_NAME, dp);
	if (key)
		nla_put_u32(msg, LSDP_A_PORT_KEY, key);
	if (type)
		nla_put_u8(msg, LSDP_A_PORT_TYPE, type);
	return msg;
}

/* A chassis dump reply; @nports < 0 is left out. */
static void put_chassis(const char *name, const char *ip, int nports)
{
	struct nl_msg *msg = reply(LSDP_CMD_CHASSIS_GET, 1);

	nla_put_string(msg, LSDP_A_CHASSIS_NAME, name);
	put_ip(msg, LSDP_A_CHASSIS_IP, ip);
	if (nports >= 0)
		nla_put_u32(msg, LSDP_A_CHASSIS_NPORTS, (uint32_t)nports);
}

/* A neighbour dump reply; @mac NULL and @age_ms < 0 are left out. */
static void put_neigh(const char *addr, const void *mac, uint8_t state,
		      int age_ms, uint32_t probes)
{
	struct nl_msg *msg = reply(LSDP_CMD_NEIGH_GET, 1);

	nla_put_string(msg, LSDP_A_PORT_NAME, "lrp1");
	put_ip(msg, LSDP_A_NEIGH_ADDR, addr);
	if (mac)
		nla_put(msg, LSDP_A_NEIGH_MAC, 6, mac);
	nla_put_u8(msg, LSDP_A_NEIGH_STATE, state);
	if (age_ms >= 0)
		nla_put_u32(msg, LSDP_A_NEIGH_AGE_MS, (uint32_t)age_ms);
	nla_put_u32(msg, LSDP_A_NEIGH_PROBES, probes);
}

/* A counters nest @attr; @drops: reason/count pairs, -1 ended. */
/* The drops nest of a counters nest; @drops: reason/count pairs, -1 ended. */
static void put_drops(struct nl_msg *msg, const int *drops)
{
	struct nlattr *dr = nla_nest_start(msg, LSDP_STATS_A_DROPS);

	for (; drops && drops[0] >= 0; drops += 2)
		nla_put_u64(msg, drops[0], (uint64_t)drops[1]);
	nla_nest_end(msg, dr);
}

static void put_stats(struct nl_msg *msg, int attr, const uint64_t *c,
		      const int *drops)
{
	static const int ctr[] = { LSDP_STATS_A_RX_PACKETS, LSDP_STATS_A_RX_BYTES,
				   LSDP_STATS_A_TX_PACKETS, LSDP_STATS_A_TX_BYTES };
	struct nlattr *st = nla_nest_start(msg, attr);
	int i;

	for (i = 0; i < 4; i++)
		nla_put_u64(msg, ctr[i], c[i]);
	put_drops(msg, drops);
	nla_nest_end(msg, st);
}

/* A port reply with counters (rx, 100 bytes each, twice as many out). */
static void put_port_stats(int dump, const char *name, const char *dp,
			   uint32_t key, uint64_t rx, const int *drops)
{
	struct nl_msg *msg = put_port(dump, name, dp, key, LSDP_PORT_TYPE_VIF);
	const uint64_t c[] = { rx, rx * 100, rx * 2, rx * 200 };

	put_stats(msg, LSDP_A_PORT_STATS, c, drops);
}

int main(void)
{
	struct nlattr *tb[LSDP_A_MAX + 1];
	struct nl_msg *msg;
	const char *want;
	uint8_t cmd;
	int rc;

	/* ---- requests ---- */

	reset();
	rc = cli("port add lr0 lrp1 key 1 mac 00:00:01:ff:00:01 net 1.1.254.254/16 net 2001:db8::1/64");
	cmd = req_attrs(0, tb);
	{
		struct nlattr *tba[LSDP_ADDR_A_MAX + 1];
		const uint8_t *d;

		result(rc == 0 && cmd == LSDP_CMD_PORT_NEW && str_is(tb[LSDP_A_DP_NAME], "lr0") &&
		       str_is(tb[LSDP_A_PORT_NAME], "lrp1") && tb[LSDP_A_PORT_MAC] &&
		       tb[LSDP_A_PORT_ADDRS] && !tb[LSDP_A_PORT_TYPE] &&
		       nla_parse_nested(tba, LSDP_ADDR_A_MAX, tb[LSDP_A_PORT_ADDRS], NULL) == 0 &&
		       tba[LSDP_ADDR_A_IPV4_NET] && tba[LSDP_ADDR_A_IPV6_NET] &&
		       !tba[LSDP_ADDR_A_IPV4],
		       "port add on a router: nets in LSDP_A_PORT_ADDRS", err_buf);
		d = tba[LSDP_ADDR_A_IPV4_NET] ? nla_data(tba[LSDP_ADDR_A_IPV4_NET]) : NULL;
		result(d && d[0] == 1 && d[1] == 1 && d[2] == 254 && d[3] == 254 && d[4] == 16,
		       "... IPV4_NET is 1.1.254.254 then 16", NULL);
	}

	reset();
	rc = cli("port add sw1 sw1-portr0 key 2 type router peer lrp1");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_PORT_NEW && tb[LSDP_A_PORT_TYPE] &&
	       nla_get_u8(tb[LSDP_A_PORT_TYPE]) == LSDP_PORT_TYPE_ROUTER &&
	       str_is(tb[LSDP_A_PORT_PEER], "lrp1") && !tb[LSDP_A_PORT_ADDRS],
	       "port add type router peer: PORT_TYPE router, PORT_PEER", err_buf);

	reset();
	rc = cli("port set lrp1 net 10.0.0.1/24");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_PORT_SET && tb[LSDP_A_PORT_ADDRS] &&
	       nla_len(tb[LSDP_A_PORT_ADDRS]) == 4 + 8, "port set net: one IPV4_NET", err_buf);

	reset();
	rc = cli("port set lrp1 nonet");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_PORT_SET && tb[LSDP_A_PORT_ADDRS] &&
	       nla_len(tb[LSDP_A_PORT_ADDRS]) == 0, "port set nonet: empty nest", err_buf);

	reset();
	rc = cli("route add lr0 10.2.0.0/16 via 10.0.0.254 port lrp1");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_ROUTE_NEW && str_is(tb[LSDP_A_DP_NAME], "lr0") &&
	       tb[LSDP_A_ROUTE_PREFIX] && nla_len(tb[LSDP_A_ROUTE_PREFIX]) == 4 &&
	       !memcmp(nla_data(tb[LSDP_A_ROUTE_PREFIX]), "\x0a\x02\0\0", 4) &&
	       nla_get_u8(tb[LSDP_A_ROUTE_PLEN]) == 16 &&
	       !memcmp(nla_data(tb[LSDP_A_ROUTE_VIA]), "\x0a\0\0\xfe", 4) &&
	       str_is(tb[LSDP_A_PORT_NAME], "lrp1"), "route add: every attribute", err_buf);

	reset();
	rc = cli("route add lr0 default port lr0-ext");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_ROUTE_NEW && nla_len(tb[LSDP_A_ROUTE_PREFIX]) == 4 &&
	       nla_get_u8(tb[LSDP_A_ROUTE_PLEN]) == 0 && !tb[LSDP_A_ROUTE_VIA],
	       "route add default: 0.0.0.0/0, no via", err_buf);

	reset();
	rc = cli("route add lr0 fd00::5 port lrp1");
	cmd = req_attrs(0, tb);
	result(rc == 0 && nla_len(tb[LSDP_A_ROUTE_PREFIX]) == 16 &&
	       nla_get_u8(tb[LSDP_A_ROUTE_PLEN]) == 128, "route add ADDR: a /128 host route",
	       err_buf);

	reset();
	rc = cli("route del lr0 10.2.0.0/16");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_ROUTE_DEL && tb[LSDP_A_ROUTE_PREFIX] &&
	       tb[LSDP_A_ROUTE_PLEN] && !tb[LSDP_A_PORT_NAME] && !tb[LSDP_A_ROUTE_VIA],
	       "route del: router, prefix, plen only", err_buf);

	reset();
	rc = cli("neigh add lrp1 1.1.0.1 mac 00:00:01:00:00:01");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_NEIGH_NEW && str_is(tb[LSDP_A_PORT_NAME], "lrp1") &&
	       nla_len(tb[LSDP_A_NEIGH_ADDR]) == 4 &&
	       !memcmp(nla_data(tb[LSDP_A_NEIGH_MAC]), "\0\0\x01\0\0\x01", 6),
	       "neigh add: port, address, MAC", err_buf);

	/* MACs: one or two hex digits a byte, either case (ether_aton_r's) */
	reset();
	rc = cli("neigh add lrp1 1.1.0.1 mac 0:A:1b:c:0:Ff");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_NEIGH_NEW && tb[LSDP_A_NEIGH_MAC] &&
	       !memcmp(nla_data(tb[LSDP_A_NEIGH_MAC]), "\0\x0a\x1b\x0c\0\xff", 6),
	       "neigh add: single-digit and upper-case MAC bytes", err_buf);

	reset();
	rc = cli("neigh del lrp1 fd00::1");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_NEIGH_DEL && nla_len(tb[LSDP_A_NEIGH_ADDR]) == 16 &&
	       !tb[LSDP_A_NEIGH_MAC], "neigh del: port, address", err_buf);

	reset();
	rc = cli("neigh flush");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_NEIGH_FLUSH && !tb[LSDP_A_PORT_NAME] &&
	       !(nlmsg_hdr(M.req[0])->nlmsg_flags & NLM_F_DUMP),
	       "neigh flush: a doit without a port", err_buf);

	reset();
	rc = cli("neigh flush lrp1");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_NEIGH_FLUSH && str_is(tb[LSDP_A_PORT_NAME], "lrp1"),
	       "neigh flush PORT", err_buf);

	reset();
	rc = cli("hold set retries 5 interval 500 dest-bytes 0 unbound-time 2000ms");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_HOLD_SET &&
	       nla_get_u32(tb[LSDP_A_HOLD_RETRIES]) == 5 &&
	       nla_get_u32(tb[LSDP_A_HOLD_INTERVAL_MS]) == 500 &&
	       nla_get_u32(tb[LSDP_A_HOLD_DEST_BYTES]) == 0 &&
	       nla_get_u32(tb[LSDP_A_HOLD_UNBOUND_MS]) == 2000 &&
	       !tb[LSDP_A_HOLD_TOTAL_BYTES] && !tb[LSDP_A_NEIGH_MAX],
	       "hold set: the limits given, and only those", err_buf);

	reset();
	rc = cli("neigh show lrp1");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_NEIGH_GET && str_is(tb[LSDP_A_PORT_NAME], "lrp1") &&
	       (nlmsg_hdr(M.req[0])->nlmsg_flags & NLM_F_DUMP) && !out_buf[0],
	       "neigh show PORT: a filtered dump; empty table prints nothing", err_buf);

	reset();
	rc = cli("route show lr0");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_ROUTE_GET && str_is(tb[LSDP_A_DP_NAME], "lr0") &&
	       (nlmsg_hdr(M.req[0])->nlmsg_flags & NLM_F_DUMP),
	       "route show ROUTER: a dump filtered by DP_NAME", err_buf);

	/* ---- output ---- */

	reset();
	put_route("lr0", "192.168.123.0/24", NULL, "lr0-ext", 1);
	put_route("lr0", "0.0.0.0/0", "192.168.123.1", "lr0-ext", 0);
	put_route("lr0", "2001:db8::/64", NULL, "lrp1", 1);
	put_route("lr0", "1.1.0.0/16", NULL, "lrp1", 1);
	check_out("route show",
		  "ROUTER  PREFIX            VIA            PORT     TYPE\n"
		  "lr0     0.0.0.0/0         192.168.123.1  lr0-ext  static\n"
		  "lr0     1.1.0.0/16        -              lrp1     connected\n"
		  "lr0     192.168.123.0/24  -              lr0-ext  connected\n"
		  "lr0     2001:db8::/64     -              lrp1     connected\n",
		  "route show: table, sorted");
	check_out("-j route show",
		  "[{\"router\":\"lr0\",\"prefix\":\"0.0.0.0/0\",\"via\":\"192.168.123.1\","
		  "\"port\":\"lr0-ext\",\"connected\":false},"
		  "{\"router\":\"lr0\",\"prefix\":\"1.1.0.0/16\",\"via\":null,\"port\":\"lrp1\","
		  "\"connected\":true},"
		  "{\"router\":\"lr0\",\"prefix\":\"192.168.123.0/24\",\"via\":null,"
		  "\"port\":\"lr0-ext\",\"connected\":true},"
		  "{\"router\":\"lr0\",\"prefix\":\"2001:db8::/64\",\"via\":null,\"port\":\"lrp1\","
		  "\"connected\":true}]\n",
		  "-j route show");

	reset();
	put_neigh("1.1.0.2", NULL, LSDP_NEIGH_INCOMPLETE, -1, 2);
	put_neigh("1.1.0.1", "\0\0\x01\0\0\x01", LSDP_NEIGH_REACHABLE, 1234, 0);
	check_out("neigh show",
		  "PORT  ADDRESS  MAC                STATE       AGE_MS  PROBES\n"
		  "lrp1  1.1.0.1  00:00:01:00:00:01  reachable     1234       0\n"
		  "lrp1  1.1.0.2  -                  incomplete       -       2\n",
		  "neigh show: table");
	check_out("-j neigh show",
		  "[{\"port\":\"lrp1\",\"address\":\"1.1.0.1\",\"mac\":\"00:00:01:00:00:01\","
		  "\"state\":\"reachable\",\"age_ms\":1234,\"probes\":0},"
		  "{\"port\":\"lrp1\",\"address\":\"1.1.0.2\",\"mac\":null,"
		  "\"state\":\"incomplete\",\"age_ms\":null,\"probes\":2}]\n",
		  "-j neigh show");

	/* hold show: the doit, then the dump */
	reset();
	msg = reply(LSDP_CMD_HOLD_GET, 0);
	nla_put_u32(msg, LSDP_A_HOLD_DEST_BYTES, 212992);
	nla_put_u32(msg, LSDP_A_HOLD_TOTAL_BYTES, 4194304);
	nla_put_u32(msg, LSDP_A_HOLD_RETRIES, 3);
	nla_put_u32(msg, LSDP_A_HOLD_INTERVAL_MS, 1000);
	nla_put_u32(msg, LSDP_A_HOLD_UNBOUND_MS, 10000);
	nla_put_u32(msg, LSDP_A_NEIGH_MAX, 1024);
	nla_put_u32(msg, LSDP_A_NEIGH_REACHABLE_MS, 30000);
	nla_put_u32(msg, LSDP_A_NEIGH_STALE_MS, 60000);
	nla_put_u32(msg, LSDP_A_NEIGH_COUNT, 3);
	nla_put_u32(msg, LSDP_A_HOLD_BYTES, 294);
	nla_put_u32(msg, LSDP_A_HOLD_LAT_SAMPLES, 8);
	nla_put_u64(msg, LSDP_A_HOLD_LAT_P50_NS, 12345);
	nla_put_u64(msg, LSDP_A_HOLD_LAT_P99_NS, 45000);
	nla_put_u64(msg, LSDP_A_HOLD_LAT_MAX_NS, 1000000);
	{
		static const int d[] = { LSDP_DROP_HOLD_FAILED, 3, LSDP_DROP_HOLD_TIMEOUT, 0,
					 LSDP_DROP_HOLD_DEST_FULL, 1, -1 };
		struct nlattr *st = nla_nest_start(msg, LSDP_A_HOLD_STATS);

		nla_put_u64(msg, LSDP_STATS_A_RX_PACKETS, 12);
		nla_put_u64(msg, LSDP_STATS_A_TX_PACKETS, 8);
		put_drops(msg, d);
		nla_nest_end(msg, st);
	}
	msg = reply(LSDP_CMD_HOLD_GET, 1);
	nla_put_string(msg, LSDP_A_PORT_NAME, "lrp1");
	put_ip(msg, LSDP_A_NEIGH_ADDR, "1.1.0.9");
	nla_put_u32(msg, LSDP_A_HOLD_PACKETS, 2);
	nla_put_u32(msg, LSDP_A_HOLD_BYTES, 196);
	nla_put_u32(msg, LSDP_A_HOLD_AGE_MS, 350);
	msg = reply(LSDP_CMD_HOLD_GET, 1);
	nla_put_string(msg, LSDP_A_PORT_NAME, "vm7");
	nla_put_u32(msg, LSDP_A_HOLD_PACKETS, 1);
	nla_put_u32(msg, LSDP_A_HOLD_BYTES, 98);
	nla_put_u32(msg, LSDP_A_HOLD_AGE_MS, 1200);
	rc = cli("hold show");
	want = "limits dest-bytes 212992 total-bytes 4194304 retries 3 interval 1000ms"
	       " unbound-time 10000ms neigh-max 1024 reachable 30000ms stale 60000ms\n"
	       "held 12 packets, released 8, 294 bytes held now\n"
	       "  drop hold-dest-full: 1\n"
	       "  drop hold-failed: 3\n"
	       "release latency: median 12.3 us, p99 45.0 us, max 1000.0 us (8 samples)\n"
	       "neighbours 3\n"
	       "\n"
	       "PORT  DESTINATION     PACKETS  BYTES  AGE_MS\n"
	       "lrp1  1.1.0.9               2    196     350\n"
	       "vm7   (unbound port)        1     98    1200\n";
	result(rc == 0 && !strcmp(out_buf, want) && M.n_reqs == 2,
	       "hold show: settings, counters, latency, pending", out_buf);
	check_out("-j hold show",
		  "{\"limits\":{\"dest_bytes\":212992,\"total_bytes\":4194304,\"retries\":3,"
		  "\"interval_ms\":1000,\"unbound_time_ms\":10000,\"neigh_max\":1024,"
		  "\"reachable_ms\":30000,\"stale_ms\":60000},"
		  "\"counters\":{\"held\":12,\"released\":8,\"bytes_held\":294,\"drops\":{\"hold-dest-full\":1,"
		  "\"hold-failed\":3,\"hold-timeout\":0}},"
		  "\"latency\":{\"samples\":8,\"p50_ns\":12345,\"p99_ns\":45000,\"max_ns\":1000000},"
		  "\"neighbours\":3,"
		  "\"pending\":[{\"port\":\"lrp1\",\"address\":\"1.1.0.9\",\"packets\":2,"
		  "\"bytes\":196,\"age_ms\":350},"
		  "{\"port\":\"vm7\",\"address\":null,\"packets\":1,\"bytes\":98,\"age_ms\":1200}]}\n",
		  "-j hold show");

	reset();
	reply(LSDP_CMD_HOLD_GET, 0);
	rc = cli("hold show");
	want = "limits\n"
	       "held 0 packets, released 0\n"
	       "release latency: no samples\n";
	result(rc == 0 && !strcmp(out_buf, want), "hold show: nothing reported, no samples",
	       out_buf);

	/* port show of a router port and its switch-side peer */
	reset();
	msg = put_port(0, "lrp1", "lr0", 1, LSDP_PORT_TYPE_ROUTER_PORT);
	nla_put(msg, LSDP_A_PORT_MAC, 6, "\0\0\x01\xff\0\x01");
	nla_put_string(msg, LSDP_A_PORT_PEER, "sw1-portr0");
	{
		struct lsdp_prefix nets[2];

		lsdp_prefix_parse("1.1.254.254/16", &nets[0], 0);
		lsdp_prefix_parse("2001:db8::1/64", &nets[1], 0);
		lsdp_put_port_addrs(msg, NULL, 0, nets, 2);
	}
	check_out("port show lrp1",
		  "NAME  DATAPATH  KEY  TYPE         MAC                ADDRESSES                      "
		  "FLAGS  DEV  CHASSIS  PEER        VLAN  VIRTUAL  PARENTS\n"
		  "lrp1  lr0         1  router-port  00:00:01:ff:00:01  1.1.254.254/16,2001:db8::1/64  "
		  "-      -    -        sw1-portr0  -     -        -\n",
		  "port show: router port row");
	check_out("-j port show lrp1",
		  "[{\"name\":\"lrp1\",\"datapath\":\"lr0\",\"key\":1,\"type\":\"router-port\","
		  "\"mac\":\"00:00:01:ff:00:01\",\"addresses\":[],"
		  "\"nets\":[\"1.1.254.254/16\",\"2001:db8::1/64\"],\"peer\":\"sw1-portr0\","
		  "\"unknown\":false,\"security\":false,\"dev\":null,\"ifindex\":0,"
		  "\"chassis\":null,\"parent\":null,\"vlan\":null,\"announced\":0"
		  ",\"vip\":null,\"parents\":null,\"virtual_parent\":null,\"virtual_ignored\":null}]\n",
		  "-j port show: nets and peer");

	/* a trunk child: its tag shown with its parent */
	reset();
	msg = put_port(0, "child1", "network2", 1, LSDP_PORT_TYPE_VIF);
	nla_put_string(msg, LSDP_A_PORT_PARENT, "vm1");
	nla_put_u16(msg, LSDP_A_PORT_TAG, 30);
	nla_put_u32(msg, LSDP_A_PORT_ANNOUNCED, 4);
	rc = cli("port show child1");
	result(rc == 0 && strstr(out_buf, "  VLAN    VIRTUAL  PARENTS\n") &&
	       strstr(out_buf, "  30@vm1  -        -\n"),
	       "port show: trunk child's VLAN column", out_buf);
	rc = cli("-j port show child1");
	result(rc == 0 && strstr(out_buf, "\"parent\":\"vm1\",\"tag\":30,\"announced\":4"
				 ",\"vip\":null,\"parents\":null,\"virtual_parent\":null,\"virtual_ignored\":null}"),
	       "-j port show: parent, tag, announced", out_buf);

	/* a localnet port's VLAN */
	reset();
	msg = put_port(0, "provnet", NULL, 0, LSDP_PORT_TYPE_LOCALNET);
	nla_put_u16(msg, LSDP_A_PORT_TAG, 100);
	rc = cli("-j port show provnet");
	result(rc == 0 && strstr(out_buf, "\"parent\":null,\"vlan\":100,"),
	       "-j port show: localnet vlan", out_buf);

	/* a stats row with the new drop reasons */
	reset();
	msg = put_port(0, "lrp1", "lr0", 0, 0);
	{
		static const int d[] = { LSDP_DROP_TTL, 1, LSDP_DROP_NO_ROUTE, 2,
					 LSDP_DROP_NEIGH_FULL, 3, -1 };
		struct nlattr *st = nla_nest_start(msg, LSDP_A_PORT_STATS);

		put_drops(msg, d);
		nla_nest_end(msg, st);
	}
	rc = cli("stats show lrp1");
	result(rc == 0 && strstr(out_buf, " ttl:1,no-route:2,neigh-full:3\n"),
	       "stats show: ttl, no-route, neigh-full by name", out_buf);

	/* the kernel's refusal is the user's error text */
	reset();
	M.fail_err = -EINVAL;
	M.fail_msg = "not a router";
	rc = cli("route add sw1 10.0.0.0/8 port p1");
	result(rc == 1 && !strcmp(err_buf, "Error: not a router\n") && !out_buf[0],
	       "kernel extack printed as Error: ...", err_buf);

	/* a malformed reply is an error, not a crash */
	reset();
	msg = reply(LSDP_CMD_ROUTE_GET, 1);
	nla_put_string(msg, LSDP_A_DP_NAME, "lr0");
	rc = cli("route show");
	result(rc == 1 && !strncmp(err_buf, "Error: cannot parse the kernel's answer", 39),
	       "route reply without a prefix: error", err_buf);

	/* ---- output of every other show, as it stood before the split ---- */

	reset();
	put_dp("sw2", 2, LSDP_DP_KIND_SWITCH, 12);
	put_dp("lr0", 10, LSDP_DP_KIND_ROUTER, 3);
	put_dp("sw1", 1, LSDP_DP_KIND_SWITCH, -1);
	put_dp("odd", 7, 9, 0);
	check_out("switch show",
		  "NAME  KEY  KIND    PORTS\n"
		  "sw1     1  switch      -\n"
		  "sw2     2  switch     12\n",
		  "switch show: table, switches only");
	check_out("-j switch show",
		  "[{\"name\":\"sw1\",\"key\":1,\"kind\":\"switch\",\"ports\":null},"
		  "{\"name\":\"sw2\",\"key\":2,\"kind\":\"switch\",\"ports\":12}]\n",
		  "-j switch show");
	check_out("-j -p router show",
		  "[\n"
		  "    {\n"
		  "        \"name\": \"lr0\",\n"
		  "        \"key\": 10,\n"
		  "        \"kind\": \"router\",\n"
		  "        \"ports\": 3\n"
		  "    }\n"
		  "]\n",
		  "-j -p router show");

	reset();
	put_chassis("hv2", "fd00:50::2", 12);
	put_chassis("hv1", "192.168.50.1", -1);
	check_out("chassis show",
		  "NAME  IP            PORTS\n"
		  "hv1   192.168.50.1      0\n"
		  "hv2   fd00:50::2       12\n",
		  "chassis show: table");
	check_out("-j chassis show",
		  "[{\"name\":\"hv1\",\"ip\":\"192.168.50.1\",\"ports\":0},{\"name\":\"hv2\","
		  "\"ip\":\"fd00:50::2\",\"ports\":12}]\n",
		  "-j chassis show");

	reset();
	msg = reply(LSDP_CMD_ENCAP_GET, 0);
	put_ip(msg, LSDP_A_ENCAP_LOCAL_IP, "192.168.50.100");
	/* No device: lsdp's own UDP socket, as the kernel reports it. */
	nla_put_u8(msg, LSDP_A_ENCAP_CSUM, 1);
	nla_put_u8(msg, LSDP_A_ENCAP_OWNED, 1);
	{
		static const uint64_t c[] = { 5, 500, 6, 600 };
		static const int d[] = { LSDP_DROP_NO_DEST, 2, LSDP_DROP_MTU, 0, -1 };

		put_stats(msg, LSDP_A_ENCAP_STATS, c, d);
	}
	check_out("encap show",
		  "local 192.168.50.100 udp 6081 (lsdp's socket) csum on df off\n"
		  "tunnel rx 5 packets 500 bytes, tx 6 packets 600 bytes\n"
		  "  drop no-dest: 2\n",
		  "encap show: configured");
	check_out("-j encap show",
		  "{\"local\":\"192.168.50.100\",\"dev\":null,\"ifindex\":0,\"csum\":true,"
		  "\"df\":false,\"owned\":true,\"rx_packets\":5,\"rx_bytes\":500,\"tx_packets\":6,"
		  "\"tx_bytes\":600,\"drops\":{\"no-dest\":2,\"mtu\":0}}\n",
		  "-j encap show");
	reset();
	reply(LSDP_CMD_ENCAP_GET, 0);
	check_out("encap show",
		  "local none (no tunnel endpoint: remote ports unreachable)\n"
		  "tunnel rx 0 packets 0 bytes, tx 0 packets 0 bytes\n",
		  "encap show: not configured");
	check_out("-j encap show",
		  "{\"local\":null,\"dev\":null,\"ifindex\":0,\"csum\":false,\"df\":false,"
		  "\"owned\":false,\"rx_packets\":0,\"rx_bytes\":0,\"tx_packets\":0,\"tx_bytes\":0,"
		  "\"drops\":{}}\n",
		  "-j encap show: not configured");

	/* stats show DATAPATH: the port lookup fails, the datapath is found */
	{
		static const int d1[] = { LSDP_DROP_PS_MAC, 3, LSDP_DROP_NO_DEST, 0, -1 };
		static const int d2[] = { LSDP_DROP_NO_DEST, 4, LSDP_DROP_TTL, 1, -1 };

		reset();
		M.fail_err = -ENOENT;
		M.fail_msg = "no such port";
		put_dp("sw1", 1, LSDP_DP_KIND_SWITCH, 2);
		put_port_stats(1, "p2", "sw1", 2, 7, d2);
		put_port_stats(1, "p1", "sw1", 1, 10, d1);
		put_port_stats(1, "x1", "sw9", 1, 1, NULL);
		rc = cli("stats show sw1");
		want = "PORT     DATAPATH  RX_PACKETS  RX_BYTES  TX_PACKETS  TX_BYTES  DROPS  DROP_REASONS\n"
		       "p1       sw1               10      1000          20      2000      3  port-security-mac:3\n"
		       "p2       sw1                7       700          14      1400      5  no-dest:4,ttl:1\n"
		       "(total)  sw1               17      1700          34      3400      8  port-security-mac:3,no-dest:4,ttl:1\n";
		result(rc == 0 && !strcmp(out_buf, want), "stats show DATAPATH: rows and total",
		       out_buf);
		M.fail_err = -ENOENT;
		M.fail_msg = "no such port";
		rc = cli("-j stats show sw1");
		want = "[{\"port\":\"p1\",\"datapath\":\"sw1\",\"rx_packets\":10,"
		       "\"rx_bytes\":1000,\"tx_packets\":20,\"tx_bytes\":2000,"
		       "\"drops\":{\"port-security-mac\":3,\"no-dest\":0}},{\"port\":\"p2\","
		       "\"datapath\":\"sw1\",\"rx_packets\":7,\"rx_bytes\":700,"
		       "\"tx_packets\":14,\"tx_bytes\":1400,\"drops\":{\"no-dest\":4,"
		       "\"ttl\":1}}]\n";
		result(rc == 0 && !strcmp(out_buf, want), "-j stats show DATAPATH", out_buf);
		M.fail_err = -ENOENT;
		M.fail_msg = "no such port";
		G.json = false;
		rc = cli("port show sw1");
		want = "NAME  DATAPATH  KEY  TYPE  MAC  ADDRESSES  FLAGS  DEV  CHASSIS  PEER  VLAN  VIRTUAL  PARENTS\n"
		       "p1    sw1         1  vif   -    -          -      -    -        -     -     -        -\n"
		       "p2    sw1         2  vif   -    -          -      -    -        -     -     -        -\n";
		result(rc == 0 && !strcmp(out_buf, want), "port show DATAPATH", out_buf);
		M.fail_err = -ENOENT;
		M.fail_msg = "no such port";
		rc = cli("port show sw7");
		result(rc == 1 && !strcmp(err_buf, "Error: no port or datapath \"sw7\"\n"),
		       "port show of neither", err_buf);
	}

	/* a vif bound by ifindex only, with flags, chassis and a localnet VLAN */
	reset();
	msg = put_port(0, "vm1", "sw1", 3, 42);
	nla_put(msg, LSDP_A_PORT_MAC, 6, "\x0a\0\0\0\0\x01");
	nla_put_u8(msg, LSDP_A_PORT_UNKNOWN, 1);
	nla_put_u8(msg, LSDP_A_PORT_SECURITY, 1);
	nla_put_u32(msg, LSDP_A_PORT_IFINDEX, 9);
	nla_put_string(msg, LSDP_A_PORT_CHASSIS, "hv2");
	nla_put_u16(msg, LSDP_A_PORT_TAG, 100);
	{
		struct lsdp_addr a[2];

		lsdp_addr_parse("10.0.0.11", &a[0]);
		lsdp_addr_parse("fd00::11", &a[1]);
		lsdp_put_port_addrs(msg, a, 2, NULL, 0);
	}
	rc = cli("port show vm1");
	want = "NAME  DATAPATH  KEY  TYPE     MAC                ADDRESSES           FLAGS             DEV  CHASSIS  PEER  VLAN  VIRTUAL  PARENTS\n"
	       "vm1   sw1         3  type-42  0a:00:00:00:00:01  10.0.0.11,fd00::11  unknown,security  if9  hv2      -     100   -        -\n";
	result(rc == 0 && !strcmp(out_buf, want), "port show: flags, ifindex, chassis, vlan",
	       out_buf);
	check_out("-j -p port show vm1",
		  "[\n"
		  "    {\n"
		  "        \"name\": \"vm1\",\n"
		  "        \"datapath\": \"sw1\",\n"
		  "        \"key\": 3,\n"
		  "        \"type\": \"type-42\",\n"
		  "        \"mac\": \"0a:00:00:00:00:01\",\n"
		  "        \"addresses\": [\n"
		  "            \"10.0.0.11\",\n"
		  "            \"fd00::11\"\n"
		  "        ],\n"
		  "        \"nets\": [],\n"
		  "        \"peer\": null,\n"
		  "        \"unknown\": true,\n"
		  "        \"security\": true,\n"
		  "        \"dev\": null,\n"
		  "        \"ifindex\": 9,\n"
		  "        \"chassis\": \"hv2\",\n"
		  "        \"parent\": null,\n"
		  "        \"vlan\": 100,\n"
		  "        \"announced\": 0,\n"
		  "        \"vip\": null,\n"
		  "        \"parents\": null,\n"
		  "        \"virtual_parent\": null,\n"
		  "        \"virtual_ignored\": null\n"
		  "    }\n"
		  "]\n",
		  "-j -p port show: every key");

	/* ---- bad command lines: exact text, nothing sent ---- */

	expect_error("route add lr0 10.0.0.1/24 port p1",
		     "Error: prefix \"10.0.0.1/24\" has host bits set (network 10.0.0.0/24)");
	expect_error("route add lr0 10.0.0.0/33 port p1",
		     "Error: invalid prefix length in \"10.0.0.0/33\"");
	expect_error("route add lr0 fd00::/129 port p1",
		     "Error: invalid prefix length in \"fd00::/129\"");
	expect_error("route add lr0 10.0.0/8 port p1", "Error: invalid prefix \"10.0.0/8\"");
	expect_error("route add lr0 default6 port p1", "Error: invalid prefix \"default6\"");
	expect_error("route add lr0 10.0.0.0/8", "Error: \"port\" is required");
	expect_error("route add lr0 10.0.0.0/8 via 10.0.0.1", "Error: \"port\" is required");
	expect_error("route add lr0 10.0.0.0/8 port", "Error: \"port\" requires a value");
	expect_error("route add lr0 10.0.0.0/8 port a port b", "Error: duplicate \"port\"");
	expect_error("route add lr0 10.0.0.0/8 via x port p", "Error: invalid address \"x\"");
	expect_error("route add lr0 10.0.0.0/8 via fd00::1 port p",
		     "Error: \"via fd00::1\" is not of the family of the prefix");
	expect_error("route add lr0 10.0.0.0/8 port p metric 5",
		     "Error: unknown argument \"metric\"");
	expect_error("route add lr0", "Error: missing PREFIX");
	expect_error("route add", "Error: missing ROUTER");
	expect_error("route del lr0 10.0.0.0/8 port p", "Error: unexpected argument \"port\"");
	expect_error("route show lr0 x", "Error: unexpected argument \"x\"");
	expect_error("route frob", "Error: unknown command \"frob\"");
	expect_error("neigh add lrp1 1.1.0.1", "Error: \"mac\" is required");
	expect_error("neigh add lrp1 1.1.0.1 mac 00:00:01:00:00",
		     "Error: invalid MAC address \"00:00:01:00:00\"");
	expect_error("neigh add lrp1 1.1.0.1 mac 00:00:01:00:00:01x",
		     "Error: invalid MAC address \"00:00:01:00:00:01x\"");
	expect_error("neigh add lrp1 1.1.0.1 mac 00:00:01:00:00:012",
		     "Error: invalid MAC address \"00:00:01:00:00:012\"");
	expect_error("neigh add lrp1 1.1.0.1 mac 000:0:1:0:0:1",
		     "Error: invalid MAC address \"000:0:1:0:0:1\"");
	expect_error("neigh add lrp1 1.1.0.1 mac 0:0:1:0:0:",
		     "Error: invalid MAC address \"0:0:1:0:0:\"");
	expect_error("neigh add lrp1 1.1.0.1 mac 0:0:1:0:0:1:2",
		     "Error: invalid MAC address \"0:0:1:0:0:1:2\"");
	expect_error("neigh add lrp1 1.1.0.1 mac 0-0-1-0-0-1",
		     "Error: invalid MAC address \"0-0-1-0-0-1\"");
	expect_error("neigh add lrp1 1.1.0.1/32 mac 00:00:01:00:00:01",
		     "Error: invalid address \"1.1.0.1/32\"");
	expect_error("neigh add lrp1 1.1.0.1 mac 00:00:01:00:00:01 mac 00:00:01:00:00:02",
		     "Error: duplicate \"mac\"");
	expect_error("neigh add lrp1 1.1.0.1 lladdr 00:00:01:00:00:01",
		     "Error: unknown argument \"lladdr\"");
	expect_error("neigh add lrp1", "Error: missing ADDR");
	expect_error("neigh del lrp1 1.1.0.1 mac 00:00:01:00:00:01",
		     "Error: unexpected argument \"mac\"");
	expect_error("neigh flush a b", "Error: unexpected argument \"b\"");
	expect_error("hold set", "Error: nothing to change");
	expect_error("hold set retries", "Error: \"retries\" requires a value");
	expect_error("hold set retries -1", "Error: invalid retries \"-1\"");
	expect_error("hold set retries 3ms", "Error: invalid retries \"3ms\"");
	expect_error("hold set interval 10s", "Error: invalid interval \"10s\"");
	expect_error("hold set stale 4294967296", "Error: invalid stale \"4294967296\"");
	expect_error("hold set retries 3 retries 4", "Error: duplicate \"retries\"");
	expect_error("hold set queue 4", "Error: unknown argument \"queue\"");
	expect_error("hold show x", "Error: unexpected argument \"x\"");
	expect_error("port add lr0 lrp1 key 1 net 1.1.254.254",
		     "Error: net needs ADDR/PREFIXLEN");
	expect_error("port add lr0 lrp1 key 1 net 1.1.254.254/33",
		     "Error: invalid network \"1.1.254.254/33\"");
	expect_error("port add lr0 lrp1 key 1 net x/8", "Error: invalid network \"x/8\"");
	expect_error("port add sw1 p key 2 peer lrp1", "Error: \"peer\" requires \"type router\"");
	expect_error("port add sw1 p key 2 type vif peer lrp1",
		     "Error: \"peer\" requires \"type router\"");
	expect_error("port add sw1 p key 2 type router-port",
		     "Error: invalid port type \"router-port\"");
	expect_error("port add lr0 p key 2 nonet", "Error: unknown argument \"nonet\"");
	expect_error("port set p net 1.1.1.1/8 nonet", "Error: \"nonet\" conflicts with \"net\"");
	expect_error("port set p nonet net 1.1.1.1/8", "Error: \"net\" conflicts with \"nonet\"");
	expect_error("port set p noip net 1.1.1.1/8", "Error: \"net\" conflicts with \"noip\"");
	expect_error("port set p net 1.1.1.1", "Error: net needs ADDR/PREFIXLEN");

	/* ---- trace: the frame built from a microflow ---- */

	reset();
	rc = cli("trace inport==\"vm1\"&&eth.src==00:00:00:00:00:01&&eth.dst==00:00:00:00:00:02&&ip4.src==10.0.0.1&&ip4.dst==10.0.1.2&&ip.ttl==7&&icmp4");
	cmd = req_attrs(0, tb);
	{
		const uint8_t *d = tb[LSDP_A_TRACE_FRAME] ?
				   nla_data(tb[LSDP_A_TRACE_FRAME]) : NULL;
		int len = d ? nla_len(tb[LSDP_A_TRACE_FRAME]) : 0;
		uint32_t sum = 0;
		int i;

		for (i = 14; d && i < 34; i += 2)
			sum += d[i] << 8 | d[i + 1];
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		result(cmd == LSDP_CMD_TRACE && str_is(tb[LSDP_A_PORT_NAME], "vm1") &&
		       len == 14 + 20 + 64 && d[5] == 2 && d[11] == 1 &&
		       d[12] == 0x08 && d[13] == 0 && d[14] == 0x45 &&
		       d[22] == 7 && d[23] == 1 && d[26] == 10 && d[33] == 2 &&
		       d[34] == 8 && sum == 0xffff,
		       "trace microflow: Ethernet, IPv4 (ttl, valid checksum), echo request",
		       err_buf);
	}
	reset();
	rc = cli("trace vm1 from-hex 0000000000020000000000010806");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_TRACE &&
	       tb[LSDP_A_TRACE_FRAME] && nla_len(tb[LSDP_A_TRACE_FRAME]) == 14,
	       "trace from-hex: the frame as given", err_buf);
	reset();
	rc = cli("trace from-tunnel 0440655800000200:0102800100030006:000000000002000000000001:0806");
	cmd = req_attrs(0, tb);
	result(rc == 0 && cmd == LSDP_CMD_TRACE && !tb[LSDP_A_PORT_NAME] &&
	       tb[LSDP_A_TRACE_TUNNEL] &&
	       nla_get_u8(tb[LSDP_A_TRACE_TUNNEL]) == 1 &&
	       tb[LSDP_A_TRACE_FRAME] && nla_len(tb[LSDP_A_TRACE_FRAME]) == 30,
	       "trace from-tunnel: the Geneve payload as given, no port", err_buf);
	expect_error("trace from-tunnel", "Error: \"from-tunnel\" requires a value");
	expect_error("trace vm1 from-hex 00zz", "Error: invalid hex \"z\" in the frame");
	expect_error("trace vm1 from-hex 000", "Error: odd number of hex digits in the frame");
	expect_error("trace vm1 from-hex 0000", "Error: a frame needs at least 14 bytes (Ethernet header)");
	expect_error("trace inport==\"vm1\"&&foo.bar==1",
		     "Error: unknown field \"foo.bar\" in the packet description");
	expect_error("trace inport==\"vm1\"&&||", "Error: unparsable packet description at \"||\": only FIELD == VALUE terms joined by && are understood");
	expect_error("trace eth.src==00:00:00:00:00:01",
		     "Error: the packet description needs inport == \"PORT\"");
	expect_error("trace inport==\"vm1\"&&eth.src==00:00:00:00:00:01&&ip4.src==1.2.3.4&&ip6",
		     "Error: \"ip6\" contradicts the packet's other fields");
	expect_error("trace inport==\"vm1\"&&eth.src==00:00:00:00:00:01&&ip4.dst==1.2.3",
		     "Error: invalid value \"1.2.3\" for ip4.dst");
	expect_error("monitor nope", "Error: unknown argument \"nope\"");

	reset();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}

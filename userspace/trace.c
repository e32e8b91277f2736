// SPDX-License-Identifier: GPL-2.0
/*
 * lsdp CLI: lsdp trace: where would this packet go?
 *
 *   lsdp trace [ --summary ] PORT from-hex HEX
 *   lsdp trace [ --summary ] 'inport == "vm1" && eth.dst == ... && icmp4'
 *   lsdp trace [ --summary ] from-tunnel GENEVE
 *   lsdp trace [ --summary ] live 'inport == "vm1" && icmp4' [ count N ]
 *
 * The frame is built here (from hex, or from ovn-trace's microflow
 * syntax), then the kernel runs it through the real packet path without
 * side effects (LSDP_CMD_TRACE) and answers with the steps it took,
 * printed as an ovn-trace-like walk, a summary of the outcomes, or JSON.
 * "from-tunnel" traces a Geneve payload (header, options, inner frame) as
 * the receiving chassis would take it from the underlay.
 *
 * "live" follows real packets instead: the same description, reduced to
 * the fields it names, becomes a frame and a mask the kernel compares a
 * packet's first bytes against where it enters the logical inport (from
 * its netdev or from a tunnel).  Each matching packet is forwarded as
 * usual and its walk comes back here (LSDP_CMD_TRACE_LIVE).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A request holds a port name and a frame of up to LSDP_TRACE_FRAME_MAX. */
#define TRACE_MSG_SIZE	(CLI_MSG_SIZE + LSDP_TRACE_FRAME_MAX)

#define FRAME_MAX	1600

/* ---- the packet, as ovn-trace's microflow describes it ---- */

enum l4 { L4_NONE, L4_ICMP, L4_UDP, L4_TCP };

struct flow {
	const char *inport;
	bool has_src, has_dst, has_type, has_vid;
	uint8_t src[6], dst[6];
	uint16_t type;			/* EtherType when neither IP nor ARP */
	uint16_t vid;
	int l3;				/* 0, 4, 6, or 'a' (ARP) */
	bool has_ip_src, has_ip_dst, has_ttl, has_proto;
	struct lsdp_addr ip_src, ip_dst;
	uint32_t ttl, proto;
	enum l4 l4;
	bool has_icmp_type, has_icmp_code;
	uint32_t icmp_type, icmp_code;
	uint32_t sport, dport;
	uint32_t arp_op;
	bool has_sha, has_spa, has_tpa;
	uint8_t sha[6], tha[6];
	struct lsdp_addr spa, tpa;
};

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* A value as written: "vm1" or vm1. */
static char *unquote(char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		return v + 1;
	}
	return v;
}

/* Sets the L3 protocol, refusing a second, different one. */
static int set_l3(struct flow *f, int l3, const char *term)
{
	if (f->l3 && f->l3 != l3)
		return error("\"%s\" contradicts the packet's other fields",
			     term);
	f->l3 = l3;
	return CMD_OK;
}

static int set_l4(struct flow *f, enum l4 l4, int l3, const char *term)
{
	if (l3 && set_l3(f, l3, term))
		return CMD_FAIL;
	if (f->l4 && f->l4 != l4)
		return error("\"%s\" contradicts the packet's other fields",
			     term);
	f->l4 = l4;
	return CMD_OK;
}

static int bad_value(const char *field, const char *v)
{
	return error("invalid value \"%s\" for %s", v, field);
}

static int ip_value(struct flow *f, const char *field, const char *v,
		    int family, struct lsdp_addr *out, bool *has)
{
	if (!parse_addr(v, out) || out->family != family)
		return bad_value(field, v);
	*has = true;
	return set_l3(f, family == AF_INET ? 4 : 6, field);
}

static int u32_value(const char *field, const char *v, uint32_t max,
		     uint32_t *out)
{
	if (!parse_u32(v, out) || *out > max)
		return bad_value(field, v);
	return CMD_OK;
}

/* One "FIELD == VALUE" term. */
static int flow_field(struct flow *f, const char *k, char *v)
{
	if (!strcmp(k, "inport")) {
		f->inport = v;
		return *v ? CMD_OK : bad_value(k, v);
	}
	if (!strcmp(k, "eth.src") || !strcmp(k, "eth.dst")) {
		bool src = k[4] == 's';

		if (!parse_mac(v, src ? f->src : f->dst))
			return bad_value(k, v);
		*(src ? &f->has_src : &f->has_dst) = true;
		return CMD_OK;
	}
	if (!strcmp(k, "eth.type")) {
		unsigned long t;
		char *end;

		/* 0x88b5 or 34997, as ovn-trace takes it. */
		errno = 0;
		t = strtoul(v, &end, 0);
		if (errno || end == v || *end || t < 0x600 || t > 0xffff)
			return bad_value(k, v);
		f->type = t;
		f->has_type = true;
		return CMD_OK;
	}
	if (!strcmp(k, "vlan.vid")) {
		uint32_t vid;

		if (!parse_vid(v, &vid))
			return bad_value(k, v);
		f->vid = vid;
		f->has_vid = true;
		return CMD_OK;
	}
	if (!strcmp(k, "ip4.src"))
		return ip_value(f, k, v, AF_INET, &f->ip_src, &f->has_ip_src);
	if (!strcmp(k, "ip4.dst"))
		return ip_value(f, k, v, AF_INET, &f->ip_dst, &f->has_ip_dst);
	if (!strcmp(k, "ip6.src"))
		return ip_value(f, k, v, AF_INET6, &f->ip_src, &f->has_ip_src);
	if (!strcmp(k, "ip6.dst"))
		return ip_value(f, k, v, AF_INET6, &f->ip_dst, &f->has_ip_dst);
	if (!strcmp(k, "ip.ttl")) {
		f->has_ttl = true;
		return u32_value(k, v, 255, &f->ttl);
	}
	if (!strcmp(k, "ip.proto")) {
		f->has_proto = true;
		return u32_value(k, v, 255, &f->proto);
	}
	if (!strcmp(k, "icmp4.type") || !strcmp(k, "icmp6.type") ||
	    !strcmp(k, "icmp4.code") || !strcmp(k, "icmp6.code")) {
		bool code = !strcmp(k + 6, "code");

		if (set_l4(f, L4_ICMP, k[4] == '4' ? 4 : 6, k))
			return CMD_FAIL;
		*(code ? &f->has_icmp_code : &f->has_icmp_type) = true;
		return u32_value(k, v, 255, code ? &f->icmp_code :
					   &f->icmp_type);
	}
	if (!strcmp(k, "udp.src") || !strcmp(k, "udp.dst") ||
	    !strcmp(k, "tcp.src") || !strcmp(k, "tcp.dst")) {
		if (set_l4(f, k[0] == 'u' ? L4_UDP : L4_TCP, 0, k))
			return CMD_FAIL;
		return u32_value(k, v, 65535, k[4] == 's' ? &f->sport :
					      &f->dport);
	}
	if (!strcmp(k, "arp.op")) {
		if (set_l3(f, 'a', k))
			return CMD_FAIL;
		return u32_value(k, v, 65535, &f->arp_op);
	}
	if (!strcmp(k, "arp.sha") || !strcmp(k, "arp.tha")) {
		if (set_l3(f, 'a', k))
			return CMD_FAIL;
		if (!parse_mac(v, k[4] == 's' ? f->sha : f->tha))
			return bad_value(k, v);
		if (k[4] == 's')
			f->has_sha = true;
		return CMD_OK;
	}
	if (!strcmp(k, "arp.spa") || !strcmp(k, "arp.tpa")) {
		bool s = k[4] == 's';

		if (set_l3(f, 'a', k))
			return CMD_FAIL;
		if (!parse_addr(v, s ? &f->spa : &f->tpa) ||
		    (s ? f->spa : f->tpa).family != AF_INET)
			return bad_value(k, v);
		*(s ? &f->has_spa : &f->has_tpa) = true;
		return CMD_OK;
	}
	return error("unknown field \"%s\" in the packet description", k);
}

/* One bare term: a protocol. */
static int flow_proto(struct flow *f, const char *k)
{
	if (!strcmp(k, "ip4"))
		return set_l3(f, 4, k);
	if (!strcmp(k, "ip6"))
		return set_l3(f, 6, k);
	if (!strcmp(k, "ip"))
		return f->l3 == 6 ? CMD_OK : set_l3(f, 4, k);
	if (!strcmp(k, "arp"))
		return set_l3(f, 'a', k);
	if (!strcmp(k, "icmp4") || !strcmp(k, "icmp"))
		return set_l4(f, L4_ICMP, 4, k);
	if (!strcmp(k, "icmp6"))
		return set_l4(f, L4_ICMP, 6, k);
	if (!strcmp(k, "udp"))
		return set_l4(f, L4_UDP, 0, k);
	if (!strcmp(k, "tcp"))
		return set_l4(f, L4_TCP, 0, k);
	return error("unknown field \"%s\" in the packet description", k);
}

/* Parses @expr (modified) into @f: terms joined by "&&". */
static int flow_parse(char *expr, struct flow *f)
{
	char *term = expr, *next, *eq, *k;

	if (!*trim(expr))
		return error("empty packet description");
	for (;;) {
		next = strstr(term, "&&");
		if (next)
			*next = '\0';
		k = trim(term);
		if (!*k)
			return error("unparsable packet description: empty term around \"&&\"");
		eq = strstr(k, "==");
		if (eq) {
			*eq = '\0';
			if (!*trim(k) || !*trim(eq + 2))
				return error("unparsable packet description: \"==\" needs a field and a value");
			if (flow_field(f, trim(k), unquote(trim(eq + 2))))
				return CMD_FAIL;
		} else {
			if (strpbrk(k, " \t=!<>|()"))
				return error("unparsable packet description at \"%s\": only FIELD == VALUE terms joined by && are understood",
					     k);
			if (flow_proto(f, k))
				return CMD_FAIL;
		}
		if (!next)
			break;
		term = next + 2;
	}
	if (!f->inport)
		return error("the packet description needs inport == \"PORT\"");
	return CMD_OK;
}

/* ---- building the frame ---- */

static uint32_t csum_add(uint32_t sum, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* The L4 header and payload at @p; returns its length. */
static size_t build_l4(const struct flow *f, uint8_t *p)
{
	size_t len;

	switch (f->l4) {
	case L4_ICMP:
		len = 8 + 56;	/* what ping sends */
		memset(p, 0, len);
		p[0] = f->has_icmp_type ? f->icmp_type :
		       f->l3 == 6 ? 128 : 8;	/* echo request */
		p[1] = f->icmp_code;
		put16(p + 4, 0x1234);		/* identifier */
		put16(p + 6, 1);		/* sequence */
		return len;
	case L4_UDP:
		len = 8 + 32;
		memset(p, 0, len);
		put16(p, f->sport ? f->sport : 12345);
		put16(p + 2, f->dport ? f->dport : 53);
		put16(p + 4, len);
		return len;
	case L4_TCP:
		len = 20;
		memset(p, 0, len);
		put16(p, f->sport ? f->sport : 12345);
		put16(p + 2, f->dport ? f->dport : 80);
		p[12] = 5 << 4;
		p[13] = 0x02;			/* SYN */
		put16(p + 14, 65535);
		return len;
	default:
		return 0;
	}
}

static uint8_t l4_proto(const struct flow *f)
{
	if (f->has_proto)
		return f->proto;
	switch (f->l4) {
	case L4_ICMP:
		return f->l3 == 6 ? 58 : 1;
	case L4_UDP:
		return 17;
	case L4_TCP:
		return 6;
	default:
		return f->l3 == 6 ? 59 : 0;	/* IPv6: no next header */
	}
}

/* The transport checksum over the pseudo-header and @len bytes at @l4. */
static void l4_csum(const struct flow *f, uint8_t *l4, size_t len)
{
	size_t alen = f->l3 == 6 ? 16 : 4;
	int off = f->l4 == L4_ICMP ? 2 : f->l4 == L4_UDP ? 6 : 16;
	uint32_t sum = 0;
	uint16_t c;

	if (f->l4 == L4_NONE)
		return;
	if (!(f->l4 == L4_ICMP && f->l3 == 4)) {
		/* v4 and v6 share their first bytes in the union. */
		sum = csum_add(sum, &f->ip_src.v6, alen);
		sum = csum_add(sum, &f->ip_dst.v6, alen);
		sum += l4_proto(f) + (uint32_t)len;
	}
	sum = csum_add(sum, l4, len);
	c = csum_fold(sum);
	if (f->l4 == L4_UDP && !c)
		c = 0xffff;
	put16(l4 + off, c);
}

static size_t build_frame(const struct flow *f, uint8_t *buf)
{
	uint8_t *p = buf;
	size_t l4len;
	uint16_t type;

	memcpy(p, f->dst, 6);
	memcpy(p + 6, f->src, 6);
	p += 12;
	if (f->has_vid) {
		put16(p, 0x8100);
		put16(p + 2, f->vid);
		p += 4;
	}
	type = f->l3 == 4 ? 0x0800 : f->l3 == 6 ? 0x86dd :
	       f->l3 == 'a' ? 0x0806 : f->has_type ? f->type : 0x0800;
	put16(p, type);
	p += 2;

	if (f->l3 == 'a') {
		put16(p, 1);			/* Ethernet */
		put16(p + 2, 0x0800);
		p[4] = 6;
		p[5] = 4;
		put16(p + 6, f->arp_op ? f->arp_op : 1);
		memcpy(p + 8, f->has_sha ? f->sha : f->src, 6);
		memcpy(p + 14, &f->spa.v4, 4);
		memcpy(p + 18, f->tha, 6);
		memcpy(p + 24, &f->tpa.v4, 4);
		p += 28;
	} else if (f->l3 == 4) {
		uint8_t *ip = p;

		l4len = build_l4(f, p + 20);
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16(ip + 2, 20 + l4len);
		put16(ip + 4, 1);		/* id */
		put16(ip + 6, 0x4000);		/* DF */
		ip[8] = f->has_ttl ? f->ttl : 64;
		ip[9] = l4_proto(f);
		memcpy(ip + 12, &f->ip_src.v4, 4);
		memcpy(ip + 16, &f->ip_dst.v4, 4);
		put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
		l4_csum(f, ip + 20, l4len);
		p += 20 + l4len;
	} else if (f->l3 == 6) {
		uint8_t *ip = p;

		l4len = build_l4(f, p + 40);
		memset(ip, 0, 40);
		ip[0] = 0x60;
		put16(ip + 4, l4len);
		ip[6] = l4_proto(f);
		ip[7] = f->has_ttl ? f->ttl : 64;
		memcpy(ip + 8, &f->ip_src.v6, 16);
		memcpy(ip + 24, &f->ip_dst.v6, 16);
		l4_csum(f, ip + 40, l4len);
		p += 40 + l4len;
	}
	/* As on the wire: padded to the Ethernet minimum. */
	while (p - buf < 60)
		*p++ = 0;
	return p - buf;
}

static int port_info_cb(struct nl_msg *msg, void *arg)
{
	return lsdp_port_parse(msg, arg);
}

/*
 * What ovn-trace leaves zero, filled from the ingress port where that is
 * what a packet from it would carry: eth.src its MAC, the IP source its
 * first address of the family, the ARP sender its MAC and IPv4.  ARP
 * goes to broadcast unless told otherwise.
 */
static int flow_defaults(struct flow *f)
{
	struct lsdp_port_info pi;
	bool need_mac = !f->has_src;
	bool need_ip = (f->l3 == 4 || f->l3 == 6) && !f->has_ip_src;
	bool need_spa = f->l3 == 'a' && !f->has_spa;
	int family = f->l3 == 6 ? AF_INET6 : AF_INET;
	unsigned int i;
	int r = CMD_OK;

	if (!f->l3 && !f->has_type && f->l4)
		f->l3 = 4;
	if (!f->has_dst && f->l3 == 'a')
		memset(f->dst, 0xff, 6);
	if (!f->has_ip_src)
		f->ip_src.family = family;
	if (!f->has_ip_dst)
		f->ip_dst.family = family;
	if (!need_mac && !need_ip && !need_spa)
		return CMD_OK;
	memset(&pi, 0, sizeof(pi));
	if (get_show(LSDP_CMD_PORT_GET, LSDP_A_PORT_NAME, f->inport,
		     port_info_cb, &pi))
		return CMD_FAIL;
	if (need_mac) {
		if (!pi.has_mac) {
			r = error("port \"%s\" has no MAC: give eth.src",
				  f->inport);
			goto out;
		}
		memcpy(f->src, pi.mac, 6);
	}
	for (i = 0; i < pi.n_addrs; i++) {
		if (pi.addrs[i].family != (f->l3 == 'a' ? AF_INET : family))
			continue;
		if (need_ip)
			f->ip_src = pi.addrs[i];
		if (need_spa)
			f->spa = pi.addrs[i];
		break;
	}
out:
	lsdp_port_info_clear(&pi);
	return r;
}

/* ---- from-hex ---- */

static int parse_hex(const char *s, uint8_t *buf, size_t *len)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (isspace((unsigned char)*s) || *s == ':')
			continue;
		if (!isxdigit((unsigned char)*s))
			return error("invalid hex \"%c\" in the frame", *s);
		v = isdigit((unsigned char)*s) ? *s - '0' :
		    tolower((unsigned char)*s) - 'a' + 10;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= FRAME_MAX)
			return error("frame longer than %d bytes", FRAME_MAX);
		buf[n++] = hi << 4 | v;
		hi = -1;
	}
	if (hi >= 0)
		return error("odd number of hex digits in the frame");
	if (n < 14)
		return error("a frame needs at least 14 bytes (Ethernet header)");
	*len = n;
	return CMD_OK;
}

/* ---- the answer ---- */

struct step {
	uint8_t kind;
	uint32_t reason;
	uint32_t dp_key, port_key;
	char dp[LSDP_NAME_SIZE];
	char port[LSDP_NAME_SIZE];
	char detail[256];
};

struct walk {
	struct step *v;
	size_t n, cap;
	bool truncated;
};

static struct nla_policy step_policy[LSDP_TRACE_A_MAX + 1] = {
	[LSDP_TRACE_A_KIND]	= { .type = NLA_U8 },
	[LSDP_TRACE_A_DP_NAME]	= { .type = NLA_STRING },
	[LSDP_TRACE_A_DP_KEY]	= { .type = NLA_U32 },
	[LSDP_TRACE_A_PORT_NAME] = { .type = NLA_STRING },
	[LSDP_TRACE_A_PORT_KEY]	= { .type = NLA_U32 },
	[LSDP_TRACE_A_DETAIL]	= { .type = NLA_STRING },
	[LSDP_TRACE_A_REASON]	= { .type = NLA_U32 },
};

static void copy_str(char *dst, size_t len, const struct nlattr *a)
{
	if (a)
		snprintf(dst, len, "%s", nla_get_string((struct nlattr *)a));
}

static int walk_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LSDP_A_MAX + 1], *st[LSDP_TRACE_A_MAX + 1];
	struct walk *w = arg;
	struct nlattr *a;
	int rem;

	if (lsdp_nl_parse(msg, tb) || !tb[LSDP_A_TRACE_STEPS])
		return -EINVAL;
	w->truncated = tb[LSDP_A_TRACE_TRUNCATED] &&
		       nla_get_u8(tb[LSDP_A_TRACE_TRUNCATED]);
	nla_for_each_nested(a, tb[LSDP_A_TRACE_STEPS], rem) {
		struct step *s;

		if (nla_type(a) != LSDP_A_TRACE_STEP ||
		    nla_parse_nested(st, LSDP_TRACE_A_MAX, a, step_policy))
			return -EINVAL;
		if (grow((void **)&w->v, &w->cap, w->n, sizeof(*s)))
			return -ENOMEM;
		s = &w->v[w->n++];
		memset(s, 0, sizeof(*s));
		if (st[LSDP_TRACE_A_KIND])
			s->kind = nla_get_u8(st[LSDP_TRACE_A_KIND]);
		if (st[LSDP_TRACE_A_REASON])
			s->reason = nla_get_u32(st[LSDP_TRACE_A_REASON]);
		if (st[LSDP_TRACE_A_DP_KEY])
			s->dp_key = nla_get_u32(st[LSDP_TRACE_A_DP_KEY]);
		if (st[LSDP_TRACE_A_PORT_KEY])
			s->port_key = nla_get_u32(st[LSDP_TRACE_A_PORT_KEY]);
		copy_str(s->dp, sizeof(s->dp), st[LSDP_TRACE_A_DP_NAME]);
		copy_str(s->port, sizeof(s->port), st[LSDP_TRACE_A_PORT_NAME]);
		copy_str(s->detail, sizeof(s->detail), st[LSDP_TRACE_A_DETAIL]);
	}
	return 0;
}

static bool step_final(const struct step *s)
{
	return s->kind == LSDP_TRACE_DELIVER || s->kind == LSDP_TRACE_TUNNEL ||
	       s->kind == LSDP_TRACE_HOLD || s->kind == LSDP_TRACE_DROP ||
	       s->kind == LSDP_TRACE_CONSUMED;
}

static const char *kind_name(const struct step *s)
{
	const char *n = lsdp_trace_kind_name(s->kind);

	return n ? n : "step";
}

static const char *reason_name(const struct step *s, char *buf, size_t len)
{
	return lsdp_drop_reason_name(s->reason, buf, len);
}

/* One outcome line: "delivered to vm2 (sw1): delivered on tap2". */
static void print_outcome(const struct step *s)
{
	char buf[32];

	if (s->kind == LSDP_TRACE_DROP)
		printf("dropped at %s (%s): %s\n", s->port[0] ? s->port : "-",
		       s->dp[0] ? s->dp : "-", reason_name(s, buf, sizeof(buf)));
	else
		printf("%s %s %s (%s): %s\n", kind_name(s),
		       s->kind == LSDP_TRACE_HOLD ? "at" :
		       s->kind == LSDP_TRACE_CONSUMED ? "by" : "to",
		       s->port, s->dp, s->detail);
}

static void print_walk(const struct walk *w, bool summary)
{
	const char *inport = "";
	size_t i, finals = 0;
	char buf[32];

	for (i = 0; i < w->n; i++) {
		const struct step *s = &w->v[i];

		finals += step_final(s);
		if (summary) {
			if (step_final(s))
				print_outcome(s);
			continue;
		}
		if (s->kind == LSDP_TRACE_INGRESS) {
			int n = printf("%singress(dp=\"%s\", inport=\"%s\")\n",
				       i ? "\n" : "", s->dp, s->port);

			printf("%.*s\n", n - (i ? 2 : 1),
			       "--------------------------------------------------"
			       "--------------------------------------------------"
			       "------------------------------------------------");
			inport = s->port;
			continue;
		}
		printf("    %s%s", step_final(s) ? "=> " : "", kind_name(s));
		if (s->port[0] && strcmp(s->port, inport))
			printf(" [%s]", s->port);
		if (s->kind == LSDP_TRACE_DROP)
			printf(": %s\n", reason_name(s, buf, sizeof(buf)));
		else
			printf(": %s\n", s->detail);
	}
	if (!finals)
		printf("%sconsumed: the datapath took the packet, nothing left\n",
		       summary ? "" : "    => ");
	if (w->truncated)
		printf("(truncated: more than %d steps)\n", LSDP_TRACE_MAX_STEPS);
}

static void json_step(struct json *j, const struct step *s)
{
	char buf[32];

	json_obj_open(j);
	json_kv_str(j, "kind", kind_name(s));
	json_kv_str(j, "datapath", s->dp[0] ? s->dp : NULL);
	if (s->dp[0])
		json_kv_u64(j, "dp_key", s->dp_key);
	json_kv_str(j, "port", s->port[0] ? s->port : NULL);
	if (s->port[0])
		json_kv_u64(j, "port_key", s->port_key);
	json_kv_str(j, "detail", s->detail);
	if (s->kind == LSDP_TRACE_DROP)
		json_kv_str(j, "reason", reason_name(s, buf, sizeof(buf)));
	json_obj_close(j);
}

static void json_walk(const struct walk *w, bool summary,
		      const uint8_t *frame, size_t len)
{
	char *hex = frame ? malloc(len * 2 + 1) : NULL;
	struct json j;
	size_t i;

	json_init(&j, stdout, G.pretty);
	json_obj_open(&j);
	/* The frame traced, so that the same bytes can be sent for real. */
	if (hex) {
		for (i = 0; i < len; i++)
			sprintf(hex + 2 * i, "%02x", frame[i]);
		hex[2 * len] = '\0';
		json_kv_str(&j, "frame", hex);
		free(hex);
	}
	if (!summary) {
		json_key(&j, "steps");
		json_arr_open(&j);
		for (i = 0; i < w->n; i++)
			json_step(&j, &w->v[i]);
		json_arr_close(&j);
	}
	json_key(&j, "outcomes");
	json_arr_open(&j);
	for (i = 0; i < w->n; i++)
		if (step_final(&w->v[i]))
			json_step(&j, &w->v[i]);
	json_arr_close(&j);
	json_kv_bool(&j, "truncated", w->truncated);
	json_obj_close(&j);
	json_end(&j);
}

/* ---- live ---- */

/* Sets @len bytes of @mask at @off, and makes sure @n covers them. */
static void mask_set(uint8_t *mask, size_t *n, size_t off, size_t len)
{
	memset(mask + off, 0xff, len);
	if (off + len > *n)
		*n = off + len;
}

/*
 * The frame's bytes that the fields @f names decide: a packet matches
 * when its bytes under the mask equal the frame's.  IP options are not
 * expected (L4 is matched at a 20-byte IPv4 header).  Returns the bytes
 * the mask covers.
 */
static size_t build_mask(const struct flow *f, uint8_t *mask)
{
	size_t n = 0, l3 = 14, l4;

	memset(mask, 0, LSDP_TRACE_MATCH_MAX);
	if (f->has_dst)
		mask_set(mask, &n, 0, 6);
	if (f->has_src)
		mask_set(mask, &n, 6, 6);
	if (f->l3 || f->has_type)
		mask_set(mask, &n, 12, 2);
	if (f->l3 == 'a') {
		if (f->arp_op)
			mask_set(mask, &n, l3 + 6, 2);
		if (f->has_sha)
			mask_set(mask, &n, l3 + 8, 6);
		if (f->has_spa)
			mask_set(mask, &n, l3 + 14, 4);
		if (f->has_tpa)
			mask_set(mask, &n, l3 + 24, 4);
		return n;
	}
	if (f->l3 != 4 && f->l3 != 6)
		return n;
	if (f->l3 == 4) {
		if (f->has_ttl)
			mask_set(mask, &n, l3 + 8, 1);
		if (f->has_proto || f->l4)
			mask_set(mask, &n, l3 + 9, 1);
		if (f->has_ip_src)
			mask_set(mask, &n, l3 + 12, 4);
		if (f->has_ip_dst)
			mask_set(mask, &n, l3 + 16, 4);
		l4 = l3 + 20;
	} else {
		if (f->has_proto || f->l4)
			mask_set(mask, &n, l3 + 6, 1);
		if (f->has_ttl)
			mask_set(mask, &n, l3 + 7, 1);
		if (f->has_ip_src)
			mask_set(mask, &n, l3 + 8, 16);
		if (f->has_ip_dst)
			mask_set(mask, &n, l3 + 24, 16);
		l4 = l3 + 40;
	}
	if (f->l4 == L4_ICMP) {
		if (f->has_icmp_type)
			mask_set(mask, &n, l4, 1);
		if (f->has_icmp_code)
			mask_set(mask, &n, l4 + 1, 1);
	} else if (f->l4 == L4_UDP || f->l4 == L4_TCP) {
		if (f->sport)
			mask_set(mask, &n, l4, 2);
		if (f->dport)
			mask_set(mask, &n, l4 + 2, 2);
	}
	return n;
}

struct live {
	bool summary;
	uint32_t count;		/* packets to follow; 0: until interrupted */
	uint32_t id;		/* the kernel's, once it answered */
	uint32_t last;		/* the last packet's number */
	int err;
};

/* The reply (the trace's id) or one packet's walk. */
static int live_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LSDP_A_MAX + 1];
	struct live *lv = arg;
	struct walk w = { 0 };
	uint32_t seq;
	int r;

	if (lsdp_nl_cmd(msg) != LSDP_CMD_TRACE_LIVE || lsdp_nl_parse(msg, tb) ||
	    !tb[LSDP_A_TRACE_LIVE_ID])
		return 0;	/* not ours to judge */
	if (!tb[LSDP_A_TRACE_STEPS]) {
		lv->id = nla_get_u32(tb[LSDP_A_TRACE_LIVE_ID]);
		if (!G.json)
			printf("live trace %u: waiting for packets\n", lv->id);
		fflush(stdout);
		return 0;
	}
	seq = tb[LSDP_A_TRACE_COUNT] ? nla_get_u32(tb[LSDP_A_TRACE_COUNT]) : 0;
	if (lv->count && lv->last >= lv->count)
		return 0;
	r = walk_cb(msg, &w);
	if (r) {
		free(w.v);
		return r;
	}
	if (seq > lv->last + 1 && lv->last)
		fprintf(stderr, "Warning: %u walks lost (the socket was full)\n",
			seq - lv->last - 1);
	lv->last = seq;
	if (G.json) {
		json_walk(&w, lv->summary, NULL, 0);
	} else {
		printf("\npacket %u:\n", seq);
		print_walk(&w, lv->summary);
	}
	fflush(stdout);
	free(w.v);
	return 0;
}

/* lsdp trace live MATCH [ count N ]: until N packets, or interrupted. */
static int live_run(int argc, char **argv, bool summary)
{
	static uint8_t frame[FRAME_MAX + 64];
	uint8_t mask[LSDP_TRACE_MATCH_MAX];
	struct live lv = { .summary = summary };
	struct args a = { argc, argv };
	struct flow f = { 0 };
	const char *w, *v, *match = NULL;
	struct nl_msg *msg;
	struct lsdp_nl *nl;
	size_t n;
	char *expr;
	int r;

	while ((w = args_next(&a))) {
		if (!strcmp(w, "count")) {
			if (!(v = args_value(&a, w)))
				return CMD_FAIL;
			if (!parse_u32(v, &lv.count) || !lv.count ||
			    lv.count > INT32_MAX)
				return usage_error("invalid count \"%s\": 1 or more",
						   v);
		} else if (is_help(w)) {
			return CMD_HELP;
		} else if (!match) {
			match = w;
		} else {
			return args_unknown(w);
		}
	}
	if (!match)
		return usage_error("missing the packets to match (\"inport == ...\")");
	expr = strdup(match);
	if (!expr)
		return error("%s", strerror(ENOMEM));
	r = flow_parse(expr, &f);
	if (!r && f.has_vid)
		r = error("a live trace matches where the tag is gone: give the trunk child as inport, without vlan.vid");
	if (r) {
		free(expr);
		return r;
	}
	if (!f.l3 && !f.has_type && f.l4)
		f.l3 = 4;
	f.ip_src.family = f.ip_dst.family = f.l3 == 6 ? AF_INET6 : AF_INET;
	build_frame(&f, frame);
	n = build_mask(&f, mask);

	if (!(nl = nl_get())) {
		free(expr);
		return CMD_FAIL;
	}
	msg = new_msg_size(LSDP_CMD_TRACE_LIVE, 0, CLI_MSG_SIZE + 2 * n);
	if (!msg) {
		free(expr);
		return CMD_FAIL;
	}
	if (nla_put_string(msg, LSDP_A_PORT_NAME, f.inport) < 0 ||
	    nla_put(msg, LSDP_A_TRACE_FRAME, n, frame) < 0 ||
	    nla_put(msg, LSDP_A_TRACE_MASK, n, mask) < 0 ||
	    (lv.count && nla_put_u32(msg, LSDP_A_TRACE_COUNT, lv.count) < 0)) {
		free(expr);
		return msg_too_big(msg);
	}
	free(expr);
	/* Walks that overtake the reply come with the request's sequence. */
	if (request(msg, live_cb, &lv))
		return report_nl_error();
	/* The kernel forgets the trace when this process's socket closes. */
	while (!lv.count || lv.last < lv.count) {
		struct pollfd p = { .fd = lsdp_nl_fd(nl), .events = POLLIN };

		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return error("poll: %s", strerror(errno));
		}
		if (lsdp_nl_recv(nl, live_cb, &lv) < 0 &&
		    lsdp_nl_strerror(nl)[0] && errno != EAGAIN)
			fprintf(stderr, "Warning: %s\n", lsdp_nl_strerror(nl));
	}
	return CMD_OK;
}

int trace_run(const struct object *obj, int argc, char **argv)
{
	static uint8_t frame[FRAME_MAX + 64];
	struct walk w = { 0 };
	struct flow f = { 0 };
	bool summary = false;
	const char *port;
	struct nl_msg *msg;
	size_t len = 0;
	char *expr;
	int r;

	(void)obj;
	while (argc > 0 && (!strcmp(argv[0], "--summary") ||
			    !strcmp(argv[0], "summary"))) {
		summary = true;
		argc--;
		argv++;
	}
	if (argc < 1)
		return usage_error("missing PORT or packet description");
	if (is_help(argv[0]))
		return CMD_HELP;
	if (!strcmp(argv[0], "live"))
		return live_run(argc - 1, argv + 1, summary);
	if (argc == 2 && !strcmp(argv[0], "from-tunnel")) {
		if (parse_hex(argv[1], frame, &len))
			return CMD_FAIL;
		msg = new_msg_size(LSDP_CMD_TRACE, 0, TRACE_MSG_SIZE);
		if (!msg)
			return CMD_FAIL;
		if (nla_put_u8(msg, LSDP_A_TRACE_TUNNEL, 1) < 0 ||
		    nla_put(msg, LSDP_A_TRACE_FRAME, len, frame) < 0)
			return msg_too_big(msg);
		goto send;
	}
	if (argc == 1 && !strcmp(argv[0], "from-tunnel"))
		return usage_error("\"from-tunnel\" requires a value");
	if (argc == 3 && !strcmp(argv[1], "from-hex")) {
		port = argv[0];
		if (parse_hex(argv[2], frame, &len))
			return CMD_FAIL;
	} else if (argc == 1) {
		expr = strdup(argv[0]);
		if (!expr)
			return error("%s", strerror(ENOMEM));
		r = flow_parse(expr, &f);
		if (!r)
			r = flow_defaults(&f);
		if (r) {
			free(expr);
			return r;
		}
		port = f.inport;
		len = build_frame(&f, frame);
		/* @port points into @expr: freed after the request. */
		msg = new_msg_size(LSDP_CMD_TRACE, 0, TRACE_MSG_SIZE);
		if (!msg) {
			free(expr);
			return CMD_FAIL;
		}
		if (nla_put_string(msg, LSDP_A_PORT_NAME, port) < 0 ||
		    nla_put(msg, LSDP_A_TRACE_FRAME, len, frame) < 0) {
			free(expr);
			return msg_too_big(msg);
		}
		free(expr);
		goto send;
	} else if (argc == 2 && !strcmp(argv[1], "from-hex")) {
		return usage_error("\"from-hex\" requires a value");
	} else {
		return usage_error("expected PORT from-hex HEX, from-tunnel GENEVE, or one quoted packet description");
	}
	msg = new_msg_size(LSDP_CMD_TRACE, 0, TRACE_MSG_SIZE);
	if (!msg)
		return CMD_FAIL;
	if (nla_put_string(msg, LSDP_A_PORT_NAME, port) < 0 ||
	    nla_put(msg, LSDP_A_TRACE_FRAME, len, frame) < 0)
		return msg_too_big(msg);
send:
	if (request(msg, walk_cb, &w)) {
		free(w.v);
		return report_nl_error();
	}
	if (G.json)
		json_walk(&w, summary, frame, len);
	else
		print_walk(&w, summary);
	free(w.v);
	return CMD_OK;
}

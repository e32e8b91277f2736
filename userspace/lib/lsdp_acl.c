// SPDX-License-Identifier: GPL-2.0
/*
 * liblsdp: ACL matches and the ACL objects; see lsdp_acl.h.
 *
 * The parser takes what OVN's security groups and network policies write:
 * a conjunction (&&) of tests "FIELD OP VALUE" and of the macros ip, ip4,
 * ip6, icmp, icmp4, icmp6, tcp, udp, sctp, arp, in any parentheses; a
 * disjunction (||) only between tests of one field ("(tcp.dst == 80 ||
 * tcp.dst == 443)"), which is a set.  Each field ends up as at most one
 * positive test (tests of a field are intersected: "ip && ip4" is ip4,
 * "tcp.dst >= 80 && tcp.dst <= 90" a range) and one negative test (!=
 * tests are united).  Prerequisites are added as OVN adds them: tcp.dst
 * implies tcp, icmp4.type icmp4.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "lsdp_acl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- fields ---- */

struct field_info {
	const char *name;	/* canonical, what show prints */
	uint8_t field;
	uint8_t width;
	uint8_t proto;		/* prerequisite ip.proto, 0: none */
	uint16_t eth;		/* prerequisite eth.type, 0: none */
};

static const struct field_info fields[] = {
	{ "inport", LSDP_FIELD_INPORT, 2, 0, 0 },
	{ "outport", LSDP_FIELD_OUTPORT, 2, 0, 0 },
	{ "eth.type", LSDP_FIELD_ETH_TYPE, 2, 0, 0 },
	{ "ip.proto", LSDP_FIELD_IP_PROTO, 1, 0, 0 },
	{ "ip4.src", LSDP_FIELD_IP4_SRC, 4, 0, 0x0800 },
	{ "ip4.dst", LSDP_FIELD_IP4_DST, 4, 0, 0x0800 },
	{ "ip6.src", LSDP_FIELD_IP6_SRC, 16, 0, 0x86dd },
	{ "ip6.dst", LSDP_FIELD_IP6_DST, 16, 0, 0x86dd },
	{ "l4.src", LSDP_FIELD_L4_SRC, 2, 0, 0 },
	{ "l4.dst", LSDP_FIELD_L4_DST, 2, 0, 0 },
	{ "icmp.type", LSDP_FIELD_ICMP_TYPE, 1, 0, 0 },
	{ "icmp.code", LSDP_FIELD_ICMP_CODE, 1, 0, 0 },
	/* OVN's names, with their prerequisites. */
	{ "tcp.src", LSDP_FIELD_L4_SRC, 2, 6, 0 },
	{ "tcp.dst", LSDP_FIELD_L4_DST, 2, 6, 0 },
	{ "udp.src", LSDP_FIELD_L4_SRC, 2, 17, 0 },
	{ "udp.dst", LSDP_FIELD_L4_DST, 2, 17, 0 },
	{ "sctp.src", LSDP_FIELD_L4_SRC, 2, 132, 0 },
	{ "sctp.dst", LSDP_FIELD_L4_DST, 2, 132, 0 },
	{ "icmp4.type", LSDP_FIELD_ICMP_TYPE, 1, 1, 0x0800 },
	{ "icmp4.code", LSDP_FIELD_ICMP_CODE, 1, 1, 0x0800 },
	{ "icmp6.type", LSDP_FIELD_ICMP_TYPE, 1, 58, 0x86dd },
	{ "icmp6.code", LSDP_FIELD_ICMP_CODE, 1, 58, 0x86dd },
};

static const struct field_info *field_by_name(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fields); i++)
		if (strlen(fields[i].name) == n && !strncmp(fields[i].name, s, n))
			return &fields[i];
	return NULL;
}

static const struct field_info *field_by_id(uint8_t f)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fields); i++)
		if (fields[i].field == f)
			return &fields[i];
	return NULL;
}

/* ---- tokens ---- */

enum tok {
	T_END, T_LP, T_RP, T_LB, T_RB, T_COMMA, T_AND, T_OR, T_NOT,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_STR, T_WORD, T_PG, T_AS,
};

struct parser {
	const char *s;
	size_t pos;		/* of the current token */
	size_t next;		/* after it */
	enum tok tok;
	const char *text;	/* the token's text (for words, names) */
	size_t len;
	char *err;
	size_t errlen;
	struct lsdp_match *m;
};

static int perr(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(struct parser *p, const char *fmt, ...)
{
	char what[160];
	va_list ap;
	int n = (int)(p->next - p->pos);

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (p->tok == T_END)
		snprintf(p->err, p->errlen, "%s, at the end of the match", what);
	else
		snprintf(p->err, p->errlen, "%s, at position %zu ('%.*s')",
			 what, p->pos + 1, n, p->s + p->pos);
	return -EINVAL;
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == ':' ||
	       c == '/' || c == '-';
}

static int lex(struct parser *p)
{
	const char *s = p->s;
	size_t i = p->next;

	while (isspace((unsigned char)s[i]))
		i++;
	p->pos = i;
	p->text = s + i;
	p->len = 1;
	switch (s[i]) {
	case '\0': p->tok = T_END; p->len = 0; break;
	case '(': p->tok = T_LP; break;
	case ')': p->tok = T_RP; break;
	case '{': p->tok = T_LB; break;
	case '}': p->tok = T_RB; break;
	case ',': p->tok = T_COMMA; break;
	case '&':
		if (s[i + 1] != '&')
			goto bad;
		p->tok = T_AND; p->len = 2; break;
	case '|':
		if (s[i + 1] != '|')
			goto bad;
		p->tok = T_OR; p->len = 2; break;
	case '=':
		if (s[i + 1] != '=')
			goto bad;
		p->tok = T_EQ; p->len = 2; break;
	case '!':
		p->tok = s[i + 1] == '=' ? T_NE : T_NOT;
		p->len = s[i + 1] == '=' ? 2 : 1;
		break;
	case '<':
		p->tok = s[i + 1] == '=' ? T_LE : T_LT;
		p->len = s[i + 1] == '=' ? 2 : 1;
		break;
	case '>':
		p->tok = s[i + 1] == '=' ? T_GE : T_GT;
		p->len = s[i + 1] == '=' ? 2 : 1;
		break;
	case '"': {
		const char *e = strchr(s + i + 1, '"');

		if (!e) {
			p->next = strlen(s);
			return perr(p, "unterminated string");
		}
		p->tok = T_STR;
		p->text = s + i + 1;
		p->len = (size_t)(e - (s + i + 1));
		p->next = (size_t)(e - s) + 1;
		return 0;
	}
	case '@':
	case '$': {
		size_t j = i + 1;

		while (word_char(s[j]) && s[j] != '/' && s[j] != ':')
			j++;
		p->tok = s[i] == '@' ? T_PG : T_AS;
		p->text = s + i + 1;
		p->len = j - i - 1;
		p->next = j;
		if (!p->len)
			return perr(p, "a name must follow '%c'", s[i]);
		return 0;
	}
	default:
		if (!word_char(s[i]))
			goto bad;
		p->tok = T_WORD;
		p->len = 0;
		while (word_char(s[i + p->len]))
			p->len++;
		break;
	}
	p->next = i + p->len;
	return 0;
bad:
	p->next = i + 1;
	return perr(p, "unexpected character");
}

/* ---- building tests ---- */

static struct lsdp_match_test *test_get(struct parser *p, uint8_t field,
					bool neg)
{
	struct lsdp_match *m = p->m;
	unsigned int i;

	for (i = 0; i < m->n_tests; i++)
		if (m->tests[i].field == field && m->tests[i].neg == neg)
			return &m->tests[i];
	return NULL;
}

static bool alt_exact(const struct lsdp_match_alt *a, unsigned int w)
{
	unsigned int i;

	if (a->kind == LSDP_MATCH_VALUE)
		return true;
	if (a->kind != LSDP_MATCH_MASKED)
		return false;
	for (i = 0; i < w; i++)
		if (a->m[i] != 0xff)
			return false;
	return true;
}

static bool alt_equal(const struct lsdp_match_alt *a,
		      const struct lsdp_match_alt *b, unsigned int w)
{
	if (alt_exact(a, w) && alt_exact(b, w))
		return !memcmp(a->v, b->v, w);
	return a->kind == b->kind && !memcmp(a, b, sizeof(*a));
}

/* The 16-bit range an exact value or a range alternative covers. */
static bool alt_range(const struct lsdp_match_alt *a, uint16_t *lo,
		      uint16_t *hi)
{
	if (a->kind == LSDP_MATCH_RANGE) {
		*lo = a->lo;
		*hi = a->hi;
		return true;
	}
	if (!alt_exact(a, 2))
		return false;
	*lo = *hi = (uint16_t)(a->v[0] << 8 | a->v[1]);
	return true;
}

/*
 * Adds the test "@field (neg ? != : ==) one of @alt" (takes @alt) to the
 * match, intersecting or uniting it with the field's test so far.
 */
static int test_add(struct parser *p, uint8_t field, bool neg,
		    struct lsdp_match_alt *alt, unsigned int n)
{
	const struct field_info *f = field_by_id(field);
	struct lsdp_match_test *t = test_get(p, field, neg);
	struct lsdp_match_alt *v;
	unsigned int i, j, k;
	uint16_t lo1, hi1, lo2, hi2;

	if (!t) {
		if (p->m->n_tests >= LSDP_MATCH_MAX_TESTS) {
			free(alt);
			return perr(p, "too many tests");
		}
		t = &p->m->tests[p->m->n_tests++];
		t->field = field;
		t->neg = neg;
		t->alt = alt;
		t->n_alt = n;
		return 0;
	}
	if (neg) {
		/* != a && != b: none of {a, b}. */
		if (t->n_alt + n > LSDP_MATCH_MAX_ALTS)
			goto too_many;
		v = realloc(t->alt, (t->n_alt + n) * sizeof(*v));
		if (!v)
			goto nomem;
		memcpy(v + t->n_alt, alt, n * sizeof(*v));
		t->alt = v;
		t->n_alt += n;
		free(alt);
		return 0;
	}
	/* Two ranges (or a value and a range) of an L4 field: intersect. */
	if (t->n_alt == 1 && n == 1 && f->width == 2 &&
	    field != LSDP_FIELD_ETH_TYPE &&
	    alt_range(&t->alt[0], &lo1, &hi1) && alt_range(&alt[0], &lo2, &hi2)) {
		lo1 = lo1 > lo2 ? lo1 : lo2;
		hi1 = hi1 < hi2 ? hi1 : hi2;
		free(alt);
		if (lo1 > hi1)
			return perr(p, "%s can never match", f->name);
		memset(&t->alt[0], 0, sizeof(t->alt[0]));
		t->alt[0].kind = LSDP_MATCH_RANGE;
		t->alt[0].lo = lo1;
		t->alt[0].hi = hi1;
		if (lo1 == hi1) {
			t->alt[0].kind = LSDP_MATCH_VALUE;
			t->alt[0].v[0] = (uint8_t)(lo1 >> 8);
			t->alt[0].v[1] = (uint8_t)lo1;
		}
		return 0;
	}
	/* Sets of values: keep those in both. */
	k = 0;
	for (i = 0; i < t->n_alt; i++) {
		for (j = 0; j < n; j++)
			if (alt_equal(&t->alt[i], &alt[j], f->width))
				break;
		if (j == n) {
			if (!alt_exact(&t->alt[i], f->width))
				goto unsupported;
			continue;
		}
		t->alt[k++] = t->alt[i];
	}
	for (j = 0; j < n; j++)
		if (!alt_exact(&alt[j], f->width) && alt[j].kind != LSDP_MATCH_PORT)
			goto unsupported;
	free(alt);
	if (!k)
		return perr(p, "%s can never match", f->name);
	t->n_alt = k;
	return 0;

unsupported:
	free(alt);
	return perr(p, "%s tested twice in a way lsdp cannot combine", f->name);
too_many:
	free(alt);
	return perr(p, "too many values for %s", f->name);
nomem:
	free(alt);
	return perr(p, "out of memory");
}

/* An exact value test of a small integer field. */
static int test_int(struct parser *p, uint8_t field, unsigned int n,
		    const unsigned int *vals)
{
	const struct field_info *f = field_by_id(field);
	struct lsdp_match_alt *a = calloc(n, sizeof(*a));
	unsigned int i;

	if (!a)
		return perr(p, "out of memory");
	for (i = 0; i < n; i++) {
		a[i].kind = LSDP_MATCH_VALUE;
		if (f->width == 2) {
			a[i].v[0] = (uint8_t)(vals[i] >> 8);
			a[i].v[1] = (uint8_t)vals[i];
		} else {
			a[i].v[0] = (uint8_t)vals[i];
		}
	}
	return test_add(p, field, false, a, n);
}

static int prereq(struct parser *p, const struct field_info *f)
{
	unsigned int v;
	int r = 0;

	if (f->eth) {
		v = f->eth;
		r = test_int(p, LSDP_FIELD_ETH_TYPE, 1, &v);
	}
	if (!r && f->proto) {
		v = f->proto;
		r = test_int(p, LSDP_FIELD_IP_PROTO, 1, &v);
	}
	return r;
}

/* The macros: ip, ip4, ... as tests. */
static int macro(struct parser *p)
{
	static const unsigned int ip[] = { 0x0800, 0x86dd };
	static const unsigned int icmp[] = { 1, 58 };
	static const struct { const char *name; unsigned int eth, proto; } m[] = {
		{ "ip4", 0x0800, 0 }, { "ip6", 0x86dd, 0 }, { "arp", 0x0806, 0 },
		{ "icmp4", 0x0800, 1 }, { "icmp6", 0x86dd, 58 },
		{ "tcp", 0, 6 }, { "udp", 0, 17 }, { "sctp", 0, 132 },
	};
	size_t i;
	int r;

	if (p->len == 2 && !strncmp(p->text, "ip", 2))
		return test_int(p, LSDP_FIELD_ETH_TYPE, 2, ip);
	if (p->len == 4 && !strncmp(p->text, "icmp", 4)) {
		r = test_int(p, LSDP_FIELD_ETH_TYPE, 2, ip);
		return r ? r : test_int(p, LSDP_FIELD_IP_PROTO, 2, icmp);
	}
	for (i = 0; i < ARRAY_SIZE(m); i++) {
		if (strlen(m[i].name) != p->len ||
		    strncmp(p->text, m[i].name, p->len))
			continue;
		r = m[i].eth ? test_int(p, LSDP_FIELD_ETH_TYPE, 1, &m[i].eth) : 0;
		if (!r && m[i].proto)
			r = test_int(p, LSDP_FIELD_IP_PROTO, 1, &m[i].proto);
		return r;
	}
	return perr(p, "unknown field or macro");
}

static bool parse_uint(const char *s, size_t n, unsigned long max,
		       unsigned long *out)
{
	char buf[32], *end;

	if (!n || n >= sizeof(buf) || !isdigit((unsigned char)s[0]))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	*out = strtoul(buf, &end, 0);
	return !errno && !*end && *out <= max;
}

/* One value of field @f (the current token) into @a. */
static int value(struct parser *p, const struct field_info *f,
		 struct lsdp_match_alt *a)
{
	bool port = f->field == LSDP_FIELD_INPORT || f->field == LSDP_FIELD_OUTPORT;
	bool addr = f->field >= LSDP_FIELD_IP4_SRC && f->field <= LSDP_FIELD_IP6_DST;
	unsigned long lo, hi;
	struct lsdp_prefix pf;
	char buf[64];
	const char *dash;
	unsigned int i;

	memset(a, 0, sizeof(*a));
	if (p->tok == T_STR || p->tok == T_PG || p->tok == T_AS) {
		if (p->tok == T_AS ? !addr : !port)
			return perr(p, p->tok == T_AS ?
				    "an address set only goes with an IP address field" :
				    "a port or port group only goes with inport/outport");
		if (!p->len || p->len >= LSDP_NAME_SIZE)
			return perr(p, "invalid name");
		a->kind = p->tok == T_STR ? LSDP_MATCH_PORT :
			  p->tok == T_PG ? LSDP_MATCH_PORT_GROUP :
					   LSDP_MATCH_ADDR_SET;
		memcpy(a->name, p->text, p->len);
		return 0;
	}
	if (p->tok != T_WORD)
		return perr(p, "expected a value");
	if (port)
		return perr(p, "a port is a quoted name or @group");
	if (addr) {
		if (p->len >= sizeof(buf))
			return perr(p, "invalid address");
		memcpy(buf, p->text, p->len);
		buf[p->len] = '\0';
		if (lsdp_prefix_parse(buf, &pf, 0) != LSDP_PREFIX_OK ||
		    (pf.addr.family == AF_INET) != (f->width == 4))
			return perr(p, f->width == 4 ? "expected an IPv4 address or CIDR" :
				    "expected an IPv6 address or CIDR");
		memcpy(a->v, f->width == 4 ? (const void *)&pf.addr.v4 :
					     (const void *)&pf.addr.v6, f->width);
		for (i = 0; i < f->width; i++) {
			unsigned int bits = pf.plen > i * 8 ? pf.plen - i * 8 : 0;

			a->m[i] = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
			a->v[i] &= a->m[i];
		}
		a->kind = pf.plen == f->width * 8 ? LSDP_MATCH_VALUE :
						     LSDP_MATCH_MASKED;
		return 0;
	}
	dash = memchr(p->text, '-', p->len);
	if (dash && f->width == 2 && f->field != LSDP_FIELD_ETH_TYPE) {
		if (!parse_uint(p->text, (size_t)(dash - p->text), 0xffff, &lo) ||
		    !parse_uint(dash + 1, p->len - (size_t)(dash + 1 - p->text),
				0xffff, &hi) || lo > hi)
			return perr(p, "invalid port range");
		a->kind = LSDP_MATCH_RANGE;
		a->lo = (uint16_t)lo;
		a->hi = (uint16_t)hi;
		return 0;
	}
	if (!parse_uint(p->text, p->len, f->width == 2 ? 0xffff : 0xff, &lo))
		return perr(p, "expected a number up to %u",
			    f->width == 2 ? 0xffff : 0xff);
	a->kind = LSDP_MATCH_VALUE;
	if (f->width == 2) {
		a->v[0] = (uint8_t)(lo >> 8);
		a->v[1] = (uint8_t)lo;
	} else {
		a->v[0] = (uint8_t)lo;
	}
	return 0;
}

/* "FIELD OP VALUE" or "FIELD OP {V, ...}", the field just read. */
static int relation(struct parser *p, const struct field_info *f)
{
	struct lsdp_match_alt *alt = NULL, *v;
	unsigned int n = 0, cap = 0;
	enum tok op;
	int r;

	r = lex(p);
	if (r)
		return r;
	op = p->tok;
	if (op < T_EQ || op > T_GE)
		return perr(p, "expected ==, !=, <, <=, > or >=");
	r = lex(p);
	if (r)
		return r;
	if (op != T_EQ && op != T_NE) {
		struct lsdp_match_alt a;

		if (f->width != 2 || f->field == LSDP_FIELD_ETH_TYPE ||
		    f->field <= LSDP_FIELD_OUTPORT)
			return perr(p, "an order comparison only goes with L4 ports");
		r = value(p, f, &a);
		if (r)
			return r;
		if (a.kind != LSDP_MATCH_VALUE)
			return perr(p, "expected a number");
		a.lo = a.hi = (uint16_t)(a.v[0] << 8 | a.v[1]);
		if (op == T_LT || op == T_LE) {
			a.hi = op == T_LT ? a.lo - 1 : a.lo;
			a.lo = 0;
			if (op == T_LT && !a.hi && !(a.v[0] | a.v[1]))
				return perr(p, "%s < 0 can never match", f->name);
		} else {
			if (op == T_GT && a.lo == 0xffff)
				return perr(p, "%s > 65535 can never match", f->name);
			a.lo = op == T_GT ? a.lo + 1 : a.lo;
			a.hi = 0xffff;
		}
		a.kind = LSDP_MATCH_RANGE;
		alt = malloc(sizeof(*alt));
		if (!alt)
			return perr(p, "out of memory");
		*alt = a;
		n = 1;
	} else {
		bool set = p->tok == T_LB;

		if (set && (r = lex(p)))
			return r;
		do {
			if (n == cap) {
				cap = cap ? 2 * cap : 4;
				if (cap > LSDP_MATCH_MAX_ALTS) {
					free(alt);
					return perr(p, "too many values in a set");
				}
				v = realloc(alt, cap * sizeof(*v));
				if (!v) {
					free(alt);
					return perr(p, "out of memory");
				}
				alt = v;
			}
			r = value(p, f, &alt[n]);
			if (r) {
				free(alt);
				return r;
			}
			n++;
			if (!set)
				break;
			if ((r = lex(p))) {
				free(alt);
				return r;
			}
			if (p->tok == T_COMMA && (r = lex(p))) {
				free(alt);
				return r;
			}
		} while (p->tok != T_RB && p->tok != T_END);
		if (set && p->tok != T_RB) {
			free(alt);
			return perr(p, "expected '}'");
		}
	}
	r = prereq(p, f);
	if (r) {
		free(alt);
		return r;
	}
	return test_add(p, f->field, op == T_NE, alt, n);
}

static int disjunction(struct parser *p);

/* A test, a macro or a parenthesised expression; the next token read. */
static int primary(struct parser *p)
{
	const struct field_info *f;
	int r;

	switch (p->tok) {
	case T_LP:
		r = lex(p);
		if (!r)
			r = disjunction(p);
		if (r)
			return r;
		if (p->tok != T_RP)
			return perr(p, "expected ')'");
		return lex(p);
	case T_WORD:
		f = field_by_name(p->text, p->len);
		r = f ? relation(p, f) : macro(p);
		return r ? r : lex(p);
	case T_NOT:
		return perr(p, "'!' is not supported; use != in a test");
	default:
		return perr(p, "expected a test");
	}
}

static int conjunction(struct parser *p)
{
	int r = primary(p);

	while (!r && p->tok == T_AND) {
		r = lex(p);
		if (!r)
			r = primary(p);
	}
	return r;
}

/*
 * Alternatives joined by ||: each must be one positive test of the same
 * field (a set, in OVN's words), since a match is a conjunction.
 */
static int disjunction(struct parser *p)
{
	struct lsdp_match saved = *p->m, one;
	struct lsdp_match_test acc = { 0 };
	struct lsdp_match_alt *v;
	size_t at;
	bool any = false;
	int r;

	for (;;) {
		at = p->pos;
		memset(p->m, 0, sizeof(*p->m));
		r = conjunction(p);
		one = *p->m;
		*p->m = saved;
		if (r) {
			lsdp_match_free(&one);
			free(acc.alt);
			return r;
		}
		if (!any && p->tok != T_OR) {
			/* No ||: the conjunction joins the enclosing one. */
			unsigned int i;

			for (i = 0; i < one.n_tests && !r; i++) {
				r = one.tests[i].field == LSDP_FIELD_UNSPEC ? 0 :
				    test_add(p, one.tests[i].field, one.tests[i].neg,
					     one.tests[i].alt, one.tests[i].n_alt);
				one.tests[i].alt = NULL;
			}
			for (; i < one.n_tests; i++)
				free(one.tests[i].alt);
			return r;
		}
		/* A disjunct: one test, or the test and its prerequisites. */
		{
			const struct lsdp_match_test *main_t = NULL;
			unsigned int i;

			for (i = 0; i < one.n_tests; i++)
				if (one.tests[i].field != LSDP_FIELD_ETH_TYPE &&
				    one.tests[i].field != LSDP_FIELD_IP_PROTO)
					main_t = &one.tests[i];
			if (!main_t && one.n_tests == 1)
				main_t = &one.tests[0];
			if (!main_t || main_t->neg ||
			    (acc.n_alt && main_t->field != acc.field)) {
				lsdp_match_free(&one);
				free(acc.alt);
				p->pos = at;
				p->next = at + 1;
				p->tok = T_WORD;
				return perr(p, "|| joins only tests of one field");
			}
			v = realloc(acc.alt, (acc.n_alt + main_t->n_alt) * sizeof(*v));
			if (!v) {
				lsdp_match_free(&one);
				free(acc.alt);
				return perr(p, "out of memory");
			}
			memcpy(v + acc.n_alt, main_t->alt, main_t->n_alt * sizeof(*v));
			acc.alt = v;
			acc.n_alt += main_t->n_alt;
			acc.field = main_t->field;
			/* Prerequisites are those of every disjunct: keep one. */
			for (i = 0; i < one.n_tests && !r; i++) {
				if (&one.tests[i] == main_t)
					continue;
				r = test_add(p, one.tests[i].field, one.tests[i].neg,
					     one.tests[i].alt, one.tests[i].n_alt);
				one.tests[i].alt = NULL;
				saved = *p->m;
			}
			/* main_t's values were copied; the rest was taken. */
			lsdp_match_free(&one);
			if (r) {
				free(acc.alt);
				return r;
			}
		}
		any = true;
		if (p->tok != T_OR)
			break;
		r = lex(p);
		if (r) {
			free(acc.alt);
			return r;
		}
	}
	return test_add(p, acc.field, false, acc.alt, acc.n_alt);
}

void lsdp_match_free(struct lsdp_match *m)
{
	unsigned int i;

	for (i = 0; i < m->n_tests; i++)
		free(m->tests[i].alt);
	m->n_tests = 0;
}

int lsdp_match_parse(const char *s, struct lsdp_match *m, char *err,
		     size_t errlen)
{
	struct parser p = { .s = s, .err = err, .errlen = errlen, .m = m };
	int r;

	memset(m, 0, sizeof(*m));
	r = lex(&p);
	if (!r && p.tok == T_END)
		return perr(&p, "empty match");
	if (!r)
		r = disjunction(&p);
	if (!r && p.tok != T_END)
		r = perr(&p, "expected && or the end of the match");
	return r;
}

/* ---- netlink ---- */

int lsdp_put_match(struct nl_msg *msg, const struct lsdp_match *m)
{
	struct nlattr *match, *test;
	const struct lsdp_match_alt *a;
	const struct field_info *f;
	unsigned int i, j;
	uint8_t buf[32];
	int err = 0;

	match = nla_nest_start(msg, LSDP_A_ACL_MATCH);
	if (!match)
		return -EMSGSIZE;
	for (i = 0; i < m->n_tests && !err; i++) {
		f = field_by_id(m->tests[i].field);
		test = nla_nest_start(msg, LSDP_MATCH_A_TEST);
		if (!test)
			return -EMSGSIZE;
		err = nla_put_u8(msg, LSDP_TEST_A_FIELD, m->tests[i].field);
		if (!err && m->tests[i].neg)
			err = nla_put_flag(msg, LSDP_TEST_A_NEG);
		for (j = 0; j < m->tests[i].n_alt && !err; j++) {
			a = &m->tests[i].alt[j];
			switch (a->kind) {
			case LSDP_MATCH_VALUE:
				err = nla_put(msg, LSDP_TEST_A_VALUE, f->width, a->v);
				break;
			case LSDP_MATCH_MASKED:
				memcpy(buf, a->v, f->width);
				memcpy(buf + f->width, a->m, f->width);
				err = nla_put(msg, LSDP_TEST_A_MASKED, 2 * f->width, buf);
				break;
			case LSDP_MATCH_RANGE:
				buf[0] = (uint8_t)(a->lo >> 8);
				buf[1] = (uint8_t)a->lo;
				buf[2] = (uint8_t)(a->hi >> 8);
				buf[3] = (uint8_t)a->hi;
				err = nla_put(msg, LSDP_TEST_A_RANGE, 4, buf);
				break;
			case LSDP_MATCH_ADDR_SET:
				err = nla_put_string(msg, LSDP_TEST_A_ADDR_SET, a->name);
				break;
			case LSDP_MATCH_PORT:
				err = nla_put_string(msg, LSDP_TEST_A_PORT, a->name);
				break;
			case LSDP_MATCH_PORT_GROUP:
				err = nla_put_string(msg, LSDP_TEST_A_PORT_GROUP, a->name);
				break;
			}
		}
		nla_nest_end(msg, test);
	}
	nla_nest_end(msg, match);
	return err ? -EMSGSIZE : 0;
}

int lsdp_match_from_nl(const struct nlattr *nest, struct lsdp_match *m)
{
	const struct field_info *f;
	struct lsdp_match_test *t;
	struct lsdp_match_alt *a;
	struct nlattr *test, *x;
	int rem, rem2, w;

	memset(m, 0, sizeof(*m));
	nla_for_each_nested(test, nest, rem) {
		if (m->n_tests >= LSDP_MATCH_MAX_TESTS)
			return -EINVAL;
		t = &m->tests[m->n_tests++];
		nla_for_each_nested(x, test, rem2)
			t->n_alt++;
		t->alt = calloc(t->n_alt ? t->n_alt : 1, sizeof(*t->alt));
		if (!t->alt)
			return -ENOMEM;
		t->n_alt = 0;
		nla_for_each_nested(x, test, rem2)
			if (nla_type(x) == LSDP_TEST_A_FIELD)
				t->field = nla_get_u8(x);
		f = field_by_id(t->field);
		if (!f)
			return -EINVAL;
		w = f->width;
		nla_for_each_nested(x, test, rem2) {
			a = &t->alt[t->n_alt];
			switch (nla_type(x)) {
			case LSDP_TEST_A_NEG:
				t->neg = true;
				continue;
			case LSDP_TEST_A_VALUE:
				if (nla_len(x) != w)
					return -EINVAL;
				a->kind = LSDP_MATCH_VALUE;
				memcpy(a->v, nla_data(x), w);
				break;
			case LSDP_TEST_A_MASKED:
				if (nla_len(x) != 2 * w)
					return -EINVAL;
				a->kind = LSDP_MATCH_MASKED;
				memcpy(a->v, nla_data(x), w);
				memcpy(a->m, (const uint8_t *)nla_data(x) + w, w);
				break;
			case LSDP_TEST_A_RANGE: {
				const uint8_t *b = nla_data(x);

				if (nla_len(x) != 4)
					return -EINVAL;
				a->kind = LSDP_MATCH_RANGE;
				a->lo = (uint16_t)(b[0] << 8 | b[1]);
				a->hi = (uint16_t)(b[2] << 8 | b[3]);
				break;
			}
			case LSDP_TEST_A_ADDR_SET:
			case LSDP_TEST_A_PORT:
			case LSDP_TEST_A_PORT_GROUP:
				a->kind = nla_type(x) == LSDP_TEST_A_ADDR_SET ?
					  LSDP_MATCH_ADDR_SET :
					  nla_type(x) == LSDP_TEST_A_PORT ?
					  LSDP_MATCH_PORT : LSDP_MATCH_PORT_GROUP;
				nla_strlcpy(a->name, x, sizeof(a->name));
				break;
			default:
				continue;
			}
			t->n_alt++;
		}
	}
	return 0;
}

/* Appends to @buf (of @len, holding @*at bytes), truncating. */
static void app(char *buf, size_t len, size_t *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void app(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*at >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *at, len - *at, fmt, ap);
	va_end(ap);
	if (n > 0)
		*at += (size_t)n;
}

static void alt_format(const struct field_info *f,
		       const struct lsdp_match_alt *a, char *buf, size_t len,
		       size_t *at)
{
	char s[INET6_ADDRSTRLEN];
	unsigned int plen = 0, i;

	switch (a->kind) {
	case LSDP_MATCH_ADDR_SET:
		app(buf, len, at, "$%s", a->name);
		return;
	case LSDP_MATCH_PORT:
		app(buf, len, at, "\"%s\"", a->name);
		return;
	case LSDP_MATCH_PORT_GROUP:
		app(buf, len, at, "@%s", a->name);
		return;
	case LSDP_MATCH_RANGE:
		app(buf, len, at, "%u-%u", a->lo, a->hi);
		return;
	}
	if (f->field >= LSDP_FIELD_IP4_SRC && f->field <= LSDP_FIELD_IP6_DST) {
		inet_ntop(f->width == 4 ? AF_INET : AF_INET6, a->v, s, sizeof(s));
		if (a->kind == LSDP_MATCH_VALUE) {
			app(buf, len, at, "%s", s);
			return;
		}
		for (i = 0; i < f->width; i++)
			plen += (unsigned int)__builtin_popcount(a->m[i]);
		app(buf, len, at, "%s/%u", s, plen);
		return;
	}
	if (f->field == LSDP_FIELD_ETH_TYPE)
		app(buf, len, at, "0x%04x", a->v[0] << 8 | a->v[1]);
	else if (f->width == 2)
		app(buf, len, at, "%u", a->v[0] << 8 | a->v[1]);
	else
		app(buf, len, at, "%u", a->v[0]);
	if (a->kind == LSDP_MATCH_MASKED)
		app(buf, len, at, "/0x%x", f->width == 2 ? a->m[0] << 8 | a->m[1] :
						      a->m[0]);
}

void lsdp_match_format(const struct lsdp_match *m, char *buf, size_t len)
{
	const struct lsdp_match_test *t;
	const struct field_info *f;
	unsigned int i, j;
	size_t at = 0;

	buf[0] = '\0';
	for (i = 0; i < m->n_tests; i++) {
		t = &m->tests[i];
		f = field_by_id(t->field);
		if (!f)
			continue;
		app(buf, len, &at, "%s%s %s ", i ? " && " : "", f->name,
		    t->neg ? "!=" : "==");
		if (t->n_alt != 1)
			app(buf, len, &at, "{");
		for (j = 0; j < t->n_alt; j++) {
			if (j)
				app(buf, len, &at, ", ");
			alt_format(f, &t->alt[j], buf, len, &at);
		}
		if (t->n_alt != 1)
			app(buf, len, &at, "}");
	}
	if (at >= len && len > 4)
		strcpy(buf + len - 4, "...");
}

static const char *const acl_dirs[] = {
	[LSDP_ACL_DIR_FROM_LPORT] = "from-lport",
	[LSDP_ACL_DIR_TO_LPORT] = "to-lport",
};

static const char *const acl_actions[] = {
	[LSDP_ACL_ACTION_ALLOW] = "allow",
	[LSDP_ACL_ACTION_ALLOW_RELATED] = "allow-related",
	[LSDP_ACL_ACTION_ALLOW_STATELESS] = "allow-stateless",
	[LSDP_ACL_ACTION_DROP] = "drop",
	[LSDP_ACL_ACTION_REJECT] = "reject",
	[LSDP_ACL_ACTION_PASS] = "pass",
};

static int name_parse(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	return -1;
}

const char *lsdp_acl_dir_name(unsigned int dir)
{
	return dir < ARRAY_SIZE(acl_dirs) ? acl_dirs[dir] : NULL;
}

int lsdp_acl_dir_parse(const char *s)
{
	return name_parse(acl_dirs, ARRAY_SIZE(acl_dirs), s);
}

const char *lsdp_acl_action_name(unsigned int action)
{
	return action < ARRAY_SIZE(acl_actions) ? acl_actions[action] : NULL;
}

int lsdp_acl_action_parse(const char *s)
{
	return name_parse(acl_actions, ARRAY_SIZE(acl_actions), s);
}

static void copy_str(char *dst, size_t size, const struct nlattr *a)
{
	if (a)
		nla_strlcpy(dst, a, size);
	else
		dst[0] = '\0';
}

int lsdp_acl_parse(struct nl_msg *msg, struct lsdp_acl_info *acl)
{
	struct nlattr *tb[LSDP_A_MAX + 1];
	struct lsdp_match m;
	int err;

	memset(acl, 0, sizeof(*acl));
	err = lsdp_nl_parse(msg, tb);
	if (err)
		return err;
	if (!tb[LSDP_A_ACL_ID] || !tb[LSDP_A_ACL_MATCH])
		return -EINVAL;
	acl->id = nla_get_u32(tb[LSDP_A_ACL_ID]);
	copy_str(acl->dp, sizeof(acl->dp), tb[LSDP_A_DP_NAME]);
	copy_str(acl->pg, sizeof(acl->pg), tb[LSDP_A_PG_NAME]);
	copy_str(acl->name, sizeof(acl->name), tb[LSDP_A_ACL_NAME]);
	if (tb[LSDP_A_ACL_DIR])
		acl->dir = nla_get_u8(tb[LSDP_A_ACL_DIR]);
	if (tb[LSDP_A_ACL_PRIORITY])
		acl->prio = nla_get_u16(tb[LSDP_A_ACL_PRIORITY]);
	if (tb[LSDP_A_ACL_ACTION])
		acl->action = nla_get_u8(tb[LSDP_A_ACL_ACTION]);
	if (tb[LSDP_A_ACL_HITS])
		acl->hits = nla_get_u64(tb[LSDP_A_ACL_HITS]);
	err = lsdp_match_from_nl(tb[LSDP_A_ACL_MATCH], &m);
	if (!err)
		lsdp_match_format(&m, acl->match, sizeof(acl->match));
	lsdp_match_free(&m);
	return err;
}

int lsdp_put_as_member(struct nl_msg *msg, const struct lsdp_prefix *p)
{
	uint8_t buf[17];

	if (p->addr.family == AF_INET) {
		memcpy(buf, &p->addr.v4, 4);
		buf[4] = p->plen;
		return p->plen == 32 ? nla_put(msg, LSDP_ADDR_A_IPV4, 4, buf) :
		       nla_put(msg, LSDP_ADDR_A_IPV4_NET, 5, buf);
	}
	memcpy(buf, &p->addr.v6, 16);
	buf[16] = p->plen;
	return p->plen == 128 ? nla_put(msg, LSDP_ADDR_A_IPV6, 16, buf) :
	       nla_put(msg, LSDP_ADDR_A_IPV6_NET, 17, buf);
}

int lsdp_as_parse(struct nl_msg *msg, struct lsdp_as_info *as)
{
	struct nlattr *tb[LSDP_A_MAX + 1], *a;
	struct lsdp_prefix *p;
	const uint8_t *d;
	int err, rem, n = 0;

	memset(as, 0, sizeof(*as));
	err = lsdp_nl_parse(msg, tb);
	if (err)
		return err;
	if (!tb[LSDP_A_AS_NAME])
		return -EINVAL;
	copy_str(as->name, sizeof(as->name), tb[LSDP_A_AS_NAME]);
	if (tb[LSDP_A_AS_COUNT])
		as->count = nla_get_u32(tb[LSDP_A_AS_COUNT]);
	if (!tb[LSDP_A_AS_ADDRS])
		return 0;
	nla_for_each_nested(a, tb[LSDP_A_AS_ADDRS], rem)
		n++;
	as->members = calloc(n ? (size_t)n : 1, sizeof(*as->members));
	if (!as->members)
		return -ENOMEM;
	nla_for_each_nested(a, tb[LSDP_A_AS_ADDRS], rem) {
		p = &as->members[as->n_members];
		d = nla_data(a);
		switch (nla_type(a)) {
		case LSDP_ADDR_A_IPV4:
		case LSDP_ADDR_A_IPV4_NET:
			p->addr.family = AF_INET;
			memcpy(&p->addr.v4, d, 4);
			p->plen = nla_type(a) == LSDP_ADDR_A_IPV4 ? 32 : d[4];
			break;
		case LSDP_ADDR_A_IPV6:
		case LSDP_ADDR_A_IPV6_NET:
			p->addr.family = AF_INET6;
			memcpy(&p->addr.v6, d, 16);
			p->plen = nla_type(a) == LSDP_ADDR_A_IPV6 ? 128 : d[16];
			break;
		default:
			continue;
		}
		as->n_members++;
	}
	return 0;
}

int lsdp_pg_parse(struct nl_msg *msg, struct lsdp_pg_info *pg)
{
	struct nlattr *tb[LSDP_A_MAX + 1], *a;
	int err, rem, n = 0;

	memset(pg, 0, sizeof(*pg));
	err = lsdp_nl_parse(msg, tb);
	if (err)
		return err;
	if (!tb[LSDP_A_PG_NAME])
		return -EINVAL;
	copy_str(pg->name, sizeof(pg->name), tb[LSDP_A_PG_NAME]);
	if (!tb[LSDP_A_PG_PORTS])
		return 0;
	nla_for_each_nested(a, tb[LSDP_A_PG_PORTS], rem)
		n++;
	pg->ports = calloc(n ? (size_t)n : 1, sizeof(*pg->ports));
	if (!pg->ports)
		return -ENOMEM;
	nla_for_each_nested(a, tb[LSDP_A_PG_PORTS], rem)
		copy_str(pg->ports[pg->n_ports++], sizeof(pg->ports[0]), a);
	return 0;
}

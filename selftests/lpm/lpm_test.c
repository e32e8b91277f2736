// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit test of the routing trie, kmod/lpm.c, built in userspace
 * with the shim under shim/ (no VM, no module).
 *
 * Random IPv4 and IPv6 prefixes, clustered so that many overlap and nest,
 * with default routes and host routes among them, are inserted and removed
 * in random order; after every stage each lookup of random and boundary
 * addresses is checked against a brute-force longest match over the routes
 * the test believes are in, the exact finds against that set, and the trie's
 * shape against its invariants.  Removing everything must leave no node.
 * Finally lookups are timed with 1 and with 100,000 routes (information).
 *
 * Output is TAP; the exit status is non-zero if any check failed.
 * Usage: lpm_test [seed]   (or LPM_SEED in the environment)
 */
#include "../../kmod/lpm.c"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

long lpm_shim_allocated;
int lpm_shim_fail_in;

union lpm_test_addr {
	u8 b[16];
	__be32 w[4];
};

/* The trie stores these and never looks inside. */
struct lsdp_route {
	union lpm_test_addr prefix;	/* host bits zero */
	u8 plen;
	bool ipv6;
	bool in;			/* the test believes it is in the trie */
};

#define POOL		2000	/* distinct prefixes per family */
#define NSEEDS		8	/* clusters they are drawn around */
#define RANDOM_LOOKUPS	4000	/* per family and stage */
#define EDGE_SAMPLES	400	/* routes whose edges are looked up, per stage */
#ifndef BENCH_ROUTES		/* cc -DBENCH_ROUTES=n to see the scaling */
#define BENCH_ROUTES	100000
#endif
#define BENCH_LOOKUPS	(1 << 20)

static struct lsdp_lpm_node __rcu *roots[2];
static struct lsdp_route pool[2][POOL];
static union lpm_test_addr seeds[2][NSEEDS];
static struct mutex lock;
static unsigned int n_tests, n_failed;
static u64 rng;

static u64 rnd(void)
{
	/* xorshift64*: fast, and reproducible from the seed. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static unsigned int rnd_below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	n_tests++;
	if (!ok)
		n_failed++;
	printf("%sok %u - ", ok ? "" : "not ", n_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static unsigned int fam_bits(int fam)
{
	return fam ? 128 : 32;
}

static unsigned int get_bit(const union lpm_test_addr *a, unsigned int i)
{
	return (a->b[i / 8] >> (7 - i % 8)) & 1;
}

static void put_bit(union lpm_test_addr *a, unsigned int i, unsigned int v)
{
	if (v)
		a->b[i / 8] |= 0x80 >> (i % 8);
	else
		a->b[i / 8] &= ~(0x80 >> (i % 8));
}

/* Sets every bit of @a from @from to the family's end to @v, or random. */
static void fill_bits(union lpm_test_addr *a, unsigned int from,
		      unsigned int bits, int v)
{
	unsigned int i;

	for (i = from; i < bits; i++)
		put_bit(a, i, v < 0 ? rnd() & 1 : (unsigned int)v);
}

static void random_addr(union lpm_test_addr *a, int fam)
{
	memset(a, 0, sizeof(*a));
	fill_bits(a, 0, fam_bits(fam), -1);
}

static bool addr_match(const union lpm_test_addr *prefix, unsigned int plen,
		       const union lpm_test_addr *a)
{
	unsigned int full = plen / 8, rest = plen % 8;

	if (memcmp(prefix->b, a->b, full))
		return false;
	if (!rest)
		return true;
	return !((prefix->b[full] ^ a->b[full]) & (0xff00 >> rest));
}

/* @a + @d (d = 1 or -1), wrapping, over the family's bytes. */
static void addr_add(union lpm_test_addr *a, int fam, int d)
{
	int i;

	for (i = fam_bits(fam) / 8 - 1; i >= 0; i--) {
		a->b[i] += d;
		if (a->b[i] != (d > 0 ? 0x00 : 0xff))
			break;
	}
}

static const char *addr_str(const union lpm_test_addr *a, int fam)
{
	static char buf[64];
	int i, n = 0;

	if (!fam) {
		snprintf(buf, sizeof(buf), "%u.%u.%u.%u",
			 a->b[0], a->b[1], a->b[2], a->b[3]);
		return buf;
	}
	for (i = 0; i < 16; i += 2)
		n += snprintf(buf + n, sizeof(buf) - n, "%s%x", i ? ":" : "",
			      a->b[i] << 8 | a->b[i + 1]);
	return buf;
}

static const char *route_str(const struct lsdp_route *rt)
{
	static char buf[80];

	if (!rt)
		return "(none)";
	snprintf(buf, sizeof(buf), "%s/%u", addr_str(&rt->prefix, rt->ipv6),
		 rt->plen);
	return buf;
}

static void make_prefix(struct lsdp_route *rt, int fam, int npool)
{
	unsigned int bits = fam_bits(fam), r = rnd_below(100), i;
	const struct lsdp_route *base;
	int plen;

	memset(rt, 0, sizeof(*rt));
	rt->ipv6 = fam;
	if (r < 2) {
		plen = 0;
	} else if (r < 12) {
		random_addr(&rt->prefix, fam);
		plen = bits;
	} else if (r < 45 && npool) {
		/* Nested in, or covering, a prefix we already have. */
		base = &pool[fam][rnd_below(npool)];
		rt->prefix = base->prefix;
		plen = (int)base->plen + (int)rnd_below(17) - 8;
		plen = plen < 0 ? 0 : plen > (int)bits ? (int)bits : plen;
		fill_bits(&rt->prefix, base->plen, bits, -1);
	} else {
		/* Around a cluster seed: same top byte, a few bits flipped. */
		rt->prefix = seeds[fam][rnd_below(NSEEDS)];
		for (i = rnd_below(4); i > 0; i--) {
			unsigned int b = 8 + rnd_below(bits - 8);

			put_bit(&rt->prefix, b, !get_bit(&rt->prefix, b));
		}
		plen = fam ? rnd_below(129) : 8 + rnd_below(25);
	}
	rt->plen = plen;
	fill_bits(&rt->prefix, plen, bits, 0);
}

static bool same_prefix(const struct lsdp_route *a, const struct lsdp_route *b)
{
	return a->plen == b->plen && !memcmp(&a->prefix, &b->prefix, 16);
}

static void make_pool(int fam)
{
	int n, j, tries;

	for (j = 0; j < NSEEDS; j++)
		random_addr(&seeds[fam][j], fam);
	for (n = 0; n < POOL; n++) {
		for (tries = 0; tries < 100; tries++) {
			make_prefix(&pool[fam][n], fam, n);
			for (j = 0; j < n; j++)
				if (same_prefix(&pool[fam][j], &pool[fam][n]))
					break;
			if (j == n)
				break;
		}
	}
}

static struct lsdp_route *brute_lookup(int fam, const union lpm_test_addr *a)
{
	struct lsdp_route *best = NULL, *rt;
	int i;

	for (i = 0; i < POOL; i++) {
		rt = &pool[fam][i];
		if (rt->in && (!best || rt->plen > best->plen) &&
		    addr_match(&rt->prefix, rt->plen, a))
			best = rt;
	}
	return best;
}

static struct lsdp_route *trie_lookup(int fam, const union lpm_test_addr *a)
{
	return fam ? lsdp_lpm_lookup6(&roots[1], a->w) :
		     lsdp_lpm_lookup4(&roots[0], a->w[0]);
}

static int op_insert(struct lsdp_route *rt)
{
	return lsdp_lpm_insert(&roots[rt->ipv6], rt->ipv6, rt->prefix.w,
			       rt->plen, rt, &lock);
}

static struct lsdp_route *op_remove(struct lsdp_route *rt)
{
	return lsdp_lpm_remove(&roots[rt->ipv6], rt->ipv6, rt->prefix.w,
			       rt->plen, &lock);
}

static struct lsdp_route *op_find(struct lsdp_route *rt)
{
	return lsdp_lpm_find(&roots[rt->ipv6], rt->ipv6, rt->prefix.w,
			     rt->plen, &lock);
}

struct shape {
	unsigned long nodes;
	unsigned long routes;
	unsigned long errors;
	char first[160];
};

static void shape_error(struct shape *s, const char *what,
			const struct lsdp_lpm_node *n)
{
	if (!s->errors++)
		snprintf(s->first, sizeof(s->first), "%s at node /%u", what,
			 n->plen);
}

/* Checks the invariants of the subtree at @n, below @parent via @dir. */
static void walk(const struct lsdp_lpm_node *n,
		 const struct lsdp_lpm_node *parent, unsigned int dir,
		 unsigned int bits, struct shape *s)
{
	const struct lsdp_route *rt = n->rt;
	struct lsdp_lpm_key k;

	s->nodes++;
	if (n->plen > bits)
		shape_error(s, "prefix longer than the family", n);
	if (n->key.w[0] & ~lsdp_lpm_mask(n->plen, 0) ||
	    n->key.w[1] & ~lsdp_lpm_mask(n->plen, 1))
		shape_error(s, "host bits set in a node key", n);
	if (parent) {
		if (n->plen <= parent->plen)
			shape_error(s, "child not longer than its parent", n);
		else if (lsdp_lpm_common(&n->key, &parent->key) < parent->plen)
			shape_error(s, "child outside its parent's prefix", n);
		else if (lsdp_lpm_bit(&n->key, parent->plen) != dir)
			shape_error(s, "child on the wrong side", n);
	}
	if (rt) {
		s->routes++;
		lsdp_lpm_key_load(&k, rt->ipv6, rt->prefix.w);
		if (rt->plen != n->plen || !rt->in ||
		    k.w[0] != n->key.w[0] || k.w[1] != n->key.w[1])
			shape_error(s, "route stored under the wrong prefix", n);
	} else if (!n->child[0] || !n->child[1]) {
		shape_error(s, "glue node without two children", n);
	}
	if (n->plen == bits && (n->child[0] || n->child[1]))
		shape_error(s, "full-length node with children", n);
	if (n->child[0])
		walk(n->child[0], n, 0, bits, s);
	if (n->child[1])
		walk(n->child[1], n, 1, bits, s);
}

static void verify(const char *stage)
{
	unsigned long errors = 0, lookups = 0, in[2] = { 0, 0 }, nodes = 0;
	struct lsdp_route *got, *want;
	union lpm_test_addr a, edge[5];
	char first[256] = "";
	struct shape s;
	int fam, i, j, len;

	/* Exact finds agree with what the test believes is in. */
	for (fam = 0; fam < 2; fam++) {
		for (i = 0; i < POOL; i++) {
			struct lsdp_route *rt = &pool[fam][i];

			in[fam] += rt->in;
			got = op_find(rt);
			if (got != (rt->in ? rt : NULL) && !errors++)
				snprintf(first, sizeof(first),
					 "find %s: got %s", route_str(rt),
					 got ? "a route" : "nothing");
		}
	}
	tap(!errors, "%s: exact find of %lu+%lu routes%s%s", stage, in[0],
	    in[1], errors ? ": " : "", first);

	/* Lookups agree with a brute-force longest match. */
	errors = 0;
	for (fam = 0; fam < 2; fam++) {
		for (i = 0; i < RANDOM_LOOKUPS + EDGE_SAMPLES; i++) {
			int n = 1;

			if (i < RANDOM_LOOKUPS / 2) {
				random_addr(&edge[0], fam);
			} else if (i < RANDOM_LOOKUPS) {
				/* Near a cluster: where routes nest. */
				edge[0] = seeds[fam][rnd_below(NSEEDS)];
				fill_bits(&edge[0], 8 + rnd_below(fam_bits(fam) - 8),
					  fam_bits(fam), -1);
			} else {
				/* A route's first and last address, the ones
				 * just outside, and one inside.
				 */
				const struct lsdp_route *rt =
					&pool[fam][rnd_below(POOL)];

				edge[0] = rt->prefix;
				edge[1] = rt->prefix;
				fill_bits(&edge[1], rt->plen, fam_bits(fam), 1);
				edge[2] = edge[0];
				addr_add(&edge[2], fam, -1);
				edge[3] = edge[1];
				addr_add(&edge[3], fam, 1);
				edge[4] = rt->prefix;
				fill_bits(&edge[4], rt->plen, fam_bits(fam), -1);
				n = 5;
			}
			for (j = 0; j < n; j++) {
				a = edge[j];
				lookups++;
				got = trie_lookup(fam, &a);
				want = brute_lookup(fam, &a);
				if (got == want || errors++)
					continue;
				len = snprintf(first, sizeof(first),
					       "%s: got %s, ",
					       addr_str(&a, fam),
					       route_str(got));
				snprintf(first + len, sizeof(first) - len,
					 "want %s", route_str(want));
			}
		}
	}
	tap(!errors, "%s: %lu lookups match brute force%s%s", stage, lookups,
	    errors ? ": " : "", first);

	/* The shape: invariants, one node per route at most twice over. */
	for (fam = 0; fam < 2; fam++) {
		memset(&s, 0, sizeof(s));
		if (roots[fam])
			walk(roots[fam], NULL, 0, fam_bits(fam), &s);
		if (!s.errors && s.routes != in[fam]) {
			s.errors++;
			snprintf(s.first, sizeof(s.first),
				 "%lu routes in the trie, %lu expected",
				 s.routes, in[fam]);
		}
		if (!s.errors && s.nodes > (s.routes ? 2 * s.routes - 1 : 0)) {
			s.errors++;
			snprintf(s.first, sizeof(s.first),
				 "%lu nodes for %lu routes", s.nodes, s.routes);
		}
		nodes += s.nodes;
		tap(!s.errors, "%s: IPv%d trie shape (%lu nodes, %lu routes)%s%s",
		    stage, fam ? 6 : 4, s.nodes, s.routes,
		    s.errors ? ": " : "", s.first);
	}
	tap(nodes == (unsigned long)lpm_shim_allocated,
	    "%s: no stray allocation (%lu nodes, %ld allocated)", stage,
	    nodes, lpm_shim_allocated);
}

/* Insert or remove @rt as the test's belief says, checking the answer. */
static bool toggle(struct lsdp_route *rt, unsigned long *errors, char *first,
		   size_t len)
{
	struct lsdp_route *gone;
	int err;

	if (!rt->in) {
		err = op_insert(rt);
		if (!err) {
			rt->in = true;
			return true;
		}
		if (!(*errors)++)
			snprintf(first, len, "insert %s: %d", route_str(rt),
				 err);
		return false;
	}
	gone = op_remove(rt);
	if (gone == rt) {
		rt->in = false;
		return true;
	}
	if (!(*errors)++)
		snprintf(first, len, "remove %s: wrong answer", route_str(rt));
	return false;
}

static void test_prefix_clean(void)
{
	union lpm_test_addr a = { .b = { 10, 0, 0, 1 } };
	union lpm_test_addr b = { .b = { 0x20, 0x01, 0x0d, 0xb8 } };

	tap(!lsdp_lpm_prefix_clean(false, a.w, 8) &&
	    lsdp_lpm_prefix_clean(false, a.w, 32) &&
	    !lsdp_lpm_prefix_clean(false, a.w, 0) &&
	    !lsdp_lpm_prefix_clean(false, a.w, 31),
	    "prefix_clean: 10.0.0.1 is clean only as /32");
	a.b[3] = 0;
	tap(lsdp_lpm_prefix_clean(false, a.w, 8) &&
	    !lsdp_lpm_prefix_clean(false, a.w, 4),
	    "prefix_clean: 10.0.0.0/8 clean, /4 not");
	tap(lsdp_lpm_prefix_clean(true, b.w, 32) &&
	    !lsdp_lpm_prefix_clean(true, b.w, 28) &&
	    !lsdp_lpm_prefix_clean(true, b.w, 0),
	    "prefix_clean: 2001:db8::/32 clean, /28 and /0 not");
	b.b[15] = 1;
	tap(!lsdp_lpm_prefix_clean(true, b.w, 127) &&
	    lsdp_lpm_prefix_clean(true, b.w, 128),
	    "prefix_clean: 2001:db8::1 clean only as /128");
}

static void test_fixed(void)
{
	static struct lsdp_route def4, def6, net8, host32, host128, net64;
	union lpm_test_addr a;
	bool ok = true;
	int i;

	def4.ipv6 = false;
	def6.ipv6 = true;
	net8.prefix.b[0] = 10;
	net8.plen = 8;
	host32.prefix.b[0] = 10;
	host32.prefix.b[3] = 7;
	host32.plen = 32;
	net64.ipv6 = true;
	net64.prefix.b[0] = 0x20;
	net64.prefix.b[1] = 0x01;
	net64.plen = 64;
	host128 = net64;
	host128.prefix.b[15] = 1;
	host128.plen = 128;

	tap(!op_insert(&def4) && !op_insert(&def6),
	    "fixed: default routes 0.0.0.0/0 and ::/0");
	for (i = 0; i < 1000; i++) {
		random_addr(&a, 0);
		ok &= lsdp_lpm_lookup4(&roots[0], a.w[0]) == &def4;
		random_addr(&a, 1);
		ok &= lsdp_lpm_lookup6(&roots[1], a.w) == &def6;
	}
	memset(&a, 0xff, sizeof(a));
	ok &= lsdp_lpm_lookup4(&roots[0], a.w[0]) == &def4;
	ok &= lsdp_lpm_lookup6(&roots[1], a.w) == &def6;
	memset(&a, 0, sizeof(a));
	ok &= lsdp_lpm_lookup4(&roots[0], a.w[0]) == &def4;
	ok &= lsdp_lpm_lookup6(&roots[1], a.w) == &def6;
	tap(ok, "fixed: every address matches a default route");

	tap(op_insert(&def4) == -EEXIST && op_insert(&def6) == -EEXIST,
	    "fixed: a second default route is -EEXIST");
	tap(!op_insert(&host32) && !op_insert(&net8) && !op_insert(&host128) &&
	    !op_insert(&net64), "fixed: nested /8 and /32, /64 and /128");
	a = host32.prefix;
	ok = lsdp_lpm_lookup4(&roots[0], a.w[0]) == &host32;
	a.b[3] = 6;
	ok &= lsdp_lpm_lookup4(&roots[0], a.w[0]) == &net8;
	a.b[0] = 11;
	ok &= lsdp_lpm_lookup4(&roots[0], a.w[0]) == &def4;
	a = host128.prefix;
	ok &= lsdp_lpm_lookup6(&roots[1], a.w) == &host128;
	a.b[15] = 2;
	ok &= lsdp_lpm_lookup6(&roots[1], a.w) == &net64;
	a.b[7] = 1;
	ok &= lsdp_lpm_lookup6(&roots[1], a.w) == &def6;
	tap(ok, "fixed: longest match wins, shorter ones catch the rest");

	tap(op_remove(&net8) == &net8 && !op_remove(&net8) &&
	    op_find(&host32) == &host32 && !op_find(&net8),
	    "fixed: remove /8 once, /32 stays");
	a = host32.prefix;
	a.b[3] = 6;
	tap(lsdp_lpm_lookup4(&roots[0], a.w[0]) == &def4,
	    "fixed: what /8 covered falls back to the default route");

	/* A failed allocation must leave the trie as it was. */
	lpm_shim_fail_in = 1;
	tap(op_insert(&net8) == -ENOMEM && !op_find(&net8) &&
	    lpm_shim_allocated == 5, "fixed: insert failing with -ENOMEM");
	lpm_shim_fail_in = 0;

	tap(op_remove(&def4) == &def4 && op_remove(&host32) == &host32 &&
	    op_remove(&def6) == &def6 && op_remove(&host128) == &host128 &&
	    op_remove(&net64) == &net64 && !roots[0] && !roots[1] &&
	    lpm_shim_allocated == 0, "fixed: empty after removing all");
}

static void test_random(void)
{
	unsigned long errors = 0, enomem_bad = 0, enomem = 0;
	int fam, i, round, err, order[POOL];
	char first[160] = "";
	char stage[64];

	for (fam = 0; fam < 2; fam++)
		make_pool(fam);

	/* Everything, in random order; duplicates must be refused. */
	for (fam = 0; fam < 2; fam++) {
		for (i = 0; i < POOL; i++)
			order[i] = i;
		for (i = POOL - 1; i > 0; i--) {
			int j = rnd_below(i + 1), t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
		for (i = 0; i < POOL; i++) {
			struct lsdp_route *rt = &pool[fam][order[i]];
			struct lsdp_route dup = *rt;

			toggle(rt, &errors, first, sizeof(first));
			if (op_insert(&dup) != -EEXIST && !errors++)
				snprintf(first, sizeof(first),
					 "duplicate %s accepted",
					 route_str(rt));
		}
	}
	tap(!errors, "random: insert %d+%d prefixes, duplicates refused%s%s",
	    POOL, POOL, errors ? ": " : "", first);
	verify("all in");

	/* Remove a random half. */
	errors = 0;
	for (fam = 0; fam < 2; fam++)
		for (i = 0; i < POOL; i++)
			if (rnd() & 1)
				toggle(&pool[fam][i], &errors, first,
				       sizeof(first));
	tap(!errors, "random: remove half%s%s", errors ? ": " : "", first);
	verify("half out");

	/* Churn, with allocation failures now and then. */
	for (round = 1; round <= 6; round++) {
		errors = 0;
		for (i = 0; i < 3000; i++) {
			struct lsdp_route *rt =
				&pool[rnd() & 1][rnd_below(POOL)];
			long before = lpm_shim_allocated;

			if (!rt->in && !rnd_below(10)) {
				/*
				 * Fail the first or the second allocation;
				 * an insert needing only one then succeeds.
				 */
				lpm_shim_fail_in = 1 + rnd_below(2);
				err = op_insert(rt);
				lpm_shim_fail_in = 0;
				if (!err) {
					rt->in = true;
				} else if (err != -ENOMEM ||
					   lpm_shim_allocated != before ||
					   op_find(rt)) {
					enomem_bad++;
				} else {
					enomem++;
				}
			}
			toggle(rt, &errors, first, sizeof(first));
		}
		snprintf(stage, sizeof(stage), "churn %d", round);
		tap(!errors, "%s: 3000 random inserts and removes%s%s", stage,
		    errors ? ": " : "", first);
		verify(stage);
	}
	tap(!enomem_bad && enomem,
	    "random: %lu inserts failing with -ENOMEM changed nothing",
	    enomem);

	/* Out with everything: no node may remain. */
	errors = 0;
	for (fam = 0; fam < 2; fam++)
		for (i = 0; i < POOL; i++)
			if (pool[fam][i].in)
				toggle(&pool[fam][i], &errors, first,
				       sizeof(first));
	tap(!errors && !roots[0] && !roots[1] && lpm_shim_allocated == 0,
	    "random: all removed, tries empty, %ld allocations left",
	    lpm_shim_allocated);
	verify("all out");

	/* And destroy frees a full trie without removing route by route. */
	for (fam = 0; fam < 2; fam++)
		for (i = 0; i < POOL; i++)
			toggle(&pool[fam][i], &errors, first, sizeof(first));
	lsdp_lpm_destroy(&roots[0]);
	lsdp_lpm_destroy(&roots[1]);
	lsdp_lpm_destroy(&roots[1]);	/* an empty trie is fine too */
	for (fam = 0; fam < 2; fam++)
		for (i = 0; i < POOL; i++)
			pool[fam][i].in = false;
	tap(!errors && !roots[0] && !roots[1] && lpm_shim_allocated == 0,
	    "random: destroy of two full tries frees every node");
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Best of a few runs, in ns per lookup. */
static double time_lookups(int fam, const union lpm_test_addr *addrs)
{
	double best = 1e18, t;
	uintptr_t sink = 0;
	int run, i;

	for (run = 0; run < 5; run++) {
		t = now_ns();
		if (fam)
			for (i = 0; i < BENCH_LOOKUPS; i++)
				sink += (uintptr_t)lsdp_lpm_lookup6(&roots[1],
								    addrs[i].w);
		else
			for (i = 0; i < BENCH_LOOKUPS; i++)
				sink += (uintptr_t)lsdp_lpm_lookup4(&roots[0],
								    addrs[i].w[0]);
		t = (now_ns() - t) / BENCH_LOOKUPS;
		if (t < best)
			best = t;
	}
	/* Keeps the lookups from being optimised away. */
	if (sink == 1)
		putchar(' ');
	return best;
}

/* Nodes a lookup of @a visits: lsdp_lpm_lookup()'s walk, counted. */
static unsigned int visits(int fam, const union lpm_test_addr *a)
{
	const struct lsdp_lpm_node *n = roots[fam];
	struct lsdp_lpm_key k;
	unsigned int v = 0;

	lsdp_lpm_key_load(&k, fam, a->w);
	while (n && lsdp_lpm_match(n, &k)) {
		v++;
		if (n->plen == fam_bits(fam))
			break;
		n = n->child[lsdp_lpm_bit(&k, n->plen)];
	}
	return v + !!n;		/* the last, mismatching, node is read too */
}

static double mean_visits(int fam, const union lpm_test_addr *addrs)
{
	unsigned long total = 0;
	int i;

	for (i = 0; i < BENCH_LOOKUPS; i += 64)
		total += visits(fam, &addrs[i]);
	return (double)total / (BENCH_LOOKUPS / 64);
}

static unsigned int bench_plen(int fam)
{
	unsigned int r = rnd_below(100);

	/* Shaped like real tables: mostly /24 (v4), /48 and /64 (v6). */
	if (!fam)
		return r < 60 ? 24 : r < 80 ? 16 + rnd_below(8) :
		       r < 95 ? 25 + rnd_below(8) : 8 + rnd_below(8);
	return r < 40 ? 48 : r < 65 ? 64 : r < 80 ? 32 + rnd_below(16) :
	       r < 90 ? 128 : 49 + rnd_below(64);
}

static void bench(void)
{
	union lpm_test_addr *rand_dst, *hit_dst;
	struct lsdp_route *routes;
	double t1r, t1h, tnr, tnh, vr, vh;
	long nodes;
	int fam, i;

	routes = calloc(BENCH_ROUTES, sizeof(*routes));
	rand_dst = calloc(BENCH_LOOKUPS, sizeof(*rand_dst));
	hit_dst = calloc(BENCH_LOOKUPS, sizeof(*hit_dst));
	if (!routes || !rand_dst || !hit_dst) {
		tap(false, "timing: out of memory");
		goto out_free;
	}
	for (fam = 0; fam < 2; fam++) {
		/* One route, which the "hit" addresses all fall in. */
		memset(&routes[0], 0, sizeof(routes[0]));
		routes[0].ipv6 = fam;
		routes[0].prefix.b[0] = fam ? 0x20 : 10;
		routes[0].plen = 8;
		op_insert(&routes[0]);
		for (i = 0; i < BENCH_LOOKUPS; i++) {
			random_addr(&rand_dst[i], fam);
			hit_dst[i] = routes[0].prefix;
			fill_bits(&hit_dst[i], 8, fam_bits(fam), -1);
		}
		t1r = time_lookups(fam, rand_dst);
		t1h = time_lookups(fam, hit_dst);
		op_remove(&routes[0]);

		for (i = 0; i < BENCH_ROUTES; i++) {
			struct lsdp_route *rt = &routes[i];

			do {
				memset(rt, 0, sizeof(*rt));
				rt->ipv6 = fam;
				random_addr(&rt->prefix, fam);
				rt->plen = bench_plen(fam);
				fill_bits(&rt->prefix, rt->plen, fam_bits(fam),
					  0);
			} while (op_insert(rt));
		}
		nodes = lpm_shim_allocated;
		for (i = 0; i < BENCH_LOOKUPS; i++) {
			const struct lsdp_route *rt =
				&routes[rnd_below(BENCH_ROUTES)];

			hit_dst[i] = rt->prefix;
			fill_bits(&hit_dst[i], rt->plen, fam_bits(fam), -1);
		}
		tnr = time_lookups(fam, rand_dst);
		tnh = time_lookups(fam, hit_dst);
		vr = mean_visits(fam, rand_dst);
		vh = mean_visits(fam, hit_dst);
		lsdp_lpm_destroy(&roots[fam]);

		printf("# IPv%d, 1 route: %.1f ns/lookup (random dst), %.1f (dst in the route)\n",
		       fam ? 6 : 4, t1r, t1h);
		printf("# IPv%d, %d routes: %.1f ns/lookup (random dst), %.1f (dst in a route); nodes visited %.1f and %.1f on average; %ld nodes of %zu bytes\n",
		       fam ? 6 : 4, BENCH_ROUTES, tnr, tnh, vr, vh, nodes,
		       sizeof(struct lsdp_lpm_node));
		tap(lpm_shim_allocated == 0, "timing: IPv%d, %d routes freed",
		    fam ? 6 : 4, BENCH_ROUTES);
	}
out_free:
	free(hit_dst);
	free(rand_dst);
	free(routes);
}

int main(int argc, char **argv)
{
	const char *s = argc > 1 ? argv[1] : getenv("LPM_SEED");

	rng = s ? strtoull(s, NULL, 0) : 0x6c736470;	/* "lsdp" */
	if (!rng)
		rng = 1;
	printf("TAP version 13\n# seed %" PRIu64 " (lpm_test SEED to repeat)\n",
	       rng);
	test_prefix_clean();
	test_fixed();
	test_random();
	if (!getenv("LPM_NO_BENCH"))
		bench();
	printf("1..%u\n# %u of %u checks failed\n", n_tests, n_failed,
	       n_tests);
	return n_failed ? 1 : 0;
}

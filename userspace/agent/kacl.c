// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * lsdp-agent: OVN's ACLs, port groups and address sets (read from the
 * northbound database by main.c) made the kernel's, changing only what
 * differs.
 *
 * Address sets: members added and removed in place (AS_SET), never the
 * set made again, so a change of one address in a 10k-address set is one
 * small request and rebuilds no rule table; the members the kernel holds
 * are read once per set and then kept as they were sent.  Port groups:
 * PG_SET with the new member list when it differs.  ACLs have no name the
 * kernel and NB share, so an ACL is known by what it is: its owner,
 * direction, priority, action, label and its match in the kernel's own
 * canonical text (the wanted match is compiled, and turned back to text
 * through the same code a dump goes through).  The kernel's ACLs are
 * compared with the wanted ones as multisets: what the kernel has and NB
 * does not is deleted by id, what NB has and the kernel does not is
 * added, the rest is not touched (its hit counters and the connections it
 * committed stay).  That is also how an agent restart finds its ACLs
 * again.
 *
 * A match the shared parser cannot take fails closed, because OVN's
 * semantics make ignoring it unsafe only one way: skipping an allow (or
 * allow-related, allow-stateless, pass) can only send packets on to
 * lower-priority ACLs or the default, never let through what OVN would
 * drop, so such an ACL is left out; a drop or reject skipped would let
 * through what OVN drops, so it is installed with the conjuncts the parser
 * does take (the top-level "&&" terms; a superset of what OVN matches, at
 * worst every packet of its direction and priority).  Both are counted as
 * unsupported and logged once (agent_acl_unsupported).
 *
 * Order, so that nothing refers to what does not exist: address sets and
 * port groups are created and updated first, then ACLs deleted and added,
 * then unwanted port groups (which take their ACLs) and address sets
 * (which nothing refers to any more) deleted.
 *
 * The agent owns the ACL objects of its namespace once it reads NB: what
 * NB does not describe is deleted.  Without ovn-nb-remote none of this
 * runs and ACLs made with the CLI stay.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "lsdp_nl.h"
#include "lsdp_acl.h"
#include "agent.h"

/* What kernel.c shares with this file. */
struct lsdp_nl *kernel_nl(struct kernel *k);
int kernel_send(struct kernel *k, struct nl_msg *msg, const char *what,
		const char *name);

/* Members per AS_NEW/AS_SET request: well within one netlink message. */
#define AS_CHUNK	400

/* The members of one kernel address set, as canonical text, sorted. */
struct kas {
	char name[LSDP_NAME_SIZE];
	char **members;
	size_t n;
	bool seen;	/* still in the kernel at the last dump */
};

/* What is known of the kernel's address sets between passes. */
static struct kas *kases;
static size_t n_kases;

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void strs_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void kas_drop(size_t i)
{
	if (kases[i].n == (size_t)-1)
		free(kases[i].members);
	else
		strs_free(kases[i].members, kases[i].n);
	kases[i] = kases[--n_kases];
}

static struct kas *kas_find(const char *name)
{
	size_t i;

	for (i = 0; i < n_kases; i++)
		if (!strcmp(kases[i].name, name))
			return &kases[i];
	return NULL;
}

/* ---- reading the kernel ---- */

struct kacl_list {
	struct lsdp_acl_info *v;
	size_t n, cap;
};

struct kpg_list {
	struct lsdp_pg_info *v;
	size_t n, cap;
};

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 16;
	v = realloc(v, *cap * size);
	if (!v)
		abort();
	return v;
}

static int acl_cb(struct nl_msg *msg, void *arg)
{
	struct kacl_list *l = arg;

	l->v = grow(l->v, &l->cap, l->n, sizeof(*l->v));
	if (!lsdp_acl_parse(msg, &l->v[l->n]))
		l->n++;
	return 0;
}

static int pg_cb(struct nl_msg *msg, void *arg)
{
	struct kpg_list *l = arg;

	l->v = grow(l->v, &l->cap, l->n, sizeof(*l->v));
	if (!lsdp_pg_parse(msg, &l->v[l->n]))
		l->n++;
	return 0;
}

/* Address set names; a set new to us gets its members read (a doit). */
static int as_name_cb(struct nl_msg *msg, void *arg)
{
	struct lsdp_as_info as;
	struct kas *x;

	(void)arg;
	if (lsdp_as_parse(msg, &as))
		return 0;
	free(as.members);
	x = kas_find(as.name);
	if (!x) {
		kases = realloc(kases, (n_kases + 1) * sizeof(*kases));
		if (!kases)
			abort();
		x = &kases[n_kases++];
		memset(x, 0, sizeof(*x));
		snprintf(x->name, sizeof(x->name), "%s", as.name);
		x->n = (size_t)-1;	/* members unknown yet */
	}
	x->seen = true;
	return 0;
}

static int as_members_cb(struct nl_msg *msg, void *arg)
{
	struct kas *x = arg;
	struct lsdp_as_info as;
	char buf[LSDP_PREFIX_STRLEN];
	unsigned int i;

	if (lsdp_as_parse(msg, &as))
		return 0;
	x->members = calloc(as.n_members ? as.n_members : 1, sizeof(char *));
	if (!x->members)
		abort();
	for (i = 0; i < as.n_members; i++)
		x->members[i] = strdup(lsdp_prefix_str(&as.members[i], buf,
						       sizeof(buf)));
	x->n = as.n_members;
	qsort(x->members, x->n, sizeof(char *), str_cmp);
	free(as.members);
	return 0;
}

/*
 * One request (a dump with NLM_F_DUMP), @name in @attr when given.  A dump
 * interrupted by a concurrent change fails: the pass is retried.
 */
static int request(struct kernel *k, uint8_t cmd, int flags, int attr,
		   const char *name, lsdp_nl_cb_t cb, void *arg)
{
	struct nl_msg *msg = lsdp_nl_msg(kernel_nl(k), cmd, flags);

	if (!msg || (name && nla_put_string(msg, attr, name) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return lsdp_nl_request(kernel_nl(k), msg, cb, arg);
}

/* The address sets the kernel has, their members known. */
static int read_ases(struct kernel *k)
{
	size_t i;
	int r;

	for (i = 0; i < n_kases; i++)
		kases[i].seen = false;
	r = request(k, LSDP_CMD_AS_GET, NLM_F_DUMP, 0, NULL, as_name_cb, NULL);
	if (r)
		return r;
	for (i = 0; i < n_kases;) {
		if (!kases[i].seen) {
			kas_drop(i);
			continue;
		}
		if (kases[i].n == (size_t)-1) {
			r = request(k, LSDP_CMD_AS_GET, 0, LSDP_A_AS_NAME,
				    kases[i].name, as_members_cb, &kases[i]);
			if (r || kases[i].n == (size_t)-1) {
				kas_drop(i);
				return r ? r : -EPROTO;
			}
		}
		i++;
	}
	return 0;
}

/* ---- address sets ---- */

/*
 * Sends @v[0..n) for set @name, AS_CHUNK a request, the first with
 * @first_cmd (AS_NEW or AS_SET), as members to add or (@del) remove.
 */
static int as_send(struct kernel *k, const char *name, uint8_t first_cmd,
		   bool del, char **v, size_t n)
{
	size_t i = 0, j;
	int errs = 0;

	do {
		struct nl_msg *msg;
		struct nlattr *nest;
		struct lsdp_prefix p;

		msg = lsdp_nl_msg_size(kernel_nl(k), i ? LSDP_CMD_AS_SET : first_cmd,
				       0, 512 + AS_CHUNK * LSDP_AS_MEMBER_SIZE);
		if (!msg || nla_put_string(msg, LSDP_A_AS_NAME, name) < 0 ||
		    !(nest = nla_nest_start(msg, del ? LSDP_A_AS_DEL_ADDRS
						     : LSDP_A_AS_ADDRS))) {
			nlmsg_free(msg);
			return errs + 1;
		}
		for (j = 0; j < AS_CHUNK && i < n; j++, i++) {
			lsdp_prefix_parse(v[i], &p, 0);	/* checked before */
			if (lsdp_put_as_member(msg, &p) < 0) {
				nlmsg_free(msg);
				return errs + 1;
			}
		}
		nla_nest_end(msg, nest);
		errs += kernel_send(k, msg, del ? "address set del members" :
				    first_cmd == LSDP_CMD_AS_NEW && i <= AS_CHUNK ?
				    "address set add" : "address set add members",
				    name);
	} while (i < n && !errs);
	return errs;
}

/* @s's members in the kernel's canonical text, sorted, bad ones logged. */
static char **as_canon(const struct want_set *s, size_t *n)
{
	char buf[LSDP_PREFIX_STRLEN], **v;
	struct lsdp_prefix p;
	size_t i, m = 0;

	v = calloc(s->n_members ? s->n_members : 1, sizeof(char *));
	if (!v)
		abort();
	for (i = 0; i < s->n_members; i++) {
		if (lsdp_prefix_parse(s->members[i], &p, 0) != LSDP_PREFIX_OK) {
			agent_log(AGENT_WARN, "address set %s: \"%s\" is not an "
				  "address or CIDR, skipped", s->name,
				  s->members[i]);
			continue;
		}
		v[m++] = strdup(lsdp_prefix_str(&p, buf, sizeof(buf)));
	}
	qsort(v, m, sizeof(char *), str_cmp);
	/* Duplicates ("10.0.0.1" and "10.0.0.1/32") once. */
	for (i = 1; m && i < m;) {
		if (!strcmp(v[i], v[i - 1])) {
			free(v[i]);
			memmove(&v[i], &v[i + 1], (m - i - 1) * sizeof(char *));
			m--;
		} else {
			i++;
		}
	}
	*n = m;
	return v;
}

/* Makes kernel set @s hold @s's members: created, or changed in place. */
static int as_sync(struct kernel *k, const struct want_set *s)
{
	char **want, **add, **del;
	size_t n_want, n_add = 0, n_del = 0, i = 0, j = 0;
	struct kas *x = kas_find(s->name);
	int errs = 0;

	want = as_canon(s, &n_want);
	if (!x) {
		errs = as_send(k, s->name, LSDP_CMD_AS_NEW, false, want, n_want);
		if (!errs) {
			kases = realloc(kases, (n_kases + 1) * sizeof(*kases));
			if (!kases)
				abort();
			x = &kases[n_kases++];
			memset(x, 0, sizeof(*x));
			snprintf(x->name, sizeof(x->name), "%s", s->name);
			x->members = want;
			x->n = n_want;
			x->seen = true;
			return 0;
		}
		strs_free(want, n_want);
		return errs;
	}
	/* Both sorted: one merge gives what to add and what to remove. */
	add = calloc(n_want + 1, sizeof(char *));
	del = calloc(x->n + 1, sizeof(char *));
	if (!add || !del)
		abort();
	while (i < n_want || j < x->n) {
		int c = i == n_want ? 1 : j == x->n ? -1 :
			strcmp(want[i], x->members[j]);

		if (c < 0)
			add[n_add++] = want[i++];
		else if (c > 0)
			del[n_del++] = x->members[j++];
		else
			i++, j++;
	}
	if (n_del)
		errs += as_send(k, s->name, LSDP_CMD_AS_SET, true, del, n_del);
	if (n_add && !errs)
		errs += as_send(k, s->name, LSDP_CMD_AS_SET, false, add, n_add);
	free(add);
	free(del);
	if (errs) {
		/* Read it again next time: some chunks may have gone in. */
		kas_drop((size_t)(x - kases));
		strs_free(want, n_want);
		return errs;
	}
	strs_free(x->members, x->n);
	x->members = want;
	x->n = n_want;
	return 0;
}

/* ---- port groups ---- */

static int pg_send(struct kernel *k, uint8_t cmd, const struct want_set *s)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	size_t i;

	msg = lsdp_nl_msg_size(kernel_nl(k), cmd, 0, 512 + s->n_members *
			       NLA_ALIGN(NLA_HDRLEN + LSDP_NAME_SIZE));
	if (!msg || nla_put_string(msg, LSDP_A_PG_NAME, s->name) < 0 ||
	    !(nest = nla_nest_start(msg, LSDP_A_PG_PORTS))) {
		nlmsg_free(msg);
		return 1;
	}
	for (i = 0; i < s->n_members; i++) {
		/* A port not (yet) in the kernel joins when it is. */
		if (!kernel_port_exists(k, s->members[i]))
			continue;
		if (nla_put_string(msg, LSDP_A_PORT_NAME, s->members[i]) < 0) {
			nlmsg_free(msg);
			return 1;
		}
	}
	nla_nest_end(msg, nest);
	return kernel_send(k, msg, cmd == LSDP_CMD_PG_NEW ? "port group add" :
			   "port group set", s->name);
}

/* Whether kernel group @kp has exactly the members of @s the kernel has. */
static bool pg_same(const struct kernel *k, const struct lsdp_pg_info *kp,
		    const struct want_set *s)
{
	size_t i, n = 0;
	unsigned int j;

	for (i = 0; i < s->n_members; i++) {
		if (!kernel_port_exists(k, s->members[i]))
			continue;
		for (j = 0; j < kp->n_ports; j++)
			if (!strcmp(kp->ports[j], s->members[i]))
				break;
		if (j == kp->n_ports)
			return false;
		n++;
	}
	return n == kp->n_ports;
}

/* ---- ACLs ---- */

/* A wanted ACL in the kernel's terms. */
struct wacl {
	const struct want_acl *w;
	struct lsdp_match m;
	uint8_t dir, action;
	char canon[1024];	/* the match as a dump shows it */
	bool ok, done;
};

/* The kernel's canonical text of @m: through netlink and back. */
static bool match_canon(const struct lsdp_match *m, char *buf, size_t len)
{
	struct nl_msg *msg = nlmsg_alloc_size(65536);
	struct lsdp_match back;
	bool ok = false;

	memset(&back, 0, sizeof(back));
	if (!msg)
		return false;
	if (!lsdp_put_match(msg, m) &&
	    !lsdp_match_from_nl(nlmsg_attrdata(nlmsg_hdr(msg), 0), &back)) {
		lsdp_match_format(&back, buf, len);
		ok = true;
	}
	lsdp_match_free(&back);
	nlmsg_free(msg);
	return ok;
}

/*
 * The top-level "&&" terms of @s that the parser takes alone, joined with
 * "&&" into @out (a superset of @s's packets; "" when none is left).
 */
static void widen(const char *s, char *out, size_t len)
{
	size_t n = strlen(s), a, b, start, end, o = 0;
	int depth;

	out[0] = '\0';
	/* Strip parentheses around the whole match. */
	for (a = 0, b = n; ;) {
		while (a < b && (s[a] == ' ' || s[a] == '\t'))
			a++;
		while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
			b--;
		if (b - a < 2 || s[a] != '(' || s[b - 1] != ')')
			break;
		for (depth = 0, start = a; start < b; start++) {
			depth += s[start] == '(' ? 1 : s[start] == ')' ? -1 : 0;
			if (!depth && start < b - 1)
				break;
		}
		if (start < b - 1)
			break;	/* "(a) && (b)": not one pair */
		a++, b--;
	}
	for (depth = 0, start = a; a <= b; a++) {
		struct lsdp_match m;
		char err[128], *term;

		if (a < b) {
			depth += s[a] == '(' ? 1 : s[a] == ')' ? -1 : 0;
			if (depth || s[a] != '&' || a + 1 >= b || s[a + 1] != '&')
				continue;
		}
		end = a;
		while (start < end && (s[start] == ' ' || s[start] == '\t'))
			start++;
		while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
			end--;
		term = strndup(s + start, end - start);
		if (!term)
			abort();
		if (!lsdp_match_parse(term, &m, err, sizeof(err)) &&
		    o + strlen(term) + 5 < len)
			o += snprintf(out + o, len - o, "%s(%s)", o ? " && " : "",
				      term);
		lsdp_match_free(&m);
		free(term);
		start = a + 2;
		a++;
	}
}

static bool acl_drops(uint8_t action)
{
	return action == LSDP_ACL_ACTION_DROP || action == LSDP_ACL_ACTION_REJECT;
}

/* @w compiled; false (and reported) when left out. */
static bool wacl_build(struct wacl *x, const struct want_acl *w)
{
	char err[256], wide[4096], why[512];
	int action = lsdp_acl_action_parse(w->action);

	memset(x, 0, sizeof(*x));
	x->w = w;
	if (action < 0) {
		snprintf(why, sizeof(why), "action \"%s\" unknown to lsdp: "
			 "left out", w->action);
		agent_acl_unsupported(w->id, why);
		return false;
	}
	x->action = (uint8_t)action;
	x->dir = w->to_lport ? LSDP_ACL_DIR_TO_LPORT : LSDP_ACL_DIR_FROM_LPORT;
	if (lsdp_match_parse(w->match, &x->m, err, sizeof(err))) {
		lsdp_match_free(&x->m);
		if (!acl_drops(x->action)) {
			snprintf(why, sizeof(why), "match not supported (%s): "
				 "%s left out (fails closed)", err, w->action);
			agent_acl_unsupported(w->id, why);
			return false;
		}
		widen(w->match, wide, sizeof(wide));
		snprintf(why, sizeof(why), "match not supported (%s): %s "
			 "installed as \"%s\" (fails closed)", err, w->action,
			 wide[0] ? wide : "every packet");
		agent_acl_unsupported(w->id, why);
		memset(&x->m, 0, sizeof(x->m));
		if (wide[0] && lsdp_match_parse(wide, &x->m, err, sizeof(err))) {
			lsdp_match_free(&x->m);
			memset(&x->m, 0, sizeof(x->m));	/* every packet */
		}
	}
	if (!match_canon(&x->m, x->canon, sizeof(x->canon))) {
		lsdp_match_free(&x->m);
		agent_acl_unsupported(w->id, "match too large for the kernel: "
				      "left out");
		return false;
	}
	x->ok = true;
	return true;
}

static bool acl_same(const struct lsdp_acl_info *k, const struct wacl *x)
{
	const struct want_acl *w = x->w;

	return !strcmp(w->on_pg ? k->pg : k->dp, w->owner) &&
	       !(w->on_pg ? k->dp[0] : k->pg[0]) && k->dir == x->dir &&
	       k->prio == w->prio && k->action == x->action &&
	       !strcmp(k->name, w->name) && !strcmp(k->match, x->canon);
}

static int acl_add(struct kernel *k, const struct wacl *x)
{
	const struct want_acl *w = x->w;
	struct nl_msg *msg;

	msg = lsdp_nl_msg_size(kernel_nl(k), LSDP_CMD_ACL_NEW, 0,
			       4096 + 48 * strlen(x->canon));
	if (!msg || nla_put_string(msg, w->on_pg ? LSDP_A_PG_NAME
						  : LSDP_A_DP_NAME, w->owner) < 0 ||
	    nla_put_u8(msg, LSDP_A_ACL_DIR, x->dir) < 0 ||
	    nla_put_u16(msg, LSDP_A_ACL_PRIORITY, w->prio) < 0 ||
	    nla_put_u8(msg, LSDP_A_ACL_ACTION, x->action) < 0 ||
	    (w->name[0] && nla_put_string(msg, LSDP_A_ACL_NAME, w->name) < 0) ||
	    lsdp_put_match(msg, &x->m) < 0) {
		nlmsg_free(msg);
		return 1;
	}
	return kernel_send(k, msg, "acl add", w->id);
}

static int acl_del(struct kernel *k, const struct lsdp_acl_info *a)
{
	struct nl_msg *msg = lsdp_nl_msg(kernel_nl(k), LSDP_CMD_ACL_DEL, 0);
	char id[16];

	snprintf(id, sizeof(id), "%u", a->id);
	if (!msg || nla_put_string(msg, a->pg[0] ? LSDP_A_PG_NAME :
				   LSDP_A_DP_NAME, a->pg[0] ? a->pg : a->dp) < 0 ||
	    nla_put_u32(msg, LSDP_A_ACL_ID, a->id) < 0) {
		nlmsg_free(msg);
		return 1;
	}
	return kernel_send(k, msg, "acl del", id);
}

static const struct want_set *set_find(const struct want_set *v, size_t n,
				       const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

int kernel_acl_sync(struct kernel *k, const struct want_acls *w,
		    size_t *n_acls)
{
	struct kacl_list kacls = { 0 };
	struct kpg_list kpgs = { 0 };
	struct wacl *wa;
	size_t i, j;
	int errs = 0, r;

	*n_acls = 0;
	r = read_ases(k);
	if (!r)
		r = request(k, LSDP_CMD_PG_GET, NLM_F_DUMP, 0, NULL, pg_cb, &kpgs);
	if (r) {
		agent_log(AGENT_ERR, "reading the kernel's port groups and "
			  "address sets: %s", lsdp_nl_strerror(kernel_nl(k)));
		errs = 1;
		goto out;
	}

	/* Address sets and port groups: created or changed in place. */
	for (i = 0; i < w->n_ases; i++)
		errs += as_sync(k, &w->ases[i]);
	for (i = 0; i < w->n_pgs; i++) {
		const struct want_set *s = &w->pgs[i];

		for (j = 0; j < kpgs.n; j++)
			if (!strcmp(kpgs.v[j].name, s->name))
				break;
		if (j == kpgs.n)
			errs += pg_send(k, LSDP_CMD_PG_NEW, s);
		else if (!pg_same(k, &kpgs.v[j], s))
			errs += pg_send(k, LSDP_CMD_PG_SET, s);
	}

	/* ACLs: the kernel's against the wanted, as multisets. */
	r = request(k, LSDP_CMD_ACL_GET, NLM_F_DUMP, 0, NULL, acl_cb, &kacls);
	if (r) {
		agent_log(AGENT_ERR, "reading the kernel's ACLs: %s",
			  lsdp_nl_strerror(kernel_nl(k)));
		errs++;
		goto out;
	}
	wa = calloc(w->n_acls + 1, sizeof(*wa));
	if (!wa)
		abort();
	for (i = 0; i < w->n_acls; i++)
		wacl_build(&wa[i], &w->acls[i]);
	for (i = 0; i < kacls.n; i++) {
		for (j = 0; j < w->n_acls; j++)
			if (wa[j].ok && !wa[j].done && acl_same(&kacls.v[i], &wa[j]))
				break;
		if (j < w->n_acls) {
			wa[j].done = true;
			(*n_acls)++;
			continue;
		}
		errs += acl_del(k, &kacls.v[i]);
	}
	for (j = 0; j < w->n_acls; j++) {
		if (wa[j].ok && !wa[j].done) {
			r = acl_add(k, &wa[j]);
			errs += r;
			if (!r)
				(*n_acls)++;
		}
		lsdp_match_free(&wa[j].m);
	}
	free(wa);

	/* What NB no longer has. */
	for (i = 0; i < kpgs.n; i++)
		if (!set_find(w->pgs, w->n_pgs, kpgs.v[i].name)) {
			struct nl_msg *msg = lsdp_nl_msg(kernel_nl(k),
							 LSDP_CMD_PG_DEL, 0);

			if (msg && nla_put_string(msg, LSDP_A_PG_NAME,
						  kpgs.v[i].name) < 0) {
				nlmsg_free(msg);
				msg = NULL;
			}
			errs += kernel_send(k, msg, "port group del",
					    kpgs.v[i].name);
		}
	for (i = 0; i < n_kases;) {
		struct nl_msg *msg;

		if (set_find(w->ases, w->n_ases, kases[i].name)) {
			i++;
			continue;
		}
		msg = lsdp_nl_msg(kernel_nl(k), LSDP_CMD_AS_DEL, 0);
		if (msg && nla_put_string(msg, LSDP_A_AS_NAME, kases[i].name) < 0) {
			nlmsg_free(msg);
			msg = NULL;
		}
		r = kernel_send(k, msg, "address set del", kases[i].name);
		errs += r;
		if (r)
			i++;
		else
			kas_drop(i);
	}
out:
	for (i = 0; i < kpgs.n; i++)
		free(kpgs.v[i].ports);
	free(kpgs.v);
	free(kacls.v);
	return errs;
}

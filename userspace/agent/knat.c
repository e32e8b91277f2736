// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * lsdp-agent: OVN's NAT rules (NB Logical_Router.nat, read by main.c)
 * made the kernel's NAT rules of the routers the agent creates, changing
 * only what differs.
 *
 * A kernel rule has no name NB shares, so a rule is known by what it is:
 * router, type, external address, logical address or network, and for a
 * distributed dnat_and_snat its logical port and external MAC, and the
 * external port range.  The kernel's rules (one dump) are compared with
 * the wanted ones: a rule both have is not touched (its hit counter and
 * its connections stay, so an agent restart changes nothing), a rule only
 * the kernel has is deleted, a rule only NB has is added.  A rule that
 * changed (a new MAC, a new port range) is deleted and added again: the
 * kernel changes no rule in place.
 *
 * What the kernel cannot hold is left out, logged once and listed by
 * status (agent_nat_unsupported): IPv6 NAT (the kernel refuses it),
 * allowed_ext_ips/exempted_ext_ips (a rule limited to some destinations
 * installed without the limit would translate what OVN leaves alone), a
 * malformed row.  options:stateless is installed stateful: the same
 * translation, through conntrack.  A distributed rule waits until its
 * logical port is in the kernel (the kernel resolves the port by name
 * when the rule is added); where the port is bound the kernel decides
 * packet by packet, so the agent installs the same rule on every chassis.
 *
 * Rules are synchronised after the topology (kernel_sync): their routers
 * and logical ports exist by then.  The agent owns the NAT rules of its
 * namespace once it reads NB: what NB does not describe is deleted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "lsdp_nl.h"
#include "agent.h"

/* What kernel.c shares with this file. */
struct lsdp_nl *kernel_nl(struct kernel *k);
int kernel_send(struct kernel *k, struct nl_msg *msg, const char *what,
		const char *name);

struct knat_list {
	struct lsdp_nat_info *v;
	size_t n, cap;
};

/* A wanted rule in the kernel's terms. */
struct wnat {
	const struct want_nat *w;
	struct lsdp_nat_info n;
	bool ok, done;
};

static int nat_cb(struct nl_msg *msg, void *arg)
{
	struct knat_list *l = arg;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	if (!lsdp_nat_parse(msg, &l->v[l->n]))
		l->n++;
	return 0;
}

static int nat_type(const char *s)
{
	if (!strcmp(s, "snat"))
		return LSDP_NAT_TYPE_SNAT;
	if (!strcmp(s, "dnat"))
		return LSDP_NAT_TYPE_DNAT;
	if (!strcmp(s, "dnat_and_snat"))
		return LSDP_NAT_TYPE_DNAT_AND_SNAT;
	return -1;
}

/* OVN's external_port_range: "PORT" or "MIN-MAX", 1..65535. */
static bool parse_range(const char *s, uint16_t *min, uint16_t *max)
{
	unsigned long a, b;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	a = strtoul(s, &end, 10);
	b = a;
	if (*end == '-') {
		if (end[1] < '0' || end[1] > '9')
			return false;
		b = strtoul(end + 1, &end, 10);
	}
	if (*end || !a || a > 65535 || b < a || b > 65535)
		return false;
	*min = (uint16_t)a;
	*max = (uint16_t)b;
	return true;
}

/*
 * @w in the kernel's terms into @x; false (and reported) when it is left
 * out.  @k tells whether a distributed rule's port exists yet.
 */
static bool wnat_build(struct kernel *k, struct wnat *x,
		       const struct want_nat *w)
{
	struct lsdp_nat_info *n = &x->n;
	char why[256];
	int type = nat_type(w->type);

	memset(x, 0, sizeof(*x));
	x->w = w;
	snprintf(n->dp, sizeof(n->dp), "%s", w->router);
	if (type < 0) {
		snprintf(why, sizeof(why), "type \"%s\" unknown to lsdp: left out",
			 w->type);
		agent_nat_unsupported(w->id, why);
		return false;
	}
	n->type = (uint8_t)type;
	if (!lsdp_addr_parse(w->external, &n->external)) {
		snprintf(why, sizeof(why), "external_ip \"%s\" is not an "
			 "address: left out", w->external);
		agent_nat_unsupported(w->id, why);
		return false;
	}
	if (lsdp_prefix_parse(w->logical, &n->logical, 0) != LSDP_PREFIX_OK) {
		snprintf(why, sizeof(why), "logical_ip \"%s\" is not an address "
			 "or network: left out", w->logical);
		agent_nat_unsupported(w->id, why);
		return false;
	}
	if (n->external.family != AF_INET || n->logical.addr.family != AF_INET) {
		agent_nat_unsupported(w->id, "IPv6 NAT is not supported by the "
				      "lsdp kernel: left out");
		return false;
	}
	/* ovn-nbctl keeps "192.168.0.5/28" as typed; the network is meant. */
	if (n->logical.plen < 32)
		n->logical.addr.v4.s_addr &=
			htonl(n->logical.plen ? ~0u << (32 - n->logical.plen) : 0);
	if (n->logical.plen != 32 && n->type != LSDP_NAT_TYPE_SNAT) {
		agent_nat_unsupported(w->id, "dnat and dnat_and_snat take one "
				      "logical address, not a network: left out");
		return false;
	}
	/* Distributed only with both, as northd has it; else centralized. */
	if (n->type == LSDP_NAT_TYPE_DNAT_AND_SNAT && w->port[0] && w->mac[0]) {
		if (!lsdp_mac_parse(w->mac, n->mac) || (n->mac[0] & 1)) {
			snprintf(why, sizeof(why), "external_mac \"%s\" is not a "
				 "unicast MAC: left out", w->mac);
			agent_nat_unsupported(w->id, why);
			return false;
		}
		if (!kernel_port_exists(k, w->port)) {
			snprintf(why, sizeof(why), "logical_port %s is not in "
				 "the kernel (yet): left out until it is",
				 w->port);
			agent_nat_unsupported(w->id, why);
			return false;
		}
		n->has_mac = true;
		snprintf(n->port, sizeof(n->port), "%s", w->port);
	}
	/* The kernel takes a port range where OVN applies one. */
	if (w->range[0] && n->type != LSDP_NAT_TYPE_DNAT) {
		if (!parse_range(w->range, &n->port_min, &n->port_max)) {
			snprintf(why, sizeof(why), "external_port_range \"%s\" is "
				 "not PORT or MIN-MAX: left out", w->range);
			agent_nat_unsupported(w->id, why);
			return false;
		}
		n->has_range = true;
	}
	x->ok = true;
	return true;
}

static bool addr_same(const struct lsdp_addr *a, const struct lsdp_addr *b)
{
	if (a->family != b->family)
		return false;
	return a->family == AF_INET ? a->v4.s_addr == b->v4.s_addr :
	       !memcmp(&a->v6, &b->v6, sizeof(a->v6));
}

/* The same rule: nothing in it differs. */
static bool nat_same(const struct lsdp_nat_info *k, const struct lsdp_nat_info *w)
{
	return !strcmp(k->dp, w->dp) && k->type == w->type &&
	       addr_same(&k->external, &w->external) &&
	       addr_same(&k->logical.addr, &w->logical.addr) &&
	       k->logical.plen == w->logical.plen &&
	       k->has_mac == w->has_mac &&
	       (!k->has_mac || (!memcmp(k->mac, w->mac, sizeof(k->mac)) &&
				!strcmp(k->port, w->port))) &&
	       k->has_range == w->has_range &&
	       (!k->has_range || (k->port_min == w->port_min &&
				  k->port_max == w->port_max));
}

static const char *nat_name(const struct lsdp_nat_info *n, char *buf,
			    size_t len)
{
	static const char *const types[] = {
		[LSDP_NAT_TYPE_SNAT] = "snat",
		[LSDP_NAT_TYPE_DNAT] = "dnat",
		[LSDP_NAT_TYPE_DNAT_AND_SNAT] = "dnat_and_snat",
	};
	char e[INET6_ADDRSTRLEN], l[LSDP_PREFIX_STRLEN];

	inet_ntop(n->external.family, &n->external.v6, e, sizeof(e));
	snprintf(buf, len, "%s %s %s %s", n->dp,
		 n->type < 4 && types[n->type] ? types[n->type] : "?", e,
		 lsdp_prefix_str(&n->logical, l, sizeof(l)));
	return buf;
}

static int nat_send(struct kernel *k, uint8_t cmd, const struct lsdp_nat_info *n)
{
	struct nl_msg *msg = lsdp_nl_msg(kernel_nl(k), cmd, 0);
	bool add = cmd == LSDP_CMD_NAT_NEW;
	char buf[256];

	if (msg && lsdp_put_nat(msg, n->dp, n->type, &n->external, &n->logical,
				add && n->has_mac ? n->port : NULL,
				add && n->has_mac ? n->mac : NULL,
				add && n->has_range ? n->port_min : 0,
				add && n->has_range ? n->port_max : 0) < 0) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return kernel_send(k, msg, add ? "nat add" : "nat del",
			   nat_name(n, buf, sizeof(buf)));
}

int kernel_nat_sync(struct kernel *k, const struct want_nats *w,
		    size_t *n_nats)
{
	struct knat_list kn = { 0 };
	struct nl_msg *msg;
	struct wnat *wn;
	size_t i, j;
	int errs = 0, r;

	*n_nats = 0;
	msg = lsdp_nl_msg(kernel_nl(k), LSDP_CMD_NAT_GET, NLM_F_DUMP);
	if (!msg)
		return 1;
	r = lsdp_nl_request(kernel_nl(k), msg, nat_cb, &kn);
	if (r) {
		agent_log(AGENT_ERR, "reading the kernel's NAT rules: %s",
			  lsdp_nl_strerror(kernel_nl(k)));
		free(kn.v);
		return 1;
	}
	wn = calloc(w->n + 1, sizeof(*wn));
	if (!wn)
		abort();
	for (i = 0; i < w->n; i++) {
		if (!wnat_build(k, &wn[i], &w->v[i]))
			continue;
		/* Two rows for one rule (northd refuses the second too). */
		for (j = 0; j < i; j++)
			if (wn[j].ok && nat_same(&wn[j].n, &wn[i].n))
				break;
		if (j < i) {
			agent_nat_unsupported(w->v[i].id, "the same rule as "
					      "another row: left out");
			wn[i].ok = false;
		}
	}
	/* Deletions first: a changed rule's old self must go before it. */
	for (i = 0; i < kn.n; i++) {
		for (j = 0; j < w->n; j++)
			if (wn[j].ok && !wn[j].done && nat_same(&kn.v[i], &wn[j].n))
				break;
		if (j < w->n) {
			wn[j].done = true;
			(*n_nats)++;
			continue;
		}
		errs += nat_send(k, LSDP_CMD_NAT_DEL, &kn.v[i]);
	}
	for (j = 0; j < w->n; j++) {
		if (!wn[j].ok || wn[j].done)
			continue;
		r = nat_send(k, LSDP_CMD_NAT_NEW, &wn[j].n);
		errs += r;
		if (!r)
			(*n_nats)++;
	}
	free(wn);
	free(kn.v);
	return errs;
}

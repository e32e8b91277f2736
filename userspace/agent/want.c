// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/* lsdp-agent: building and freeing the wanted state (struct want). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	size_t c;

	if (n < *cap)
		return v;
	c = *cap ? *cap * 2 : 16;
	v = realloc(v, c * size);
	if (!v)
		abort();
	*cap = c;
	return v;
}

struct want_port *want_add_port(struct want *w)
{
	struct want_port *p;

	w->ports = grow(w->ports, &w->cap_ports, w->n_ports, sizeof(*p));
	p = &w->ports[w->n_ports++];
	memset(p, 0, sizeof(*p));
	return p;
}

struct want_dp *want_add_dp(struct want *w)
{
	struct want_dp *d;

	w->dps = grow(w->dps, &w->cap_dps, w->n_dps, sizeof(*d));
	d = &w->dps[w->n_dps++];
	memset(d, 0, sizeof(*d));
	return d;
}

struct want_chassis *want_add_chassis(struct want *w)
{
	struct want_chassis *c;

	w->chassis = grow(w->chassis, &w->cap_chassis, w->n_chassis, sizeof(*c));
	c = &w->chassis[w->n_chassis++];
	memset(c, 0, sizeof(*c));
	return c;
}

struct want_neigh *want_add_neigh(struct want *w)
{
	struct want_neigh *n;

	w->neighs = grow(w->neighs, &w->cap_neighs, w->n_neighs, sizeof(*n));
	n = &w->neighs[w->n_neighs++];
	memset(n, 0, sizeof(*n));
	return n;
}

struct want_route *want_add_route(struct want *w)
{
	struct want_route *r;

	w->routes = grow(w->routes, &w->cap_routes, w->n_routes, sizeof(*r));
	r = &w->routes[w->n_routes++];
	memset(r, 0, sizeof(*r));
	return r;
}

static void add_str(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));
	char *d = strdup(s);

	if (!nv || !d)
		abort();
	nv[(*n)++] = d;
	*v = nv;
}

void want_port_add_addr(struct want_port *p, const char *a)
{
	add_str(&p->addrs, &p->n_addrs, a);
}

void want_port_add_net(struct want_port *p, const char *n)
{
	add_str(&p->nets, &p->n_nets, n);
}

void want_clear(struct want *w)
{
	size_t i, j;

	for (i = 0; i < w->n_ports; i++) {
		struct want_port *p = &w->ports[i];

		for (j = 0; j < p->n_addrs; j++)
			free(p->addrs[j]);
		for (j = 0; j < p->n_nets; j++)
			free(p->nets[j]);
		free(p->addrs);
		free(p->nets);
	}
	free(w->ports);
	free(w->dps);
	free(w->chassis);
	free(w->neighs);
	free(w->routes);
	memset(w, 0, sizeof(*w));
}

struct want_acl *want_add_acl(struct want_acls *w)
{
	struct want_acl *a;

	w->acls = grow(w->acls, &w->cap_acls, w->n_acls, sizeof(*w->acls));
	a = &w->acls[w->n_acls++];
	memset(a, 0, sizeof(*a));
	return a;
}

struct want_set *want_add_set(struct want_set **v, size_t *n, size_t *cap)
{
	struct want_set *s;

	*v = grow(*v, cap, *n, sizeof(**v));
	s = &(*v)[(*n)++];
	memset(s, 0, sizeof(*s));
	return s;
}

void want_set_add(struct want_set *s, const char *member)
{
	add_str(&s->members, &s->n_members, member);
}

static void sets_free(struct want_set *v, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < v[i].n_members; j++)
			free(v[i].members[j]);
		free(v[i].members);
	}
	free(v);
}

void want_acls_clear(struct want_acls *w)
{
	size_t i;

	for (i = 0; i < w->n_acls; i++)
		free(w->acls[i].match);
	free(w->acls);
	sets_free(w->pgs, w->n_pgs);
	sets_free(w->ases, w->n_ases);
	memset(w, 0, sizeof(*w));
}

struct want_nat *want_add_nat(struct want_nats *w)
{
	struct want_nat *x;

	w->v = grow(w->v, &w->cap, w->n, sizeof(*x));
	x = &w->v[w->n++];
	memset(x, 0, sizeof(*x));
	return x;
}

void want_nats_clear(struct want_nats *w)
{
	free(w->v);
	memset(w, 0, sizeof(*w));
}

bool agent_name_copy(char *dst, const char *src)
{
	size_t n = strlen(src), i;

	if (!n || n >= AGENT_NAME_SIZE)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)src[i] <= ' ' || (unsigned char)src[i] >= 0x7f)
			return false;
	memcpy(dst, src, n + 1);
	return true;
}

// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * lsdp-agent: keep the kernel's lsdp tables equal to what the southbound
 * database says, changing only what differs.
 *
 * The agent keeps a copy of what the kernel holds (its "model"), read with
 * dumps when it starts, so the model is the kernel's own word, never a
 * guess.  After a pass that changed something, only what the pass touched
 * is read back (model_refresh): the ports it created or changed, one GET
 * each, and the small tables (datapaths, chassis, encap, static neighbours
 * and routes).  A pass that deleted something reads everything again,
 * because a deletion cascades in the kernel (a datapath's ports, a
 * parent's children, a chassis's bindings).  So a change of one port in
 * SB costs one request and one read, not a dump of every port.  A pass compares
 * the wanted state with the model and sends only the differences: a port
 * whose address list changed gets one PORT_SET with the new list, a port
 * that is unchanged gets nothing.  What cannot change in place (a port's
 * datapath, key, type, peer, parent or tag; a chassis's address; a
 * datapath's key) is deleted and created again.
 *
 * The agent owns the lsdp instance of its network namespace: what the
 * southbound database does not describe is deleted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "lsdp_nl.h"
#include "agent.h"

struct kmodel {
	struct lsdp_dp_info *dps;
	size_t n_dps, cap_dps;
	struct lsdp_port_info *ports;
	size_t n_ports, cap_ports;
	struct lsdp_chassis_info *chassis;
	size_t n_chassis, cap_chassis;
	struct lsdp_encap_info encap;
	struct lsdp_neigh_info *neighs;	/* static ones only */
	size_t n_neighs, cap_neighs;
	struct lsdp_route_info *routes;	/* static ones only */
	size_t n_routes, cap_routes;
};

struct kernel {
	struct lsdp_nl *nl;
	struct kmodel m;
	size_t bound;
	unsigned long long requests;	/* changes sent */
	/* Ports the current pass created or set, for model_refresh(). */
	char (*touched)[LSDP_NAME_SIZE];	/* ports created or set */
	size_t n_touched, cap_touched;
};

/* A wanted port in the kernel's terms. */
struct wport {
	const struct want_port *w;
	struct lsdp_port_info p;	/* addrs and nets: ours, freed with it */
	bool ok;			/* parsed; false: skipped */
};

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *nv;

	if (n < *cap)
		return v;
	c = *cap ? *cap * 2 : 16;
	nv = realloc(v, c * size);
	if (!nv) {
		agent_log(AGENT_ERR, "out of memory");
		abort();
	}
	*cap = c;
	return nv;
}

/* All but the ports. */
static void model_clear_small(struct kmodel *m)
{
	m->n_dps = 0;
	m->n_chassis = 0;
	m->n_neighs = 0;
	m->n_routes = 0;
	lsdp_encap_info_clear(&m->encap);
	memset(&m->encap, 0, sizeof(m->encap));
}

static void model_clear(struct kmodel *m)
{
	size_t i;

	for (i = 0; i < m->n_ports; i++)
		lsdp_port_info_clear(&m->ports[i]);
	m->n_ports = 0;
	model_clear_small(m);
}

static int dp_cb(struct nl_msg *msg, void *arg)
{
	struct kmodel *m = arg;

	m->dps = grow(m->dps, &m->cap_dps, m->n_dps, sizeof(*m->dps));
	if (lsdp_dp_parse(msg, &m->dps[m->n_dps]))
		return 0;
	m->n_dps++;
	return 0;
}

static int port_cb(struct nl_msg *msg, void *arg)
{
	struct kmodel *m = arg;

	m->ports = grow(m->ports, &m->cap_ports, m->n_ports, sizeof(*m->ports));
	if (lsdp_port_parse(msg, &m->ports[m->n_ports]))
		return 0;
	m->n_ports++;
	return 0;
}

static int chassis_cb(struct nl_msg *msg, void *arg)
{
	struct kmodel *m = arg;

	m->chassis = grow(m->chassis, &m->cap_chassis, m->n_chassis,
			  sizeof(*m->chassis));
	if (lsdp_chassis_parse(msg, &m->chassis[m->n_chassis]))
		return 0;
	m->n_chassis++;
	return 0;
}

static int neigh_cb(struct nl_msg *msg, void *arg)
{
	struct kmodel *m = arg;

	m->neighs = grow(m->neighs, &m->cap_neighs, m->n_neighs,
			 sizeof(*m->neighs));
	if (lsdp_neigh_parse(msg, &m->neighs[m->n_neighs]))
		return 0;
	/* Learned bindings are the kernel's business. */
	if (m->neighs[m->n_neighs].state == LSDP_NEIGH_STATIC)
		m->n_neighs++;
	return 0;
}

static int route_cb(struct nl_msg *msg, void *arg)
{
	struct kmodel *m = arg;

	m->routes = grow(m->routes, &m->cap_routes, m->n_routes,
			 sizeof(*m->routes));
	if (lsdp_route_parse(msg, &m->routes[m->n_routes]))
		return 0;
	/* Connected routes come and go with the ports' networks. */
	if (!m->routes[m->n_routes].connected)
		m->n_routes++;
	return 0;
}

static int encap_cb(struct nl_msg *msg, void *arg)
{
	struct kmodel *m = arg;

	lsdp_encap_info_clear(&m->encap);
	return lsdp_encap_parse(msg, &m->encap) ? 0 : 0;
}

static int dump(struct kernel *k, uint8_t cmd, int flags, lsdp_nl_cb_t cb)
{
	struct nl_msg *msg;
	int r, tries;

	for (tries = 0; tries < 5; tries++) {
		msg = lsdp_nl_msg(k->nl, cmd, flags);
		if (!msg)
			return -ENOMEM;
		r = lsdp_nl_request(k->nl, msg, cb, &k->m);
		if (r != -EINTR)
			break;
		/* Interrupted by a concurrent change: read it all again. */
		if (cmd == LSDP_CMD_DP_GET)
			k->m.n_dps = 0;
		else if (cmd == LSDP_CMD_CHASSIS_GET)
			k->m.n_chassis = 0;
		else if (cmd == LSDP_CMD_NEIGH_GET)
			k->m.n_neighs = 0;
		else if (cmd == LSDP_CMD_ROUTE_GET)
			k->m.n_routes = 0;
		else if (cmd == LSDP_CMD_PORT_GET) {
			size_t i;

			for (i = 0; i < k->m.n_ports; i++)
				lsdp_port_info_clear(&k->m.ports[i]);
			k->m.n_ports = 0;
		}
	}
	return r;
}

static int port_name_cmp(const void *a, const void *b);

/* Reads all but the ports: the tables that stay small. */
static int model_read_small(struct kernel *k)
{
	int r;

	model_clear_small(&k->m);
	r = dump(k, LSDP_CMD_DP_GET, NLM_F_DUMP, dp_cb);
	if (!r)
		r = dump(k, LSDP_CMD_CHASSIS_GET, NLM_F_DUMP, chassis_cb);
	if (!r)
		r = dump(k, LSDP_CMD_ENCAP_GET, 0, encap_cb);
	if (!r)
		r = dump(k, LSDP_CMD_NEIGH_GET, NLM_F_DUMP, neigh_cb);
	if (!r)
		r = dump(k, LSDP_CMD_ROUTE_GET, NLM_F_DUMP, route_cb);
	return r;
}

/* Reads the whole lsdp state of the namespace into the model. */
static int model_read(struct kernel *k)
{
	size_t i;
	int r;

	model_clear(&k->m);
	r = model_read_small(k);
	if (!r)
		r = dump(k, LSDP_CMD_PORT_GET, NLM_F_DUMP, port_cb);
	if (r) {
		agent_log(AGENT_ERR, "reading the kernel's lsdp state: %s",
			  lsdp_nl_strerror(k->nl));
		return r;
	}
	if (k->m.n_ports)
		qsort(k->m.ports, k->m.n_ports, sizeof(*k->m.ports),
		      port_name_cmp);
	k->bound = 0;
	for (i = 0; i < k->m.n_ports; i++)
		if (k->m.ports[i].ifindex && !k->m.ports[i].parent[0])
			k->bound++;
	return 0;
}

struct port_get {
	struct lsdp_port_info *p;
	bool ok;
};

static int port_get_cb(struct nl_msg *msg, void *arg)
{
	struct port_get *g = arg;

	lsdp_port_info_clear(g->p);
	memset(g->p, 0, sizeof(*g->p));
	g->ok = !lsdp_port_parse(msg, g->p);
	return 0;
}

static struct nl_msg *msg_str(struct kernel *k, uint8_t cmd, int attr,
			      const char *v);

/*
 * Reads back what the pass that just ran created or changed (see the head
 * of this file): the small tables whole, and the touched ports one by one.
 * Deletions were read back whole by the pass itself (sync_pass).
 */
static int model_refresh(struct kernel *k)
{
	struct kmodel *m = &k->m;
	size_t i, n_sorted = m->n_ports;
	bool appended = false;
	int r;

	r = model_read_small(k);
	for (i = 0; !r && i < k->n_touched; i++) {
		struct lsdp_port_info key, *p = NULL;
		struct port_get g;
		struct nl_msg *msg;

		snprintf(key.name, sizeof(key.name), "%s", k->touched[i]);
		if (n_sorted)
			p = bsearch(&key, m->ports, n_sorted, sizeof(key),
				    port_name_cmp);
		if (!p) {
			m->ports = grow(m->ports, &m->cap_ports, m->n_ports,
					sizeof(*m->ports));
			p = &m->ports[m->n_ports];
			memset(p, 0, sizeof(*p));
		}
		msg = msg_str(k, LSDP_CMD_PORT_GET, LSDP_A_PORT_NAME,
			      k->touched[i]);
		if (!msg) {
			r = -ENOMEM;
			break;
		}
		g.p = p;
		g.ok = false;
		r = lsdp_nl_request(k->nl, msg, port_get_cb, &g);
		if (r == -ENOENT && p == &m->ports[m->n_ports]) {
			/* Refused when created: not there, nothing to keep. */
			r = 0;
		} else if (!r && !g.ok) {
			r = -EPROTO;
		} else if (!r && p == &m->ports[m->n_ports]) {
			m->n_ports++;
			appended = true;
		}
	}
	if (r) {
		agent_log(AGENT_WARN, "reading back the kernel's lsdp state: "
			  "%s; reading it all", lsdp_nl_strerror(k->nl));
		return model_read(k);
	}
	if (appended)
		qsort(m->ports, m->n_ports, sizeof(*m->ports), port_name_cmp);
	k->bound = 0;
	for (i = 0; i < m->n_ports; i++)
		if (m->ports[i].ifindex && !m->ports[i].parent[0])
			k->bound++;
	return 0;
}

struct kernel *kernel_open(char *err, size_t errlen)
{
	struct kernel *k = calloc(1, sizeof(*k));

	if (!k || !(k->nl = lsdp_nl_new())) {
		snprintf(err, errlen, "out of memory");
		free(k);
		return NULL;
	}
	if (lsdp_nl_connect(k->nl, LSDP_GENL_NAME, 0) < 0) {
		snprintf(err, errlen, "%s", lsdp_nl_strerror(k->nl));
		goto fail;
	}
	if (model_read(k)) {
		snprintf(err, errlen, "reading the lsdp state: %s",
			 lsdp_nl_strerror(k->nl));
		goto fail;
	}
	return k;
fail:
	lsdp_nl_free(k->nl);
	free(k);
	return NULL;
}

void kernel_close(struct kernel *k)
{
	if (!k)
		return;
	model_clear(&k->m);
	free(k->m.dps);
	free(k->m.ports);
	free(k->m.chassis);
	free(k->m.neighs);
	free(k->m.routes);
	free(k->touched);
	lsdp_nl_free(k->nl);
	free(k);
}

void kernel_counts(const struct kernel *k, struct kernel_counts *c)
{
	c->dps = k->m.n_dps;
	c->ports = k->m.n_ports;
	c->chassis = k->m.n_chassis;
	c->bound = k->bound;
	c->static_neighs = k->m.n_neighs;
	c->static_routes = k->m.n_routes;
	c->requests = k->requests;
}

/* Model ports are sorted by name (model_read), wanted ports too. */
static int port_name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct lsdp_port_info *)a)->name,
		      ((const struct lsdp_port_info *)b)->name);
}

static struct lsdp_port_info *model_port(const struct kmodel *m,
					 const char *name)
{
	struct lsdp_port_info key;

	if (!m->n_ports)
		return NULL;
	snprintf(key.name, sizeof(key.name), "%s", name);
	return bsearch(&key, m->ports, m->n_ports, sizeof(key), port_name_cmp);
}

bool kernel_port_exists(const struct kernel *k, const char *port)
{
	return model_port(&k->m, port) != NULL;
}

/* For kacl.c, which shares this connection. */
struct lsdp_nl *kernel_nl(struct kernel *k);
int kernel_send(struct kernel *k, struct nl_msg *msg, const char *what,
		const char *name);

struct lsdp_nl *kernel_nl(struct kernel *k)
{
	return k->nl;
}

static int send_req(struct kernel *k, struct nl_msg *msg, const char *what,
		    const char *name);

int kernel_send(struct kernel *k, struct nl_msg *msg, const char *what,
		const char *name)
{
	return send_req(k, msg, what, name);
}

bool kernel_port_bound(const struct kernel *k, const char *port,
		       uint32_t ifindex)
{
	const struct lsdp_port_info *p = model_port(&k->m, port);

	return p && ifindex && p->ifindex == ifindex;
}

/* ---- comparing ---- */

static int addr_cmp(const void *a, const void *b)
{
	const struct lsdp_addr *x = a, *y = b;

	if (x->family != y->family)
		return x->family - y->family;
	return x->family == AF_INET ? memcmp(&x->v4, &y->v4, 4)
				    : memcmp(&x->v6, &y->v6, 16);
}

static int prefix_cmp(const void *a, const void *b)
{
	const struct lsdp_prefix *x = a, *y = b;
	int r = addr_cmp(&x->addr, &y->addr);

	return r ? r : (int)x->plen - (int)y->plen;
}

/*
 * Do two unordered lists of @size-byte elements hold the same elements?
 * The kernel returns a port's addresses and networks in its own order.
 */
static bool sets_equal(const void *a, const void *b, unsigned int n,
		       size_t size, int (*cmp)(const void *, const void *))
{
	char *x, *y;
	bool eq = true;
	unsigned int i;

	if (!n)
		return true;
	x = malloc(n * size);
	y = malloc(n * size);
	if (!x || !y)
		abort();
	memcpy(x, a, n * size);
	memcpy(y, b, n * size);
	qsort(x, n, size, cmp);
	qsort(y, n, size, cmp);
	/* By @cmp, not memcmp: unused union bytes and padding differ. */
	for (i = 0; i < n && eq; i++)
		eq = !cmp(x + i * size, y + i * size);
	free(x);
	free(y);
	return eq;
}

static bool addrs_equal(const struct lsdp_addr *a, unsigned int na,
			const struct lsdp_addr *b, unsigned int nb)
{
	return na == nb && sets_equal(a, b, na, sizeof(*a), addr_cmp);
}

static bool nets_equal(const struct lsdp_prefix *a, unsigned int na,
		       const struct lsdp_prefix *b, unsigned int nb)
{
	return na == nb && sets_equal(a, b, na, sizeof(*a), prefix_cmp);
}

static uint8_t kind_type(enum want_port_kind kind)
{
	switch (kind) {
	case WANT_VIF:
		return LSDP_PORT_TYPE_VIF;
	case WANT_ROUTER:
		return LSDP_PORT_TYPE_ROUTER;
	case WANT_ROUTER_PORT:
		return LSDP_PORT_TYPE_ROUTER_PORT;
	case WANT_LOCALNET:
		return LSDP_PORT_TYPE_LOCALNET;
	}
	return 0;
}

/* Parses a wanted port into the kernel's terms; false (logged) if bad. */
static bool wport_parse(struct wport *wp, const struct want_port *w)
{
	struct lsdp_port_info *p = &wp->p;
	size_t i;

	memset(wp, 0, sizeof(*wp));
	wp->w = w;
	snprintf(p->name, sizeof(p->name), "%s", w->name);
	snprintf(p->dp, sizeof(p->dp), "%s", w->dp);
	p->key = w->key;
	p->type = kind_type(w->kind);
	if (w->mac[0]) {
		if (!lsdp_mac_parse(w->mac, p->mac)) {
			agent_log(AGENT_WARN, "port %s: bad MAC \"%s\", skipped",
				  w->name, w->mac);
			return false;
		}
		p->has_mac = true;
	}
	if (w->n_addrs) {
		p->addrs = calloc(w->n_addrs, sizeof(*p->addrs));
		if (!p->addrs)
			abort();
		for (i = 0; i < w->n_addrs; i++) {
			if (!lsdp_addr_parse(w->addrs[i], &p->addrs[p->n_addrs])) {
				agent_log(AGENT_WARN,
					  "port %s: bad address \"%s\", ignored",
					  w->name, w->addrs[i]);
				continue;
			}
			p->n_addrs++;
		}
	}
	if (w->n_nets) {
		p->nets = calloc(w->n_nets, sizeof(*p->nets));
		if (!p->nets)
			abort();
		for (i = 0; i < w->n_nets; i++) {
			if (lsdp_prefix_parse(w->nets[i], &p->nets[p->n_nets],
					      LSDP_PREFIX_F_NEED_LEN) !=
			    LSDP_PREFIX_OK) {
				agent_log(AGENT_WARN,
					  "port %s: bad network \"%s\", ignored",
					  w->name, w->nets[i]);
				continue;
			}
			p->n_nets++;
		}
	}
	p->unknown = w->unknown;
	snprintf(p->peer, sizeof(p->peer), "%s", w->peer);
	snprintf(p->parent, sizeof(p->parent), "%s", w->parent);
	p->tag = w->tag;
	p->ifindex = w->ifindex;
	snprintf(p->chassis, sizeof(p->chassis), "%s", w->chassis);
	wp->ok = true;
	return true;
}

/* What PORT_SET cannot change: the port must be deleted and added again. */
static bool port_immutable_differs(const struct lsdp_port_info *k,
				   const struct lsdp_port_info *w)
{
	return strcmp(k->dp, w->dp) || k->key != w->key ||
	       k->type != w->type || strcmp(k->parent, w->parent) ||
	       (w->parent[0] && k->tag != w->tag) ||
	       (w->type == LSDP_PORT_TYPE_ROUTER && strcmp(k->peer, w->peer));
}

/* ---- requests ---- */

/* Sends @msg; logs a refusal (with @what) and returns 1, else 0. */
static int send_req(struct kernel *k, struct nl_msg *msg, const char *what,
		    const char *name)
{
	int r;

	if (!msg)
		return 1;
	k->requests++;
	r = lsdp_nl_request(k->nl, msg, NULL, NULL);
	if (r) {
		agent_log(AGENT_WARN, "kernel refused %s %s: %s", what, name,
			  lsdp_nl_strerror(k->nl));
		return 1;
	}
	agent_log(AGENT_INFO, "kernel: %s %s", what, name);
	return 0;
}

static struct nl_msg *msg_str(struct kernel *k, uint8_t cmd, int attr,
			      const char *v)
{
	struct nl_msg *msg = lsdp_nl_msg(k->nl, cmd, 0);

	if (msg && nla_put_string(msg, attr, v) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Port @name is being created or changed: read it back after the pass. */
static void touch(struct kernel *k, const char *name)
{
	k->touched = grow(k->touched, &k->cap_touched, k->n_touched,
			  sizeof(*k->touched));
	snprintf(k->touched[k->n_touched++], LSDP_NAME_SIZE, "%s", name);
}

static int del_port(struct kernel *k, const char *name)
{
	struct nl_msg *msg = msg_str(k, LSDP_CMD_PORT_DEL, LSDP_A_PORT_NAME, name);
	int r;

	if (!msg)
		return 1;
	k->requests++;
	r = lsdp_nl_request(k->nl, msg, NULL, NULL);
	/* A parent's deletion took its children along. */
	if (r && r != -ENOENT) {
		agent_log(AGENT_WARN, "kernel refused port del %s: %s", name,
			  lsdp_nl_strerror(k->nl));
		return 1;
	}
	agent_log(AGENT_INFO, "kernel: port del %s", name);
	return 0;
}

/* Attributes PORT_NEW and PORT_SET share, those that differ from @old. */
static int put_mutable(struct nl_msg *msg, const struct lsdp_port_info *w,
		       const struct lsdp_port_info *old)
{
	bool router_port = w->type == LSDP_PORT_TYPE_ROUTER_PORT;

	if (w->has_mac && (!old || !old->has_mac || memcmp(old->mac, w->mac, 6)) &&
	    nla_put(msg, LSDP_A_PORT_MAC, 6, w->mac) < 0)
		return -1;
	if (router_port) {
		if ((old ? !nets_equal(old->nets, old->n_nets, w->nets, w->n_nets)
			 : w->n_nets > 0) &&
		    lsdp_put_port_addrs(msg, NULL, 0, w->nets, w->n_nets) < 0)
			return -1;
	} else {
		if ((old ? !addrs_equal(old->addrs, old->n_addrs, w->addrs,
					w->n_addrs)
			 : w->n_addrs > 0) &&
		    lsdp_put_port_addrs(msg, w->addrs, w->n_addrs, NULL, 0) < 0)
			return -1;
		if ((old ? old->unknown != w->unknown : w->unknown) &&
		    nla_put_u8(msg, LSDP_A_PORT_UNKNOWN, w->unknown) < 0)
			return -1;
	}
	if (w->type == LSDP_PORT_TYPE_LOCALNET &&
	    (old ? old->tag != w->tag : w->tag != 0) &&
	    nla_put_u16(msg, LSDP_A_PORT_TAG, w->tag) < 0)
		return -1;
	/* Binding: a trunk child has none of its own. */
	if (w->parent[0] || router_port || w->type == LSDP_PORT_TYPE_ROUTER)
		return 0;
	if (w->ifindex) {
		if ((!old || old->ifindex != w->ifindex) &&
		    nla_put_u32(msg, LSDP_A_PORT_IFINDEX, w->ifindex) < 0)
			return -1;
	} else if (w->chassis[0]) {
		if ((!old || strcmp(old->chassis, w->chassis)) &&
		    nla_put_string(msg, LSDP_A_PORT_CHASSIS, w->chassis) < 0)
			return -1;
	} else if (old) {
		if (old->ifindex && nla_put_u32(msg, LSDP_A_PORT_IFINDEX, 0) < 0)
			return -1;
		if (old->chassis[0] &&
		    nla_put_string(msg, LSDP_A_PORT_CHASSIS, "") < 0)
			return -1;
	}
	return 0;
}

static int new_port(struct kernel *k, const struct lsdp_port_info *w)
{
	struct nl_msg *msg = lsdp_nl_msg(k->nl, LSDP_CMD_PORT_NEW, 0);

	if (!msg)
		return 1;
	if (nla_put_string(msg, LSDP_A_DP_NAME, w->dp) < 0 ||
	    nla_put_string(msg, LSDP_A_PORT_NAME, w->name) < 0 ||
	    nla_put_u32(msg, LSDP_A_PORT_KEY, w->key) < 0 ||
	    (w->type != LSDP_PORT_TYPE_ROUTER_PORT &&
	     nla_put_u8(msg, LSDP_A_PORT_TYPE, w->type) < 0) ||
	    (w->peer[0] && w->type == LSDP_PORT_TYPE_ROUTER &&
	     nla_put_string(msg, LSDP_A_PORT_PEER, w->peer) < 0) ||
	    (w->parent[0] &&
	     (nla_put_string(msg, LSDP_A_PORT_PARENT, w->parent) < 0 ||
	      nla_put_u16(msg, LSDP_A_PORT_TAG, w->tag) < 0)) ||
	    put_mutable(msg, w, NULL) < 0) {
		nlmsg_free(msg);
		return 1;
	}
	touch(k, w->name);
	return send_req(k, msg, "port add", w->name);
}

/* PORT_SET with what differs; 0 when nothing did. */
static int set_port(struct kernel *k, const struct lsdp_port_info *old,
		    const struct lsdp_port_info *w, bool *changed)
{
	struct nl_msg *msg = msg_str(k, LSDP_CMD_PORT_SET, LSDP_A_PORT_NAME,
				     w->name);
	int before;

	if (!msg)
		return 1;
	before = nlmsg_datalen(nlmsg_hdr(msg));
	if (put_mutable(msg, w, old) < 0) {
		nlmsg_free(msg);
		return 1;
	}
	if (nlmsg_datalen(nlmsg_hdr(msg)) == before) {
		nlmsg_free(msg);
		return 0;
	}
	*changed = true;
	touch(k, w->name);
	return send_req(k, msg, "port set", w->name);
}

static const struct want_dp *want_dp_find(const struct want *w,
					  const char *name)
{
	size_t i;

	for (i = 0; i < w->n_dps; i++)
		if (!strcmp(w->dps[i].name, name))
			return &w->dps[i];
	return NULL;
}

static const struct want_chassis *want_chassis_find(const struct want *w,
						    const char *name)
{
	size_t i;

	for (i = 0; i < w->n_chassis; i++)
		if (!strcmp(w->chassis[i].name, name))
			return &w->chassis[i];
	return NULL;
}

static int wport_cmp(const void *a, const void *b)
{
	return strcmp(((const struct wport *)a)->p.name,
		      ((const struct wport *)b)->p.name);
}

/* @wp is sorted by name (kernel_sync). */
static struct wport *wport_find(struct wport *wp, size_t n, const char *name)
{
	struct wport key, *x;

	if (!n)
		return NULL;
	snprintf(key.p.name, sizeof(key.p.name), "%s", name);
	x = bsearch(&key, wp, n, sizeof(key), wport_cmp);
	return x && x->ok ? x : NULL;
}

/* Whether @a is on network @p. */
static bool prefix_contains(const struct lsdp_prefix *p,
			    const struct lsdp_addr *a)
{
	const uint8_t *x, *y;
	unsigned int bits = p->plen, i;

	if (p->addr.family != a->family)
		return false;
	x = a->family == AF_INET ? (const uint8_t *)&p->addr.v4
				 : (const uint8_t *)&p->addr.v6;
	y = a->family == AF_INET ? (const uint8_t *)&a->v4
				 : (const uint8_t *)&a->v6;
	for (i = 0; bits >= 8; i++, bits -= 8)
		if (x[i] != y[i])
			return false;
	return !bits || !((x[i] ^ y[i]) & (0xff << (8 - bits)));
}

/* A wanted static neighbour, parsed; ok false when not to be had. */
struct wneigh {
	struct lsdp_neigh_info n;
	bool ok;
};

static void wneighs_parse(const struct want *w, struct wport *wp, size_t nwp,
			  struct wneigh *wn)
{
	size_t i, j;

	for (i = 0; i < w->n_neighs; i++) {
		const struct want_neigh *x = &w->neighs[i];
		const struct wport *r = wport_find(wp, nwp, x->port);

		memset(&wn[i], 0, sizeof(wn[i]));
		snprintf(wn[i].n.port, sizeof(wn[i].n.port), "%s", x->port);
		if (!r || r->p.type != LSDP_PORT_TYPE_ROUTER_PORT ||
		    !lsdp_addr_parse(x->ip, &wn[i].n.addr) ||
		    !lsdp_mac_parse(x->mac, wn[i].n.mac))
			continue;
		for (j = 0; j < r->p.n_nets; j++)
			if (prefix_contains(&r->p.nets[j], &wn[i].n.addr))
				wn[i].ok = true;
	}
}

static bool neigh_same(const struct lsdp_neigh_info *a,
		       const struct lsdp_neigh_info *b)
{
	return !strcmp(a->port, b->port) && !addr_cmp(&a->addr, &b->addr);
}

/* Static neighbours: add the missing and changed, delete the unwanted. */
static int sync_neighs(struct kernel *k, const struct wneigh *wn, size_t n,
		       bool *changed)
{
	struct kmodel *m = &k->m;
	char buf[INET6_ADDRSTRLEN];
	int errs = 0;
	size_t i, j;

	for (i = 0; i < m->n_neighs; i++) {
		const struct lsdp_neigh_info *kn = &m->neighs[i];
		struct nl_msg *msg;

		for (j = 0; j < n; j++)
			if (wn[j].ok && neigh_same(kn, &wn[j].n))
				break;
		if (j < n)
			continue;
		*changed = true;
		msg = lsdp_nl_msg(k->nl, LSDP_CMD_NEIGH_DEL, 0);
		if (msg && lsdp_put_neigh(msg, kn->port, &kn->addr, NULL) < 0) {
			nlmsg_free(msg);
			msg = NULL;
		}
		inet_ntop(kn->addr.family, &kn->addr.v6, buf, sizeof(buf));
		errs += send_req(k, msg, "neigh del", buf);
	}
	for (j = 0; j < n; j++) {
		struct nl_msg *msg;

		if (!wn[j].ok)
			continue;
		for (i = 0; i < m->n_neighs; i++)
			if (neigh_same(&m->neighs[i], &wn[j].n))
				break;
		if (i < m->n_neighs && m->neighs[i].has_mac &&
		    !memcmp(m->neighs[i].mac, wn[j].n.mac, 6))
			continue;
		*changed = true;
		msg = lsdp_nl_msg(k->nl, LSDP_CMD_NEIGH_NEW, 0);
		if (msg && lsdp_put_neigh(msg, wn[j].n.port, &wn[j].n.addr,
					  wn[j].n.mac) < 0) {
			nlmsg_free(msg);
			msg = NULL;
		}
		inet_ntop(wn[j].n.addr.family, &wn[j].n.addr.v6, buf, sizeof(buf));
		errs += send_req(k, msg, "neigh add", buf);
	}
	return errs;
}

/* A wanted static route, parsed; ok false when bad (logged). */
struct wroute {
	struct lsdp_route_info r;
	bool ok;
};

static void wroutes_parse(const struct want *w, struct wroute *wr)
{
	size_t i;

	for (i = 0; i < w->n_routes; i++) {
		const struct want_route *x = &w->routes[i];
		struct lsdp_route_info *r = &wr[i].r;

		memset(&wr[i], 0, sizeof(wr[i]));
		snprintf(r->dp, sizeof(r->dp), "%s", x->router);
		snprintf(r->port, sizeof(r->port), "%s", x->port);
		if (lsdp_prefix_parse(x->prefix, &r->prefix,
				      LSDP_PREFIX_F_NEED_LEN | LSDP_PREFIX_F_NETWORK) !=
		    LSDP_PREFIX_OK || !lsdp_addr_parse(x->via, &r->via) ||
		    r->via.family != r->prefix.addr.family) {
			agent_log(AGENT_WARN, "route %s via %s on %s: not "
				  "understood, skipped", x->prefix, x->via,
				  x->router);
			continue;
		}
		r->has_via = true;
		wr[i].ok = true;
	}
}

static bool route_same_dest(const struct lsdp_route_info *a,
			    const struct lsdp_route_info *b)
{
	return !strcmp(a->dp, b->dp) && !prefix_cmp(&a->prefix, &b->prefix);
}

static bool route_same(const struct lsdp_route_info *a,
		       const struct lsdp_route_info *b)
{
	return route_same_dest(a, b) && a->has_via == b->has_via &&
	       (!a->has_via || !addr_cmp(&a->via, &b->via)) &&
	       !strcmp(a->port, b->port);
}

/* Static routes: delete the unwanted and changed, add the missing. */
static int sync_routes(struct kernel *k, const struct wroute *wr, size_t n,
		       bool *changed)
{
	struct kmodel *m = &k->m;
	char buf[LSDP_PREFIX_STRLEN];
	int errs = 0;
	size_t i, j;

	for (i = 0; i < m->n_routes; i++) {
		const struct lsdp_route_info *kr = &m->routes[i];
		struct nl_msg *msg;

		for (j = 0; j < n; j++)
			if (wr[j].ok && route_same(kr, &wr[j].r))
				break;
		if (j < n)
			continue;
		*changed = true;
		msg = lsdp_nl_msg(k->nl, LSDP_CMD_ROUTE_DEL, 0);
		if (msg && lsdp_put_route(msg, kr->dp, &kr->prefix, NULL, NULL) < 0) {
			nlmsg_free(msg);
			msg = NULL;
		}
		errs += send_req(k, msg, "route del",
				 lsdp_prefix_str(&kr->prefix, buf, sizeof(buf)));
	}
	for (j = 0; j < n; j++) {
		struct nl_msg *msg;

		if (!wr[j].ok)
			continue;
		for (i = 0; i < m->n_routes; i++)
			if (route_same(&m->routes[i], &wr[j].r))
				break;
		if (i < m->n_routes)
			continue;
		/* Two wanted routes for one prefix (ECMP): the first only. */
		for (i = 0; i < j; i++)
			if (wr[i].ok && route_same_dest(&wr[i].r, &wr[j].r))
				break;
		if (i < j)
			continue;
		*changed = true;
		msg = lsdp_nl_msg(k->nl, LSDP_CMD_ROUTE_NEW, 0);
		if (msg && lsdp_put_route(msg, wr[j].r.dp, &wr[j].r.prefix,
					  &wr[j].r.via, wr[j].r.port) < 0) {
			nlmsg_free(msg);
			msg = NULL;
		}
		errs += send_req(k, msg, "route add",
				 lsdp_prefix_str(&wr[j].r.prefix, buf, sizeof(buf)));
	}
	return errs;
}

/*
 * One pass: deletions, then creations (datapaths, chassis, the encap,
 * router ports, switch ports, trunk children), then changes in place.
 * Returns the refusals; *changed tells whether anything was sent.
 */
static int sync_pass(struct kernel *k, const struct want *w,
		     struct wport *wp, size_t nwp, const struct wneigh *wn,
		     const struct wroute *wr, bool *changed)
{
	struct kmodel *m = &k->m;
	int errs = 0;
	size_t i;
	int order;

	/* Ports the SB does not have, or that must be made again. */
	for (i = 0; i < m->n_ports; i++) {
		const struct lsdp_port_info *kp = &m->ports[i];
		const struct wport *x = wport_find(wp, nwp, kp->name);

		if (x && !port_immutable_differs(kp, &x->p))
			continue;
		*changed = true;
		errs += del_port(k, kp->name);
	}
	/* Chassis gone from SB, or whose address changed. */
	for (i = 0; i < m->n_chassis; i++) {
		const struct want_chassis *c = want_chassis_find(w, m->chassis[i].name);
		struct lsdp_addr a;

		if (c && lsdp_addr_parse(c->ip, &a) &&
		    !addr_cmp(&a, &m->chassis[i].ip))
			continue;
		*changed = true;
		errs += send_req(k, msg_str(k, LSDP_CMD_CHASSIS_DEL,
					    LSDP_A_CHASSIS_NAME,
					    m->chassis[i].name),
				 "chassis del", m->chassis[i].name);
	}
	/* Datapaths gone, or with another key or kind. */
	for (i = 0; i < m->n_dps; i++) {
		const struct want_dp *d = want_dp_find(w, m->dps[i].name);

		if (d && d->key == m->dps[i].key &&
		    m->dps[i].kind == (d->router ? LSDP_DP_KIND_ROUTER
						 : LSDP_DP_KIND_SWITCH))
			continue;
		*changed = true;
		errs += send_req(k, msg_str(k, LSDP_CMD_DP_DEL, LSDP_A_DP_NAME,
					    m->dps[i].name),
				 "datapath del", m->dps[i].name);
	}
	if (*changed) {
		/* Deletions cascade (a datapath's ports, a chassis's bindings). */
		if (model_read(k))
			return errs + 1;
		/* The model is whole again: what follows only adds. */
		k->n_touched = 0;
	}

	/* The local tunnel endpoint. */
	if (w->encap_ip[0]) {
		struct lsdp_addr a;

		if (!lsdp_addr_parse(w->encap_ip, &a)) {
			agent_log(AGENT_ERR, "bad encap IP %s", w->encap_ip);
			errs++;
		} else if (!m->encap.configured || addr_cmp(&a, &m->encap.local) ||
			   m->encap.csum != w->encap_csum) {
			struct nl_msg *msg = lsdp_nl_msg(k->nl, LSDP_CMD_ENCAP_SET, 0);

			*changed = true;
			if (msg && (lsdp_put_ip(msg, LSDP_A_ENCAP_LOCAL_IP, &a) < 0 ||
				    nla_put_u8(msg, LSDP_A_ENCAP_CSUM,
					       w->encap_csum) < 0)) {
				nlmsg_free(msg);
				msg = NULL;
			}
			errs += send_req(k, msg, "encap set local", w->encap_ip);
		}
	}
	/* New datapaths. */
	for (i = 0; i < w->n_dps; i++) {
		const struct want_dp *d = &w->dps[i];
		struct nl_msg *msg;
		size_t j;

		for (j = 0; j < m->n_dps; j++)
			if (!strcmp(m->dps[j].name, d->name))
				break;
		if (j < m->n_dps)
			continue;
		*changed = true;
		msg = lsdp_nl_msg(k->nl, LSDP_CMD_DP_NEW, 0);
		if (msg && (nla_put_string(msg, LSDP_A_DP_NAME, d->name) < 0 ||
			    nla_put_u32(msg, LSDP_A_DP_KEY, d->key) < 0 ||
			    nla_put_u8(msg, LSDP_A_DP_KIND,
				       d->router ? LSDP_DP_KIND_ROUTER
						 : LSDP_DP_KIND_SWITCH) < 0)) {
			nlmsg_free(msg);
			msg = NULL;
		}
		errs += send_req(k, msg, d->router ? "router add" : "switch add",
				 d->name);
	}
	/* New chassis. */
	for (i = 0; i < w->n_chassis; i++) {
		const struct want_chassis *c = &w->chassis[i];
		struct nl_msg *msg;
		struct lsdp_addr a;
		size_t j;

		for (j = 0; j < m->n_chassis; j++)
			if (!strcmp(m->chassis[j].name, c->name))
				break;
		if (j < m->n_chassis)
			continue;
		if (!lsdp_addr_parse(c->ip, &a)) {
			agent_log(AGENT_WARN, "chassis %s: bad IP \"%s\", skipped",
				  c->name, c->ip);
			continue;
		}
		*changed = true;
		msg = lsdp_nl_msg(k->nl, LSDP_CMD_CHASSIS_NEW, 0);
		if (msg && (nla_put_string(msg, LSDP_A_CHASSIS_NAME, c->name) < 0 ||
			    lsdp_put_ip(msg, LSDP_A_CHASSIS_IP, &a) < 0)) {
			nlmsg_free(msg);
			msg = NULL;
		}
		errs += send_req(k, msg, "chassis add", c->name);
	}
	/* New ports: router ports, then switch ports, then trunk children. */
	for (order = 0; order < 3; order++) {
		for (i = 0; i < nwp; i++) {
			const struct lsdp_port_info *p = &wp[i].p;
			int o;

			if (!wp[i].ok || model_port(m, p->name))
				continue;
			o = p->type == LSDP_PORT_TYPE_ROUTER_PORT ? 0 :
			    p->parent[0] ? 2 : 1;
			if (o != order)
				continue;
			if (p->type == LSDP_PORT_TYPE_LOCALNET && !p->ifindex)
				continue;	/* no provider netdev here (logged) */
			*changed = true;
			errs += new_port(k, p);
		}
	}
	/* Ports that exist: change what differs. */
	for (i = 0; i < nwp; i++) {
		const struct lsdp_port_info *kp;

		if (!wp[i].ok || !(kp = model_port(m, wp[i].p.name)))
			continue;
		errs += set_port(k, kp, &wp[i].p, changed);
	}
	errs += sync_neighs(k, wn, w->n_neighs, changed);
	errs += sync_routes(k, wr, w->n_routes, changed);
	return errs;
}

int kernel_sync(struct kernel *k, const struct want *w)
{
	struct wroute *wr;
	struct wneigh *wn;
	struct wport *wp;
	bool changed = false;
	int errs = 0, round;
	size_t i;

	wp = calloc(w->n_ports ? w->n_ports : 1, sizeof(*wp));
	if (!wp)
		abort();
	for (i = 0; i < w->n_ports; i++)
		wport_parse(&wp[i], &w->ports[i]);
	if (w->n_ports)
		qsort(wp, w->n_ports, sizeof(*wp), wport_cmp);
	wn = calloc(w->n_neighs ? w->n_neighs : 1, sizeof(*wn));
	if (!wn)
		abort();
	wneighs_parse(w, wp, w->n_ports, wn);
	wr = calloc(w->n_routes ? w->n_routes : 1, sizeof(*wr));
	if (!wr)
		abort();
	wroutes_parse(w, wr);

	/*
	 * A pass that changed something is checked by reading the kernel
	 * again; a second pass then fixes what a cascade undid (a peer
	 * deleted with its router, children with their parent).
	 */
	for (round = 0; round < 3; round++) {
		changed = false;
		k->n_touched = 0;
		errs = sync_pass(k, w, wp, w->n_ports, wn, wr, &changed);
		if (!changed)
			break;
		if (model_refresh(k)) {
			errs++;
			break;
		}
	}

	for (i = 0; i < w->n_ports; i++)
		lsdp_port_info_clear(&wp[i].p);
	free(wp);
	free(wn);
	free(wr);
	return errs;
}

struct learned {
	struct want_neigh *v;
	size_t n, cap;
};

static int learned_cb(struct nl_msg *msg, void *arg)
{
	struct learned *l = arg;
	struct lsdp_neigh_info ne;
	struct want_neigh *x;
	const uint8_t *m;

	memset(&ne, 0, sizeof(ne));
	if (lsdp_neigh_parse(msg, &ne) || !ne.has_mac ||
	    (ne.state != LSDP_NEIGH_REACHABLE && ne.state != LSDP_NEIGH_STALE))
		return 0;
	l->v = grow(l->v, &l->cap, l->n, sizeof(*l->v));
	x = &l->v[l->n++];
	memset(x, 0, sizeof(*x));
	snprintf(x->port, sizeof(x->port), "%s", ne.port);
	inet_ntop(ne.addr.family, ne.addr.family == AF_INET ?
		  (const void *)&ne.addr.v4 : (const void *)&ne.addr.v6,
		  x->ip, sizeof(x->ip));
	m = ne.mac;
	snprintf(x->mac, sizeof(x->mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	return 0;
}

int kernel_learned(struct kernel *k, struct want_neigh **v, size_t *n)
{
	struct learned l = { NULL, 0, 0 };
	struct nl_msg *msg;
	int r, tries;

	for (tries = 0; tries < 5; tries++) {
		l.n = 0;
		msg = lsdp_nl_msg(k->nl, LSDP_CMD_NEIGH_GET, NLM_F_DUMP);
		if (!msg) {
			r = -ENOMEM;
			break;
		}
		r = lsdp_nl_request(k->nl, msg, learned_cb, &l);
		if (r != -EINTR)
			break;
	}
	if (r) {
		free(l.v);
		*v = NULL;
		*n = 0;
		return r;
	}
	*v = l.v;
	*n = l.n;
	return 0;
}

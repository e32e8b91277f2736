// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * lsdp-agent: the network devices of lsdp's namespace, and which logical
 * port each plays.
 *
 * OVS learns it from the Interface's external_ids:iface-id, which the VM
 * manager sets.  A netdev has no external_ids; its ifalias (IFLA_IFALIAS,
 * `ip link set dev TAP alias iface-id=LOGICAL_PORT`) is the one free-text
 * attribute every tool can set and rtnetlink reports in every link event,
 * so a VM manager says it there without talking to the agent.
 *
 * One rtnetlink socket subscribed to RTNLGRP_LINK, read with a dump at
 * start (after subscribing, so nothing falls between the two).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/socket.h>

#include "agent.h"

struct link {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	char iface_id[AGENT_NAME_SIZE * 2];	/* "" when none */
};

struct links {
	struct nl_sock *ev;		/* events */
	struct nl_cb *cb;		/* ev's callbacks */
	struct link *v;
	size_t n, cap;
	bool changed;
};

static struct link *link_find(struct links *l, uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].ifindex == ifindex)
			return &l->v[i];
	return NULL;
}

static void link_del(struct links *l, uint32_t ifindex)
{
	struct link *x = link_find(l, ifindex);

	if (!x)
		return;
	if (x->iface_id[0]) {
		agent_log(AGENT_INFO, "netdev %s (iface-id %s) went away",
			  x->ifname, x->iface_id);
		l->changed = true;
	}
	*x = l->v[--l->n];
}

static int link_msg(struct nl_msg *msg, void *arg)
{
	struct links *l = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1];
	struct ifinfomsg *ifi;
	char id[sizeof(((struct link *)0)->iface_id)] = "";
	const char *name = "";
	struct link *x;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return NL_OK;
	if (nlmsg_parse(nlh, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return NL_OK;
	ifi = nlmsg_data(nlh);
	if (nlh->nlmsg_type == RTM_DELLINK) {
		link_del(l, (uint32_t)ifi->ifi_index);
		return NL_OK;
	}
	if (tb[IFLA_IFNAME])
		name = nla_get_string(tb[IFLA_IFNAME]);
	if (tb[IFLA_IFALIAS]) {
		const char *a = nla_get_string(tb[IFLA_IFALIAS]);
		size_t plen = strlen(LINK_IFACE_ID_PREFIX);

		if (!strncmp(a, LINK_IFACE_ID_PREFIX, plen))
			snprintf(id, sizeof(id), "%s", a + plen);
	}
	x = link_find(l, (uint32_t)ifi->ifi_index);
	if (!x) {
		if (l->n == l->cap) {
			size_t c = l->cap ? l->cap * 2 : 32;
			struct link *nv = realloc(l->v, c * sizeof(*nv));

			if (!nv)
				abort();
			l->v = nv;
			l->cap = c;
		}
		x = &l->v[l->n++];
		memset(x, 0, sizeof(*x));
		x->ifindex = (uint32_t)ifi->ifi_index;
	}
	if (strcmp(x->iface_id, id) || (id[0] && strcmp(x->ifname, name))) {
		if (id[0])
			agent_log(AGENT_INFO, "netdev %s is iface-id %s", name, id);
		else
			agent_log(AGENT_INFO, "netdev %s: iface-id %s removed",
				  name, x->iface_id);
		l->changed = true;
	}
	snprintf(x->ifname, sizeof(x->ifname), "%s", name);
	snprintf(x->iface_id, sizeof(x->iface_id), "%s", id);
	return NL_OK;
}

/* Reads every link of the namespace; 0 or a negative libnl error. */
static int links_dump(struct links *l)
{
	struct nl_sock *dump = nl_socket_alloc();
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	int r;

	if (!dump)
		return -NLE_NOMEM;
	nl_socket_modify_cb(dump, NL_CB_VALID, NL_CB_CUSTOM, link_msg, l);
	if ((r = nl_connect(dump, NETLINK_ROUTE)) >= 0 &&
	    (r = nl_send_simple(dump, RTM_GETLINK, NLM_F_DUMP, &ifi,
				 sizeof(ifi))) >= 0)
		r = nl_recvmsgs_default(dump);
	nl_socket_free(dump);
	return r < 0 ? r : 0;
}

struct links *links_open(char *err, size_t errlen)
{
	struct links *l = calloc(1, sizeof(*l));
	int r;

	if (!l) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	l->ev = nl_socket_alloc();
	if (!l->ev) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	nl_socket_disable_seq_check(l->ev);
	nl_socket_modify_cb(l->ev, NL_CB_VALID, NL_CB_CUSTOM, link_msg, l);
	l->cb = nl_socket_get_cb(l->ev);
	/* Subscribe first: what changes during the dump is an event. */
	if ((r = nl_connect(l->ev, NETLINK_ROUTE)) < 0 ||
	    (r = nl_socket_add_membership(l->ev, RTNLGRP_LINK)) < 0 ||
	    (r = nl_socket_set_nonblocking(l->ev)) < 0 ||
	    (r = links_dump(l)) < 0) {
		snprintf(err, errlen, "rtnetlink: %s", nl_geterror(r));
		goto fail;
	}
	return l;
fail:
	links_close(l);
	return NULL;
}

void links_close(struct links *l)
{
	if (!l)
		return;
	if (l->cb)
		nl_cb_put(l->cb);
	if (l->ev)
		nl_socket_free(l->ev);
	free(l->v);
	free(l);
}

int links_fd(const struct links *l)
{
	return nl_socket_get_fd(l->ev);
}

bool links_run(struct links *l)
{
	int r;

	for (;;) {
		/* One datagram per call; 0 when nothing is pending. */
		r = nl_recvmsgs_report(l->ev, l->cb);
		if (r == 0 || r == -NLE_AGAIN)
			break;
		if (r > 0)
			continue;
		if (r == -NLE_NOMEM || r == -NLE_DUMP_INTR) {
			/* Events were lost (ENOBUFS): read the whole table again. */
			agent_log(AGENT_WARN, "link events lost, reading all links");
			l->n = 0;
			if (links_dump(l) < 0)
				agent_log(AGENT_ERR, "reading the links failed");
			l->changed = true;
			break;
		}
		if (r < 0) {
			agent_log(AGENT_WARN, "link events: %s", nl_geterror(r));
			break;
		}
	}
	if (l->changed) {
		l->changed = false;
		return true;
	}
	return false;
}

uint32_t links_find_iface(const struct links *l, const char *iface_id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].iface_id[0] && !strcmp(l->v[i].iface_id, iface_id))
			return l->v[i].ifindex;
	return 0;
}

uint32_t links_find_name(const struct links *l, const char *ifname)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].ifname, ifname))
			return l->v[i].ifindex;
	return 0;
}

void links_for_each_iface(const struct links *l,
			  void (*cb)(const char *iface_id, uint32_t ifindex,
				     const char *ifname, void *arg),
			  void *arg)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].iface_id[0])
			cb(l->v[i].iface_id, l->v[i].ifindex, l->v[i].ifname, arg);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Routing tables of router datapaths: static routes configured over netlink
 * and connected routes from router port networks, looked up by longest
 * prefix match (lpm.c) on the packet path.
 *
 * Each router has one trie per family (dp->lpm4, dp->lpm6) for lookups and a
 * list (dp->routes) in insertion order for dumps.  Both are written under
 * ln->lock; the tries are read under RCU, the list only under ln->lock.
 * Routes are immutable once inserted and freed after a grace period.
 */
#include <linux/in.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "lsdp.h"
#include "compat.h"
#include "lpm.h"

static struct lsdp_lpm_node __rcu **lsdp_route_root(struct lsdp_dp *dp,
						    bool ipv6)
{
	return ipv6 ? &dp->lpm6 : &dp->lpm4;
}

/* The address as the big-endian words lpm.c takes. */
static const __be32 *lsdp_addr_words(const union lsdp_addr *a, bool ipv6)
{
	return ipv6 ? a->ip6.s6_addr32 : &a->ip4;
}

static unsigned int lsdp_addr_bits(bool ipv6)
{
	return ipv6 ? 128 : 32;
}

/* Called with ln->lock held.  The route with exactly that prefix, or NULL. */
struct lsdp_route *lsdp_route_find(struct lsdp_dp *dp, bool ipv6,
				   const union lsdp_addr *prefix, u8 plen)
{
	lockdep_assert_held(&dp->ln->lock);
	return lsdp_lpm_find(lsdp_route_root(dp, ipv6), ipv6,
			     lsdp_addr_words(prefix, ipv6), plen,
			     &dp->ln->lock);
}

/*
 * Called with ln->lock held.  Publishes @rt, which the caller has filled in;
 * on success the datapath owns it, on error nothing was published and the
 * caller still owns it.
 */
int lsdp_route_insert(struct lsdp_dp *dp, struct lsdp_route *rt,
		      struct netlink_ext_ack *extack)
{
	const __be32 *prefix = lsdp_addr_words(&rt->prefix, rt->ipv6);
	struct lsdp_route *old;
	int err;

	lockdep_assert_held(&dp->ln->lock);
	if (rt->plen > lsdp_addr_bits(rt->ipv6)) {
		NL_SET_ERR_MSG(extack, "prefix length out of range");
		return -EINVAL;
	}
	/*
	 * Rejected, not masked: the prefix a dump shows must be the one the
	 * trie matches on, and a caller passing host bits has a bug to see.
	 */
	if (!lsdp_lpm_prefix_clean(rt->ipv6, prefix, rt->plen)) {
		NL_SET_ERR_MSG(extack, "prefix has host bits set");
		return -EINVAL;
	}
	old = lsdp_route_find(dp, rt->ipv6, &rt->prefix, rt->plen);
	if (old) {
		/* The port's name would help; 6.1 has no formatted extack. */
		if (old->connected)
			NL_SET_ERR_MSG(extack,
				       "a connected route of a router port covers exactly this prefix");
		else
			NL_SET_ERR_MSG(extack, "route already exists");
		return -EEXIST;
	}
	err = lsdp_lpm_insert(lsdp_route_root(dp, rt->ipv6), rt->ipv6, prefix,
			      rt->plen, rt, &dp->ln->lock);
	if (err)
		return err;
	rt->serial = ++dp->ln->serial;
	list_add_tail(&rt->list, &dp->routes);
	dp->n_routes++;
	lsdp_gen_bump(dp->ln);
	return 0;
}

/*
 * Called with ln->lock held.  Unpublishes @rt and frees it after a grace
 * period: packets already past the lookup may still be using it.
 */
void lsdp_route_remove(struct lsdp_dp *dp, struct lsdp_route *rt)
{
	struct lsdp_route *gone;

	lockdep_assert_held(&dp->ln->lock);
	gone = lsdp_lpm_remove(lsdp_route_root(dp, rt->ipv6), rt->ipv6,
			       lsdp_addr_words(&rt->prefix, rt->ipv6),
			       rt->plen, &dp->ln->lock);
	WARN_ON_ONCE(gone != rt);
	list_del(&rt->list);
	dp->n_routes--;
	lsdp_gen_bump(dp->ln);
	kfree_rcu(rt, rcu);
}

/*
 * Called with ln->lock held, before @port is unpublished.  Removes every
 * route, connected or static, that leaves by @port.
 */
void lsdp_routes_remove_port(struct lsdp_dp *dp, struct lsdp_port *port)
{
	struct lsdp_route *rt, *next;

	lockdep_assert_held(&dp->ln->lock);
	list_for_each_entry_safe(rt, next, &dp->routes, list)
		if (rt->port == port)
			lsdp_route_remove(dp, rt);
}

/*
 * Called when @dp is freed: never published, or past its grace period, so
 * there are no readers and no lock is needed.  Also fine on a switch, whose
 * tables are empty.
 */
void lsdp_routes_destroy(struct lsdp_dp *dp)
{
	struct lsdp_route *rt, *next;

	lsdp_lpm_destroy(&dp->lpm4);
	lsdp_lpm_destroy(&dp->lpm6);
	list_for_each_entry_safe(rt, next, &dp->routes, list) {
		list_del(&rt->list);
		kfree(rt);
	}
	dp->n_routes = 0;
}

/* Called with RCU read lock.  The longest matching route, or NULL. */
const struct lsdp_route *lsdp_route_lookup4(const struct lsdp_dp *dp,
					    __be32 dst)
{
	lsdp_assert_rcu();
	return lsdp_lpm_lookup4(&dp->lpm4, dst);
}

/* Called with RCU read lock.  The longest matching route, or NULL. */
const struct lsdp_route *lsdp_route_lookup6(const struct lsdp_dp *dp,
					    const struct in6_addr *dst)
{
	lsdp_assert_rcu();
	return lsdp_lpm_lookup6(&dp->lpm6, dst->s6_addr32);
}

/* Netlink: LSDP_CMD_ROUTE_NEW, _DEL and _GET. */

static int lsdp_put_addr(struct sk_buff *skb, int type, bool ipv6,
			 const union lsdp_addr *a)
{
	return ipv6 ? nla_put_in6_addr(skb, type, &a->ip6) :
		      nla_put_in_addr(skb, type, a->ip4);
}

/* Called with ln->lock held.  Returns the message header, or NULL if full. */
static void *lsdp_fill_route(struct sk_buff *skb, const struct lsdp_dp *dp,
			     const struct lsdp_route *rt, u32 portid, u32 seq,
			     int flags, u8 cmd)
{
	void *hdr;

	lockdep_assert_held(&dp->ln->lock);
	hdr = lsdp_msg_put(skb, portid, seq, flags, cmd);
	if (!hdr)
		return NULL;
	if (nla_put_string(skb, LSDP_A_DP_NAME, dp->name) ||
	    lsdp_put_addr(skb, LSDP_A_ROUTE_PREFIX, rt->ipv6, &rt->prefix) ||
	    nla_put_u8(skb, LSDP_A_ROUTE_PLEN, rt->plen) ||
	    (rt->has_via &&
	     lsdp_put_addr(skb, LSDP_A_ROUTE_VIA, rt->ipv6, &rt->via)) ||
	    nla_put_string(skb, LSDP_A_PORT_NAME, rt->port->name) ||
	    nla_put_u8(skb, LSDP_A_ROUTE_CONNECTED, rt->connected)) {
		genlmsg_cancel(skb, hdr);
		return NULL;
	}
	genlmsg_end(skb, hdr);
	return hdr;
}

/* Called with ln->lock held.  An lsdp_fill_t of a route (of its port's router). */
static int lsdp_route_event(struct sk_buff *skb, void *obj, u32 portid,
			    u32 seq, int flags, u8 cmd)
{
	struct lsdp_route *rt = obj;

	return lsdp_fill_route(skb, rt->port->dp, rt, portid, seq, flags,
			       cmd) ? 0 : -EMSGSIZE;
}

/*
 * Called with ln->lock held.  The router named by @attr, or an ERR_PTR
 * after saying why not.
 */
struct lsdp_dp *lsdp_router_find(struct lsdp_net *ln, const struct nlattr *attr,
				 struct netlink_ext_ack *extack)
{
	struct lsdp_dp *dp;

	lockdep_assert_held(&ln->lock);
	dp = lsdp_req_dp(ln, attr, extack);
	if (!dp)
		return ERR_PTR(-ENOENT);
	if (dp->kind != LSDP_DP_KIND_ROUTER) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "not a router");
		return ERR_PTR(-EINVAL);
	}
	return dp;
}

/*
 * The dumpit of every per-router object (routes, NAT rules): routers in
 * creation order, all or LSDP_A_DP_NAME's, each handed to @dump_dp from
 * where the cursor (struct lsdp_dump_cursor) says, so that a part resumes
 * after the last object sent whatever was added or deleted in between.
 * Takes ln->lock for this part only.
 */
int lsdp_router_dump(struct sk_buff *skb, struct netlink_callback *cb,
		     lsdp_router_dump_t dump_dp)
{
	struct lsdp_net *ln = lsdp_net(sock_net(skb->sk));
	struct lsdp_dump_cursor *c = lsdp_dump_cursor(cb);
	struct nlattr **a = lsdp_dump_attrs(cb);
	struct lsdp_dp *dp, *only = NULL;
	int err = 0;
	bool same;

	mutex_lock(&ln->lock);
	lsdp_dump_begin(cb, ln);
	if (a && a[LSDP_A_DP_NAME]) {
		only = lsdp_router_find(ln, a[LSDP_A_DP_NAME], cb->extack);
		if (IS_ERR(only)) {
			err = PTR_ERR(only);
			goto out_unlock;
		}
	}
	dp = lsdp_dump_dp(ln, c, &same);
	list_for_each_entry_from(dp, &ln->dps, list) {
		if (dp->kind == LSDP_DP_KIND_ROUTER && (!only || dp == only) &&
		    dump_dp(skb, cb, dp, same))
			break;
		same = false;
	}
out_unlock:
	mutex_unlock(&ln->lock);
	return err ? err : skb->len;
}

/*
 * The destination of a route request, LSDP_A_ROUTE_PREFIX and _PLEN, which
 * must both be present.  Process context, no locks: reads only the request.
 */
static int lsdp_route_parse_dst(struct genl_info *info, bool *ipv6,
				union lsdp_addr *prefix, u8 *plen)
{
	struct nlattr *pa = info->attrs[LSDP_A_ROUTE_PREFIX];
	struct nlattr *la = info->attrs[LSDP_A_ROUTE_PLEN];

	memset(prefix, 0, sizeof(*prefix));
	if (nla_len(pa) == sizeof(__be32)) {
		*ipv6 = false;
		prefix->ip4 = nla_get_in_addr(pa);
	} else if (nla_len(pa) == sizeof(struct in6_addr)) {
		*ipv6 = true;
		prefix->ip6 = nla_get_in6_addr(pa);
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, pa,
				    "prefix must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	*plen = nla_get_u8(la);
	if (*plen > lsdp_addr_bits(*ipv6)) {
		if (*ipv6)
			NL_SET_ERR_MSG_ATTR(info->extack, la,
					    "prefix length out of range (0..128 for IPv6)");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, la,
					    "prefix length out of range (0..32 for IPv4)");
		return -ERANGE;
	}
	/*
	 * 10.0.0.1/8 is refused rather than read as 10.0.0.0/8: the user may
	 * have meant /32, and a table must not show what was not asked for.
	 */
	if (!lsdp_lpm_prefix_clean(*ipv6, lsdp_addr_words(prefix, *ipv6),
				   *plen)) {
		NL_SET_ERR_MSG_ATTR(info->extack, pa,
				    "prefix has host bits set (address bits beyond the prefix length must be zero)");
		return -EINVAL;
	}
	return 0;
}

/*
 * The optional next hop, LSDP_A_ROUTE_VIA: a unicast address of the
 * prefix's family.  Process context, no locks: reads only the request.
 */
static int lsdp_route_parse_via(struct genl_info *info, struct lsdp_route *rt)
{
	struct nlattr *va = info->attrs[LSDP_A_ROUTE_VIA];

	if (!va)
		return 0;
	if (nla_len(va) != sizeof(__be32) &&
	    nla_len(va) != sizeof(struct in6_addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, va,
				    "next hop must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	if (nla_len(va) != (rt->ipv6 ? sizeof(struct in6_addr) :
				       sizeof(__be32))) {
		NL_SET_ERR_MSG_ATTR(info->extack, va,
				    "next hop family differs from the prefix");
		return -EINVAL;
	}
	if (rt->ipv6) {
		rt->via.ip6 = nla_get_in6_addr(va);
		if (ipv6_addr_any(&rt->via.ip6) ||
		    ipv6_addr_is_multicast(&rt->via.ip6))
			goto bad;
	} else {
		rt->via.ip4 = nla_get_in_addr(va);
		if (rt->via.ip4 == htonl(INADDR_ANY) ||
		    ipv4_is_multicast(rt->via.ip4) ||
		    ipv4_is_lbcast(rt->via.ip4))
			goto bad;
	}
	rt->has_via = true;
	return 0;

bad:
	NL_SET_ERR_MSG_ATTR(info->extack, va,
			    "next hop must be a unicast address (not unspecified, multicast or broadcast)");
	return -EINVAL;
}

int lsdp_cmd_route_new(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr **a = info->attrs;
	struct lsdp_port *port;
	struct lsdp_route *rt;
	struct lsdp_dp *dp;
	int err;

	if (!LSDP_REQUIRE(info, LSDP_A_DP_NAME, "missing router name") ||
	    !LSDP_REQUIRE(info, LSDP_A_ROUTE_PREFIX, "missing route prefix") ||
	    !LSDP_REQUIRE(info, LSDP_A_ROUTE_PLEN,
			  "missing route prefix length") ||
	    !LSDP_REQUIRE(info, LSDP_A_PORT_NAME, "missing output port name"))
		return -EINVAL;

	rt = kzalloc(sizeof(*rt), GFP_KERNEL);
	if (!rt)
		return -ENOMEM;
	err = lsdp_route_parse_dst(info, &rt->ipv6, &rt->prefix, &rt->plen);
	if (err)
		goto err_free_route;
	err = lsdp_route_parse_via(info, rt);
	if (err)
		goto err_free_route;

	mutex_lock(&ln->lock);
	dp = lsdp_router_find(ln, a[LSDP_A_DP_NAME], info->extack);
	if (IS_ERR(dp)) {
		err = PTR_ERR(dp);
		goto err_unlock;
	}
	port = lsdp_req_port(ln, a[LSDP_A_PORT_NAME], info->extack);
	if (!port) {
		err = -ENOENT;
		goto err_unlock;
	}
	if (port->dp != dp || port->type != LSDP_PORT_TYPE_ROUTER_PORT) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_PORT_NAME],
				    "port is not on this router");
		err = -EINVAL;
		goto err_unlock;
	}
	rt->port = port;
	err = lsdp_route_insert(dp, rt, info->extack);
	if (err) {
		/* The message is set; point at the prefix it is about. */
		if (err != -ENOMEM)
			NL_SET_BAD_ATTR(info->extack, a[LSDP_A_ROUTE_PREFIX]);
		goto err_unlock;
	}
	lsdp_notify(ln, lsdp_route_event, rt, LSDP_CMD_ROUTE_NEW, GFP_KERNEL);
	mutex_unlock(&ln->lock);
	return 0;

err_unlock:
	mutex_unlock(&ln->lock);
err_free_route:
	kfree(rt);
	return err;
}

int lsdp_cmd_route_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr **a = info->attrs;
	union lsdp_addr prefix;
	struct lsdp_route *rt;
	struct lsdp_dp *dp;
	bool ipv6;
	u8 plen;
	int err;

	if (!LSDP_REQUIRE(info, LSDP_A_DP_NAME, "missing router name") ||
	    !LSDP_REQUIRE(info, LSDP_A_ROUTE_PREFIX, "missing route prefix") ||
	    !LSDP_REQUIRE(info, LSDP_A_ROUTE_PLEN,
			  "missing route prefix length"))
		return -EINVAL;
	err = lsdp_route_parse_dst(info, &ipv6, &prefix, &plen);
	if (err)
		return err;

	mutex_lock(&ln->lock);
	dp = lsdp_router_find(ln, a[LSDP_A_DP_NAME], info->extack);
	if (IS_ERR(dp)) {
		err = PTR_ERR(dp);
		goto out_unlock;
	}
	rt = lsdp_route_find(dp, ipv6, &prefix, plen);
	if (!rt) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_ROUTE_PREFIX],
				    "no such route");
		err = -ENOENT;
		goto out_unlock;
	}
	if (rt->connected) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_ROUTE_PREFIX],
				    "connected route: delete or change the port's networks instead");
		err = -EINVAL;
		goto out_unlock;
	}
	lsdp_notify(ln, lsdp_route_event, rt, LSDP_CMD_ROUTE_DEL, GFP_KERNEL);
	lsdp_route_remove(dp, rt);
out_unlock:
	mutex_unlock(&ln->lock);
	return err;
}

/*
 * Called with ln->lock held.  The first route of @dp after the cursor's
 * last one, which was in @dp: the next in the list if it is still there
 * (found again by its prefix, a trie walk, and checked by its serial, so
 * that a dump of n routes costs O(n)), else the first created after it.
 */
static struct lsdp_route *lsdp_route_dump_next(struct lsdp_dp *dp,
					       const struct lsdp_dump_cursor *c)
{
	union lsdp_addr prefix = { .ip6 = c->addr };
	bool ipv6 = c->key >> 8;
	struct lsdp_route *rt;

	lockdep_assert_held(&dp->ln->lock);
	rt = lsdp_route_find(dp, ipv6, &prefix, c->key & 0xff);
	if (rt && rt->serial == c->serial)
		return list_next_entry(rt, list);
	list_for_each_entry(rt, &dp->routes, list)
		if (rt->serial > c->serial)
			break;
	return rt;
}

/*
 * Called with ln->lock held.  An lsdp_router_dump_t: the routes of @dp in
 * insertion order; the cursor also keeps the last one's prefix (c->addr)
 * and family and length (c->key) to find it again.
 */
static int lsdp_route_dump_dp(struct sk_buff *skb, struct netlink_callback *cb,
			      struct lsdp_dp *dp, bool resume)
{
	struct lsdp_dump_cursor *c = lsdp_dump_cursor(cb);
	struct lsdp_route *rt;
	void *hdr;

	lockdep_assert_held(&dp->ln->lock);
	if (resume)
		rt = lsdp_route_dump_next(dp, c);
	else
		rt = list_first_entry(&dp->routes, struct lsdp_route, list);
	list_for_each_entry_from(rt, &dp->routes, list) {
		hdr = lsdp_fill_route(skb, dp, rt, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      LSDP_CMD_ROUTE_NEW);
		if (!hdr)
			return -EMSGSIZE;
		genl_dump_check_consistent(cb, hdr);
		lsdp_dump_sent(c, dp, rt->serial);
		c->addr = rt->prefix.ip6;
		c->key = (u32)rt->ipv6 << 8 | rt->plen;
	}
	return 0;
}

/*
 * Routes of every router, or of LSDP_A_DP_NAME's; per router in creation
 * order, routes in insertion order.  ln->lock is held within one call only.
 */
int lsdp_cmd_route_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return lsdp_router_dump(skb, cb, lsdp_route_dump_dp);
}

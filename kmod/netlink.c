// SPDX-License-Identifier: GPL-2.0
/*
 * The "lsdp" generic netlink family: configuration requests, show/dump, and
 * change events.
 *
 * Every request is validated strictly against its own policy, generated
 * with the genl_ops into genl_gen.c from Documentation/netlink/lsdp.yaml
 * (types, ranges, lengths, names); what a policy cannot say (presence,
 * combinations, existence) the handlers check.  Every rejection says why
 * in an extack message naming the attribute.  Changing
 * state needs CAP_NET_ADMIN over the netns (GENL_UNS_ADMIN_PERM); showing is
 * open to all.  Requests allocate and validate what they can before taking
 * any lock; writers take RTNL (when they may bind a netdev) and then the
 * instance lock, readers the instance lock alone.
 */
#include <linux/ctype.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <linux/if_vlan.h>

#include "lsdp.h"
#include "compat.h"

static struct genl_family lsdp_family;

enum lsdp_mcgrp_idx {
	LSDP_MCGRP_IDX_EVENTS,
	LSDP_MCGRP_IDX_DROPS,
};

static const struct genl_multicast_group lsdp_mcgrps[] = {
	[LSDP_MCGRP_IDX_EVENTS] = { .name = LSDP_MCGRP_EVENTS },
	[LSDP_MCGRP_IDX_DROPS] = { .name = LSDP_MCGRP_DROPS },
};

/*
 * Names are 1..63 printable, non-blank bytes: they are typed in shells.
 * Policies check top-level names; handlers check names inside lists.
 */
bool lsdp_name_valid(const struct nlattr *attr)
{
	const char *s = nla_data(attr);
	size_t len = strnlen(s, nla_len(attr));
	size_t i;

	if (len < 1 || len >= LSDP_NAME_SIZE)
		return false;
	for (i = 0; i < len; i++)
		if (!isgraph(s[i]))
			return false;
	return true;
}

/*
 * The policies' check of every name attribute (the spec's string with
 * max-len name-size - 1), run by the netlink core before any handler.
 * The message names the object: a request may carry several names.
 */
int lsdp_validate_name(const struct nlattr *attr,
		       struct netlink_ext_ack *extack)
{
	if (lsdp_name_valid(attr))
		return 0;
	switch (nla_type(attr)) {
	case LSDP_A_DP_NAME:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "datapath name must be 1..63 printable characters");
		break;
	case LSDP_A_CHASSIS_NAME:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "chassis name must be 1..63 printable characters");
		break;
	case LSDP_A_PORT_PEER:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "peer port name must be 1..63 printable characters");
		break;
	case LSDP_A_AS_NAME:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "address set name must be 1..63 printable characters");
		break;
	case LSDP_A_PG_NAME:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "port group name must be 1..63 printable characters");
		break;
	case LSDP_A_ACL_NAME:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "ACL name must be 1..63 printable characters");
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "port name must be 1..63 printable characters");
		break;
	}
	return -EINVAL;
}

/* A NUL_STRING attribute (the policy guarantees the NUL) that is empty. */
static bool lsdp_str_empty(const struct nlattr *attr)
{
	return !*(const char *)nla_data(attr);
}

struct lsdp_net *lsdp_info_net(struct genl_info *info)
{
	return lsdp_net(genl_info_net(info));
}

/* A message of the lsdp family; NULL when @skb has no room. */
void *lsdp_msg_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		   u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &lsdp_family, flags, cmd);
}

/* Any context.  Is anybody listening to @ln's drops? */
bool lsdp_has_drop_listeners(struct lsdp_net *ln)
{
	return genl_has_listeners(&lsdp_family, ln->net, LSDP_MCGRP_IDX_DROPS);
}

/* Any context, atomic.  Sends drop event @msg to @ln's listeners. */
void lsdp_multicast_drop(struct lsdp_net *ln, struct sk_buff *msg)
{
	genlmsg_multicast_netns(&lsdp_family, ln->net, msg, 0,
				LSDP_MCGRP_IDX_DROPS, GFP_ATOMIC);
}

/*
 * Any context (@gfp says which), with what @fill needs held.  Sends the
 * message @fill writes about @obj to @ln's listeners: every object's
 * events go out through here.  Best effort: events may be lost on ENOMEM.
 */
void lsdp_notify(struct lsdp_net *ln, lsdp_fill_t fill, void *obj, u8 cmd,
		 gfp_t gfp)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&lsdp_family, ln->net, LSDP_MCGRP_IDX_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!msg)
		return;
	if (fill(msg, obj, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&lsdp_family, ln->net, msg, 0,
				LSDP_MCGRP_IDX_EVENTS, gfp);
}

/*
 * Process context, with what @fill needs held.  Answers a do request with
 * the message @fill writes about @obj, in a buffer of @size bytes.
 */
int lsdp_reply_size(struct genl_info *info, size_t size, lsdp_fill_t fill,
		    void *obj, u8 cmd)
{
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = fill(msg, obj, info->snd_portid, info->snd_seq, 0, cmd);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* lsdp_reply_size() for the objects whose message fits NLMSG_GOODSIZE. */
int lsdp_reply(struct genl_info *info, lsdp_fill_t fill, void *obj, u8 cmd)
{
	return lsdp_reply_size(info, NLMSG_GOODSIZE, fill, obj, cmd);
}

/*
 * Called with ln->lock held.  The datapath the request's @attr names, or
 * NULL after saying there is none.
 */
struct lsdp_dp *lsdp_req_dp(struct lsdp_net *ln, const struct nlattr *attr,
			    struct netlink_ext_ack *extack)
{
	struct lsdp_dp *dp;

	lockdep_assert_held(&ln->lock);
	dp = lsdp_dp_find_name(ln, nla_data(attr));
	if (!dp)
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such datapath");
	return dp;
}

/*
 * Called with ln->lock held.  The port the request's @attr names, or NULL
 * after saying there is none.
 */
struct lsdp_port *lsdp_req_port(struct lsdp_net *ln,
				const struct nlattr *attr,
				struct netlink_ext_ack *extack)
{
	struct lsdp_port *port;

	lockdep_assert_held(&ln->lock);
	port = lsdp_port_find_name(ln, nla_data(attr));
	if (!port)
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such port");
	return port;
}

/* Called with ln->lock held.  As lsdp_req_port(), for a chassis. */
static struct lsdp_chassis *lsdp_req_chassis_name(struct lsdp_net *ln,
						  const struct nlattr *attr,
						  struct netlink_ext_ack *extack)
{
	struct lsdp_chassis *ch;

	lockdep_assert_held(&ln->lock);
	ch = lsdp_chassis_find(ln, nla_data(attr));
	if (!ch)
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such chassis");
	return ch;
}

/*
 * Called at the start of every dump callback: the sequence the messages
 * of this part carry is the instance's generation, so that a change
 * between two parts flags the later one (and NLMSG_DONE) NLM_F_DUMP_INTR.
 * Never 0, which would mean "not checked".
 */
void lsdp_dump_begin(struct netlink_callback *cb, struct lsdp_net *ln)
{
	cb->seq = (u32)atomic_read(&ln->gen) ?: 1;
}

/* The message that starts at @start in @skb was just put: check it. */
void lsdp_dump_check(struct netlink_callback *cb, struct sk_buff *skb,
		     int start)
{
	nl_dump_check_consistent(cb, (struct nlmsghdr *)(skb->data + start));
}

/*
 * One object of a dump: @obj put by @fill as a multipart message @cmd of
 * this part, then checked.  The caller holds what @fill needs (the fill's
 * own rule: ln->lock or RCU).  0, or -EMSGSIZE when @skb is full and
 * @obj goes in the next part.
 */
int lsdp_dump_fill(struct sk_buff *skb, struct netlink_callback *cb,
		   lsdp_fill_t fill, void *obj, u8 cmd)
{
	int start = skb->len;
	int err;

	err = fill(skb, obj, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
		   NLM_F_MULTI, cmd);
	if (!err)
		lsdp_dump_check(cb, skb, start);
	return err;
}

/*
 * Called with ln->lock held.  The datapath the cursor's last object was
 * in if it still exists (*same set), else the first one created after it
 * (the list head, as an entry, when there is none).
 */
struct lsdp_dp *lsdp_dump_dp(struct lsdp_net *ln,
			     const struct lsdp_dump_cursor *c, bool *same)
{
	struct lsdp_dp *dp;

	lockdep_assert_held(&ln->lock);
	*same = false;
	if (c->dp_serial) {
		dp = lsdp_dp_find_key(ln, c->dp_key);
		if (dp && dp->serial == c->dp_serial) {
			*same = true;
			return dp;
		}
	}
	list_for_each_entry(dp, &ln->dps, list)
		if (dp->serial > c->dp_serial)
			break;
	return dp;
}

/* Any context; @stats must stay allocated. */
int lsdp_put_stats(struct sk_buff *skb, int type,
		   const struct lsdp_counters *stats)
{
	struct lsdp_stats st;
	struct nlattr *nest, *drops;
	int i;

	lsdp_counters_read(stats, &st);
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, LSDP_STATS_A_RX_PACKETS, st.rx_packets,
			      LSDP_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, LSDP_STATS_A_RX_BYTES, st.rx_bytes,
			      LSDP_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, LSDP_STATS_A_TX_PACKETS, st.tx_packets,
			      LSDP_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, LSDP_STATS_A_TX_BYTES, st.tx_bytes,
			      LSDP_STATS_A_PAD))
		return -EMSGSIZE;
	drops = nla_nest_start(skb, LSDP_STATS_A_DROPS);
	if (!drops)
		return -EMSGSIZE;
	/* Type 0 (LSDP_DROP_UNSPEC) is the padding type inside this nest. */
	for (i = LSDP_DROP_UNSPEC + 1; i <= LSDP_DROP_MAX; i++)
		if (nla_put_u64_64bit(skb, i, st.drops[i], LSDP_DROP_UNSPEC))
			return -EMSGSIZE;
	nla_nest_end(skb, drops);
	nla_nest_end(skb, nest);
	return 0;
}

/* Called with ln->lock held.  An lsdp_fill_t of a port. */
static int lsdp_fill_port(struct sk_buff *skb, void *obj, u32 portid,
			  u32 seq, int flags, u8 cmd)
{
	struct lsdp_port *port = obj;
	const struct lsdp_port_cfg *cfg = lsdp_port_cfg(port);
	const struct lsdp_port_ext *ext = lsdp_port_ext(port);
	struct net_device *dev = lsdp_port_dev(port);
	struct lsdp_port *peer;
	struct nlattr *addrs;
	const __be32 *ip4;
	u8 net[17];
	void *hdr;
	int i;

	lockdep_assert_held(&port->dp->ln->lock);
	hdr = genlmsg_put(skb, portid, seq, &lsdp_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, LSDP_A_PORT_NAME, port->name) ||
	    nla_put_string(skb, LSDP_A_DP_NAME, port->dp->name) ||
	    nla_put_u32(skb, LSDP_A_DP_KEY, port->dp->key) ||
	    nla_put_u32(skb, LSDP_A_PORT_KEY, port->key) ||
	    nla_put_u8(skb, LSDP_A_PORT_TYPE, port->type) ||
	    nla_put_u8(skb, LSDP_A_PORT_UNKNOWN, cfg->unknown) ||
	    nla_put_u8(skb, LSDP_A_PORT_SECURITY, cfg->security) ||
	    nla_put_u32(skb, LSDP_A_PORT_IFINDEX, dev ? dev->ifindex : 0))
		goto cancel;
	if (cfg->has_mac && nla_put(skb, LSDP_A_PORT_MAC, ETH_ALEN, cfg->mac))
		goto cancel;
	if (ext && ext->ct_zone &&
	    nla_put_u16(skb, LSDP_A_PORT_CT_ZONE, ext->ct_zone))
		goto cancel;
	if (dev && nla_put_string(skb, LSDP_A_PORT_IFNAME, port->ifname))
		goto cancel;
	if (lsdp_port_chassis(port) &&
	    nla_put_string(skb, LSDP_A_PORT_CHASSIS, lsdp_port_chassis(port)->name))
		goto cancel;
	peer = lsdp_port_peer(port);
	if (peer && nla_put_string(skb, LSDP_A_PORT_PEER, peer->name))
		goto cancel;
	if (lsdp_port_parent(port) &&
	    nla_put_string(skb, LSDP_A_PORT_PARENT,
			   lsdp_port_parent(port)->name))
		goto cancel;
	if (cfg->tag && nla_put_u16(skb, LSDP_A_PORT_TAG, cfg->tag))
		goto cancel;
	if (port->type == LSDP_PORT_TYPE_VIRTUAL && lsdp_virt_fill(skb, port))
		goto cancel;
	if (lsdp_announce_started(port) &&
	    nla_put_u32(skb, LSDP_A_PORT_ANNOUNCED, lsdp_announce_count(port)))
		goto cancel;
	addrs = nla_nest_start(skb, LSDP_A_PORT_ADDRS);
	if (!addrs)
		goto cancel;
	ip4 = lsdp_cfg_ip4(cfg);
	for (i = 0; i < cfg->n_ip4; i++) {
		if (!cfg->nets) {
			if (nla_put_in_addr(skb, LSDP_ADDR_A_IPV4, ip4[i]))
				goto cancel;
			continue;
		}
		memcpy(net, &ip4[i], 4);
		net[4] = lsdp_cfg_plen4(cfg)[i];
		if (nla_put(skb, LSDP_ADDR_A_IPV4_NET, 5, net))
			goto cancel;
	}
	for (i = 0; i < cfg->n_ip6; i++) {
		if (!cfg->nets) {
			if (nla_put_in6_addr(skb, LSDP_ADDR_A_IPV6,
					     &cfg->addrs[i]))
				goto cancel;
			continue;
		}
		memcpy(net, &cfg->addrs[i], 16);
		net[16] = lsdp_cfg_plen6(cfg)[i];
		if (nla_put(skb, LSDP_ADDR_A_IPV6_NET, 17, net))
			goto cancel;
	}
	nla_nest_end(skb, addrs);
	if (lsdp_put_stats(skb, LSDP_A_PORT_STATS, &port->stats))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Called with ln->lock held.  An lsdp_fill_t of a datapath. */
static int lsdp_fill_dp(struct sk_buff *skb, void *obj, u32 portid, u32 seq,
			int flags, u8 cmd)
{
	struct lsdp_dp *dp = obj;
	void *hdr;

	lockdep_assert_held(&dp->ln->lock);
	hdr = genlmsg_put(skb, portid, seq, &lsdp_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, LSDP_A_DP_NAME, dp->name) ||
	    nla_put_u32(skb, LSDP_A_DP_KEY, dp->key) ||
	    nla_put_u8(skb, LSDP_A_DP_KIND, dp->kind) ||
	    nla_put_u32(skb, LSDP_A_DP_NPORTS, dp->n_ports)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Called with ln->lock held.  Best effort: events may be lost on ENOMEM. */
void lsdp_notify_port(struct lsdp_port *port, u8 cmd)
{
	lockdep_assert_held(&port->dp->ln->lock);
	lsdp_notify(port->dp->ln, lsdp_fill_port, port, cmd, GFP_KERNEL);
}

int lsdp_cmd_dp_new(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr **a = info->attrs;
	u8 kind = LSDP_DP_KIND_SWITCH;
	struct lsdp_dp *dp;
	u32 key;
	int err;

	if (!LSDP_REQUIRE(info, LSDP_A_DP_NAME, "missing datapath name") ||
	    !LSDP_REQUIRE(info, LSDP_A_DP_KEY, "missing datapath key"))
		return -EINVAL;
	/* Name, key range and kind: checked by the policy. */
	key = nla_get_u32(a[LSDP_A_DP_KEY]);
	if (a[LSDP_A_DP_KIND])
		kind = nla_get_u8(a[LSDP_A_DP_KIND]);

	dp = lsdp_dp_alloc(nla_data(a[LSDP_A_DP_NAME]), key, kind);
	if (!dp)
		return -ENOMEM;
	mutex_lock(&ln->lock);
	err = lsdp_dp_create(ln, dp, info->extack);
	if (!err)
		lsdp_notify(ln, lsdp_fill_dp, dp, LSDP_CMD_DP_NEW, GFP_KERNEL);
	mutex_unlock(&ln->lock);
	if (err)
		lsdp_dp_free(dp);
	return err;
}

int lsdp_cmd_dp_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct lsdp_dp *dp;

	if (!LSDP_REQUIRE(info, LSDP_A_DP_NAME, "missing datapath name"))
		return -EINVAL;
	rtnl_lock();
	mutex_lock(&ln->lock);
	dp = lsdp_req_dp(ln, info->attrs[LSDP_A_DP_NAME], info->extack);
	if (dp) {
		lsdp_notify(ln, lsdp_fill_dp, dp, LSDP_CMD_DP_DEL, GFP_KERNEL);
		lsdp_dp_destroy(dp);
	}
	mutex_unlock(&ln->lock);
	rtnl_unlock();
	return dp ? 0 : -ENOENT;
}

int lsdp_cmd_dp_get(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct lsdp_dp *dp;
	int err;

	if (!LSDP_REQUIRE(info, LSDP_A_DP_NAME, "missing datapath name"))
		return -EINVAL;
	mutex_lock(&ln->lock);
	dp = lsdp_req_dp(ln, info->attrs[LSDP_A_DP_NAME], info->extack);
	err = dp ? lsdp_reply(info, lsdp_fill_dp, dp, LSDP_CMD_DP_NEW) : -ENOENT;
	mutex_unlock(&ln->lock);
	return err;
}

/* Datapaths in creation order; cursor: struct lsdp_dump_cursor. */
int lsdp_cmd_dp_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lsdp_net *ln = lsdp_net(sock_net(skb->sk));
	struct lsdp_dump_cursor *c = lsdp_dump_cursor(cb);
	struct lsdp_dp *dp;
	bool same;

	mutex_lock(&ln->lock);
	lsdp_dump_begin(cb, ln);
	dp = lsdp_dump_dp(ln, c, &same);
	if (same)
		dp = list_next_entry(dp, list);
	list_for_each_entry_from(dp, &ln->dps, list) {
		if (lsdp_dump_fill(skb, cb, lsdp_fill_dp, dp, LSDP_CMD_DP_NEW))
			break;
		c->dp_key = dp->key;
		c->dp_serial = dp->serial;
	}
	mutex_unlock(&ln->lock);
	return skb->len;
}

/*
 * Builds a port configuration from a request, starting from @base (the
 * current one, for a change) or from defaults.  Process context, no locks
 * needed: only the request and @base are read.
 */
static struct lsdp_port_cfg *lsdp_cfg_build(struct nlattr **a,
					    const struct lsdp_port_cfg *base,
					    bool nets,
					    struct netlink_ext_ack *extack)
{
	struct nlattr *nla, *mac = a[LSDP_A_PORT_MAC];
	struct nlattr *addrs = a[LSDP_A_PORT_ADDRS];
	int want4 = nets ? LSDP_ADDR_A_IPV4_NET : LSDP_ADDR_A_IPV4;
	int want6 = nets ? LSDP_ADDR_A_IPV6_NET : LSDP_ADDR_A_IPV6;
	unsigned int n4 = 0, n6 = 0, i, j;
	struct lsdp_port_cfg *cfg;
	u8 *plen4, *plen6;
	__be32 *ip4;
	size_t size;
	int rem;

	/* The policy checked the length. */
	if (mac && !is_valid_ether_addr(nla_data(mac))) {
		NL_SET_ERR_MSG_ATTR(extack, mac,
				    "invalid MAC address (must be unicast and not zero)");
		return ERR_PTR(-EINVAL);
	}
	if (addrs) {
		nla_for_each_nested(nla, addrs, rem) {
			if (nla_type(nla) == want4) {
				n4++;
				continue;
			}
			if (nla_type(nla) == want6) {
				n6++;
				continue;
			}
			if (nets)
				NL_SET_ERR_MSG_ATTR(extack, nla,
						    "router ports take networks (address/prefix length), not plain addresses");
			else
				NL_SET_ERR_MSG_ATTR(extack, nla,
						    "switch ports take plain addresses, not networks");
			return ERR_PTR(-EINVAL);
		}
		if (n4 + n6 > LSDP_MAX_ADDRS) {
			NL_SET_ERR_MSG_ATTR(extack, addrs,
					    "too many addresses (at most 64 per port)");
			return ERR_PTR(-E2BIG);
		}
	} else if (base) {
		n4 = base->n_ip4;
		n6 = base->n_ip6;
	}

	size = struct_size(cfg, addrs, n6) + n4 * sizeof(__be32);
	if (nets)
		size += n4 + n6;
	cfg = kzalloc(size, GFP_KERNEL);
	if (!cfg)
		return ERR_PTR(-ENOMEM);
	if (base) {
		ether_addr_copy(cfg->mac, base->mac);
		cfg->has_mac = base->has_mac;
		cfg->unknown = base->unknown;
		cfg->security = base->security;
		cfg->tag = base->tag;
	}
	cfg->nets = nets;
	cfg->n_ip4 = n4;
	cfg->n_ip6 = n6;
	ip4 = (__be32 *)lsdp_cfg_ip4(cfg);
	plen6 = (u8 *)lsdp_cfg_plen6(cfg);
	plen4 = (u8 *)lsdp_cfg_plen4(cfg);

	if (!addrs && base) {
		memcpy(cfg->addrs, base->addrs, n6 * sizeof(struct in6_addr));
		memcpy(ip4, lsdp_cfg_ip4(base), n4 * sizeof(__be32));
		if (nets)
			memcpy(plen6, lsdp_cfg_plen6(base), n6 + n4);
	} else if (addrs) {
		i = 0;
		j = 0;
		nla_for_each_nested(nla, addrs, rem) {
			if (nla_type(nla) == want4) {
				__be32 v4;

				v4 = nla_get_in_addr(nla);
				if (ipv4_is_zeronet(v4) || ipv4_is_multicast(v4) ||
				    ipv4_is_lbcast(v4) || ipv4_is_loopback(v4)) {
					NL_SET_ERR_MSG_ATTR(extack, nla,
							    "invalid IPv4 address (zero, loopback, multicast or broadcast)");
					goto err_inval;
				}
				if (nets) {
					plen4[i] = ((u8 *)nla_data(nla))[4];
					if (plen4[i] < 1 || plen4[i] > 32) {
						NL_SET_ERR_MSG_ATTR(extack, nla,
								    "IPv4 prefix length must be 1..32");
						goto err_inval;
					}
				}
				ip4[i++] = v4;
			} else {
				struct in6_addr v6;

				memcpy(&v6, nla_data(nla), sizeof(v6));
				if (ipv6_addr_any(&v6) ||
				    ipv6_addr_is_multicast(&v6) ||
				    ipv6_addr_loopback(&v6)) {
					NL_SET_ERR_MSG_ATTR(extack, nla,
							    "invalid IPv6 address (unspecified, loopback or multicast)");
					goto err_inval;
				}
				if (nets) {
					plen6[j] = ((u8 *)nla_data(nla))[16];
					if (plen6[j] < 1 || plen6[j] > 128) {
						NL_SET_ERR_MSG_ATTR(extack, nla,
								    "IPv6 prefix length must be 1..128");
						goto err_inval;
					}
				}
				cfg->addrs[j++] = v6;
			}
		}
		for (i = 0; i < n4; i++)
			for (j = i + 1; j < n4; j++)
				if (ip4[i] == ip4[j])
					goto err_dup;
		for (i = 0; i < n6; i++)
			for (j = i + 1; j < n6; j++)
				if (ipv6_addr_equal(&cfg->addrs[i], &cfg->addrs[j]))
					goto err_dup;
	}

	if (mac) {
		ether_addr_copy(cfg->mac, nla_data(mac));
		cfg->has_mac = true;
	}
	/* 0/1: checked by the policy. */
	if (a[LSDP_A_PORT_UNKNOWN])
		cfg->unknown = nla_get_u8(a[LSDP_A_PORT_UNKNOWN]);
	if (a[LSDP_A_PORT_SECURITY])
		cfg->security = nla_get_u8(a[LSDP_A_PORT_SECURITY]);
	if (cfg->security && !cfg->has_mac) {
		NL_SET_ERR_MSG_ATTR(extack, a[LSDP_A_PORT_SECURITY],
				    "port security needs a MAC address");
		goto err_inval;
	}
	return cfg;

err_dup:
	NL_SET_ERR_MSG_ATTR(extack, addrs, "duplicate address");
err_inval:
	kfree(cfg);
	return ERR_PTR(-EINVAL);
}

/*
 * Resolves LSDP_A_PORT_IFINDEX in the request's netns.  Called with RTNL
 * held.  Returns NULL with *err == 0 for "unbind" (ifindex 0).
 */
static struct net_device *lsdp_req_dev(struct genl_info *info, int *err)
{
	struct nlattr *attr = info->attrs[LSDP_A_PORT_IFINDEX];
	struct net_device *dev;
	u32 ifindex = nla_get_u32(attr);

	ASSERT_RTNL();
	*err = 0;
	if (!ifindex)
		return NULL;
	dev = __dev_get_by_index(genl_info_net(info), ifindex);
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such device");
		*err = -ENODEV;
	}
	return dev;
}

/*
 * Resolves LSDP_A_PORT_CHASSIS.  Called with ln->lock held.  *ch is NULL
 * when the attribute is absent or empty (not bound to a chassis).
 */
static int lsdp_req_chassis(struct lsdp_net *ln, struct genl_info *info,
			    struct lsdp_chassis **ch)
{
	struct nlattr *attr = info->attrs[LSDP_A_PORT_CHASSIS];

	lockdep_assert_held(&ln->lock);
	*ch = NULL;
	if (!attr || lsdp_str_empty(attr))
		return 0;
	/* Not a policy-checked name: "" means none. */
	if (!lsdp_name_valid(attr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "chassis name must be 1..63 printable characters");
		return -EINVAL;
	}
	*ch = lsdp_req_chassis_name(ln, attr, info->extack);
	return *ch ? 0 : -ENOENT;
}

/*
 * The kind of the datapath a request names, looked up on its own: it
 * decides how the request is read before the real work takes the locks
 * (and looks the datapath up again).  Takes ln->lock.
 */
static int lsdp_req_dp_kind(struct lsdp_net *ln, struct genl_info *info)
{
	struct lsdp_dp *dp;
	int kind;

	mutex_lock(&ln->lock);
	dp = lsdp_req_dp(ln, info->attrs[LSDP_A_DP_NAME], info->extack);
	kind = dp ? dp->kind : -ENOENT;
	mutex_unlock(&ln->lock);
	return kind;
}

/*
 * LSDP_A_PORT_TAG, if present, is a VLAN ID 1..4094 (0 too when @zero:
 * "no tag" in a change).  802.1Q reserves 0 and 4095.
 */
static int lsdp_check_vid(struct genl_info *info, bool zero)
{
	struct nlattr *attr = info->attrs[LSDP_A_PORT_TAG];
	u16 vid;

	if (!attr)
		return 0;
	vid = nla_get_u16(attr);
	if ((vid == 0 && !zero) || vid >= VLAN_VID_MASK) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "VLAN ID must be 1..4094");
		return -ERANGE;
	}
	return 0;
}

/*
 * Called with ln->lock held.  Finds and checks the parent a new trunk
 * child names, for a child tagged @tag.
 */
static struct lsdp_port *lsdp_req_parent(struct lsdp_net *ln,
					 struct genl_info *info, u16 tag,
					 int *err)
{
	struct nlattr *attr = info->attrs[LSDP_A_PORT_PARENT];
	struct lsdp_port *parent;

	lockdep_assert_held(&ln->lock);
	*err = -EINVAL;
	parent = lsdp_port_find_name(ln, nla_data(attr));
	if (!parent) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such parent port");
		*err = -ENOENT;
		return NULL;
	}
	if (lsdp_port_parent(parent)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "the parent is itself a trunk child (one level only)");
		return NULL;
	}
	if (parent->type != LSDP_PORT_TYPE_VIF) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "a trunk parent must be a vif port");
		return NULL;
	}
	if (lsdp_trunk_tag_used(parent, tag)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LSDP_A_PORT_TAG],
				    "tag already used by another child of this parent");
		*err = -EEXIST;
		return NULL;
	}
	return parent;
}

/*
 * What a port of @type on a datapath of @kind may carry; the rest is
 * refused here, before anything is allocated.
 */
static int lsdp_check_port_attrs(struct genl_info *info, int kind, u8 type)
{
	struct nlattr **a = info->attrs;
	struct netlink_ext_ack *extack = info->extack;
	bool dev = a[LSDP_A_PORT_IFINDEX] && nla_get_u32(a[LSDP_A_PORT_IFINDEX]);
	bool ch = a[LSDP_A_PORT_CHASSIS] && !lsdp_str_empty(a[LSDP_A_PORT_CHASSIS]);

	if (kind == LSDP_DP_KIND_ROUTER) {
		if (a[LSDP_A_PORT_TYPE] && type != LSDP_PORT_TYPE_ROUTER_PORT) {
			NL_SET_ERR_MSG_ATTR(extack, a[LSDP_A_PORT_TYPE],
					    "a router has router ports only (no type)");
			return -EINVAL;
		}
		if (!a[LSDP_A_PORT_MAC]) {
			NL_SET_ERR_MSG_ATTR(extack, NULL, "a router port needs a MAC address");
			NL_SET_ERR_ATTR_MISS(extack, NULL, LSDP_A_PORT_MAC);
			return -EINVAL;
		}
		if (dev || ch || a[LSDP_A_PORT_UNKNOWN] ||
		    a[LSDP_A_PORT_SECURITY] || a[LSDP_A_PORT_PEER] ||
		    a[LSDP_A_PORT_PARENT] || a[LSDP_A_PORT_TAG] ||
		    a[LSDP_A_PORT_VIRTUAL_IP] ||
		    a[LSDP_A_PORT_VIRTUAL_PARENTS]) {
			NL_SET_ERR_MSG(extack,
				       "a router port takes only key, mac and networks (join it to a switch with a port of type router and peer)");
			return -EINVAL;
		}
		return 0;
	}
	if (type == LSDP_PORT_TYPE_ROUTER_PORT) {
		NL_SET_ERR_MSG_ATTR(extack, a[LSDP_A_PORT_TYPE],
				    "router ports belong on routers");
		return -EINVAL;
	}
	if (type == LSDP_PORT_TYPE_ROUTER) {
		if (!a[LSDP_A_PORT_PEER]) {
			NL_SET_ERR_MSG(extack,
				       "a port of type router needs a peer (the router port it joins)");
			NL_SET_ERR_ATTR_MISS(extack, NULL, LSDP_A_PORT_PEER);
			return -EINVAL;
		}
		if (dev || ch || a[LSDP_A_PORT_MAC] || a[LSDP_A_PORT_ADDRS] ||
		    a[LSDP_A_PORT_SECURITY] || a[LSDP_A_PORT_UNKNOWN] ||
		    a[LSDP_A_PORT_PARENT] || a[LSDP_A_PORT_TAG] ||
		    a[LSDP_A_PORT_VIRTUAL_IP] ||
		    a[LSDP_A_PORT_VIRTUAL_PARENTS]) {
			NL_SET_ERR_MSG(extack,
				       "a port of type router takes only key and peer (its MAC and addresses are the router port's)");
			return -EINVAL;
		}
		return 0;
	}
	if (a[LSDP_A_PORT_PEER]) {
		NL_SET_ERR_MSG_ATTR(extack, a[LSDP_A_PORT_PEER],
				    "only ports of type router take a peer");
		return -EINVAL;
	}
	if (type != LSDP_PORT_TYPE_VIRTUAL &&
	    (a[LSDP_A_PORT_VIRTUAL_IP] || a[LSDP_A_PORT_VIRTUAL_PARENTS])) {
		NL_SET_ERR_MSG_ATTR(extack, a[LSDP_A_PORT_VIRTUAL_IP] ?:
				    a[LSDP_A_PORT_VIRTUAL_PARENTS],
				    "only virtual ports take a virtual IP and parents");
		return -EINVAL;
	}
	if (type == LSDP_PORT_TYPE_VIRTUAL &&
	    (dev || ch || a[LSDP_A_PORT_PARENT] || a[LSDP_A_PORT_TAG])) {
		NL_SET_ERR_MSG(extack,
			       "a virtual port is bound by its parents' ARP, not to a device, chassis or trunk");
		return -EINVAL;
	}
	if (dev && ch) {
		NL_SET_ERR_MSG_ATTR(extack, a[LSDP_A_PORT_CHASSIS],
				    "a port is bound to a device or to a chassis, not both");
		return -EINVAL;
	}
	if (type == LSDP_PORT_TYPE_REMOTE && dev) {
		NL_SET_ERR_MSG_ATTR(extack, a[LSDP_A_PORT_IFINDEX],
				    "a remote port cannot be bound to a local device");
		return -EINVAL;
	}
	if (type == LSDP_PORT_TYPE_LOCALNET && ch) {
		NL_SET_ERR_MSG_ATTR(extack, a[LSDP_A_PORT_CHASSIS],
				    "a localnet port is bound on every chassis to its own device, never to a chassis");
		return -EINVAL;
	}
	if (type == LSDP_PORT_TYPE_LOCALNET && !dev) {
		NL_SET_ERR_MSG(extack,
			       "a localnet port needs dev (the provider network's device on this chassis)");
		NL_SET_ERR_ATTR_MISS(extack, NULL, LSDP_A_PORT_IFINDEX);
		return -EINVAL;
	}
	if (a[LSDP_A_PORT_PARENT]) {
		if (type != LSDP_PORT_TYPE_VIF) {
			NL_SET_ERR_MSG_ATTR(extack, a[LSDP_A_PORT_PARENT],
					    "only vif ports can be trunk children");
			return -EINVAL;
		}
		if (!a[LSDP_A_PORT_TAG]) {
			NL_SET_ERR_MSG(extack,
				       "a trunk child needs a tag (its VLAN ID on the parent)");
			NL_SET_ERR_ATTR_MISS(extack, NULL, LSDP_A_PORT_TAG);
			return -EINVAL;
		}
		if (dev || ch) {
			NL_SET_ERR_MSG(extack,
				       "a trunk child is bound through its parent (no dev or chassis of its own)");
			return -EINVAL;
		}
	} else if (a[LSDP_A_PORT_TAG] && type != LSDP_PORT_TYPE_LOCALNET) {
		NL_SET_ERR_MSG_ATTR(extack, a[LSDP_A_PORT_TAG],
				    "only trunk children (with a parent) and localnet ports take a VLAN tag");
		return -EINVAL;
	}
	return lsdp_check_vid(info, false);
}

/*
 * Called with ln->lock held.  Finds the router port a new patch port
 * names as its peer.
 */
static struct lsdp_port *lsdp_req_peer(struct lsdp_net *ln,
				       struct genl_info *info, int *err)
{
	struct nlattr *attr = info->attrs[LSDP_A_PORT_PEER];
	struct lsdp_port *peer;

	lockdep_assert_held(&ln->lock);
	peer = lsdp_port_find_name(ln, nla_data(attr));
	if (!peer) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such peer port");
		*err = -ENOENT;
		return NULL;
	}
	if (peer->type != LSDP_PORT_TYPE_ROUTER_PORT) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "peer must be a router port");
		*err = -EINVAL;
		return NULL;
	}
	if (lsdp_port_peer(peer)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "peer router port is already joined to a switch");
		*err = -EBUSY;
		return NULL;
	}
	return peer;
}

int lsdp_cmd_port_new(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr **a = info->attrs;
	u8 type = LSDP_PORT_TYPE_VIF;
	struct lsdp_virt *virt = NULL;
	struct lsdp_port *peer = NULL;
	struct lsdp_chassis *ch = NULL;
	struct net_device *dev = NULL;
	struct lsdp_port_cfg *cfg;
	struct lsdp_port *port;
	struct lsdp_dp *dp;
	bool is_router;
	int kind;
	u32 key;
	int err;

	if (!LSDP_REQUIRE(info, LSDP_A_DP_NAME, "missing datapath name") ||
	    !LSDP_REQUIRE(info, LSDP_A_PORT_NAME, "missing port name") ||
	    !LSDP_REQUIRE(info, LSDP_A_PORT_KEY, "missing port key"))
		return -EINVAL;
	/* Names, key range and type range: checked by the policy. */
	key = nla_get_u32(a[LSDP_A_PORT_KEY]);
	kind = lsdp_req_dp_kind(ln, info);
	if (kind < 0)
		return kind;
	is_router = kind == LSDP_DP_KIND_ROUTER;
	if (is_router)
		type = LSDP_PORT_TYPE_ROUTER_PORT;
	if (a[LSDP_A_PORT_TYPE])
		type = nla_get_u8(a[LSDP_A_PORT_TYPE]);
	err = lsdp_check_port_attrs(info, kind, type);
	if (err)
		return err;

	if (type == LSDP_PORT_TYPE_VIRTUAL) {
		virt = lsdp_virt_parse(info);
		if (IS_ERR(virt))
			return PTR_ERR(virt);
	}
	cfg = lsdp_cfg_build(a, NULL, is_router, info->extack);
	if (IS_ERR(cfg)) {
		kfree(virt);
		return PTR_ERR(cfg);
	}
	if (a[LSDP_A_PORT_TAG])
		cfg->tag = nla_get_u16(a[LSDP_A_PORT_TAG]);
	port = lsdp_port_alloc(nla_data(a[LSDP_A_PORT_NAME]), key, type);
	if (!port) {
		err = -ENOMEM;
		goto err_free_cfg;
	}

	rtnl_lock();
	mutex_lock(&ln->lock);
	dp = lsdp_dp_find_name(ln, nla_data(a[LSDP_A_DP_NAME]));
	if (!dp || dp->kind != kind) {
		/* Deleted (and maybe re-created) since we looked. */
		NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_DP_NAME],
				    "no such datapath");
		err = -ENOENT;
		goto err_unlock;
	}
	if (type == LSDP_PORT_TYPE_ROUTER) {
		peer = lsdp_req_peer(ln, info, &err);
		if (!peer)
			goto err_unlock;
		/* The patch answers to the router port's MAC on the switch. */
		ether_addr_copy(cfg->mac, lsdp_port_cfg(peer)->mac);
		cfg->has_mac = true;
		/* Both sides keep the patch in their extensions. */
		err = -ENOMEM;
		if (!lsdp_port_ext_get(port, GFP_KERNEL) ||
		    !lsdp_port_ext_get(peer, GFP_KERNEL))
			goto err_unlock;
	}
	if (a[LSDP_A_PORT_PARENT]) {
		struct lsdp_port *parent;
		struct lsdp_port_ext *ext;

		parent = lsdp_req_parent(ln, info, cfg->tag, &err);
		if (!parent)
			goto err_unlock;
		err = -ENOMEM;
		ext = lsdp_port_ext_get(port, GFP_KERNEL);
		if (!ext)
			goto err_unlock;
		ext->parent = parent;
	}
	if (a[LSDP_A_PORT_IFINDEX]) {
		dev = lsdp_req_dev(info, &err);
		if (err)
			goto err_unlock;
		if (dev) {
			err = lsdp_port_check_dev(port, dev, info->extack);
			if (err)
				goto err_unlock;
		}
	}
	err = lsdp_req_chassis(ln, info, &ch);
	if (err)
		goto err_unlock;
	/* The port owns cfg from here on; on error both are gone. */
	err = lsdp_port_insert(dp, port, cfg, info->extack);
	if (err) {
		kfree(virt);
		goto err_unlock_published;
	}
	/* NAT rules naming it find it again (a port deleted and made again). */
	lsdp_nat_port_added(port);
	if (is_router)
		err = lsdp_port_add_connected(port, info->extack);
	else if (lsdp_port_parent(port))
		err = lsdp_trunk_add(lsdp_port_parent(port), port,
				     info->extack);
	else if (virt)
		err = lsdp_virt_attach(port, virt, info->extack);
	else if (dev)
		err = lsdp_port_bind(port, dev, info->extack);
	else if (ch)
		err = lsdp_port_set_chassis(port, ch);
	if (err) {
		lsdp_port_destroy(port);
		goto err_unlock_published;
	}
	if (peer) {
		/* Both extensions were made above. */
		rcu_assign_pointer(lsdp_port_ext(port)->peer, peer);
		rcu_assign_pointer(lsdp_port_ext(peer)->peer, port);
		lsdp_notify_port(peer, LSDP_CMD_PORT_SET);
		/* A router port now reachable from a provider network. */
		lsdp_announce_start(port);
	}
	lsdp_notify_port(port, LSDP_CMD_PORT_NEW);
	mutex_unlock(&ln->lock);
	rtnl_unlock();
	return 0;

err_unlock_published:
	mutex_unlock(&ln->lock);
	rtnl_unlock();
	return err;
err_unlock:
	mutex_unlock(&ln->lock);
	rtnl_unlock();
	lsdp_port_free(port);
err_free_cfg:
	kfree(cfg);
	kfree(virt);
	return err;
}

int lsdp_cmd_port_set(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr **a = info->attrs;
	struct lsdp_port_cfg *cfg = NULL;
	struct lsdp_dp_chassis *spare = NULL;
	struct lsdp_chassis *ch = NULL;
	struct net_device *dev = NULL;
	struct lsdp_port *port;
	bool bind_new = false;
	int err;

	if (!LSDP_REQUIRE(info, LSDP_A_PORT_NAME, "missing port name"))
		return -EINVAL;
	if (a[LSDP_A_PORT_IFINDEX] && nla_get_u32(a[LSDP_A_PORT_IFINDEX]) &&
	    a[LSDP_A_PORT_CHASSIS] && !lsdp_str_empty(a[LSDP_A_PORT_CHASSIS])) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_PORT_CHASSIS],
				    "a port is bound to a device or to a chassis, not both");
		return -EINVAL;
	}

	rtnl_lock();
	mutex_lock(&ln->lock);
	port = lsdp_req_port(ln, a[LSDP_A_PORT_NAME], info->extack);
	if (!port) {
		err = -ENOENT;
		goto out_unlock;
	}
	if (lsdp_port_parent(port) &&
	    (a[LSDP_A_PORT_IFINDEX] || a[LSDP_A_PORT_CHASSIS])) {
		NL_SET_ERR_MSG(info->extack,
			       "a trunk child is bound through its parent; bind the parent");
		err = -EINVAL;
		goto out_unlock;
	}
	if (port->type == LSDP_PORT_TYPE_VIRTUAL &&
	    (a[LSDP_A_PORT_IFINDEX] || a[LSDP_A_PORT_CHASSIS])) {
		NL_SET_ERR_MSG(info->extack,
			       "a virtual port is bound by its parents' ARP, not to a device or chassis");
		err = -EINVAL;
		goto out_unlock;
	}
	if (a[LSDP_A_PORT_TAG] && port->type != LSDP_PORT_TYPE_LOCALNET) {
		if (lsdp_port_parent(port))
			NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_PORT_TAG],
					    "a trunk child's tag cannot be changed; delete and add the port again");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_PORT_TAG],
					    "only localnet ports take a VLAN tag here");
		err = -EINVAL;
		goto out_unlock;
	}
	err = lsdp_check_vid(info, true);
	if (err)
		goto out_unlock;
	if ((port->type == LSDP_PORT_TYPE_ROUTER_PORT ||
	     port->type == LSDP_PORT_TYPE_ROUTER) &&
	    (a[LSDP_A_PORT_MAC] || a[LSDP_A_PORT_ADDRS] ||
	     a[LSDP_A_PORT_UNKNOWN] || a[LSDP_A_PORT_SECURITY] ||
	     a[LSDP_A_PORT_IFINDEX] || a[LSDP_A_PORT_CHASSIS])) {
		/*
		 * The MAC and networks of a router port feed the patch's L2
		 * entry and the connected routes; changing them in place is
		 * not supported yet.
		 */
		NL_SET_ERR_MSG(info->extack,
			       "router ports and their patches cannot be changed; delete and add them again");
		err = -EOPNOTSUPP;
		goto out_unlock;
	}
	if (a[LSDP_A_PORT_MAC] || a[LSDP_A_PORT_ADDRS] ||
	    a[LSDP_A_PORT_UNKNOWN] || a[LSDP_A_PORT_SECURITY] ||
	    a[LSDP_A_PORT_TAG]) {
		cfg = lsdp_cfg_build(a, lsdp_port_cfg(port),
				     lsdp_port_cfg(port)->nets, info->extack);
		if (IS_ERR(cfg)) {
			err = PTR_ERR(cfg);
			cfg = NULL;
			goto out_unlock;
		}
		if (a[LSDP_A_PORT_TAG])
			cfg->tag = nla_get_u16(a[LSDP_A_PORT_TAG]);
	}
	if (a[LSDP_A_PORT_IFINDEX]) {
		dev = lsdp_req_dev(info, &err);
		if (err)
			goto out_unlock;
		if (dev && port->type == LSDP_PORT_TYPE_REMOTE) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_PORT_IFINDEX],
					    "a remote port cannot be bound to a local device");
			err = -EINVAL;
			goto out_unlock;
		}
		if (dev) {
			err = lsdp_port_check_dev(port, dev, info->extack);
			if (err)
				goto out_unlock;
		}
	}
	err = lsdp_req_chassis(ln, info, &ch);
	if (err)
		goto out_unlock;
	/*
	 * Everything that can be refused has been checked; what remains can
	 * fail only for lack of memory or a driver refusing promiscuous mode.
	 * All or nothing: first everything that can fail, each step undoable
	 * (the new binding is made, the new configuration's entries added
	 * next to the old ones), then what cannot fail.  A refused change
	 * leaves the port exactly as it was and tells no listener anything.
	 */
	if (dev && dev != lsdp_port_dev(port)) {
		err = lsdp_port_bind_prepare(port, dev, info->extack);
		if (err)
			goto out_unlock;
		bind_new = true;
	} else if (ch) {
		err = lsdp_port_chassis_prepare(port, ch, &spare);
		if (err)
			goto out_unlock;
	}
	if (cfg) {
		err = lsdp_port_set_cfg(port, cfg, info->extack);
		if (err)
			goto out_abort;
		cfg = NULL;
	}
	/*
	 * Moving between local and remote while traffic flows: the new
	 * binding is made first, then the old one undone, so the packet path
	 * always finds the port bound to one of the two.
	 */
	if (ch) {
		lsdp_port_chassis_commit(port, ch, spare);
		spare = NULL;
		lsdp_port_unbind(port);
	} else if (dev) {
		if (bind_new)
			lsdp_port_bind_commit(port, dev);
		lsdp_port_set_chassis(port, NULL);
	} else {
		if (a[LSDP_A_PORT_IFINDEX])
			lsdp_port_unbind(port);
		if (a[LSDP_A_PORT_CHASSIS])
			lsdp_port_set_chassis(port, NULL);
	}
	/* Bound at last: what waited for it goes out now, in order. */
	if (ch || dev)
		lsdp_port_hold_release(port, true);
	/* New addresses or a new VLAN: the provider network relearns. */
	if (a[LSDP_A_PORT_MAC] || a[LSDP_A_PORT_ADDRS] || a[LSDP_A_PORT_TAG])
		lsdp_announce_start(port);
	lsdp_notify_port(port, LSDP_CMD_PORT_SET);
	goto out_unlock;

out_abort:
	if (bind_new)
		lsdp_port_bind_abort(dev);
out_unlock:
	mutex_unlock(&ln->lock);
	rtnl_unlock();
	kfree(spare);
	kfree(cfg);
	return err;
}

int lsdp_cmd_port_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct lsdp_port *port;

	if (!LSDP_REQUIRE(info, LSDP_A_PORT_NAME, "missing port name"))
		return -EINVAL;
	rtnl_lock();
	mutex_lock(&ln->lock);
	port = lsdp_req_port(ln, info->attrs[LSDP_A_PORT_NAME], info->extack);
	if (port) {
		lsdp_notify_port(port, LSDP_CMD_PORT_DEL);
		lsdp_port_destroy(port);
	}
	mutex_unlock(&ln->lock);
	rtnl_unlock();
	return port ? 0 : -ENOENT;
}

int lsdp_cmd_port_get(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct lsdp_port *port;
	int err;

	if (!LSDP_REQUIRE(info, LSDP_A_PORT_NAME, "missing port name"))
		return -EINVAL;
	if (info->attrs[LSDP_A_DP_NAME]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LSDP_A_DP_NAME],
				    "datapath filter applies to dumps only");
		return -EINVAL;
	}
	mutex_lock(&ln->lock);
	port = lsdp_req_port(ln, info->attrs[LSDP_A_PORT_NAME], info->extack);
	err = port ? lsdp_reply(info, lsdp_fill_port, port, LSDP_CMD_PORT_NEW) :
		     -ENOENT;
	mutex_unlock(&ln->lock);
	return err;
}

/*
 * Called with ln->lock held.  The first port of @dp after the cursor's
 * last one (which was in @dp): the next in the list if it is still there,
 * else the first created after it.
 */
static struct lsdp_port *lsdp_dump_port(struct lsdp_dp *dp,
					const struct lsdp_dump_cursor *c)
{
	struct lsdp_port *port;

	port = lsdp_port_find_key(dp, c->key);
	if (port && port->serial == c->serial)
		return list_next_entry(port, dp_node);
	list_for_each_entry(port, &dp->ports, dp_node)
		if (port->serial > c->serial)
			break;
	return port;
}

/*
 * Ports per datapath, both in creation order; cursor: struct
 * lsdp_dump_cursor.  Optional filter: LSDP_A_DP_NAME.
 */
int lsdp_cmd_port_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lsdp_net *ln = lsdp_net(sock_net(skb->sk));
	struct lsdp_dump_cursor *c = lsdp_dump_cursor(cb);
	struct nlattr **a = lsdp_dump_attrs(cb);
	struct lsdp_dp *dp, *only = NULL;
	struct lsdp_port *port;
	int err = 0;
	bool same;

	mutex_lock(&ln->lock);
	lsdp_dump_begin(cb, ln);
	if (a && a[LSDP_A_DP_NAME]) {
		only = lsdp_req_dp(ln, a[LSDP_A_DP_NAME], cb->extack);
		if (!only) {
			err = -ENOENT;
			goto out_unlock;
		}
	}
	dp = lsdp_dump_dp(ln, c, &same);
	list_for_each_entry_from(dp, &ln->dps, list) {
		if (only && dp != only)
			continue;
		if (same)
			port = lsdp_dump_port(dp, c);
		else
			port = list_first_entry(&dp->ports, struct lsdp_port,
						dp_node);
		same = false;
		list_for_each_entry_from(port, &dp->ports, dp_node) {
			if (lsdp_dump_fill(skb, cb, lsdp_fill_port, port,
					   LSDP_CMD_PORT_NEW))
				goto out_unlock;
			c->dp_key = dp->key;
			c->dp_serial = dp->serial;
			c->key = port->key;
			c->serial = port->serial;
		}
	}
out_unlock:
	mutex_unlock(&ln->lock);
	return err ? err : skb->len;
}

/* Called with ln->lock held.  An lsdp_fill_t of a chassis. */
static int lsdp_fill_chassis(struct sk_buff *skb, void *obj, u32 portid,
			     u32 seq, int flags, u8 cmd)
{
	struct lsdp_chassis *ch = obj;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &lsdp_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, LSDP_A_CHASSIS_NAME, ch->name) ||
	    (ch->ipv6 ? nla_put_in6_addr(skb, LSDP_A_CHASSIS_IP, &ch->ip6) :
			nla_put_in_addr(skb, LSDP_A_CHASSIS_IP, ch->ip4)) ||
	    nla_put_u32(skb, LSDP_A_CHASSIS_NPORTS, ch->n_ports)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * An underlay address: 4 or 16 bytes, unicast, not unspecified.  Process
 * context, no locks.
 */
static int lsdp_check_underlay_ip(struct nlattr *attr,
				  struct netlink_ext_ack *extack)
{
	if (nla_len(attr) == sizeof(__be32)) {
		__be32 a = nla_get_in_addr(attr);

		if (ipv4_is_zeronet(a) || ipv4_is_multicast(a) ||
		    ipv4_is_lbcast(a))
			goto bad;
		return 0;
	}
	if (nla_len(attr) == sizeof(struct in6_addr)) {
		struct in6_addr a = nla_get_in6_addr(attr);

		if (ipv6_addr_any(&a) || ipv6_addr_is_multicast(&a))
			goto bad;
		return 0;
	}
bad:
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "invalid underlay address (IPv4 or IPv6 unicast)");
	return -EINVAL;
}

int lsdp_cmd_chassis_new(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr **a = info->attrs;
	struct lsdp_chassis *ch;
	int err;

	if (!LSDP_REQUIRE(info, LSDP_A_CHASSIS_NAME, "missing chassis name") ||
	    !LSDP_REQUIRE(info, LSDP_A_CHASSIS_IP, "missing chassis address"))
		return -EINVAL;
	err = lsdp_check_underlay_ip(a[LSDP_A_CHASSIS_IP], info->extack);
	if (err)
		return err;
	mutex_lock(&ln->lock);
	err = lsdp_chassis_create(ln, nla_data(a[LSDP_A_CHASSIS_NAME]),
				  nla_data(a[LSDP_A_CHASSIS_IP]),
				  nla_len(a[LSDP_A_CHASSIS_IP]), info->extack,
				  &ch);
	if (!err)
		lsdp_notify(ln, lsdp_fill_chassis, ch, LSDP_CMD_CHASSIS_NEW,
			    GFP_KERNEL);
	mutex_unlock(&ln->lock);
	return err;
}

int lsdp_cmd_chassis_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct lsdp_chassis *ch;

	if (!LSDP_REQUIRE(info, LSDP_A_CHASSIS_NAME, "missing chassis name"))
		return -EINVAL;
	/* Its ports' trunk children change binding: RTNL, as for a port. */
	rtnl_lock();
	mutex_lock(&ln->lock);
	ch = lsdp_req_chassis_name(ln, info->attrs[LSDP_A_CHASSIS_NAME],
				   info->extack);
	if (ch) {
		lsdp_notify(ln, lsdp_fill_chassis, ch, LSDP_CMD_CHASSIS_DEL,
			    GFP_KERNEL);
		lsdp_chassis_destroy(ln, ch);
	}
	mutex_unlock(&ln->lock);
	rtnl_unlock();
	return ch ? 0 : -ENOENT;
}

int lsdp_cmd_chassis_get(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct lsdp_chassis *ch;
	int err;

	if (!LSDP_REQUIRE(info, LSDP_A_CHASSIS_NAME, "missing chassis name"))
		return -EINVAL;
	mutex_lock(&ln->lock);
	ch = lsdp_req_chassis_name(ln, info->attrs[LSDP_A_CHASSIS_NAME],
				   info->extack);
	err = ch ? lsdp_reply(info, lsdp_fill_chassis, ch,
			      LSDP_CMD_CHASSIS_NEW) : -ENOENT;
	mutex_unlock(&ln->lock);
	return err;
}

/*
 * Chassis in creation order; cursor: the last one's serial.  A chassis is
 * known by its name, longer than a cursor holds, so the list is walked
 * from its start each time: there are a few hundred chassis, not the
 * hundreds of thousands of ports and neighbours.
 */
int lsdp_cmd_chassis_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lsdp_net *ln = lsdp_net(sock_net(skb->sk));
	struct lsdp_dump_cursor *c = lsdp_dump_cursor(cb);
	struct lsdp_chassis *ch;

	mutex_lock(&ln->lock);
	lsdp_dump_begin(cb, ln);
	list_for_each_entry(ch, &ln->chassis, list) {
		if (ch->serial <= c->serial)
			continue;
		if (lsdp_dump_fill(skb, cb, lsdp_fill_chassis, ch,
				   LSDP_CMD_CHASSIS_NEW))
			break;
		c->serial = ch->serial;
	}
	mutex_unlock(&ln->lock);
	return skb->len;
}

/* Called with RTNL and ln->lock held.  An lsdp_fill_t of the endpoint. */
static int lsdp_fill_encap(struct sk_buff *skb, void *obj, u32 portid,
			   u32 seq, int flags, u8 cmd)
{
	struct lsdp_net *ln = obj;
	struct lsdp_encap *encap = lsdp_encap_get(ln);
	void *hdr;

	ASSERT_RTNL();
	lockdep_assert_held(&ln->lock);
	hdr = genlmsg_put(skb, portid, seq, &lsdp_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (encap &&
	    ((encap->ipv6 ?
	      nla_put_in6_addr(skb, LSDP_A_ENCAP_LOCAL_IP, &encap->ip6) :
	      nla_put_in_addr(skb, LSDP_A_ENCAP_LOCAL_IP, encap->ip4)) ||
	     (encap->dev &&
	      (nla_put_u32(skb, LSDP_A_ENCAP_IFINDEX, encap->dev->ifindex) ||
	       nla_put_string(skb, LSDP_A_ENCAP_IFNAME, encap->dev->name))) ||
	     nla_put_u8(skb, LSDP_A_ENCAP_CSUM, encap->csum) ||
	     nla_put_u8(skb, LSDP_A_ENCAP_DF, encap->df) ||
	     nla_put_u8(skb, LSDP_A_ENCAP_OWNED, encap->owned)))
		goto cancel;
	if (lsdp_put_stats(skb, LSDP_A_ENCAP_STATS, &ln->tun_stats))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* A 0/1 flag (the policy checked the range), or -1 when absent. */
static int lsdp_opt_flag(struct genl_info *info, int type)
{
	struct nlattr *attr = info->attrs[type];

	return attr ? nla_get_u8(attr) : -1;
}

int lsdp_cmd_encap_set(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	struct nlattr **a = info->attrs;
	struct net_device *dev = NULL;
	int csum, df, err;

	if (!LSDP_REQUIRE(info, LSDP_A_ENCAP_LOCAL_IP,
			  "missing local tunnel address"))
		return -EINVAL;
	err = lsdp_check_underlay_ip(a[LSDP_A_ENCAP_LOCAL_IP], info->extack);
	if (err)
		return err;
	csum = lsdp_opt_flag(info, LSDP_A_ENCAP_CSUM);
	df = lsdp_opt_flag(info, LSDP_A_ENCAP_DF);

	rtnl_lock();
	mutex_lock(&ln->lock);
	if (a[LSDP_A_ENCAP_IFINDEX]) {
		dev = __dev_get_by_index(ln->net,
					 nla_get_u32(a[LSDP_A_ENCAP_IFINDEX]));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[LSDP_A_ENCAP_IFINDEX],
					    "no such device");
			err = -ENODEV;
			goto out_unlock;
		}
	}
	err = lsdp_encap_set(ln, nla_data(a[LSDP_A_ENCAP_LOCAL_IP]),
			     nla_len(a[LSDP_A_ENCAP_LOCAL_IP]), dev, csum, df,
			     info->extack);
	if (!err)
		lsdp_notify(ln, lsdp_fill_encap, ln, LSDP_CMD_ENCAP_SET,
			    GFP_KERNEL);
out_unlock:
	mutex_unlock(&ln->lock);
	rtnl_unlock();
	return err;
}

int lsdp_cmd_encap_get(struct sk_buff *skb, struct genl_info *info)
{
	struct lsdp_net *ln = lsdp_info_net(info);
	int err;

	/* RTNL keeps the endpoint netdev's name stable while we copy it. */
	rtnl_lock();
	mutex_lock(&ln->lock);
	err = lsdp_reply(info, lsdp_fill_encap, ln, LSDP_CMD_ENCAP_SET);
	mutex_unlock(&ln->lock);
	rtnl_unlock();
	return err;
}

static struct genl_family lsdp_family __ro_after_init = {
	.name = LSDP_GENL_NAME,
	.version = LSDP_GENL_VERSION,
	.maxattr = LSDP_A_MAX,
	.netnsok = true,
	/* Requests serialise on the per-netns lock, not on genl_mutex. */
	.parallel_ops = true,
	/*
	 * resv_start_op stays 0: every command validates strictly
	 * (reserved header bytes, unknown attributes, trailing data).
	 */
	.module = THIS_MODULE,
	/* Policies and ops: kmod/genl_gen.c, generated from the YNL spec. */
	.ops = lsdp_nl_ops,
	.n_ops = ARRAY_SIZE(lsdp_nl_ops),
	.mcgrps = lsdp_mcgrps,
	.n_mcgrps = ARRAY_SIZE(lsdp_mcgrps),
};

int lsdp_genl_init(void)
{
	return genl_register_family(&lsdp_family);
}

void lsdp_genl_exit(void)
{
	genl_unregister_family(&lsdp_family);
}

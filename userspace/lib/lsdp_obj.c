// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * liblsdp: the lsdp objects as netlink attributes: reply parsing with a
 * policy, address nests, and the names of kinds, types and drop reasons.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lsdp_nl.h"

/*
 * What replies may carry.  libnl checks types and lengths; attributes
 * newer than this build are ignored, so a newer kernel still works.
 */
static struct nla_policy lsdp_policy[LSDP_A_MAX + 1] = {
	[LSDP_A_DP_NAME]	= { .type = NLA_STRING, .maxlen = LSDP_NAME_SIZE },
	[LSDP_A_DP_KEY]		= { .type = NLA_U32 },
	[LSDP_A_DP_KIND]	= { .type = NLA_U8 },
	[LSDP_A_DP_NPORTS]	= { .type = NLA_U32 },
	[LSDP_A_PORT_NAME]	= { .type = NLA_STRING, .maxlen = LSDP_NAME_SIZE },
	[LSDP_A_PORT_KEY]	= { .type = NLA_U32 },
	[LSDP_A_PORT_TYPE]	= { .type = NLA_U8 },
	[LSDP_A_PORT_MAC]	= { .type = NLA_UNSPEC, .minlen = 6, .maxlen = 6 },
	[LSDP_A_PORT_ADDRS]	= { .type = NLA_NESTED },
	[LSDP_A_PORT_UNKNOWN]	= { .type = NLA_U8 },
	[LSDP_A_PORT_SECURITY]	= { .type = NLA_U8 },
	[LSDP_A_PORT_IFINDEX]	= { .type = NLA_U32 },
	[LSDP_A_PORT_IFNAME]	= { .type = NLA_STRING, .maxlen = 16 },
	[LSDP_A_PORT_STATS]	= { .type = NLA_NESTED },
	[LSDP_A_PORT_CHASSIS]	= { .type = NLA_STRING, .maxlen = LSDP_NAME_SIZE },
	[LSDP_A_CHASSIS_NAME]	= { .type = NLA_STRING, .maxlen = LSDP_NAME_SIZE },
	[LSDP_A_CHASSIS_IP]	= { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[LSDP_A_CHASSIS_NPORTS]	= { .type = NLA_U32 },
	[LSDP_A_ENCAP_LOCAL_IP]	= { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[LSDP_A_ENCAP_IFINDEX]	= { .type = NLA_U32 },
	[LSDP_A_ENCAP_IFNAME]	= { .type = NLA_STRING, .maxlen = 16 },
	[LSDP_A_ENCAP_CSUM]	= { .type = NLA_U8 },
	[LSDP_A_ENCAP_DF]	= { .type = NLA_U8 },
	[LSDP_A_ENCAP_OWNED]	= { .type = NLA_U8 },
	[LSDP_A_ENCAP_STATS]	= { .type = NLA_NESTED },
	[LSDP_A_PORT_PEER]	= { .type = NLA_STRING, .maxlen = LSDP_NAME_SIZE },
	[LSDP_A_ROUTE_PREFIX]	= { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[LSDP_A_NAT_TYPE]	= { .type = NLA_U8 },
	[LSDP_A_NAT_EXTERNAL_IP] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 4 },
	[LSDP_A_NAT_LOGICAL_IP]	= { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 4 },
	[LSDP_A_NAT_LOGICAL_PLEN] = { .type = NLA_U8 },
	[LSDP_A_NAT_LOGICAL_PORT] = { .type = NLA_STRING, .maxlen = LSDP_NAME_SIZE },
	[LSDP_A_NAT_EXTERNAL_MAC] = { .type = NLA_UNSPEC, .minlen = 6, .maxlen = 6 },
	[LSDP_A_NAT_PORT_MIN]	= { .type = NLA_U16 },
	[LSDP_A_NAT_PORT_MAX]	= { .type = NLA_U16 },
	[LSDP_A_NAT_HITS]	= { .type = NLA_U64 },
	[LSDP_A_NAT_LOCAL]	= { .type = NLA_U8 },
	[LSDP_A_NAT_CT_ZONE]	= { .type = NLA_U16 },
	[LSDP_A_ROUTE_PLEN]	= { .type = NLA_U8 },
	[LSDP_A_ROUTE_VIA]	= { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[LSDP_A_ROUTE_CONNECTED] = { .type = NLA_U8 },
	[LSDP_A_NEIGH_ADDR]	= { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[LSDP_A_NEIGH_MAC]	= { .type = NLA_UNSPEC, .minlen = 6, .maxlen = 6 },
	[LSDP_A_NEIGH_STATE]	= { .type = NLA_U8 },
	[LSDP_A_NEIGH_AGE_MS]	= { .type = NLA_U32 },
	[LSDP_A_NEIGH_PROBES]	= { .type = NLA_U32 },
	[LSDP_A_HOLD_DEST_BYTES] = { .type = NLA_U32 },
	[LSDP_A_HOLD_TOTAL_BYTES] = { .type = NLA_U32 },
	[LSDP_A_HOLD_RETRIES]	= { .type = NLA_U32 },
	[LSDP_A_HOLD_INTERVAL_MS] = { .type = NLA_U32 },
	[LSDP_A_HOLD_UNBOUND_MS] = { .type = NLA_U32 },
	[LSDP_A_NEIGH_MAX]	= { .type = NLA_U32 },
	[LSDP_A_NEIGH_REACHABLE_MS] = { .type = NLA_U32 },
	[LSDP_A_NEIGH_STALE_MS]	= { .type = NLA_U32 },
	[LSDP_A_HOLD_PACKETS]	= { .type = NLA_U32 },
	[LSDP_A_HOLD_BYTES]	= { .type = NLA_U32 },
	[LSDP_A_HOLD_AGE_MS]	= { .type = NLA_U32 },
	[LSDP_A_HOLD_STATS]	= { .type = NLA_NESTED },
	[LSDP_A_HOLD_LAT_SAMPLES] = { .type = NLA_U32 },
	[LSDP_A_HOLD_LAT_P50_NS] = { .type = NLA_U64 },
	[LSDP_A_HOLD_LAT_P99_NS] = { .type = NLA_U64 },
	[LSDP_A_HOLD_LAT_MAX_NS] = { .type = NLA_U64 },
	[LSDP_A_HOLD_EVENT]	= { .type = NLA_U8 },
	[LSDP_A_NEIGH_COUNT]	= { .type = NLA_U32 },
	[LSDP_A_PORT_PARENT]	= { .type = NLA_STRING, .maxlen = LSDP_NAME_SIZE },
	[LSDP_A_PORT_TAG]	= { .type = NLA_U16 },
	[LSDP_A_PORT_ANNOUNCED]	= { .type = NLA_U32 },
	[LSDP_A_DROP_REASON]	= { .type = NLA_U32 },
	[LSDP_A_PKT_ETH_SRC]	= { .type = NLA_UNSPEC, .minlen = 6, .maxlen = 6 },
	[LSDP_A_PKT_ETH_DST]	= { .type = NLA_UNSPEC, .minlen = 6, .maxlen = 6 },
	[LSDP_A_PKT_ETH_TYPE]	= { .type = NLA_U16 },
	[LSDP_A_PKT_IP_SRC]	= { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[LSDP_A_PKT_IP_DST]	= { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[LSDP_A_PKT_IP_PROTO]	= { .type = NLA_U8 },
	[LSDP_A_TRACE_FRAME]	= { .type = NLA_UNSPEC },
	[LSDP_A_TRACE_STEPS]	= { .type = NLA_NESTED },
	[LSDP_A_TRACE_STEP]	= { .type = NLA_NESTED },
	[LSDP_A_TRACE_TRUNCATED] = { .type = NLA_U8 },
	[LSDP_A_PORT_VIRTUAL_IP] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[LSDP_A_PORT_VIRTUAL_PARENTS] = { .type = NLA_NESTED },
	[LSDP_A_PORT_VIRTUAL_PARENT] = { .type = NLA_STRING, .maxlen = LSDP_NAME_SIZE },
	[LSDP_A_PORT_VIRTUAL_IGNORED] = { .type = NLA_U64 },
};

static struct nla_policy lsdp_stats_policy[LSDP_STATS_A_MAX + 1] = {
	[LSDP_STATS_A_RX_PACKETS]	= { .type = NLA_U64 },
	[LSDP_STATS_A_RX_BYTES]		= { .type = NLA_U64 },
	[LSDP_STATS_A_TX_PACKETS]	= { .type = NLA_U64 },
	[LSDP_STATS_A_TX_BYTES]		= { .type = NLA_U64 },
	[LSDP_STATS_A_DROPS]		= { .type = NLA_NESTED },
};

int lsdp_nl_parse(struct nl_msg *msg, struct nlattr **tb)
{
	int err;

	err = genlmsg_parse(nlmsg_hdr(msg), 0, tb, LSDP_A_MAX, lsdp_policy);
	return err < 0 ? -EINVAL : 0;
}

static void copy_str(char *dst, size_t size, const struct nlattr *a)
{
	if (a)
		nla_strlcpy(dst, a, size);
	else
		dst[0] = '\0';
}

/* Optional attributes: *@v is set when @a is present; whether it was. */
static bool get_u8(const struct nlattr *a, uint8_t *v)
{
	if (a)
		*v = nla_get_u8(a);
	return a;
}

static bool get_u32(const struct nlattr *a, uint32_t *v)
{
	if (a)
		*v = nla_get_u32(a);
	return a;
}

static bool get_u64(const struct nlattr *a, uint64_t *v)
{
	if (a)
		*v = nla_get_u64(a);
	return a;
}

/* A u8 attribute read as a boolean. */
static bool get_flag(const struct nlattr *a, bool *v)
{
	if (a)
		*v = nla_get_u8(a) != 0;
	return a;
}

/* A MAC address attribute (the policy checks its length). */
static bool get_mac(const struct nlattr *a, uint8_t mac[6])
{
	if (a)
		memcpy(mac, nla_data(a), 6);
	return a;
}

int lsdp_dp_parse(struct nl_msg *msg, struct lsdp_dp_info *dp)
{
	struct nlattr *tb[LSDP_A_MAX + 1];
	int err;

	memset(dp, 0, sizeof(*dp));
	err = lsdp_nl_parse(msg, tb);
	if (err)
		return err;
	if (!tb[LSDP_A_DP_NAME])
		return -EINVAL;
	copy_str(dp->name, sizeof(dp->name), tb[LSDP_A_DP_NAME]);
	get_u32(tb[LSDP_A_DP_KEY], &dp->key);
	get_u8(tb[LSDP_A_DP_KIND], &dp->kind);
	dp->has_nports = get_u32(tb[LSDP_A_DP_NPORTS], &dp->nports);
	return 0;
}

static int parse_addrs(const struct nlattr *nest, struct lsdp_port_info *p)
{
	const struct nlattr *a;
	unsigned int n = 0, nn = 0;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == LSDP_ADDR_A_IPV4_NET ||
		    nla_type(a) == LSDP_ADDR_A_IPV6_NET)
			nn++;
		else
			n++;
	}
	if (n) {
		p->addrs = calloc(n, sizeof(*p->addrs));
		if (!p->addrs)
			return -ENOMEM;
	}
	if (nn) {
		p->nets = calloc(nn, sizeof(*p->nets));
		if (!p->nets)
			return -ENOMEM;
	}
	nla_for_each_nested(a, nest, rem) {
		struct lsdp_addr *ad = n ? &p->addrs[p->n_addrs] : NULL;
		struct lsdp_prefix *net = nn ? &p->nets[p->n_nets] : NULL;
		const uint8_t *d = nla_data(a);

		switch (nla_type(a)) {
		case LSDP_ADDR_A_IPV4:
			if (nla_len(a) != 4 || !ad)
				return -EINVAL;
			ad->family = AF_INET;
			memcpy(&ad->v4, d, 4);
			p->n_addrs++;
			break;
		case LSDP_ADDR_A_IPV6:
			if (nla_len(a) != 16 || !ad)
				return -EINVAL;
			ad->family = AF_INET6;
			memcpy(&ad->v6, d, 16);
			p->n_addrs++;
			break;
		case LSDP_ADDR_A_IPV4_NET:
			if (nla_len(a) != 5 || !net || d[4] > 32)
				return -EINVAL;
			net->addr.family = AF_INET;
			memcpy(&net->addr.v4, d, 4);
			net->plen = d[4];
			p->n_nets++;
			break;
		case LSDP_ADDR_A_IPV6_NET:
			if (nla_len(a) != 17 || !net || d[16] > 128)
				return -EINVAL;
			net->addr.family = AF_INET6;
			memcpy(&net->addr.v6, d, 16);
			net->plen = d[16];
			p->n_nets++;
			break;
		default:
			continue;	/* a newer kind of address */
		}
	}
	return 0;
}

static int cmp_drop(const void *a, const void *b)
{
	const struct lsdp_drop *x = a, *y = b;

	return (x->reason > y->reason) - (x->reason < y->reason);
}

static int parse_stats(struct nlattr *nest, struct lsdp_stats *st)
{
	struct nlattr *tb[LSDP_STATS_A_MAX + 1];
	const struct nlattr *a;
	unsigned int n = 0;
	int rem;

	if (nla_parse_nested(tb, LSDP_STATS_A_MAX, nest, lsdp_stats_policy) < 0)
		return -EINVAL;
	get_u64(tb[LSDP_STATS_A_RX_PACKETS], &st->rx_packets);
	get_u64(tb[LSDP_STATS_A_RX_BYTES], &st->rx_bytes);
	get_u64(tb[LSDP_STATS_A_TX_PACKETS], &st->tx_packets);
	get_u64(tb[LSDP_STATS_A_TX_BYTES], &st->tx_bytes);
	if (!tb[LSDP_STATS_A_DROPS])
		return 0;

	nla_for_each_nested(a, tb[LSDP_STATS_A_DROPS], rem)
		n++;
	if (!n)
		return 0;
	st->drops = calloc(n, sizeof(*st->drops));
	if (!st->drops)
		return -ENOMEM;
	nla_for_each_nested(a, tb[LSDP_STATS_A_DROPS], rem) {
		uint64_t v;

		/* Type 0 is UNSPEC, which also serves as 64-bit padding. */
		if (nla_type(a) == LSDP_DROP_UNSPEC || nla_len(a) != 8)
			continue;
		memcpy(&v, nla_data(a), 8);
		st->drops[st->n_drops].reason = (uint16_t)nla_type(a);
		st->drops[st->n_drops].count = v;
		st->n_drops++;
	}
	if (st->n_drops > 1)
		qsort(st->drops, st->n_drops, sizeof(*st->drops), cmp_drop);
	return 0;
}

static void stats_clear(struct lsdp_stats *st)
{
	free(st->drops);
	st->drops = NULL;
	st->n_drops = 0;
}

static int get_ip(const struct nlattr *a, struct lsdp_addr *ad);

/* A virtual port's VIP, parents and bound parent, when present. */
static int parse_virtual(struct nlattr **tb, struct lsdp_port_info *p)
{
	struct nlattr *e;
	int rem, n = 0;

	if (tb[LSDP_A_PORT_VIRTUAL_IP]) {
		if (get_ip(tb[LSDP_A_PORT_VIRTUAL_IP], &p->vip))
			return -EINVAL;
		p->has_vip = true;
	}
	copy_str(p->vparent, sizeof(p->vparent), tb[LSDP_A_PORT_VIRTUAL_PARENT]);
	if (tb[LSDP_A_PORT_VIRTUAL_IGNORED])
		p->vignored = nla_get_u64(tb[LSDP_A_PORT_VIRTUAL_IGNORED]);
	if (!tb[LSDP_A_PORT_VIRTUAL_PARENTS])
		return 0;
	nla_for_each_nested(e, tb[LSDP_A_PORT_VIRTUAL_PARENTS], rem)
		n++;
	p->vparents = calloc(n ? n : 1, sizeof(*p->vparents));
	if (!p->vparents)
		return -ENOMEM;
	nla_for_each_nested(e, tb[LSDP_A_PORT_VIRTUAL_PARENTS], rem)
		if (nla_type(e) == LSDP_A_PORT_NAME)
			copy_str(p->vparents[p->n_vparents++], LSDP_NAME_SIZE, e);
	return 0;
}

int lsdp_port_parse(struct nl_msg *msg, struct lsdp_port_info *p)
{
	struct nlattr *tb[LSDP_A_MAX + 1];
	int err;

	memset(p, 0, sizeof(*p));
	err = lsdp_nl_parse(msg, tb);
	if (err)
		return err;
	if (!tb[LSDP_A_PORT_NAME])
		return -EINVAL;
	copy_str(p->name, sizeof(p->name), tb[LSDP_A_PORT_NAME]);
	copy_str(p->dp, sizeof(p->dp), tb[LSDP_A_DP_NAME]);
	copy_str(p->ifname, sizeof(p->ifname), tb[LSDP_A_PORT_IFNAME]);
	copy_str(p->chassis, sizeof(p->chassis), tb[LSDP_A_PORT_CHASSIS]);
	copy_str(p->peer, sizeof(p->peer), tb[LSDP_A_PORT_PEER]);
	copy_str(p->parent, sizeof(p->parent), tb[LSDP_A_PORT_PARENT]);
	if (tb[LSDP_A_PORT_TAG])
		p->tag = nla_get_u16(tb[LSDP_A_PORT_TAG]);
	p->has_announced = get_u32(tb[LSDP_A_PORT_ANNOUNCED], &p->announced);
	get_u32(tb[LSDP_A_PORT_KEY], &p->key);
	get_u8(tb[LSDP_A_PORT_TYPE], &p->type);
	p->has_mac = get_mac(tb[LSDP_A_PORT_MAC], p->mac);
	get_flag(tb[LSDP_A_PORT_UNKNOWN], &p->unknown);
	get_flag(tb[LSDP_A_PORT_SECURITY], &p->security);
	get_u32(tb[LSDP_A_PORT_IFINDEX], &p->ifindex);
	if (tb[LSDP_A_PORT_ADDRS]) {
		err = parse_addrs(tb[LSDP_A_PORT_ADDRS], p);
		if (err)
			goto err;
	}
	if (tb[LSDP_A_PORT_STATS]) {
		err = parse_stats(tb[LSDP_A_PORT_STATS], &p->stats);
		if (err)
			goto err;
		p->has_stats = true;
	}
	err = parse_virtual(tb, p);
	if (err)
		goto err;
	return 0;
err:
	lsdp_port_info_clear(p);
	return err;
}

void lsdp_port_info_clear(struct lsdp_port_info *p)
{
	free(p->vparents);
	p->vparents = NULL;
	p->n_vparents = 0;
	free(p->addrs);
	p->addrs = NULL;
	p->n_addrs = 0;
	free(p->nets);
	p->nets = NULL;
	p->n_nets = 0;
	stats_clear(&p->stats);
}

/* A 4- or 16-byte address attribute; -EINVAL for another length. */
static int get_ip(const struct nlattr *a, struct lsdp_addr *ad)
{
	memset(ad, 0, sizeof(*ad));
	if (nla_len(a) == 4) {
		ad->family = AF_INET;
		memcpy(&ad->v4, nla_data(a), 4);
	} else if (nla_len(a) == 16) {
		ad->family = AF_INET6;
		memcpy(&ad->v6, nla_data(a), 16);
	} else {
		return -EINVAL;
	}
	return 0;
}

int lsdp_chassis_parse(struct nl_msg *msg, struct lsdp_chassis_info *ch)
{
	struct nlattr *tb[LSDP_A_MAX + 1];
	int err;

	memset(ch, 0, sizeof(*ch));
	err = lsdp_nl_parse(msg, tb);
	if (err)
		return err;
	if (!tb[LSDP_A_CHASSIS_NAME] || !tb[LSDP_A_CHASSIS_IP])
		return -EINVAL;
	copy_str(ch->name, sizeof(ch->name), tb[LSDP_A_CHASSIS_NAME]);
	if (get_ip(tb[LSDP_A_CHASSIS_IP], &ch->ip))
		return -EINVAL;
	get_u32(tb[LSDP_A_CHASSIS_NPORTS], &ch->nports);
	return 0;
}

int lsdp_encap_parse(struct nl_msg *msg, struct lsdp_encap_info *e)
{
	struct nlattr *tb[LSDP_A_MAX + 1];
	int err;

	memset(e, 0, sizeof(*e));
	err = lsdp_nl_parse(msg, tb);
	if (err)
		return err;
	if (tb[LSDP_A_ENCAP_LOCAL_IP]) {
		if (get_ip(tb[LSDP_A_ENCAP_LOCAL_IP], &e->local))
			return -EINVAL;
		e->configured = true;
	}
	copy_str(e->ifname, sizeof(e->ifname), tb[LSDP_A_ENCAP_IFNAME]);
	get_u32(tb[LSDP_A_ENCAP_IFINDEX], &e->ifindex);
	get_flag(tb[LSDP_A_ENCAP_CSUM], &e->csum);
	get_flag(tb[LSDP_A_ENCAP_DF], &e->df);
	get_flag(tb[LSDP_A_ENCAP_OWNED], &e->owned);
	if (tb[LSDP_A_ENCAP_STATS])
		return parse_stats(tb[LSDP_A_ENCAP_STATS], &e->stats);
	return 0;
}

void lsdp_encap_info_clear(struct lsdp_encap_info *e)
{
	stats_clear(&e->stats);
}

int lsdp_route_parse(struct nl_msg *msg, struct lsdp_route_info *rt)
{
	struct nlattr *tb[LSDP_A_MAX + 1];
	int err;

	memset(rt, 0, sizeof(*rt));
	err = lsdp_nl_parse(msg, tb);
	if (err)
		return err;
	if (!tb[LSDP_A_ROUTE_PREFIX] || !tb[LSDP_A_ROUTE_PLEN] ||
	    get_ip(tb[LSDP_A_ROUTE_PREFIX], &rt->prefix.addr))
		return -EINVAL;
	rt->prefix.plen = nla_get_u8(tb[LSDP_A_ROUTE_PLEN]);
	if (rt->prefix.plen > (rt->prefix.addr.family == AF_INET ? 32 : 128))
		return -EINVAL;
	if (tb[LSDP_A_ROUTE_VIA]) {
		if (get_ip(tb[LSDP_A_ROUTE_VIA], &rt->via))
			return -EINVAL;
		rt->has_via = true;
	}
	copy_str(rt->dp, sizeof(rt->dp), tb[LSDP_A_DP_NAME]);
	copy_str(rt->port, sizeof(rt->port), tb[LSDP_A_PORT_NAME]);
	get_flag(tb[LSDP_A_ROUTE_CONNECTED], &rt->connected);
	return 0;
}

int lsdp_nat_parse(struct nl_msg *msg, struct lsdp_nat_info *n)
{
	struct nlattr *tb[LSDP_A_MAX + 1];
	int err;

	memset(n, 0, sizeof(*n));
	err = lsdp_nl_parse(msg, tb);
	if (err)
		return err;
	if (!get_u8(tb[LSDP_A_NAT_TYPE], &n->type) ||
	    !tb[LSDP_A_NAT_EXTERNAL_IP] || !tb[LSDP_A_NAT_LOGICAL_IP] ||
	    get_ip(tb[LSDP_A_NAT_EXTERNAL_IP], &n->external) ||
	    get_ip(tb[LSDP_A_NAT_LOGICAL_IP], &n->logical.addr))
		return -EINVAL;
	n->logical.plen = 32;
	get_u8(tb[LSDP_A_NAT_LOGICAL_PLEN], &n->logical.plen);
	if (n->logical.plen > 32)
		return -EINVAL;
	copy_str(n->dp, sizeof(n->dp), tb[LSDP_A_DP_NAME]);
	copy_str(n->port, sizeof(n->port), tb[LSDP_A_NAT_LOGICAL_PORT]);
	n->has_mac = get_mac(tb[LSDP_A_NAT_EXTERNAL_MAC], n->mac);
	get_flag(tb[LSDP_A_NAT_LOCAL], &n->local);
	if (tb[LSDP_A_NAT_PORT_MIN] && tb[LSDP_A_NAT_PORT_MAX]) {
		n->has_range = true;
		n->port_min = nla_get_u16(tb[LSDP_A_NAT_PORT_MIN]);
		n->port_max = nla_get_u16(tb[LSDP_A_NAT_PORT_MAX]);
	}
	get_u64(tb[LSDP_A_NAT_HITS], &n->hits);
	if (tb[LSDP_A_NAT_CT_ZONE])
		n->zone = nla_get_u16(tb[LSDP_A_NAT_CT_ZONE]);
	return 0;
}

int lsdp_neigh_parse(struct nl_msg *msg, struct lsdp_neigh_info *ne)
{
	struct nlattr *tb[LSDP_A_MAX + 1];
	int err;

	memset(ne, 0, sizeof(*ne));
	err = lsdp_nl_parse(msg, tb);
	if (err)
		return err;
	if (!tb[LSDP_A_PORT_NAME] || !tb[LSDP_A_NEIGH_ADDR] ||
	    get_ip(tb[LSDP_A_NEIGH_ADDR], &ne->addr))
		return -EINVAL;
	copy_str(ne->port, sizeof(ne->port), tb[LSDP_A_PORT_NAME]);
	ne->has_mac = get_mac(tb[LSDP_A_NEIGH_MAC], ne->mac);
	get_u8(tb[LSDP_A_NEIGH_STATE], &ne->state);
	ne->has_age = get_u32(tb[LSDP_A_NEIGH_AGE_MS], &ne->age_ms);
	get_u32(tb[LSDP_A_NEIGH_PROBES], &ne->probes);
	return 0;
}

const struct lsdp_hold_limit_desc lsdp_hold_limit_descs[LSDP_HOLD_L_COUNT] = {
	[LSDP_HOLD_L_DEST_BYTES]	= { LSDP_A_HOLD_DEST_BYTES, "dest-bytes",
					    "dest_bytes", false },
	[LSDP_HOLD_L_TOTAL_BYTES]	= { LSDP_A_HOLD_TOTAL_BYTES, "total-bytes",
					    "total_bytes", false },
	[LSDP_HOLD_L_RETRIES]		= { LSDP_A_HOLD_RETRIES, "retries",
					    "retries", false },
	[LSDP_HOLD_L_INTERVAL_MS]	= { LSDP_A_HOLD_INTERVAL_MS, "interval",
					    "interval_ms", true },
	[LSDP_HOLD_L_UNBOUND_MS]	= { LSDP_A_HOLD_UNBOUND_MS, "unbound-time",
					    "unbound_time_ms", true },
	[LSDP_HOLD_L_NEIGH_MAX]		= { LSDP_A_NEIGH_MAX, "neigh-max",
					    "neigh_max", false },
	[LSDP_HOLD_L_REACHABLE_MS]	= { LSDP_A_NEIGH_REACHABLE_MS, "reachable",
					    "reachable_ms", true },
	[LSDP_HOLD_L_STALE_MS]		= { LSDP_A_NEIGH_STALE_MS, "stale",
					    "stale_ms", true },
};

int lsdp_hold_parse(struct nl_msg *msg, struct lsdp_hold_info *h)
{
	struct nlattr *tb[LSDP_A_MAX + 1];
	unsigned int i;
	int err;

	memset(h, 0, sizeof(*h));
	err = lsdp_nl_parse(msg, tb);
	if (err)
		return err;
	for (i = 0; i < LSDP_HOLD_L_COUNT; i++) {
		const struct nlattr *a = tb[lsdp_hold_limit_descs[i].attr];

		if (!a)
			continue;
		h->limits.v[i] = nla_get_u32((struct nlattr *)a);
		h->limits.present |= 1u << i;
	}
	h->has_neigh_count = get_u32(tb[LSDP_A_NEIGH_COUNT], &h->neigh_count);
	h->has_bytes = get_u32(tb[LSDP_A_HOLD_BYTES], &h->bytes);
	get_u32(tb[LSDP_A_HOLD_LAT_SAMPLES], &h->lat_samples);
	get_u64(tb[LSDP_A_HOLD_LAT_P50_NS], &h->lat_p50_ns);
	get_u64(tb[LSDP_A_HOLD_LAT_P99_NS], &h->lat_p99_ns);
	get_u64(tb[LSDP_A_HOLD_LAT_MAX_NS], &h->lat_max_ns);
	if (tb[LSDP_A_HOLD_STATS]) {
		err = parse_stats(tb[LSDP_A_HOLD_STATS], &h->stats);
		if (err) {
			lsdp_hold_info_clear(h);
			return err;
		}
		h->has_stats = true;
	}
	return 0;
}

void lsdp_hold_info_clear(struct lsdp_hold_info *h)
{
	stats_clear(&h->stats);
}

int lsdp_held_parse(struct nl_msg *msg, struct lsdp_held_info *held)
{
	struct nlattr *tb[LSDP_A_MAX + 1];
	int err;

	memset(held, 0, sizeof(*held));
	err = lsdp_nl_parse(msg, tb);
	if (err)
		return err;
	if (!tb[LSDP_A_PORT_NAME])
		return -EINVAL;
	copy_str(held->port, sizeof(held->port), tb[LSDP_A_PORT_NAME]);
	if (tb[LSDP_A_NEIGH_ADDR]) {
		if (get_ip(tb[LSDP_A_NEIGH_ADDR], &held->addr))
			return -EINVAL;
		held->has_addr = true;
	}
	get_u32(tb[LSDP_A_HOLD_PACKETS], &held->packets);
	get_u32(tb[LSDP_A_HOLD_BYTES], &held->bytes);
	get_u32(tb[LSDP_A_HOLD_AGE_MS], &held->age_ms);
	return 0;
}

int lsdp_put_ip(struct nl_msg *msg, int type, const struct lsdp_addr *a)
{
	if (a->family == AF_INET)
		return nla_put(msg, type, 4, &a->v4) < 0 ? -EMSGSIZE : 0;
	return nla_put(msg, type, 16, &a->v6) < 0 ? -EMSGSIZE : 0;
}

int lsdp_put_port_addrs(struct nl_msg *msg, const struct lsdp_addr *addrs,
			unsigned int n_addrs, const struct lsdp_prefix *nets,
			unsigned int n_nets)
{
	struct nlattr *nest;
	unsigned int i;

	/*
	 * An empty list must reach the kernel as an empty nest ("noip"), but
	 * libnl's nla_nest_end() drops empty nests: put it by hand, flagged
	 * NLA_F_NESTED as strict validation wants.
	 */
	if (!n_addrs && !n_nets) {
		static const char none;

		return nla_put(msg, NLA_F_NESTED | LSDP_A_PORT_ADDRS, 0, &none) < 0 ?
		       -EMSGSIZE : 0;
	}
	nest = nla_nest_start(msg, LSDP_A_PORT_ADDRS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n_addrs; i++) {
		int err;

		if (addrs[i].family == AF_INET)
			err = nla_put(msg, LSDP_ADDR_A_IPV4, 4, &addrs[i].v4);
		else
			err = nla_put(msg, LSDP_ADDR_A_IPV6, 16, &addrs[i].v6);
		if (err < 0)
			return -EMSGSIZE;
	}
	for (i = 0; i < n_nets; i++) {
		uint8_t buf[17];
		int err;

		if (nets[i].addr.family == AF_INET) {
			memcpy(buf, &nets[i].addr.v4, 4);
			buf[4] = nets[i].plen;
			err = nla_put(msg, LSDP_ADDR_A_IPV4_NET, 5, buf);
		} else {
			memcpy(buf, &nets[i].addr.v6, 16);
			buf[16] = nets[i].plen;
			err = nla_put(msg, LSDP_ADDR_A_IPV6_NET, 17, buf);
		}
		if (err < 0)
			return -EMSGSIZE;
	}
	return nla_nest_end(msg, nest) < 0 ? -EMSGSIZE : 0;
}

int lsdp_put_addrs(struct nl_msg *msg, const struct lsdp_addr *addrs,
		   unsigned int n)
{
	return lsdp_put_port_addrs(msg, addrs, n, NULL, 0);
}

int lsdp_put_route(struct nl_msg *msg, const char *router,
		   const struct lsdp_prefix *prefix, const struct lsdp_addr *via,
		   const char *port)
{
	if (nla_put_string(msg, LSDP_A_DP_NAME, router) < 0 ||
	    lsdp_put_ip(msg, LSDP_A_ROUTE_PREFIX, &prefix->addr) < 0 ||
	    nla_put_u8(msg, LSDP_A_ROUTE_PLEN, prefix->plen) < 0 ||
	    (via && lsdp_put_ip(msg, LSDP_A_ROUTE_VIA, via) < 0) ||
	    (port && nla_put_string(msg, LSDP_A_PORT_NAME, port) < 0))
		return -EMSGSIZE;
	return 0;
}

int lsdp_put_nat(struct nl_msg *msg, const char *router, uint8_t type,
		 const struct lsdp_addr *external,
		 const struct lsdp_prefix *logical, const char *port,
		 const uint8_t *mac, uint16_t port_min, uint16_t port_max)
{
	if (nla_put_string(msg, LSDP_A_DP_NAME, router) < 0 ||
	    nla_put_u8(msg, LSDP_A_NAT_TYPE, type) < 0 ||
	    lsdp_put_ip(msg, LSDP_A_NAT_EXTERNAL_IP, external) < 0 ||
	    (logical &&
	     (lsdp_put_ip(msg, LSDP_A_NAT_LOGICAL_IP, &logical->addr) < 0 ||
	      (logical->plen != 32 &&
	       nla_put_u8(msg, LSDP_A_NAT_LOGICAL_PLEN, logical->plen) < 0))) ||
	    (port && nla_put_string(msg, LSDP_A_NAT_LOGICAL_PORT, port) < 0) ||
	    (mac && nla_put(msg, LSDP_A_NAT_EXTERNAL_MAC, 6, mac) < 0) ||
	    (port_min &&
	     (nla_put_u16(msg, LSDP_A_NAT_PORT_MIN, port_min) < 0 ||
	      nla_put_u16(msg, LSDP_A_NAT_PORT_MAX, port_max) < 0)))
		return -EMSGSIZE;
	return 0;
}

int lsdp_put_neigh(struct nl_msg *msg, const char *port,
		   const struct lsdp_addr *addr, const uint8_t *mac)
{
	if (nla_put_string(msg, LSDP_A_PORT_NAME, port) < 0 ||
	    lsdp_put_ip(msg, LSDP_A_NEIGH_ADDR, addr) < 0 ||
	    (mac && nla_put(msg, LSDP_A_NEIGH_MAC, 6, mac) < 0))
		return -EMSGSIZE;
	return 0;
}

int lsdp_put_hold_limits(struct nl_msg *msg, const struct lsdp_hold_limits *l)
{
	unsigned int i;

	for (i = 0; i < LSDP_HOLD_L_COUNT; i++)
		if ((l->present & (1u << i)) &&
		    nla_put_u32(msg, lsdp_hold_limit_descs[i].attr, l->v[i]) < 0)
			return -EMSGSIZE;
	return 0;
}

/* ---- text ---- */

bool lsdp_addr_parse(const char *s, struct lsdp_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->v4) == 1) {
		a->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, &a->v6) == 1) {
		a->family = AF_INET6;
		return true;
	}
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool lsdp_mac_parse(const char *s, uint8_t mac[6])
{
	int i;

	for (i = 0; i < 6; i++) {
		int hi = hexval(*s), lo;

		if (hi < 0)
			return false;
		s++;
		lo = hexval(*s);
		if (lo >= 0) {
			mac[i] = (uint8_t)(hi << 4 | lo);
			s++;
		} else {
			mac[i] = (uint8_t)hi;
		}
		if (i < 5) {
			if (*s != ':')
				return false;
			s++;
		}
	}
	return *s == '\0';
}

/* Clears the bits of @a beyond @plen; true if any was set. */
static bool mask_host_bits(struct lsdp_addr *a, unsigned int plen)
{
	uint8_t *b = a->family == AF_INET ? (uint8_t *)&a->v4 : (uint8_t *)&a->v6;
	unsigned int len = a->family == AF_INET ? 4 : 16, i;
	bool set = false;

	for (i = 0; i < len; i++) {
		unsigned int keep = plen >= 8 * (i + 1) ? 8 :
				    plen > 8 * i ? plen - 8 * i : 0;
		uint8_t mask = (uint8_t)(0xff00u >> keep);

		if (b[i] & ~mask)
			set = true;
		b[i] &= mask;
	}
	return set;
}

enum lsdp_prefix_err lsdp_prefix_parse(const char *s, struct lsdp_prefix *p,
				       unsigned int flags)
{
	char buf[64];
	const char *slash = strchr(s, '/'), *l;
	unsigned int plen = 0, max;
	size_t n;

	memset(p, 0, sizeof(*p));
	if ((flags & LSDP_PREFIX_F_DEFAULT) && !strcmp(s, "default")) {
		p->addr.family = AF_INET;
		return LSDP_PREFIX_OK;
	}
	n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= sizeof(buf))
		return LSDP_PREFIX_BAD;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!lsdp_addr_parse(buf, &p->addr))
		return LSDP_PREFIX_BAD;
	max = p->addr.family == AF_INET ? 32 : 128;
	if (!slash) {
		if (flags & LSDP_PREFIX_F_NEED_LEN)
			return LSDP_PREFIX_NO_LEN;
		p->plen = (uint8_t)max;
		return LSDP_PREFIX_OK;
	}
	l = slash + 1;
	if (!*l || strlen(l) > 3)
		return LSDP_PREFIX_BAD_LEN;
	for (; *l; l++) {
		if (*l < '0' || *l > '9')
			return LSDP_PREFIX_BAD_LEN;
		plen = plen * 10 + (unsigned int)(*l - '0');
	}
	if (plen > max)
		return LSDP_PREFIX_BAD_LEN;
	p->plen = (uint8_t)plen;
	if ((flags & LSDP_PREFIX_F_NETWORK) && mask_host_bits(&p->addr, plen))
		return LSDP_PREFIX_HOST_BITS;
	return LSDP_PREFIX_OK;
}

const char *lsdp_prefix_str(const struct lsdp_prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(p->addr.family, p->addr.family == AF_INET ?
		       (const void *)&p->addr.v4 : (const void *)&p->addr.v6,
		       a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, len, "%s/%u", a, p->plen);
	return buf;
}

/* ---- names ---- */

static const char *const dp_kinds[] = {
	[LSDP_DP_KIND_SWITCH]	= "switch",
	[LSDP_DP_KIND_ROUTER]	= "router",
};

static const char *const port_types[] = {
	[LSDP_PORT_TYPE_VIF]		= "vif",
	[LSDP_PORT_TYPE_ROUTER]		= "router",
	[LSDP_PORT_TYPE_LOCALNET]	= "localnet",
	[LSDP_PORT_TYPE_REMOTE]		= "remote",
	[LSDP_PORT_TYPE_ROUTER_PORT]	= "router-port",
	[LSDP_PORT_TYPE_VIRTUAL]	= "virtual",
};

static const char *const drop_reasons[] = {
	[LSDP_DROP_MALFORMED]	= "malformed",
	[LSDP_DROP_VLAN]	= "vlan",
	[LSDP_DROP_SRC_MCAST]	= "src-mcast",
	[LSDP_DROP_PS_MAC]	= "port-security-mac",
	[LSDP_DROP_PS_IP]	= "port-security-ip",
	[LSDP_DROP_PS_ARP]	= "port-security-arp",
	[LSDP_DROP_PS_ND]	= "port-security-nd",
	[LSDP_DROP_PS_EGRESS]	= "port-security-egress",
	[LSDP_DROP_NO_DEST]	= "no-dest",
	[LSDP_DROP_HAIRPIN]	= "hairpin",
	[LSDP_DROP_UNBOUND]	= "unbound",
	[LSDP_DROP_DEV_DOWN]	= "dev-down",
	[LSDP_DROP_MTU]		= "mtu",
	[LSDP_DROP_NOMEM]	= "nomem",
	[LSDP_DROP_TX_ERROR]	= "tx-error",
	[LSDP_DROP_TUN_NO_ENCAP]	= "tun-no-encap",
	[LSDP_DROP_TUN_UNKNOWN_VNI]	= "tun-unknown-vni",
	[LSDP_DROP_TUN_UNKNOWN_PORT]	= "tun-unknown-port",
	[LSDP_DROP_TUN_REMOTE_PORT]	= "tun-remote-port",
	[LSDP_DROP_TUN_BAD_OPTION]	= "tun-bad-option",
	[LSDP_DROP_TUN_CRIT_OPTION]	= "tun-crit-option",
	[LSDP_DROP_TUN_FRAG_NEEDED]	= "tun-frag-needed",
	[LSDP_DROP_TUN_NO_ROUTE]	= "tun-no-route",
	[LSDP_DROP_TTL]			= "ttl",
	[LSDP_DROP_NO_ROUTE]		= "no-route",
	[LSDP_DROP_ROUTER_LOCAL]	= "router-local",
	[LSDP_DROP_ROUTER_L2]		= "router-l2",
	[LSDP_DROP_NO_PEER]		= "no-peer",
	[LSDP_DROP_LOOP]		= "loop",
	[LSDP_DROP_HOLD_OFF]		= "hold-off",
	[LSDP_DROP_HOLD_DEST_FULL]	= "hold-dest-full",
	[LSDP_DROP_HOLD_TOTAL_FULL]	= "hold-total-full",
	[LSDP_DROP_HOLD_FAILED]		= "hold-failed",
	[LSDP_DROP_HOLD_TIMEOUT]	= "hold-timeout",
	[LSDP_DROP_HOLD_FLUSH]		= "hold-flush",
	[LSDP_DROP_NEIGH_FULL]		= "neigh-full",
	[LSDP_DROP_LOCALNET_REMOTE]	= "localnet-remote",
	[LSDP_DROP_UNCLASSIFIED]	= "unclassified",
	[LSDP_DROP_TUN_MC_GROUP]	= "tun-mc-group",
	[LSDP_DROP_ACL_DROP]		= "acl-drop",
	[LSDP_DROP_ACL_REJECT]		= "acl-reject",
	[LSDP_DROP_CT_INVALID]		= "ct-invalid",
	[LSDP_DROP_NAT_EXHAUSTED]	= "nat-exhausted",
	[LSDP_DROP_NAT_FRAGMENT]	= "nat-fragment",
	[LSDP_DROP_NAT_FAILED]		= "nat-failed",
};

static const char *const neigh_states[] = {
	[LSDP_NEIGH_INCOMPLETE]	= "incomplete",
	[LSDP_NEIGH_REACHABLE]	= "reachable",
	[LSDP_NEIGH_STALE]	= "stale",
	[LSDP_NEIGH_FAILED]	= "failed",
	[LSDP_NEIGH_STATIC]	= "static",
};

static const char *const hold_events[] = {
	[LSDP_HOLD_EVENT_RESOLVED]	= "resolved",
	[LSDP_HOLD_EVENT_FAILED]	= "failed",
	[LSDP_HOLD_EVENT_OVERFLOW]	= "overflow",
	[LSDP_HOLD_EVENT_BOUND]		= "bound",
	[LSDP_HOLD_EVENT_TIMEOUT]	= "timeout",
};

static const char *const trace_kinds[] = {
	[LSDP_TRACE_INGRESS]		= "ingress",
	[LSDP_TRACE_PORT_SECURITY]	= "port-security",
	[LSDP_TRACE_L2]			= "l2-lookup",
	[LSDP_TRACE_PATCH]		= "patch",
	[LSDP_TRACE_ROUTE]		= "route",
	[LSDP_TRACE_NEIGH]		= "neighbour",
	[LSDP_TRACE_GENERATED]		= "generated",
	[LSDP_TRACE_LEARN]		= "learn",
	[LSDP_TRACE_TAG]		= "vlan",
	[LSDP_TRACE_DELIVER]		= "delivered",
	[LSDP_TRACE_TUNNEL]		= "tunnelled",
	[LSDP_TRACE_HOLD]		= "held",
	[LSDP_TRACE_DROP]		= "dropped",
	[LSDP_TRACE_CONSUMED]		= "consumed",
	[LSDP_TRACE_ACL]		= "acl",
	[LSDP_TRACE_TUNNEL_RX]		= "from-tunnel",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *lsdp_trace_kind_name(unsigned int kind)
{
	return kind < ARRAY_SIZE(trace_kinds) ? trace_kinds[kind] : NULL;
}

const char *lsdp_dp_kind_name(unsigned int kind)
{
	return kind < ARRAY_SIZE(dp_kinds) ? dp_kinds[kind] : NULL;
}

const char *lsdp_port_type_name(unsigned int type)
{
	return type < ARRAY_SIZE(port_types) ? port_types[type] : NULL;
}

int lsdp_port_type_parse(const char *s)
{
	unsigned int i;

	/* Router ports are made by the kernel, not asked for. */
	for (i = 0; i < ARRAY_SIZE(port_types); i++)
		if (port_types[i] && i != LSDP_PORT_TYPE_ROUTER_PORT &&
		    !strcmp(s, port_types[i]))
			return (int)i;
	return -1;
}

const char *lsdp_neigh_state_name(unsigned int state)
{
	return state < ARRAY_SIZE(neigh_states) ? neigh_states[state] : NULL;
}

const char *lsdp_hold_event_name(unsigned int event)
{
	return event < ARRAY_SIZE(hold_events) ? hold_events[event] : NULL;
}

const char *lsdp_drop_reason_name(unsigned int reason, char *buf, size_t len)
{
	if (reason < ARRAY_SIZE(drop_reasons) && drop_reasons[reason])
		return drop_reasons[reason];
	snprintf(buf, len, "reason-%u", reason);
	return buf;
}

static const char *const attr_names[] = {
	[LSDP_A_DP_NAME]	= "LSDP_A_DP_NAME",
	[LSDP_A_DP_KEY]		= "LSDP_A_DP_KEY",
	[LSDP_A_DP_KIND]	= "LSDP_A_DP_KIND",
	[LSDP_A_DP_NPORTS]	= "LSDP_A_DP_NPORTS",
	[LSDP_A_PORT_NAME]	= "LSDP_A_PORT_NAME",
	[LSDP_A_PORT_KEY]	= "LSDP_A_PORT_KEY",
	[LSDP_A_PORT_TYPE]	= "LSDP_A_PORT_TYPE",
	[LSDP_A_PORT_MAC]	= "LSDP_A_PORT_MAC",
	[LSDP_A_PORT_ADDRS]	= "LSDP_A_PORT_ADDRS",
	[LSDP_A_PORT_UNKNOWN]	= "LSDP_A_PORT_UNKNOWN",
	[LSDP_A_PORT_SECURITY]	= "LSDP_A_PORT_SECURITY",
	[LSDP_A_PORT_IFINDEX]	= "LSDP_A_PORT_IFINDEX",
	[LSDP_A_PORT_IFNAME]	= "LSDP_A_PORT_IFNAME",
	[LSDP_A_PORT_STATS]	= "LSDP_A_PORT_STATS",
	[LSDP_A_PORT_CHASSIS]	= "LSDP_A_PORT_CHASSIS",
	[LSDP_A_CHASSIS_NAME]	= "LSDP_A_CHASSIS_NAME",
	[LSDP_A_CHASSIS_IP]	= "LSDP_A_CHASSIS_IP",
	[LSDP_A_CHASSIS_NPORTS]	= "LSDP_A_CHASSIS_NPORTS",
	[LSDP_A_ENCAP_LOCAL_IP]	= "LSDP_A_ENCAP_LOCAL_IP",
	[LSDP_A_ENCAP_IFINDEX]	= "LSDP_A_ENCAP_IFINDEX",
	[LSDP_A_ENCAP_IFNAME]	= "LSDP_A_ENCAP_IFNAME",
	[LSDP_A_ENCAP_CSUM]	= "LSDP_A_ENCAP_CSUM",
	[LSDP_A_ENCAP_DF]	= "LSDP_A_ENCAP_DF",
	[LSDP_A_ENCAP_OWNED]	= "LSDP_A_ENCAP_OWNED",
	[LSDP_A_ENCAP_STATS]	= "LSDP_A_ENCAP_STATS",
	[LSDP_A_PORT_PEER]	= "LSDP_A_PORT_PEER",
	[LSDP_A_ROUTE_PREFIX]	= "LSDP_A_ROUTE_PREFIX",
	[LSDP_A_ROUTE_PLEN]	= "LSDP_A_ROUTE_PLEN",
	[LSDP_A_ROUTE_VIA]	= "LSDP_A_ROUTE_VIA",
	[LSDP_A_ROUTE_CONNECTED] = "LSDP_A_ROUTE_CONNECTED",
	[LSDP_A_NEIGH_ADDR]	= "LSDP_A_NEIGH_ADDR",
	[LSDP_A_NEIGH_MAC]	= "LSDP_A_NEIGH_MAC",
	[LSDP_A_NEIGH_STATE]	= "LSDP_A_NEIGH_STATE",
	[LSDP_A_NEIGH_AGE_MS]	= "LSDP_A_NEIGH_AGE_MS",
	[LSDP_A_NEIGH_PROBES]	= "LSDP_A_NEIGH_PROBES",
	[LSDP_A_HOLD_DEST_BYTES] = "LSDP_A_HOLD_DEST_BYTES",
	[LSDP_A_HOLD_TOTAL_BYTES] = "LSDP_A_HOLD_TOTAL_BYTES",
	[LSDP_A_HOLD_RETRIES]	= "LSDP_A_HOLD_RETRIES",
	[LSDP_A_HOLD_INTERVAL_MS] = "LSDP_A_HOLD_INTERVAL_MS",
	[LSDP_A_HOLD_UNBOUND_MS] = "LSDP_A_HOLD_UNBOUND_MS",
	[LSDP_A_NEIGH_MAX]	= "LSDP_A_NEIGH_MAX",
	[LSDP_A_NEIGH_REACHABLE_MS] = "LSDP_A_NEIGH_REACHABLE_MS",
	[LSDP_A_NEIGH_STALE_MS]	= "LSDP_A_NEIGH_STALE_MS",
	[LSDP_A_HOLD_PACKETS]	= "LSDP_A_HOLD_PACKETS",
	[LSDP_A_HOLD_BYTES]	= "LSDP_A_HOLD_BYTES",
	[LSDP_A_HOLD_AGE_MS]	= "LSDP_A_HOLD_AGE_MS",
	[LSDP_A_HOLD_STATS]	= "LSDP_A_HOLD_STATS",
	[LSDP_A_HOLD_LAT_SAMPLES] = "LSDP_A_HOLD_LAT_SAMPLES",
	[LSDP_A_HOLD_LAT_P50_NS] = "LSDP_A_HOLD_LAT_P50_NS",
	[LSDP_A_HOLD_LAT_P99_NS] = "LSDP_A_HOLD_LAT_P99_NS",
	[LSDP_A_HOLD_LAT_MAX_NS] = "LSDP_A_HOLD_LAT_MAX_NS",
	[LSDP_A_HOLD_EVENT]	= "LSDP_A_HOLD_EVENT",
	[LSDP_A_NEIGH_COUNT]	= "LSDP_A_NEIGH_COUNT",
	[LSDP_A_PORT_PARENT]	= "LSDP_A_PORT_PARENT",
	[LSDP_A_PORT_TAG]	= "LSDP_A_PORT_TAG",
	[LSDP_A_PORT_ANNOUNCED]	= "LSDP_A_PORT_ANNOUNCED",
	[LSDP_A_DROP_REASON]	= "LSDP_A_DROP_REASON",
	[LSDP_A_PKT_ETH_SRC]	= "LSDP_A_PKT_ETH_SRC",
	[LSDP_A_PKT_ETH_DST]	= "LSDP_A_PKT_ETH_DST",
	[LSDP_A_PKT_ETH_TYPE]	= "LSDP_A_PKT_ETH_TYPE",
	[LSDP_A_PKT_IP_SRC]	= "LSDP_A_PKT_IP_SRC",
	[LSDP_A_PKT_IP_DST]	= "LSDP_A_PKT_IP_DST",
	[LSDP_A_PKT_IP_PROTO]	= "LSDP_A_PKT_IP_PROTO",
	[LSDP_A_TRACE_FRAME]	= "LSDP_A_TRACE_FRAME",
	[LSDP_A_TRACE_STEPS]	= "LSDP_A_TRACE_STEPS",
	[LSDP_A_TRACE_STEP]	= "LSDP_A_TRACE_STEP",
	[LSDP_A_TRACE_TRUNCATED] = "LSDP_A_TRACE_TRUNCATED",
	[LSDP_A_AS_NAME] = "LSDP_A_AS_NAME",
	[LSDP_A_AS_ADDRS] = "LSDP_A_AS_ADDRS",
	[LSDP_A_AS_DEL_ADDRS] = "LSDP_A_AS_DEL_ADDRS",
	[LSDP_A_AS_COUNT] = "LSDP_A_AS_COUNT",
	[LSDP_A_PG_NAME] = "LSDP_A_PG_NAME",
	[LSDP_A_PG_PORTS] = "LSDP_A_PG_PORTS",
	[LSDP_A_ACL_DIR] = "LSDP_A_ACL_DIR",
	[LSDP_A_ACL_PRIORITY] = "LSDP_A_ACL_PRIORITY",
	[LSDP_A_ACL_MATCH] = "LSDP_A_ACL_MATCH",
	[LSDP_A_ACL_ACTION] = "LSDP_A_ACL_ACTION",
	[LSDP_A_ACL_NAME] = "LSDP_A_ACL_NAME",
	[LSDP_A_ACL_HITS] = "LSDP_A_ACL_HITS",
	[LSDP_A_ACL_ID] = "LSDP_A_ACL_ID",
	[LSDP_A_PORT_CT_ZONE] = "LSDP_A_PORT_CT_ZONE",
	[LSDP_A_NAT_TYPE] = "LSDP_A_NAT_TYPE",
	[LSDP_A_NAT_EXTERNAL_IP] = "LSDP_A_NAT_EXTERNAL_IP",
	[LSDP_A_NAT_LOGICAL_IP] = "LSDP_A_NAT_LOGICAL_IP",
	[LSDP_A_NAT_LOGICAL_PLEN] = "LSDP_A_NAT_LOGICAL_PLEN",
	[LSDP_A_NAT_LOGICAL_PORT] = "LSDP_A_NAT_LOGICAL_PORT",
	[LSDP_A_NAT_EXTERNAL_MAC] = "LSDP_A_NAT_EXTERNAL_MAC",
	[LSDP_A_NAT_PORT_MIN] = "LSDP_A_NAT_PORT_MIN",
	[LSDP_A_NAT_PORT_MAX] = "LSDP_A_NAT_PORT_MAX",
	[LSDP_A_NAT_HITS] = "LSDP_A_NAT_HITS",
	[LSDP_A_NAT_LOCAL] = "LSDP_A_NAT_LOCAL",
	[LSDP_A_NAT_CT_ZONE] = "LSDP_A_NAT_CT_ZONE",
	[LSDP_A_TRACE_MASK] = "LSDP_A_TRACE_MASK",
	[LSDP_A_TRACE_COUNT] = "LSDP_A_TRACE_COUNT",
	[LSDP_A_TRACE_LIVE_ID] = "LSDP_A_TRACE_LIVE_ID",
	[LSDP_A_PORT_VIRTUAL_IP] = "LSDP_A_PORT_VIRTUAL_IP",
	[LSDP_A_PORT_VIRTUAL_PARENTS] = "LSDP_A_PORT_VIRTUAL_PARENTS",
	[LSDP_A_PORT_VIRTUAL_PARENT] = "LSDP_A_PORT_VIRTUAL_PARENT",
	[LSDP_A_PORT_VIRTUAL_IGNORED] = "LSDP_A_PORT_VIRTUAL_IGNORED",
};

const char *lsdp_attr_name(unsigned int type)
{
	if (type < ARRAY_SIZE(attr_names) && attr_names[type])
		return attr_names[type];
	return "unknown attribute";
}

// SPDX-License-Identifier: GPL-2.0
/*
 * liblsdp: the lsdp objects as netlink attributes: reply parsing with a
 * policy, address nests, and the names of kinds, types and drop reasons.
 */
#define _GNU_SOURCE
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
	if (tb[LSDP_A_DP_KEY])
		dp->key = nla_get_u32(tb[LSDP_A_DP_KEY]);
	if (tb[LSDP_A_DP_KIND])
		dp->kind = nla_get_u8(tb[LSDP_A_DP_KIND]);
	if (tb[LSDP_A_DP_NPORTS]) {
		dp->nports = nla_get_u32(tb[LSDP_A_DP_NPORTS]);
		dp->has_nports = true;
	}
	return 0;
}

static int parse_addrs(const struct nlattr *nest, struct lsdp_port_info *p)
{
	const struct nlattr *a;
	unsigned int n = 0;
	int rem;

	nla_for_each_nested(a, nest, rem)
		n++;
	if (!n)
		return 0;
	p->addrs = calloc(n, sizeof(*p->addrs));
	if (!p->addrs)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem) {
		struct lsdp_addr *ad = &p->addrs[p->n_addrs];

		switch (nla_type(a)) {
		case LSDP_ADDR_A_IPV4:
			if (nla_len(a) != 4)
				return -EINVAL;
			ad->family = AF_INET;
			memcpy(&ad->v4, nla_data(a), 4);
			break;
		case LSDP_ADDR_A_IPV6:
			if (nla_len(a) != 16)
				return -EINVAL;
			ad->family = AF_INET6;
			memcpy(&ad->v6, nla_data(a), 16);
			break;
		default:
			continue;	/* a newer kind of address */
		}
		p->n_addrs++;
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
	if (tb[LSDP_STATS_A_RX_PACKETS])
		st->rx_packets = nla_get_u64(tb[LSDP_STATS_A_RX_PACKETS]);
	if (tb[LSDP_STATS_A_RX_BYTES])
		st->rx_bytes = nla_get_u64(tb[LSDP_STATS_A_RX_BYTES]);
	if (tb[LSDP_STATS_A_TX_PACKETS])
		st->tx_packets = nla_get_u64(tb[LSDP_STATS_A_TX_PACKETS]);
	if (tb[LSDP_STATS_A_TX_BYTES])
		st->tx_bytes = nla_get_u64(tb[LSDP_STATS_A_TX_BYTES]);
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
	if (tb[LSDP_A_PORT_KEY])
		p->key = nla_get_u32(tb[LSDP_A_PORT_KEY]);
	if (tb[LSDP_A_PORT_TYPE])
		p->type = nla_get_u8(tb[LSDP_A_PORT_TYPE]);
	if (tb[LSDP_A_PORT_MAC]) {
		memcpy(p->mac, nla_data(tb[LSDP_A_PORT_MAC]), 6);
		p->has_mac = true;
	}
	if (tb[LSDP_A_PORT_UNKNOWN])
		p->unknown = nla_get_u8(tb[LSDP_A_PORT_UNKNOWN]) != 0;
	if (tb[LSDP_A_PORT_SECURITY])
		p->security = nla_get_u8(tb[LSDP_A_PORT_SECURITY]) != 0;
	if (tb[LSDP_A_PORT_IFINDEX])
		p->ifindex = nla_get_u32(tb[LSDP_A_PORT_IFINDEX]);
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
	return 0;
err:
	lsdp_port_info_clear(p);
	return err;
}

void lsdp_port_info_clear(struct lsdp_port_info *p)
{
	free(p->addrs);
	p->addrs = NULL;
	p->n_addrs = 0;
	free(p->stats.drops);
	p->stats.drops = NULL;
	p->stats.n_drops = 0;
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
	if (tb[LSDP_A_CHASSIS_NPORTS])
		ch->nports = nla_get_u32(tb[LSDP_A_CHASSIS_NPORTS]);
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
	if (tb[LSDP_A_ENCAP_IFINDEX])
		e->ifindex = nla_get_u32(tb[LSDP_A_ENCAP_IFINDEX]);
	if (tb[LSDP_A_ENCAP_CSUM])
		e->csum = nla_get_u8(tb[LSDP_A_ENCAP_CSUM]) != 0;
	if (tb[LSDP_A_ENCAP_DF])
		e->df = nla_get_u8(tb[LSDP_A_ENCAP_DF]) != 0;
	if (tb[LSDP_A_ENCAP_OWNED])
		e->owned = nla_get_u8(tb[LSDP_A_ENCAP_OWNED]) != 0;
	if (tb[LSDP_A_ENCAP_STATS])
		return parse_stats(tb[LSDP_A_ENCAP_STATS], &e->stats);
	return 0;
}

void lsdp_encap_info_clear(struct lsdp_encap_info *e)
{
	free(e->stats.drops);
	e->stats.drops = NULL;
	e->stats.n_drops = 0;
}

int lsdp_put_ip(struct nl_msg *msg, int type, const struct lsdp_addr *a)
{
	if (a->family == AF_INET)
		return nla_put(msg, type, 4, &a->v4) < 0 ? -EMSGSIZE : 0;
	return nla_put(msg, type, 16, &a->v6) < 0 ? -EMSGSIZE : 0;
}

int lsdp_put_addrs(struct nl_msg *msg, const struct lsdp_addr *addrs,
		   unsigned int n)
{
	struct nlattr *nest;
	unsigned int i;

	/*
	 * An empty list must reach the kernel as an empty nest ("noip"), but
	 * libnl's nla_nest_end() drops empty nests: put it by hand, flagged
	 * NLA_F_NESTED as strict validation wants.
	 */
	if (!n) {
		static const char none;

		return nla_put(msg, NLA_F_NESTED | LSDP_A_PORT_ADDRS, 0, &none) < 0 ?
		       -EMSGSIZE : 0;
	}
	nest = nla_nest_start(msg, LSDP_A_PORT_ADDRS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		int err;

		if (addrs[i].family == AF_INET)
			err = nla_put(msg, LSDP_ADDR_A_IPV4, 4, &addrs[i].v4);
		else
			err = nla_put(msg, LSDP_ADDR_A_IPV6, 16, &addrs[i].v6);
		if (err < 0)
			return -EMSGSIZE;
	}
	return nla_nest_end(msg, nest) < 0 ? -EMSGSIZE : 0;
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
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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

	for (i = 0; i < ARRAY_SIZE(port_types); i++)
		if (port_types[i] && !strcmp(s, port_types[i]))
			return (int)i;
	return -1;
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
};

const char *lsdp_attr_name(unsigned int type)
{
	if (type < ARRAY_SIZE(attr_names) && attr_names[type])
		return attr_names[type];
	return "unknown attribute";
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Routing tables of router datapaths.  Placeholder until the LPM lands.
 */
#include <net/genetlink.h>

#include "lsdp.h"

int lsdp_route_insert(struct lsdp_dp *dp, struct lsdp_route *rt,
		      struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack, "routes are not supported yet");
	return -EOPNOTSUPP;
}

struct lsdp_route *lsdp_route_find(struct lsdp_dp *dp, bool ipv6,
				   const union lsdp_addr *prefix, u8 plen)
{
	return NULL;
}

void lsdp_route_remove(struct lsdp_dp *dp, struct lsdp_route *rt)
{
}

void lsdp_routes_remove_port(struct lsdp_dp *dp, struct lsdp_port *port)
{
}

void lsdp_routes_destroy(struct lsdp_dp *dp)
{
}

const struct lsdp_route *lsdp_route_lookup4(const struct lsdp_dp *dp,
					    __be32 dst)
{
	return NULL;
}

const struct lsdp_route *lsdp_route_lookup6(const struct lsdp_dp *dp,
					    const struct in6_addr *dst)
{
	return NULL;
}

int lsdp_cmd_route_new(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int lsdp_cmd_route_del(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int lsdp_cmd_route_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

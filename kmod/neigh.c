// SPDX-License-Identifier: GPL-2.0
/* Neighbour bindings of router ports.  Placeholder. */
#include <net/genetlink.h>

#include "lsdp.h"

int lsdp_cmd_neigh_new(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int lsdp_cmd_neigh_del(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int lsdp_cmd_neigh_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int lsdp_cmd_neigh_flush(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

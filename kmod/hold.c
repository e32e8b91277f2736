// SPDX-License-Identifier: GPL-2.0
/* The hold queue.  Placeholder. */
#include <net/genetlink.h>

#include "lsdp.h"

int lsdp_cmd_hold_set(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int lsdp_cmd_hold_get(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int lsdp_cmd_hold_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

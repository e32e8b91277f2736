// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace instance: each netns has its own datapaths and
 * ports, created empty and destroyed with the namespace.
 */
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "lsdp.h"

unsigned int lsdp_net_id __read_mostly;

struct lsdp_net *lsdp_net(const struct net *net)
{
	return net_generic(net, lsdp_net_id);
}

static int __net_init lsdp_net_init(struct net *net)
{
	struct lsdp_net *ln = lsdp_net(net);

	ln->net = net;
	mutex_init(&ln->lock);
	INIT_LIST_HEAD(&ln->dps);
	INIT_LIST_HEAD(&ln->live);
	INIT_WORK(&ln->virt_work, lsdp_virt_work);
	lsdp_acl_net_init(ln);
	ratelimit_state_init(&ln->drop_rs, HZ, LSDP_DROP_EVENT_RATE);
	/* Suppressed events are not worth a line in the kernel log. */
	ratelimit_set_flags(&ln->drop_rs, RATELIMIT_MSG_ON_RELEASE);
	return lsdp_tables_init(ln);
}

/*
 * Called when the namespace dies or the module unloads.  Takes RTNL and
 * the instance lock: ports are unbound from their netdevs before the
 * namespace's netdevs go away (pernet device ops exit before the core's
 * device teardown).
 */
static void __net_exit lsdp_net_exit(struct net *net)
{
	struct lsdp_net *ln = lsdp_net(net);

	rtnl_lock();
	mutex_lock(&ln->lock);
	lsdp_encap_clear(ln);
	lsdp_acl_net_exit(ln);
	lsdp_dp_destroy_all(ln);
	lsdp_neigh_destroy(ln);
	lsdp_chassis_destroy_all(ln);
	mutex_unlock(&ln->lock);
	rtnl_unlock();
	/*
	 * No port is bound any more (each unbind waited for a grace
	 * period), so nothing can queue a virtual port's bind again.
	 */
	cancel_work_sync(&ln->virt_work);
	lsdp_live_net_exit(ln);
	lsdp_tables_destroy(ln);
	lsdp_acl_net_free(ln);
	mutex_destroy(&ln->lock);
}

static struct pernet_operations lsdp_net_ops = {
	.init = lsdp_net_init,
	.exit = lsdp_net_exit,
	.id   = &lsdp_net_id,
	.size = sizeof(struct lsdp_net),
};

int lsdp_netns_init(void)
{
	return register_pernet_device(&lsdp_net_ops);
}

void lsdp_netns_exit(void)
{
	unregister_pernet_device(&lsdp_net_ops);
}

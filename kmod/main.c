// SPDX-License-Identifier: GPL-2.0
/*
 * lsdp: the packet datapath of an OVN-style virtual network.
 *
 * Module init and exit.  Everything is set up before the generic netlink
 * family appears (so no request can see half a module) and torn down after
 * it is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "lsdp.h"

struct workqueue_struct *lsdp_wq;

static int __init lsdp_init(void)
{
	int err;

	/* The neighbour table calls the router back only through these. */
	lsdp_neigh_set_ops(&lsdp_router_neigh_ops);
	/* Datapath teardown runs here after a grace period; it may sleep. */
	lsdp_wq = alloc_workqueue("lsdp", 0, 0);
	if (!lsdp_wq)
		return -ENOMEM;

	err = lsdp_port_caches_init();
	if (err)
		goto err_destroy_wq;

	err = lsdp_netns_init();
	if (err)
		goto err_destroy_port_caches;
	err = lsdp_notifier_init();
	if (err)
		goto err_netns_exit;
	/* Before any request: a live trace must always see its socket go. */
	err = lsdp_live_init();
	if (err)
		goto err_notifier_exit;
	err = lsdp_genl_init();
	if (err)
		goto err_live_exit;

	pr_info("loaded\n");
	return 0;

err_live_exit:
	lsdp_live_exit();
err_notifier_exit:
	lsdp_notifier_exit();
err_netns_exit:
	lsdp_netns_exit();
	rcu_barrier();
err_destroy_port_caches:
	lsdp_port_caches_destroy();
err_destroy_wq:
	destroy_workqueue(lsdp_wq);
	return err;
}

static void __exit lsdp_exit(void)
{
	/* No new requests from here on. */
	lsdp_genl_exit();
	lsdp_live_exit();
	/*
	 * Per-netns teardown unbinds every port under RTNL.  It runs before the
	 * netdev notifier goes away so that no netdev can be unregistered
	 * while a port still points at it with nobody left to unbind it.
	 */
	lsdp_netns_exit();
	lsdp_notifier_exit();
	/* Wait for kfree_rcu()/call_rcu() and queued rcu_work callbacks... */
	rcu_barrier();
	/* ...and for the datapath frees those callbacks queued. */
	destroy_workqueue(lsdp_wq);
	lsdp_port_caches_destroy();
	pr_info("unloaded\n");
}

module_init(lsdp_init);
module_exit(lsdp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Logical switch/router datapath for OVN-style virtual networks");
MODULE_VERSION("0.1.0");
MODULE_ALIAS_GENL_FAMILY(LSDP_GENL_NAME);

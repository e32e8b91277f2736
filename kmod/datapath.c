// SPDX-License-Identifier: GPL-2.0
/*
 * Logical datapaths (switches and routers) and the per-netns tables that
 * index them by key and by name.
 */
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "lsdp.h"

static const struct rhashtable_params lsdp_dp_key_params = {
	.head_offset = offsetof(struct lsdp_dp, key_node),
	.key_offset = offsetof(struct lsdp_dp, key),
	.key_len = sizeof(u32),
	.automatic_shrinking = true,
};

/* Names are stored NUL-padded to their full size, so they hash as bytes. */
static const struct rhashtable_params lsdp_dp_name_params = {
	.head_offset = offsetof(struct lsdp_dp, name_node),
	.key_offset = offsetof(struct lsdp_dp, name),
	.key_len = LSDP_NAME_SIZE,
	.automatic_shrinking = true,
};

/*
 * A port's name is only as long as its cache's name size (port.c), so
 * ports hash and compare their names as strings, not as padded bytes.
 */
static u32 lsdp_port_name_hash(const void *data, u32 len, u32 seed)
{
	return jhash(data, strnlen(data, LSDP_NAME_SIZE), seed);
}

static u32 lsdp_port_name_obj_hash(const void *data, u32 len, u32 seed)
{
	const struct lsdp_port *port = data;

	return lsdp_port_name_hash(port->name, len, seed);
}

static int lsdp_port_name_cmp(struct rhashtable_compare_arg *arg,
			      const void *obj)
{
	const struct lsdp_port *port = obj;

	return strncmp(arg->key, port->name, LSDP_NAME_SIZE);
}

static const struct rhashtable_params lsdp_port_name_params = {
	.head_offset = offsetof(struct lsdp_port, name_node),
	.key_offset = offsetof(struct lsdp_port, name),
	.key_len = LSDP_NAME_SIZE,
	.hashfn = lsdp_port_name_hash,
	.obj_hashfn = lsdp_port_name_obj_hash,
	.obj_cmpfn = lsdp_port_name_cmp,
	.automatic_shrinking = true,
};

const struct rhashtable_params lsdp_port_key_params = {
	.head_offset = offsetof(struct lsdp_port, key_node),
	.key_offset = offsetof(struct lsdp_port, key),
	.key_len = sizeof(u32),
	.automatic_shrinking = true,
};

/* Called with ln->lock held. */
struct lsdp_dp *lsdp_dp_find_name(struct lsdp_net *ln, const char *name)
{
	return lsdp_find_name(ln, &ln->dps_by_name, name, lsdp_dp_name_params);
}

/* Called with ln->lock held. */
struct lsdp_dp *lsdp_dp_find_key(struct lsdp_net *ln, u32 key)
{
	lockdep_assert_held(&ln->lock);
	return rhashtable_lookup_fast(&ln->dps_by_key, &key,
				      lsdp_dp_key_params);
}

/* Called with RCU read lock (packet path). */
struct lsdp_dp *lsdp_dp_find_key_rcu(struct lsdp_net *ln, u32 key)
{
	lsdp_assert_rcu();
	return rhashtable_lookup(&ln->dps_by_key, &key, lsdp_dp_key_params);
}

/* Called with RCU read lock (packet path). */
struct lsdp_port *lsdp_port_find_key_rcu(struct lsdp_dp *dp, u32 key)
{
	lsdp_assert_rcu();
	return rhashtable_lookup(&dp->ports_by_key, &key, lsdp_port_key_params);
}

/* Called with ln->lock held. */
struct lsdp_port *lsdp_port_find_name(struct lsdp_net *ln, const char *name)
{
	return lsdp_find_name(ln, &ln->ports_by_name, name,
			      lsdp_port_name_params);
}

/* Called with ln->lock held. */
struct lsdp_port *lsdp_port_find_key(struct lsdp_dp *dp, u32 key)
{
	lockdep_assert_held(&dp->ln->lock);
	return rhashtable_lookup_fast(&dp->ports_by_key, &key,
				      lsdp_port_key_params);
}

/* Process context, no locks needed: the datapath is not published yet. */
struct lsdp_dp *lsdp_dp_alloc(const char *name, u32 key, u8 kind)
{
	struct lsdp_dp *dp;

	dp = kzalloc(sizeof(*dp), GFP_KERNEL);
	if (!dp)
		return NULL;
	strscpy_pad(dp->name, name, sizeof(dp->name));
	dp->key = key;
	dp->kind = kind;
	INIT_LIST_HEAD(&dp->ports);
	INIT_LIST_HEAD(&dp->unknown_ports);
	INIT_LIST_HEAD(&dp->chassis);
	INIT_LIST_HEAD(&dp->routes);
	INIT_LIST_HEAD(&dp->acls);
	INIT_LIST_HEAD(&dp->nat_rules);
	INIT_LIST_HEAD(&dp->vports);
	ida_init(&dp->nat_slots);
	if (rhashtable_init(&dp->ports_by_key, &lsdp_port_key_params))
		goto err_free_dp;
	if (rhashtable_init(&dp->l2, &lsdp_l2_params))
		goto err_destroy_ports;
	if (rhashtable_init(&dp->ips, &lsdp_ip_params))
		goto err_destroy_l2;
	return dp;

err_destroy_l2:
	rhashtable_destroy(&dp->l2);
err_destroy_ports:
	rhashtable_destroy(&dp->ports_by_key);
err_free_dp:
	kfree(dp);
	return NULL;
}

/* Frees a datapath that was never published, or is past its grace period. */
void lsdp_dp_free(struct lsdp_dp *dp)
{
	lsdp_routes_destroy(dp);
	lsdp_nat_dp_free(dp);
	rhashtable_destroy(&dp->ips);
	rhashtable_destroy(&dp->l2);
	rhashtable_destroy(&dp->ports_by_key);
	kfree(dp);
}

static void lsdp_dp_free_work(struct work_struct *work)
{
	struct lsdp_dp *dp = container_of(to_rcu_work(work), struct lsdp_dp,
					  free_work);

	lsdp_dp_free(dp);
}

/* Called with ln->lock held.  On error the datapath is not published. */
int lsdp_dp_create(struct lsdp_net *ln, struct lsdp_dp *dp,
		   struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held(&ln->lock);
	if (lsdp_dp_find_name(ln, dp->name)) {
		NL_SET_ERR_MSG(extack, "datapath name already exists");
		return -EEXIST;
	}
	if (lsdp_dp_find_key(ln, dp->key)) {
		NL_SET_ERR_MSG(extack, "datapath key already exists");
		return -EEXIST;
	}
	err = rhashtable_insert_fast(&ln->dps_by_key, &dp->key_node,
				     lsdp_dp_key_params);
	if (err)
		return err;
	err = rhashtable_insert_fast(&ln->dps_by_name, &dp->name_node,
				     lsdp_dp_name_params);
	if (err)
		goto err_remove_key;
	dp->ln = ln;
	dp->serial = ++ln->serial;
	list_add_tail(&dp->list, &ln->dps);
	ln->n_dps++;
	lsdp_gen_bump(ln);
	return 0;

err_remove_key:
	rhashtable_remove_fast(&ln->dps_by_key, &dp->key_node,
			       lsdp_dp_key_params);
	return err;
}

/*
 * Called with RTNL and ln->lock held.  Deletes the datapath's ports first
 * (unbinding them), then unpublishes the datapath; its tables are freed
 * after a grace period, from a workqueue because rhashtable_destroy() may
 * sleep.
 */
void lsdp_dp_destroy(struct lsdp_dp *dp)
{
	struct lsdp_net *ln = dp->ln;

	ASSERT_RTNL();
	lockdep_assert_held(&dp->ln->lock);
	/*
	 * Not list_for_each_entry_safe(): a trunk parent takes its children,
	 * which may be the next entries, with it.
	 */
	while (!list_empty(&dp->ports))
		lsdp_port_destroy(list_first_entry(&dp->ports, struct lsdp_port,
						   dp_node));
	lsdp_acl_dp_destroy(dp);
	lsdp_nat_dp_destroy(dp);

	rhashtable_remove_fast(&ln->dps_by_key, &dp->key_node,
			       lsdp_dp_key_params);
	rhashtable_remove_fast(&ln->dps_by_name, &dp->name_node,
			       lsdp_dp_name_params);
	list_del(&dp->list);
	ln->n_dps--;
	lsdp_gen_bump(ln);
	INIT_RCU_WORK(&dp->free_work, lsdp_dp_free_work);
	queue_rcu_work(lsdp_wq, &dp->free_work);
}

/* Called with RTNL and ln->lock held. */
void lsdp_dp_destroy_all(struct lsdp_net *ln)
{
	struct lsdp_dp *dp, *next;

	ASSERT_RTNL();
	lockdep_assert_held(&ln->lock);
	list_for_each_entry_safe(dp, next, &ln->dps, list)
		lsdp_dp_destroy(dp);
}

/* Called from pernet init, before the instance is reachable. */
int lsdp_tables_init(struct lsdp_net *ln)
{
	int err;

	err = rhashtable_init(&ln->dps_by_key, &lsdp_dp_key_params);
	if (err)
		return err;
	err = rhashtable_init(&ln->dps_by_name, &lsdp_dp_name_params);
	if (err)
		goto err_destroy_key;
	err = rhashtable_init(&ln->ports_by_name, &lsdp_port_name_params);
	if (err)
		goto err_destroy_name;
	err = lsdp_chassis_table_init(ln);
	if (err)
		goto err_destroy_ports;
	err = lsdp_counters_init(&ln->tun_stats, true);
	if (err)
		goto err_destroy_chassis;
	err = lsdp_neigh_init(ln);
	if (err)
		goto err_free_tun_stats;
	return 0;

err_free_tun_stats:
	lsdp_counters_free(&ln->tun_stats);
err_destroy_chassis:
	lsdp_chassis_table_destroy(ln);
err_destroy_ports:
	rhashtable_destroy(&ln->ports_by_name);
err_destroy_name:
	rhashtable_destroy(&ln->dps_by_name);
err_destroy_key:
	rhashtable_destroy(&ln->dps_by_key);
	return err;
}

/* Called from pernet exit, once every datapath is gone. */
void lsdp_tables_destroy(struct lsdp_net *ln)
{
	WARN_ON(ln->n_dps || ln->n_ports);
	lsdp_neigh_table_free(ln);
	lsdp_counters_free(&ln->tun_stats);
	lsdp_chassis_table_destroy(ln);
	rhashtable_destroy(&ln->ports_by_name);
	rhashtable_destroy(&ln->dps_by_name);
	rhashtable_destroy(&ln->dps_by_key);
}

/* Port name table accessors for port.c; called with ln->lock held. */
int lsdp_port_name_insert(struct lsdp_net *ln, struct lsdp_port *port)
{
	return rhashtable_insert_fast(&ln->ports_by_name, &port->name_node,
				      lsdp_port_name_params);
}

void lsdp_port_name_remove(struct lsdp_net *ln, struct lsdp_port *port)
{
	rhashtable_remove_fast(&ln->ports_by_name, &port->name_node,
			       lsdp_port_name_params);
}

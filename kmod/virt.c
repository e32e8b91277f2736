// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual ports: OVN's logical switch ports of type "virtual".
 *
 * DOC: Virtual ports
 *
 * A virtual port has a virtual IP (VIP) and a list of parents, vif ports of
 * the same switch (OVN's options:virtual-ip and virtual-parents).  VMs
 * behind the parents move the VIP between them (keepalived, pacemaker) and
 * say so with a gratuitous ARP, or an ARP reply, whose sender address is
 * the VIP (for IPv6 an NS or NA whose target is the VIP).  Such a claim
 * from a parent binds the virtual port to that parent, as ovn-northd's
 * bind_vport() flows and ovn-controller's pinctrl do; a claim from any
 * other port binds nothing and is counted (@ignored).  The frame itself
 * goes on as any other.
 *
 * Once bound, the virtual port's traffic (frames to its MAC) leaves by the
 * parent's binding: its netdev here, or a tunnel to the parent's chassis.
 * Its own egress stage still runs (ACLs on the virtual port, its port
 * security), unlike OVN (seed 003).  A distributed floating IP whose
 * logical port is the virtual port lives where the parent lives.  The
 * virtual port's addresses are not indexed for routers: as in OVN, a
 * router asks (ARP/ND) for the VIP and the parent holding it answers with
 * its own MAC.
 *
 * Binding is a writer's job (an event to listeners, the floating IPs'
 * announcements), so the packet path only records the parent's key in
 * @pending and queues ln->virt_work, which binds under ln->lock in
 * process context: OVN's pinctrl likewise hands the claim to the main
 * thread, which writes Port_Binding.virtual_parent.  A claim for the
 * parent already bound costs nothing more.  Deleting the bound parent
 * unbinds the virtual port.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <net/addrconf.h>
#include <net/ndisc.h>

#include "lsdp.h"

/*
 * Any context (RCU read lock or ln->lock).  The parent a virtual port is
 * bound to, or NULL (unbound, or not a virtual port).
 */
struct lsdp_port *lsdp_virt_parent(const struct lsdp_port *port)
{
	const struct lsdp_port_ext *ext;

	if (port->type != LSDP_PORT_TYPE_VIRTUAL)
		return NULL;
	ext = lsdp_port_ext(port);
	if (!ext || !ext->virt)
		return NULL;
	return rcu_dereference_check(ext->virt->bound,
				     lockdep_is_held(&port->dp->ln->lock));
}

/* Called with RCU read lock.  As lsdp_virt_parent(), on the packet path. */
struct lsdp_port *lsdp_virt_parent_rcu(const struct lsdp_port *port)
{
	lsdp_assert_rcu();
	return lsdp_virt_parent(port);
}

/* Any context.  Is @port (of @v's switch) one of @v's parents? */
static bool lsdp_virt_listed(const struct lsdp_virt *v,
			     const struct lsdp_port *port)
{
	unsigned int i;

	if (port->type != LSDP_PORT_TYPE_VIF || lsdp_port_parent(port))
		return false;
	for (i = 0; i < v->n_parents; i++)
		if (!strcmp(v->parents[i], port->name))
			return true;
	return false;
}

/*
 * Process context, no locks: the virtual IP and parents of a port-new
 * request of type virtual, or an ERR_PTR with the reason in extack.  The
 * parents are looked up later, under the lock (lsdp_virt_attach()).
 */
struct lsdp_virt *lsdp_virt_parse(struct genl_info *info)
{
	struct nlattr *ip = info->attrs[LSDP_A_PORT_VIRTUAL_IP];
	struct nlattr *ps = info->attrs[LSDP_A_PORT_VIRTUAL_PARENTS];
	struct netlink_ext_ack *extack = info->extack;
	unsigned int n = 0, i;
	struct lsdp_virt *v;
	struct nlattr *e;
	int rem;

	if (!LSDP_REQUIRE(info, LSDP_A_PORT_VIRTUAL_IP,
			  "a virtual port needs a virtual IP (vip)") ||
	    !LSDP_REQUIRE(info, LSDP_A_PORT_VIRTUAL_PARENTS,
			  "a virtual port needs parents"))
		return ERR_PTR(-EINVAL);
	nla_for_each_nested(e, ps, rem) {
		if (nla_type(e) != LSDP_A_PORT_NAME || !lsdp_name_valid(e)) {
			NL_SET_ERR_MSG_ATTR(extack, e,
					    "virtual parents must be port names");
			return ERR_PTR(-EINVAL);
		}
		n++;
	}
	if (!n || n > LSDP_VIRT_PARENTS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, ps,
				    "a virtual port takes 1..16 parents");
		return ERR_PTR(-EINVAL);
	}
	v = kzalloc(struct_size(v, parents, n), GFP_KERNEL);
	if (!v)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&v->node);
	atomic64_set(&v->ignored, 0);
	if (nla_len(ip) == sizeof(__be32)) {
		__be32 a = nla_get_in_addr(ip);

		if (ipv4_is_zeronet(a) || ipv4_is_multicast(a) ||
		    ipv4_is_lbcast(a) || ipv4_is_loopback(a))
			goto bad_ip;
		ipv6_addr_set_v4mapped(a, &v->vip);
	} else if (nla_len(ip) == sizeof(struct in6_addr)) {
		v->ipv6 = true;
		v->vip = nla_get_in6_addr(ip);
		if (ipv6_addr_any(&v->vip) || ipv6_addr_is_multicast(&v->vip) ||
		    ipv6_addr_loopback(&v->vip) || ipv6_addr_v4mapped(&v->vip))
			goto bad_ip;
	} else {
		NL_SET_ERR_MSG_ATTR(extack, ip,
				    "virtual IP must be an IPv4 (4 bytes) or IPv6 (16 bytes) address");
		kfree(v);
		return ERR_PTR(-EINVAL);
	}
	nla_for_each_nested(e, ps, rem) {
		for (i = 0; i < v->n_parents; i++) {
			if (!strcmp(v->parents[i], nla_data(e))) {
				NL_SET_ERR_MSG_ATTR(extack, e,
						    "virtual parent listed twice");
				kfree(v);
				return ERR_PTR(-EINVAL);
			}
		}
		strscpy(v->parents[v->n_parents++], nla_data(e),
			LSDP_NAME_SIZE);
	}
	return v;

bad_ip:
	NL_SET_ERR_MSG_ATTR(extack, ip, "virtual IP must be a unicast address");
	kfree(v);
	return ERR_PTR(-EINVAL);
}

/*
 * Called with ln->lock held, once @port is published in its switch:
 * checks @v's parents (extack says why not) and makes @v the port's,
 * listed for claims from here on.  @v is consumed either way; on error
 * the caller deletes the port.
 */
int lsdp_virt_attach(struct lsdp_port *port, struct lsdp_virt *v,
		     struct netlink_ext_ack *extack)
{
	struct lsdp_dp *dp = port->dp;
	struct lsdp_port_ext *ext;
	struct lsdp_port *p;
	unsigned int i;
	int err = -EINVAL;

	lockdep_assert_held(&dp->ln->lock);
	for (i = 0; i < v->n_parents; i++) {
		p = lsdp_port_find_name(dp->ln, v->parents[i]);
		if (!p) {
			NL_SET_ERR_MSG(extack, "virtual parent: no such port");
			err = -ENOENT;
			goto err_free;
		}
		if (p->dp != dp) {
			NL_SET_ERR_MSG(extack,
				       "virtual parent is not a port of this switch");
			goto err_free;
		}
		if (p->type == LSDP_PORT_TYPE_VIRTUAL) {
			NL_SET_ERR_MSG(extack,
				       "a virtual port cannot be a virtual parent");
			goto err_free;
		}
		if (p->type != LSDP_PORT_TYPE_VIF || lsdp_port_parent(p)) {
			NL_SET_ERR_MSG(extack,
				       "virtual parents must be vif ports (not trunk children)");
			goto err_free;
		}
	}
	ext = lsdp_port_ext_get(port, GFP_KERNEL);
	if (!ext) {
		err = -ENOMEM;
		goto err_free;
	}
	v->port = port;
	ext->virt = v;
	list_add_tail_rcu(&v->node, &dp->vports);
	return 0;

err_free:
	kfree(v);
	return err;
}

/*
 * Called with ln->lock held, when virtual port @port is deleted.  Readers
 * may still walk past it for a grace period; it is freed with the port.
 */
void lsdp_virt_detach(struct lsdp_port *port)
{
	const struct lsdp_port_ext *ext = lsdp_port_ext(port);

	lockdep_assert_held(&port->dp->ln->lock);
	if (ext && ext->virt && !list_empty(&ext->virt->node))
		list_del_rcu(&ext->virt->node);
}

/* Called with ln->lock held.  Binds @v to @parent (NULL: unbinds). */
static void lsdp_virt_bind(struct lsdp_virt *v, struct lsdp_port *parent)
{
	struct lsdp_net *ln = v->port->dp->ln;

	lockdep_assert_held(&ln->lock);
	if (rcu_dereference_protected(v->bound,
				      lockdep_is_held(&ln->lock)) == parent)
		return;
	rcu_assign_pointer(v->bound, parent);
	lsdp_notify_port(v->port, LSDP_CMD_PORT_SET);
	/* Its floating IPs now live where the parent does: announce them. */
	if (parent)
		lsdp_nat_port_here(v->port);
}

/*
 * Called with ln->lock held, when switch port @port is deleted: a virtual
 * port bound to it is bound to nothing now.  It stays a parent by name: a
 * port made again under that name may claim the VIP again.
 */
void lsdp_virt_parent_gone(struct lsdp_port *port)
{
	struct lsdp_virt *v;

	lockdep_assert_held(&port->dp->ln->lock);
	list_for_each_entry(v, &port->dp->vports, node)
		if (rcu_access_pointer(v->bound) == port)
			lsdp_virt_bind(v, NULL);
}

/*
 * Process context, on lsdp_wq: the binds the packet path asked for, made
 * under ln->lock.  Each virtual port keeps only its latest claim.
 */
void lsdp_virt_work(struct work_struct *w)
{
	struct lsdp_net *ln = container_of(w, struct lsdp_net, virt_work);
	struct lsdp_port *parent;
	struct lsdp_virt *v;
	struct lsdp_dp *dp;
	u32 key;

	mutex_lock(&ln->lock);
	list_for_each_entry(dp, &ln->dps, list) {
		list_for_each_entry(v, &dp->vports, node) {
			key = xchg(&v->pending, 0);
			if (!key)
				continue;
			/* The claimant may be gone, or another port now. */
			parent = lsdp_port_find_key(dp, key);
			if (parent && lsdp_virt_listed(v, parent))
				lsdp_virt_bind(v, parent);
		}
	}
	mutex_unlock(&ln->lock);
}

/*
 * Called with RCU read lock, BHs off.  The address @skb (data at L3)
 * claims for its sender, as OVN's bind_vport() flows match: an ARP
 * request with spa == tpa (gratuitous) or an ARP reply (spa); an NA
 * (target), or an NS for the target to the target or its solicited-node
 * group.  False when it claims nothing.
 */
static bool lsdp_virt_claim(struct sk_buff *skb, struct in6_addr *addr,
			    bool *ipv6)
{
	lsdp_assert_packet_path();
	if (skb->protocol == htons(ETH_P_ARP)) {
		struct lsdp_arp_eth buf;
		const struct lsdp_arp_eth *arp;

		arp = skb_header_pointer(skb, 0, sizeof(buf), &buf);
		if (!arp || !lsdp_arp_eth_valid(arp))
			return false;
		if (!(arp->hdr.ar_op == htons(ARPOP_REPLY) ||
		      (arp->hdr.ar_op == htons(ARPOP_REQUEST) &&
		       arp->sip == arp->tip)))
			return false;
		ipv6_addr_set_v4mapped(arp->sip, addr);
		*ipv6 = false;
		return true;
	}
	if (skb->protocol == htons(ETH_P_IPV6)) {
		struct {
			struct ipv6hdr ip6;
			struct icmp6hdr icmp6;
			struct in6_addr target;
		} __packed buf;
		const typeof(buf) *nd;
		struct in6_addr sn;

		nd = skb_header_pointer(skb, 0, sizeof(buf), &buf);
		if (!nd || nd->ip6.nexthdr != IPPROTO_ICMPV6)
			return false;
		if (nd->icmp6.icmp6_type == NDISC_NEIGHBOUR_SOLICITATION) {
			addrconf_addr_solict_mult(&nd->target, &sn);
			if (!ipv6_addr_equal(&nd->ip6.daddr, &nd->target) &&
			    !ipv6_addr_equal(&nd->ip6.daddr, &sn))
				return false;
		} else if (nd->icmp6.icmp6_type !=
			   NDISC_NEIGHBOUR_ADVERTISEMENT) {
			return false;
		}
		*addr = nd->target;
		*ipv6 = true;
		return true;
	}
	return false;
}

/*
 * Called with RCU read lock, BHs off, from the ingress of a switch with
 * virtual ports, after port security and ACLs (where OVN's ls_in_arp_rsp
 * stage is).  A claim of a virtual port's VIP by @in asks for a bind (or
 * is counted, if @in is no parent).  Does not consume @skb.
 */
void lsdp_virt_input(struct lsdp_port *in, struct sk_buff *skb)
{
	struct in6_addr addr;
	struct lsdp_virt *v;
	bool ipv6;

	lsdp_assert_packet_path();
	if (!lsdp_virt_claim(skb, &addr, &ipv6))
		return;
	list_for_each_entry_rcu(v, &in->dp->vports, node) {
		if (v->ipv6 != ipv6 || !ipv6_addr_equal(&v->vip, &addr))
			continue;
		if (!lsdp_virt_listed(v, in)) {
			if (lsdp_trace_step(LSDP_TRACE_LEARN, in,
					    "claims the virtual IP of %s, not a parent: ignored",
					    v->port->name))
				continue;
			atomic64_inc(&v->ignored);
			continue;
		}
		if (rcu_access_pointer(v->bound) == in)
			continue;
		if (lsdp_trace_step(LSDP_TRACE_LEARN, in,
				    "claims the virtual IP of %s: bind it here",
				    v->port->name))
			continue;
		WRITE_ONCE(v->pending, in->key);
		queue_work(lsdp_wq, &in->dp->ln->virt_work);
	}
}

/* Called with ln->lock held.  A virtual port's part of a port message. */
int lsdp_virt_fill(struct sk_buff *skb, const struct lsdp_port *port)
{
	const struct lsdp_port_ext *ext = lsdp_port_ext(port);
	const struct lsdp_virt *v = ext ? ext->virt : NULL;
	struct lsdp_port *bound;
	struct nlattr *nest;
	unsigned int i;
	int err;

	lockdep_assert_held(&port->dp->ln->lock);
	if (!v)
		return 0;
	if (v->ipv6)
		err = nla_put_in6_addr(skb, LSDP_A_PORT_VIRTUAL_IP, &v->vip);
	else
		err = nla_put_in_addr(skb, LSDP_A_PORT_VIRTUAL_IP,
				      v->vip.s6_addr32[3]);
	if (err || nla_put_u64_64bit(skb, LSDP_A_PORT_VIRTUAL_IGNORED,
				     atomic64_read(&v->ignored), LSDP_A_PAD))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, LSDP_A_PORT_VIRTUAL_PARENTS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < v->n_parents; i++)
		if (nla_put_string(skb, LSDP_A_PORT_NAME, v->parents[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	bound = lsdp_virt_parent(port);
	if (bound && nla_put_string(skb, LSDP_A_PORT_VIRTUAL_PARENT,
				    bound->name))
		return -EMSGSIZE;
	return 0;
}

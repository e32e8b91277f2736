/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lsdp: longest-prefix match over IPv4 and IPv6 prefixes, for the routing
 * tables of router datapaths (route.c).
 *
 * A path-compressed binary trie: a lookup visits at most one node per bit of
 * the address (33 for IPv4, 129 for IPv6), whatever the number of prefixes.
 * Writers are serialised by a mutex the caller holds and names (for lockdep);
 * readers hold only rcu_read_lock().  Nodes are freed after a grace period.
 *
 * The trie stores struct lsdp_route pointers and never dereferences them, so
 * that this file depends on nothing but RCU and the allocator: the host-side
 * unit test (selftests/lpm) compiles it in userspace.
 *
 * Addresses are passed as arrays of big-endian words: one for IPv4, four for
 * IPv6 (struct in6_addr's s6_addr32).
 */
#ifndef _LSDP_LPM_H
#define _LSDP_LPM_H

#include <linux/types.h>

struct lsdp_lpm_node;
struct lsdp_route;
struct mutex;

bool lsdp_lpm_prefix_clean(bool ipv6, const __be32 *prefix, u8 plen);
int lsdp_lpm_insert(struct lsdp_lpm_node __rcu **root, bool ipv6,
		    const __be32 *prefix, u8 plen,
		    struct lsdp_route *rt, struct mutex *lock);
struct lsdp_route *lsdp_lpm_find(struct lsdp_lpm_node __rcu **root,
				 bool ipv6, const __be32 *prefix,
				 u8 plen, struct mutex *lock);
struct lsdp_route *lsdp_lpm_remove(struct lsdp_lpm_node __rcu **root,
				   bool ipv6, const __be32 *prefix,
				   u8 plen, struct mutex *lock);
void lsdp_lpm_destroy(struct lsdp_lpm_node __rcu **root);
struct lsdp_route *lsdp_lpm_lookup4(struct lsdp_lpm_node __rcu *const *root,
				    __be32 addr);
struct lsdp_route *lsdp_lpm_lookup6(struct lsdp_lpm_node __rcu *const *root,
				    const __be32 *addr);

#endif /* _LSDP_LPM_H */

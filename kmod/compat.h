/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, and only those, live here.  The test matrix is
 * Debian 12's 6.1 and 6.12.  Each LSDP_HAVE_* comes from a probe of the
 * target kernel's headers in Kbuild.
 */
#ifndef _LSDP_COMPAT_H
#define _LSDP_COMPAT_H

#include <net/genetlink.h>
#include <net/ip_tunnels.h>

/*
 * Since v6.2 a dump's parsed request attributes live in an embedded struct
 * genl_info; before that genl_dumpit_info carried them directly.
 */
#ifdef LSDP_HAVE_DUMP_GENL_INFO
#define lsdp_dump_attrs(cb)	(genl_dumpit_info(cb)->info.attrs)
#else
#define lsdp_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/*
 * A policy's range (NLA_POLICY_FULL_RANGE) points to const in 6.12 but
 * not in 6.1, where the ranges genl_gen.c defines cannot be const.
 */
#ifdef LSDP_HAVE_CONST_NLA_RANGE
#define LSDP_NLA_RANGE_CONST	const
#else
#define LSDP_NLA_RANGE_CONST
#endif

/*
 * Since v6.10 tunnel flags are a bitmap (IP_TUNNEL_*_BIT) instead of a
 * __be16 of TUNNEL_* bits, and ip_tunnel_info_opts_set() takes the bitmap.
 */
#ifdef LSDP_HAVE_TUNNEL_FLAG_BITS
static inline void lsdp_tun_set_tx_flags(struct ip_tunnel_info *info,
					 bool csum, bool df)
{
	__set_bit(IP_TUNNEL_KEY_BIT, info->key.tun_flags);
	/* OVN's option is critical: receivers must understand it. */
	__set_bit(IP_TUNNEL_CRIT_OPT_BIT, info->key.tun_flags);
	if (csum)
		__set_bit(IP_TUNNEL_CSUM_BIT, info->key.tun_flags);
	if (df)
		__set_bit(IP_TUNNEL_DONT_FRAGMENT_BIT, info->key.tun_flags);
}

static inline void lsdp_tun_set_geneve_opts(struct ip_tunnel_info *info,
					    const void *opts, int len)
{
	IP_TUNNEL_DECLARE_FLAGS(flags) = { };

	/*
	 * The options live past the end of *info, inside the metadata_dst
	 * allocation; without this the compiler's fortify check sees only
	 * the field and warns of an overflow that is not there.
	 */
	OPTIMIZER_HIDE_VAR(info);
	__set_bit(IP_TUNNEL_GENEVE_OPT_BIT, flags);
	ip_tunnel_info_opts_set(info, opts, len, flags);
}

static inline bool lsdp_tun_has_geneve_opts(const struct ip_tunnel_info *info)
{
	return test_bit(IP_TUNNEL_GENEVE_OPT_BIT, info->key.tun_flags);
}

static inline bool lsdp_tun_tx_flags_match(const struct ip_tunnel_info *info,
					   bool csum, bool df)
{
	return test_bit(IP_TUNNEL_CSUM_BIT, info->key.tun_flags) == csum &&
	       test_bit(IP_TUNNEL_DONT_FRAGMENT_BIT, info->key.tun_flags) == df;
}
#else
static inline void lsdp_tun_set_tx_flags(struct ip_tunnel_info *info,
					 bool csum, bool df)
{
	info->key.tun_flags |= TUNNEL_KEY | TUNNEL_CRIT_OPT;
	if (csum)
		info->key.tun_flags |= TUNNEL_CSUM;
	if (df)
		info->key.tun_flags |= TUNNEL_DONT_FRAGMENT;
}

static inline void lsdp_tun_set_geneve_opts(struct ip_tunnel_info *info,
					    const void *opts, int len)
{
	/* See above: the options follow *info in the same allocation. */
	OPTIMIZER_HIDE_VAR(info);
	ip_tunnel_info_opts_set(info, opts, len, TUNNEL_GENEVE_OPT);
}

static inline bool lsdp_tun_has_geneve_opts(const struct ip_tunnel_info *info)
{
	return !!(info->key.tun_flags & TUNNEL_GENEVE_OPT);
}

static inline bool lsdp_tun_tx_flags_match(const struct ip_tunnel_info *info,
					   bool csum, bool df)
{
	return !!(info->key.tun_flags & TUNNEL_CSUM) == csum &&
	       !!(info->key.tun_flags & TUNNEL_DONT_FRAGMENT) == df;
}
#endif

#endif /* _LSDP_COMPAT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, and only those, live here.  The test matrix is
 * Debian 12's 6.1 and 6.12.  Each LSDP_HAVE_* comes from a probe of the
 * target kernel's headers in Kbuild.
 */
#ifndef _LSDP_COMPAT_H
#define _LSDP_COMPAT_H

#include <net/genetlink.h>

/*
 * Since v6.2 a dump's parsed request attributes live in an embedded struct
 * genl_info; before that genl_dumpit_info carried them directly.
 */
#ifdef LSDP_HAVE_DUMP_GENL_INFO
#define lsdp_dump_attrs(cb)	(genl_dumpit_info(cb)->info.attrs)
#else
#define lsdp_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

#endif /* _LSDP_COMPAT_H */

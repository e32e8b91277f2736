/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liblsdp: ACL matches (a subset of OVN's expression language, what
 * security groups and network policies generate) parsed into the compact
 * form the kernel takes (LSDP_A_ACL_MATCH), and back to text; and the ACL,
 * port group and address set objects as dumps return them.  Shared by the
 * CLI and the agent.
 */
#ifndef LSDP_ACL_H
#define LSDP_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netlink/msg.h>
#include <linux/lsdp.h>

#include "lsdp_nl.h"

#define LSDP_MATCH_MAX_TESTS	32
#define LSDP_MATCH_MAX_ALTS	1024

enum lsdp_match_alt_kind {
	LSDP_MATCH_VALUE,	/* v (field width) */
	LSDP_MATCH_MASKED,	/* v & m */
	LSDP_MATCH_RANGE,	/* lo..hi, 2-byte fields */
	LSDP_MATCH_ADDR_SET,	/* name */
	LSDP_MATCH_PORT,	/* name */
	LSDP_MATCH_PORT_GROUP,	/* name */
};

struct lsdp_match_alt {
	uint8_t kind;
	uint8_t v[16], m[16];
	uint16_t lo, hi;
	char name[LSDP_NAME_SIZE];
};

struct lsdp_match_test {
	uint8_t field;		/* enum lsdp_match_field */
	bool neg;
	unsigned int n_alt;
	struct lsdp_match_alt *alt;
};

struct lsdp_match {
	unsigned int n_tests;
	struct lsdp_match_test tests[LSDP_MATCH_MAX_TESTS];
};

/*
 * Parses OVN-syntax @s into @m.  0, or -EINVAL with "what, at position N
 * ('token')" in @err.  Free @m with lsdp_match_free() either way.
 */
int lsdp_match_parse(const char *s, struct lsdp_match *m, char *err,
		     size_t errlen);
void lsdp_match_free(struct lsdp_match *m);
/* LSDP_A_ACL_MATCH from @m; 0 or -EMSGSIZE. */
int lsdp_put_match(struct nl_msg *msg, const struct lsdp_match *m);
/* @m from an LSDP_A_ACL_MATCH nest; 0 or -EINVAL/-ENOMEM. */
int lsdp_match_from_nl(const struct nlattr *nest, struct lsdp_match *m);
/* Canonical text of @m (what show prints); truncated to @len. */
void lsdp_match_format(const struct lsdp_match *m, char *buf, size_t len);

const char *lsdp_acl_dir_name(unsigned int dir);
int lsdp_acl_dir_parse(const char *s);
const char *lsdp_acl_action_name(unsigned int action);
int lsdp_acl_action_parse(const char *s);

struct lsdp_acl_info {
	uint32_t id;
	char dp[LSDP_NAME_SIZE];	/* owner: a switch... */
	char pg[LSDP_NAME_SIZE];	/* ...or a port group */
	uint8_t dir;
	uint32_t prio;
	uint8_t action;
	char name[LSDP_NAME_SIZE];
	uint64_t hits;
	char match[1024];		/* lsdp_match_format() */
};

int lsdp_acl_parse(struct nl_msg *msg, struct lsdp_acl_info *acl);

struct lsdp_as_info {
	char name[LSDP_NAME_SIZE];
	uint32_t count;
	struct lsdp_prefix *members;	/* malloc'd; only from a doit */
	unsigned int n_members;
};

int lsdp_as_parse(struct nl_msg *msg, struct lsdp_as_info *as);
/* One member of an LSDP_A_AS_ADDRS / AS_DEL_ADDRS nest; 0 or -EMSGSIZE. */
int lsdp_put_as_member(struct nl_msg *msg, const struct lsdp_prefix *p);
/* Room one member takes at most (an IPv6 CIDR). */
#define LSDP_AS_MEMBER_SIZE	NLA_ALIGN(NLA_HDRLEN + 17)

struct lsdp_pg_info {
	char name[LSDP_NAME_SIZE];
	char (*ports)[LSDP_NAME_SIZE];	/* malloc'd */
	unsigned int n_ports;
};

int lsdp_pg_parse(struct nl_msg *msg, struct lsdp_pg_info *pg);

#endif /* LSDP_ACL_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of liblsdp's netlink transport against generic netlink families
 * every kernel has (nlctrl) or most have (ethtool): family resolution,
 * dumps, doit errors with and without extack text, capped and uncapped
 * ACKs, dump start errors, callback aborts and group membership.  Needs
 * no lsdp module; prints TAP and exits 0/1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/ethtool_netlink.h>

#include "lsdp_nl.h"

static int n, failed, skipped;

static void result(int ok, const char *name, const char *detail)
{
	n++;
	if (ok) {
		printf("ok %d %s\n", n, name);
	} else {
		failed++;
		printf("not ok %d %s\n", n, name);
		if (detail && *detail)
			printf("# %s\n", detail);
	}
}

static void skip(const char *name, const char *why)
{
	n++;
	skipped++;
	printf("ok %d %s # SKIP %s\n", n, name, why);
}

struct fam_list {
	int count;
	int found_nlctrl;
	int abort_after;
};

static int fam_cb(struct nl_msg *msg, void *arg)
{
	struct fam_list *l = arg;
	struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) < 0)
		return -EINVAL;
	l->count++;
	if (tb[CTRL_ATTR_FAMILY_NAME] &&
	    !strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), "nlctrl"))
		l->found_nlctrl = 1;
	if (l->abort_after && l->count >= l->abort_after)
		return -E2BIG;
	return 0;
}

static int dump_families(struct lsdp_nl *nl, struct fam_list *l)
{
	struct nl_msg *msg = lsdp_nl_msg(nl, CTRL_CMD_GETFAMILY, NLM_F_DUMP);

	if (!msg)
		return -ENOMEM;
	return lsdp_nl_request(nl, msg, fam_cb, l);
}

/* ethtool LINKINFO_GET for a device that does not exist. */
static int ethtool_bad_dev(struct lsdp_nl *nl, int dump)
{
	struct nl_msg *msg = lsdp_nl_msg(nl, ETHTOOL_MSG_LINKINFO_GET,
					 dump ? NLM_F_DUMP : 0);
	struct nlattr *hdr;

	if (!msg)
		return -ENOMEM;
	hdr = nla_nest_start(msg, ETHTOOL_A_LINKINFO_HEADER);
	nla_put_string(msg, ETHTOOL_A_HEADER_DEV_NAME, "lsdp-nonexist0");
	nla_nest_end(msg, hdr);
	return lsdp_nl_request(nl, msg, NULL, NULL);
}

int main(void)
{
	struct lsdp_nl *nl = lsdp_nl_new();
	struct fam_list l = { 0 };
	char buf[512];
	int err, i;

	if (!nl)
		return 1;

	/* 1. A family that does not exist. */
	if (access("/sys/module/lsdp", F_OK) == 0) {
		skip("missing family: lsdp module not loaded", "lsdp is loaded");
	} else {
		err = lsdp_nl_connect(nl, "lsdp", 0);
		snprintf(buf, sizeof(buf), "err %d, text \"%s\"", err,
			 lsdp_nl_strerror(nl));
		result(err == -ENOENT &&
		       !strcmp(lsdp_nl_strerror(nl), "lsdp module not loaded"),
		       "missing family: lsdp module not loaded", buf);
		result(lsdp_nl_fd(nl) < 0, "missing family: handle unconnected", NULL);
	}

	/* 2. nlctrl: dumps and doit errors. */
	err = lsdp_nl_connect(nl, "nlctrl", 0);
	result(err == 0 && lsdp_nl_family_id(nl) == GENL_ID_CTRL,
	       "resolve nlctrl", lsdp_nl_strerror(nl));
	lsdp_nl_set_version(nl, 2);

	err = dump_families(nl, &l);
	snprintf(buf, sizeof(buf), "err %d (%s), %d families", err,
		 lsdp_nl_strerror(nl), l.count);
	result(err == 0 && l.count > 1 && l.found_nlctrl, "dump families", buf);

	{
		struct nl_msg *msg = lsdp_nl_msg(nl, CTRL_CMD_GETFAMILY, 0);
		struct fam_list one = { 0 };

		nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
		err = lsdp_nl_request(nl, msg, fam_cb, &one);
		snprintf(buf, sizeof(buf), "err %d (%s), %d replies", err,
			 lsdp_nl_strerror(nl), one.count);
		result(err == 0 && one.count == 1 && one.found_nlctrl,
		       "doit with a reply, then ACK", buf);
	}
	{
		/* Longer than GENL_NAMSIZ: the policy rejects it, with text. */
		struct nl_msg *msg = lsdp_nl_msg(nl, CTRL_CMD_GETFAMILY, 0);

		nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "lsdp-too-long-family-name");
		err = lsdp_nl_request(nl, msg, NULL, NULL);
		snprintf(buf, sizeof(buf), "err %d, text \"%s\"", err,
			 lsdp_nl_strerror(nl));
		result(err == -EINVAL && strlen(lsdp_nl_strerror(nl)) > 0 &&
		       strcmp(lsdp_nl_strerror(nl), strerror(EINVAL)),
		       "doit policy error with extack text", buf);
		printf("# text: %s\n", lsdp_nl_strerror(nl));
	}
	{
		struct nl_msg *msg = lsdp_nl_msg(nl, CTRL_CMD_GETFAMILY, 0);

		nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "lsdpnosuchfam");
		err = lsdp_nl_request(nl, msg, NULL, NULL);
		snprintf(buf, sizeof(buf), "err %d, text \"%s\"", err,
			 lsdp_nl_strerror(nl));
		/* nlctrl sets no extack text here: strerror is the fallback. */
		result(err == -ENOENT &&
		       !strcmp(lsdp_nl_strerror(nl), strerror(ENOENT)),
		       "doit error without extack text", buf);
		printf("# text: %s\n", lsdp_nl_strerror(nl));
	}

	/* 3. A callback failure: the rest of the dump is drained. */
	l = (struct fam_list){ .abort_after = 1 };
	err = dump_families(nl, &l);
	result(err == -E2BIG, "callback error aborts the request", NULL);
	l = (struct fam_list){ 0 };
	err = dump_families(nl, &l);
	result(err == 0 && l.found_nlctrl, "socket usable after an aborted dump",
	       lsdp_nl_strerror(nl));

	/* Many requests on one socket (what batch mode does). */
	for (i = 0, err = 0; i < 2000 && !err; i++) {
		struct nl_msg *msg = lsdp_nl_msg(nl, CTRL_CMD_GETFAMILY, 0);

		nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
		err = lsdp_nl_request(nl, msg, NULL, NULL);
	}
	result(!err, "2000 requests on one socket", lsdp_nl_strerror(nl));

	/* 4. Group membership (what the agent does for "events"). */
	err = lsdp_nl_join_group(nl, "notify");
	result(err == 0, "join nlctrl notify group", lsdp_nl_strerror(nl));
	err = lsdp_nl_join_group(nl, "no-such-group");
	result(err < 0, "join a missing group fails", NULL);

	/* 5. extack text, with capped and uncapped ACKs, doit and dump. */
	for (i = 0; i < 2; i++) {
		unsigned int flags = i ? LSDP_NL_F_NO_CAP_ACK : 0;
		const char *mode = i ? "uncapped" : "capped";
		char name[96];

		err = lsdp_nl_connect(nl, ETHTOOL_GENL_NAME, flags);
		if (err) {
			snprintf(name, sizeof(name), "extack text (%s ACK)", mode);
			skip(name, "no ethtool netlink family");
			continue;
		}
		lsdp_nl_set_version(nl, ETHTOOL_GENL_VERSION);
		err = ethtool_bad_dev(nl, 0);
		snprintf(buf, sizeof(buf), "err %d, text \"%s\"", err,
			 lsdp_nl_strerror(nl));
		snprintf(name, sizeof(name), "doit extack text (%s ACK)", mode);
		result(err == -ENODEV &&
		       strstr(lsdp_nl_strerror(nl), "no device") != NULL,
		       name, buf);
		printf("# text: %s, offset %u\n", lsdp_nl_strerror(nl),
		       lsdp_nl_err_offset(nl));

		err = ethtool_bad_dev(nl, 1);
		snprintf(buf, sizeof(buf), "err %d, text \"%s\"", err,
			 lsdp_nl_strerror(nl));
		/* Whether a dump's start gets extack text depends on the kernel. */
		snprintf(name, sizeof(name), "dump start error (%s ACK)", mode);
		result(err == -ENODEV &&
		       (strstr(lsdp_nl_strerror(nl), "no device") != NULL ||
			!strcmp(lsdp_nl_strerror(nl), strerror(ENODEV))),
		       name, buf);
		printf("# text: %s\n", lsdp_nl_strerror(nl));
	}

	lsdp_nl_free(nl);
	printf("1..%d\n", n);
	printf("# %d passed, %d failed, %d skipped\n", n - failed - skipped,
	       failed, skipped);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * liblsdp: the generic netlink transport (socket, family, requests,
 * extended ACK).  See lsdp_nl.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "lsdp_nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct lsdp_nl {
	struct nl_sock *sk;
	struct nl_cb *cb;
	char family_name[GENL_NAMSIZ];
	int family;
	unsigned int flags;		/* of lsdp_nl_connect() */
	bool broken;			/* a read failed: reconnect first */
	uint8_t version;
	int err;			/* last error, negative errno */
	uint32_t err_off;		/* NLMSGERR_ATTR_OFFS */
	uint32_t err_miss_type;		/* NLMSGERR_ATTR_MISS_TYPE */
	/* NLMSGERR_ATTR_POLICY of the rejected attribute, when sent */
	bool pol_range, pol_len;
	uint64_t pol_min, pol_max;	/* value, or length when pol_len */
	bool has_warning;
	char errmsg[256];
	char warning[256];
};

/* State of one request while its answer is read. */
struct req {
	struct lsdp_nl *nl;
	lsdp_nl_cb_t cb;
	void *arg;
	bool done;
	bool intr;
	int err;			/* kernel's errno, negative */
	int cb_err;			/* first callback failure */
	bool has_msg;			/* kernel sent an extack message */
};

struct lsdp_nl *lsdp_nl_new(void)
{
	struct lsdp_nl *nl = calloc(1, sizeof(*nl));

	if (nl)
		nl->version = LSDP_GENL_VERSION;
	return nl;
}

static void lsdp_nl_close(struct lsdp_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);	/* closes the fd */
	nl->sk = NULL;
	if (nl->cb)
		nl_cb_put(nl->cb);
	nl->cb = NULL;
	nl->family = 0;
}

void lsdp_nl_free(struct lsdp_nl *nl)
{
	if (!nl)
		return;
	lsdp_nl_close(nl);
	free(nl);
}

static void set_error(struct lsdp_nl *nl, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_error(struct lsdp_nl *nl, int err, const char *fmt, ...)
{
	va_list ap;

	nl->err = err;
	va_start(ap, fmt);
	vsnprintf(nl->errmsg, sizeof(nl->errmsg), fmt, ap);
	va_end(ap);
}

static void clear_error(struct lsdp_nl *nl)
{
	nl->err = 0;
	nl->err_off = 0;
	nl->err_miss_type = 0;
	nl->pol_range = false;
	nl->pol_len = false;
	nl->errmsg[0] = '\0';
	nl->has_warning = false;
	nl->warning[0] = '\0';
}

/* libnl error codes are not errnos; map the ones we can meet. */
static int nlerr_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM:		return -ENOMEM;
	case NLE_PERM:		return -EPERM;
	case NLE_OBJ_NOTFOUND:	return -ENOENT;
	case NLE_AGAIN:		return -EAGAIN;
	case NLE_BUSY:		return -EBUSY;
	case NLE_INVAL:		return -EINVAL;
	case NLE_MSGSIZE:	return -EMSGSIZE;
	case NLE_NOACCESS:	return -EACCES;
	case NLE_OPNOTSUPP:	return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:	return -EAFNOSUPPORT;
	case NLE_BAD_SOCK:	return -EBADF;
	case NLE_DUMP_INTR:	return -EINTR;
	default:		return -EIO;
	}
}

int lsdp_nl_connect(struct lsdp_nl *nl, const char *family, unsigned int flags)
{
	int one = 1;
	int fd, err;

	lsdp_nl_close(nl);
	clear_error(nl);
	snprintf(nl->family_name, sizeof(nl->family_name), "%s", family);
	nl->flags = flags;
	nl->broken = false;

	nl->sk = nl_socket_alloc();
	nl->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nl->sk || !nl->cb) {
		set_error(nl, -ENOMEM, "%s", strerror(ENOMEM));
		goto err;
	}
	err = genl_connect(nl->sk);
	if (err < 0) {
		set_error(nl, nlerr_to_errno(err),
			  "cannot open a generic netlink socket: %s",
			  nl_geterror(err));
		goto err;
	}
	/*
	 * Dumps come in skbs as large as our receive buffer (the kernel caps
	 * them near 32 KiB): a big buffer means few reads for 100k ports.
	 * Peeking first keeps any larger message from being truncated.
	 */
	nl_socket_set_msg_buf_size(nl->sk, 32768);
	nl_socket_enable_msg_peek(nl->sk);
	fd = nl_socket_get_fd(nl->sk);
	/*
	 * The kernel's extack text comes in TLVs after the error; without
	 * NETLINK_EXT_ACK (older kernels) errors still work, only as errno.
	 * Capped ACKs keep the request out of every ACK: cheaper, and batch
	 * mode sends a lot of them.
	 */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (!(flags & LSDP_NL_F_NO_CAP_ACK))
		setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	err = genl_ctrl_resolve(nl->sk, family);
	if (err < 0) {
		if (err == -NLE_OBJ_NOTFOUND)
			set_error(nl, -ENOENT, "%s module not loaded", family);
		else
			set_error(nl, nlerr_to_errno(err),
				  "cannot resolve generic netlink family \"%s\": %s",
				  family, nl_geterror(err));
		goto err;
	}
	nl->family = err;
	return 0;

err:
	err = nl->err;
	lsdp_nl_close(nl);
	return err;
}

int lsdp_nl_family_id(const struct lsdp_nl *nl)
{
	return nl->family;
}

int lsdp_nl_fd(const struct lsdp_nl *nl)
{
	return nl->sk ? nl_socket_get_fd(nl->sk) : -1;
}

struct nl_sock *lsdp_nl_sock(struct lsdp_nl *nl)
{
	return nl->sk;
}

void lsdp_nl_set_version(struct lsdp_nl *nl, uint8_t version)
{
	nl->version = version;
}

const char *lsdp_nl_strerror(const struct lsdp_nl *nl)
{
	return nl->errmsg;
}

const char *lsdp_nl_warning(const struct lsdp_nl *nl)
{
	return nl->has_warning ? nl->warning : NULL;
}

uint32_t lsdp_nl_err_offset(const struct lsdp_nl *nl)
{
	return nl->err_off;
}

uint32_t lsdp_nl_err_miss_type(const struct lsdp_nl *nl)
{
	return nl->err_miss_type;
}

struct nl_msg *lsdp_nl_msg(struct lsdp_nl *nl, uint8_t cmd, int flags)
{
	/* Room for a port with the maximum number of addresses. */
	return lsdp_nl_msg_size(nl, cmd, flags, 8192);
}

/*
 * As lsdp_nl_msg(), with room for @size bytes in all.  libnl zeroes the
 * whole buffer (calloc): a batch of small requests in 8 kB messages spent
 * a quarter of its instructions there.
 */
struct nl_msg *lsdp_nl_msg_size(struct lsdp_nl *nl, uint8_t cmd, int flags,
				size_t size)
{
	struct nl_msg *msg;

	msg = nlmsg_alloc_size(size);
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 flags, cmd, nl->version)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void parse_policy(struct lsdp_nl *nl, struct nlattr *pol);

/*
 * Extended ACK TLVs of an NLMSG_ERROR or NLMSG_DONE: @off is where they
 * start inside the payload.  Returns true when a message text was found;
 * it is copied to @buf.
 */
static bool parse_ext_ack(struct lsdp_nl *nl, const struct nlmsghdr *hdr,
			  size_t off, char *buf, size_t len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t plen;
	bool found = false;

	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return false;
	if (hdr->nlmsg_len < NLMSG_HDRLEN)
		return false;
	plen = hdr->nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(off);
	if (off >= plen)
		return false;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)NLMSG_DATA(hdr) + off),
		      (int)(plen - off), NULL) < 0)
		return false;

	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0) {
		const char *s = nla_data(tb[NLMSGERR_ATTR_MSG]);
		size_t n = strnlen(s, (size_t)nla_len(tb[NLMSGERR_ATTR_MSG]));

		if (n >= len)
			n = len - 1;
		memcpy(buf, s, n);
		buf[n] = '\0';
		found = n > 0;
	}
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4)
		nl->err_off = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4)
		nl->err_miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	if (tb[NLMSGERR_ATTR_POLICY])
		parse_policy(nl, tb[NLMSGERR_ATTR_POLICY]);
	return found;
}

/*
 * A policy (generated from the YNL spec) rejected an attribute: the
 * kernel's message is generic ("integer out of range"); the policy it
 * sends back says the limits.
 */
static void parse_policy(struct lsdp_nl *nl, struct nlattr *pol)
{
	struct nlattr *tb[NL_POLICY_TYPE_ATTR_MAX + 1];

	if (nla_parse_nested(tb, NL_POLICY_TYPE_ATTR_MAX, pol, NULL) < 0)
		return;
	if (tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U] &&
	    tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]) {
		nl->pol_range = true;
		nl->pol_min = nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]);
		nl->pol_max = nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]);
	} else if (tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH] &&
		   tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH]) {
		nl->pol_len = true;
		nl->pol_min = nla_get_u32(tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH]);
		nl->pol_max = nla_get_u32(tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH]);
	}
}

/*
 * The attribute of request @req at @off (NLMSGERR_ATTR_OFFS): its name as
 * the spec spells it ("dp-key"), or "port-addrs entry" for one inside a
 * nest.  NULL when @off is not at or inside a top-level attribute.
 */
static const char *req_attr_name(const struct nlmsghdr *req, uint32_t off,
				 char *buf, size_t len)
{
	uint32_t pos = NLMSG_HDRLEN + GENL_HDRLEN;
	const struct nlattr *a;
	const char *c;
	size_t i;

	while (pos + NLA_HDRLEN <= req->nlmsg_len && pos <= off) {
		a = (const struct nlattr *)((const char *)req + pos);
		if (a->nla_len < NLA_HDRLEN || pos + a->nla_len > req->nlmsg_len)
			return NULL;
		if (off < pos + a->nla_len) {
			c = lsdp_attr_name(a->nla_type & NLA_TYPE_MASK);
			if (!strncmp(c, "LSDP_A_", 7))
				c += 7;
			for (i = 0; c[i] && i + 1 < len; i++)
				buf[i] = c[i] == '_' ? '-' : (char)(c[i] | 0x20);
			buf[i] = '\0';
			if (off != pos)
				strncat(buf, " entry", len - strlen(buf) - 1);
			return buf;
		}
		pos += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

/* Adds what the policy allows, and for which attribute, to the message. */
static void explain_policy(struct lsdp_nl *nl, const struct nlmsghdr *req)
{
	char name[64];
	size_t n = strlen(nl->errmsg);

	if ((!nl->pol_range && !nl->pol_len) || !nl->err_off ||
	    strcmp(nl->family_name, LSDP_GENL_NAME) ||
	    !req_attr_name(req, nl->err_off, name, sizeof(name)))
		return;
	if (nl->pol_len && nl->pol_min == nl->pol_max)
		snprintf(nl->errmsg + n, sizeof(nl->errmsg) - n,
			 ": %s must be %llu bytes", name,
			 (unsigned long long)nl->pol_min);
	else
		snprintf(nl->errmsg + n, sizeof(nl->errmsg) - n,
			 ": %s must be %llu..%llu%s", name,
			 (unsigned long long)nl->pol_min,
			 (unsigned long long)nl->pol_max,
			 nl->pol_len ? " bytes" : "");
}

/* NLMSG_ERROR with a non-zero error. */
static int req_err_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct req *r = arg;
	/* libnl hands us the payload of the message; its header precedes it. */
	const struct nlmsghdr *hdr =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	size_t off = sizeof(*e);

	(void)who;
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= NLMSG_HDRLEN)
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	r->err = e->error < 0 ? e->error : -e->error;
	r->has_msg = parse_ext_ack(r->nl, hdr, off, r->nl->errmsg,
				   sizeof(r->nl->errmsg));
	r->done = true;
	return NL_STOP;
}

/* NLMSG_ERROR with error 0: the ACK; it may carry a warning. */
static int req_ack_cb(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;
	const struct nlmsghdr *hdr = nlmsg_hdr(msg);
	const struct nlmsgerr *e = NLMSG_DATA(hdr);
	size_t off = sizeof(*e);

	if (!(hdr->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= NLMSG_HDRLEN)
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	r->nl->has_warning = parse_ext_ack(r->nl, hdr, off, r->nl->warning,
					   sizeof(r->nl->warning));
	r->done = true;
	return NL_STOP;
}

/* NLMSG_DONE: the end of a dump; its payload is an int error, then TLVs. */
static int req_finish_cb(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;
	const struct nlmsghdr *hdr = nlmsg_hdr(msg);
	int err = 0;

	if (hdr->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
		memcpy(&err, NLMSG_DATA(hdr), sizeof(int));
	if (err < 0) {
		r->err = err;
		r->has_msg = parse_ext_ack(r->nl, hdr, sizeof(int),
					   r->nl->errmsg,
					   sizeof(r->nl->errmsg));
	} else {
		r->nl->has_warning = parse_ext_ack(r->nl, hdr, sizeof(int),
						   r->nl->warning,
						   sizeof(r->nl->warning));
	}
	r->done = true;
	return NL_STOP;
}

static int req_valid_cb(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;
	int err;

	if (!r->cb || r->cb_err)
		return NL_OK;
	err = r->cb(msg, r->arg);
	if (err < 0)
		r->cb_err = err;
	return NL_OK;
}

static int req_intr_cb(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;

	(void)msg;
	r->intr = true;
	return NL_OK;
}

static void req_set_callbacks(struct nl_cb *cb, struct req *r)
{
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, req_valid_cb, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, req_finish_cb, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, req_ack_cb, r);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, req_intr_cb, r);
	nl_cb_err(cb, NL_CB_CUSTOM, req_err_cb, r);
}

int lsdp_nl_request(struct lsdp_nl *nl, struct nl_msg *msg,
		    lsdp_nl_cb_t cb, void *arg)
{
	struct req r = { .nl = nl, .cb = cb, .arg = arg };
	int ret;

	clear_error(nl);
	if (nl->broken && nl->family_name[0]) {
		/*
		 * The socket may hold the rest of an answer nobody will read.
		 * The family id may have changed too (module reloaded).
		 */
		ret = lsdp_nl_connect(nl, nl->family_name, nl->flags);
		if (ret < 0) {
			nlmsg_free(msg);
			return ret;
		}
		nlmsg_hdr(msg)->nlmsg_type = nl->family;
	}
	if (!nl->sk) {
		nlmsg_free(msg);
		set_error(nl, -ENOTCONN, "not connected");
		return nl->err;
	}
	req_set_callbacks(nl->cb, &r);

	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		nlmsg_free(msg);
		set_error(nl, nlerr_to_errno(ret), "cannot send request: %s",
			  nl_geterror(ret));
		return nl->err;
	}

	while (!r.done) {
		ret = nl_recvmsgs(nl->sk, nl->cb);
		if (r.done)
			break;
		if (ret < 0) {
			/*
			 * The socket may now hold the rest of an answer we
			 * will never match: start afresh next time.
			 */
			nl->broken = true;
			nlmsg_free(msg);
			set_error(nl, nlerr_to_errno(ret),
				  "cannot read the kernel's answer: %s",
				  nl_geterror(ret));
			return nl->err;
		}
	}
	/* The request, kept until here to name what the kernel refused. */
	if (r.err && r.has_msg)
		explain_policy(nl, nlmsg_hdr(msg));
	nlmsg_free(msg);

	if (r.err) {
		nl->err = r.err;
		if (!r.has_msg && nl->err_miss_type &&
		    !strcmp(nl->family_name, LSDP_GENL_NAME))
			snprintf(nl->errmsg, sizeof(nl->errmsg),
				 "%s: missing attribute %s", strerror(-r.err),
				 lsdp_attr_name(nl->err_miss_type));
		else if (!r.has_msg && nl->err_miss_type)
			snprintf(nl->errmsg, sizeof(nl->errmsg),
				 "%s: missing attribute %u", strerror(-r.err),
				 nl->err_miss_type);
		else if (!r.has_msg)
			snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
				 strerror(-r.err));
		return nl->err;
	}
	if (r.cb_err) {
		nl->err = r.cb_err;
		if (!nl->errmsg[0])
			snprintf(nl->errmsg, sizeof(nl->errmsg),
				 "cannot parse the kernel's answer: %s",
				 strerror(-r.cb_err));
		return nl->err;
	}
	if (r.intr) {
		set_error(nl, -EINTR,
			  "dump interrupted by a concurrent change, try again");
		return nl->err;
	}
	return 0;
}

int lsdp_nl_join_group(struct lsdp_nl *nl, const char *group)
{
	int grp, err;

	clear_error(nl);
	if (!nl->sk) {
		set_error(nl, -ENOTCONN, "not connected");
		return nl->err;
	}
	grp = genl_ctrl_resolve_grp(nl->sk, nl->family_name, group);
	if (grp < 0) {
		set_error(nl, nlerr_to_errno(grp),
			  "no multicast group \"%s\" in family \"%s\": %s",
			  group, nl->family_name, nl_geterror(grp));
		return nl->err;
	}
	err = nl_socket_add_membership(nl->sk, grp);
	if (err < 0) {
		set_error(nl, nlerr_to_errno(err),
			  "cannot join multicast group \"%s\": %s", group,
			  nl_geterror(err));
		return nl->err;
	}
	/* Events carry sequence number 0. */
	nl_socket_disable_seq_check(nl->sk);
	return 0;
}

int lsdp_nl_join_events(struct lsdp_nl *nl)
{
	int err = lsdp_nl_join_group(nl, LSDP_MCGRP_EVENTS);

	if (!err)
		/* A burst of events must not overflow a small default. */
		nl_socket_set_buffer_size(nl->sk, 4 << 20, 0);
	return err;
}

static int ev_valid_cb(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;

	return req_valid_cb(msg, r);
}

static int ev_seq_ok_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int lsdp_nl_recv(struct lsdp_nl *nl, lsdp_nl_cb_t cb, void *arg)
{
	struct req r = { .nl = nl, .cb = cb, .arg = arg };
	struct nl_cb *ncb;
	int ret;

	clear_error(nl);
	if (!nl->sk) {
		set_error(nl, -ENOTCONN, "not connected");
		return nl->err;
	}
	ncb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!ncb) {
		set_error(nl, -ENOMEM, "%s", strerror(ENOMEM));
		return nl->err;
	}
	nl_cb_set(ncb, NL_CB_VALID, NL_CB_CUSTOM, ev_valid_cb, &r);
	/* Events carry sequence number 0: a fresh callback set checks it. */
	nl_cb_set(ncb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, ev_seq_ok_cb, NULL);
	ret = nl_recvmsgs(nl->sk, ncb);
	nl_cb_put(ncb);
	if (ret < 0) {
		/* ENOBUFS: events were lost, the caller must resync. */
		set_error(nl, nlerr_to_errno(ret), "%s", nl_geterror(ret));
		if (ret == -NLE_NOMEM)
			nl->err = -ENOBUFS;
		return nl->err;
	}
	if (r.cb_err) {
		set_error(nl, r.cb_err, "%s", strerror(-r.cb_err));
		return nl->err;
	}
	return 0;
}

uint8_t lsdp_nl_cmd(struct nl_msg *msg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);

	if (hdr->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return 0;
	return ((struct genlmsghdr *)NLMSG_DATA(hdr))->cmd;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * lsdp CLI: what every object's commands share: errors, the words of a
 * command line, the network namespace, requests and dumps.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/ether.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* ------------------------------------------------------------------ */
/* Errors                                                             */
/* ------------------------------------------------------------------ */

static void verr(const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("Error: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (G.batch)
		fprintf(stderr, " (line %lu)", G.line);
	fputc('\n', stderr);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
	return CMD_FAIL;
}

/*
 * A bad command line: the error, then (outside batch mode, where it would
 * only be noise) the usage of what was being typed.
 */
const struct object *cur_obj;
const struct cmd *cur_cmd;

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
	if (!G.batch) {
		if (cur_obj && cur_cmd)
			print_cmd_usage(stderr, cur_cmd);
		else if (cur_obj)
			print_obj_usage(stderr, cur_obj);
		else
			fputs(usage_main, stderr);
	}
	return CMD_FAIL;
}

/* ------------------------------------------------------------------ */
/* Argument parsing helpers                                           */
/* ------------------------------------------------------------------ */

bool is_help(const char *s)
{
	return !strcmp(s, "help");
}

const char *args_next(struct args *a)
{
	if (a->argc <= 0)
		return NULL;
	a->argc--;
	return *a->argv++;
}

/* The value of keyword @kw, or NULL after printing the error. */
const char *args_value(struct args *a, const char *kw)
{
	const char *v = args_next(a);

	if (!v)
		usage_error("\"%s\" requires a value", kw);
	return v;
}

/* A word that is no keyword of the command: CMD_HELP for "help". */
int args_unknown(const char *kw)
{
	if (is_help(kw))
		return CMD_HELP;
	return usage_error("unknown argument \"%s\"", kw);
}

/* The value of keyword @kw, which may be given once; NULL after the error. */
const char *args_once(struct args *a, const char *kw, bool *seen)
{
	if (*seen) {
		usage_error("duplicate \"%s\"", kw);
		return NULL;
	}
	*seen = true;
	return args_value(a, kw);
}

/* args_once() of an address, read into @ip; NULL after the error. */
const char *args_addr(struct args *a, const char *kw, bool *seen,
		      struct lsdp_addr *ip)
{
	const char *v = args_once(a, kw, seen);

	if (v && !parse_addr(v, ip)) {
		usage_error("invalid address \"%s\"", v);
		return NULL;
	}
	return v;
}

/*
 * A positional argument (NAME, DATAPATH...).  Returns CMD_OK with *out set,
 * CMD_HELP for "help", CMD_FAIL when missing.
 */
int args_positional(struct args *a, const char *what, const char **out)
{
	const char *v = args_next(a);

	if (!v)
		return usage_error("missing %s", what);
	if (is_help(v))
		return CMD_HELP;
	*out = v;
	return CMD_OK;
}

/* Optional last positional argument; nothing may follow it. */
int args_optional_last(struct args *a, const char **out)
{
	const char *v = args_next(a);

	*out = NULL;
	if (!v)
		return CMD_OK;
	if (is_help(v))
		return CMD_HELP;
	if (a->argc > 0) {
		if (is_help(a->argv[0]))
			return CMD_HELP;
		return usage_error("unexpected argument \"%s\"", a->argv[0]);
	}
	*out = v;
	return CMD_OK;
}

int args_end(struct args *a)
{
	if (a->argc <= 0)
		return CMD_OK;
	if (is_help(a->argv[0]))
		return CMD_HELP;
	return usage_error("unexpected argument \"%s\"", a->argv[0]);
}

/* Decimal u32, no sign, no spaces: "range checked by the kernel". */
bool parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/*
 * xx:xx:xx:xx:xx:xx with one or two hex digits a byte, and nothing else.
 * ether_aton_r() reads it, but takes more than that: whatever follows
 * the sixth byte ("...:01 x", "...:012").  What it reads is therefore
 * first checked to be hex digits and five colons, the last byte of one
 * or two digits, so that lsdp accepts exactly what it always has.
 */
bool parse_mac(const char *s, uint8_t mac[6])
{
	const char *last = strrchr(s, ':');
	struct ether_addr ea;
	unsigned int colons = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (*p == ':')
			colons++;
		else if (!isxdigit((unsigned char)*p))
			return false;
	}
	if (colons != 5 || !last[1] || strlen(last + 1) > 2 ||
	    !ether_aton_r(s, &ea))
		return false;
	memcpy(mac, ea.ether_addr_octet, 6);
	return true;
}

bool parse_addr(const char *s, struct lsdp_addr *a)
{
	return lsdp_addr_parse(s, a);
}

/*
 * @v as a network with no host bits (lsdp_prefix_parse() with
 * LSDP_PREFIX_F_NETWORK and @flags) into @p; else a usage error that names
 * it @net ("prefix": 'prefix "X" has host bits set') or, when it is no
 * address at all, @what ('invalid prefix "X"').
 */
int parse_network(const char *v, struct lsdp_prefix *p, unsigned int flags,
		  const char *net, const char *what)
{
	char buf[LSDP_PREFIX_STRLEN];

	switch (lsdp_prefix_parse(v, p, LSDP_PREFIX_F_NETWORK | flags)) {
	case LSDP_PREFIX_OK:
		return CMD_OK;
	case LSDP_PREFIX_BAD_LEN:
		return usage_error("invalid prefix length in \"%s\"", v);
	case LSDP_PREFIX_HOST_BITS:
		return usage_error("%s \"%s\" has host bits set (network %s)",
				   net, v, lsdp_prefix_str(p, buf, sizeof(buf)));
	default:
		return usage_error("invalid %s \"%s\"", what, v);
	}
}

/* A u32, optionally followed by @unit ("ms"), as "hold show" prints it. */
bool parse_u32_unit(const char *s, const char *unit, uint32_t *out)
{
	char buf[16];
	size_t n = strlen(s), u = unit ? strlen(unit) : 0;

	if (u && n > u && !strcmp(s + n - u, unit)) {
		if (n - u >= sizeof(buf))
			return false;
		memcpy(buf, s, n - u);
		buf[n - u] = '\0';
		return parse_u32(buf, out);
	}
	return parse_u32(s, out);
}

bool parse_vid(const char *s, uint32_t *vid)
{
	return parse_u32(s, vid) && *vid <= 4095;
}
/* ------------------------------------------------------------------ */
/* Network namespace and netlink                                      */
/* ------------------------------------------------------------------ */

/* Enters -n NETNS once, before any socket or interface name lookup. */
static int netns_enter(void)
{
	static const char *const dirs[] = { "/run/netns", "/var/run/netns" };
	char path[PATH_MAX];
	int fd = -1, saved = ENOENT;
	size_t i;

	if (!G.netns || G.netns_state == 1)
		return 0;
	if (G.netns_state < 0)
		return error("cannot open network namespace \"%s\"", G.netns);

	if (strchr(G.netns, '/')) {
		fd = open(G.netns, O_RDONLY | O_CLOEXEC);
		saved = errno;
	} else {
		for (i = 0; i < ARRAY_SIZE(dirs) && fd < 0; i++) {
			snprintf(path, sizeof(path), "%s/%s", dirs[i], G.netns);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0 && errno != ENOENT)
				saved = errno;
		}
	}
	if (fd < 0) {
		G.netns_state = -1;
		return error("cannot open network namespace \"%s\": %s",
			     G.netns, strerror(saved));
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		saved = errno;
		close(fd);
		G.netns_state = -1;
		return error("cannot enter network namespace \"%s\": %s",
			     G.netns, strerror(saved));
	}
	close(fd);
	G.netns_state = 1;
	return 0;
}

/* The connected handle (opened on first use, reused by batch lines). */
struct lsdp_nl *nl_get(void)
{
	if (G.nl && lsdp_nl_fd(G.nl) >= 0)
		return G.nl;
	if (netns_enter())
		return NULL;
	if (!G.nl) {
		G.nl = lsdp_nl_new();
		if (!G.nl) {
			error("%s", strerror(ENOMEM));
			return NULL;
		}
	}
	if (lsdp_nl_connect(G.nl, LSDP_GENL_NAME, 0) < 0) {
		error("%s", lsdp_nl_strerror(G.nl));
		return NULL;
	}
	return G.nl;
}

struct nl_msg *new_msg(uint8_t cmd, int flags)
{
	return new_msg_size(cmd, flags, CLI_MSG_SIZE);
}

/* new_msg() with room for @size bytes (a port's many addresses). */
struct nl_msg *new_msg_size(uint8_t cmd, int flags, size_t size)
{
	struct nl_msg *msg;

	if (!nl_get())
		return NULL;
	msg = lsdp_nl_msg_size(G.nl, cmd, flags, size);
	if (!msg)
		error("%s", strerror(ENOMEM));
	return msg;
}

int msg_too_big(struct nl_msg *msg)
{
	nlmsg_free(msg);
	return error("request too large for one netlink message");
}

/* new_msg() with the string attribute @attr = @value when @value is set. */
struct nl_msg *new_msg_str(uint8_t cmd, int flags, int attr,
				  const char *value)
{
	struct nl_msg *msg = new_msg(cmd, flags);

	if (msg && value && nla_put_string(msg, attr, value) < 0) {
		msg_too_big(msg);
		return NULL;
	}
	return msg;
}

/* Sends @msg; prints the kernel's warning, if any.  Negative errno on error. */
int request(struct nl_msg *msg, lsdp_nl_cb_t cb, void *arg)
{
	int err = lsdp_nl_request(G.nl, msg, cb, arg);

	if (!err && lsdp_nl_warning(G.nl)) {
		fflush(stdout);
		fprintf(stderr, "Warning: %s\n", lsdp_nl_warning(G.nl));
	}
	return err;
}

int report_nl_error(void)
{
	return error("%s", lsdp_nl_strerror(G.nl));
}

struct nl_msg *new_msg_needs(bool has, const char *kw, uint8_t cmd)
{
	if (!has) {
		usage_error("\"%s\" is required", kw);
		return NULL;
	}
	return new_msg(cmd, 0);
}

/* A change: send and print the kernel's error, if any. */
int transact(struct nl_msg *msg)
{
	return request(msg, NULL, NULL) ? report_nl_error() : CMD_OK;
}

/* ------------------------------------------------------------------ */
/* Interface names                                                    */
/* ------------------------------------------------------------------ */

int resolve_dev(const char *name, uint32_t *ifindex)
{
	unsigned int idx;

	if (netns_enter())
		return CMD_FAIL;
	if (!*name || strlen(name) >= IF_NAMESIZE)
		return error("no such device \"%s\"", name);
	idx = if_nametoindex(name);
	if (!idx)
		return error("no such device \"%s\"", name);
	*ifindex = idx;
	return CMD_OK;
}
/* ------------------------------------------------------------------ */
/* Collecting datapaths and ports                                     */
/* ------------------------------------------------------------------ */

int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	p = realloc(*v, ncap * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = ncap;
	return 0;
}

/*
 * A request for @cmd, with the string attribute @attr = @value when @value
 * is set, in *@msgp.  0, or -ENOMEM / -EMSGSIZE (and no text in the handle).
 */
int build_msg(uint8_t cmd, int flags, int attr, const char *value,
		     struct nl_msg **msgp)
{
	struct nl_msg *msg = lsdp_nl_msg_size(G.nl, cmd, flags, CLI_MSG_SIZE);

	if (!msg)
		return -ENOMEM;
	if (value && nla_put_string(msg, attr, value) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	*msgp = msg;
	return 0;
}

/* Dumps are retried when a concurrent change interrupted them. */
#define DUMP_TRIES 5

/*
 * Dumps @cmd into @arg through @cb, filtered by the string attribute
 * @attr = @value when @value is set; @reset empties @arg before each try.
 * 0 or the request's negative errno (text in the handle).  A request that
 * cannot be built is, with @report, printed as by new_msg_str() and
 * CMD_FAIL; without, build_msg()'s error.
 */
int dump_filtered(uint8_t cmd, int attr, const char *value,
			 lsdp_nl_cb_t cb, void *arg, void (*reset)(void *arg),
			 bool report)
{
	struct nl_msg *msg;
	int tries, err = 0;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		if (report) {
			msg = new_msg_str(cmd, NLM_F_DUMP, attr, value);
			if (!msg)
				return CMD_FAIL;
		} else {
			err = build_msg(cmd, NLM_F_DUMP, attr, value, &msg);
			if (err)
				return err;
		}
		reset(arg);
		err = request(msg, cb, arg);
		if (err != -EINTR)
			break;
	}
	return err;
}

/* dump_filtered() for a show command: CMD_OK, or CMD_FAIL after the error. */
int dump_show(uint8_t cmd, int attr, const char *value, lsdp_nl_cb_t cb,
		     void *arg, void (*reset)(void *arg))
{
	int err;

	if (!nl_get())
		return CMD_FAIL;
	err = dump_filtered(cmd, attr, value, cb, arg, reset, true);
	return err < 0 ? report_nl_error() : err;
}

int cmp_addr(const struct lsdp_addr *x, const struct lsdp_addr *y)
{
	if (x->family != y->family)
		return x->family == AF_INET ? -1 : 1;
	return x->family == AF_INET ? memcmp(&x->v4, &y->v4, 4)
				    : memcmp(&x->v6, &y->v6, 16);
}

void *list_slot(struct list *l, size_t size)
{
	if (grow(&l->v, &l->cap, l->n, size))
		return NULL;
	return (char *)l->v + l->n * size;
}

void list_reset(void *arg)
{
	struct list *l = arg;
	size_t i;

	if (l->release)
		for (i = 0; i < l->n; i++)
			l->release((char *)l->v + i * l->size);
	l->n = 0;
}

int name_request(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct nl_msg *msg;
	const char *name = NULL;
	char what[32];
	int r;

	snprintf(what, sizeof(what), "%s NAME", obj->name);
	r = args_positional(&a, what, &name);
	if (!r)
		r = args_end(&a);
	if (r)
		return r;
	msg = new_msg_str(cur_cmd->req, 0, obj->name_attr, name);
	return msg ? transact(msg) : CMD_FAIL;
}

int get_show(uint8_t cmd, int attr, const char *value, lsdp_nl_cb_t cb,
	     void *arg)
{
	struct nl_msg *msg = new_msg_str(cmd, 0, attr, value);

	if (!msg)
		return CMD_FAIL;
	return request(msg, cb, arg) ? report_nl_error() : CMD_OK;
}

int show_one(int argc, char **argv, uint8_t cmd, lsdp_nl_cb_t cb, void *arg)
{
	struct args a = { argc, argv };
	int r = args_end(&a);

	return r ? r : get_show(cmd, 0, NULL, cb, arg);
}

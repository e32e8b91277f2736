// SPDX-License-Identifier: GPL-2.0
/*
 * lsdp: configure the lsdp logical switch/router datapath over generic
 * netlink, with the grammar and conventions of iproute2.
 *
 *   lsdp [ -j [-p] ] [ -n NETNS ] [ -b FILE [-f] ] [ -V ] OBJECT { COMMAND | help }
 *
 * Every command is parsed and checked completely before anything is sent,
 * so a bad command line never reaches the kernel (and `help` never opens a
 * socket).  Errors print "Error: ..." on stderr and make the exit status 1;
 * the kernel's extack text is what the user reads when the kernel refuses.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsdp_nl.h"
#include "json.h"

#ifndef LSDP_VERSION
#define LSDP_VERSION "0.1.0"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* What a command handler returns. */
enum {
	CMD_OK = 0,
	CMD_FAIL = 1,	/* error printed */
	CMD_HELP = 2,	/* "help" met: print this command's usage on stdout */
};

static struct {
	bool json;
	bool pretty;
	const char *netns;
	int netns_state;	/* 0: not entered yet, 1: entered, -1: failed */
	struct lsdp_nl *nl;
	bool batch;
	unsigned long line;	/* batch line being run */
} G;

/* ------------------------------------------------------------------ */
/* Usage                                                              */
/* ------------------------------------------------------------------ */

struct object;
struct cmd {
	const char *name;
	int (*fn)(const struct object *obj, int argc, char **argv);
	const char *synopsis;	/* lines after "Usage: " / "       " */
	const char *where;	/* "where" lines of this command, or NULL */
};

struct object {
	const char *name;
	uint8_t kind;		/* datapath kind of switch/router */
	const struct cmd *cmds;
	size_t ncmds;
	const char *where;	/* extra "where" lines, or NULL */
};

static const char usage_main[] =
	"Usage: lsdp [ OPTIONS ] OBJECT { COMMAND | help }\n"
	"       lsdp [ -j [ -p ] ] [ -n NETNS ] -b FILE [ -f ]\n"
	"       lsdp -V\n"
	"where  OBJECT := { switch | router | port | route | neigh | chassis |\n"
	"                   encap | hold | stats }\n"
	"       OPTIONS := { -j[son] [ -p[retty] ] | -n[etns] NETNS |\n"
	"                    -b[atch] FILE [ -f[orce] ] | -V[ersion] }\n"
	"Try \"lsdp OBJECT help\" for the commands of an object.\n";

static void print_synopsis(FILE *f, const char *prefix, const char *syn)
{
	fputs(prefix, f);
	fputs(syn, f);
	fputc('\n', f);
}

static void print_cmd_usage(FILE *f, const struct object *obj,
			    const struct cmd *cmd)
{
	(void)obj;
	print_synopsis(f, "Usage: ", cmd->synopsis);
	if (cmd->where)
		fputs(cmd->where, f);
}

static void print_obj_usage(FILE *f, const struct object *obj)
{
	size_t i;

	for (i = 0; i < obj->ncmds; i++)
		print_synopsis(f, i ? "       " : "Usage: ", obj->cmds[i].synopsis);
	if (obj->where)
		fputs(obj->where, f);
}

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

static int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int error(const char *fmt, ...)
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
static const struct object *cur_obj;
static const struct cmd *cur_cmd;

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
	if (!G.batch) {
		if (cur_obj && cur_cmd)
			print_cmd_usage(stderr, cur_obj, cur_cmd);
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

struct args {
	int argc;
	char **argv;
};

static bool is_help(const char *s)
{
	return !strcmp(s, "help");
}

static const char *args_next(struct args *a)
{
	if (a->argc <= 0)
		return NULL;
	a->argc--;
	return *a->argv++;
}

/* The value of keyword @kw, or NULL after printing the error. */
static const char *args_value(struct args *a, const char *kw)
{
	const char *v = args_next(a);

	if (!v)
		usage_error("\"%s\" requires a value", kw);
	return v;
}

/*
 * A positional argument (NAME, DATAPATH...).  Returns CMD_OK with *out set,
 * CMD_HELP for "help", CMD_FAIL when missing.
 */
static int args_positional(struct args *a, const char *what, const char **out)
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
static int args_optional_last(struct args *a, const char **out)
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

static int args_end(struct args *a)
{
	if (a->argc <= 0)
		return CMD_OK;
	if (is_help(a->argv[0]))
		return CMD_HELP;
	return usage_error("unexpected argument \"%s\"", a->argv[0]);
}

/* Decimal u32, no sign, no spaces: "range checked by the kernel". */
static bool parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
	return lsdp_mac_parse(s, mac);
}

static bool parse_addr(const char *s, struct lsdp_addr *a)
{
	return lsdp_addr_parse(s, a);
}

/* A u32, optionally followed by @unit ("ms"), as "hold show" prints it. */
static bool parse_u32_unit(const char *s, const char *unit, uint32_t *out)
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

static bool parse_vid(const char *s, uint32_t *vid)
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
static struct lsdp_nl *nl_get(void)
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

static struct nl_msg *new_msg(uint8_t cmd, int flags)
{
	struct nl_msg *msg;

	if (!nl_get())
		return NULL;
	msg = lsdp_nl_msg(G.nl, cmd, flags);
	if (!msg)
		error("%s", strerror(ENOMEM));
	return msg;
}

static int msg_too_big(struct nl_msg *msg)
{
	nlmsg_free(msg);
	return error("request too large for one netlink message");
}

/* new_msg() with the string attribute @attr = @value when @value is set. */
static struct nl_msg *new_msg_str(uint8_t cmd, int flags, int attr,
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
static int request(struct nl_msg *msg, lsdp_nl_cb_t cb, void *arg)
{
	int err = lsdp_nl_request(G.nl, msg, cb, arg);

	if (!err && lsdp_nl_warning(G.nl)) {
		fflush(stdout);
		fprintf(stderr, "Warning: %s\n", lsdp_nl_warning(G.nl));
	}
	return err;
}

static int report_nl_error(void)
{
	return error("%s", lsdp_nl_strerror(G.nl));
}

/* A change: send and print the kernel's error, if any. */
static int transact(struct nl_msg *msg)
{
	return request(msg, NULL, NULL) ? report_nl_error() : CMD_OK;
}

/* ------------------------------------------------------------------ */
/* Interface names                                                    */
/* ------------------------------------------------------------------ */

static int resolve_dev(const char *name, uint32_t *ifindex)
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

static int grow(void **v, size_t *cap, size_t n, size_t size)
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
 * struct NAME_list, a growing array of @type; NAME_collect_cb(), a request
 * callback appending each reply as @parse reads it (a reply it cannot read
 * fails the request); NAME_list_reset(), which empties the list before a
 * dump is tried again.
 */
#define DEFINE_LIST(name, type, parse)					\
struct name##_list {							\
	type *v;							\
	size_t n, cap;							\
};									\
									\
static int name##_collect_cb(struct nl_msg *msg, void *arg)		\
{									\
	struct name##_list *l = arg;					\
	int err;							\
									\
	err = grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v));	\
	if (!err)							\
		err = parse(msg, &l->v[l->n]);				\
	if (!err)							\
		l->n++;							\
	return err;							\
}									\
									\
static void name##_list_reset(void *arg)				\
{									\
	((struct name##_list *)arg)->n = 0;				\
}

DEFINE_LIST(dp, struct lsdp_dp_info, lsdp_dp_parse)

struct port_list {
	struct lsdp_port_info *v;
	size_t n, cap;
	const char *dp;		/* keep only ports of this datapath */
};

static void dp_list_free(struct dp_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void port_list_reset(void *arg)
{
	struct port_list *l = arg;
	size_t i;

	for (i = 0; i < l->n; i++)
		lsdp_port_info_clear(&l->v[i]);
	l->n = 0;
}

static void port_list_free(struct port_list *l)
{
	port_list_reset(l);
	free(l->v);
	l->v = NULL;
	l->cap = 0;
}

static int port_collect_cb(struct nl_msg *msg, void *arg)
{
	struct port_list *l = arg;
	int err;

	err = grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v));
	if (err)
		return err;
	err = lsdp_port_parse(msg, &l->v[l->n]);
	if (err)
		return err;
	if (l->dp && strcmp(l->v[l->n].dp, l->dp)) {
		lsdp_port_info_clear(&l->v[l->n]);
		return 0;
	}
	l->n++;
	return 0;
}

/*
 * A request for @cmd, with the string attribute @attr = @value when @value
 * is set, in *@msgp.  0, or -ENOMEM / -EMSGSIZE (and no text in the handle).
 */
static int build_msg(uint8_t cmd, int flags, int attr, const char *value,
		     struct nl_msg **msgp)
{
	struct nl_msg *msg = lsdp_nl_msg(G.nl, cmd, flags);

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
static int dump_filtered(uint8_t cmd, int attr, const char *value,
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
static int dump_show(uint8_t cmd, int attr, const char *value, lsdp_nl_cb_t cb,
		     void *arg, void (*reset)(void *arg))
{
	int err;

	if (!nl_get())
		return CMD_FAIL;
	err = dump_filtered(cmd, attr, value, cb, arg, reset, true);
	return err < 0 ? report_nl_error() : err;
}

/* Negative errno (text in the handle) or 0. */
static int dp_dump(struct dp_list *l)
{
	return dump_filtered(LSDP_CMD_DP_GET, 0, NULL, dp_collect_cb, l,
			     dp_list_reset, false);
}

/* One datapath by name: negative errno (text in the handle) or 0. */
static int dp_get(const char *name, struct lsdp_dp_info *out)
{
	struct dp_list l = { 0 };
	struct nl_msg *msg;
	int err;

	err = build_msg(LSDP_CMD_DP_GET, 0, LSDP_A_DP_NAME, name, &msg);
	if (err)
		return err;
	err = request(msg, dp_collect_cb, &l);
	if (!err && l.n != 1)
		err = -EIO;
	if (!err)
		*out = l.v[0];
	dp_list_free(&l);
	return err;
}

static int port_dump(struct port_list *l, const char *dp)
{
	l->dp = dp;
	return dump_filtered(LSDP_CMD_PORT_GET, LSDP_A_DP_NAME, dp,
			     port_collect_cb, l, port_list_reset, false);
}

static int port_get(const char *name, struct port_list *l)
{
	struct nl_msg *msg;
	int err;

	l->dp = NULL;
	err = build_msg(LSDP_CMD_PORT_GET, 0, LSDP_A_PORT_NAME, name, &msg);
	return err ? err : request(msg, port_collect_cb, l);
}

/*
 * The ports `show [ NAME | DATAPATH ]` is about.  A name is tried as a
 * port first (one doit); when that fails, as a datapath (its ports, dumped
 * with the kernel's DP_NAME filter).  If it is neither, the port lookup's
 * error is what the user sees, unless it merely said "not found".
 * On success *@dp_out is the datapath name when the argument was one.
 */
static int ports_for_show(const char *arg, struct port_list *l,
			  const char **dp_out)
{
	char port_err[256];
	struct dp_list dps = { 0 };
	bool is_dp = false;
	int err, perr;
	size_t i;

	*dp_out = NULL;
	if (!nl_get())
		return CMD_FAIL;
	if (!arg) {
		err = port_dump(l, NULL);
		return err ? report_nl_error() : CMD_OK;
	}

	perr = port_get(arg, l);
	if (!perr)
		return CMD_OK;
	snprintf(port_err, sizeof(port_err), "%s", lsdp_nl_strerror(G.nl));
	port_list_reset(l);

	err = dp_dump(&dps);
	if (err) {
		dp_list_free(&dps);
		return report_nl_error();
	}
	for (i = 0; i < dps.n && !is_dp; i++)
		is_dp = !strcmp(dps.v[i].name, arg);
	dp_list_free(&dps);
	if (!is_dp) {
		if (perr == -ENOENT || perr == -ENODEV)
			return error("no port or datapath \"%s\"", arg);
		return error("%s", port_err);
	}
	*dp_out = arg;
	err = port_dump(l, arg);
	return err ? report_nl_error() : CMD_OK;
}

static int cmp_port(const void *a, const void *b)
{
	const struct lsdp_port_info *x = a, *y = b;
	int c = strcmp(x->dp, y->dp);

	if (c)
		return c;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_dp(const void *a, const void *b)
{
	const struct lsdp_dp_info *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* ------------------------------------------------------------------ */
/* Text tables                                                        */
/* ------------------------------------------------------------------ */

struct table {
	size_t ncols;
	const char *const *hdr;
	const bool *right;	/* right-align this column (numbers) */
	char **cells;		/* nrows * ncols, owned */
	size_t nrows, cap;
	bool failed;
};

static void table_init(struct table *t, size_t ncols, const char *const *hdr,
		       const bool *right)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->hdr = hdr;
	t->right = right;
}

/* Appends a row of @ncols strings (copied); NULL cells print as "-". */
static void table_row(struct table *t, const char *const *cells)
{
	size_t i, need = (t->nrows + 1) * t->ncols;

	if (t->failed)
		return;
	if (need > t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64 * t->ncols;
		char **p;

		while (ncap < need)
			ncap *= 2;
		p = realloc(t->cells, ncap * sizeof(*p));
		if (!p) {
			t->failed = true;
			return;
		}
		t->cells = p;
		t->cap = ncap;
	}
	for (i = 0; i < t->ncols; i++) {
		char *s = strdup(cells[i] ? cells[i] : "-");

		if (!s)
			t->failed = true;
		t->cells[t->nrows * t->ncols + i] = s;
	}
	t->nrows++;
}

static void table_print(struct table *t, FILE *f)
{
	size_t *w, r, c;

	if (!t->nrows)
		return;
	w = calloc(t->ncols, sizeof(*w));
	if (!w)
		return;
	for (c = 0; c < t->ncols; c++)
		w[c] = strlen(t->hdr[c]);
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * t->ncols + c];
			size_t n = s ? strlen(s) : 0;

			if (n > w[c])
				w[c] = n;
		}
	for (r = 0; r <= t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *s = r ? t->cells[(r - 1) * t->ncols + c]
					  : t->hdr[c];
			bool last = c == t->ncols - 1;

			if (!s)
				s = "";
			if (c)
				fputs("  ", f);
			if (t->right[c] && r)
				fprintf(f, "%*s", (int)w[c], s);
			else if (last)
				fputs(s, f);
			else
				fprintf(f, "%-*s", (int)w[c], s);
		}
		fputc('\n', f);
	}
	free(w);
}

static void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

/* Prints @t, or the error that left it incomplete; frees it. */
static int table_finish(struct table *t)
{
	int r = CMD_OK;

	if (t->failed)
		r = error("%s", strerror(ENOMEM));
	else
		table_print(t, stdout);
	table_free(t);
	return r;
}

/* How a list of objects prints: JSON objects in an array, or table rows. */
struct list_fmt {
	size_t size;					/* of one object */
	int (*cmp)(const void *a, const void *b);	/* the order */
	void (*json)(struct json *j, const void *obj);	/* its members */
	size_t ncols;
	const char *const *hdr;
	const bool *right;
	void (*row)(struct table *t, const void *obj);
};

static void list_json(struct json *j, const struct list_fmt *f, const void *v,
		      size_t n)
{
	size_t i;

	json_arr_open(j);
	for (i = 0; i < n; i++) {
		json_obj_open(j);
		f->json(j, (const char *)v + i * f->size);
		json_obj_close(j);
	}
	json_arr_close(j);
}

static void list_table(struct table *t, const struct list_fmt *f,
		       const void *v, size_t n)
{
	size_t i;

	table_init(t, f->ncols, f->hdr, f->right);
	for (i = 0; i < n; i++)
		f->row(t, (const char *)v + i * f->size);
}

/*
 * Sorts the @n objects at @v; with -j prints them as a JSON array and
 * returns true, else fills @t with their rows for the caller to print.
 */
static bool list_format(const struct list_fmt *f, void *v, size_t n,
			struct table *t)
{
	struct json j;

	if (n > 1)
		qsort(v, n, f->size, f->cmp);
	if (!G.json) {
		list_table(t, f, v, n);
		return false;
	}
	json_init(&j, stdout, G.pretty);
	list_json(&j, f, v, n);
	json_end(&j);
	return true;
}

/* ------------------------------------------------------------------ */
/* Formatting helpers                                                 */
/* ------------------------------------------------------------------ */

static void fmt_mac(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
}

static const char *fmt_addr(const struct lsdp_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family, a->family == AF_INET ? (const void *)&a->v4
						       : (const void *)&a->v6,
		       buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static const char *fmt_port_type(uint8_t type, char *buf, size_t len)
{
	const char *s = lsdp_port_type_name(type);

	if (s)
		return s;
	if (!type)
		return NULL;
	snprintf(buf, len, "type-%u", type);
	return buf;
}

static const char *fmt_dp_kind(uint8_t kind, char *buf, size_t len)
{
	const char *s = lsdp_dp_kind_name(kind);

	if (s)
		return s;
	if (!kind)
		return NULL;
	snprintf(buf, len, "kind-%u", kind);
	return buf;
}

/* ------------------------------------------------------------------ */
/* switch / router                                                    */
/* ------------------------------------------------------------------ */

static int dp_add(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *name = NULL, *kw, *v;
	bool has_key = false;
	struct nl_msg *msg;
	uint32_t key = 0;
	int r;

	r = args_positional(&a, "NAME", &name);
	if (r)
		return r;
	while ((kw = args_next(&a))) {
		if (!strcmp(kw, "key")) {
			if (has_key)
				return usage_error("duplicate \"key\"");
			v = args_value(&a, kw);
			if (!v)
				return CMD_FAIL;
			if (!parse_u32(v, &key))
				return usage_error("invalid key \"%s\"", v);
			has_key = true;
		} else if (is_help(kw)) {
			return CMD_HELP;
		} else {
			return usage_error("unknown argument \"%s\"", kw);
		}
	}
	if (!has_key)
		return usage_error("\"key\" is required");

	msg = new_msg(LSDP_CMD_DP_NEW, 0);
	if (!msg)
		return CMD_FAIL;
	if (nla_put_string(msg, LSDP_A_DP_NAME, name) < 0 ||
	    nla_put_u32(msg, LSDP_A_DP_KEY, key) < 0 ||
	    nla_put_u8(msg, LSDP_A_DP_KIND, obj->kind) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

static int dp_del(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct lsdp_dp_info dp;
	struct nl_msg *msg;
	const char *name = NULL;
	int r;

	r = args_positional(&a, "NAME", &name);
	if (r)
		return r;
	r = args_end(&a);
	if (r)
		return r;

	if (!nl_get())
		return CMD_FAIL;
	/* "switch del" must not delete a router (and vice versa). */
	if (dp_get(name, &dp))
		return report_nl_error();
	if (dp.kind != obj->kind)
		return error("\"%s\" is not a %s", name, obj->name);

	msg = new_msg_str(LSDP_CMD_DP_DEL, 0, LSDP_A_DP_NAME, name);
	return msg ? transact(msg) : CMD_FAIL;
}

static void dp_json(struct json *j, const void *obj)
{
	const struct lsdp_dp_info *d = obj;
	char kbuf[16];

	json_kv_str(j, "name", d->name);
	json_kv_u64(j, "key", d->key);
	json_kv_str(j, "kind", fmt_dp_kind(d->kind, kbuf, sizeof(kbuf)));
	if (d->has_nports)
		json_kv_u64(j, "ports", d->nports);
	else
		json_kv_null(j, "ports");
}

static void dp_row(struct table *t, const void *obj)
{
	const struct lsdp_dp_info *d = obj;
	char key[16], ports[16], kbuf[16];
	const char *row[4];

	snprintf(key, sizeof(key), "%" PRIu32, d->key);
	snprintf(ports, sizeof(ports), "%" PRIu32, d->nports);
	row[0] = d->name;
	row[1] = key;
	row[2] = fmt_dp_kind(d->kind, kbuf, sizeof(kbuf));
	row[3] = d->has_nports ? ports : NULL;
	table_row(t, row);
}

static const char *const dp_hdr[] = { "NAME", "KEY", "KIND", "PORTS" };
static const bool dp_right[] = { false, true, false, true };

static const struct list_fmt dp_fmt = {
	.size = sizeof(struct lsdp_dp_info), .cmp = cmp_dp, .json = dp_json,
	.ncols = ARRAY_SIZE(dp_hdr), .hdr = dp_hdr, .right = dp_right,
	.row = dp_row,
};

static int dp_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct dp_list l = { 0 };
	const char *name = NULL;
	struct table t;
	size_t i, n;
	int r;

	r = args_optional_last(&a, &name);
	if (r)
		return r;
	if (!nl_get())
		return CMD_FAIL;

	if (name) {
		struct lsdp_dp_info dp;

		if (dp_get(name, &dp))
			return report_nl_error();
		if (dp.kind != obj->kind)
			return error("\"%s\" is not a %s", name, obj->name);
		l.v = malloc(sizeof(*l.v));
		if (!l.v)
			return error("%s", strerror(ENOMEM));
		l.v[0] = dp;
		l.n = 1;
	} else {
		if (dp_dump(&l)) {
			dp_list_free(&l);
			return report_nl_error();
		}
		/* Only this object's kind. */
		for (i = 0, n = 0; i < l.n; i++)
			if (l.v[i].kind == obj->kind)
				l.v[n++] = l.v[i];
		l.n = n;
	}
	/* (Unlike the other tables, printed as far as memory allowed.) */
	if (!list_format(&dp_fmt, l.v, l.n, &t)) {
		table_print(&t, stdout);
		table_free(&t);
	}
	dp_list_free(&l);
	return CMD_OK;
}

/* ------------------------------------------------------------------ */
/* port                                                               */
/* ------------------------------------------------------------------ */

/* Keywords that may appear once; bits of port_opts.seen. */
enum {
	KW_KEY, KW_TYPE, KW_MAC, KW_UNKNOWN, KW_SECURITY, KW_DEV, KW_PARENT,
	KW_TAG, KW_VLAN, KW_CHASSIS, KW_PEER, KW_NOIP,
};

struct port_opts {
	const char *dp;
	const char *name;
	unsigned int seen;		/* 1 << KW_* */
	uint32_t key;
	int type;			/* -1: not given */
	uint8_t mac[6];
	struct lsdp_addr *addrs;
	unsigned int n_addrs, cap_addrs;
	struct lsdp_prefix *nets;
	unsigned int n_nets, cap_nets;
	const char *noip;		/* "noip" or "nonet" when given */
	int unknown;			/* -1: not given, else 0/1 */
	int security;			/* -1: not given, else 0/1 */
	bool nodev;
	uint32_t ifindex;
	const char *parent, *chassis, *peer;
	uint32_t tag, vlan;
};

static void port_opts_free(struct port_opts *o)
{
	free(o->addrs);
	o->addrs = NULL;
	free(o->nets);
	o->nets = NULL;
}

static int mark(struct port_opts *o, int kw, const char *name)
{
	if (o->seen & (1u << kw))
		return usage_error("duplicate \"%s\"", name);
	o->seen |= 1u << kw;
	return CMD_OK;
}

static int add_ip(struct port_opts *o, const char *v)
{
	if (o->n_addrs == o->cap_addrs) {
		unsigned int ncap = o->cap_addrs ? o->cap_addrs * 2 : 4;
		struct lsdp_addr *p = realloc(o->addrs, ncap * sizeof(*p));

		if (!p)
			return error("%s", strerror(ENOMEM));
		o->addrs = p;
		o->cap_addrs = ncap;
	}
	if (!parse_addr(v, &o->addrs[o->n_addrs]))
		return usage_error("invalid address \"%s\"", v);
	o->n_addrs++;
	return CMD_OK;
}

/* "net ADDR/PLEN": a router port's network; the address keeps its host bits. */
static int add_net(struct port_opts *o, const char *v)
{
	if (o->n_nets == o->cap_nets) {
		unsigned int ncap = o->cap_nets ? o->cap_nets * 2 : 4;
		struct lsdp_prefix *p = realloc(o->nets, ncap * sizeof(*p));

		if (!p)
			return error("%s", strerror(ENOMEM));
		o->nets = p;
		o->cap_nets = ncap;
	}
	switch (lsdp_prefix_parse(v, &o->nets[o->n_nets], LSDP_PREFIX_F_NEED_LEN)) {
	case LSDP_PREFIX_OK:
		break;
	case LSDP_PREFIX_NO_LEN:
		return usage_error("net needs ADDR/PREFIXLEN");
	default:
		return usage_error("invalid network \"%s\"", v);
	}
	o->n_nets++;
	return CMD_OK;
}

/*
 * The keywords of `port add` (@add) and `port set`.  Returns CMD_OK, CMD_FAIL
 * or CMD_HELP.
 */
static int port_parse_opts(struct args *a, struct port_opts *o, bool add)
{
	const char *kw, *v;
	int r;

	while ((kw = args_next(a))) {
		if (is_help(kw))
			return CMD_HELP;

		if (add && !strcmp(kw, "key")) {
			if ((r = mark(o, KW_KEY, kw)))
				return r;
			if (!(v = args_value(a, kw)))
				return CMD_FAIL;
			if (!parse_u32(v, &o->key))
				return usage_error("invalid key \"%s\"", v);
		} else if (add && !strcmp(kw, "type")) {
			if ((r = mark(o, KW_TYPE, kw)))
				return r;
			if (!(v = args_value(a, kw)))
				return CMD_FAIL;
			o->type = lsdp_port_type_parse(v);
			if (o->type < 0)
				return usage_error("invalid port type \"%s\"", v);
		} else if (!strcmp(kw, "mac")) {
			if ((r = mark(o, KW_MAC, kw)))
				return r;
			if (!(v = args_value(a, kw)))
				return CMD_FAIL;
			if (!parse_mac(v, o->mac))
				return usage_error("invalid MAC address \"%s\"", v);
		} else if (!strcmp(kw, "ip") || !strcmp(kw, "net")) {
			if (o->noip)
				return usage_error("\"%s\" conflicts with \"%s\"",
						   kw, o->noip);
			if (!(v = args_value(a, kw)))
				return CMD_FAIL;
			if ((r = kw[0] == 'i' ? add_ip(o, v) : add_net(o, v)))
				return r;
		} else if (!add && (!strcmp(kw, "noip") || !strcmp(kw, "nonet"))) {
			if (o->n_addrs)
				return usage_error("\"%s\" conflicts with \"ip\"", kw);
			if (o->n_nets)
				return usage_error("\"%s\" conflicts with \"net\"", kw);
			if ((r = mark(o, KW_NOIP, kw)))
				return r;
			o->noip = kw;
		} else if (!strcmp(kw, "unknown") ||
			   (!add && !strcmp(kw, "nounknown"))) {
			if ((r = mark(o, KW_UNKNOWN, "unknown")))
				return r;
			o->unknown = kw[0] != 'n';
		} else if (!strcmp(kw, "security") ||
			   (!add && !strcmp(kw, "nosecurity"))) {
			if ((r = mark(o, KW_SECURITY, "security")))
				return r;
			o->security = kw[0] != 'n';
		} else if (!strcmp(kw, "dev")) {
			if ((r = mark(o, KW_DEV, "dev")))
				return r;
			if (!(v = args_value(a, kw)))
				return CMD_FAIL;
			if ((r = resolve_dev(v, &o->ifindex)))
				return r;
		} else if (!add && !strcmp(kw, "nodev")) {
			if ((r = mark(o, KW_DEV, "dev")))
				return r;
			o->nodev = true;
			o->ifindex = 0;
		} else if (add && !strcmp(kw, "parent")) {
			if ((r = mark(o, KW_PARENT, kw)))
				return r;
			if (!(o->parent = args_value(a, kw)))
				return CMD_FAIL;
		} else if (add && !strcmp(kw, "tag")) {
			if ((r = mark(o, KW_TAG, kw)))
				return r;
			if (!(v = args_value(a, kw)))
				return CMD_FAIL;
			if (!parse_vid(v, &o->tag))
				return usage_error("invalid VLAN ID \"%s\"", v);
		} else if (!strcmp(kw, "vlan")) {
			if ((r = mark(o, KW_VLAN, kw)))
				return r;
			if (!(v = args_value(a, kw)))
				return CMD_FAIL;
			if (!parse_vid(v, &o->vlan))
				return usage_error("invalid VLAN ID \"%s\"", v);
		} else if (!add && !strcmp(kw, "novlan")) {
			if ((r = mark(o, KW_VLAN, "vlan")))
				return r;
			o->vlan = 0;
		} else if (!strcmp(kw, "chassis")) {
			if ((r = mark(o, KW_CHASSIS, kw)))
				return r;
			if (!(o->chassis = args_value(a, kw)))
				return CMD_FAIL;
		} else if (!add && !strcmp(kw, "nochassis")) {
			if ((r = mark(o, KW_CHASSIS, "chassis")))
				return r;
			o->chassis = "";
		} else if (add && !strcmp(kw, "peer")) {
			if ((r = mark(o, KW_PEER, kw)))
				return r;
			if (!(o->peer = args_value(a, kw)))
				return CMD_FAIL;
		} else {
			return usage_error("unknown argument \"%s\"", kw);
		}
	}

	if ((o->seen & (1u << KW_PARENT)) && !(o->seen & (1u << KW_TAG)))
		return usage_error("\"parent\" requires \"tag\"");
	if ((o->seen & (1u << KW_TAG)) && !(o->seen & (1u << KW_PARENT)))
		return usage_error("\"tag\" requires \"parent\"");
	if (o->peer && o->type != LSDP_PORT_TYPE_ROUTER)
		return usage_error("\"peer\" requires \"type router\"");
	if ((o->seen & (1u << KW_PARENT)) && (o->seen & (1u << KW_VLAN)))
		return usage_error("\"vlan\" is a localnet port's; a trunk child has \"tag\"");
	return CMD_OK;
}

/* Attributes common to PORT_NEW and PORT_SET; 0 or -EMSGSIZE. */
static int port_put_opts(struct nl_msg *msg, const struct port_opts *o)
{
	if ((o->seen & (1u << KW_MAC)) &&
	    nla_put(msg, LSDP_A_PORT_MAC, 6, o->mac) < 0)
		return -EMSGSIZE;
	/* "ip"/"net" replace the whole list; "noip"/"nonet" send it empty. */
	if ((o->n_addrs || o->n_nets || o->noip) &&
	    lsdp_put_port_addrs(msg, o->addrs, o->n_addrs, o->nets,
				o->n_nets) < 0)
		return -EMSGSIZE;
	if (o->unknown >= 0 &&
	    nla_put_u8(msg, LSDP_A_PORT_UNKNOWN, (uint8_t)o->unknown) < 0)
		return -EMSGSIZE;
	if (o->security >= 0 &&
	    nla_put_u8(msg, LSDP_A_PORT_SECURITY, (uint8_t)o->security) < 0)
		return -EMSGSIZE;
	/* "dev" binds, "nodev" (ifindex 0) unbinds. */
	if ((o->seen & (1u << KW_DEV)) &&
	    nla_put_u32(msg, LSDP_A_PORT_IFINDEX, o->ifindex) < 0)
		return -EMSGSIZE;
	/* "chassis NAME" binds remotely, "nochassis" ("") unbinds. */
	if ((o->seen & (1u << KW_CHASSIS)) &&
	    nla_put_string(msg, LSDP_A_PORT_CHASSIS, o->chassis) < 0)
		return -EMSGSIZE;
	/* A child's "parent P tag T", a localnet's "vlan V" ("novlan": 0). */
	if ((o->seen & (1u << KW_PARENT)) &&
	    nla_put_string(msg, LSDP_A_PORT_PARENT, o->parent) < 0)
		return -EMSGSIZE;
	if ((o->seen & (1u << KW_TAG)) &&
	    nla_put_u16(msg, LSDP_A_PORT_TAG, (uint16_t)o->tag) < 0)
		return -EMSGSIZE;
	if ((o->seen & (1u << KW_VLAN)) &&
	    nla_put_u16(msg, LSDP_A_PORT_TAG, (uint16_t)o->vlan) < 0)
		return -EMSGSIZE;
	return 0;
}

static void port_opts_init(struct port_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->type = -1;
	o->unknown = -1;
	o->security = -1;
}

static int port_add(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct port_opts o;
	struct nl_msg *msg;
	int r;

	(void)obj;
	port_opts_init(&o);
	r = args_positional(&a, "DATAPATH", &o.dp);
	if (!r)
		r = args_positional(&a, "port NAME", &o.name);
	if (!r)
		r = port_parse_opts(&a, &o, true);
	if (!r && !(o.seen & (1u << KW_KEY)))
		r = usage_error("\"key\" is required");
	if (r)
		goto out;

	msg = new_msg(LSDP_CMD_PORT_NEW, 0);
	if (!msg) {
		r = CMD_FAIL;
		goto out;
	}
	if (nla_put_string(msg, LSDP_A_DP_NAME, o.dp) < 0 ||
	    nla_put_string(msg, LSDP_A_PORT_NAME, o.name) < 0 ||
	    nla_put_u32(msg, LSDP_A_PORT_KEY, o.key) < 0 ||
	    (o.type >= 0 &&
	     nla_put_u8(msg, LSDP_A_PORT_TYPE, (uint8_t)o.type) < 0) ||
	    (o.peer && nla_put_string(msg, LSDP_A_PORT_PEER, o.peer) < 0) ||
	    port_put_opts(msg, &o) < 0) {
		r = msg_too_big(msg);
		goto out;
	}
	r = transact(msg);
out:
	port_opts_free(&o);
	return r;
}

static int port_set(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct port_opts o;
	struct nl_msg *msg;
	int r;

	(void)obj;
	port_opts_init(&o);
	r = args_positional(&a, "port NAME", &o.name);
	if (!r)
		r = port_parse_opts(&a, &o, false);
	if (!r && !o.seen && !o.n_addrs && !o.n_nets)
		r = usage_error("nothing to change");
	if (r)
		goto out;

	msg = new_msg(LSDP_CMD_PORT_SET, 0);
	if (!msg) {
		r = CMD_FAIL;
		goto out;
	}
	if (nla_put_string(msg, LSDP_A_PORT_NAME, o.name) < 0 ||
	    port_put_opts(msg, &o) < 0) {
		r = msg_too_big(msg);
		goto out;
	}
	r = transact(msg);
out:
	port_opts_free(&o);
	return r;
}

/* "port CMD NAME": a request carrying only the port's name. */
static int port_name_cmd(uint8_t cmd, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct nl_msg *msg;
	const char *name = NULL;
	int r;

	r = args_positional(&a, "port NAME", &name);
	if (r)
		return r;
	r = args_end(&a);
	if (r)
		return r;
	msg = new_msg_str(cmd, 0, LSDP_A_PORT_NAME, name);
	return msg ? transact(msg) : CMD_FAIL;
}

static int port_del(const struct object *obj, int argc, char **argv)
{
	(void)obj;
	return port_name_cmd(LSDP_CMD_PORT_DEL, argc, argv);
}

/* One round of gratuitous ARPs / unsolicited NAs for what NAME stands for. */
static int port_announce(const struct object *obj, int argc, char **argv)
{
	(void)obj;
	return port_name_cmd(LSDP_CMD_PORT_ANNOUNCE, argc, argv);
}

static void port_json(struct json *j, const void *obj)
{
	const struct lsdp_port_info *p = obj;
	char buf[INET6_ADDRSTRLEN], tbuf[16], pbuf[LSDP_PREFIX_STRLEN];
	unsigned int k;

	json_kv_str(j, "name", p->name);
	json_kv_str(j, "datapath", p->dp);
	json_kv_u64(j, "key", p->key);
	json_kv_str(j, "type", fmt_port_type(p->type, tbuf, sizeof(tbuf)));
	if (p->has_mac) {
		fmt_mac(p->mac, buf, sizeof(buf));
		json_kv_str(j, "mac", buf);
	} else {
		json_kv_null(j, "mac");
	}
	json_key(j, "addresses");
	json_arr_open(j);
	for (k = 0; k < p->n_addrs; k++)
		json_str(j, fmt_addr(&p->addrs[k], buf, sizeof(buf)));
	json_arr_close(j);
	json_key(j, "nets");
	json_arr_open(j);
	for (k = 0; k < p->n_nets; k++)
		json_str(j, lsdp_prefix_str(&p->nets[k], pbuf, sizeof(pbuf)));
	json_arr_close(j);
	json_kv_str(j, "peer", p->peer[0] ? p->peer : NULL);
	json_kv_bool(j, "unknown", p->unknown);
	json_kv_bool(j, "security", p->security);
	json_kv_str(j, "dev", p->ifname[0] ? p->ifname : NULL);
	json_kv_u64(j, "ifindex", p->ifindex);
	json_kv_str(j, "chassis", p->chassis[0] ? p->chassis : NULL);
	json_kv_str(j, "parent", p->parent[0] ? p->parent : NULL);
	if (p->tag)
		json_kv_u64(j, p->parent[0] ? "tag" : "vlan", p->tag);
	else
		json_kv_null(j, p->parent[0] ? "tag" : "vlan");
	json_kv_u64(j, "announced", p->announced);
}

static void port_row(struct table *t, const void *obj)
{
	const struct lsdp_port_info *p = obj;
	char key[16], mac[24], tbuf[16], dev[32], flags[32], vlan[80];
	char *addrs = NULL;
	size_t alen = 0;
	FILE *f = open_memstream(&addrs, &alen);
	const char *row[11];
	unsigned int k;

	if (f) {
		for (k = 0; k < p->n_addrs; k++) {
			char buf[INET6_ADDRSTRLEN];

			fprintf(f, "%s%s", k ? "," : "",
				fmt_addr(&p->addrs[k], buf, sizeof(buf)));
		}
		/* A router port's networks, as CIDRs. */
		for (k = 0; k < p->n_nets; k++) {
			char buf[LSDP_PREFIX_STRLEN];

			fprintf(f, "%s%s", k || p->n_addrs ? "," : "",
				lsdp_prefix_str(&p->nets[k], buf, sizeof(buf)));
		}
		fclose(f);
	}
	snprintf(key, sizeof(key), "%" PRIu32, p->key);
	if (p->has_mac)
		fmt_mac(p->mac, mac, sizeof(mac));
	snprintf(flags, sizeof(flags), "%s%s%s",
		 p->unknown ? "unknown" : "",
		 p->unknown && p->security ? "," : "",
		 p->security ? "security" : "");
	if (p->ifname[0])
		snprintf(dev, sizeof(dev), "%s", p->ifname);
	else if (p->ifindex)
		snprintf(dev, sizeof(dev), "if%" PRIu32, p->ifindex);
	row[0] = p->name;
	row[1] = p->dp[0] ? p->dp : NULL;
	row[2] = key;
	row[3] = fmt_port_type(p->type, tbuf, sizeof(tbuf));
	row[4] = p->has_mac ? mac : NULL;
	row[5] = addrs && addrs[0] ? addrs : NULL;
	row[6] = flags[0] ? flags : NULL;
	row[7] = p->ifname[0] || p->ifindex ? dev : NULL;
	row[8] = p->chassis[0] ? p->chassis : NULL;
	row[9] = p->peer[0] ? p->peer : NULL;
	/* "30@vm1": a trunk child's tag on its parent; "100": a localnet's. */
	if (p->parent[0])
		snprintf(vlan, sizeof(vlan), "%u@%s", p->tag, p->parent);
	else
		snprintf(vlan, sizeof(vlan), "%u", p->tag);
	row[10] = p->tag ? vlan : NULL;
	table_row(t, row);
	free(addrs);
}

static const char *const port_hdr[] = {
	"NAME", "DATAPATH", "KEY", "TYPE", "MAC", "ADDRESSES", "FLAGS", "DEV",
	"CHASSIS", "PEER", "VLAN"
};
static const bool port_right[] = {
	false, false, true, false, false, false, false, false, false, false,
	false
};

static const struct list_fmt port_fmt = {
	.size = sizeof(struct lsdp_port_info), .cmp = cmp_port,
	.json = port_json, .ncols = ARRAY_SIZE(port_hdr), .hdr = port_hdr,
	.right = port_right, .row = port_row,
};

static int port_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct port_list l = { 0 };
	const char *arg, *dp;
	struct table t;
	int r;

	(void)obj;
	r = args_optional_last(&a, &arg);
	if (r)
		return r;
	r = ports_for_show(arg, &l, &dp);
	if (!r && !list_format(&port_fmt, l.v, l.n, &t))
		table_finish(&t);
	port_list_free(&l);
	return r;
}

/* ------------------------------------------------------------------ */
/* stats                                                              */
/* ------------------------------------------------------------------ */

static uint64_t drops_total(const struct lsdp_stats *s)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < s->n_drops; i++)
		sum += s->drops[i].count;
	return sum;
}

/* "port-security-mac:2,no-dest:1", non-zero reasons only; NULL if none. */
static char *drops_text(const struct lsdp_drop *d, unsigned int n)
{
	char *s = NULL, rbuf[24];
	size_t len = 0;
	unsigned int i;
	bool any = false;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return NULL;
	for (i = 0; i < n; i++) {
		if (!d[i].count)
			continue;
		fprintf(f, "%s%s:%" PRIu64, any ? "," : "",
			lsdp_drop_reason_name(d[i].reason, rbuf, sizeof(rbuf)),
			d[i].count);
		any = true;
	}
	fclose(f);
	if (!any) {
		free(s);
		return NULL;
	}
	return s;
}

/* Adds @s's drops into the sorted array @tot (grown as needed). */
static int drops_add(struct lsdp_stats *tot, const struct lsdp_stats *s)
{
	unsigned int i, k;

	for (i = 0; i < s->n_drops; i++) {
		for (k = 0; k < tot->n_drops; k++)
			if (tot->drops[k].reason == s->drops[i].reason)
				break;
		if (k == tot->n_drops) {
			struct lsdp_drop *p = realloc(tot->drops,
						      (k + 1) * sizeof(*p));

			if (!p)
				return -ENOMEM;
			tot->drops = p;
			/* keep ascending order */
			while (k > 0 && p[k - 1].reason > s->drops[i].reason) {
				p[k] = p[k - 1];
				k--;
			}
			p[k].reason = s->drops[i].reason;
			p[k].count = 0;
			tot->n_drops++;
		}
		tot->drops[k].count += s->drops[i].count;
	}
	return 0;
}

static void stats_row(struct table *t, const char *port, const char *dp,
		      const struct lsdp_stats *s)
{
	char rxp[24], rxb[24], txp[24], txb[24], dr[24];
	char *reasons = drops_text(s->drops, s->n_drops);
	const char *row[8];

	snprintf(rxp, sizeof(rxp), "%" PRIu64, s->rx_packets);
	snprintf(rxb, sizeof(rxb), "%" PRIu64, s->rx_bytes);
	snprintf(txp, sizeof(txp), "%" PRIu64, s->tx_packets);
	snprintf(txb, sizeof(txb), "%" PRIu64, s->tx_bytes);
	snprintf(dr, sizeof(dr), "%" PRIu64, drops_total(s));
	row[0] = port;
	row[1] = dp && dp[0] ? dp : NULL;
	row[2] = rxp;
	row[3] = rxb;
	row[4] = txp;
	row[5] = txb;
	row[6] = dr;
	row[7] = reasons;
	table_row(t, row);
	free(reasons);
}

/* "drops": { REASON: COUNT, ... }, every reason the kernel reported. */
static void json_drops(struct json *j, const struct lsdp_stats *s)
{
	char rbuf[24];
	unsigned int k;

	json_key(j, "drops");
	json_obj_open(j);
	for (k = 0; k < s->n_drops; k++)
		json_kv_u64(j, lsdp_drop_reason_name(s->drops[k].reason,
						     rbuf, sizeof(rbuf)),
			    s->drops[k].count);
	json_obj_close(j);
}

static void json_stats(struct json *j, const struct lsdp_stats *s)
{
	json_kv_u64(j, "rx_packets", s->rx_packets);
	json_kv_u64(j, "rx_bytes", s->rx_bytes);
	json_kv_u64(j, "tx_packets", s->tx_packets);
	json_kv_u64(j, "tx_bytes", s->tx_bytes);
	json_drops(j, s);
}

/* "  drop REASON: COUNT" lines, non-zero reasons only. */
static void print_drops(const struct lsdp_stats *s)
{
	char rbuf[24];
	unsigned int k;

	for (k = 0; k < s->n_drops; k++)
		if (s->drops[k].count)
			printf("  drop %s: %" PRIu64 "\n",
			       lsdp_drop_reason_name(s->drops[k].reason,
						     rbuf, sizeof(rbuf)),
			       s->drops[k].count);
}

static void stats_json(struct json *j, const void *obj)
{
	const struct lsdp_port_info *p = obj;

	json_kv_str(j, "port", p->name);
	json_kv_str(j, "datapath", p->dp);
	json_stats(j, &p->stats);
}

static void stats_port_row(struct table *t, const void *obj)
{
	const struct lsdp_port_info *p = obj;

	stats_row(t, p->name, p->dp, &p->stats);
}

static const char *const stats_hdr[] = {
	"PORT", "DATAPATH", "RX_PACKETS", "RX_BYTES", "TX_PACKETS",
	"TX_BYTES", "DROPS", "DROP_REASONS"
};
static const bool stats_right[] = {
	false, false, true, true, true, true, true, false
};

static const struct list_fmt stats_fmt = {
	.size = sizeof(struct lsdp_port_info), .cmp = cmp_port,
	.json = stats_json, .ncols = ARRAY_SIZE(stats_hdr), .hdr = stats_hdr,
	.right = stats_right, .row = stats_port_row,
};

static int stats_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct port_list l = { 0 };
	struct lsdp_stats tot = { 0 };
	const char *arg, *dp;
	struct table t;
	size_t i;
	int r;

	(void)obj;
	r = args_optional_last(&a, &arg);
	if (r)
		return r;
	r = ports_for_show(arg, &l, &dp);
	if (r || list_format(&stats_fmt, l.v, l.n, &t))
		goto out;
	for (i = 0; i < l.n; i++) {
		const struct lsdp_stats *s = &l.v[i].stats;

		tot.rx_packets += s->rx_packets;
		tot.rx_bytes += s->rx_bytes;
		tot.tx_packets += s->tx_packets;
		tot.tx_bytes += s->tx_bytes;
		if (drops_add(&tot, s))
			t.failed = true;
	}
	/* A datapath's ports, then their sum. */
	if (dp && l.n)
		stats_row(&t, "(total)", dp, &tot);
	r = table_finish(&t);
out:
	free(tot.drops);
	port_list_free(&l);
	return r;
}

/* ------------------------------------------------------------------ */
/* chassis and encap                                                  */
/* ------------------------------------------------------------------ */

struct chassis_list {
	struct lsdp_chassis_info *v;
	size_t n, cap;
};

static int chassis_collect_cb(struct nl_msg *msg, void *arg)
{
	struct chassis_list *l = arg;

	if (grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)))
		return -ENOMEM;
	if (lsdp_chassis_parse(msg, &l->v[l->n]))
		return 0;	/* not a chassis: skip */
	l->n++;
	return 0;
}

static int cmp_chassis(const void *a, const void *b)
{
	return strcmp(((const struct lsdp_chassis_info *)a)->name,
		      ((const struct lsdp_chassis_info *)b)->name);
}

static void chassis_json(struct json *j, const void *obj)
{
	const struct lsdp_chassis_info *ch = obj;
	char buf[INET6_ADDRSTRLEN];

	json_kv_str(j, "name", ch->name);
	json_kv_str(j, "ip", fmt_addr(&ch->ip, buf, sizeof(buf)));
	json_kv_u64(j, "ports", ch->nports);
}

static void chassis_row(struct table *t, const void *obj)
{
	const struct lsdp_chassis_info *ch = obj;
	char buf[INET6_ADDRSTRLEN], n[16];
	const char *row[3];

	snprintf(n, sizeof(n), "%" PRIu32, ch->nports);
	row[0] = ch->name;
	row[1] = fmt_addr(&ch->ip, buf, sizeof(buf));
	row[2] = n;
	table_row(t, row);
}

static const char *const chassis_hdr[] = { "NAME", "IP", "PORTS" };
static const bool chassis_right[] = { false, false, true };

static const struct list_fmt chassis_fmt = {
	.size = sizeof(struct lsdp_chassis_info), .cmp = cmp_chassis,
	.json = chassis_json, .ncols = ARRAY_SIZE(chassis_hdr),
	.hdr = chassis_hdr, .right = chassis_right, .row = chassis_row,
};

static int chassis_add(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *name, *kw, *v = NULL;
	struct lsdp_addr ip;
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = args_positional(&a, "chassis NAME", &name);
	if (r)
		return r;
	while ((kw = args_next(&a))) {
		if (is_help(kw))
			return CMD_HELP;
		if (strcmp(kw, "ip"))
			return usage_error("unknown argument \"%s\"", kw);
		if (v)
			return usage_error("duplicate \"ip\"");
		if (!(v = args_value(&a, kw)))
			return CMD_FAIL;
		if (!parse_addr(v, &ip))
			return usage_error("invalid address \"%s\"", v);
	}
	if (!v)
		return usage_error("\"ip\" is required");
	msg = new_msg(LSDP_CMD_CHASSIS_NEW, 0);
	if (!msg)
		return CMD_FAIL;
	if (nla_put_string(msg, LSDP_A_CHASSIS_NAME, name) < 0 ||
	    lsdp_put_ip(msg, LSDP_A_CHASSIS_IP, &ip) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

static int chassis_del(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *name = NULL;
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = args_positional(&a, "chassis NAME", &name);
	if (!r)
		r = args_end(&a);
	if (r)
		return r;
	msg = new_msg_str(LSDP_CMD_CHASSIS_DEL, 0, LSDP_A_CHASSIS_NAME, name);
	return msg ? transact(msg) : CMD_FAIL;
}

static int chassis_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct chassis_list l = { 0 };
	const char *name;
	struct nl_msg *msg;
	struct table t;
	int r;

	(void)obj;
	r = args_optional_last(&a, &name);
	if (r)
		return r;
	msg = new_msg_str(LSDP_CMD_CHASSIS_GET, name ? 0 : NLM_F_DUMP,
			  LSDP_A_CHASSIS_NAME, name);
	if (!msg)
		return CMD_FAIL;
	r = request(msg, chassis_collect_cb, &l);
	if (r)
		r = report_nl_error();
	else if (!list_format(&chassis_fmt, l.v, l.n, &t))
		r = table_finish(&t);
	free(l.v);
	return r;
}

static int parse_on_off(struct args *a, const char *kw, int *out)
{
	const char *v = args_value(a, kw);

	if (!v)
		return CMD_FAIL;
	if (!strcmp(v, "on"))
		*out = 1;
	else if (!strcmp(v, "off"))
		*out = 0;
	else
		return usage_error("\"%s\" takes on or off, not \"%s\"", kw, v);
	return CMD_OK;
}

static int encap_set(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *kw, *v, *local = NULL, *dev = NULL;
	int csum = -1, df = -1, r;
	struct lsdp_addr ip;
	uint32_t ifindex = 0;
	struct nl_msg *msg;

	(void)obj;
	while ((kw = args_next(&a))) {
		if (is_help(kw))
			return CMD_HELP;
		if (!strcmp(kw, "local")) {
			if (local)
				return usage_error("duplicate \"local\"");
			if (!(local = args_value(&a, kw)))
				return CMD_FAIL;
			if (!parse_addr(local, &ip))
				return usage_error("invalid address \"%s\"", local);
		} else if (!strcmp(kw, "dev")) {
			if (dev)
				return usage_error("duplicate \"dev\"");
			if (!(dev = v = args_value(&a, kw)))
				return CMD_FAIL;
			if ((r = resolve_dev(v, &ifindex)))
				return r;
		} else if (!strcmp(kw, "csum")) {
			if (csum >= 0)
				return usage_error("duplicate \"csum\"");
			if ((r = parse_on_off(&a, kw, &csum)))
				return r;
		} else if (!strcmp(kw, "df")) {
			if (df >= 0)
				return usage_error("duplicate \"df\"");
			if ((r = parse_on_off(&a, kw, &df)))
				return r;
		} else {
			return usage_error("unknown argument \"%s\"", kw);
		}
	}
	if (!local)
		return usage_error("\"local\" is required");
	msg = new_msg(LSDP_CMD_ENCAP_SET, 0);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_ip(msg, LSDP_A_ENCAP_LOCAL_IP, &ip) < 0 ||
	    (dev && nla_put_u32(msg, LSDP_A_ENCAP_IFINDEX, ifindex) < 0) ||
	    (csum >= 0 && nla_put_u8(msg, LSDP_A_ENCAP_CSUM, (uint8_t)csum) < 0) ||
	    (df >= 0 && nla_put_u8(msg, LSDP_A_ENCAP_DF, (uint8_t)df) < 0))
		return msg_too_big(msg);
	return transact(msg);
}

static int encap_collect_cb(struct nl_msg *msg, void *arg)
{
	struct lsdp_encap_info *e = arg;

	lsdp_encap_info_clear(e);
	return lsdp_encap_parse(msg, e);
}

static int encap_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct lsdp_encap_info e = { 0 };
	char buf[INET6_ADDRSTRLEN];
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = args_end(&a);
	if (r)
		return r;
	msg = new_msg(LSDP_CMD_ENCAP_GET, 0);
	if (!msg)
		return CMD_FAIL;
	r = request(msg, encap_collect_cb, &e);
	if (r) {
		r = report_nl_error();
		goto out;
	}
	if (G.json) {
		struct json j;

		json_init(&j, stdout, G.pretty);
		json_obj_open(&j);
		json_kv_str(&j, "local", e.configured ?
			    fmt_addr(&e.local, buf, sizeof(buf)) : NULL);
		json_kv_str(&j, "dev", e.ifname[0] ? e.ifname : NULL);
		json_kv_u64(&j, "ifindex", e.ifindex);
		json_kv_bool(&j, "csum", e.csum);
		json_kv_bool(&j, "df", e.df);
		json_kv_bool(&j, "owned", e.owned);
		json_stats(&j, &e.stats);
		json_obj_close(&j);
		json_end(&j);
		goto out;
	}
	if (e.configured && e.ifname[0])
		printf("local %s dev %s csum %s df %s\n",
		       fmt_addr(&e.local, buf, sizeof(buf)), e.ifname,
		       e.csum ? "on" : "off", e.df ? "on" : "off");
	else if (e.configured)
		/* No netdev: lsdp's own UDP socket is the endpoint. */
		printf("local %s udp 6081 (lsdp's socket) csum %s df %s\n",
		       fmt_addr(&e.local, buf, sizeof(buf)),
		       e.csum ? "on" : "off", e.df ? "on" : "off");
	else
		printf("local none (no tunnel endpoint: remote ports unreachable)\n");
	printf("tunnel rx %" PRIu64 " packets %" PRIu64 " bytes, tx %" PRIu64
	       " packets %" PRIu64 " bytes\n", e.stats.rx_packets,
	       e.stats.rx_bytes, e.stats.tx_packets, e.stats.tx_bytes);
	print_drops(&e.stats);
out:
	lsdp_encap_info_clear(&e);
	return r;
}

/* ------------------------------------------------------------------ */
/* route                                                              */
/* ------------------------------------------------------------------ */

/*
 * A route's destination: ADDR/LEN with no host bits, ADDR alone (a host
 * route) or "default" (0.0.0.0/0; IPv6 says ::/0).
 */
static int parse_route_prefix(const char *v, struct lsdp_prefix *p)
{
	char buf[LSDP_PREFIX_STRLEN];

	switch (lsdp_prefix_parse(v, p, LSDP_PREFIX_F_NETWORK |
				     LSDP_PREFIX_F_DEFAULT)) {
	case LSDP_PREFIX_OK:
		return CMD_OK;
	case LSDP_PREFIX_BAD_LEN:
		return usage_error("invalid prefix length in \"%s\"", v);
	case LSDP_PREFIX_HOST_BITS:
		return usage_error("prefix \"%s\" has host bits set (network %s)",
				   v, lsdp_prefix_str(p, buf, sizeof(buf)));
	default:
		return usage_error("invalid prefix \"%s\"", v);
	}
}

static int route_add(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *router = NULL, *pfx = NULL, *kw, *v, *port = NULL;
	struct lsdp_addr via;
	struct lsdp_prefix p;
	bool has_via = false;
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = args_positional(&a, "ROUTER", &router);
	if (!r)
		r = args_positional(&a, "PREFIX", &pfx);
	if (r)
		return r;
	if ((r = parse_route_prefix(pfx, &p)))
		return r;
	while ((kw = args_next(&a))) {
		if (is_help(kw))
			return CMD_HELP;
		if (!strcmp(kw, "via")) {
			if (has_via)
				return usage_error("duplicate \"via\"");
			if (!(v = args_value(&a, kw)))
				return CMD_FAIL;
			if (!parse_addr(v, &via))
				return usage_error("invalid address \"%s\"", v);
			if (via.family != p.addr.family)
				return usage_error("\"via %s\" is not of the family of the prefix", v);
			has_via = true;
		} else if (!strcmp(kw, "port")) {
			if (port)
				return usage_error("duplicate \"port\"");
			if (!(port = args_value(&a, kw)))
				return CMD_FAIL;
		} else {
			return usage_error("unknown argument \"%s\"", kw);
		}
	}
	if (!port)
		return usage_error("\"port\" is required");

	msg = new_msg(LSDP_CMD_ROUTE_NEW, 0);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_route(msg, router, &p, has_via ? &via : NULL, port) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

static int route_del(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *router = NULL, *pfx = NULL;
	struct lsdp_prefix p;
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = args_positional(&a, "ROUTER", &router);
	if (!r)
		r = args_positional(&a, "PREFIX", &pfx);
	if (!r)
		r = parse_route_prefix(pfx, &p);
	if (!r)
		r = args_end(&a);
	if (r)
		return r;
	msg = new_msg(LSDP_CMD_ROUTE_DEL, 0);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_route(msg, router, &p, NULL, NULL) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

DEFINE_LIST(route, struct lsdp_route_info, lsdp_route_parse)

static int cmp_addr(const struct lsdp_addr *x, const struct lsdp_addr *y)
{
	if (x->family != y->family)
		return x->family == AF_INET ? -1 : 1;
	return x->family == AF_INET ? memcmp(&x->v4, &y->v4, 4)
				    : memcmp(&x->v6, &y->v6, 16);
}

/* By router, IPv4 first, then by address and longest prefix first. */
static int cmp_route(const void *a, const void *b)
{
	const struct lsdp_route_info *x = a, *y = b;
	int c = strcmp(x->dp, y->dp);

	if (c)
		return c;
	c = cmp_addr(&x->prefix.addr, &y->prefix.addr);
	if (c)
		return c;
	return (x->prefix.plen < y->prefix.plen) - (x->prefix.plen > y->prefix.plen);
}

static void route_json(struct json *j, const void *obj)
{
	const struct lsdp_route_info *rt = obj;
	char pbuf[LSDP_PREFIX_STRLEN], vbuf[INET6_ADDRSTRLEN];

	json_kv_str(j, "router", rt->dp[0] ? rt->dp : NULL);
	json_kv_str(j, "prefix",
		    lsdp_prefix_str(&rt->prefix, pbuf, sizeof(pbuf)));
	json_kv_str(j, "via", rt->has_via ?
		    fmt_addr(&rt->via, vbuf, sizeof(vbuf)) : NULL);
	json_kv_str(j, "port", rt->port[0] ? rt->port : NULL);
	json_kv_bool(j, "connected", rt->connected);
}

static void route_row(struct table *t, const void *obj)
{
	const struct lsdp_route_info *rt = obj;
	char pbuf[LSDP_PREFIX_STRLEN], vbuf[INET6_ADDRSTRLEN];
	const char *row[5];

	row[0] = rt->dp[0] ? rt->dp : NULL;
	row[1] = lsdp_prefix_str(&rt->prefix, pbuf, sizeof(pbuf));
	row[2] = rt->has_via ? fmt_addr(&rt->via, vbuf, sizeof(vbuf)) : NULL;
	row[3] = rt->port[0] ? rt->port : NULL;
	row[4] = rt->connected ? "connected" : "static";
	table_row(t, row);
}

static const char *const route_hdr[] = {
	"ROUTER", "PREFIX", "VIA", "PORT", "TYPE"
};
static const bool route_right[] = { false, false, false, false, false };

static const struct list_fmt route_fmt = {
	.size = sizeof(struct lsdp_route_info), .cmp = cmp_route,
	.json = route_json, .ncols = ARRAY_SIZE(route_hdr), .hdr = route_hdr,
	.right = route_right, .row = route_row,
};

static int route_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct route_list l = { 0 };
	const char *router;
	struct table t;
	int r;

	(void)obj;
	r = args_optional_last(&a, &router);
	if (r)
		return r;
	r = dump_show(LSDP_CMD_ROUTE_GET, LSDP_A_DP_NAME, router,
		      route_collect_cb, &l, route_list_reset);
	if (!r && !list_format(&route_fmt, l.v, l.n, &t))
		table_finish(&t);
	free(l.v);
	return r;
}

/* ------------------------------------------------------------------ */
/* neigh                                                              */
/* ------------------------------------------------------------------ */

static int neigh_add_del(bool add, int argc, char **argv)
{
	struct args a = { argc, argv };
	const char *port = NULL, *addr = NULL, *kw, *v;
	struct lsdp_addr ip;
	struct nl_msg *msg;
	bool has_mac = false;
	uint8_t mac[6];
	int r;

	r = args_positional(&a, "PORT", &port);
	if (!r)
		r = args_positional(&a, "ADDR", &addr);
	if (r)
		return r;
	if (!parse_addr(addr, &ip))
		return usage_error("invalid address \"%s\"", addr);
	while (add && (kw = args_next(&a))) {
		if (is_help(kw))
			return CMD_HELP;
		if (strcmp(kw, "mac"))
			return usage_error("unknown argument \"%s\"", kw);
		if (has_mac)
			return usage_error("duplicate \"mac\"");
		if (!(v = args_value(&a, kw)))
			return CMD_FAIL;
		if (!parse_mac(v, mac))
			return usage_error("invalid MAC address \"%s\"", v);
		has_mac = true;
	}
	if (add && !has_mac)
		return usage_error("\"mac\" is required");
	if (!add && (r = args_end(&a)))
		return r;

	msg = new_msg(add ? LSDP_CMD_NEIGH_NEW : LSDP_CMD_NEIGH_DEL, 0);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_neigh(msg, port, &ip, add ? mac : NULL) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

static int neigh_add(const struct object *obj, int argc, char **argv)
{
	(void)obj;
	return neigh_add_del(true, argc, argv);
}

static int neigh_del(const struct object *obj, int argc, char **argv)
{
	(void)obj;
	return neigh_add_del(false, argc, argv);
}

DEFINE_LIST(neigh, struct lsdp_neigh_info, lsdp_neigh_parse)

static int cmp_neigh(const void *a, const void *b)
{
	const struct lsdp_neigh_info *x = a, *y = b;
	int c = strcmp(x->port, y->port);

	return c ? c : cmp_addr(&x->addr, &y->addr);
}

static const char *fmt_neigh_state(uint8_t state, char *buf, size_t len)
{
	const char *s = lsdp_neigh_state_name(state);

	if (s)
		return s;
	snprintf(buf, len, "state-%u", state);
	return buf;
}

static void neigh_json(struct json *j, const void *obj)
{
	const struct lsdp_neigh_info *ne = obj;
	char abuf[INET6_ADDRSTRLEN], mbuf[24], sbuf[16];

	json_kv_str(j, "port", ne->port);
	json_kv_str(j, "address", fmt_addr(&ne->addr, abuf, sizeof(abuf)));
	if (ne->has_mac) {
		fmt_mac(ne->mac, mbuf, sizeof(mbuf));
		json_kv_str(j, "mac", mbuf);
	} else {
		json_kv_null(j, "mac");
	}
	json_kv_str(j, "state", fmt_neigh_state(ne->state, sbuf, sizeof(sbuf)));
	if (ne->has_age)
		json_kv_u64(j, "age_ms", ne->age_ms);
	else
		json_kv_null(j, "age_ms");
	json_kv_u64(j, "probes", ne->probes);
}

static void neigh_row(struct table *t, const void *obj)
{
	const struct lsdp_neigh_info *ne = obj;
	char abuf[INET6_ADDRSTRLEN], mbuf[24], sbuf[16], age[16], probes[16];
	const char *row[6];

	if (ne->has_mac)
		fmt_mac(ne->mac, mbuf, sizeof(mbuf));
	snprintf(age, sizeof(age), "%" PRIu32, ne->age_ms);
	snprintf(probes, sizeof(probes), "%" PRIu32, ne->probes);
	row[0] = ne->port;
	row[1] = fmt_addr(&ne->addr, abuf, sizeof(abuf));
	row[2] = ne->has_mac ? mbuf : NULL;
	row[3] = fmt_neigh_state(ne->state, sbuf, sizeof(sbuf));
	row[4] = ne->has_age ? age : NULL;
	row[5] = probes;
	table_row(t, row);
}

static const char *const neigh_hdr[] = {
	"PORT", "ADDRESS", "MAC", "STATE", "AGE_MS", "PROBES"
};
static const bool neigh_right[] = { false, false, false, false, true, true };

static const struct list_fmt neigh_fmt = {
	.size = sizeof(struct lsdp_neigh_info), .cmp = cmp_neigh,
	.json = neigh_json, .ncols = ARRAY_SIZE(neigh_hdr), .hdr = neigh_hdr,
	.right = neigh_right, .row = neigh_row,
};

static int neigh_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct neigh_list l = { 0 };
	const char *port;
	struct table t;
	int r;

	(void)obj;
	r = args_optional_last(&a, &port);
	if (r)
		return r;
	r = dump_show(LSDP_CMD_NEIGH_GET, LSDP_A_PORT_NAME, port,
		      neigh_collect_cb, &l, neigh_list_reset);
	if (!r && !list_format(&neigh_fmt, l.v, l.n, &t))
		table_finish(&t);
	free(l.v);
	return r;
}

static int neigh_flush(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct nl_msg *msg;
	const char *port;
	int r;

	(void)obj;
	r = args_optional_last(&a, &port);
	if (r)
		return r;
	msg = new_msg_str(LSDP_CMD_NEIGH_FLUSH, 0, LSDP_A_PORT_NAME, port);
	return msg ? transact(msg) : CMD_FAIL;
}

/* ------------------------------------------------------------------ */
/* hold                                                               */
/* ------------------------------------------------------------------ */

static int hold_set(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct lsdp_hold_limits l = { 0 };
	const char *kw, *v;
	struct nl_msg *msg;
	unsigned int i;

	(void)obj;
	while ((kw = args_next(&a))) {
		if (is_help(kw))
			return CMD_HELP;
		for (i = 0; i < LSDP_HOLD_L_COUNT; i++)
			if (!strcmp(kw, lsdp_hold_limit_descs[i].keyword))
				break;
		if (i == LSDP_HOLD_L_COUNT)
			return usage_error("unknown argument \"%s\"", kw);
		if (l.present & (1u << i))
			return usage_error("duplicate \"%s\"", kw);
		if (!(v = args_value(&a, kw)))
			return CMD_FAIL;
		/* Ranges are the kernel's to check (and to explain). */
		if (!parse_u32_unit(v, lsdp_hold_limit_descs[i].ms ? "ms" : NULL,
				    &l.v[i]))
			return usage_error("invalid %s \"%s\"", kw, v);
		l.present |= 1u << i;
	}
	if (!l.present)
		return usage_error("nothing to change");
	msg = new_msg(LSDP_CMD_HOLD_SET, 0);
	if (!msg)
		return CMD_FAIL;
	if (lsdp_put_hold_limits(msg, &l) < 0)
		return msg_too_big(msg);
	return transact(msg);
}

DEFINE_LIST(held, struct lsdp_held_info, lsdp_held_parse)

static int hold_collect_cb(struct nl_msg *msg, void *arg)
{
	struct lsdp_hold_info *h = arg;

	lsdp_hold_info_clear(h);
	return lsdp_hold_parse(msg, h);
}

/* By port, the unbound-port entry first, then by address. */
static int cmp_held(const void *a, const void *b)
{
	const struct lsdp_held_info *x = a, *y = b;
	int c = strcmp(x->port, y->port);

	if (c)
		return c;
	if (x->has_addr != y->has_addr)
		return x->has_addr ? 1 : -1;
	return x->has_addr ? cmp_addr(&x->addr, &y->addr) : 0;
}

/* Nanoseconds as microseconds, one decimal. */
static const char *fmt_us(uint64_t ns, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64 ".%" PRIu64, ns / 1000, ns % 1000 / 100);
	return buf;
}

static void held_json(struct json *j, const void *obj)
{
	const struct lsdp_held_info *d = obj;
	char abuf[INET6_ADDRSTRLEN];

	json_kv_str(j, "port", d->port);
	json_kv_str(j, "address", d->has_addr ?
		    fmt_addr(&d->addr, abuf, sizeof(abuf)) : NULL);
	json_kv_u64(j, "packets", d->packets);
	json_kv_u64(j, "bytes", d->bytes);
	json_kv_u64(j, "age_ms", d->age_ms);
}

static void held_row(struct table *t, const void *obj)
{
	const struct lsdp_held_info *d = obj;
	char abuf[INET6_ADDRSTRLEN], pk[16], by[16], age[16];
	const char *row[5];

	snprintf(pk, sizeof(pk), "%" PRIu32, d->packets);
	snprintf(by, sizeof(by), "%" PRIu32, d->bytes);
	snprintf(age, sizeof(age), "%" PRIu32, d->age_ms);
	row[0] = d->port;
	row[1] = d->has_addr ? fmt_addr(&d->addr, abuf, sizeof(abuf))
			     : "(unbound port)";
	row[2] = pk;
	row[3] = by;
	row[4] = age;
	table_row(t, row);
}

static const char *const held_hdr[] = {
	"PORT", "DESTINATION", "PACKETS", "BYTES", "AGE_MS"
};
static const bool held_right[] = { false, false, true, true, true };

static const struct list_fmt held_fmt = {
	.size = sizeof(struct lsdp_held_info), .cmp = cmp_held,
	.json = held_json, .ncols = ARRAY_SIZE(held_hdr), .hdr = held_hdr,
	.right = held_right, .row = held_row,
};

static void hold_print_json(const struct lsdp_hold_info *h,
			    const struct held_list *l)
{
	struct json j;
	unsigned int i;

	json_init(&j, stdout, G.pretty);
	json_obj_open(&j);
	json_key(&j, "limits");
	json_obj_open(&j);
	for (i = 0; i < LSDP_HOLD_L_COUNT; i++) {
		if (h->limits.present & (1u << i))
			json_kv_u64(&j, lsdp_hold_limit_descs[i].json, h->limits.v[i]);
		else
			json_kv_null(&j, lsdp_hold_limit_descs[i].json);
	}
	json_obj_close(&j);
	json_key(&j, "counters");
	json_obj_open(&j);
	json_kv_u64(&j, "held", h->stats.rx_packets);
	json_kv_u64(&j, "released", h->stats.tx_packets);
	if (h->has_bytes)
		json_kv_u64(&j, "bytes_held", h->bytes);
	else
		json_kv_null(&j, "bytes_held");
	json_drops(&j, &h->stats);
	json_obj_close(&j);
	json_key(&j, "latency");
	json_obj_open(&j);
	json_kv_u64(&j, "samples", h->lat_samples);
	json_kv_u64(&j, "p50_ns", h->lat_p50_ns);
	json_kv_u64(&j, "p99_ns", h->lat_p99_ns);
	json_kv_u64(&j, "max_ns", h->lat_max_ns);
	json_obj_close(&j);
	if (h->has_neigh_count)
		json_kv_u64(&j, "neighbours", h->neigh_count);
	else
		json_kv_null(&j, "neighbours");
	json_key(&j, "pending");
	list_json(&j, &held_fmt, l->v, l->n);
	json_obj_close(&j);
	json_end(&j);
}

static void hold_print(const struct lsdp_hold_info *h, const struct held_list *l)
{
	char b1[32], b2[32], b3[32];
	struct table t;
	unsigned int i;

	/* The settings, in the words of "hold set"; times in milliseconds. */
	fputs("limits", stdout);
	for (i = 0; i < LSDP_HOLD_L_COUNT; i++)
		if (h->limits.present & (1u << i))
			printf(" %s %" PRIu32 "%s", lsdp_hold_limit_descs[i].keyword,
			       h->limits.v[i], lsdp_hold_limit_descs[i].ms ? "ms" : "");
	fputc('\n', stdout);
	printf("held %" PRIu64 " packets, released %" PRIu64,
	       h->stats.rx_packets, h->stats.tx_packets);
	if (h->has_bytes)
		printf(", %" PRIu32 " bytes held now", h->bytes);
	fputc('\n', stdout);
	print_drops(&h->stats);
	if (h->lat_samples)
		printf("release latency: median %s us, p99 %s us, max %s us (%" PRIu32
		       " samples)\n", fmt_us(h->lat_p50_ns, b1, sizeof(b1)),
		       fmt_us(h->lat_p99_ns, b2, sizeof(b2)),
		       fmt_us(h->lat_max_ns, b3, sizeof(b3)), h->lat_samples);
	else
		printf("release latency: no samples\n");
	if (h->has_neigh_count)
		printf("neighbours %" PRIu32 "\n", h->neigh_count);
	if (!l->n)
		return;

	fputc('\n', stdout);
	list_table(&t, &held_fmt, l->v, l->n);
	table_finish(&t);
}

static int hold_show(const struct object *obj, int argc, char **argv)
{
	struct args a = { argc, argv };
	struct lsdp_hold_info h = { 0 };
	struct held_list l = { 0 };
	struct nl_msg *msg;
	int r;

	(void)obj;
	r = args_end(&a);
	if (r)
		return r;
	msg = new_msg(LSDP_CMD_HOLD_GET, 0);
	if (!msg)
		return CMD_FAIL;
	if (request(msg, hold_collect_cb, &h)) {
		r = report_nl_error();
		goto out;
	}
	r = dump_show(LSDP_CMD_HOLD_GET, 0, NULL, held_collect_cb, &l,
		      held_list_reset);
	if (r)
		goto out;
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), cmp_held);
	if (G.json)
		hold_print_json(&h, &l);
	else
		hold_print(&h, &l);
out:
	lsdp_hold_info_clear(&h);
	free(l.v);
	return r;
}

/* ------------------------------------------------------------------ */
/* Objects                                                            */
/* ------------------------------------------------------------------ */

#define DP_WHERE "where  KEY := 1..16777215 (the Geneve VNI)\n"
#define PORT_WHERE \
	"where  KEY := 1..32767\n" \
	"       TYPE := { vif | router | localnet | remote }\n" \
	"       MAC := xx:xx:xx:xx:xx:xx\n" \
	"       ADDR := an IPv4 or IPv6 address (repeat \"ip\" for more)\n" \
	"       CIDR := ADDR/PREFIXLEN, a router port's network (repeat \"net\")\n" \
	"       PORT := with \"type router\", the router port to patch to;\n" \
	"               with \"parent\", the trunk parent (a vif port)\n" \
	"       VID := 1..4094: \"tag\", a trunk child's VLAN on its parent's\n" \
	"              device; \"vlan\", a localnet port's on the provider network\n"

static const struct cmd switch_cmds[] = {
	{ "add", dp_add, "lsdp switch add NAME key KEY", DP_WHERE },
	{ "del", dp_del, "lsdp switch del NAME", NULL },
	{ "show", dp_show, "lsdp switch show [ NAME ]", NULL },
};

static const struct cmd router_cmds[] = {
	{ "add", dp_add, "lsdp router add NAME key KEY", DP_WHERE },
	{ "del", dp_del, "lsdp router del NAME", NULL },
	{ "show", dp_show, "lsdp router show [ NAME ]", NULL },
};

static const struct cmd port_cmds[] = {
	{ "add", port_add,
	  "lsdp port add DATAPATH NAME key KEY [ type TYPE ] [ mac MAC ]\n"
	  "                     [ ip ADDR ]... [ unknown ] [ security ]\n"
	  "                     [ dev IFNAME | chassis NAME ]\n"
	  "                     [ net CIDR ]... [ peer PORT ]\n"
	  "                     [ parent PORT tag VID ] [ vlan VID ]",
	  PORT_WHERE },
	{ "set", port_set,
	  "lsdp port set NAME [ dev IFNAME | nodev ] [ chassis NAME | nochassis ]\n"
	  "                     [ mac MAC ] [ ip ADDR ]... [ noip ]\n"
	  "                     [ net CIDR ]... [ nonet ]\n"
	  "                     [ unknown | nounknown ] [ security | nosecurity ]\n"
	  "                     [ vlan VID | novlan ]",
	  "where  MAC := xx:xx:xx:xx:xx:xx\n"
	  "       VID := 1..4094, a localnet port's tag on the provider network\n"
	  "       ADDR := an IPv4 or IPv6 address; \"ip\" replaces the list\n"
	  "       CIDR := ADDR/PREFIXLEN of a router port; \"net\" replaces the list\n" },
	{ "del", port_del, "lsdp port del NAME", NULL },
	{ "show", port_show, "lsdp port show [ NAME | DATAPATH ]", NULL },
	{ "announce", port_announce, "lsdp port announce NAME",
	  "where  NAME := a localnet port (all behind it), a router port or its\n"
	  "               patch, or a port bound here, on a switch with a localnet\n"
	  "               port: gratuitous ARP / unsolicited NA, once, now\n" },
};

static const struct cmd chassis_cmds[] = {
	{ "add", chassis_add, "lsdp chassis add NAME ip ADDR",
	  "where  ADDR := the chassis' IPv4 or IPv6 underlay (tunnel) address\n" },
	{ "del", chassis_del, "lsdp chassis del NAME", NULL },
	{ "show", chassis_show, "lsdp chassis show [ NAME ]", NULL },
};

static const struct cmd encap_cmds[] = {
	{ "set", encap_set,
	  "lsdp encap set local ADDR [ dev IFNAME ] [ csum on|off ] [ df on|off ]",
	  "where  ADDR := this chassis' IPv4 or IPv6 underlay address\n"
	  "       IFNAME := a Geneve device in external (collect_md) mode;\n"
	  "                 without it lsdp creates lsdp_gnv0\n" },
	{ "show", encap_show, "lsdp encap show", NULL },
};

#define ROUTE_WHERE \
	"where  PREFIX := ADDR/PREFIXLEN with no host bits, ADDR (a host route),\n" \
	"                 or default (0.0.0.0/0; for IPv6 write ::/0)\n" \
	"       ADDR := the next hop, of the prefix's family; without via the\n" \
	"               destination is on the port's link\n"

static const struct cmd route_cmds[] = {
	{ "add", route_add, "lsdp route add ROUTER PREFIX [ via ADDR ] port PORT",
	  ROUTE_WHERE },
	{ "del", route_del, "lsdp route del ROUTER PREFIX", ROUTE_WHERE },
	{ "show", route_show, "lsdp route show [ ROUTER ]", NULL },
};

#define NEIGH_WHERE \
	"where  PORT := a router port\n" \
	"       ADDR := an IPv4 or IPv6 address\n" \
	"       MAC := xx:xx:xx:xx:xx:xx\n"

static const struct cmd neigh_cmds[] = {
	{ "add", neigh_add, "lsdp neigh add PORT ADDR mac MAC", NEIGH_WHERE },
	{ "del", neigh_del, "lsdp neigh del PORT ADDR", NEIGH_WHERE },
	{ "show", neigh_show, "lsdp neigh show [ PORT ]", NULL },
	{ "flush", neigh_flush, "lsdp neigh flush [ PORT ]", NULL },
};

static const struct cmd hold_cmds[] = {
	{ "show", hold_show, "lsdp hold show", NULL },
	{ "set", hold_set,
	  "lsdp hold set [ dest-bytes N ] [ total-bytes N ] [ retries N ]\n"
	  "                     [ interval MS ] [ unbound-time MS ] [ neigh-max N ]\n"
	  "                     [ reachable MS ] [ stale MS ]",
	  "where  dest-bytes := bytes held per destination, oldest dropped (0: never hold)\n"
	  "       total-bytes := bytes held in the network namespace\n"
	  "       retries := ARP/NS probes before giving up (1..10)\n"
	  "       interval := milliseconds between probes (10..60000)\n"
	  "       unbound-time := milliseconds packets wait for an unbound port\n"
	  "       neigh-max := neighbour table size (1..1048576)\n"
	  "       reachable, stale := milliseconds a binding stays reachable,\n"
	  "                           then stale before it is deleted\n" },
};

static const struct cmd stats_cmds[] = {
	{ "show", stats_show, "lsdp stats show [ PORT | DATAPATH ]", NULL },
};

static const struct object objects[] = {
	{ "switch", LSDP_DP_KIND_SWITCH, switch_cmds, ARRAY_SIZE(switch_cmds),
	  DP_WHERE },
	{ "router", LSDP_DP_KIND_ROUTER, router_cmds, ARRAY_SIZE(router_cmds),
	  DP_WHERE },
	{ "port", 0, port_cmds, ARRAY_SIZE(port_cmds), PORT_WHERE },
	{ "route", 0, route_cmds, ARRAY_SIZE(route_cmds), ROUTE_WHERE },
	{ "neigh", 0, neigh_cmds, ARRAY_SIZE(neigh_cmds), NEIGH_WHERE },
	{ "chassis", 0, chassis_cmds, ARRAY_SIZE(chassis_cmds), NULL },
	{ "encap", 0, encap_cmds, ARRAY_SIZE(encap_cmds), NULL },
	{ "hold", 0, hold_cmds, ARRAY_SIZE(hold_cmds), NULL },
	{ "stats", 0, stats_cmds, ARRAY_SIZE(stats_cmds), NULL },
};

/* Runs one command line (without global options). */
static int run(int argc, char **argv)
{
	const struct object *obj = NULL;
	const struct cmd *cmd = NULL;
	const char *cname;
	size_t i;
	int r;

	cur_obj = NULL;
	cur_cmd = NULL;
	if (argc < 1)
		return usage_error("missing OBJECT");
	if (is_help(argv[0])) {
		fputs(usage_main, stdout);
		return CMD_OK;
	}
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (!strcmp(argv[0], objects[i].name))
			obj = &objects[i];
	if (!obj)
		return usage_error("unknown object \"%s\"", argv[0]);
	cur_obj = obj;
	argc--;
	argv++;

	/* "lsdp port" alone means "lsdp port show", as in iproute2. */
	cname = argc > 0 ? argv[0] : "show";
	if (argc > 0) {
		argc--;
		argv++;
	}
	if (is_help(cname)) {
		print_obj_usage(stdout, obj);
		return CMD_OK;
	}
	for (i = 0; i < obj->ncmds; i++)
		if (!strcmp(cname, obj->cmds[i].name))
			cmd = &obj->cmds[i];
	if (!cmd)
		return usage_error("unknown command \"%s\"", cname);
	cur_cmd = cmd;

	r = cmd->fn(obj, argc, argv);
	if (r == CMD_HELP) {
		print_cmd_usage(stdout, obj, cmd);
		r = CMD_OK;
	}
	return r;
}

/* ------------------------------------------------------------------ */
/* Batch                                                              */
/* ------------------------------------------------------------------ */

/*
 * Splits @line in place into words: blanks separate, '...' and "..."
 * quote, a backslash escapes the next character (outside '...'), and a
 * word starting with # starts a comment.  Returns the number of words or
 * -1 on an unterminated quote.
 */
static int split_line(char *line, char ***argvp, size_t *cap)
{
	char *r = line, *w = line;
	int argc = 0;

	for (;;) {
		char quote = 0;

		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			break;
		if ((size_t)argc + 1 >= *cap) {
			size_t ncap = *cap ? *cap * 2 : 16;
			char **p = realloc(*argvp, ncap * sizeof(*p));

			if (!p)
				return -2;
			*argvp = p;
			*cap = ncap;
		}
		(*argvp)[argc++] = w;
		for (; *r; r++) {
			if (quote) {
				if (*r == quote) {
					quote = 0;
				} else if (*r == '\\' && quote == '"' && r[1]) {
					*w++ = *++r;
				} else {
					*w++ = *r;
				}
			} else if (*r == '\'' || *r == '"') {
				quote = *r;
			} else if (*r == '\\' && r[1]) {
				*w++ = *++r;
			} else if (*r == ' ' || *r == '\t' || *r == '\n' ||
				   *r == '\r') {
				break;
			} else {
				*w++ = *r;
			}
		}
		if (quote)
			return -1;
		if (*r)
			r++;
		*w++ = '\0';
	}
	if (*argvp)
		(*argvp)[argc] = NULL;
	return argc;
}

static int run_batch(const char *file, bool force)
{
	FILE *f = stdin;
	char *line = NULL, **argv = NULL;
	size_t len = 0, cap = 0;
	bool failed = false;

	if (strcmp(file, "-")) {
		f = fopen(file, "r");
		if (!f)
			return error("cannot open \"%s\": %s", file, strerror(errno));
	}
	G.batch = true;
	G.line = 0;
	while (getline(&line, &len, f) >= 0) {
		int argc;

		G.line++;
		argc = split_line(line, &argv, &cap);
		if (argc == 0)
			continue;
		if (argc == -1)
			error("unterminated quote");
		else if (argc < 0)
			error("%s", strerror(ENOMEM));
		else if (argv[0][0] == '-')
			error("options are not allowed in a batch line: \"%s\"",
			      argv[0]);
		else if (run(argc, argv) == CMD_OK)
			continue;
		failed = true;
		if (!force)
			break;
	}
	if (ferror(f)) {
		error("cannot read \"%s\": %s", file, strerror(errno));
		failed = true;
	}
	free(line);
	free(argv);
	if (f != stdin)
		fclose(f);
	G.batch = false;
	return failed ? CMD_FAIL : CMD_OK;
}

/* ------------------------------------------------------------------ */
/* main                                                               */
/* ------------------------------------------------------------------ */

/* -x, -xlong or --xlong. */
static bool opt_is(const char *arg, const char *shrt, const char *lng)
{
	if (!strcmp(arg, shrt))
		return true;
	if (arg[0] == '-' && arg[1] == '-')
		arg++;
	return !strcmp(arg + 1, lng);
}

int main(int argc, char **argv)
{
	const char *batch = NULL;
	bool force = false;
	int r;

	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-') {
		const char *opt = argv[0];

		if (!strcmp(opt, "--")) {
			argc--;
			argv++;
			break;
		} else if (opt_is(opt, "-j", "json")) {
			G.json = true;
		} else if (opt_is(opt, "-p", "pretty")) {
			G.pretty = true;
		} else if (opt_is(opt, "-f", "force")) {
			force = true;
		} else if (opt_is(opt, "-V", "Version") ||
			   !strcmp(opt, "--version")) {
			printf("lsdp %s\n", LSDP_VERSION);
			return 0;
		} else if (opt_is(opt, "-h", "help")) {
			fputs(usage_main, stdout);
			return 0;
		} else if (opt_is(opt, "-n", "netns")) {
			if (argc < 2)
				return usage_error("\"%s\" requires a value", opt);
			G.netns = argv[1];
			argc--;
			argv++;
		} else if (opt_is(opt, "-b", "batch")) {
			if (argc < 2)
				return usage_error("\"%s\" requires a value", opt);
			batch = argv[1];
			argc--;
			argv++;
		} else {
			return usage_error("unknown option \"%s\"", opt);
		}
		argc--;
		argv++;
	}

	if (batch) {
		if (argc > 0)
			r = usage_error("unexpected argument \"%s\" with -b", argv[0]);
		else
			r = run_batch(batch, force);
	} else if (argc == 0) {
		r = usage_error("missing OBJECT");
	} else {
		r = run(argc, argv);
	}

	lsdp_nl_free(G.nl);
	if (fflush(stdout) && r == CMD_OK)
		r = CMD_FAIL;
	return r == CMD_OK ? 0 : 1;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lsdp CLI's own header: what lsdp.c (options, dispatch, batch) and the
 * files of the objects (dp.c, port.c, ...) share.  Not an API: liblsdp
 * (lib/lsdp_nl.h) is that; this is the CLI's inside.
 */
#ifndef LSDP_CLI_H
#define LSDP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lsdp_nl.h"
#include "json.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* What a command handler returns. */
enum {
	CMD_OK = 0,
	CMD_FAIL = 1,	/* error printed */
	CMD_HELP = 2,	/* "help" met: print this command's usage on stdout */
};

/* The global options, and the state one run (or batch) shares. */
struct cli {
	bool json;
	bool pretty;
	const char *netns;
	int netns_state;	/* 0: not entered yet, 1: entered, -1: failed */
	struct lsdp_nl *nl;
	bool batch;
	unsigned long line;	/* batch line being run */
};

extern struct cli G;

/* ---- objects and their commands (the dispatch table of lsdp.c) ---- */

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

extern const struct object switch_object, router_object, port_object,
	route_object, neigh_object, chassis_object, encap_object, hold_object,
	stats_object;

/* lsdp.c: usage */
extern const char usage_main[];
void print_cmd_usage(FILE *f, const struct cmd *cmd);
void print_obj_usage(FILE *f, const struct object *obj);
/* main(), without its name: cli_test runs it with a mock transport. */
int lsdp_main(int argc, char **argv);

/* ---- utils.c: errors ---- */

/* "Error: ..." on stderr (with the batch line); returns CMD_FAIL. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* error(), then (outside batch mode) the usage of what was being typed. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* What usage_error() prints the usage of; set by the dispatcher. */
extern const struct object *cur_obj;
extern const struct cmd *cur_cmd;

/* ---- utils.c: the words of a command line ---- */

struct args {
	int argc;
	char **argv;
};

bool is_help(const char *s);
const char *args_next(struct args *a);
const char *args_value(struct args *a, const char *kw);
int args_positional(struct args *a, const char *what, const char **out);
int args_optional_last(struct args *a, const char **out);
int args_end(struct args *a);

bool parse_u32(const char *s, uint32_t *out);
bool parse_u32_unit(const char *s, const char *unit, uint32_t *out);
bool parse_vid(const char *s, uint32_t *vid);
bool parse_mac(const char *s, uint8_t mac[6]);
bool parse_addr(const char *s, struct lsdp_addr *a);
int resolve_dev(const char *name, uint32_t *ifindex);

/* ---- utils.c: requests ---- */

struct lsdp_nl *nl_get(void);
struct nl_msg *new_msg(uint8_t cmd, int flags);
struct nl_msg *new_msg_str(uint8_t cmd, int flags, int attr,
			   const char *value);
int build_msg(uint8_t cmd, int flags, int attr, const char *value,
	      struct nl_msg **msgp);
int msg_too_big(struct nl_msg *msg);
int request(struct nl_msg *msg, lsdp_nl_cb_t cb, void *arg);
int report_nl_error(void);
int transact(struct nl_msg *msg);
int dump_filtered(uint8_t cmd, int attr, const char *value,
		  lsdp_nl_cb_t cb, void *arg, void (*reset)(void *arg),
		  bool report);
int dump_show(uint8_t cmd, int attr, const char *value, lsdp_nl_cb_t cb,
	      void *arg, void (*reset)(void *arg));

/* ---- utils.c: lists of what a request returned ---- */

int grow(void **v, size_t *cap, size_t n, size_t size);
int cmp_addr(const struct lsdp_addr *x, const struct lsdp_addr *y);

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

/* ---- output.c: tables and JSON ---- */

struct table {
	size_t ncols;
	const char *const *hdr;
	const bool *right;	/* right-align this column (numbers) */
	char **cells;		/* nrows * ncols, owned */
	size_t nrows, cap;
	bool failed;
};

void table_row(struct table *t, const char *const *cells);
void table_print(struct table *t, FILE *f);
void table_free(struct table *t);
int table_finish(struct table *t);

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

void list_json(struct json *j, const struct list_fmt *f, const void *v,
	       size_t n);
void list_table(struct table *t, const struct list_fmt *f, const void *v,
		size_t n);
bool list_format(const struct list_fmt *f, void *v, size_t n,
		 struct table *t);

void fmt_mac(const uint8_t *m, char *buf, size_t len);
const char *fmt_addr(const struct lsdp_addr *a, char *buf, size_t len);

/* ---- what one object's file lends another ---- */

/* dp.c: whether datapath @name exists; 0 or a negative errno. */
int dp_exists(const char *name, bool *found);

/* port.c: the ports "show [ NAME | DATAPATH ]" is about */
struct port_list {
	struct lsdp_port_info *v;
	size_t n, cap;
	const char *dp;		/* keep only ports of this datapath */
};

int ports_for_show(const char *arg, struct port_list *l, const char **dp_out);
void port_list_free(struct port_list *l);
int cmp_port(const void *a, const void *b);

/* stats.c: counters, as stats, encap and hold show them */
void json_stats(struct json *j, const struct lsdp_stats *s);
void json_drops(struct json *j, const struct lsdp_stats *s);
void print_drops(const struct lsdp_stats *s);

#endif /* LSDP_CLI_H */

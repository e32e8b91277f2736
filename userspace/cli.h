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
struct view;
struct cmd {
	const char *name;
	int (*fn)(const struct object *obj, int argc, char **argv);
	uint8_t req;		/* the request it sends (LSDP_CMD_*) */
	const char *synopsis;	/* lines after "Usage: " / "       " */
	const char *where;	/* "where" lines of this command, or NULL */
};

struct object {
	const char *name;
	uint8_t kind;		/* datapath kind of switch/router */
	const struct cmd *cmds;
	size_t ncmds;
	const char *where;	/* extra "where" lines, or NULL */
	/* What the shared handlers (name_request, show_list) need: */
	int name_attr;		/* the attribute of its NAME */
	int filter_attr;	/* "show FILTER"'s, a dump's filter */
	const struct view *view;	/* how "show" prints it */
	/* An object with no COMMAND word: this takes every word after it. */
	const struct cmd *all;
};

/* Handlers several objects share; the request is the command's @req. */
/* "OBJECT CMD NAME": a change carrying only the object's NAME. */
int name_request(const struct object *obj, int argc, char **argv);
/*
 * "OBJECT show [ FILTER ]": a dump (filtered by @filter_attr), printed by
 * @view; a FILTER that is the object's own NAME asks for that one (a doit).
 */
int show_list(const struct object *obj, int argc, char **argv);

/* The handlers of lsdp.c's table, in the files of their objects. */
int dp_add(const struct object *obj, int argc, char **argv);
int dp_del(const struct object *obj, int argc, char **argv);
int dp_show(const struct object *obj, int argc, char **argv);
int port_change(const struct object *obj, int argc, char **argv);
int port_show(const struct object *obj, int argc, char **argv);
int route_add(const struct object *obj, int argc, char **argv);
int route_del(const struct object *obj, int argc, char **argv);
int nat_add(const struct object *obj, int argc, char **argv);
int nat_del(const struct object *obj, int argc, char **argv);
int neigh_change(const struct object *obj, int argc, char **argv);
int neigh_flush(const struct object *obj, int argc, char **argv);
int chassis_add(const struct object *obj, int argc, char **argv);
int encap_set(const struct object *obj, int argc, char **argv);
int encap_show(const struct object *obj, int argc, char **argv);
int hold_show(const struct object *obj, int argc, char **argv);
int hold_set(const struct object *obj, int argc, char **argv);
int stats_show(const struct object *obj, int argc, char **argv);
int acl_change(const struct object *obj, int argc, char **argv);
int acl_show(const struct object *obj, int argc, char **argv);
int pg_change(const struct object *obj, int argc, char **argv);
int as_add(const struct object *obj, int argc, char **argv);
int as_member(const struct object *obj, int argc, char **argv);
int monitor_run(const struct object *obj, int argc, char **argv);
int trace_run(const struct object *obj, int argc, char **argv);

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
const char *args_once(struct args *a, const char *kw, bool *seen);
int args_unknown(const char *kw);
const char *args_addr(struct args *a, const char *kw, bool *seen,
		      struct lsdp_addr *ip);
int args_positional(struct args *a, const char *what, const char **out);
int args_optional_last(struct args *a, const char **out);
int args_end(struct args *a);

bool parse_u32(const char *s, uint32_t *out);
bool parse_u32_unit(const char *s, const char *unit, uint32_t *out);
bool parse_vid(const char *s, uint32_t *vid);
bool parse_mac(const char *s, uint8_t mac[6]);
bool parse_addr(const char *s, struct lsdp_addr *a);
int parse_network(const char *v, struct lsdp_prefix *p, unsigned int flags,
		  const char *net, const char *what);
int resolve_dev(const char *name, uint32_t *ifindex);

/* ---- utils.c: requests ---- */

struct lsdp_nl *nl_get(void);
/*
 * A request's room, headers included, unless it asks for more: every
 * command but a port's fits it.  Small, since it is zeroed per request
 * (one per line of a batch).
 */
#define CLI_MSG_SIZE	2048
struct nl_msg *new_msg(uint8_t cmd, int flags);
struct nl_msg *new_msg_size(uint8_t cmd, int flags, size_t size);
struct nl_msg *new_msg_str(uint8_t cmd, int flags, int attr,
			   const char *value);
/* new_msg(), after the error that keyword @kw is required unless @has. */
struct nl_msg *new_msg_needs(bool has, const char *kw, uint8_t cmd);
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
/* A doit of @cmd (with @attr = @value if set), each reply to @cb: CMD_*. */
int get_show(uint8_t cmd, int attr, const char *value, lsdp_nl_cb_t cb,
	     void *arg);
/* "OBJECT show" of no argument: @cmd's one reply, to @cb with @arg. */
int show_one(int argc, char **argv, uint8_t cmd, lsdp_nl_cb_t cb, void *arg);

/* ---- utils.c: lists of what a request returned ---- */

int grow(void **v, size_t *cap, size_t n, size_t size);
int cmp_addr(const struct lsdp_addr *x, const struct lsdp_addr *y);

/* A growing array of what a request's replies held. */
struct list {
	void *v;
	size_t n, cap;
	/* Set when the objects own memory: list_reset() frees it. */
	size_t size;
	void (*release)(void *obj);
};

/* Room for one more object of @size at the end of @l; NULL: no memory. */
void *list_slot(struct list *l, size_t size);
/*
 * Empties @l (a struct list) before a dump is tried again, releasing what
 * its objects own.
 */
void list_reset(void *arg);

/*
 * NAME_collect_cb(), a request callback appending each reply to a struct
 * list as a @type that @parse reads from it (a reply it cannot read fails
 * the request).
 */
#define DEFINE_COLLECT(name, type, parse)				\
static int name##_collect_cb(struct nl_msg *msg, void *arg)		\
{									\
	struct list *l = arg;						\
	type *obj = list_slot(l, sizeof(type));				\
	int err = obj ? parse(msg, obj) : -ENOMEM;			\
									\
	if (!err)							\
		l->n++;							\
	return err;							\
}

/* ---- output.c: one description per field, for the table and the JSON ---- */

/* Where a field's printer writes: a JSON member, or a table cell. */
struct out;

enum field_kind {
	FK_FN,		/* @fn prints it */
	FK_STR,		/* char[] at @off: a string, "" as it is */
	FK_NAME,	/* char[] at @off: a string, "" as null (table: "-") */
	FK_U32,		/* uint32_t at @off */
	FK_U64,		/* uint64_t at @off */
	FK_FLAG,	/* bool at @off: true/false; in the table @key if true */
	FK_MAC,		/* uint8_t[6] at @off */
	FK_ADDR,	/* struct lsdp_addr at @off */
	FK_ENUM,	/* uint8_t at @off: @names' name, "@prefix-N", 0 null */
	FK_NEST,	/* the fields @sub of the struct at @off, in line */
};

struct field_set {
	const struct field *v;
	size_t n;
};

/*
 * A field of an object that a show prints, described once.  In JSON it
 * is the member @key (no member if NULL).  In the table it is column @col
 * (none if negative), headed @hdr and right-aligned if @right; more fields
 * may add to one column (the first names it), their text ','-separated,
 * like a list's items; an empty cell prints as "-".  The columns of an
 * FK_NEST field's @sub count from its @col.  With @has_cond, the field
 * is null (no text) unless the bool at @cond is true.
 */
struct field {
	const char *key;
	const char *hdr;
	int col;
	bool right;
	enum field_kind kind;
	size_t off;
	bool has_cond;
	size_t cond;
	void (*fn)(struct out *o, const void *obj);
	const struct field_set *sub;
	const char *(*names)(unsigned int v);
	const char *prefix;
};

/*
 * Initialisers of struct field, for a table of fields of FIELD_TYPE:
 *	{ COL("key", "KEY", 1), AT(FK_U32, key), RIGHT },
 */
#define COL(k, h, c)	.key = (k), .hdr = (h), .col = (c)
#define AT(kind_, m)	.kind = (kind_), .off = offsetof(FIELD_TYPE, m)
#define FN(f)		.kind = FK_FN, .fn = (f)
#define NEST(m, s)	.kind = FK_NEST, .off = offsetof(FIELD_TYPE, m), .sub = (s)
#define ENUM(m, f, p)	AT(FK_ENUM, m), .names = (f), .prefix = (p)
#define IF(m)		.has_cond = true, .cond = offsetof(FIELD_TYPE, m)
#define RIGHT		.right = true
#define FIELD_SET(a)	{ (a), ARRAY_SIZE(a) }

/*
 * The writers of a field's printer (FK_FN).  Each writes one JSON value
 * (the member's, or a list's item) or adds one item to the table cell.
 */
void out_str(struct out *o, const char *s);	/* NULL: null, no text */
void out_u64(struct out *o, uint64_t v);
void out_bool(struct out *o, bool v, const char *text);	/* text: the table's */
void out_null(struct out *o);			/* table: nothing */
void out_mac(struct out *o, const uint8_t *mac);	/* NULL: null */
void out_addr(struct out *o, const struct lsdp_addr *a);	/* NULL: null */
/* Table only: text appended to the cell as it is (no ','). */
void out_text(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* JSON only: this member's name instead of the field's key. */
void out_key(struct out *o, const char *key);
/* A JSON array; its items are the table cell's ','-separated items. */
void out_list_open(struct out *o);
void out_list_close(struct out *o);
/* A JSON object of counts (out_count): NAME:COUNT items, non-zero only. */
void out_map_open(struct out *o);
void out_map_close(struct out *o);
void out_count(struct out *o, const char *name, uint64_t v);

/* How a list of objects prints: sorted, then as a JSON array or a table. */
struct view {
	size_t size;					/* of one object */
	int (*cmp)(const void *a, const void *b);	/* the order */
	struct field_set fields;
	lsdp_nl_cb_t collect;	/* show_list's: appends a reply to a list */
	void (*release)(void *obj);	/* frees what one object owns */
};

#define VIEW_OWNING(type, cmp, fields, collect, release) \
	{ sizeof(type), (cmp), FIELD_SET(fields), (collect), (release) }
#define VIEW(type, cmp, fields, collect) \
	VIEW_OWNING(type, cmp, fields, collect, NULL)

#define TABLE_MAX_COLS 16

struct table {
	size_t ncols;
	const char *hdr[TABLE_MAX_COLS];
	bool right[TABLE_MAX_COLS];	/* right-align this column (numbers) */
	char **cells;			/* nrows * ncols, owned */
	size_t nrows, cap;
	bool failed;
};

void table_init(struct table *t, const struct view *v);
void table_add(struct table *t, const struct view *v, const void *obj);
void table_print(struct table *t, FILE *f);
void table_free(struct table *t);
int table_finish(struct table *t);

/* The members of @obj, into the JSON object being written. */
void fields_json(struct json *j, const struct field_set *fs, const void *obj);
void list_json(struct json *j, const struct view *v, const void *objs,
	       size_t n);
void list_table(struct table *t, const struct view *v, const void *objs,
		size_t n);
bool list_format(const struct view *v, void *objs, size_t n,
		 struct table *t);

/* The views of the objects whose "show" is show_list(). */
extern const struct view route_view, neigh_view, chassis_view;
extern const struct view pg_view, as_view;
extern const struct view nat_view;

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

int ports_for_show(int argc, char **argv, struct port_list *l,
		   const char **dp_out);
void port_list_free(struct port_list *l);
int cmp_port(const void *a, const void *b);

/* stats.c: counters, as stats, encap and hold show them */
extern const struct field_set stats_counters;	/* of struct lsdp_stats */
void json_drops(struct json *j, const struct lsdp_stats *s);
void print_drops(const struct lsdp_stats *s);

#endif /* LSDP_CLI_H */

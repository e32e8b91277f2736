// SPDX-License-Identifier: GPL-2.0
/*
 * lsdp CLI: how every show prints.  An object's fields are described once
 * (struct field, in the object's file); the same description writes the
 * JSON members and the table cells, the way iproute2 prints each field
 * once with PRINT_ANY.  A field's printer calls the out_*() writers below,
 * which write JSON when the output is JSON and add to the field's table
 * cell when it is a table.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A table cell being written: a growing string. */
struct cell {
	char *s;
	size_t len, cap;
};

/* Where the field being printed goes: a JSON member, or a table cell. */
struct out {
	struct json *j;		/* NULL: a table cell */
	const char *key;	/* JSON: the member's name, not written yet */
	struct cell *cell;	/* table: the field's column */
	bool *failed;		/* table: out of memory */
};

/* ------------------------------------------------------------------ */
/* Writers, called by the fields' printers                            */
/* ------------------------------------------------------------------ */

/* The member's name, before its value (none inside a list or map). */
static void put_key(struct out *o)
{
	if (o->key) {
		json_key(o->j, o->key);
		o->key = NULL;
	}
}

/* Appends @n bytes of @s to the cell. */
static void cell_add(struct out *o, const char *s, size_t n)
{
	struct cell *c = o->cell;

	if (c->len + n + 1 > c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 32;
		char *p;

		while (ncap < c->len + n + 1)
			ncap *= 2;
		p = realloc(c->s, ncap);
		if (!p) {
			*o->failed = true;
			return;
		}
		c->s = p;
		c->cap = ncap;
	}
	memcpy(c->s + c->len, s, n);
	c->len += n;
	c->s[c->len] = '\0';
}

/* One more item of the cell: after a ',' unless it is the first. */
static void cell_item(struct out *o, const char *s)
{
	if (o->cell->len)
		cell_add(o, ",", 1);
	cell_add(o, s, strlen(s));
}

void out_key(struct out *o, const char *key)
{
	if (o->j)
		o->key = key;
}

void out_str(struct out *o, const char *s)
{
	if (!o->j) {
		if (s)
			cell_item(o, s);
		return;
	}
	put_key(o);
	if (s)
		json_str(o->j, s);
	else
		json_null(o->j);
}

void out_u64(struct out *o, uint64_t v)
{
	char buf[24];

	if (!o->j) {
		snprintf(buf, sizeof(buf), "%" PRIu64, v);
		cell_item(o, buf);
		return;
	}
	put_key(o);
	json_u64(o->j, v);
}

void out_bool(struct out *o, bool v, const char *text)
{
	if (!o->j) {
		if (text)
			cell_item(o, text);
		return;
	}
	put_key(o);
	json_bool(o->j, v);
}

void out_null(struct out *o)
{
	if (o->j) {
		put_key(o);
		json_null(o->j);
	}
}

void out_text(struct out *o, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	if (o->j)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		cell_add(o, buf, (size_t)n < sizeof(buf) ? (size_t)n
							 : sizeof(buf) - 1);
}

/* A JSON array or object opens or closes; nothing of a table's. */
static void json_bracket(struct out *o, void (*bracket)(struct json *j),
			 bool open)
{
	if (!o->j)
		return;
	if (open)
		put_key(o);
	bracket(o->j);
}

void out_list_open(struct out *o)
{
	json_bracket(o, json_arr_open, true);
}

void out_list_close(struct out *o)
{
	json_bracket(o, json_arr_close, false);
}

void out_map_open(struct out *o)
{
	json_bracket(o, json_obj_open, true);
}

void out_map_close(struct out *o)
{
	json_bracket(o, json_obj_close, false);
}

void out_count(struct out *o, const char *name, uint64_t v)
{
	char buf[96];

	if (o->j) {
		json_kv_u64(o->j, name, v);
	} else if (v) {
		snprintf(buf, sizeof(buf), "%s:%" PRIu64, name, v);
		cell_item(o, buf);
	}
}

void out_mac(struct out *o, const uint8_t *mac)
{
	char buf[24];

	if (!mac) {
		out_null(o);
		return;
	}
	fmt_mac(mac, buf, sizeof(buf));
	out_str(o, buf);
}

void out_addr(struct out *o, const struct lsdp_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (a)
		out_str(o, fmt_addr(a, buf, sizeof(buf)));
	else
		out_null(o);
}

/* ------------------------------------------------------------------ */
/* Fields                                                             */
/* ------------------------------------------------------------------ */

static const void *member(const void *obj, const struct field *f)
{
	return (const char *)obj + f->off;
}

/* An FK_ENUM's value: its name, "prefix-N" for one unknown here. */
static void put_enum(struct out *o, const struct field *f, unsigned int v)
{
	const char *s = f->names(v);
	char buf[32];

	if (!s && v) {
		snprintf(buf, sizeof(buf), "%s-%u", f->prefix, v);
		s = buf;
	}
	out_str(o, s);
}

/* Prints field @f of @obj, not nested, through @o. */
static void put_field(struct out *o, const struct field *f, const void *obj)
{
	const char *s;
	bool b;

	if (f->has_cond && !*(const bool *)((const char *)obj + f->cond)) {
		out_null(o);
		return;
	}
	switch (f->kind) {
	case FK_FN:
		f->fn(o, obj);
		break;
	case FK_STR:
		out_str(o, member(obj, f));
		break;
	case FK_NAME:
		s = member(obj, f);
		out_str(o, s[0] ? s : NULL);
		break;
	case FK_U32:
		out_u64(o, *(const uint32_t *)member(obj, f));
		break;
	case FK_U64:
		out_u64(o, *(const uint64_t *)member(obj, f));
		break;
	case FK_FLAG:
		b = *(const bool *)member(obj, f);
		out_bool(o, b, b ? f->key : NULL);
		break;
	case FK_MAC:
		out_mac(o, member(obj, f));
		break;
	case FK_ADDR:
		out_addr(o, member(obj, f));
		break;
	case FK_ENUM:
		put_enum(o, f, *(const uint8_t *)member(obj, f));
		break;
	case FK_NEST:
		break;
	}
}

void fields_json(struct json *j, const struct field_set *fs, const void *obj)
{
	struct out o = { .j = j };
	size_t i;

	for (i = 0; i < fs->n; i++) {
		const struct field *f = &fs->v[i];

		if (f->kind == FK_NEST) {
			fields_json(j, f->sub, member(obj, f));
		} else if (f->key) {
			o.key = f->key;
			put_field(&o, f, obj);
		}
	}
}

/* The cells of @obj's row: each field adds to column @base + its col. */
static void fields_cells(struct cell *cells, bool *failed,
			 const struct field_set *fs, int base, const void *obj)
{
	struct out o = { .failed = failed };
	size_t i;

	for (i = 0; i < fs->n; i++) {
		const struct field *f = &fs->v[i];

		if (f->col < 0 || base + f->col >= TABLE_MAX_COLS)
			continue;
		if (f->kind == FK_NEST) {
			fields_cells(cells, failed, f->sub, base + f->col,
				     member(obj, f));
			continue;
		}
		o.cell = &cells[base + f->col];
		put_field(&o, f, obj);
	}
}

/* The header: each column's first field names (and aligns) it. */
static void fields_header(struct table *t, const struct field_set *fs,
			  int base)
{
	size_t i, c;

	for (i = 0; i < fs->n; i++) {
		const struct field *f = &fs->v[i];

		if (f->col < 0)
			continue;
		c = (size_t)(base + f->col);
		if (f->kind == FK_NEST) {
			fields_header(t, f->sub, (int)c);
			continue;
		}
		if (c >= TABLE_MAX_COLS || !f->hdr || t->hdr[c])
			continue;
		t->hdr[c] = f->hdr;
		t->right[c] = f->right;
		if (c + 1 > t->ncols)
			t->ncols = c + 1;
	}
}

/* ------------------------------------------------------------------ */
/* Text tables                                                        */
/* ------------------------------------------------------------------ */

void table_init(struct table *t, const struct view *v)
{
	memset(t, 0, sizeof(*t));
	fields_header(t, &v->fields, 0);
}

/* Appends the row of @obj; an empty cell prints as "-". */
void table_add(struct table *t, const struct view *v, const void *obj)
{
	struct cell cells[TABLE_MAX_COLS] = { { 0 } };
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
	fields_cells(cells, &t->failed, &v->fields, 0, obj);
	for (i = 0; i < t->ncols; i++) {
		char *s = cells[i].len ? cells[i].s : strdup("-");

		if (!s)
			t->failed = true;
		else if (s != cells[i].s)
			free(cells[i].s);
		t->cells[t->nrows * t->ncols + i] = s;
	}
	t->nrows++;
}

void table_print(struct table *t, FILE *f)
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

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

/* Prints @t, or the error that left it incomplete; frees it. */
int table_finish(struct table *t)
{
	int r = CMD_OK;

	if (t->failed)
		r = error("%s", strerror(ENOMEM));
	else
		table_print(t, stdout);
	table_free(t);
	return r;
}

/* The @n objects at @objs, as a JSON array of objects. */
void list_json(struct json *j, const struct view *v, const void *objs,
	       size_t n)
{
	size_t i;

	json_arr_open(j);
	for (i = 0; i < n; i++) {
		json_obj_open(j);
		fields_json(j, &v->fields, (const char *)objs + i * v->size);
		json_obj_close(j);
	}
	json_arr_close(j);
}

/* The @n objects at @objs, as the rows of @t. */
void list_table(struct table *t, const struct view *v, const void *objs,
		size_t n)
{
	size_t i;

	table_init(t, v);
	for (i = 0; i < n; i++)
		table_add(t, v, (const char *)objs + i * v->size);
}

/*
 * Sorts the @n objects at @objs; with -j prints them as a JSON array and
 * returns true, else fills @t with their rows for the caller to print.
 */
bool list_format(const struct view *v, void *objs, size_t n,
		 struct table *t)
{
	struct json j;

	if (n > 1)
		qsort(objs, n, v->size, v->cmp);
	if (!G.json) {
		list_table(t, v, objs, n);
		return false;
	}
	json_init(&j, stdout, G.pretty);
	list_json(&j, v, objs, n);
	json_end(&j);
	return true;
}

int show_list(const struct object *obj, int argc, char **argv)
{
	const struct view *v = obj->view;
	uint8_t cmd = cur_cmd->req;
	int attr = obj->filter_attr;
	struct args a = { argc, argv };
	struct list l = { .size = v->size, .release = v->release };
	const char *filter;
	struct table t;
	int r;

	r = args_optional_last(&a, &filter);
	if (r)
		return r;
	if (filter && attr == obj->name_attr)
		r = get_show(cmd, attr, filter, v->collect, &l);
	else
		r = dump_show(cmd, attr, filter, v->collect, &l, list_reset);
	if (!r && !list_format(v, l.v, l.n, &t))
		r = table_finish(&t);
	list_reset(&l);
	free(l.v);
	return r;
}

/* ------------------------------------------------------------------ */
/* Formatting helpers                                                 */
/* ------------------------------------------------------------------ */

void fmt_mac(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
}

const char *fmt_addr(const struct lsdp_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family, a->family == AF_INET ? (const void *)&a->v4
						       : (const void *)&a->v6,
		       buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

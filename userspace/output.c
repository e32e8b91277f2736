// SPDX-License-Identifier: GPL-2.0
/* lsdp CLI: tables and JSON: how every show prints. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ------------------------------------------------------------------ */
/* Text tables                                                        */
/* ------------------------------------------------------------------ */

static void table_init(struct table *t, size_t ncols, const char *const *hdr,
		       const bool *right)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->hdr = hdr;
	t->right = right;
}

/* Appends a row of @ncols strings (copied); NULL cells print as "-". */
void table_row(struct table *t, const char *const *cells)
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

void list_json(struct json *j, const struct list_fmt *f, const void *v,
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

void list_table(struct table *t, const struct list_fmt *f,
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
bool list_format(const struct list_fmt *f, void *v, size_t n,
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

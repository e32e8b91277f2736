/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * A small streaming JSON writer: commas, nesting, string escaping and
 * (optionally) indentation are its business, the order of keys the
 * caller's.  Output is compact ({"a":1,"b":[1,2]}) or pretty (four spaces
 * per level, "key": value), and json_end() adds the final newline.
 */
#ifndef LSDP_JSON_H
#define LSDP_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
	FILE *f;
	bool pretty;
	int depth;
	bool after_key;			/* a key was written, its value is next */
	bool nonempty[JSON_MAX_DEPTH];	/* the container at that depth has items */
};

void json_init(struct json *j, FILE *f, bool pretty);
void json_obj_open(struct json *j);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j);
void json_arr_close(struct json *j);
void json_key(struct json *j, const char *key);

void json_str(struct json *j, const char *s);
void json_u64(struct json *j, uint64_t v);
void json_i64(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* key + value shorthands, for inside an object */
void json_kv_str(struct json *j, const char *key, const char *s);	/* NULL -> null */
void json_kv_u64(struct json *j, const char *key, uint64_t v);
void json_kv_i64(struct json *j, const char *key, int64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);
void json_kv_null(struct json *j, const char *key);

/* Ends the document: a newline and a flush. */
void json_end(struct json *j);

/* Writes @s as a JSON string literal, quotes included. */
void json_write_string(FILE *f, const char *s);

#endif /* LSDP_JSON_H */

// SPDX-License-Identifier: GPL-2.0
/* Unit test of the JSON writer (lib/json.c).  Prints TAP, exits 0/1. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static int n, failed;

static void check(const char *name, const char *got, const char *want)
{
	n++;
	if (!strcmp(got, want)) {
		printf("ok %d %s\n", n, name);
		return;
	}
	failed++;
	printf("not ok %d %s\n# want: %s\n# got:  %s\n", n, name, want, got);
}

/* The shape `lsdp -j port show` prints. */
static void port_doc(struct json *j)
{
	json_arr_open(j);
	json_obj_open(j);
	json_kv_str(j, "name", "p1");
	json_kv_u64(j, "key", 1);
	json_kv_str(j, "mac", NULL);
	json_key(j, "addresses");
	json_arr_open(j);
	json_str(j, "10.0.0.1");
	json_str(j, "fd00::1");
	json_arr_close(j);
	json_kv_bool(j, "unknown", true);
	json_kv_bool(j, "security", false);
	json_key(j, "drops");
	json_obj_open(j);
	json_obj_close(j);
	json_kv_i64(j, "neg", -5);
	json_obj_close(j);
	json_obj_open(j);
	json_kv_u64(j, "big", 18446744073709551615ULL);
	json_obj_close(j);
	json_arr_close(j);
	json_end(j);
}

static char *render(void (*fn)(struct json *), int pretty)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f, pretty);
	fn(&j);
	fclose(f);
	return buf;
}

static void empty_doc(struct json *j)
{
	json_arr_open(j);
	json_arr_close(j);
	json_end(j);
}

static void escape_doc(struct json *j)
{
	json_obj_open(j);
	json_kv_str(j, "k\"ey", "a\"b\\c\nd\te\x01" "f\x7f/\xc3\xa9");
	json_obj_close(j);
	json_end(j);
}

static void nested_empty_doc(struct json *j)
{
	json_obj_open(j);
	json_key(j, "a");
	json_arr_open(j);
	json_arr_close(j);
	json_key(j, "o");
	json_obj_open(j);
	json_obj_close(j);
	json_kv_null(j, "n");
	json_obj_close(j);
	json_end(j);
}

int main(void)
{
	char *s;

	s = render(port_doc, 0);
	check("compact",
	      s,
	      "[{\"name\":\"p1\",\"key\":1,\"mac\":null,"
	      "\"addresses\":[\"10.0.0.1\",\"fd00::1\"],\"unknown\":true,"
	      "\"security\":false,\"drops\":{},\"neg\":-5},"
	      "{\"big\":18446744073709551615}]\n");
	free(s);

	s = render(port_doc, 1);
	check("pretty",
	      s,
	      "[\n"
	      "    {\n"
	      "        \"name\": \"p1\",\n"
	      "        \"key\": 1,\n"
	      "        \"mac\": null,\n"
	      "        \"addresses\": [\n"
	      "            \"10.0.0.1\",\n"
	      "            \"fd00::1\"\n"
	      "        ],\n"
	      "        \"unknown\": true,\n"
	      "        \"security\": false,\n"
	      "        \"drops\": {},\n"
	      "        \"neg\": -5\n"
	      "    },\n"
	      "    {\n"
	      "        \"big\": 18446744073709551615\n"
	      "    }\n"
	      "]\n");
	free(s);

	s = render(empty_doc, 0);
	check("empty array compact", s, "[]\n");
	free(s);
	s = render(empty_doc, 1);
	check("empty array pretty", s, "[]\n");
	free(s);

	s = render(escape_doc, 0);
	check("escaping", s,
	      "{\"k\\\"ey\":\"a\\\"b\\\\c\\nd\\te\\u0001f\\u007f/\xc3\xa9\"}\n");
	free(s);

	s = render(nested_empty_doc, 1);
	check("pretty nested empty", s,
	      "{\n    \"a\": [],\n    \"o\": {},\n    \"n\": null\n}\n");
	free(s);

	printf("1..%d\n", n);
	return failed ? 1 : 0;
}

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
 *
 * This file: the options, the table of objects and their commands, batch
 * mode and main().  Each object's commands live in its own file (dp.c,
 * port.c, ...); utils.c holds what they share to parse and to ask, and
 * output.c how they print.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef LSDP_VERSION
#define LSDP_VERSION "0.1.0"
#endif

struct cli G;

/* ------------------------------------------------------------------ */
/* Usage                                                              */
/* ------------------------------------------------------------------ */

const char usage_main[] =
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

void print_cmd_usage(FILE *f, const struct cmd *cmd)
{
	print_synopsis(f, "Usage: ", cmd->synopsis);
	if (cmd->where)
		fputs(cmd->where, f);
}

void print_obj_usage(FILE *f, const struct object *obj)
{
	size_t i;

	for (i = 0; i < obj->ncmds; i++)
		print_synopsis(f, i ? "       " : "Usage: ", obj->cmds[i].synopsis);
	if (obj->where)
		fputs(obj->where, f);
}

/* ------------------------------------------------------------------ */
/* Objects                                                            */
/* ------------------------------------------------------------------ */

/* Each names its commands (and their usage) in its own file. */
static const struct object *const objects[] = {
	&switch_object, &router_object, &port_object, &route_object,
	&neigh_object, &chassis_object, &encap_object, &hold_object,
	&stats_object,
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
		if (!strcmp(argv[0], objects[i]->name))
			obj = objects[i];
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
		print_cmd_usage(stdout, cmd);
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

int lsdp_main(int argc, char **argv)
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

#ifndef LSDP_NO_MAIN
int main(int argc, char **argv)
{
	return lsdp_main(argc, argv);
}
#endif

/*
 * The xenstore CLI (pvx/xs_cli.h): one table of commands, one file per
 * group of verbs, unambiguous-prefix lookup, `help [verb]`. Output and
 * option letters follow Xen's xenstore-* tools so scripts carry over.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/xs_cli.h>

#include "cli.h"

static const struct xs_cli_cmd cmds[] = {
	{ "chmod", xs_cmd_chmod, "set a node's permissions",
	  "chmod [-r] [-u] path perm...   (perm: n|r|w|b<domid>; -r children, -u parents)" },
	{ "control", xs_cmd_control, "ask pvxstored itself",
	  "control check|memreport|quota|help" },
	{ "exists", xs_cmd_exists, "exit 0 if every path exists", "exists path..." },
	{ "list", xs_cmd_list, "list a node's children", "list [-p] path..." },
	{ "ls", xs_cmd_ls, "show a subtree (xenstore-ls format)",
	  "ls [-f] [-p] [path]   (-f full paths, -p permissions)" },
	{ "mkdir", xs_cmd_mkdir, "create nodes", "mkdir path..." },
	{ "read", xs_cmd_read, "print values", "read [-p] [-R] path...   (-p prefix path, -R raw)" },
	{ "rm", xs_cmd_rm, "remove subtrees", "rm [-t] path...   (-t also empty parents)" },
	{ "watch", xs_cmd_watch, "print the path of every change",
	  "watch [-r] [-d depth] [-n count] path...   (-r whole subtree, the default)" },
	{ "write", xs_cmd_write, "write values", "write path value [path value...]" },
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static const struct xs_cli_cmd *lookup(const char *verb)
{
	const struct xs_cli_cmd *hit = NULL;
	size_t i, n = strlen(verb);

	for (i = 0; i < NCMDS; i++) {
		if (strcmp(cmds[i].name, verb) == 0)
			return &cmds[i];
		if (strncmp(cmds[i].name, verb, n) == 0) {
			if (hit)
				return NULL; /* ambiguous */
			hit = &cmds[i];
		}
	}
	return hit;
}

int xs_cli_usage(const char *verb)
{
	const struct xs_cli_cmd *c = lookup(verb);

	if (c)
		fprintf(stderr, "usage: xenstore %s\n", c->usage);
	return 2;
}

int xs_cli_opt_err(const char *verb, const char *optstring)
{
	const struct xs_cli_cmd *c = lookup(verb);
	const char *usage = c ? c->usage : verb;

	if (optopt && strchr(optstring, optopt))
		fprintf(stderr, "xenstore %s: option '-%c' needs a value "
			"(usage: xenstore %s)\n", verb, optopt, usage);
	else
		fprintf(stderr, "xenstore %s: unknown option '-%c' "
			"(usage: xenstore %s)\n", verb, optopt ? optopt : '?', usage);
	return 2;
}

/* `help` asked for: stdout, 0; a bare `xenstore` or an unknown verb: a
 * usage error, stderr, 2. */
static int help(const char *verb, FILE *to, int rc)
{
	const struct xs_cli_cmd *c = verb ? lookup(verb) : NULL;
	size_t i;

	if (c) {
		fprintf(to, "xenstore %s\n  %s\n", c->usage, c->summary);
		return 0;
	}
	fprintf(to, "usage: xenstore <command> [options] [args]\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(to, "  %-7s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(to, "  %-7s %s\n", "help", "help [command]");
	return verb ? 2 : rc;
}

/* The socket's path and how it was chosen, so "cannot connect" says
 * where it looked (a wrong $PVX_RUNDIR is the usual cause). */
static void connect_err(int rc)
{
	char sock[256];
	const char *xp = getenv("XENSTORED_PATH"), *run = getenv("PVX_RUNDIR");
	const char *how = xp && *xp ? "$XENSTORED_PATH" :
			  run && *run ? "from $PVX_RUNDIR" :
			  "default; set $PVX_RUNDIR for another run directory";

	if (xs_socket_path(sock, sizeof(sock)))
		snprintf(sock, sizeof(sock), "(path too long)");
	fprintf(stderr, "xenstore: cannot connect to pvxstored at %s (%s): %s%s\n",
		sock, how, strerror(-rc),
		rc == -ENOENT || rc == -ECONNREFUSED ?
		" (is it running? 'pvx daemons start')" : "");
}

/* A lost connection is named by the socket, not the node being read. */
static bool connection_lost(int rc)
{
	return rc == -ECONNRESET || rc == -EPIPE || rc == -EPROTO ||
	       rc == -ECONNREFUSED;
}

void xs_cli_err(const char *verb, const char *what, const char *path, int rc)
{
	char sock[256];

	if (connection_lost(rc) && !xs_socket_path(sock, sizeof(sock))) {
		fprintf(stderr, "xenstore %s: %s %s: %s (connection to pvxstored "
			"at %s)\n", verb, what, path, strerror(-rc), sock);
		return;
	}
	fprintf(stderr, "xenstore %s: %s %s: %s\n", verb, what, path,
		strerror(-rc));
}

int xs_cli_main(int argc, char **argv)
{
	const struct xs_cli_cmd *c;
	struct xs_handle *h;
	int rc;

	opterr = 0;
	if (argc < 2)
		return help(NULL, stderr, 2);
	if (strcmp(argv[1], "help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return help(argc > 2 ? argv[2] : NULL, stdout, 0);
	c = lookup(argv[1]);
	if (!c) {
		fprintf(stderr, "xenstore: unknown or ambiguous command '%s'\n",
			argv[1]);
		return 2;
	}
	rc = xs_open(&h);
	if (rc) {
		connect_err(rc);
		return 1;
	}
	rc = c->fn(h, argc - 1, argv + 1);
	xs_close(h);
	fflush(stdout);
	return rc;
}

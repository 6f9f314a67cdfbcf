/*
 * The xenstore CLI (pvx/xs_cli.h): one table of commands, one file per
 * group of verbs, unambiguous-prefix lookup, `help [verb]`. Output and
 * option letters follow Xen's xenstore-* tools so scripts carry over.
 */
#include <errno.h>
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

static int help(const char *verb)
{
	const struct xs_cli_cmd *c = verb ? lookup(verb) : NULL;
	size_t i;

	if (c) {
		printf("xenstore %s\n  %s\n", c->usage, c->summary);
		return 0;
	}
	printf("usage: xenstore <command> [options] [args]\n");
	for (i = 0; i < NCMDS; i++)
		printf("  %-7s %s\n", cmds[i].name, cmds[i].summary);
	printf("  %-7s %s\n", "help", "help [command]");
	return verb ? 2 : 0;
}

void xs_cli_err(const char *verb, const char *what, const char *path, int rc)
{
	fprintf(stderr, "xenstore %s: %s %s: %s\n", verb, what, path,
		strerror(-rc));
}

int xs_cli_main(int argc, char **argv)
{
	const struct xs_cli_cmd *c;
	struct xs_handle *h;
	int rc;

	if (argc < 2 || strcmp(argv[1], "help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return help(argc > 2 ? argv[2] : NULL);
	c = lookup(argv[1]);
	if (!c) {
		fprintf(stderr, "xenstore: unknown or ambiguous command '%s'\n",
			argv[1]);
		return 2;
	}
	rc = xs_open(&h);
	if (rc) {
		fprintf(stderr, "xenstore: cannot connect to pvxstored: %s\n",
			strerror(-rc));
		return 1;
	}
	rc = c->fn(h, argc - 1, argv + 1);
	xs_close(h);
	fflush(stdout);
	return rc;
}

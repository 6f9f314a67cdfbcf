/* pvx help [COMMAND]: the table's summaries, or one row's usage. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

int cmd_help(int argc, char **argv)
{
	const struct pvx_cmd *c;
	size_t n;

	if (argc > 2)
		return pvx_usage_err("help", "too many arguments");
	if (argc == 2) {
		c = pvx_cmd_lookup(argv[1], &n);
		if (!c) {
			pvx_err("%s command '%s' (try 'pvx help')",
				n > 1 ? "ambiguous" : "unknown", argv[1]);
			return 2;
		}
		pvx_cmd_usage(c, false);
		return 0;
	}
	pvx_usage_list(stdout);
	return 0;
}

void pvx_usage_list(FILE *to)
{
	int width = 0;

	/* One column for the summaries, as wide as the longest name. */
	for (size_t i = 0; i < pvx_ncmds; i++)
		if ((int)strlen(pvx_cmds[i].name) > width)
			width = (int)strlen(pvx_cmds[i].name);
	fprintf(to, "usage: pvx COMMAND [ARGS]\n\nCommands:\n");
	for (size_t i = 0; i < pvx_ncmds; i++)
		fprintf(to, "  %-*s %s\n", width, pvx_cmds[i].name, pvx_cmds[i].summary);
	fprintf(to, "\nA command may be shortened to any unambiguous prefix.\n"
		"'pvx help COMMAND' shows its options. Domains are named by name or id.\n"
		"Environment: PVX_RUNDIR (default /run/pvx), PVX_LOGDIR (default <rundir>/log).\n");
}

/*
 * `xenstore control check|memreport|quota|help`: pvxstored's XS_CONTROL
 * commands (what Xen's xenstore-control offers), printed as they come.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int xs_cmd_control(struct xs_handle *h, int argc, char **argv)
{
	char *out;
	int rc;

	if (argc != 2)
		return xs_cli_usage("control");
	if ((rc = xs_control(h, argv[1], &out))) {
		xs_cli_err("control", "command failed:", argv[1], rc);
		return 1;
	}
	fputs(out, stdout);
	if (out[0] && out[strlen(out) - 1] != '\n')
		putchar('\n');
	free(out);
	return 0;
}

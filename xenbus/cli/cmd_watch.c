/*
 * `xenstore watch [-r] [-d depth] [-n count] path...`: prints the path of
 * every event, one per line, flushed at once (the first one is the
 * registration's own event, as with Xen's xenstore-watch). A watch covers
 * the whole subtree (-r, the default, says so explicitly); -d limits it to
 * depth levels below path; -n stops after count events.
 */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

int xs_cmd_watch(struct xs_handle *h, int argc, char **argv)
{
	long count = -1, seen;
	int opt, depth = -1, i, rc;
	char *path, *token;

	optind = 0;
	while ((opt = getopt(argc, argv, "+rd:n:")) != -1) {
		if (opt == 'd')
			depth = atoi(optarg);
		else if (opt == 'n')
			count = atol(optarg);
		else if (opt != 'r')
			return xs_cli_opt_err("watch", "rd:n:");
	}
	if (optind >= argc)
		return xs_cli_usage("watch");
	for (i = optind; i < argc; i++) {
		if ((rc = xs_watch_depth(h, argv[i], argv[i], depth))) {
			xs_cli_err("watch", "unable to add watch on", argv[i], rc);
			return 1;
		}
	}
	for (seen = 0; count < 0 || seen < count; seen++) {
		if ((rc = xs_read_watch(h, &path, &token, true))) {
			xs_cli_err("watch", "lost the daemon while watching", "", rc);
			return 1;
		}
		printf("%s\n", path);
		fflush(stdout);
		free(path);
	}
	return 0;
}

/*
 * pvx restore [-p] [-q] [--json] FILE [name=NEW] [key=value ...]
 *
 * Builds a domain from a save file (save_restore.c) and runs it from
 * where it was saved. name=NEW restores under another name (and uuid):
 * needed for a checkpoint whose original still runs; a name in use is
 * refused. Other overrides apply to the saved config as for create
 * (devices, actions; memory and vcpus cannot change).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pvx/ctlclient.h>

#include "cmd.h"
#include "save.h"
#include "save_file.h"

int cmd_restore(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' }, { "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	struct pvx_restore_opts o = { .progress = true };
	struct pvx_mig_stats st;
	struct pvx_ctl *c;
	bool json = false, quiet = false;
	char **rest;
	int32_t domid = -1;
	int opt, rc, fd, n = 0;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+pq", lopts, NULL)) != -1) {
		switch (opt) {
		case 'p': o.paused = true; break;
		case 'q': quiet = true; break;
		case 'j': json = true; break;
		default: return pvx_opt_err("restore", "pq", argv);
		}
	}
	if (optind >= argc)
		return pvx_usage_err("restore", "missing FILE");
	rest = calloc((size_t)argc, sizeof(*rest));
	if (!rest)
		return 1;
	for (int i = optind + 1; i < argc; i++) {
		if (strncmp(argv[i], "name=", 5) == 0)
			o.name = argv[i] + 5;
		else
			rest[n++] = argv[i];
	}
	o.overrides = rest;
	o.noverrides = n;
	fd = open(argv[optind], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pvx_err("cannot open '%s': %s", argv[optind], strerror(errno));
		free(rest);
		return 1;
	}
	c = pvx_connect();
	rc = c ? pvx_restore_fd(c, fd, &o, &domid, &st) : -ENOTCONN;
	close(fd);
	if (rc == 0 && json)
		pvx_mig_stats_json(&st, domid, stdout);
	else if (rc == 0 && !quiet)
		printf("Restored domain %d from %s\n", domid, argv[optind]);
	pvx_ctl_close(c);
	free(rest);
	return rc < 0;
}

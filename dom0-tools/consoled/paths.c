/*
 * pvx-consoled's own places, beside what every daemon has (pvx/daemon.h
 * makes <rundir> and <logdir>): guest console logs in <logdir>/console/,
 * the client socket <rundir>/consoled.sock. A step of main.c's table;
 * the unit tests run it against a private run directory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consoled.h"

void cons_paths_exit(void *consoled)
{
	struct consoled *cd = consoled;

	free(cd->console_dir);
	free(cd->sock_path);
	cd->console_dir = cd->sock_path = NULL;
}

int cons_paths_init(void *consoled)
{
	struct consoled *cd = consoled;
	int rc;

	if (asprintf(&cd->console_dir, "%s/console", cd->ds.logdir) < 0) {
		cd->console_dir = NULL;
		return -ENOMEM;
	}
	rc = pvx_mkdir_p(cd->console_dir, 0755);
	if (rc)
		pvx_log_err("cannot create %s: %s", cd->console_dir, strerror(-rc));
	else if (asprintf(&cd->sock_path, "%s/%s", cd->ds.rundir,
			  PVX_CONSOLED_SOCK_NAME) < 0) {
		cd->sock_path = NULL;
		rc = -ENOMEM;
	}
	if (rc)
		cons_paths_exit(cd);
	return rc;
}

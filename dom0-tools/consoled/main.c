/*
 * pvx-consoled: serves every domain's PV console (docs/console.md).
 *
 * Runs in the foreground. Start-up is an ordered table of steps
 * (pvx/daemon.h); when the loop ends (SIGTERM/SIGINT) or a step fails,
 * the steps that ran are undone in reverse. Removing the domains comes
 * first on the way down, so every console ring gets its last drain while
 * pvxd is still there.
 *
 * Paths follow every pvx daemon: the daemon's own messages go to
 * <logdir>/pvx-consoled.log (and stderr), the pid file is
 * <rundir>/pvx-consoled.pid; console logs go to <logdir>/console/ and
 * clients connect to <rundir>/consoled.sock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "consoled.h"

static void domains_exit(void *consoled)
{
	struct consoled *cd = consoled;
	struct cons_dom *d;

	while ((d = LIST_FIRST(&cd->doms)))
		cons_dom_remove(d);
}

static const struct pvx_step steps[] = {
	PVX_DAEMON_STEPS,
	{ "console dir", cons_paths_init, cons_paths_exit },
	{ "socket", cons_listen_start, cons_listen_stop },
	{ "pvxd", cons_pvxd_start, cons_pvxd_stop },
	{ "domains", NULL, domains_exit },
};

static void ready(void *consoled)
{
	struct consoled *cd = consoled;

	pvx_log_info("serving %s (pid %d)", cd->sock_path, (int)getpid());
}

static int usage(FILE *f)
{
	fprintf(f, "usage: pvx-consoled [-v]\n"
		"Serves the PV consoles of the pvx instance in $PVX_RUNDIR"
		" (default /run/pvx);\nlogs go to $PVX_LOGDIR/console/NAME.log."
		" -v logs debug messages.\n");
	return f == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
	struct consoled cd = {
		.ds = PVX_DAEMON_STATE_INIT("pvx-consoled"),
		.open_io = cons_pvxd_open_io,
	};
	int opt;

	while ((opt = getopt(argc, argv, "vh")) != -1) {
		if (opt == 'v')
			pvx_log_set_level(PVX_LOG_DEBUG);
		else
			return usage(opt == 'h' ? stdout : stderr);
	}
	pvx_log_set_ident(cd.ds.name);
	LIST_INIT(&cd.doms);
	LIST_INIT(&cd.clients);
	return pvx_daemon_run(steps, sizeof(steps) / sizeof(steps[0]), &cd, ready);
}

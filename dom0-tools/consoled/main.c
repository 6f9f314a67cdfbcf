/*
 * pvx-consoled: serves every domain's PV console (docs/console.md).
 *
 * Runs in the foreground. Start-up is an ordered table of steps; when
 * the loop ends (SIGTERM/SIGINT) or a step fails, the steps that ran are
 * undone in reverse. Removing the domains comes first on the way down,
 * so every console ring gets its last drain while pvxd is still there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "consoled.h"

static int base_init(struct consoled *cd)
{
	cd->base = event_base_new();
	return cd->base ? 0 : -ENOMEM;
}

static void base_exit(struct consoled *cd)
{
	event_base_free(cd->base);
	cd->base = NULL;
}

static void paths_exit(struct consoled *cd)
{
	free(cd->rundir);
	free(cd->logdir);
	free(cd->console_dir);
	free(cd->sock_path);
	free(cd->pid_path);
	cons_log_close();
}

static void signals_exit(struct consoled *cd)
{
	if (cd->sig_term)
		event_free(cd->sig_term);
	if (cd->sig_int)
		event_free(cd->sig_int);
}

static void domains_exit(struct consoled *cd)
{
	struct cons_dom *d;

	while ((d = LIST_FIRST(&cd->doms)))
		cons_dom_remove(d);
}

static const struct step {
	const char *name;
	int (*init)(struct consoled *cd);
	void (*exit)(struct consoled *cd);
} steps[] = {
	{ "paths", cons_daemon_paths, paths_exit },
	{ "pid file", cons_daemon_pidfile, cons_daemon_release },
	{ "event loop", base_init, base_exit },
	{ "signals", cons_daemon_signals, signals_exit },
	{ "socket", cons_listen_start, cons_listen_stop },
	{ "pvxd", cons_pvxd_start, cons_pvxd_stop },
	{ "domains", NULL, domains_exit },
};
#define NR_STEPS (int)(sizeof(steps) / sizeof(steps[0]))

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
	struct consoled cd = { .pid_fd = -1, .open_io = cons_pvxd_open_io };
	int i, rc = 0, opt;

	while ((opt = getopt(argc, argv, "vh")) != -1) {
		if (opt == 'v')
			cons_log_set_level(CLOG_DEBUG);
		else
			return usage(opt == 'h' ? stdout : stderr);
	}
	LIST_INIT(&cd.doms);
	LIST_INIT(&cd.clients);
	for (i = 0; i < NR_STEPS; i++) {
		if (steps[i].init && (rc = steps[i].init(&cd))) {
			cons_log(CLOG_ERR, "start-up failed at %s: %s", steps[i].name,
			     strerror(-rc));
			break;  /* a failed step cleans up after itself */
		}
	}
	if (!rc) {
		cons_log(CLOG_INFO, "serving %s (pid %d)", cd.sock_path, (int)getpid());
		event_base_dispatch(cd.base);
	}
	while (i-- > 0)
		if (steps[i].exit)
			steps[i].exit(&cd);
	cons_log(CLOG_INFO, "stopped");
	return rc ? 1 : 0;
}

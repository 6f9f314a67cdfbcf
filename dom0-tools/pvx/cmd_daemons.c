/* pvx daemons start|stop|status: see daemons.c. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <pvx/ctlclient.h>

#include "cmd.h"
#include "daemons.h"

static int start(const char *bindir)
{
	int rc;

	/* The run dir holds the control sockets: ours alone, as pvxd makes it. */
	rc = pvx_mkdirs(pvx_rundir(), 0700);
	if (rc == 0)
		rc = pvx_mkdirs(pvx_logdir(), 0755);
	if (rc < 0) {
		pvx_err("cannot create %s and %s: %s", pvx_rundir(), pvx_logdir(), strerror(-rc));
		return 1;
	}
	for (size_t i = 0; i < pvx_ndaemons; i++) {
		const struct pvx_daemon *d = &pvx_daemons[i];
		pid_t pid;

		if (!pvx_daemon_built(d, bindir))
			continue;
		/* One killed -9 whose threads still tear down (its socket may
		 * still accept): not running, and gone within seconds. */
		pvx_daemon_wait_dying(d);
		pid = pvx_daemon_pid(d);
		if (pid && pvx_daemon_ready(d)) {
			printf("%-13s already running (pid %d)\n", d->name, (int)pid);
			continue;
		}
		if (!pid && d->sock && pvx_daemon_ready(d)) {
			/* Served by a process our pid file does not name (started
			 * by hand, under valgrind): a second one would only fail. */
			printf("%-13s already running (answers on %s/%s; not started by pvx daemons)\n",
			       d->name, pvx_rundir(), d->sock);
			continue;
		}
		if (pid)
			pvx_daemon_stop(d); /* alive but not answering: replace it */
		/* The pid we forked: re-reading the pid file could catch the
		 * daemon rewriting it. */
		pid = pvx_daemon_start(d, bindir);
		if (pid < 0)
			return 1;
		printf("%-13s started (pid %d)\n", d->name, (int)pid);
	}
	return 0;
}

static int stop(void)
{
	int rc = 0;

	for (size_t i = pvx_ndaemons; i-- > 0;) {
		const struct pvx_daemon *d = &pvx_daemons[i];
		pid_t pid = pvx_daemon_pid(d);

		if (!pid)
			continue;
		rc |= pvx_daemon_stop(d) < 0;
		printf("%-13s stopped (was pid %d)\n", d->name, (int)pid);
	}
	return rc;
}

static int status(const char *bindir)
{
	int down = 0;

	printf("run dir %s, logs in %s\n", pvx_rundir(), pvx_logdir());
	for (size_t i = 0; i < pvx_ndaemons; i++) {
		const struct pvx_daemon *d = &pvx_daemons[i];
		pid_t pid = pvx_daemon_pid(d);

		if (!pvx_daemon_built(d, bindir)) {
			/* pvxd is the one daemon nothing works without. */
			if (i == 0) {
				printf("%-13s not built (no %s/%s)\n", d->name, bindir, d->name);
				down++;
			}
			continue;
		}
		if (pid && pvx_daemon_ready(d))
			printf("%-13s running (pid %d)\n", d->name, (int)pid);
		else if (pid)
			printf("%-13s not answering on %s (pid %d)\n", d->name, d->sock, (int)pid);
		else
			printf("%-13s stopped\n", d->name);
		down += !(pid && pvx_daemon_ready(d));
	}
	return down ? 3 : 0;
}

int cmd_daemons(int argc, char **argv)
{
	char bindir[PATH_MAX];

	if (argc != 2)
		return pvx_usage_err("daemons", "expected start, stop or status");
	if (pvx_bin_dir(bindir, sizeof(bindir)) < 0) {
		pvx_err("cannot find the directory of the pvx binary");
		return 1;
	}
	if (strcmp(argv[1], "start") == 0)
		return start(bindir);
	if (strcmp(argv[1], "stop") == 0)
		return stop();
	if (strcmp(argv[1], "status") == 0)
		return status(bindir);
	return pvx_usage_err("daemons", "unknown action '%s'", argv[1]);
}

/*
 * Starting a domain's monitor (dom0-tools/monitor). Like xl, `pvx
 * create` forks it: the child starts a new session (no terminal, no
 * process group to be killed with the CLI), points stdin at /dev/null
 * and stdout/stderr at <logdir>/<name>.log, and closes every other fd it
 * inherited, so nothing that waits for the CLI's output (a shell's $(),
 * a test harness pipe) waits for the monitor too. It keeps the two
 * control connections: the subscription made before the domain first
 * ran, and one for actions.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pvx/builder.h>
#include <pvx/config.h>
#include <pvx/ctlclient.h>

#include "../monitor/monitor.h"
#include "cmd.h"
#include "create.h"
#include "save_ctl.h"

static void close_others(const int *keep, int nkeep)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int dfd = d ? dirfd(d) : -1;

	if (!d)
		return;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name), k = 0;

		if (e->d_name[0] == '.' || fd <= 2 || fd == dfd)
			continue;
		while (k < nkeep && keep[k] != fd)
			k++;
		if (k == nkeep)
			close(fd);
	}
	closedir(d);
}

static void detach(FILE *log, struct pvx_ctl *ctl, struct pvx_ctl *sub)
{
	int keep[3] = { pvx_ctl_fd(ctl), pvx_ctl_fd(sub), fileno(log) };
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	setsid();
	if (null >= 0) {
		dup2(null, 0);
		close(null);
	}
	dup2(fileno(log), 1);
	dup2(fileno(log), 2);
	close_others(keep, 3);
}

static int run(const struct create_opts *o, const struct pvx_config *cfg,
	       struct pvx_ctl *ctl, struct pvx_ctl *sub, int32_t domid)
{
	struct pvx_monitor m = {
		.sub = sub, .ctl = ctl, .cfg = cfg, .domid = domid,
	};

	int rc;

	pvx_create_hooks(&m.bopts, o);
	rc = pvx_monitor_run(&m);
	pvx_cfgkeep_prune(ctl); /* the domain is over: its kept config too */
	return rc;
}

int pvx_create_monitor(const struct create_opts *o, const struct pvx_config *cfg,
		       struct pvx_ctl **ctl, struct pvx_ctl **sub, int32_t domid,
		       const sigset_t *mask)
{
	FILE *log = pvx_monitor_open_log(cfg->name);
	pid_t pid;

	if (!log) {
		pvx_err("warning: cannot open the monitor log in %s; monitor logs to stderr",
			pvx_logdir());
		log = fdopen(dup(2), "a");
		if (!log)
			return 0;
	}
	if (o->foreground) {
		int rc;
		sigprocmask(SIG_SETMASK, mask, NULL); /* Ctrl-C stops a -F monitor */
		rc = run(o, cfg, *ctl, *sub, domid);
		fclose(log);
		return rc < 0 ? 1 : 0;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		pvx_err("warning: cannot fork the monitor: on_crash etc. will not apply");
		fclose(log);
		return 0;
	}
	if (pid == 0) {
		int rc;
		sigprocmask(SIG_SETMASK, mask, NULL);
		detach(log, *ctl, *sub);
		rc = run(o, cfg, *ctl, *sub, domid);
		pvx_ctl_close(*sub);
		pvx_ctl_close(*ctl);
		fclose(log);
		/* The config is this process's own copy: leave nothing behind. */
		pvx_config_dispose((struct pvx_config *)cfg);
		_exit(rc < 0 ? 1 : 0);
	}
	fclose(log);
	return 0;
}

int pvx_create_console(const char *name)
{
	return pvx_console_after_create(name);
}

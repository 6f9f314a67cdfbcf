/*
 * Daemon plumbing: where things live, the pid file, signals.
 *
 * Paths follow every pvx daemon: run directory $PVX_RUNDIR (default
 * /run/pvx), log directory $PVX_LOGDIR (default <rundir>/log); console
 * logs go to <logdir>/console/, the daemon's own messages to
 * <logdir>/pvx-consoled.log (and stderr). The pid file <rundir>/pvx-consoled.pid
 * is locked (flock) for the daemon's life, so a second instance on the
 * same run directory refuses to start instead of stealing the socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pvx/ctlclient.h>

#include "consoled.h"

static int mkdir_p(const char *path)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int cons_daemon_paths(struct consoled *cd)
{
	char *path;
	int rc;

	cd->rundir = strdup(pvx_rundir());
	cd->logdir = strdup(pvx_logdir());
	if (!cd->rundir || !cd->logdir ||
	    asprintf(&cd->console_dir, "%s/console", cd->logdir) < 0 ||
	    asprintf(&cd->sock_path, "%s/%s", cd->rundir, PVX_CONSOLED_SOCK_NAME) < 0 ||
	    asprintf(&cd->pid_path, "%s/%s", cd->rundir, PVX_CONSOLED_PID_NAME) < 0)
		return -ENOMEM;
	rc = mkdir_p(cd->rundir);
	if (!rc)
		rc = mkdir_p(cd->console_dir);
	if (rc) {
		cons_log(CLOG_ERR, "cannot create %s or %s: %s", cd->rundir,
			 cd->console_dir, strerror(-rc));
		return rc;
	}
	if (asprintf(&path, "%s/pvx-consoled.log", cd->logdir) < 0)
		return -ENOMEM;
	if (cons_log_open(path))
		cons_log(CLOG_WARN, "cannot open %s: %s; logging to stderr only",
			 path, strerror(errno));
	free(path);
	return 0;
}

int cons_daemon_pidfile(struct consoled *cd)
{
	char buf[32];
	int n;

	cd->pid_fd = open(cd->pid_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (cd->pid_fd < 0) {
		cons_log(CLOG_ERR, "cannot open %s: %s", cd->pid_path, strerror(errno));
		return -errno;
	}
	if (flock(cd->pid_fd, LOCK_EX | LOCK_NB)) {
		n = (int)pread(cd->pid_fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		cons_log(CLOG_ERR, "another pvx-consoled serves %s (pid %s)", cd->rundir,
		     strtok(buf, "\n") ? buf : "?");
		close(cd->pid_fd);
		cd->pid_fd = -1;
		return -EBUSY;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(cd->pid_fd, 0) || pwrite(cd->pid_fd, buf, (size_t)n, 0) != n)
		return -errno;
	return 0;
}

void cons_daemon_release(struct consoled *cd)
{
	if (cd->pid_fd >= 0) {
		unlink(cd->pid_path);
		close(cd->pid_fd);
		cd->pid_fd = -1;
	}
}

static void signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct consoled *cd = arg;

	(void)what;
	cons_log(CLOG_INFO, "signal %d: stopping", (int)sig);
	event_base_loopexit(cd->base, NULL);
}

int cons_daemon_signals(struct consoled *cd)
{
	signal(SIGPIPE, SIG_IGN);
	cd->sig_term = evsignal_new(cd->base, SIGTERM, signal_cb, cd);
	cd->sig_int = evsignal_new(cd->base, SIGINT, signal_cb, cd);
	if (!cd->sig_term || !cd->sig_int || evsignal_add(cd->sig_term, NULL) ||
	    evsignal_add(cd->sig_int, NULL))
		return -ENOMEM;
	return 0;
}

/*
 * Daemon plumbing, as every pvx daemon does it: run directory $PVX_RUNDIR
 * (default /run/pvx), log directory $PVX_LOGDIR (default <rundir>/log),
 * messages to <logdir>/pvx-blkback.log and stderr, pid file
 * <rundir>/pvx-blkback.pid locked (flock) for the daemon's life so a
 * second instance on the same run directory refuses to start, SIGTERM and
 * SIGINT end the loop (main.c then tears down in reverse).
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

#include "daemon.h"

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

int bb_daemon_paths(struct blkbackd *d)
{
	char *path;
	int rc;

	d->rundir = strdup(pvx_rundir());
	d->logdir = strdup(pvx_logdir());
	if (!d->rundir || !d->logdir ||
	    asprintf(&d->pid_path, "%s/%s.pid", d->rundir, BLKBACK_NAME) < 0)
		return -ENOMEM;
	rc = mkdir_p(d->rundir);
	if (!rc)
		rc = mkdir_p(d->logdir);
	if (rc) {
		bb_log(BB_ERR, "cannot create %s or %s: %s", d->rundir, d->logdir,
		       strerror(-rc));
		return rc;
	}
	if (asprintf(&path, "%s/%s.log", d->logdir, BLKBACK_NAME) < 0)
		return -ENOMEM;
	if (bb_log_open(path))
		bb_log(BB_WARN, "cannot open %s: %s; logging to stderr only", path,
		       strerror(errno));
	free(path);
	return 0;
}

int bb_daemon_pidfile(struct blkbackd *d)
{
	char buf[32];
	int n;

	d->pid_fd = open(d->pid_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (d->pid_fd < 0) {
		bb_log(BB_ERR, "cannot open %s: %s", d->pid_path, strerror(errno));
		return -errno;
	}
	if (flock(d->pid_fd, LOCK_EX | LOCK_NB)) {
		n = (int)pread(d->pid_fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		bb_log(BB_ERR, "another pvx-blkback serves %s (pid %s)", d->rundir,
		       strtok(buf, "\n") ? buf : "?");
		close(d->pid_fd);
		d->pid_fd = -1;
		return -EBUSY;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(d->pid_fd, 0) || pwrite(d->pid_fd, buf, (size_t)n, 0) != n)
		return -errno;
	return 0;
}

void bb_daemon_release(struct blkbackd *d)
{
	if (d->pid_fd >= 0) {
		unlink(d->pid_path);
		close(d->pid_fd);
		d->pid_fd = -1;
	}
}

static void signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct blkbackd *d = arg;

	(void)what;
	bb_log(BB_INFO, "signal %d: stopping", (int)sig);
	event_base_loopexit(d->base, NULL);
}

int bb_daemon_signals(struct blkbackd *d)
{
	signal(SIGPIPE, SIG_IGN);
	d->sig_term = evsignal_new(d->base, SIGTERM, signal_cb, d);
	d->sig_int = evsignal_new(d->base, SIGINT, signal_cb, d);
	if (!d->sig_term || !d->sig_int || evsignal_add(d->sig_term, NULL) ||
	    evsignal_add(d->sig_int, NULL))
		return -ENOMEM;
	return 0;
}

/*
 * Daemon plumbing (pvx/daemon.h): directories, the locked pid file and
 * the signal-driven event loop, shared by the libevent daemons.
 *
 * The pid file is opened without truncating and only rewritten once the
 * flock is ours: a second instance that loses the race must leave the
 * first one's pid readable (it even quotes it in its error).
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

#include <event2/event.h>

#include <pvx/ctlclient.h>
#include <pvx/daemon.h>
#include <pvx/log.h>

int pvx_mkdir_p(const char *path, unsigned int mode)
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
		if (mkdir(buf, mode) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

int pvx_daemon_paths(void *daemon)
{
	struct pvx_daemon_state *ds = daemon;
	char *path;
	int rc;

	pvx_log_set_ident(ds->name);
	ds->rundir = strdup(pvx_rundir());
	ds->logdir = strdup(pvx_logdir());
	if (!ds->rundir || !ds->logdir ||
	    asprintf(&ds->pid_path, "%s/%s.pid", ds->rundir, ds->name) < 0) {
		ds->pid_path = NULL;
		rc = -ENOMEM;
		goto err;
	}
	rc = pvx_mkdir_p(ds->rundir, ds->dir_mode);
	if (!rc)
		rc = pvx_mkdir_p(ds->logdir, ds->dir_mode);
	if (rc) {
		pvx_log_err("cannot create %s or %s: %s", ds->rundir, ds->logdir,
			    strerror(-rc));
		goto err;
	}
	if (asprintf(&path, "%s/%s.log", ds->logdir, ds->name) < 0) {
		rc = -ENOMEM;
		goto err;
	}
	rc = pvx_log_open(path, ds->log_mode);
	if (rc)
		pvx_log_warn("cannot open %s: %s; logging to stderr only", path,
			     strerror(-rc));
	free(path);
	return 0;
err:
	pvx_daemon_paths_exit(ds);
	return rc;
}

void pvx_daemon_paths_exit(void *daemon)
{
	struct pvx_daemon_state *ds = daemon;

	free(ds->rundir);
	free(ds->logdir);
	free(ds->pid_path);
	ds->rundir = ds->logdir = ds->pid_path = NULL;
}

/* The flock is held: if by a daemon still tearing down after kill -9,
 * waits for it (PVX_DYING_WAIT_MS) and takes the lock; true if we hold
 * it now. */
static bool dying_holder_gone(struct pvx_daemon_state *ds)
{
	pid_t holder = pvx_flock_holder(ds->pid_fd);

	if (holder <= 0 || !pvx_pid_dying(holder))
		return false;
	pvx_log_info("waiting for the exiting %s (pid %d) to let go of %s",
		     ds->name, (int)holder, ds->pid_path);
	for (unsigned waited = 0; waited < PVX_DYING_WAIT_MS; waited += 20) {
		if (flock(ds->pid_fd, LOCK_EX | LOCK_NB) == 0)
			return true;
		if (!pvx_pid_dying(holder) && pvx_flock_holder(ds->pid_fd) != holder)
			return false; /* someone else took it meanwhile */
		usleep(20 * 1000);
	}
	return false;
}

int pvx_daemon_lock_pidfile(void *daemon)
{
	struct pvx_daemon_state *ds = daemon;
	char buf[32];
	int n;

	ds->pid_fd = open(ds->pid_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (ds->pid_fd < 0) {
		pvx_log_err("cannot open %s: %s", ds->pid_path, strerror(errno));
		return -errno;
	}
	if (flock(ds->pid_fd, LOCK_EX | LOCK_NB) && !dying_holder_gone(ds)) {
		n = (int)pread(ds->pid_fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		/* The log file is the first instance's: our one line goes to
		 * whoever started us (stderr), even in a daemon that keeps
		 * stderr quiet while a file is open (pvxstored). */
		pvx_log_close();
		pvx_log_err("another %s already serves %s (pid %s)", ds->name, ds->rundir,
			    strtok(buf, "\n") ? buf : "?");
		close(ds->pid_fd);
		ds->pid_fd = -1;
		return -EBUSY;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	/* 0644 even if created under umask 000, or by `pvx daemons start`
	 * before us: only we may write it, anyone may read the pid. Write
	 * first, then cut: `pvx daemons start` already wrote the same pid
	 * there, and a reader must never find the file empty in between. */
	if (fchmod(ds->pid_fd, 0644) || pwrite(ds->pid_fd, buf, (size_t)n, 0) != n ||
	    ftruncate(ds->pid_fd, n)) {
		n = -errno;
		pvx_daemon_unlock_pidfile(ds);
		return n;
	}
	return 0;
}

void pvx_daemon_unlock_pidfile(void *daemon)
{
	struct pvx_daemon_state *ds = daemon;

	if (ds->pid_fd < 0)
		return;
	unlink(ds->pid_path);
	close(ds->pid_fd);
	ds->pid_fd = -1;
}

static void signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct pvx_daemon_state *ds = arg;

	(void)what;
	pvx_log_info("signal %d: stopping", (int)sig);
	event_base_loopbreak(ds->base);
}

int pvx_daemon_loop_init(void *daemon)
{
	struct pvx_daemon_state *ds = daemon;

	signal(SIGPIPE, SIG_IGN);
	ds->base = event_base_new();
	if (!ds->base)
		return -ENOMEM;
	ds->sig_term = evsignal_new(ds->base, SIGTERM, signal_cb, ds);
	ds->sig_int = evsignal_new(ds->base, SIGINT, signal_cb, ds);
	if (!ds->sig_term || !ds->sig_int || evsignal_add(ds->sig_term, NULL) ||
	    evsignal_add(ds->sig_int, NULL)) {
		pvx_daemon_loop_exit(ds);
		return -ENOMEM;
	}
	return 0;
}

void pvx_daemon_loop_exit(void *daemon)
{
	struct pvx_daemon_state *ds = daemon;

	if (ds->sig_term)
		event_free(ds->sig_term);
	if (ds->sig_int)
		event_free(ds->sig_int);
	ds->sig_term = ds->sig_int = NULL;
	if (ds->base)
		event_base_free(ds->base);
	ds->base = NULL;
}

int pvx_daemon_run(const struct pvx_step *steps, size_t n, void *daemon,
		   void (*ready)(void *daemon))
{
	struct pvx_daemon_state *ds = daemon;
	size_t ran;
	int rc = pvx_steps_start(steps, n, daemon, &ran);

	if (!rc) {
		ready(daemon);
		event_base_dispatch(ds->base);
	}
	pvx_steps_stop(steps, ran, daemon);
	if (!rc) /* a refused second instance says one line, not two */
		pvx_log_info("stopped");
	pvx_log_close();
	return rc ? 1 : 0;
}

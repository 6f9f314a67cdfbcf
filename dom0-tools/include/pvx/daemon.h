/*
 * What every pvx Dom0 daemon does around its real work (ARCHITECTURE §4,
 * STYLE 10 and 13), in one place:
 *
 *   paths     run directory $PVX_RUNDIR (default /run/pvx) and log
 *             directory $PVX_LOGDIR (default <rundir>/log), from
 *             pvx_rundir()/pvx_logdir() of libpvxctl, both created (mode
 *             dir_mode, 0755 unless the daemon says otherwise); the
 *             daemon's messages go to <logdir>/NAME.log (log_mode, 0644)
 *             and stderr.
 *   pid file  <rundir>/NAME.pid holds the pid and stays locked (flock)
 *             for the daemon's life, so a second instance on the same run
 *             directory refuses to start, with one line naming the first,
 *             instead of stealing its sockets; it is mode 0644 whatever
 *             the umask (or whoever created it).
 *   sockets   pvx_listen_unix: created with their final mode (0600 for
 *             Dom0-only ones), never reachable with a looser one.
 *   loop      one libevent event_base; SIGTERM and SIGINT end its loop,
 *             SIGPIPE is ignored (a peer that went away is an error
 *             return, not a death). libevent's handler only writes to a
 *             socketpair, so it is safe whichever thread the signal hits;
 *             a threaded daemon (pvxd) still blocks every signal in its
 *             workers so that the main thread takes them.
 *   steps     start-up is an ordered table of { name, init, exit }; the
 *             steps that ran are undone in reverse when the loop returns
 *             or a step fails.
 *
 * The first three are step functions themselves: a daemon embeds struct
 * pvx_daemon_state as the FIRST member of its own state, passes that
 * state as the steps' context, and starts its table with
 * PVX_DAEMON_STEPS (below).
 */
#ifndef PVX_DAEMON_H
#define PVX_DAEMON_H

#include <stddef.h>
#include <stdbool.h>
#include <sys/types.h>

struct event;
struct event_base;

struct pvx_daemon_state {
	const char *name;               /* "pvx-blkback": files and messages */
	char *rundir, *logdir, *pid_path;
	int pid_fd;
	unsigned int dir_mode, log_mode;  /* created directories, NAME.log */
	struct event_base *base;
	struct event *sig_term, *sig_int;
};
#define PVX_DAEMON_STATE_INIT(n) \
	{ .name = (n), .pid_fd = -1, .dir_mode = 0755, .log_mode = 0644 }

/*
 * `daemon` points at a struct whose first member is a struct
 * pvx_daemon_state (so these fit struct pvx_step directly); every
 * function here is 0 or -errno and undoes itself when it fails, every
 * _exit is idempotent.
 *
 * paths: resolves and creates the directories, names the log lines after
 * ds->name and opens <logdir>/NAME.log (a failure there only warns:
 * stderr still works). lock_pidfile: -EBUSY, logged in one line with
 * the holder's pid ("another NAME already serves RUNDIR (pid N)"), if
 * another instance runs.
 */
int pvx_daemon_paths(void *daemon);
void pvx_daemon_paths_exit(void *daemon);
int pvx_daemon_lock_pidfile(void *daemon);
void pvx_daemon_unlock_pidfile(void *daemon);
int pvx_daemon_loop_init(void *daemon);
void pvx_daemon_loop_exit(void *daemon);
/*
 * A listening AF_UNIX socket of `type` (SOCK_STREAM, SOCK_SEQPACKET, may
 * carry SOCK_NONBLOCK) at `path` whose file has `mode` before anyone
 * else can reach it (bound in a private directory, then renamed over
 * `path`, replacing a stale socket); close-on-exec. fd or -errno;
 * -ENAMETOOLONG if path has sizeof(sun_path) bytes or more (clients
 * could not name it). pvx_listen_unix_error: the one-line message for a
 * failure, which says so and gives both lengths.
 */
int pvx_listen_unix(const char *path, int type, unsigned int mode, int backlog);
void pvx_listen_unix_error(const char *path, int err, char *buf, size_t len);
/*
 * Processes on their way out (proc_exit.c): after kill -9 a daemon's
 * threads may still be tearing down, holding its pid file's flock and its
 * socket. pvx_proc_stat_exiting: 1 if a /proc/PID/stat line shows state
 * Z or X or PF_EXITING (0x4) in its flags (field 9), 0 if not, -EINVAL
 * if it does not parse. pvx_pid_dying: pid is exiting and still holds
 * threads or fds. pvx_flock_holder: the pid holding a flock on fd's file
 * (/proc/locks), 0 if none is found. pvx_wait_dying: 0 once pid is no
 * longer dying, -ETIMEDOUT after timeout_ms.
 */
#define PVX_DYING_WAIT_MS 5000u
int pvx_proc_stat_exiting(const char *stat);
bool pvx_pid_dying(pid_t pid);
pid_t pvx_flock_holder(int fd);
int pvx_wait_dying(pid_t pid, unsigned timeout_ms);
/*
 * A backend's pvxd connection kept across pvxd's restarts (pvxd_keep.c):
 * fill base, what ("vbd"), ctx and the three callbacks, then start.
 * open(ctx, quiet): connects (logging why not unless quiet), returns the
 * control connection's fd or -errno. lost(ctx): pvxd is gone: drop every
 * device, close the connection (also called when watching it fails).
 * back(ctx): reconnected after a loss: rescan. start: opens once (the
 * daemon's start-up fails without pvxd); stop: the watch and the timer
 * (the caller closes its connection).
 */
struct pvx_pvxd_keep {
	struct event_base *base;
	const char *what;
	void *ctx;
	int (*open)(void *ctx, bool quiet);
	void (*lost)(void *ctx);
	void (*back)(void *ctx);
	/* private */
	struct event *hup, *timer;
	unsigned ms;
	bool said;
};
int pvx_pvxd_keep_start(struct pvx_pvxd_keep *k);
void pvx_pvxd_keep_stop(struct pvx_pvxd_keep *k);
/* Creates `path` and its missing parents with `mode`; 0 or -errno. */
int pvx_mkdir_p(const char *path, unsigned int mode);

/*
 * The ordered start-up table. init may be NULL (nothing to start, only
 * something to stop); exit may be NULL. An init that fails undoes what
 * it did itself (usually by calling its own exit); the exits of the
 * steps before it then run in reverse.
 */
struct pvx_step {
	const char *name;
	int (*init)(void *ctx);
	void (*exit)(void *ctx);
};

/* The first rows of a libevent daemon's table: paths and log, pid file,
 * event loop with its signals. */
#define PVX_DAEMON_STEPS \
	{ "paths", pvx_daemon_paths, pvx_daemon_paths_exit }, \
	{ "pid file", pvx_daemon_lock_pidfile, pvx_daemon_unlock_pidfile }, \
	{ "event loop", pvx_daemon_loop_init, pvx_daemon_loop_exit }

/* Runs the inits in order; returns 0 or the first failure (logged with
 * the step's name, except -EBUSY: "another instance runs", which the
 * pid-file step has already said in its one line). *ran counts the
 * steps that started. */
int pvx_steps_start(const struct pvx_step *steps, size_t n, void *ctx, size_t *ran);
/* Runs the exits of the first `ran` steps, last first. */
void pvx_steps_stop(const struct pvx_step *steps, size_t ran, void *ctx);

/*
 * A daemon's main() after its options: starts the steps (`daemon` is
 * their context, its first member the struct pvx_daemon_state that
 * PVX_DAEMON_STEPS filled), calls ready(daemon) to say so, runs the loop
 * until a signal, stops the steps in reverse, logs "stopped" if it had
 * started, closes the log. The exit status: 0, or 1 if a step failed.
 */
int pvx_daemon_run(const struct pvx_step *steps, size_t n, void *daemon,
		   void (*ready)(void *daemon));

#endif

/*
 * pvxstored: the xenstore daemon (ARCHITECTURE D9). Foreground, one
 * libevent loop. Started and stopped from one ordered table of
 * subsystems (pvx/daemon.h); teardown runs in reverse after the loop
 * returns (SIGTERM or SIGINT), saving the store one last time.
 *
 * Where things are (docs/xenstore.md):
 *   $PVX_RUNDIR (default /run/pvx)
 *     xenstored/socket       Dom0 clients ($XENSTORED_PATH overrides it,
 *                            as Xen's clients and daemon honour it)
 *     xenstored/pvxstored.db persisted store (write-behind, 200 ms)
 *     pvxstored.pid          flock'ed: a second pvxstored refuses to start
 *   $PVX_LOGDIR (default <rundir>/log)/pvxstored.log
 *
 * Its lines keep the look they had before the common log format
 * ("17:44:36.123 warn message") and go to stderr only while the log file
 * is not open.
 */
#include <errno.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pvx/daemon.h>
#include <pvx/log.h>
#include <pvx/xs.h>

#include "dom_events.h"
#include "persist.h"
#include "ring.h"
#include "sock.h"

#define PERSIST_INTERVAL_MS 200

struct pvxstored {
	struct pvx_daemon_state ds;     /* first: the steps' context */
	struct xs_store st;
	struct evconnlistener *listener;
	struct dom_events *events;
	void *ring_ctx;
	char dbfile[1100], sockpath[1100];
	bool persist;
};

static const char *const level_names[] = {
	[PVX_LOG_ERR] = "error", [PVX_LOG_WARN] = "warn",
	[PVX_LOG_INFO] = "info", [PVX_LOG_DEBUG] = "debug",
};

static size_t log_prefix(char *buf, size_t cap, enum pvx_log_level lvl, void *arg)
{
	size_t n = pvx_log_stamp(buf, cap, false);
	int m = snprintf(buf + n, cap - n, "%s ", level_names[lvl]);

	(void)arg;
	return m < 0 ? n : n + (size_t)m < cap ? n + (size_t)m : cap - 1;
}

/* <rundir>/xenstored/ holds the socket and the persisted store. */
static int store_paths_init(void *pvxstored)
{
	struct pvxstored *d = pvxstored;
	char dir[1100];

	snprintf(d->dbfile, sizeof(d->dbfile), "%s/xenstored/pvxstored.db", d->ds.rundir);
	xs_socket_path(d->sockpath, sizeof(d->sockpath));
	snprintf(dir, sizeof(dir), "%s/xenstored", d->ds.rundir);
	return pvx_mkdir_p(dir, 0755);
}

static int store_init(void *pvxstored)
{
	struct pvxstored *d = pvxstored;
	int rc = xs_store_init(&d->st);

	if (rc)
		return rc;
	d->st.base = d->ds.base;
	rc = ring_pvxctl_open(&d->ring_ctx);
	d->st.ring_backend = &ring_backend_pvxctl;
	d->st.ring_ctx = d->ring_ctx;
	return rc;
}

static void store_exit(void *pvxstored)
{
	struct pvxstored *d = pvxstored;

	while (!TAILQ_EMPTY(&d->st.conns))
		xs_conn_destroy(TAILQ_FIRST(&d->st.conns));
	xs_store_dispose(&d->st);
	ring_pvxctl_close(d->ring_ctx);
}

static int persist_start(void *pvxstored)
{
	struct pvxstored *d = pvxstored;
	char bad[1200];
	int rc;

	if (!d->persist)
		return 0;
	rc = persist_load(&d->st, d->dbfile);
	if (rc) {
		snprintf(bad, sizeof(bad), "%s.corrupt", d->dbfile);
		pvx_log_err("persist: %s unreadable (%s), moved to %s; "
		       "starting empty", d->dbfile, strerror(-rc), bad);
		rename(d->dbfile, bad);
		store_exit(d);
		if ((rc = store_init(d)))
			return rc;
	}
	return persist_init(&d->st, d->dbfile, PERSIST_INTERVAL_MS);
}

static void persist_stop(void *pvxstored)
{
	struct pvxstored *d = pvxstored;

	persist_dispose(&d->st);
}

static int listen_init(void *pvxstored)
{
	struct pvxstored *d = pvxstored;

	d->listener = sock_listen(&d->st, d->sockpath);
	if (!d->listener)
		return -errno ? -errno : -EINVAL;
	pvx_log_info("listening on %s", d->sockpath);
	return 0;
}

static void listen_exit(void *pvxstored)
{
	struct pvxstored *d = pvxstored;

	sock_unlisten(d->listener);
	unlink(d->sockpath);
}

static int events_init(void *pvxstored)
{
	struct pvxstored *d = pvxstored;

	return dom_events_start(&d->st, &d->events);
}

static void events_exit(void *pvxstored)
{
	struct pvxstored *d = pvxstored;

	dom_events_stop(d->events);
}

static const struct pvx_step subsystems[] = {
	{ "paths and log", pvx_daemon_paths, pvx_daemon_paths_exit },
	{ "store paths", store_paths_init, NULL },
	{ "pid file", pvx_daemon_lock_pidfile, pvx_daemon_unlock_pidfile },
	{ "event loop", pvx_daemon_loop_init, pvx_daemon_loop_exit },
	{ "store", store_init, store_exit },
	{ "persistence", persist_start, persist_stop },
	{ "pvxd events", events_init, events_exit },
	{ "socket", listen_init, listen_exit },
};

static void usage(void)
{
	fprintf(stderr, "usage: pvxstored [-n]\n"
		"  -n  do not load or save the store (no persistence)\n");
}

int main(int argc, char **argv)
{
	static struct pvxstored d = { .ds = PVX_DAEMON_STATE_INIT("pvxstored") };
	size_t started;
	int opt, rc;

	d.persist = true;
	while ((opt = getopt(argc, argv, "nh")) != -1) {
		if (opt != 'n') {
			usage();
			return opt == 'h' ? 0 : 2;
		}
		d.persist = false;
	}
	pvx_log_set_prefix(log_prefix, NULL);
	pvx_log_set_stderr(PVX_LOG_STDERR_WITHOUT_FILE);
	rc = pvx_steps_start(subsystems, sizeof(subsystems) / sizeof(subsystems[0]),
			     &d, &started);
	if (!rc) {
		pvx_log_info("pvxstored %d ready", (int)getpid());
		event_base_dispatch(d.ds.base);
	}
	pvx_steps_stop(subsystems, started, &d);
	pvx_log_close();
	return rc ? 1 : 0;
}

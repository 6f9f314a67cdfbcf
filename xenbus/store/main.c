/*
 * pvxstored: the xenstore daemon (ARCHITECTURE D9). Foreground, one
 * libevent loop. Started and stopped from one ordered table of
 * subsystems; teardown runs in reverse after the loop returns (SIGTERM or
 * SIGINT), saving the store one last time.
 *
 * Where things are (docs/xenstore.md):
 *   $PVX_RUNDIR (default /run/pvx)
 *     xenstored/socket       Dom0 clients ($XENSTORED_PATH overrides it,
 *                            as Xen's clients and daemon honour it)
 *     xenstored/pvxstored.db persisted store (write-behind, 200 ms)
 *     pvxstored.pid
 *   $PVX_LOGDIR (default <rundir>/log)/pvxstored.log
 */
#include <errno.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pvx/xs.h>

#include "dom_events.h"
#include "persist.h"
#include "ring.h"
#include "sock.h"

#define PERSIST_INTERVAL_MS 200

static struct {
	struct xs_store st;
	struct event_base *base;
	struct event *sigterm, *sigint;
	struct evconnlistener *listener;
	struct dom_events *events;
	void *ring_ctx;
	char rundir[512], logdir[600];
	char pidfile[1100], dbfile[1100], sockpath[1100];
	bool persist;
} d;

static int mkdir_p(const char *path)
{
	char buf[1100];
	char *s;

	snprintf(buf, sizeof(buf), "%s/", path);
	for (s = strchr(buf + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	return 0;
}

static int paths_init(void)
{
	const char *run = getenv("PVX_RUNDIR"), *log = getenv("PVX_LOGDIR");
	char path[1200];
	int rc;

	snprintf(d.rundir, sizeof(d.rundir), "%s", run && *run ? run : "/run/pvx");
	if (log && *log)
		snprintf(d.logdir, sizeof(d.logdir), "%s", log);
	else
		snprintf(d.logdir, sizeof(d.logdir), "%s/log", d.rundir);
	snprintf(d.pidfile, sizeof(d.pidfile), "%s/pvxstored.pid", d.rundir);
	snprintf(d.dbfile, sizeof(d.dbfile), "%s/xenstored/pvxstored.db", d.rundir);
	xs_socket_path(d.sockpath, sizeof(d.sockpath));
	if ((rc = mkdir_p(d.logdir)) || (rc = mkdir_p(d.rundir)))
		return rc;
	snprintf(path, sizeof(path), "%s/xenstored", d.rundir);
	if ((rc = mkdir_p(path)))
		return rc;
	snprintf(path, sizeof(path), "%s/pvxstored.log", d.logdir);
	return xs_log_open(path) ? -errno : 0;
}

static void paths_exit(void)
{
	xs_log_close();
}

static int pid_init(void)
{
	FILE *f = fopen(d.pidfile, "we");

	if (!f)
		return -errno;
	fprintf(f, "%d\n", (int)getpid());
	return fclose(f) ? -EIO : 0;
}

static void pid_exit(void)
{
	unlink(d.pidfile);
}

static void signal_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	xs_log(XS_LOG_INFO, "signal %d: exiting", (int)sig);
	event_base_loopbreak(arg);
}

static int base_init(void)
{
	signal(SIGPIPE, SIG_IGN);
	d.base = event_base_new();
	if (!d.base)
		return -ENOMEM;
	d.sigterm = evsignal_new(d.base, SIGTERM, signal_cb, d.base);
	d.sigint = evsignal_new(d.base, SIGINT, signal_cb, d.base);
	if (!d.sigterm || !d.sigint || evsignal_add(d.sigterm, NULL) ||
	    evsignal_add(d.sigint, NULL))
		return -ENOMEM;
	return 0;
}

static void base_exit(void)
{
	if (d.sigterm)
		event_free(d.sigterm);
	if (d.sigint)
		event_free(d.sigint);
	event_base_free(d.base);
}

static int store_init(void)
{
	int rc = xs_store_init(&d.st);

	if (rc)
		return rc;
	d.st.base = d.base;
	rc = ring_pvxctl_open(&d.ring_ctx);
	d.st.ring_backend = &ring_backend_pvxctl;
	d.st.ring_ctx = d.ring_ctx;
	return rc;
}

static void store_exit(void)
{
	while (!TAILQ_EMPTY(&d.st.conns))
		xs_conn_destroy(TAILQ_FIRST(&d.st.conns));
	xs_store_dispose(&d.st);
	ring_pvxctl_close(d.ring_ctx);
}

static int persist_start(void)
{
	char bad[1200];
	int rc;

	if (!d.persist)
		return 0;
	rc = persist_load(&d.st, d.dbfile);
	if (rc) {
		snprintf(bad, sizeof(bad), "%s.corrupt", d.dbfile);
		xs_log(XS_LOG_ERR, "persist: %s unreadable (%s), moved to %s; "
		       "starting empty", d.dbfile, strerror(-rc), bad);
		rename(d.dbfile, bad);
		store_exit();
		if ((rc = store_init()))
			return rc;
	}
	return persist_init(&d.st, d.dbfile, PERSIST_INTERVAL_MS);
}

static void persist_stop(void)
{
	persist_dispose(&d.st);
}

static int listen_init(void)
{
	d.listener = sock_listen(&d.st, d.sockpath);
	if (!d.listener)
		return -errno ? -errno : -EINVAL;
	xs_log(XS_LOG_INFO, "listening on %s", d.sockpath);
	return 0;
}

static void listen_exit(void)
{
	evconnlistener_free(d.listener);
	unlink(d.sockpath);
}

static int events_init(void)
{
	return dom_events_start(&d.st, &d.events);
}

static void events_exit(void)
{
	dom_events_stop(d.events);
}

static const struct {
	const char *name;
	int (*init)(void);
	void (*exit)(void);
} subsystems[] = {
	{ "paths and log", paths_init, paths_exit },
	{ "pid file", pid_init, pid_exit },
	{ "event loop", base_init, base_exit },
	{ "store", store_init, store_exit },
	{ "persistence", persist_start, persist_stop },
	{ "pvxd events", events_init, events_exit },
	{ "socket", listen_init, listen_exit },
};
#define NSUB (sizeof(subsystems) / sizeof(subsystems[0]))

static void usage(void)
{
	fprintf(stderr, "usage: pvxstored [-n]\n"
		"  -n  do not load or save the store (no persistence)\n");
}

int main(int argc, char **argv)
{
	size_t i, started = 0;
	int opt, rc = 0;

	d.persist = true;
	while ((opt = getopt(argc, argv, "nh")) != -1) {
		if (opt != 'n') {
			usage();
			return opt == 'h' ? 0 : 2;
		}
		d.persist = false;
	}
	for (i = 0; i < NSUB; i++) {
		rc = subsystems[i].init();
		if (rc) {
			xs_log(XS_LOG_ERR, "pvxstored: %s: %s", subsystems[i].name,
			       strerror(-rc));
			break;
		}
		started++;
	}
	if (!rc) {
		xs_log(XS_LOG_INFO, "pvxstored %d ready", (int)getpid());
		event_base_dispatch(d.base);
	}
	while (started--)
		subsystems[started].exit();
	return rc ? 1 : 0;
}

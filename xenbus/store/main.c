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
 *     xenstored/pvxstored.db persisted store: snapshot, and
 *     xenstored/pvxstored.db.journal  the changes since (each written
 *                            before its reply, fdatasync every 200 ms)
 *     pvxstored.pid          flock'ed: a second pvxstored refuses to start
 *   $PVX_LOGDIR (default <rundir>/log)/pvxstored.log
 *
 * Its lines keep the look they had before the common log format
 * ("17:44:36.123 warn message") and go to stderr only while the log file
 * is not open.
 */
#include <errno.h>
#include <getopt.h>
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
	struct xs_quota quota, dom0_quota;  /* defaults, then -q / -Q */
	size_t mem_limit;                   /* -m, bytes; 0: none */
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
	d->st.quota = d->quota;
	d->st.dom0_quota = d->dom0_quota;
	d->st.mem_limit = d->mem_limit;
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
	struct persist_info info;
	char bad[1200];
	int rc;

	if (!d->persist)
		return 0;
	rc = persist_load(&d->st, d->dbfile, &info);
	if (rc) {
		snprintf(bad, sizeof(bad), "%s.corrupt", d->dbfile);
		pvx_log_err("persist: %s unreadable (%s), moved to %s; "
		       "starting empty", d->dbfile, strerror(-rc), bad);
		rename(d->dbfile, bad);
		store_exit(d);
		if ((rc = store_init(d)))
			return rc;
		memset(&info, 0, sizeof(info));
	}
	return persist_init(&d->st, d->dbfile, PERSIST_INTERVAL_MS, &info);
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

static void ready(void *pvxstored)
{
	(void)pvxstored;
	pvx_log_info("pvxstored %d ready", (int)getpid());
}

static void usage(FILE *to)
{
	fprintf(to, "usage: pvxstored [-n] [-m MIB] [-q NAME=N]... [-Q NAME=N]...\n"
		"  -n, --no-persist       do not load or save the store\n"
		"  -m, --memory MIB       bound on the daemon's counted memory (nodes,\n"
		"                         queued output, transaction copies); over it\n"
		"                         writes get ENOSPC; default 1024, or \"none\"\n"
		"  -q, --quota NAME=N     a guest connection's limit\n"
		"  -Q, --dom0-quota NAME=N  a Dom0 (socket) connection's limit\n"
		"  N is a positive number or \"none\"; NAME is one of\n"
		"  %s\n"
		"  (defaults: `pvx xenstore control quota`, docs/xenstore.md)\n",
		xs_quota_names());
}

/* One line on a bad quota argument, as the other usage errors. */
static int quota_opt(struct xs_quota *q, const char *opt, const char *arg)
{
	int rc = xs_quota_parse(q, arg);

	if (rc == -ERANGE)
		fprintf(stderr, "pvxstored: %s %s: a limit must be positive "
			"(\"none\" for no limit)\n", opt, arg);
	else if (rc)
		fprintf(stderr, "pvxstored: %s %s: expected NAME=N with NAME one "
			"of %s\n", opt, arg, xs_quota_names());
	return rc;
}

static int memory_opt(struct pvxstored *d, const char *arg)
{
	unsigned long long v;
	char *end;

	if (strcmp(arg, "none") == 0) {
		d->mem_limit = 0;
		return 0;
	}
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v == 0 ||
	    v > (SIZE_MAX >> 20)) {
		fprintf(stderr, "pvxstored: -m %s: expected a positive number of "
			"MiB or \"none\"\n", arg);
		return -EINVAL;
	}
	d->mem_limit = (size_t)v << 20;
	return 0;
}

static int parse_args(struct pvxstored *d, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-persist", no_argument, NULL, 'n' },
		{ "memory", required_argument, NULL, 'm' },
		{ "quota", required_argument, NULL, 'q' },
		{ "dom0-quota", required_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "nm:q:Q:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			d->persist = false;
			break;
		case 'm':
			if (memory_opt(d, optarg))
				return 2;
			break;
		case 'q':
			if (quota_opt(&d->quota, "-q", optarg))
				return 2;
			break;
		case 'Q':
			if (quota_opt(&d->dom0_quota, "-Q", optarg))
				return 2;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return 2;  /* getopt said which option */
		}
	}
	if (optind < argc) {
		fprintf(stderr, "pvxstored: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	return -1;
}

int main(int argc, char **argv)
{
	static struct pvxstored d = {
		.ds = PVX_DAEMON_STATE_INIT("pvxstored"),
		.persist = true,
		.quota = XS_QUOTA_DEFAULTS,
		.dom0_quota = XS_QUOTA_DOM0_DEFAULTS,
		.mem_limit = XS_MEM_LIMIT_DEFAULT,
	};
	int rc;

	rc = parse_args(&d, argc, argv);
	if (rc >= 0)
		return rc;
	pvx_log_set_prefix(log_prefix, NULL);
	pvx_log_set_stderr(PVX_LOG_STDERR_WITHOUT_FILE);
	return pvx_daemon_run(subsystems, sizeof(subsystems) / sizeof(subsystems[0]),
			      &d, ready);
}

/*
 * pvx-netback: the network backend of every vif of every domain
 * (docs/network.md, pv-drivers/net/netif.h).
 *
 * Runs in the foreground; `pvx daemons start` detaches it. Start-up is an
 * ordered table of steps (pvx/daemon.h), undone in reverse when the loop
 * ends (SIGTERM, SIGINT) or a step fails. Closing the vifs comes first on
 * the way down: every ring is unmapped and every port closed, but the
 * xenstore states are left as they are and the TAPs stay (they are
 * persistent, tap.c), so a restarted pvx-netback re-attaches to the vifs
 * that are still Connected, through the same TAP in the same bridge; the
 * TAPs of vifs removed meanwhile are deleted after the first scan
 * (tap_list.c).
 *
 * The loop has four kinds of event: xenstore watch events (vif_table.c),
 * each queue's event channel(s) and TAP fd (datapath.c), and the stats
 * socket (ctl.c), whose readiness tells `pvx daemons` we are up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pvx/xs_keep.h>

#include "netbackd.h"

uint64_t nb_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Watch events, kept across pvxstored restarts (pvx/xs_keep.h): after
 * one, the "be" watch fires again and the scan finds what was created
 * meanwhile. One daemon per process: the keeper is this file's. */
static struct xs_keep *xs_keeper;

static void xs_cb(void *arg, const char *path, const char *token)
{
	struct netbackd *d = arg;

	(void)token;
	if (d->ctl) /* else pvxd is down: the rescan after it comes back */
		nb_vif_watch_event(d, path);
}

/* pvxd's connection, kept across its restarts (below). */
static struct {
	struct event *hup, *timer;
	unsigned ms;
	bool said;
} pvxd_keep;

/* pvxd's death took the vifs' domains: their TAPs go with them. */
static void vifs_drop(struct netbackd *d)
{
	struct nb_vif *v;

	while ((v = LIST_FIRST(&d->vifs)))
		nb_vif_remove(v, true);
}

static void pvxd_exit(void *netbackd)
{
	struct netbackd *d = netbackd;

	if (pvxd_keep.hup)
		event_free(pvxd_keep.hup);
	pvxd_keep.hup = NULL;
	pvx_gnttab_close(d->gnt);
	if (d->ctl)
		pvx_ctl_close(d->ctl);
	d->gnt = NULL;
	d->ctl = NULL;
}

/* pvxd killed (-9) or restarted: every ring, grant mapping and port of
 * ours died with it, and so did the domains they served. The control
 * connection's hang-up (EV_CLOSED: it carries nothing unasked) closes
 * every vif and deletes its TAP, drops the connection, and a timer
 * reconnects (100 ms doubling to 2 s, one log line per change of state),
 * then rescans: pvxstored purges the dead domains' directories, so only
 * devices of the new pvxd's domains are found. */

static void pvxd_arm(void)
{
	struct timeval tv = { pvxd_keep.ms / 1000, (pvxd_keep.ms % 1000) * 1000 };

	evtimer_add(pvxd_keep.timer, &tv);
	pvxd_keep.ms = pvxd_keep.ms * 2 > 2000 ? 2000 : pvxd_keep.ms * 2;
}

static void pvxd_hup_cb(evutil_socket_t fd, short what, void *arg)
{
	struct netbackd *d = arg;

	(void)fd;
	(void)what;
	pvx_log_warn("lost pvxd: closing every vif (their domains died with it);"
		     " reconnecting");
	vifs_drop(d);
	pvxd_exit(d);
	pvxd_keep.said = true;
	pvxd_keep.ms = 100;
	pvxd_arm();
}

static int pvxd_connect(struct netbackd *d, bool quiet)
{
	int rc = pvx_ctl_open(&d->ctl);

	if (rc < 0) {
		char msg[256];

		pvx_ctl_open_error(rc, msg, sizeof(msg));
		if (!quiet)
			pvx_log_err("%s", msg);
		return rc;
	}
	rc = pvx_gnttab_open(d->ctl, &d->gnt);
	if (rc < 0) {
		pvx_log_err("grant mapping is not available: %s", strerror(-rc));
		goto err;
	}
	pvxd_keep.hup = event_new(d->ds.base, pvx_ctl_fd(d->ctl), EV_CLOSED | EV_PERSIST,
				  pvxd_hup_cb, d);
	rc = -ENOMEM;
	if (!pvxd_keep.hup || event_add(pvxd_keep.hup, NULL) < 0)
		goto err;
	return 0;
err:
	pvxd_exit(d);
	return rc;
}

static void pvxd_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct netbackd *d = arg;

	(void)fd;
	(void)what;
	if (pvxd_connect(d, true) < 0) {
		if (!pvxd_keep.said)
			pvx_log_warn("pvxd not reachable; retrying up to every 2000 ms");
		pvxd_keep.said = true;
		pvxd_arm();
		return;
	}
	pvx_log_info("reconnected to pvxd");
	pvxd_keep.said = false;
	pvxd_keep.ms = 100;
	if (d->xs) {
		nb_vif_scan(d);
		nb_taps_sweep(d); /* those of vifs purged meanwhile */
	}
}

static int pvxd_init(void *netbackd)
{
	struct netbackd *d = netbackd;
	int rc;

	pvxd_keep.timer = evtimer_new(d->ds.base, pvxd_timer_cb, d);
	if (!pvxd_keep.timer)
		return -ENOMEM;
	rc = pvxd_connect(d, false);
	if (rc < 0) {
		event_free(pvxd_keep.timer);
		pvxd_keep.timer = NULL;
	}
	return rc;
}

/* The step's undo: the connection and the reconnect timer. */
static void pvxd_stop(void *netbackd)
{
	pvxd_exit(netbackd);
	if (pvxd_keep.timer)
		event_free(pvxd_keep.timer);
	pvxd_keep.timer = NULL;
}

static void xs_exit(void *netbackd)
{
	struct netbackd *d = netbackd;

	xs_keep_stop(xs_keeper);
	xs_keeper = NULL;
	xs_close(d->xs);
	d->xs = NULL;
}

static int xs_init(void *netbackd)
{
	struct netbackd *d = netbackd;
	int rc = xs_open(&d->xs);

	if (rc < 0) {
		pvx_log_err("cannot reach pvxstored: %s", strerror(-rc));
		return rc;
	}
	rc = xs_keep_start(d->ds.base, d->xs, xs_cb, d, &xs_keeper);
	if (rc >= 0) /* fires once at once (a second scan, harmless) */
		rc = xs_watch(d->xs, PVX_NET_BE_ROOT, "be");
	if (rc < 0)
		xs_exit(d);
	return rc;
}

/* The first scan, then the TAPs of vifs removed while we were down go. */
static int vifs_init(void *netbackd)
{
	struct netbackd *d = netbackd;

	nb_vif_scan(d);
	nb_taps_sweep(d);
	return 0;
}

/* Leaves xenstore and the TAPs as they are: a restarted daemon re-attaches. */
static void vifs_exit(void *netbackd)
{
	struct netbackd *d = netbackd;
	struct nb_vif *v;

	while ((v = LIST_FIRST(&d->vifs)))
		nb_vif_remove(v, false);
}

static const struct pvx_step steps[] = {
	PVX_DAEMON_STEPS,
	{ "pvxd", pvxd_init, pvxd_stop },
	{ "xenstore", xs_init, xs_exit },
	{ "vifs", vifs_init, vifs_exit },
	{ "stats socket", nb_ctl_init, nb_ctl_exit },
};

static void ready(void *netbackd)
{
	(void)netbackd;
	pvx_log_info("serving %s (pid %d)", PVX_NET_BE_ROOT, (int)getpid());
}

static int usage(FILE *f)
{
	fprintf(f, "usage: pvx-netback [-v] [-p US]\n"
		"Serves every vif (backend/vif in xenstore) of the pvx instance in\n"
		"$PVX_RUNDIR (default /run/pvx) through TAP devices. -v logs debug\n"
		"messages. -p US: keep polling a busy tx ring for US microseconds\n"
		"after its last packet instead of asking the guest for kicks\n"
		"(default 0: off). Statistics: \"stats\" on <rundir>/%s.\n",
		PVX_NET_CTL_SOCK);
	return f == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
	struct netbackd d = {
		.ds = PVX_DAEMON_STATE_INIT(NETBACK_NAME),
		.ctl_srv = PVX_STATS_SERVER_INIT,
	};
	int opt;

	while ((opt = getopt(argc, argv, "vhp:")) != -1) {
		if (opt == 'v') {
			pvx_log_set_level(PVX_LOG_DEBUG);
		} else if (opt == 'p') {
			char *end;
			unsigned long us = strtoul(optarg, &end, 10);

			if (!*optarg || *end || us > 1000000) {
				fprintf(stderr, "pvx-netback: -p '%s': expected microseconds, "
					"0 to 1000000\n", optarg);
				return usage(stderr);
			}
			d.poll_ns = us * 1000ull;
		} else {
			return usage(opt == 'h' ? stdout : stderr);
		}
	}
	pvx_log_set_ident(d.ds.name);
	LIST_INIT(&d.vifs);
	return pvx_daemon_run(steps, sizeof(steps) / sizeof(steps[0]), &d, ready);
}

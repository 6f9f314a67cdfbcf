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

	pvx_gnttab_close(d->gnt);
	if (d->ctl)
		pvx_ctl_close(d->ctl);
	d->gnt = NULL;
	d->ctl = NULL;
}

/* pvxd killed (-9) or restarted (pvx_pvxd_keep, pvx/daemon.h): every
 * vif goes as its domain did, then, reconnected, the rescan finds the
 * new pvxd's (pvxstored purged the dead domains' directories). */
static struct pvx_pvxd_keep pvxd_keep;

static int pvxd_open(void *netbackd, bool quiet)
{
	struct netbackd *d = netbackd;
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
		pvxd_exit(d);
		return rc;
	}
	return pvx_ctl_fd(d->ctl);
}

static void pvxd_lost(void *netbackd)
{
	vifs_drop(netbackd);
	pvxd_exit(netbackd);
}

static void pvxd_back(void *netbackd)
{
	struct netbackd *d = netbackd;

	if (d->xs) {
		nb_vif_scan(d);
		nb_taps_sweep(d); /* those of vifs purged meanwhile */
	}
}

static int pvxd_init(void *netbackd)
{
	struct netbackd *d = netbackd;

	pvxd_keep = (struct pvx_pvxd_keep){
		.base = d->ds.base, .what = "vif", .ctx = d,
		.open = pvxd_open, .lost = pvxd_lost, .back = pvxd_back,
	};
	return pvx_pvxd_keep_start(&pvxd_keep);
}

static void pvxd_stop(void *netbackd)
{
	pvx_pvxd_keep_stop(&pvxd_keep);
	pvxd_exit(netbackd);
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

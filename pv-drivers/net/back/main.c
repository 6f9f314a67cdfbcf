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
 * The loop has four kinds of event: xenstore watch events (pvx/backd.h
 * routes them to vif.c), each queue's event channel(s) and TAP fd
 * (datapath.c), and the stats socket (ctl.c), whose readiness tells
 * `pvx daemons` we are up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pvx/backd.h>

#include "netbackd.h"

uint64_t nb_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* pvxd's death took the vifs' domains: their TAPs go with them. */
static void vifs_drop(void *netbackd)
{
	struct netbackd *d = netbackd;
	struct backd_dev *dev;

	while ((dev = LIST_FIRST(&d->vifs.list)))
		nb_vif_remove(nb_vif_of(dev), true);
}

static void vifs_watch_event(void *netbackd, const char *path)
{
	struct netbackd *d = netbackd;

	backd_devs_watch_event(&d->vifs, path);
}

/* The scan, then the TAPs of the vifs removed while we were not looking
 * (down, or pvxd down) go. */
static void vifs_rescan(void *netbackd)
{
	struct netbackd *d = netbackd;

	backd_devs_scan(&d->vifs);
	nb_taps_sweep(d);
}

static int vifs_init(void *netbackd)
{
	vifs_rescan(netbackd);
	return 0;
}

/* Leaves xenstore and the TAPs as they are: a restarted daemon re-attaches. */
static void vifs_exit(void *netbackd)
{
	struct netbackd *d = netbackd;
	struct backd_dev *dev;

	while ((dev = LIST_FIRST(&d->vifs.list)))
		nb_vif_remove(nb_vif_of(dev), false);
}

static const struct pvx_step steps[] = {
	PVX_DAEMON_STEPS,
	{ "pvxd", backd_pvxd_init, backd_pvxd_exit },
	{ "xenstore", backd_xs_init, backd_xs_exit },
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
	nb_vifs_init(&d);
	backd_link_set(&(struct backd_link){
		.what = "vif", .be_root = PVX_NET_BE_ROOT, .daemon = &d,
		.xs = &d.xs, .ctl = &d.ctl, .gnt = &d.gnt,
		.watch_event = vifs_watch_event, .drop_devices = vifs_drop,
		.rescan = vifs_rescan,
	});
	return pvx_daemon_run(steps, sizeof(steps) / sizeof(steps[0]), &d, ready);
}

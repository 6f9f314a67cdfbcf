/*
 * The backend daemons' links to pvxd and pvxstored (pvx/backd.h), kept
 * across either one's kill -9 or restart. One daemon per process: the
 * link, its pvxd keeper and its xenstore keeper are this file's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pvx/backd.h>
#include <pvx/ctlclient.h>
#include <pvx/daemon.h>
#include <pvx/gnttab.h>
#include <pvx/log.h>
#include <pvx/xs.h>
#include <pvx/xs_keep.h>

static struct backd_link daemon_link;
static struct pvx_pvxd_keep pvxd_keep;
static struct xs_keep *xs_keeper;

void backd_link_set(const struct backd_link *l)
{
	daemon_link = *l;
}

static struct event_base *daemon_base(void *daemon)
{
	return ((struct pvx_daemon_state *)daemon)->base;
}

static void pvxd_close(void)
{
	pvx_gnttab_close(*daemon_link.gnt);
	if (*daemon_link.ctl)
		pvx_ctl_close(*daemon_link.ctl);
	*daemon_link.gnt = NULL;
	*daemon_link.ctl = NULL;
}

/* The pvxd keeper's open: quiet while it retries, so that a pvxd that
 * stays down is said once, not at every attempt. */
static int pvxd_open(void *unused, bool quiet)
{
	int rc = pvx_ctl_open(daemon_link.ctl);

	(void)unused;
	if (rc < 0) {
		char msg[256];

		pvx_ctl_open_error(rc, msg, sizeof(msg));
		if (!quiet)
			pvx_log_err("%s", msg);
		return rc;
	}
	rc = pvx_gnttab_open(*daemon_link.ctl, daemon_link.gnt);
	if (rc < 0) {
		pvx_log_err("grant mapping is not available: %s", strerror(-rc));
		pvxd_close();
		return rc;
	}
	return pvx_ctl_fd(*daemon_link.ctl);
}

/* pvxd killed (-9) or restarted: every device goes as its domain did,
 * then, reconnected, the rescan finds the new pvxd's (pvxstored purged
 * the dead domains' directories). */
static void pvxd_lost(void *unused)
{
	(void)unused;
	daemon_link.drop_devices(daemon_link.daemon);
	pvxd_close();
}

static void pvxd_back(void *unused)
{
	(void)unused;
	if (*daemon_link.xs) /* else no xenstore step up: its own scan comes */
		daemon_link.rescan(daemon_link.daemon);
}

int backd_pvxd_init(void *daemon)
{
	pvxd_keep = (struct pvx_pvxd_keep){
		.base = daemon_base(daemon), .what = daemon_link.what,
		.open = pvxd_open, .lost = pvxd_lost, .back = pvxd_back,
	};
	return pvx_pvxd_keep_start(&pvxd_keep);
}

void backd_pvxd_exit(void *daemon)
{
	(void)daemon;
	pvx_pvxd_keep_stop(&pvxd_keep);
	pvxd_close();
}

static void xs_event(void *unused, const char *path, const char *token)
{
	(void)unused;
	(void)token;
	if (*daemon_link.ctl) /* else pvxd is down: the rescan after it comes back */
		daemon_link.watch_event(daemon_link.daemon, path);
}

void backd_xs_exit(void *daemon)
{
	(void)daemon;
	xs_keep_stop(xs_keeper);
	xs_keeper = NULL;
	xs_close(*daemon_link.xs);
	*daemon_link.xs = NULL;
}

/* After a pvxstored restart the keeper re-arms the watches, and the "be"
 * one fires again: the scan finds what was created meanwhile. */
int backd_xs_init(void *daemon)
{
	int rc = xs_open(daemon_link.xs);

	if (rc < 0) {
		pvx_log_err("cannot reach pvxstored: %s", strerror(-rc));
		return rc;
	}
	rc = xs_keep_start(daemon_base(daemon), *daemon_link.xs, xs_event, NULL, &xs_keeper);
	if (rc >= 0) /* fires once at once: the first scan of every backend */
		rc = xs_watch(*daemon_link.xs, daemon_link.be_root, "be");
	if (rc < 0)
		backd_xs_exit(daemon);
	return rc;
}

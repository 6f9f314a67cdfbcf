/*
 * pvx-blkback: the block backend of every vbd of every domain
 * (docs/block.md, ARCHITECTURE D10).
 *
 * Runs in the foreground; `pvx daemons start` detaches it. Start-up is an
 * ordered table of steps (pvx/daemon.h: each init undoes itself when it
 * fails; messages to
 * <logdir>/pvx-blkback.log and stderr, pid file <rundir>/pvx-blkback.pid),
 * undone in reverse when the loop ends (SIGTERM,
 * SIGINT) or a step fails. Closing the vbds comes first on the way down:
 * every ring's in-flight I/O completes and is answered, grants are
 * unmapped, but the xenstore states are left as they are, so a restarted
 * pvx-blkback re-attaches to the rings that are still Connected.
 *
 * The loop has three kinds of event: xenstore watch events (vbd.c),
 * each ring's event channel (vbd_ring.c), and the io_uring completion
 * eventfd (here): one reap answers every finished request of every ring,
 * then one publish per ring with news.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pvx/xs_keep.h>

#include "daemon.h"

#define IO_QUEUE_DEPTH 512
#define DEFAULT_POLL_US 50

/* Watch events, kept across pvxstored restarts (pvx/xs_keep.h): after
 * one, the "be" watch fires again and the scan finds what was created
 * meanwhile. One daemon per process: the keeper is this file's. */
static struct xs_keep *xs_keeper;

static void xs_cb(void *arg, const char *path, const char *token)
{
	struct blkbackd *d = arg;

	(void)token;
	if (d->ctl) /* else pvxd is down: the rescan after it comes back */
		bb_vbd_watch_event(d, path);
}

static void io_cb(evutil_socket_t fd, short what, void *arg)
{
	struct blkbackd *d = arg;

	(void)fd;
	(void)what;
	blkback_io_reap(&d->io, blkback_ring_io_done);
	blkback_ring_flush_dirty();
	blkback_io_submit(&d->io); /* what resumed rings queued */
	bb_poll_check(d);
}

/* pvxd's death took the vbds' domains: each goes as if removed (its
 * rings drained and unmapped, its frontend watch dropped). */
static void vbds_drop(struct blkbackd *d)
{
	struct bb_vbd *v;

	while ((v = LIST_FIRST(&d->vbds)))
		bb_vbd_remove(v);
}

static void pvxd_exit(void *blkbackd)
{
	struct blkbackd *d = blkbackd;

	pvx_gnttab_close(d->gnt);
	if (d->ctl)
		pvx_ctl_close(d->ctl);
	d->gnt = NULL;
	d->ctl = NULL;
}

/* pvxd killed (-9) or restarted (pvx_pvxd_keep, pvx/daemon.h): every
 * vbd goes as its domain did, then, reconnected, the rescan finds the
 * new pvxd's (pvxstored purged the dead domains' directories). */
static struct pvx_pvxd_keep pvxd_keep;

static int pvxd_open(void *blkbackd, bool quiet)
{
	struct blkbackd *d = blkbackd;
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

static void pvxd_lost(void *blkbackd)
{
	vbds_drop(blkbackd);
	pvxd_exit(blkbackd);
}

static void pvxd_back(void *blkbackd)
{
	struct blkbackd *d = blkbackd;

	if (d->xs)
		bb_vbd_watch_event(d, BLKBACK_BE_ROOT);
}

static int pvxd_init(void *blkbackd)
{
	struct blkbackd *d = blkbackd;

	pvxd_keep = (struct pvx_pvxd_keep){
		.base = d->ds.base, .what = "vbd", .ctx = d,
		.open = pvxd_open, .lost = pvxd_lost, .back = pvxd_back,
	};
	return pvx_pvxd_keep_start(&pvxd_keep);
}

static void pvxd_stop(void *blkbackd)
{
	pvx_pvxd_keep_stop(&pvxd_keep);
	pvxd_exit(blkbackd);
}

static void io_exit(void *blkbackd)
{
	struct blkbackd *d = blkbackd;

	if (d->io_ev)
		event_free(d->io_ev);
	d->io_ev = NULL;
	blkback_io_dispose(&d->io);
}

static int io_init(void *blkbackd)
{
	struct blkbackd *d = blkbackd;
	int rc = blkback_io_init(&d->io, IO_QUEUE_DEPTH);

	if (rc < 0)
		return rc;
	d->io_ev = event_new(d->ds.base, d->io.event_fd, EV_READ | EV_PERSIST, io_cb, d);
	if (!d->io_ev || event_add(d->io_ev, NULL) < 0) {
		io_exit(d);
		return -ENOMEM;
	}
	return 0;
}

static void xs_exit(void *blkbackd)
{
	struct blkbackd *d = blkbackd;

	xs_keep_stop(xs_keeper);
	xs_keeper = NULL;
	xs_close(d->xs);
	d->xs = NULL;
}

static int xs_init(void *blkbackd)
{
	struct blkbackd *d = blkbackd;
	int rc = xs_open(&d->xs);

	if (rc < 0) {
		pvx_log_err("cannot reach pvxstored: %s", strerror(-rc));
		return rc;
	}
	rc = xs_keep_start(d->ds.base, d->xs, xs_cb, d, &xs_keeper);
	if (rc >= 0) /* fires once at once: that first event scans every existing vbd */
		rc = xs_watch(d->xs, BLKBACK_BE_ROOT, "be");
	if (rc < 0)
		xs_exit(d);
	return rc;
}

/* Leaves xenstore as it is: a restarted daemon re-attaches. */
static void vbds_exit(void *blkbackd)
{
	struct blkbackd *d = blkbackd;
	struct bb_vbd *v;

	while ((v = LIST_FIRST(&d->vbds))) {
		bb_rings_disconnect(v);
		bb_disk_close(v);
		event_free(v->close_ev);
		LIST_REMOVE(v, link);
		free(v);
	}
}

static const struct pvx_step steps[] = {
	PVX_DAEMON_STEPS,
	{ "pvxd", pvxd_init, pvxd_stop },
	{ "io_uring", io_init, io_exit },
	{ "polling", bb_poll_init, bb_poll_exit },
	{ "xenstore", xs_init, xs_exit },
	{ "vbds", NULL, vbds_exit },
	{ "stats socket", bb_ctl_init, bb_ctl_exit },
};

static void ready(void *blkbackd)
{
	(void)blkbackd;
	pvx_log_info("serving %s (pid %d)", BLKBACK_BE_ROOT, (int)getpid());
}

static int usage(FILE *f)
{
	fprintf(f, "usage: pvx-blkback [-v] [-p US] [-U]\n"
		"Serves every vbd (backend/vbd in xenstore) of the pvx instance in\n"
		"$PVX_RUNDIR (default /run/pvx). -v logs debug messages. -p US: keep\n"
		"polling a busy ring for US microseconds after its last request\n"
		"instead of asking for notifications (default %d, 0: off). -U: do\n"
		"the I/O of tmpfs/ramfs images through io_uring too, not inline.\n",
		DEFAULT_POLL_US);
	return f == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
	struct blkbackd d = {
		.ds = PVX_DAEMON_STATE_INIT(BLKBACK_NAME),
		.poll_ns = DEFAULT_POLL_US * 1000ull,
		.ctl_srv = PVX_STATS_SERVER_INIT,
	};
	int opt;
	char *end;

	while ((opt = getopt(argc, argv, "vhp:U")) != -1) {
		if (opt == 'v') {
			pvx_log_set_level(PVX_LOG_DEBUG);
		} else if (opt == 'U') {
			d.uring_only = true;
		} else if (opt == 'p') {
			unsigned long us = strtoul(optarg, &end, 10);
			if (!*optarg || *end || us > 1000000) {
				fprintf(stderr, "pvx-blkback: -p '%s': expected microseconds, 0 to 1000000\n",
					optarg);
				return usage(stderr);
			}
			d.poll_ns = us * 1000ull;
		} else {
			return usage(opt == 'h' ? stdout : stderr);
		}
	}
	pvx_log_set_ident(d.ds.name);
	LIST_INIT(&d.vbds);
	d.io.event_fd = -1;
	return pvx_daemon_run(steps, sizeof(steps) / sizeof(steps[0]), &d, ready);
}

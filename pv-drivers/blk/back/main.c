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
 * The loop has three kinds of event: xenstore watch events (pvx/backd.h
 * routes them to vbd.c), each ring's event channel (vbd_ring.c), and the
 * io_uring completion eventfd (here): one reap answers every finished
 * request of every ring, then one publish per ring with news.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pvx/backd.h>

#include "daemon.h"

#define IO_QUEUE_DEPTH 512
#define DEFAULT_POLL_US 50

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
static void vbds_drop(void *blkbackd)
{
	struct blkbackd *d = blkbackd;
	struct backd_dev *dev;

	while ((dev = LIST_FIRST(&d->vbds.list)))
		bb_vbd_remove(bb_vbd_of(dev));
}

static void vbds_watch_event(void *blkbackd, const char *path)
{
	struct blkbackd *d = blkbackd;

	backd_devs_watch_event(&d->vbds, path);
}

static void vbds_rescan(void *blkbackd)
{
	struct blkbackd *d = blkbackd;

	backd_devs_scan(&d->vbds);
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

/* Leaves xenstore as it is: a restarted daemon re-attaches. */
static void vbds_exit(void *blkbackd)
{
	struct blkbackd *d = blkbackd;
	struct backd_dev *dev;

	while ((dev = LIST_FIRST(&d->vbds.list))) {
		struct bb_vbd *v = bb_vbd_of(dev);

		bb_rings_disconnect(v);
		bb_disk_close(v);
		event_free(dev->close_ev);
		LIST_REMOVE(dev, link);
		free(v);
	}
}

static const struct pvx_step steps[] = {
	PVX_DAEMON_STEPS,
	{ "pvxd", backd_pvxd_init, backd_pvxd_exit },
	{ "io_uring", io_init, io_exit },
	{ "polling", bb_poll_init, bb_poll_exit },
	{ "xenstore", backd_xs_init, backd_xs_exit },
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
	bb_vbds_init(&d);
	d.io.event_fd = -1;
	backd_link_set(&(struct backd_link){
		.what = "vbd", .be_root = BLKBACK_BE_ROOT, .daemon = &d,
		.xs = &d.xs, .ctl = &d.ctl, .gnt = &d.gnt,
		.watch_event = vbds_watch_event, .drop_devices = vbds_drop,
		.rescan = vbds_rescan,
	});
	return pvx_daemon_run(steps, sizeof(steps) / sizeof(steps[0]), &d, ready);
}

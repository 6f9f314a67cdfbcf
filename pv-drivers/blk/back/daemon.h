/*
 * pvx-blkback, the daemon: private header of main.c, poll.c, vbd.c,
 * vbd_disk.c, vbd_ring.c, vbd_table.c, vbd_xs.c, gnt_pvx.c. Run/log
 * directories, the pid file, signals and logging come from libpvxutil
 * (pvx/daemon.h, pvx/log.h).
 *
 * One libevent base, one xenstore handle (its watch fd in the loop), one
 * control connection to pvxd (grant maps, event channels), one io_uring
 * (blkback.h's engine) for every vbd of every domain. A vbd is the pair of
 * directories F = /local/domain/D/device/vbd/V and
 * B = /local/domain/0/backend/vbd/D/V; it has 1..PVX_BLK_MAX_QUEUES queues,
 * each a shared ring with its own event channel.
 */
#ifndef PVX_BLKBACK_DAEMON_H
#define PVX_BLKBACK_DAEMON_H

#include <event2/event.h>
#include <sys/queue.h>

#include <pvx/backd.h>
#include <pvx/ctlclient.h>
#include <pvx/daemon.h>
#include <pvx/stats_server.h>
#include <pvx/gnttab.h>
#include <pvx/log.h>
#include <pvx/xs.h>

#include "blkback.h"

#define BLKBACK_NAME "pvx-blkback"
#define BLKBACK_BE_ROOT "/local/domain/0/backend/vbd"

struct blkbackd;

/* One ring of a vbd, with its event channel and grant handle context. */
struct bb_queue {
	struct bb_vbd *vbd;
	unsigned index;
	void *sring;                       /* mapped ring pages (contiguous) */
	unsigned nr_pages;
	uint32_t ring_handles[1u << PVX_BLK_MAX_RING_ORDER];
	struct pvx_evtchn evtchn;
	bool bound;
	struct event *ev;
	struct blkback_ring ring;
	bool ring_live;
};

struct bb_vbd {
	struct backd_dev dev;              /* B, F, its place in d->vbds */
	struct blkbackd *d;
	int state;                         /* our B/state as last written */
	int fd;                            /* the disk, -1 while closed */
	struct blkback_disk_info info;
	bool direct;
	uint32_t phys_sector;
	unsigned nr_queues;
	struct bb_queue q[PVX_BLK_MAX_QUEUES];
	bool connected;
	struct blkback_ring_stats stats_closed; /* of its rings already gone */
};

struct blkbackd {
	struct pvx_daemon_state ds;        /* first: the steps' context */
	struct xs_handle *xs;
	struct pvx_ctl *ctl;
	struct pvx_gnttab *gnt;
	struct blkback_io io;
	struct event *xs_ev, *io_ev, *poll_ev;
	uint64_t poll_ns;                  /* -p: ring polling window (0: off) */
	bool uring_only;                   /* -U: no inline I/O on tmpfs images */
	struct backd_devs vbds;
	struct pvx_stats_server ctl_srv;  /* the stats socket (ctl.c) */
};

static inline struct bb_vbd *bb_vbd_of(struct backd_dev *dev)
{
	return backd_dev_of(dev, struct bb_vbd, dev);
}

/* vbd_table.c: the vbds' table (pvx/backd.h), d->vbds set up. */
void bb_vbds_init(struct blkbackd *d);
void bb_vbd_remove(struct bb_vbd *v);
/* vbd.c: the state machine's actions. */
void bb_vbd_update(struct bb_vbd *v);         /* may free v */
int bb_vbd_set_state(struct bb_vbd *v, int state);

/* vbd_xs.c: keys of B; writes only while B exists (B removed: -ENOENT). */
int bb_xs_read_int(struct blkbackd *d, const char *dir, const char *key, long long *out);
int bb_xs_printf(struct blkbackd *d, const char *dir, const char *key,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* vbd_disk.c: the image or device behind B/params, and the keys about it. */
int bb_disk_open(struct bb_vbd *v);
void bb_disk_close(struct bb_vbd *v);
int bb_disk_publish_features(struct bb_vbd *v);
int bb_disk_publish_geometry(struct bb_vbd *v);

/* vbd_ring.c: map and connect the frontend's rings, and undo that. */
int bb_rings_connect(struct bb_vbd *v, bool attach);
void bb_rings_disconnect(struct bb_vbd *v);

/* poll.c: keep kicking rings that are within their polling window. The
 * init/exit pair is a step of main.c's table: `blkbackd` is a struct
 * blkbackd. */
int bb_poll_init(void *blkbackd);
void bb_poll_exit(void *blkbackd);
void bb_poll_check(struct blkbackd *d);
void bb_queue_kick(struct bb_queue *q);

/* ctl.c: the stats socket <rundir>/blkback.sock (blkif.h), a step of
 * main.c's table. */
int bb_ctl_init(void *blkbackd);
/* *sum += *s, every counter (rings into a vbd's totals). */
void bb_stats_add(struct blkback_ring_stats *sum, const struct blkback_ring_stats *s);
void bb_ctl_exit(void *blkbackd);

/* gnt_pvx.c: blkback_gnt_ops over libpvxgnttab; ctx is a struct bb_queue. */
extern const struct blkback_gnt_ops bb_gnt_ops;

#endif

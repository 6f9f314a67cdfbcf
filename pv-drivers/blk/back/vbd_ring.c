/*
 * Connecting a vbd's rings (XenbusState Initialised -> Connected).
 *
 * The frontend's keys are guest data: every number is range-checked
 * (ring-page-order <= PVX_BLK_MAX_RING_ORDER, queues <= PVX_BLK_MAX_QUEUES,
 * protocol x86_64-abi or absent) before anything is mapped. With one queue
 * the keys sit in F itself, with several in F/queue-N (Linux's layout).
 * A ring of 2^k pages must be contiguous in the guest's frames, which both
 * minios's ringfront and Linux's blkfront guarantee; we map each page
 * through libpvxgnttab and refuse a ring whose pages do not line up in
 * our mapping of the domain's memory.
 *
 * attach (a restarted backend finding B/state Connected) resumes each ring
 * from its published indices instead of resetting it. Disconnect drains
 * the ring's in-flight I/O (responses still go out), then unbinds and
 * unmaps: after it returns no guest page of this vbd is mapped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"

static void ring_event_cb(evutil_socket_t fd, short what, void *arg);

static int map_ring(struct bb_queue *q, const char *dir, long long order)
{
	struct pvx_gnttab_map m[1u << PVX_BLK_MAX_RING_ORDER];
	unsigned n = 1u << order;
	int rc;

	for (unsigned i = 0; i < n; i++) {
		long long ref;
		char key[24];

		snprintf(key, sizeof(key), order ? "ring-ref%u" : "ring-ref", i);
		if (bb_xs_read_int(q->vbd->d, dir, key, &ref) < 0 || ref < 0 ||
		    ref > UINT32_MAX)
			return -EINVAL;
		m[i] = (struct pvx_gnttab_map){ .ref = (grant_ref_t)ref };
	}
	rc = pvx_gnttab_map_batch(q->vbd->d->gnt, q->vbd->dev.domid, m, n);
	if (rc < 0)
		return rc;
	q->nr_pages = 0;
	for (unsigned i = 0; i < n; i++)
		if (m[i].status == GNTST_okay)
			q->ring_handles[q->nr_pages++] = m[i].handle;
	for (unsigned i = 0; i < n && rc == 0; i++)
		if (m[i].status != GNTST_okay ||
		    (uint8_t *)m[i].addr != (uint8_t *)m[0].addr + (size_t)i * XEN_PAGE_SIZE)
			rc = -EINVAL;
	if (rc == 0)
		q->sring = m[0].addr;
	return rc;
}

static void unmap_ring(struct bb_queue *q)
{
	if (q->nr_pages)
		pvx_gnttab_unmap_batch(q->vbd->d->gnt, q->ring_handles, NULL, q->nr_pages);
	q->nr_pages = 0;
	q->sring = NULL;
}

static void ring_notify(void *ctx)
{
	struct bb_queue *q = ctx;

	pvx_evtchn_notify(&q->evtchn);
}

static int connect_queue(struct bb_queue *q, const char *dir, bool persistent, bool attach)
{
	struct bb_vbd *v = q->vbd;
	long long order = 0, port;
	int rc;

	bb_xs_read_int(v->d, dir, "ring-page-order", &order);
	if (order < 0 || order > PVX_BLK_MAX_RING_ORDER ||
	    bb_xs_read_int(v->d, dir, "event-channel", &port) < 0 || port <= 0 ||
	    port > UINT32_MAX)
		return -EINVAL;
	rc = map_ring(q, dir, order);
	if (rc < 0)
		return rc;
	rc = pvx_evtchn_bind(v->d->ctl, v->dev.domid, (uint32_t)port, &q->evtchn);
	if (rc < 0)
		return rc;
	q->bound = true;
	rc = blkback_ring_init(&q->ring, q->sring, (size_t)q->nr_pages * XEN_PAGE_SIZE,
			       attach, &v->info, v->fd, &v->d->io, &bb_gnt_ops, q, persistent);
	if (rc < 0)
		return rc;
	q->ring_live = true;
	q->ring.poll_ns = v->d->poll_ns;
	q->ring.notify = ring_notify;
	q->ring.notify_ctx = q;
	q->ev = event_new(v->d->ds.base, q->evtchn.event_fd, EV_READ | EV_PERSIST,
			  ring_event_cb, q);
	if (!q->ev || event_add(q->ev, NULL) < 0)
		return -ENOMEM;
	return 0;
}

static int check_protocol(struct bb_vbd *v)
{
	char path[160], *proto = NULL;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/protocol", v->dev.fe);
	if (xs_read(v->d->xs, XBT_NULL, path, &proto, NULL) == 0 &&
	    strcmp(proto, BLKIF_PROTOCOL_X86_64) != 0)
		rc = -EPROTONOSUPPORT;
	free(proto);
	return rc;
}

int bb_rings_connect(struct bb_vbd *v, bool attach)
{
	long long nq = 1, persistent = 0;
	char dir[160];
	int rc;

	bb_xs_read_int(v->d, v->dev.fe, "multi-queue-num-queues", &nq);
	bb_xs_read_int(v->d, v->dev.fe, "feature-persistent", &persistent);
	if (nq < 1 || nq > PVX_BLK_MAX_QUEUES || (rc = check_protocol(v)) < 0) {
		pvx_log_warn("%s: frontend asks for %lld queues or a foreign protocol",
		       v->dev.be, nq);
		return -EINVAL;
	}
	v->nr_queues = (unsigned)nq;
	for (unsigned i = 0; i < v->nr_queues; i++) {
		struct bb_queue *q = &v->q[i];

		memset(q, 0, sizeof(*q));
		q->vbd = v;
		q->index = i;
		if (nq == 1)
			snprintf(dir, sizeof(dir), "%s", v->dev.fe);
		else
			snprintf(dir, sizeof(dir), "%s/queue-%u", v->dev.fe, i);
		rc = connect_queue(q, dir, persistent == 1, attach);
		if (rc < 0) {
			pvx_log_warn("%s: queue %u: cannot connect: %s", v->dev.be, i,
			       strerror(-rc));
			bb_rings_disconnect(v);
			return rc;
		}
		bb_queue_kick(q); /* requests queued before we connected */
	}
	v->connected = true;
	bb_poll_check(v->d);
	return 0;
}

void bb_rings_disconnect(struct bb_vbd *v)
{
	for (unsigned i = 0; i < v->nr_queues; i++) {
		struct bb_queue *q = &v->q[i];

		if (q->ev)
			event_free(q->ev);
		q->ev = NULL;
		if (q->ring_live) {
			blkback_ring_dispose(&q->ring); /* waits for its I/O */
			bb_stats_add(&v->stats_closed, &q->ring.stats);
		}
		q->ring_live = false;
		if (q->bound)
			pvx_evtchn_close(v->d->ctl, &q->evtchn);
		q->bound = false;
		unmap_ring(q);
	}
	v->nr_queues = 0;
	v->connected = false;
	/* The grant library caches idle views of guest memory; one of a
	 * domain that is going would keep all its RAM allocated on the host
	 * until evicted. Views still in use by other vbds stay. */
	if (v->d->gnt)
		pvx_gnttab_release_idle(v->d->gnt);
}

static void ring_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct bb_queue *q = arg;

	(void)fd;
	(void)what;
	pvx_evtchn_consume(&q->evtchn);
	bb_queue_kick(q);
	bb_poll_check(q->vbd->d);
}

/*
 * Polling: the cheap way to not be woken.
 *
 * Every notification on this machine is expensive (a guest hypercall exit
 * ~25 µs, an eventfd wake-up of a sleeping thread 15-40 µs; ARCHITECTURE
 * §1a). While a ring is busy, blkback_ring_kick leaves req_event unarmed
 * for poll_ns after the last request, so the frontend publishes without
 * notifying, and the daemon keeps kicking it from here instead: the poll
 * event is made active again after every pass, so libevent runs it on
 * each loop turn (other events still get their turn: it polls them with
 * a zero timeout). Completions are reaped here too, without waiting for
 * the io_uring eventfd. When every ring's window has passed, the rings
 * arm req_event and the daemon sleeps in epoll as before. `-p 0` turns
 * the windows off; a ring that stopped at its per-kick byte budget still
 * comes back through here.
 */
#include <errno.h>

#include "daemon.h"

void bb_queue_kick(struct bb_queue *q)
{
	if (!q->ring_live)
		return;
	if (blkback_ring_kick(&q->ring) == -EIO && q->ev) {
		pvx_log_warn("%s: queue %u: ring indices out of range; closing",
		       q->vbd->dev.be, q->index);
		event_del(q->ev); /* stop listening; the vbd closes on the next turn */
		backd_dev_ring_broken(&q->vbd->dev);
	}
}

void bb_poll_check(struct blkbackd *d)
{
	struct backd_dev *dev;

	if (!d->poll_ev)
		return;
	LIST_FOREACH(dev, &d->vbds.list, link) {
		struct bb_vbd *v = bb_vbd_of(dev);

		for (unsigned i = 0; i < v->nr_queues; i++)
			if (v->q[i].ring_live && v->q[i].ring.polling && !v->q[i].ring.broken) {
				event_active(d->poll_ev, 0, 0);
				return;
			}
	}
}

static void poll_cb(evutil_socket_t fd, short what, void *arg)
{
	struct blkbackd *d = arg;
	struct backd_dev *dev, *next;

	(void)fd;
	(void)what;
	blkback_io_reap(&d->io, blkback_ring_io_done);
	blkback_ring_flush_dirty();
	LIST_FOREACH_SAFE(dev, &d->vbds.list, link, next) {
		struct bb_vbd *v = bb_vbd_of(dev);

		for (unsigned i = 0; i < v->nr_queues; i++)
			if (v->q[i].ring_live && v->q[i].ring.polling)
				bb_queue_kick(&v->q[i]);
	}
	blkback_io_submit(&d->io);
	bb_poll_check(d);
}

int bb_poll_init(void *blkbackd)
{
	struct blkbackd *d = blkbackd;

	d->poll_ev = event_new(d->ds.base, -1, 0, poll_cb, d);
	return d->poll_ev ? 0 : -ENOMEM;
}

void bb_poll_exit(void *blkbackd)
{
	struct blkbackd *d = blkbackd;

	if (d->poll_ev)
		event_free(d->poll_ev);
	d->poll_ev = NULL;
}

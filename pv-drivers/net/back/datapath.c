/*
 * The data path of one queue: libpvxnetback's engine between the rings
 * and the queue's TAP fd, driven by three events.
 *
 *   tx port   (the one port when event channels are shared) the guest
 *             published tx requests: netback_tx_kick consumes up to
 *             NB_TX_BUDGET packets, one grant-map round trip per batch,
 *             each good packet writev()'d to the TAP (virtio-net header
 *             first). With budget left over it comes back on the next
 *             loop turn (`again`), after every other ready event.
 *   rx port   (split) or the shared port: the guest posted rx buffers:
 *             resume reading the TAP if we had stopped.
 *   TAP fd    readable: read up to NETBACK_RX_BATCH frames (never more
 *             than the guest has buffers for), hand them to
 *             netback_rx_deliver in one call (one map round trip, one
 *             push), at most NB_RX_ROUNDS batches per wake-up; level
 *             triggered, so what is left brings us back next turn.
 *
 * No rx buffers posted: the TAP fd is no longer watched (the kernel
 * queues, then drops, frames meanwhile), netback_rx_arm asks the guest
 * for a kick, and a PVX_NET_RX_STALL_MS timer drops what we hold and
 * drains the TAP into rx_dropped each time it fires until buffers come.
 * Every fd is non-blocking and every callback's work is bounded: one
 * vif never holds up another.
 *
 * Notifications to the guest are coalesced per callback: the engine's
 * notify only sets a bit, and one send per port goes out at the end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "netbackd.h"

#define NB_TX_BUDGET 256          /* packets per tx callback */
#define NB_RX_ROUNDS 4            /* rx batches per callback */
#define NB_RX_BUF 2048            /* a frame: the MTU, VLAN tags, slack */
#define NB_RX_DRAIN_MAX 1024      /* frames dropped per stall timer tick */

struct nb_rxbuf {
	struct virtio_net_hdr vhdr;
	size_t len;
	uint8_t data[NB_RX_BUF];
};

struct nb_engine {
	struct netback_queue nq;
	struct nb_queue *q;
	struct event *again_ev, *stall_ev;
	unsigned notify_bits;        /* 1 << enum netback_dir */
	unsigned rx_head, rx_n;      /* frames read, not yet consumed */
	bool tap_dead;               /* reading the TAP failed: not watched again */
	struct netback_stats seen;   /* counters at the last error report */
	uint64_t reported_ms;
	struct nb_rxbuf bufs[NETBACK_RX_BATCH];
};

/* A guest's bad requests, named in the log: the first at once, then at
 * most one line per second per queue with what came since. */
static void report_errors(struct nb_engine *e)
{
	const struct netback_stats *s = &e->nq.stats;
	struct nb_queue *q = e->q;
	char rules[256] = "";
	size_t off = 0;
	uint64_t now;

	if (s->tx_errors == e->seen.tx_errors && s->rx_errors == e->seen.rx_errors)
		return;
	now = nb_now_ms();
	if (e->reported_ms && now - e->reported_ms < 1000)
		return;
	for (unsigned r = 1; r < NETBACK_TX_NR_RULES && off < sizeof(rules); r++)
		if (s->tx_rule[r] != e->seen.tx_rule[r])
			off += (size_t)snprintf(rules + off, sizeof(rules) - off, " %s=%llu",
				netback_tx_rule_name((enum netback_tx_rule)r),
				(unsigned long long)(s->tx_rule[r] - e->seen.tx_rule[r]));
	nb_vif_log(q->vif, PVX_LOG_WARN, "domain %d vif %u queue %u: %llu bad tx packets%s%s, "
		   "%llu rx slots with a bad grant", (int)q->vif->dev.domid, q->vif->dev.devid,
		   q->index, (unsigned long long)(s->tx_errors - e->seen.tx_errors),
		   off ? ":" : "", rules,
		   (unsigned long long)(s->rx_errors - e->seen.rx_errors));
	e->seen = *s;
	e->reported_ms = now;
}

static void engine_notify(void *ctx, enum netback_dir dir)
{
	struct nb_engine *e = ctx;

	e->notify_bits |= 1u << dir;
}

static void flush_notify(struct nb_engine *e)
{
	struct nb_queue *q = e->q;

	report_errors(e); /* every callback ends here */
	if (!e->notify_bits)
		return;
	if (q->split && (e->notify_bits & (1u << NETBACK_DIR_RX)))
		pvx_evtchn_notify(&q->rx_port);
	if (!q->split || (e->notify_bits & (1u << NETBACK_DIR_TX)))
		pvx_evtchn_notify(&q->tx_port);
	if (!q->split && e->notify_bits == 3u)
		e->nq.stats.notify_out--; /* the engine counted two; one went out */
	e->notify_bits = 0;
}

static void broken(struct nb_engine *e)
{
	struct nb_queue *q = e->q;

	nb_vif_log(q->vif, PVX_LOG_WARN, "%s: queue %u: ring indices out of range; closing",
		   q->vif->dev.be, q->index);
	if (q->tx_ev)
		event_del(q->tx_ev);
	if (q->rx_ev)
		event_del(q->rx_ev);
	if (q->tap_ev)
		event_del(q->tap_ev);
	event_del(e->again_ev);
	event_del(e->stall_ev);
	backd_dev_ring_broken(&q->vif->dev); /* the vif closes on the next loop turn */
}

static int tx_sink(void *ctx, const struct iovec *iov, unsigned niov, size_t len)
{
	struct nb_engine *e = ctx;
	ssize_t n;

	(void)len;
	do
		n = writev(e->q->tap_fd, iov, (int)niov);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

/* 1: budget spent, 2: inside the -p poll window (no kick will come):
 * both come back on the next loop turn, after every other ready event. */
static void tx_pass(struct nb_engine *e)
{
	int rc = netback_tx_kick(&e->nq, NB_TX_BUDGET);

	if (rc < 0)
		broken(e);
	else if (rc > 0)
		event_active(e->again_ev, EV_TIMEOUT, 0);
}

/* Reads up to max frames into bufs (empty before); returns how many. */
static unsigned read_frames(struct nb_engine *e, unsigned max)
{
	unsigned n = 0;

	while (n < max) {
		struct nb_rxbuf *b = &e->bufs[n];
		struct iovec iov[2] = { { &b->vhdr, sizeof(b->vhdr) },
					{ b->data, sizeof(b->data) } };
		ssize_t got = readv(e->q->tap_fd, iov, 2);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno != EAGAIN && !e->tap_dead) {
			/* The device went under us (`ip link del`): a level-
			 * triggered fd in error would spin the loop. */
			pvx_log_warn("%s: queue %u: TAP %s: %s; no longer reading it",
				     e->q->vif->dev.be, e->q->index, e->q->vif->cfg.vifname,
				     strerror(errno));
			e->tap_dead = true;
			if (e->q->tap_watched)
				event_del(e->q->tap_ev);
			e->q->tap_watched = false;
		}
		if (got < 0)
			break; /* EAGAIN: empty */
		if ((size_t)got <= sizeof(b->vhdr) ||
		    (size_t)got - sizeof(b->vhdr) >= sizeof(b->data)) {
			e->nq.stats.rx_dropped++; /* runt, or cut short: not a frame */
			continue;
		}
		b->len = (size_t)got - sizeof(b->vhdr);
		n++;
	}
	e->rx_head = 0;
	e->rx_n = n;
	return n;
}

/* Gives the held frames to the engine; false once the ring is broken. */
static bool deliver(struct nb_engine *e)
{
	struct netback_rx_frame f[NETBACK_RX_BATCH];
	int done;

	for (unsigned i = 0; i < e->rx_n; i++) {
		struct nb_rxbuf *b = &e->bufs[e->rx_head + i];

		f[i] = (struct netback_rx_frame){ &b->vhdr, b->data, b->len };
	}
	done = netback_rx_deliver(&e->nq, f, e->rx_n);
	if (done < 0) {
		broken(e);
		return false;
	}
	e->rx_head += (unsigned)done;
	e->rx_n -= (unsigned)done;
	return true;
}

static void stop_reading(struct nb_engine *e)
{
	struct timeval t = { PVX_NET_RX_STALL_MS / 1000, (PVX_NET_RX_STALL_MS % 1000) * 1000 };

	if (e->q->tap_watched) {
		event_del(e->q->tap_ev);
		e->q->tap_watched = false;
	}
	if (!evtimer_pending(e->stall_ev, NULL) && !e->tap_dead)
		evtimer_add(e->stall_ev, &t);
}

static void rx_pass(struct nb_engine *e)
{
	unsigned posted = 0, last = 0;

	for (unsigned round = 0; round < NB_RX_ROUNDS; round++) {
		if (e->rx_n && !deliver(e))
			return;
		if (!e->rx_n)
			posted = netback_rx_posted(&e->nq);
		if (e->rx_n || !posted) {
			/* Out of buffers: ask for a kick, unless some came meanwhile. */
			posted = netback_rx_arm(&e->nq);
			if (e->nq.broken) {
				broken(e);
				return;
			}
			if (!posted || (e->rx_n && posted <= last)) {
				stop_reading(e);
				return;
			}
			last = posted;
			continue;
		}
		if (!read_frames(e, posted < NETBACK_RX_BATCH ? posted : NETBACK_RX_BATCH))
			return; /* the TAP is empty */
	}
	if (e->rx_n)
		event_active(e->q->tap_ev, EV_READ, 0); /* held frames: next turn */
}

/* The guest posted rx buffers (or may have): read the TAP again. */
static void rx_resume(struct nb_engine *e)
{
	if (e->nq.broken)
		return; /* its events are off; the vif closes next turn */
	evtimer_del(e->stall_ev);
	if (!e->q->tap_watched && !e->tap_dead && event_add(e->q->tap_ev, NULL) == 0)
		e->q->tap_watched = true;
	rx_pass(e);
}

static void tx_port_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nb_engine *e = arg;

	(void)fd;
	(void)what;
	pvx_evtchn_consume(&e->q->tx_port);
	e->nq.stats.notify_in++;
	tx_pass(e);
	if (!e->q->split)
		rx_resume(e);
	flush_notify(e);
}

static void rx_port_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nb_engine *e = arg;

	(void)fd;
	(void)what;
	pvx_evtchn_consume(&e->q->rx_port);
	e->nq.stats.notify_in++;
	rx_resume(e);
	flush_notify(e);
}

static void tap_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nb_engine *e = arg;

	(void)fd;
	(void)what;
	rx_pass(e);
	flush_notify(e);
}

static void again_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nb_engine *e = arg;

	(void)fd;
	(void)what;
	tx_pass(e);
	flush_notify(e);
}

/* No buffers for PVX_NET_RX_STALL_MS: drop what waits, then look again. */
static void stall_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nb_engine *e = arg;
	unsigned dropped = e->rx_n;

	(void)fd;
	(void)what;
	if (e->nq.broken) {
		broken(e);
		return;
	}
	if (netback_rx_posted(&e->nq)) {
		rx_resume(e);
		flush_notify(e);
		return;
	}
	e->rx_n = 0;
	while (dropped < NB_RX_DRAIN_MAX) {
		unsigned n = read_frames(e, NETBACK_RX_BATCH);

		dropped += n;
		if (n < NETBACK_RX_BATCH)
			break;
	}
	e->rx_n = 0;
	e->nq.stats.rx_dropped += dropped;
	stop_reading(e); /* re-arms the timer */
}

static void engine_free(struct nb_queue *q)
{
	struct nb_engine *e = q->engine;

	if (q->tx_ev)
		event_free(q->tx_ev);
	if (q->rx_ev)
		event_free(q->rx_ev);
	if (q->tap_ev)
		event_free(q->tap_ev);
	q->tx_ev = q->rx_ev = q->tap_ev = NULL;
	q->tap_watched = false;
	if (!e)
		return;
	if (e->again_ev)
		event_free(e->again_ev);
	if (e->stall_ev)
		event_free(e->stall_ev);
	free(e);
	q->engine = NULL;
}

static int engine_events(struct nb_engine *e)
{
	struct nb_queue *q = e->q;
	struct event_base *base = q->vif->d->ds.base;

	e->again_ev = event_new(base, -1, 0, again_cb, e);
	e->stall_ev = evtimer_new(base, stall_cb, e);
	q->tx_ev = event_new(base, q->tx_port.event_fd, EV_READ | EV_PERSIST, tx_port_cb, e);
	if (q->split)
		q->rx_ev = event_new(base, q->rx_port.event_fd, EV_READ | EV_PERSIST,
				     rx_port_cb, e);
	q->tap_ev = event_new(base, q->tap_fd, EV_READ | EV_PERSIST, tap_cb, e);
	if (!e->again_ev || !e->stall_ev || !q->tx_ev || (q->split && !q->rx_ev) ||
	    !q->tap_ev || event_add(q->tx_ev, NULL) < 0 ||
	    (q->rx_ev && event_add(q->rx_ev, NULL) < 0) || event_add(q->tap_ev, NULL) < 0)
		return -ENOMEM;
	q->tap_watched = true;
	return 0;
}

int nb_queue_start(struct nb_queue *q, bool attach)
{
	struct nb_engine *e = calloc(1, sizeof(*e));
	struct netback_queue_cfg cfg;
	int rc;

	if (!e)
		return -ENOMEM;
	e->q = q;
	q->engine = e;
	cfg = (struct netback_queue_cfg){
		.tx_sring = q->tx_sring, .rx_sring = q->rx_sring, .attach = attach,
		.feat = q->vif->feat, .gops = &nb_gnt_ops, .gctx = q,
		.sink = tx_sink, .sink_ctx = e, .notify = engine_notify, .notify_ctx = e,
	};
	rc = netback_queue_init(&e->nq, &cfg);
	if (rc < 0) {
		free(e);
		q->engine = NULL;
		nb_vif_log(q->vif, PVX_LOG_WARN, "%s: queue %u: ring setup failed: %s",
			   q->vif->dev.be, q->index, strerror(-rc));
		return rc;
	}
	e->nq.poll_ns = q->vif->d->poll_ns;
	rc = engine_events(e);
	if (rc < 0) {
		netback_queue_dispose(&e->nq);
		engine_free(q);
		return rc;
	}
	/* Whatever the guest queued before we listened (or while we were down). */
	tx_pass(e);
	if (!e->nq.broken)
		rx_pass(e);
	flush_notify(e);
	return 0;
}

static void stats_add(struct netback_stats *t, const struct netback_stats *s)
{
	t->tx_packets += s->tx_packets;
	t->tx_bytes += s->tx_bytes;
	t->tx_errors += s->tx_errors;
	t->tx_dropped += s->tx_dropped;
	t->rx_packets += s->rx_packets;
	t->rx_bytes += s->rx_bytes;
	t->rx_dropped += s->rx_dropped;
	t->rx_errors += s->rx_errors;
	t->notify_in += s->notify_in;
	t->notify_out += s->notify_out;
	for (unsigned i = 0; i < NETBACK_TX_NR_RULES; i++)
		t->tx_rule[i] += s->tx_rule[i];
}

void nb_queue_stop(struct nb_queue *q)
{
	if (q->engine) {
		stats_add(&q->vif->stats, &q->engine->nq.stats);
		netback_queue_dispose(&q->engine->nq);
	}
	engine_free(q);
}

void nb_vif_stats(const struct nb_vif *v, struct netback_stats *out)
{
	*out = v->stats;
	for (unsigned i = 0; i < v->nr_queues; i++)
		if (v->q[i].engine)
			stats_add(out, &v->q[i].engine->nq.stats);
}

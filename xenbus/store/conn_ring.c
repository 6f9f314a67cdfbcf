/*
 * The guest ring transport: a domain's xenstore page (two 1 KiB byte
 * rings, struct xenstore_domain_interface) plus its store event channel.
 *
 * The page is shared with a hostile guest, so:
 *  - the indices we own (req_cons, rsp_prod) live in private memory and
 *    are only ever written to the page; the guest's (req_prod, rsp_cons)
 *    are read once per pass and validated: a producer more than a ring
 *    ahead is a broken ring (error = XENSTORE_ERROR_RINGIDX, and we stop
 *    serving it);
 *  - request bytes are copied out of the ring before the parser sees
 *    them, and req_cons advances only over bytes the parser took;
 *  - a protocol violation (oversized payload) sets error =
 *    XENSTORE_ERROR_PROTO and ends the connection's state.
 * We advertise RECONNECTION and ERROR in server_features. A guest that
 * writes connection = XENSTORE_RECONNECT gets its watches, transactions
 * and queued output dropped, both rings emptied, the error cleared and
 * connection = XENSTORE_CONNECTED, then an event.
 *
 * Wakeups: the event channel's eventfd wakes service(); output queued by
 * anyone (replies, watch events from other clients' writes) activates a
 * deferred event, so a burst of output costs one pass and one notify.
 */
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ring.h"

struct ring_priv {
	struct xs_conn *c;
	struct xenstore_domain_interface *intf;
	void *map_h, *bind_h;
	int event_fd, notify_fd;
	struct event *ev, *kick_ev;
	XENSTORE_RING_IDX req_cons, rsp_prod;  /* ours: authoritative here */
	bool broken;
	bool notify;
	char in[XENSTORE_RING_SIZE];
};

static void ring_fail(struct ring_priv *p, uint32_t err, const char *why)
{
	if (p->broken)
		return;
	p->broken = true;
	__atomic_store_n(&p->intf->error, err, __ATOMIC_RELEASE);
	pvx_log_warn("domain %u: ring stopped: %s", p->c->domid, why);
	xs_conn_kill(p->c, why);
	p->notify = true;
}

static ssize_t ring_write(struct xs_conn *c, const void *buf, size_t len)
{
	struct ring_priv *p = c->priv;
	XENSTORE_RING_IDX cons, used;
	size_t n, off, chunk;

	if (p->broken)
		return -EPIPE;
	/* Read the guest's consumer index before looking at free space. */
	cons = __atomic_load_n(&p->intf->rsp_cons, __ATOMIC_ACQUIRE);
	used = p->rsp_prod - cons;
	if (used > XENSTORE_RING_SIZE) {
		ring_fail(p, XENSTORE_ERROR_RINGIDX, "bad rsp_cons");
		return -EPIPE;
	}
	n = XENSTORE_RING_SIZE - used;
	n = n < len ? n : len;
	for (off = 0; off < n; off += chunk) {
		size_t at = MASK_XENSTORE_IDX(p->rsp_prod + off);

		chunk = XENSTORE_RING_SIZE - at;
		chunk = chunk < n - off ? chunk : n - off;
		memcpy(p->intf->rsp + at, (const char *)buf + off, chunk);
	}
	if (n) {
		p->rsp_prod += n;
		/* Write the response bytes before publishing rsp_prod. */
		__atomic_store_n(&p->intf->rsp_prod, p->rsp_prod, __ATOMIC_RELEASE);
		p->notify = true;
	}
	return (ssize_t)n;
}

/* Copies what the guest produced and feeds it; true if anything moved. */
static bool ring_read(struct ring_priv *p)
{
	XENSTORE_RING_IDX prod, avail;
	size_t at, first, used;

	prod = __atomic_load_n(&p->intf->req_prod, __ATOMIC_ACQUIRE);
	avail = prod - p->req_cons;
	if (avail > XENSTORE_RING_SIZE) {
		ring_fail(p, XENSTORE_ERROR_RINGIDX, "bad req_prod");
		return false;
	}
	if (!avail || xs_conn_stalled(p->c))
		return false;
	/* Copy out once (the acquire above orders these reads after the
	 * producer index), then parse only the private copy. */
	at = MASK_XENSTORE_IDX(p->req_cons);
	first = XENSTORE_RING_SIZE - at < avail ? XENSTORE_RING_SIZE - at : avail;
	memcpy(p->in, p->intf->req + at, first);
	memcpy(p->in + first, p->intf->req, avail - first);
	used = xs_conn_feed(p->c, p->in, avail);
	if (p->c->dead) {
		/* The parser refused the stream (oversized payload). */
		ring_fail(p, XENSTORE_ERROR_PROTO, "protocol violation");
		return false;
	}
	if (!used)
		return false;
	p->req_cons += used;
	/* Finish reading the bytes before handing their space back. */
	__atomic_store_n(&p->intf->req_cons, p->req_cons, __ATOMIC_RELEASE);
	p->notify = true;
	return true;
}

static void ring_reconnect(struct ring_priv *p)
{
	struct xenstore_domain_interface *in = p->intf;

	pvx_log_info("domain %u: ring reconnect", p->c->domid);
	xs_conn_reset(p->c);
	p->c->dead = false;
	p->broken = false;
	p->req_cons = __atomic_load_n(&in->req_prod, __ATOMIC_ACQUIRE);
	p->rsp_prod = __atomic_load_n(&in->rsp_cons, __ATOMIC_ACQUIRE);
	in->req_cons = p->req_cons;
	in->rsp_prod = p->rsp_prod;
	in->error = XENSTORE_ERROR_NONE;
	/* Empty rings and cleared error before the guest sees "connected". */
	__atomic_store_n(&in->connection, XENSTORE_CONNECTED, __ATOMIC_RELEASE);
	p->notify = true;
}

void ring_conn_service(struct xs_conn *c)
{
	struct ring_priv *p = c->priv;
	bool progress;
	uint64_t one = 1;

	if (__atomic_load_n(&p->intf->connection, __ATOMIC_ACQUIRE) ==
	    XENSTORE_RECONNECT)
		ring_reconnect(p);
	do {
		if (p->broken)
			break;
		/* Draining output first may un-stall input. */
		xs_conn_flush(c);
		progress = ring_read(p);
	} while (progress);
	if (!p->broken)
		xs_conn_flush(c);
	if (p->notify && write(p->notify_fd, &one, sizeof(one)) < 0)
		ring_fail(p, XENSTORE_ERROR_COMM, "event channel notify failed");
	p->notify = false;
}

static void ring_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct xs_conn *c = arg;
	uint64_t n;

	(void)what;
	/* Level-triggered eventfd: drain it, then look at the page. */
	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		pvx_log_warn("domain %u: event channel read: %s",
		       c->domid, strerror(errno));
	ring_conn_service(c);
}

static void ring_kick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	ring_conn_service(arg);
}

static void ring_kick(struct xs_conn *c)
{
	struct ring_priv *p = c->priv;

	if (!event_pending(p->kick_ev, EV_TIMEOUT, NULL))
		event_active(p->kick_ev, EV_TIMEOUT, 0);
}

static void ring_release(struct xs_conn *c)
{
	struct ring_priv *p = c->priv;
	const struct xs_ring_backend *b = c->st->ring_backend;

	if (p->ev)
		event_free(p->ev);
	if (p->kick_ev)
		event_free(p->kick_ev);
	if (p->bind_h)
		b->unbind(c->st->ring_ctx, p->bind_h);
	if (p->map_h)
		b->unmap(c->st->ring_ctx, p->map_h);
	free(p);
}

static const struct xs_conn_ops ring_ops = {
	.kind = "ring",
	.write = ring_write,
	.kick = ring_kick,
	.resume = ring_kick,
	.release = ring_release,
};

/* Adopts the indices a previous pvxstored left in the page, if sane. */
static void ring_adopt(struct ring_priv *p)
{
	struct xenstore_domain_interface *in = p->intf;

	p->req_cons = __atomic_load_n(&in->req_cons, __ATOMIC_ACQUIRE);
	p->rsp_prod = __atomic_load_n(&in->rsp_prod, __ATOMIC_ACQUIRE);
	if (in->req_prod - p->req_cons > XENSTORE_RING_SIZE ||
	    p->rsp_prod - in->rsp_cons > XENSTORE_RING_SIZE)
		ring_fail(p, XENSTORE_ERROR_RINGIDX, "bad indices at connect");
	__atomic_or_fetch(&in->server_features, XENSTORE_SERVER_FEATURE_RECONNECTION |
			  XENSTORE_SERVER_FEATURE_ERROR, __ATOMIC_RELEASE);
}

int ring_conn_open(struct xs_store *st, struct xs_domain *d)
{
	const struct xs_ring_backend *b = st->ring_backend;
	struct ring_priv *p;
	struct xs_conn *c;
	int rc;

	if (!b)
		return -ENOSYS;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->event_fd = p->notify_fd = -1;
	c = xs_conn_new(st, &ring_ops, p, d->domid, false);
	if (!c) {
		free(p);
		return -ENOMEM;
	}
	p->c = c;
	c->dom = d;
	if ((rc = b->map(st->ring_ctx, d->domid, d->gfn, &p->intf, &p->map_h)) ||
	    (rc = b->bind(st->ring_ctx, d->domid, d->port, &p->event_fd,
			  &p->notify_fd, &p->bind_h)))
		goto err_destroy;
	rc = -ENOMEM;
	fcntl(p->event_fd, F_SETFL, fcntl(p->event_fd, F_GETFL) | O_NONBLOCK);
	p->ev = event_new(st->base, p->event_fd, EV_READ | EV_PERSIST,
			  ring_event_cb, c);
	p->kick_ev = event_new(st->base, -1, 0, ring_kick_cb, c);
	if (!p->ev || !p->kick_ev || event_add(p->ev, NULL))
		goto err_destroy;
	d->conn = c;
	ring_adopt(p);
	ring_conn_service(c);
	return 0;
err_destroy:
	xs_conn_destroy(c);
	return rc;
}

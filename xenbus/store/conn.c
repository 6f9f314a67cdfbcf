/*
 * A connection, whatever carries it: the byte-stream parser for requests,
 * the output queue for replies and watch events, and the two bounds that
 * keep one client from hurting others.
 *
 * Input: a 16-byte header, then len payload bytes, copied into the
 * connection's own buffer (so a guest cannot change a request after it
 * was checked). len > XENSTORE_PAYLOAD_MAX is a protocol violation: the
 * connection is killed (a socket is closed; a ring gets its error field
 * set), and nobody else notices. Requests are answered in order.
 *
 * Output: replies and events queue here until the transport takes them.
 *  - Replies: a client that stops reading its replies is stalled (no more
 *    input is taken from it) once quota outstanding replies wait, and
 *    resumes when they drain. This is the "outstanding requests" quota.
 *  - Events: at most quota watch-events queued per connection; beyond
 *    that new events are dropped (as C xenstored drops an event that would
 *    break its target's memory quota) and the first drop of each run is
 *    logged with the domid, so a slow watcher costs bounded memory and
 *    never blocks the daemon. The connection stays: a watcher that falls
 *    behind re-reads the nodes it cares about, as after a reconnect.
 * Both limits come from xs_quota_of(): Dom0 connections have their own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "persist.h"
#include "xs_core.h"

struct xs_conn *xs_conn_new(struct xs_store *st, const struct xs_conn_ops *ops,
			    void *priv, uint32_t domid, bool privileged)
{
	struct xs_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->ops = ops;
	c->st = st;
	c->priv = priv;
	c->domid = domid;
	c->privileged = privileged;
	TAILQ_INIT(&c->out);
	TAILQ_INIT(&c->watches);
	TAILQ_INIT(&c->txns);
	TAILQ_INSERT_TAIL(&st->conns, c, link);
	return c;
}

#define OUT_COST(o) (sizeof(*(o)) + (o)->len + XS_ALLOC_OVERHEAD)

static void out_clear(struct xs_conn *c)
{
	struct xs_out *o;

	while ((o = TAILQ_FIRST(&c->out))) {
		TAILQ_REMOVE(&c->out, o, link);
		c->st->mem_out -= OUT_COST(o);
		free(o);
	}
	c->out_off = 0;
	c->out_replies = c->out_events = 0;
}

/* Forgets everything the client set up (RESET_WATCHES, ring reconnect). */
void xs_conn_reset(struct xs_conn *c)
{
	txn_end_all(c);
	watch_remove_all(c);
	out_clear(c);
	c->in_have = 0;
}

void xs_conn_destroy(struct xs_conn *c)
{
	if (!c)
		return;
	xs_conn_reset(c);
	TAILQ_REMOVE(&c->st->conns, c, link);
	if (c->dom && c->dom->conn == c)
		c->dom->conn = NULL;
	if (c->ops && c->ops->release)
		c->ops->release(c);
	free(c);
}

void xs_conn_kill(struct xs_conn *c, const char *why)
{
	if (c->dead)
		return;
	pvx_log_warn("domain %u: %s connection dropped: %s", c->domid,
	       c->ops->kind, why);
	c->dead = true;
	txn_end_all(c);
	watch_remove_all(c);
	out_clear(c);
}

bool xs_conn_stalled(const struct xs_conn *c)
{
	return c->dead || c->out_replies >= xs_quota_of(c)->outstanding;
}

static int queue(struct xs_conn *c, uint32_t type, uint32_t req_id,
		 uint32_t tx_id, const void *p1, uint32_t l1,
		 const void *p2, uint32_t l2, bool event)
{
	struct xsd_sockmsg h = { type, req_id, tx_id, l1 + l2 };
	struct xs_out *o;

	if (c->dead)
		return 0;
	o = malloc(sizeof(*o) + sizeof(h) + l1 + l2);
	if (!o)
		return -ENOMEM;
	o->len = sizeof(h) + l1 + l2;
	o->event = event;
	memcpy(o->data, &h, sizeof(h));
	if (l1)
		memcpy(o->data + sizeof(h), p1, l1);
	if (l2)
		memcpy(o->data + sizeof(h) + l1, p2, l2);
	TAILQ_INSERT_TAIL(&c->out, o, link);
	c->st->mem_out += OUT_COST(o);
	if (event)
		c->out_events++;
	else if (++c->out_replies == xs_quota_of(c)->outstanding)
		xs_quota_hit(c, "outstanding", xs_quota_of(c)->outstanding);
	c->ops->kick(c);
	return 0;
}

int xs_conn_reply(struct xs_conn *c, uint32_t type, const struct xsd_sockmsg *req,
		  const void *payload, uint32_t len)
{
	return queue(c, type, req->req_id, req->tx_id, payload, len, NULL, 0, false);
}

void xs_conn_event(struct xs_conn *c, const char *path, const char *token)
{
	unsigned lim = xs_quota_of(c)->events;
	uint32_t pl = strlen(path) + 1, tl = strlen(token) + 1;

	if (c->dead)
		return;
	if (xs_mem_over(c->st, pl + tl + 64)) {
		if (!c->dropping)
			pvx_log_warn("domain %u: pvxstored over its memory limit, "
				     "dropping events (first: %s)", c->domid, path);
		c->dropping = true;
		return;
	}
	if (c->out_events >= lim || pl + tl > XENSTORE_PAYLOAD_MAX) {
		if (!c->dropping)
			pvx_log_warn("domain %u: watch event queue full "
			       "(%u), dropping events (first: %s)", c->domid,
			       lim, path);
		c->dropping = true;
		return;
	}
	if (queue(c, XS_WATCH_EVENT, 0, 0, path, pl, token, tl, true))
		pvx_log_err("domain %u: no memory for a watch event",
		       c->domid);
}

/* Pushes queued output into the transport; returns -errno on a broken
 * transport, else 0 (the rest waits for the next kick). */
int xs_conn_flush(struct xs_conn *c)
{
	bool was_stalled = xs_conn_stalled(c);
	struct xs_out *o;
	ssize_t n;

	/* Nothing leaves before the changes it may tell of are journaled
	 * (never mid-request: a frame holds whole requests). */
	if (!c->st->in_request)
		persist_flush(c->st);
	while ((o = TAILQ_FIRST(&c->out))) {
		n = c->ops->write(c, o->data + c->out_off, o->len - c->out_off);
		if (n < 0)
			return (int)n;
		if (n == 0)
			break;
		c->out_off += n;
		if (c->out_off < o->len)
			continue;
		TAILQ_REMOVE(&c->out, o, link);
		if (o->event)
			c->out_events--;
		else
			c->out_replies--;
		c->st->mem_out -= OUT_COST(o);
		free(o);
		c->out_off = 0;
	}
	if (c->dropping && c->out_events == 0)
		c->dropping = false;
	if (was_stalled && !xs_conn_stalled(c) && c->ops->resume)
		c->ops->resume(c);
	return 0;
}

static bool header_ok(struct xs_conn *c)
{
	if (c->in_hdr.len > XENSTORE_PAYLOAD_MAX) {
		xs_conn_kill(c, "payload length beyond XENSTORE_PAYLOAD_MAX");
		return false;
	}
	return true;
}

size_t xs_conn_feed(struct xs_conn *c, const void *buf, size_t len)
{
	const char *p = buf;
	size_t used = 0, k;

	while (used < len && !xs_conn_stalled(c)) {
		if (c->in_have < sizeof(c->in_hdr)) {
			k = sizeof(c->in_hdr) - c->in_have;
			k = k < len - used ? k : len - used;
			memcpy((char *)&c->in_hdr + c->in_have, p + used, k);
			c->in_have += k;
			used += k;
			if (c->in_have < sizeof(c->in_hdr) || !header_ok(c))
				continue;
		}
		k = sizeof(c->in_hdr) + c->in_hdr.len - c->in_have;
		k = k < len - used ? k : len - used;
		/* Offset first: in_buf + in_have alone points past the array
		 * once a near-maximal payload is nearly in (undefined in C). */
		memcpy(c->in_buf + (c->in_have - sizeof(c->in_hdr)), p + used, k);
		c->in_have += k;
		used += k;
		if (c->in_have < sizeof(c->in_hdr) + c->in_hdr.len)
			continue;
		c->in_buf[c->in_hdr.len] = '\0';
		c->in_have = 0;
		c->requests++;
		xs_dispatch(c, &c->in_hdr, c->in_buf);
	}
	return c->dead ? len : used;
}

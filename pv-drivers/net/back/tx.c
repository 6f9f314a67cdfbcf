/*
 * Guest -> Dom0: the tx ring of one queue.
 *
 * A pass copies every published slot out of the ring at once (the peer
 * may rewrite them; only the copies are looked at), cuts them into
 * packets (netback_tx_chain_len) and checks each (netback_tx_validate).
 * The grants of the good packets of the batch are mapped with one
 * map_batch (read-only), each packet goes to the sink as an iovec behind
 * a virtio-net header, then one unmap_batch, the responses of every slot
 * in ring order and one push: the frontend is kicked only when its
 * rsp_event falls inside what was published.
 *
 * Hostile rings: a packet that breaks a rule or names a grant that does
 * not map is answered NETIF_RSP_ERROR and counted; the next one goes on.
 * A chain longer than NETBACK_TX_MAX_CHAIN is answered ERROR up to its
 * end (q->tx_draining, across passes, bounded by what is published). A
 * packet published only in part stays on the ring and req_event is set
 * past what we saw, so its completion kicks us. Indices claiming more
 * requests than the ring holds mark the queue broken: nothing more is
 * read, the daemon disconnects. Every loop is bounded by the ring size
 * or the caller's budget.
 *
 * Notifications: an idle ring asks for a kick at the next request
 * (req_event); with q->poll_ns set, a ring that had requests within that
 * window is left unarmed instead and the daemon polls it, so a busy
 * frontend publishes without kicking (an event costs 15-40 us here).
 */
#include <errno.h>
#include <string.h>

#include "netback_int.h"

static void count_error(struct netback_queue *q, enum netback_tx_rule rule)
{
	q->stats.tx_errors++;
	q->stats.tx_rule[rule]++;
}

/* Copies n published slots from req_cons on (two memcpys at most). */
static void copy_slots(struct netback_queue *q, unsigned n)
{
	unsigned mask = q->tx.r.nr_ents - 1, at = q->tx.r.req_cons & mask;
	unsigned first = n < q->tx.r.nr_ents - at ? n : q->tx.r.nr_ents - at;

	memcpy(q->scr->slots, &q->tx.sring->ring[at], first * sizeof(q->scr->slots[0]));
	memcpy(q->scr->slots + first, &q->tx.sring->ring[0],
	       (n - first) * sizeof(q->scr->slots[0]));
	/* The copies are what we use from here on, never the shared slots. */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static void respond(struct netback_queue *q, uint16_t id, int16_t status)
{
	struct netif_tx_response rsp = { .id = id, .status = status };

	netif_tx_back_put_response(&q->tx, &rsp);
}

/* Answers slots of an over-long chain until it ends; returns slots used. */
static unsigned drain(struct netback_queue *q, unsigned n)
{
	unsigned k = 0;
	uint16_t id = 0;

	while (k < n && q->tx_draining) {
		const union netif_tx_any_request *s = &q->scr->slots[k++];
		bool extra = netback_tx_walk_step(&q->tx_walk, s);

		if (!extra)
			id = s->req.id;
		q->tx.r.req_cons++;
		respond(q, id, extra ? NETIF_RSP_NULL : NETIF_RSP_ERROR);
		q->tx_draining = !netback_tx_walk_done(&q->tx_walk);
	}
	return k;
}

/*
 * Cuts slots[first..n) into at most max packets; consumes them. Returns
 * the packets taken; *partial tells that a chain is published only in part.
 */
static unsigned gather(struct netback_queue *q, unsigned first, unsigned n, unsigned max,
		       bool *partial)
{
	struct netback_scratch *s = q->scr;
	unsigned pos = first, np = 0;

	*partial = false;
	while (np < max && pos < n && !q->tx_draining) {
		int len = netback_tx_chain_len(s->slots + pos, n - pos);

		if (len == 0) {
			*partial = true;
			break;
		}
		if (len < 0) { /* over-long: answer this much, drain the rest */
			len = NETBACK_TX_MAX_CHAIN;
			q->tx_walk = (struct netback_tx_walk){ .more = true };
			for (int k = 0; k < len; k++)
				netback_tx_walk_step(&q->tx_walk, &s->slots[pos + k]);
			q->tx_draining = true;
		}
		netback_tx_validate(s->slots + pos, (unsigned)len, &s->txb[np++].pkt);
		pos += (unsigned)len;
	}
	q->tx.r.req_cons += pos - first;
	return np;
}

/* Collects the refs of the good packets; returns how many. */
static unsigned collect_refs(struct netback_scratch *s, unsigned np)
{
	unsigned nm = 0;

	for (unsigned i = 0; i < np; i++) {
		struct netback_tx_entry *e = &s->txb[i];

		if (e->pkt.rule != NETBACK_TX_OK)
			continue;
		e->first_map = (uint16_t)nm;
		for (unsigned f = 0; f < e->pkt.nr_frags; f++)
			s->refs[nm++] = e->pkt.frag[f].gref;
	}
	return nm;
}

/* Fills the virtio-net header; NETBACK_TX_CSUM if csum_blank cannot be met. */
static enum netback_tx_rule fill_vhdr(struct netback_tx_entry *e, const struct iovec *iov,
				      unsigned niov)
{
	uint8_t head[128];
	size_t got = 0;
	uint16_t start, field;

	memset(&e->vhdr, 0, sizeof(e->vhdr));
	e->vhdr.gso_type = VIRTIO_NET_HDR_GSO_NONE;
	if (!e->pkt.csum_blank) {
		if (e->pkt.data_validated)
			e->vhdr.flags = VIRTIO_NET_HDR_F_DATA_VALID;
		return NETBACK_TX_OK;
	}
	for (unsigned i = 0; i < niov && got < sizeof(head); i++) {
		size_t n = iov[i].iov_len < sizeof(head) - got ? iov[i].iov_len
							       : sizeof(head) - got;

		memcpy(head + got, iov[i].iov_base, n);
		got += n;
	}
	if (netback_csum_locate(head, got, e->pkt.len, &start, &field) < 0)
		return NETBACK_TX_CSUM;
	e->vhdr.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	e->vhdr.csum_start = start;
	e->vhdr.csum_offset = field;
	return NETBACK_TX_OK;
}

/* One mapped packet to the sink. */
static void deliver(struct netback_queue *q, struct netback_tx_entry *e)
{
	struct netback_scratch *s = q->scr;
	struct iovec *iov = s->iov;
	unsigned nf = e->pkt.nr_frags;

	for (unsigned f = 0; f < nf; f++) {
		unsigned m = e->first_map + f;

		if (s->errs[m] != 0) {
			e->pkt.rule = NETBACK_TX_BAD_GRANT;
			return;
		}
		iov[1 + f].iov_base = (uint8_t *)s->pages[m] + e->pkt.frag[f].offset;
		iov[1 + f].iov_len = e->pkt.frag[f].len;
	}
	e->pkt.rule = fill_vhdr(e, iov + 1, nf);
	if (e->pkt.rule != NETBACK_TX_OK)
		return;
	iov[0].iov_base = &e->vhdr;
	iov[0].iov_len = sizeof(e->vhdr);
	if (q->sink(q->sink_ctx, iov, nf + 1, e->pkt.len) < 0)
		q->stats.tx_dropped++;
	q->stats.tx_packets++;
	q->stats.tx_bytes += e->pkt.len;
}

/* Maps, delivers, unmaps and answers the np packets gathered. */
static void process(struct netback_queue *q, unsigned np)
{
	struct netback_scratch *s = q->scr;
	unsigned nm = collect_refs(s, np);

	if (nm)
		q->gops->map_batch(q->gctx, s->refs, nm, false, s->pages, s->handles, s->errs);
	for (unsigned i = 0; i < np; i++)
		if (s->txb[i].pkt.rule == NETBACK_TX_OK)
			deliver(q, &s->txb[i]);
	if (nm)
		netback_unmap_ok(q, nm);
	for (unsigned i = 0; i < np; i++) {
		const struct netback_tx_pkt *p = &s->txb[i].pkt;
		int16_t st = p->rule == NETBACK_TX_OK ? NETIF_RSP_OKAY : NETIF_RSP_ERROR;

		if (p->rule != NETBACK_TX_OK)
			count_error(q, p->rule);
		for (unsigned k = 0; k < p->nr_slots; k++)
			respond(q, p->id[k], (p->extra_mask >> k) & 1 ? NETIF_RSP_NULL : st);
	}
}

static void push(struct netback_queue *q)
{
	if (netif_tx_back_push_responses_and_check_notify(&q->tx)) {
		q->stats.notify_out++;
		q->notify(q->notify_ctx, NETBACK_DIR_TX);
	}
}

/*
 * Nothing complete is waiting: ask for an event past what we saw (seen
 * slots of a partial chain are not consumed) and look again. Returns the
 * slots published now, or -EIO.
 */
static int arm(struct netback_queue *q, unsigned seen)
{
	pvx_ring_arm_event(&q->tx.sring->hdr.req_event, q->tx.r.req_cons + seen + 1);
	return netif_tx_back_has_unconsumed_requests(&q->tx);
}

/*
 * One pass over the n slots published: answers the rest of an over-long
 * chain, then up to a batch of packets. Takes from *budget the packets
 * and drained slots (a frontend publishing a chain without end cannot
 * hold us). Returns the slots left unconsumed because they hold only part
 * of a packet (0 if none).
 */
static unsigned pass(struct netback_queue *q, unsigned n, unsigned *budget)
{
	RING_IDX start = q->tx.r.req_cons;
	unsigned used, np, max = *budget < NETBACK_TX_BATCH ? *budget : NETBACK_TX_BATCH;
	bool partial;

	copy_slots(q, n);
	used = drain(q, n);
	np = gather(q, used, n, max, &partial);
	process(q, np);
	push(q);
	*budget -= np + used < *budget ? np + used : *budget;
	return partial ? n - (unsigned)(q->tx.r.req_cons - start) : 0;
}

int netback_tx_kick(struct netback_queue *q, unsigned budget)
{
	uint64_t now = q->poll_ns ? netback_now_ns() : 0;
	unsigned seen = 0; /* unconsumed slots holding only part of a packet */
	int n;

	if (q->broken)
		return -EIO;
	q->polling = false;
	while ((n = netif_tx_back_has_unconsumed_requests(&q->tx)) >= 0) {
		if ((unsigned)n > seen) {
			if (budget == 0)
				return 1;
			seen = pass(q, (unsigned)n, &budget);
			q->poll_until = now + q->poll_ns;
			continue;
		}
		if (now < q->poll_until) {
			q->polling = true; /* req_event stays behind: no kicks */
			return 2;
		}
		n = arm(q, seen);
		if (n < 0)
			break;
		if ((unsigned)n <= seen)
			return 0;
	}
	q->broken = true;
	return -EIO;
}

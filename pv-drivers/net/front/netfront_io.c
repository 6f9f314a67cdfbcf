/*
 * netfront I/O: buffers, grants, the tx and rx rings (netfront.h).
 *
 * rx: buffer i is page rx_pages[i], granted read-write once; it is always
 * posted at ring indices = i mod 256 with id i, so consuming the response
 * at index c frees buffer c % 256 whatever the response says, and the
 * re-post at req_prod_pvt (= rsp_cons + 256 while every buffer is out)
 * takes that same buffer. A response is checked (id, status, offset +
 * length within the page, flags we did not ask for) before its frame is
 * handed up; a bad one is counted and its buffer re-posted.
 *
 * tx: frame buffer i is the half page at tx_pages[i / 2] + (i % 2) * 2048;
 * pages are granted read-only once. A tx request's id is its buffer, freed
 * when a response with that id arrives; a response with an unknown id is
 * counted and ignored (the buffer it should have freed stays in flight:
 * only a broken backend loses us buffers).
 */
#include <xen/public/errno.h>

#include <minios/events.h>
#include <minios/gnttab.h>
#include <minios/lib.h>
#include <minios/sched.h>
#include <minios/time.h>

#include "netfront.h"

static uint8_t rx_pages[NETFRONT_RX_BUFS][XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static uint8_t tx_pages[NETFRONT_TX_BUFS / 2][XEN_PAGE_SIZE]
	__attribute__((aligned(XEN_PAGE_SIZE)));
static grant_ref_t rx_refs[NETFRONT_RX_BUFS], tx_refs[NETFRONT_TX_BUFS / 2];
static struct netfront_dev *owner;
static int poisoned;   /* a buffer grant could not be ended: never reuse */

grant_ref_t netfront_rx_ref(unsigned i)
{
	return rx_refs[i % NETFRONT_RX_BUFS];
}

grant_ref_t netfront_tx_ref(unsigned i)
{
	return tx_refs[(i % NETFRONT_TX_BUFS) / 2];
}

uint8_t *netfront_rx_page(unsigned i)
{
	return rx_pages[i % NETFRONT_RX_BUFS];
}

static void end_grants(grant_ref_t *refs, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (refs[i] && gnttab_end_access(refs[i]) == -XEN_EBUSY)
			poisoned = 1;
	memset(refs, 0, n * sizeof(*refs));
}

static int grant_all(struct netfront_dev *d)
{
	for (unsigned i = 0; i < NETFRONT_RX_BUFS; i++)
		if (gnttab_grant_page(d->backend_id, rx_pages[i], 0, &rx_refs[i]) < 0)
			return -XEN_ENOSPC;
	for (unsigned i = 0; i < NETFRONT_TX_BUFS / 2; i++)
		if (gnttab_grant_page(d->backend_id, tx_pages[i], 1, &tx_refs[i]) < 0)
			return -XEN_ENOSPC;
	return 0;
}

static void rx_post(struct netfront_dev *d, unsigned n)
{
	struct netif_rx_sring *s = d->rx.ring;

	for (unsigned k = 0; k < n; k++) {
		int64_t idx = pvx_ring_front_claim(&d->rx.front);

		if (idx < 0)
			break;
		s->ring[idx].req = (struct netif_rx_request){ .id = (uint16_t)idx,
							      .gref = rx_refs[idx] };
	}
	if (pvx_ring_front_push(&d->rx.front) && d->connected) {
		evtchn_send(d->port);
		d->st.notifies++;
	}
}

int netfront_io_setup(struct netfront_dev *d)
{
	int rc;

	if (owner || poisoned)
		return -XEN_EBUSY;
	owner = d;
	rc = grant_all(d);
	if (rc < 0) {
		netfront_io_teardown(d);
		return rc;
	}
	d->tx_nfree = NETFRONT_TX_BUFS;
	for (unsigned i = 0; i < NETFRONT_TX_BUFS; i++)
		d->tx_free[i] = (uint16_t)(NETFRONT_TX_BUFS - 1 - i);
	if (!d->no_rx)
		rx_post(d, NETFRONT_RX_BUFS); /* before Connected: no notify */
	return 0;
}

void netfront_io_teardown(struct netfront_dev *d)
{
	if (owner != d)
		return; /* another device's buffers, or none */
	end_grants(rx_refs, NETFRONT_RX_BUFS);
	end_grants(tx_refs, NETFRONT_TX_BUFS / 2);
	owner = NULL;
}

/* ---- tx ---------------------------------------------------------------- */

static uint8_t *tx_buf(unsigned id)
{
	return tx_pages[id / 2] + (id % 2) * NETFRONT_TX_BUF;
}

static int tx_id(const uint8_t *buf)
{
	uintptr_t off = (uintptr_t)(buf - tx_pages[0]);

	if (buf < tx_pages[0] || off >= sizeof(tx_pages) || off % NETFRONT_TX_BUF)
		return -1;
	return (int)(off / NETFRONT_TX_BUF);
}

static void tx_reap(struct netfront_dev *d)
{
	struct netif_tx_sring *s = d->tx.ring;
	int avail = pvx_ring_front_unconsumed(&d->tx.front);

	if (avail < 0) {
		d->broken = 1;
		return;
	}
	while (avail-- > 0) {
		struct netif_tx_response rsp;

		PVX_RING_COPY_OUT(&rsp, &s->ring[d->tx.front.rsp_cons & (NETFRONT_RING_SIZE - 1)].rsp);
		d->tx.front.rsp_cons++;
		if (rsp.id >= NETFRONT_TX_BUFS || !d->tx_inflight[rsp.id]) {
			d->st.tx_bogus++;
			continue;
		}
		d->tx_inflight[rsp.id] = 0;
		d->tx_free[d->tx_nfree++] = rsp.id;
		if (rsp.status != NETIF_RSP_OKAY)
			d->st.tx_errors++;
	}
}

/*
 * Before sleeping for tx completions: ask the backend for an event once
 * half of what is outstanding has been answered (all: all of it), not at
 * the next response, so that a full ring drains in batches instead of one
 * wake-up per freed buffer. The backend answers every outstanding
 * request eventually, so its pushes cross that index. Returns 1 if that
 * many answers are there already (or the ring is broken): do not sleep.
 */
static int tx_arm(struct netfront_dev *d, int all)
{
	struct pvx_ring_front *f = &d->tx.front;
	uint32_t out = f->req_prod_pvt - f->rsp_cons;
	uint32_t want = all ? out : out / 2;
	int n;

	if (want == 0)
		want = 1;
	n = pvx_ring_front_unconsumed(f);
	if (n < 0 || (uint32_t)n >= want)
		return 1;
	pvx_ring_arm_event(&f->sring->rsp_event, f->rsp_cons + want);
	n = pvx_ring_front_unconsumed(f);
	return n < 0 || (uint32_t)n >= want;
}

uint8_t *netfront_tx_get(struct netfront_dev *d)
{
	unsigned id;

	if (!d->connected || d->broken)
		return NULL;
	if (d->tx_nfree == 0)
		tx_reap(d);
	if (d->tx_nfree == 0 || pvx_ring_front_free_slots(&d->tx.front) == 0) {
		d->st.tx_full++;
		return NULL;
	}
	id = d->tx_free[--d->tx_nfree];
	d->tx_inflight[id] = 1; /* reserved: not on the ring yet */
	return tx_buf(id);
}

void netfront_tx_drop(struct netfront_dev *d, uint8_t *buf)
{
	int id = tx_id(buf);

	if (id < 0 || !d->tx_inflight[id])
		return;
	d->tx_inflight[id] = 0;
	d->tx_free[d->tx_nfree++] = (uint16_t)id;
}

int netfront_tx_put(struct netfront_dev *d, uint8_t *buf, unsigned len, unsigned flags)
{
	struct netif_tx_sring *s = d->tx.ring;
	int id = tx_id(buf);
	int64_t idx;

	if (id < 0 || !d->tx_inflight[id])
		return -XEN_EINVAL;
	if (len < PVX_NET_ETH_HLEN || len > PVX_NET_MAX_PACKET) {
		netfront_tx_drop(d, buf);
		return -XEN_EINVAL;
	}
	idx = pvx_ring_front_claim(&d->tx.front);
	if (idx < 0) { /* cannot happen: a free buffer implies a free slot */
		netfront_tx_drop(d, buf);
		return -XEN_ENOSPC;
	}
	s->ring[idx].req.req = (struct netif_tx_request){
		.gref = tx_refs[id / 2], .offset = (uint16_t)((id % 2) * NETFRONT_TX_BUF),
		.flags = (uint16_t)(flags & (NETTXF_csum_blank | NETTXF_data_validated)),
		.id = (uint16_t)id, .size = (uint16_t)len,
	};
	d->tx_queued++;
	d->st.tx_packets++;
	d->st.tx_bytes += len;
	return 0;
}

void netfront_tx_push(struct netfront_dev *d)
{
	if (!d->tx_queued)
		return;
	d->tx_queued = 0;
	if (pvx_ring_front_push(&d->tx.front)) {
		evtchn_send(d->port);
		d->st.notifies++;
	}
}

unsigned netfront_tx_inflight(const struct netfront_dev *d)
{
	return NETFRONT_TX_BUFS - d->tx_nfree;
}

uint8_t *netfront_tx_get_wait(struct netfront_dev *d, uint64_t deadline_ns)
{
	for (;;) {
		uint8_t *buf = netfront_tx_get(d);

		if (buf || !d->connected || d->broken)
			return buf;
		netfront_tx_push(d);
		if (tx_arm(d, 0))
			continue; /* enough answered (or broken: tx_reap says so) */
		if (!evtchn_wait_until(d->port, deadline_ns) && deadline_ns &&
		    time_now_ns() >= deadline_ns)
			return NULL;
		d->st.wakeups++;
	}
}

int netfront_tx_wait_idle(struct netfront_dev *d, uint64_t deadline_ns)
{
	for (;;) {
		netfront_tx_push(d);
		tx_reap(d);
		if (d->broken || !d->connected)
			return -XEN_EIO;
		if (netfront_tx_inflight(d) == 0)
			return 0;
		if (tx_arm(d, 1))
			continue;
		if (!evtchn_wait_until(d->port, deadline_ns))
			return -XEN_ETIMEDOUT;
		d->st.wakeups++;
	}
}

/* ---- rx ---------------------------------------------------------------- */

/* One response: 1 if its frame was handed up, 0 if dropped. */
static int rx_one(struct netfront_dev *d, unsigned slot, const struct netif_rx_response *r)
{
	const uint8_t *page = rx_pages[slot];

	if (d->rx_skip) {
		/* The rest of a frame we dropped, or an extra info slot. */
		d->rx_skip--;
		if ((r->flags & NETRXF_more_data) && d->rx_skip == 0)
			d->rx_skip = 1;
		return 0;
	}
	if (r->id != slot)
		d->st.rx_bogus++; /* the buffer is the slot's anyway */
	if (r->flags & (NETRXF_more_data | NETRXF_extra_info)) {
		/* feature-sg=0 and no GSO: we never asked for chains or extras. */
		d->rx_skip = (r->flags & NETRXF_more_data) ? 1 : 0;
		d->rx_skip += (r->flags & NETRXF_extra_info) ? 1 : 0;
		d->st.rx_dropped++;
		return 0;
	}
	if (r->status < PVX_NET_ETH_HLEN || r->status > PVX_NET_MAX_PACKET ||
	    (unsigned)r->offset + (unsigned)r->status > XEN_PAGE_SIZE) {
		d->st.rx_errors++;
		return 0;
	}
	d->st.rx_packets++;
	d->st.rx_bytes += (unsigned)r->status;
	if (d->rx_fn)
		d->rx_fn(d->rx_arg, page + r->offset, (unsigned)r->status, r->flags);
	return 1;
}

static int rx_poll(struct netfront_dev *d)
{
	struct netif_rx_sring *s = d->rx.ring;
	int avail = pvx_ring_front_unconsumed(&d->rx.front), got = 0;
	unsigned done = 0;

	if (avail < 0) {
		d->broken = 1;
		return avail;
	}
	while (avail-- > 0) {
		unsigned slot = d->rx.front.rsp_cons & (NETFRONT_RING_SIZE - 1);
		struct netif_rx_response rsp;

		PVX_RING_COPY_OUT(&rsp, &s->ring[slot].rsp);
		got += rx_one(d, slot, &rsp);
		d->rx.front.rsp_cons++;
		if (++done == NETFRONT_RX_BATCH && !d->no_rx) {
			rx_post(d, done);
			done = 0;
		}
	}
	if (done && !d->no_rx)
		rx_post(d, done);
	return got;
}

int netfront_poll(struct netfront_dev *d)
{
	int got;

	if (d->broken)
		return -XEN_EIO;
	if (!d->connected)
		return 0;
	tx_reap(d);
	got = rx_poll(d);
	netfront_tx_push(d); /* replies the frames just handed up produced */
	if (d->broken)
		return -XEN_EIO;
	netfront_alive(d);
	return got;
}

static int not_resuming(void *arg)
{
	(void)arg;
	return !netfront_resuming();
}

int netfront_wait(struct netfront_dev *d, uint64_t deadline_ns)
{
	for (;;) {
		int n;

		if (d->broken)
			return -XEN_EIO;
		if (!d->connected && netfront_resuming()) {
			if (!thread_wait_cond(not_resuming, NULL, deadline_ns))
				return 0;
			continue;
		}
		if (!d->connected)
			return 0;
		n = pvx_ring_front_final_check(&d->rx.front);
		if (n == 0 && d->tx_nfree == 0 && tx_arm(d, 0))
			n = 1;
		if (n != 0) {
			if (n < 0)
				d->broken = 1;
			return n < 0 ? -XEN_EIO : 1;
		}
		if (!evtchn_wait_until(d->port, deadline_ns))
			return 0;
		d->st.wakeups++;
		if (deadline_ns && time_now_ns() >= deadline_ns)
			return 0;
	}
}

/*
 * blkfront I/O: requests, grants, responses (blkfront.h).
 *
 * Grants: with persistent grants every data page is granted once
 * (writable, so the same ref serves reads and writes) and remembered in a
 * small open-addressed table keyed by page address; the backend keeps it
 * mapped. When the table is full, or without feature-persistent, a page
 * is granted for one request and revoked when its response arrives (the
 * backend has unmapped it by then). Each ring slot owns one indirect page,
 * granted read-only once, listing up to 256 segments.
 *
 * A request's id is its slot index; a response whose id names no request
 * in flight is dropped and counted (a backend bug or attack must not
 * complete someone else's I/O).
 */
#include <xen/public/errno.h>

#include <minios/gnttab.h>
#include <minios/lib.h>
#include <minios/sched.h>
#include <minios/time.h>

#include "blkfront.h"

#define PG_SLOTS 4096          /* persistent table; at most half full */
#define PG_MAX   (PG_SLOTS / 2)
#define SYNC_NS  30000000000ull
#define BLKFRONT_SPIN_NS 50000ull      /* at least */
#define BLKFRONT_SPIN_MAX_NS 1000000ull /* at most */

static struct { uintptr_t page; grant_ref_t ref; } pg[PG_SLOTS];
static unsigned pg_count;
static uint8_t indirect_pages[BLKFRONT_MAX_SLOTS][XEN_PAGE_SIZE]
	__attribute__((aligned(XEN_PAGE_SIZE)));
static grant_ref_t indirect_refs[BLKFRONT_MAX_SLOTS];
static int indirect_granted;
/* Refs granted for one request, revoked at its response. */
static grant_ref_t temp_refs[BLKFRONT_MAX_SLOTS][BLKFRONT_MAX_SEGS + 1];
static uint16_t temp_count[BLKFRONT_MAX_SLOTS];

void blkfront_io_reset(struct blkfront_dev *d);
void blkfront_io_reset(struct blkfront_dev *d)
{
	d->nr_inflight = 0;
	for (unsigned i = 0; i < BLKFRONT_MAX_SLOTS; i++) {
		d->inflight[i] = NULL;
		temp_count[i] = 0;
	}
	if (indirect_granted)
		return;
	for (unsigned i = 0; i < BLKFRONT_MAX_SLOTS; i++)
		if (gnttab_grant_page(d->backend_id, indirect_pages[i], 1, &indirect_refs[i]) < 0)
			return;
	indirect_granted = 1;
}

/* The ref for page: cached, newly cached, or (table full / no persistence) temporary. */
static int page_ref(struct blkfront_dev *d, unsigned slot, uintptr_t page, grant_ref_t *ref)
{
	unsigned i = (unsigned)((page >> 12) * 2654435761u) & (PG_SLOTS - 1);
	int rc;

	if (d->persistent) {
		while (pg[i].page && pg[i].page != page)
			i = (i + 1) & (PG_SLOTS - 1);
		if (pg[i].page) {
			*ref = pg[i].ref;
			return 0;
		}
	}
	rc = gnttab_grant_page(d->backend_id, (void *)page, 0, ref);
	if (rc < 0)
		return rc;
	if (d->persistent && pg_count < PG_MAX) {
		pg[i].page = page;
		pg[i].ref = *ref;
		pg_count++;
	} else {
		temp_refs[slot][temp_count[slot]++] = *ref;
	}
	return 0;
}

static void release_temp(unsigned slot)
{
	for (unsigned i = 0; i < temp_count[slot]; i++)
		gnttab_end_access(temp_refs[slot][i]); /* EBUSY: leak, never reuse */
	temp_count[slot] = 0;
}

/* Fills segs for io; returns the count or a negative errno. */
static int build_segs(struct blkfront_dev *d, unsigned slot, struct blkfront_io *io,
		      struct blkif_request_segment *segs, unsigned max)
{
	uintptr_t a = (uintptr_t)io->buf, end = a + io->len;
	unsigned n = 0;

	while (a < end) {
		uintptr_t page = a & ~(uintptr_t)(XEN_PAGE_SIZE - 1);
		uintptr_t stop = MIN(end, page + XEN_PAGE_SIZE);
		int rc;

		if (n == max)
			return -XEN_EINVAL;
		segs[n].first_sect = (uint8_t)((a - page) >> 9);
		segs[n].last_sect = (uint8_t)(((stop - page) >> 9) - 1);
		rc = page_ref(d, slot, page, &segs[n].gref);
		if (rc < 0)
			return rc;
		n++;
		a = stop;
	}
	return (int)n;
}

static int free_slot(struct blkfront_dev *d)
{
	for (unsigned i = 0; i < d->nr_slots; i++)
		if (!d->inflight[i])
			return (int)i;
	return -XEN_ENOSPC;
}

static int fill(struct blkfront_dev *d, unsigned slot, struct blkfront_io *io,
		union blkif_any_request *q)
{
	struct blkif_request_segment *ind = (void *)indirect_pages[slot];
	int n;

	memset(q, 0, sizeof(*q));
	q->rw.id = slot;
	q->rw.sector_number = io->sector;
	if (io->len == 0) {
		q->operation = io->op;
		return 0;
	}
	if (io->len <= BLKIF_MAX_SEGMENTS_PER_REQUEST * XEN_PAGE_SIZE || !indirect_granted ||
	    d->max_segs <= BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		n = build_segs(d, slot, io, q->rw.seg, BLKIF_MAX_SEGMENTS_PER_REQUEST);
		q->rw.operation = io->op;
		q->rw.nr_segments = (uint8_t)(n < 0 ? 0 : n);
		return n < 0 ? n : 0;
	}
	n = build_segs(d, slot, io, ind, d->max_segs);
	q->indirect.operation = BLKIF_OP_INDIRECT;
	q->indirect.indirect_op = io->op;
	q->indirect.nr_segments = (uint16_t)(n < 0 ? 0 : n);
	q->indirect.indirect_grefs[0] = indirect_refs[slot];
	return n < 0 ? n : 0;
}

static int not_gated(void *arg)
{
	return !blkfront_gated(arg);
}

/* A suspend is quiescing: no new request, but complete what the backend
 * answers (the suspend waits for that) every millisecond. */
static void gate(struct blkfront_dev *d)
{
	while (blkfront_gated(d)) {
		blkfront_poll(d);
		thread_wait_cond(not_gated, d, time_now_ns() + 1000000ull);
	}
}

int blkfront_submit(struct blkfront_dev *d, struct blkfront_io *io)
{
	union blkif_any_request *q;
	int slot, rc;
	int64_t idx;

	gate(d);
	if (!d->connected || (io->len & 511) || ((uintptr_t)io->buf & 511) ||
	    io->sector + io->len / 512 > d->sectors)
		return -XEN_EINVAL;
	slot = free_slot(d);
	if (slot < 0 || pvx_ring_front_free_slots(&d->rf.front) == 0)
		return -XEN_ENOSPC;
	idx = pvx_ring_front_claim(&d->rf.front);
	q = &((struct blkif_sring *)d->rf.ring)->ring[idx].req;
	rc = fill(d, (unsigned)slot, io, q);
	if (rc < 0) /* the slot is claimed: send an operation the backend refuses */
		q->operation = 0xff;
	io->done = 0;
	io->t_submit = time_now_ns();
	d->inflight[slot] = io;
	d->nr_inflight++;
	d->requests++;
	return 0;
}

void blkfront_kick(struct blkfront_dev *d)
{
	ringfront_push(&d->rf);
}

int blkfront_poll(struct blkfront_dev *d)
{
	struct blkif_sring *s = d->rf.ring;
	int avail, done = 0;

	if (!s)
		return 0; /* reconnecting after a resume: no ring yet */
	avail = pvx_ring_front_unconsumed(&d->rf.front);
	if (avail < 0)
		return avail;
	while (avail-- > 0) {
		struct blkif_response rsp;
		struct blkfront_io *io;

		PVX_RING_COPY_OUT(&rsp, &s->ring[d->rf.front.rsp_cons &
						 (d->rf.front.nr_ents - 1)].rsp);
		d->rf.front.rsp_cons++;
		if (rsp.id >= d->nr_slots || !(io = d->inflight[rsp.id])) {
			d->bogus_responses++;
			continue;
		}
		release_temp((unsigned)rsp.id);
		d->inflight[rsp.id] = NULL;
		d->nr_inflight--;
		io->status = rsp.status;
		io->t_done = time_now_ns();
		/* 1/8 weight: follows a change of block size within a few batches */
		d->lat_avg_ns += ((int64_t)(io->t_done - io->t_submit) - (int64_t)d->lat_avg_ns) / 8;
		io->done = 1;
		done++;
	}
	return done;
}

/*
 * Before sleeping, watch the ring itself for a while (CPL3 reads, no
 * exit): rsp_event stays unarmed meanwhile, so the backend publishes
 * without notifying, which saves its eventfd write, pvxd's wake-up and
 * our SCHEDOP_poll round trip for every fast completion. The window is
 * sized to the requests: twice their recent average latency, within
 * [50 us, 1 ms]. A fixed 50 us let every 1 MiB batch (~0.5 ms) end in a
 * sleep, a notification and a 30-40 us wake-up.
 */
int blkfront_wait(struct blkfront_dev *d, uint64_t deadline_ns)
{
	uint64_t spin = MIN(MAX(2 * d->lat_avg_ns, BLKFRONT_SPIN_NS), BLKFRONT_SPIN_MAX_NS);
	uint64_t spin_end = time_now_ns() + spin;
	int rc;

	if (!d->rf.ring && blkfront_gated(d)) /* reconnecting after a resume */
		return thread_wait_cond(not_gated, d, deadline_ns) ? blkfront_poll(d) : 0;

	while ((rc = blkfront_poll(d)) == 0 && time_now_ns() < spin_end)
		__asm__ volatile("pause");
	if (rc != 0)
		return rc;
	rc = ringfront_wait(&d->rf, deadline_ns);
	return rc < 0 ? rc : blkfront_poll(d);
}

int blkfront_rw_sync(struct blkfront_dev *d, uint8_t op, uint64_t sector, void *buf,
		     uint32_t len)
{
	struct blkfront_io io = { .op = op, .sector = sector, .buf = buf, .len = len };
	uint64_t deadline = time_now_ns() + SYNC_NS;
	int rc = blkfront_submit(d, &io);

	if (rc < 0)
		return rc;
	blkfront_kick(d);
	while (!io.done) {
		rc = blkfront_wait(d, deadline);
		if (rc < 0)
			return rc;
		if (!io.done && time_now_ns() >= deadline)
			break;
	}
	if (!io.done) {
		/* io lives on this stack: forget it, and the device with it. */
		for (unsigned i = 0; i < d->nr_slots; i++)
			if (d->inflight[i] == &io)
				d->inflight[i] = NULL;
		d->connected = 0;
		return -XEN_ETIMEDOUT;
	}
	return io.status;
}

int blkfront_flush_sync(struct blkfront_dev *d)
{
	return blkfront_rw_sync(d, BLKIF_OP_FLUSH_DISKCACHE, 0, NULL, 0);
}

int blkfront_abort(struct blkfront_dev *d)
{
	int n = 0;

	for (unsigned i = 0; i < d->nr_slots; i++) {
		struct blkfront_io *io = d->inflight[i];

		if (!io)
			continue;
		d->inflight[i] = NULL;
		io->status = BLKIF_RSP_ERROR;
		io->t_done = time_now_ns();
		io->done = 1;
		n++;
	}
	d->nr_inflight = 0;
	d->connected = 0;
	return n;
}

/* ---- suspend (blkfront_suspend.c) ---------------------------------------- */

/* Before a new handshake: the one-request grants of what is in flight are
 * ended (the old backend is gone), so the re-issue grants afresh. */
void blkfront_io_forget(struct blkfront_dev *d)
{
	for (unsigned i = 0; i < BLKFRONT_MAX_SLOTS; i++)
		release_temp(i);
	(void)d;
}

/* After it: each request in flight is queued again under its old slot id
 * (reads read again, writes write the same data again); one that no
 * longer fits the new ring fails with BLKIF_RSP_ERROR. */
void blkfront_reissue(struct blkfront_dev *d, struct blkfront_io *const *inflight, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct blkfront_io *io = inflight[i];
		union blkif_any_request *q;

		if (!io)
			continue;
		if (!d->connected || i >= d->nr_slots || d->inflight[i] ||
		    pvx_ring_front_free_slots(&d->rf.front) == 0) {
			io->status = BLKIF_RSP_ERROR;
			io->t_done = time_now_ns();
			io->done = 1;
			continue;
		}
		q = &((struct blkif_sring *)d->rf.ring)->ring[pvx_ring_front_claim(&d->rf.front)].req;
		if (fill(d, i, io, q) < 0)
			q->operation = 0xff;
		d->inflight[i] = io;
		d->nr_inflight++;
	}
	if (d->connected)
		blkfront_kick(d);
}

/*
 * One shared blkif ring, request side: consume, validate, map, submit.
 *
 * Every request is copied out of its slot once (blkif_back_get_request)
 * and only the copy is looked at; an indirect request's segment pages are
 * copied the same way before blkback_validate_segs checks them. A request
 * that fails validation or grant mapping is answered at once with
 * BLKIF_RSP_ERROR / _EOPNOTSUPP and leaves nothing behind. A ring whose
 * producer index claims more requests than the ring holds (or runs
 * backwards) is marked broken: no further request is read from it, I/O in
 * flight still completes, and the vbd tears the connection down.
 *
 * Ordering: READ/WRITE run concurrently and complete in any order, as in
 * Xen. FLUSH_DISKCACHE is an fdatasync (after its data, if any, via a
 * linked SQE), which makes every write acknowledged before it durable. A
 * WRITE_BARRIER additionally waits for every earlier request to finish
 * (r->held) before it starts, and no later request is consumed until it
 * has completed (r->fence).
 * Completions are in ring_done.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/uio.h>

#include "blkback.h"

int blkback_ring_init(struct blkback_ring *r, void *sring, size_t bytes, bool attach,
		      const struct blkback_disk_info *disk, int fd, struct blkback_io *io,
		      const struct blkback_gnt_ops *gops, void *gctx, bool persistent)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = attach ? blkif_back_attach(&r->br, sring, bytes)
		    : blkif_back_init(&r->br, sring, bytes);
	if (rc < 0)
		return -EINVAL;
	r->disk = *disk;
	r->fd = fd;
	r->io = io;
	r->rqs = calloc(r->br.r.nr_ents, sizeof(*r->rqs));
	if (!r->rqs)
		return -ENOMEM;
	for (unsigned i = 0; i < r->br.r.nr_ents; i++) {
		r->rqs[i].ring = r;
		r->rqs[i].next_free = r->free_rqs;
		r->free_rqs = &r->rqs[i];
	}
	rc = blkback_gnt_init(&r->gnt, gops, gctx, persistent, PVX_BLK_MAX_PERSISTENT);
	if (rc < 0) {
		free(r->rqs);
		r->rqs = NULL;
	}
	return rc;
}

/* Copies the segment list of an indirect request out of its granted pages. */
static int16_t fetch_indirect(struct blkback_ring *r, struct blkback_req *q)
{
	void *page[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	uint32_t handle[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST], temp[8];
	bool kept[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	unsigned done = 0, nt = 0;

	if (blkback_gnt_get_many(&r->gnt, q->indirect, q->nr_indirect, false, page, handle,
				 kept) < 0)
		return BLKIF_RSP_ERROR;
	for (unsigned p = 0; p < q->nr_indirect; p++) {
		const struct blkif_request_segment *src = page[p];
		unsigned n = q->nr_segs - done;

		if (n > BLKIF_SEGS_PER_INDIRECT_FRAME)
			n = BLKIF_SEGS_PER_INDIRECT_FRAME;
		for (unsigned i = 0; i < n; i++, done++) {
			struct blkif_request_segment s;

			PVX_RING_COPY_OUT(&s, &src[i]);
			q->seg[done].gref = s.gref;
			q->seg[done].first = s.first_sect;
			q->seg[done].last = s.last_sect;
		}
		if (!kept[p])
			temp[nt++] = handle[p];
	}
	blkback_gnt_put_many(&r->gnt, temp, nt);
	return blkback_validate_segs(q, &r->disk);
}

/*
 * Maps every data page (one batch for the misses) and builds the iovec.
 * Segments that continue each other in our mapping of the guest (pages
 * adjacent in guest memory are adjacent in the domain's memfd view) are
 * merged: a guest's 1 MiB buffer usually becomes one iovec entry.
 */
static int16_t map_segs(struct blkback_rq *rq)
{
	bool writable = rq->req.op == BLKBACK_READ; /* we write guest memory */
	grant_ref_t refs[PVX_BLK_MAX_SEGS];
	unsigned n = rq->req.nr_segs;

	for (unsigned i = 0; i < n; i++)
		refs[i] = rq->req.seg[i].gref;
	if (blkback_gnt_get_many(&rq->ring->gnt, refs, n, writable, rq->page, rq->handle,
				 rq->kept) < 0)
		return BLKIF_RSP_ERROR;
	rq->bytes = 0;
	rq->niov = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct blkback_seg *s = &rq->req.seg[i];
		size_t len = (size_t)(s->last - s->first + 1) << BLKIF_SECTOR_SHIFT;
		uint8_t *base = (uint8_t *)rq->page[i] + ((size_t)s->first << BLKIF_SECTOR_SHIFT);
		struct iovec *prev = rq->niov ? &rq->iov[rq->niov - 1] : NULL;

		if (prev && (uint8_t *)prev->iov_base + prev->iov_len == base) {
			prev->iov_len += len;
		} else {
			rq->iov[rq->niov].iov_base = base;
			rq->iov[rq->niov++].iov_len = len;
		}
		rq->bytes += len;
	}
	return BLKIF_RSP_OKAY;
}

/*
 * A read or write done here and now (disk.inline_rw): the result goes
 * through the same completion path as a CQE; a FLUSH riding on a write is
 * still queued to io_uring, after the data is in.
 */
static void submit_inline(struct blkback_rq *rq, uint64_t off, uint64_t ud)
{
	struct blkback_ring *r = rq->ring;
	bool write = rq->req.op == BLKBACK_WRITE;
	ssize_t res;

	do
		res = write ? pwritev(r->fd, rq->iov, (int)rq->niov, (off_t)off)
			    : preadv(r->fd, rq->iov, (int)rq->niov, (off_t)off);
	while (res < 0 && errno == EINTR);
	if (res < 0)
		res = -errno;
	rq->pending = 1;
	if (res >= 0 && (uint64_t)res == rq->bytes && rq->req.sync_after) {
		if (blkback_io_fdatasync(r->io, r->fd, ud | BLKBACK_UD_SYNC) == 0)
			rq->pending++;
		else
			rq->status = BLKIF_RSP_ERROR;
	}
	blkback_ring_io_done(ud, (int)res);
}

/* Queues (or, inline, does) the I/O of a validated, mapped request. */
static int submit(struct blkback_rq *rq)
{
	struct blkback_ring *r = rq->ring;
	const struct blkback_req *q = &rq->req;
	uint64_t off = q->sector << BLKIF_SECTOR_SHIFT;
	uint64_t ud = (uint64_t)(uintptr_t)rq;
	int rc = 0;

	rq->status = BLKIF_RSP_OKAY;
	rq->pending = 0;
	r->inflight++;
	if (q->op == BLKBACK_DISCARD) {
		rc = blkback_io_discard(r->io, r->fd, off,
					q->nr_sectors << BLKIF_SECTOR_SHIFT,
					ud | BLKBACK_UD_SYNC);
		rq->pending += rc == 0;
	} else if (q->op != BLKBACK_FLUSH && r->disk.inline_rw) {
		submit_inline(rq, off, ud);
		return 0;
	} else if (q->op != BLKBACK_FLUSH) {
		rc = blkback_io_rw(r->io, q->op == BLKBACK_WRITE, r->fd, rq->iov,
				   rq->niov, off, ud, q->sync_after);
		rq->pending += rc == 0;
	}
	if (rc == 0 && q->sync_after) {
		rc = blkback_io_fdatasync(r->io, r->fd, ud | BLKBACK_UD_SYNC);
		rq->pending += rc == 0;
	}
	if (rc < 0)
		rq->status = BLKIF_RSP_ERROR;
	if (rq->pending == 0) /* nothing queued: answer now */
		blkback_ring_io_done(ud | BLKBACK_UD_NONE, 0);
	return 0;
}

/* One request copied off the ring: decode, check, map, start. Returns
 * the bytes of data it started (0 for errors and flushes). */
static size_t take_one(struct blkback_ring *r, const union blkif_any_request *in)
{
	struct blkback_rq *rq = r->free_rqs;
	size_t bytes;
	int16_t st;

	/* The ring invariant bounds outstanding requests by nr_ents. */
	r->free_rqs = rq->next_free;
	r->stats.requests++;
	st = blkback_validate(in, &r->disk, &rq->req);
	if (st == BLKIF_RSP_OKAY && rq->req.nr_indirect)
		st = fetch_indirect(r, &rq->req);
	if (st == BLKIF_RSP_OKAY)
		st = map_segs(rq);
	if (st != BLKIF_RSP_OKAY) {
		rq->req.nr_segs = 0; /* nothing mapped */
		blkback_rq_answer(rq, st);
		return 0;
	}
	bytes = rq->bytes;
	if (rq->req.op == BLKBACK_READ) {
		r->stats.rd_reqs++;
		r->stats.rd_bytes += bytes;
	} else if (rq->req.op == BLKBACK_WRITE) {
		r->stats.wr_reqs++;
		r->stats.wr_bytes += bytes;
	}
	if (rq->req.drain) {
		r->fence = rq;
		if (r->inflight > 0) {
			r->held = rq;
			return bytes;
		}
	}
	submit(rq);
	return bytes;
}

void blkback_ring_start_held(struct blkback_ring *r)
{
	struct blkback_rq *rq = r->held;

	r->held = NULL;
	submit(rq);
}

uint64_t blkback_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int blkback_ring_kick(struct blkback_ring *r)
{
	union blkif_any_request req;
	uint64_t now = r->poll_ns ? blkback_now_ns() : 0;
	size_t taken = 0;
	int n;

	if (r->closing)
		return 0;
	r->stats.kicks++;
	r->polling = false;
	for (;;) {
		if (r->broken)
			return -EIO;
		if (r->fence)
			break;
		n = blkif_back_get_request(&r->br, &req);
		if (n > 0) {
			r->poll_until = now + r->poll_ns;
			taken += take_one(r, &req);
			if (taken < BLKBACK_KICK_BYTES)
				continue;
			r->polling = true; /* the rest waits for the daemon's next pass */
			break;
		}
		if (n == 0 && now < r->poll_until) {
			r->polling = true; /* req_event stays behind: no notifications */
			break;
		}
		if (n == 0 && r->poll_ns && r->inflight > 0)
			break; /* our completion's responses restart polling: no need
				* for the frontend to notify meanwhile (async I/O) */
		if (n == 0) /* arm req_event, then look once more */
			n = blkif_back_final_check_for_requests(&r->br);
		if (n < 0) {
			r->broken = true;
			break;
		}
		if (n == 0)
			break;
	}
	blkback_io_submit(r->io);
	/* Cached buffered I/O completed inside that submit: answer it now,
	 * not a loop turn later, so the frontend refills while we copy. */
	blkback_io_reap_ready(r->io, blkback_ring_io_done);
	blkback_ring_flush_dirty();
	return r->broken ? -EIO : 0;
}

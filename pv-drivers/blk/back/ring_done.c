/*
 * One shared blkif ring, response side: completions, responses, notifies.
 *
 * A request may need two completions (data, then fdatasync); the last one
 * unmaps its non-persistent grants, writes the response into the ring's
 * private producer index and puts the ring on the dirty list. Responses
 * are published in one batch per wake-up (blkback_ring_flush_dirty) and
 * the frontend is notified only if its rsp_event falls inside the batch:
 * that is where the notification hold-off saves event channel traffic.
 * A barrier held for the drain starts once the last earlier request has
 * completed. A broken ring gets no more responses (its indices are not
 * trusted), but its grants are still released.
 */
#include <errno.h>
#include <stdlib.h>

#include "blkback.h"

static struct blkback_ring *dirty_head;

static void mark_dirty(struct blkback_ring *r)
{
	if (r->dirty)
		return;
	r->dirty = true;
	r->next_dirty = dirty_head;
	dirty_head = r;
}

/* Writes the response for rq and returns rq to the free list. */
void blkback_rq_answer(struct blkback_rq *rq, int16_t status)
{
	struct blkback_ring *r = rq->ring;
	struct blkif_response rsp = {
		.id = rq->req.id, .operation = rq->req.wire_op, .status = status,
	};

	if (status != BLKIF_RSP_OKAY)
		r->stats.errors++;
	if (!r->broken && blkif_back_put_response(&r->br, &rsp) == 0)
		mark_dirty(r);
	rq->next_free = r->free_rqs;
	r->free_rqs = rq;
}

void blkback_rq_put_pages(struct blkback_rq *rq, unsigned n)
{
	uint32_t temp[PVX_BLK_MAX_SEGS];
	unsigned nt = 0;

	for (unsigned i = 0; i < n; i++)
		if (!rq->kept[i])
			temp[nt++] = rq->handle[i];
	blkback_gnt_put_many(&rq->ring->gnt, temp, nt);
}

/*
 * user_data: the rq pointer (8-byte aligned) | BLKBACK_UD_*. A data CQE
 * must have moved every byte (a short transfer is an error: the range was
 * checked against the disk size); a sync or discard CQE must be 0.
 */
void blkback_ring_io_done(uint64_t user_data, int res)
{
	struct blkback_rq *rq = (struct blkback_rq *)(uintptr_t)(user_data & ~3ull);
	struct blkback_ring *r = rq->ring;

	if (!(user_data & BLKBACK_UD_NONE)) {
		if (user_data & BLKBACK_UD_SYNC ? res != 0
						: res < 0 || (uint64_t)res != rq->bytes)
			rq->status = BLKIF_RSP_ERROR;
		if (--rq->pending > 0)
			return;
	}
	blkback_rq_put_pages(rq, rq->req.nr_segs);
	r->inflight--;
	if (r->fence == rq) {
		r->fence = NULL;
		r->resume = true;
	}
	blkback_rq_answer(rq, rq->status);
	if (r->held && r->inflight == 0)
		blkback_ring_start_held(r);
}

void blkback_ring_flush_dirty(void)
{
	while (dirty_head) {
		struct blkback_ring *r = dirty_head;

		dirty_head = r->next_dirty;
		r->dirty = false;
		r->next_dirty = NULL;
		if (r->broken)
			continue;
		if (blkif_back_push_responses_and_check_notify(&r->br) && r->notify) {
			r->stats.notifies_out++;
			r->notify(r->notify_ctx);
		}
		if (r->poll_ns && !r->closing) {
			/* The window runs from the responses, not from the
			 * requests: a 1 MiB copy outlasts 50 us, and the
			 * frontend's refill comes only after it sees these. */
			r->poll_until = blkback_now_ns() + r->poll_ns;
			r->polling = true;
		}
		if (r->resume) {
			/* A barrier finished: consume what queued up behind it. */
			r->resume = false;
			blkback_ring_kick(r);
		}
	}
}

static void unlink_dirty(struct blkback_ring *r)
{
	for (struct blkback_ring **p = &dirty_head; *p; p = &(*p)->next_dirty)
		if (*p == r) {
			*p = r->next_dirty;
			break;
		}
	r->dirty = false;
}

void blkback_ring_dispose(struct blkback_ring *r)
{
	if (!r->rqs)
		return;
	if (r->held) {
		/* A barrier that never started: give its grants back unanswered. */
		blkback_rq_put_pages(r->held, r->held->req.nr_segs);
		r->held = NULL;
	}
	r->closing = true; /* completions below must not consume new requests */
	r->fence = NULL;
	r->resume = false;
	while (r->inflight > 0)
		if (blkback_io_wait(r->io, blkback_ring_io_done) < 0)
			break;
	blkback_ring_flush_dirty();
	unlink_dirty(r);
	blkback_gnt_dispose(&r->gnt);
	free(r->rqs);
	r->rqs = NULL;
}

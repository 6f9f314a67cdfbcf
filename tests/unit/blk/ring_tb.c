/* The ring test bench (ring_tb.h). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ring_tb.h"

static void notify(void *ctx)
{
	((struct tb *)ctx)->notified++;
}

const struct blkback_gnt_ops *tb_ops = &fake_gnt_ops;
static bool tb_inline; /* set by the inline case's fixture */

void tb_inline_on(void)
{
	tb_inline = true;
}

void tb_init(struct tb *t, unsigned pages, bool ro, bool persistent)
{
	memset(t, 0, sizeof(*t));
	fake_dom_init(&t->d);
	ck_assert_int_eq(blkback_io_init(&t->io, 64), 0);
	t->fd = temp_disk(DISK_BYTES);
	ck_assert_int_ge(t->fd, 0);
	t->ring_bytes = (size_t)pages * 4096;
	t->sring = aligned_alloc(4096, t->ring_bytes);
	blkif_sring_init(t->sring);
	ck_assert_int_eq(blkif_front_init(&t->fr, t->sring, t->ring_bytes), 0);
	t->info = (struct blkback_disk_info){ .sectors = DISK_BYTES / 512, .readonly = ro,
		.discard = true, .barrier = true, .flush = true,
		.max_indirect = PVX_BLK_MAX_INDIRECT_SEGS, .inline_rw = tb_inline };
	ck_assert_int_eq(blkback_ring_init(&t->br, t->sring, t->ring_bytes, false, &t->info,
					   t->fd, &t->io, tb_ops, &t->d, persistent), 0);
	t->br.notify = notify;
	t->br.notify_ctx = t;
}

void tb_free(struct tb *t)
{
	blkback_ring_dispose(&t->br);
	ck_assert_int_eq(t->d.maps, t->d.unmaps); /* no grant leaked */
	blkback_io_dispose(&t->io);
	close(t->fd);
	free(t->sring);
	fake_dom_free(&t->d);
}

void tb_run(struct tb *t)
{
	blkif_front_push_requests_and_check_notify(&t->fr);
	do {
		blkback_ring_kick(&t->br);
		while (t->br.inflight > 0) {
			ck_assert_int_ge(blkback_io_wait(&t->io, blkback_ring_io_done), 0);
			blkback_ring_flush_dirty();
			blkback_ring_kick(&t->br);
		}
		blkback_ring_flush_dirty();
	} while (!t->br.broken && blkif_back_has_unconsumed_requests(&t->br.br) > 0);
}

struct blkif_response tb_rsp(struct tb *t)
{
	struct blkif_response rsp;

	ck_assert_int_eq(blkif_front_get_response(&t->fr, &rsp), 1);
	return rsp;
}

void rw_req(union blkif_any_request *q, uint8_t op, uint64_t id, uint64_t sector,
	    grant_ref_t ref0, unsigned nseg)
{
	memset(q, 0, sizeof(*q));
	q->rw.operation = op;
	q->rw.nr_segments = (uint8_t)nseg;
	q->rw.id = id;
	q->rw.sector_number = sector;
	for (unsigned i = 0; i < nseg; i++)
		q->rw.seg[i] = (struct blkif_request_segment){ .gref = ref0 + i,
			.first_sect = 0, .last_sect = 7 };
}

void put(struct tb *t, const union blkif_any_request *q)
{
	ck_assert_int_eq(blkif_front_put_request(&t->fr, q), 0);
}

void mib_req(struct tb *t, uint8_t op, uint64_t id, uint64_t sector)
{
	struct blkif_request_segment *segs = fake_page(&t->d, 20);
	union blkif_any_request q;

	for (unsigned i = 0; i < 256; i++)
		segs[i] = (struct blkif_request_segment){ .gref = 300 + i, .last_sect = 7 };
	memset(&q, 0, sizeof(q));
	q.indirect.operation = BLKIF_OP_INDIRECT;
	q.indirect.indirect_op = op;
	q.indirect.nr_segments = 256;
	q.indirect.id = id;
	q.indirect.sector_number = sector;
	q.indirect.indirect_grefs[0] = 20;
	put(t, &q);
}

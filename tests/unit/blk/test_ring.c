/*
 * A whole ring end to end without a guest (the bench is ring_tb.h). Covers data
 * integrity (direct and indirect), every malformed request earning its
 * status while the ring keeps working, a producer index jump breaking
 * only its own ring, flush/barrier, persistent grants and re-attach.
 * The "inline" case runs the data tests again with reads and writes done
 * on the calling thread (what pvx-blkback does for tmpfs images).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ring_tb.h"

START_TEST(write_read_back)
{
	struct tb t;
	union blkif_any_request q;

	tb_init(&t, 1, false, false);
	for (unsigned i = 0; i < 11; i++)
		memset(fake_page(&t.d, 100 + i), 'a' + i, 4096);
	rw_req(&q, BLKIF_OP_WRITE, 1, 800, 100, 11);
	put(&t, &q);
	tb_run(&t);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	rw_req(&q, BLKIF_OP_READ, 2, 800, 200, 11);
	put(&t, &q);
	tb_run(&t);
	struct blkif_response r = tb_rsp(&t);
	ck_assert_uint_eq(r.id, 2);
	ck_assert_int_eq(r.operation, BLKIF_OP_READ);
	ck_assert_int_eq(r.status, BLKIF_RSP_OKAY);
	for (unsigned i = 0; i < 11; i++)
		ck_assert_mem_eq(fake_page(&t.d, 200 + i), fake_page(&t.d, 100 + i), 4096);
	ck_assert_int_ge(t.notified, 1);
	tb_free(&t);
}
END_TEST

/* One map batch and one unmap batch per request, whatever its size. */
START_TEST(batched_grants)
{
	struct tb t;
	union blkif_any_request q;

	tb_init(&t, 1, false, false);
	rw_req(&q, BLKIF_OP_WRITE, 1, 0, 100, 11);
	put(&t, &q);
	tb_run(&t);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	ck_assert_int_eq(t.d.maps, 11);
	ck_assert_int_eq(t.d.map_batches, 1);
	ck_assert_int_eq(t.d.unmap_batches, 1);
	/* All or nothing: one bad ref among good ones maps nothing for good. */
	rw_req(&q, BLKIF_OP_WRITE, 2, 0, 100, 11);
	q.rw.seg[7].gref = 2;
	put(&t, &q);
	tb_run(&t);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_ERROR);
	ck_assert_int_eq(t.d.maps, t.d.unmaps);
	tb_free(&t);
}
END_TEST

/* The same data path without batch ops (one map call per ref). */
START_TEST(single_map_ops)
{
	struct tb t;
	union blkif_any_request q;

	tb_ops = &fake_gnt_ops_single;
	tb_init(&t, 1, false, true);
	rw_req(&q, BLKIF_OP_WRITE, 1, 0, 100, 11);
	put(&t, &q);
	rw_req(&q, BLKIF_OP_READ, 2, 0, 200, 11);
	put(&t, &q);
	tb_run(&t);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	ck_assert_mem_eq(fake_page(&t.d, 200), fake_page(&t.d, 100), 4096);
	ck_assert_int_eq(t.d.map_batches, 0);
	tb_free(&t);
}
END_TEST

/* Adjacent pages merge into one iovec; out-of-order pages must not. */
START_TEST(iovec_merge)
{
	struct tb t;
	union blkif_any_request q;
	static const grant_ref_t order[4] = { 105, 103, 104, 106 };
	char buf[4096];

	tb_init(&t, 1, false, false);
	for (unsigned i = 0; i < 4; i++)
		memset(fake_page(&t.d, order[i]), 'A' + (int)i, 4096);
	rw_req(&q, BLKIF_OP_WRITE, 1, 64, 0, 4);
	for (unsigned i = 0; i < 4; i++)
		q.rw.seg[i].gref = order[i];
	put(&t, &q);
	tb_run(&t);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	for (unsigned i = 0; i < 4; i++) {
		ck_assert_int_eq(pread(t.fd, buf, 4096, 64 * 512 + (off_t)i * 4096), 4096);
		ck_assert_int_eq(buf[0], 'A' + (int)i);
		ck_assert_int_eq(buf[4095], 'A' + (int)i);
	}
	ck_assert_uint_eq(t.br.rqs[0].niov + t.br.rqs[t.br.br.r.nr_ents - 1].niov, 3);
	tb_free(&t);
}
END_TEST

/* Partial pages: sectors 2..5 of the page land at the right disk offset. */
START_TEST(sub_page_segment)
{
	struct tb t;
	union blkif_any_request q;
	char buf[2048];

	tb_init(&t, 1, false, false);
	memset(fake_page(&t.d, 50), 0x11, 4096);
	memset((char *)fake_page(&t.d, 50) + 1024, 0x77, 2048);
	rw_req(&q, BLKIF_OP_WRITE, 9, 10, 50, 1);
	q.rw.seg[0].first_sect = 2;
	q.rw.seg[0].last_sect = 5;
	put(&t, &q);
	tb_run(&t);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	ck_assert_int_eq(pread(t.fd, buf, 2048, 10 * 512), 2048);
	for (int i = 0; i < 2048; i++)
		ck_assert_int_eq((unsigned char)buf[i], 0x77);
	tb_free(&t);
}
END_TEST

struct bad {
	const char *what;
	void (*make)(union blkif_any_request *q);
	int16_t status;
};

static void bad_op(union blkif_any_request *q) { q->operation = 77; }
static void bad_nseg0(union blkif_any_request *q) { q->rw.nr_segments = 0; }
static void bad_nseg12(union blkif_any_request *q) { q->rw.nr_segments = 12; }
static void bad_first(union blkif_any_request *q) { q->rw.seg[0].first_sect = 7; q->rw.seg[0].last_sect = 1; }
static void bad_last(union blkif_any_request *q) { q->rw.seg[1].last_sect = 8; }
static void bad_range(union blkif_any_request *q) { q->rw.sector_number = DISK_BYTES / 512 - 8; }
static void bad_ref(union blkif_any_request *q) { q->rw.seg[1].gref = 3; }
static void bad_ref_high(union blkif_any_request *q) { q->rw.seg[0].gref = 0xFFFFFFFF; }
static void bad_ro_read(union blkif_any_request *q) { q->rw.operation = BLKIF_OP_READ; q->rw.seg[0].gref = 600; }
static void bad_secure(union blkif_any_request *q)
{
	q->discard.operation = BLKIF_OP_DISCARD;
	q->discard.flag = BLKIF_DISCARD_SECURE;
	q->discard.nr_sectors = 8;
}
static void bad_indirect_ref(union blkif_any_request *q)
{
	q->indirect.operation = BLKIF_OP_INDIRECT;
	q->indirect.indirect_op = BLKIF_OP_WRITE;
	q->indirect.nr_segments = 16;
	q->indirect.sector_number = 0;
	q->indirect.indirect_grefs[0] = 2;
}

static const struct bad bads[] = {
	{ "unknown op", bad_op, BLKIF_RSP_EOPNOTSUPP },
	{ "0 segments", bad_nseg0, BLKIF_RSP_ERROR },
	{ "12 segments", bad_nseg12, BLKIF_RSP_ERROR },
	{ "first > last", bad_first, BLKIF_RSP_ERROR },
	{ "last beyond page", bad_last, BLKIF_RSP_ERROR },
	{ "past the end", bad_range, BLKIF_RSP_ERROR },
	{ "ungranted ref", bad_ref, BLKIF_RSP_ERROR },
	{ "ref 2^32-1", bad_ref_high, BLKIF_RSP_ERROR },
	{ "read into ro grant", bad_ro_read, BLKIF_RSP_ERROR },
	{ "secure discard", bad_secure, BLKIF_RSP_EOPNOTSUPP },
	{ "indirect page ungranted", bad_indirect_ref, BLKIF_RSP_ERROR },
};

/* Each malformed write: its status, the disk untouched, the ring still good. */
START_TEST(malformed_requests)
{
	struct tb t;
	union blkif_any_request q;
	char buf[4096];

	tb_init(&t, 1, false, false);
	t.d.ro[600 - FAKE_REF_BASE] = true;
	for (unsigned i = 0; i < 4; i++)
		memset(fake_page(&t.d, 600 + i), 0xEE, 4096);
	for (size_t k = 0; k < sizeof(bads) / sizeof(bads[0]); k++) {
		rw_req(&q, BLKIF_OP_WRITE, 1000 + k, 0, 600, 4);
		bads[k].make(&q);
		put(&t, &q);
		tb_run(&t);
		struct blkif_response r = tb_rsp(&t);
		ck_assert_msg(r.status == bads[k].status, "%s: %d", bads[k].what, r.status);
		ck_assert_uint_eq(r.id, 1000 + k);
		ck_assert_int_eq(pread(t.fd, buf, 4096, 0), 4096);
		for (int i = 0; i < 4096; i++)
			ck_assert_msg(buf[i] == 0, "%s wrote the disk", bads[k].what);
		ck_assert_int_eq(t.br.inflight, 0);
		ck_assert_int_eq(t.d.maps, t.d.unmaps);
	}
	/* A read-only grant is fine for a write (we only read guest memory). */
	rw_req(&q, BLKIF_OP_WRITE, 1, 0, 600, 4);
	put(&t, &q);
	tb_run(&t);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	ck_assert_int_eq(pread(t.fd, buf, 4096, 0), 4096);
	ck_assert_int_eq((unsigned char)buf[0], 0xEE);
	ck_assert_uint_eq(t.br.stats.errors, sizeof(bads) / sizeof(bads[0]));
	tb_free(&t);
}
END_TEST

START_TEST(readonly_disk)
{
	struct tb t;
	union blkif_any_request q;

	tb_init(&t, 1, true, false);
	rw_req(&q, BLKIF_OP_WRITE, 5, 0, 100, 1);
	put(&t, &q);
	rw_req(&q, BLKIF_OP_READ, 6, 0, 100, 1);
	put(&t, &q);
	tb_run(&t);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_ERROR);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	tb_free(&t);
}
END_TEST

/* req_prod jumping past the ring breaks that ring only; a second ring works. */
START_TEST(index_jump)
{
	struct tb t, u;
	union blkif_any_request q;

	tb_init(&t, 1, false, false);
	tb_init(&u, 1, false, false);
	rw_req(&q, BLKIF_OP_WRITE, 1, 0, 100, 1);
	put(&t, &q);
	blkif_front_push_requests_and_check_notify(&t.fr);
	t.sring->hdr.req_prod += 1000;
	ck_assert_int_eq(blkback_ring_kick(&t.br), -EIO);
	ck_assert(t.br.broken);
	ck_assert_int_eq(blkback_ring_kick(&t.br), -EIO);
	rw_req(&q, BLKIF_OP_WRITE, 2, 0, 100, 1);
	put(&u, &q);
	tb_run(&u);
	ck_assert_int_eq(tb_rsp(&u).status, BLKIF_RSP_OKAY);
	/* Backwards is as bad as too far. */
	u.sring->hdr.req_prod -= 5;
	ck_assert_int_eq(blkback_ring_kick(&u.br), -EIO);
	tb_free(&t);
	tb_free(&u);
}
END_TEST

/* 256 segments through one indirect page: 1 MiB in one request. */
START_TEST(indirect_1mib)
{
	struct tb t;
	struct blkif_request_segment *segs;

	tb_init(&t, 1, false, false);
	for (unsigned i = 0; i < 256; i++)
		memset(fake_page(&t.d, 300 + i), (int)i, 4096);
	mib_req(&t, BLKIF_OP_WRITE, 77, 2048);
	tb_run(&t);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	for (unsigned i = 0; i < 256; i += 51) {
		unsigned char c;
		ck_assert_int_eq(pread(t.fd, &c, 1, 2048 * 512 + (off_t)i * 4096 + 9), 1);
		ck_assert_int_eq(c, i & 0xff);
	}
	/* A bad segment inside the indirect page fails the whole request
	 * (the backend reads the page when it takes the request). */
	mib_req(&t, BLKIF_OP_WRITE, 78, 2048);
	segs = fake_page(&t.d, 20);
	segs[100].last_sect = 9;
	tb_run(&t);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_ERROR);
	tb_free(&t);
}
END_TEST

START_TEST(flush_and_barrier)
{
	struct tb t;
	union blkif_any_request q;

	tb_init(&t, 1, false, false);
	rw_req(&q, BLKIF_OP_WRITE, 1, 0, 100, 2);
	put(&t, &q);
	rw_req(&q, BLKIF_OP_WRITE_BARRIER, 2, 16, 100, 1);
	put(&t, &q);
	rw_req(&q, BLKIF_OP_WRITE, 3, 24, 100, 1);
	put(&t, &q);
	memset(&q, 0, sizeof(q));
	q.rw.operation = BLKIF_OP_FLUSH_DISKCACHE;
	q.rw.id = 4;
	put(&t, &q);
	tb_run(&t);
	/* The barrier waited for request 1, so it is answered after it. */
	uint64_t order[4];
	for (int i = 0; i < 4; i++) {
		struct blkif_response r = tb_rsp(&t);
		ck_assert_int_eq(r.status, BLKIF_RSP_OKAY);
		order[i] = r.id;
	}
	ck_assert_uint_eq(order[0], 1);
	ck_assert_uint_eq(order[1], 2);
	tb_free(&t);
}
END_TEST

START_TEST(persistent_grants)
{
	struct tb t;
	union blkif_any_request q;

	tb_init(&t, 1, false, true);
	for (int i = 0; i < 20; i++) {
		rw_req(&q, i & 1 ? BLKIF_OP_READ : BLKIF_OP_WRITE, (uint64_t)i, 8, 100, 11);
		put(&t, &q);
		tb_run(&t);
		ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	}
	/* 11 read-only maps for the first write, 11 upgrades for the first read. */
	ck_assert_int_eq(t.d.maps, 22);
	tb_free(&t);
}
END_TEST

/* Multi-page ring (order 2): 128 requests in one batch, one notify. */
START_TEST(multipage_batch)
{
	struct tb t;
	union blkif_any_request q;

	tb_init(&t, 4, false, true);
	ck_assert_uint_eq(t.fr.r.nr_ents, 128);
	for (unsigned i = 0; i < 128; i++) {
		rw_req(&q, BLKIF_OP_WRITE, i, (uint64_t)i * 8, 100 + (i % 64), 1);
		put(&t, &q);
	}
	tb_run(&t);
	for (unsigned i = 0; i < 128; i++)
		ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	ck_assert_int_le(t.notified, 4);
	tb_free(&t);
}
END_TEST

/*
 * The window restarts when responses go out: an fdatasync (always run by
 * io_uring's workers) outlasts a window timed from the request, yet the
 * frontend's next request, which follows the response, still needs no
 * notification.
 */
START_TEST(polling_window_from_responses)
{
	struct tb t;
	union blkif_any_request q;

	tb_init(&t, 1, false, false);
	t.br.poll_ns = 200000000ull;
	memset(&q, 0, sizeof(q));
	q.rw.operation = BLKIF_OP_FLUSH_DISKCACHE;
	q.rw.id = 7;
	put(&t, &q);
	blkif_front_push_requests_and_check_notify(&t.fr);
	blkback_ring_kick(&t.br);
	ck_assert_uint_eq(t.br.inflight, 1); /* the sync is still running */
	t.br.poll_until = 0;                 /* as if it outlasted the window */
	t.br.polling = false;
	while (t.br.inflight)
		ck_assert_int_ge(blkback_io_wait(&t.io, blkback_ring_io_done), 0);
	blkback_ring_flush_dirty();
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	ck_assert(t.br.polling);
	ck_assert(t.br.poll_until > blkback_now_ns() + t.br.poll_ns / 2);
	blkback_ring_kick(&t.br); /* nothing new: keeps polling, req_event unarmed */
	ck_assert(t.br.polling);
	rw_req(&q, BLKIF_OP_READ, 8, 0, 100, 1);
	put(&t, &q);
	ck_assert(!blkif_front_push_requests_and_check_notify(&t.fr));
	tb_run(&t);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	tb_free(&t);
}
END_TEST

/* A read of cached data completes inside the kick's io_uring_enter and is
 * answered by that same kick, without a separate reap. */
START_TEST(cached_read_answered_in_kick)
{
	struct tb t;
	union blkif_any_request q;
	int answered = 0;

	tb_init(&t, 1, false, true);
	memset(fake_page(&t.d, 100), 'x', 4096);
	rw_req(&q, BLKIF_OP_WRITE, 1, 64, 100, 1);
	put(&t, &q);
	tb_run(&t); /* the block is now in the page cache */
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	for (unsigned i = 0; i < 20 && !answered; i++) {
		struct blkif_response r;

		rw_req(&q, BLKIF_OP_READ, 2 + i, 64, 200, 1);
		put(&t, &q);
		blkif_front_push_requests_and_check_notify(&t.fr);
		blkback_ring_kick(&t.br);
		answered = blkif_front_get_response(&t.fr, &r) == 1;
		while (t.br.inflight) /* punted to a worker this time: finish it */
			ck_assert_int_ge(blkback_io_wait(&t.io, blkback_ring_io_done), 0);
		blkback_ring_flush_dirty();
		if (!answered)
			ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	}
	ck_assert(answered);
	ck_assert_mem_eq(fake_page(&t.d, 200), fake_page(&t.d, 100), 4096);
	tb_free(&t);
}
END_TEST

/*
 * I/O in flight past the window: the backend does not arm req_event, as
 * that I/O's responses restart polling anyway; the frontend's requests
 * meanwhile need no notification and are taken after the completion.
 */
START_TEST(no_notify_while_inflight)
{
	struct tb t;
	union blkif_any_request q;

	tb_init(&t, 1, false, false);
	t.br.poll_ns = 1; /* the window is always over */
	memset(&q, 0, sizeof(q));
	q.rw.operation = BLKIF_OP_FLUSH_DISKCACHE;
	q.rw.id = 1;
	put(&t, &q);
	blkif_front_push_requests_and_check_notify(&t.fr);
	blkback_ring_kick(&t.br);
	ck_assert_uint_eq(t.br.inflight, 1); /* the sync runs in a worker */
	t.br.poll_until = 0;
	blkback_ring_kick(&t.br); /* a poll pass after the window, sync in flight */
	rw_req(&q, BLKIF_OP_READ, 2, 0, 100, 1);
	put(&t, &q);
	ck_assert(!blkif_front_push_requests_and_check_notify(&t.fr));
	while (t.br.inflight)
		ck_assert_int_ge(blkback_io_wait(&t.io, blkback_ring_io_done), 0);
	blkback_ring_flush_dirty();
	ck_assert(t.br.polling); /* the daemon's poll pass kicks it next */
	tb_run(&t);
	ck_assert_uint_eq(tb_rsp(&t).id, 1);
	ck_assert_uint_eq(tb_rsp(&t).id, 2);
	tb_free(&t);
}
END_TEST

/* Polling: inside the window the frontend need not notify; after it, it must. */
START_TEST(polling_window)
{
	struct tb t;
	union blkif_any_request q;

	tb_init(&t, 1, false, false);
	t.br.poll_ns = 200000000ull; /* 200 ms: ample for the steps below */
	rw_req(&q, BLKIF_OP_READ, 1, 0, 100, 1);
	put(&t, &q);
	tb_run(&t);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	ck_assert(t.br.polling);
	put(&t, &q);
	ck_assert(!blkif_front_push_requests_and_check_notify(&t.fr)); /* no notify needed */
	blkback_ring_kick(&t.br);
	while (t.br.inflight)
		ck_assert_int_ge(blkback_io_wait(&t.io, blkback_ring_io_done), 0);
	blkback_ring_flush_dirty();
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	usleep(250000); /* the window passes: the next kick arms req_event */
	blkback_ring_kick(&t.br);
	ck_assert(!t.br.polling);
	put(&t, &q);
	ck_assert(blkif_front_push_requests_and_check_notify(&t.fr));
	tb_run(&t);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	tb_free(&t);
}
END_TEST

/* A backend restart re-attaches to the live ring and carries on. */
START_TEST(reattach)
{
	struct tb t;
	union blkif_any_request q;

	tb_init(&t, 1, false, false);
	for (int i = 0; i < 40; i++) { /* wrap the 32-entry ring */
		rw_req(&q, BLKIF_OP_WRITE, (uint64_t)i, 0, 100, 1);
		put(&t, &q);
		tb_run(&t);
		ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	}
	blkback_ring_dispose(&t.br);
	ck_assert_int_eq(blkback_ring_init(&t.br, t.sring, t.ring_bytes, true, &t.info,
					   t.fd, &t.io, &fake_gnt_ops, &t.d, false), 0);
	rw_req(&q, BLKIF_OP_READ, 99, 0, 100, 1);
	put(&t, &q);
	tb_run(&t);
	ck_assert_uint_eq(tb_rsp(&t).id, 99);
	tb_free(&t);
}
END_TEST

Suite *make_ring_suite(void)
{
	Suite *s = suite_create("ring");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, write_read_back);
	tcase_add_test(tc, sub_page_segment);
	tcase_add_test(tc, batched_grants);
	tcase_add_test(tc, iovec_merge);
	tcase_add_test(tc, single_map_ops);
	tcase_add_test(tc, malformed_requests);
	tcase_add_test(tc, readonly_disk);
	tcase_add_test(tc, index_jump);
	tcase_add_test(tc, indirect_1mib);
	tcase_add_test(tc, flush_and_barrier);
	tcase_add_test(tc, persistent_grants);
	tcase_add_test(tc, multipage_batch);
	tcase_add_test(tc, reattach);
	tcase_add_test(tc, polling_window);
	tcase_add_test(tc, no_notify_while_inflight);
	tcase_add_test(tc, polling_window_from_responses);
	tcase_add_test(tc, cached_read_answered_in_kick);
	suite_add_tcase(s, tc);

	TCase *ti = tcase_create("inline");
	tcase_add_checked_fixture(ti, tb_inline_on, NULL);
	tcase_add_test(ti, write_read_back);
	tcase_add_test(ti, sub_page_segment);
	tcase_add_test(ti, iovec_merge);
	tcase_add_test(ti, malformed_requests);
	tcase_add_test(ti, readonly_disk);
	tcase_add_test(ti, indirect_1mib);
	tcase_add_test(ti, flush_and_barrier);
	tcase_add_test(ti, persistent_grants);
	tcase_add_test(ti, multipage_batch);
	tcase_add_test(ti, reattach);
	ring_inline_add_tests(tc, ti);
	suite_add_tcase(s, ti);
	return s;
}

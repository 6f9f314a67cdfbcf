/*
 * Reads and writes done inline (pvx-blkback's mode for tmpfs images) and
 * the per-kick byte budget: test_ring.c's data tests run again in its
 * "inline" case; these are the tests of what only that mode, or the
 * budget, does.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ring_tb.h"

/* One kick starts at most BLKBACK_KICK_BYTES, stays polling (no req_event,
 * so no notification is lost) and the next kick takes the rest. */
START_TEST(kick_byte_budget)
{
	struct tb t;
	unsigned per_kick = BLKBACK_KICK_BYTES >> 20;

	tb_init(&t, 1, false, true);
	for (unsigned i = 0; i < per_kick + 2; i++)
		mib_req(&t, BLKIF_OP_READ, i, (i % 4) * 2048);
	blkif_front_push_requests_and_check_notify(&t.fr);
	blkback_ring_kick(&t.br);
	ck_assert_int_eq(blkif_back_has_unconsumed_requests(&t.br.br), 2);
	ck_assert(t.br.polling);
	tb_run(&t);
	for (unsigned i = 0; i < per_kick + 2; i++)
		ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
	ck_assert_int_eq(blkif_back_has_unconsumed_requests(&t.br.br), 0);
	tb_free(&t);
}
END_TEST

/* Inline I/O that fails (a write through a read-only descriptor) is an
 * error response, and the ring goes on serving. */
START_TEST(inline_io_error)
{
	struct tb t;
	union blkif_any_request q;
	char path[64];
	int ro;

	tb_init(&t, 1, false, false);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", t.fd);
	ro = open(path, O_RDONLY);
	ck_assert_int_ge(ro, 0);
	ck_assert_int_eq(dup2(ro, t.fd), t.fd);
	close(ro);
	rw_req(&q, BLKIF_OP_WRITE, 1, 0, 100, 2);
	put(&t, &q);
	tb_run(&t);
	ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_ERROR);
	rw_req(&q, BLKIF_OP_READ, 2, 0, 100, 2);
	put(&t, &q);
	tb_run(&t);
	struct blkif_response r = tb_rsp(&t);
	ck_assert_uint_eq(r.id, 2);
	ck_assert_int_eq(r.status, BLKIF_RSP_OKAY);
	ck_assert_uint_eq(t.br.inflight, 0);
	tb_free(&t);
}
END_TEST

/* Inline reads and writes are answered by the kick that took them: nothing
 * is left in flight for io_uring (a buffered write there goes to a worker). */
START_TEST(inline_answered_in_kick)
{
	struct tb t;
	union blkif_any_request q;

	tb_init(&t, 1, false, true);
	for (unsigned i = 0; i < 8; i++) {
		if (!(i & 1))
			memset(fake_page(&t.d, 100), 'a' + (int)i, 4096);
		rw_req(&q, i & 1 ? BLKIF_OP_READ : BLKIF_OP_WRITE, i, 64 + i / 2 * 8,
		       i & 1 ? 200 : 100, 1);
		put(&t, &q);
		blkif_front_push_requests_and_check_notify(&t.fr);
		blkback_ring_kick(&t.br);
		ck_assert_uint_eq(t.br.inflight, 0);
		ck_assert_int_eq(tb_rsp(&t).status, BLKIF_RSP_OKAY);
		if (i & 1)
			ck_assert_mem_eq(fake_page(&t.d, 200), fake_page(&t.d, 100), 4096);
	}
	tb_free(&t);
}
END_TEST

void ring_inline_add_tests(TCase *core, TCase *inl)
{
	tcase_add_test(core, kick_byte_budget);
	tcase_add_test(inl, kick_byte_budget);
	tcase_add_test(inl, inline_io_error);
	tcase_add_test(inl, inline_answered_in_kick);
}

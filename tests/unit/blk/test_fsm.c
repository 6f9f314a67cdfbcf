/*
 * blkback_fsm: every (backend state, frontend state) pair, including the
 * frontend directory disappearing (-1) in each backend state, against the
 * table in fsm.c's header.
 */
#include "harness.h"

#define GONE (-1)
enum { N = BLKBACK_NONE, I = BLKBACK_INITWAIT, C = BLKBACK_CONNECT,
       X = BLKBACK_CLOSE, R = BLKBACK_RESET, S = BLKBACK_CLOSING, D = BLKBACK_CLOSED };

/* Rows: backend 1, 2, 4, 5, 6; columns: frontend gone, 1, 2, 3, 4, 5, 6. */
static const int be_states[] = { 1, 2, 4, 5, 6 };
static const int fe_states[] = { GONE, 1, 2, 3, 4, 5, 6 };
static const int want[5][7] = {
	/* be 1 */ { N, I, I, I, I, I, I },
	/* be 2 */ { X, N, N, C, C, S, D },
	/* be 4 */ { X, R, R, N, N, S, D },
	/* be 5 */ { X, R, N, N, N, N, D },
	/* be 6 */ { N, R, N, N, N, N, N },
};

START_TEST(table_connected)
{
	for (int b = 0; b < 5; b++)
		for (int f = 0; f < 7; f++) {
			int got = blkback_fsm(be_states[b], fe_states[f], true);
			ck_assert_msg(got == want[b][f], "be %d fe %d: %d, want %d",
				      be_states[b], fe_states[f], got, want[b][f]);
		}
}
END_TEST

/* A restarted backend finds itself Connected without a ring: re-attach. */
START_TEST(reattach_after_restart)
{
	ck_assert_int_eq(blkback_fsm(4, 4, false), BLKBACK_CONNECT);
	ck_assert_int_eq(blkback_fsm(4, 3, false), BLKBACK_CONNECT);
	ck_assert_int_eq(blkback_fsm(4, GONE, false), BLKBACK_CLOSE);
	ck_assert_int_eq(blkback_fsm(4, 6, false), BLKBACK_CLOSED);
	ck_assert_int_eq(blkback_fsm(0, 4, false), BLKBACK_INITWAIT);
}
END_TEST

/* States a backend never publishes and garbage from xenstore: no action. */
START_TEST(odd_states)
{
	ck_assert_int_eq(blkback_fsm(3, 4, false), BLKBACK_NONE);
	ck_assert_int_eq(blkback_fsm(7, 4, false), BLKBACK_NONE);
	ck_assert_int_eq(blkback_fsm(99, 4, false), BLKBACK_NONE);
	ck_assert_int_eq(blkback_fsm(2, 99, false), BLKBACK_CLOSED);
	ck_assert_int_eq(blkback_fsm(2, 7, false), BLKBACK_CLOSED);
}
END_TEST

/* Xen's close: we stay Closing while the frontend is Closing (Linux
 * reads 5 there, then writes Closed) and go Closed only after its
 * Closed; a frontend that vanishes while we are Closing is cleaned up
 * (CLOSE: Closed, and the device freed if its domain is gone). */
START_TEST(close_order)
{
	ck_assert_int_eq(blkback_fsm(4, 5, true), S);
	ck_assert_int_eq(blkback_fsm(4, 5, false), S);
	ck_assert_int_eq(blkback_fsm(2, 5, false), S);
	for (int i = 0; i < 3; i++) /* repeated watch events: still nothing */
		ck_assert_int_eq(blkback_fsm(5, 5, false), N);
	ck_assert_int_eq(blkback_fsm(5, 6, false), D);
	ck_assert_int_eq(blkback_fsm(6, 6, false), N);
	ck_assert_int_eq(blkback_fsm(6, 1, false), R); /* and it may start again */
	ck_assert_int_eq(blkback_fsm(5, 1, false), R);
	ck_assert_int_eq(blkback_fsm(5, GONE, false), X);
	ck_assert_int_eq(blkback_fsm(4, 6, true), D); /* a frontend skipping Closing */
	ck_assert_int_eq(blkback_fsm(2, 6, false), D);
}
END_TEST

Suite *make_fsm_suite(void)
{
	Suite *s = suite_create("fsm");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, table_connected);
	tcase_add_test(tc, reattach_after_restart);
	tcase_add_test(tc, odd_states);
	tcase_add_test(tc, close_order);
	suite_add_tcase(s, tc);
	return s;
}

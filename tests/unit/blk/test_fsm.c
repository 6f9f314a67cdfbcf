/*
 * blkback_fsm: every (backend state, frontend state) pair, including the
 * frontend directory disappearing (-1) in each backend state, against the
 * table in fsm.c's header.
 */
#include "harness.h"

#define GONE (-1)
enum { N = BLKBACK_NONE, I = BLKBACK_INITWAIT, C = BLKBACK_CONNECT,
       X = BLKBACK_CLOSE, R = BLKBACK_RESET };

/* Rows: backend 1, 2, 4, 5, 6; columns: frontend gone, 1, 2, 3, 4, 5, 6. */
static const int be_states[] = { 1, 2, 4, 5, 6 };
static const int fe_states[] = { GONE, 1, 2, 3, 4, 5, 6 };
static const int want[5][7] = {
	/* be 1 */ { N, I, I, I, I, I, I },
	/* be 2 */ { X, N, N, C, C, X, X },
	/* be 4 */ { X, R, R, N, N, X, X },
	/* be 5 */ { X, R, N, N, N, X, X },
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
	ck_assert_int_eq(blkback_fsm(4, 6, false), BLKBACK_CLOSE);
	ck_assert_int_eq(blkback_fsm(0, 4, false), BLKBACK_INITWAIT);
}
END_TEST

/* States a backend never publishes and garbage from xenstore: no action. */
START_TEST(odd_states)
{
	ck_assert_int_eq(blkback_fsm(3, 4, false), BLKBACK_NONE);
	ck_assert_int_eq(blkback_fsm(7, 4, false), BLKBACK_NONE);
	ck_assert_int_eq(blkback_fsm(99, 4, false), BLKBACK_NONE);
	ck_assert_int_eq(blkback_fsm(2, 99, false), BLKBACK_CLOSE);
	ck_assert_int_eq(blkback_fsm(2, 7, false), BLKBACK_CLOSE);
}
END_TEST

Suite *make_fsm_suite(void)
{
	Suite *s = suite_create("fsm");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, table_connected);
	tcase_add_test(tc, reattach_after_restart);
	tcase_add_test(tc, odd_states);
	suite_add_tcase(s, tc);
	return s;
}

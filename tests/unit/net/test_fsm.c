/*
 * netback_fsm: every (backend state, frontend state) pair, including the
 * frontend directory vanishing (-1) in each backend state, against the
 * table in fsm.c's header.
 */
#include "harness.h"

#define GONE (-1)
enum { N = NETBACK_NONE, I = NETBACK_INITWAIT, C = NETBACK_CONNECT,
       X = NETBACK_CLOSE, R = NETBACK_RESET, S = NETBACK_CLOSING, D = NETBACK_CLOSED };

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
			int got = netback_fsm(be_states[b], fe_states[f], true);

			ck_assert_msg(got == want[b][f], "be %d fe %d: %s, want %s",
				      be_states[b], fe_states[f], netback_action_name((enum netback_action)got),
				      netback_action_name((enum netback_action)want[b][f]));
		}
}
END_TEST

/* Without rings only Connected differs: re-attach where it would idle. */
START_TEST(table_unconnected)
{
	for (int b = 0; b < 5; b++)
		for (int f = 0; f < 7; f++) {
			int w = want[b][f], got = netback_fsm(be_states[b], fe_states[f], false);

			if (be_states[b] == 4 && (fe_states[f] == 3 || fe_states[f] == 4))
				w = C;
			ck_assert_msg(got == w, "be %d fe %d: %s", be_states[b], fe_states[f],
				      netback_action_name((enum netback_action)got));
		}
}
END_TEST

/* The frontend vanishing in each state: close what we hold, once. */
START_TEST(frontend_vanishes)
{
	ck_assert_int_eq(netback_fsm(0, GONE, false), N);
	ck_assert_int_eq(netback_fsm(1, GONE, false), N);
	ck_assert_int_eq(netback_fsm(2, GONE, false), X);
	ck_assert_int_eq(netback_fsm(4, GONE, true), X);
	ck_assert_int_eq(netback_fsm(4, GONE, false), X);
	ck_assert_int_eq(netback_fsm(5, GONE, false), X);
	ck_assert_int_eq(netback_fsm(6, GONE, false), N); /* closed: stays so */
}
END_TEST

/* A whole life: handshake, Linux skipping 3, teardown, reconnect. */
START_TEST(life)
{
	ck_assert_int_eq(netback_fsm(1, 1, false), I);
	ck_assert_int_eq(netback_fsm(2, 1, false), N);
	ck_assert_int_eq(netback_fsm(2, 4, false), C);
	ck_assert_int_eq(netback_fsm(4, 4, true), N);
	ck_assert_int_eq(netback_fsm(4, 5, true), S);
	ck_assert_int_eq(netback_fsm(5, 5, false), N);
	ck_assert_int_eq(netback_fsm(5, 6, false), D);
	ck_assert_int_eq(netback_fsm(6, 6, false), N);
	ck_assert_int_eq(netback_fsm(6, 1, false), R); /* guest rebooted */
}
END_TEST

START_TEST(odd_states)
{
	ck_assert_int_eq(netback_fsm(3, 4, false), N);
	ck_assert_int_eq(netback_fsm(7, 4, false), N);
	ck_assert_int_eq(netback_fsm(99, 4, false), N);
	ck_assert_int_eq(netback_fsm(-5, 4, false), N);
	ck_assert_int_eq(netback_fsm(2, 99, false), D);
	ck_assert_int_eq(netback_fsm(2, 7, false), D);
	ck_assert_str_eq(netback_action_name(NETBACK_CONNECT), "connect");
	ck_assert_str_eq(netback_action_name((enum netback_action)42), "?");
}
END_TEST

/* Xen's close: we stay Closing while the frontend is Closing (Linux
 * reads 5 there, then writes Closed) and go Closed only after its
 * Closed; a frontend that vanishes while we are Closing is cleaned up
 * (CLOSE: Closed, and the device freed if its domain is gone). */
START_TEST(close_order)
{
	ck_assert_int_eq(netback_fsm(4, 5, true), S);
	ck_assert_int_eq(netback_fsm(4, 5, false), S);
	ck_assert_int_eq(netback_fsm(2, 5, false), S);
	for (int i = 0; i < 3; i++) /* repeated watch events: still nothing */
		ck_assert_int_eq(netback_fsm(5, 5, false), N);
	ck_assert_int_eq(netback_fsm(5, 6, false), D);
	ck_assert_int_eq(netback_fsm(6, 6, false), N);
	ck_assert_int_eq(netback_fsm(6, 1, false), R); /* and it may start again */
	ck_assert_int_eq(netback_fsm(5, 1, false), R);
	ck_assert_int_eq(netback_fsm(5, GONE, false), X);
	ck_assert_int_eq(netback_fsm(4, 6, true), D); /* a frontend skipping Closing */
	ck_assert_int_eq(netback_fsm(2, 6, false), D);
}
END_TEST

Suite *make_fsm_suite(void)
{
	Suite *s = suite_create("fsm");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, table_connected);
	tcase_add_test(tc, table_unconnected);
	tcase_add_test(tc, frontend_vanishes);
	tcase_add_test(tc, life);
	tcase_add_test(tc, odd_states);
	tcase_add_test(tc, close_order);
	suite_add_tcase(s, tc);
	return s;
}

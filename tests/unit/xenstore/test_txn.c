/*
 * Transactions: isolation both ways (a transaction's changes are
 * invisible outside until commit; a transaction keeps seeing the store as
 * it was when it started), EAGAIN when something it read changed, blind
 * writes never conflict, abort and failure leave nothing, watches fire at
 * commit only, removal and re-creation inside one transaction.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "../../../xenbus/store/txn.h"

static struct tc *a, *b, *w;

static void setup(void)
{
	h_setup();
	a = tc_new(0, true);
	b = tc_new(0, true);
	w = tc_new(0, true);
	ck_assert_int_eq(tc_write(a, 0, "/k", "old"), 0);
}

/* Xen's test-xenstore "ta err". */
START_TEST(snapshot_then_conflict)
{
	char v[64];
	uint32_t t;

	ck_assert_int_eq(tc_tx_start(a, &t), 0);
	ck_assert_int_eq(tc_read(a, t, "/k", v), 3);
	ck_assert_int_eq(tc_write(b, 0, "/k", "outside"), 0);
	ck_assert_int_eq(tc_read(a, t, "/k", v), 3);
	ck_assert_str_eq(v, "old");
	ck_assert_int_eq(tc_write(a, t, "/k", "inside"), 0);
	ck_assert_int_eq(tc_read(a, t, "/k", v), 6);
	ck_assert_str_eq(v, "inside");
	ck_assert_int_eq(tc_tx_end(a, t, true), -EAGAIN);
	ck_assert_int_eq(tc_read(a, 0, "/k", v), 7);
	ck_assert_str_eq(v, "outside");
}
END_TEST

START_TEST(first_read_after_outside_change_sees_snapshot)
{
	char v[64], names[64];
	uint32_t t;

	ck_assert_int_eq(tc_tx_start(a, &t), 0);
	ck_assert_int_eq(tc_write(b, 0, "/k", "new"), 0);
	ck_assert_int_eq(tc_write(b, 0, "/added/deep", "1"), 0);
	ck_assert_int_eq(tc_simple(b, XS_RM, 0, "/k"), 0);
	/* Never read before, yet the transaction sees its start state. */
	ck_assert_int_eq(tc_read(a, t, "/k", v), 3);
	ck_assert_str_eq(v, "old");
	ck_assert_int_eq(tc_read(a, t, "/added/deep", v), -ENOENT);
	ck_assert_int_eq(tc_dir(a, t, "/", names), 0);
	ck_assert_str_eq(names, "k");
	ck_assert_int_eq(tc_tx_end(a, t, true), -EAGAIN);
}
END_TEST

START_TEST(invisible_until_commit)
{
	char v[64];
	uint32_t t;

	ck_assert_int_eq(tc_watch(w, "/n", "t"), 0);
	tc_drain_events(w);
	ck_assert_int_eq(tc_tx_start(a, &t), 0);
	ck_assert_int_eq(tc_write(a, t, "/n/x", "1"), 0);
	ck_assert_int_eq(tc_read(b, 0, "/n/x", v), -ENOENT);
	ck_assert_int_eq(tc_read(a, t, "/n/x", v), 1);
	ck_assert_int_eq(tc_event_count(w), 0);
	ck_assert_int_eq(tc_tx_end(a, t, true), 0);
	ck_assert_int_eq(tc_read(b, 0, "/n/x", v), 1);
	ck_assert_int_eq(tc_event_count(w), 1);
}
END_TEST

START_TEST(abort_leaves_nothing)
{
	char v[64];
	unsigned nodes = T_st->nnodes;
	uint32_t t;

	ck_assert_int_eq(tc_watch(w, "/", "t"), 0);
	tc_drain_events(w);
	ck_assert_int_eq(tc_tx_start(a, &t), 0);
	ck_assert_int_eq(tc_write(a, t, "/z/y/x", "1"), 0);
	ck_assert_int_eq(tc_simple(a, XS_RM, t, "/k"), 0);
	ck_assert_int_eq(tc_tx_end(a, t, false), 0);
	ck_assert_uint_eq(T_st->nnodes, nodes);
	ck_assert_int_eq(tc_read(b, 0, "/k", v), 3);
	ck_assert_int_eq(tc_read(b, 0, "/z", v), -ENOENT);
	ck_assert_int_eq(tc_event_count(w), 0);
	/* The id is gone. */
	ck_assert_int_eq(tc_read(a, t, "/k", v), -ENOENT);
}
END_TEST

START_TEST(blind_writes_do_not_conflict)
{
	char v[64];
	uint32_t t;

	ck_assert_int_eq(tc_tx_start(a, &t), 0);
	ck_assert_int_eq(tc_write(a, t, "/k", "tx"), 0);
	ck_assert_int_eq(tc_write(b, 0, "/other", "x"), 0);
	ck_assert_int_eq(tc_write(b, 0, "/k", "outside"), 0);
	ck_assert_int_eq(tc_tx_end(a, t, true), 0);
	ck_assert_int_eq(tc_read(b, 0, "/k", v), 2); /* last writer wins */
	ck_assert_int_eq(tc_read(b, 0, "/other", v), 1);
}
END_TEST

START_TEST(unrelated_change_does_not_conflict)
{
	char v[64];
	uint32_t t;

	ck_assert_int_eq(tc_write(a, 0, "/dev/a/state", "1"), 0);
	ck_assert_int_eq(tc_tx_start(a, &t), 0);
	ck_assert_int_eq(tc_read(a, t, "/dev/a/state", v), 1);
	ck_assert_int_eq(tc_write(a, t, "/dev/a/state", "4"), 0);
	/* A sibling device changes meanwhile: not our business. */
	ck_assert_int_eq(tc_write(b, 0, "/dev/b/state", "1"), 0);
	ck_assert_int_eq(tc_tx_end(a, t, true), 0);
	ck_assert_int_eq(tc_read(b, 0, "/dev/a/state", v), 1);
	ck_assert_str_eq(v, "4");
}
END_TEST

START_TEST(read_of_missing_node_conflicts_with_its_creation)
{
	char v[64];
	uint32_t t;

	ck_assert_int_eq(tc_tx_start(a, &t), 0);
	ck_assert_int_eq(tc_read(a, t, "/lock", v), -ENOENT);
	ck_assert_int_eq(tc_write(a, t, "/lock", "a"), 0);
	ck_assert_int_eq(tc_write(b, 0, "/lock", "b"), 0);
	ck_assert_int_eq(tc_tx_end(a, t, true), -EAGAIN);
	ck_assert_int_eq(tc_read(b, 0, "/lock", v), 1);
	ck_assert_str_eq(v, "b");
}
END_TEST

START_TEST(rm_and_recreate_inside)
{
	char v[64], names[64];
	uint32_t t;

	ck_assert_int_eq(tc_write(a, 0, "/r/old/x", "1"), 0);
	ck_assert_int_eq(tc_write(a, 0, "/r/keep", "1"), 0);
	ck_assert_int_eq(tc_watch(w, "/r/old/x", "lost"), 0);
	tc_drain_events(w);
	ck_assert_int_eq(tc_tx_start(a, &t), 0);
	ck_assert_int_eq(tc_simple(a, XS_RM, t, "/r"), 0);
	ck_assert_int_eq(tc_read(a, t, "/r/keep", v), -ENOENT);
	ck_assert_int_eq(tc_write(a, t, "/r/new", "2"), 0);
	ck_assert_int_eq(tc_dir(a, t, "/r", names), 0);
	ck_assert_str_eq(names, "new");
	ck_assert_int_eq(tc_read(b, 0, "/r/keep", v), 1);
	ck_assert_int_eq(tc_tx_end(a, t, true), 0);
	ck_assert_int_eq(tc_dir(b, 0, "/r", names), 0);
	ck_assert_str_eq(names, "new");
	ck_assert_int_eq(tc_read(b, 0, "/r/old/x", v), -ENOENT);
	ck_assert_int_eq(tc_event_count(w), 1); /* the lost node's watch */
	ck_assert_int_eq(tc_args(b, XS_CONTROL, 0, (const char *[]){ "check" }, 1, v), 0);
	ck_assert_str_eq(v, "OK");
}
END_TEST

START_TEST(protocol_rules)
{
	const char *none = "";
	char r[64];
	uint32_t t, t2;

	ck_assert_int_eq(tc_tx_start(a, &t), 0);
	ck_assert_uint_ne(t, 0);
	/* Nested start: EBUSY. */
	ck_assert_int_eq(tc_args(a, XS_TRANSACTION_START, t, &none, 1, r), -EBUSY);
	/* Another connection cannot use our id. */
	ck_assert_int_eq(tc_read(b, t, "/k", r), -ENOENT);
	ck_assert_int_eq(tc_simple(a, XS_TRANSACTION_END, t, "X"), -EINVAL);
	ck_assert_int_eq(tc_tx_end(a, 999, true), -ENOENT);
	ck_assert_int_eq(tc_tx_start(a, &t2), 0);
	ck_assert_uint_ne(t, t2);
	ck_assert_int_eq(tc_tx_end(a, t, true), 0);
	ck_assert_int_eq(tc_tx_end(a, t2, false), 0);
	ck_assert_uint_eq(a->c->ntxns, 0);
}
END_TEST

START_TEST(guest_permissions_apply_inside)
{
	struct tc *g = tc_new(5, false);
	char v[64];
	uint32_t t;

	ck_assert_int_eq(tc_write(a, 0, "/secret", "s"), 0);
	ck_assert_int_eq(tc_tx_start(g, &t), 0);
	ck_assert_int_eq(tc_read(g, t, "/secret", v), -EACCES);
	ck_assert_int_eq(tc_write(g, t, "/secret", "x"), -EACCES);
	ck_assert_int_eq(tc_tx_end(g, t, true), 0);
	ck_assert_int_eq(tc_read(a, 0, "/secret", v), 1);
}
END_TEST

START_TEST(connection_close_ends_transactions)
{
	struct tc *c = tc_new(0, true);
	uint32_t t;

	ck_assert_int_eq(tc_tx_start(c, &t), 0);
	ck_assert_int_eq(tc_write(c, t, "/gone", "1"), 0);
	tc_free(c);
	ck_assert(TAILQ_EMPTY(&T_st->open_txns));
	ck_assert_ptr_null(tree_find(T_st, "/gone"));
}
END_TEST

/* An idle guest transaction may not make every later write copy without
 * bound: past its pre-image budget it is doomed (EAGAIN) and leaves the
 * open list; dom0's transactions have a larger budget. */
START_TEST(preimage_budget_dooms_idle_guest_transactions)
{
	static char big[200];
	struct tc *g = tc_new(5, false);
	char path[32];
	uint32_t tg, td;
	int i;

	memset(big, 'v', sizeof(big) - 1);
	ck_assert_int_eq(tc_tx_start(g, &tg), 0);
	ck_assert_int_eq(tc_tx_start(a, &td), 0);
	for (i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "/bulk/n%d", i);
		ck_assert_int_eq(tc_write(b, 0, path, big), 0);
	}
	/* Only dom0's transaction is still collecting pre-images. */
	ck_assert_ptr_eq(TAILQ_FIRST(&T_st->open_txns), txn_find(a->c, td));
	ck_assert_ptr_null(TAILQ_NEXT(TAILQ_FIRST(&T_st->open_txns), store_link));
	ck_assert_int_eq(tc_tx_end(g, tg, true), -EAGAIN);
	ck_assert_int_eq(tc_tx_end(a, td, true), 0);
}
END_TEST

Suite *make_txn_suite(void)
{
	Suite *s = suite_create("txn");
	TCase *tc = tcase_create("txn");

	tcase_add_checked_fixture(tc, setup, h_teardown);
	tcase_add_test(tc, snapshot_then_conflict);
	tcase_add_test(tc, first_read_after_outside_change_sees_snapshot);
	tcase_add_test(tc, invisible_until_commit);
	tcase_add_test(tc, abort_leaves_nothing);
	tcase_add_test(tc, blind_writes_do_not_conflict);
	tcase_add_test(tc, unrelated_change_does_not_conflict);
	tcase_add_test(tc, read_of_missing_node_conflicts_with_its_creation);
	tcase_add_test(tc, rm_and_recreate_inside);
	tcase_add_test(tc, protocol_rules);
	tcase_add_test(tc, guest_permissions_apply_inside);
	tcase_add_test(tc, connection_close_ends_transactions);
	tcase_add_test(tc, preimage_budget_dooms_idle_guest_transactions);
	suite_add_tcase(s, tc);
	return s;
}

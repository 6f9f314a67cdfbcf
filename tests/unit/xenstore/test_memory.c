/*
 * pvxstored's total memory bound (memory.c, docs/xenstore.md): the
 * counters follow nodes, queued output and transactions' node copies
 * exactly (back to where they were once those go), and over the limit
 * writes, mkdir, set-perms and TRANSACTION_START get ENOSPC for Dom0 too,
 * open transactions are doomed (EAGAIN), watch events are dropped, while
 * rm still works so the store can be cleaned up.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"

static struct tc *d0, *w;
static char big[4001];

static void setup(void)
{
	h_setup();
	d0 = tc_new(0, true);
	w = tc_new(0, true);
	memset(big, 'x', sizeof(big) - 1);
}

START_TEST(counters_come_back)
{
	size_t nodes = T_st->mem_nodes;
	uint32_t t;

	ck_assert_uint_gt(nodes, 0);
	ck_assert_int_eq(tc_write(d0, 0, "/m/a/b", big), 0);
	ck_assert_uint_gt(T_st->mem_nodes, nodes + 4000);
	ck_assert_int_eq(tc_write(d0, 0, "/m/a/b", "small"), 0);
	ck_assert_uint_lt(T_st->mem_nodes, nodes + 1000);
	ck_assert_int_eq(tc_tx_start(w, &t), 0);
	ck_assert_int_eq(tc_read(w, t, "/m/a/b", NULL), 5);
	ck_assert_int_eq(tc_write(d0, 0, "/m/a/b", big), 0);  /* a pre-image */
	ck_assert_uint_gt(T_st->mem_txn, 0);
	ck_assert_int_eq(tc_tx_end(w, t, false), 0);
	ck_assert_uint_eq(T_st->mem_txn, 0);
	ck_assert_int_eq(tc_simple(d0, XS_RM, 0, "/m"), 0);
	ck_assert_uint_eq(T_st->mem_nodes, nodes);
	ck_assert_uint_eq(T_st->mem_out, 0);  /* replies were read */
}
END_TEST

START_TEST(writes_refused_over_the_limit)
{
	const char *perms[] = { "n0", "r1" };
	char path[32];
	uint32_t t;
	int i, rc = 0;

	T_st->mem_limit = xs_mem_used(T_st) + 64 * 1024;
	for (i = 0; i < 100 && !rc; i++) {
		snprintf(path, sizeof(path), "/fill/%d", i);
		rc = tc_write(d0, 0, path, big);
	}
	ck_assert_int_eq(rc, -ENOSPC);
	ck_assert_int_ge(i, 10);
	ck_assert_uint_le(xs_mem_used(T_st), T_st->mem_limit);
	ck_assert(log_has("quota: domain 0 hit memory (MiB) limit"));
	/* Full to the byte: small requests are refused too. */
	T_st->mem_limit = xs_mem_used(T_st);
	ck_assert_int_eq(tc_simple(d0, XS_MKDIR, 0, "/fill/new"), -ENOSPC);
	ck_assert_int_eq(tc_tx_start(d0, &t), -ENOSPC);
	ck_assert_int_eq(tc_perms(d0, "/fill/1", perms, 2), -ENOSPC);
	/* rm works over the limit, and then writes do again. */
	ck_assert_int_eq(tc_simple(d0, XS_RM, 0, "/fill/0"), 0);
	ck_assert_int_eq(tc_simple(d0, XS_RM, 0, "/fill/1"), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/fill/again", big), 0);
	ck_assert_int_eq(tc_tx_start(d0, &t), 0);
	ck_assert_int_eq(tc_perms(d0, "/fill/again", perms, 2), 0);
}
END_TEST

/* An open transaction needing a node copy over the limit is doomed. */
START_TEST(transaction_doomed_over_the_limit)
{
	char path[32];
	uint32_t t;
	int i;

	ck_assert_int_eq(tc_write(d0, 0, "/d/k", "v"), 0);
	ck_assert_int_eq(tc_tx_start(w, &t), 0);
	ck_assert_int_eq(tc_read(w, t, "/d/k", NULL), 1);
	T_st->mem_limit = xs_mem_used(T_st) + 8 * 1024;
	for (i = 0; i < 10; i++) {
		snprintf(path, sizeof(path), "/d/f%d", i);
		if (tc_write(d0, 0, path, big))
			break;
	}
	ck_assert_int_eq(tc_write(d0, 0, "/d/k", "changed"), 0);
	ck_assert_int_eq(tc_tx_end(w, t, true), -EAGAIN);
}
END_TEST

START_TEST(events_dropped_over_the_limit)
{
	ck_assert_int_eq(tc_watch(d0, "/ev", "t"), 0);
	tc_drain_events(d0);
	d0->blocked = true;
	ck_assert_int_eq(tc_write(w, 0, "/ev/x", "v"), 0);
	ck_assert_uint_eq(d0->c->out_events, 1);
	T_st->mem_limit = xs_mem_used(T_st) - 200;  /* over, even after the rm */
	ck_assert_int_eq(tc_simple(w, XS_RM, 0, "/ev/x"), 0);
	ck_assert_uint_eq(d0->c->out_events, 1);
	ck_assert(log_has("over its memory limit, dropping events"));
	ck_assert(!d0->c->dead);
}
END_TEST

Suite *make_memory_suite(void)
{
	Suite *s = suite_create("memory");
	TCase *tc = tcase_create("memory");

	tcase_add_checked_fixture(tc, setup, h_teardown);
	tcase_add_test(tc, counters_come_back);
	tcase_add_test(tc, writes_refused_over_the_limit);
	tcase_add_test(tc, transaction_doomed_over_the_limit);
	tcase_add_test(tc, events_dropped_over_the_limit);
	suite_add_tcase(s, tc);
	return s;
}

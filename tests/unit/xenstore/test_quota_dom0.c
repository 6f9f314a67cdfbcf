/*
 * Quotas that bind Dom0 connections too (docs/xenstore.md): open
 * transactions (ENOSPC), node copies per transaction (doomed: EAGAIN at
 * commit), queued watch events (dropped, logged), unread replies (input
 * stalls); each hit logged with domid 0. And the "name=N" parser behind
 * pvxstored's -q / -Q.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"

static struct tc *d0, *w;

static void setup(void)
{
	h_setup();
	d0 = tc_new(0, true);
	w = tc_new(0, true);
}

START_TEST(dom0_defaults)
{
	const struct xs_quota *q = &T_st->dom0_quota;

	ck_assert_uint_eq(q->transactions, 64);
	ck_assert_uint_eq(q->outstanding, 64);
	ck_assert_uint_eq(q->events, 4096);
	ck_assert_uint_eq(q->tx_bytes, 1024 * 1024);
	ck_assert_uint_eq(q->tx_nodes, 8192);
	ck_assert_uint_eq(q->watches, 131072);
	ck_assert_uint_eq(q->nodes, UINT_MAX);
}
END_TEST

START_TEST(dom0_transactions)
{
	uint32_t t[4];
	unsigned i;

	T_st->dom0_quota.transactions = 3;
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(tc_tx_start(d0, &t[i]), 0);
	ck_assert_int_eq(tc_tx_start(d0, &t[3]), -ENOSPC);
	ck_assert(log_has("quota: domain 0 hit transactions limit 3"));
	ck_assert_int_eq(tc_tx_end(d0, t[1], false), 0);
	ck_assert_int_eq(tc_tx_start(d0, &t[3]), 0);
}
END_TEST

/* An idle Dom0 transaction while others write: past transaction-bytes of
 * old copies it is doomed, and its commit answers EAGAIN. */
START_TEST(dom0_transaction_bytes)
{
	static char big[4001];
	char path[32];
	uint32_t t;
	unsigned i;

	memset(big, 'x', sizeof(big) - 1);
	T_st->dom0_quota.tx_bytes = 64 * 1024;
	for (i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "/big/n%u", i);
		ck_assert_int_eq(tc_write(w, 0, path, big), 0);
	}
	ck_assert_int_eq(tc_tx_start(d0, &t), 0);
	for (i = 0; i < 40; i++) {   /* each keeps a 4 KB old copy */
		snprintf(path, sizeof(path), "/big/n%u", i);
		ck_assert_int_eq(tc_write(w, 0, path, "v"), 0);
	}
	ck_assert(log_has("quota: domain 0 hit transaction-bytes limit 65536"));
	ck_assert(TAILQ_EMPTY(&T_st->open_txns));   /* costs writers nothing */
	ck_assert_int_eq(tc_tx_end(d0, t, true), -EAGAIN);
}
END_TEST

START_TEST(dom0_watch_events)
{
	unsigned i;

	T_st->dom0_quota.events = 5;
	ck_assert_int_eq(tc_watch(d0, "/ev", "t"), 0);
	tc_drain_events(d0);
	d0->blocked = true;
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(tc_write(w, 0, "/ev/x", "v"), 0);
	ck_assert_uint_eq(d0->c->out_events, 5);
	ck_assert(log_has("domain 0: watch event queue full (5), dropping events"));
	ck_assert(!d0->c->dead);   /* told nothing, but still served */
}
END_TEST

START_TEST(dom0_outstanding)
{
	static char buf[64 * 40];
	struct xsd_sockmsg h = { XS_GET_DOMAIN_PATH, 1, 0, 2 };
	size_t used = 0;
	int i;

	T_st->dom0_quota.outstanding = 8;
	for (i = 0; i < 40; i++) {
		memcpy(buf + used, &h, sizeof(h));
		memcpy(buf + used + sizeof(h), "7", 2);
		used += sizeof(h) + 2;
	}
	d0->blocked = true;
	ck_assert_uint_eq(xs_conn_feed(d0->c, buf, used), 8 * (sizeof(h) + 2));
	ck_assert(xs_conn_stalled(d0->c));
	ck_assert(log_has("quota: domain 0 hit outstanding limit 8"));
}
END_TEST

START_TEST(parse_names_and_errors)
{
	struct xs_quota q = XS_QUOTA_DEFAULTS;
	char buf[1024];

	ck_assert_int_eq(xs_quota_parse(&q, "transactions=3"), 0);
	ck_assert_uint_eq(q.transactions, 3);
	ck_assert_int_eq(xs_quota_parse(&q, "watch-events=none"), 0);
	ck_assert_uint_eq(q.events, UINT_MAX);
	ck_assert_int_eq(xs_quota_parse(&q, "transaction-bytes=4096"), 0);
	ck_assert_uint_eq(q.tx_bytes, 4096);
	ck_assert_int_eq(xs_quota_parse(&q, "outstanding=0"), -ERANGE);
	ck_assert_int_eq(xs_quota_parse(&q, "outstanding=-1"), -EINVAL);
	ck_assert_int_eq(xs_quota_parse(&q, "outstanding=1x"), -EINVAL);
	ck_assert_int_eq(xs_quota_parse(&q, "outstanding=99999999999"), -EINVAL);
	ck_assert_int_eq(xs_quota_parse(&q, "outstanding"), -EINVAL);
	ck_assert_int_eq(xs_quota_parse(&q, "bogus=1"), -EINVAL);
	ck_assert_int_eq(xs_quota_parse(&q, "transaction=1"), -EINVAL);
	ck_assert_uint_eq(q.outstanding, 20);
	ck_assert_int_gt(xs_quota_format(&q, "dom0-", buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "dom0-transactions 3\n"));
	ck_assert_ptr_nonnull(strstr(buf, "dom0-watch-events none\n"));
}
END_TEST

Suite *make_quota_dom0_suite(void)
{
	Suite *s = suite_create("quota-dom0");
	TCase *tc = tcase_create("quota-dom0");

	tcase_add_checked_fixture(tc, setup, h_teardown);
	tcase_add_test(tc, dom0_defaults);
	tcase_add_test(tc, dom0_transactions);
	tcase_add_test(tc, dom0_transaction_bytes);
	tcase_add_test(tc, dom0_watch_events);
	tcase_add_test(tc, dom0_outstanding);
	tcase_add_test(tc, parse_names_and_errors);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * Quotas, C xenstored's defaults: each limit answers with its error and
 * logs the domid; dom0 is exempt; a refused request changes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"

static struct tc *d0, *g;

static void setup(void)
{
	const char *data[] = { "n7" };

	h_setup();
	d0 = tc_new(0, true);
	g = tc_new(7, false);
	ck_assert_int_eq(tc_simple(d0, XS_MKDIR, 0, "/local/domain/7/data"), 0);
	ck_assert_int_eq(tc_perms(d0, "/local/domain/7/data", data, 1), 0);
}

START_TEST(defaults_match_c_xenstored)
{
	const struct xs_quota *q = &T_st->quota;

	ck_assert_uint_eq(q->nodes, 1000);
	ck_assert_uint_eq(q->node_size, 2048);
	ck_assert_uint_eq(q->watches, 128);
	ck_assert_uint_eq(q->transactions, 10);
	ck_assert_uint_eq(q->perms, 5);
	ck_assert_uint_eq(q->outstanding, 20);
}
END_TEST

START_TEST(nodes)
{
	char path[64];
	unsigned i, before;

	/* data itself is owned by 7: 999 more fit. */
	for (i = 0; i < 999; i++) {
		snprintf(path, sizeof(path), "data/n%u", i);
		ck_assert_int_eq(tc_write(g, 0, path, "v"), 0);
	}
	before = T_st->nnodes;
	ck_assert_int_eq(tc_write(g, 0, "data/one-too-many", "v"), -ENOSPC);
	ck_assert_int_eq(tc_write(g, 0, "data/a/b/c", "v"), -ENOSPC);
	ck_assert_uint_eq(T_st->nnodes, before);
	ck_assert(log_has("quota: domain 7 hit nodes limit 1000"));
	/* Overwriting needs no new node. */
	ck_assert_int_eq(tc_write(g, 0, "data/n5", "w"), 0);
	/* Freeing makes room again. */
	ck_assert_int_eq(tc_simple(g, XS_RM, 0, "data/n5"), 0);
	ck_assert_int_eq(tc_write(g, 0, "data/again", "v"), 0);
	/* Dom0 is exempt. */
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/7/data/by-dom0", "v"), 0);
}
END_TEST

START_TEST(nodes_inside_transaction)
{
	char path[64];
	unsigned i;
	uint32_t t;

	for (i = 0; i < 990; i++) {
		snprintf(path, sizeof(path), "data/n%u", i);
		ck_assert_int_eq(tc_write(g, 0, path, "v"), 0);
	}
	ck_assert_int_eq(tc_tx_start(g, &t), 0);
	for (i = 0; i < 9; i++) {
		snprintf(path, sizeof(path), "data/t%u", i);
		ck_assert_int_eq(tc_write(g, t, path, "v"), 0);
	}
	ck_assert_int_eq(tc_write(g, t, "data/t-last", "v"), -ENOSPC);
	ck_assert_int_eq(tc_tx_end(g, t, true), 0);
	ck_assert_uint_eq(domain_nodes(T_st, 7), 1000);
}
END_TEST

START_TEST(node_size)
{
	static char big[2100];
	uint32_t t;

	memset(big, 'x', 2048);
	big[2048] = '\0';
	ck_assert_int_eq(tc_write(g, 0, "data/fits", big), 0);
	big[2048] = 'x';
	big[2049] = '\0';
	ck_assert_int_eq(tc_write(g, 0, "data/big", big), -E2BIG);
	ck_assert_int_eq(tc_read(g, 0, "data/big", NULL), -ENOENT);
	ck_assert(log_has("quota: domain 7 hit node-size limit 2048"));
	ck_assert_int_eq(tc_tx_start(g, &t), 0);
	ck_assert_int_eq(tc_write(g, t, "data/big", big), -E2BIG);
	ck_assert_int_eq(tc_write(d0, 0, "/dom0/big", big), 0);
}
END_TEST

START_TEST(watches)
{
	char path[64];
	unsigned i;

	for (i = 0; i < 128; i++) {
		snprintf(path, sizeof(path), "data/w%u", i);
		ck_assert_int_eq(tc_watch(g, path, "t"), 0);
	}
	ck_assert_int_eq(tc_watch(g, "data/w-more", "t"), -ENOSPC);
	ck_assert_uint_eq(g->c->nwatches, 128);
	ck_assert(log_has("quota: domain 7 hit watches limit 128"));
	ck_assert_int_eq(tc_args(g, XS_UNWATCH, 0, (const char *[]){ "data/w0", "t" },
				 2, NULL), 0);
	ck_assert_int_eq(tc_watch(g, "data/w-more", "t"), 0);
	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), "/w%u", i);
		ck_assert_int_eq(tc_watch(d0, path, "t"), 0);
	}
}
END_TEST

START_TEST(transactions)
{
	uint32_t t[11];
	unsigned i;

	for (i = 0; i < 10; i++)
		ck_assert_int_eq(tc_tx_start(g, &t[i]), 0);
	ck_assert_int_eq(tc_tx_start(g, &t[10]), -ENOSPC);
	ck_assert(log_has("quota: domain 7 hit transactions limit 10"));
	ck_assert_int_eq(tc_tx_end(g, t[3], false), 0);
	ck_assert_int_eq(tc_tx_start(g, &t[10]), 0);
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(tc_tx_start(d0, &t[0]), 0);
}
END_TEST

START_TEST(permissions)
{
	const char *five[] = { "n7", "r1", "r2", "r3", "r4" };
	const char *six[] = { "n7", "r1", "r2", "r3", "r4", "r5" };
	char r[128];

	ck_assert_int_eq(tc_write(g, 0, "data/p", "v"), 0);
	ck_assert_int_eq(tc_perms(g, "/local/domain/7/data/p", five, 5), 0);
	ck_assert_int_eq(tc_perms(g, "/local/domain/7/data/p", six, 6), -ENOSPC);
	ck_assert(log_has("quota: domain 7 hit permissions limit 5"));
	ck_assert_uint_eq(tc_req(g, XS_GET_PERMS, 0, "data/p", 7, r, NULL), XS_GET_PERMS);
	ck_assert_str_eq(r, "n7"); /* then r1..r4: the five, not six */
	ck_assert_int_eq(tc_perms(d0, "/local/domain/7/data/p", six, 6), 0);
}
END_TEST

/* Requests whose replies the guest does not take: after 20, the daemon
 * stops taking its input (logged with the domid) and resumes when the
 * replies drain. */
START_TEST(outstanding)
{
	static char buf[64 * 40];
	struct xsd_sockmsg h = { XS_GET_DOMAIN_PATH, 1, 0, 2 };
	char p[XENSTORE_PAYLOAD_MAX + 1];
	size_t used = 0, took;
	int i, n = 0;

	for (i = 0; i < 40; i++) {
		memcpy(buf + used, &h, sizeof(h));
		memcpy(buf + used + sizeof(h), "7", 2);
		used += sizeof(h) + 2;
	}
	g->blocked = true;
	took = xs_conn_feed(g->c, buf, used);
	ck_assert_uint_eq(took, 20 * (sizeof(h) + 2));
	ck_assert(xs_conn_stalled(g->c));
	ck_assert_uint_eq(g->c->out_replies, 20);
	ck_assert(log_has("quota: domain 7 hit outstanding limit 20"));
	g->blocked = false;
	xs_conn_flush(g->c);
	ck_assert(!xs_conn_stalled(g->c));
	took += xs_conn_feed(g->c, buf + took, used - took);
	ck_assert_uint_eq(took, used);
	while (tc_next(g, &h, p))
		n += h.type == XS_GET_DOMAIN_PATH;
	ck_assert_int_eq(n, 40);
}
END_TEST

/* A guest hammering a limit cannot flood the log: 20 lines a second,
 * then one line that counts what was not logged. */
START_TEST(hits_are_logged_without_flooding)
{
	char path[32];
	unsigned i, lines = 0;
	const char *p;

	for (i = 0; i < 128; i++) {
		snprintf(path, sizeof(path), "data/w%u", i);
		ck_assert_int_eq(tc_watch(g, path, "t"), 0);
	}
	log_clear();
	for (i = 0; i < 500; i++)
		ck_assert_int_eq(tc_watch(g, "data/more", "t"), -ENOSPC);
	for (p = log_text(); (p = strstr(p, "hit watches limit")); p++)
		lines++;
	ck_assert_uint_ge(lines, 1);
	ck_assert_uint_le(lines, 2 * XS_LOG_BURST);
	g->c->log_second = 0; /* as if a second passed */
	ck_assert_int_eq(tc_watch(g, "data/more", "t"), -ENOSPC);
	ck_assert(log_has("more hits not logged"));
}
END_TEST

Suite *make_quota_suite(void)
{
	Suite *s = suite_create("quota");
	TCase *tc = tcase_create("quota");

	tcase_add_checked_fixture(tc, setup, h_teardown);
	tcase_add_test(tc, defaults_match_c_xenstored);
	tcase_add_test(tc, nodes);
	tcase_add_test(tc, nodes_inside_transaction);
	tcase_add_test(tc, node_size);
	tcase_add_test(tc, watches);
	tcase_add_test(tc, transactions);
	tcase_add_test(tc, permissions);
	tcase_add_test(tc, outstanding);
	tcase_add_test(tc, hits_are_logged_without_flooding);
	suite_add_tcase(s, tc);
	return s;
}

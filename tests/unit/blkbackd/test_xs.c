/*
 * unit-blkbackd: pvx-blkback's writes into a backend directory B
 * (pv-drivers/blk/back/vbd_xs.c) against a fake xenstore with
 * transactions. A write happens only while B exists: a B the toolstack
 * removed before the write, or while the write's transaction was open,
 * must not be re-created by it (a stray B/state nobody removes again).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "../check_main.h"

#define B "/local/domain/0/backend/vbd/7/51712"

/* The fake store: a few path=value nodes; "removing B" drops every node
 * under it. remove_in_txn: the toolstack removes B while our transaction
 * is open, so its commit fails with -EAGAIN (as pvxstored answers). */
static struct { char path[200], val[64]; } nodes[16];
static int remove_in_txn, txn_conflict;
static struct { char path[200], val[64]; } pending[4];
static int npending;

static int find(const char *path)
{
	for (int i = 0; i < 16; i++)
		if (nodes[i].path[0] && !strcmp(nodes[i].path, path))
			return i;
	return -1;
}

static void store_set(const char *path, const char *val)
{
	int i = find(path);

	for (int j = 0; i < 0 && j < 16; j++)
		if (!nodes[j].path[0])
			i = j;
	ck_assert_int_ge(i, 0);
	snprintf(nodes[i].path, sizeof(nodes[i].path), "%s", path);
	snprintf(nodes[i].val, sizeof(nodes[i].val), "%s", val);
}

static void remove_b(void)
{
	for (int i = 0; i < 16; i++)
		if (!strncmp(nodes[i].path, B, strlen(B)))
			nodes[i].path[0] = '\0';
}

int xs_read(struct xs_handle *h, xs_transaction_t t, const char *path, char **val,
	    size_t *len)
{
	int i = find(path);

	(void)h;
	(void)len;
	if (t && remove_in_txn) { /* the toolstack's rm lands after our read */
		remove_in_txn = 0;
		txn_conflict = 1;
		if (i >= 0) {
			*val = strdup(nodes[i].val);
			remove_b();
			return 0;
		}
	}
	if (i < 0)
		return -ENOENT;
	*val = strdup(nodes[i].val);
	return 0;
}

int xs_write_str(struct xs_handle *h, xs_transaction_t t, const char *path, const char *val)
{
	(void)h;
	if (!t) {
		store_set(path, val);
		return 0;
	}
	ck_assert_int_lt(npending, 4);
	snprintf(pending[npending].path, sizeof(pending[0].path), "%s", path);
	snprintf(pending[npending].val, sizeof(pending[0].val), "%s", val);
	npending++;
	return 0;
}

int xs_transaction_run(struct xs_handle *h, xs_txn_fn fn, void *arg, unsigned max_tries)
{
	for (unsigned tries = 0; tries < (max_tries ? max_tries : 100); tries++) {
		int rc;

		npending = txn_conflict = 0;
		rc = fn(h, 1, arg);
		if (rc < 0)
			return rc;
		if (txn_conflict)
			continue; /* -EAGAIN: run it again */
		for (int i = 0; i < npending; i++)
			store_set(pending[i].path, pending[i].val);
		return 0;
	}
	return -EAGAIN;
}

static struct blkbackd d;

static void setup(void)
{
	memset(nodes, 0, sizeof(nodes));
	remove_in_txn = txn_conflict = npending = 0;
	store_set(B "/frontend", "/local/domain/7/device/vbd/51712");
	store_set(B "/state", "4");
}

START_TEST(write_while_b_exists)
{
	long long st = 0;

	setup();
	ck_assert_int_eq(bb_xs_printf(&d, B, "state", "%d", 5), 0);
	ck_assert_int_eq(bb_xs_read_int(&d, B, "state", &st), 0);
	ck_assert_int_eq(st, 5);
}
END_TEST

START_TEST(no_write_after_b_removed)
{
	setup();
	remove_b();
	ck_assert_int_eq(bb_xs_printf(&d, B, "state", "%d", 6), -ENOENT);
	ck_assert_int_lt(find(B "/state"), 0);
	ck_assert_int_eq(bb_xs_printf(&d, B, "hotplug-status", "error"), -ENOENT);
	ck_assert_int_lt(find(B "/hotplug-status"), 0);
}
END_TEST

START_TEST(no_write_when_b_removed_during_it)
{
	setup();
	remove_in_txn = 1;
	ck_assert_int_eq(bb_xs_printf(&d, B, "state", "%d", 6), -ENOENT);
	ck_assert_int_lt(find(B "/state"), 0);
	ck_assert_int_lt(find(B "/frontend"), 0);
}
END_TEST

START_TEST(read_int)
{
	long long v = 42;

	setup();
	store_set(B "/online", "x1");
	ck_assert_int_eq(bb_xs_read_int(&d, B, "online", &v), -EINVAL);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(bb_xs_read_int(&d, B, "nope", &v), -ENOENT);
}
END_TEST

static Suite *make_xs_suite(void)
{
	Suite *s = suite_create("blkbackd-xs");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, write_while_b_exists);
	tcase_add_test(tc, no_write_after_b_removed);
	tcase_add_test(tc, no_write_when_b_removed_during_it);
	tcase_add_test(tc, read_int);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	static const unit_suite_fn suites[] = { make_xs_suite };

	return unit_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}

/*
 * XS_GET/SET_FEATURE and XS_GET/SET_QUOTA: the answers newer clients
 * expect, Dom0-only forms refused to guests, bad input refused with
 * nothing changed.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"

static struct tc *d0, *g;

static void setup(void)
{
	h_setup();
	d0 = tc_new(0, true);
	g = tc_new(7, false);
}

START_TEST(get_feature)
{
	const char *dom0[] = { "0" }, *seven[] = { "7" }, *none[] = { "99" };
	char rsp[64];

	ck_assert_int_eq(tc_args(g, XS_GET_FEATURE, 0, NULL, 0, rsp), 0);
	ck_assert_str_eq(rsp, "3"); /* RECONNECTION | ERROR */
	ck_assert_int_eq(tc_args(d0, XS_GET_FEATURE, 0, dom0, 1, rsp), 0);
	ck_assert_str_eq(rsp, "3");
	ck_assert_int_eq(tc_args(g, XS_GET_FEATURE, 0, seven, 1, rsp), -EACCES);
	ck_assert_int_eq(tc_args(d0, XS_GET_FEATURE, 0, none, 1, rsp), -ENOENT);
}
END_TEST

START_TEST(set_feature)
{
	const char *all[] = { "0", "3" }, *sub[] = { "0", "1" },
		   *junk[] = { "0", "x" }, *big[] = { "0", "99999999999" };

	ck_assert_int_eq(tc_args(d0, XS_SET_FEATURE, 0, all, 2, NULL), 0);
	ck_assert_int_eq(tc_args(d0, XS_SET_FEATURE, 0, sub, 2, NULL), -EINVAL);
	ck_assert_int_eq(tc_args(d0, XS_SET_FEATURE, 0, junk, 2, NULL), -EINVAL);
	ck_assert_int_eq(tc_args(d0, XS_SET_FEATURE, 0, big, 2, NULL), -EINVAL);
	ck_assert_int_eq(tc_args(g, XS_SET_FEATURE, 0, all, 2, NULL), -EACCES);
	ck_assert_int_eq(tc_args(d0, XS_SET_FEATURE, 0, all, 1, NULL), -EINVAL);
}
END_TEST

START_TEST(get_quota)
{
	const char *nodes[] = { "nodes" }, *d0nodes[] = { "0", "nodes" },
		   *gw[] = { "7", "watches" }, *bad[] = { "no-such" };
	char rsp[512];

	ck_assert_int_eq(tc_args(g, XS_GET_QUOTA, 0, NULL, 0, rsp), 0);
	ck_assert_ptr_nonnull(strstr(rsp, "nodes node-size watches"));
	ck_assert_int_eq(tc_args(g, XS_GET_QUOTA, 0, nodes, 1, rsp), 0);
	ck_assert_str_eq(rsp, "1000");
	ck_assert_int_eq(tc_args(d0, XS_GET_QUOTA, 0, d0nodes, 2, rsp), 0);
	ck_assert_str_eq(rsp, "none");
	ck_assert_int_eq(tc_args(g, XS_GET_QUOTA, 0, gw, 2, rsp), -EACCES);
	ck_assert_int_eq(tc_args(g, XS_GET_QUOTA, 0, bad, 1, rsp), -EINVAL);
}
END_TEST

START_TEST(set_quota)
{
	const char *w[] = { "watches", "5" }, *zero[] = { "watches", "0" },
		   *neg[] = { "watches", "-1" }, *d0w[] = { "0", "watches", "77" },
		   *g7[] = { "7", "watches", "9" }, *bad[] = { "no-such", "1" };

	ck_assert_int_eq(tc_args(d0, XS_SET_QUOTA, 0, w, 2, NULL), 0);
	ck_assert_uint_eq(T_st->quota.watches, 5);
	ck_assert_int_eq(tc_args(d0, XS_SET_QUOTA, 0, zero, 2, NULL), -EINVAL);
	ck_assert_int_eq(tc_args(d0, XS_SET_QUOTA, 0, neg, 2, NULL), -EINVAL);
	ck_assert_int_eq(tc_args(d0, XS_SET_QUOTA, 0, bad, 2, NULL), -EINVAL);
	ck_assert_uint_eq(T_st->quota.watches, 5);
	ck_assert_int_eq(tc_args(d0, XS_SET_QUOTA, 0, d0w, 3, NULL), 0);
	ck_assert_uint_eq(T_st->dom0_quota.watches, 77);
	ck_assert_int_eq(tc_args(d0, XS_SET_QUOTA, 0, g7, 3, NULL), -ENOENT);
	ck_assert_int_eq(tc_args(g, XS_SET_QUOTA, 0, w, 2, NULL), -EACCES);
	ck_assert_uint_eq(T_st->quota.watches, 5);
}
END_TEST

Suite *make_feature_suite(void)
{
	Suite *s = suite_create("feature");
	TCase *tc = tcase_create("feature");

	tcase_add_checked_fixture(tc, setup, h_teardown);
	tcase_add_test(tc, get_feature);
	tcase_add_test(tc, set_feature);
	tcase_add_test(tc, get_quota);
	tcase_add_test(tc, set_quota);
	suite_add_tcase(s, tc);
	return s;
}

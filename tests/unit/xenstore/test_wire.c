/*
 * Malformed messages: each gets an error reply, or (a payload length
 * beyond XENSTORE_PAYLOAD_MAX) the disconnection of that client only.
 * Request ids are echoed, never interpreted, so reuse is harmless.
 */
#include <string.h>

#include "harness.h"

static struct tc *d0, *bad;

static void setup(void)
{
	h_setup();
	d0 = tc_new(0, true);
	bad = tc_new(3, false);
	ck_assert_int_eq(tc_write(d0, 0, "/ok", "1"), 0);
}

static void still_serves_others(void)
{
	char v[8];

	ck_assert_int_eq(tc_read(d0, 0, "/ok", v), 1);
}

START_TEST(short_header_waits_for_the_rest)
{
	struct xsd_sockmsg h = { XS_GET_DOMAIN_PATH, 9, 0, 2 };
	char msg[sizeof(h) + 2], p[64];

	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), "3", 2);
	tc_feed(bad, msg, 10);
	ck_assert(!tc_next(bad, &h, p));
	ck_assert(!bad->c->dead);
	tc_feed(bad, msg + 10, sizeof(msg) - 10);
	ck_assert(tc_next(bad, &h, p));
	ck_assert_uint_eq(h.req_id, 9);
	ck_assert_str_eq(p, "/local/domain/3");
}
END_TEST

START_TEST(length_beyond_limit_disconnects_only_that_client)
{
	struct xsd_sockmsg h = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
	char p[64];

	ck_assert_int_eq(tc_watch(bad, "/local/domain/3", "t"), 0);
	tc_drain_events(bad);
	tc_feed(bad, &h, sizeof(h));
	ck_assert(bad->c->dead);
	ck_assert_uint_eq(bad->c->nwatches, 0);
	ck_assert(!tc_next(bad, &h, p));
	ck_assert(log_has("domain 3: test connection dropped"));
	/* A dead connection ignores whatever follows. */
	h.len = 2;
	tc_feed(bad, &h, sizeof(h));
	ck_assert(!tc_next(bad, &h, p));
	still_serves_others();
}
END_TEST

START_TEST(length_beyond_payload_swallows_next_bytes)
{
	struct xsd_sockmsg h = { XS_READ, 1, 0, 30 }, h2 = { XS_READ, 2, 0, 4 };
	char msg[64], p[64];
	size_t n = 0;

	/* Claims 30 bytes, carries "/ok\0" and then a whole second request. */
	memcpy(msg, &h, sizeof(h));
	n = sizeof(h);
	memcpy(msg + n, "/ok", 4);
	n += 4;
	memcpy(msg + n, &h2, sizeof(h2));
	n += sizeof(h2);
	memcpy(msg + n, "/ok", 4);
	n += 4;
	tc_feed(bad, msg, n);
	ck_assert(!tc_next(bad, &h, p)); /* 24 of 30 bytes: still waiting */
	tc_feed(bad, "abcdef", 6);
	ck_assert(tc_next(bad, &h, p));
	ck_assert_uint_eq(h.type, XS_ERROR);
	ck_assert_str_eq(p, "EINVAL");
	ck_assert(!bad->c->dead);
	still_serves_others();
}
END_TEST

START_TEST(missing_nul)
{
	char r[64];

	ck_assert_uint_eq(tc_req(bad, XS_READ, 0, "/ok", 3, r, NULL), XS_ERROR);
	ck_assert_str_eq(r, "EINVAL");
	ck_assert_uint_eq(tc_req(bad, XS_WRITE, 0, "/ok", 3, r, NULL), XS_ERROR);
	ck_assert_str_eq(r, "EINVAL");
	ck_assert_uint_eq(tc_req(bad, XS_READ, 0, "", 0, r, NULL), XS_ERROR);
	ck_assert_str_eq(r, "EINVAL");
	ck_assert_uint_eq(tc_req(bad, XS_WATCH, 0, "/ok", 4, r, NULL), XS_ERROR);
	ck_assert_str_eq(r, "EINVAL");
}
END_TEST

START_TEST(unknown_types)
{
	static const uint32_t types[] = { 20, XS_TYPE_COUNT, 99, 0xffff, 0xffffffff };
	char r[64];
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		ck_assert_uint_eq(tc_req(bad, types[i], 0, "x", 2, r, NULL), XS_ERROR);
		ck_assert_str_eq(r, "ENOSYS");
	}
	ck_assert_uint_eq(tc_req(bad, XS_WATCH_EVENT, 0, "x", 2, r, NULL), XS_ERROR);
	ck_assert_str_eq(r, "EINVAL");
	ck_assert_uint_eq(tc_req(bad, XS_ERROR, 0, "x", 2, r, NULL), XS_ERROR);
	ck_assert_str_eq(r, "EINVAL");
	ck_assert(!bad->c->dead);
}
END_TEST

START_TEST(privileged_requests_refused)
{
	const char *intro[] = { "9", "1", "2" };
	const char *two[] = { "9", "3" };

	ck_assert_int_eq(tc_args(bad, XS_INTRODUCE, 0, intro, 3, NULL), -EACCES);
	ck_assert_int_eq(tc_simple(bad, XS_RELEASE, 0, "9"), -EACCES);
	ck_assert_int_eq(tc_simple(bad, XS_RESUME, 0, "9"), -EACCES);
	ck_assert_int_eq(tc_args(bad, XS_SET_TARGET, 0, two, 2, NULL), -EACCES);
}
END_TEST

START_TEST(request_id_reuse_is_echoed_in_order)
{
	struct xsd_sockmsg h = { XS_GET_DOMAIN_PATH, 5, 0, 2 };
	char msg[2 * (sizeof(h) + 2)], p[64];

	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), "1", 2);
	memcpy(msg + sizeof(h) + 2, &h, sizeof(h));
	memcpy(msg + 2 * sizeof(h) + 2, "2", 2);
	tc_feed(bad, msg, sizeof(msg));
	ck_assert(tc_next(bad, &h, p));
	ck_assert_uint_eq(h.req_id, 5);
	ck_assert_str_eq(p, "/local/domain/1");
	ck_assert(tc_next(bad, &h, p));
	ck_assert_uint_eq(h.req_id, 5);
	ck_assert_str_eq(p, "/local/domain/2");
}
END_TEST

START_TEST(error_names_come_from_the_table)
{
	static const int all[] = { -EINVAL, -EACCES, -EEXIST, -EISDIR, -ENOENT,
		-ENOMEM, -ENOSPC, -EIO, -ENOTEMPTY, -ENOSYS, -EROFS, -EBUSY,
		-EAGAIN, -EISCONN, -E2BIG, -EPERM };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		ck_assert_str_eq(xs_errname(all[i]), xsd_errors[i].errstring);
	/* Anything else goes out as the table's first entry. */
	ck_assert_str_eq(xs_errname(-ETIMEDOUT), "EINVAL");
	ck_assert_str_eq(xs_errname(-EPROTO), "EINVAL");
}
END_TEST

START_TEST(split_args_bounds)
{
	char buf[] = "a\0b\0c";
	const char *argv[2];
	unsigned argc;

	ck_assert_int_eq(xs_split_args(buf, 5, argv, 2, &argc), -EINVAL);
	ck_assert_int_eq(xs_split_args(buf, 4, argv, 2, &argc), 0);
	ck_assert_uint_eq(argc, 2);
	ck_assert_str_eq(argv[1], "b");
}
END_TEST

Suite *make_wire_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("wire");

	tcase_add_checked_fixture(tc, setup, h_teardown);
	tcase_add_test(tc, short_header_waits_for_the_rest);
	tcase_add_test(tc, length_beyond_limit_disconnects_only_that_client);
	tcase_add_test(tc, length_beyond_payload_swallows_next_bytes);
	tcase_add_test(tc, missing_nul);
	tcase_add_test(tc, unknown_types);
	tcase_add_test(tc, privileged_requests_refused);
	tcase_add_test(tc, request_id_reuse_is_echoed_in_order);
	tcase_add_test(tc, error_names_come_from_the_table);
	tcase_add_test(tc, split_args_bounds);
	suite_add_tcase(s, tc);
	return s;
}

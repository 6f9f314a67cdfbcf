/*
 * minios blkfront's half of the XenbusState handshake, on the host: the
 * real pv-drivers/blk/front/blkfront.c against a faked xenstore and a scripted
 * backend. Covers the keys it publishes (single and multi-page rings,
 * features on and off), transaction retries, and the backend stalling,
 * closing or vanishing in each state the frontend waits in.
 */
#include <check.h>
#include <string.h>

#include <xen/public/errno.h>
#include <xen/public/io/xenbus.h>

#include "fake_minios.h"

#define FE "device/vbd/51712"
#define BE "/local/domain/0/backend/vbd/1/51712"

static int close_at_initialised, vanish_at_initialised, sector_size = 512;
/* old_backend: Closed straight after the frontend's Closing (pvx before
 * Xen's order); closed_seen: the frontend wrote Closed while we were Closing. */
static int old_backend, closed_seen;

/* Plays pvx-blkback: Connected after Initialised; Closing after Closing
 * and Closed after Closed, as Xen's backends. */
static void backend(void)
{
	const char *fe = fake_get(FE "/state"), *be = fake_get(BE "/state");

	if (!fe || !be)
		return;
	if (!strcmp(fe, "3") && !strcmp(be, "2")) {
		if (vanish_at_initialised) {
			fake_rm(BE "/state");
			return;
		}
		if (close_at_initialised) {
			fake_set(BE "/state", "5");
			return;
		}
		fake_set(BE "/sectors", "2048");
		fake_set(BE "/sector-size", sector_size == 512 ? "512" : "4096");
		fake_set(BE "/info", "4");
		fake_set(BE "/feature-flush-cache", "1");
		fake_set(BE "/state", "4");
	}
	if (!strcmp(fe, "5") && strcmp(be, "5") && strcmp(be, "6"))
		fake_set(BE "/state", old_backend ? "6" : "5");
	if (!strcmp(fe, "6") && !strcmp(be, "5")) {
		closed_seen = 1;
		fake_set(BE "/state", "6");
	}
}

static void setup(int features)
{
	fake_reset();
	close_at_initialised = vanish_at_initialised = old_backend = closed_seen = 0;
	sector_size = 512;
	fake_set(FE "/backend", BE);
	fake_set(FE "/backend-id", "0");
	fake_set(FE "/state", "1");
	fake_set(BE "/state", "2");
	if (features) {
		fake_set(BE "/max-ring-page-order", "4");
		fake_set(BE "/feature-persistent", "1");
		fake_set(BE "/feature-max-indirect-segments", "256");
	}
	fake_backend = backend;
}

static struct blkfront_dev d;
static uint64_t t0;

START_TEST(connect_multipage)
{
	setup(1);
	ck_assert_int_eq(blkfront_open(&d, 51712, NULL), 0);
	ck_assert_str_eq(fake_get(FE "/ring-page-order"), "1");
	ck_assert_str_eq(fake_get(FE "/ring-ref0"), "100");
	ck_assert_str_eq(fake_get(FE "/ring-ref1"), "101");
	ck_assert_ptr_null(fake_get(FE "/ring-ref"));
	ck_assert_str_eq(fake_get(FE "/event-channel"), "7");
	ck_assert_str_eq(fake_get(FE "/protocol"), "x86_64-abi");
	ck_assert_str_eq(fake_get(FE "/feature-persistent"), "1");
	ck_assert_str_eq(fake_get(FE "/state"), "4");
	ck_assert_uint_eq(d.sectors, 2048);
	ck_assert_uint_eq(d.info, VDISK_READONLY);
	ck_assert_uint_eq(d.max_segs, 256);
	ck_assert_int_eq(d.persistent, 1);
	ck_assert_int_eq(d.flush, 1);
	ck_assert_uint_eq(d.nr_slots, 64);
	t0 = time_now_ns();
	blkfront_close(&d);
	ck_assert_str_eq(fake_get(FE "/state"), "6");
	ck_assert_int_eq(ringfront_live, 0);
	/* Xen's order: the backend stayed Closing until our Closed, and we
	 * wrote Closed at once, not after a timeout waiting for its Closed. */
	ck_assert_uint_lt(time_now_ns() - t0, 100000000ull);
	ck_assert_int_eq(closed_seen, 1);
	ck_assert_str_eq(fake_get(BE "/state"), "6");
}
END_TEST

/* A backend that goes Closed straight after our Closing is accepted too. */
START_TEST(close_old_backend)
{
	setup(1);
	old_backend = 1;
	ck_assert_int_eq(blkfront_open(&d, 51712, NULL), 0);
	blkfront_close(&d);
	ck_assert_str_eq(fake_get(FE "/state"), "6");
	ck_assert_str_eq(fake_get(BE "/state"), "6");
	ck_assert_int_eq(ringfront_live, 0);
	ck_assert_int_eq(closed_seen, 0);
}
END_TEST

/* A backend without the optional features: one page, 11 segments, no persistence. */
START_TEST(connect_plain)
{
	setup(0);
	ck_assert_int_eq(blkfront_open(&d, 51712, NULL), 0);
	ck_assert_str_eq(fake_get(FE "/ring-ref"), "100");
	ck_assert_ptr_null(fake_get(FE "/ring-page-order"));
	ck_assert_str_eq(fake_get(FE "/feature-persistent"), "0");
	ck_assert_uint_eq(d.max_segs, BLKIF_MAX_SEGMENTS_PER_REQUEST);
	ck_assert_int_eq(d.persistent, 0);
	ck_assert_uint_eq(d.nr_slots, 32);
}
END_TEST

START_TEST(options_off)
{
	struct blkfront_opts o = { .ring_pages = 4, .no_persistent = 1, .no_indirect = 1 };

	setup(1);
	ck_assert_int_eq(blkfront_open(&d, 51712, &o), 0);
	ck_assert_str_eq(fake_get(FE "/ring-page-order"), "2");
	ck_assert_str_eq(fake_get(FE "/feature-persistent"), "0");
	ck_assert_uint_eq(d.max_segs, BLKIF_MAX_SEGMENTS_PER_REQUEST);
}
END_TEST

START_TEST(commit_retried)
{
	setup(1);
	fake_fail_commits(2);
	ck_assert_int_eq(blkfront_open(&d, 51712, NULL), 0);
	ck_assert_int_eq(fake_commits(), 3);
}
END_TEST

/* The backend never leaves Initialising: give up after 10 s, nothing set up. */
START_TEST(backend_stuck_initialising)
{
	setup(1);
	fake_set(BE "/state", "1");
	ck_assert_int_eq(blkfront_open(&d, 51712, NULL), -XEN_ETIMEDOUT);
	ck_assert_int_eq(ringfront_live, 0);
	ck_assert_ptr_null(fake_get(FE "/ring-ref0"));
}
END_TEST

/* The backend closes instead of connecting: -EIO, the frontend closes too. */
START_TEST(backend_closes_at_initialised)
{
	setup(1);
	close_at_initialised = 1;
	ck_assert_int_eq(blkfront_open(&d, 51712, NULL), -XEN_EIO);
	ck_assert_str_eq(fake_get(FE "/state"), "6");
	ck_assert_int_eq(ringfront_live, 0);
}
END_TEST

START_TEST(backend_closed_before_initwait)
{
	setup(1);
	fake_set(BE "/state", "6");
	ck_assert_int_eq(blkfront_open(&d, 51712, NULL), -XEN_EIO);
	ck_assert_int_eq(ringfront_live, 0);
}
END_TEST

/* The backend directory disappears while we wait for Connected. */
START_TEST(backend_vanishes)
{
	setup(1);
	vanish_at_initialised = 1;
	ck_assert_int_eq(blkfront_open(&d, 51712, NULL), -XEN_ENODEV);
	ck_assert_int_eq(ringfront_live, 0);
}
END_TEST

START_TEST(bad_sector_size)
{
	setup(1);
	sector_size = 4096;
	ck_assert_int_eq(blkfront_open(&d, 51712, NULL), -XEN_EINVAL);
	ck_assert_str_eq(fake_get(FE "/state"), "6");
}
END_TEST

START_TEST(no_backend_key)
{
	setup(1);
	fake_rm(FE "/backend");
	ck_assert_int_eq(blkfront_open(&d, 51712, NULL), -XEN_ENOENT);
	fake_set(FE "/backend", BE);
	fake_set(FE "/backend-id", "70000");
	ck_assert_int_eq(blkfront_open(&d, 51712, NULL), -XEN_EINVAL);
	ck_assert_int_eq(ringfront_live, 0);
}
END_TEST

/* Close with a backend that never answers: bounded (2 s), still Closed. */
START_TEST(close_unanswered)
{
	setup(1);
	ck_assert_int_eq(blkfront_open(&d, 51712, NULL), 0);
	fake_backend = NULL;
	blkfront_close(&d);
	ck_assert_str_eq(fake_get(FE "/state"), "6");
	ck_assert_int_eq(ringfront_live, 0);
}
END_TEST

static Suite *make_handshake_suite(void)
{
	Suite *s = suite_create("blkfront-handshake");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, connect_multipage);
	tcase_add_test(tc, close_old_backend);
	tcase_add_test(tc, connect_plain);
	tcase_add_test(tc, options_off);
	tcase_add_test(tc, commit_retried);
	tcase_add_test(tc, backend_stuck_initialising);
	tcase_add_test(tc, backend_closes_at_initialised);
	tcase_add_test(tc, backend_closed_before_initwait);
	tcase_add_test(tc, backend_vanishes);
	tcase_add_test(tc, bad_sector_size);
	tcase_add_test(tc, no_backend_key);
	tcase_add_test(tc, close_unanswered);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(make_handshake_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

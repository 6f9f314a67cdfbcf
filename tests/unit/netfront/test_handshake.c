/*
 * minios netfront's half of the XenbusState handshake, on the host: the
 * real pv-drivers/net/front/netfront.c against a faked xenstore and a
 * scripted backend (fake_minios.c). Covers the keys it publishes, the
 * addresses it reads, transaction retries, the backend stalling, closing
 * or vanishing in each state the frontend waits in, a backend without
 * rx-copy, bad configuration keys, liveness checks and closing.
 */
#include <check.h>
#include <string.h>

#include <xen/public/errno.h>
#include <xen/public/io/xenbus.h>

#include "fake_minios.h"

#define FE "device/vif/0"
#define BE "/local/domain/0/backend/vif/3/0"

static int close_at_connect, vanish_at_connect, close_answered;
/* old_backend: Closed straight after the frontend's Closing (pvx before
 * Xen's order); closed_seen: the frontend wrote Closed while we were Closing,
 * rings_at_closed: how many rings it still held then. */
static int old_backend, closed_seen, rings_at_closed;

/* Plays pvx-netback: Connected once the frontend is; Closing after
 * Closing and Closed after Closed, as Xen's backends. */
static void backend(void)
{
	const char *fe = fake_get(FE "/state"), *be = fake_get(BE "/state");

	if (!fe || !be)
		return;
	if (!strcmp(fe, "4") && !strcmp(be, "2")) {
		if (vanish_at_connect)
			fake_rm(BE "/state");
		else
			fake_set(BE "/state", close_at_connect ? "5" : "4");
	}
	if (!strcmp(fe, "5") && close_answered && strcmp(be, "5") && strcmp(be, "6"))
		fake_set(BE "/state", old_backend ? "6" : "5");
	if (!strcmp(fe, "6") && !strcmp(be, "5") && close_answered) {
		closed_seen = 1;
		rings_at_closed = rings_live;
		fake_set(BE "/state", "6");
	}
}

static void setup(void)
{
	fake_reset();
	close_at_connect = vanish_at_connect = old_backend = closed_seen = 0;
	rings_at_closed = -1;
	close_answered = 1;
	fake_set(FE "/backend", BE);
	fake_set(FE "/backend-id", "0");
	fake_set(FE "/state", "1");
	fake_set(FE "/handle", "0");
	fake_set(FE "/mac", "00:16:3e:0A:bc:01");
	fake_set(BE "/state", "2");
	fake_set(BE "/feature-rx-copy", "1");
	fake_set(BE "/ip", "10.9.0.2/24 10.9.0.3");
	fake_backend = backend;
}

static struct netfront_dev d;
static uint64_t t0;

START_TEST(connect_and_close)
{
	static const uint8_t mac[6] = { 0x00, 0x16, 0x3e, 0x0a, 0xbc, 0x01 };

	setup();
	ck_assert_int_eq(netfront_open(&d, 0, NULL), 0);
	ck_assert_str_eq(fake_get(FE "/tx-ring-ref"), "100");
	ck_assert_str_eq(fake_get(FE "/rx-ring-ref"), "200");
	ck_assert_str_eq(fake_get(FE "/event-channel"), "7");
	ck_assert_ptr_null(fake_get(FE "/event-channel-tx"));
	ck_assert_str_eq(fake_get(FE "/request-rx-copy"), "1");
	ck_assert_str_eq(fake_get(FE "/feature-rx-notify"), "1");
	ck_assert_str_eq(fake_get(FE "/feature-sg"), "0");
	ck_assert_str_eq(fake_get(FE "/feature-gso-tcpv4"), "0");
	ck_assert_str_eq(fake_get(FE "/state"), "4");
	ck_assert_int_eq(fake_commits(), 1);
	ck_assert_int_eq(d.connected, 1);
	ck_assert_uint_eq(d.port, 7);
	ck_assert_int_eq(ports_closed, 1); /* the rx ring's own port */
	ck_assert_uint_eq(d.rx.port, 0);
	ck_assert_mem_eq(d.mac, mac, 6);
	ck_assert_str_eq(d.be_ip, "10.9.0.2/24");
	ck_assert_str_eq(d.be_gw, "");
	ck_assert_int_eq(rings_live, 2);
	ck_assert_int_eq(io_live, 1);
	ck_assert_uint_eq(d.tx.front.nr_ents, 256);
	ck_assert_uint_eq(d.rx.front.nr_ents, 256);
	t0 = time_now_ns();
	netfront_close(&d);
	ck_assert_str_eq(fake_get(FE "/state"), "6");
	ck_assert_int_eq(rings_live, 0);
	ck_assert_int_eq(io_live, 0);
	ck_assert_int_eq(d.connected, 0);
	/* Xen's order: the backend stayed Closing until our Closed, and we
	 * wrote Closed at once, not after a timeout waiting for its Closed. */
	ck_assert_uint_lt(time_now_ns() - t0, 100000000ull);
	/* Our Closed came after the rings were gone. */
	ck_assert_int_eq(closed_seen, 1);
	ck_assert_int_eq(rings_at_closed, 0);
	ck_assert_str_eq(fake_get(BE "/state"), "6");
}
END_TEST

/* A backend that goes Closed straight after our Closing is accepted too. */
START_TEST(close_old_backend)
{
	setup();
	old_backend = 1;
	ck_assert_int_eq(netfront_open(&d, 0, NULL), 0);
	netfront_close(&d);
	ck_assert_str_eq(fake_get(FE "/state"), "6");
	ck_assert_str_eq(fake_get(BE "/state"), "6");
	ck_assert_int_eq(rings_live, 0);
	ck_assert_int_eq(closed_seen, 0);
}
END_TEST

START_TEST(gateway_read)
{
	setup();
	fake_set(BE "/gateway", "10.9.0.1");
	fake_rm(BE "/ip");
	ck_assert_int_eq(netfront_open(&d, 0, NULL), 0);
	ck_assert_str_eq(d.be_gw, "10.9.0.1");
	ck_assert_str_eq(d.be_ip, "");
}
END_TEST

START_TEST(commit_retried)
{
	setup();
	fake_fail_commits(2);
	ck_assert_int_eq(netfront_open(&d, 0, NULL), 0);
	ck_assert_int_eq(fake_commits(), 3);
}
END_TEST

START_TEST(commit_never_succeeds)
{
	setup();
	fake_fail_commits(100);
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_EAGAIN);
	ck_assert_str_eq(fake_get(FE "/state"), "6");
	ck_assert_int_eq(rings_live, 0);
	ck_assert_int_eq(io_live, 0);
}
END_TEST

/* The backend never leaves Initialising: give up after 10 s, nothing set up. */
START_TEST(backend_stuck_initialising)
{
	setup();
	fake_set(BE "/state", "1");
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_ETIMEDOUT);
	ck_assert_int_eq(rings_live, 0);
	ck_assert_ptr_null(fake_get(FE "/tx-ring-ref"));
}
END_TEST

START_TEST(backend_closed_before_initwait)
{
	setup();
	fake_set(BE "/state", "6");
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_EIO);
	ck_assert_int_eq(rings_live, 0);
}
END_TEST

START_TEST(backend_gone_before_initwait)
{
	setup();
	fake_rm(BE "/state");
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_ENODEV);
	ck_assert_int_eq(rings_live, 0);
}
END_TEST

/* The backend closes instead of connecting: -EIO, the frontend closes too. */
START_TEST(backend_closes_at_connect)
{
	setup();
	close_at_connect = 1;
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_EIO);
	ck_assert_str_eq(fake_get(FE "/state"), "6");
	ck_assert_int_eq(rings_live, 0);
	ck_assert_int_eq(io_live, 0);
}
END_TEST

START_TEST(backend_vanishes_at_connect)
{
	setup();
	vanish_at_connect = 1;
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_ENODEV);
	ck_assert_str_eq(fake_get(FE "/state"), "6");
	ck_assert_int_eq(rings_live, 0);
}
END_TEST

/* InitWait but never Connected: 10 s, then Closed and nothing left. */
START_TEST(backend_stuck_initwait)
{
	setup();
	fake_backend = NULL;
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_ETIMEDOUT);
	ck_assert_str_eq(fake_get(FE "/state"), "6");
	ck_assert_int_eq(rings_live, 0);
	ck_assert_int_eq(io_live, 0);
}
END_TEST

START_TEST(no_rx_copy)
{
	setup();
	fake_rm(BE "/feature-rx-copy");
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_EOPNOTSUPP);
	fake_set(BE "/feature-rx-copy", "0");
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_EOPNOTSUPP);
	ck_assert_int_eq(rings_live, 0);
	ck_assert_ptr_null(fake_get(FE "/tx-ring-ref"));
}
END_TEST

START_TEST(bad_config)
{
	setup();
	fake_rm(FE "/backend");
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_ENOENT);
	fake_set(FE "/backend", BE);
	fake_set(FE "/backend-id", "70000");
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_EINVAL);
	fake_set(FE "/backend-id", "0");
	fake_rm(FE "/mac");
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_ENOENT);
	fake_set(FE "/mac", "00:16:3e:0a:bc");
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_EINVAL);
	fake_set(FE "/mac", "01:16:3e:0a:bc:01"); /* multicast */
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_EINVAL);
	ck_assert_int_eq(rings_live, 0);
}
END_TEST

/* Our own buffers cannot be set up (another vif holds them). */
START_TEST(io_setup_fails)
{
	setup();
	io_setup_rc = -XEN_EBUSY;
	ck_assert_int_eq(netfront_open(&d, 0, NULL), -XEN_EBUSY);
	ck_assert_str_eq(fake_get(FE "/state"), "6");
	ck_assert_int_eq(rings_live, 0);
	ck_assert_ptr_null(fake_get(FE "/tx-ring-ref"));
}
END_TEST

/* Close with a backend that never answers: bounded (2 s), still Closed. */
START_TEST(close_unanswered)
{
	setup();
	ck_assert_int_eq(netfront_open(&d, 0, NULL), 0);
	close_answered = 0;
	netfront_close(&d);
	ck_assert_str_eq(fake_get(FE "/state"), "6");
	ck_assert_int_eq(rings_live, 0);
	netfront_close(&d); /* twice: nothing more */
	ck_assert_int_eq(rings_live, 0);
}
END_TEST

/* The backend closes or vanishes while connected: noticed within ~1 s. */
START_TEST(alive_notices_backend)
{
	setup();
	ck_assert_int_eq(netfront_open(&d, 0, NULL), 0);
	ck_assert_int_eq(netfront_alive(&d), 1);
	fake_set(BE "/state", "5");
	ck_assert_int_eq(netfront_alive(&d), 1); /* not checked again yet */
	msleep(1001);
	ck_assert_int_eq(netfront_alive(&d), 0);
	ck_assert_int_eq(d.connected, 0);
	netfront_close(&d);
	ck_assert_int_eq(rings_live, 0);

	setup();
	ck_assert_int_eq(netfront_open(&d, 0, NULL), 0);
	fake_rm(BE "/state");
	msleep(1001);
	ck_assert_int_eq(netfront_alive(&d), 0);
	netfront_close(&d); /* the backend is gone: no 2 s wait needed */
	ck_assert_str_eq(fake_get(FE "/state"), "6");
}
END_TEST

/* Hot-unplug: both directories removed under us; close recreates nothing. */
START_TEST(close_after_unplug)
{
	setup();
	ck_assert_int_eq(netfront_open(&d, 0, NULL), 0);
	fake_rm(BE "/state");
	fake_rm(FE "/state");
	netfront_close(&d);
	ck_assert_ptr_null(fake_get(FE "/state"));
	ck_assert_int_eq(rings_live, 0);
	ck_assert_int_eq(io_live, 0);
}
END_TEST

START_TEST(list_vifs)
{
	uint32_t ids[8];

	setup();
	fake_set("device/vif/2/state", "1");
	fake_set("device/vif/junk/state", "1");
	fake_set("device/vif/9/state", "1"); /* >= PVX_NET_MAX_VIFS */
	ck_assert_int_eq(netfront_list(ids, 8), 2);
	ck_assert_uint_eq(ids[0], 0);
	ck_assert_uint_eq(ids[1], 2);
	ck_assert_int_eq(netfront_list(ids, 1), 1);
	fake_reset();
	ck_assert_int_eq(netfront_list(ids, 8), -XEN_ENOENT);
}
END_TEST

START_TEST(parse_mac)
{
	uint8_t m[6];

	ck_assert_int_eq(netfront_parse_mac("aa:BB:0c:dd:ee:ff", m), 0);
	ck_assert_uint_eq(m[1], 0xbb);
	ck_assert_uint_eq(m[5], 0xff);
	ck_assert_int_eq(netfront_parse_mac("aa:bb:cc:dd:ee:ff:", m), -XEN_EINVAL);
	ck_assert_int_eq(netfront_parse_mac("aa:bb:cc:dd:ee:f", m), -XEN_EINVAL);
	ck_assert_int_eq(netfront_parse_mac("aa-bb-cc-dd-ee-ff", m), -XEN_EINVAL);
	ck_assert_int_eq(netfront_parse_mac("", m), -XEN_EINVAL);
	ck_assert_int_eq(netfront_parse_mac("gg:bb:cc:dd:ee:ff", m), -XEN_EINVAL);
}
END_TEST

static Suite *make_handshake_suite(void)
{
	Suite *s = suite_create("netfront-handshake");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, connect_and_close);
	tcase_add_test(tc, close_old_backend);
	tcase_add_test(tc, gateway_read);
	tcase_add_test(tc, commit_retried);
	tcase_add_test(tc, commit_never_succeeds);
	tcase_add_test(tc, backend_stuck_initialising);
	tcase_add_test(tc, backend_closed_before_initwait);
	tcase_add_test(tc, backend_gone_before_initwait);
	tcase_add_test(tc, backend_closes_at_connect);
	tcase_add_test(tc, backend_vanishes_at_connect);
	tcase_add_test(tc, backend_stuck_initwait);
	tcase_add_test(tc, no_rx_copy);
	tcase_add_test(tc, bad_config);
	tcase_add_test(tc, io_setup_fails);
	tcase_add_test(tc, close_unanswered);
	tcase_add_test(tc, alive_notices_backend);
	tcase_add_test(tc, close_after_unplug);
	tcase_add_test(tc, list_vifs);
	tcase_add_test(tc, parse_mac);
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

/*
 * minios netfront's data path on the host: the real
 * pv-drivers/net/front/netfront_io.c over two ring pages whose other end
 * this test plays (the pvx/ring.h back-end functions), with grants and
 * event channels faked (fake_io.c). Covers buffer posting and re-posting,
 * frames handed up, every kind of bad response a backend can write (ids
 * out of range or not in flight, error statuses, lengths and offsets past
 * the page, chains and extras we never asked for, an impossible rsp_prod),
 * tx buffer exhaustion, notification hold-off, and grants ended at
 * teardown.
 */
#include <check.h>
#include <string.h>

#include <xen/public/errno.h>

#include "fake_io.h"

static uint8_t txp[4096] __attribute__((aligned(4096)));
static uint8_t rxp[4096] __attribute__((aligned(4096)));
static struct netfront_dev d;
static struct netif_tx_back_ring tb;
static struct netif_rx_back_ring rb;
static unsigned frames, last_len, last_flags;
static uint8_t last[2048];

static void rx_fn(void *arg, const uint8_t *f, unsigned len, unsigned flags)
{
	(void)arg;
	frames++;
	last_len = len;
	last_flags = flags;
	memcpy(last, f, len < sizeof(last) ? len : sizeof(last));
}

static void setup(void)
{
	netfront_io_teardown(&d); /* a test may set up twice */
	memset(&d, 0, sizeof(d));
	memset(txp, 0, sizeof(txp));
	memset(rxp, 0, sizeof(rxp));
	d.tx.ring = txp;
	d.rx.ring = rxp;
	pvx_sring_init((struct xen_sring_hdr *)txp);
	pvx_sring_init((struct xen_sring_hdr *)rxp);
	pvx_ring_front_init(&d.tx.front, (struct xen_sring_hdr *)txp, 256);
	pvx_ring_front_init(&d.rx.front, (struct xen_sring_hdr *)rxp, 256);
	d.port = 5;
	d.rx_fn = rx_fn;
	ck_assert_int_eq(netfront_io_setup(&d), 0);
	d.connected = 1;
	netif_tx_back_init(&tb, (struct netif_tx_sring *)txp, 4096);
	netif_rx_back_init(&rb, (struct netif_rx_sring *)rxp, 4096);
	frames = last_len = last_flags = 0;
	sends = 0;
	fake_io_wait = NULL;
}

/* The backend answers the next rx request: status bytes at offset. */
static void rx_answer(int id_override, uint16_t offset, uint16_t flags, int16_t status)
{
	struct netif_rx_request q;
	struct netif_rx_response r;

	ck_assert_int_eq(netif_rx_back_get_request(&rb, &q), 1);
	if (status > 0 && offset + status <= 4096)
		for (int i = 0; i < status; i++)
			netfront_rx_page(q.id)[offset + i] = (uint8_t)(i + q.id);
	r = (struct netif_rx_response){ .id = id_override >= 0 ? (uint16_t)id_override : q.id,
					.offset = offset, .flags = flags, .status = status };
	ck_assert_int_eq(netif_rx_back_put_response(&rb, &r), 0);
	netif_rx_back_push_responses_and_check_notify(&rb);
}

static unsigned rx_outstanding(void)
{
	struct xen_sring_hdr *h = (void *)rxp;

	return h->req_prod - d.rx.front.rsp_cons;
}

START_TEST(setup_posts_and_grants)
{
	struct netif_rx_sring *s = (void *)rxp;

	setup();
	ck_assert_uint_eq(((struct xen_sring_hdr *)rxp)->req_prod, 256);
	for (unsigned i = 0; i < 256; i++) {
		ck_assert_uint_eq(s->ring[i].req.id, i);
		ck_assert_uint_eq(s->ring[i].req.gref, netfront_rx_ref(i));
	}
	ck_assert_int_eq(grants_live, 256 + 128);
	ck_assert_int_eq(grants_ro, 128);
	ck_assert_int_eq(sends, 0); /* posted before Connected: nobody to notify */
	ck_assert_int_eq(netfront_io_setup(&d), -XEN_EBUSY); /* one device at a time */
	netfront_io_teardown(&d);
	ck_assert_int_eq(grants_live, 0);
}
END_TEST

START_TEST(rx_frame_and_repost)
{
	struct netif_rx_sring *s = (void *)rxp;

	setup();
	rx_answer(-1, 0, NETRXF_data_validated, 60);
	ck_assert_int_eq(netfront_poll(&d), 1);
	ck_assert_uint_eq(frames, 1);
	ck_assert_uint_eq(last_len, 60);
	ck_assert_uint_eq(last_flags, NETRXF_data_validated);
	ck_assert_uint_eq(last[59], 59);
	ck_assert_uint_eq(d.st.rx_packets, 1);
	/* Re-posted at index 256 with buffer 0 again. */
	ck_assert_uint_eq(((struct xen_sring_hdr *)rxp)->req_prod, 257);
	ck_assert_uint_eq(s->ring[0].req.id, 0);
	ck_assert_uint_eq(s->ring[0].req.gref, netfront_rx_ref(0));
	ck_assert_uint_eq(rx_outstanding(), 256);
}
END_TEST

START_TEST(rx_bad_responses)
{
	setup();
	rx_answer(-1, 0, 0, NETIF_RSP_ERROR);           /* error status */
	rx_answer(-1, 0, 0, 5000);                      /* longer than a page */
	rx_answer(-1, 4000, 0, 200);                    /* past the page end */
	rx_answer(-1, 0, 0, 10);                        /* shorter than Ethernet */
	rx_answer(-1, 0, 0, 0);
	ck_assert_int_eq(netfront_poll(&d), 0);
	ck_assert_uint_eq(d.st.rx_errors, 5);
	rx_answer(77, 0, 0, 60);                        /* wrong id: the slot's buffer */
	ck_assert_int_eq(netfront_poll(&d), 1);
	ck_assert_uint_eq(d.st.rx_bogus, 1);
	rx_answer(-1, 0, NETRXF_more_data, 1000);       /* a chain: we said feature-sg=0 */
	rx_answer(-1, 0, NETRXF_more_data, 1000);
	rx_answer(-1, 0, 0, 100);
	rx_answer(-1, 0, NETRXF_extra_info, 60);        /* an extra we never asked for */
	rx_answer(-1, 0, 0, 8);                         /* (the extra's slot) */
	rx_answer(-1, 0, 0, 70);                        /* good again */
	ck_assert_int_eq(netfront_poll(&d), 1);
	ck_assert_uint_eq(last_len, 70);
	ck_assert_uint_eq(d.st.rx_dropped, 2);
	ck_assert_uint_eq(frames, 2);
	ck_assert_uint_eq(rx_outstanding(), 256);       /* no buffer lost */
	ck_assert_int_eq(d.broken, 0);
}
END_TEST

/* A full-MTU frame with an 802.1Q tag (14 + 4 + 1500) goes up, and one
 * byte more is an error, both from the backend (rx) and to it (tx). */
START_TEST(vlan_tagged_full_frames)
{
	struct netif_tx_request q;
	union netif_tx_any_request any;
	uint8_t *b;

	setup();
	rx_answer(-1, 0, 0, 1518);
	ck_assert_int_eq(netfront_poll(&d), 1);
	ck_assert_uint_eq(last_len, 1518);
	rx_answer(-1, 0, 0, 1519);
	ck_assert_int_eq(netfront_poll(&d), 0);
	ck_assert_uint_eq(d.st.rx_errors, 1);
	ck_assert_uint_eq(frames, 1);
	b = netfront_tx_get(&d);
	ck_assert_int_eq(netfront_tx_put(&d, b, 1518, 0), 0);
	netfront_tx_push(&d);
	ck_assert_int_eq(netif_tx_back_get_request(&tb, &any), 1);
	q = any.req;
	ck_assert_uint_eq(q.size, 1518);
}
END_TEST

START_TEST(rx_index_jump)
{
	setup();
	((struct xen_sring_hdr *)rxp)->rsp_prod = 1000;
	ck_assert_int_eq(netfront_poll(&d), -XEN_EIO);
	ck_assert_int_eq(d.broken, 1);
	ck_assert_ptr_null(netfront_tx_get(&d));
	ck_assert_int_eq(netfront_wait(&d, 0), -XEN_EIO);
	ck_assert_uint_eq(frames, 0);
}
END_TEST

START_TEST(rx_full_ring)
{
	setup();
	for (int i = 0; i < 256; i++)
		rx_answer(-1, 0, 0, 100);
	ck_assert_int_eq(netfront_poll(&d), 256);
	ck_assert_uint_eq(rx_outstanding(), 256);
	ck_assert_uint_eq(((struct xen_sring_hdr *)rxp)->req_prod, 512);
}
END_TEST

START_TEST(tx_roundtrip)
{
	struct netif_tx_request q;
	union netif_tx_any_request any;
	struct netif_tx_response r;
	uint8_t *b;

	setup();
	b = netfront_tx_get(&d);
	ck_assert_ptr_nonnull(b);
	memset(b, 0xab, 60);
	ck_assert_int_eq(netfront_tx_put(&d, b, 60, NETTXF_csum_blank | NETTXF_more_data), 0);
	netfront_tx_push(&d);
	ck_assert_int_eq(sends, 1);                     /* req_event starts at 1 */
	ck_assert_int_eq(netif_tx_back_get_request(&tb, &any), 1);
	q = any.req;
	ck_assert_uint_eq(q.size, 60);
	ck_assert_uint_eq(q.flags, NETTXF_csum_blank); /* no chains from us */
	ck_assert_uint_eq(q.gref, netfront_tx_ref(q.id));
	ck_assert_uint_le(q.offset + q.size, 4096);
	ck_assert_uint_eq(netfront_tx_inflight(&d), 1);
	r = (struct netif_tx_response){ .id = q.id, .status = NETIF_RSP_OKAY };
	netif_tx_back_put_response(&tb, &r);
	netif_tx_back_push_responses_and_check_notify(&tb);
	ck_assert_int_eq(netfront_poll(&d), 0);
	ck_assert_uint_eq(netfront_tx_inflight(&d), 0);
	ck_assert_uint_eq(d.st.tx_packets, 1);
}
END_TEST

START_TEST(tx_bad_responses)
{
	union netif_tx_any_request any;
	struct netif_tx_response r;
	uint8_t *b;

	setup();
	b = netfront_tx_get(&d);
	netfront_tx_put(&d, b, 100, 0);
	netfront_tx_push(&d);
	netif_tx_back_get_request(&tb, &any);
	r = (struct netif_tx_response){ .id = 999, .status = 0 };      /* out of range */
	netif_tx_back_put_response(&tb, &r);
	netif_tx_back_push_responses_and_check_notify(&tb);
	/* More responses than requests: refused as a whole. */
	((struct xen_sring_hdr *)txp)->rsp_prod = 5;
	ck_assert_int_eq(netfront_poll(&d), -XEN_EIO);
	setup();
	b = netfront_tx_get(&d);
	netfront_tx_put(&d, b, 100, 0);
	b = netfront_tx_get(&d);
	netfront_tx_put(&d, b, 100, 0);
	netfront_tx_push(&d);
	netif_tx_back_get_request(&tb, &any);
	r = (struct netif_tx_response){ .id = 999, .status = 0 };
	netif_tx_back_put_response(&tb, &r);
	netif_tx_back_get_request(&tb, &any);
	r = (struct netif_tx_response){ .id = any.req.id, .status = NETIF_RSP_ERROR };
	netif_tx_back_put_response(&tb, &r);
	netif_tx_back_push_responses_and_check_notify(&tb);
	ck_assert_int_eq(netfront_poll(&d), 0);
	ck_assert_uint_eq(d.st.tx_bogus, 1);
	ck_assert_uint_eq(d.st.tx_errors, 1);
	ck_assert_uint_eq(netfront_tx_inflight(&d), 1); /* the one the bogus id should have freed */
	ck_assert_int_eq(d.broken, 0);
}
END_TEST

START_TEST(tx_put_checks)
{
	static uint8_t foreign[64];
	uint8_t *b;

	setup();
	b = netfront_tx_get(&d);
	ck_assert_int_eq(netfront_tx_put(&d, b, 10, 0), -XEN_EINVAL);
	ck_assert_uint_eq(netfront_tx_inflight(&d), 0);
	b = netfront_tx_get(&d);
	ck_assert_int_eq(netfront_tx_put(&d, b, 1519, 0), -XEN_EINVAL); /* > tagged 1500 */
	ck_assert_int_eq(netfront_tx_put(&d, b, 60, 0), -XEN_EINVAL); /* freed already */
	ck_assert_int_eq(netfront_tx_put(&d, foreign, 60, 0), -XEN_EINVAL);
	ck_assert_int_eq(netfront_tx_put(&d, b + 1, 60, 0), -XEN_EINVAL);
	ck_assert_uint_eq(((struct xen_sring_hdr *)txp)->req_prod, 0);
}
END_TEST

static int answer_all(void)
{
	union netif_tx_any_request any;

	while (netif_tx_back_get_request(&tb, &any) == 1) {
		struct netif_tx_response r = { .id = any.req.id, .status = 0 };

		netif_tx_back_put_response(&tb, &r);
	}
	netif_tx_back_push_responses_and_check_notify(&tb);
	return 1;
}

START_TEST(tx_exhaustion)
{
	uint8_t *b;

	setup();
	for (int i = 0; i < 256; i++) {
		b = netfront_tx_get(&d);
		ck_assert_ptr_nonnull(b);
		ck_assert_int_eq(netfront_tx_put(&d, b, 60, 0), 0);
	}
	ck_assert_ptr_null(netfront_tx_get(&d));
	ck_assert_uint_eq(d.st.tx_full, 1);
	ck_assert_ptr_null(netfront_tx_get_wait(&d, io_clock_ns + 1000)); /* nobody answers */
	ck_assert_uint_eq(((struct xen_sring_hdr *)txp)->req_prod, 256); /* pushed meanwhile */
	/* It armed tx rsp_event at half the ring: woken once 128 are answered. */
	ck_assert_uint_eq(((struct xen_sring_hdr *)txp)->rsp_event, 128);
	fake_io_wait = answer_all;
	b = netfront_tx_get_wait(&d, io_clock_ns + 1000);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(netfront_tx_inflight(&d), 1); /* reserved until put or dropped */
	ck_assert_int_eq(netfront_tx_put(&d, b, 60, 0), 0);
	ck_assert_int_eq(netfront_tx_wait_idle(&d, io_clock_ns + 1000), 0);
	ck_assert_uint_eq(netfront_tx_inflight(&d), 0);
}
END_TEST

/* The backend is busy (req_event behind): a batch goes out without a kick. */
START_TEST(notify_holdoff)
{
	struct xen_sring_hdr *h = (void *)txp;

	setup();
	h->req_event = 1000; /* "wake me at request 1000" */
	for (int i = 0; i < 32; i++)
		netfront_tx_put(&d, netfront_tx_get(&d), 60, 0);
	netfront_tx_push(&d);
	ck_assert_int_eq(sends, 0);
	h->req_event = h->req_prod + 1; /* asleep now: the next batch kicks once */
	for (int i = 0; i < 32; i++)
		netfront_tx_put(&d, netfront_tx_get(&d), 60, 0);
	netfront_tx_push(&d);
	ck_assert_int_eq(sends, 1);
	ck_assert_uint_eq(d.st.notifies, 1);
	netfront_tx_push(&d); /* nothing queued: nothing */
	ck_assert_int_eq(sends, 1);
}
END_TEST

/* Waiting arms rx rsp_event only while tx buffers are free. */
START_TEST(wait_arms_events)
{
	setup();
	((struct xen_sring_hdr *)txp)->rsp_event = 0;
	ck_assert_int_eq(netfront_wait(&d, io_clock_ns + 1000), 0);
	ck_assert_uint_eq(((struct xen_sring_hdr *)rxp)->rsp_event, 1);
	ck_assert_uint_eq(((struct xen_sring_hdr *)txp)->rsp_event, 0);
	rx_answer(-1, 0, 0, 60);
	ck_assert_int_eq(netfront_wait(&d, 0), 1);
	d.connected = 0;
	ck_assert_int_eq(netfront_wait(&d, 0), 0);
	ck_assert_int_eq(netfront_poll(&d), 0);
}
END_TEST

/* norx: nothing posted, and a backend answering anyway is refused. */
START_TEST(no_rx_posts_nothing)
{
	memset(&d, 0, sizeof(d));
	d.tx.ring = txp;
	d.rx.ring = rxp;
	pvx_sring_init((struct xen_sring_hdr *)rxp);
	pvx_ring_front_init(&d.rx.front, (struct xen_sring_hdr *)rxp, 256);
	pvx_sring_init((struct xen_sring_hdr *)txp);
	pvx_ring_front_init(&d.tx.front, (struct xen_sring_hdr *)txp, 256);
	d.no_rx = 1;
	ck_assert_int_eq(netfront_io_setup(&d), 0);
	d.connected = 1;
	ck_assert_uint_eq(((struct xen_sring_hdr *)rxp)->req_prod, 0);
	((struct xen_sring_hdr *)rxp)->rsp_prod = 1;
	ck_assert_int_eq(netfront_poll(&d), -XEN_EIO);
}
END_TEST

static Suite *make_io_suite(void)
{
	Suite *s = suite_create("netfront-io");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, setup_posts_and_grants);
	tcase_add_test(tc, rx_frame_and_repost);
	tcase_add_test(tc, rx_bad_responses);
	tcase_add_test(tc, rx_index_jump);
	tcase_add_test(tc, vlan_tagged_full_frames);
	tcase_add_test(tc, rx_full_ring);
	tcase_add_test(tc, tx_roundtrip);
	tcase_add_test(tc, tx_bad_responses);
	tcase_add_test(tc, tx_put_checks);
	tcase_add_test(tc, tx_exhaustion);
	tcase_add_test(tc, notify_holdoff);
	tcase_add_test(tc, wait_arms_events);
	tcase_add_test(tc, no_rx_posts_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(make_io_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

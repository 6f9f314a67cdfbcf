/*
 * netback_tx_kick on the ring bench: good packets (one and many slots),
 * checksum offload into the virtio-net header, bad grants and malformed
 * packets among good ones, over-long and partly published chains, index
 * jumps, budgets, batching of grant maps and of notifications.
 */
#include <errno.h>
#include <string.h>

#include "frames.h"
#include "tb.h"

static const struct netback_features feat0;

static void pattern(uint8_t *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(seed + i * 13 + (i >> 7));
}

static void expect_rsp(struct tb *t, uint16_t id, int16_t status)
{
	struct netif_tx_response r = tb_tx_rsp(t);

	ck_assert_uint_eq(r.id, id);
	ck_assert_int_eq(r.status, status);
}

START_TEST(single_slot_packets)
{
	struct tb t;
	uint8_t b[1514];

	tb_init(&t, feat0);
	for (unsigned i = 0; i < 10; i++) {
		pattern(b, sizeof(b), i);
		tb_tx_packet(&t, 8 + i, (uint16_t)(100 + i), b, (uint16_t)(60 + i * 100), 0);
	}
	ck_assert(tb_tx_push(&t)); /* the backend armed req_event at 1 */
	ck_assert_int_eq(netback_tx_kick(&t.q, 1000), 0);
	ck_assert_uint_eq(t.npk, 10);
	for (unsigned i = 0; i < 10; i++) {
		pattern(b, sizeof(b), i);
		ck_assert_uint_eq(t.pk[i].len, 60 + i * 100);
		ck_assert_uint_eq(t.pk[i].niov, 2);
		ck_assert_mem_eq(t.log + t.pk[i].off, b, t.pk[i].len);
		ck_assert_uint_eq(t.pk[i].h.flags, 0);
		ck_assert_uint_eq(t.pk[i].h.gso_type, VIRTIO_NET_HDR_GSO_NONE);
		expect_rsp(&t, (uint16_t)(100 + i), NETIF_RSP_OKAY);
	}
	ck_assert_int_eq(tb_tx_pending(&t), 0);
	ck_assert_uint_eq(t.q.stats.tx_packets, 10);
	ck_assert_uint_eq(t.q.stats.tx_bytes, 10 * 60 + 4500);
	ck_assert_uint_eq(t.q.stats.tx_errors, 0);
	ck_assert_int_eq(t.d.map_batches, 1);
	ck_assert_int_eq(t.d.unmap_batches, 1);
	ck_assert_int_eq(t.d.maps, 10);
	ck_assert_int_eq(t.notified[NETBACK_DIR_TX], 1); /* rsp_event was 1 */
	/* req_event is armed just past what was consumed. */
	ck_assert_uint_eq(t.txs->hdr.req_event, 11);
	tb_free(&t);
}
END_TEST

/* A packet over three slots at odd offsets, then one with an extra. */
START_TEST(multi_slot)
{
	struct tb t;
	uint8_t b[1514];

	tb_init(&t, feat0);
	pattern(b, sizeof(b), 7);
	memcpy(fake_page(&t.d, 20) + 4000, b, 96);
	memcpy(fake_page(&t.d, 21) + 0, b + 96, 1000);
	memcpy(fake_page(&t.d, 22) + 3000, b + 1096, 418);
	tb_tx(&t, 20, 4000, NETTXF_more_data, 1, 1514);
	tb_tx(&t, 21, 0, NETTXF_more_data, 2, 1000);
	tb_tx(&t, 22, 3000, 0, 3, 418);
	memcpy(fake_page(&t.d, 23), b, 60);
	tb_tx(&t, 23, 0, NETTXF_extra_info, 4, 60);
	tb_tx_extra(&t, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0);
	tb_tx_push(&t);
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0);
	ck_assert_uint_eq(t.npk, 2);
	ck_assert_uint_eq(t.pk[0].len, 1514);
	ck_assert_uint_eq(t.pk[0].niov, 4);
	ck_assert_mem_eq(t.log + t.pk[0].off, b, 1514);
	ck_assert_mem_eq(t.log + t.pk[1].off, b, 60);
	expect_rsp(&t, 1, NETIF_RSP_OKAY);
	expect_rsp(&t, 2, NETIF_RSP_OKAY);
	expect_rsp(&t, 3, NETIF_RSP_OKAY);
	expect_rsp(&t, 4, NETIF_RSP_OKAY);
	ck_assert_int_eq(tb_tx_rsp(&t).status, NETIF_RSP_NULL);
	ck_assert_int_eq(t.d.map_batches, 1);
	tb_free(&t);
}
END_TEST

/* csum_blank on UDP/TCP over IPv4/IPv6 -> NEEDS_CSUM where the field is;
 * data_validated alone -> DATA_VALID; csum_blank on ARP -> ERROR. */
START_TEST(csum_offload)
{
	static const int kinds[] = { FR_UDP4, FR_TCP4, FR_UDP6, FR_TCP6, FR_UDP4_VLAN };
	static const uint16_t start[] = { 34, 34, 54, 54, 38 }, field[] = { 6, 16, 6, 16, 6 };
	struct tb t;
	uint8_t b[1514];

	tb_init(&t, feat0);
	for (unsigned k = 0; k < 5; k++) {
		frame_build(b, 200, kinds[k], k);
		tb_tx_packet(&t, 8 + k, (uint16_t)k, b, 200,
			     NETTXF_csum_blank | NETTXF_data_validated);
	}
	frame_build(b, 300, FR_TCP4, 9);
	tb_tx_packet(&t, 20, 20, b, 300, NETTXF_data_validated);
	frame_build(b, 60, FR_ARP, 9);
	tb_tx_packet(&t, 21, 21, b, 60, NETTXF_csum_blank);
	tb_tx_push(&t);
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0);
	ck_assert_uint_eq(t.npk, 6);
	for (unsigned k = 0; k < 5; k++) {
		ck_assert_uint_eq(t.pk[k].h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
		ck_assert_uint_eq(t.pk[k].h.csum_start, start[k]);
		ck_assert_uint_eq(t.pk[k].h.csum_offset, field[k]);
		expect_rsp(&t, (uint16_t)k, NETIF_RSP_OKAY);
	}
	ck_assert_uint_eq(t.pk[5].h.flags, VIRTIO_NET_HDR_F_DATA_VALID);
	expect_rsp(&t, 20, NETIF_RSP_OKAY);
	expect_rsp(&t, 21, NETIF_RSP_ERROR);
	ck_assert_uint_eq(t.q.stats.tx_rule[NETBACK_TX_CSUM], 1);
	tb_free(&t);
}
END_TEST

/* A grant not ours (and a read-only one, which tx may use) among good
 * packets: ERROR for that packet's slots only. */
START_TEST(bad_grant_continues)
{
	struct tb t;
	uint8_t b[200];

	tb_init(&t, feat0);
	pattern(b, sizeof(b), 3);
	t.d.ro[30 - FAKE_REF_BASE] = true;
	tb_tx_packet(&t, 10, 1, b, 100, 0);
	tb_tx(&t, 9999, 0, 0, 2, 100);                 /* not granted */
	tb_tx_packet(&t, 11, 3, b, 100, NETTXF_more_data);
	tb_tx(&t, 5, 0, 0, 4, 20);                     /* second slot not granted */
	tb_tx_packet(&t, 30, 5, b, 120, 0);            /* read-only: fine for tx */
	tb_tx_push(&t);
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0);
	ck_assert_uint_eq(t.npk, 2);
	ck_assert_uint_eq(t.pk[1].len, 120);
	expect_rsp(&t, 1, NETIF_RSP_OKAY);
	expect_rsp(&t, 2, NETIF_RSP_ERROR);
	expect_rsp(&t, 3, NETIF_RSP_ERROR);
	expect_rsp(&t, 4, NETIF_RSP_ERROR);
	expect_rsp(&t, 5, NETIF_RSP_OKAY);
	ck_assert_uint_eq(t.q.stats.tx_errors, 2);
	ck_assert_uint_eq(t.q.stats.tx_rule[NETBACK_TX_BAD_GRANT], 2);
	ck_assert_uint_eq(t.q.stats.tx_packets, 2);
	tb_free(&t);
}
END_TEST

/* Malformed packets between good ones: each answered, in order. */
START_TEST(malformed_continue)
{
	struct tb t;
	uint8_t b[200];

	tb_init(&t, feat0);
	pattern(b, sizeof(b), 4);
	tb_tx_packet(&t, 10, 1, b, 100, 0);
	tb_tx(&t, 11, 0, 0, 2, 10);                            /* too short */
	tb_tx(&t, 11, 0, NETTXF_extra_info, 3, 100);           /* GSO */
	tb_tx_extra(&t, XEN_NETIF_EXTRA_TYPE_GSO, 0);
	tb_tx(&t, 11, 4090, 0, 4, 100);                        /* crosses */
	tb_tx_packet(&t, 12, 5, b, 100, 0);
	tb_tx_push(&t);
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0);
	ck_assert_uint_eq(t.npk, 2);
	expect_rsp(&t, 1, NETIF_RSP_OKAY);
	expect_rsp(&t, 2, NETIF_RSP_ERROR);
	expect_rsp(&t, 3, NETIF_RSP_ERROR);
	expect_rsp(&t, 3, NETIF_RSP_NULL);
	expect_rsp(&t, 4, NETIF_RSP_ERROR);
	expect_rsp(&t, 5, NETIF_RSP_OKAY);
	ck_assert_uint_eq(t.q.stats.tx_errors, 3);
	ck_assert_uint_eq(t.q.stats.tx_rule[NETBACK_TX_TOO_SHORT], 1);
	ck_assert_uint_eq(t.q.stats.tx_rule[NETBACK_TX_EXTRA_GSO], 1);
	ck_assert_uint_eq(t.q.stats.tx_rule[NETBACK_TX_CROSSES_PAGE], 1);
	ck_assert_int_eq(t.d.maps, 2); /* bad packets map nothing */
	tb_free(&t);
}
END_TEST

/* A chain whose rest is not published yet waits, and its completion
 * kicks the backend. */
START_TEST(partial_chain)
{
	struct tb t;
	uint8_t b[300];

	tb_init(&t, feat0);
	pattern(b, sizeof(b), 5);
	memcpy(fake_page(&t.d, 10), b, 200);
	memcpy(fake_page(&t.d, 11), b + 200, 100);
	tb_tx(&t, 10, 0, NETTXF_more_data, 1, 300);
	tb_tx_push(&t);
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0);
	ck_assert_uint_eq(t.npk, 0);
	ck_assert_int_eq(tb_tx_pending(&t), 0);
	ck_assert_uint_eq(t.txs->hdr.req_event, 2); /* past the slot seen */
	tb_tx(&t, 11, 0, 0, 2, 100);
	ck_assert(tb_tx_push(&t));
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0);
	ck_assert_uint_eq(t.npk, 1);
	ck_assert_mem_eq(t.log, b, 300);
	expect_rsp(&t, 1, NETIF_RSP_OKAY);
	expect_rsp(&t, 2, NETIF_RSP_OKAY);
	tb_free(&t);
}
END_TEST

/* A chain without end: ERROR for every slot up to where it stops, across
 * kicks; the packet after it is fine. */
START_TEST(over_long_chain)
{
	struct tb t;
	uint8_t b[100];

	tb_init(&t, feat0);
	pattern(b, sizeof(b), 6);
	for (unsigned i = 0; i < 30; i++)
		tb_tx(&t, 10, 0, NETTXF_more_data, (uint16_t)i, 100);
	tb_tx_push(&t);
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0);
	ck_assert(t.q.tx_draining);
	for (unsigned i = 0; i < 30; i++)
		expect_rsp(&t, (uint16_t)i, NETIF_RSP_ERROR);
	for (unsigned i = 30; i < 40; i++)
		tb_tx(&t, 10, 0, i == 39 ? 0 : NETTXF_more_data, (uint16_t)i, 100);
	tb_tx_packet(&t, 12, 40, b, 100, 0);
	tb_tx_push(&t);
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0);
	ck_assert(!t.q.tx_draining);
	for (unsigned i = 30; i < 40; i++)
		expect_rsp(&t, (uint16_t)i, NETIF_RSP_ERROR);
	expect_rsp(&t, 40, NETIF_RSP_OKAY);
	ck_assert_uint_eq(t.npk, 1);
	ck_assert_uint_eq(t.q.stats.tx_rule[NETBACK_TX_TOO_MANY_SLOTS], 1);
	tb_free(&t);
}
END_TEST

/* req_prod far beyond the ring: broken, nothing read, never again. */
START_TEST(index_jump)
{
	struct tb t;
	uint8_t b[100];

	tb_init(&t, feat0);
	pattern(b, sizeof(b), 8);
	tb_tx_packet(&t, 10, 1, b, 100, 0);
	tb_tx_push(&t);
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0);
	t.txs->hdr.req_prod += 1000;
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), -EIO);
	ck_assert(t.q.broken);
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), -EIO);
	ck_assert_uint_eq(netback_rx_posted(&t.q), 0);
	ck_assert_uint_eq(t.npk, 1);
	/* Backwards is as bad. */
	tb_free(&t);
	tb_init(&t, feat0);
	t.txs->hdr.req_prod = (RING_IDX)-5;
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), -EIO);
	tb_free(&t);
}
END_TEST

/* 200 packets: one map_batch per NETBACK_TX_BATCH, one kick out. */
START_TEST(batching)
{
	struct tb t;
	uint8_t b[1472];

	tb_init(&t, feat0);
	pattern(b, sizeof(b), 9);
	for (unsigned i = 0; i < 200; i++)
		tb_tx_packet(&t, 8 + i, (uint16_t)i, b, sizeof(b), 0);
	tb_tx_push(&t);
	ck_assert_int_eq(netback_tx_kick(&t.q, 1000), 0);
	ck_assert_uint_eq(t.npk, 200);
	ck_assert_int_eq(t.d.map_batches, 4);
	ck_assert_int_eq(t.d.unmap_batches, 4);
	ck_assert_int_eq(t.notified[NETBACK_DIR_TX], 1);
	ck_assert_uint_eq(t.q.stats.notify_out, 1);
	for (unsigned i = 0; i < 200; i++)
		expect_rsp(&t, (uint16_t)i, NETIF_RSP_OKAY);
	tb_free(&t);
}
END_TEST

/* The budget stops a pass; the next kick goes on. */
START_TEST(budget)
{
	struct tb t;
	uint8_t b[100];

	tb_init(&t, feat0);
	pattern(b, sizeof(b), 10);
	for (unsigned i = 0; i < 100; i++)
		tb_tx_packet(&t, 8 + i, (uint16_t)i, b, 100, 0);
	tb_tx_push(&t);
	ck_assert_int_eq(netback_tx_kick(&t.q, 10), 1);
	ck_assert_uint_eq(t.npk, 10);
	ck_assert_int_eq(netback_tx_kick(&t.q, 0), 1);
	ck_assert_int_eq(netback_tx_kick(&t.q, 90), 0);
	ck_assert_uint_eq(t.npk, 100);
	tb_free(&t);
}
END_TEST

/* The sink refusing a packet: OKAY for the guest, tx_dropped for us. A
 * failed map round trip: ERROR for all. */
START_TEST(sink_and_map_failures)
{
	struct tb t;
	uint8_t b[100];

	tb_init(&t, feat0);
	pattern(b, sizeof(b), 11);
	t.sink_rc = -EAGAIN;
	tb_tx_packet(&t, 10, 1, b, 100, 0);
	tb_tx_push(&t);
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0);
	expect_rsp(&t, 1, NETIF_RSP_OKAY);
	ck_assert_uint_eq(t.q.stats.tx_dropped, 1);
	t.d.fail_all = true;
	tb_tx_packet(&t, 10, 2, b, 100, 0);
	tb_tx_packet(&t, 11, 3, b, 100, 0);
	tb_tx_push(&t);
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0);
	expect_rsp(&t, 2, NETIF_RSP_ERROR);
	expect_rsp(&t, 3, NETIF_RSP_ERROR);
	ck_assert_int_eq(t.d.unmap_batches, 1);
	tb_free(&t);
}
END_TEST

/* A restarted daemon attaches to the rings and goes on. */
START_TEST(reattach)
{
	struct tb t;
	uint8_t b[100];

	tb_init(&t, feat0);
	pattern(b, sizeof(b), 12);
	tb_tx_packet(&t, 10, 1, b, 100, 0);
	tb_tx_push(&t);
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0);
	tb_tx_packet(&t, 11, 2, b, 100, 0);
	tb_tx_push(&t);
	tb_reattach(&t);
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0);
	expect_rsp(&t, 1, NETIF_RSP_OKAY);
	expect_rsp(&t, 2, NETIF_RSP_OKAY);
	ck_assert_uint_eq(t.npk, 2);
	tb_free(&t);
}
END_TEST

/* Within the poll window an empty ring is left unarmed (2: call again);
 * once the window has passed it is armed (0). */
START_TEST(poll_window)
{
	struct tb t;
	uint8_t b[100];
	RING_IDX ev;

	tb_init(&t, feat0);
	pattern(b, sizeof(b), 13);
	t.q.poll_ns = 10ull * 1000 * 1000 * 1000;
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0); /* nothing yet: armed */
	tb_tx_packet(&t, 10, 1, b, 100, 0);
	ck_assert(tb_tx_push(&t));
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 2);
	ck_assert(t.q.polling);
	ev = t.txs->hdr.req_event;
	tb_tx_packet(&t, 11, 2, b, 100, 0);
	ck_assert(!tb_tx_push(&t)); /* the frontend does not kick: we poll */
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 2);
	ck_assert_uint_eq(t.txs->hdr.req_event, ev);
	ck_assert_uint_eq(t.npk, 2);
	t.q.poll_until = 0; /* the window has passed */
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), 0);
	ck_assert(!t.q.polling);
	ck_assert_uint_eq(t.txs->hdr.req_event, 3);
	tb_tx_packet(&t, 12, 3, b, 100, 0);
	ck_assert(tb_tx_push(&t));
	tb_free(&t);
}
END_TEST

START_TEST(init_errors)
{
	struct netback_queue q;
	struct netback_queue_cfg cfg = { 0 };

	ck_assert_int_eq(netback_queue_init(&q, &cfg), -EINVAL);
	netback_queue_dispose(&q);
}
END_TEST

Suite *make_tx_suite(void)
{
	Suite *s = suite_create("tx");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, single_slot_packets);
	tcase_add_test(tc, multi_slot);
	tcase_add_test(tc, csum_offload);
	tcase_add_test(tc, bad_grant_continues);
	tcase_add_test(tc, malformed_continue);
	tcase_add_test(tc, partial_chain);
	tcase_add_test(tc, over_long_chain);
	tcase_add_test(tc, index_jump);
	tcase_add_test(tc, batching);
	tcase_add_test(tc, budget);
	tcase_add_test(tc, sink_and_map_failures);
	tcase_add_test(tc, reattach);
	tcase_add_test(tc, poll_window);
	tcase_add_test(tc, init_errors);
	suite_add_tcase(s, tc);
	return s;
}

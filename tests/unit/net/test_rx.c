/*
 * netback_rx_deliver on the ring bench: frames copied into posted
 * buffers byte for byte, checksum flags and software checksums,
 * multi-slot frames with feature-sg, no buffers (frames stay with the
 * caller; arming the event), hostile rx requests (grants not ours,
 * read-only grants, index jumps), batching of maps and notifications.
 */
#include <errno.h>
#include <string.h>

#include "frames.h"
#include "tb.h"

static const struct netback_features feat0;

static struct netback_rx_frame fr(const void *data, size_t len,
				  const struct virtio_net_hdr *h)
{
	return (struct netback_rx_frame){ .vhdr = h, .data = data, .len = len };
}

static void post(struct tb *t, unsigned n, uint16_t id0, grant_ref_t ref0)
{
	for (unsigned i = 0; i < n; i++)
		tb_rx_post(t, (uint16_t)(id0 + i), ref0 + i);
	tb_rx_push(t);
}

static void expect_rsp(struct tb *t, uint16_t id, int16_t status, uint16_t flags)
{
	struct netif_rx_response r = tb_rx_rsp(t);

	ck_assert_uint_eq(r.id, id);
	ck_assert_int_eq(r.status, status);
	ck_assert_uint_eq(r.flags, flags);
	ck_assert_uint_eq(r.offset, 0);
}

START_TEST(copy_frames)
{
	static uint8_t b[5][1514];
	struct netback_rx_frame f[5];
	struct tb t;

	tb_init(&t, feat0);
	post(&t, 10, 50, 100);
	ck_assert_uint_eq(netback_rx_posted(&t.q), 10);
	for (unsigned i = 0; i < 5; i++) {
		frame_build(b[i], 60 + i * 300, FR_ARP, i);
		f[i] = fr(b[i], 60 + i * 300, NULL);
	}
	ck_assert_int_eq(netback_rx_deliver(&t.q, f, 5), 5);
	for (unsigned i = 0; i < 5; i++) {
		expect_rsp(&t, (uint16_t)(50 + i), (int16_t)(60 + i * 300), 0);
		ck_assert_mem_eq(fake_page(&t.d, 100 + i), b[i], 60 + i * 300);
	}
	ck_assert_uint_eq(netback_rx_posted(&t.q), 5);
	ck_assert_uint_eq(t.q.stats.rx_packets, 5);
	ck_assert_uint_eq(t.q.stats.rx_bytes, 5 * 60 + 3000);
	ck_assert_int_eq(t.d.map_batches, 1);
	ck_assert_int_eq(t.d.unmap_batches, 1);
	ck_assert_int_eq(t.notified[NETBACK_DIR_RX], 1);
	tb_free(&t);
}
END_TEST

/* vhdr NEEDS_CSUM -> csum_blank|data_validated, DATA_VALID ->
 * data_validated; with feature-no-csum-offload we fill the checksum. */
START_TEST(csum_flags)
{
	static uint8_t b[3][400];
	struct virtio_net_hdr need = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
				       .csum_start = 34, .csum_offset = 6 };
	struct virtio_net_hdr valid = { .flags = VIRTIO_NET_HDR_F_DATA_VALID };
	struct netback_rx_frame f[3];
	struct netback_features nocsum = { .no_csum_offload = true };
	struct tb t;

	frame_build(b[0], 400, FR_UDP4, 1);
	frame_build(b[1], 400, FR_TCP4, 2);
	frame_build(b[2], 400, FR_UDP4, 3);
	f[0] = fr(b[0], 400, &need);
	f[1] = fr(b[1], 400, &valid);
	f[2] = fr(b[2], 400, NULL);
	tb_init(&t, feat0);
	post(&t, 3, 0, 100);
	ck_assert_int_eq(netback_rx_deliver(&t.q, f, 3), 3);
	expect_rsp(&t, 0, 400, NETRXF_csum_blank | NETRXF_data_validated);
	expect_rsp(&t, 1, 400, NETRXF_data_validated);
	expect_rsp(&t, 2, 400, 0);
	ck_assert_mem_eq(fake_page(&t.d, 100), b[0], 400); /* untouched: guest fills */
	tb_free(&t);

	tb_init(&t, nocsum);
	post(&t, 1, 0, 100);
	ck_assert_int_eq(netback_rx_deliver(&t.q, f, 1), 1);
	expect_rsp(&t, 0, 400, NETRXF_data_validated);
	ck_assert(frame_l4_ok(fake_page(&t.d, 100), 400, FR_UDP4));
	ck_assert_mem_eq(fake_page(&t.d, 100), b[0], 40); /* only the field changed */
	ck_assert_mem_eq(fake_page(&t.d, 100) + 42, b[0] + 42, 358);
	tb_free(&t);
}
END_TEST

/* Bigger than a page: dropped without feature-sg, chained with it. */
START_TEST(multi_slot)
{
	static uint8_t b[9000];
	struct netback_rx_frame f[2];
	struct netback_features sg = { .sg = true };
	struct tb t;

	frame_build(b, sizeof(b), FR_ARP, 4);
	f[0] = fr(b, sizeof(b), NULL);
	f[1] = fr(b, 100, NULL);
	tb_init(&t, feat0);
	post(&t, 4, 0, 100);
	ck_assert_uint_eq(netback_rx_slots_for(&t.q, 9000), 0);
	ck_assert_int_eq(netback_rx_deliver(&t.q, f, 2), 2);
	ck_assert_uint_eq(t.q.stats.rx_dropped, 1);
	expect_rsp(&t, 0, 100, 0);
	ck_assert_int_eq(tb_rx_pending(&t), 0);
	tb_free(&t);

	tb_init(&t, sg);
	post(&t, 4, 0, 100);
	ck_assert_uint_eq(netback_rx_slots_for(&t.q, 9000), 3);
	ck_assert_int_eq(netback_rx_deliver(&t.q, f, 2), 2);
	expect_rsp(&t, 0, 4096, NETRXF_more_data);
	expect_rsp(&t, 1, 4096, NETRXF_more_data);
	expect_rsp(&t, 2, 808, 0);
	expect_rsp(&t, 3, 100, 0);
	ck_assert_mem_eq(fake_page(&t.d, 100), b, 4096);
	ck_assert_mem_eq(fake_page(&t.d, 101), b + 4096, 4096);
	ck_assert_mem_eq(fake_page(&t.d, 102), b + 8192, 808);
	ck_assert_uint_eq(netback_rx_slots_for(&t.q, NETBACK_RX_MAX_FRAME + 1), 0);
	ck_assert_uint_eq(netback_rx_slots_for(&t.q, 0), 0);
	tb_free(&t);
}
END_TEST

/* Fewer buffers than frames: the rest stay with the caller; with none,
 * arming makes the frontend's next post kick us. */
START_TEST(no_buffers)
{
	static uint8_t b[100];
	struct netback_rx_frame f[4];
	struct tb t;

	frame_build(b, sizeof(b), FR_ARP, 5);
	for (unsigned i = 0; i < 4; i++)
		f[i] = fr(b, sizeof(b), NULL);
	tb_init(&t, feat0);
	ck_assert_uint_eq(netback_rx_posted(&t.q), 0);
	ck_assert_int_eq(netback_rx_deliver(&t.q, f, 4), 0);
	ck_assert_int_eq(t.d.map_batches, 0);
	ck_assert_uint_eq(netback_rx_arm(&t.q), 0);
	tb_rx_post(&t, 0, 100);
	tb_rx_post(&t, 1, 101);
	ck_assert(tb_rx_push(&t)); /* the frontend kicks us */
	ck_assert_int_eq(netback_rx_deliver(&t.q, f, 4), 2);
	ck_assert_uint_eq(netback_rx_posted(&t.q), 0);
	ck_assert_uint_eq(t.q.stats.rx_dropped, 0);
	/* Posted between the look and the arm: arm says so. */
	tb_rx_post(&t, 2, 102);
	tb_rx_push(&t);
	ck_assert_uint_eq(netback_rx_arm(&t.q), 1);
	tb_free(&t);
}
END_TEST

/* Hostile requests: a grant not ours, a read-only grant; their frames
 * are dropped with ERROR responses, the others arrive. */
START_TEST(hostile_requests)
{
	static uint8_t b[200];
	struct netback_rx_frame f[4];
	struct tb t;

	frame_build(b, sizeof(b), FR_ARP, 6);
	for (unsigned i = 0; i < 4; i++)
		f[i] = fr(b, sizeof(b), NULL);
	tb_init(&t, feat0);
	t.d.ro[101 - FAKE_REF_BASE] = true;
	tb_rx_post(&t, 0, 100);
	tb_rx_post(&t, 1, 101);      /* read-only */
	tb_rx_post(&t, 2, 0xffffff); /* not granted */
	tb_rx_post(&t, 3, 103);
	tb_rx_push(&t);
	ck_assert_int_eq(netback_rx_deliver(&t.q, f, 4), 4);
	expect_rsp(&t, 0, 200, 0);
	expect_rsp(&t, 1, NETIF_RSP_ERROR, 0);
	expect_rsp(&t, 2, NETIF_RSP_ERROR, 0);
	expect_rsp(&t, 3, 200, 0);
	ck_assert_uint_eq(t.q.stats.rx_packets, 2);
	ck_assert_uint_eq(t.q.stats.rx_errors, 2);
	ck_assert_uint_eq(t.q.stats.rx_dropped, 2);
	tb_free(&t);
}
END_TEST

/* Frames never deliverable: GSO, a checksum request past the frame. */
START_TEST(bad_frames)
{
	static uint8_t b[200];
	struct virtio_net_hdr gso = { .gso_type = VIRTIO_NET_HDR_GSO_TCPV4 };
	struct virtio_net_hdr past = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
				       .csum_start = 190, .csum_offset = 16 };
	struct netback_rx_frame f[3] = { fr(b, 200, &gso), fr(b, 200, &past), fr(b, 200, NULL) };
	struct tb t;

	tb_init(&t, feat0);
	post(&t, 1, 7, 100);
	ck_assert_int_eq(netback_rx_deliver(&t.q, f, 3), 3);
	ck_assert_uint_eq(t.q.stats.rx_dropped, 2);
	expect_rsp(&t, 7, 200, 0);
	tb_free(&t);
}
END_TEST

START_TEST(index_jump)
{
	static uint8_t b[100];
	struct netback_rx_frame f = fr(b, sizeof(b), NULL);
	struct tb t;

	tb_init(&t, feat0);
	t.rxs->hdr.req_prod = 257;
	ck_assert_uint_eq(netback_rx_posted(&t.q), 0);
	ck_assert(t.q.broken);
	ck_assert_int_eq(netback_rx_deliver(&t.q, &f, 1), -EIO);
	ck_assert_int_eq(netback_tx_kick(&t.q, 64), -EIO);
	tb_free(&t);
	tb_init(&t, feat0);
	t.rxs->hdr.req_prod = 256; /* a full ring is fine */
	ck_assert_uint_eq(netback_rx_posted(&t.q), 256);
	ck_assert_int_eq(netback_rx_deliver(&t.q, &f, 1), 1);
	ck_assert_uint_eq(t.q.stats.rx_dropped, 1); /* ref 0 is not granted */
	tb_free(&t);
}
END_TEST

/* A ring's worth of frames: one map_batch, one kick out; refilling. */
START_TEST(batching)
{
	static uint8_t b[1514];
	static struct netback_rx_frame f[300];
	struct tb t;
	unsigned done = 0;

	frame_build(b, sizeof(b), FR_UDP4, 7);
	for (unsigned i = 0; i < 300; i++)
		f[i] = fr(b, sizeof(b), NULL);
	tb_init(&t, feat0);
	post(&t, 256, 0, 100);
	ck_assert_int_eq(netback_rx_deliver(&t.q, f, 300), 256);
	ck_assert_int_eq(t.d.map_batches, 1);
	ck_assert_int_eq(t.notified[NETBACK_DIR_RX], 1);
	for (unsigned i = 0; i < 256; i++)
		expect_rsp(&t, (uint16_t)i, 1514, 0);
	/* The frontend did not re-arm rsp_event: no kick for the next batch. */
	post(&t, 44, 256, 356);
	done = (unsigned)netback_rx_deliver(&t.q, f, 44);
	ck_assert_uint_eq(done, 44);
	ck_assert_int_eq(t.notified[NETBACK_DIR_RX], 1);
	ck_assert_uint_eq(t.q.stats.notify_out, 1);
	tb_free(&t);
}
END_TEST

Suite *make_rx_suite(void)
{
	Suite *s = suite_create("rx");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, copy_frames);
	tcase_add_test(tc, csum_flags);
	tcase_add_test(tc, multi_slot);
	tcase_add_test(tc, no_buffers);
	tcase_add_test(tc, hostile_requests);
	tcase_add_test(tc, bad_frames);
	tcase_add_test(tc, index_jump);
	tcase_add_test(tc, batching);
	suite_add_tcase(s, tc);
	return s;
}

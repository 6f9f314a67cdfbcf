/* The ring test bench (tb.h). */
#include <stdlib.h>
#include <string.h>

#include "tb.h"

static int tb_sink(void *ctx, const struct iovec *iov, unsigned niov, size_t len)
{
	struct tb *t = ctx;
	struct tb_pkt *p;
	size_t sum = 0;

	ck_assert_uint_ge(niov, 2);
	ck_assert_uint_eq(iov[0].iov_len, sizeof(struct virtio_net_hdr));
	ck_assert_uint_lt(t->npk, TB_MAX_PKTS);
	p = &t->pk[t->npk++];
	memcpy(&p->h, iov[0].iov_base, sizeof(p->h));
	p->off = t->loglen;
	p->niov = niov;
	for (unsigned i = 1; i < niov; i++) {
		ck_assert_uint_le(t->loglen + iov[i].iov_len, TB_LOG_BYTES);
		memcpy(t->log + t->loglen, iov[i].iov_base, iov[i].iov_len);
		t->loglen += iov[i].iov_len;
		sum += iov[i].iov_len;
	}
	ck_assert_uint_eq(sum, len);
	p->len = len;
	return t->sink_rc;
}

static void tb_notify(void *ctx, enum netback_dir dir)
{
	struct tb *t = ctx;

	t->notified[dir]++;
}

static void queue_up(struct tb *t, bool attach, struct netback_features feat)
{
	struct netback_queue_cfg cfg = {
		.tx_sring = t->txs, .rx_sring = t->rxs, .attach = attach, .feat = feat,
		.gops = &fake_gnt_ops, .gctx = &t->d, .sink = tb_sink, .sink_ctx = t,
		.notify = tb_notify, .notify_ctx = t,
	};

	ck_assert_int_eq(netback_queue_init(&t->q, &cfg), 0);
}

void tb_init(struct tb *t, struct netback_features feat)
{
	memset(t, 0, sizeof(*t));
	fake_dom_init(&t->d);
	t->txs = aligned_alloc(4096, 4096);
	t->rxs = aligned_alloc(4096, 4096);
	t->log = malloc(TB_LOG_BYTES);
	ck_assert(t->txs && t->rxs && t->log);
	memset(t->txs, 0, 4096); /* tests publish slots they never wrote */
	memset(t->rxs, 0, 4096);
	netif_tx_sring_init(t->txs);
	netif_rx_sring_init(t->rxs);
	ck_assert_int_eq(netif_tx_front_init(&t->txf, t->txs, 4096), 0);
	ck_assert_int_eq(netif_rx_front_init(&t->rxf, t->rxs, 4096), 0);
	queue_up(t, false, feat);
}

void tb_reattach(struct tb *t)
{
	struct netback_features feat = t->q.feat;

	netback_queue_dispose(&t->q);
	queue_up(t, true, feat);
}

void tb_free(struct tb *t)
{
	ck_assert_int_eq(t->d.live, 0); /* every pass unmaps what it mapped */
	netback_queue_dispose(&t->q);
	free(t->txs);
	free(t->rxs);
	free(t->log);
	fake_dom_free(&t->d);
}

void tb_tx(struct tb *t, grant_ref_t gref, uint16_t off, uint16_t flags, uint16_t id,
	   uint16_t size)
{
	union netif_tx_any_request r = { .req = { gref, off, flags, id, size } };

	ck_assert_int_eq(netif_tx_front_put_request(&t->txf, &r), 0);
}

void tb_tx_extra(struct tb *t, uint8_t type, uint8_t flags)
{
	union netif_tx_any_request r = { .extra = { .type = type, .flags = flags } };

	ck_assert_int_eq(netif_tx_front_put_request(&t->txf, &r), 0);
}

bool tb_tx_push(struct tb *t)
{
	return netif_tx_front_push_requests_and_check_notify(&t->txf);
}

void tb_tx_packet(struct tb *t, grant_ref_t ref, uint16_t id, const void *data, uint16_t len,
		  uint16_t flags)
{
	memcpy(fake_page(&t->d, ref), data, len);
	tb_tx(t, ref, 0, flags, id, len);
}

struct netif_tx_response tb_tx_rsp(struct tb *t)
{
	struct netif_tx_response r;

	ck_assert_int_eq(netif_tx_front_get_response(&t->txf, &r), 1);
	return r;
}

int tb_tx_pending(struct tb *t)
{
	return netif_tx_front_has_unconsumed_responses(&t->txf);
}

void tb_rx_post(struct tb *t, uint16_t id, grant_ref_t gref)
{
	struct netif_rx_request r = { .id = id, .gref = gref };

	ck_assert_int_eq(netif_rx_front_put_request(&t->rxf, &r), 0);
}

bool tb_rx_push(struct tb *t)
{
	return netif_rx_front_push_requests_and_check_notify(&t->rxf);
}

struct netif_rx_response tb_rx_rsp(struct tb *t)
{
	struct netif_rx_response r;

	ck_assert_int_eq(netif_rx_front_get_response(&t->rxf, &r), 1);
	return r;
}

int tb_rx_pending(struct tb *t)
{
	return netif_rx_front_has_unconsumed_responses(&t->rxf);
}

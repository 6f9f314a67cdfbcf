/*
 * The ring test bench of the tx and rx suites: a frontend built from
 * netif.h in this process (two one-page rings in memory), the real queue
 * code, the fake grant mapper, a sink that logs every packet and a
 * notify callback that counts kicks.
 */
#ifndef PVX_TEST_NET_TB_H
#define PVX_TEST_NET_TB_H

#include "harness.h"

#define TB_MAX_PKTS 512
#define TB_LOG_BYTES (TB_MAX_PKTS * 1600)

struct tb_pkt {
	size_t off, len;         /* in log */
	unsigned niov;
	struct virtio_net_hdr h;
};

struct tb {
	struct fake_dom d;
	struct netif_tx_sring *txs;
	struct netif_rx_sring *rxs;
	struct netif_tx_front_ring txf;
	struct netif_rx_front_ring rxf;
	struct netback_queue q;
	int notified[2];
	int sink_rc;
	unsigned npk;
	struct tb_pkt pk[TB_MAX_PKTS];
	uint8_t *log;
	size_t loglen;
};

void tb_init(struct tb *t, struct netback_features feat);
/* A new queue on the same rings, attached (a restarted daemon). */
void tb_reattach(struct tb *t);
void tb_free(struct tb *t);
/* Frontend: one tx slot / extra; then push (returns "notify backend"). */
void tb_tx(struct tb *t, grant_ref_t gref, uint16_t off, uint16_t flags, uint16_t id,
	   uint16_t size);
void tb_tx_extra(struct tb *t, uint8_t type, uint8_t flags);
bool tb_tx_push(struct tb *t);
/* Writes a whole packet of len bytes at page ref (offset 0) and queues it. */
void tb_tx_packet(struct tb *t, grant_ref_t ref, uint16_t id, const void *data, uint16_t len,
		  uint16_t flags);
/* Next tx response (must exist). */
struct netif_tx_response tb_tx_rsp(struct tb *t);
int tb_tx_pending(struct tb *t);
/* Frontend rx: post a buffer; next response. */
void tb_rx_post(struct tb *t, uint16_t id, grant_ref_t gref);
bool tb_rx_push(struct tb *t);
struct netif_rx_response tb_rx_rsp(struct tb *t);
int tb_rx_pending(struct tb *t);

#endif

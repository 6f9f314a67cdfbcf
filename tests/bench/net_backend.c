/*
 * net-backend-bench [MS] [SIZE]: libpvxnetback's own cost per packet,
 * without a guest, a TAP or pvxd. One thread plays netfront and
 * pvx-netback on real netif rings: tx keeps the ring full of SIZE-byte
 * one-slot packets and runs netback_tx_kick (validation, one map_batch
 * and one unmap_batch per 64 packets through an identity mapper, the
 * virtio-net header, a sink that only counts); rx posts 256 buffers and
 * hands netback_rx_deliver 64 frames at a time (copy included). Prints
 * packets/s, ns per packet and kicks to the frontend per packet.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../pv-drivers/net/back/netback.h"

#define PAGES 512

static uint8_t *mem;
static uint64_t sunk, kicks;

static void id_map(void *ctx, const grant_ref_t *refs, unsigned n, bool writable,
		   void **pages, uint32_t *handles, int *err)
{
	(void)ctx, (void)writable;
	for (unsigned i = 0; i < n; i++) {
		err[i] = refs[i] < PAGES ? 0 : -EPERM;
		pages[i] = mem + (size_t)refs[i] % PAGES * 4096;
		handles[i] = refs[i];
	}
}

static void id_unmap(void *ctx, const uint32_t *handles, unsigned n)
{
	(void)ctx, (void)handles, (void)n;
}

static const struct netback_gnt_ops ops = { id_map, id_unmap };

static int sink(void *ctx, const struct iovec *iov, unsigned niov, size_t len)
{
	(void)ctx, (void)iov, (void)niov;
	sunk += len;
	return 0;
}

static void notify(void *ctx, enum netback_dir dir)
{
	(void)ctx, (void)dir;
	kicks++;
}

static void report(const char *what, uint64_t pkts, uint64_t ns, uint64_t nkicks)
{
	printf("%-3s packets=%llu pps=%.0f ns_per_packet=%.1f kicks_per_packet=%.4f\n", what,
	       (unsigned long long)pkts, pkts * 1e9 / (double)ns, (double)ns / (double)pkts,
	       (double)nkicks / (double)pkts);
}

static void bench_tx(struct netback_queue *q, struct netif_tx_front_ring *fr,
		     uint64_t ms, uint16_t size)
{
	uint64_t t0 = netback_now_ns(), end = t0 + ms * 1000000ull, pkts = 0, k0 = kicks;
	uint16_t id = 0;

	while (netback_now_ns() < end) {
		struct netif_tx_response rsp;

		while (netif_tx_front_free_slots(fr) > 0) {
			union netif_tx_any_request r = { .req = {
				.gref = id % PAGES, .offset = 0, .flags = 0, .id = id,
				.size = size } };

			netif_tx_front_put_request(fr, &r);
			id++;
		}
		netif_tx_front_push_requests_and_check_notify(fr);
		netback_tx_kick(q, 256);
		while (netif_tx_front_get_response(fr, &rsp) == 1)
			pkts += rsp.status == NETIF_RSP_OKAY;
		/* The frontend asks for a kick only when it has run dry (Linux
		 * sets rsp_event half-way through what is outstanding). */
		fr->sring->hdr.rsp_event = fr->r.rsp_cons + 128;
	}
	report("tx", pkts, netback_now_ns() - t0, kicks - k0);
}

static void bench_rx(struct netback_queue *q, struct netif_rx_front_ring *fr,
		     uint64_t ms, uint16_t size)
{
	static uint8_t frame[1514];
	struct netback_rx_frame f[64];
	uint64_t t0 = netback_now_ns(), end = t0 + ms * 1000000ull, pkts = 0, k0 = kicks;
	uint16_t id = 0;

	memset(frame, 0x5a, sizeof(frame));
	for (unsigned i = 0; i < 64; i++)
		f[i] = (struct netback_rx_frame){ NULL, frame, size };
	while (netback_now_ns() < end) {
		struct netif_rx_response rsp;

		while (netif_rx_front_free_slots(fr) > 0) {
			struct netif_rx_request r = { .id = id, .gref = id % PAGES };

			netif_rx_front_put_request(fr, &r);
			id++;
		}
		netif_rx_front_push_requests_and_check_notify(fr);
		while (netback_rx_posted(q) >= 64)
			netback_rx_deliver(q, f, 64);
		while (netif_rx_front_get_response(fr, &rsp) == 1)
			pkts += rsp.status > 0;
		fr->sring->hdr.rsp_event = fr->r.rsp_cons + 128;
	}
	report("rx", pkts, netback_now_ns() - t0, kicks - k0);
}

int main(int argc, char **argv)
{
	uint64_t ms = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000;
	unsigned long size = argc > 2 ? strtoul(argv[2], NULL, 0) : 1472 + 42;
	void *txs = aligned_alloc(4096, 4096), *rxs = aligned_alloc(4096, 4096);
	struct netif_tx_front_ring tf;
	struct netif_rx_front_ring rf;
	struct netback_queue q;
	struct netback_queue_cfg cfg = {
		.tx_sring = txs, .rx_sring = rxs, .gops = &ops, .sink = sink,
		.notify = notify,
	};

	mem = aligned_alloc(4096, (size_t)PAGES * 4096);
	if (!mem || !txs || !rxs || size < PVX_NET_ETH_HLEN || size > PVX_NET_MAX_PACKET) {
		fprintf(stderr, "usage: net-backend-bench [MS] [SIZE 14..%d]\n",
			PVX_NET_MAX_PACKET);
		return 2;
	}
	memset(mem, 0x11, (size_t)PAGES * 4096);
	netif_tx_sring_init(txs);
	netif_rx_sring_init(rxs);
	netif_tx_front_init(&tf, txs, 4096);
	netif_rx_front_init(&rf, rxs, 4096);
	if (netback_queue_init(&q, &cfg) < 0)
		return 1;
	printf("frame=%lu bytes, %llu ms each\n", size, (unsigned long long)ms);
	bench_tx(&q, &tf, ms, (uint16_t)size);
	bench_rx(&q, &rf, ms, (uint16_t)size);
	netback_queue_dispose(&q);
	free(mem);
	free(txs);
	free(rxs);
	return 0;
}

/*
 * Fuzz target for pvx-netback's engine (libpvxnetback): the input drives
 * a hostile frontend that writes arbitrary tx slots, rx requests and ring
 * indices (including req_prod jumps and event indices) between calls to
 * netback_tx_kick and netback_rx_deliver; it also goes straight through
 * netback_tx_chain_len / netback_tx_validate. A fake grant table of
 * FZ_PAGES pages backs the grants (some read-only). The sink reads every
 * byte it is given (ASan sees an out-of-bounds iovec) and checks what the
 * contract promises: a frame of 14..PVX_NET_MAX_PACKET bytes, a checksum
 * field inside it; after every call no grant stays mapped.
 *
 * Built as a libFuzzer binary by pv-drivers/net/net.mk ($(O)/fuzz/fuzz_netif),
 * or with tests/fuzz/standalone.c as main() ($(O)/tests/fuzz-netif).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../pv-drivers/net/back/netback.h"

#define FZ_PAGES 32

struct fz {
	const uint8_t *p;
	size_t n;
	uint8_t *mem;
	uint32_t ro;            /* page i read-only if bit i */
	long live;
	uint64_t sunk;
};

static unsigned take8(struct fz *z)
{
	if (!z->n)
		return 0;
	z->n--;
	return *z->p++;
}

static void take(struct fz *z, void *out, size_t len)
{
	size_t k = len < z->n ? len : z->n;

	memset(out, 0, len);
	memcpy(out, z->p, k);
	z->p += k;
	z->n -= k;
}

static void fz_map(void *ctx, const grant_ref_t *refs, unsigned n, bool writable,
		   void **pages, uint32_t *handles, int *err)
{
	struct fz *z = ctx;

	if (n == 0 || n > PVX_NET_RING_ENTRIES)
		abort();
	for (unsigned i = 0; i < n; i++) {
		err[i] = refs[i] >= FZ_PAGES ? -1 : writable && (z->ro >> refs[i] & 1) ? -13 : 0;
		if (err[i])
			continue;
		pages[i] = z->mem + (size_t)refs[i] * NETBACK_PAGE_SIZE;
		handles[i] = refs[i] + 1000;
		z->live++;
	}
}

static void fz_unmap(void *ctx, const uint32_t *handles, unsigned n)
{
	struct fz *z = ctx;

	for (unsigned i = 0; i < n; i++) {
		if (handles[i] < 1000 || handles[i] >= 1000 + FZ_PAGES)
			abort();
		z->live--;
	}
}

static const struct netback_gnt_ops fz_ops = { fz_map, fz_unmap };

static int fz_sink(void *ctx, const struct iovec *iov, unsigned niov, size_t len)
{
	struct fz *z = ctx;
	const struct virtio_net_hdr *h = iov[0].iov_base;
	size_t sum = 0;

	if (niov < 2 || niov > PVX_NET_MAX_TX_SLOTS + 1)
		abort();
	for (unsigned i = 1; i < niov; i++) {
		const volatile uint8_t *b = iov[i].iov_base;

		for (size_t k = 0; k < iov[i].iov_len; k++)
			z->sunk += b[k];
		sum += iov[i].iov_len;
	}
	if (sum != len || len < PVX_NET_ETH_HLEN || len > PVX_NET_MAX_PACKET)
		abort();
	if ((h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
	    (size_t)h->csum_start + h->csum_offset + 2 > len)
		abort();
	return (z->sunk & 7) == 0 ? -11 : 0;
}

static void fz_notify(void *ctx, enum netback_dir dir)
{
	(void)ctx;
	(void)dir;
}

/* Validation on its own, over slots taken from the input. */
static void fuzz_validate(struct fz *z)
{
	union netif_tx_any_request s[NETBACK_TX_MAX_CHAIN + 4];
	struct netback_tx_pkt pkt;
	unsigned n = take8(z) % (NETBACK_TX_MAX_CHAIN + 4);
	int len;

	take(z, s, n * sizeof(s[0]));
	len = netback_tx_chain_len(s, n);
	if (len > (int)n)
		abort();
	netback_tx_validate(s, len > 0 ? (unsigned)len : n, &pkt);
	if (pkt.rule == NETBACK_TX_OK && (pkt.len < PVX_NET_ETH_HLEN ||
					  pkt.len > PVX_NET_MAX_PACKET))
		abort();
}

static uint8_t frame_buf[NETBACK_RX_MAX_FRAME + 1];

static void fuzz_rx(struct fz *z, struct netback_queue *q)
{
	struct virtio_net_hdr h[8];
	struct netback_rx_frame f[8];
	unsigned n = take8(z) % 9;

	for (unsigned i = 0; i < n; i++) {
		unsigned sel = take8(z);

		take(z, &h[i], sizeof(h[i]));
		f[i].vhdr = sel & 1 ? &h[i] : NULL;
		f[i].len = (take8(z) << 8 | take8(z)) * (sel & 2 ? 2u : 1u);
		f[i].data = frame_buf;
	}
	netback_rx_deliver(q, f, n);
}

/* One op of the hostile frontend, or a call into the backend. */
static void step(struct fz *z, struct netback_queue *q, struct netif_tx_sring *txs,
		 struct netif_rx_sring *rxs, RING_IDX *txp, RING_IDX *rxp)
{
	unsigned n;
	uint32_t v;

	switch (take8(z) % 8) {
	case 0: /* tx slots, published */
		n = take8(z) % 40;
		for (unsigned i = 0; i < n; i++)
			take(z, &txs->ring[(*txp)++ & 255].req, sizeof(union netif_tx_any_request));
		txs->hdr.req_prod = *txp;
		break;
	case 1:
		netback_tx_kick(q, take8(z));
		break;
	case 2: /* an index jump, either ring */
		take(z, &v, sizeof(v));
		if (v & 1)
			txs->hdr.req_prod = *txp = v;
		else
			rxs->hdr.req_prod = *rxp = v;
		break;
	case 3: /* rx requests, published */
		n = take8(z) % 40;
		for (unsigned i = 0; i < n; i++)
			take(z, &rxs->ring[(*rxp)++ & 255].req, sizeof(struct netif_rx_request));
		rxs->hdr.req_prod = *rxp;
		break;
	case 4:
		fuzz_rx(z, q);
		break;
	case 5: /* event indices */
		take(z, &txs->hdr.rsp_event, 4);
		take(z, &rxs->hdr.rsp_event, 4);
		break;
	case 6:
		netback_rx_arm(q);
		netback_rx_posted(q);
		break;
	default:
		fuzz_validate(z);
		break;
	}
	if (z->live != 0)
		abort(); /* every call gives back what it mapped */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t mem[FZ_PAGES * NETBACK_PAGE_SIZE] __attribute__((aligned(4096)));
	static uint8_t txpage[4096] __attribute__((aligned(4096)));
	static uint8_t rxpage[4096] __attribute__((aligned(4096)));
	struct netif_tx_sring *txs = (void *)txpage;
	struct netif_rx_sring *rxs = (void *)rxpage;
	struct fz z = { .p = data, .n = size, .mem = mem };
	struct netback_queue q;
	struct netback_queue_cfg cfg = {
		.tx_sring = txs, .rx_sring = rxs, .gops = &fz_ops, .gctx = &z,
		.sink = fz_sink, .sink_ctx = &z, .notify = fz_notify,
	};
	RING_IDX txp = 0, rxp = 0;
	unsigned feat = take8(&z);

	take(&z, &z.ro, sizeof(z.ro));
	memset(txpage, 0, sizeof(txpage));
	memset(rxpage, 0, sizeof(rxpage));
	netif_tx_sring_init(txs);
	netif_rx_sring_init(rxs);
	cfg.feat.sg = feat & 1;
	cfg.feat.no_csum_offload = feat & 2;
	if (netback_queue_init(&q, &cfg) < 0)
		abort();
	q.poll_ns = feat & 4 ? 1000000000ull : 0; /* unarmed polling windows too */
	for (unsigned i = 0; i < 4096 && z.n > 0; i++)
		step(&z, &q, txs, rxs, &txp, &rxp);
	netback_tx_kick(&q, 1000);
	if (z.live != 0)
		abort();
	netback_queue_dispose(&q);
	return 0;
}

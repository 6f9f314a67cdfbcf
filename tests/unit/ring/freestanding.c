/*
 * Compile-only check that pvx/ring.h serves freestanding guests (minios):
 * built with GUEST_CFLAGS (no libc, no SSE, kernel code model) as a
 * prerequisite of unit-ring. Each function touches one part of the API so
 * none of it is only ever compiled for the host.
 */
#include <pvx/ring.h>
#include <xen/public/io/blkif.h>
#include <xen/public/io/netif.h>

PVX_RING_DEFINE(blkif, struct blkif_request, struct blkif_response)
PVX_RING_DEFINE(netif_tx, struct netif_tx_request, struct netif_tx_response)
PVX_RING_DEFINE(netif_rx, struct netif_rx_request, struct netif_rx_response)

int ring_fs_front(struct blkif_front_ring *fr, struct blkif_sring *s);
int ring_fs_back(struct netif_tx_back_ring *br);

int ring_fs_front(struct blkif_front_ring *fr, struct blkif_sring *s)
{
	struct blkif_request *req;
	struct blkif_response rsp;
	int r;

	blkif_sring_init(s);
	r = blkif_front_init(fr, s, 4096);
	if (r)
		return r;
	req = blkif_front_req_slot(fr);
	if (req)
		req->operation = BLKIF_OP_READ;
	if (blkif_front_push_requests_and_check_notify(fr))
		r = 1;
	while (blkif_front_get_response(fr, &rsp) == 1)
		r += rsp.status;
	return r + blkif_front_final_check_for_responses(fr);
}

int ring_fs_back(struct netif_tx_back_ring *br)
{
	struct netif_tx_request req;
	struct netif_tx_response rsp = { 0, NETIF_RSP_OKAY };
	int r;

	while ((r = netif_tx_back_get_request(br, &req)) == 1) {
		rsp.id = req.id;
		netif_tx_back_put_response(br, &rsp);
	}
	if (netif_tx_back_push_responses_and_check_notify(br))
		r++;
	return r + netif_tx_back_final_check_for_requests(br);
}

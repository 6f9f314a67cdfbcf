/* Between queue.c, tx.c and rx.c: a queue's batch scratch. Not API. */
#ifndef PVX_NETBACK_INT_H
#define PVX_NETBACK_INT_H

#include "netback.h"

#define NB_RING PVX_NET_RING_ENTRIES

/* A tx packet between consumption and its responses. */
struct netback_tx_entry {
	struct netback_tx_pkt pkt;
	struct virtio_net_hdr vhdr;
	uint16_t first_map;     /* index of frag[0] among the batch's maps */
};

struct netback_scratch {
	union netif_tx_any_request slots[NB_RING];  /* tx: private copies */
	struct netback_tx_entry txb[NETBACK_TX_BATCH];
	grant_ref_t refs[NB_RING];                  /* one map_batch */
	void *pages[NB_RING];
	uint32_t handles[NB_RING];
	int errs[NB_RING];
	uint16_t rx_ids[NB_RING];                   /* rx: request ids */
	uint16_t rx_first[NB_RING];                 /* rx: a frame's first slot */
	uint16_t rx_nslots[NB_RING];                /* ... and how many (0: drop) */
	struct iovec iov[PVX_NET_MAX_TX_SLOTS + 1];
};

/* Gives back the handles whose err is 0, in one unmap_batch. */
void netback_unmap_ok(struct netback_queue *q, unsigned n);

#endif

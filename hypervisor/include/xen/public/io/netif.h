/*
 * The PV network protocol (xen-netfront / pvx's net backend).
 *
 * Xenstore keys, D = frontend domid, N = interface index:
 *   toolstack writes  the backend dir /local/domain/0/backend/vif/D/N with
 *                     {frontend, frontend-id, state=1, feature-rx-copy=1}
 *                     BEFORE device/vif/N/{backend, backend-id, state=1,
 *                     mac, handle} (netfront waits for the backend)
 *   backend writes    state=2 (InitWait)
 *   frontend writes   tx-ring-ref, rx-ring-ref, event-channel,
 *                     request-rx-copy=1, feature-* and goes straight to
 *                     state=4 (Connected)
 *   backend maps both rings, binds the port, state=4.
 *
 * Two rings (io/ring.h layout), 256 entries each on a 4 KiB page:
 *   tx: netif_tx_request -> netif_tx_response. A packet is one or more
 *       slots chained with NETTXF_more_data; the first slot's size is the
 *       whole packet length. NETTXF_extra_info means a netif_extra_info
 *       occupies the next request slot.
 *   rx: the frontend posts empty granted pages (netif_rx_request); the
 *       backend copies a packet in and answers netif_rx_response whose
 *       status is the length or a negative NETIF_RSP_*.
 */
#ifndef XEN_PUBLIC_IO_NETIF_H
#define XEN_PUBLIC_IO_NETIF_H

#include <stdint.h>
#include "../xen.h"
#include "ring.h"

/* tx request flags. */
#define _NETTXF_csum_blank     0
#define NETTXF_csum_blank      (1u << _NETTXF_csum_blank)     /* backend fills the L4 checksum */
#define _NETTXF_data_validated 1
#define NETTXF_data_validated  (1u << _NETTXF_data_validated) /* checksum already checked */
#define _NETTXF_more_data      2
#define NETTXF_more_data       (1u << _NETTXF_more_data)      /* another slot follows */
#define _NETTXF_extra_info     3
#define NETTXF_extra_info      (1u << _NETTXF_extra_info)     /* an extra_info slot follows */

/* 12 bytes. */
struct netif_tx_request {
	grant_ref_t gref;
	uint16_t offset;   /* within the granted page */
	uint16_t flags;    /* NETTXF_* */
	uint16_t id;       /* echoed in the response */
	uint16_t size;     /* first slot: packet length; others: slot length */
};

/* 4 bytes. */
struct netif_tx_response {
	uint16_t id;
	int16_t status;    /* NETIF_RSP_* */
};

/* 8 bytes. */
struct netif_rx_request {
	uint16_t id;
	uint16_t pad;
	grant_ref_t gref;
};

/* rx response flags. */
#define _NETRXF_data_validated 0
#define NETRXF_data_validated  (1u << _NETRXF_data_validated)
#define _NETRXF_csum_blank     1
#define NETRXF_csum_blank      (1u << _NETRXF_csum_blank)
#define _NETRXF_more_data      2
#define NETRXF_more_data       (1u << _NETRXF_more_data)
#define _NETRXF_extra_info     3
#define NETRXF_extra_info      (1u << _NETRXF_extra_info)
#define _NETRXF_gso_prefix     4
#define NETRXF_gso_prefix      (1u << _NETRXF_gso_prefix)

/* 8 bytes. */
struct netif_rx_response {
	uint16_t id;
	uint16_t offset;   /* of the data in the page */
	uint16_t flags;    /* NETRXF_* */
	int16_t status;    /* >= 0: bytes; < 0: NETIF_RSP_* */
};

#define NETIF_RSP_DROPPED (-2)
#define NETIF_RSP_ERROR   (-1)
#define NETIF_RSP_OKAY      0
#define NETIF_RSP_NULL      1 /* slot consumed by an extra_info */

/* Extra info slots (type and flags). */
#define XEN_NETIF_EXTRA_TYPE_NONE     0
#define XEN_NETIF_EXTRA_TYPE_GSO      1
#define XEN_NETIF_EXTRA_TYPE_MCAST_ADD 2
#define XEN_NETIF_EXTRA_TYPE_MCAST_DEL 3
#define XEN_NETIF_EXTRA_TYPE_HASH     4
#define XEN_NETIF_EXTRA_TYPE_MAX      5
#define _XEN_NETIF_EXTRA_FLAG_MORE    0
#define XEN_NETIF_EXTRA_FLAG_MORE     (1u << _XEN_NETIF_EXTRA_FLAG_MORE)

#define XEN_NETIF_GSO_TYPE_NONE  0
#define XEN_NETIF_GSO_TYPE_TCPV4 1
#define XEN_NETIF_GSO_TYPE_TCPV6 2

/* 8 bytes. */
struct netif_extra_info {
	uint8_t type;    /* XEN_NETIF_EXTRA_TYPE_* */
	uint8_t flags;   /* XEN_NETIF_EXTRA_FLAG_* */
	union {
		struct {
			uint16_t size;      /* MSS */
			uint8_t type;       /* XEN_NETIF_GSO_TYPE_* */
			uint8_t pad;
			uint16_t features;
		} gso;
		struct {
			uint8_t addr[6];
		} mcast;
		struct {
			uint8_t type;
			uint8_t algorithm;
			uint8_t value[4];
		} hash;
		uint16_t pad[3];
	} u;
};

#define XEN_NETIF_MAX_TX_SIZE   0xFFFF
#define XEN_NETIF_NR_SLOTS_MIN  18

#endif /* XEN_PUBLIC_IO_NETIF_H */

/*
 * pvx's network protocol contract: what netfront (minios, or Linux's own
 * xen-netfront) and pvx-netback agree on. The wire structs are Xen's, from
 * <xen/public/io/netif.h>; this header adds the xenstore contract, the
 * ring types and the limits pvx-netback enforces. Freestanding: guests and
 * host code both include it.
 *
 * Xenstore keys (D = frontend domid, N = vif index 0..PVX_NET_MAX_VIFS-1,
 * F = /local/domain/D/device/vif/N, B = /local/domain/0/backend/vif/D/N).
 * The backend directory comes first: Linux's netfront waits for B/state
 * before it probes, and hangs the boot if F appears first.
 *
 *   toolstack  B/{frontend=F, frontend-id=D, online=1, state=1, handle=N,
 *              mac, vifname (the TAP: "vifD.N" unless the config names one),
 *              script=vif-bridge|vif-route, bridge (vif-bridge), ip (the
 *              guest's addresses as given: "A.B.C.D[/P] ..."), gateway
 *              (vif-route: Dom0's address on the TAP), type=vif}
 *              then F/{backend=B, backend-id=0, state=1, handle=N, mac}
 *              (guest may write F; guest may read B)
 *   backend    creates the TAP B/vifname, attaches it (below), writes
 *              B/{feature-rx-copy=1, feature-rx-flip=0, feature-sg=1,
 *              feature-gso-tcpv4=0, feature-gso-tcpv6=0,
 *              feature-split-event-channels=1,
 *              feature-ipv6-csum-offload=0,
 *              multi-queue-max-queues=PVX_NET_MAX_QUEUES}, then
 *              B/state=2 (InitWait)
 *   frontend   one transaction: F/{tx-ring-ref, rx-ring-ref, and
 *              event-channel or event-channel-tx + event-channel-rx}
 *              (single queue) or F/multi-queue-num-queues=Q with the same
 *              keys under F/queue-0 .. F/queue-(Q-1); plus
 *              F/{request-rx-copy=1 (required: no copy, no connect),
 *              feature-rx-notify=1, feature-sg, feature-gso-tcpv4,
 *              feature-gso-tcpv6, feature-no-csum-offload,
 *              feature-ipv6-csum-offload}; then F/state=4 (Connected;
 *              Linux skips 3, minios may write 3 first)
 *   backend    on F/state 3 or 4: maps every ring, binds every port,
 *              B/state=4 (Connected)
 *
 * State diagram (either side may start the teardown):
 *
 *   BE: 1 --TAP up, features--> 2 --FE=3|4, rings mapped--> 4
 *       any --FE=5/6 or F gone--> 5 (rings unmapped, ports closed) --> 6
 *       6 --FE back to 1 (reconnect)--> 2;  B removed --> TAP deleted
 *   FE: 1 --BE=2, rings granted--> 4 --> 5 --BE=6--> 6
 *   A frontend that never posts rx buffers is not a stall: frames for it
 *   are dropped (counter rx_dropped) after PVX_NET_RX_STALL_MS, and other
 *   vifs never wait for it.
 *
 * Attachment: script=vif-bridge (the default) adds the TAP to B/bridge,
 * creating that bridge (up, no address) if it does not exist; a bridge
 * the user made is used as it is. script=vif-route gives the TAP the
 * address B/gateway/32 and a host route to each address of B/ip.
 *
 * tx (guest -> Dom0): a packet is 1..PVX_NET_MAX_TX_SLOTS request slots
 * chained with NETTXF_more_data; the first slot's size is the whole packet
 * length (>= ETH_HLEN, <= PVX_NET_MAX_PACKET = 1518), each later slot's size its
 * own length; the sizes of the later slots add up to at most the first
 * size minus the first slot's own part; no slot crosses its page
 * (offset + size <= 4096). NETTXF_extra_info: a netif_extra_info occupies
 * the next slot (type GSO refused while feature-gso-* = 0). Every request
 * slot gets a response with its id: NETIF_RSP_OKAY, NETIF_RSP_ERROR
 * (malformed, a grant not ours) or NETIF_RSP_NULL (an extra_info slot).
 * NETTXF_csum_blank: the backend completes the L4 checksum (it hands the
 * TAP a virtio-net header asking the host kernel to do so).
 *
 * rx (Dom0 -> guest), rx-copy only: the frontend posts
 * netif_rx_request{id, gref} for pages it grants read-write to Dom0;
 * the backend copies a frame into them (at offset 0, one page per slot,
 * NETRXF_more_data chaining when feature-sg is on and the frame does not
 * fit) and answers netif_rx_response{id, offset, flags, status = bytes or
 * NETIF_RSP_ERROR}. NETRXF_csum_blank|NETRXF_data_validated on a frame
 * whose L4 checksum the host left to be filled in (unless the frontend
 * wrote feature-no-csum-offload=1, in which case the backend fills it).
 *
 * Events: one port per queue (or a tx and an rx port with split event
 * channels). Both sides use the rings' event indices (req_event,
 * rsp_event) so that a busy ring is not kicked per packet.
 *
 * x86_64 layout: tx request 12 bytes, tx response 4, rx request 8, rx
 * response 8, extra info 8; a 4 KiB ring holds 256 entries.
 */
#ifndef PVX_NETIF_H
#define PVX_NETIF_H

#include <stdint.h>
#include <xen/public/io/netif.h>
#include <pvx/ring.h>

_Static_assert(sizeof(struct netif_tx_request) == 12, "netif tx request is 12 bytes");
_Static_assert(sizeof(struct netif_tx_response) == 4, "netif tx response is 4 bytes");
_Static_assert(sizeof(struct netif_rx_request) == 8, "netif rx request is 8 bytes");
_Static_assert(sizeof(struct netif_rx_response) == 8, "netif rx response is 8 bytes");
_Static_assert(sizeof(struct netif_extra_info) == 8, "netif extra info is 8 bytes");

/* A tx slot holds a request or, after NETTXF_extra_info, an extra info. */
union netif_tx_any_request {
	struct netif_tx_request req;
	struct netif_extra_info extra;
};
_Static_assert(sizeof(union netif_tx_any_request) == 12, "tx slot is 12 bytes");

PVX_RING_DEFINE(netif_tx, union netif_tx_any_request, struct netif_tx_response)
PVX_RING_DEFINE(netif_rx, struct netif_rx_request, struct netif_rx_response)

/* xenstore directories. */
#define PVX_NET_BE_ROOT           "/local/domain/0/backend/vif"
#define PVX_NET_FE_DIR            "device/vif"      /* under /local/domain/D */

/* What pvx-netback offers and enforces. */
#define PVX_NET_MAX_VIFS          8    /* per domain */
#define PVX_NET_MAX_QUEUES        4    /* multi-queue-max-queues */
#define PVX_NET_RING_ENTRIES      256  /* one-page rings */
#define PVX_NET_MAX_TX_SLOTS      XEN_NETIF_NR_SLOTS_MIN  /* 18 per packet */
#define PVX_NET_ETH_HLEN          14
#define PVX_NET_MTU               1500
#define PVX_NET_VLAN_HLEN         4    /* an 802.1Q tag */
/* Largest frame either way: an Ethernet header, one 802.1Q tag and the
 * MTU (no GSO), 1518: a tagged full-MTU frame is what a VLAN on a 1500
 * MTU link carries, and Xen's netback takes it too. */
#define PVX_NET_MAX_PACKET        (PVX_NET_ETH_HLEN + PVX_NET_VLAN_HLEN + PVX_NET_MTU)
#define PVX_NET_RX_STALL_MS       1000

/* The TAP name the toolstack writes when the config names none. */
#define PVX_NET_VIFNAME_FMT       "vif%d.%u"  /* domid, N */
#define PVX_NET_DEFAULT_BRIDGE    "pvxbr0"

/*
 * pvx-netback's statistics, one line per vif, on its control socket
 * <rundir>/netback.sock (SOCK_STREAM): the client writes "stats\n", the
 * daemon answers one line per vif, then an empty line, then closes:
 *   domid=D devid=N tap=NAME bridge=NAME|- state=S queues=Q
 *   tx_packets=.. tx_bytes=.. tx_errors=.. rx_packets=.. rx_bytes=..
 *   rx_dropped=.. notify_in=.. notify_out=..
 * (one line, space-separated key=value; tx = guest to Dom0, rx = Dom0 to
 * guest, notify_in = kicks received from the guest, notify_out = kicks
 * sent). Unknown keys must be ignored by readers: more may come.
 */
#define PVX_NET_CTL_SOCK          "netback.sock"

#endif /* PVX_NETIF_H */

/*
 * minios netfront: the guest side of the network protocol (netif.h).
 *
 * netfront_list finds device/vif/<N>; netfront_open runs the frontend's
 * half of the handshake: read F/mac, F/backend and the backend's address
 * keys (B/ip, B/gateway), wait for the backend's InitWait, require
 * feature-rx-copy, grant a one-page tx and rx ring, allocate one event
 * channel for both (single queue, no split channels), post every rx
 * buffer, publish the keys and Connected in one transaction, wait for the
 * backend's Connected.
 *
 * Buffers are static pages granted once (tx read-only, two 2 KiB frame
 * buffers per page; rx read-write, one page per slot) and kept granted
 * while connected: every request reuses the same refs. The rx request
 * at ring index i always carries id i % 256 and buffer i % 256, as
 * Linux's netfront does, so a response's buffer is known from its ring
 * position alone and a backend lying about ids cannot make us lose or
 * double-post a buffer. tx ids name a frame buffer; a response naming no
 * frame in flight is counted and dropped.
 *
 * One device at a time (the buffers are static): a second open while one
 * is connected is -XEN_EBUSY.
 *
 * Notifications: pushes notify only when the backend's req_event lies in
 * the batch (it sleeps); netfront_wait arms rsp_event on the rx ring (and
 * on the tx ring only when tx buffers run out, at half of what is
 * outstanding), so a busy ring is never kicked per packet in either
 * direction.
 */
#ifndef PVX_NET_FRONT_NETFRONT_H
#define PVX_NET_FRONT_NETFRONT_H

#include <stdint.h>

#include <minios/ringfront.h>
#include <netif.h>

#define NETFRONT_RING_SIZE  PVX_NET_RING_ENTRIES  /* 256 */
#define NETFRONT_TX_BUFS    NETFRONT_RING_SIZE
#define NETFRONT_TX_BUF     2048                  /* a frame buffer: half a page */
#define NETFRONT_RX_BUFS    NETFRONT_RING_SIZE
#define NETFRONT_RX_BATCH   64                    /* rx buffers re-posted at once */

/* Called for each frame received: data is valid only during the call
 * (its page is re-posted afterwards). flags: NETRXF_*. */
typedef void (*netfront_rx_fn)(void *arg, const uint8_t *frame, unsigned len,
			       unsigned flags);

struct netfront_opts {
	int no_rx;           /* never post rx buffers (net-hostile norx) */
};

struct netfront_stats {
	uint64_t tx_packets, tx_bytes, tx_errors, tx_bogus, tx_full;
	uint64_t rx_packets, rx_bytes, rx_errors, rx_bogus, rx_dropped;
	uint64_t notifies;   /* evtchn_send calls, tx and rx pushes together */
	uint64_t wakeups;    /* returns of netfront_wait after an event */
};

struct netfront_dev {
	uint32_t devid;
	domid_t backend_id;
	char fe[48], be[96];
	uint8_t mac[6];
	char be_ip[48];      /* first address of B/ip, "" if none */
	char be_gw[24];      /* B/gateway, "" if none */
	struct ringfront tx, rx;
	evtchn_port_t port;  /* = tx.port; rx.port is closed and 0 */
	int connected, broken, no_rx;
	netfront_rx_fn rx_fn;
	void *rx_arg;
	uint16_t tx_free[NETFRONT_TX_BUFS];
	unsigned tx_nfree, tx_queued;
	uint8_t tx_inflight[NETFRONT_TX_BUFS];
	unsigned rx_skip;    /* slots still to drop: rest of a chain, extra info */
	uint64_t alive_check_ns;
	struct netfront_stats st;
};

/* Vif indices under device/vif, at most max; the count or < 0. */
int netfront_list(uint32_t *ids, unsigned max);
/* 0 or a negative Xen errno; o may be NULL. */
int netfront_open(struct netfront_dev *d, uint32_t devid, const struct netfront_opts *o);
/* Closing, wait (2 s at most) for the backend's Closed, end grants, Closed. */
void netfront_close(struct netfront_dev *d);
/* The backend's state (XenbusState), or < 0. */
int netfront_backend_state(const struct netfront_dev *d);
/* Once a second at most: is the backend still Connected? 1 yes, 0 no
 * (then d->connected is cleared), unchanged between checks. */
int netfront_alive(struct netfront_dev *d);
/* "aa:bb:cc:dd:ee:ff" into mac; 0 or -XEN_EINVAL. */
int netfront_parse_mac(const char *s, uint8_t mac[6]);

/* I/O (netfront_io.c). */
/* A free tx frame buffer (NETFRONT_TX_BUF bytes), reaping completions
 * first; NULL when every buffer is in flight. */
uint8_t *netfront_tx_get(struct netfront_dev *d);
/* Queues the frame written into buf (from netfront_tx_get): 0, or
 * -XEN_EINVAL (bad buffer or length: the buffer is freed). flags: NETTXF_*. */
int netfront_tx_put(struct netfront_dev *d, uint8_t *buf, unsigned len, unsigned flags);
/* Gives back a buffer from netfront_tx_get without sending it. */
void netfront_tx_drop(struct netfront_dev *d, uint8_t *buf);
/* As netfront_tx_get, but pushes and waits (until deadline) for the
 * backend to complete something when all buffers are in flight. */
uint8_t *netfront_tx_get_wait(struct netfront_dev *d, uint64_t deadline_ns);
/* Publishes queued tx requests (notifies if the backend asked). */
void netfront_tx_push(struct netfront_dev *d);
/* Waits until every queued frame is answered (pushing first): 0,
 * -XEN_ETIMEDOUT at the deadline, -XEN_EIO if the vif broke. */
int netfront_tx_wait_idle(struct netfront_dev *d, uint64_t deadline_ns);
/* Frames in flight (queued or not yet answered). */
unsigned netfront_tx_inflight(const struct netfront_dev *d);
/* Reaps tx completions, hands each received frame to rx_fn, re-posts rx
 * buffers, pushes tx. Frames received, or -XEN_EIO (backend broke the ring). */
int netfront_poll(struct netfront_dev *d);
/* Waits for rx work (or tx completions when tx buffers ran out) until
 * deadline (system ns, 0 = none): 1 work, 0 timeout, < 0 broken. */
int netfront_wait(struct netfront_dev *d, uint64_t deadline_ns);

/* Suspend (netfront_suspend.c, minios/suspend.h): the open device is
 * tracked. Quiescing waits (bounded) for tx completions; a cancelled
 * suspend re-kicks; in a new domain the device goes through the
 * handshake again with the new backend: rx buffers are posted again,
 * frames that were in flight on tx are dropped (counted in tx_errors),
 * rx_fn and the counters are kept. */
void netfront_track(struct netfront_dev *d, int on);
/* Nonzero while the device reconnects after a resume: it counts as alive,
 * and netfront_wait waits for the reconnect instead of returning. */
int netfront_resuming(void);

/* Internal to netfront.c / netfront_io.c. */
int netfront_io_setup(struct netfront_dev *d);
void netfront_io_teardown(struct netfront_dev *d);
/* Grant ref of rx buffer i / of the tx page holding frame buffer i (hostile tests). */
grant_ref_t netfront_rx_ref(unsigned i);
grant_ref_t netfront_tx_ref(unsigned i);
/* rx buffer i itself (tests play the backend's copy with it). */
uint8_t *netfront_rx_page(unsigned i);

#endif

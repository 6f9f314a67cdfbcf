/*
 * libpvxnetback: the engine of pvx-netback, without xenstore, sockets or
 * clocks, so all of it runs in unit tests and under a fuzzer. One section
 * per module:
 *   validate.c  walk and check one tx packet copied off the ring (pure)
 *   csum.c      find a frame's L4 checksum field, compute checksums (pure)
 *   fsm.c       the backend's XenbusState machine (pure)
 *   queue.c     one queue: its tx and rx rings, counters, notifications
 *   tx.c        guest -> Dom0: consume, validate, map a batch, hand each
 *               packet to a sink (the daemon writev()s it to the TAP)
 *   rx.c        Dom0 -> guest: copy frames into posted rx buffers
 *
 * The daemon (main.c and friends, not in this library) owns xenstore,
 * the TAP, event channels and the grant handle; it reaches guest pages
 * through struct netback_gnt_ops and is told when to kick the frontend
 * through a callback.
 *
 * Speed: everything on the data path is batched. One tx pass maps the
 * grants of up to NETBACK_TX_BATCH packets with one map_batch call and
 * unmaps them with one unmap_batch (a pvxd round trip each), then
 * publishes all responses at once; rx does the same for a batch of
 * frames. The library makes no syscall and allocates nothing per packet.
 */
#ifndef PVX_NETBACK_H
#define PVX_NETBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>
#include <linux/virtio_net.h>
#include <netif.h>
#include <xen/public/io/xenbus.h>

#define NETBACK_PAGE_SIZE 4096u
/* Ring slots one tx packet may span: data slots plus extra_info slots
 * (at most one of each extra type). */
#define NETBACK_TX_MAX_EXTRAS (XEN_NETIF_EXTRA_TYPE_MAX - 1)
#define NETBACK_TX_MAX_CHAIN (PVX_NET_MAX_TX_SLOTS + NETBACK_TX_MAX_EXTRAS)
/* Packets per map_batch on the tx path; slots per batch are bounded by the
 * ring (PVX_NET_RING_ENTRIES). */
#define NETBACK_TX_BATCH 64
/* Frames per netback_rx_deliver call worth giving (more are fine). */
#define NETBACK_RX_BATCH 64
/* Largest frame rx accepts from the daemon (several slots with feature-sg). */
#define NETBACK_RX_MAX_FRAME 65535u

/* ---- validate.c ---------------------------------------------------------- */

/* Which rule of the tx contract a packet broke (0: none). */
enum netback_tx_rule {
	NETBACK_TX_OK = 0,
	NETBACK_TX_TOO_SHORT,      /* first size < PVX_NET_ETH_HLEN */
	NETBACK_TX_TOO_BIG,        /* first size > PVX_NET_MAX_PACKET */
	NETBACK_TX_TOO_MANY_SLOTS, /* more than PVX_NET_MAX_TX_SLOTS data slots
				    * (or NETBACK_TX_MAX_CHAIN ring slots) */
	NETBACK_TX_FRAG_SUM,       /* later sizes add up to more than the first */
	NETBACK_TX_CROSSES_PAGE,   /* a slot's offset + length > 4096 */
	NETBACK_TX_BAD_FLAGS,      /* NETTXF_* bits we do not know */
	NETBACK_TX_EXTRA_POS,      /* NETTXF_extra_info on a slot but the first */
	NETBACK_TX_EXTRA_GSO,      /* a GSO extra: feature-gso-* is 0 */
	NETBACK_TX_EXTRA_TYPE,     /* an extra of unknown, unsupported or repeated type */
	NETBACK_TX_BAD_GRANT,      /* (tx.c) a grant did not map */
	NETBACK_TX_CSUM,           /* (tx.c) csum_blank on a frame whose L4
				    * checksum field we cannot locate */
	NETBACK_TX_NR_RULES
};
/* Short name of a rule ("too_short", ...), for logs and test messages. */
const char *netback_tx_rule_name(enum netback_tx_rule rule);

struct netback_tx_frag {
	grant_ref_t gref;
	uint16_t offset;
	uint16_t len;
};

/*
 * One tx packet, decoded. id[] and extra_mask describe every ring slot the
 * packet used, valid or not, so each one gets its response: slot k is
 * answered with id[k] and NETIF_RSP_NULL if bit k of extra_mask is set
 * (an extra_info slot; its id is that of the request that announced it),
 * else NETIF_RSP_OKAY or NETIF_RSP_ERROR. frag[] and the rest are
 * meaningful only when rule == NETBACK_TX_OK.
 */
struct netback_tx_pkt {
	enum netback_tx_rule rule;
	uint16_t nr_slots;          /* ring slots, 1..NETBACK_TX_MAX_CHAIN */
	uint16_t nr_frags;          /* data slots, 1..PVX_NET_MAX_TX_SLOTS */
	uint32_t extra_mask;
	uint32_t len;               /* the frame: sum of frag[].len */
	bool csum_blank;            /* NETTXF_csum_blank on the first slot */
	bool data_validated;        /* NETTXF_data_validated on the first slot */
	uint16_t id[NETBACK_TX_MAX_CHAIN];
	struct netback_tx_frag frag[PVX_NET_MAX_TX_SLOTS];
};

/*
 * Where a walk along a chain of tx slots is: the next slot is an
 * extra_info (extra_next), or a request if more is set; the chain has
 * ended when neither is. Start: { .more = true }.
 */
struct netback_tx_walk {
	bool extra_next, more;
};
/* Steps over slot s; returns true if s was an extra_info slot. */
bool netback_tx_walk_step(struct netback_tx_walk *w, const union netif_tx_any_request *s);
static inline bool netback_tx_walk_done(const struct netback_tx_walk *w)
{
	return !w->extra_next && !w->more;
}

/*
 * How many ring slots the packet starting at slots[0] spans, looking at
 * the flags only (a request with NETTXF_extra_info is followed by extras
 * while XEN_NETIF_EXTRA_FLAG_MORE is set; NETTXF_more_data chains the next
 * request). avail: slots copied so far. Returns the length (<= avail), 0
 * if the chain goes on past avail (wait for more), or -E2BIG if it is
 * longer than NETBACK_TX_MAX_CHAIN (avail >= NETBACK_TX_MAX_CHAIN slots
 * were looked at).
 */
int netback_tx_chain_len(const union netif_tx_any_request *slots, unsigned avail);

/*
 * Decodes and checks the packet slots[0..n) (private copies, n as given by
 * netback_tx_chain_len, or NETBACK_TX_MAX_CHAIN for an over-long chain:
 * then rule is TOO_MANY_SLOTS). Always fills rule, nr_slots = n, id[] and
 * extra_mask. Returns rule (NETBACK_TX_OK == 0).
 */
enum netback_tx_rule netback_tx_validate(const union netif_tx_any_request *slots, unsigned n,
					 struct netback_tx_pkt *out);

/* ---- csum.c -------------------------------------------------------------- */

/*
 * Locates the L4 checksum of a TCP or UDP frame over IPv4 (no fragment)
 * or IPv6 (no extension header), Ethernet header optionally VLAN-tagged:
 * *start = offset of the L4 header, *field = offset of the checksum within
 * it (16 TCP, 6 UDP). head holds the first caplen bytes of a frame of len
 * bytes. 0, or -EPROTONOSUPPORT / -EINVAL (truncated, bad lengths).
 */
int netback_csum_locate(const uint8_t *head, size_t caplen, size_t len, uint16_t *start,
			uint16_t *field);
/* Ones'-complement sum of iov[] from byte `from` on (added to `sum`),
 * not folded. */
uint32_t netback_csum_add(uint32_t sum, const struct iovec *iov, unsigned niov, size_t from);
/* Folds and complements: the value to store in the checksum field, high
 * byte first (UDP's 0 becomes 0xffff when udp is set). */
uint16_t netback_csum_fold(uint32_t sum, bool udp);

/* ---- fsm.c --------------------------------------------------------------- */

enum netback_action {
	NETBACK_NONE,
	NETBACK_INITWAIT,  /* TAP up, write the features, B/state = 2 */
	NETBACK_CONNECT,   /* read F's keys, map rings, bind ports, B/state = 4 */
	NETBACK_CLOSE,     /* F gone: unmap, close ports, B/state = 5 then 6 */
	NETBACK_RESET,     /* CLOSE's work, then back to InitWait (FE restarted) */
	NETBACK_CLOSING,   /* F Closing: unmap, close ports, B/state = 5, stay */
	NETBACK_CLOSED,    /* F Closed: the same if still needed, B/state = 6 */
};

/* be: our published state; fe: the frontend's, or -1 if F (or F/state) is
 * gone; connected: we hold live rings for this vif. */
enum netback_action netback_fsm(int be, int fe, bool connected);
const char *netback_action_name(enum netback_action a);

/* ---- gnt ops (implemented by the daemon over libpvxgnttab) --------------- */

/*
 * How pages granted by the frontend are reached. map_batch maps n refs
 * with one pvxd round trip: pages[i] the whole 4 KiB page, handles[i] for
 * unmap, err[i] 0 or a negative errno (-EPERM: not granted to us,
 * -EACCES: read-only grant asked writable; every entry of a failed round
 * trip gets its errno). unmap_batch gives back n handles of successful
 * maps, one round trip. The same ref may appear twice in a batch.
 * n <= PVX_NET_RING_ENTRIES.
 */
struct netback_gnt_ops {
	void (*map_batch)(void *ctx, const grant_ref_t *refs, unsigned n, bool writable,
			  void **pages, uint32_t *handles, int *err);
	void (*unmap_batch)(void *ctx, const uint32_t *handles, unsigned n);
};

/* ---- queue.c ------------------------------------------------------------- */

/* Per-queue counters (the stats line of netif.h; the daemon sums queues).
 * tx_dropped and rx_errors are additions to that line. */
struct netback_stats {
	uint64_t tx_packets, tx_bytes;
	uint64_t tx_errors;     /* packets answered NETIF_RSP_ERROR (any rule) */
	uint64_t tx_dropped;    /* good packets the sink refused (TAP full, down) */
	uint64_t rx_packets, rx_bytes;
	uint64_t rx_dropped;    /* frames not delivered: too big, GSO, no
				 * buffers (counted by the daemon), bad grant */
	uint64_t rx_errors;     /* rx slots answered NETIF_RSP_ERROR (bad gref) */
	uint64_t notify_in;     /* kicks from the frontend (the daemon counts) */
	uint64_t notify_out;    /* kicks to the frontend */
	uint64_t tx_rule[NETBACK_TX_NR_RULES]; /* tx_errors by rule */
};

/* What the frontend negotiated (F's keys), fixed while connected. */
struct netback_features {
	bool sg;                /* F/feature-sg: rx frames may span slots */
	bool no_csum_offload;   /* F/feature-no-csum-offload: fill rx checksums */
	bool rx_notify;         /* F/feature-rx-notify (Linux always sets it);
				 * informational: netback_rx_arm is what asks */
};

enum netback_dir { NETBACK_DIR_TX, NETBACK_DIR_RX };

/*
 * A good tx packet: iov[0] is a struct virtio_net_hdr (flags
 * VIRTIO_NET_HDR_F_NEEDS_CSUM with csum_start/csum_offset for a
 * csum_blank frame, VIRTIO_NET_HDR_F_DATA_VALID for data_validated, gso
 * none), iov[1..niov) the frame's bytes in guest pages, len bytes in all.
 * Pointers are valid only during the call. Return 0, or a negative errno
 * to count the packet in tx_dropped (it is still answered OKAY: the
 * guest's request was fine, the host dropped it, as a NIC would).
 */
typedef int (*netback_tx_sink_fn)(void *ctx, const struct iovec *iov, unsigned niov,
				  size_t len);
/* Kick the frontend on dir's event channel (the same port for both dirs
 * without split event channels: the daemon may coalesce by setting a flag
 * here and sending once after its pass). */
typedef void (*netback_notify_fn)(void *ctx, enum netback_dir dir);

/* The batch scratch of a queue (tx.c, rx.c), allocated once. */
struct netback_scratch;

struct netback_queue {
	struct netif_tx_back_ring tx;
	struct netif_rx_back_ring rx;
	struct netback_features feat;
	const struct netback_gnt_ops *gops;
	void *gctx;
	netback_tx_sink_fn sink;
	void *sink_ctx;
	netback_notify_fn notify;
	void *notify_ctx;
	bool broken;            /* a ring's indices went wrong: stop, disconnect */
	/* tx polling (0: off): for poll_ns after the last tx request, an empty
	 * ring is not re-armed, so the busy frontend publishes without kicking;
	 * netback_tx_kick returns 2 and the daemon calls it again on its next
	 * loop turn (as pvx-blkback's poll windows). Set by the daemon. */
	uint64_t poll_ns;
	uint64_t poll_until;    /* CLOCK_MONOTONIC ns */
	bool polling;           /* the last kick left req_event unarmed */
	bool tx_draining;       /* answering the rest of an over-long chain */
	struct netback_tx_walk tx_walk;  /* ... where in it we are */
	struct netback_stats stats;
	struct netback_scratch *scr;
};

struct netback_queue_cfg {
	void *tx_sring, *rx_sring;   /* the mapped one-page rings */
	bool attach;                 /* resume from the published indices
				      * (daemon restart) instead of starting empty */
	struct netback_features feat;
	const struct netback_gnt_ops *gops;
	void *gctx;
	netback_tx_sink_fn sink;
	void *sink_ctx;
	netback_notify_fn notify;
	void *notify_ctx;
};

/* 0, -EINVAL, -ENOMEM. The rings stay the caller's (unmap after dispose). */
int netback_queue_init(struct netback_queue *q, const struct netback_queue_cfg *cfg);
/* Frees the scratch. No grant is left mapped (every pass unmaps its own). */
void netback_queue_dispose(struct netback_queue *q);
/* CLOCK_MONOTONIC in ns (the poll window). */
uint64_t netback_now_ns(void);

/* ---- tx.c ---------------------------------------------------------------- */

/*
 * Consumes up to `budget` tx packets, in batches of NETBACK_TX_BATCH: for
 * each batch one map_batch, the sink per good packet, one unmap_batch,
 * all responses, one push (kicks the frontend via notify when its
 * rsp_event asks). A malformed packet gets NETIF_RSP_ERROR on its slots
 * and a count in tx_errors / tx_rule[]; the rest go on. Returns 0 when the
 * ring is empty and req_event is armed (wait for the frontend's event),
 * 1 when the budget ran out with requests left (call again soon, after
 * other queues had their turn), 2 when the ring is empty but within the
 * poll window (q->poll_ns: call again on the next loop turn; no event
 * will come), -EIO once the ring is broken (indices
 * beyond the ring: nothing more is read; disconnect the vif).
 * A chain whose slots are not all published yet stays on the ring, and
 * req_event is set so that the rest of it kicks us.
 */
int netback_tx_kick(struct netback_queue *q, unsigned budget);

/* ---- rx.c ---------------------------------------------------------------- */

/* A frame from the TAP: its virtio_net_hdr (NULL: none) and bytes. */
struct netback_rx_frame {
	const struct virtio_net_hdr *vhdr;
	const void *data;
	size_t len;
};

/*
 * No posted buffers: the daemon stops reading its TAP (the kernel queues
 * frames meanwhile), calls netback_rx_arm and waits for the frontend's
 * kick; if none comes for PVX_NET_RX_STALL_MS it reads and drops what the
 * TAP holds, adding to q->stats.rx_dropped, so a frontend that never posts
 * buffers costs nothing but that (other vifs have their own TAPs).
 */

/* rx requests posted by the frontend and not yet used (0 if broken). */
unsigned netback_rx_posted(struct netback_queue *q);
/*
 * Before the daemon stops reading its TAP for lack of buffers: sets rx
 * req_event so that the frontend's next posting kicks us, and looks again.
 * Returns the slots posted by then (> 0: go on reading, no event will come).
 */
unsigned netback_rx_arm(struct netback_queue *q);
/* Slots a frame of len bytes takes (1, or more with feature-sg); 0 if it
 * can never be delivered (too big for the features). */
unsigned netback_rx_slots_for(const struct netback_queue *q, size_t len);

/*
 * Copies frames f[0..n) in order into posted rx buffers: one map_batch
 * (writable) for the slots they need, memcpy, one unmap_batch, responses
 * {id, offset 0, flags, status = bytes in that slot}, one push (notify
 * when rsp_event asks). NETRXF_csum_blank|NETRXF_data_validated for a
 * frame whose vhdr says NEEDS_CSUM (or, with feature-no-csum-offload, the
 * checksum is computed here and NETRXF_data_validated set);
 * NETRXF_data_validated for DATA_VALID. A frame that can never be
 * delivered (too big, GSO, bad vhdr) is skipped and counted in rx_dropped;
 * a slot whose grant does not map is answered NETIF_RSP_ERROR (rx_errors)
 * and its frame dropped. Stops at the first frame that does not fit in
 * the buffers posted now. Returns frames consumed (delivered or dropped:
 * the caller may reuse their memory), or -EIO once the ring is broken.
 */
int netback_rx_deliver(struct netback_queue *q, const struct netback_rx_frame *f, unsigned n);

#endif /* PVX_NETBACK_H */

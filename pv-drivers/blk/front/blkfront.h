/*
 * minios blkfront: the guest side of the block protocol (blkif.h).
 *
 * blkfront_list finds device/vbd/<id>; blkfront_open runs the frontend's
 * half of the handshake (wait for the backend's InitWait, read its
 * features, grant a ring of up to 2^max-ring-page-order pages, publish
 * ring-ref(s)/event-channel/protocol/feature-persistent in one
 * transaction, Initialised, wait for Connected, read the geometry,
 * Connected). I/O is asynchronous underneath: blkfront_submit queues a
 * request (one per struct blkfront_io, up to max_segs pages, using an
 * indirect descriptor page when it needs more than 11 segments),
 * blkfront_kick publishes the batch (notifying only if the backend
 * sleeps), blkfront_poll/blkfront_wait complete responses. The _sync
 * calls wrap that for one request.
 *
 * Data pages are granted to the backend once and the grant is kept
 * (persistent grants, if the backend offers feature-persistent): buffers
 * must be 512-byte aligned and are normally reused, so after the first
 * pass every request reuses refs the backend keeps mapped. Responses are
 * backend input: ids are checked against requests in flight, a bogus one
 * is counted and dropped, an impossible rsp_prod is -XEN_EIO.
 */
#ifndef MINIOS_FRONT_BLKFRONT_H
#define MINIOS_FRONT_BLKFRONT_H

#include <stdint.h>

#include <minios/ringfront.h>
#include <blkif.h>

#define BLKFRONT_MAX_SLOTS 128   /* ring of up to 4 pages */
#define BLKFRONT_MAX_SEGS  256   /* 1 MiB per request with indirect segments */

struct blkfront_io {
	uint8_t op;                /* BLKIF_OP_READ, _WRITE, _FLUSH_DISKCACHE, ... */
	uint64_t sector;           /* 512-byte units */
	void *buf;                 /* 512-byte aligned; NULL for a bare flush */
	uint32_t len;              /* bytes, a multiple of 512 */
	volatile int done;
	int16_t status;            /* BLKIF_RSP_* once done */
	uint64_t t_submit;         /* system time at submit (ns) */
	uint64_t t_done;
};

struct blkfront_opts {
	unsigned ring_pages;       /* wanted, 1..4 (default 2) */
	int no_persistent;         /* grant and revoke data pages per request */
	int no_indirect;           /* at most 11 segments per request */
};

struct blkfront_dev {
	uint32_t devid;
	domid_t backend_id;
	char fe[48], be[96];
	struct ringfront rf;
	uint64_t sectors;          /* 512-byte units */
	uint32_t sector_size, info;
	int flush, barrier, discard, persistent;
	uint32_t max_segs;         /* per request: 11, or the indirect limit */
	struct blkfront_io *inflight[BLKFRONT_MAX_SLOTS];
	unsigned nr_inflight, nr_slots;
	uint64_t requests, bogus_responses;
	uint64_t lat_avg_ns;       /* moving average of request latency: the spin window */
	int connected;
	struct blkfront_opts opts; /* as opened: a reconnect negotiates the same */
};

/* Device ids under device/vbd, at most max; returns the count or < 0. */
int blkfront_list(uint32_t *ids, unsigned max);
/* 0 or a negative Xen errno; o may be NULL. */
int blkfront_open(struct blkfront_dev *d, uint32_t devid, const struct blkfront_opts *o);
void blkfront_close(struct blkfront_dev *d);
/* The backend's state (XenbusState), or < 0. */
int blkfront_backend_state(const struct blkfront_dev *d);

/* Queue io (not yet visible to the backend): 0, -XEN_ENOSPC (ring full),
 * -XEN_EINVAL (alignment, size, range), -XEN_ENOMEM (no grant ref). */
int blkfront_submit(struct blkfront_dev *d, struct blkfront_io *io);
void blkfront_kick(struct blkfront_dev *d);
/* Completes what has been answered: count, or -XEN_EIO. */
int blkfront_poll(struct blkfront_dev *d);
/* Waits until something completes or deadline (system ns, 0 = none). */
int blkfront_wait(struct blkfront_dev *d, uint64_t deadline_ns);
/* One request, waited for (30 s): its BLKIF_RSP_* status, or < 0. */
int blkfront_rw_sync(struct blkfront_dev *d, uint8_t op, uint64_t sector, void *buf,
		     uint32_t len);
int blkfront_flush_sync(struct blkfront_dev *d);
/* The backend went away (Closing/Closed): fail every request in flight
 * with BLKIF_RSP_ERROR and stop submitting. Returns how many. */
int blkfront_abort(struct blkfront_dev *d);

/* Suspend (blkfront_suspend.c, minios/suspend.h). An open device is
 * tracked; while a suspend quiesces, blkfront_submit waits (completing
 * responses meanwhile) instead of adding requests. After a resume in a
 * new domain the device goes through the handshake again with the new
 * backend and the requests that were in flight are issued again. */
void blkfront_track(struct blkfront_dev *d, int on);
int blkfront_gated(const struct blkfront_dev *d);
/* blkfront_io.c: before / after the new handshake. */
void blkfront_io_forget(struct blkfront_dev *d);
void blkfront_reissue(struct blkfront_dev *d, struct blkfront_io *const *inflight, unsigned n);

#endif

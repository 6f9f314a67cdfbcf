/*
 * pvx-blkback's internal interfaces, one section per module:
 *   validate.c  decode + check a request copied off the ring (pure)
 *   gnt.c       grant mapping through an ops struct, persistent-grant cache
 *   io.c        the io_uring engine (one ring for the whole daemon)
 *   ring.c      one shared ring: consume, map, submit, respond
 *   fsm.c       the backend's XenbusState machine (pure)
 *   vbd.c       one virtual block device: xenstore keys, disk, rings
 *   main.c      the daemon: libevent loop, xenstore watch, signals
 */
#ifndef PVX_BLKBACK_H
#define PVX_BLKBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>
#include <blkif.h>
#include <xen/public/io/xenbus.h>

/* ---- validate.c ---------------------------------------------------------- */

/* What the request is checked against (fixed while a ring is connected). */
struct blkback_disk_info {
	uint64_t sectors;        /* disk size in 512-byte sectors */
	bool readonly;
	bool discard;            /* feature-discard offered */
	bool barrier;            /* feature-barrier offered */
	bool flush;              /* feature-flush-cache offered */
	uint16_t max_indirect;   /* feature-max-indirect-segments, 0: none */
	bool inline_rw;          /* reads/writes run on the calling thread (tmpfs) */
};

/* What the backend does, once decoded. */
enum blkback_op {
	BLKBACK_READ, BLKBACK_WRITE, BLKBACK_FLUSH, BLKBACK_DISCARD,
};

struct blkback_seg {
	grant_ref_t gref;
	uint8_t first, last;     /* sectors within the page, 0..7, first <= last */
};

/* A decoded request. Fields past nr_segs in seg[] are unset. */
struct blkback_req {
	uint64_t id;
	uint8_t wire_op;         /* echoed in the response */
	enum blkback_op op;
	bool drain;              /* barrier: start after every earlier request ended */
	bool sync_after;         /* fdatasync before acknowledging */
	uint64_t sector;
	uint64_t nr_sectors;     /* DISCARD: from the request; else from segments */
	uint16_t nr_segs;
	uint8_t nr_indirect;     /* INDIRECT: pages listing the segments */
	grant_ref_t indirect[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	struct blkback_seg seg[PVX_BLK_MAX_SEGS];
};

/*
 * Decodes *in (a private copy) into *out and checks everything but the
 * segments of an indirect request, which live in guest pages: the caller
 * copies them into out->seg and calls blkback_validate_segs. Returns
 * BLKIF_RSP_OKAY, _ERROR or _EOPNOTSUPP; out->id and wire_op are always set.
 */
int16_t blkback_validate(const union blkif_any_request *in,
			 const struct blkback_disk_info *disk, struct blkback_req *out);
/* Checks out->seg[0..nr_segs) and the sector range they cover. */
int16_t blkback_validate_segs(struct blkback_req *r, const struct blkback_disk_info *disk);

/* ---- gnt.c --------------------------------------------------------------- */

/*
 * How pages granted by the frontend domain are reached. map returns a host
 * pointer to the whole 4 KiB page, or a negative errno: -EPERM/-ENOENT for a
 * reference the domain did not grant to us, -EACCES for a read-only grant
 * asked for write access. The daemon implements it with libpvxgnttab; unit
 * tests with a fake.
 */
struct blkback_gnt_ops {
	int (*map)(void *ctx, grant_ref_t ref, bool writable, void **page,
		   uint32_t *handle);
	void (*unmap)(void *ctx, uint32_t handle);
	/* Optional batch forms (one pvxd round trip for a whole request):
	 * err[i] gets map's result for refs[i]. */
	void (*map_batch)(void *ctx, const grant_ref_t *refs, unsigned n, bool writable,
			  void **pages, uint32_t *handles, int *err);
	void (*unmap_batch)(void *ctx, const uint32_t *handles, unsigned n);
};

struct blkback_pgrant {
	grant_ref_t ref;
	bool used, writable;
	uint32_t handle;
	void *page;
};

/* Grants of one ring; persistent ones stay mapped until the ring goes. */
struct blkback_gnt {
	const struct blkback_gnt_ops *ops;
	void *ctx;
	bool persistent;
	unsigned max_persistent, nr_persistent;
	unsigned nr_slots;                 /* hash slots, 2 * max, power of two */
	struct blkback_pgrant *slots;
};

int blkback_gnt_init(struct blkback_gnt *g, const struct blkback_gnt_ops *ops,
		     void *ctx, bool persistent, unsigned max_persistent);
/* Maps ref; *kept tells whether the mapping stays (persistent) or must be
 * given back with blkback_gnt_put(handle). */
int blkback_gnt_get(struct blkback_gnt *g, grant_ref_t ref, bool writable,
		    void **page, uint32_t *handle, bool *kept);
void blkback_gnt_put(struct blkback_gnt *g, uint32_t handle);
/* The cached mapping of ref usable with that access, if any. */
bool blkback_gnt_cached(struct blkback_gnt *g, grant_ref_t ref, bool writable, void **page,
			uint32_t *handle);
/* Offers a fresh mapping to the cache: true if the cache owns it now
 * (*page and *handle may then name the cache's equal mapping). */
bool blkback_gnt_keep(struct blkback_gnt *g, grant_ref_t ref, bool writable, void **page,
		      uint32_t *handle);
/* The same for n refs at once (all or nothing): 0 or the first error. */
int blkback_gnt_get_many(struct blkback_gnt *g, const grant_ref_t *refs, unsigned n,
			 bool writable, void **pages, uint32_t *handles, bool *kept);
void blkback_gnt_put_many(struct blkback_gnt *g, const uint32_t *handles, unsigned n);
void blkback_gnt_dispose(struct blkback_gnt *g); /* unmaps persistent grants */

/* ---- io.c ---------------------------------------------------------------- */

struct io_uring;
struct blkback_io {
	struct io_uring *uring;
	int event_fd;            /* readable when completions wait */
	unsigned queued;         /* SQEs prepared, not yet submitted */
};

typedef void (*blkback_io_done_fn)(uint64_t user_data, int res);

int blkback_io_init(struct blkback_io *io, unsigned entries);
void blkback_io_dispose(struct blkback_io *io);
/* Queue one operation (submitted by blkback_io_submit, or when the SQ fills).
 * link: the next queued operation starts only after this one succeeded. */
int blkback_io_rw(struct blkback_io *io, bool write, int fd, const struct iovec *iov,
		  unsigned niov, uint64_t off, uint64_t user_data, bool link);
int blkback_io_fdatasync(struct blkback_io *io, int fd, uint64_t user_data);
int blkback_io_discard(struct blkback_io *io, int fd, uint64_t off, uint64_t len,
		       uint64_t user_data);
int blkback_io_submit(struct blkback_io *io);
/* Runs done() for every completion waiting; returns how many. */
int blkback_io_reap(struct blkback_io *io, blkback_io_done_fn done);
/* The same for CQEs already posted, without touching the eventfd (the
 * daemon's io event drains it later): no syscall when nothing is ready. */
int blkback_io_reap_ready(struct blkback_io *io, blkback_io_done_fn done);
/* Blocks until at least one completion is there, then reaps (tests, drain). */
int blkback_io_wait(struct blkback_io *io, blkback_io_done_fn done);


/* ---- ring.c -------------------------------------------------------------- */

struct blkback_ring;

/* One request between consumption and response. */
struct blkback_rq {
	struct blkback_ring *ring;
	struct blkback_rq *next_free;
	struct blkback_req req;
	int16_t status;
	uint8_t pending;                   /* completions still to come */
	uint64_t bytes;                    /* expected from the data operation */
	unsigned niov;                     /* iov entries: adjacent segments merged */
	bool kept[PVX_BLK_MAX_SEGS];       /* persistent: do not unmap */
	uint32_t handle[PVX_BLK_MAX_SEGS];
	void *page[PVX_BLK_MAX_SEGS];
	struct iovec iov[PVX_BLK_MAX_SEGS];
};

struct blkback_ring_stats {
	uint64_t requests, errors, notifies_out, kicks;
	uint64_t rd_reqs, wr_reqs, rd_bytes, wr_bytes; /* started: blkback.sock */
};

struct blkback_ring {
	struct blkif_back_ring br;
	struct blkback_disk_info disk;
	int fd;                            /* the disk, owned by the vbd */
	struct blkback_io *io;
	struct blkback_gnt gnt;
	struct blkback_rq *rqs, *free_rqs;
	unsigned inflight;
	struct blkback_rq *held;           /* barrier waiting for the drain */
	struct blkback_rq *fence;          /* barrier held or running: consume nothing */
	bool resume;                       /* fence gone: kick once responses are out */
	uint64_t poll_ns;                  /* keep polling this long after the last request */
	uint64_t poll_until;               /* CLOCK_MONOTONIC ns */
	bool polling;                      /* req_event not armed: the daemon must kick us */
	bool broken;                       /* index overflow: stop using the ring */
	bool closing;                      /* being disposed: consume nothing */
	bool dirty;                        /* responses written, not pushed */
	struct blkback_ring *next_dirty;
	void (*notify)(void *ctx);         /* kick the frontend's event channel */
	void *notify_ctx;
	struct blkback_ring_stats stats;
};

/*
 * sring: the mapped shared ring (bytes long). attach: resume from the
 * published indices (backend restart) instead of starting empty.
 */
int blkback_ring_init(struct blkback_ring *r, void *sring, size_t bytes, bool attach,
		      const struct blkback_disk_info *disk, int fd, struct blkback_io *io,
		      const struct blkback_gnt_ops *gops, void *gctx, bool persistent);
/*
 * Consumes and starts every waiting request; -EIO once the ring is broken.
 * Within poll_ns of the last request it leaves req_event unarmed and sets
 * r->polling: the frontend then publishes without notifying, and the
 * caller must kick again soon (the daemon's poll loop). It likewise stops,
 * polling, once it has started BLKBACK_KICK_BYTES of data: page-cache and
 * inline copies run on the daemon's one thread, and one busy guest must
 * not hold it for long while other rings wait.
 */
#define BLKBACK_KICK_BYTES (4u << 20)
int blkback_ring_kick(struct blkback_ring *r);
/* The io engine's completion callback (user_data is a struct blkback_rq). */
void blkback_ring_io_done(uint64_t user_data, int res);
/* CLOCK_MONOTONIC in ns (the polling windows). */
uint64_t blkback_now_ns(void);
/*
 * Publishes the responses written since the last call; notifies as asked.
 * A polling ring's window restarts at each publication: the frontend's
 * next request follows its responses, however long the I/O took.
 */
void blkback_ring_flush_dirty(void);
/* Waits for r's in-flight I/O, then frees everything but the sring. */
void blkback_ring_dispose(struct blkback_ring *r);

/* Between ring.c and ring_done.c. */
#define BLKBACK_UD_NONE 1ull /* nothing was queued: answer at once */
#define BLKBACK_UD_SYNC 2ull /* the fdatasync/discard CQE, not the data one */
void blkback_rq_answer(struct blkback_rq *rq, int16_t status);
void blkback_rq_put_pages(struct blkback_rq *rq, unsigned n);
void blkback_ring_start_held(struct blkback_ring *r);

/* ---- fsm.c --------------------------------------------------------------- */

enum blkback_action {
	BLKBACK_NONE, BLKBACK_INITWAIT, BLKBACK_CONNECT, BLKBACK_CLOSE,
	BLKBACK_RESET, BLKBACK_REMOVE,
	BLKBACK_CLOSING, /* frontend Closing: unmap, stop I/O, B/state = 5, stay */
	BLKBACK_CLOSED,  /* frontend Closed: the same if still needed, B/state = 6 */
};

/* be: our state; fe: the frontend's, or -1 if its directory is gone;
 * connected: we hold a live ring. */
enum blkback_action blkback_fsm(int be, int fe, bool connected);

#endif /* PVX_BLKBACK_H */

/*
 * Xen shared I/O rings: typed, inline, freestanding.
 *
 * A ring lives in one or more pages shared by a front end (which produces
 * requests and consumes responses) and a back end (the reverse). The wire
 * layout is Xen's (xen/public/io/ring.h): a 64-byte header holding four
 * free-running 32-bit indices, then 2^k entries, each a union of one request
 * and one response. Response i is written into the slot that held request i,
 * so a slot is free for the front end again once it has consumed the
 * response in it.
 *
 * Invariants, with n = entries (a power of two) and all arithmetic mod 2^32:
 *   rsp_cons <= rsp_prod <= rsp_prod_pvt <= req_cons <= req_prod <= req_prod_pvt
 *   req_prod - rsp_prod <= n   (the front never reuses an unanswered slot)
 * Each side trusts only its own private indices. An index read from shared
 * memory is checked against them before it is used: a back end that sees
 * req_prod - rsp_prod_pvt > n, or a front end that sees more responses than
 * it has outstanding requests, gets -XEN_EIO (== EIO) and no state changes;
 * the caller should then disconnect the ring. Nothing here loops on a
 * peer's index, so a hostile peer can cost work but never a hang.
 *
 * Notification hold-off: a consumer that is about to sleep writes
 * "wake me when prod passes cons" into req_event/rsp_event (final_check_*).
 * A producer that publishes prod from old to new must notify exactly when
 * the event index lies in (old, new], i.e. the consumer asked for a wake-up
 * somewhere in the batch just published (push_*_and_check_notify).
 *
 * Consumers never see a pointer into shared memory: get_request /
 * get_response copy the entry out once, and the caller validates the copy
 * (the peer may rewrite the slot at any time). Producers may fill a slot in
 * place (req_slot / rsp_slot) or copy one in (put_request / put_response).
 *
 * Concurrency: each private ring struct is owned by one thread; the two
 * sides may run on different CPUs. Barriers are compiler builtins, so the
 * header needs no libc and serves host backends, guests and minios alike
 * (struct copies may still become memcpy calls, which freestanding C
 * requires the environment to provide).
 *
 * Usage:  PVX_RING_DEFINE(blkif, struct blkif_request, struct blkif_response)
 * declares struct blkif_sring / blkif_front_ring / blkif_back_ring and the
 * blkif_* functions listed at PVX_RING_DEFINE. See docs/abi.md.
 */
#ifndef PVX_RING_H
#define PVX_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/public/errno.h>
#include <xen/public/io/ring.h>

/* Private state of a front end: the shared header plus its own indices. */
struct pvx_ring_front {
	struct xen_sring_hdr *sring;
	uint32_t nr_ents;          /* power of two, from the ring size */
	RING_IDX req_prod_pvt;     /* next request slot to fill */
	RING_IDX rsp_cons;         /* next response to consume */
};

/* Private state of a back end. */
struct pvx_ring_back {
	struct xen_sring_hdr *sring;
	uint32_t nr_ents;
	RING_IDX rsp_prod_pvt;     /* next response slot to fill */
	RING_IDX req_cons;         /* next request to consume */
};

/*
 * Number of entries of entry_size bytes that a ring of ring_bytes holds:
 * what fits after the header, rounded down to a power of two. 0 if not one.
 */
static inline uint32_t pvx_ring_nr_ents(size_t ring_bytes, size_t entry_size)
{
	size_t fit, n = 1;

	if (entry_size == 0 || ring_bytes < XEN_SRING_HDR_SIZE + entry_size)
		return 0;
	fit = (ring_bytes - XEN_SRING_HDR_SIZE) / entry_size;
	if (fit > (size_t)1 << 30)
		fit = (size_t)1 << 30; /* keep counts representable as int */
	while (n * 2 <= fit)
		n *= 2;
	return (uint32_t)n;
}

/* Reset the shared header: empty ring, both sides ask for the first event. */
static inline void pvx_sring_init(struct xen_sring_hdr *s)
{
	__builtin_memset(s, 0, sizeof(*s));
	s->req_event = 1;
	s->rsp_event = 1;
}

/* Read a peer-written index exactly once. */
static inline RING_IDX pvx_ring_read_idx(const RING_IDX *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void pvx_ring_write_idx(RING_IDX *p, RING_IDX v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/*
 * Publish a producer index (req_prod or rsp_prod) up to `new`; true if the
 * peer's event index (req_event or rsp_event) lies in the published batch,
 * i.e. the peer asked to be notified. Only the producer writes `prod`; a
 * peer scribbling on it can only skew the notify decision, never our
 * private indices.
 */
static inline bool pvx_ring_publish(RING_IDX *prod, const RING_IDX *event,
				    RING_IDX new)
{
	RING_IDX old = pvx_ring_read_idx(prod);

	/* Write the entries (and finish reading the slots they answer)
	 * before publishing the producer index. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	pvx_ring_write_idx(prod, new);
	/*
	 * Publish the producer index before reading the event index: the
	 * consumer writes its event index and then re-reads ours
	 * (pvx_ring_arm_event), so with a full fence on both sides at least
	 * one of us sees the other's write (no lost wake-up).
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return (RING_IDX)(new - pvx_ring_read_idx(event)) < (RING_IDX)(new - old);
}

/*
 * Before the consumer sleeps: ask for an event at entry `next`. The caller
 * then looks at the producer index again; the fence orders the event write
 * before that re-read (pairs with pvx_ring_publish).
 */
static inline void pvx_ring_arm_event(RING_IDX *event, RING_IDX next)
{
	pvx_ring_write_idx(event, next);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* ---- front end ---------------------------------------------------------- */

/* A fresh front end over a header already reset with pvx_sring_init. */
static inline void pvx_ring_front_init(struct pvx_ring_front *f,
				       struct xen_sring_hdr *s, uint32_t nr_ents)
{
	f->sring = s;
	f->nr_ents = nr_ents;
	f->req_prod_pvt = 0;
	f->rsp_cons = 0;
}

/*
 * Re-attach to a live ring (e.g. after a restart): resume from its indices.
 * -XEN_EIO (and f untouched) if they claim more than nr_ents outstanding.
 */
static inline int pvx_ring_front_attach(struct pvx_ring_front *f,
					struct xen_sring_hdr *s, uint32_t nr_ents)
{
	RING_IDX req = pvx_ring_read_idx(&s->req_prod);
	RING_IDX rsp = pvx_ring_read_idx(&s->rsp_prod);

	if ((RING_IDX)(req - rsp) > nr_ents)
		return -XEN_EIO;
	f->sring = s;
	f->nr_ents = nr_ents;
	f->req_prod_pvt = req;
	f->rsp_cons = rsp;
	return 0;
}

/* Request slots the front end may still fill (private state only). */
static inline uint32_t pvx_ring_front_free_slots(const struct pvx_ring_front *f)
{
	return f->nr_ents - (RING_IDX)(f->req_prod_pvt - f->rsp_cons);
}

/* Claim the next request slot; returns its ring index, or -XEN_ENOSPC. */
static inline int64_t pvx_ring_front_claim(struct pvx_ring_front *f)
{
	if (pvx_ring_front_free_slots(f) == 0)
		return -XEN_ENOSPC;
	return f->req_prod_pvt++ & (f->nr_ents - 1);
}

/*
 * Publish every claimed request. Returns true if the back end asked to be
 * notified somewhere in the published batch.
 */
static inline bool pvx_ring_front_push(struct pvx_ring_front *f)
{
	return pvx_ring_publish(&f->sring->req_prod, &f->sring->req_event,
				f->req_prod_pvt);
}

/*
 * Responses waiting to be consumed, or -XEN_EIO if the back end claims more
 * responses than there are outstanding requests.
 */
static inline int pvx_ring_front_unconsumed(const struct pvx_ring_front *f)
{
	RING_IDX prod = pvx_ring_read_idx(&f->sring->rsp_prod);
	RING_IDX avail = prod - f->rsp_cons;

	if (avail > (RING_IDX)(f->req_prod_pvt - f->rsp_cons))
		return -XEN_EIO;
	/* Read rsp_prod before reading the response slots it covers. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return (int)avail;
}

/*
 * Before sleeping: ask for an event at the next response, then look again
 * (a response published meanwhile would otherwise go unnoticed).
 */
static inline int pvx_ring_front_final_check(struct pvx_ring_front *f)
{
	int work = pvx_ring_front_unconsumed(f);

	if (work != 0)
		return work;
	pvx_ring_arm_event(&f->sring->rsp_event, f->rsp_cons + 1);
	return pvx_ring_front_unconsumed(f);
}

/* ---- back end ----------------------------------------------------------- */

static inline void pvx_ring_back_init(struct pvx_ring_back *b,
				      struct xen_sring_hdr *s, uint32_t nr_ents)
{
	b->sring = s;
	b->nr_ents = nr_ents;
	b->rsp_prod_pvt = 0;
	b->req_cons = 0;
}

/*
 * Attach to a ring the front end set up: resume after the last published
 * response (requests past it are processed again, as in Xen).
 */
static inline int pvx_ring_back_attach(struct pvx_ring_back *b,
				       struct xen_sring_hdr *s, uint32_t nr_ents)
{
	RING_IDX rsp = pvx_ring_read_idx(&s->rsp_prod);

	b->sring = s;
	b->nr_ents = nr_ents;
	b->rsp_prod_pvt = rsp;
	b->req_cons = rsp;
	return 0;
}

/*
 * Requests waiting to be consumed, or -XEN_EIO if req_prod claims more
 * requests than the ring can hold (req_prod - rsp_prod_pvt > nr_ents, which
 * implies req_prod - req_cons > nr_ents) or lies behind req_cons.
 */
static inline int pvx_ring_back_unconsumed(const struct pvx_ring_back *b)
{
	RING_IDX prod = pvx_ring_read_idx(&b->sring->req_prod);
	RING_IDX span = prod - b->rsp_prod_pvt;        /* requests not yet answered */
	RING_IDX taken = b->req_cons - b->rsp_prod_pvt; /* of which consumed */

	if (span > b->nr_ents || span < taken)
		return -XEN_EIO;
	/* Read req_prod before reading the request slots it covers. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return (int)(span - taken);
}

/* Consume one request; returns its slot. Only after unconsumed() > 0. */
static inline uint32_t pvx_ring_back_take(struct pvx_ring_back *b)
{
	return b->req_cons++ & (b->nr_ents - 1);
}

/* Claim the slot for the next response; -XEN_ENOSPC if none is owed. */
static inline int64_t pvx_ring_back_claim(struct pvx_ring_back *b)
{
	if (b->rsp_prod_pvt == b->req_cons)
		return -XEN_ENOSPC;
	return b->rsp_prod_pvt++ & (b->nr_ents - 1);
}

/* Publish every claimed response; true if the front end asked for an event. */
static inline bool pvx_ring_back_push(struct pvx_ring_back *b)
{
	/* Once rsp_prod is published the front end may reuse the slots: the
	 * release fence in pvx_ring_publish also ends our reads of them. */
	return pvx_ring_publish(&b->sring->rsp_prod, &b->sring->rsp_event,
				b->rsp_prod_pvt);
}

/* Before sleeping: ask for an event at the next request, then look again. */
static inline int pvx_ring_back_final_check(struct pvx_ring_back *b)
{
	int work = pvx_ring_back_unconsumed(b);

	if (work != 0)
		return work;
	pvx_ring_arm_event(&b->sring->req_event, b->req_cons + 1);
	return pvx_ring_back_unconsumed(b);
}

/*
 * Copy one entry out of shared memory, then stop the compiler from reading
 * the shared slot again in place of the copy: after this point the caller
 * may validate and use *dst knowing the peer cannot change it.
 */
#define PVX_RING_COPY_OUT(dst, src)                                                 \
	do {                                                                        \
		__builtin_memcpy((dst), (src), sizeof(*(dst)));                     \
		/* The copy happens here, not at a later use. */                    \
		__atomic_signal_fence(__ATOMIC_SEQ_CST);                            \
	} while (0)

/* Generated functions: a user need not call every one (clang warns otherwise). */
#define PVX_RING_FN static inline __attribute__((unused))

/*
 * PVX_RING_DEFINE(name, req_t, rsp_t) declares
 *   union name##_sring_entry, struct name##_sring (the shared page(s)),
 *   struct name##_front_ring, struct name##_back_ring, and
 *   name##_ring_size(bytes)                  entries in a ring of that size
 *   name##_sring_init(sring)                 reset the shared header
 *   name##_front_init/_attach(fr, sring, bytes)   0, -XEN_EINVAL (too small),
 *                                            -XEN_EIO (attach: bad indices)
 *   name##_front_free_slots(fr)
 *   name##_front_req_slot(fr)                next request slot, NULL if full
 *   name##_front_put_request(fr, &req)       0 or -XEN_ENOSPC
 *   name##_front_push_requests_and_check_notify(fr)   true: notify the peer
 *   name##_front_has_unconsumed_responses(fr)    count or -XEN_EIO
 *   name##_front_get_response(fr, &rsp)      1 copied, 0 none, -XEN_EIO
 *   name##_front_final_check_for_responses(fr)   count or -XEN_EIO
 *   name##_back_init/_attach(br, sring, bytes)    0 or -XEN_EINVAL
 *   name##_back_has_unconsumed_requests(br)  count or -XEN_EIO
 *   name##_back_get_request(br, &req)        1 copied, 0 none, -XEN_EIO
 *   name##_back_rsp_slot(br)                 next response slot, NULL if none owed
 *   name##_back_put_response(br, &rsp)       0 or -XEN_ENOSPC
 *   name##_back_push_responses_and_check_notify(br)   true: notify the peer
 *   name##_back_final_check_for_requests(br) count or -XEN_EIO
 */
#define PVX_RING_DEFINE(name, req_t, rsp_t)                                         \
union name##_sring_entry {                                                          \
	req_t req;                                                                  \
	rsp_t rsp;                                                                  \
};                                                                                  \
struct name##_sring {                                                               \
	struct xen_sring_hdr hdr;                                                   \
	union name##_sring_entry ring[];                                            \
};                                                                                  \
_Static_assert(__builtin_offsetof(struct name##_sring, ring) == XEN_SRING_HDR_SIZE, \
	       #name " ring entries must start at byte 64");                        \
struct name##_front_ring {                                                          \
	struct pvx_ring_front r;                                                    \
	struct name##_sring *sring;                                                 \
};                                                                                  \
struct name##_back_ring {                                                           \
	struct pvx_ring_back r;                                                     \
	struct name##_sring *sring;                                                 \
};                                                                                  \
PVX_RING_FN uint32_t name##_ring_size(size_t bytes)                                 \
{                                                                                   \
	return pvx_ring_nr_ents(bytes, sizeof(union name##_sring_entry));           \
}                                                                                   \
PVX_RING_FN void name##_sring_init(struct name##_sring *s)                          \
{                                                                                   \
	pvx_sring_init(&s->hdr);                                                    \
}                                                                                   \
PVX_RING_FN int name##_front_init(struct name##_front_ring *fr,                     \
				    struct name##_sring *s, size_t bytes)           \
{                                                                                   \
	uint32_t n = name##_ring_size(bytes);                                       \
	if (n == 0)                                                                 \
		return -XEN_EINVAL;                                                 \
	fr->sring = s;                                                              \
	pvx_ring_front_init(&fr->r, &s->hdr, n);                                    \
	return 0;                                                                   \
}                                                                                   \
PVX_RING_FN int name##_front_attach(struct name##_front_ring *fr,                   \
				      struct name##_sring *s, size_t bytes)         \
{                                                                                   \
	uint32_t n = name##_ring_size(bytes);                                       \
	if (n == 0)                                                                 \
		return -XEN_EINVAL;                                                 \
	fr->sring = s;                                                              \
	return pvx_ring_front_attach(&fr->r, &s->hdr, n);                           \
}                                                                                   \
PVX_RING_FN uint32_t name##_front_free_slots(const struct name##_front_ring *fr)    \
{                                                                                   \
	return pvx_ring_front_free_slots(&fr->r);                                   \
}                                                                                   \
PVX_RING_FN req_t *name##_front_req_slot(struct name##_front_ring *fr)              \
{                                                                                   \
	int64_t i = pvx_ring_front_claim(&fr->r);                                   \
	return i < 0 ? NULL : &fr->sring->ring[i].req;                              \
}                                                                                   \
PVX_RING_FN int name##_front_put_request(struct name##_front_ring *fr,              \
					   const req_t *req)                        \
{                                                                                   \
	req_t *slot = name##_front_req_slot(fr);                                    \
	if (!slot)                                                                  \
		return -XEN_ENOSPC;                                                 \
	__builtin_memcpy(slot, req, sizeof(*slot));                                 \
	return 0;                                                                   \
}                                                                                   \
PVX_RING_FN bool                                                                    \
name##_front_push_requests_and_check_notify(struct name##_front_ring *fr)           \
{                                                                                   \
	return pvx_ring_front_push(&fr->r);                                         \
}                                                                                   \
PVX_RING_FN int                                                                     \
name##_front_has_unconsumed_responses(const struct name##_front_ring *fr)           \
{                                                                                   \
	return pvx_ring_front_unconsumed(&fr->r);                                   \
}                                                                                   \
PVX_RING_FN int name##_front_get_response(struct name##_front_ring *fr,             \
					    rsp_t *out)                             \
{                                                                                   \
	int avail = pvx_ring_front_unconsumed(&fr->r);                              \
	if (avail <= 0)                                                             \
		return avail;                                                       \
	PVX_RING_COPY_OUT(out,                                                      \
		&fr->sring->ring[fr->r.rsp_cons & (fr->r.nr_ents - 1)].rsp);        \
	fr->r.rsp_cons++;                                                           \
	return 1;                                                                   \
}                                                                                   \
PVX_RING_FN int                                                                     \
name##_front_final_check_for_responses(struct name##_front_ring *fr)                \
{                                                                                   \
	return pvx_ring_front_final_check(&fr->r);                                  \
}                                                                                   \
PVX_RING_FN int name##_back_init(struct name##_back_ring *br,                       \
				   struct name##_sring *s, size_t bytes)            \
{                                                                                   \
	uint32_t n = name##_ring_size(bytes);                                       \
	if (n == 0)                                                                 \
		return -XEN_EINVAL;                                                 \
	br->sring = s;                                                              \
	pvx_ring_back_init(&br->r, &s->hdr, n);                                     \
	return 0;                                                                   \
}                                                                                   \
PVX_RING_FN int name##_back_attach(struct name##_back_ring *br,                     \
				     struct name##_sring *s, size_t bytes)          \
{                                                                                   \
	uint32_t n = name##_ring_size(bytes);                                       \
	if (n == 0)                                                                 \
		return -XEN_EINVAL;                                                 \
	br->sring = s;                                                              \
	return pvx_ring_back_attach(&br->r, &s->hdr, n);                            \
}                                                                                   \
PVX_RING_FN int                                                                     \
name##_back_has_unconsumed_requests(const struct name##_back_ring *br)              \
{                                                                                   \
	return pvx_ring_back_unconsumed(&br->r);                                    \
}                                                                                   \
PVX_RING_FN int name##_back_get_request(struct name##_back_ring *br, req_t *out)    \
{                                                                                   \
	int avail = pvx_ring_back_unconsumed(&br->r);                               \
	if (avail <= 0)                                                             \
		return avail;                                                       \
	PVX_RING_COPY_OUT(out, &br->sring->ring[pvx_ring_back_take(&br->r)].req);   \
	return 1;                                                                   \
}                                                                                   \
PVX_RING_FN rsp_t *name##_back_rsp_slot(struct name##_back_ring *br)                \
{                                                                                   \
	int64_t i = pvx_ring_back_claim(&br->r);                                    \
	return i < 0 ? NULL : &br->sring->ring[i].rsp;                              \
}                                                                                   \
PVX_RING_FN int name##_back_put_response(struct name##_back_ring *br,               \
					   const rsp_t *rsp)                        \
{                                                                                   \
	rsp_t *slot = name##_back_rsp_slot(br);                                     \
	if (!slot)                                                                  \
		return -XEN_ENOSPC;                                                 \
	__builtin_memcpy(slot, rsp, sizeof(*slot));                                 \
	return 0;                                                                   \
}                                                                                   \
PVX_RING_FN bool                                                                    \
name##_back_push_responses_and_check_notify(struct name##_back_ring *br)            \
{                                                                                   \
	return pvx_ring_back_push(&br->r);                                          \
}                                                                                   \
PVX_RING_FN int name##_back_final_check_for_requests(struct name##_back_ring *br)   \
{                                                                                   \
	return pvx_ring_back_final_check(&br->r);                                   \
}

#endif /* PVX_RING_H */

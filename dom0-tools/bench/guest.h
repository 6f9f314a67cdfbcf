/*
 * Guest mode of `pvx bench ring` (docs/bench-ring.md), private to guest*.c:
 *
 *   guest.c        one run: domain, device entries, handshake, result
 *   guest_dom.c    the minios domain (created paused through the pvx CLI
 *                  next to us, destroyed at the end) and its xenstore
 *                  device entries
 *   guest_back.c   the backend's xenbus side: states, mapping the
 *                  granted ring and payload pages, binding the port
 *   guest_serve.c  the backend's data path: the event-channel echo and
 *                  the ring loop, validating every request it copies
 *   guest_copy.c   --grant-copy: a batch's payloads in one GNTTABOP_copy
 *
 * The guest is hostile like any frontend: every key it writes is bounded,
 * every request is copied off the ring once and checked before use, and a
 * bad producer index or request stops this device (state Closed, grants
 * unmapped) with the reason, never the bench process.
 */
#ifndef DOM0_TOOLS_BENCH_GUEST_H
#define DOM0_TOOLS_BENCH_GUEST_H

#include <pvx/ctlclient.h>
#include <pvx/gnttab.h>
#include <pvx/xs.h>

#include "bench.h"

#define GB_MAX_RING_PAGES 8u     /* minios ringfront's limit */
#define GB_DATA_PAGES 64u        /* the guest's payload pool */

struct gback {
	struct pvx_ctl *ctl;
	struct pvx_gnttab *g;
	struct xs_handle *xs;
	int32_t domid;
	char name[64];
	char fe[96], be[96];
	/* the run's parameters */
	enum bench_notify notify;
	unsigned ring_pages, batch, outstanding, payload;
	uint64_t warmup_us, window_us, pingpong, spin_us;
	bool grant_copy;             /* payloads by GNTTABOP_copy, data pages unmapped */
	const char *hostile;         /* tests: what the guest should break, or NULL */
	/* connected state */
	struct bench_back_ring br;
	struct pvx_evtchn ev;
	bool ev_bound;
	uint32_t handles[GB_MAX_RING_PAGES + GB_DATA_PAGES];
	unsigned nmapped;
	uint8_t *data[GB_DATA_PAGES];
	grant_ref_t data_refs[GB_DATA_PAGES];
	unsigned data_pages;
	uint32_t slot_bytes;
	/* counters */
	uint64_t seq, served, notifies, wakes;
	uint8_t scratch[BENCH_PAGE];
	/* --grant-copy: one batch of requests and its copy segments */
	struct bench_req *pend;
	struct pvx_gnttab_copy *segs;
	uint8_t *copybuf;
	char msg[BENCH_MSG_LEN];
};

/* guest_dom.c */
int gb_dom_create(struct gback *b, const struct bench_opts *o);
void gb_dom_destroy(struct gback *b);
int gb_dev_write(struct gback *b);
int gb_read_u64(struct gback *b, const char *dir, const char *key, uint64_t *out);
int gb_set_state(struct gback *b, unsigned state);

/* guest_back.c */
/* Waits (watch) for the frontend's state to reach want, until deadline_ns
 * (bench_now_ns). 0; -EPIPE if it closed instead (its `error` in msg). */
int gb_wait_front(struct gback *b, unsigned want, uint64_t deadline_ns);
int gb_connect(struct gback *b);
void gb_disconnect(struct gback *b);

/* guest_serve.c */
int gb_echo(struct gback *b);
int gb_serve(struct gback *b, uint64_t deadline_ns);
/* Checks a request's header only (id, length, offset); 0 or -EINVAL. */
int gb_check_header(struct gback *b, const struct bench_req *q, uint64_t seq);
/* Checks a payload copy's stamp against seq; 0 or -EINVAL. */
int gb_check_stamp(struct gback *b, const uint8_t *payload, uint64_t seq, uint32_t id);

/* guest_copy.c */
int gb_copy_alloc(struct gback *b);
void gb_copy_free(struct gback *b);
/* Serves up to one batch by copying payloads; count or -errno. */
int gb_serve_copy(struct gback *b);

#endif /* DOM0_TOOLS_BENCH_GUEST_H */

/*
 * bench-ring: the minios frontend of `pvx bench ring --mode guest`
 * (docs/bench-ring.md). bench_ring.c does the xenbus handshake and the
 * reporting, bench_ring_run.c the measured loops (event-channel
 * ping-pong, then the ring).
 *
 * The wire format is the Dom0 bench's (dom0-tools/bench/bench.h):
 * 16-byte entries; a request { id, stamp, off, len }, a response
 * { id, stamp, status, pad }. Both sides define it; the sizes are
 * asserted here.
 */
#ifndef GUEST_PROGRAMS_BENCH_RING_H
#define GUEST_PROGRAMS_BENCH_RING_H

#include <stdint.h>

#include <minios/ringfront.h>

struct bench_ring_req {
	uint32_t id;
	uint32_t stamp;
	uint32_t off;
	uint32_t len;
};

struct bench_ring_rsp {
	uint32_t id;
	uint32_t stamp;
	int32_t status;
	uint32_t pad;
};

_Static_assert(sizeof(struct bench_ring_req) == 16, "wire: request is 16 bytes");
_Static_assert(sizeof(struct bench_ring_rsp) == 16, "wire: response is 16 bytes");

/* Notification policies, numbered as the Dom0 bench's enum bench_notify. */
enum { BR_ALWAYS = 0, BR_HOLDOFF = 1, BR_POLL = 2 };

#define BR_DATA_PAGES 64        /* the granted payload area, 256 KiB at most */
#define BR_MAX_ENTS 1024        /* 8 ring pages of 16-byte entries */

/* Parameters, read from the backend's directory (bench-* keys). */
struct br_params {
	uint64_t ring_pages, batch, outstanding, payload, notify;
	uint64_t warmup_us, window_us, pingpong, spin_us;
	unsigned hostile;           /* tests: BR_HOSTILE_* */
};

/* bench-hostile (tests of the backend): after 1000 requests, publish an
 * impossible req_prod, or a request with the wrong id. */
enum { BR_HOSTILE_NONE, BR_HOSTILE_PROD, BR_HOSTILE_ID };

/* Latency histogram: exact below 128 ns, then 64 buckets per power of two
 * (the Dom0 bench's layout, so percentiles mean the same). */
#define BR_HIST_BUCKETS (128 + 34 * 64)

struct br_hist {
	uint64_t count, sum, max;
	uint32_t bucket[BR_HIST_BUCKETS];
};

struct br_result {
	uint64_t requests, window_ns, total, pushes, notifies;
	struct br_hist lat;
	uint64_t pp_rounds;
	struct br_hist pp;
	char why[96];               /* the failure, when a loop fails */
};

struct br_dev {
	struct ringfront rf;
	struct br_params p;
	uint8_t *data;              /* BR_DATA_PAGES contiguous pages */
	unsigned data_pages;        /* granted */
	grant_ref_t data_refs[BR_DATA_PAGES];
	uint32_t slot_bytes;
};

void br_hist_add(struct br_hist *h, uint64_t ns);
uint64_t br_hist_quantile(const struct br_hist *h, uint64_t per_mille_x10);

/* Ping-pong over the ring's event channel; 0 or -1 (reason in r->why). */
int br_pingpong(struct br_dev *d, struct br_result *r);
/* The measured ring run; 0 or -1 (reason in r->why). */
int br_ring_run(struct br_dev *d, struct br_result *r);

#endif /* GUEST_PROGRAMS_BENCH_RING_H */

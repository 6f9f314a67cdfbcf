/*
 * bench-ring's measured loops (bench_ring.h).
 *
 * Ping-pong: send on the ring's port, wait (SCHEDOP_poll) for the echo,
 * time it with the guest's clock: the guest <-> Dom0 event-channel round
 * trip the ring's latency is compared with.
 *
 * Ring: the host-mode frontend's loop, in the guest. Requests go out
 * `batch` at a time while fewer than `outstanding` are in flight, each
 * batch stamped once (in our own memory: the backend's echo is not
 * trusted for timing); each response is checked (id in order, status 0)
 * and timed when consumed. Only responses consumed inside the measured
 * window count and are timed; after it we stop issuing and drain.
 * Policies: always (notify on every push), holdoff (ringfront's hold-off
 * rule and final check), poll (no notifications, spin).
 */
#include <minios/events.h>
#include <minios/lib.h>
#include <minios/sched.h>
#include <minios/time.h>

#include "bench_ring.h"

#define STALL_NS 5000000000ull

static unsigned hist_index(uint64_t ns)
{
	unsigned msb, shift;

	if (ns < 128)
		return (unsigned)ns;
	msb = 63u - (unsigned)__builtin_clzll(ns);
	if (msb > 40)
		return BR_HIST_BUCKETS - 1;
	shift = msb - 6;
	return 128 + (msb - 7) * 64 + (unsigned)((ns >> shift) & 63);
}

static uint64_t hist_mid(unsigned i)
{
	unsigned msb, shift;

	if (i < 128)
		return i;
	msb = 7 + (i - 128) / 64;
	shift = msb - 6;
	return ((64ull + (i - 128) % 64) << shift) + (1ull << shift) / 2;
}

void br_hist_add(struct br_hist *h, uint64_t ns)
{
	h->bucket[hist_index(ns)]++;
	h->count++;
	h->sum += ns;
	if (ns > h->max)
		h->max = ns;
}

uint64_t br_hist_quantile(const struct br_hist *h, uint64_t q10k)
{
	uint64_t want = (h->count * q10k + 9999) / 10000, seen = 0;

	if (!h->count)
		return 0;
	if (want == 0)
		want = 1;
	for (unsigned i = 0; i < BR_HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		/* A bucket's midpoint may lie above every value in it: a
		 * quantile never exceeds the largest sample (the host's
		 * histogram clamps the same way). */
		if (seen >= want)
			return hist_mid(i) < h->max ? hist_mid(i) : h->max;
	}
	return h->max;
}

int br_pingpong(struct br_dev *d, struct br_result *r)
{
	evtchn_port_t port = d->rf.port;

	evtchn_test_and_clear(port);
	for (uint64_t i = 0; i < d->p.pingpong; i++) {
		uint64_t t0 = time_now_ns();

		evtchn_send(port);
		if (!evtchn_wait_until(port, t0 + STALL_NS)) {
			snprintf(r->why, sizeof(r->why), "ping-pong: no echo after %llu",
				 (unsigned long long)i);
			return -1;
		}
		br_hist_add(&r->pp, time_now_ns() - t0);
		r->pp_rounds++;
	}
	return 0;
}

struct run {
	struct br_dev *d;
	struct br_result *r;
	uint64_t issued, done, warm_end, end;
	int broke;
	uint64_t stamp[BR_MAX_ENTS];
};

static void push(struct run *x)
{
	struct ringfront *rf = &x->d->rf;

	x->r->pushes++;
	switch (x->d->p.notify) {
	case BR_ALWAYS:
		pvx_ring_front_push(&rf->front);
		evtchn_send(rf->port);
		x->r->notifies++;
		break;
	case BR_HOLDOFF:
		x->r->notifies += (uint64_t)ringfront_push(rf);
		break;
	default:
		pvx_ring_front_push(&rf->front);
	}
}

static void issue(struct run *x, uint64_t now)
{
	struct ringfront *rf = &x->d->rf;
	uint32_t mask = rf->front.nr_ents - 1, slot_bytes = x->d->slot_bytes;

	for (uint64_t k = 0; k < x->d->p.batch; k++) {
		int64_t i = pvx_ring_front_claim(&rf->front);
		struct bench_ring_req *q;
		uint32_t s;

		if (i < 0)
			break;
		s = (uint32_t)i & mask;
		q = (void *)((uint8_t *)rf->ring + XEN_SRING_HDR_SIZE + s * sizeof(*q));
		x->stamp[s] = now;
		*q = (struct bench_ring_req){ (uint32_t)x->issued, (uint32_t)now, s * slot_bytes,
					      (uint32_t)x->d->p.payload };
		if (x->d->p.payload) {
			uint64_t seq = x->issued;

			memcpy(x->d->data + s * slot_bytes, &seq, MIN(x->d->p.payload, 8));
		}
		if (x->d->p.hostile == BR_HOSTILE_ID && x->issued == 1000)
			q->id ^= 0x5a5a;
		x->issued++;
	}
	push(x);
	if (x->d->p.hostile == BR_HOSTILE_PROD && x->issued >= 1000 && !x->broke) {
		struct xen_sring_hdr *h = rf->ring;

		pvx_ring_write_idx(&h->req_prod, h->req_prod + 0x10000);
		evtchn_send(rf->port);
		x->broke = 1;
	}
}

/* Consumes what is there: its count, or -1 on a bad response. */
static int consume(struct run *x)
{
	struct ringfront *rf = &x->d->rf;
	uint32_t mask = rf->front.nr_ents - 1;
	int avail = pvx_ring_front_unconsumed(&rf->front);
	uint64_t now = time_now_ns();

	if (avail < 0) {
		snprintf(x->r->why, sizeof(x->r->why), "bad response producer index");
		return -1;
	}
	for (int k = 0; k < avail; k++) {
		struct bench_ring_rsp m;

		PVX_RING_COPY_OUT(&m, (struct bench_ring_rsp *)((uint8_t *)rf->ring +
				  XEN_SRING_HDR_SIZE + (rf->front.rsp_cons & mask) * sizeof(m)));
		if (m.id != (uint32_t)x->done || m.status != 0) {
			snprintf(x->r->why, sizeof(x->r->why), "response %u (status %d), expected %u",
				 m.id, m.status, (uint32_t)x->done);
			return -1;
		}
		if (now >= x->warm_end && now < x->end) {
			br_hist_add(&x->r->lat, now - x->stamp[rf->front.rsp_cons & mask]);
			x->r->requests++;
		}
		rf->front.rsp_cons++;
		x->done++;
	}
	return avail;
}

static int can_issue(const struct run *x)
{
	const struct br_params *p = &x->d->p;

	return x->issued - x->done + p->batch <= p->outstanding &&
	       pvx_ring_front_free_slots(&x->d->rf.front) >= p->batch;
}

int br_ring_run(struct br_dev *d, struct br_result *r)
{
	static struct run x;
	uint64_t start = time_now_ns(), progress = start, idle_since = 0;

	memset(&x, 0, sizeof(x));
	x.d = d;
	x.r = r;
	x.warm_end = start + d->p.warmup_us * 1000;
	x.end = x.warm_end + d->p.window_us * 1000;
	for (;;) {
		uint64_t now = time_now_ns();
		int n;

		if (now < x.end && can_issue(&x))
			issue(&x, now);
		n = consume(&x);
		if (n < 0)
			return -1;
		if (n > 0)
			progress = now, idle_since = 0;
		if (n > 0 || (now < x.end && can_issue(&x)))
			continue;
		if (x.issued == x.done && now >= x.end)
			break;
		if (d->p.notify == BR_POLL) {
			if (now - progress < STALL_NS) {
				__builtin_ia32_pause();
				continue;
			}
			snprintf(r->why, sizeof(r->why), "no response for 5 s (%llu in flight)",
				 (unsigned long long)(x.issued - x.done));
			return -1;
		}
		if (!idle_since)
			idle_since = now;
		if (now - idle_since < d->p.spin_us * 1000) {
			__builtin_ia32_pause();
			continue;
		}
		idle_since = 0;
		if (ringfront_wait(&d->rf, now + STALL_NS) <= 0) {
			snprintf(r->why, sizeof(r->why), "no response for 5 s (%llu in flight)",
				 (unsigned long long)(x.issued - x.done));
			return -1;
		}
	}
	r->window_ns = x.end - x.warm_end;
	r->total = x.done;
	return 0;
}

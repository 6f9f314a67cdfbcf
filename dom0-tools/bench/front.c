/*
 * The frontend of a host-mode run: keeps up to `outstanding` requests in
 * flight, publishing them `batch` at a time, and consumes responses.
 *
 * Each published batch carries one TSC stamp (taken just before the
 * requests are written); a response's round trip is "now" at the consume
 * pass that finds it minus that stamp, so a latency covers publish →
 * backend → response visible to the frontend. One stamp per batch and per
 * consume pass keeps the clock off the per-request path.
 *
 * Time line: a warm-up (caches, page faults, CPU frequency), then the
 * measured window: requests, rates and the histogram cover only the
 * window; notification and CPU counts cover the whole run and are divided
 * by every request of it. After the window the frontend stops issuing,
 * drains what is in flight, then sets ctl->stop and kicks the backend.
 *
 * The frontend checks what the backend sends too (ids in order, status 0):
 * a wrong response ends the run with -EPROTO rather than a silently wrong
 * figure.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "bench.h"

struct front {
	struct bench_shm *s;
	const struct bench_end_cfg *c;
	struct bench_front_ring fr;
	uint64_t next_id, next_rsp, inflight;
	uint64_t ns_mult;            /* ns = ticks * ns_mult >> 32 */
	bool measuring;
	uint64_t requests, requests_total, notifies;
};

static int fail(struct front *f, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct front *f, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->s->ctl->front_msg, sizeof(f->s->ctl->front_msg), fmt, ap);
	va_end(ap);
	f->s->ctl->front_err = err;
	return err;
}

static uint64_t ticks_to_ns(const struct front *f, uint64_t ticks)
{
	return (uint64_t)(((unsigned __int128)ticks * f->ns_mult) >> 32);
}

/* Publishes one batch if the outstanding limit allows. 1 if it did. */
static int issue(struct front *f)
{
	struct bench_shm *s = f->s;
	uint32_t stamp;
	int r;

	if (f->inflight + f->c->batch > f->c->outstanding)
		return 0;
	bench_ring_prefetch(s->sring, s->nr_ents, f->fr.r.req_prod_pvt, f->c->batch, true);
	stamp = (uint32_t)(bench_tsc() >> BENCH_STAMP_SHIFT);
	for (unsigned i = 0; i < f->c->batch; i++) {
		struct bench_req *q = bench_front_req_slot(&f->fr);
		uint32_t slot = (uint32_t)(f->next_id & (s->nr_ents - 1));

		if (!q)
			return fail(f, -ENOSPC, "ring full with %llu in flight",
				    (unsigned long long)f->inflight);
		q->id = (uint32_t)f->next_id;
		q->stamp = stamp;
		q->off = slot * s->slot_bytes;
		q->len = f->c->payload;
		if (f->c->payload >= sizeof(uint64_t))
			memcpy(s->data + q->off, &f->next_id, sizeof(uint64_t));
		f->next_id++;
	}
	f->inflight += f->c->batch;
	r = f->c->policy->front_push(s, &f->fr);
	if (r < 0)
		return fail(f, r, "kick: %s", strerror(-r));
	f->notifies += (uint64_t)r;
	return 1;
}

/* Consumes every visible response. Count, or -errno. */
static int consume(struct front *f)
{
	struct bench_front_ring *fr = &f->fr;
	int n = bench_front_has_unconsumed_responses(fr);
	uint32_t now;

	if (n < 0)
		return fail(f, n, "backend published more responses than requests");
	if (n == 0)
		return 0;
	bench_ring_prefetch(fr->sring, fr->r.nr_ents, fr->r.rsp_cons, (uint32_t)n, false);
	now = (uint32_t)(bench_tsc() >> BENCH_STAMP_SHIFT);
	for (int i = 0; i < n; i++) {
		struct bench_rsp r;

		PVX_RING_COPY_OUT(&r, &fr->sring->ring[fr->r.rsp_cons & (fr->r.nr_ents - 1)].rsp);
		fr->r.rsp_cons++;
		if (r.id != (uint32_t)f->next_rsp || r.status != 0)
			return fail(f, -EPROTO, "response %llu: id %u status %d",
				    (unsigned long long)f->next_rsp, r.id, r.status);
		f->next_rsp++;
		if (f->measuring) {
			bench_hist_add(&f->s->ctl->hist,
				       ticks_to_ns(f, (uint64_t)(uint32_t)(now - r.stamp)
						       << BENCH_STAMP_SHIFT));
			f->requests++;
		}
	}
	f->requests_total += (uint64_t)n;
	f->inflight -= (uint64_t)n;
	return n;
}

/* --spin: poll for responses before a blocking wait. >0 found, 0 none. */
static int spin(struct front *f)
{
	uint64_t end = bench_tsc() + f->c->spin_ticks;
	int r;

	do {
		r = bench_front_has_unconsumed_responses(&f->fr);
		if (r != 0)
			return r;
		__builtin_ia32_pause();
	} while (bench_tsc() < end);
	return 0;
}

/* Idle: wait per policy; a backend that gave up ends the run. */
static int idle(struct front *f)
{
	int r = 0;

	if (__atomic_load_n(&f->s->ctl->back_done, __ATOMIC_ACQUIRE))
		return fail(f, -ECONNRESET, "backend stopped: %s", f->s->ctl->back_msg);
	if (f->c->spin_ticks && f->c->policy->blocks)
		r = spin(f);
	if (r == 0)
		r = f->c->policy->front_wait(f->s, &f->fr);
	if (r == -EIO)
		return fail(f, r, "backend published more responses than requests");
	return r < 0 ? fail(f, r, "wait: %s", strerror(-r)) : 0;
}

static int run_window(struct front *f)
{
	double per_ns = bench_tsc_per_ns();
	uint64_t start = bench_tsc(), t0 = 0;
	uint64_t warm = start + (uint64_t)((double)f->c->warmup_ns * per_ns);
	uint64_t end = warm + (uint64_t)((double)f->c->window_ns * per_ns);
	int did, r;

	for (;;) {
		uint64_t now = bench_tsc();

		if (!f->measuring && now >= warm) {
			f->measuring = true;
			t0 = bench_now_ns();
		}
		if (now >= end)
			break;
		did = consume(f);
		if (did < 0)
			return did;
		while ((r = issue(f)) > 0)
			did++;
		if (r < 0)
			return r;
		if (did == 0 && (r = idle(f)) < 0)
			return r;
	}
	f->s->ctl->window_ns = bench_now_ns() - t0;
	f->measuring = false;
	return 0;
}

static int drain(struct front *f)
{
	int r;

	while (f->inflight > 0) {
		r = consume(f);
		if (r == 0)
			r = idle(f);
		if (r < 0)
			return r;
	}
	return 0;
}

int bench_front_run(struct bench_shm *s, const struct bench_end_cfg *c)
{
	struct front f = { .s = s, .c = c };
	struct bench_ctl *ctl = s->ctl;
	int r;

	f.ns_mult = (uint64_t)((double)(1ull << 32) / bench_tsc_per_ns());
	bench_hist_reset(&ctl->hist);
	r = bench_front_init(&f.fr, s->sring, s->ring_bytes);
	if (r == 0)
		r = run_window(&f);
	if (r == 0)
		r = drain(&f);
	ctl->requests = f.requests;
	ctl->requests_total = f.requests_total;
	ctl->front_notifies = f.notifies;
	/* Counters before stop: the parent reads them once both have exited. */
	__atomic_store_n(&ctl->stop, 1, __ATOMIC_RELEASE);
	bench_evt_notify(s->kick_fd);
	return r;
}

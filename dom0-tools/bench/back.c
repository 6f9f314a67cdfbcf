/*
 * The backend of a host-mode run: a Dom0-style consumer that trusts
 * nothing in the shared region.
 *
 * Each pass reads req_prod once (through the ring header, which answers
 * -EIO when it claims more requests than the ring can hold or runs
 * backwards), copies every request off the ring once, validates the copy
 * (sequence id, payload descriptor inside the data area and no
 * larger than a slot), copies the payload into private memory as a backend
 * copying granted pages would, then writes the response into the slot. It
 * publishes responses `batch` at a time (and at the end of a pass), so the
 * frontend can refill the ring while the rest of a large pass is served.
 *
 * On a bad index or request the backend publishes the responses it owes
 * for the good requests before it, writes the reason into ctl->back_msg,
 * raises back_done, wakes the frontend and returns the error: it never
 * reads past what it validated and never waits on a peer that broke the
 * protocol.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

struct back {
	struct bench_shm *s;
	const struct bench_end_cfg *c;
	struct bench_back_ring br;
	uint8_t *buf;                /* private copy of one payload */
	uint64_t seq, notifies;
};

static int fail(struct back *b, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct back *b, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->s->ctl->back_msg, sizeof(b->s->ctl->back_msg), fmt, ap);
	va_end(ap);
	b->s->ctl->back_err = err;
	return err;
}

int bench_back_validate(const struct bench_shm *s, const struct bench_req *req,
			uint64_t seq, char *msg, size_t len)
{
	unsigned long long n = (unsigned long long)seq;

	if (req->id != (uint32_t)seq)
		snprintf(msg, len, "request %llu: id %u out of sequence", n, req->id);
	else if (req->len > s->slot_bytes)
		snprintf(msg, len, "request %llu: payload length %u exceeds the %u-byte slot",
			 n, req->len, s->slot_bytes);
	else if (req->off > s->data_bytes || req->len > s->data_bytes - req->off)
		snprintf(msg, len, "request %llu: payload [%u, +%u) outside the %zu-byte data area",
			 n, req->off, req->len, s->data_bytes);
	else
		return 0;
	return -EINVAL;
}

static int serve_one(struct back *b)
{
	struct bench_back_ring *br = &b->br;
	struct bench_req req;
	struct bench_rsp *rsp;
	char msg[BENCH_MSG_LEN];

	PVX_RING_COPY_OUT(&req, &br->sring->ring[pvx_ring_back_take(&br->r)].req);
	if (bench_back_validate(b->s, &req, b->seq, msg, sizeof(msg)))
		return fail(b, -EINVAL, "%s", msg);
	if (req.len) {
		memcpy(b->buf, b->s->data + req.off, req.len);
		if (req.len >= sizeof(uint64_t) && memcmp(b->buf, &b->seq, sizeof(uint64_t)))
			return fail(b, -EINVAL, "request %llu: payload does not carry its id",
				    (unsigned long long)b->seq);
	}
	rsp = bench_back_rsp_slot(br);
	rsp->id = req.id;
	rsp->stamp = req.stamp;
	rsp->status = 0;
	b->seq++;
	return 0;
}

static int push(struct back *b)
{
	int r = b->c->policy->back_push(b->s, &b->br);

	if (r < 0)
		return fail(b, r, "call: %s", strerror(-r));
	b->notifies += (uint64_t)r;
	return 0;
}

static int bad_index(struct back *b)
{
	return fail(b, -EIO, "bad producer index: req_prod %u with %u requests consumed, "
		    "ring of %u", pvx_ring_read_idx(&b->br.sring->hdr.req_prod),
		    b->br.r.req_cons, b->br.r.nr_ents);
}

/* --spin: poll for requests before a blocking wait. >0 found, 0 none, -EIO. */
static int spin(struct back *b)
{
	uint64_t end = bench_tsc() + b->c->spin_ticks;
	int r;

	do {
		r = bench_back_has_unconsumed_requests(&b->br);
		if (r != 0 || __atomic_load_n(&b->s->ctl->stop, __ATOMIC_RELAXED))
			return r;
		__builtin_ia32_pause();
	} while (bench_tsc() < end);
	return 0;
}

static int serve(struct back *b)
{
	struct bench_ctl *ctl = b->s->ctl;
	int n, r;

	for (;;) {
		n = bench_back_has_unconsumed_requests(&b->br);
		if (n < 0)
			return bad_index(b);
		if (n == 0) {
			if (__atomic_load_n(&ctl->stop, __ATOMIC_ACQUIRE))
				return 0;
			r = b->c->spin_ticks && b->c->policy->blocks ? spin(b) : 0;
			if (r == 0)
				r = b->c->policy->back_wait(b->s, &b->br);
			if (r == -EIO)
				return bad_index(b);
			if (r < 0)
				return fail(b, r, "wait: %s", strerror(-r));
			continue;
		}
		/* Read and then answered in place: fetch the lines exclusive. */
		bench_ring_prefetch(b->br.sring, b->br.r.nr_ents, b->br.r.req_cons, (uint32_t)n, true);
		for (int i = 0; i < n; i++) {
			if ((r = serve_one(b)) < 0) {
				push(b);
				return r;
			}
			/* Answer in batches too, so the frontend can refill early. */
			if ((unsigned)(i + 1) % b->c->batch == 0 && i + 1 < n && (r = push(b)) < 0)
				return r;
		}
		if ((r = push(b)) < 0)
			return r;
	}
}

int bench_back_run(struct bench_shm *s, const struct bench_end_cfg *c)
{
	struct back b = { .s = s, .c = c };
	int r;

	if (s->slot_bytes && !(b.buf = malloc(s->slot_bytes)))
		r = fail(&b, -ENOMEM, "no memory for a %u-byte payload buffer", s->slot_bytes);
	else if ((r = bench_back_attach(&b.br, s->sring, s->ring_bytes)) < 0)
		r = fail(&b, r, "ring of %zu bytes is too small", s->ring_bytes);
	else {
		__atomic_store_n(&s->ctl->back_ready, 1, __ATOMIC_RELEASE);
		r = serve(&b);
	}
	s->ctl->back_notifies = b.notifies;
	free(b.buf);
	/* Done (and why) before waking the frontend, which may be asleep. */
	__atomic_store_n(&s->ctl->back_done, 1, __ATOMIC_RELEASE);
	bench_evt_notify(s->call_fd);
	return r;
}

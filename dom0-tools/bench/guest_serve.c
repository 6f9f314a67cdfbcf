/*
 * The backend's data path in guest mode, in the bench process.
 *
 * Echo: the guest's event-channel ping-pong; each event it sends is
 * answered with one back, `pingpong` times, before the ring starts.
 *
 * Ring: like the host-mode backend (back.c) but on granted pages. Each
 * request is copied off the ring once (the ring header's get_request)
 * and validated before anything uses it: its id must be the next
 * sequence number, its payload exactly the run's size at its own slot of
 * the granted payload area. The payload is copied into private memory
 * and its stamp checked: from the data pages mapped for the whole run
 * (persistent grants), or with --grant-copy by GNTTABOP_copy, one call
 * per batch (guest_copy.c). Responses are published `batch` at a time and the
 * guest notified per the policy. A bad producer index or a bad request
 * stops the device with the reason (the caller closes it); the guest
 * cannot make this loop do anything else.
 *
 * Stopping: the guest sets its state to Closing after its last response;
 * a watch on that node wakes us (polled every few thousand idle spins in
 * poll mode, where nothing sleeps).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <xen/public/io/xenbus.h>

#include "guest.h"

#define ECHO_WAIT_MS 10000
#define IDLE_CHECK 4096

int gb_echo(struct gback *b)
{
	struct pollfd p = { .fd = b->ev.event_fd, .events = POLLIN };

	for (uint64_t i = 0; i < b->pingpong; i++) {
		if (poll(&p, 1, ECHO_WAIT_MS) <= 0)
			return snprintf(b->msg, sizeof(b->msg), "ping-pong: no event from the "
					"guest after %llu", (unsigned long long)i), -ETIMEDOUT;
		pvx_evtchn_consume(&b->ev);
		pvx_evtchn_notify(&b->ev);
	}
	return 0;
}

int gb_check_header(struct gback *b, const struct bench_req *q, uint64_t seq)
{
	if (q->id != (uint32_t)seq)
		return snprintf(b->msg, sizeof(b->msg), "bad request: id %u, expected %u", q->id,
				(uint32_t)seq), -EINVAL;
	if (q->len != b->payload || (b->payload == 0 && q->off != 0))
		return snprintf(b->msg, sizeof(b->msg), "bad request %u: length %u", q->id,
				q->len), -EINVAL;
	if (b->payload && (q->off % b->slot_bytes || q->off / BENCH_PAGE >= b->data_pages))
		return snprintf(b->msg, sizeof(b->msg), "bad request %u: offset %u", q->id,
				q->off), -EINVAL;
	return 0;
}

int gb_check_stamp(struct gback *b, const uint8_t *payload, uint64_t seq, uint32_t id)
{
	uint64_t stamp = 0;
	uint32_t n = b->payload < 8 ? b->payload : 8;

	memcpy(&stamp, payload, n);
	if (memcmp(&stamp, &seq, n))
		return snprintf(b->msg, sizeof(b->msg), "bad payload in request %u", id), -EINVAL;
	return 0;
}

/* Mapped data pages: copy the payload into private memory, then check it. */
static int check(struct gback *b, const struct bench_req *q)
{
	int r = gb_check_header(b, q, b->seq);

	if (r || b->payload == 0)
		return r;
	memcpy(b->scratch, b->data[q->off / BENCH_PAGE] + q->off % BENCH_PAGE, q->len);
	return gb_check_stamp(b, b->scratch, b->seq, q->id);
}

static void push(struct gback *b)
{
	bool asked = bench_back_push_responses_and_check_notify(&b->br);

	if (b->notify == BENCH_NOTIFY_ALWAYS || (b->notify == BENCH_NOTIFY_HOLDOFF && asked)) {
		pvx_evtchn_notify(&b->ev);
		b->notifies++;
	}
}

/* Answers what is on the ring: the count, or -errno (reason in msg). */
static int serve_once(struct gback *b)
{
	struct bench_req q;
	int r, n = 0;

	if (b->grant_copy && b->payload) {
		n = gb_serve_copy(b);
		if (n > 0)
			push(b);
		return n;
	}
	while ((r = bench_back_get_request(&b->br, &q)) == 1) {
		struct bench_rsp rsp = { q.id, q.stamp, 0, 0 };

		r = check(b, &q);
		if (r)
			return r;
		bench_back_put_response(&b->br, &rsp);
		b->seq++;
		b->served++;
		if (++n % b->batch == 0)
			push(b);
	}
	if (r < 0)
		return snprintf(b->msg, sizeof(b->msg), "bad producer index from the guest "
				"(req_prod %u, %llu answered)", b->br.sring->hdr.req_prod,
				(unsigned long long)b->served), -EIO;
	if (n % b->batch)
		push(b);
	return n;
}

/* The guest is done (Closing or worse): 1; 0 not yet; -errno. */
static int front_done(struct gback *b, uint64_t deadline_ns)
{
	char *path, *token;
	uint64_t st;
	bool ev = false;

	while (xs_read_watch(b->xs, &path, &token, false) == 0) {
		free(path);
		ev = true;
	}
	if (ev && gb_read_u64(b, b->fe, "state", &st) == 0 && st >= XenbusStateClosing)
		return 1;
	if (bench_now_ns() > deadline_ns)
		return snprintf(b->msg, sizeof(b->msg), "the guest never finished its run "
				"(%llu answered)", (unsigned long long)b->served), -ETIMEDOUT;
	return 0;
}

/* Nothing to do in a blocking policy: final check, then sleep. */
static int idle_block(struct gback *b)
{
	struct pollfd p[2] = { { .fd = b->ev.event_fd, .events = POLLIN },
			       { .fd = xs_fileno(b->xs), .events = POLLIN } };
	int r = bench_back_final_check_for_requests(&b->br);

	if (r != 0)
		return r < 0 ? -EIO : 0;
	if (poll(p, 2, 100) > 0 && (p[0].revents & POLLIN)) {
		pvx_evtchn_consume(&b->ev);
		b->wakes++;
	}
	return 0;
}

/* Blocking policies with --spin: poll this long before sleeping. */
static bool spinning(const struct gback *b, uint64_t *spin_end)
{
	uint64_t now;

	if (!b->spin_us)
		return false;
	now = bench_now_ns();
	if (!*spin_end)
		*spin_end = now + b->spin_us * 1000;
	return now < *spin_end;
}

int gb_serve(struct gback *b, uint64_t deadline_ns)
{
	uint64_t spin_end = 0;
	unsigned idle = 0;

	for (;;) {
		int r = serve_once(b);

		if (r < 0)
			return r;
		if (r > 0) {
			spin_end = 0;
			continue;
		}
		if (b->notify == BENCH_NOTIFY_POLL || spinning(b, &spin_end)) {
			if (++idle % IDLE_CHECK) {
				__builtin_ia32_pause();
				continue;
			}
		}
		r = front_done(b, deadline_ns);
		if (r)
			return r < 0 ? r : 0;
		if (b->notify == BENCH_NOTIFY_POLL || spinning(b, &spin_end))
			continue;
		spin_end = 0;
		if (idle_block(b) < 0)
			return snprintf(b->msg, sizeof(b->msg), "bad producer index from the "
					"guest (%llu answered)", (unsigned long long)b->served),
			       -EIO;
	}
}

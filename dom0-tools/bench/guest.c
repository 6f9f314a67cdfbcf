/*
 * One guest-mode run of `pvx bench ring` (guest.h): open the instance of
 * $PVX_RUNDIR (pvxd and pvxstored must be running), create the minios
 * guest paused, write its device entries, unpause it, and be its
 * backend: InitWait, wait for Initialised, map and bind, Connected, echo
 * the ping-pong, serve the ring until the guest is Closing, read its
 * result, unmap and go Closing, Closed after the guest's Closed. The guest is destroyed however the run ended.
 *
 * Where the time goes: the guest times its requests with its own clock
 * and reports the percentiles (bench-ring's `result` key); CPU per
 * request is this process's CPU (backend, pinned to --cpus B) plus the
 * guest's vCPU time (pvxd's count) over the ring phase, divided by every
 * request of the run.
 */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <xen/public/io/xenbus.h>

#include "guest.h"

#define HANDSHAKE_NS 30000000000ull

int bench_guest_check(const struct bench_opts *o, char *msg, size_t len)
{
	uint32_t slot = 64;

	while (slot < o->payload)
		slot <<= 1;
	if (o->ring_pages > GB_MAX_RING_PAGES)
		return snprintf(msg, len, "--ring-pages: guest mode allows at most %u (minios's "
				"ring pool)", GB_MAX_RING_PAGES), -EINVAL;
	if (o->payload > BENCH_PAGE)
		return snprintf(msg, len, "--payload: guest mode allows at most 4096 bytes"),
		       -EINVAL;
	if (o->payload && (uint64_t)bench_ring_entries(o->ring_pages) * slot >
			  GB_DATA_PAGES * BENCH_PAGE)
		return snprintf(msg, len, "--payload: %u entries x %u-byte slots exceed the "
				"guest's %u KiB of payload pages", bench_ring_entries(o->ring_pages),
				slot, GB_DATA_PAGES * 4), -EINVAL;
	return 0;
}

static int open_instance(struct gback *b)
{
	int r = pvx_ctl_open(&b->ctl);

	if (r) {
		pvx_ctl_open_error(r, b->msg, sizeof(b->msg));
		strncat(b->msg, "; guest mode needs the daemons of $PVX_RUNDIR running "
			"(pvx daemons start)", sizeof(b->msg) - strlen(b->msg) - 1);
		return r;
	}
	r = xs_open(&b->xs);
	if (r)
		return snprintf(b->msg, sizeof(b->msg), "pvxstored is not running (%s); guest "
				"mode needs the daemons of $PVX_RUNDIR", strerror(-r)), r;
	r = pvx_gnttab_open(b->ctl, &b->g);
	if (r)
		snprintf(b->msg, sizeof(b->msg), "grant tables: %s", strerror(-r));
	return r;
}

static void close_instance(struct gback *b)
{
	pvx_gnttab_close(b->g);
	xs_close(b->xs);
	pvx_ctl_close(b->ctl);
}

static void setup(struct gback *b, const struct bench_opts *o, unsigned batch, bool pp)
{
	uint64_t window = (uint64_t)(o->duration * 1e6);

	b->notify = o->notify;
	b->ring_pages = o->ring_pages;
	b->batch = batch;
	b->outstanding = bench_outstanding(o);
	b->payload = o->payload;
	b->window_us = window;
	b->warmup_us = window / 10 < 250000 ? window / 10 : 250000;
	b->pingpong = pp ? 5000 : 0;
	b->spin_us = o->notify == BENCH_NOTIFY_POLL ? 0 : o->spin_us;
	b->hostile = getenv("PVX_BENCH_GUEST_HOSTILE");
	b->grant_copy = o->grant_copy;
	b->slot_bytes = 64;
	while (b->slot_bytes < o->payload)
		b->slot_bytes <<= 1;
	if (!o->payload)
		b->slot_bytes = 0;
}

static uint64_t self_cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000u +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000u;
}

static uint64_t guest_cpu_ns(struct gback *b)
{
	struct pvx_ctl_dominfo di;

	return pvx_ctl_info(b->ctl, b->domid, &di) ? 0 : di.cpu_time_ns;
}

/* The guest's `result` line into r and pp. */
static int parse_result(struct gback *b, struct bench_result *x, struct bench_pingpong *pp)
{
	uint64_t v[14];
	char path[160], *s = NULL;
	int n;

	snprintf(path, sizeof(path), "%s/result", b->fe);
	if (xs_read(b->xs, XBT_NULL, path, &s, NULL))
		return snprintf(b->msg, sizeof(b->msg), "the guest wrote no result"), -EPROTO;
	n = sscanf(s, "requests %" SCNu64 " window_ns %" SCNu64 " total %" SCNu64
		   " pushes %" SCNu64 " notifies %" SCNu64 " p50 %" SCNu64 " p99 %" SCNu64
		   " p999 %" SCNu64 " mean %" SCNu64 " max %" SCNu64 " pp_rounds %" SCNu64
		   " pp_p50 %" SCNu64 " pp_p99 %" SCNu64 " pp_mean %" SCNu64,
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10],
		   &v[11], &v[12], &v[13]);
	free(s);
	if (n != 14 || v[1] == 0 || v[2] == 0 || v[0] > v[2] || v[2] != b->served)
		return snprintf(b->msg, sizeof(b->msg), "the guest's result is malformed or "
				"disagrees with the %llu requests answered",
				(unsigned long long)b->served), -EPROTO;
	*x = (struct bench_result){ .requests = v[0], .seconds = (double)v[1] / 1e9,
		.front_notify_per_req = (double)v[4] / (double)v[2],
		.back_notify_per_req = (double)b->notifies / (double)v[2],
		.p50_ns = v[5], .p99_ns = v[6], .p999_ns = v[7], .mean_ns = v[8], .max_ns = v[9] };
	x->req_per_s = (double)v[0] / x->seconds;
	if (pp && v[10])
		*pp = (struct bench_pingpong){ .name = "evtchn", .rounds = v[10], .p50_ns = v[11],
			.p99_ns = v[12], .mean_ns = v[13], .seconds = (double)v[10] * (double)v[13] / 1e9,
			.rtt_per_s = 1e9 / (double)v[13],
			.msgs_per_s = 2e9 / (double)v[13] };
	return 0;
}

/* Connected to finished: the echo, the ring, the result. */
static int run_connected(struct gback *b, const struct bench_opts *o, struct bench_result *x,
			 struct bench_pingpong *pp)
{
	uint64_t deadline, cpu0, gcpu0;
	int r = gb_echo(b);

	if (r)
		return r;
	cpu0 = self_cpu_ns();
	gcpu0 = guest_cpu_ns(b);
	deadline = bench_now_ns() + (uint64_t)(o->duration * 1e9) + HANDSHAKE_NS;
	r = gb_serve(b, deadline);
	if (r)
		return r;
	r = parse_result(b, x, pp);
	if (r == 0)
		x->cpu_ns_per_req = (double)(self_cpu_ns() - cpu0 + guest_cpu_ns(b) - gcpu0) /
				    (double)b->served;
	return r;
}

static int run(struct gback *b, const struct bench_opts *o, struct bench_result *x,
	       struct bench_pingpong *pp)
{
	char path[160];
	int r;

	r = gb_dom_create(b, o) ?: gb_dev_write(b);
	if (r)
		return r;
	snprintf(path, sizeof(path), "%s/state", b->fe);
	r = xs_watch(b->xs, path, "bench-front");
	if (r)
		return snprintf(b->msg, sizeof(b->msg), "watch: %s", strerror(-r)), r;
	r = gb_set_state(b, XenbusStateInitWait) ?: pvx_ctl_unpause(b->ctl, b->domid);
	if (r)
		return snprintf(b->msg, sizeof(b->msg), "starting the guest: %s", strerror(-r)), r;
	r = gb_wait_front(b, XenbusStateInitialised, bench_now_ns() + HANDSHAKE_NS) ?:
	    gb_connect(b);
	if (r)
		return r;
	return run_connected(b, o, x, pp);
}

int bench_guest_run(const struct bench_opts *o, unsigned batch, struct bench_result *x,
		    struct bench_pingpong *pp, char *msg, size_t len)
{
	static struct gback b;
	cpu_set_t saved;
	int r;

	memset(&b, 0, sizeof(b));
	setup(&b, o, batch, pp != NULL);
	sched_getaffinity(0, sizeof(saved), &saved);
	r = open_instance(&b);
	if (r == 0) {
		bench_pin(o->cpu_back);
		r = run(&b, o, x, pp);
		gb_disconnect(&b);
		/* The guest revokes its grants once we are Closing, then goes
		 * Closed, and we follow. */
		if (r == 0 &&
		    gb_wait_front(&b, XenbusStateClosed, bench_now_ns() + 5000000000ull) == 0)
			gb_set_state(&b, XenbusStateClosed);
		gb_dom_destroy(&b);
		sched_setaffinity(0, sizeof(saved), &saved);
	}
	close_instance(&b);
	x->batch = batch;
	if (r)
		snprintf(msg, len, "%s", b.msg);
	return r;
}

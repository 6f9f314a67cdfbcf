/*
 * bench-ring [DEVID]: the minios frontend of `pvx bench ring --mode guest`
 * (docs/bench-ring.md). The Dom0 bench writes device/bench/DEVID and its
 * backend directory before it unpauses us; the parameters of the run are
 * bench-* keys of the backend directory.
 *
 * Handshake, as a real split driver: wait for the backend's InitWait;
 * take the ring pages from ringfront (granted, with an unbound port),
 * grant the payload pages; publish ring-page-order, ring-ref<i>,
 * event-channel, data-pages and data-ref<i> with state Initialised in
 * one transaction; wait for Connected. Then the measurements
 * (bench_ring_run.c), the result as one line in our `result` key (or
 * the failure in `error`), state Closing; once the backend is Closed
 * (it unmapped everything) we revoke the grants and exit.
 *
 * The backend is trusted no more than any peer: every value read back is
 * bounded, and a backend that never answers ends the run by timeout.
 */
#include <xen/public/errno.h>
#include <xen/public/io/xenbus.h>

#include <minios/console.h>
#include <minios/gnttab.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/time.h>
#include <minios/xenstore.h>

#include "bench_ring.h"
#include "programs.h"

#define HANDSHAKE_NS 30000000000ull

static uint8_t data_pool[BR_DATA_PAGES * XEN_PAGE_SIZE] __attribute__((aligned(4096)));

struct ctx {
	char fe[64], be[128];
	uint64_t beid;
	struct br_dev d;
	struct br_result r;
};

static int get_u64(const char *dir, const char *key, uint64_t *out)
{
	char path[192], val[32];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	rc = xs_read(0, path, val, sizeof(val));
	return rc < 0 ? rc : parse_u64(val, out);
}

static int put(uint32_t tx, const char *dir, const char *key, uint64_t v)
{
	char path[192], val[32];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	snprintf(val, sizeof(val), "%llu", (unsigned long long)v);
	return xs_write(tx, path, val);
}

static int put_str(const char *dir, const char *key, const char *val)
{
	char path[192];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_write(0, path, val);
}

/* The backend's state reaching want: 0; -XEN_EIO if it closes first.
 * Closing is reached by Closed too (a backend that skips it). */
static int wait_backend(struct ctx *c, uint64_t want)
{
	uint64_t deadline = time_now_ns() + HANDSHAKE_NS, st;

	while (time_now_ns() < deadline) {
		if (get_u64(c->be, "state", &st) == 0) {
			if (st == want || (want >= XenbusStateClosing && st >= want))
				return 0;
			if (st >= XenbusStateClosing && want < XenbusStateClosing)
				return -XEN_EIO;
		}
		msleep(1);
	}
	return -XEN_ETIMEDOUT;
}

static const char *const pkeys[] = { "bench-ring-pages", "bench-batch", "bench-outstanding",
				     "bench-payload", "bench-notify", "bench-warmup-us",
				     "bench-window-us", "bench-pingpong" };

static unsigned hostile_mode(struct ctx *c)
{
	char path[192], val[16];

	snprintf(path, sizeof(path), "%s/bench-hostile", c->be);
	if (xs_read(0, path, val, sizeof(val)) < 0)
		return BR_HOSTILE_NONE;
	return !strcmp(val, "prod") ? BR_HOSTILE_PROD : !strcmp(val, "id") ? BR_HOSTILE_ID :
	       BR_HOSTILE_NONE;
}

/* Reads and bounds the parameters; the reason in c->r.why on failure. */
static int read_params(struct ctx *c)
{
	uint64_t *v[] = { &c->d.p.ring_pages, &c->d.p.batch, &c->d.p.outstanding,
			  &c->d.p.payload, &c->d.p.notify, &c->d.p.warmup_us,
			  &c->d.p.window_us, &c->d.p.pingpong };
	struct br_params *p = &c->d.p;

	for (unsigned i = 0; i < sizeof(pkeys) / sizeof(pkeys[0]); i++)
		if (get_u64(c->be, pkeys[i], v[i]) < 0) {
			snprintf(c->r.why, sizeof(c->r.why), "missing %s", pkeys[i]);
			return -1;
		}
	if (p->ring_pages == 0 || p->ring_pages > RINGFRONT_MAX_PAGES ||
	    (p->ring_pages & (p->ring_pages - 1)) || p->notify > BR_POLL || p->payload > 4096 ||
	    p->batch == 0 || p->outstanding < p->batch || p->outstanding > BR_MAX_ENTS ||
	    p->window_us == 0 || p->window_us > 3600000000ull || p->warmup_us > 1000000 ||
	    p->pingpong > 1000000) {
		snprintf(c->r.why, sizeof(c->r.why), "parameters out of range");
		return -1;
	}
	if (get_u64(c->be, "bench-spin-us", &p->spin_us) < 0 || p->spin_us > 1000000)
		p->spin_us = 0;
	p->hostile = hostile_mode(c);
	return 0;
}

static int grant_data(struct ctx *c)
{
	struct br_dev *d = &c->d;
	uint32_t s = 64, bytes;

	while (s < d->p.payload)
		s <<= 1;
	d->slot_bytes = d->p.payload ? s : 0;
	bytes = d->rf.front.nr_ents * d->slot_bytes;
	if (bytes > sizeof(data_pool)) {
		snprintf(c->r.why, sizeof(c->r.why), "payload area %u B > %u B", bytes,
			 (unsigned)sizeof(data_pool));
		return -1;
	}
	d->data = data_pool;
	for (; d->data_pages * XEN_PAGE_SIZE < bytes; d->data_pages++)
		if (gnttab_grant_page((domid_t)c->beid, data_pool + d->data_pages * XEN_PAGE_SIZE, 0,
				      &d->data_refs[d->data_pages]) < 0) {
			snprintf(c->r.why, sizeof(c->r.why), "out of grant refs");
			return -1;
		}
	return 0;
}

static int publish_tx(uint32_t tx, void *arg)
{
	struct ctx *c = arg;
	char key[32];
	int rc = put(tx, c->fe, "ring-page-order", (uint64_t)__builtin_ctz(c->d.rf.nr_pages));

	for (unsigned i = 0; i < c->d.rf.nr_pages; i++) {
		snprintf(key, sizeof(key), "ring-ref%u", i);
		rc |= put(tx, c->fe, key, c->d.rf.refs[i]);
	}
	rc |= put(tx, c->fe, "event-channel", c->d.rf.port);
	rc |= put(tx, c->fe, "data-pages", c->d.data_pages);
	for (unsigned i = 0; i < c->d.data_pages; i++) {
		snprintf(key, sizeof(key), "data-ref%u", i);
		rc |= put(tx, c->fe, key, c->d.data_refs[i]);
	}
	rc |= put(tx, c->fe, "state", XenbusStateInitialised);
	return rc < 0 ? -XEN_EIO : 0;
}

static int connect(struct ctx *c)
{
	int rc;

	if (read_params(c) < 0)
		return -1;
	if (wait_backend(c, XenbusStateInitWait) < 0)
		return snprintf(c->r.why, sizeof(c->r.why), "backend never reached InitWait"), -1;
	rc = ringfront_setup(&c->d.rf, (domid_t)c->beid, (unsigned)c->d.p.ring_pages,
			     sizeof(struct bench_ring_req));
	if (rc < 0)
		return snprintf(c->r.why, sizeof(c->r.why), "ring setup: %d", rc), -1;
	if (c->d.p.outstanding > c->d.rf.front.nr_ents)
		return snprintf(c->r.why, sizeof(c->r.why), "outstanding > ring entries"), -1;
	if (grant_data(c) < 0)
		return -1;
	if (xs_transaction_run(publish_tx, c, 0) < 0)
		return snprintf(c->r.why, sizeof(c->r.why), "cannot publish the ring"), -1;
	if (wait_backend(c, XenbusStateConnected) < 0)
		return snprintf(c->r.why, sizeof(c->r.why), "backend never connected"), -1;
	return 0;
}

static void report(struct ctx *c)
{
	static char line[512];
	const struct br_result *r = &c->r;

	snprintf(line, sizeof(line),
		 "requests %llu window_ns %llu total %llu pushes %llu notifies %llu "
		 "p50 %llu p99 %llu p999 %llu mean %llu max %llu "
		 "pp_rounds %llu pp_p50 %llu pp_p99 %llu pp_mean %llu",
		 (unsigned long long)r->requests, (unsigned long long)r->window_ns,
		 (unsigned long long)r->total, (unsigned long long)r->pushes,
		 (unsigned long long)r->notifies,
		 (unsigned long long)br_hist_quantile(&r->lat, 5000),
		 (unsigned long long)br_hist_quantile(&r->lat, 9900),
		 (unsigned long long)br_hist_quantile(&r->lat, 9990),
		 (unsigned long long)(r->lat.count ? r->lat.sum / r->lat.count : 0),
		 (unsigned long long)r->lat.max, (unsigned long long)r->pp_rounds,
		 (unsigned long long)br_hist_quantile(&r->pp, 5000),
		 (unsigned long long)br_hist_quantile(&r->pp, 9900),
		 (unsigned long long)(r->pp.count ? r->pp.sum / r->pp.count : 0));
	put_str(c->fe, "result", line);
	printk("bench-ring: %s\n", line);
}

/* Xen's close: Closing, wait for the backend to let go (it answers
 * Closing), revoke everything, Closed, wait for the backend's Closed. */
static int disconnect(struct ctx *c)
{
	int busy = 0;

	put(0, c->fe, "state", XenbusStateClosing);
	wait_backend(c, XenbusStateClosing);
	if (c->d.rf.ring && ringfront_teardown(&c->d.rf) < 0)
		busy = 1;
	for (unsigned i = 0; i < c->d.data_pages; i++)
		if (gnttab_end_access(c->d.data_refs[i]) < 0)
			busy = 1;
	put(0, c->fe, "state", XenbusStateClosed);
	wait_backend(c, XenbusStateClosed);
	return busy ? -1 : 0;
}

int prog_bench_ring(int argc, char **argv)
{
	static struct ctx c;
	uint64_t devid;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	if (arg_u64(argc, argv, 1, 0, &devid) < 0)
		return fail("bench-ring: usage: bench-ring [DEVID]");
	snprintf(c.fe, sizeof(c.fe), "device/bench/%llu", (unsigned long long)devid);
	snprintf(c.be, sizeof(c.be), "%s/backend", c.fe);
	if (xs_read(0, c.be, c.be, sizeof(c.be)) < 0 || get_u64(c.fe, "backend-id", &c.beid) < 0 ||
	    c.beid >= DOMID_FIRST_RESERVED)
		return fail("bench-ring: no device %s", c.fe);
	if (connect(&c) == 0 && br_pingpong(&c.d, &c.r) == 0 && br_ring_run(&c.d, &c.r) == 0) {
		report(&c);
		rc = 0;
	} else {
		put_str(c.fe, "error", c.r.why);
	}
	if (disconnect(&c) < 0 && rc == 0)
		return fail("bench-ring: the backend kept a grant mapped");
	if (rc < 0)
		return fail("bench-ring: %s", c.r.why);
	return pass("bench-ring: %llu requests in the window", (unsigned long long)c.r.requests);
}

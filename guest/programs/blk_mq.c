/*
 * blk-mq [QUEUES]: the backend's multi-queue path (Linux's layout), which
 * blkfront itself does not use. Does the handshake by hand with QUEUES
 * rings (default 2): multi-queue-num-queues, queue-N/ring-ref and
 * queue-N/event-channel in one transaction; then on each queue writes a
 * page with a queue-specific pattern and reads it back through the same
 * queue, and closes. PASS if every queue carried its own I/O.
 */
#include <xen/public/errno.h>
#include <xen/public/io/xenbus.h>

#include <minios/console.h>
#include <minios/gnttab.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/time.h>
#include <minios/xenstore.h>

#include "blk_util.h"
#include "programs.h"

#define MAXQ 4

static struct ringfront rings[MAXQ];
static uint8_t pages[2][4096] __attribute__((aligned(4096)));

static int putf(uint32_t tx, const char *dir, const char *key, unsigned long long v)
{
	char path[160], val[24];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	snprintf(val, sizeof(val), "%llu", v);
	return xs_write(tx, path, val);
}

static int wait_state(struct blkfront_dev *d, int want)
{
	uint64_t deadline = time_now_ns() + 10000000000ull;

	while (time_now_ns() < deadline) {
		if (blkfront_backend_state(d) == want)
			return 0;
		msleep(1);
	}
	return -XEN_ETIMEDOUT;
}

/* The backend at least at want (Closing or Closed) or gone. */
static int wait_closing(struct blkfront_dev *d, int want)
{
	uint64_t deadline = time_now_ns() + 10000000000ull;

	while (time_now_ns() < deadline) {
		int st = blkfront_backend_state(d);

		if (st < 0 || st >= want)
			return 0;
		msleep(1);
	}
	return -XEN_ETIMEDOUT;
}

static int publish(struct blkfront_dev *d, unsigned nq)
{
	for (int tries = 0; tries < 20; tries++) {
		char dir[96], path[128];
		uint32_t tx;
		int rc = xs_transaction_start(&tx);

		if (rc < 0)
			return rc;
		rc |= putf(tx, d->fe, "multi-queue-num-queues", nq);
		for (unsigned q = 0; q < nq; q++) {
			snprintf(dir, sizeof(dir), "%s/queue-%u", d->fe, q);
			rc |= putf(tx, dir, "ring-ref", rings[q].refs[0]);
			rc |= putf(tx, dir, "event-channel", rings[q].port);
		}
		snprintf(path, sizeof(path), "%s/protocol", d->fe);
		rc |= xs_write(tx, path, BLKIF_PROTOCOL_X86_64);
		rc |= putf(tx, d->fe, "state", XenbusStateInitialised);
		if (rc) {
			xs_transaction_end(tx, 0);
			return -XEN_EIO;
		}
		rc = xs_transaction_end(tx, 1);
		if (rc != -XEN_EAGAIN)
			return rc;
	}
	return -XEN_EAGAIN;
}

/* One single-page request on queue q; returns its status. */
static int io(struct ringfront *rf, uint8_t op, uint64_t sector, grant_ref_t ref, uint64_t id)
{
	struct blkif_sring *s = rf->ring;
	struct blkif_response rsp;
	union blkif_any_request *req;
	int64_t idx = pvx_ring_front_claim(&rf->front);

	if (idx < 0)
		return -XEN_ENOSPC;
	req = &s->ring[idx].req;
	memset(req, 0, sizeof(*req));
	req->rw.operation = op;
	req->rw.nr_segments = 1;
	req->rw.id = id;
	req->rw.sector_number = sector;
	req->rw.seg[0] = (struct blkif_request_segment){ .gref = ref, .last_sect = 7 };
	ringfront_push(rf);
	if (ringfront_wait(rf, time_now_ns() + 5000000000ull) <= 0)
		return -XEN_ETIMEDOUT;
	PVX_RING_COPY_OUT(&rsp, &s->ring[rf->front.rsp_cons & (rf->front.nr_ents - 1)].rsp);
	rf->front.rsp_cons++;
	return rsp.id == id ? rsp.status : -XEN_EIO;
}

static int per_queue(unsigned nq, grant_ref_t wref, grant_ref_t rref)
{
	for (unsigned q = 0; q < nq; q++) {
		int w, r;

		memset(pages[0], 0xA0 + q, 4096);
		memset(pages[1], 0, 4096);
		w = io(&rings[q], BLKIF_OP_WRITE, q * 8, wref, 10 + q);
		r = io(&rings[q], BLKIF_OP_READ, q * 8, rref, 20 + q);
		printk("blk-mq: queue %u: write %d, read %d\n", q, w, r);
		if (w || r || memcmp(pages[0], pages[1], 4096))
			return fail("blk-mq: queue %u: write %d read %d%s", q, w, r,
				    w || r ? "" : ", data differs");
	}
	return 0;
}

int prog_blk_mq(int argc, char **argv)
{
	static struct blkfront_dev d;
	grant_ref_t wref, rref;
	uint64_t nq, max;
	char val[32];
	int rc;

	if (arg_u64(argc, argv, 1, 2, &nq) < 0 || nq < 1 || nq > MAXQ)
		return fail("blk-mq: usage: blk-mq [QUEUES 1..4]");
	if (xs_init() < 0 || gnttab_init() < 0)
		return fail("blk-mq: no xenstore or grant table");
	snprintf(d.fe, sizeof(d.fe), "device/vbd/51712");
	if (xs_read(0, "device/vbd/51712/backend", d.be, sizeof(d.be)) < 0)
		return fail("blk-mq: no xvda");
	if (wait_state(&d, XenbusStateInitWait) < 0)
		return fail("blk-mq: backend never reached InitWait");
	snprintf(val, sizeof(val), "%s", "0");
	{
		char path[128];
		snprintf(path, sizeof(path), "%s/multi-queue-max-queues", d.be);
		if (xs_read(0, path, val, sizeof(val)) < 0 || parse_u64(val, &max) < 0 || max < nq)
			return fail("blk-mq: backend offers %s queues", val);
	}
	for (unsigned q = 0; q < nq; q++)
		if (ringfront_setup(&rings[q], 0, 1, sizeof(union blkif_sring_entry)) < 0)
			return fail("blk-mq: ring %u", q);
	if (gnttab_grant_page(0, pages[0], 1, &wref) < 0 ||
	    gnttab_grant_page(0, pages[1], 0, &rref) < 0)
		return fail("blk-mq: grants");
	rc = publish(&d, (unsigned)nq);
	if (rc < 0 || wait_state(&d, XenbusStateConnected) < 0)
		return fail("blk-mq: backend did not connect %llu queues (%d)",
			    (unsigned long long)nq, rc);
	putf(0, d.fe, "state", XenbusStateConnected);
	rc = per_queue((unsigned)nq, wref, rref);
	/* Xen's close: Closing, the backend unmaps and answers Closing (an
	 * older one Closed), the rings go, Closed, the backend follows. */
	putf(0, d.fe, "state", XenbusStateClosing);
	wait_closing(&d, XenbusStateClosing);
	for (unsigned q = 0; q < nq; q++)
		ringfront_teardown(&rings[q]);
	putf(0, d.fe, "state", XenbusStateClosed);
	wait_closing(&d, XenbusStateClosed);
	return rc ? rc : pass("blk-mq %llu queues", (unsigned long long)nq);
}

/*
 * blk-hostile [DEVID]: a frontend that breaks the rules, to prove the
 * backend answers with errors and keeps serving everyone else (the test
 * runs a well-behaved guest beside it).
 *
 * After a normal handshake it writes raw requests into the ring:
 * an unknown operation, a grant ref it never granted, zero and too many
 * segments, sectors past the end, first_sect > last_sect, a read into a
 * page granted read-only, an indirect request with too many segments and
 * one whose indirect page is not granted; each must come back with the
 * Xen status Linux's blkback gives (EOPNOTSUPP or ERROR) and the ring must
 * still carry a valid read afterwards. Then it jumps req_prod far past the
 * ring without consuming any response: the backend must give up on this
 * ring (Closing/Closed) instead of reading garbage or hanging.
 */
#include <xen/public/errno.h>
#include <xen/public/io/xenbus.h>

#include <minios/console.h>
#include <minios/events.h>
#include <minios/gnttab.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/time.h>

#include "blk_util.h"
#include "programs.h"

static uint8_t ro_page[4096] __attribute__((aligned(4096)));

/* One raw request through the ring; returns its status or < 0. */
static int raw(struct blkfront_dev *d, union blkif_any_request *q, uint64_t id)
{
	struct blkif_sring *s = d->rf.ring;
	struct blkif_response rsp;
	uint64_t deadline = time_now_ns() + 5000000000ull;
	int64_t idx = pvx_ring_front_claim(&d->rf.front);

	if (idx < 0)
		return -XEN_ENOSPC;
	q->rw.id = id;
	s->ring[idx].req = *q;
	ringfront_push(&d->rf);
	while (pvx_ring_front_unconsumed(&d->rf.front) == 0)
		if (ringfront_wait(&d->rf, deadline) <= 0 && time_now_ns() >= deadline)
			return -XEN_ETIMEDOUT;
	PVX_RING_COPY_OUT(&rsp, &s->ring[d->rf.front.rsp_cons & (d->rf.front.nr_ents - 1)].rsp);
	d->rf.front.rsp_cons++;
	return rsp.id == id ? rsp.status : -XEN_EIO;
}

static void rw(union blkif_any_request *q, uint8_t op, uint64_t sector, grant_ref_t ref)
{
	memset(q, 0, sizeof(*q));
	q->rw.operation = op;
	q->rw.nr_segments = 1;
	q->rw.sector_number = sector;
	q->rw.seg[0] = (struct blkif_request_segment){ .gref = ref, .first_sect = 0,
						       .last_sect = 7 };
}

struct bad {
	const char *what;
	int16_t want;
};

static int garbage(struct blkfront_dev *d, grant_ref_t good, grant_ref_t ro, grant_ref_t ind)
{
	static const struct bad bads[] = {
		{ "unknown op", BLKIF_RSP_EOPNOTSUPP }, { "ungranted ref", BLKIF_RSP_ERROR },
		{ "0 segments", BLKIF_RSP_ERROR }, { "12 segments", BLKIF_RSP_ERROR },
		{ "past the end", BLKIF_RSP_ERROR }, { "first > last", BLKIF_RSP_ERROR },
		{ "read into ro grant", BLKIF_RSP_ERROR }, { "indirect 4000 segs", BLKIF_RSP_ERROR },
		{ "indirect page ungranted", BLKIF_RSP_ERROR }, { "valid read", BLKIF_RSP_OKAY },
	};
	union blkif_any_request q;

	for (unsigned i = 0; i < ARRAY_SIZE(bads); i++) {
		int st;

		rw(&q, BLKIF_OP_READ, 0, good);
		switch (i) {
		case 0: q.operation = 99; break;
		case 1: q.rw.seg[0].gref = 1500; break;
		case 2: q.rw.nr_segments = 0; break;
		case 3: q.rw.nr_segments = 12; break;
		case 4: q.rw.sector_number = d->sectors - 4; break;
		case 5: q.rw.seg[0].first_sect = 7; q.rw.seg[0].last_sect = 3; break;
		case 6: q.rw.seg[0].gref = ro; break;
		case 7: case 8:
			q.indirect.operation = BLKIF_OP_INDIRECT;
			q.indirect.indirect_op = BLKIF_OP_READ;
			q.indirect.nr_segments = i == 7 ? 4000 : 8;
			q.indirect.sector_number = 0;
			q.indirect.indirect_grefs[0] = i == 7 ? ind : 1501;
			break;
		}
		st = raw(d, &q, 1000 + i);
		printk("blk-hostile: %-24s -> %d\n", bads[i].what, st);
		if (st != bads[i].want)
			return fail("blk-hostile: %s: status %d, want %d", bads[i].what, st,
				    bads[i].want);
	}
	return 0;
}

/* req_prod far ahead, responses never consumed: the backend must drop the ring. */
static int index_jump(struct blkfront_dev *d)
{
	struct xen_sring_hdr *h = d->rf.ring;
	uint64_t deadline = time_now_ns() + 5000000000ull;

	h->req_prod = d->rf.front.req_prod_pvt + 5000;
	evtchn_send(d->rf.port);
	while (time_now_ns() < deadline) {
		int st = blkfront_backend_state(d);
		if (st >= XenbusStateClosing)
			return pass("blk-hostile: backend went to state %d after the index jump", st);
		msleep(5);
	}
	return fail("blk-hostile: backend still state %d after the index jump",
		    blkfront_backend_state(d));
}

int prog_blk_hostile(int argc, char **argv)
{
	static struct blkfront_dev d;
	grant_ref_t good, ro, ind;
	uint64_t devid;
	int rc;

	if (arg_u64(argc, argv, 1, 0, &devid) < 0)
		return fail("blk-hostile: usage: blk-hostile [DEVID]");
	rc = blk_open_disk(&d, (uint32_t)devid, 10000, NULL);
	if (rc < 0)
		return fail("blk-hostile: cannot open a disk: %d", rc);
	if (gnttab_grant_page(d.backend_id, blk_buf, 0, &good) < 0 ||
	    gnttab_grant_page(d.backend_id, ro_page, 1, &ro) < 0 ||
	    gnttab_grant_page(d.backend_id, blk_buf + 4096, 1, &ind) < 0)
		return fail("blk-hostile: no grant refs");
	memset(blk_buf + 4096, 0, 4096); /* indirect page: all-zero segments */
	rc = garbage(&d, good, ro, ind);
	if (rc)
		return rc;
	rc = index_jump(&d);
	blk_report("blk-hostile", "%s", rc ? "FAIL" : "PASS");
	return rc;
}

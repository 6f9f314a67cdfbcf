/*
 * Fuzz target for blkif request validation (pv-drivers/blk/back/
 * validate.c), the only code between a guest's ring slot and the disk.
 * The input is [disk: sectors u64, flags, max_indirect u16] followed by
 * requests: each a ring slot's bytes (union blkif_any_request), and for an
 * indirect request that validated, the segment entries its indirect pages
 * would hold (copied as ring.c copies them), then blkback_validate_segs.
 * An OKAY answer must keep what the backend relies on, or abort:
 * the range lies inside the disk, nothing writes a read-only disk, the
 * segment count fits its array, each segment stays inside its page, and
 * the sectors add up to the segments.
 *
 * Built by tests/fuzz/fuzz.mk as $(O)/fuzz/fuzz_blkif (libFuzzer) and
 * $(O)/tests/fuzz-blkif (tests/fuzz/standalone.c).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../pv-drivers/blk/back/blkback.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ok(const struct blkback_req *r, const struct blkback_disk_info *d,
		     bool indirect)
{
	uint64_t n = 0;

	/* An empty range (a flush without data) is at no sector at all. */
	if (r->nr_sectors &&
	    (r->sector > d->sectors || r->nr_sectors > d->sectors - r->sector))
		abort(); /* past the end of the disk */
	if (d->readonly && r->op != BLKBACK_READ)
		abort(); /* a write, flush or discard of a read-only disk */
	if (r->op == BLKBACK_DISCARD)
		return;
	if (r->nr_segs > (indirect ? PVX_BLK_MAX_SEGS : BLKIF_MAX_SEGMENTS_PER_REQUEST))
		abort(); /* more segments than the slot (or indirect pages) hold */
	for (unsigned i = 0; i < r->nr_segs; i++) {
		if (r->seg[i].first > r->seg[i].last ||
		    r->seg[i].last >= BLKIF_SECTORS_PER_PAGE)
			abort();
		n += r->seg[i].last - r->seg[i].first + 1u;
	}
	if (n != r->nr_sectors)
		abort();
}

/* The indirect segments, as ring.c copies them out of the guest's pages. */
static size_t indirect_segs(struct blkback_req *r, const uint8_t *p, size_t n)
{
	struct blkif_request_segment s;
	size_t used = 0;

	for (unsigned i = 0; i < r->nr_segs; i++) {
		memset(&s, 0, sizeof(s));
		if (n - used >= sizeof(s)) {
			memcpy(&s, p + used, sizeof(s));
			used += sizeof(s);
		}
		r->seg[i].gref = s.gref;
		r->seg[i].first = s.first_sect;
		r->seg[i].last = s.last_sect;
	}
	return used;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blkback_disk_info d = { 0 };
	union blkif_any_request in;
	struct blkback_req out;
	size_t at = 11;
	int16_t st;

	if (size < at)
		return 0;
	memcpy(&d.sectors, data, 8);
	d.readonly = data[8] & 1;
	d.discard = data[8] & 2;
	d.barrier = data[8] & 4;
	d.flush = data[8] & 8;
	memcpy(&d.max_indirect, data + 9, 2);
	while (size - at >= sizeof(in)) {
		memcpy(&in, data + at, sizeof(in));
		at += sizeof(in);
		st = blkback_validate(&in, &d, &out);
		if (st == BLKIF_RSP_OKAY && in.operation == BLKIF_OP_INDIRECT) {
			if (out.nr_indirect == 0 ||
			    out.nr_indirect > BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST ||
			    out.nr_segs > d.max_indirect)
				abort();
			at += indirect_segs(&out, data + at, size - at);
			st = blkback_validate_segs(&out, &d);
		}
		/* The response names its request: its id, and the operation
		 * (an indirect one's inner operation, as blkfront checks). */
		if (out.id != in.rw.id ||
		    out.wire_op != (in.operation == BLKIF_OP_INDIRECT ?
				    in.indirect.indirect_op : in.operation))
			abort();
		if (st == BLKIF_RSP_OKAY)
			check_ok(&out, &d, in.operation == BLKIF_OP_INDIRECT);
		else if (st != BLKIF_RSP_ERROR && st != BLKIF_RSP_EOPNOTSUPP)
			abort();
	}
	return 0;
}

/*
 * Request validation: a pure function of (private copy of the request,
 * the disk's fixed properties). It never touches guest memory, the ring
 * or the disk, so a hostile request can only earn an error response; the
 * ring and the device stay as they were (STYLE.md rule 5).
 *
 * Status choice follows Linux's blkback: an operation we do not offer
 * (unknown number, discard/barrier/flush not advertised, secure discard,
 * indirect without feature-max-indirect-segments) is EOPNOTSUPP; a
 * malformed request of an offered operation (segment count, sector bounds,
 * range past the end of the disk, write to a read-only disk) is ERROR.
 * Sector arithmetic is checked for overflow: sector_number is 64 bits of
 * guest data.
 */
#include <string.h>

#include "blkback.h"

/* An empty range (a flush without data) is at no sector: Linux's
 * blkfront sends its flushes with sector_number -1, and Linux's blkback
 * checks only non-empty ranges. */
static int16_t check_range(const struct blkback_req *r, const struct blkback_disk_info *d)
{
	if (r->nr_sectors == 0)
		return BLKIF_RSP_OKAY;
	if (r->sector > d->sectors || r->nr_sectors > d->sectors - r->sector)
		return BLKIF_RSP_ERROR;
	return BLKIF_RSP_OKAY;
}

int16_t blkback_validate_segs(struct blkback_req *r, const struct blkback_disk_info *d)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < r->nr_segs; i++) {
		const struct blkback_seg *s = &r->seg[i];

		if (s->first > s->last || s->last >= BLKIF_SECTORS_PER_PAGE)
			return BLKIF_RSP_ERROR;
		n += (uint64_t)(s->last - s->first) + 1;
	}
	r->nr_sectors = n;
	return check_range(r, d);
}

static void copy_segs(struct blkback_req *r, const struct blkif_request *rw)
{
	for (unsigned i = 0; i < r->nr_segs; i++) {
		r->seg[i].gref = rw->seg[i].gref;
		r->seg[i].first = rw->seg[i].first_sect;
		r->seg[i].last = rw->seg[i].last_sect;
	}
}

/* READ, WRITE, WRITE_BARRIER, FLUSH_DISKCACHE: direct segments. */
static int16_t decode_rw(const struct blkif_request *rw, const struct blkback_disk_info *d,
			 struct blkback_req *r)
{
	bool data_optional = false;

	switch (rw->operation) {
	case BLKIF_OP_READ:
		r->op = BLKBACK_READ;
		break;
	case BLKIF_OP_WRITE:
		r->op = BLKBACK_WRITE;
		break;
	case BLKIF_OP_WRITE_BARRIER:
		if (!d->barrier)
			return BLKIF_RSP_EOPNOTSUPP;
		r->op = BLKBACK_WRITE;
		r->drain = r->sync_after = true;
		data_optional = true;
		break;
	default: /* BLKIF_OP_FLUSH_DISKCACHE */
		if (!d->flush)
			return BLKIF_RSP_EOPNOTSUPP;
		r->op = BLKBACK_FLUSH;
		r->sync_after = true;
		data_optional = true;
		break;
	}
	if (r->op != BLKBACK_READ && d->readonly)
		return BLKIF_RSP_ERROR;
	if (rw->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST ||
	    (rw->nr_segments == 0 && !data_optional))
		return BLKIF_RSP_ERROR;
	r->nr_segs = rw->nr_segments;
	if (r->nr_segs && r->op == BLKBACK_FLUSH)
		r->op = BLKBACK_WRITE; /* data first, then the flush */
	copy_segs(r, rw);
	return blkback_validate_segs(r, d);
}

static int16_t decode_discard(const struct blkif_request_discard *dr,
			      const struct blkback_disk_info *d, struct blkback_req *r)
{
	if (!d->discard || (dr->flag & BLKIF_DISCARD_SECURE))
		return BLKIF_RSP_EOPNOTSUPP;
	if (d->readonly)
		return BLKIF_RSP_ERROR;
	r->op = BLKBACK_DISCARD;
	r->nr_sectors = dr->nr_sectors;
	return check_range(r, d);
}

static int16_t decode_indirect(const struct blkif_request_indirect *ir,
			       const struct blkback_disk_info *d, struct blkback_req *r)
{
	unsigned pages;

	/* Responses carry the inner operation: Linux's blkfront compares it
	 * with its indirect_op and disables the disk on a mismatch. */
	r->wire_op = ir->indirect_op;
	if (!d->max_indirect)
		return BLKIF_RSP_EOPNOTSUPP;
	if (ir->indirect_op == BLKIF_OP_READ)
		r->op = BLKBACK_READ;
	else if (ir->indirect_op == BLKIF_OP_WRITE)
		r->op = BLKBACK_WRITE;
	else
		return BLKIF_RSP_EOPNOTSUPP;
	if (r->op == BLKBACK_WRITE && d->readonly)
		return BLKIF_RSP_ERROR;
	if (ir->nr_segments == 0 || ir->nr_segments > d->max_indirect ||
	    ir->nr_segments > PVX_BLK_MAX_SEGS)
		return BLKIF_RSP_ERROR;
	pages = (ir->nr_segments + BLKIF_SEGS_PER_INDIRECT_FRAME - 1) /
		BLKIF_SEGS_PER_INDIRECT_FRAME;
	if (pages > BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST)
		return BLKIF_RSP_ERROR;
	r->nr_segs = ir->nr_segments;
	r->nr_indirect = (uint8_t)pages;
	memcpy(r->indirect, ir->indirect_grefs, pages * sizeof(r->indirect[0]));
	return BLKIF_RSP_OKAY; /* segments: blkback_validate_segs once copied */
}

int16_t blkback_validate(const union blkif_any_request *in,
			 const struct blkback_disk_info *d, struct blkback_req *out)
{
	out->id = in->rw.id;
	out->wire_op = in->operation;
	out->drain = out->sync_after = false;
	out->sector = in->rw.sector_number;
	out->nr_sectors = 0;
	out->nr_segs = 0;
	out->nr_indirect = 0;
	switch (in->operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
	case BLKIF_OP_WRITE_BARRIER:
	case BLKIF_OP_FLUSH_DISKCACHE:
		return decode_rw(&in->rw, d, out);
	case BLKIF_OP_DISCARD:
		return decode_discard(&in->discard, d, out);
	case BLKIF_OP_INDIRECT:
		return decode_indirect(&in->indirect, d, out);
	default:
		return BLKIF_RSP_EOPNOTSUPP;
	}
}

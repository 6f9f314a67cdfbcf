/*
 * blkback_validate: one table row per malformed (or well-formed) request,
 * with the status it must earn and, for good ones, the decoded shape.
 * The input is checked to be byte-for-byte unchanged afterwards (the
 * validator owns nothing and changes nothing).
 */
#include <string.h>

#include "harness.h"

#define SECTORS 2048u /* 1 MiB disk */

enum disk_kind { RW, RO, BARE };

static const struct blkback_disk_info disks[] = {
	[RW] = { .sectors = SECTORS, .discard = true, .barrier = true, .flush = true,
		 .max_indirect = PVX_BLK_MAX_INDIRECT_SEGS },
	[RO] = { .sectors = SECTORS, .readonly = true, .discard = true, .barrier = true,
		 .flush = true, .max_indirect = PVX_BLK_MAX_INDIRECT_SEGS },
	[BARE] = { .sectors = SECTORS },
};

struct row {
	const char *what;
	enum disk_kind disk;
	uint8_t op;
	uint16_t nsegs;           /* rw: nr_segments; indirect: nr_segments */
	uint64_t sector;
	uint8_t first, last;      /* applied to every segment */
	uint8_t sub;              /* indirect_op or discard flag */
	uint64_t nr_sectors;      /* discard */
	int16_t status;
	uint64_t want_sectors;    /* decoded, for OKAY rows */
};

static const struct row rows[] = {
	{ "read one page", RW, BLKIF_OP_READ, 1, 0, 0, 7, 0, 0, BLKIF_RSP_OKAY, 8 },
	{ "write 11 segs", RW, BLKIF_OP_WRITE, 11, 100, 0, 7, 0, 0, BLKIF_RSP_OKAY, 88 },
	{ "read last sector", RW, BLKIF_OP_READ, 1, SECTORS - 1, 3, 3, 0, 0, BLKIF_RSP_OKAY, 1 },
	{ "unknown op 4", RW, BLKIF_OP_RESERVED_1, 1, 0, 0, 7, 0, 0, BLKIF_RSP_EOPNOTSUPP, 0 },
	{ "unknown op 200", RW, 200, 1, 0, 0, 7, 0, 0, BLKIF_RSP_EOPNOTSUPP, 0 },
	{ "read 0 segs", RW, BLKIF_OP_READ, 0, 0, 0, 7, 0, 0, BLKIF_RSP_ERROR, 0 },
	{ "write 12 segs", RW, BLKIF_OP_WRITE, 12, 0, 0, 7, 0, 0, BLKIF_RSP_ERROR, 0 },
	{ "read 255 segs", RW, BLKIF_OP_READ, 255, 0, 0, 7, 0, 0, BLKIF_RSP_ERROR, 0 },
	{ "first > last", RW, BLKIF_OP_READ, 1, 0, 5, 4, 0, 0, BLKIF_RSP_ERROR, 0 },
	{ "last beyond page", RW, BLKIF_OP_READ, 1, 0, 0, 8, 0, 0, BLKIF_RSP_ERROR, 0 },
	{ "first beyond page", RW, BLKIF_OP_WRITE, 1, 0, 9, 9, 0, 0, BLKIF_RSP_ERROR, 0 },
	{ "range past end", RW, BLKIF_OP_READ, 1, SECTORS - 7, 0, 7, 0, 0, BLKIF_RSP_ERROR, 0 },
	{ "sector past end", RW, BLKIF_OP_READ, 1, SECTORS, 0, 0, 0, 0, BLKIF_RSP_ERROR, 0 },
	{ "sector wraps", RW, BLKIF_OP_READ, 1, UINT64_MAX - 3, 0, 7, 0, 0, BLKIF_RSP_ERROR, 0 },
	{ "write to ro", RO, BLKIF_OP_WRITE, 1, 0, 0, 7, 0, 0, BLKIF_RSP_ERROR, 0 },
	{ "read from ro", RO, BLKIF_OP_READ, 1, 0, 0, 7, 0, 0, BLKIF_RSP_OKAY, 8 },
	{ "barrier to ro", RO, BLKIF_OP_WRITE_BARRIER, 1, 0, 0, 7, 0, 0, BLKIF_RSP_ERROR, 0 },
	{ "flush, no data", RW, BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0, 0, 0, 0, BLKIF_RSP_OKAY, 0 },
	{ "flush, no data, sector -1", RW, BLKIF_OP_FLUSH_DISKCACHE, 0, UINT64_MAX, 0, 0, 0, 0,
	  BLKIF_RSP_OKAY, 0 },
	{ "flush with data", RW, BLKIF_OP_FLUSH_DISKCACHE, 2, 8, 0, 7, 0, 0, BLKIF_RSP_OKAY, 16 },
	{ "flush not offered", BARE, BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0, 0, 0, 0,
	  BLKIF_RSP_EOPNOTSUPP, 0 },
	{ "barrier not offered", BARE, BLKIF_OP_WRITE_BARRIER, 1, 0, 0, 7, 0, 0,
	  BLKIF_RSP_EOPNOTSUPP, 0 },
	{ "discard", RW, BLKIF_OP_DISCARD, 0, 64, 0, 0, 0, 64, BLKIF_RSP_OKAY, 64 },
	{ "secure discard", RW, BLKIF_OP_DISCARD, 0, 0, 0, 0, BLKIF_DISCARD_SECURE, 8,
	  BLKIF_RSP_EOPNOTSUPP, 0 },
	{ "discard past end", RW, BLKIF_OP_DISCARD, 0, 8, 0, 0, 0, SECTORS, BLKIF_RSP_ERROR, 0 },
	{ "discard on ro", RO, BLKIF_OP_DISCARD, 0, 0, 0, 0, 0, 8, BLKIF_RSP_ERROR, 0 },
	{ "discard not offered", BARE, BLKIF_OP_DISCARD, 0, 0, 0, 0, 0, 8,
	  BLKIF_RSP_EOPNOTSUPP, 0 },
	{ "indirect read 256", RW, BLKIF_OP_INDIRECT, 256, 0, 0, 7, BLKIF_OP_READ, 0,
	  BLKIF_RSP_OKAY, 0 },
	{ "indirect 0 segs", RW, BLKIF_OP_INDIRECT, 0, 0, 0, 7, BLKIF_OP_READ, 0,
	  BLKIF_RSP_ERROR, 0 },
	{ "indirect 257 segs", RW, BLKIF_OP_INDIRECT, 257, 0, 0, 7, BLKIF_OP_READ, 0,
	  BLKIF_RSP_ERROR, 0 },
	{ "indirect 65535 segs", RW, BLKIF_OP_INDIRECT, 65535, 0, 0, 7, BLKIF_OP_WRITE, 0,
	  BLKIF_RSP_ERROR, 0 },
	{ "indirect flush op", RW, BLKIF_OP_INDIRECT, 4, 0, 0, 7, BLKIF_OP_FLUSH_DISKCACHE, 0,
	  BLKIF_RSP_EOPNOTSUPP, 0 },
	{ "indirect write ro", RO, BLKIF_OP_INDIRECT, 4, 0, 0, 7, BLKIF_OP_WRITE, 0,
	  BLKIF_RSP_ERROR, 0 },
	{ "indirect not offered", BARE, BLKIF_OP_INDIRECT, 4, 0, 0, 7, BLKIF_OP_READ, 0,
	  BLKIF_RSP_EOPNOTSUPP, 0 },
};

static void build(const struct row *w, union blkif_any_request *in)
{
	memset(in, 0xA5, sizeof(*in)); /* garbage in every field we do not set */
	in->operation = w->op;
	in->rw.id = 0x1122334455667788ull;
	in->rw.sector_number = w->sector;
	if (w->op == BLKIF_OP_DISCARD) {
		in->discard.flag = w->sub;
		in->discard.nr_sectors = w->nr_sectors;
	} else if (w->op == BLKIF_OP_INDIRECT) {
		in->indirect.indirect_op = w->sub;
		in->indirect.nr_segments = w->nsegs;
	} else {
		in->rw.nr_segments = (uint8_t)w->nsegs;
		for (unsigned i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
			in->rw.seg[i].gref = 100 + i;
			in->rw.seg[i].first_sect = w->first;
			in->rw.seg[i].last_sect = w->last;
		}
	}
}

START_TEST(validate_table)
{
	const struct row *w = &rows[_i];
	/* Valid segments right after the slot: a segment count one past the
	 * bound ("write 12 segs") must be refused for its count, not thanks
	 * to whatever bytes follow the request. */
	static struct {
		union blkif_any_request in;
		struct blkif_request_segment after[4];
	} slot;
	union blkif_any_request copy;
	static struct blkback_req out;
	int16_t st;

	for (unsigned i = 0; i < 4; i++)
		slot.after[i] = (struct blkif_request_segment){ .gref = 200 + i, .last_sect = 7 };
	build(w, &slot.in);
	copy = slot.in;
	st = blkback_validate(&slot.in, &disks[w->disk], &out);
	ck_assert_msg(st == w->status, "%s: status %d, want %d", w->what, st, w->status);
	ck_assert_msg(memcmp(&slot.in, &copy, sizeof(copy)) == 0, "%s: input changed", w->what);
	ck_assert_uint_eq(out.id, 0x1122334455667788ull);
	/* An indirect request is answered with its inner operation (Linux's
	 * blkfront disables the disk otherwise). */
	ck_assert_uint_eq(out.wire_op, w->op == BLKIF_OP_INDIRECT ? w->sub : w->op);
	if (st == BLKIF_RSP_OKAY && w->op != BLKIF_OP_INDIRECT)
		ck_assert_msg(out.nr_sectors == w->want_sectors, "%s: %llu sectors",
			      w->what, (unsigned long long)out.nr_sectors);
}
END_TEST

/* Indirect segments are checked once copied: the same rules apply. */
START_TEST(indirect_segs)
{
	static struct blkback_req r;
	union blkif_any_request in;

	build(&rows[27], &in); /* indirect read 256 */
	ck_assert_int_eq(blkback_validate(&in, &disks[RW], &r), BLKIF_RSP_OKAY);
	ck_assert_uint_eq(r.nr_indirect, 1);
	for (unsigned i = 0; i < r.nr_segs; i++)
		r.seg[i] = (struct blkback_seg){ .gref = 9, .first = 0, .last = 7 };
	ck_assert_int_eq(blkback_validate_segs(&r, &disks[RW]), BLKIF_RSP_OKAY);
	ck_assert_uint_eq(r.nr_sectors, 2048);
	r.sector = 1; /* 2048 sectors from 1: one past the end */
	ck_assert_int_eq(blkback_validate_segs(&r, &disks[RW]), BLKIF_RSP_ERROR);
	r.sector = 0;
	r.seg[255].last = 8;
	ck_assert_int_eq(blkback_validate_segs(&r, &disks[RW]), BLKIF_RSP_ERROR);
	r.seg[255].last = 7;
	r.seg[17].first = 6;
	r.seg[17].last = 5;
	ck_assert_int_eq(blkback_validate_segs(&r, &disks[RW]), BLKIF_RSP_ERROR);
}
END_TEST

Suite *make_validate_suite(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, validate_table, 0, (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, indirect_segs);
	suite_add_tcase(s, tc);
	return s;
}

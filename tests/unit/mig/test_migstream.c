/*
 * unit-mig: the migration stream codec (pvx/migstream.h). A stream the
 * writer makes reads back record for record; then each malformed case
 * the reader must refuse, with its message: bad magic, other version,
 * page size, guest type, flags; unknown record type, oversize length,
 * records out of order, PFN outside the domain or twice in a round,
 * length not matching the batch, round misnumbered or miscounted, state
 * chunks out of order, a xenstore path that escapes, non-zero padding,
 * the checksum; truncation at every byte and a bit flip at every byte.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/migstream.h>

struct mbuf {
	uint8_t *p;
	size_t len, cap, pos;
};

static ssize_t mem_write(void *opaque, void *buf, size_t len)
{
	struct mbuf *m = opaque;

	if (m->len + len > m->cap) {
		m->cap = (m->len + len) * 2;
		m->p = realloc(m->p, m->cap);
	}
	memcpy(m->p + m->len, buf, len);
	m->len += len;
	return (ssize_t)len;
}

static ssize_t mem_read(void *opaque, void *buf, size_t len)
{
	struct mbuf *m = opaque;
	size_t n = m->len - m->pos < len ? m->len - m->pos : len;

	memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

static struct pvx_mig_header good_hdr(void)
{
	struct pvx_mig_header h = {
		.version = PVX_MIG_VERSION, .page_size = PVX_MIG_PAGE_SIZE,
		.guest_type = 1, .ram_bytes = 64 * 4096, .special_gpa = 0xFEFF8000ull,
		.special_pages = 4, .vcpus = 1,
	};
	memcpy(h.magic, PVX_MIG_MAGIC, 8);
	return h;
}

static void w_open(struct pvx_mig_writer *w, struct mbuf *m)
{
	memset(m, 0, sizeof(*m));
	memset(w, 0, sizeof(*w));
	w->write = mem_write;
	w->opaque = m;
	ck_assert_int_eq(pvx_mig_writer_init(w, -1), 0);
}

static void w_body(struct pvx_mig_writer *w, uint32_t type, const void *b, size_t len)
{
	const void *p[1] = { b };
	size_t l[1] = { len };

	ck_assert_int_eq(pvx_mig_write_rec(w, type, p, l, 1), 0);
}

static uint8_t page_a[4096];

/* header CONFIG PAGES(2: one data, one zero) ROUND STATE(2 chunks)
 * XENSTORE END: a complete, valid stream. upto cuts it after that many
 * records (0: the whole), so cases can append their own. */
static void write_stream(struct pvx_mig_writer *w, struct pvx_mig_header h, int upto)
{
	static const char cfg[] = "name = \"x\"\nmemory = 1\n";
	uint64_t pfns[2] = { PVX_MIG_PFN_ENTRY(3, PVX_MIG_PFN_NORMAL),
			     PVX_MIG_PFN_ENTRY(0xFEFF8, PVX_MIG_PFN_ZERO) };
	const void *pages[1] = { page_a };
	uint8_t st[16 + 10] = { 0 };
	uint64_t total = 20, off = 0;
	uint8_t xs[8 + 4 + 8 + 1] = { 1, 0, 0, 0, 0, 0, 0, 0, 8, 0, 1, 0 };
	int n = 0;

	memset(page_a, 0xa5, sizeof(page_a));
	memcpy(xs + 12, "data/key", 8);
	xs[20] = 'v';
	ck_assert_int_eq(pvx_mig_write_header(w, &h), 0);
	if (upto >= 0 && n++ >= upto) return;
	w_body(w, PVX_MIG_REC_CONFIG, cfg, strlen(cfg));
	if (upto >= 0 && n++ >= upto) return;
	ck_assert_int_eq(pvx_mig_write_pages(w, pfns, 2, pages), 0);
	if (upto >= 0 && n++ >= upto) return;
	ck_assert_int_eq(pvx_mig_write_round(w, 0, PVX_MIG_ROUND_LAST, 2), 0);
	if (upto >= 0 && n++ >= upto) return;
	for (int i = 0; i < 2; i++) {
		memcpy(st, &off, 8);
		memcpy(st + 8, &total, 8);
		memset(st + 16, 'S' + i, 10);
		w_body(w, PVX_MIG_REC_STATE, st, sizeof(st));
		off += 10;
		if (upto >= 0 && n++ >= upto) return;
	}
	w_body(w, PVX_MIG_REC_XENSTORE, xs, sizeof(xs));
	if (upto >= 0 && n++ >= upto) return;
	ck_assert_int_eq(pvx_mig_write_end(w), 0);
}

/* Reads m to the end or the first error: 0, or the error (msg copied). */
static int read_all(struct mbuf *m, char *msg, size_t msglen, int *nrec)
{
	struct pvx_mig_reader r = { .read = mem_read, .opaque = m };
	struct pvx_mig_rec rec;
	int rc, n = 0;

	m->pos = 0;
	rc = pvx_mig_reader_init(&r, -1);
	while (rc == 0 && r.state != PVX_MIG_RD_DONE && n < 100) {
		rc = pvx_mig_read(&r, &rec);
		n += rc == 0;
	}
	if (msg)
		snprintf(msg, msglen, "%s", r.err);
	if (nrec)
		*nrec = n;
	pvx_mig_reader_dispose(&r);
	return rc;
}

START_TEST(round_trip)
{
	struct pvx_mig_writer w;
	struct mbuf m;
	struct pvx_mig_reader r = { .read = mem_read };
	struct pvx_mig_rec rec;
	const char *path, *val;
	uint16_t pl, vl;
	size_t pos = 0;

	w_open(&w, &m);
	write_stream(&w, good_hdr(), -1);
	ck_assert_int_eq(m.len % 8, 0);
	r.opaque = &m;
	ck_assert_int_eq(pvx_mig_reader_init(&r, -1), 0);
	ck_assert_uint_eq(r.hdr.guest_type, 1);
	ck_assert_int_eq(pvx_mig_read(&r, &rec), 0);
	ck_assert_uint_eq(rec.type, PVX_MIG_REC_CONFIG);
	ck_assert_int_eq(memcmp(rec.body, "name = ", 7), 0);
	ck_assert_int_eq(pvx_mig_read(&r, &rec), 0);
	ck_assert_uint_eq(rec.type, PVX_MIG_REC_PAGES);
	ck_assert_uint_eq(rec.npfns, 2);
	ck_assert_uint_eq(rec.pfns[0] & PVX_MIG_PFN_MASK, 3);
	ck_assert(pvx_mig_pfn_is_ram(&r, 3));
	ck_assert(!pvx_mig_pfn_is_ram(&r, 0xFEFF8));
	ck_assert_uint_eq(PVX_MIG_PFN_TYPE(rec.pfns[1]), PVX_MIG_PFN_ZERO);
	ck_assert_int_eq(memcmp(rec.data, page_a, 4096), 0);
	ck_assert_int_eq(pvx_mig_read(&r, &rec), 0);
	ck_assert_uint_eq(rec.type, PVX_MIG_REC_ROUND);
	ck_assert_uint_eq(rec.round_flags, PVX_MIG_ROUND_LAST);
	ck_assert_int_eq(pvx_mig_read(&r, &rec), 0);
	ck_assert_uint_eq(rec.chunk_len, 10);
	ck_assert_int_eq(pvx_mig_read(&r, &rec), 0);
	ck_assert_uint_eq(rec.state_offset, 10);
	ck_assert_int_eq(pvx_mig_read(&r, &rec), 0);
	ck_assert_uint_eq(rec.type, PVX_MIG_REC_XENSTORE);
	ck_assert_int_eq(pvx_mig_xs_next(&rec, &pos, &path, &pl, &val, &vl), 1);
	ck_assert_int_eq(pl, 8);
	ck_assert_int_eq(memcmp(path, "data/key", 8), 0);
	ck_assert_int_eq(vl, 1);
	ck_assert_int_eq(pvx_mig_xs_next(&rec, &pos, &path, &pl, &val, &vl), 0);
	ck_assert_int_eq(pvx_mig_read(&r, &rec), 0);
	ck_assert_uint_eq(rec.type, PVX_MIG_REC_END);
	ck_assert_int_eq(r.state, PVX_MIG_RD_DONE);
	ck_assert_uint_eq(r.offset, m.len);
	ck_assert_int_eq(pvx_mig_read(&r, &rec), -EINVAL);
	pvx_mig_reader_dispose(&r);
	pvx_mig_writer_dispose(&w);
	free(m.p);
}
END_TEST

/* A header variant must fail with rc and a message containing want. */
static void header_case(struct pvx_mig_header h, int rc, const char *want)
{
	struct pvx_mig_writer w;
	struct mbuf m;
	char msg[256];

	w_open(&w, &m);
	write_stream(&w, h, -1);
	ck_assert_int_eq(read_all(&m, msg, sizeof(msg), NULL), rc);
	ck_assert_msg(strstr(msg, want), "'%s' lacks '%s'", msg, want);
	pvx_mig_writer_dispose(&w);
	free(m.p);
}

START_TEST(bad_headers)
{
	struct pvx_mig_header h = good_hdr();

	h.magic[0] = 'Q';
	header_case(h, -EINVAL, "bad magic");
	h = good_hdr(); h.version = 2;
	header_case(h, -EPROTONOSUPPORT, "stream version 2");
	h = good_hdr(); h.page_size = 8192;
	header_case(h, -EINVAL, "page size");
	h = good_hdr(); h.guest_type = 7;
	header_case(h, -EINVAL, "guest type");
	h = good_hdr(); h.flags = 0x80;
	header_case(h, -EINVAL, "flags");
	h = good_hdr(); h.ram_bytes = 4097;
	header_case(h, -EINVAL, "RAM size");
	h = good_hdr(); h.special_gpa = 4096;
	header_case(h, -EINVAL, "special pages");
	h = good_hdr(); h.vcpus = 0;
	header_case(h, -EINVAL, "vCPUs");
}
END_TEST

/* The first `keep` records of the good stream, then one crafted record
 * (type, body): must fail with rc and a message containing want. */
static void rec_case(int keep, uint32_t type, const void *body, size_t len, int rc,
		     const char *want)
{
	struct pvx_mig_writer w;
	struct mbuf m;
	char msg[256];

	w_open(&w, &m);
	write_stream(&w, good_hdr(), keep);
	w_body(&w, type, body, len);
	ck_assert_int_eq(pvx_mig_write_end(&w), 0);
	ck_assert_int_eq(read_all(&m, msg, sizeof(msg), NULL), rc);
	ck_assert_msg(strstr(msg, want), "'%s' lacks '%s'", msg, want);
	ck_assert_msg(strstr(msg, "at offset"), "'%s' has no offset", msg);
	pvx_mig_writer_dispose(&w);
	free(m.p);
}

static size_t pages_body(uint8_t *b, uint32_t count, const uint64_t *pfns, uint32_t ndata)
{
	uint32_t z = 0;

	memcpy(b, &count, 4);
	memcpy(b + 4, &z, 4);
	memcpy(b + 8, pfns, count * 8);
	memset(b + 8 + count * 8, 1, ndata * 4096);
	return 8 + count * 8 + ndata * 4096;
}

START_TEST(bad_pages)
{
	static uint8_t b[8 + 16 + 2 * 4096];
	uint64_t out[1] = { 64 };                         /* RAM is pfns 0..63 */
	uint64_t hole[1] = { 0xFEFF8 + 4 };               /* past the special pages */
	uint64_t dup[2] = { 5, 5 };
	uint64_t badtype[1] = { 5 | (7ull << 60) };
	uint64_t ok[1] = { 5 };
	uint32_t zero = 0;

	rec_case(1, PVX_MIG_REC_PAGES, b, pages_body(b, 1, out, 1), -EINVAL,
		 "outside the domain");
	rec_case(1, PVX_MIG_REC_PAGES, b, pages_body(b, 1, hole, 1), -EINVAL,
		 "outside the domain");
	rec_case(1, PVX_MIG_REC_PAGES, b, pages_body(b, 2, dup, 2), -EINVAL, "sent twice");
	rec_case(1, PVX_MIG_REC_PAGES, b, pages_body(b, 1, badtype, 0), -EINVAL, "bad type");
	rec_case(1, PVX_MIG_REC_PAGES, b, pages_body(b, 1, ok, 0), -EINVAL, "does not match");
	rec_case(1, PVX_MIG_REC_PAGES, b, pages_body(b, 1, ok, 2), -EINVAL, "does not match");
	memcpy(b, &zero, 4);
	rec_case(1, PVX_MIG_REC_PAGES, b, 8, -EINVAL, "batch of 0");
	rec_case(1, PVX_MIG_REC_PAGES, b, 4, -EINVAL, "too short");
}
END_TEST

START_TEST(bad_order)
{
	uint8_t round[16] = { 0 };
	uint8_t st[20] = { 0 };
	uint8_t sha[32] = { 0 };

	/* PAGES before CONFIG, STATE before any round, END too early. */
	rec_case(1, PVX_MIG_REC_STATE, st, sizeof(st), -EINVAL, "not expected here");
	rec_case(0, PVX_MIG_REC_END, sha, sizeof(sha), -EINVAL, "CONFIG must come first");
	rec_case(2, PVX_MIG_REC_CONFIG, "a", 1, -EINVAL, "not expected here");
	rec_case(2, PVX_MIG_REC_XENSTORE, round, 8, -EINVAL, "memory rounds not finished");
	/* a round numbered 1 first; a round counting pages not sent */
	round[0] = 1;
	rec_case(2, PVX_MIG_REC_ROUND, round, 16, -EINVAL, "out of order");
	round[0] = 0;
	round[8] = 9;
	rec_case(2, PVX_MIG_REC_ROUND, round, 16, -EINVAL, "claims 9 pages");
	round[8] = 0;
	rec_case(2, PVX_MIG_REC_ROUND, round, 8, -EINVAL, "expected 16");
	/* STATE chunk whose offset skips ahead, or whose total changes */
	{
		uint64_t off = 5, total = 20;
		memcpy(st, &off, 8);
		memcpy(st + 8, &total, 8);
		rec_case(4, PVX_MIG_REC_STATE, st, sizeof(st), -EINVAL, "out of order");
		off = 10; total = 21;
		memcpy(st, &off, 8);
		memcpy(st + 8, &total, 8);
		rec_case(4, PVX_MIG_REC_STATE, st, sizeof(st), -EINVAL, "total changed");
		off = 0; total = 1ull << 40;
		memcpy(st, &off, 8);
		memcpy(st + 8, &total, 8);
		rec_case(4, PVX_MIG_REC_STATE, st, sizeof(st), -EINVAL, "out of range");
	}
	/* record types that do not exist */
	rec_case(1, 0, "x", 1, -EINVAL, "unknown record type 0");
	rec_case(1, 99, "x", 1, -EINVAL, "unknown record type 99");
	rec_case(0, PVX_MIG_REC_CONFIG, "a\0b", 3, -EINVAL, "NUL");
}
END_TEST

static size_t xs_entry(uint8_t *b, const char *path, const char *val)
{
	uint32_t one = 1, zero = 0;
	uint16_t pl = (uint16_t)strlen(path), vl = (uint16_t)strlen(val);

	memcpy(b, &one, 4);
	memcpy(b + 4, &zero, 4);
	memcpy(b + 8, &pl, 2);
	memcpy(b + 10, &vl, 2);
	memcpy(b + 12, path, pl);
	memcpy(b + 12 + pl, val, vl);
	return 12 + pl + vl;
}

START_TEST(bad_xenstore)
{
	uint8_t b[128];
	static const char *const evil[] = {
		"../0/name", "data/../../x", "/local/domain/0", "data//x", "data/", "a b",
		".", "data/..", "data/\n",
	};

	for (size_t i = 0; i < sizeof(evil) / sizeof(evil[0]); i++)
		rec_case(5, PVX_MIG_REC_XENSTORE, b, xs_entry(b, evil[i], "v"), -EINVAL,
			 "path not allowed");
	ck_assert(pvx_mig_xs_path_ok("data/a.b/c-d_e", 14));
	ck_assert(pvx_mig_xs_path_ok("data/..x", 8) == false ||
		  pvx_mig_xs_path_ok("data/..x", 8) == true);
	/* a count larger than the entries, stray bytes after them */
	xs_entry(b, "data/x", "v");
	b[0] = 2;
	rec_case(5, PVX_MIG_REC_XENSTORE, b, 12 + 7, -EINVAL, "cut off");
	b[0] = 1;
	rec_case(5, PVX_MIG_REC_XENSTORE, b, 12 + 7 + 3, -EINVAL, "stray bytes");
}
END_TEST

/* Crafted bytes: a length above the type's bound, non-zero padding. */
START_TEST(bad_lengths)
{
	struct pvx_mig_writer w;
	struct mbuf m;
	char msg[256];
	struct pvx_mig_header h = good_hdr();
	struct pvx_mig_rec_hdr rh = { PVX_MIG_REC_CONFIG, PVX_MIG_CONFIG_MAX + 1 };
	uint8_t body[16] = "name=1\0\0";

	w_open(&w, &m);
	pvx_mig_write_header(&w, &h);
	mem_write(&m, &rh, sizeof(rh));
	ck_assert_int_eq(read_all(&m, msg, sizeof(msg), NULL), -EINVAL);
	ck_assert_msg(strstr(msg, "exceeds"), "%s", msg);
	m.len = PVX_MIG_HDR_SIZE;
	rh.length = 6;
	mem_write(&m, &rh, sizeof(rh));
	body[7] = 1;
	mem_write(&m, body, 8);
	ck_assert_int_eq(read_all(&m, msg, sizeof(msg), NULL), -EINVAL);
	ck_assert_msg(strstr(msg, "non-zero padding"), "%s", msg);
	pvx_mig_writer_dispose(&w);
	free(m.p);
}
END_TEST

START_TEST(truncated_everywhere)
{
	struct pvx_mig_writer w;
	struct mbuf m;
	char msg[256];
	size_t full;

	w_open(&w, &m);
	write_stream(&w, good_hdr(), -1);
	full = m.len;
	for (size_t cut = 0; cut < full; cut++) {
		m.len = cut;
		ck_assert_int_eq(read_all(&m, msg, sizeof(msg), NULL), -ENODATA);
		ck_assert_msg(strstr(msg, "truncated"), "cut %zu: %s", cut, msg);
	}
	m.len = full;
	ck_assert_int_eq(read_all(&m, NULL, 0, NULL), 0);
	pvx_mig_writer_dispose(&w);
	free(m.p);
}
END_TEST

START_TEST(bitflip_everywhere)
{
	struct pvx_mig_writer w;
	struct mbuf m;
	char msg[256];

	w_open(&w, &m);
	write_stream(&w, good_hdr(), -1);
	for (size_t i = 0; i < m.len; i++) {
		for (int bit = 0; bit < 8; bit += 3) {
			m.p[i] ^= (uint8_t)(1u << bit);
			ck_assert_msg(read_all(&m, msg, sizeof(msg), NULL) < 0,
				      "flip of byte %zu bit %d accepted", i, bit);
			ck_assert(msg[0] != '\0');
			m.p[i] ^= (uint8_t)(1u << bit);
		}
	}
	/* a flip inside page data is caught by the checksum alone */
	m.p[PVX_MIG_HDR_SIZE + 40 + 8 + 24 + 100] ^= 4;
	ck_assert_int_eq(read_all(&m, msg, sizeof(msg), NULL), -EBADMSG);
	ck_assert_msg(strstr(msg, "checksum mismatch"), "%s", msg);
	pvx_mig_writer_dispose(&w);
	free(m.p);
}
END_TEST

static Suite *mig_suite(void)
{
	Suite *s = suite_create("migstream");
	TCase *tc = tcase_create("codec");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, bad_headers);
	tcase_add_test(tc, bad_pages);
	tcase_add_test(tc, bad_order);
	tcase_add_test(tc, bad_xenstore);
	tcase_add_test(tc, bad_lengths);
	tcase_add_test(tc, truncated_everywhere);
	tcase_add_test(tc, bitflip_everywhere);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mig_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

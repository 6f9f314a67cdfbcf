/*
 * Fuzz target for the migration stream reader (dom0-tools/mig/reader.c):
 * a save file or a migration socket is hostile input. The input is a
 * whole stream; the reader runs over it record by record until an error
 * or END. What must hold: no crash, no read out of bounds (ASan); every
 * error comes with a message; an accepted PAGES record's pfns all lie in
 * the domain and its data fits in its body; XENSTORE entries walk within
 * the record and every path passes the path check.
 *
 * Built by tests/fuzz/fuzz.mk as $(O)/fuzz/fuzz_migstream (libFuzzer)
 * and $(O)/tests/fuzz-migstream (tests/fuzz/standalone.c).
 */
#include <stdlib.h>
#include <string.h>

#include <pvx/migstream.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct src {
	const uint8_t *p;
	size_t len, pos;
};

static ssize_t src_read(void *opaque, void *buf, size_t len)
{
	struct src *s = opaque;
	size_t n = s->len - s->pos < len ? s->len - s->pos : len;

	memcpy(buf, s->p + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

static void check_rec(const struct pvx_mig_reader *r, const struct pvx_mig_rec *rec)
{
	const char *path, *val;
	uint16_t pl, vl;
	size_t pos = 0;
	uint32_t n = 0;

	if (rec->type == PVX_MIG_REC_PAGES) {
		for (uint32_t i = 0; i < rec->npfns; i++) {
			uint64_t pfn = rec->pfns[i] & PVX_MIG_PFN_MASK;
			if (!pvx_mig_pfn_is_ram(r, pfn) &&
			    (pfn < r->special_pfn || pfn - r->special_pfn >= r->hdr.special_pages))
				abort();
		}
		if (rec->data < rec->body || rec->data > rec->body + rec->length)
			abort();
	}
	if (rec->type == PVX_MIG_REC_XENSTORE) {
		while (pvx_mig_xs_next(rec, &pos, &path, &pl, &val, &vl)) {
			if (!pvx_mig_xs_path_ok(path, pl) || pos > rec->length)
				abort();
			n++;
		}
		if (n != rec->xs_count)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct src s = { data, size, 0 };
	struct pvx_mig_reader r = { .read = src_read, .opaque = &s };
	struct pvx_mig_rec rec;
	int rc = pvx_mig_reader_init(&r, -1);

	for (int i = 0; rc == 0 && r.state != PVX_MIG_RD_DONE && i < 4096; i++) {
		rc = pvx_mig_read(&r, &rec);
		if (rc == 0)
			check_rec(&r, &rec);
	}
	if (rc < 0 && r.err[0] == '\0')
		abort();
	pvx_mig_reader_dispose(&r);
	return 0;
}

/*
 * Migration stream reader (pvx/migstream.h). A save file or a socket is
 * hostile input: every length is bounded before it is used, the record
 * order is a small state machine, every PFN must lie in the domain the
 * header describes (and appear at most once per round), and the END
 * record's SHA-256 must match the bytes read. Nothing is trusted or
 * acted on before it is checked; the caller sees a record only once
 * it passed every check that does not need the END record.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <pvx/ctl.h>
#include <pvx/migstream.h>

static const char *const rec_names[PVX_MIG_REC_COUNT] = {
	[PVX_MIG_REC_CONFIG] = "CONFIG", [PVX_MIG_REC_PAGES] = "PAGES",
	[PVX_MIG_REC_ROUND] = "ROUND", [PVX_MIG_REC_STATE] = "STATE",
	[PVX_MIG_REC_XENSTORE] = "XENSTORE", [PVX_MIG_REC_END] = "END",
};

const char *pvx_mig_rec_name(uint32_t type)
{
	return type < PVX_MIG_REC_COUNT && rec_names[type] ? rec_names[type] : "unknown";
}

/* Largest body each type may have. */
static const uint32_t rec_max[PVX_MIG_REC_COUNT] = {
	[PVX_MIG_REC_CONFIG] = PVX_MIG_CONFIG_MAX,
	[PVX_MIG_REC_PAGES] = 8 + PVX_MIG_BATCH_MAX * (8 + PVX_MIG_PAGE_SIZE),
	[PVX_MIG_REC_ROUND] = 16,
	[PVX_MIG_REC_STATE] = 16 + PVX_MIG_STATE_CHUNK,
	[PVX_MIG_REC_XENSTORE] = PVX_MIG_XS_MAX,
	[PVX_MIG_REC_END] = PVX_MIG_SHA256_LEN,
};

static int bad(struct pvx_mig_reader *r, const struct pvx_mig_rec *rec, int rc,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int bad(struct pvx_mig_reader *r, const struct pvx_mig_rec *rec, int rc,
	       const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (rec)
		snprintf(r->err, sizeof(r->err), "record %u (%s) at offset %llu: %s",
			 r->nrec, pvx_mig_rec_name(rec->type),
			 (unsigned long long)rec->offset, what);
	else
		snprintf(r->err, sizeof(r->err), "header: %s", what);
	return rc;
}

/* Exactly len bytes, or -ENODATA at EOF (truncated), or the error. */
static int get(struct pvx_mig_reader *r, void *buf, size_t len, bool hash)
{
	uint8_t *p = buf;
	size_t have = 0;

	while (have < len) {
		ssize_t got = r->read ? r->read(r->opaque, p + have, len - have)
				      : read(r->fd, p + have, len - have);
		if (!r->read && got < 0)
			got = -errno;
		if (got == -EINTR)
			continue;
		if (got < 0)
			return (int)got;
		if (got == 0)
			return -ENODATA;
		have += (size_t)got;
		r->offset += (uint64_t)got;
	}
	if (hash && len)
		EVP_DigestUpdate(r->sha, buf, len);
	return 0;
}

static int check_header(struct pvx_mig_reader *r)
{
	const struct pvx_mig_header *h = &r->hdr;
	uint64_t pages;

	if (memcmp(h->magic, PVX_MIG_MAGIC, 8) != 0)
		return bad(r, NULL, -EINVAL, "bad magic: not a pvx save file or stream");
	if (h->version != PVX_MIG_VERSION)
		return bad(r, NULL, -EPROTONOSUPPORT,
			   "stream version %u, this pvx reads version %u", h->version,
			   PVX_MIG_VERSION);
	if (h->page_size != PVX_MIG_PAGE_SIZE)
		return bad(r, NULL, -EINVAL, "page size %u, expected %u", h->page_size,
			   PVX_MIG_PAGE_SIZE);
	if (h->guest_type >= PVX_TYPE_COUNT)
		return bad(r, NULL, -EINVAL, "unknown guest type %u", h->guest_type);
	if (h->flags & ~PVX_MIG_F_KNOWN)
		return bad(r, NULL, -EINVAL, "unknown flags 0x%x", h->flags);
	if (h->ram_bytes == 0 || h->ram_bytes % PVX_MIG_PAGE_SIZE ||
	    h->ram_bytes > 0xFEC00000ull)
		return bad(r, NULL, -EINVAL, "RAM size %llu out of range",
			   (unsigned long long)h->ram_bytes);
	if (h->special_gpa % PVX_MIG_PAGE_SIZE || h->special_gpa < h->ram_bytes ||
	    h->special_pages > 16 || h->special_gpa > (1ull << 40))
		return bad(r, NULL, -EINVAL, "special pages at 0x%llx (%u) out of range",
			   (unsigned long long)h->special_gpa, h->special_pages);
	if (h->vcpus == 0 || h->vcpus > PVX_MAX_VCPUS)
		return bad(r, NULL, -EINVAL, "%u vCPUs out of range", h->vcpus);
	r->max_pfn = h->ram_bytes / PVX_MIG_PAGE_SIZE;
	r->special_pfn = h->special_gpa / PVX_MIG_PAGE_SIZE;
	pages = r->max_pfn + h->special_pages;
	r->seen_bytes = (size_t)((pages + 7) / 8);
	r->seen = calloc(1, r->seen_bytes);
	return r->seen ? 0 : -ENOMEM;
}

int pvx_mig_reader_init(struct pvx_mig_reader *r, int fd)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	pvx_mig_io_fn fn = r->read;
	void *op = r->opaque;
	int rc;

	memset(r, 0, sizeof(*r));
	r->read = fn;
	r->opaque = op;
	r->fd = fd;
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return bad(r, NULL, -ENOMEM, "cannot set up SHA-256");
	}
	r->sha = ctx;
	rc = get(r, &r->hdr, sizeof(r->hdr), true);
	if (rc == -ENODATA)
		return bad(r, NULL, rc, "truncated (%llu of %d bytes)",
			   (unsigned long long)r->offset, PVX_MIG_HDR_SIZE);
	if (rc < 0)
		return bad(r, NULL, rc, "read failed: %s", strerror(-rc));
	return check_header(r);
}

void pvx_mig_reader_dispose(struct pvx_mig_reader *r)
{
	EVP_MD_CTX_free(r->sha);
	free(r->seen);
	free(r->buf);
	r->sha = NULL;
	r->seen = NULL;
	r->buf = NULL;
}

bool pvx_mig_pfn_is_ram(const struct pvx_mig_reader *r, uint64_t pfn)
{
	return pfn < r->max_pfn;
}

/* Index into the seen bitmap, or -1 if the pfn is not the domain's. */
static int64_t pfn_slot(const struct pvx_mig_reader *r, uint64_t pfn)
{
	if (pfn < r->max_pfn)
		return (int64_t)pfn;
	if (pfn >= r->special_pfn && pfn - r->special_pfn < r->hdr.special_pages)
		return (int64_t)(r->max_pfn + (pfn - r->special_pfn));
	return -1;
}

static int parse_pages(struct pvx_mig_reader *r, struct pvx_mig_rec *rec)
{
	uint32_t count, flags, ndata = 0;

	if (rec->length < 8)
		return bad(r, rec, -EINVAL, "body of %u bytes is too short", rec->length);
	memcpy(&count, rec->body, 4);
	memcpy(&flags, rec->body + 4, 4);
	if (count == 0 || count > PVX_MIG_BATCH_MAX || flags)
		return bad(r, rec, -EINVAL, "batch of %u pages (flags 0x%x) out of range",
			   count, flags);
	if (rec->length < 8 + (uint64_t)count * 8)
		return bad(r, rec, -EINVAL, "%u bytes cannot hold %u pfns", rec->length, count);
	rec->npfns = count;
	rec->pfns = (const uint64_t *)(rec->body + 8);
	for (uint32_t i = 0; i < count; i++) {
		uint64_t e = rec->pfns[i], pfn = e & PVX_MIG_PFN_MASK;
		uint32_t t = PVX_MIG_PFN_TYPE(e);
		int64_t slot = pfn_slot(r, pfn);

		if (((e >> 52) & 0xff) || (t != PVX_MIG_PFN_NORMAL && t != PVX_MIG_PFN_ZERO))
			return bad(r, rec, -EINVAL, "pfn entry %u (0x%llx): bad type", i,
				   (unsigned long long)e);
		if (slot < 0)
			return bad(r, rec, -EINVAL, "pfn 0x%llx is outside the domain (%llu pages)",
				   (unsigned long long)pfn, (unsigned long long)r->max_pfn);
		if (r->seen[slot / 8] & (1u << (slot % 8)))
			return bad(r, rec, -EINVAL, "pfn 0x%llx sent twice in round %u",
				   (unsigned long long)pfn, r->round);
		r->seen[slot / 8] |= (uint8_t)(1u << (slot % 8));
		ndata += t == PVX_MIG_PFN_NORMAL;
		r->in_round++;
	}
	if (rec->length != 8 + (uint64_t)count * 8 + (uint64_t)ndata * PVX_MIG_PAGE_SIZE)
		return bad(r, rec, -EINVAL, "length %u does not match %u pfns with %u pages of data",
			   rec->length, count, ndata);
	rec->data = rec->body + 8 + (size_t)count * 8;
	return 0;
}

static int parse_round(struct pvx_mig_reader *r, struct pvx_mig_rec *rec)
{
	if (rec->length != 16)
		return bad(r, rec, -EINVAL, "length %u, expected 16", rec->length);
	memcpy(&rec->round, rec->body, 4);
	memcpy(&rec->round_flags, rec->body + 4, 4);
	memcpy(&rec->round_pages, rec->body + 8, 8);
	if (rec->round != r->round)
		return bad(r, rec, -EINVAL, "round %u out of order (expected %u)", rec->round,
			   r->round);
	if (rec->round_flags & ~PVX_MIG_ROUND_LAST)
		return bad(r, rec, -EINVAL, "unknown flags 0x%x", rec->round_flags);
	if (rec->round_pages != r->in_round)
		return bad(r, rec, -EINVAL, "round %u claims %llu pages, %llu were sent",
			   rec->round, (unsigned long long)rec->round_pages,
			   (unsigned long long)r->in_round);
	if (++r->round > PVX_MIG_ROUNDS_MAX)
		return bad(r, rec, -EINVAL, "more than %u rounds", PVX_MIG_ROUNDS_MAX);
	memset(r->seen, 0, r->seen_bytes);
	r->in_round = 0;
	return 0;
}

static int parse_state(struct pvx_mig_reader *r, struct pvx_mig_rec *rec)
{
	if (rec->length <= 16)
		return bad(r, rec, -EINVAL, "empty state chunk");
	memcpy(&rec->state_offset, rec->body, 8);
	memcpy(&rec->state_total, rec->body + 8, 8);
	rec->chunk = rec->body + 16;
	rec->chunk_len = rec->length - 16;
	if (rec->state_total == 0 || rec->state_total > PVX_MIG_STATE_MAX)
		return bad(r, rec, -EINVAL, "state of %llu bytes out of range",
			   (unsigned long long)rec->state_total);
	if (r->state_have && rec->state_total != r->state_total)
		return bad(r, rec, -EINVAL, "state total changed from %llu to %llu",
			   (unsigned long long)r->state_total,
			   (unsigned long long)rec->state_total);
	if (rec->state_offset != r->state_have ||
	    rec->chunk_len > rec->state_total - rec->state_offset)
		return bad(r, rec, -EINVAL, "chunk [%llu, +%u) out of order (have %llu of %llu)",
			   (unsigned long long)rec->state_offset, rec->chunk_len,
			   (unsigned long long)r->state_have,
			   (unsigned long long)rec->state_total);
	r->state_total = rec->state_total;
	r->state_have += rec->chunk_len;
	return 0;
}

bool pvx_mig_xs_path_ok(const char *p, size_t len)
{
	if (len == 0 || len > PVX_MIG_XS_PATH_MAX || p[0] == '/' || p[len - 1] == '/')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '/' ||
			  c == '@' || c == '.';
		if (!ok || (c == '/' && p[i + 1] == '/'))
			return false;
		if (c == '.' && (i == 0 || p[i - 1] == '/') && i + 1 < len && p[i + 1] == '.')
			return false;
		if (c == '.' && (i == 0 || p[i - 1] == '/') && (i + 1 == len || p[i + 1] == '/'))
			return false;
	}
	return true;
}

int pvx_mig_xs_next(const struct pvx_mig_rec *rec, size_t *pos,
		    const char **path, uint16_t *plen, const char **val, uint16_t *vlen)
{
	size_t at = *pos ? *pos : 8;

	if (at + 4 > rec->length)
		return 0;
	memcpy(plen, rec->body + at, 2);
	memcpy(vlen, rec->body + at + 2, 2);
	if (at + 4 + (size_t)*plen + *vlen > rec->length)
		return 0;
	*path = (const char *)rec->body + at + 4;
	*val = *path + *plen;
	*pos = at + 4 + *plen + *vlen;
	return 1;
}

static int parse_xenstore(struct pvx_mig_reader *r, struct pvx_mig_rec *rec)
{
	uint32_t count, zero;
	size_t at = 8;

	if (rec->length < 8)
		return bad(r, rec, -EINVAL, "body of %u bytes is too short", rec->length);
	memcpy(&count, rec->body, 4);
	memcpy(&zero, rec->body + 4, 4);
	if (zero || count > PVX_MIG_XS_MAX / 4)
		return bad(r, rec, -EINVAL, "%u entries (flags 0x%x) out of range", count, zero);
	for (uint32_t i = 0; i < count; i++) {
		uint16_t pl, vl;

		if (at + 4 > rec->length)
			return bad(r, rec, -EINVAL, "entry %u is cut off", i);
		memcpy(&pl, rec->body + at, 2);
		memcpy(&vl, rec->body + at + 2, 2);
		if (at + 4 + (size_t)pl + vl > rec->length)
			return bad(r, rec, -EINVAL, "entry %u is cut off", i);
		if (!pvx_mig_xs_path_ok((const char *)rec->body + at + 4, pl))
			return bad(r, rec, -EINVAL, "entry %u: path not allowed", i);
		if (vl > PVX_MIG_XS_VAL_MAX)
			return bad(r, rec, -EINVAL, "entry %u: value of %u bytes", i, vl);
		at += 4 + (size_t)pl + vl;
	}
	if (at != rec->length)
		return bad(r, rec, -EINVAL, "%zu stray bytes after %u entries",
			   (size_t)rec->length - at, count);
	rec->xs_count = count;
	return 0;
}

static int check_end(struct pvx_mig_reader *r, struct pvx_mig_rec *rec, const uint8_t *md)
{
	if (rec->length != PVX_MIG_SHA256_LEN)
		return bad(r, rec, -EINVAL, "length %u, expected %d", rec->length,
			   PVX_MIG_SHA256_LEN);
	if (memcmp(md, rec->body, PVX_MIG_SHA256_LEN) != 0)
		return bad(r, rec, -EBADMSG, "checksum mismatch: the stream is corrupt");
	return 0;
}

/* Which record types the current state accepts. */
static bool allowed(const struct pvx_mig_reader *r, uint32_t type, bool pages_open)
{
	switch (r->state) {
	case PVX_MIG_RD_CONFIG: return type == PVX_MIG_REC_CONFIG;
	case PVX_MIG_RD_MEMORY:
		return type == PVX_MIG_REC_PAGES || type == PVX_MIG_REC_ROUND ||
		       (type == PVX_MIG_REC_STATE && r->round > 0 && !pages_open);
	case PVX_MIG_RD_STATE: return type == PVX_MIG_REC_STATE;
	case PVX_MIG_RD_XENSTORE: return type == PVX_MIG_REC_XENSTORE;
	case PVX_MIG_RD_END: return type == PVX_MIG_REC_END;
	case PVX_MIG_RD_DONE: break;
	}
	return false;
}

static int parse(struct pvx_mig_reader *r, struct pvx_mig_rec *rec, const uint8_t *md)
{
	int rc = 0;

	switch (rec->type) {
	case PVX_MIG_REC_CONFIG:
		if (rec->length == 0 || memchr(rec->body, 0, rec->length))
			return bad(r, rec, -EINVAL, "config text empty or with a NUL byte");
		r->state = PVX_MIG_RD_MEMORY;
		break;
	case PVX_MIG_REC_PAGES: return parse_pages(r, rec);
	case PVX_MIG_REC_ROUND: return parse_round(r, rec);
	case PVX_MIG_REC_STATE:
		rc = parse_state(r, rec);
		r->state = r->state_have == r->state_total ? PVX_MIG_RD_XENSTORE
							    : PVX_MIG_RD_STATE;
		break;
	case PVX_MIG_REC_XENSTORE:
		rc = parse_xenstore(r, rec);
		r->state = PVX_MIG_RD_END;
		break;
	case PVX_MIG_REC_END:
		rc = check_end(r, rec, md);
		r->state = PVX_MIG_RD_DONE;
		break;
	}
	return rc;
}

static int body(struct pvx_mig_reader *r, struct pvx_mig_rec *rec)
{
	size_t padded = ((size_t)rec->length + 7) & ~(size_t)7;
	int rc;

	if (padded > r->buf_cap) {
		uint8_t *nb = realloc(r->buf, padded);
		if (!nb)
			return bad(r, rec, -ENOMEM, "out of memory for %zu bytes", padded);
		r->buf = nb;
		r->buf_cap = padded;
	}
	rc = get(r, r->buf, padded, rec->type != PVX_MIG_REC_END);
	if (rc == -ENODATA)
		return bad(r, rec, rc, "truncated: the stream ends at offset %llu",
			   (unsigned long long)r->offset);
	if (rc < 0)
		return bad(r, rec, rc, "read failed: %s", strerror(-rc));
	for (size_t i = rec->length; i < padded; i++)
		if (r->buf[i])
			return bad(r, rec, -EINVAL, "non-zero padding");
	rec->body = r->buf;
	return 0;
}

int pvx_mig_read(struct pvx_mig_reader *r, struct pvx_mig_rec *rec)
{
	struct pvx_mig_rec_hdr rh;
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	int rc;

	memset(rec, 0, sizeof(*rec));
	rec->offset = r->offset;
	if (r->state == PVX_MIG_RD_DONE)
		return bad(r, NULL, -EINVAL, "read past the END record");
	r->nrec++;
	rc = get(r, &rh, sizeof(rh), false);
	if (rc == -ENODATA)
		return bad(r, rec, rc, "truncated: the stream ends at offset %llu before %s",
			   (unsigned long long)r->offset,
			   r->state == PVX_MIG_RD_END ? "the END record" : "its end");
	if (rc < 0)
		return bad(r, rec, rc, "read failed: %s", strerror(-rc));
	rec->type = rh.type;
	rec->length = rh.length;
	if (rh.type == PVX_MIG_REC_END) {
		EVP_MD_CTX *copy = EVP_MD_CTX_new();
		if (!copy || EVP_MD_CTX_copy_ex(copy, r->sha) != 1 ||
		    EVP_DigestFinal_ex(copy, md, &mdlen) != 1) {
			EVP_MD_CTX_free(copy);
			return bad(r, rec, -ENOMEM, "SHA-256 failed");
		}
		EVP_MD_CTX_free(copy);
	}
	EVP_DigestUpdate(r->sha, &rh, sizeof(rh));
	if (rh.type == 0 || rh.type >= PVX_MIG_REC_COUNT)
		return bad(r, rec, -EINVAL, "unknown record type %u", rh.type);
	if (!allowed(r, rh.type, r->in_round > 0))
		return bad(r, rec, -EINVAL, "not expected here (%s)",
			   r->state == PVX_MIG_RD_CONFIG ? "CONFIG must come first" :
			   r->state == PVX_MIG_RD_MEMORY ? "memory rounds not finished" :
			   r->state == PVX_MIG_RD_STATE ? "state blob incomplete" :
			   r->state == PVX_MIG_RD_XENSTORE ? "XENSTORE expected" :
			   "END expected");
	if (rh.length > rec_max[rh.type])
		return bad(r, rec, -EINVAL, "length %u exceeds %u", rh.length, rec_max[rh.type]);
	rc = body(r, rec);
	return rc < 0 ? rc : parse(r, rec, md);
}

/*
 * Migration stream writer (pvx/migstream.h): the header and records,
 * each padded to 8 bytes, every byte hashed (SHA-256, OpenSSL's EVP) so
 * the END record can carry the checksum of all that came before it.
 * A page batch's data is first copied out of the guest's memory into
 * one buffer, which is then both hashed and written: a page the guest
 * (live rounds) or a backend changed between hashing and writing it
 * straight from guest memory would have made the END checksum disagree
 * with the bytes in the stream.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <pvx/migstream.h>

static const uint8_t zeros[8];

static int werr(struct pvx_mig_writer *w, int rc, const char *what)
{
	snprintf(w->err, sizeof(w->err), "writing %s at offset %llu: %s", what,
		 (unsigned long long)w->offset, strerror(-rc));
	return rc;
}

int pvx_mig_writer_init(struct pvx_mig_writer *w, int fd)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	w->fd = fd;
	w->offset = 0;
	w->err[0] = '\0';
	w->bounce = malloc((size_t)PVX_MIG_BATCH_MAX * PVX_MIG_PAGE_SIZE);
	if (!w->bounce || !ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		free(w->bounce);
		w->bounce = NULL;
		snprintf(w->err, sizeof(w->err), "cannot set up SHA-256");
		return -ENOMEM;
	}
	w->sha = ctx;
	return 0;
}

void pvx_mig_writer_dispose(struct pvx_mig_writer *w)
{
	EVP_MD_CTX_free(w->sha);
	w->sha = NULL;
	free(w->bounce);
	w->bounce = NULL;
}

/* Writes all of iov (consumed in place), hashing what it writes. */
static int put_iov(struct pvx_mig_writer *w, struct iovec *iov, int n)
{
	for (int i = 0; i < n; i++)
		if (iov[i].iov_len)
			EVP_DigestUpdate(w->sha, iov[i].iov_base, iov[i].iov_len);
	while (n > 0) {
		ssize_t got;

		if (w->write) {
			got = w->write(w->opaque, iov[0].iov_base, iov[0].iov_len);
		} else {
			got = writev(w->fd, iov, n > IOV_MAX ? IOV_MAX : n);
			if (got < 0)
				got = -errno;
		}
		if (got == -EINTR)
			continue;
		if (got < 0)
			return (int)got;
		if (got == 0 && iov[0].iov_len)
			return -EIO;
		w->offset += (uint64_t)got;
		while (n > 0 && (size_t)got >= iov[0].iov_len) {
			got -= (ssize_t)iov[0].iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov[0].iov_base = (uint8_t *)iov[0].iov_base + got;
			iov[0].iov_len -= (size_t)got;
		}
	}
	return 0;
}

int pvx_mig_write_header(struct pvx_mig_writer *w, const struct pvx_mig_header *h)
{
	_Static_assert(sizeof(struct pvx_mig_header) == PVX_MIG_HDR_SIZE, "header layout");
	struct iovec iov = { (void *)h, sizeof(*h) };
	int rc = put_iov(w, &iov, 1);

	return rc < 0 ? werr(w, rc, "the header") : 0;
}

#define MAX_PARTS 4

int pvx_mig_write_rec(struct pvx_mig_writer *w, uint32_t type,
		      const void *const *parts, const size_t *lens, int nparts)
{
	struct pvx_mig_rec_hdr rh = { .type = type };
	struct iovec iov[MAX_PARTS + 2];
	size_t len = 0;
	int n = 0, rc;

	if (nparts > MAX_PARTS)
		return -EINVAL;
	iov[n++] = (struct iovec){ &rh, sizeof(rh) };
	for (int i = 0; i < nparts; i++) {
		len += lens[i];
		iov[n++] = (struct iovec){ (void *)parts[i], lens[i] };
	}
	if (len > PVX_MIG_REC_MAX)
		return werr(w, -E2BIG, pvx_mig_rec_name(type));
	rh.length = (uint32_t)len;
	iov[n++] = (struct iovec){ (void *)zeros, (8 - len % 8) % 8 };
	rc = put_iov(w, iov, n);
	return rc < 0 ? werr(w, rc, pvx_mig_rec_name(type)) : 0;
}

int pvx_mig_write_pages(struct pvx_mig_writer *w, const uint64_t *pfns, uint32_t n,
			const void *const *pages)
{
	struct iovec iov[4];
	struct pvx_mig_rec_hdr rh = { .type = PVX_MIG_REC_PAGES };
	uint32_t head[2] = { n, 0 };
	size_t data = 0;
	int rc;

	if (n == 0 || n > PVX_MIG_BATCH_MAX)
		return werr(w, -EINVAL, "a page batch");
	for (uint32_t i = 0, d = 0; i < n; i++) {
		if (PVX_MIG_PFN_TYPE(pfns[i]) != PVX_MIG_PFN_NORMAL)
			continue;
		memcpy(w->bounce + data, pages[d++], PVX_MIG_PAGE_SIZE);
		data += PVX_MIG_PAGE_SIZE;
	}
	iov[0] = (struct iovec){ &rh, sizeof(rh) };
	iov[1] = (struct iovec){ head, sizeof(head) };
	iov[2] = (struct iovec){ (void *)pfns, (size_t)n * 8 };
	iov[3] = (struct iovec){ w->bounce, data };
	rh.length = (uint32_t)(sizeof(head) + (size_t)n * 8 + data); /* a multiple of 8 */
	rc = put_iov(w, iov, 4);
	return rc < 0 ? werr(w, rc, "PAGES") : 0;
}

int pvx_mig_write_round(struct pvx_mig_writer *w, uint32_t round, uint32_t flags,
			uint64_t pages)
{
	struct { uint32_t round, flags; uint64_t pages; } b = { round, flags, pages };
	const void *p[1] = { &b };
	size_t l[1] = { sizeof(b) };

	return pvx_mig_write_rec(w, PVX_MIG_REC_ROUND, p, l, 1);
}

int pvx_mig_write_end(struct pvx_mig_writer *w)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_MD_CTX *copy = EVP_MD_CTX_new();
	const void *p[1] = { md };
	size_t l[1] = { PVX_MIG_SHA256_LEN };

	/* The digest of everything so far; the END record itself is hashed
	 * too (on a copy) but nobody checks that. */
	if (!copy || EVP_MD_CTX_copy_ex(copy, w->sha) != 1 ||
	    EVP_DigestFinal_ex(copy, md, &mdlen) != 1 || mdlen != PVX_MIG_SHA256_LEN) {
		EVP_MD_CTX_free(copy);
		return werr(w, -EIO, "END (SHA-256)");
	}
	EVP_MD_CTX_free(copy);
	return pvx_mig_write_rec(w, PVX_MIG_REC_END, p, l, 1);
}

/*
 * Writing a bundle: pax members hashed as they are written. A sparse
 * file's data regions (SEEK_DATA/SEEK_HOLE) become the pax sparse map,
 * so a mostly empty disk image costs only its data in the bundle; the
 * hash is over the file's whole logical content, holes read as zeros.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "cmd.h"

#define BW_CHUNK (1u << 20)

static int bw_err(struct pvx_bundle_w *b, const char *what)
{
	pvx_err("export: %s: %s", what, archive_error_string(b->a) ?
		archive_error_string(b->a) : "archive error");
	return -EIO;
}

int pvx_bundle_open(struct pvx_bundle_w *b, const char *path)
{
	memset(b, 0, sizeof(*b));
	b->mf = open_memstream(&b->manifest, &b->manifest_len);
	b->a = archive_write_new();
	if (!b->mf || !b->a) {
		pvx_bundle_abort(b);
		return -ENOMEM;
	}
	fprintf(b->mf, "%s\n", PVX_BUNDLE_MAGIC);
	if (archive_write_set_format_pax_restricted(b->a) != ARCHIVE_OK ||
	    archive_write_open_filename(b->a, path) != ARCHIVE_OK) {
		int rc = bw_err(b, path);

		pvx_bundle_abort(b);
		return rc;
	}
	return 0;
}

static void bw_record(struct pvx_bundle_w *b, EVP_MD_CTX *md, uint64_t size,
		      const char *name)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	EVP_DigestFinal_ex(md, d, &n);
	for (unsigned i = 0; i < n; i++)
		fprintf(b->mf, "%02x", d[i]);
	fprintf(b->mf, " %llu %s\n", (unsigned long long)size, name);
}

static struct archive_entry *bw_entry(const char *name, int64_t size)
{
	struct archive_entry *e = archive_entry_new();

	if (!e)
		return NULL;
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, size);
	return e;
}

int pvx_bundle_add_buf(struct pvx_bundle_w *b, const char *name, const void *p,
		       size_t len)
{
	struct archive_entry *e = bw_entry(name, (int64_t)len);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int rc = 0;

	if (!e || !md) {
		rc = -ENOMEM;
		goto out;
	}
	if (archive_write_header(b->a, e) != ARCHIVE_OK ||
	    (len && archive_write_data(b->a, p, len) < 0)) {
		rc = bw_err(b, name);
		goto out;
	}
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, p, len);
	bw_record(b, md, len, name);
out:
	EVP_MD_CTX_free(md);
	archive_entry_free(e);
	return rc;
}

/* The data regions of fd as the entry's sparse map; 1 if it has holes. */
static int bw_sparse_map(int fd, off_t size, struct archive_entry *e)
{
	off_t pos = 0, data, hole;
	int holes = 0;

	while (pos < size) {
		data = lseek(fd, pos, SEEK_DATA);
		if (data < 0 && errno == ENXIO)
			break;
		if (data < 0)
			return 0; /* no SEEK_DATA here: store it dense */
		hole = lseek(fd, data, SEEK_HOLE);
		if (hole < 0 || hole > size)
			hole = size;
		if (data > pos)
			holes = 1;
		archive_entry_sparse_add_entry(e, data, hole - data);
		pos = hole;
	}
	if (pos < size)
		holes = 1;
	if (holes && archive_entry_sparse_count(e) == 0)
		archive_entry_sparse_add_entry(e, size - 1, 1); /* all hole */
	if (!holes)
		archive_entry_sparse_clear(e);
	return holes;
}

/* Feeds the whole logical file to the writer (it drops the holes) and
 * to the hash. */
static int bw_copy(struct pvx_bundle_w *b, int fd, off_t size, EVP_MD_CTX *md,
		   const char *name)
{
	char *buf = malloc(BW_CHUNK);
	off_t pos = 0;
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	while (pos < size) {
		size_t want = size - pos < BW_CHUNK ? (size_t)(size - pos) : BW_CHUNK;
		ssize_t n = pread(fd, buf, want, pos);

		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			pvx_err("export: reading %s: %s", name,
				n < 0 ? strerror(errno) : "file shrank");
			break;
		}
		EVP_DigestUpdate(md, buf, (size_t)n);
		if (archive_write_data(b->a, buf, (size_t)n) < 0) {
			rc = bw_err(b, name);
			break;
		}
		pos += n;
	}
	free(buf);
	return rc;
}

int pvx_bundle_add_file(struct pvx_bundle_w *b, const char *src, const char *name)
{
	struct archive_entry *e = NULL;
	EVP_MD_CTX *md = NULL;
	struct stat st;
	int rc, fd = open(src, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		rc = fd < 0 ? -errno : -EINVAL;
		pvx_err("export: %s: %s", src, fd < 0 ? strerror(errno) :
			"not a regular file");
		goto out;
	}
	e = bw_entry(name, st.st_size);
	md = EVP_MD_CTX_new();
	if (!e || !md) {
		rc = -ENOMEM;
		goto out;
	}
	bw_sparse_map(fd, st.st_size, e);
	if (archive_write_header(b->a, e) != ARCHIVE_OK) {
		rc = bw_err(b, name);
		goto out;
	}
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	rc = bw_copy(b, fd, st.st_size, md, src);
	if (rc == 0)
		bw_record(b, md, (uint64_t)st.st_size, name);
out:
	EVP_MD_CTX_free(md);
	archive_entry_free(e);
	if (fd >= 0)
		close(fd);
	return rc;
}

int pvx_bundle_close(struct pvx_bundle_w *b)
{
	struct archive_entry *e;
	int rc = 0;

	fclose(b->mf);
	b->mf = NULL;
	e = bw_entry("MANIFEST", (int64_t)b->manifest_len);
	if (!e || archive_write_header(b->a, e) != ARCHIVE_OK ||
	    archive_write_data(b->a, b->manifest, b->manifest_len) < 0 ||
	    archive_write_close(b->a) != ARCHIVE_OK)
		rc = bw_err(b, "MANIFEST");
	archive_entry_free(e);
	archive_write_free(b->a);
	b->a = NULL;
	free(b->manifest);
	b->manifest = NULL;
	return rc;
}

void pvx_bundle_abort(struct pvx_bundle_w *b)
{
	if (b->mf)
		fclose(b->mf);
	if (b->a)
		archive_write_free(b->a);
	free(b->manifest);
	memset(b, 0, sizeof(*b));
}

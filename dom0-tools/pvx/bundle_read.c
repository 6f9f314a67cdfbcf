/*
 * Reading a bundle: every member is written under the caller's
 * (temporary) directory and hashed on the way; MANIFEST, which must come
 * last, is then compared with what was seen: same set of names, sizes and
 * SHA-256. Names are checked before anything is written (only the
 * members bundle.h lists, no "..", no links or devices, no duplicates),
 * and zero blocks are skipped so that disk images stay sparse.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <ftw.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"

#define BR_MAX_MEMBERS 64
#define BR_ZERO (64u << 10)

struct br_member {
	char name[256];
	char hash[2 * EVP_MAX_MD_SIZE + 1];
	uint64_t size;
	bool listed;
};

struct br {
	const char *dir;
	char *err;
	size_t errlen;
	struct br_member m[BR_MAX_MEMBERS];
	unsigned n;
	char *manifest;
	size_t manifest_len;
};

static int br_fail(struct br *r, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int br_fail(struct br *r, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return rc;
}

/* Only the members of docs/export.md, one directory level deep. */
static bool br_name_ok(const char *n)
{
	const char *base;

	if (!strcmp(n, "domain.cfg") || !strcmp(n, "state") || !strcmp(n, "MANIFEST"))
		return true;
	if (strncmp(n, "boot/", 5) && strncmp(n, "disks/", 6))
		return false;
	base = strchr(n, '/') + 1;
	return *base && !strchr(base, '/') && strcmp(base, ".") && strcmp(base, "..") &&
	       strlen(n) < sizeof(((struct br_member *)0)->name);
}

static void br_hex(EVP_MD_CTX *md, char *out)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	EVP_DigestFinal_ex(md, d, &n);
	for (unsigned i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void br_hash_zeros(EVP_MD_CTX *md, uint64_t n)
{
	static const char zero[BR_ZERO];

	while (n) {
		size_t k = n < BR_ZERO ? (size_t)n : BR_ZERO;

		EVP_DigestUpdate(md, zero, k);
		n -= k;
	}
}

static bool br_is_zero(const char *p, size_t n)
{
	return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

/* Copies the member's blocks to fd (holes left as holes) and hashes its
 * logical content. */
static int br_copy(struct br *r, struct archive *a, int fd, uint64_t size,
		   EVP_MD_CTX *md, const char *name)
{
	uint64_t pos = 0;

	for (;;) {
		const void *buf;
		size_t len;
		la_int64_t off;
		int ar = archive_read_data_block(a, &buf, &len, &off);

		if (ar == ARCHIVE_EOF)
			break;
		if (ar != ARCHIVE_OK)
			return br_fail(r, -EBADMSG, "%s: %s", name, archive_error_string(a));
		if (off < 0 || (uint64_t)off < pos || (uint64_t)off + len > size)
			return br_fail(r, -EBADMSG, "%s: data outside the member", name);
		br_hash_zeros(md, (uint64_t)off - pos);
		EVP_DigestUpdate(md, buf, len);
		if (!br_is_zero(buf, len) && pwrite(fd, buf, len, off) != (ssize_t)len)
			return br_fail(r, -errno, "%s: %s", name, strerror(errno));
		pos = (uint64_t)off + len;
	}
	br_hash_zeros(md, size - pos);
	if (ftruncate(fd, (off_t)size))
		return br_fail(r, -errno, "%s: %s", name, strerror(errno));
	return 0;
}

static int br_member(struct br *r, struct archive *a, struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e);
	struct br_member *m = &r->m[r->n];
	EVP_MD_CTX *md;
	int64_t size = archive_entry_size(e);
	int rc, fd;

	if (!name || !br_name_ok(name) || archive_entry_filetype(e) != AE_IFREG ||
	    archive_entry_hardlink(e) || archive_entry_symlink(e))
		return br_fail(r, -EBADMSG, "unexpected member '%s'", name ? name : "?");
	if (size < 0 || r->n >= BR_MAX_MEMBERS)
		return br_fail(r, -EBADMSG, "too many or bad members");
	if (!strcmp(name, "MANIFEST")) {
		if (r->manifest || size > (1 << 20))
			return br_fail(r, -EBADMSG, "bad MANIFEST member");
		r->manifest = calloc(1, (size_t)size + 1);
		r->manifest_len = (size_t)size;
		if (!r->manifest)
			return -ENOMEM;
		return archive_read_data(a, r->manifest, (size_t)size) == size ? 0 :
			br_fail(r, -EBADMSG, "MANIFEST is truncated");
	}
	if (r->manifest)
		return br_fail(r, -EBADMSG, "member '%s' after MANIFEST", name);
	if (strchr(name, '/')) {
		char d[300];

		snprintf(d, sizeof(d), "%s/%.*s", r->dir, (int)(strchr(name, '/') - name), name);
		if (mkdir(d, 0755) && errno != EEXIST)
			return br_fail(r, -errno, "%s: %s", d, strerror(errno));
	}
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return br_fail(r, -EBADMSG, "member '%s': %s", name,
			       errno == EEXIST ? "appears twice" : strerror(errno));
	md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	rc = br_copy(r, a, fd, (uint64_t)size, md, name);
	br_hex(md, m->hash);
	EVP_MD_CTX_free(md);
	if (close(fd) && rc == 0)
		rc = br_fail(r, -errno, "%s: %s", name, strerror(errno));
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->size = (uint64_t)size;
	r->n++;
	return rc;
}

static int br_check_line(struct br *r, const char *line)
{
	char hash[129], name[256];
	uint64_t size;

	if (sscanf(line, "%128s %" SCNu64 " %255s", hash, &size, name) != 3)
		return br_fail(r, -EBADMSG, "MANIFEST: bad line '%.60s'", line);
	for (unsigned i = 0; i < r->n; i++) {
		struct br_member *m = &r->m[i];

		if (strcmp(m->name, name))
			continue;
		if (m->listed)
			return br_fail(r, -EBADMSG, "MANIFEST lists '%s' twice", name);
		if (m->size != size || strcmp(m->hash, hash))
			return br_fail(r, -EBADMSG, "checksum mismatch: '%s' is not "
				       "what the manifest says (corrupt bundle)", name);
		m->listed = true;
		return 0;
	}
	return br_fail(r, -EBADMSG, "'%s' is in the MANIFEST but not in the "
		       "bundle (truncated?)", name);
}

static int br_verify(struct br *r)
{
	char *save = NULL, *line;
	int rc;

	if (!r->manifest)
		return br_fail(r, -EBADMSG, "no MANIFEST (truncated or not a pvx bundle)");
	if (strlen(r->manifest) != r->manifest_len)
		return br_fail(r, -EBADMSG, "MANIFEST holds a NUL byte");
	line = strtok_r(r->manifest, "\n", &save);
	if (!line || strcmp(line, PVX_BUNDLE_MAGIC))
		return br_fail(r, -EBADMSG, "not a pvx bundle (version 1) manifest");
	while ((line = strtok_r(NULL, "\n", &save)))
		if ((rc = br_check_line(r, line)))
			return rc;
	for (unsigned i = 0; i < r->n; i++)
		if (!r->m[i].listed)
			return br_fail(r, -EBADMSG, "'%s' is not in the MANIFEST",
				       r->m[i].name);
	return 0;
}

int pvx_bundle_extract(const char *bundle, const char *dir, char *err, size_t errlen)
{
	struct br *r = calloc(1, sizeof(*r));
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int rc = 0, ar;

	if (!r || !a) {
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	*r = (struct br){ .dir = dir, .err = err, .errlen = errlen };
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, bundle, 1 << 16) != ARCHIVE_OK) {
		rc = br_fail(r, -EBADMSG, "%s", archive_error_string(a));
		goto out;
	}
	while (rc == 0 && (ar = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		if (ar != ARCHIVE_OK && ar != ARCHIVE_WARN) {
			rc = br_fail(r, -EBADMSG, "%s", archive_error_string(a));
			break;
		}
		rc = br_member(r, a, e);
	}
	if (rc == 0)
		rc = br_verify(r);
out:
	if (a)
		archive_read_free(a);
	if (r)
		free(r->manifest);
	free(r);
	return rc;
}

static int br_rm(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb; (void)f;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void pvx_bundle_rmtree(const char *dir)
{
	nftw(dir, br_rm, 16, FTW_DEPTH | FTW_PHYS);
}

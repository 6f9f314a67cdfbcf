/*
 * Export bundles (docs/export.md): a pax tar written with libarchive
 * whose last member, MANIFEST, lists the SHA-256 (libcrypto) and size of
 * every other member. Disk images go in sparse (their holes are not
 * stored) and come out sparse. Reading extracts into a directory the
 * caller made and then checks every member against the manifest; any
 * mismatch, missing or extra member, unsafe name or truncation fails
 * the whole extraction with one message.
 *
 * Members: domain.cfg, boot/<kernel>, boot/<ramdisk>, disks/<vdev>.img,
 * state (optional: a saved domain, save.h), MANIFEST.
 */
#ifndef PVX_CLI_BUNDLE_H
#define PVX_CLI_BUNDLE_H

#include <stddef.h>

#define PVX_BUNDLE_MAGIC "pvx-bundle 1"

struct archive;

struct pvx_bundle_w {
	struct archive *a;
	char *manifest;      /* open_memstream buffer */
	size_t manifest_len;
	void *mf;            /* FILE * of the manifest */
};

int pvx_bundle_open(struct pvx_bundle_w *b, const char *path);
/* Adds the file at src as member name; holes stay holes. */
int pvx_bundle_add_file(struct pvx_bundle_w *b, const char *src, const char *name);
int pvx_bundle_add_buf(struct pvx_bundle_w *b, const char *name, const void *p,
		       size_t len);
/* Writes MANIFEST and closes; 0 or -errno. Frees b in every case. */
int pvx_bundle_close(struct pvx_bundle_w *b);
void pvx_bundle_abort(struct pvx_bundle_w *b);

/* Extracts bundle into dir (existing, empty) and verifies it. On error
 * err says what was wrong and dir may hold partial files (the caller
 * removes it). */
int pvx_bundle_extract(const char *bundle, const char *dir, char *err, size_t errlen);

/* rm -rf for the directories import and export make (no symlinks
 * followed). */
void pvx_bundle_rmtree(const char *dir);

#endif /* PVX_CLI_BUNDLE_H */

/*
 * The guest's own xenstore keys in the migration stream. What a new
 * domain needs from the old one is what the guest (or a tool acting for
 * it) wrote into its own areas: data/, attr/, drivers/, feature/ and
 * control/feature-*. Everything else is re-created by the create path
 * on the restoring side (identity, console/store rings and ports, the
 * device front/back directories: backends are this host's), so it is
 * not copied. Paths are stored relative to /local/domain/<id>; on
 * restore each node is written under the new id and handed to the new
 * domain (owner = it, Dom0 reads), as if the guest had written it.
 * Bounded: at most MAX_NODES nodes and PVX_MIG_XS_MAX bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/migstream.h>
#include <pvx/xs.h>

#include "save_ctl.h"

#define MAX_NODES 2048
#define MAX_DEPTH 8

static const char *const subtrees[] = { "data", "attr", "drivers", "feature" };

struct xs_buf {
	uint8_t *p;
	size_t len, cap;
	uint32_t count;
};

static int add(struct xs_buf *b, const char *rel, const char *val, size_t vlen)
{
	size_t pl = strlen(rel), need = 4 + pl + vlen;

	if (!pvx_mig_xs_path_ok(rel, pl) || vlen > PVX_MIG_XS_VAL_MAX)
		return 0; /* a name we do not carry: skipped, not fatal */
	if (b->count >= MAX_NODES || b->len + need > PVX_MIG_XS_MAX - 8)
		return -E2BIG;
	if (b->len + need > b->cap) {
		size_t cap = (b->len + need) * 2;
		uint8_t *np = realloc(b->p, cap);
		if (!np)
			return -ENOMEM;
		b->p = np;
		b->cap = cap;
	}
	uint16_t l16[2] = { (uint16_t)pl, (uint16_t)vlen };
	memcpy(b->p + b->len, l16, 4);
	memcpy(b->p + b->len + 4, rel, pl);
	memcpy(b->p + b->len + 4 + pl, val, vlen);
	b->len += need;
	b->count++;
	return 0;
}

/* Node base/rel and everything below it. */
static int walk(struct xs_handle *h, const char *base, const char *rel, struct xs_buf *b,
		int depth)
{
	char path[512], child[PVX_MIG_XS_PATH_MAX + 2], **names = NULL, *val = NULL;
	size_t vlen = 0;
	unsigned n = 0;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	rc = xs_read(h, XBT_NULL, path, &val, &vlen);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	rc = add(b, rel, val, vlen);
	free(val);
	if (rc < 0 || depth >= MAX_DEPTH)
		return rc;
	if (xs_directory(h, XBT_NULL, path, &names, &n) < 0)
		return 0;
	for (unsigned i = 0; i < n && rc == 0; i++) {
		if ((size_t)snprintf(child, sizeof(child), "%s/%s", rel, names[i]) >= sizeof(child))
			continue;
		rc = walk(h, base, child, b, depth + 1);
	}
	free(names);
	return rc;
}

static int collect(struct xs_handle *h, int32_t domid, struct xs_buf *b)
{
	char base[64], ctl[96], **names = NULL, rel[128];
	unsigned n = 0;
	int rc = 0;

	snprintf(base, sizeof(base), "/local/domain/%d", domid);
	for (size_t i = 0; i < sizeof(subtrees) / sizeof(subtrees[0]) && rc == 0; i++)
		rc = walk(h, base, subtrees[i], b, 0);
	snprintf(ctl, sizeof(ctl), "%s/control", base);
	if (rc == 0 && xs_directory(h, XBT_NULL, ctl, &names, &n) == 0) {
		for (unsigned i = 0; i < n && rc == 0; i++) {
			if (strncmp(names[i], "feature-", 8) != 0 ||
			    (size_t)snprintf(rel, sizeof(rel), "control/%s", names[i]) >= sizeof(rel))
				continue;
			rc = walk(h, base, rel, b, MAX_DEPTH);
		}
		free(names);
	}
	return rc;
}

int pvx_save_xs_write(struct pvx_mig_writer *w, int32_t domid)
{
	struct xs_buf b = { 0 };
	struct xs_handle *h = NULL;
	uint32_t head[2] = { 0, 0 };
	int rc = xs_open(&h);

	/* No pvxstored for this run dir: the domain had no keys to keep. */
	if (rc == 0)
		rc = collect(h, domid, &b);
	else
		rc = 0;
	xs_close(h);
	if (rc == 0) {
		const void *parts[2] = { head, b.p };
		size_t lens[2] = { sizeof(head), b.len };
		head[0] = b.count;
		rc = pvx_mig_write_rec(w, PVX_MIG_REC_XENSTORE, parts, lens, b.len ? 2 : 1);
	} else {
		snprintf(w->err, sizeof(w->err), "reading the guest's xenstore keys: %s",
			 strerror(-rc));
	}
	free(b.p);
	return rc;
}

struct restore_arg {
	const struct pvx_mig_rec *rec;
	int32_t domid;
};

static int restore_txn(struct xs_handle *h, xs_transaction_t t, void *arg)
{
	const struct restore_arg *a = arg;
	struct xs_permission perms[1] = { { (uint32_t)a->domid, XS_PERM_NONE } };
	const char *path, *val;
	uint16_t pl, vl;
	size_t pos = 0;
	char full[PVX_MIG_XS_PATH_MAX + 64];
	int rc = 0;

	while (rc == 0 && pvx_mig_xs_next(a->rec, &pos, &path, &pl, &val, &vl)) {
		snprintf(full, sizeof(full), "/local/domain/%d/%.*s", a->domid, (int)pl, path);
		rc = xs_write(h, t, full, val, vl);
		if (rc == 0)
			rc = xs_set_perms(h, t, full, perms, 1);
	}
	return rc;
}

int pvx_save_xs_restore(const struct pvx_mig_rec *rec, int32_t domid, char *err,
			size_t errlen)
{
	struct restore_arg a = { rec, domid };
	struct xs_handle *h = NULL;
	int rc;

	if (rec->xs_count == 0)
		return 0;
	rc = xs_open(&h);
	if (rc < 0)
		return 0; /* no pvxstored: create warned already */
	rc = xs_transaction_run(h, restore_txn, &a, 0);
	xs_close(h);
	if (rc < 0)
		snprintf(err, errlen, "writing the guest's xenstore keys: %s", strerror(-rc));
	return rc;
}

/*
 * Grants of a whole request at once. Cached (persistent) refs cost
 * nothing; the misses go to pvxd in one batch, so a 256-segment request
 * that is not cached yet is one round trip, not 256. All or nothing: if
 * any ref fails, the fresh mappings are given back and the request fails.
 * A ref that occurs twice in one request is mapped twice but cached once
 * (the second mapping is returned at once).
 */
#include <errno.h>

#include "blkback.h"

static void map_misses(struct blkback_gnt *g, const grant_ref_t *refs, unsigned n,
		       bool writable, void **pages, uint32_t *handles, int *err)
{
	if (g->ops->map_batch) {
		g->ops->map_batch(g->ctx, refs, n, writable, pages, handles, err);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		err[i] = g->ops->map(g->ctx, refs[i], writable, &pages[i], &handles[i]);
}

void blkback_gnt_put_many(struct blkback_gnt *g, const uint32_t *handles, unsigned n)
{
	if (n && g->ops->unmap_batch) {
		g->ops->unmap_batch(g->ctx, handles, n);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		g->ops->unmap(g->ctx, handles[i]);
}

int blkback_gnt_get_many(struct blkback_gnt *g, const grant_ref_t *refs, unsigned n,
			 bool writable, void **pages, uint32_t *handles, bool *kept)
{
	grant_ref_t mref[PVX_BLK_MAX_SEGS];
	void *mpage[PVX_BLK_MAX_SEGS];
	uint32_t mhandle[PVX_BLK_MAX_SEGS];
	unsigned idx[PVX_BLK_MAX_SEGS], m = 0, ok = 0;
	int err[PVX_BLK_MAX_SEGS], rc = 0;

	if (n > PVX_BLK_MAX_SEGS)
		return -EINVAL;
	for (unsigned i = 0; i < n; i++) {
		kept[i] = false;
		if (blkback_gnt_cached(g, refs[i], writable, &pages[i], &handles[i])) {
			kept[i] = true;
			continue;
		}
		idx[m] = i;
		mref[m++] = refs[i];
	}
	if (m == 0)
		return 0;
	map_misses(g, mref, m, writable, mpage, mhandle, err);
	for (unsigned j = 0; j < m; j++) {
		if (err[j] < 0 && rc == 0)
			rc = err[j];
		else if (err[j] == 0)
			mhandle[ok++] = mhandle[j], mpage[ok - 1] = mpage[j], idx[ok - 1] = idx[j];
	}
	if (rc < 0) {
		blkback_gnt_put_many(g, mhandle, ok);
		return rc;
	}
	for (unsigned j = 0; j < m; j++) {
		unsigned i = idx[j];

		pages[i] = mpage[j];
		handles[i] = mhandle[j];
		kept[i] = blkback_gnt_keep(g, refs[i], writable, &pages[i], &handles[i]);
	}
	return 0;
}

/*
 * blkback_gnt_ops over libpvxgnttab: one pvxd round trip per batch (a
 * request's uncached refs) and per batch of unmaps (persistent grants, the
 * common case, are mapped once per ring). GNTST_* outcomes become the errnos the ring
 * code expects: a read-only grant asked for write access is -EACCES,
 * every other refusal -EPERM (the request then fails with
 * BLKIF_RSP_ERROR).
 */
#include <errno.h>

#include "daemon.h"

static int pvx_map(void *ctx, grant_ref_t ref, bool writable, void **page,
		   uint32_t *handle)
{
	struct bb_queue *q = ctx;
	int16_t st = GNTST_general_error;

	*page = pvx_gnttab_map_ref(q->vbd->d->gnt, q->vbd->dev.domid, ref, !writable,
				   handle, &st);
	if (*page)
		return 0;
	return st == GNTST_permission_denied ? -EACCES : -EPERM;
}

static void pvx_unmap(void *ctx, uint32_t handle)
{
	struct bb_queue *q = ctx;

	if (pvx_gnttab_unmap(q->vbd->d->gnt, handle) < 0)
		pvx_log_warn("domain %d: unmap of grant handle %u failed",
		       (int)q->vbd->dev.domid, handle);
}

static void pvx_map_batch(void *ctx, const grant_ref_t *refs, unsigned n, bool writable,
			  void **pages, uint32_t *handles, int *err)
{
	struct bb_queue *q = ctx;
	struct pvx_gnttab_map m[PVX_BLK_MAX_SEGS];
	int rc;

	for (unsigned i = 0; i < n; i++)
		m[i] = (struct pvx_gnttab_map){ .ref = refs[i], .readonly = !writable };
	rc = pvx_gnttab_map_batch(q->vbd->d->gnt, q->vbd->dev.domid, m, n);
	for (unsigned i = 0; i < n; i++) {
		if (rc < 0) {
			err[i] = rc;
			continue;
		}
		pages[i] = m[i].addr;
		handles[i] = m[i].handle;
		err[i] = m[i].status == GNTST_okay ? 0
			 : m[i].status == GNTST_permission_denied ? -EACCES : -EPERM;
	}
}

static void pvx_unmap_batch(void *ctx, const uint32_t *handles, unsigned n)
{
	struct bb_queue *q = ctx;

	if (pvx_gnttab_unmap_batch(q->vbd->d->gnt, handles, NULL, n) < 0)
		pvx_log_warn("domain %d: unmap of %u grant handles failed",
		       (int)q->vbd->dev.domid, n);
}

const struct blkback_gnt_ops bb_gnt_ops = { pvx_map, pvx_unmap, pvx_map_batch,
					    pvx_unmap_batch };

/*
 * blkback_gnt_ops over libpvxgnttab: one pvxd round trip per map and per
 * unmap of a non-persistent grant (persistent grants, the common case,
 * are mapped once per ring). GNTST_* outcomes become the errnos the ring
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

	*page = pvx_gnttab_map_ref(q->vbd->d->gnt, q->vbd->domid, ref, !writable,
				   handle, &st);
	if (*page)
		return 0;
	return st == GNTST_permission_denied ? -EACCES : -EPERM;
}

static void pvx_unmap(void *ctx, uint32_t handle)
{
	struct bb_queue *q = ctx;

	if (pvx_gnttab_unmap(q->vbd->d->gnt, handle) < 0)
		bb_log(BB_WARN, "domain %d: unmap of grant handle %u failed",
		       (int)q->vbd->domid, handle);
}

const struct blkback_gnt_ops bb_gnt_ops = { pvx_map, pvx_unmap };

/*
 * netback_gnt_ops over libpvxgnttab: one pvxd round trip per batch of
 * maps (a tx pass's packets, an rx pass's slots) and one per batch of
 * unmaps. GNTST_* outcomes become the errnos the engine expects: a
 * read-only grant asked for write access is -EACCES, every other refusal
 * -EPERM (the slot is then answered NETIF_RSP_ERROR). ctx is a struct
 * nb_queue; its vif names the granting domain.
 */
#include <errno.h>

#include "netbackd.h"
#include "netback.h"

static void pvx_map_batch(void *ctx, const grant_ref_t *refs, unsigned n, bool writable,
			  void **pages, uint32_t *handles, int *err)
{
	struct nb_queue *q = ctx;
	struct pvx_gnttab_map m[PVX_NET_RING_ENTRIES];
	int rc;

	if (n > PVX_NET_RING_ENTRIES) { /* the engine promises not to */
		for (unsigned i = 0; i < n; i++)
			err[i] = -E2BIG;
		return;
	}
	for (unsigned i = 0; i < n; i++)
		m[i] = (struct pvx_gnttab_map){ .ref = refs[i], .readonly = !writable };
	rc = n ? pvx_gnttab_map_batch(q->vif->d->gnt, q->vif->dev.domid, m, n) : 0;
	for (unsigned i = 0; i < n; i++) {
		if (rc < 0) {
			err[i] = rc;
			pages[i] = NULL;
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
	struct nb_queue *q = ctx;

	if (n && pvx_gnttab_unmap_batch(q->vif->d->gnt, handles, NULL, n) < 0)
		pvx_log_warn("domain %d: unmap of %u grant handles failed",
			     (int)q->vif->dev.domid, n);
}

const struct netback_gnt_ops nb_gnt_ops = { pvx_map_batch, pvx_unmap_batch };

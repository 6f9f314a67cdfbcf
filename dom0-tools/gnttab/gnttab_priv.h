/*
 * libpvxgnttab internals shared by its files (API: pvx/gnttab.h).
 *
 * A view is one granter's memfd mapped twice (read-write and read-only),
 * tagged with pvxd's cookie for that domain instance, and counted by the
 * handles that point into it; a few idle views stay cached. Handles are
 * pvxd's numbers for this connection; `views` maps each live handle to
 * its view.
 */
#ifndef PVX_GNTTAB_PRIV_H
#define PVX_GNTTAB_PRIV_H

#include <pvx/gnttab.h>

#define GT_IDLE_MAX 4  /* cached views with nothing mapped */

struct gt_view {
	int32_t domid;
	uint64_t cookie;
	uint8_t *rw, *ro;
	size_t size;
	size_t nmaps;
	struct gt_view *next;
};

struct pvx_gnttab {
	struct pvx_ctl *ctl;
	struct gt_view *views;
	struct gt_view **by_handle;  /* [cap] */
	size_t cap;
	size_t nmapped;
	uint8_t *req, *rsp;          /* PVX_CTL_MAX_PAYLOAD each */
};

struct gt_view *gt_view_find(struct pvx_gnttab *g, int32_t domid);
/* Maps fd (size bytes) as a new view of domid; the fd is closed. */
int gt_view_new(struct pvx_gnttab *g, int32_t domid, uint64_t cookie, int fd,
		uint64_t size, struct gt_view **out);
void gt_view_put(struct pvx_gnttab *g, struct gt_view *v);  /* drops one map */
void gt_view_free(struct pvx_gnttab *g, struct gt_view *v);
int gt_handle_set(struct pvx_gnttab *g, uint32_t handle, struct gt_view *v);
/* The view a handle points into (NULL if unknown), forgetting it. */
struct gt_view *gt_handle_take(struct pvx_gnttab *g, uint32_t handle);

#endif

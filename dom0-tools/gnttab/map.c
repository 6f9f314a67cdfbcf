/*
 * libpvxgnttab: mapping a batch of grant refs (pvx/gnttab.h).
 *
 * One PVX_CTL_GNTTAB_MAP round trip per chunk of PVX_GNTTAB_BATCH_MAX
 * refs. When we have no view of the domain yet, the request asks for the
 * memfd, which arrives on the same reply, so the view and the handles
 * are of the same domain instance. If the reply's cookie shows that the
 * view we have belongs to an earlier domain with the same domid, the
 * view is retired (it lives on for its own handles), the fresh handles
 * are unmapped and the chunk is asked again with the memfd.
 *
 * Every offset pvxd returns is checked against the memfd size before it
 * becomes a pointer.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "gnttab_priv.h"

struct reply {
	struct pvx_ctl_gnttab_map_rsp hdr;
	const struct pvx_ctl_gnttab_map_res *res;
	int fd;
};

static int call(struct pvx_gnttab *g, int32_t domid, const struct pvx_gnttab_map *m,
		size_t n, bool want_fd, struct reply *r)
{
	struct pvx_ctl_gnttab_map_req q = { .count = (uint32_t)n,
		.flags = want_fd ? PVX_CTL_GNTMAP_WANT_MEMFD : 0 };
	struct pvx_ctl_gnttab_ref *refs = (void *)(g->req + sizeof(q));
	uint32_t got = 0;
	int nfds = 0, rc;

	memcpy(g->req, &q, sizeof(q));
	for (size_t i = 0; i < n; i++)
		refs[i] = (struct pvx_ctl_gnttab_ref){ m[i].ref,
			m[i].readonly ? PVX_CTL_GNTMAP_READONLY : 0 };
	r->fd = -1;
	memset(&r->hdr, 0, sizeof(r->hdr));
	rc = pvx_ctl_call(g->ctl, PVX_CTL_GNTTAB_MAP, domid, g->req,
			  (uint32_t)(sizeof(q) + n * sizeof(*refs)), g->rsp,
			  PVX_CTL_MAX_PAYLOAD, &got, &r->fd, 1, &nfds);
	if (rc < 0)
		return rc;
	if (got >= sizeof(r->hdr))
		memcpy(&r->hdr, g->rsp, sizeof(r->hdr));
	r->res = (const void *)(g->rsp + sizeof(r->hdr));
	if (got != sizeof(r->hdr) + n * sizeof(*r->res) || r->hdr.count != n ||
	    (nfds == 1) != want_fd || (want_fd && r->hdr.memfd_size == 0))
		return -EPROTO; /* handles it may have made die with the connection */
	return 0;
}

/* Unmaps the handles of a reply we cannot use (stale view, no memory). */
static void drop(struct pvx_gnttab *g, const struct reply *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (r->res[i].status == GNTST_okay)
			pvx_gnttab_unmap_batch(g, &r->res[i].handle, NULL, 1);
}

static void fill(struct pvx_gnttab *g, struct gt_view *v, const struct reply *r,
		 struct pvx_gnttab_map *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct pvx_ctl_gnttab_map_res *x = &r->res[i];

		m[i].status = (int16_t)x->status;
		m[i].addr = NULL;
		if (x->status != GNTST_okay)
			continue;
		if (x->offset > v->size - PVX_PAGE_SIZE || x->offset % PVX_PAGE_SIZE ||
		    gt_handle_set(g, x->handle, v) < 0) {
			pvx_gnttab_unmap_batch(g, &x->handle, NULL, 1);
			m[i].status = GNTST_general_error;
			continue;
		}
		m[i].handle = x->handle;
		m[i].gfn = x->gfn;
		m[i].addr = (m[i].readonly ? v->ro : v->rw) + x->offset;
	}
}

static int map_chunk(struct pvx_gnttab *g, int32_t domid,
		     struct pvx_gnttab_map *m, size_t n)
{
	for (int attempt = 0; attempt < 3; attempt++) {
		struct gt_view *v = gt_view_find(g, domid);
		struct reply r;
		int rc = call(g, domid, m, n, !v, &r);

		if (rc < 0) {
			if (r.fd >= 0)
				close(r.fd);
			return rc;
		}
		if (!v) {
			rc = gt_view_new(g, domid, r.hdr.cookie, r.fd, r.hdr.memfd_size, &v);
			if (rc < 0) {
				drop(g, &r, n);
				return rc;
			}
		} else if (v->cookie != r.hdr.cookie) {
			/* an earlier domain: keep its view only for its own handles */
			if (v->nmaps)
				v->domid = -1;
			else
				gt_view_free(g, v);
			drop(g, &r, n);
			continue;
		}
		fill(g, v, &r, m, n);
		return 0;
	}
	return -EAGAIN; /* the domid keeps being reused under us */
}

int pvx_gnttab_map_batch(struct pvx_gnttab *g, int32_t domid,
			 struct pvx_gnttab_map *m, size_t n)
{
	if (n == 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i += PVX_GNTTAB_BATCH_MAX) {
		size_t k = n - i < PVX_GNTTAB_BATCH_MAX ? n - i : PVX_GNTTAB_BATCH_MAX;
		int rc = map_chunk(g, domid, m + i, k);

		if (rc < 0) {
			/* all or nothing: undo the chunks already mapped */
			for (size_t j = 0; j < i; j++)
				if (m[j].status == GNTST_okay)
					pvx_gnttab_unmap(g, m[j].handle);
			for (size_t j = 0; j < n; j++) {
				m[j].status = GNTST_general_error;
				m[j].addr = NULL;
			}
			return rc;
		}
	}
	return 0;
}

void *pvx_gnttab_map_ref(struct pvx_gnttab *g, int32_t domid, grant_ref_t ref,
			 bool readonly, uint32_t *handle, int16_t *status)
{
	struct pvx_gnttab_map m = { .ref = ref, .readonly = readonly };
	int rc = pvx_gnttab_map_batch(g, domid, &m, 1);

	if (status)
		*status = rc < 0 ? GNTST_general_error : m.status;
	if (rc == 0 && m.status == GNTST_okay && handle)
		*handle = m.handle;
	return rc == 0 ? m.addr : NULL;
}

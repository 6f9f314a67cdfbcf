/*
 * libpvxgnttab: handles, views of granters' memory, unmap and close
 * (pvx/gnttab.h; map.c and copy.c do the rest).
 *
 * Unmapping always drops our record, whatever pvxd answers: pvxd already
 * forgot a handle whose domain was destroyed (it answers okay) and one it
 * never gave us (bad_handle), and in neither case may we keep memory
 * mapped for it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gnttab_priv.h"

int pvx_gnttab_open(struct pvx_ctl *ctl, struct pvx_gnttab **out)
{
	struct pvx_gnttab *g = calloc(1, sizeof(*g));

	if (!g)
		return -ENOMEM;
	g->ctl = ctl;
	g->req = malloc(PVX_CTL_MAX_PAYLOAD);
	g->rsp = malloc(PVX_CTL_MAX_PAYLOAD);
	if (!g->req || !g->rsp) {
		pvx_gnttab_close(g);
		return -ENOMEM;
	}
	*out = g;
	return 0;
}

void pvx_gnttab_close(struct pvx_gnttab *g)
{
	uint32_t batch[PVX_GNTTAB_BATCH_MAX];
	size_t n = 0;

	if (!g)
		return;
	for (size_t h = 0; h < g->cap; h++) {
		if (!g->by_handle[h])
			continue;
		batch[n++] = (uint32_t)h;
		if (n == PVX_GNTTAB_BATCH_MAX) {
			pvx_gnttab_unmap_batch(g, batch, NULL, n);
			n = 0;
		}
	}
	if (n)
		pvx_gnttab_unmap_batch(g, batch, NULL, n);
	while (g->views) /* none should be left: every view has a handle */
		gt_view_free(g, g->views);
	free(g->by_handle);
	free(g->req);
	free(g->rsp);
	free(g);
}

struct gt_view *gt_view_find(struct pvx_gnttab *g, int32_t domid)
{
	for (struct gt_view *v = g->views; v; v = v->next)
		if (v->domid == domid)
			return v;
	return NULL;
}

int gt_view_new(struct pvx_gnttab *g, int32_t domid, uint64_t cookie, int fd,
		uint64_t size, struct gt_view **out)
{
	struct gt_view *v = calloc(1, sizeof(*v));
	int rc = -ENOMEM;

	if (!v)
		goto out;
	v->rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	v->ro = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (v->rw == MAP_FAILED || v->ro == MAP_FAILED) {
		rc = -errno;
		if (v->rw != MAP_FAILED)
			munmap(v->rw, size);
		if (v->ro != MAP_FAILED)
			munmap(v->ro, size);
		free(v);
		goto out;
	}
	v->domid = domid;
	v->cookie = cookie;
	v->size = size;
	v->next = g->views;
	g->views = v;
	*out = v;
	rc = 0;
out:
	close(fd);
	return rc;
}

/*
 * A view whose last grant is unmapped stays cached (a backend that maps
 * per request would otherwise fetch and mmap the memfd every time), up to
 * GT_IDLE_MAX idle views; the oldest idle one goes first. An idle view
 * of a destroyed domain keeps its memory alive until then, until the
 * domid is mapped again (the cookie differs) or pvx_gnttab_release_idle.
 */
void gt_view_put(struct pvx_gnttab *g, struct gt_view *v)
{
	struct gt_view *oldest = NULL;
	unsigned idle = 0;

	if (v->nmaps && --v->nmaps)
		return;
	if (v->domid < 0) {
		gt_view_free(g, v); /* retired: its domid belongs to a newer domain */
		return;
	}
	for (struct gt_view *w = g->views; w; w = w->next)
		if (w->nmaps == 0) {
			idle++;
			oldest = w; /* views are pushed at the head: the last is oldest */
		}
	if (idle > GT_IDLE_MAX)
		gt_view_free(g, oldest);
}

void pvx_gnttab_release_idle(struct pvx_gnttab *g)
{
	struct gt_view *v = g->views, *next;

	for (; v; v = next) {
		next = v->next;
		if (v->nmaps == 0)
			gt_view_free(g, v);
	}
}

void gt_view_free(struct pvx_gnttab *g, struct gt_view *v)
{
	struct gt_view **pp;

	for (pp = &g->views; *pp; pp = &(*pp)->next) {
		if (*pp == v) {
			*pp = v->next;
			break;
		}
	}
	munmap(v->rw, v->size);
	munmap(v->ro, v->size);
	free(v);
}

int gt_handle_set(struct pvx_gnttab *g, uint32_t handle, struct gt_view *v)
{
	if (handle >= g->cap) {
		size_t n = g->cap ? g->cap : 256;
		struct gt_view **t;

		while (n <= handle)
			n *= 2;
		t = realloc(g->by_handle, n * sizeof(*t));
		if (!t)
			return -ENOMEM;
		memset(t + g->cap, 0, (n - g->cap) * sizeof(*t));
		g->by_handle = t;
		g->cap = n;
	}
	g->by_handle[handle] = v;
	v->nmaps++;
	g->nmapped++;
	return 0;
}

struct gt_view *gt_handle_take(struct pvx_gnttab *g, uint32_t handle)
{
	struct gt_view *v;

	if (handle >= g->cap || !g->by_handle[handle])
		return NULL;
	v = g->by_handle[handle];
	g->by_handle[handle] = NULL;
	g->nmapped--;
	return v;
}

static int unmap_chunk(struct pvx_gnttab *g, const uint32_t *handles,
		       int16_t *status, size_t n)
{
	struct pvx_ctl_gnttab_unmap_req q = { .count = (uint32_t)n };
	int32_t *st = (int32_t *)g->rsp;
	uint32_t got = 0;
	int rc;

	memcpy(g->req, &q, sizeof(q));
	memcpy(g->req + sizeof(q), handles, n * sizeof(*handles));
	rc = pvx_ctl_call(g->ctl, PVX_CTL_GNTTAB_UNMAP, -1, g->req,
			  (uint32_t)(sizeof(q) + n * sizeof(*handles)), g->rsp,
			  PVX_CTL_MAX_PAYLOAD, &got, NULL, 0, NULL);
	if (rc == 0 && got != n * sizeof(*st))
		rc = -EPROTO;
	for (size_t i = 0; i < n; i++) {
		struct gt_view *v = gt_handle_take(g, handles[i]);

		if (v)
			gt_view_put(g, v);
		if (status)
			status[i] = rc == 0 ? (int16_t)st[i] : GNTST_general_error;
	}
	return rc;
}

int pvx_gnttab_unmap_batch(struct pvx_gnttab *g, const uint32_t *handles,
			   int16_t *status, size_t n)
{
	int rc = 0;

	if (n == 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i += PVX_GNTTAB_BATCH_MAX) {
		size_t k = n - i < PVX_GNTTAB_BATCH_MAX ? n - i : PVX_GNTTAB_BATCH_MAX;
		int r = unmap_chunk(g, handles + i, status ? status + i : NULL, k);

		if (r < 0 && rc == 0)
			rc = r;
	}
	return rc;
}

int pvx_gnttab_unmap(struct pvx_gnttab *g, uint32_t handle)
{
	int16_t st;
	int rc = pvx_gnttab_unmap_batch(g, &handle, &st, 1);

	if (rc < 0)
		return rc;
	return st == GNTST_okay ? 0 : -EINVAL;
}

size_t pvx_gnttab_nr_mapped(const struct pvx_gnttab *g)
{
	return g->nmapped;
}

const char *pvx_gnttab_strstatus(int status)
{
	static const char *const names[] = {
		"okay", "general_error", "bad_domain", "bad_gntref", "bad_handle",
		"bad_virt_addr", "bad_dev_addr", "no_device_space",
		"permission_denied", "bad_page", "bad_copy_arg", "address_too_big",
		"eagain", "no_space",
	};

	if (status > 0 || -status >= (int)(sizeof(names) / sizeof(names[0])))
		return "unknown";
	return names[-status];
}

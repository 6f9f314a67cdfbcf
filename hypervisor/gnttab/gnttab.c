/*
 * gnttab: per-domain tables, their frames, and the guest's own
 * management operations (query_size, setup_table, set_version,
 * add_to_physmap of a frame). Design and locking: gnttab.h.
 *
 * Frames: frame i of a table is a page of the guest's RAM the guest
 * chose with add_to_physmap, like shared_info placed inside RAM (the
 * page becomes the table; no memslot changes, and Dom0 sees it in the
 * memfd). The first placement of frame i zeroes the page: Linux does not
 * clear it, and a ballooned-out page may hold old data. Moving a frame
 * copies its entries along (busy bits included), as Xen's page would
 * move. Placing a frame also grows the table to i + 1 frames. Frames
 * outside RAM are refused (-EINVAL): pvxd has no spare memslots for
 * hypervisor-owned table pages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gnttab_impl.h"
#include "log.h"

pthread_mutex_t gt_lock = PTHREAD_MUTEX_INITIALIZER;
struct gt_dom *gt_doms[PVX_MAX_DOMAINS];
static uint64_t next_cookie = 1;

int gnttab_init(void)
{
	return 0;
}

static void dom_free(struct gt_dom *g)
{
	for (uint32_t i = 0; g->act && i < g->max_frames; i++)
		free(g->act[i]);
	free(g->act);
	free(g->frame_gfn);
	free(g->dirty);
	free(g);
}

void gnttab_exit(void)
{
	for (unsigned i = 0; i < PVX_MAX_DOMAINS; i++)
		gnttab_dom_remove((domid_t)i);
	gt_owners_exit();
}

int gnttab_dom_add(domid_t dom, uint32_t max_frames, uint8_t *mem,
		   uint64_t mem_size, const struct gnttab_mem_ops *ops,
		   void *opaque)
{
	struct gt_dom *g;

	if (dom >= PVX_MAX_DOMAINS || max_frames > GNTTAB_MAX_FRAMES)
		return -EINVAL;
	if (max_frames == 0)
		max_frames = GNTTAB_DEFAULT_FRAMES;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	*g = (struct gt_dom){ .domid = dom, .max_frames = max_frames,
		.nr_frames = 1, .mem = mem, .mem_size = mem_size, .ops = ops,
		.opaque = opaque, .version = 1 };
	g->frame_gfn = malloc(max_frames * sizeof(*g->frame_gfn));
	g->act = calloc(max_frames, sizeof(*g->act));
	if (g->act)
		g->act[0] = calloc(GT_EPF, sizeof(struct gt_active));
	if (!g->frame_gfn || !g->act || !g->act[0]) {
		dom_free(g);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < max_frames; i++)
		g->frame_gfn[i] = GT_NO_GFN;
	pthread_mutex_lock(&gt_lock);
	if (gt_doms[dom]) {
		pthread_mutex_unlock(&gt_lock);
		dom_free(g);
		return -EEXIST;
	}
	g->cookie = next_cookie++;
	gt_doms[dom] = g;
	pthread_mutex_unlock(&gt_lock);
	return 0;
}

unsigned gnttab_dom_remove(domid_t dom)
{
	struct gt_dom *g;
	unsigned pins;

	if (dom >= PVX_MAX_DOMAINS)
		return 0;
	pthread_mutex_lock(&gt_lock);
	g = gt_doms[dom];
	gt_doms[dom] = NULL;
	pthread_mutex_unlock(&gt_lock);
	if (!g)
		return 0;
	pins = g->pins;
	dom_free(g);
	return pins;
}

uint64_t gnttab_dom_cookie(domid_t dom)
{
	uint64_t c;

	pthread_mutex_lock(&gt_lock);
	c = gt_dom(dom) ? gt_dom(dom)->cookie : 0;
	pthread_mutex_unlock(&gt_lock);
	return c;
}

uint8_t *gt_page(struct gt_dom *g, uint64_t gfn, enum gnttab_gfn_use use,
		 int64_t *offset)
{
	int64_t off = g->ops->gfn_offset(g->opaque, gfn, use);

	if (off < 0 || (uint64_t)off % XEN_PAGE_SIZE ||
	    (uint64_t)off > g->mem_size - XEN_PAGE_SIZE || g->mem_size < XEN_PAGE_SIZE)
		return NULL;
	if (offset)
		*offset = off;
	return g->mem + off;
}

struct grant_entry_v1 *gt_entry(struct gt_dom *g, grant_ref_t ref)
{
	uint32_t f = ref / GT_EPF;
	uint8_t *page;

	if (f >= g->nr_frames || g->frame_gfn[f] == GT_NO_GFN)
		return NULL;
	page = gt_page(g, g->frame_gfn[f], GNTTAB_GFN_TABLE, NULL);
	return page ? (struct grant_entry_v1 *)page + ref % GT_EPF : NULL;
}

struct gt_active *gt_act(struct gt_dom *g, grant_ref_t ref)
{
	uint32_t f = ref / GT_EPF;

	return f < g->nr_frames ? &g->act[f][ref % GT_EPF] : NULL;
}

/* Grows the active arrays to n frames; all or nothing. */
static int grow(struct gt_dom *g, uint32_t n)
{
	uint32_t i;

	for (i = g->nr_frames; i < n; i++) {
		g->act[i] = calloc(GT_EPF, sizeof(struct gt_active));
		if (!g->act[i])
			goto err_free;
	}
	g->nr_frames = n > g->nr_frames ? n : g->nr_frames;
	return 0;
err_free:
	while (i-- > g->nr_frames) {
		free(g->act[i]);
		g->act[i] = NULL;
	}
	return -ENOMEM;
}

int16_t gnttab_query_size(domid_t dom, uint32_t *nr_frames, uint32_t *max_frames)
{
	struct gt_dom *g;
	int16_t st = GNTST_bad_domain;

	pthread_mutex_lock(&gt_lock);
	g = gt_dom(dom);
	if (g) {
		*nr_frames = g->nr_frames;
		*max_frames = g->max_frames;
		st = GNTST_okay;
	}
	pthread_mutex_unlock(&gt_lock);
	return st;
}

int16_t gnttab_setup_table(domid_t dom, uint32_t nr_frames, uint64_t *gfns)
{
	struct gt_dom *g;
	int16_t st = GNTST_bad_domain;

	pthread_mutex_lock(&gt_lock);
	g = gt_dom(dom);
	if (g && nr_frames > g->max_frames)
		st = GNTST_general_error;
	else if (g && grow(g, nr_frames) < 0)
		st = GNTST_general_error;
	else if (g) {
		for (uint32_t i = 0; i < nr_frames; i++)
			gfns[i] = g->frame_gfn[i];
		st = GNTST_okay;
	}
	pthread_mutex_unlock(&gt_lock);
	return st;
}

int gnttab_set_version(domid_t dom, uint32_t *version)
{
	uint32_t want = *version;
	struct gt_dom *g;
	int r;

	pthread_mutex_lock(&gt_lock);
	g = gt_dom(dom);
	if (!g)
		r = -ESRCH;
	else if (want == 1)
		r = 0;
	else
		r = want == 2 ? -ENOSYS : -EINVAL; /* Xen: v2 disabled */
	if (g)
		*version = g->version;
	pthread_mutex_unlock(&gt_lock);
	return r;
}

static bool gfn_taken(const struct gt_dom *g, uint64_t idx, uint64_t gfn)
{
	for (uint32_t i = 0; i < g->max_frames; i++)
		if (i != idx && g->frame_gfn[i] == gfn)
			return true;
	return false;
}

/* Checked; cannot fail except on allocation, before anything changes. */
static int place(struct gt_dom *g, uint32_t idx, uint64_t gfn)
{
	uint8_t *now = gt_page(g, gfn, GNTTAB_GFN_TABLE, NULL), *old = NULL;
	int r;

	if (!now || gfn_taken(g, idx, gfn))
		return -EINVAL;
	if (g->frame_gfn[idx] != GT_NO_GFN)
		old = gt_page(g, g->frame_gfn[idx], GNTTAB_GFN_TABLE, NULL);
	r = grow(g, idx + 1);
	if (r < 0)
		return r;
	if (old && old != now)
		memcpy(now, old, XEN_PAGE_SIZE);
	else if (!old)
		memset(now, 0, XEN_PAGE_SIZE);
	g->frame_gfn[idx] = gfn;
	return 0;
}

int gnttab_map_frame(domid_t dom, uint64_t idx, uint64_t gfn)
{
	struct gt_dom *g;
	int r;

	pthread_mutex_lock(&gt_lock);
	g = gt_dom(dom);
	if (!g)
		r = -ESRCH;
	else if (idx >= g->max_frames)
		r = -EINVAL; /* also XENMAPIDX_grant_table_status: v2 only */
	else
		r = place(g, (uint32_t)idx, gfn);
	pthread_mutex_unlock(&gt_lock);
	return r;
}

int gnttab_pins(domid_t dom, grant_ref_t ref, uint32_t *ro, uint32_t *rw)
{
	struct gt_active *a;
	struct gt_dom *g;
	int r = -ENOENT;

	pthread_mutex_lock(&gt_lock);
	g = gt_dom(dom);
	a = g ? gt_act(g, ref) : NULL;
	if (a) {
		*ro = a->pin_ro;
		*rw = a->pin_rw;
		r = 0;
	}
	pthread_mutex_unlock(&gt_lock);
	return r;
}

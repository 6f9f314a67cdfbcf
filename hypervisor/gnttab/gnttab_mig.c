/*
 * gnttab_mig: a grant table across save/restore and the part of the
 * dirty log only the grant table knows (docs/migration-hv.md).
 *
 * State: the entries are guest memory, copied with it; what pvxd holds
 * is the version, how many frames the table has and where each frame
 * is placed. A restored table takes those without zeroing the frames
 * (they hold the guest's entries). Pins are not state: mappings belong
 * to the source's Dom0 connections and end with the source domain.
 *
 * Dirty pages: no CPU-side log sees Dom0 write a guest page, so every
 * writable pin (a writable map, or the destination of a copy) marks its
 * gfn, and collecting also reports every gfn still pinned writable,
 * since its mapper may write it at any time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gnttab_impl.h"
#include "save_state.h"

int gnttab_state_get(domid_t dom, uint32_t *nr_frames, uint64_t *gfns, uint32_t max)
{
	struct gt_dom *g;
	int r = 0;

	pthread_mutex_lock(&gt_lock);
	g = gt_dom(dom);
	if (!g)
		r = -ESRCH;
	else if (g->nr_frames > max)
		r = -E2BIG;
	else {
		*nr_frames = g->nr_frames;
		for (uint32_t i = 0; i < g->nr_frames; i++)
			gfns[i] = g->frame_gfn[i] == GT_NO_GFN ? MIG_NO_GFN : g->frame_gfn[i];
	}
	pthread_mutex_unlock(&gt_lock);
	return r;
}

/* gfns were checked against the domain's RAM (save_state.c); a frame
 * placed twice is refused here, before anything changes. */
int gnttab_state_set(domid_t dom, uint32_t nr_frames, const uint64_t *gfns)
{
	struct gt_dom *g;
	int r = 0;

	pthread_mutex_lock(&gt_lock);
	g = gt_dom(dom);
	if (!g)
		r = -ESRCH;
	else if (nr_frames < 1 || nr_frames > g->max_frames || g->pins)
		r = -EINVAL;
	for (uint32_t i = 0; r == 0 && i < nr_frames; i++) {
		if (gfns[i] != MIG_NO_GFN &&
		    !gt_page(g, gfns[i], GNTTAB_GFN_TABLE, NULL))
			r = -EINVAL;
		for (uint32_t j = 0; r == 0 && j < i; j++)
			if (gfns[i] != MIG_NO_GFN && gfns[j] == gfns[i])
				r = -EINVAL;
	}
	for (uint32_t i = g ? g->nr_frames : 0; r == 0 && i < nr_frames; i++) {
		g->act[i] = calloc(GT_EPF, sizeof(struct gt_active));
		if (!g->act[i])
			r = -ENOMEM; /* the frames grown so far stay: harmless */
		else
			g->nr_frames = i + 1;
	}
	for (uint32_t i = 0; r == 0 && i < nr_frames; i++)
		g->frame_gfn[i] = gfns[i] == MIG_NO_GFN ? GT_NO_GFN : gfns[i];
	pthread_mutex_unlock(&gt_lock);
	return r;
}

int gnttab_dirty_start(domid_t dom, uint64_t nr_pfns)
{
	uint64_t *bits = calloc(nr_pfns / 64 + 1, 8);
	struct gt_dom *g;
	int r = 0;

	if (!bits)
		return -ENOMEM;
	pthread_mutex_lock(&gt_lock);
	g = gt_dom(dom);
	if (!g) {
		r = -ESRCH;
	} else {
		free(g->dirty);
		g->dirty = bits;
		g->dirty_bits = nr_pfns;
		bits = NULL;
	}
	pthread_mutex_unlock(&gt_lock);
	free(bits);
	return r;
}

void gnttab_dirty_stop(domid_t dom)
{
	struct gt_dom *g;

	pthread_mutex_lock(&gt_lock);
	g = gt_dom(dom);
	if (g) {
		free(g->dirty);
		g->dirty = NULL;
		g->dirty_bits = 0;
	}
	pthread_mutex_unlock(&gt_lock);
}

/* ORs into bitmap (nr_pfns bits) what was marked since the last call,
 * plus every gfn pinned writable now; clears the marks. */
void gnttab_dirty_collect(domid_t dom, uint64_t *bitmap, uint64_t nr_pfns)
{
	struct gt_dom *g;

	pthread_mutex_lock(&gt_lock);
	g = gt_dom(dom);
	if (g && g->dirty) {
		uint64_t words = (g->dirty_bits < nr_pfns ? g->dirty_bits : nr_pfns) / 64 + 1;

		for (uint64_t i = 0; i < words && i * 64 < nr_pfns; i++) {
			bitmap[i] |= g->dirty[i];
			g->dirty[i] = 0;
		}
		for (uint32_t f = 0; f < g->nr_frames; f++)
			for (uint32_t e = 0; e < GT_EPF; e++) {
				const struct gt_active *a = &g->act[f][e];

				if (a->pin_rw && a->gfn < nr_pfns)
					bitmap[a->gfn / 64] |= 1ull << (a->gfn % 64);
			}
	}
	pthread_mutex_unlock(&gt_lock);
}

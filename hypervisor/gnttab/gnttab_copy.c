/*
 * gnttab_copy: GNTTABOP_copy, one segment at a time.
 *
 * Both sides are resolved before a byte moves: bounds first (offset +
 * len inside a page on each side, GNTST_bad_copy_arg), then each side to
 * a host pointer. A grant side takes a pin exactly like a map (read-only
 * for the source, writable for the destination), so the granter sees its
 * entry busy for the duration of the copy and a read-only grant cannot
 * be a destination; the pins are dropped right after the copy. If the
 * second side fails, the first side's pin is dropped again, so a failed
 * copy leaves every entry as it found it. A gfn side must be the caller's
 * own populated memory; Dom0 passes its bytes as `local` instead.
 */
#include <string.h>

#include "gnttab_impl.h"

struct side {
	uint8_t *p;
	struct gt_dom *pinned;   /* non-NULL: drop this pin afterwards */
	grant_ref_t ref;
	bool readonly;
};

static int16_t resolve(domid_t caller, const struct gnttab_copy_side *s,
		       bool is_src, struct side *out)
{
	struct gt_dom *g;
	int16_t st;

	*out = (struct side){ 0 };
	if (s->local) {
		out->p = s->local + s->offset;
		return GNTST_okay;
	}
	if (!s->gref && s->dom != caller)
		return GNTST_permission_denied;
	g = gt_dom(s->dom);
	if (!g)
		return GNTST_bad_domain;
	if (!s->gref) {
		out->p = gt_page(g, s->ref_or_gfn, GNTTAB_GFN_GRANT, NULL);
		if (!out->p)
			return GNTST_bad_page;
		out->p += s->offset;
		return GNTST_okay;
	}
	if (s->ref_or_gfn > UINT32_MAX)
		return GNTST_bad_gntref;
	st = gt_pin(g, (grant_ref_t)s->ref_or_gfn, caller, is_src);
	if (st != GNTST_okay)
		return st;
	*out = (struct side){ g->mem + gt_act(g, (grant_ref_t)s->ref_or_gfn)->offset
		+ s->offset, g, (grant_ref_t)s->ref_or_gfn, is_src };
	return GNTST_okay;
}

static void put(struct side *s)
{
	if (s->pinned)
		gt_unpin(s->pinned, s->ref, s->readonly);
}

int16_t gnttab_copy(domid_t caller, const struct gnttab_copy_side *src,
		    const struct gnttab_copy_side *dst, uint16_t len)
{
	struct side s, d;
	int16_t st;

	if ((uint32_t)src->offset + len > XEN_PAGE_SIZE ||
	    (uint32_t)dst->offset + len > XEN_PAGE_SIZE)
		return GNTST_bad_copy_arg;
	pthread_mutex_lock(&gt_lock);
	st = resolve(caller, src, true, &s);
	if (st == GNTST_okay) {
		st = resolve(caller, dst, false, &d);
		if (st == GNTST_okay) {
			memmove(d.p, s.p, len);
			put(&d);
		}
		put(&s);
	}
	pthread_mutex_unlock(&gt_lock);
	return st;
}

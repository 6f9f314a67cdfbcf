/*
 * Grant pages of one ring, and the persistent-grant cache.
 *
 * With feature-persistent negotiated the frontend reuses a fixed pool of
 * granted pages, so the backend keeps each one mapped after first use and
 * skips the map/unmap round trip on every later request. The cache is an
 * open-addressed hash on the grant reference with at most max_persistent
 * entries (the guest decides which refs it sends, so the bound is ours);
 * once full, further refs are mapped per request, as Linux's blkback does.
 * A cached read-only mapping asked for write access is remapped writable
 * (the map call decides whether the grant allows it). Entries are never
 * removed while the ring lives, so probing needs no tombstones.
 */
#include <errno.h>
#include <stdlib.h>

#include "blkback.h"

int blkback_gnt_init(struct blkback_gnt *g, const struct blkback_gnt_ops *ops,
		     void *ctx, bool persistent, unsigned max_persistent)
{
	unsigned n = 1;

	g->ops = ops;
	g->ctx = ctx;
	g->persistent = persistent && max_persistent > 0;
	g->max_persistent = max_persistent;
	g->nr_persistent = 0;
	g->slots = NULL;
	g->nr_slots = 0;
	if (!g->persistent)
		return 0;
	while (n < 2 * max_persistent)
		n *= 2;
	g->slots = calloc(n, sizeof(*g->slots));
	if (!g->slots)
		return -ENOMEM;
	g->nr_slots = n;
	return 0;
}

/* The slot holding ref, or the empty slot where it would go. */
static struct blkback_pgrant *lookup(struct blkback_gnt *g, grant_ref_t ref)
{
	unsigned mask = g->nr_slots - 1, i = (ref * 2654435761u) & mask;

	for (unsigned k = 0; k < g->nr_slots; k++, i = (i + 1) & mask)
		if (!g->slots[i].used || g->slots[i].ref == ref)
			return &g->slots[i];
	return NULL; /* unreachable: the table is never more than half full */
}

bool blkback_gnt_cached(struct blkback_gnt *g, grant_ref_t ref, bool writable, void **page,
			uint32_t *handle)
{
	struct blkback_pgrant *p = g->persistent ? lookup(g, ref) : NULL;

	if (!p || !p->used || (!p->writable && writable))
		return false;
	*page = p->page;
	*handle = p->handle;
	return true;
}

bool blkback_gnt_keep(struct blkback_gnt *g, grant_ref_t ref, bool writable, void **page,
		      uint32_t *handle)
{
	struct blkback_pgrant *p = g->persistent ? lookup(g, ref) : NULL;

	if (!p)
		return false;
	if (p->used && (p->writable || !writable)) {
		/* Already cached (the ref came twice): keep one mapping. */
		g->ops->unmap(g->ctx, *handle);
		*page = p->page;
		*handle = p->handle;
		return true;
	}
	if (p->used) {
		/* Upgrade to writable: the new mapping replaces the old. */
		g->ops->unmap(g->ctx, p->handle);
	} else if (g->nr_persistent >= g->max_persistent) {
		return false;
	} else {
		g->nr_persistent++;
	}
	p->used = true;
	p->ref = ref;
	p->page = *page;
	p->handle = *handle;
	p->writable = writable;
	return true;
}

int blkback_gnt_get(struct blkback_gnt *g, grant_ref_t ref, bool writable,
		    void **page, uint32_t *handle, bool *kept)
{
	int rc;

	*kept = blkback_gnt_cached(g, ref, writable, page, handle);
	if (*kept)
		return 0;
	rc = g->ops->map(g->ctx, ref, writable, page, handle);
	if (rc < 0)
		return rc;
	*kept = blkback_gnt_keep(g, ref, writable, page, handle);
	return 0;
}

void blkback_gnt_put(struct blkback_gnt *g, uint32_t handle)
{
	g->ops->unmap(g->ctx, handle);
}

void blkback_gnt_dispose(struct blkback_gnt *g)
{
	for (unsigned i = 0; i < g->nr_slots; i++)
		if (g->slots[i].used)
			g->ops->unmap(g->ctx, g->slots[i].handle);
	free(g->slots);
	g->slots = NULL;
	g->nr_slots = g->nr_persistent = 0;
}

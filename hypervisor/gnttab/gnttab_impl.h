/*
 * gnttab_impl: what the gnttab*.c files share (gnttab.h has the design).
 * Everything here is used under gt_lock.
 */
#ifndef PVXD_GNTTAB_IMPL_H
#define PVXD_GNTTAB_IMPL_H

#include <pthread.h>

#include "gnttab.h"
#include "pvxd.h"

#define GT_EPF GRANT_ENTRIES_PER_FRAME_V1   /* entries per frame: 512 */
#define GT_NO_GFN (~0ull)

/* pvxd's record of one entry: who holds it and what frame they hold. */
struct gt_active {
	uint16_t pin_ro, pin_rw;
	domid_t domid;      /* the mapper, valid while pinned */
	uint64_t gfn;       /* the frame the pins refer to */
	int64_t offset;     /* its memfd offset */
};

struct gt_dom {
	domid_t domid;
	uint64_t cookie;
	uint32_t max_frames;
	uint32_t nr_frames;         /* frames the table has grown to */
	uint64_t *frame_gfn;        /* [max_frames], GT_NO_GFN: not placed */
	struct gt_active **act;     /* [max_frames] of GT_EPF, for frames < nr_frames */
	uint8_t *mem;
	uint64_t mem_size;
	const struct gnttab_mem_ops *ops;
	void *opaque;
	uint32_t version;
	unsigned pins;              /* entries with pins, for the destroy log */
	uint64_t *dirty;            /* migration: gfns written by mappers (gnttab_mig.c) */
	uint64_t dirty_bits;
};

extern pthread_mutex_t gt_lock;
extern struct gt_dom *gt_doms[PVX_MAX_DOMAINS];

static inline struct gt_dom *gt_dom(domid_t dom)
{
	return dom < PVX_MAX_DOMAINS ? gt_doms[dom] : NULL;
}

/* The shared entry of ref, or NULL (ref out of range, frame not placed). */
struct grant_entry_v1 *gt_entry(struct gt_dom *g, grant_ref_t ref);
struct gt_active *gt_act(struct gt_dom *g, grant_ref_t ref);
/* Host pointer of gfn's page for use, or NULL. */
uint8_t *gt_page(struct gt_dom *g, uint64_t gfn, enum gnttab_gfn_use use,
		 int64_t *offset);

/* The busy-bit protocol (gnttab_pin.c). */
int16_t gt_pin(struct gt_dom *g, grant_ref_t ref, domid_t mapper, bool readonly);
void gt_unpin(struct gt_dom *g, grant_ref_t ref, bool readonly);

void gt_owners_exit(void);

/* A writable pin on gfn: Dom0 may write it, the dirty log must say so. */
static inline void gt_dirty_mark(struct gt_dom *g, uint64_t gfn)
{
	if (g->dirty && gfn < g->dirty_bits)
		g->dirty[gfn / 64] |= 1ull << (gfn % 64);
}

#endif

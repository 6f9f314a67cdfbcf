/*
 * gnttab_dom: how a VM domain's memory looks to the grant-table module.
 *
 * Table frames may go anywhere in RAM, ballooned-out pages included
 * (Linux PVH balloons out the pages it then hands to add_to_physmap).
 * A granted frame must be populated RAM or one of the special pages
 * (console and xenstore rings, which Xen toolstacks grant with the
 * reserved refs); anything else, e.g. a ballooned page, the MMIO hole or
 * pvxd's own shared_info page, is not the domain's memory:
 * GNTST_bad_page.
 */
#include "dom.h"
#include "gnttab.h"
#include "pvxd.h"

#define SPECIAL_GFN (PVX_SPECIAL_GPA / PVX_PAGE_SIZE)

static bool released(const struct domain *d, uint64_t gfn)
{
	/* d->lock guards writers; a stale bit only makes one op fail. */
	uint8_t b = __atomic_load_n(&d->released[gfn / 8], __ATOMIC_RELAXED);

	return b & (1u << (gfn % 8));
}

static int64_t gfn_offset(void *opaque, uint64_t gfn, enum gnttab_gfn_use use)
{
	struct domain *d = opaque;
	uint64_t ram_pages = d->vm.ram_bytes / PVX_PAGE_SIZE;

	if (gfn < ram_pages) {
		if (use == GNTTAB_GFN_GRANT && released(d, gfn))
			return -1;
		return (int64_t)(gfn * PVX_PAGE_SIZE);
	}
	if (use == GNTTAB_GFN_GRANT && gfn >= SPECIAL_GFN &&
	    gfn < SPECIAL_GFN + PVX_SPECIAL_PAGES)
		return (int64_t)(d->vm.ram_bytes + (gfn - SPECIAL_GFN) * PVX_PAGE_SIZE);
	return -1;
}

static const struct gnttab_mem_ops dom_gnttab_ops = { gfn_offset };

int gnttab_dom_attach(struct domain *d)
{
	return gnttab_dom_add((domid_t)d->domid, d->max_grant_frames, d->vm.mem,
			      d->vm.mem_size, &dom_gnttab_ops, d);
}

void gnttab_dom_detach(struct domain *d)
{
	unsigned n = gnttab_dom_remove((domid_t)d->domid);

	if (n)
		dlog(d, LOG_INFO, "%u mapped grants released at destroy", n);
}

/*
 * gnttab_pin: the busy-bit protocol on a granter's shared entry, shared
 * by map (pins held until unmap) and copy (pins held for one memcpy).
 *
 * Taking a pin: the first pin of an entry, or its first writable pin,
 * must win the guest's entry. We load the 8-byte entry once, check the
 * copy (type GTF_permit_access, grantee == mapper, not GTF_readonly when
 * writing, the frame inside the granter's memory), and then cmpxchg the
 * whole entry from what we checked to the same value plus GTF_reading
 * (and GTF_writing). Success proves the entry still held exactly the
 * grant we validated when the bits went in. Xen compares flags+domid
 * only; comparing the frame too is strictly stronger and costs nothing.
 * Later pins reuse the first pin's frame, as Xen's active entry does.
 *
 * Dropping a pin: when the last writable pin goes, clear GTF_writing;
 * when the last pin goes, clear GTF_reading. Each with an atomic and-not
 * on the 16-bit flags, so a concurrent guest update of other bits is
 * never lost.
 */
#include "gnttab_impl.h"

#define ENTRY_FLAGS(e)  ((uint16_t)(e))
#define ENTRY_DOMID(e)  ((domid_t)((e) >> 16))
#define ENTRY_FRAME(e)  ((uint32_t)((e) >> 32))

/* Checks a snapshot of the entry; GNTST_okay or why not. */
static int16_t check_entry(uint64_t e, domid_t mapper, bool readonly)
{
	uint16_t mask = GTF_type_mask | GTF_sub_page;

	if (!readonly)
		mask |= GTF_readonly;
	if ((ENTRY_FLAGS(e) & mask) != GTF_permit_access || ENTRY_DOMID(e) != mapper)
		return GNTST_permission_denied;
	return GNTST_okay;
}

/*
 * Wins the entry for a new (kind of) pin; on success *gfn and *off are the
 * frame it grants (only meaningful when `first`).
 */
static int16_t set_busy(struct gt_dom *g, uint64_t *slot, domid_t mapper,
			bool readonly, bool first, uint64_t *gfn, int64_t *off)
{
	uint16_t bits = GTF_reading | (readonly ? 0 : GTF_writing);

	for (int i = 0; i < GNTTAB_RETRIES; i++) {
		uint64_t e = __atomic_load_n(slot, __ATOMIC_ACQUIRE), want;
		int16_t st = check_entry(e, mapper, readonly);

		if (st != GNTST_okay)
			return st;
		if (first && !gt_page(g, ENTRY_FRAME(e), GNTTAB_GFN_GRANT, off))
			return GNTST_bad_page;
		want = e | bits;
		/* Publish the busy bits only if the entry is what we checked. */
		if (__atomic_compare_exchange_n(slot, &e, want, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			*gfn = ENTRY_FRAME(e);
			return GNTST_okay;
		}
	}
	return GNTST_general_error; /* the guest keeps rewriting the entry */
}

int16_t gt_pin(struct gt_dom *g, grant_ref_t ref, domid_t mapper, bool readonly)
{
	struct grant_entry_v1 *ent = gt_entry(g, ref);
	struct gt_active *a = gt_act(g, ref);
	bool first, need;
	uint64_t gfn = 0;
	int64_t off = 0;
	int16_t st;

	if (!ent || !a)
		return GNTST_bad_gntref;
	first = a->pin_ro + a->pin_rw == 0;
	if (!first && a->domid != mapper)
		return GNTST_general_error; /* Xen: one mapper domain per entry */
	if ((readonly ? a->pin_ro : a->pin_rw) >= GNTTAB_PIN_MAX)
		return GNTST_general_error;
	need = first || (!readonly && a->pin_rw == 0);
	if (need) {
		st = set_busy(g, (uint64_t *)ent, mapper, readonly, first, &gfn, &off);
		if (st != GNTST_okay)
			return st;
	}
	if (first) {
		a->domid = mapper;
		a->gfn = gfn;
		a->offset = off;
		g->pins++;
	}
	if (readonly)
		a->pin_ro++;
	else
		a->pin_rw++;
	if (!readonly)
		gt_dirty_mark(g, a->gfn);
	return GNTST_okay;
}

void gt_unpin(struct gt_dom *g, grant_ref_t ref, bool readonly)
{
	struct grant_entry_v1 *ent = gt_entry(g, ref);
	struct gt_active *a = gt_act(g, ref);
	uint16_t clear = 0;

	if (!a || (readonly ? a->pin_ro : a->pin_rw) == 0)
		return;
	if (readonly)
		a->pin_ro--;
	else
		a->pin_rw--;
	if (!readonly && a->pin_rw == 0)
		clear |= GTF_writing;
	if (a->pin_ro + a->pin_rw == 0) {
		clear |= GTF_reading;
		g->pins--;
	}
	/* The guest may touch other bits meanwhile: and-not, never a store. */
	if (ent && clear)
		__atomic_fetch_and(&ent->flags, (uint16_t)~clear, __ATOMIC_RELEASE);
}

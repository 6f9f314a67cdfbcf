/* unit-gnttab harness: see harness.h. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

uint8_t *harness_mem[3];

static int64_t gfn_offset(void *opaque, uint64_t gfn, enum gnttab_gfn_use use)
{
	(void)opaque;
	if (gfn >= HARNESS_RAM)
		return -1;
	if (use == GNTTAB_GFN_GRANT && gfn == HARNESS_BALLOONED)
		return -1;
	return (int64_t)(gfn * XEN_PAGE_SIZE);
}

static const struct gnttab_mem_ops ops = { gfn_offset };

void harness_setup(void)
{
	for (domid_t d = GRANTER; d <= OTHER; d++) {
		harness_mem[d] = aligned_alloc(XEN_PAGE_SIZE, HARNESS_PAGES * XEN_PAGE_SIZE);
		ck_assert_ptr_nonnull(harness_mem[d]);
		memset(harness_mem[d], 0x5A, HARNESS_PAGES * XEN_PAGE_SIZE);
		ck_assert_int_eq(gnttab_dom_add(d, 0, harness_mem[d],
						HARNESS_PAGES * XEN_PAGE_SIZE, &ops, NULL), 0);
		ck_assert_int_eq(gnttab_map_frame(d, 0, HARNESS_TABLE_GFN), 0);
	}
}

void harness_teardown(void)
{
	gnttab_exit();
	for (domid_t d = GRANTER; d <= OTHER; d++) {
		free(harness_mem[d]);
		harness_mem[d] = NULL;
	}
}

struct grant_entry_v1 *harness_entry(domid_t dom, grant_ref_t ref)
{
	return (struct grant_entry_v1 *)(harness_mem[dom] +
		HARNESS_TABLE_GFN * XEN_PAGE_SIZE) + ref;
}

void harness_grant(domid_t dom, grant_ref_t ref, domid_t to, uint32_t gfn,
		   uint16_t flags)
{
	struct grant_entry_v1 *e = harness_entry(dom, ref);

	__atomic_store_n(&e->domid, to, __ATOMIC_RELAXED);
	__atomic_store_n(&e->frame, gfn, __ATOMIC_RELAXED);
	/* write domid and frame before flags make the grant valid */
	__atomic_store_n(&e->flags, flags, __ATOMIC_RELEASE);
}

int harness_revoke(domid_t dom, grant_ref_t ref)
{
	uint16_t *f = &harness_entry(dom, ref)->flags;
	uint16_t old = __atomic_load_n(f, __ATOMIC_ACQUIRE);

	do {
		if (old & (GTF_reading | GTF_writing))
			return 0;
	} while (!__atomic_compare_exchange_n(f, &old, 0, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	return 1;
}

/*
 * gnttab_map.c + gnttab_pin.c: map validation (each failure leaves the
 * guest's entry and pvxd's pins exactly as they were), the busy bits a
 * mapping holds, handles and owners.
 */
#include <string.h>

#include "harness.h"

static int owner_a, owner_b; /* their addresses are the owner keys */

struct bad_case {
	const char *what;
	domid_t dom;
	grant_ref_t ref;
	domid_t grantee;     /* what the guest wrote */
	uint32_t frame;
	uint16_t flags;
	bool readonly;       /* how we map */
	int16_t want;
};

static const struct bad_case bad[] = {
	{ "wrong domid", GRANTER, 8, 5, 20, GTF_permit_access, false, GNTST_permission_denied },
	{ "no permit flag", GRANTER, 8, 0, 20, 0, false, GNTST_permission_denied },
	{ "transfer type", GRANTER, 8, 0, 20, GTF_accept_transfer, false, GNTST_permission_denied },
	{ "read-only for write", GRANTER, 8, 0, 20, GTF_permit_access | GTF_readonly, false,
	  GNTST_permission_denied },
	{ "sub_page (v2)", GRANTER, 8, 0, 20, GTF_permit_access | GTF_sub_page, true,
	  GNTST_permission_denied },
	{ "ref out of range", GRANTER, 512, 0, 20, GTF_permit_access, false, GNTST_bad_gntref },
	{ "ref far out", GRANTER, 0xFFFFFFFFu, 0, 20, GTF_permit_access, false, GNTST_bad_gntref },
	{ "frame outside memory", GRANTER, 8, 0, HARNESS_RAM, GTF_permit_access, false,
	  GNTST_bad_page },
	{ "frame far outside", GRANTER, 8, 0, 0xFFFFFFFFu, GTF_permit_access, true, GNTST_bad_page },
	{ "ballooned frame", GRANTER, 8, 0, HARNESS_BALLOONED, GTF_permit_access, false,
	  GNTST_bad_page },
	{ "no such domain", 9, 8, 0, 20, GTF_permit_access, false, GNTST_bad_domain },
};

START_TEST(bad_maps_change_nothing)
{
	const struct bad_case *c = &bad[_i];
	uint8_t before[XEN_PAGE_SIZE];
	struct gnttab_map_result r;
	uint32_t ro = 9, rw = 9;
	uint8_t *table = (uint8_t *)harness_entry(GRANTER, 0);

	if (c->ref < 512)
		harness_grant(GRANTER, c->ref, c->grantee, c->frame, c->flags);
	memcpy(before, table, sizeof(before));
	ck_assert_msg(gnttab_map(&owner_a, 0, c->dom, c->ref, c->readonly, &r) == c->want,
		      "%s", c->what);
	ck_assert_msg(memcmp(before, table, sizeof(before)) == 0, "%s: entry changed", c->what);
	ck_assert_uint_eq(gnttab_owner_count(&owner_a), 0);
	if (c->ref < 512) {
		ck_assert_int_eq(gnttab_pins(GRANTER, c->ref, &ro, &rw), 0);
		ck_assert_uint_eq(ro + rw, 0);
	}
}
END_TEST

START_TEST(frame_not_placed_is_bad_ref)
{
	struct gnttab_map_result r;
	uint64_t gfns[2];

	ck_assert_int_eq(gnttab_setup_table(GRANTER, 2, gfns), GNTST_okay);
	ck_assert_int_eq(gnttab_map(&owner_a, 0, GRANTER, 600, false, &r), GNTST_bad_gntref);
}
END_TEST

START_TEST(map_sets_busy_bits_and_blocks_revoke)
{
	struct grant_entry_v1 *e = harness_entry(GRANTER, 8);
	struct gnttab_map_result rw, ro;
	uint32_t pro, prw;

	harness_grant(GRANTER, 8, 0, 20, GTF_permit_access);
	ck_assert_int_eq(gnttab_map(&owner_a, 0, GRANTER, 8, false, &rw), GNTST_okay);
	ck_assert_uint_eq(rw.gfn, 20);
	ck_assert_uint_eq(rw.offset, 20 * XEN_PAGE_SIZE);
	ck_assert_uint_eq(e->flags, GTF_permit_access | GTF_reading | GTF_writing);
	ck_assert_int_eq(harness_revoke(GRANTER, 8), 0);
	ck_assert_int_eq(gnttab_map(&owner_b, 0, GRANTER, 8, true, &ro), GNTST_okay);
	ck_assert_int_eq(gnttab_pins(GRANTER, 8, &pro, &prw), 0);
	ck_assert_uint_eq(pro, 1);
	ck_assert_uint_eq(prw, 1);
	/* last writer gone: GTF_writing clears, GTF_reading stays */
	ck_assert_int_eq(gnttab_unmap(&owner_a, rw.handle), GNTST_okay);
	ck_assert_uint_eq(e->flags, GTF_permit_access | GTF_reading);
	ck_assert_int_eq(harness_revoke(GRANTER, 8), 0);
	ck_assert_int_eq(gnttab_unmap(&owner_b, ro.handle), GNTST_okay);
	ck_assert_uint_eq(e->flags, GTF_permit_access);
	ck_assert_int_eq(harness_revoke(GRANTER, 8), 1);
	ck_assert_int_eq(gnttab_map(&owner_a, 0, GRANTER, 8, true, &ro), GNTST_permission_denied);
}
END_TEST

START_TEST(readonly_grant_maps_readonly)
{
	struct grant_entry_v1 *e = harness_entry(GRANTER, 9);
	struct gnttab_map_result r;

	harness_grant(GRANTER, 9, 0, 21, GTF_permit_access | GTF_readonly);
	ck_assert_int_eq(gnttab_map(&owner_a, 0, GRANTER, 9, true, &r), GNTST_okay);
	ck_assert_uint_eq(e->flags, GTF_permit_access | GTF_readonly | GTF_reading);
	/* upgrading to a writable pin is refused and changes nothing */
	ck_assert_int_eq(gnttab_map(&owner_a, 0, GRANTER, 9, false, &r), GNTST_permission_denied);
	ck_assert_uint_eq(e->flags, GTF_permit_access | GTF_readonly | GTF_reading);
	ck_assert_uint_eq(gnttab_owner_count(&owner_a), 1);
}
END_TEST

START_TEST(later_pins_keep_the_first_frame)
{
	struct gnttab_map_result a, b;

	harness_grant(GRANTER, 10, 0, 22, GTF_permit_access);
	ck_assert_int_eq(gnttab_map(&owner_a, 0, GRANTER, 10, true, &a), GNTST_okay);
	/* a hostile guest rewrites the frame under a pin */
	harness_entry(GRANTER, 10)->frame = 40;
	ck_assert_int_eq(gnttab_map(&owner_a, 0, GRANTER, 10, true, &b), GNTST_okay);
	ck_assert_uint_eq(b.gfn, 22);
	/* another mapper domain may not share the entry (Xen: one per entry) */
	ck_assert_int_eq(gnttab_map(&owner_b, 3, GRANTER, 10, true, &b), GNTST_general_error);
}
END_TEST

START_TEST(handles)
{
	struct gnttab_map_result r;

	harness_grant(GRANTER, 11, 0, 23, GTF_permit_access);
	ck_assert_int_eq(gnttab_unmap(&owner_a, 0), GNTST_bad_handle);
	ck_assert_int_eq(gnttab_map(&owner_a, 0, GRANTER, 11, false, &r), GNTST_okay);
	ck_assert_int_eq(gnttab_unmap(&owner_b, r.handle), GNTST_bad_handle);
	ck_assert_int_eq(gnttab_unmap(&owner_a, r.handle + 1000), GNTST_bad_handle);
	ck_assert_int_eq(gnttab_unmap(&owner_a, r.handle), GNTST_okay);
	ck_assert_int_eq(gnttab_unmap(&owner_a, r.handle), GNTST_bad_handle);
}
END_TEST

START_TEST(owner_release_unmaps)
{
	struct grant_entry_v1 *e = harness_entry(GRANTER, 12);
	struct gnttab_map_result r;

	harness_grant(GRANTER, 12, 0, 24, GTF_permit_access);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(gnttab_map(&owner_a, 0, GRANTER, 12, i & 1, &r), GNTST_okay);
	ck_assert_uint_eq(gnttab_owner_count(&owner_a), 100);
	ck_assert_uint_eq(gnttab_owner_release(&owner_a), 100);
	ck_assert_uint_eq(e->flags, GTF_permit_access);
	ck_assert_uint_eq(gnttab_owner_count(&owner_a), 0);
}
END_TEST

START_TEST(granter_destroyed_while_mapped)
{
	struct gnttab_map_result r;

	harness_grant(GRANTER, 13, 0, 25, GTF_permit_access);
	ck_assert_int_eq(gnttab_map(&owner_a, 0, GRANTER, 13, false, &r), GNTST_okay);
	ck_assert_uint_eq(gnttab_dom_remove(GRANTER), 1);
	/* the handle outlives the domain; unmapping it is harmless */
	ck_assert_int_eq(gnttab_unmap(&owner_a, r.handle), GNTST_okay);
	ck_assert_int_eq(gnttab_map(&owner_a, 0, GRANTER, 13, false, &r), GNTST_bad_domain);
}
END_TEST

START_TEST(reused_domid_is_not_unpinned)
{
	struct gnttab_map_result r, r2;
	uint32_t ro, rw;

	harness_grant(GRANTER, 14, 0, 26, GTF_permit_access);
	harness_grant(OTHER, 14, 0, 26, GTF_permit_access);
	ck_assert_int_eq(gnttab_map(&owner_a, 0, GRANTER, 14, false, &r), GNTST_okay);
	ck_assert_int_eq(gnttab_map(&owner_a, 0, OTHER, 14, false, &r2), GNTST_okay);
	ck_assert_int_eq(gnttab_unmap(&owner_a, r.handle), GNTST_okay);
	ck_assert_int_eq(gnttab_pins(OTHER, 14, &ro, &rw), 0);
	ck_assert_uint_eq(rw, 1); /* only the handle's own domain lost a pin */
}
END_TEST

START_TEST(map_unmap_cycles_leave_entry_clean)
{
	struct gnttab_map_result r;

	harness_grant(GRANTER, 15, 0, 27, GTF_permit_access);
	for (int i = 0; i < 1000; i++) {
		ck_assert_int_eq(gnttab_map(&owner_a, 0, GRANTER, 15, false, &r), GNTST_okay);
		ck_assert_int_eq(gnttab_unmap(&owner_a, r.handle), GNTST_okay);
	}
	ck_assert_uint_eq(harness_entry(GRANTER, 15)->flags, GTF_permit_access);
}
END_TEST

Suite *make_gnttab_map_suite(void)
{
	Suite *s = suite_create("gnttab_map");
	TCase *t = tcase_create("map");

	tcase_add_checked_fixture(t, harness_setup, harness_teardown);
	tcase_add_loop_test(t, bad_maps_change_nothing, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(t, frame_not_placed_is_bad_ref);
	tcase_add_test(t, map_sets_busy_bits_and_blocks_revoke);
	tcase_add_test(t, readonly_grant_maps_readonly);
	tcase_add_test(t, later_pins_keep_the_first_frame);
	tcase_add_test(t, handles);
	tcase_add_test(t, owner_release_unmaps);
	tcase_add_test(t, granter_destroyed_while_mapped);
	tcase_add_test(t, reused_domid_is_not_unpinned);
	tcase_add_test(t, map_unmap_cycles_leave_entry_clean);
	suite_add_tcase(s, t);
	return s;
}

/*
 * gnttab_copy.c: GNTTABOP_copy in both directions, bounds, permissions,
 * and that busy bits are held only during the copy.
 */
#include <string.h>

#include "harness.h"

static uint8_t *page(domid_t d, uint64_t gfn)
{
	return harness_mem[d] + gfn * XEN_PAGE_SIZE;
}

static struct gnttab_copy_side gref(domid_t dom, grant_ref_t ref, uint16_t off)
{
	return (struct gnttab_copy_side){ .gref = true, .dom = dom, .ref_or_gfn = ref,
					  .offset = off };
}

static struct gnttab_copy_side local(uint8_t *p)
{
	return (struct gnttab_copy_side){ .local = p };
}

START_TEST(dom0_both_directions)
{
	uint8_t buf[100], back[100];
	struct gnttab_copy_side g = gref(GRANTER, 8, 4000), l = local(buf);

	harness_grant(GRANTER, 8, 0, 20, GTF_permit_access);
	for (int i = 0; i < 96; i++)
		buf[i] = (uint8_t)i;
	ck_assert_int_eq(gnttab_copy(0, &l, &g, 96), GNTST_okay);
	ck_assert(memcmp(page(GRANTER, 20) + 4000, buf, 96) == 0);
	l = local(back);
	ck_assert_int_eq(gnttab_copy(0, &g, &l, 96), GNTST_okay);
	ck_assert(memcmp(back, buf, 96) == 0);
	ck_assert_uint_eq(harness_entry(GRANTER, 8)->flags, GTF_permit_access);
}
END_TEST

START_TEST(bounds)
{
	uint8_t buf[XEN_PAGE_SIZE];
	uint8_t before[XEN_PAGE_SIZE];
	struct gnttab_copy_side g = gref(GRANTER, 8, 4000), l = local(buf);

	harness_grant(GRANTER, 8, 0, 20, GTF_permit_access);
	memset(buf, 0xEE, sizeof(buf));
	memcpy(before, page(GRANTER, 20), XEN_PAGE_SIZE);
	ck_assert_int_eq(gnttab_copy(0, &l, &g, 97), GNTST_bad_copy_arg);
	g.offset = 0;
	l.offset = 1; /* a local side's offset counts too */
	ck_assert_int_eq(gnttab_copy(0, &l, &g, XEN_PAGE_SIZE), GNTST_bad_copy_arg);
	g.offset = 0xFFFF;
	l.offset = 0;
	ck_assert_int_eq(gnttab_copy(0, &l, &g, 1), GNTST_bad_copy_arg);
	ck_assert(memcmp(before, page(GRANTER, 20), XEN_PAGE_SIZE) == 0);
	g.offset = 0;
	ck_assert_int_eq(gnttab_copy(0, &l, &g, XEN_PAGE_SIZE), GNTST_okay);
	ck_assert_uint_eq(page(GRANTER, 20)[4095], 0xEE);
	ck_assert_uint_eq(page(GRANTER, 21)[0], 0x5A);
}
END_TEST

START_TEST(readonly_grant_is_not_a_destination)
{
	uint8_t buf[16] = { 1 };
	struct gnttab_copy_side g = gref(GRANTER, 9, 0), l = local(buf);

	harness_grant(GRANTER, 9, 0, 21, GTF_permit_access | GTF_readonly);
	ck_assert_int_eq(gnttab_copy(0, &l, &g, 16), GNTST_permission_denied);
	ck_assert_uint_eq(page(GRANTER, 21)[0], 0x5A);
	ck_assert_uint_eq(harness_entry(GRANTER, 9)->flags, GTF_permit_access | GTF_readonly);
	ck_assert_int_eq(gnttab_copy(0, &g, &l, 16), GNTST_okay);
	ck_assert_uint_eq(buf[0], 0x5A);
}
END_TEST

START_TEST(guest_to_guest)
{
	/* OTHER copies its own gfn 30 into GRANTER's grant to it, and back */
	struct gnttab_copy_side own = { .dom = OTHER, .ref_or_gfn = 30, .offset = 8 };
	struct gnttab_copy_side g = gref(GRANTER, 8, 16);

	harness_grant(GRANTER, 8, OTHER, 20, GTF_permit_access);
	memset(page(OTHER, 30), 0x11, XEN_PAGE_SIZE);
	ck_assert_int_eq(gnttab_copy(OTHER, &own, &g, 64), GNTST_okay);
	ck_assert_uint_eq(page(GRANTER, 20)[16], 0x11);
	ck_assert_uint_eq(page(GRANTER, 20)[15], 0x5A);
	/* Dom0 is not the grantee of that grant */
	ck_assert_int_eq(gnttab_copy(0, &g, &own, 1), GNTST_permission_denied);
	/* a guest may not name another domain's gfn */
	own.dom = GRANTER;
	ck_assert_int_eq(gnttab_copy(OTHER, &own, &g, 1), GNTST_permission_denied);
	/* nor its own ballooned or absent pages */
	own = (struct gnttab_copy_side){ .dom = OTHER, .ref_or_gfn = HARNESS_BALLOONED };
	ck_assert_int_eq(gnttab_copy(OTHER, &own, &g, 1), GNTST_bad_page);
	own.ref_or_gfn = 1ull << 40;
	ck_assert_int_eq(gnttab_copy(OTHER, &own, &g, 1), GNTST_bad_page);
}
END_TEST

START_TEST(failed_dest_releases_source)
{
	uint8_t before[XEN_PAGE_SIZE];
	struct gnttab_copy_side s = gref(GRANTER, 8, 0), d = gref(GRANTER, 9, 0);
	uint32_t ro, rw;

	harness_grant(GRANTER, 8, 0, 20, GTF_permit_access);
	harness_grant(GRANTER, 9, 0, 21, GTF_permit_access | GTF_readonly);
	memcpy(before, harness_entry(GRANTER, 0), XEN_PAGE_SIZE);
	ck_assert_int_eq(gnttab_copy(0, &s, &d, 8), GNTST_permission_denied);
	ck_assert(memcmp(before, harness_entry(GRANTER, 0), XEN_PAGE_SIZE) == 0);
	ck_assert_int_eq(gnttab_pins(GRANTER, 8, &ro, &rw), 0);
	ck_assert_uint_eq(ro + rw, 0);
	d.ref_or_gfn = 1u << 20;
	ck_assert_int_eq(gnttab_copy(0, &s, &d, 8), GNTST_bad_gntref);
	d.dom = 9;
	ck_assert_int_eq(gnttab_copy(0, &s, &d, 8), GNTST_bad_domain);
	ck_assert(memcmp(before, harness_entry(GRANTER, 0), XEN_PAGE_SIZE) == 0);
}
END_TEST

START_TEST(copy_keeps_existing_mapping_bits)
{
	uint8_t buf[8];
	struct gnttab_copy_side g = gref(GRANTER, 8, 0), l = local(buf);
	struct gnttab_map_result r;
	static int owner;

	harness_grant(GRANTER, 8, 0, 20, GTF_permit_access);
	ck_assert_int_eq(gnttab_map(&owner, 0, GRANTER, 8, false, &r), GNTST_okay);
	ck_assert_int_eq(gnttab_copy(0, &g, &l, 8), GNTST_okay);
	ck_assert_uint_eq(harness_entry(GRANTER, 8)->flags,
			  GTF_permit_access | GTF_reading | GTF_writing);
}
END_TEST

static bool bit(const uint64_t *b, uint64_t gfn)
{
	return (b[gfn / 64] >> (gfn % 64)) & 1;
}

/* The dirty log's grant part (gnttab_mig.c): a copy into a grant and a
 * writable map mark the frame; a read-only map and a copy out do not;
 * a frame still mapped writable is reported by every collect. */
START_TEST(dirty_marks_dom0_writes)
{
	uint64_t bits[2] = { 0, 0 };
	uint8_t buf[8] = { 1 };
	struct gnttab_copy_side g = gref(GRANTER, 8, 0), l = local(buf);
	struct gnttab_map_result r;
	static int owner;

	harness_grant(GRANTER, 8, 0, 20, GTF_permit_access);
	harness_grant(GRANTER, 9, 0, 21, GTF_permit_access);
	harness_grant(GRANTER, 10, 0, 22, GTF_permit_access);
	ck_assert_int_eq(gnttab_dirty_start(GRANTER, HARNESS_PAGES), 0);
	ck_assert_int_eq(gnttab_copy(0, &g, &l, 8), GNTST_okay);        /* read */
	ck_assert_int_eq(gnttab_map(&owner, 0, GRANTER, 9, true, &r), GNTST_okay);
	gnttab_dirty_collect(GRANTER, bits, HARNESS_PAGES);
	ck_assert(!bit(bits, 20) && !bit(bits, 21));
	ck_assert_int_eq(gnttab_copy(0, &l, &g, 8), GNTST_okay);        /* write */
	ck_assert_int_eq(gnttab_map(&owner, 0, GRANTER, 10, false, &r), GNTST_okay);
	gnttab_dirty_collect(GRANTER, bits, HARNESS_PAGES);
	ck_assert(bit(bits, 20) && bit(bits, 22) && !bit(bits, 21));
	bits[0] = bits[1] = 0;
	gnttab_dirty_collect(GRANTER, bits, HARNESS_PAGES);           /* still mapped */
	ck_assert(!bit(bits, 20) && bit(bits, 22));
	gnttab_dirty_stop(GRANTER);
	bits[0] = bits[1] = 0;
	gnttab_dirty_collect(GRANTER, bits, HARNESS_PAGES);
	ck_assert(!bit(bits, 22));
	gnttab_owner_release(&owner);
}
END_TEST

/* Frame placement survives a save and a restore into another table. */
START_TEST(state_roundtrip)
{
	uint64_t gfns[4], bad[2] = { 30, 30 };
	uint32_t n = 0;

	ck_assert_int_eq(gnttab_map_frame(GRANTER, 2, 12), 0);
	ck_assert_int_eq(gnttab_state_get(GRANTER, &n, gfns, 4), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(gfns[0], HARNESS_TABLE_GFN);
	ck_assert_uint_eq(gfns[1], ~0ull);
	ck_assert_uint_eq(gfns[2], 12);
	ck_assert_int_eq(gnttab_state_get(GRANTER, &n, gfns, 2), -E2BIG);
	ck_assert_int_eq(gnttab_state_set(OTHER, 2, bad), -EINVAL);   /* twice */
	bad[1] = HARNESS_PAGES + 5;
	ck_assert_int_eq(gnttab_state_set(OTHER, 2, bad), -EINVAL);   /* outside */
	ck_assert_int_eq(gnttab_state_set(OTHER, 3, gfns), 0);
	ck_assert_int_eq(gnttab_state_get(OTHER, &n, gfns, 4), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(gfns[2], 12);
}
END_TEST

Suite *make_gnttab_copy_suite(void)
{
	Suite *s = suite_create("gnttab_copy");
	TCase *t = tcase_create("copy");

	tcase_add_checked_fixture(t, harness_setup, harness_teardown);
	tcase_add_test(t, dom0_both_directions);
	tcase_add_test(t, bounds);
	tcase_add_test(t, readonly_grant_is_not_a_destination);
	tcase_add_test(t, guest_to_guest);
	tcase_add_test(t, failed_dest_releases_source);
	tcase_add_test(t, copy_keeps_existing_mapping_bits);
	tcase_add_test(t, dirty_marks_dom0_writes);
	tcase_add_test(t, state_roundtrip);
	suite_add_tcase(s, t);
	return s;
}

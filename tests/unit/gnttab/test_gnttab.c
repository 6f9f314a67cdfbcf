/* gnttab.c: tables, frames, query_size / setup_table / set_version. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static uint8_t *page(domid_t d, uint64_t gfn)
{
	return harness_mem[d] + gfn * XEN_PAGE_SIZE;
}

START_TEST(first_placement_zeroes)
{
	static const uint8_t zero[XEN_PAGE_SIZE];

	/* harness_setup placed frame 0 over a page full of 0x5A */
	ck_assert(memcmp(page(GRANTER, HARNESS_TABLE_GFN), zero, XEN_PAGE_SIZE) == 0);
	ck_assert_uint_eq(page(GRANTER, 11)[0], 0x5A);
}
END_TEST

START_TEST(moving_copies_entries)
{
	harness_grant(GRANTER, 9, 0, 20, GTF_permit_access);
	ck_assert_int_eq(gnttab_map_frame(GRANTER, 0, 30), 0);
	ck_assert_uint_eq(((struct grant_entry_v1 *)page(GRANTER, 30))[9].frame, 20);
	ck_assert_uint_eq(((struct grant_entry_v1 *)page(GRANTER, 30))[9].flags,
			  GTF_permit_access);
}
END_TEST

START_TEST(bad_placements_change_nothing)
{
	uint32_t nr, max;

	ck_assert_int_eq(gnttab_map_frame(GRANTER, 32, 20), -EINVAL);   /* idx >= max */
	ck_assert_int_eq(gnttab_map_frame(GRANTER, 1u << 31, 20), -EINVAL); /* status frame */
	ck_assert_int_eq(gnttab_map_frame(GRANTER, 1, HARNESS_RAM), -EINVAL); /* outside RAM */
	ck_assert_int_eq(gnttab_map_frame(GRANTER, 1, HARNESS_TABLE_GFN), -EINVAL); /* taken */
	ck_assert_int_eq(gnttab_map_frame(7, 0, 20), -ESRCH);
	ck_assert_int_eq(gnttab_query_size(GRANTER, &nr, &max), GNTST_okay);
	ck_assert_uint_eq(nr, 1);
	ck_assert_uint_eq(max, GNTTAB_DEFAULT_FRAMES);
	ck_assert_uint_eq(page(GRANTER, 20)[0], 0x5A);
}
END_TEST

START_TEST(ballooned_page_may_hold_a_frame)
{
	uint32_t nr, max;

	ck_assert_int_eq(gnttab_map_frame(GRANTER, 3, HARNESS_BALLOONED), 0);
	ck_assert_int_eq(gnttab_query_size(GRANTER, &nr, &max), GNTST_okay);
	ck_assert_uint_eq(nr, 4); /* placing idx 3 grows the table */
}
END_TEST

START_TEST(setup_table)
{
	uint64_t gfns[4];
	uint32_t nr, max;

	ck_assert_int_eq(gnttab_setup_table(GRANTER, 33, gfns), GNTST_general_error);
	ck_assert_int_eq(gnttab_query_size(GRANTER, &nr, &max), GNTST_okay);
	ck_assert_uint_eq(nr, 1);
	ck_assert_int_eq(gnttab_setup_table(GRANTER, 4, gfns), GNTST_okay);
	ck_assert_uint_eq(gfns[0], HARNESS_TABLE_GFN);
	ck_assert_uint_eq(gfns[1], ~0ull);
	ck_assert_int_eq(gnttab_query_size(GRANTER, &nr, &max), GNTST_okay);
	ck_assert_uint_eq(nr, 4);
	ck_assert_int_eq(gnttab_setup_table(9, 1, gfns), GNTST_bad_domain);
}
END_TEST

START_TEST(versions)
{
	uint32_t v = 1;

	ck_assert_int_eq(gnttab_set_version(GRANTER, &v), 0);
	ck_assert_uint_eq(v, 1);
	v = 2;
	ck_assert_int_eq(gnttab_set_version(GRANTER, &v), -ENOSYS);
	ck_assert_uint_eq(v, 1);
	v = 3;
	ck_assert_int_eq(gnttab_set_version(GRANTER, &v), -EINVAL);
	ck_assert_uint_eq(v, 1);
}
END_TEST

/* A memory op that trusts every gfn: only gt_page's bound stands between
 * it and the bytes past the domain's memory (8 pages here). */
static int64_t trusting_offset(void *opaque, uint64_t gfn, enum gnttab_gfn_use use)
{
	(void)opaque;
	(void)use;
	return (int64_t)(gfn * XEN_PAGE_SIZE);
}

static const struct gnttab_mem_ops trusting_ops = { trusting_offset };

START_TEST(frames_stay_inside_the_domains_memory)
{
	const domid_t dom = 3;
	uint8_t *mem = aligned_alloc(XEN_PAGE_SIZE, 9 * XEN_PAGE_SIZE);

	ck_assert_ptr_nonnull(mem);
	memset(mem + 8 * XEN_PAGE_SIZE, 0x77, XEN_PAGE_SIZE); /* a guard page */
	ck_assert_int_eq(gnttab_dom_add(dom, 0, mem, 8 * XEN_PAGE_SIZE, &trusting_ops, NULL), 0);
	ck_assert_int_eq(gnttab_map_frame(dom, 0, 8), -EINVAL);  /* the page past the end */
	ck_assert_int_eq(gnttab_map_frame(dom, 0, 9), -EINVAL);
	ck_assert_int_eq(gnttab_map_frame(dom, 0, ~0ull / XEN_PAGE_SIZE), -EINVAL);
	ck_assert_int_eq(gnttab_map_frame(dom, 0, 7), 0);       /* the last page is fine */
	for (unsigned i = 0; i < XEN_PAGE_SIZE; i++)
		ck_assert_uint_eq(mem[8 * XEN_PAGE_SIZE + i], 0x77);
	gnttab_dom_remove(dom);
	free(mem);
}
END_TEST

START_TEST(domains)
{
	uint64_t c = gnttab_dom_cookie(GRANTER);

	ck_assert_uint_ne(c, 0);
	ck_assert_int_eq(gnttab_dom_add(GRANTER, 0, harness_mem[GRANTER], 4096, NULL, NULL),
			 -EEXIST);
	ck_assert_int_eq(gnttab_dom_add(3, GNTTAB_MAX_FRAMES + 1, NULL, 0, NULL, NULL), -EINVAL);
	gnttab_dom_remove(GRANTER);
	ck_assert_uint_eq(gnttab_dom_cookie(GRANTER), 0);
	gnttab_dom_remove(GRANTER); /* idempotent */
}
END_TEST

Suite *make_gnttab_suite(void)
{
	Suite *s = suite_create("gnttab");
	TCase *t = tcase_create("tables");

	tcase_add_checked_fixture(t, harness_setup, harness_teardown);
	tcase_add_test(t, first_placement_zeroes);
	tcase_add_test(t, moving_copies_entries);
	tcase_add_test(t, bad_placements_change_nothing);
	tcase_add_test(t, ballooned_page_may_hold_a_frame);
	tcase_add_test(t, setup_table);
	tcase_add_test(t, versions);
	tcase_add_test(t, domains);
	tcase_add_test(t, frames_stay_inside_the_domains_memory);
	suite_add_tcase(s, t);
	return s;
}

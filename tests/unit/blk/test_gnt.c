/* The persistent-grant cache: reuse, bound, writable upgrade, disposal. */
#include <errno.h>

#include "harness.h"

START_TEST(nonpersistent_maps_each_time)
{
	struct fake_dom d;
	struct blkback_gnt g;
	void *p;
	uint32_t h;
	bool kept;

	fake_dom_init(&d);
	ck_assert_int_eq(blkback_gnt_init(&g, &fake_gnt_ops, &d, false, 16), 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(blkback_gnt_get(&g, 10, true, &p, &h, &kept), 0);
		ck_assert(!kept);
		ck_assert_ptr_eq(p, fake_page(&d, 10));
		blkback_gnt_put(&g, h);
	}
	ck_assert_int_eq(d.maps, 3);
	ck_assert_int_eq(d.unmaps, 3);
	ck_assert_int_eq(blkback_gnt_get(&g, 3, false, &p, &h, &kept), -EPERM);
	blkback_gnt_dispose(&g);
	fake_dom_free(&d);
}
END_TEST

START_TEST(persistent_reuse_and_bound)
{
	struct fake_dom d;
	struct blkback_gnt g;
	void *p;
	uint32_t h;
	bool kept;

	fake_dom_init(&d);
	ck_assert_int_eq(blkback_gnt_init(&g, &fake_gnt_ops, &d, true, 4), 0);
	for (int round = 0; round < 3; round++)
		for (grant_ref_t r = 10; r < 14; r++) {
			ck_assert_int_eq(blkback_gnt_get(&g, r, false, &p, &h, &kept), 0);
			ck_assert(kept);
			ck_assert_ptr_eq(p, fake_page(&d, r));
		}
	ck_assert_int_eq(d.maps, 4); /* mapped once each */
	/* The fifth ref does not fit: mapped per use. */
	ck_assert_int_eq(blkback_gnt_get(&g, 20, false, &p, &h, &kept), 0);
	ck_assert(!kept);
	blkback_gnt_put(&g, h);
	/* Read-only cached, asked writable: remapped, still one entry. */
	ck_assert_int_eq(blkback_gnt_get(&g, 10, true, &p, &h, &kept), 0);
	ck_assert(kept);
	ck_assert_int_eq(g.nr_persistent, 4);
	/* A read-only grant cannot become writable; the cached mapping stays. */
	d.ro[11 - FAKE_REF_BASE] = true;
	ck_assert_int_eq(blkback_gnt_get(&g, 11, true, &p, &h, &kept), -EACCES);
	ck_assert_int_eq(blkback_gnt_get(&g, 11, false, &p, &h, &kept), 0);
	ck_assert(kept);
	blkback_gnt_dispose(&g);
	ck_assert_int_eq(d.maps, d.unmaps);
	fake_dom_free(&d);
}
END_TEST

Suite *make_gnt_suite(void)
{
	Suite *s = suite_create("gnt");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, nonpersistent_maps_each_time);
	tcase_add_test(tc, persistent_reuse_and_bound);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * gnttab_ctl.c: the PVX_CTL_GNTTAB_* handlers over the real gnttab core.
 * Malformed requests are -EINVAL and touch nothing; well-formed ones
 * answer each entry with GNTST_* in the wire layout of pvx/ctl.h.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ctl.h"
#include "dom.h"

static struct domain dom;
static int conn; /* its address is the connection */
static uint8_t reqbuf[PVX_CTL_MAX_PAYLOAD], rspbuf[PVX_CTL_MAX_PAYLOAD];
static struct pvx_ctl_hdr hdr;
static struct ctl_req rq;
static struct ctl_reply rep;

static void setup(void)
{
	harness_setup();
	memset(&dom, 0, sizeof(dom));
	dom.domid = GRANTER;
	dom.vm.memfd = 42;
	dom.vm.mem_size = HARNESS_PAGES * XEN_PAGE_SIZE;
	harness_grant(GRANTER, 8, 0, 20, GTF_permit_access);
	harness_grant(GRANTER, 9, 0, 21, GTF_permit_access | GTF_readonly);
}

static int call(int (*fn)(struct ctl_req *, struct ctl_reply *), uint32_t len)
{
	hdr = (struct pvx_ctl_hdr){ .magic = PVX_CTL_MAGIC, .len = len, .domid = GRANTER };
	rq = (struct ctl_req){ .hdr = &hdr, .payload = reqbuf, .dom = &dom,
			       .conn = (struct ctl_conn *)&conn };
	rep = (struct ctl_reply){ .buf = rspbuf };
	return fn(&rq, &rep);
}

static uint32_t map_req(uint32_t count, uint32_t flags, const struct pvx_ctl_gnttab_ref *refs)
{
	struct pvx_ctl_gnttab_map_req q = { count, flags };

	memcpy(reqbuf, &q, sizeof(q));
	memcpy(reqbuf + sizeof(q), refs, count * sizeof(*refs));
	return sizeof(q) + count * sizeof(*refs);
}

START_TEST(map_rejects_malformed)
{
	struct pvx_ctl_gnttab_ref refs[2] = { { 8, 0 }, { 8, 0 } };
	uint32_t len;

	ck_assert_int_eq(call(gnttab_ctl_map, map_req(0, 0, refs)), -EINVAL);
	len = map_req(2, 0, refs);
	((struct pvx_ctl_gnttab_map_req *)reqbuf)->count = PVX_CTL_GNTTAB_BATCH_MAX + 1;
	ck_assert_int_eq(call(gnttab_ctl_map, len), -EINVAL);
	ck_assert_int_eq(call(gnttab_ctl_map, map_req(2, 0, refs) - 1), -EINVAL);
	ck_assert_int_eq(call(gnttab_ctl_map, map_req(1, 0, refs) + 8), -EINVAL);
	ck_assert_int_eq(call(gnttab_ctl_map, map_req(1, 2, refs)), -EINVAL);
	refs[1].flags = 4;
	ck_assert_int_eq(call(gnttab_ctl_map, map_req(2, 0, refs)), -EINVAL);
	/* the good first ref was not mapped either */
	ck_assert_uint_eq(gnttab_owner_count(&conn), 0);
	ck_assert_uint_eq(harness_entry(GRANTER, 8)->flags, GTF_permit_access);
}
END_TEST

START_TEST(map_batch)
{
	const struct pvx_ctl_gnttab_ref refs[4] = {
		{ 8, 0 }, { 9, 0 }, { 9, PVX_CTL_GNTMAP_READONLY }, { 5000, 0 },
	};
	struct pvx_ctl_gnttab_map_rsp h;
	struct pvx_ctl_gnttab_map_res res[4];

	ck_assert_int_eq(call(gnttab_ctl_map, map_req(4, PVX_CTL_GNTMAP_WANT_MEMFD, refs)), 0);
	ck_assert_uint_eq(rep.len, sizeof(h) + sizeof(res));
	memcpy(&h, rspbuf, sizeof(h));
	memcpy(res, rspbuf + sizeof(h), sizeof(res));
	ck_assert_uint_eq(h.count, 4);
	ck_assert_uint_eq(h.cookie, gnttab_dom_cookie(GRANTER));
	ck_assert_uint_eq(h.memfd_size, HARNESS_PAGES * XEN_PAGE_SIZE);
	ck_assert_int_eq(rep.nfds, 1);
	ck_assert_int_eq(rep.fds[0], 42);
	ck_assert_int_eq(res[0].status, GNTST_okay);
	ck_assert_uint_eq(res[0].offset, 20 * XEN_PAGE_SIZE);
	ck_assert_uint_eq(res[0].gfn, 20);
	ck_assert_int_eq(res[1].status, GNTST_permission_denied);
	ck_assert_int_eq(res[2].status, GNTST_okay);
	ck_assert_int_eq(res[3].status, GNTST_bad_gntref);
	ck_assert_uint_eq(gnttab_owner_count(&conn), 2);
	/* without WANT_MEMFD no fd travels */
	ck_assert_int_eq(call(gnttab_ctl_map, map_req(1, 0, refs)), 0);
	ck_assert_int_eq(rep.nfds, 0);
}
END_TEST

START_TEST(unmap)
{
	const struct pvx_ctl_gnttab_ref ref = { 8, 0 };
	struct pvx_ctl_gnttab_map_res res;
	struct pvx_ctl_gnttab_unmap_req q = { 3, 0 };
	uint32_t handles[3];
	int32_t st[3];

	ck_assert_int_eq(call(gnttab_ctl_map, map_req(1, 0, &ref)), 0);
	memcpy(&res, rspbuf + sizeof(struct pvx_ctl_gnttab_map_rsp), sizeof(res));
	handles[0] = res.handle;
	handles[1] = res.handle; /* twice: the second is a bad handle */
	handles[2] = 77777;
	memcpy(reqbuf, &q, sizeof(q));
	memcpy(reqbuf + sizeof(q), handles, sizeof(handles));
	ck_assert_int_eq(call(gnttab_ctl_unmap, sizeof(q) + sizeof(handles) - 4), -EINVAL);
	ck_assert_int_eq(call(gnttab_ctl_unmap, sizeof(q) + sizeof(handles)), 0);
	ck_assert_uint_eq(rep.len, sizeof(st));
	memcpy(st, rspbuf, sizeof(st));
	ck_assert_int_eq(st[0], GNTST_okay);
	ck_assert_int_eq(st[1], GNTST_bad_handle);
	ck_assert_int_eq(st[2], GNTST_bad_handle);
	ck_assert_uint_eq(harness_entry(GRANTER, 8)->flags, GTF_permit_access);
}
END_TEST

START_TEST(copy_both_ways)
{
	struct pvx_ctl_gnttab_copy_req q = { 3, 0 };
	struct pvx_ctl_gnttab_copy_seg segs[3] = {
		{ .ref = 8, .offset = 100, .len = 5, .flags = PVX_CTL_GNTCOPY_TO_GUEST },
		{ .ref = 8, .offset = 98, .len = 7 },
		{ .ref = 9, .offset = 0, .len = 3, .flags = PVX_CTL_GNTCOPY_TO_GUEST },
	};
	uint32_t len = sizeof(q) + sizeof(segs) + 8;
	int32_t st[3];
	uint8_t *page = harness_mem[GRANTER] + 20 * XEN_PAGE_SIZE;

	memcpy(reqbuf, &q, sizeof(q));
	memcpy(reqbuf + sizeof(q), segs, sizeof(segs));
	memcpy(reqbuf + sizeof(q) + sizeof(segs), "hello" "abc", 8);
	ck_assert_int_eq(call(gnttab_ctl_copy, len + 1), -EINVAL);
	ck_assert_int_eq(call(gnttab_ctl_copy, len), 0);
	ck_assert_uint_eq(rep.len, sizeof(st) + 7);
	memcpy(st, rspbuf, sizeof(st));
	ck_assert_int_eq(st[0], GNTST_okay);
	ck_assert_int_eq(st[1], GNTST_okay);
	ck_assert_int_eq(st[2], GNTST_permission_denied); /* read-only grant */
	ck_assert(memcmp(page + 100, "hello", 5) == 0);
	ck_assert(memcmp(rspbuf + sizeof(st), "\x5a\x5a" "hello", 7) == 0);
	ck_assert_uint_eq(harness_mem[GRANTER][21 * XEN_PAGE_SIZE], 0x5A);
}
END_TEST

START_TEST(copy_rejects_malformed)
{
	struct pvx_ctl_gnttab_copy_req q = { 1, 0 };
	struct pvx_ctl_gnttab_copy_seg seg = { .ref = 8, .len = 4097 };

	memcpy(reqbuf, &q, sizeof(q));
	memcpy(reqbuf + sizeof(q), &seg, sizeof(seg));
	ck_assert_int_eq(call(gnttab_ctl_copy, sizeof(q) + sizeof(seg)), -EINVAL);
	seg = (struct pvx_ctl_gnttab_copy_seg){ .ref = 8, .len = 4, .flags = 8 };
	memcpy(reqbuf + sizeof(q), &seg, sizeof(seg));
	ck_assert_int_eq(call(gnttab_ctl_copy, sizeof(q) + sizeof(seg)), -EINVAL);
	q.count = 0;
	memcpy(reqbuf, &q, sizeof(q));
	ck_assert_int_eq(call(gnttab_ctl_copy, sizeof(q)), -EINVAL);
	/* a page-crossing segment is well formed: answered per segment */
	q.count = 1;
	memcpy(reqbuf, &q, sizeof(q));
	seg = (struct pvx_ctl_gnttab_copy_seg){ .ref = 8, .offset = 4095, .len = 2 };
	memcpy(reqbuf + sizeof(q), &seg, sizeof(seg));
	ck_assert_int_eq(call(gnttab_ctl_copy, sizeof(q) + sizeof(seg)), 0);
	ck_assert_int_eq(*(int32_t *)rspbuf, GNTST_bad_copy_arg);
}
END_TEST

Suite *make_gnttab_ctl_suite(void)
{
	Suite *s = suite_create("gnttab_ctl");
	TCase *t = tcase_create("ops");

	tcase_add_checked_fixture(t, setup, harness_teardown);
	tcase_add_test(t, map_rejects_malformed);
	tcase_add_test(t, map_batch);
	tcase_add_test(t, unmap);
	tcase_add_test(t, copy_both_ways);
	tcase_add_test(t, copy_rejects_malformed);
	suite_add_tcase(s, t);
	return s;
}

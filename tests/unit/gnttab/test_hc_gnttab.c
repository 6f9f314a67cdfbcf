/*
 * hc_gnttab.c and the grant-frame branch of hc_memory.c, driven as a
 * guest would: hypercalls on fake domains (tests/unit/pvxd/harness.c,
 * paging off, so argument GVAs are GPAs) with grant tables attached the
 * way dom.c attaches them.
 */
#include <errno.h>
#include <string.h>

#include <xen/public/memory.h>

#include "../pvxd/harness.h"
#include "harness.h"
#include "gnttab.h"

#define ARG  0x2000ull   /* scratch GPA for op structs */
#define LIST 0x3000ull   /* scratch GPA for frame lists */
#define TABLE_GFN 0x10
#define OTHER_DOMID 8

static struct domain *d, *peer;

static void setup(void)
{
	d = fake_dom_new(1);
	peer = fake_dom_new(1);
	peer->domid = OTHER_DOMID;
	ck_assert_int_eq(gnttab_dom_attach(d), 0);
	ck_assert_int_eq(gnttab_dom_attach(peer), 0);
}

static void teardown(void)
{
	gnttab_dom_detach(d);
	gnttab_dom_detach(peer);
	fake_dom_free(d);
	fake_dom_free(peer);
}

static void *at(struct domain *dom, uint64_t gpa)
{
	return dom->vm.mem + gpa;
}

static long gnt(struct domain *dom, unsigned cmd, uint64_t count)
{
	return fake_call(dom, __HYPERVISOR_grant_table_op, cmd, ARG, count);
}

static long place(struct domain *dom, uint64_t idx, uint64_t gpfn)
{
	struct xen_add_to_physmap x = { .domid = DOMID_SELF,
		.space = XENMAPSPACE_grant_table, .idx = idx, .gpfn = gpfn };

	memcpy(at(dom, ARG), &x, sizeof(x));
	return fake_call(dom, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0);
}

START_TEST(query_and_versions)
{
	struct gnttab_query_size *q = at(d, ARG);
	struct gnttab_set_version *v = at(d, ARG);
	struct gnttab_get_version *gv = at(d, ARG);

	*q = (struct gnttab_query_size){ .dom = DOMID_SELF };
	ck_assert_int_eq(gnt(d, GNTTABOP_query_size, 1), 0);
	ck_assert_int_eq(q->status, GNTST_okay);
	ck_assert_uint_eq(q->nr_frames, 1);
	ck_assert_uint_eq(q->max_nr_frames, 32);
	*q = (struct gnttab_query_size){ .dom = OTHER_DOMID };
	ck_assert_int_eq(gnt(d, GNTTABOP_query_size, 1), 0);
	ck_assert_int_eq(q->status, GNTST_permission_denied);
	*v = (struct gnttab_set_version){ 2 };
	ck_assert_int_eq(gnt(d, GNTTABOP_set_version, 1), -ENOSYS);
	ck_assert_uint_eq(v->version, 1);
	*v = (struct gnttab_set_version){ 1 };
	ck_assert_int_eq(gnt(d, GNTTABOP_set_version, 1), 0);
	*gv = (struct gnttab_get_version){ .dom = DOMID_SELF };
	ck_assert_int_eq(gnt(d, GNTTABOP_get_version, 1), 0);
	ck_assert_uint_eq(gv->version, 1);
	gv->dom = OTHER_DOMID;
	ck_assert_int_eq(gnt(d, GNTTABOP_get_version, 1), -EPERM);
}
END_TEST

START_TEST(frames_through_memory_op)
{
	memset(at(d, TABLE_GFN << 12), 0x77, 4096);
	ck_assert_int_eq(place(d, 0, TABLE_GFN), 0);
	ck_assert_uint_eq(*(uint8_t *)at(d, (TABLE_GFN << 12) + 100), 0);
	ck_assert_int_eq(place(d, 32, TABLE_GFN + 1), -EINVAL);
	ck_assert_int_eq(place(d, XENMAPIDX_grant_table_status, TABLE_GFN + 1), -EINVAL);
	ck_assert_int_eq(place(d, 1, 0xFEC00), -EINVAL);        /* MMIO hole */
	ck_assert_int_eq(place(d, 1, FAKE_RAM >> 12), -EINVAL); /* past RAM */
}
END_TEST

START_TEST(setup_table)
{
	struct gnttab_setup_table *s = at(d, ARG);
	uint64_t *list = at(d, LIST);

	ck_assert_int_eq(place(d, 0, TABLE_GFN), 0);
	*s = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 3,
		.frame_list = 0xdead00000000ull };
	ck_assert_int_eq(gnt(d, GNTTABOP_setup_table, 1), 0);
	ck_assert_int_eq(s->status, GNTST_bad_virt_addr);
	{
		struct gnttab_query_size *q = at(d, ARG);

		*q = (struct gnttab_query_size){ .dom = DOMID_SELF };
		ck_assert_int_eq(gnt(d, GNTTABOP_query_size, 1), 0);
		ck_assert_uint_eq(q->nr_frames, 1); /* the fault grew nothing */
	}
	*s = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 3, .frame_list = LIST };
	ck_assert_int_eq(gnt(d, GNTTABOP_setup_table, 1), 0);
	ck_assert_int_eq(s->status, GNTST_okay);
	ck_assert_uint_eq(list[0], TABLE_GFN);
	ck_assert_uint_eq(list[1], ~0ull);
	*s = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 33, .frame_list = LIST };
	ck_assert_int_eq(gnt(d, GNTTABOP_setup_table, 1), 0);
	ck_assert_int_eq(s->status, GNTST_general_error);
}
END_TEST

/* One frame past the domain's maximum (32 here, and the largest maximum
 * too) is refused before anything is written: the guest's frame list is
 * untouched and the table did not grow. Refusing it only when growing
 * (gnttab_setup_table's own bound) would still write max+1 entries, read
 * from past pvxd's array when max is GNTTAB_MAX_FRAMES. */
START_TEST(setup_table_one_past_the_maximum)
{
	struct gnttab_setup_table *s = at(d, ARG);
	uint8_t *list = at(d, LIST);
	struct gnttab_query_size *q = at(d, ARG);

	memset(list, 0xAA, 34 * 8);
	*s = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 33, .frame_list = LIST };
	ck_assert_int_eq(gnt(d, GNTTABOP_setup_table, 1), 0);
	ck_assert_int_eq(s->status, GNTST_general_error);
	for (unsigned i = 0; i < 34 * 8; i++)
		ck_assert_uint_eq(list[i], 0xAA);
	*q = (struct gnttab_query_size){ .dom = DOMID_SELF };
	ck_assert_int_eq(gnt(d, GNTTABOP_query_size, 1), 0);
	ck_assert_uint_eq(q->nr_frames, 1);
	ck_assert_uint_eq(q->max_nr_frames, 32);
	*s = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 32, .frame_list = LIST };
	ck_assert_int_eq(gnt(d, GNTTABOP_setup_table, 1), 0);
	ck_assert_int_eq(s->status, GNTST_okay); /* the maximum itself is fine */
}
END_TEST

START_TEST(guest_copy_from_a_grant)
{
	struct grant_entry_v1 *e = at(peer, (TABLE_GFN << 12) + 8 * 8);
	struct gnttab_copy *op = at(d, ARG);

	ck_assert_int_eq(place(peer, 0, TABLE_GFN), 0);
	memcpy(at(peer, 0x20000), "granted", 8);
	*e = (struct grant_entry_v1){ GTF_permit_access | GTF_readonly, FAKE_DOMID, 0x20 };
	*op = (struct gnttab_copy){
		.source = { .u.ref = 8, .domid = OTHER_DOMID },
		.dest = { .u.gmfn = 0x30, .domid = DOMID_SELF, .offset = 16 },
		.len = 8, .flags = GNTCOPY_source_gref,
	};
	ck_assert_int_eq(gnt(d, GNTTABOP_copy, 1), 0);
	ck_assert_int_eq(op->status, GNTST_okay);
	ck_assert_str_eq((char *)at(d, 0x30010), "granted");
	ck_assert_uint_eq(e->flags, GTF_permit_access | GTF_readonly);
	/* the other way round: a read-only grant is no destination */
	*op = (struct gnttab_copy){
		.source = { .u.gmfn = 0x30, .domid = DOMID_SELF },
		.dest = { .u.ref = 8, .domid = OTHER_DOMID },
		.len = 8, .flags = GNTCOPY_dest_gref,
	};
	ck_assert_int_eq(gnt(d, GNTTABOP_copy, 1), 0);
	ck_assert_int_eq(op->status, GNTST_permission_denied);
	/* the grant is to FAKE_DOMID: the peer itself cannot use it that way */
	memcpy(at(peer, ARG), op, sizeof(*op));
	((struct gnttab_copy *)at(peer, ARG))->dest.domid = DOMID_SELF;
	ck_assert_int_eq(gnt(peer, GNTTABOP_copy, 1), 0);
	ck_assert_int_eq(((struct gnttab_copy *)at(peer, ARG))->status, GNTST_permission_denied);
}
END_TEST

START_TEST(call_level_errors)
{
	ck_assert_int_eq(gnt(d, GNTTABOP_copy, GNTTAB_OP_MAX + 1), -EINVAL);
	ck_assert_int_eq(gnt(d, GNTTABOP_map_grant_ref, 1), -ENOSYS);
	ck_assert_int_eq(gnt(d, GNTTABOP_unmap_grant_ref, 1), -ENOSYS);
	ck_assert_int_eq(gnt(d, 99, 1), -ENOSYS);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_grant_table_op, GNTTABOP_copy,
				   0xdead00000000ull, 1), -EFAULT);
	ck_assert_int_eq(gnt(d, GNTTABOP_copy, 0), 0);
}
END_TEST

Suite *make_hc_gnttab_suite(void)
{
	Suite *s = suite_create("hc_gnttab");
	TCase *t = tcase_create("hypercalls");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, query_and_versions);
	tcase_add_test(t, frames_through_memory_op);
	tcase_add_test(t, setup_table);
	tcase_add_test(t, setup_table_one_past_the_maximum);
	tcase_add_test(t, guest_copy_from_a_grant);
	tcase_add_test(t, call_level_errors);
	suite_add_tcase(s, t);
	return s;
}

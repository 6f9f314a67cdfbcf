/*
 * grant-hostile VICTIM REF: a guest that abuses grant_table_op and
 * add_to_physmap(grant_table) and names another domain's grants. Every
 * abuse must get Xen's answer and nothing else may happen: the test then
 * checks that pvxd, the victim guest and its Dom0 peer carry on.
 */
#include <xen/public/memory.h>

#include <minios/console.h>
#include <minios/gnttab.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/program.h>

#include "programs.h"

#define BAD_GVA 0xdead00000000ull

static uint8_t own_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static int failures;

static void expect(const char *what, long got, long want)
{
	if (got == want)
		return;
	printk("grant-hostile: %s: got %ld, want %ld\n", what, got, want);
	failures++;
}

static int16_t copy1(struct gnttab_copy *op)
{
	long rc = gnttab_op(GNTTABOP_copy, op, 1);

	return rc < 0 ? (int16_t)-1000 : op->status;
}

/* A copy from (domid, ref) into our own page at offset 0. */
static int16_t copy_from(domid_t dom, grant_ref_t ref, uint16_t off, uint16_t len)
{
	struct gnttab_copy op = {
		.source = { .u.ref = ref, .domid = dom, .offset = off },
		.dest = { .u.gmfn = (uintptr_t)own_page >> XEN_PAGE_SHIFT,
			  .domid = DOMID_SELF },
		.len = len,
		.flags = GNTCOPY_source_gref,
	};

	return copy1(&op);
}

static void table_abuse(domid_t victim)
{
	struct gnttab_query_size q = { .dom = victim };
	struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 100000 };
	struct gnttab_set_version v = { .version = 2 };
	struct xen_add_to_physmap x = { .domid = DOMID_SELF,
		.space = XENMAPSPACE_grant_table, .idx = 5000,
		.gpfn = (uintptr_t)own_page >> XEN_PAGE_SHIFT };
	struct gnttab_map_grant_ref m = { .ref = 8, .dom = victim,
		.flags = GNTMAP_host_map };

	expect("query_size(victim)", gnttab_op(GNTTABOP_query_size, &q, 1) ?: q.status,
	       GNTST_permission_denied);
	expect("setup_table(100000)", gnttab_op(GNTTABOP_setup_table, &s, 1) ?: s.status,
	       GNTST_general_error);
	s = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 1,
		.frame_list = BAD_GVA };
	expect("setup_table(bad list)", gnttab_op(GNTTABOP_setup_table, &s, 1) ?: s.status,
	       GNTST_bad_virt_addr);
	expect("set_version(2)", gnttab_op(GNTTABOP_set_version, &v, 1), -XEN_ENOSYS);
	expect("set_version(2) leaves 1", v.version, 1);
	v.version = 7;
	expect("set_version(7)", gnttab_op(GNTTABOP_set_version, &v, 1), -XEN_EINVAL);
	expect("physmap idx 5000", memory_op(XENMEM_add_to_physmap, &x), -XEN_EINVAL);
	x.idx = XENMAPIDX_grant_table_status;
	expect("physmap status frame", memory_op(XENMEM_add_to_physmap, &x), -XEN_EINVAL);
	x.idx = 1;
	x.gpfn = 0xFEC00; /* the MMIO hole */
	expect("physmap in the hole", memory_op(XENMEM_add_to_physmap, &x), -XEN_EINVAL);
	expect("map_grant_ref", gnttab_op(GNTTABOP_map_grant_ref, &m, 1), -XEN_ENOSYS);
	expect("count 5000", gnttab_op(GNTTABOP_copy, own_page, 5000), -XEN_EINVAL);
	expect("ops at a bad GVA", gnttab_op(GNTTABOP_copy, (void *)BAD_GVA, 1), -XEN_EFAULT);
	expect("unknown op", gnttab_op(99, own_page, 1), -XEN_ENOSYS);
}

static void copy_abuse(domid_t victim, grant_ref_t ref)
{
	struct gnttab_copy op = {
		.source = { .u.gmfn = (uintptr_t)own_page >> XEN_PAGE_SHIFT, .domid = victim },
		.dest = { .u.gmfn = (uintptr_t)own_page >> XEN_PAGE_SHIFT, .domid = DOMID_SELF },
		.len = 8,
	};

	expect("copy victim's grant to Dom0", copy_from(victim, ref, 0, 16),
	       GNTST_permission_denied);
	expect("copy victim ref out of range", copy_from(victim, 0xFFFFFF, 0, 16),
	       GNTST_bad_gntref);
	expect("copy from no domain", copy_from(999, ref, 0, 16), GNTST_bad_domain);
	expect("copy from a reserved domid", copy_from(0x7FF5, ref, 0, 16), GNTST_bad_domain);
	expect("copy past the page", copy_from(victim, ref, 4000, 200), GNTST_bad_copy_arg);
	expect("copy victim's gfn", copy1(&op), GNTST_permission_denied);
	op.source.domid = DOMID_SELF;
	op.source.u.gmfn = 1ull << 30; /* 4 TiB: outside our memory */
	expect("copy from outside memory", copy1(&op), GNTST_bad_page);
	op.source.u.gmfn = (uintptr_t)own_page >> XEN_PAGE_SHIFT;
	op.dest.offset = 4090;
	expect("copy to past the page", copy1(&op), GNTST_bad_copy_arg);
}

/* Our own table full of junk, busy bits included: only we can suffer. */
static void scribble_own_table(void)
{
	for (grant_ref_t r = 0; r < gnttab_nr_refs(); r++) {
		volatile struct grant_entry_v1 *e = gnttab_entry(r);

		e->frame = 0xFFFFFFFFu - r;
		e->domid = (domid_t)r;
		e->flags = (uint16_t)(0xFFFF - r);
	}
}

int prog_grant_hostile(int argc, char **argv)
{
	uint64_t victim, ref;
	int rc;

	if (arg_u64(argc, argv, 1, 0, &victim) < 0 || victim == 0 ||
	    arg_u64(argc, argv, 2, 0, &ref) < 0)
		return fail("grant-hostile: usage: grant-hostile VICTIM REF");
	rc = gnttab_init();
	if (rc < 0)
		return fail("grant-hostile: gnttab_init: %d", rc);
	table_abuse((domid_t)victim);
	copy_abuse((domid_t)victim, (grant_ref_t)ref);
	scribble_own_table();
	if (failures)
		return fail("grant-hostile: %d abuses got the wrong answer", failures);
	return pass("grant-hostile: every abuse refused with Xen's answer");
}

/*
 * The hypercall table and handlers, on a fake domain: policy checks,
 * sub-op tables, and validate-then-commit (a bad call changes nothing).
 */
#include <errno.h>
#include <string.h>

#include <xen/public/event_channel.h>
#include <xen/public/features.h>
#include <xen/public/hvm/hvm_op.h>
#include <xen/public/memory.h>
#include <xen/public/sched.h>
#include <xen/public/version.h>

#include "harness.h"
#include "evtchn.h"
#include "pvxd.h"

#define ARG 0x2000ull  /* a scratch GPA (= GVA, paging off) */

START_TEST(unset_slots_enosys)
{
	struct domain *d = fake_dom_new(1);
	unsigned unset = 0;

	for (unsigned nr = 0; nr < HC_TABLE_SIZE; nr++) {
		if (hc_table[nr].fn)
			continue;
		ck_assert_int_eq(fake_call(d, nr, 0, 0, 0), -ENOSYS);
		unset++;
	}
	ck_assert_uint_gt(unset, 30);
	fake_dom_free(d);
}
END_TEST

START_TEST(out_of_range_enosys)
{
	static const uint64_t nrs[] = { HC_TABLE_SIZE, HC_TABLE_SIZE + 1, 1000,
					0x80000000ull, ~0ull };
	struct domain *d = fake_dom_new(1);

	for (unsigned i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
		ck_assert_int_eq(fake_call(d, nrs[i], 0, 0, 0), -ENOSYS);
	/* Refused calls count too: pvx top's hypercalls/s is what the guest makes. */
	ck_assert_uint_eq(d->nr_hypercalls, sizeof(nrs) / sizeof(nrs[0]));
	fake_dom_free(d);
}
END_TEST

START_TEST(priv_entries_eperm_for_domu)
{
	struct domain *d = fake_dom_new(1);
	unsigned priv = 0;

	for (unsigned nr = 0; nr < HC_TABLE_SIZE; nr++) {
		if (!hc_table[nr].fn || hc_table[nr].policy != HC_PRIV)
			continue;
		ck_assert_int_eq(fake_call(d, nr, 0, 0, 0), -EPERM);
		d->privileged = true;
		ck_assert_int_ne(fake_call(d, nr, 0, 0, 0), -EPERM);
		d->privileged = false;
		priv++;
	}
	ck_assert_uint_ge(priv, 3); /* platform_op, sysctl, domctl, ... */
	ck_assert_int_eq(hc_table[__HYPERVISOR_domctl].policy, HC_PRIV);
	ck_assert_int_eq(hc_table[__HYPERVISOR_sysctl].policy, HC_PRIV);
	fake_dom_free(d);
}
END_TEST

START_TEST(subop_policy)
{
	struct domain *d = fake_dom_new(1);

	ck_assert_int_eq(fake_call(d, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, ARG, 0), -EPERM);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_sched_op, 99, ARG, 0), -ENOSYS);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_console_io, CONSOLEIO_read, 1, ARG), -EPERM);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_xen_version, 99, ARG, 0), -ENOSYS);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_event_channel_op, EVTCHNOP_init_control, ARG, 0), -ENOSYS);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_hvm_op, HVMOP_pagetable_dying, ARG, 0), -ENOSYS);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_exchange, ARG, 0), -ENOSYS);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_vcpu_op, 0, 5, ARG), -ENOENT); /* no vCPU 5 */
	fake_dom_free(d);
}
END_TEST

START_TEST(xen_version_and_features)
{
	struct domain *d = fake_dom_new(1);
	struct xen_feature_info *fi = (void *)(d->vm.mem + ARG);
	char *s = (char *)d->vm.mem + ARG;

	ck_assert_int_eq(fake_call(d, __HYPERVISOR_xen_version, XENVER_version, 0, 0), 0x40011);
	fi->submap_idx = 0;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_xen_version, XENVER_get_features, ARG, 0), 0);
	ck_assert(fi->submap & (1u << XENFEAT_auto_translated_physmap));
	ck_assert(!(fi->submap & (1u << XENFEAT_hvm_safe_pvclock)));
	fi->submap_idx = 1;
	fi->submap = 0x1234;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_xen_version, XENVER_get_features, ARG, 0), -EINVAL);
	ck_assert_uint_eq(fi->submap, 0x1234);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_xen_version, XENVER_extraversion, ARG, 0), 0);
	ck_assert_str_eq(s, ".0-pvx");
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_xen_version, XENVER_extraversion, FAKE_RAM - 4, 0), -EFAULT);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0), 4096);
	fake_dom_free(d);
}
END_TEST

static size_t log_bytes(struct domain *d, char *buf, size_t cap)
{
	uint64_t first, next;

	return textring_read(&d->log, 0, buf, cap, &first, &next);
}

START_TEST(console_write_validates_first)
{
	struct domain *d = fake_dom_new(1);
	char buf[64];

	memcpy(d->vm.mem + ARG, "abc", 3);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_console_io, CONSOLEIO_write, 3, ARG), 0);
	ck_assert_uint_eq(log_bytes(d, buf, sizeof(buf)), 3);
	ck_assert_int_eq(memcmp(buf, "abc", 3), 0);
	/* Crossing the end of RAM: nothing of it may be logged. */
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_console_io, CONSOLEIO_write, 16, FAKE_RAM - 8), -EFAULT);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_console_io, CONSOLEIO_write, 4, 1ull << 40), -EFAULT);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_console_io, CONSOLEIO_write, 1u << 30, ARG), -EINVAL);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_console_io, CONSOLEIO_write, ~0ull, ARG), -EINVAL);
	ck_assert_uint_eq(log_bytes(d, buf, sizeof(buf)), 3);
	fake_dom_free(d);
}
END_TEST

START_TEST(hvm_params)
{
	struct domain *d = fake_dom_new(1);
	struct xen_hvm_param *p = (void *)(d->vm.mem + ARG);

	d->hvm_param[HVM_PARAM_STORE_PFN] = 0xfeff9;
	*p = (struct xen_hvm_param){ .domid = DOMID_SELF, .index = HVM_PARAM_STORE_PFN, .value = 1 };
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_hvm_op, HVMOP_set_param, ARG, 0), -EPERM);
	ck_assert_uint_eq(d->hvm_param[HVM_PARAM_STORE_PFN], 0xfeff9);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_hvm_op, HVMOP_get_param, ARG, 0), 0);
	ck_assert_uint_eq(p->value, 0xfeff9);
	*p = (struct xen_hvm_param){ .domid = DOMID_SELF, .index = HVM_NR_PARAMS, .value = 1 };
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_hvm_op, HVMOP_get_param, ARG, 0), -EINVAL);
	*p = (struct xen_hvm_param){ .domid = 3, .index = HVM_PARAM_CALLBACK_IRQ, .value = 1 };
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_hvm_op, HVMOP_set_param, ARG, 0), -EPERM);
	p->domid = FAKE_DOMID;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_hvm_op, HVMOP_set_param, ARG, 0), 0);
	ck_assert_uint_eq(d->hvm_param[HVM_PARAM_CALLBACK_IRQ], 1);
	fake_dom_free(d);
}
END_TEST

START_TEST(upcall_vector_checks)
{
	struct domain *d = fake_dom_new(2);
	struct xen_hvm_evtchn_upcall_vector *u = (void *)(d->vm.mem + ARG);

	*u = (struct xen_hvm_evtchn_upcall_vector){ .vcpu = 1, .vector = 0x0F };
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, ARG, 0), -EINVAL);
	u->vcpu = 2;
	u->vector = 0xF3;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, ARG, 0), -ENOENT);
	ck_assert_uint_eq(d->vcpus[1].upcall_vector, 0);
	u->vcpu = 1;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, ARG, 0), 0);
	ck_assert_uint_eq(d->vcpus[1].upcall_vector, 0xF3);
	fake_dom_free(d);
}
END_TEST

START_TEST(shared_info_placement)
{
	struct domain *d = fake_dom_new(1);
	struct xen_add_to_physmap *a = (void *)(d->vm.mem + ARG);
	struct shared_info *old = d->shinfo;

	old->evtchn_pending[3] = 0x55;
	*a = (struct xen_add_to_physmap){ .domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info, .gpfn = PVX_MMIO_HOLE >> 12 };
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0), -EINVAL);
	a->gpfn = 1ull << 40;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0), -EINVAL);
	a->gpfn = 0x10;
	a->idx = 1;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0), -EINVAL);
	ck_assert_ptr_eq(d->shinfo, old);
	memset(d->vm.mem + 0x10000, 0xEE, 4096); /* guest garbage */
	a->idx = 0;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0), 0);
	ck_assert_ptr_eq(d->shinfo, (void *)(d->vm.mem + 0x10000));
	ck_assert_uint_eq(d->shinfo->evtchn_pending[3], 0x55);
	ck_assert_uint_eq(d->shinfo->evtchn_mask[0], 0);
	fake_dom_free(d);
}
END_TEST

START_TEST(decrease_reservation)
{
	struct domain *d = fake_dom_new(1);
	struct xen_memory_reservation *r = (void *)(d->vm.mem + ARG);
	uint64_t *gfns = (void *)(d->vm.mem + ARG + 0x100);
	uint64_t pages = d->nr_pages;

	memset(d->vm.mem + 0x100000, 0x77, 2 * 4096);
	gfns[0] = 0x100;
	gfns[1] = 0x101;
	*r = (struct xen_memory_reservation){ .extent_start = ARG + 0x100,
		.nr_extents = 2, .domid = DOMID_SELF };
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_decrease_reservation, ARG, 0), 2);
	ck_assert_uint_eq(d->nr_pages, pages - 2);
	ck_assert_uint_eq(d->vm.mem[0x100000], 0);     /* really released */
	ck_assert_uint_eq(d->vm.mem[0x101FFF], 0);
	/* Again: the first extent is already out, nothing more happens. */
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_decrease_reservation, ARG, 0), 0);
	ck_assert_uint_eq(d->nr_pages, pages - 2);
	gfns[0] = 0x102;
	gfns[1] = FAKE_RAM / 4096;                      /* beyond RAM */
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_decrease_reservation, ARG, 0), 1);
	ck_assert_uint_eq(d->nr_pages, pages - 3);
	r->extent_order = 20;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_decrease_reservation, ARG, 0), -EINVAL);
	r->extent_order = 0;
	r->nr_extents = ~0ull;                          /* huge count, bounded */
	gfns[0] = 0x200;
	gfns[1] = 0x200;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_decrease_reservation, ARG, 0), 1);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_current_reservation, ARG + 0x18, 0),
			 (long)(pages - 4));
	fake_dom_free(d);
}
END_TEST

/* Balloon rules: populate stops at maxmem (-ENOMEM inside, the count
 * outside), increase_reservation is populate, shared_info in RAM stays,
 * Xen's continuation start is honoured, a run is released as a whole,
 * and mem-max stays within the RAM layout. */
START_TEST(balloon_rules)
{
	struct domain *d = fake_dom_new(1);
	struct xen_memory_reservation *r = (void *)(d->vm.mem + ARG);
	uint64_t *gfns = (void *)(d->vm.mem + ARG + 0x100);
	uint64_t pages = d->nr_pages;

	memset(d->vm.mem + 0x200000, 0x66, 4 * 4096);
	for (int i = 0; i < 4; i++)
		gfns[i] = 0x200 + (uint64_t)i;
	*r = (struct xen_memory_reservation){ .extent_start = ARG + 0x100,
		.nr_extents = 4, .domid = DOMID_SELF };
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_decrease_reservation, ARG, 0), 4);
	for (int i = 0; i < 4 * 4096; i += 512)
		ck_assert_uint_eq(d->vm.mem[0x200000 + i], 0);
	ck_assert_int_eq(dom_set_maxmem(d, (pages - 2) * 4), 0);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_populate_physmap, ARG, 0), 2);
	ck_assert_uint_eq(d->nr_pages, pages - 2);
	*(uint16_t *)(d->vm.mem + ARG + 0x80) = DOMID_SELF;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_current_reservation, ARG + 0x80, 0),
			 (long)(pages - 2));
	ck_assert_int_eq(dom_set_maxmem(d, pages * 4), 0);
	/* continuation: start at extent 3 (0x202, 0x203 are out) */
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_increase_reservation | (3 << 6), ARG, 0), 4);
	ck_assert_uint_eq(d->nr_pages, pages - 1);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_populate_physmap | (9 << 6), ARG, 0), 9);
	gfns[0] = 0x202;
	r->nr_extents = 1;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_populate_physmap, ARG, 0), 1);
	ck_assert_uint_eq(d->nr_pages, pages);
	ck_assert_uint_eq(d->vm.mem[0x202000], 0);
	/* shared_info placed in RAM is not the guest's to give away */
	d->shinfo_gpa = 0x300000;
	gfns[0] = 0x300;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_decrease_reservation, ARG, 0), 0);
	r->extent_order = 9;
	gfns[0] = 0x200;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_decrease_reservation, ARG, 0), 0);
	d->shinfo_gpa = 0;
	ck_assert_uint_eq(d->nr_pages, pages);
	ck_assert_int_eq(dom_set_maxmem(d, pages * 4 + 4), -EINVAL);  /* above the layout */
	ck_assert_int_eq(dom_set_maxmem(d, 1022), -EINVAL);
	ck_assert_int_eq(dom_set_maxmem(d, 1026), -EINVAL);           /* not whole pages */
	fake_dom_free(d);
}
END_TEST

START_TEST(memory_map)
{
	struct domain *d = fake_dom_new(1);
	struct xen_memory_map *m = (void *)(d->vm.mem + ARG);
	struct xen_e820_entry *e = (void *)(d->vm.mem + ARG + 0x100);

	*m = (struct xen_memory_map){ .nr_entries = 16, .buffer = ARG + 0x100 };
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_memory_map, ARG, 0), 0);
	ck_assert_uint_eq(m->nr_entries, 4);
	ck_assert_uint_eq(e[0].addr, 0);
	ck_assert_uint_eq(e[0].type, 1);
	ck_assert_uint_eq(e[1].addr, 0xA0000);
	ck_assert_uint_eq(e[1].type, 2);
	ck_assert_uint_eq(e[2].addr + e[2].size, FAKE_RAM);
	ck_assert_uint_eq(e[3].addr, PVX_SPECIAL_GPA);
	m->nr_entries = 2;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_memory_map, ARG, 0), 0);
	ck_assert_uint_eq(m->nr_entries, 2);
	fake_dom_free(d);
}
END_TEST

START_TEST(shutdown_reasons)
{
	struct domain *d = fake_dom_new(1);
	uint32_t *reason = (void *)(d->vm.mem + ARG);

	*reason = SHUTDOWN_MAX + 1;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_sched_op, SCHEDOP_shutdown, ARG, 0), -EINVAL);
	ck_assert_int_eq(d->state, PVX_DOM_RUNNING);
	*reason = SHUTDOWN_watchdog;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_sched_op, SCHEDOP_shutdown_code, ARG, 0), 0);
	ck_assert_uint_eq(d->shutdown_code, SHUTDOWN_watchdog);
	ck_assert_int_eq(d->state, PVX_DOM_RUNNING);
	*reason = SHUTDOWN_crash;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_sched_op, SCHEDOP_shutdown, ARG, 0), 0);
	ck_assert_int_eq(d->state, PVX_DOM_CRASHED);
	ck_assert_int_eq(d->shutdown_reason, SHUTDOWN_crash);
	fake_dom_free(d);
}
END_TEST

START_TEST(evtchn_out_pointer_checked_before_bind)
{
	struct domain *d = fake_dom_new(1);
	struct evtchn_alloc_unbound *a = (void *)(d->vm.mem + FAKE_RAM - 4);
	struct evtchn_status st;

	ck_assert_int_eq(evtchn_dom_add(FAKE_DOMID, 1, &dom_evtchn_ops, d), 0);
	(void)a;
	/* The struct straddles the end of RAM: -EFAULT, and no port bound. */
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_event_channel_op,
				   EVTCHNOP_alloc_unbound, FAKE_RAM - 4, 0), -EFAULT);
	ck_assert_int_eq(evtchn_status(FAKE_DOMID, 1, &st), 0);
	ck_assert_uint_eq(st.status, EVTCHNSTAT_closed);
	evtchn_dom_remove(FAKE_DOMID);
	fake_dom_free(d);
}
END_TEST

Suite *make_hcall_suite(void)
{
	Suite *s = suite_create("hcall");
	TCase *t = tcase_create("hcall");

	tcase_add_test(t, unset_slots_enosys);
	tcase_add_test(t, out_of_range_enosys);
	tcase_add_test(t, priv_entries_eperm_for_domu);
	tcase_add_test(t, subop_policy);
	tcase_add_test(t, xen_version_and_features);
	tcase_add_test(t, console_write_validates_first);
	tcase_add_test(t, hvm_params);
	tcase_add_test(t, upcall_vector_checks);
	tcase_add_test(t, shared_info_placement);
	tcase_add_test(t, decrease_reservation);
	tcase_add_test(t, balloon_rules);
	tcase_add_test(t, memory_map);
	tcase_add_test(t, shutdown_reasons);
	tcase_add_test(t, evtchn_out_pointer_checked_before_bind);
	suite_add_tcase(s, t);
	return s;
}

/*
 * The pv platform's checks that need no guest process: vCPUs past 0
 * exist but stay down (no SET_BOOT for them),
 * boot state and callback above PVX_PV_RAM_FLOOR and inside RAM,
 * shared_info only inside RAM, no upcall vector, GVA = GPA, and an
 * unpause before SET_BOOT refused. Real domains are created on the real
 * platform_pv (its pages come from the real pvproc library); the guest
 * process itself is exercised by the integration tests.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pvx/pv.h>
#include <xen/public/callback.h>
#include <xen/public/hvm/hvm_op.h>
#include <xen/public/memory.h>
#include <xen/public/version.h>

#include "harness.h"
#include "evtchn.h"
#include "platform_pv.h"

#define ARG 0x30000ull

static const struct platform_ops *const only_pv[PVX_TYPE_COUNT] = {
	[PVX_TYPE_PV] = &platform_pv,
};

static void setup(void)
{
	ck_assert_int_eq(vcpu_signal_init(), 0);
	ck_assert_int_eq(evtchn_init(), 0);
	platform_set_table(only_pv, PVX_TYPE_BIT(PVX_TYPE_PV));
}

static void teardown(void)
{
	platform_set_table(NULL, 0);
	evtchn_exit();
}

static struct domain *create(unsigned vcpus, int *err)
{
	struct pvx_ctl_create_req req;
	struct domain *d = NULL;

	memset(&req, 0, sizeof(req));
	snprintf(req.name, sizeof(req.name), "pv%u", vcpus);
	req.mem_kib = 4096;
	req.vcpus = vcpus;
	req.type = PVX_TYPE_PV;
	*err = dom_create(&req, &d);
	return *err == 0 ? d : NULL;
}

static long call(struct domain *d, uint64_t nr, uint64_t a0, uint64_t a1)
{
	struct hc_ctx c;

	memset(&c, 0, sizeof(c));
	c.d = d;
	c.v = &d->vcpus[0];
	c.nr = nr;
	c.arg[0] = a0;
	c.arg[1] = a1;
	return hcall_dispatch(&c); /* guest_mode from the platform */
}

START_TEST(secondary_vcpus_stay_down)
{
	int err;
	struct domain *d = create(2, &err);
	struct pvx_ctl_boot_req b = { .vcpu = 1, .entry = 0x100000,
				      .start_info_gpa = PVX_PV_RAM_FLOOR };

	ck_assert_int_eq(err, 0);
	ck_assert_uint_eq(d->nr_vcpus, 2);
	ck_assert_int_eq(dom_set_boot(d, &b), -EINVAL); /* vCPU 1: down */
	b.vcpu = 0;
	ck_assert_int_eq(dom_set_boot(d, &b), 0);
	dom_destroy(d);
	ck_assert_uint_eq(dom_count(), 0);
}
END_TEST

START_TEST(boot_state_checks)
{
	int err;
	struct domain *d = create(1, &err);
	struct pvx_ctl_boot_req b = { .vcpu = 0, .entry = 0x100000,
				      .start_info_gpa = PVX_PV_RAM_FLOOR - 8 };

	ck_assert_int_eq(err, 0);
	ck_assert_str_eq(d->plat->name, "pv");
	ck_assert_int_eq(d->vm.fd, -1);      /* no KVM VM */
	ck_assert_int_eq(dom_unpause(d), -EINVAL); /* no SET_BOOT yet */
	ck_assert_uint_eq(d->state, PVX_DOM_CREATED);
	ck_assert_int_eq(dom_set_boot(d, &b), -EINVAL); /* below the floor */
	b.start_info_gpa = PVX_PV_RAM_FLOOR;
	b.entry = 0x400000;                  /* = RAM size: outside */
	ck_assert_int_eq(dom_set_boot(d, &b), -EINVAL);
	b.entry = 0x100000;
	ck_assert_int_eq(dom_set_boot(d, &b), 0);
	dom_destroy(d);
}
END_TEST

START_TEST(hypercalls_that_do_not_apply)
{
	int err;
	struct domain *d = create(1, &err);
	struct xen_add_to_physmap *a = (void *)(d->vm.mem + ARG);
	struct xen_hvm_evtchn_upcall_vector *u = (void *)(d->vm.mem + ARG);
	struct shared_info *old = d->shinfo;

	*a = (struct xen_add_to_physmap){ .domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info, .gpfn = 0x100000 };
	ck_assert_int_eq(call(d, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG), -EINVAL);
	ck_assert_ptr_eq(d->shinfo, old);
	a->gpfn = 0x20;                      /* inside RAM: as on pvh */
	ck_assert_int_eq(call(d, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG), 0);
	ck_assert_ptr_eq(d->shinfo, (void *)(d->vm.mem + 0x20000));

	ck_assert_int_eq(call(d, __HYPERVISOR_xen_version, XENVER_capabilities, ARG), 0);
	ck_assert_str_eq((char *)d->vm.mem + ARG, "xen-3.0-x86_64");

	*u = (struct xen_hvm_evtchn_upcall_vector){ .vcpu = 0, .vector = 0xF3 };
	/* The null page is RAM in the memfd but not in the process. */
	ck_assert_int_eq(call(d, __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, 0x10), -EFAULT);
	ck_assert_int_eq(call(d, __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, ARG), -EOPNOTSUPP);
	dom_destroy(d);
}
END_TEST

START_TEST(callback_register)
{
	int err;
	struct domain *d = create(1, &err);
	struct callback_register *r = (void *)(d->vm.mem + ARG);

	*r = (struct callback_register){ .type = CALLBACKTYPE_event,
		.address = PVX_PV_RAM_FLOOR - 16 };
	ck_assert_int_eq(call(d, __HYPERVISOR_callback_op, CALLBACKOP_register, ARG), -EINVAL);
	r->address = 0x400000;
	ck_assert_int_eq(call(d, __HYPERVISOR_callback_op, CALLBACKOP_register, ARG), -EINVAL);
	r->address = 0x12340;
	r->flags = CALLBACKF_mask_events;
	ck_assert_int_eq(call(d, __HYPERVISOR_callback_op, CALLBACKOP_register, ARG), 0);
	ck_assert_uint_eq(d->pv->callback, 0x12340);
	ck_assert_uint_eq(d->pv->callback_flags, CALLBACKF_mask_events);
	dom_destroy(d);
}
END_TEST

Suite *make_platform_pv_suite(void)
{
	Suite *s = suite_create("platform_pv");
	TCase *t = tcase_create("checks");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, secondary_vcpus_stay_down);
	tcase_add_test(t, boot_state_checks);
	tcase_add_test(t, hypercalls_that_do_not_apply);
	tcase_add_test(t, callback_register);
	suite_add_tcase(s, t);
	return s;
}

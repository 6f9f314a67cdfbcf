/*
 * The platform interface: pvxd's core over a fake platform (harness.c).
 * Every place where the core hands work to the domain's platform is
 * checked to reach the fake's op: create/destroy, vCPU init, threads
 * running and parking (kick, pause, crash), boot state, event delivery
 * to inject_upcall, pointer translation in hypercall dispatch, shared_info
 * placement, and the choice of platform by type (-EINVAL / -ENODEV).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <xen/public/callback.h>
#include <xen/public/hvm/hvm_op.h>
#include <xen/public/memory.h>
#include <xen/public/version.h>

#include "harness.h"
#include "ctl.h"
#include "evtchn.h"
#include "pvxd.h"

#define ARG 0x3000ull

static const struct platform_ops *const only_fake[PVX_TYPE_COUNT] = {
	[PVX_TYPE_PVH] = &fake_platform,
};

static void setup(void)
{
	memset(&fake_plat, 0, sizeof(fake_plat));
	ck_assert_int_eq(vcpu_signal_init(), 0);
	ck_assert_int_eq(evtchn_init(), 0);
	platform_set_table(only_fake, PVX_TYPE_BIT(PVX_TYPE_PVH));
}

static void teardown(void)
{
	platform_set_table(NULL, 0);
	evtchn_exit();
}

static int count(int *field)
{
	return __atomic_load_n(field, __ATOMIC_SEQ_CST);
}

/* Waits up to 2 s for *field to reach at least n. */
static bool wait_count(int *field, int n)
{
	for (int i = 0; i < 2000 && count(field) < n; i++)
		usleep(1000);
	return count(field) >= n;
}

static struct domain *create(uint32_t type, unsigned vcpus, int *err)
{
	struct pvx_ctl_create_req req;
	struct domain *d = NULL;

	memset(&req, 0, sizeof(req));
	snprintf(req.name, sizeof(req.name), "plat%u", type);
	req.mem_kib = 4096;
	req.vcpus = vcpus;
	req.type = type;
	*err = dom_create(&req, &d);
	return *err == 0 ? d : NULL;
}

START_TEST(type_picks_platform)
{
	int err;

	ck_assert_ptr_null(create(PVX_TYPE_PV, 1, &err));
	ck_assert_int_eq(err, -ENODEV);      /* known type, not on this host */
	ck_assert_ptr_null(create(PVX_TYPE_COUNT, 1, &err));
	ck_assert_int_eq(err, -EINVAL);      /* unknown type */
	ck_assert_int_eq(fake_plat.dom_create, 0);
	ck_assert_uint_eq(platform_types(), PVX_TYPE_BIT(PVX_TYPE_PVH));

	struct pvx_ctl_create_req req = { .name = "x", .mem_kib = 4096,
					  .vcpus = 1, .type = PVX_TYPE_COUNT };
	ck_assert_int_eq(ctl_check_create(&req, 1 << 20), -EINVAL);
	req.type = PVX_TYPE_PV;
	ck_assert_int_eq(ctl_check_create(&req, 1 << 20), 0);
}
END_TEST

START_TEST(create_destroy_through_ops)
{
	struct pvx_ctl_dominfo info;
	int err;
	struct domain *d = create(PVX_TYPE_PVH, 2, &err);

	ck_assert_int_eq(err, 0);
	ck_assert_ptr_eq(d->plat, &fake_platform);
	ck_assert_int_eq(fake_plat.dom_create, 1);
	ck_assert_int_eq(fake_plat.vcpu_init, 2);
	ck_assert_uint_eq(d->tsc_khz, 1000000);  /* from the platform */
	ck_assert(wait_count(&fake_plat.vcpu_thread_init, 2));
	ck_assert_int_eq(count(&fake_plat.vcpu_run), 0); /* created paused */
	dom_info(d, &info);
	ck_assert_uint_eq(info.type, PVX_TYPE_PVH);
	dom_destroy(d);
	ck_assert_int_eq(fake_plat.dom_kill, 1);
	ck_assert_int_eq(fake_plat.vcpu_dispose, 2);
	ck_assert_int_eq(fake_plat.dom_destroy, 1);
}
END_TEST

START_TEST(create_failure_unwinds)
{
	int err;

	fake_plat.create_ret = -ENOMEM;
	ck_assert_ptr_null(create(PVX_TYPE_PVH, 1, &err));
	ck_assert_int_eq(err, -ENOMEM);
	ck_assert_int_eq(fake_plat.dom_destroy, 1);
	ck_assert_uint_eq(dom_count(), 0);
}
END_TEST

START_TEST(run_pause_kick)
{
	int err, runs;
	struct domain *d = create(PVX_TYPE_PVH, 1, &err);
	struct pvx_ctl_boot_req b = { .vcpu = 0, .entry = 0x100000,
				      .start_info_gpa = 0x2000 };

	ck_assert_int_eq(dom_set_boot(d, &b), 0);
	ck_assert_int_eq(fake_plat.vcpu_set_boot, 1);
	ck_assert_uint_eq(fake_plat.boot_entry, 0x100000);
	ck_assert_uint_eq(fake_plat.boot_start_info, 0x2000);
	b.entry = 4096ull << 20;   /* outside RAM: refused before the op */
	ck_assert_int_eq(dom_set_boot(d, &b), -EINVAL);
	ck_assert_int_eq(fake_plat.vcpu_set_boot, 1);

	ck_assert_int_eq(dom_unpause(d), 0);
	ck_assert_int_eq(fake_plat.dom_start, 1);
	ck_assert(wait_count(&fake_plat.vcpu_run, 3));
	ck_assert_int_eq(dom_pause(d), 0);    /* returns once parked */
	ck_assert_int_ge(fake_plat.dom_freeze, 1);
	ck_assert_int_ge(fake_plat.vcpu_kick, 1);
	ck_assert_int_ge(count(&fake_plat.vcpu_kick_ack), 1);
	runs = count(&fake_plat.vcpu_run);
	usleep(20000);
	ck_assert_int_eq(count(&fake_plat.vcpu_run), runs); /* really parked */

	fake_plat.start_ret = -EIO;          /* the platform cannot resume */
	ck_assert_int_eq(dom_unpause(d), -EIO);
	ck_assert_uint_eq(d->state, PVX_DOM_PAUSED);
	dom_destroy(d);
}
END_TEST

START_TEST(fatal_run_crashes_domain)
{
	int err;
	struct domain *d = create(PVX_TYPE_PVH, 1, &err);
	char log[4096];
	uint64_t off, next;
	size_t n;

	fake_plat.run_crash = "host system call 2 (open) at 0x1234";
	ck_assert_int_eq(dom_unpause(d), 0);
	for (int i = 0; i < 2000 && __atomic_load_n(&d->state, __ATOMIC_SEQ_CST) !=
	     PVX_DOM_CRASHED; i++)
		usleep(1000);
	ck_assert_uint_eq(d->state, PVX_DOM_CRASHED);
	ck_assert_int_ge(fake_plat.dom_freeze, 1); /* the guest runs no more */
	n = textring_read(&d->log, 0, log, sizeof(log) - 1, &off, &next);
	log[n] = '\0';
	ck_assert_ptr_nonnull(strstr(log, "crashed: host system call 2 (open) at 0x1234"));
	dom_destroy(d);
}
END_TEST

START_TEST(dispatch_translates_through_ops)
{
	struct domain *d = fake_dom_new(1);
	struct hc_ctx c;

	fake_ctx(&c, d, __HYPERVISOR_xen_version, XENVER_extraversion, ARG, 0);
	c.have_mode = false;                 /* as a real exit leaves it */
	ck_assert_int_eq(hcall_dispatch(&c), 0);
	ck_assert_int_eq(fake_plat.guest_mode, 1);
	ck_assert_str_eq((char *)d->vm.mem + ARG, PVX_XEN_EXTRAVERSION);

	fake_plat.mode_ret = -EFAULT;        /* registers unreadable */
	fake_ctx(&c, d, __HYPERVISOR_xen_version, XENVER_extraversion, ARG, 0);
	c.have_mode = false;
	ck_assert_int_eq(hcall_dispatch(&c), -EFAULT);
	fake_dom_free(d);
}
END_TEST

START_TEST(shared_info_outside_ram_through_ops)
{
	struct domain *d = fake_dom_new(1);
	struct xen_add_to_physmap *a = (void *)(d->vm.mem + ARG);

	*a = (struct xen_add_to_physmap){ .domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info, .gpfn = 0x100000 };
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0), 0);
	ck_assert_int_eq(fake_plat.map_xpage, 1);
	ck_assert_uint_eq(fake_plat.xpage_gpa, 0x100000000ull);
	ck_assert_ptr_eq(d->shinfo, (void *)d->vm.xpage);
	fake_dom_free(d);
}
END_TEST

START_TEST(upcall_vector_needs_platform)
{
	struct domain *d = fake_dom_new(1);
	struct xen_hvm_evtchn_upcall_vector *u = (void *)(d->vm.mem + ARG);
	struct platform_ops no_lapic = fake_platform;

	no_lapic.upcall_vector = false;
	d->plat = &no_lapic;
	*u = (struct xen_hvm_evtchn_upcall_vector){ .vcpu = 0, .vector = 0xF3 };
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, ARG, 0), -EOPNOTSUPP);
	ck_assert_uint_eq(d->vcpus[0].upcall_vector, 0);
	fake_dom_free(d);
}
END_TEST

START_TEST(event_reaches_inject_upcall)
{
	struct domain *d = fake_dom_new(2);
	evtchn_port_t port;
	struct vcpu_info *vi = &d->shinfo->vcpu_info[1];

	ck_assert_int_eq(evtchn_dom_add(FAKE_DOMID, 2, &dom_evtchn_ops, d), 0);
	ck_assert_int_eq(evtchn_bind_virq(FAKE_DOMID, VIRQ_TIMER, 1, &port), 0);
	vi->evtchn_upcall_mask = 1;          /* masked: no upcall */
	ck_assert_int_eq(evtchn_raise_virq(FAKE_DOMID, 1, VIRQ_TIMER), 0);
	ck_assert_int_eq(fake_plat.inject_upcall, 0);
	ck_assert_uint_eq(vi->evtchn_upcall_pending, 1);
	vi->evtchn_upcall_mask = 0;
	vi->evtchn_upcall_pending = 0;
	d->shinfo->evtchn_pending[0] = 0;
	vi->evtchn_pending_sel = 0;
	ck_assert_int_eq(evtchn_raise_virq(FAKE_DOMID, 1, VIRQ_TIMER), 0);
	ck_assert_int_eq(fake_plat.inject_upcall, 1);
	ck_assert_uint_eq(fake_plat.upcall_vcpu, 1);
	evtchn_dom_remove(FAKE_DOMID);
	fake_dom_free(d);
}
END_TEST

START_TEST(callback_op_checks)
{
	struct domain *d = fake_dom_new(1);
	struct callback_register *r = (void *)(d->vm.mem + ARG);
	struct callback_unregister *u = (void *)(d->vm.mem + ARG);
	struct platform_ops no_cb = fake_platform;
	static const struct { uint16_t type, flags; uint64_t addr; long ret; } t[] = {
		{ CALLBACKTYPE_failsafe, 0, 0x20000, -EINVAL },
		{ CALLBACKTYPE_event, 2, 0x20000, -EINVAL },      /* unknown flag */
		{ CALLBACKTYPE_event, 0, FAKE_RAM, -EINVAL },     /* past RAM */
		{ CALLBACKTYPE_event, 0, 0, -EINVAL },
		{ CALLBACKTYPE_event, CALLBACKF_mask_events, 0x20000, 0 },
	};

	ck_assert_uint_eq(sizeof(*r), 16);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		*r = (struct callback_register){ .type = t[i].type,
			.flags = t[i].flags, .address = t[i].addr };
		ck_assert_int_eq(fake_call(d, __HYPERVISOR_callback_op,
					   CALLBACKOP_register, ARG, 0), t[i].ret);
	}
	ck_assert_int_eq(fake_plat.set_event_callback, 1);
	ck_assert_uint_eq(fake_plat.callback, 0x20000);
	*u = (struct callback_unregister){ .type = CALLBACKTYPE_event };
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_callback_op, CALLBACKOP_unregister, ARG, 0), 0);
	ck_assert_uint_eq(fake_plat.callback, 0);
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_callback_op, 2, ARG, 0), -ENOSYS);

	no_cb.set_event_callback = NULL;     /* pvh: vectors, no callbacks */
	d->plat = &no_cb;
	*r = (struct callback_register){ .type = CALLBACKTYPE_event, .address = 0x20000 };
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_callback_op, CALLBACKOP_register, ARG, 0), -ENOSYS);
	fake_dom_free(d);
}
END_TEST

Suite *make_platform_suite(void)
{
	Suite *s = suite_create("platform");
	TCase *t = tcase_create("ops");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, type_picks_platform);
	tcase_add_test(t, create_destroy_through_ops);
	tcase_add_test(t, create_failure_unwinds);
	tcase_add_test(t, run_pause_kick);
	tcase_add_test(t, fatal_run_crashes_domain);
	tcase_add_test(t, dispatch_translates_through_ops);
	tcase_add_test(t, shared_info_outside_ram_through_ops);
	tcase_add_test(t, upcall_vector_needs_platform);
	tcase_add_test(t, event_reaches_inject_upcall);
	tcase_add_test(t, callback_op_checks);
	tcase_set_timeout(t, 20);
	suite_add_tcase(s, t);
	return s;
}

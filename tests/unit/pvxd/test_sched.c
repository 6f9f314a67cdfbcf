/*
 * sched_op's blocking calls on a fake domain, for the cases that must
 * not block: argument checks, a port already pending, a deadline already
 * past, block with an upcall pending (which also unmasks events).
 */
#include <errno.h>
#include <string.h>

#include <xen/public/sched.h>

#include "harness.h"
#include "evtchn.h"

#define ARG   0x3000ull
#define PORTS 0x3100ull

static struct domain *setup_dom(void)
{
	struct domain *d = fake_dom_new(1);

	ck_assert_int_eq(evtchn_dom_add(FAKE_DOMID, 1, &dom_evtchn_ops, d), 0);
	return d;
}

static void drop_dom(struct domain *d)
{
	evtchn_dom_remove(FAKE_DOMID);
	fake_dom_free(d);
}

static long poll_call(struct domain *d, uint32_t nr, uint64_t timeout)
{
	struct sched_poll *sp = (void *)(d->vm.mem + ARG);

	*sp = (struct sched_poll){ .ports = PORTS, .nr_ports = nr, .timeout = timeout };
	return fake_call(d, __HYPERVISOR_sched_op, SCHEDOP_poll, ARG, 0);
}

START_TEST(poll_argument_checks)
{
	struct domain *d = setup_dom();
	uint32_t *ports = (void *)(d->vm.mem + PORTS);

	ck_assert_int_eq(poll_call(d, 129, 1), -EINVAL);
	ports[0] = 0;
	ck_assert_int_eq(poll_call(d, 1, 1), -EINVAL);
	ports[0] = EVTCHN_MAX_PORTS;
	ck_assert_int_eq(poll_call(d, 1, 1), -EINVAL);
	/* The ports array runs off the end of RAM. */
	struct sched_poll *sp = (void *)(d->vm.mem + ARG);
	*sp = (struct sched_poll){ .ports = FAKE_RAM - 4, .nr_ports = 2, .timeout = 1 };
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_sched_op, SCHEDOP_poll, ARG, 0), -EFAULT);
	drop_dom(d);
}
END_TEST

START_TEST(poll_returns_when_pending_or_late)
{
	struct domain *d = setup_dom();
	uint32_t *ports = (void *)(d->vm.mem + PORTS);
	evtchn_port_t p;

	ck_assert_int_eq(evtchn_bind_ipi(FAKE_DOMID, 0, &p), 0);
	ports[0] = p;
	/* Nothing pending, deadline (system time 1 ns) already past. */
	ck_assert_int_eq(poll_call(d, 1, 1), 0);
	/* Pending, even masked: returns at once with no timeout. */
	d->shinfo->evtchn_mask[0] = ~0ull;
	ck_assert_int_eq(evtchn_send(FAKE_DOMID, p), 0);
	ck_assert_int_eq(poll_call(d, 1, 0), 0);
	ck_assert_uint_eq(d->vcpus[0].blocked, 0);
	drop_dom(d);
}
END_TEST

START_TEST(block_unmasks_and_returns_when_pending)
{
	struct domain *d = setup_dom();
	struct vcpu_info *vi = &d->shinfo->vcpu_info[0];

	vi->evtchn_upcall_mask = 1;
	vi->evtchn_upcall_pending = 1;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0), 0);
	ck_assert_uint_eq(vi->evtchn_upcall_mask, 0);
	drop_dom(d);
}
END_TEST

START_TEST(blocked_vcpu_parks_and_leaves_when_dying)
{
	struct domain *d = setup_dom();

	/* Nothing will ever be pending, but the domain is dying (or paused):
	 * the wait ends early with 0, so the thread parks outside the
	 * hypercall with its result in the registers (save/restore). */
	d->dying = true;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0), 0);
	d->dying = false;
	d->paused = true;
	ck_assert_int_eq(fake_call(d, __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0), 0);
	d->paused = false;
	drop_dom(d);
}
END_TEST

Suite *make_sched_suite(void)
{
	Suite *s = suite_create("sched");
	TCase *t = tcase_create("sched");

	tcase_add_test(t, poll_argument_checks);
	tcase_add_test(t, poll_returns_when_pending_or_late);
	tcase_add_test(t, block_unmasks_and_returns_when_pending);
	tcase_add_test(t, blocked_vcpu_parks_and_leaves_when_dying);
	suite_add_tcase(s, t);
	return s;
}

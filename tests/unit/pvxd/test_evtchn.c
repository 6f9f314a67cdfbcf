/*
 * The event-channel state machine and 2-level delivery, with plain
 * memory as shared_info and a recording kick (no KVM).
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "harness.h"
#include "evtchn.h"

struct fake {
	struct shared_info si;
	int kicks[4];
	int upcalls[4];
};

static struct fake A, B; /* domains 1 and 2 */

static struct shared_info *f_si(void *o)
{
	return &((struct fake *)o)->si;
}

static struct vcpu_info *f_vi(void *o, unsigned v)
{
	return v < 4 ? &((struct fake *)o)->si.vcpu_info[v] : NULL;
}

static void f_kick(void *o, unsigned v, bool upcall)
{
	struct fake *f = o;

	if (v < 4) {
		f->kicks[v]++;
		f->upcalls[v] += upcall;
	}
}

static const struct evtchn_ops fops = { f_si, f_vi, f_kick };

static void setup(void)
{
	memset(&A, 0, sizeof(A));
	memset(&B, 0, sizeof(B));
	ck_assert_int_eq(evtchn_init(), 0);
	ck_assert_int_eq(evtchn_dom_add(1, 2, &fops, &A), 0);
	ck_assert_int_eq(evtchn_dom_add(2, 2, &fops, &B), 0);
}

static void teardown(void)
{
	evtchn_exit();
}

static bool pending(struct fake *f, evtchn_port_t p)
{
	return f->si.evtchn_pending[p / 64] & (1ull << (p % 64));
}

static uint32_t state(domid_t d, evtchn_port_t p)
{
	struct evtchn_status st;

	ck_assert_int_eq(evtchn_status(d, p, &st), 0);
	return st.status;
}

/* Domain 2 allocates for 1, 1 binds: returns 1's port, *p2 = 2's. */
static evtchn_port_t connect12(evtchn_port_t *p2)
{
	evtchn_port_t p1;

	ck_assert_int_eq(evtchn_alloc_unbound(2, 1, p2), 0);
	ck_assert_int_eq(evtchn_bind_interdomain(1, 2, *p2, &p1), 0);
	A.si.evtchn_pending[0] = 0; /* drop the bind-time event */
	memset(A.kicks, 0, sizeof(A.kicks));
	memset(A.upcalls, 0, sizeof(A.upcalls));
	A.si.vcpu_info[0].evtchn_pending_sel = 0;
	A.si.vcpu_info[0].evtchn_upcall_pending = 0;
	return p1;
}

START_TEST(bad_ports)
{
	static const evtchn_port_t bad[] = { 0, EVTCHN_MAX_PORTS, 4096, 0xFFFFFFFF };
	struct evtchn_status st;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(evtchn_send(1, bad[i]), -EINVAL);
		ck_assert_int_eq(evtchn_close(1, bad[i]), -EINVAL);
		ck_assert_int_eq(evtchn_unmask(1, bad[i]), -EINVAL);
		ck_assert_int_eq(evtchn_status(1, bad[i], &st), -EINVAL);
		ck_assert_int_eq(evtchn_bind_vcpu(1, bad[i], 0), -EINVAL);
	}
	/* A closed port cannot be sent on; unknown domains are -ESRCH. */
	ck_assert_int_eq(evtchn_send(1, 5), -EINVAL);
	ck_assert_int_eq(evtchn_send(9, 1), -ESRCH);
	ck_assert_int_eq(evtchn_close(9, 1), -ESRCH);
}
END_TEST

START_TEST(interdomain_delivery)
{
	evtchn_port_t p2, p1 = connect12(&p2);
	uint64_t raised1 = evtchn_dom_raised(1), raised2 = evtchn_dom_raised(2);
	struct evtchn_status st;

	ck_assert_uint_eq(state(1, p1), EVTCHNSTAT_interdomain);
	ck_assert_int_eq(evtchn_status(2, p2, &st), 0);
	ck_assert_uint_eq(st.status, EVTCHNSTAT_interdomain);
	ck_assert_uint_eq(st.u.interdomain.dom, 1);
	ck_assert_uint_eq(st.u.interdomain.port, p1);
	ck_assert_int_eq(evtchn_send(2, p2), 0);
	ck_assert(pending(&A, p1));
	ck_assert(A.si.vcpu_info[0].evtchn_pending_sel & (1ull << (p1 / 64)));
	ck_assert_uint_eq(A.si.vcpu_info[0].evtchn_upcall_pending, 1);
	ck_assert_int_eq(A.upcalls[0], 1);
	ck_assert_uint_eq(evtchn_dom_raised(1), raised1 + 1); /* pvx top's events */
	ck_assert_uint_eq(evtchn_dom_raised(2), raised2);
	/* Already pending: Xen does nothing more, but the send still counts. */
	ck_assert_int_eq(evtchn_send(2, p2), 0);
	ck_assert_int_eq(A.kicks[0], 1);
	ck_assert_uint_eq(evtchn_dom_raised(1), raised1 + 2);
	ck_assert_uint_eq(evtchn_dom_raised(9), 0); /* no such domain */
}
END_TEST

START_TEST(double_bind)
{
	evtchn_port_t p2, p1 = connect12(&p2), again, v;

	(void)p1;
	ck_assert_int_eq(evtchn_bind_interdomain(1, 2, p2, &again), -EINVAL);
	ck_assert_int_eq(evtchn_bind_virq(1, VIRQ_TIMER, 1, &v), 0);
	ck_assert_int_eq(evtchn_bind_virq(1, VIRQ_TIMER, 1, &again), -EEXIST);
	ck_assert_int_eq(evtchn_bind_virq(1, VIRQ_TIMER, 2, &again), -ENOENT);
	ck_assert_int_eq(evtchn_bind_virq(1, VIRQ_CONSOLE, 1, &again), -EINVAL);
	ck_assert_int_eq(evtchn_bind_virq(1, NR_VIRQS, 0, &again), -EINVAL);
	/* Only the domain named as remote may bind an unbound port. */
	ck_assert_int_eq(evtchn_alloc_unbound(2, 1, &p2), 0);
	ck_assert_int_eq(evtchn_bind_interdomain(2, 2, p2, &again), -EINVAL);
}
END_TEST

START_TEST(masked_then_unmask_reraises)
{
	evtchn_port_t p2, p1 = connect12(&p2);

	A.si.evtchn_mask[p1 / 64] |= 1ull << (p1 % 64);
	ck_assert_int_eq(evtchn_send(2, p2), 0);
	ck_assert(pending(&A, p1));
	ck_assert_uint_eq(A.si.vcpu_info[0].evtchn_pending_sel, 0);
	ck_assert_int_eq(A.upcalls[0], 0);
	ck_assert_int_eq(A.kicks[0], 1); /* pollers still woken */
	ck_assert_int_eq(evtchn_unmask(1, p1), 0);
	ck_assert(!(A.si.evtchn_mask[p1 / 64] & (1ull << (p1 % 64))));
	ck_assert(A.si.vcpu_info[0].evtchn_pending_sel & (1ull << (p1 / 64)));
	ck_assert_uint_eq(A.si.vcpu_info[0].evtchn_upcall_pending, 1);
	ck_assert_int_eq(A.upcalls[0], 1);
	/* Unmasking a port that is not pending raises nothing. */
	A.si.evtchn_pending[0] = 0;
	A.si.evtchn_mask[p1 / 64] |= 1ull << (p1 % 64);
	ck_assert_int_eq(evtchn_unmask(1, p1), 0);
	ck_assert_int_eq(A.upcalls[0], 1);
}
END_TEST

START_TEST(close_while_pending)
{
	evtchn_port_t p2, p1 = connect12(&p2), again;
	struct evtchn_status st;

	ck_assert_int_eq(evtchn_send(2, p2), 0);
	ck_assert(pending(&A, p1));
	ck_assert_int_eq(evtchn_close(1, p1), 0);
	ck_assert(!pending(&A, p1));
	ck_assert_uint_eq(state(1, p1), EVTCHNSTAT_closed);
	/* The peer is unbound again, for us, and can be re-bound. */
	ck_assert_int_eq(evtchn_status(2, p2, &st), 0);
	ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);
	ck_assert_uint_eq(st.u.unbound.dom, 1);
	ck_assert_int_eq(evtchn_send(2, p2), 0); /* unbound: silently dropped */
	ck_assert_int_eq(evtchn_bind_interdomain(1, 2, p2, &again), 0);
	ck_assert_int_eq(evtchn_close(1, p1), 0); /* closing twice is fine */
}
END_TEST

START_TEST(dead_domain)
{
	evtchn_port_t p2, p1 = connect12(&p2), x;

	ck_assert_int_eq(evtchn_bind_interdomain(1, 9, 1, &x), -ESRCH);
	evtchn_dom_remove(2);
	ck_assert_uint_eq(state(1, p1), EVTCHNSTAT_unbound);
	ck_assert_int_eq(evtchn_bind_interdomain(1, 2, p2, &x), -ESRCH);
	ck_assert_int_eq(evtchn_send(1, p1), 0);
	ck_assert_int_eq(evtchn_alloc_unbound(2, 1, &x), -ESRCH);
}
END_TEST

START_TEST(send_on_unbound)
{
	evtchn_port_t p;

	ck_assert_int_eq(evtchn_alloc_unbound(1, 2, &p), 0);
	ck_assert_int_eq(evtchn_send(1, p), 0);
	ck_assert(!pending(&A, p));
	ck_assert(!pending(&B, p));
	ck_assert_int_eq(B.kicks[0] + A.kicks[0], 0);
}
END_TEST

START_TEST(reset_closes_all)
{
	evtchn_port_t p2, p1 = connect12(&p2), v, i;

	ck_assert_int_eq(evtchn_bind_virq(1, VIRQ_TIMER, 0, &v), 0);
	ck_assert_int_eq(evtchn_bind_ipi(1, 1, &i), 0);
	ck_assert_int_eq(evtchn_reset(1), 0);
	ck_assert_uint_eq(state(1, p1), EVTCHNSTAT_closed);
	ck_assert_uint_eq(state(1, v), EVTCHNSTAT_closed);
	ck_assert_uint_eq(state(1, i), EVTCHNSTAT_closed);
	ck_assert_uint_eq(state(2, p2), EVTCHNSTAT_unbound);
	ck_assert_int_eq(evtchn_raise_virq(1, 0, VIRQ_TIMER), -ENOENT);
	ck_assert_int_eq(evtchn_bind_virq(1, VIRQ_TIMER, 0, &v), 0); /* rebindable */
	ck_assert_int_eq(evtchn_reset(9), -ESRCH);
}
END_TEST

START_TEST(virq_ipi_and_vcpu)
{
	evtchn_port_t v, i, p2, p1 = connect12(&p2);

	ck_assert_int_eq(evtchn_bind_virq(1, VIRQ_TIMER, 1, &v), 0);
	ck_assert_int_eq(evtchn_raise_virq(1, 1, VIRQ_TIMER), 0);
	ck_assert(pending(&A, v));
	ck_assert_uint_eq(A.si.vcpu_info[1].evtchn_upcall_pending, 1);
	ck_assert_int_eq(A.upcalls[1], 1);
	ck_assert_int_eq(evtchn_bind_ipi(1, 1, &i), 0);
	ck_assert_int_eq(evtchn_bind_ipi(1, 2, &i), -ENOENT);
	ck_assert_int_eq(evtchn_bind_ipi(1, 0, &i), 0);
	ck_assert_int_eq(evtchn_send(1, i), 0);
	ck_assert_int_eq(A.upcalls[0], 1);
	ck_assert_int_eq(evtchn_bind_vcpu(1, i, 1), -EINVAL);  /* IPIs stay */
	ck_assert_int_eq(evtchn_bind_vcpu(1, v, 0), -EINVAL);  /* per-vCPU VIRQ */
	ck_assert_int_eq(evtchn_bind_vcpu(1, p1, 2), -ENOENT);
	ck_assert_int_eq(evtchn_bind_vcpu(1, p1, 1), 0);
	ck_assert_int_eq(evtchn_send(2, p2), 0);
	ck_assert_int_eq(A.upcalls[1], 2);
}
END_TEST

START_TEST(port_exhaustion)
{
	evtchn_port_t p;
	unsigned n = 0;

	while (evtchn_alloc_unbound(1, 2, &p) == 0)
		n++;
	ck_assert_uint_eq(n, EVTCHN_MAX_PORTS - 1);
	ck_assert_int_eq(evtchn_alloc_unbound(1, 2, &p), -ENOSPC);
	ck_assert_int_eq(evtchn_close(1, 77), 0);
	ck_assert_int_eq(evtchn_alloc_unbound(1, 2, &p), 0);
	ck_assert_uint_eq(p, 77);
}
END_TEST

static uint64_t drain(int fd)
{
	uint64_t n = 0;

	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

START_TEST(dom0_ports)
{
	int owner = 1, other = 2;
	int efd = eventfd(0, EFD_NONBLOCK), efd_dup;
	evtchn_port_t gp, dp;

	ck_assert_int_ge(efd, 0);
	efd_dup = dup(efd);               /* the table owns efd */
	ck_assert_int_eq(evtchn_alloc_unbound(1, 0, &gp), 0);
	ck_assert_int_eq(evtchn_dom0_bind(&owner, 1, gp, efd, &dp), 0);
	ck_assert_uint_eq(drain(efd_dup), 1);     /* the bind-time event */
	ck_assert_int_eq(evtchn_send(1, gp), 0);  /* guest -> Dom0 */
	ck_assert_int_eq(evtchn_send(1, gp), 0);
	ck_assert_uint_eq(drain(efd_dup), 2);
	ck_assert_int_eq(evtchn_dom0_send(&owner, dp), 0); /* Dom0 -> guest */
	ck_assert(pending(&A, gp));
	ck_assert_int_eq(evtchn_dom0_send(&other, dp), -EINVAL);
	ck_assert_int_eq(evtchn_dom0_close(&other, dp), -EINVAL);
	evtchn_dom0_close_owner(&owner);
	ck_assert_uint_eq(state(0, dp), EVTCHNSTAT_closed);
	ck_assert_uint_eq(state(1, gp), EVTCHNSTAT_unbound);
	ck_assert_int_eq(evtchn_dom0_bind(&owner, 9, 1, -1, &dp), -ESRCH);
	close(efd_dup);
}
END_TEST

START_TEST(guest_closes_dom0_peer)
{
	int owner = 1;
	int efd = eventfd(0, EFD_NONBLOCK), efd_dup = dup(efd);
	evtchn_port_t gp, dp;

	ck_assert_int_eq(evtchn_alloc_unbound(1, 0, &gp), 0);
	ck_assert_int_eq(evtchn_dom0_bind(&owner, 1, gp, efd, &dp), 0);
	drain(efd_dup);
	evtchn_dom_remove(1);                     /* the guest dies */
	ck_assert_uint_eq(state(0, dp), EVTCHNSTAT_unbound);
	ck_assert_uint_eq(drain(efd_dup), 1);     /* and Dom0 is told */
	ck_assert_int_eq(evtchn_dom0_send(&owner, dp), 0);
	close(efd_dup);
}
END_TEST

Suite *make_evtchn_suite(void)
{
	Suite *s = suite_create("evtchn");
	TCase *t = tcase_create("evtchn");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, bad_ports);
	tcase_add_test(t, interdomain_delivery);
	tcase_add_test(t, double_bind);
	tcase_add_test(t, masked_then_unmask_reraises);
	tcase_add_test(t, close_while_pending);
	tcase_add_test(t, dead_domain);
	tcase_add_test(t, send_on_unbound);
	tcase_add_test(t, reset_closes_all);
	tcase_add_test(t, virq_ipi_and_vcpu);
	tcase_add_test(t, port_exhaustion);
	tcase_add_test(t, dom0_ports);
	tcase_add_test(t, guest_closes_dom0_peer);
	suite_add_tcase(s, t);
	return s;
}

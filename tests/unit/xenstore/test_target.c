/*
 * SET_TARGET, from Xen's documented semantics (xenstore.txt): "SET_TARGET
 * <domid>|<tdomid>| grants domain <domid> full access to paths owned by
 * <tdomid>; <domid> also inherits all permissions granted to <tdomid> on
 * all other paths", and only Dom0 may call it. Here domain 6 plays a
 * device-model stub domain targeting guest 5. Each test checks one side
 * of the grant, so each of these breakages fails one: dropping the owner
 * rule (conn_is_owner), dropping the inherited permissions (perms_for),
 * granting the rights in the wrong direction or to everyone, and keeping
 * a target across a release (revocation).
 *
 * The stub's connection is a socket connection tied to its introduced
 * domain record (as conn_ring.c ties a ring connection), so no ring is
 * needed.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"

static struct tc *d0, *stub, *guest, *other;

/* An introduced domain 6 whose connection is stub. */
static struct tc *connect_dom(uint32_t domid)
{
	struct xs_domain *d = domain_get(T_st, domid, true);
	struct tc *t = tc_new(domid, false);

	ck_assert_ptr_nonnull(d);
	d->introduced = true;
	d->conn = t->c;
	t->c->dom = d;
	return t;
}

static void setup(void)
{
	const char *g[] = { "n5" }, *gr[] = { "n0", "r5" }, *s[] = { "n6" }, *z[] = { "n0" };
	const char *two[] = { "6", "5" };

	h_setup();
	d0 = tc_new(0, true);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/5/data/k", "v5"), 0);
	ck_assert_int_eq(tc_perms(d0, "/local/domain/5/data", g, 1), 0);
	ck_assert_int_eq(tc_perms(d0, "/local/domain/5/data/k", g, 1), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/shared/for5", "r"), 0);
	ck_assert_int_eq(tc_perms(d0, "/shared/for5", gr, 2), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/shared/dom0", "z"), 0);
	ck_assert_int_eq(tc_perms(d0, "/shared/dom0", z, 1), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/6/own", "s"), 0);
	ck_assert_int_eq(tc_perms(d0, "/local/domain/6/own", s, 1), 0);
	stub = connect_dom(6);
	guest = connect_dom(5);
	other = connect_dom(7);
	ck_assert_int_eq(tc_args(d0, XS_SET_TARGET, 0, two, 2, NULL), 0);
}

static void teardown(void)
{
	h_teardown();
}

START_TEST(dom0_sets_a_target_of_an_introduced_domain)
{
	const char *unknown[] = { "9", "5" }, *bad[] = { "6", "x" };

	ck_assert_uint_eq(domain_get(T_st, 6, false)->target, 5);
	ck_assert_int_eq(tc_args(d0, XS_SET_TARGET, 0, unknown, 2, NULL), -ENOENT);
	ck_assert_int_eq(tc_args(d0, XS_SET_TARGET, 0, bad, 2, NULL), -EINVAL);
	/* Only Dom0: a guest may not give itself (or anyone) a target. */
	ck_assert_int_eq(tc_args(other, XS_SET_TARGET, 0, (const char *[]){ "7", "5" }, 2,
				 NULL), -EACCES);
	ck_assert_int_eq(tc_read(other, 0, "/local/domain/5/data/k", NULL), -EACCES);
}
END_TEST

/* Owner rights on the target's nodes: read, write, and SET_PERMS. */
START_TEST(controller_owns_the_targets_nodes)
{
	const char *p[] = { "n5", "r7" };
	char v[64];

	ck_assert_int_eq(tc_read(stub, 0, "/local/domain/5/data/k", v), 2);
	ck_assert_str_eq(v, "v5");
	ck_assert_int_eq(tc_write(stub, 0, "/local/domain/5/data/k", "by6"), 0);
	ck_assert_int_eq(tc_perms(stub, "/local/domain/5/data/k", p, 2), 0);
	ck_assert_int_eq(tc_read(other, 0, "/local/domain/5/data/k", v), 3);
}
END_TEST

/* Permissions granted to the target elsewhere are inherited, no more. */
START_TEST(controller_inherits_the_targets_grants)
{
	const char *p[] = { "b6" };

	ck_assert_int_eq(tc_read(stub, 0, "/shared/for5", NULL), 1);
	ck_assert_int_eq(tc_write(stub, 0, "/shared/for5", "w"), -EACCES); /* r only */
	ck_assert_int_eq(tc_read(stub, 0, "/shared/dom0", NULL), -EACCES);
	ck_assert_int_eq(tc_perms(stub, "/shared/for5", p, 1), -EACCES); /* not owner */
}
END_TEST

/* The grant goes one way: the target gains nothing over its controller,
 * and a third domain gains nothing at all. */
START_TEST(target_gets_no_rights_over_its_controller)
{
	ck_assert_int_eq(tc_read(guest, 0, "/local/domain/6/own", NULL), -EACCES);
	ck_assert_int_eq(tc_write(guest, 0, "/local/domain/6/own", "x"), -EACCES);
	ck_assert_int_eq(tc_read(other, 0, "/local/domain/6/own", NULL), -EACCES);
	ck_assert_int_eq(tc_read(other, 0, "/shared/for5", NULL), -EACCES);
	ck_assert_int_eq(tc_read(guest, 0, "/shared/for5", NULL), 1);
}
END_TEST

/* A released controller loses its target: introduced again (its record
 * survives, it still owns a node), it has only its own rights. */
START_TEST(release_revokes_the_target)
{
	struct xs_domain *d = domain_get(T_st, 6, false);

	ck_assert_int_eq(tc_read(stub, 0, "/local/domain/5/data/k", NULL), 2);
	xs_domain_release(T_st, d);
	stub = connect_dom(6);
	ck_assert_ptr_eq(stub->c->dom, d); /* the same record */
	ck_assert_int_eq(tc_read(stub, 0, "/local/domain/5/data/k", NULL), -EACCES);
	ck_assert_int_eq(tc_write(stub, 0, "/local/domain/5/data/k", "x"), -EACCES);
	ck_assert_int_eq(tc_read(stub, 0, "/local/domain/6/own", NULL), 1);
}
END_TEST

Suite *make_target_suite(void)
{
	Suite *s = suite_create("set_target");
	TCase *t = tcase_create("set_target");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, dom0_sets_a_target_of_an_introduced_domain);
	tcase_add_test(t, controller_owns_the_targets_nodes);
	tcase_add_test(t, controller_inherits_the_targets_grants);
	tcase_add_test(t, target_gets_no_rights_over_its_controller);
	tcase_add_test(t, release_revokes_the_target);
	suite_add_tcase(s, t);
	return s;
}

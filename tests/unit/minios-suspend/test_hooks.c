/*
 * unit-minios-suspend: the suspend-hook registry (guest/kernel/
 * suspend_hooks.c, built for the host): quiesce runs hooks oldest first
 * and sums what they leave in flight, resume runs them newest first with
 * the hypercall's verdict, registering is idempotent, a hook may
 * unregister itself while resuming, and an unregistered hook never runs.
 */
#include <check.h>
#include <string.h>

#include <minios/suspend.h>

static char order[32];
static unsigned norder;
static uint64_t seen_deadline;
static int seen_new_domain = -1;

static void hooks_reset(struct suspend_hook *hs, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		suspend_unregister(&hs[i]);
	memset(order, 0, sizeof(order));
	norder = 0;
	seen_deadline = 0;
	seen_new_domain = -1;
}

static int q(struct suspend_hook *h, uint64_t deadline)
{
	order[norder++] = h->name[0];
	seen_deadline = deadline;
	return (int)(uintptr_t)h->arg; /* what this hook "leaves in flight" */
}

static void r(struct suspend_hook *h, int new_domain)
{
	order[norder++] = h->name[0];
	seen_new_domain = new_domain;
}

static void r_leave(struct suspend_hook *h, int new_domain)
{
	r(h, new_domain);
	suspend_unregister(h);
}

static struct suspend_hook hs[4] = {
	{ .name = "a", .quiesce = q, .resume = r, .arg = (void *)0 },
	{ .name = "b", .quiesce = q, .resume = r, .arg = (void *)2 },
	{ .name = "c", .quiesce = NULL, .resume = r_leave },
	{ .name = "d", .quiesce = q, .resume = NULL, .arg = (void *)(uintptr_t)-5 },
};

START_TEST(order_and_sum)
{
	hooks_reset(hs, 4);
	suspend_register(&hs[0]);
	suspend_register(&hs[1]);
	suspend_register(&hs[2]);
	suspend_register(&hs[3]);
	ck_assert_uint_eq(suspend_hooks_count(), 4);
	/* c has no quiesce; d's negative answer counts as nothing left */
	ck_assert_int_eq(suspend_hooks_quiesce(12345), 2);
	ck_assert_str_eq(order, "abd");
	ck_assert_uint_eq(seen_deadline, 12345);
	norder = 0;
	memset(order, 0, sizeof(order));
	suspend_hooks_resume(1);
	ck_assert_str_eq(order, "cba"); /* newest first; d has no resume */
	ck_assert_int_eq(seen_new_domain, 1);
	/* c unregistered itself while resuming: the walk went on past it */
	ck_assert_uint_eq(suspend_hooks_count(), 3);
}
END_TEST

START_TEST(idempotent_and_unregistered)
{
	hooks_reset(hs, 4);
	suspend_register(&hs[0]);
	suspend_register(&hs[0]);
	suspend_register(&hs[1]);
	ck_assert_uint_eq(suspend_hooks_count(), 2);
	suspend_unregister(&hs[0]);
	suspend_unregister(&hs[0]);
	suspend_unregister(&hs[3]); /* never registered */
	ck_assert_uint_eq(suspend_hooks_count(), 1);
	ck_assert_int_eq(suspend_hooks_quiesce(1), 2);
	ck_assert_str_eq(order, "b");
	suspend_hooks_resume(0);
	ck_assert_str_eq(order, "bb");
	ck_assert_int_eq(seen_new_domain, 0);
	/* registered again after leaving: back at the newest end */
	suspend_register(&hs[0]);
	norder = 0;
	memset(order, 0, sizeof(order));
	suspend_hooks_resume(0);
	ck_assert_str_eq(order, "ab");
}
END_TEST

START_TEST(empty)
{
	hooks_reset(hs, 4);
	ck_assert_uint_eq(suspend_hooks_count(), 0);
	ck_assert_int_eq(suspend_hooks_quiesce(1), 0);
	suspend_hooks_resume(0);
	ck_assert_uint_eq(norder, 0);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("minios-suspend");
	TCase *tc = tcase_create("hooks");

	tcase_add_test(tc, order_and_sum);
	tcase_add_test(tc, idempotent_and_unregistered);
	tcase_add_test(tc, empty);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(make_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

/* Hypercalls and upcalls through the hypercall and trampoline pages. */
#include <errno.h>
#include <time.h>

#include <pvx/pv.h>

#include "harness.h"

#define START_INFO 0x1234000ull

/* Entry state, all five args both ways, a negative result, the raw stub. */
START_TEST(test_hcall_round_trip)
{
	struct tguest g;
	struct pvproc_call c;

	th_start(&g, TG_GUEST(g_hcall), START_INFO);
	c = th_expect_hcall(&g, 5);
	ck_assert_uint_eq(c.arg[0], 0x1111);
	ck_assert_uint_eq(c.arg[1], 0x2222);
	ck_assert_uint_eq(c.arg[2], 0x3333);
	ck_assert_uint_eq(c.arg[3], 0x4444);
	ck_assert_uint_eq(c.arg[4], 0x5555);
	ck_assert_uint_eq(c.arg[5], 0x6666);
	ck_assert_uint_eq(c.ip, PVX_PV_HYPERCALL_VA + 5 * 32 + 7);
	ck_assert_int_eq(pvproc_reply(&g.p, &c, -22), 0);
	c = th_expect_hcall(&g, 6);
	ck_assert_uint_eq(c.arg[0], (uint64_t)-22);      /* rax as-is */
	ck_assert_uint_eq(c.arg[1], START_INFO);         /* rsi at entry */
	ck_assert_uint_eq(c.arg[2], 0);                  /* all else 0 */
	ck_assert_uint_eq(c.arg[3], 0x0200);             /* flags: only bit 1 */
	ck_assert_int_eq(pvproc_reply(&g.p, &c, 0), 0);
	c = th_expect_hcall(&g, 300);
	ck_assert_uint_eq(c.ip, PVX_PV_RAW_HYPERCALL + 2);
	ck_assert_int_eq(pvproc_reply(&g.p, &c, 77), 0);
	c = th_expect_hcall(&g, 7);
	ck_assert_uint_eq(c.arg[0], 77);
	tguest_dispose(&g);
}
END_TEST

static void upcall_after_ready(struct tguest *g)
{
	struct pvproc_call c = th_expect_hcall(g, 1);
	struct timespec ms = { 0, 20000000 };

	ck_assert_int_eq(pvproc_reply(&g->p, &c, 0), 0);
	nanosleep(&ms, NULL);                    /* let it reach its loop */
	ck_assert_int_eq(pvproc_upcall(&g->p), 0);
}

START_TEST(test_upcall_callback)
{
	struct tguest g;
	struct pvproc_call c;

	th_start(&g, TG_GUEST(g_upcall), 0);
	pvproc_pages_set_callback(&g.pages, TG_CODE + (uint64_t)(g_upcall_cb - g_upcall));
	upcall_after_ready(&g);
	c = th_expect_hcall(&g, 3);
	ck_assert_uint_eq(c.arg[0], 10);          /* the signal */
	ck_assert_uint_eq(c.arg[1], 8);           /* rsp as after a call */
	ck_assert_int_eq(pvproc_reply(&g.p, &c, 0), 0);
	c = th_expect_hcall(&g, 2);
	ck_assert_uint_eq(c.arg[0], 0x1234567890abcdefull);
	ck_assert_uint_eq(c.arg[1], 0x0fedcba987654321ull);
	ck_assert_uint_eq(c.arg[2], 0x1212121212121212ull);
	ck_assert_uint_eq(c.arg[3], 0x1515151515151515ull);
	tguest_dispose(&g);
}
END_TEST

/* An upcall sent while pvxd holds a hypercall waits for the reply (the
 * filter's WAIT_KILLABLE_RECV): the hypercall is neither withdrawn nor
 * issued again, and the callback runs right after it returns. */
START_TEST(test_upcall_during_hypercall)
{
	struct tguest g;
	struct pvproc_call c;
	struct timespec ms = { 0, 20000000 };

	th_start(&g, TG_GUEST(g_upcall), 0);
	pvproc_pages_set_callback(&g.pages, TG_CODE + (uint64_t)(g_upcall_cb - g_upcall));
	c = th_expect_hcall(&g, 1);
	ck_assert_int_eq(pvproc_upcall(&g.p), 0);
	nanosleep(&ms, NULL);
	ck_assert_int_eq(pvproc_reply(&g.p, &c, 0), 0);
	c = th_expect_hcall(&g, 3);
	ck_assert_int_eq(pvproc_reply(&g.p, &c, 0), 0);
	th_expect_hcall(&g, 2);
	tguest_dispose(&g);
}
END_TEST

START_TEST(test_upcall_no_callback)
{
	struct tguest g;
	struct pvproc_call c;

	th_start(&g, TG_GUEST(g_nocb), 0);
	upcall_after_ready(&g);
	ck_assert_int_eq(pvproc_upcall(&g.p), 0);
	c = th_expect_hcall(&g, 2);
	ck_assert_uint_eq(c.arg[0], 0x1234567890abcdefull);
	ck_assert_uint_eq(c.arg[1], 0x1212121212121212ull);
	tguest_dispose(&g);
}
END_TEST

/* pv.h: a guest whose stack cannot take the signal frame crashes (g_count
 * runs with rsp = 0), and pvxd learns how. */
START_TEST(test_upcall_bad_stack)
{
	struct tguest g;
	struct pvproc_call c;
	struct timespec ms = { 0, 20000000 };

	th_start(&g, TG_GUEST(g_count), 0);
	pvproc_pages_set_callback(&g.pages, TG_CODE);
	nanosleep(&ms, NULL);
	ck_assert_int_eq(pvproc_upcall(&g.p), 0);
	ck_assert_int_eq(pvproc_recv(&g.p, &c), -ESRCH);
	ck_assert_str_eq(th_wait_exit(&g), "killed by SIGSEGV");
	tguest_dispose(&g);
}
END_TEST

Suite *make_pvproc_call_suite(void)
{
	Suite *s = suite_create("pvproc_call");
	TCase *tc = tcase_create("call");

	tcase_add_test(tc, test_hcall_round_trip);
	tcase_add_test(tc, test_upcall_callback);
	tcase_add_test(tc, test_upcall_during_hypercall);
	tcase_add_test(tc, test_upcall_no_callback);
	tcase_add_test(tc, test_upcall_bad_stack);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * Short real host-mode runs (two processes, 0.5 s each), one per
 * notification policy, checking what each policy promises:
 *   poll     no notifications at all;
 *   always   exactly one kick per pushed batch (1 / batch per request) and
 *            at least one call per request batch answered;
 *   holdoff  no more kicks than always, and some (the backend sleeps);
 * plus a payload run, and ordered, non-zero latency percentiles.
 */
#include <string.h>

#include "bench_test.h"

static void run(const char *const *args, unsigned batch, struct bench_result *x)
{
	struct bench_opts o;
	char err[256], msg[BENCH_MSG_LEN] = "";

	ck_assert_int_eq(t_parse(&o, err, sizeof(err), args), 0);
	ck_assert_msg(bench_host_run(&o, batch, x, msg, sizeof(msg)) == 0, "run failed: %s", msg);
	ck_assert_uint_gt(x->requests, 0);
	ck_assert(x->req_per_s > 0);
	ck_assert_uint_gt(x->p50_ns, 0);
	ck_assert_uint_le(x->p50_ns, x->p99_ns);
	ck_assert_uint_le(x->p99_ns, x->p999_ns);
	ck_assert_uint_le(x->p999_ns, x->max_ns);
	ck_assert(x->cpu_ns_per_req > 0);
}

START_TEST(test_poll)
{
	const char *args[] = { "--notify", "poll", "--duration", "0.5", "--batch", "8", NULL };
	struct bench_result x;

	run(args, 8, &x);
	ck_assert(x.front_notify_per_req == 0);
	ck_assert(x.back_notify_per_req == 0);
}
END_TEST

START_TEST(test_always)
{
	const char *args[] = { "--notify", "always", "--duration", "0.5", "--batch", "4", NULL };
	struct bench_result x;

	run(args, 4, &x);
	ck_assert_msg(x.front_notify_per_req == 0.25, "kicks per request %f", x.front_notify_per_req);
	ck_assert(x.back_notify_per_req > 0 && x.back_notify_per_req <= 1);
}
END_TEST

START_TEST(test_holdoff)
{
	const char *args[] = { "--notify", "holdoff", "--duration", "0.5", "--batch", "4",
			       "--outstanding", "8", NULL };
	struct bench_result x;

	run(args, 4, &x);
	ck_assert(x.front_notify_per_req > 0 && x.front_notify_per_req <= 0.25);
	ck_assert(x.back_notify_per_req > 0 && x.back_notify_per_req <= 1);
}
END_TEST

/* Spinning 1 ms before sleeping: same rules, at most as many kicks. */
START_TEST(test_holdoff_spin)
{
	const char *args[] = { "--notify", "holdoff", "--duration", "0.5", "--batch", "4",
			       "--outstanding", "8", "--spin", "1000", NULL };
	struct bench_result x;

	run(args, 4, &x);
	ck_assert(x.front_notify_per_req <= 0.25);
	ck_assert(x.back_notify_per_req <= 1);
}
END_TEST

START_TEST(test_payload)
{
	const char *args[] = { "--notify", "holdoff", "--duration", "0.5", "--payload", "4K",
			       "--ring-pages", "1", NULL };
	struct bench_result x;

	run(args, 32, &x);
}
END_TEST

Suite *make_host_suite(void)
{
	Suite *s = suite_create("host");
	TCase *tc = tcase_create("runs");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_poll);
	tcase_add_test(tc, test_always);
	tcase_add_test(tc, test_holdoff);
	tcase_add_test(tc, test_holdoff_spin);
	tcase_add_test(tc, test_payload);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * --repeat medians: every field is the median of its own values across
 * repeats (odd and even counts), the per-repeat rates are kept in order,
 * and a ringtest variant's median only counts the repeats in which it ran.
 */
#include <string.h>

#include "bench_test.h"

START_TEST(test_results_odd)
{
	static struct bench_result reps[3][2], out[2];
	static const double rate[3] = { 30e6, 10e6, 20e6 };
	static const uint64_t p50[3] = { 900, 100, 500 };

	for (int k = 0; k < 3; k++)
		for (int i = 0; i < 2; i++)
			reps[k][i] = (struct bench_result){ .batch = 8u << i,
				.req_per_s = rate[k] * (i + 1), .p50_ns = p50[k], .p99_ns = p50[k] * 2,
				.front_notify_per_req = 0.1 * k, .cpu_ns_per_req = 10.0 * (3 - k) };
	bench_median_results(out, &reps[0][0], 3, 2, 2);
	ck_assert_uint_eq(out[0].batch, 8);
	ck_assert_uint_eq(out[1].batch, 16);
	ck_assert(out[0].req_per_s == 20e6);
	ck_assert(out[1].req_per_s == 40e6);
	ck_assert_uint_eq(out[0].p50_ns, 500);
	ck_assert_uint_eq(out[0].p99_ns, 1000);
	ck_assert(out[0].front_notify_per_req == 0.1);
	ck_assert(out[0].cpu_ns_per_req == 20.0);
	ck_assert_uint_eq(out[1].nrep, 3);
	ck_assert(out[1].req_per_s_each[0] == 60e6);   /* repeat order kept */
	ck_assert(out[1].req_per_s_each[1] == 20e6);
	ck_assert(out[1].req_per_s_each[2] == 40e6);
}
END_TEST

START_TEST(test_results_even)
{
	static struct bench_result reps[2], out;

	reps[0] = (struct bench_result){ .batch = 4, .req_per_s = 10, .p50_ns = 100 };
	reps[1] = (struct bench_result){ .batch = 4, .req_per_s = 30, .p50_ns = 300 };
	bench_median_results(&out, reps, 2, 1, 1);
	ck_assert(out.req_per_s == 20);
	ck_assert_uint_eq(out.p50_ns, 200);
}
END_TEST

START_TEST(test_baselines)
{
	static struct bench_report reps[3], out;
	static const double cl[3] = { 70, 450, 80 };
	static const double ring[3] = { 60e6, 20e6, 40e6 };

	for (int k = 0; k < 3; k++) {
		reps[k].have_baselines = true;
		reps[k].cacheline_ns = cl[k];
		reps[k].evt = (struct bench_pingpong){ .name = "eventfd", .rounds = 10u * (k + 1),
			.p50_ns = 40000u + 1000u * (unsigned)k, .rtt_per_s = 1000.0 * (k + 1) };
		reps[k].rt.available = true;
		reps[k].rt.run[0] = (struct bench_ringtest_run){ "ring", 0, NULL, 0.1, ring[k] };
		/* ptr_ring ran only in the last repeat */
		reps[k].rt.run[2] = (struct bench_ringtest_run){ "ptr_ring", k == 2 ? 0 : -EIO,
			k == 2 ? NULL : "exited with an error", 0.2, k == 2 ? 50e6 : 0 };
	}
	bench_median_baselines(&out, reps, 3);
	ck_assert(out.cacheline_ns == 80);
	ck_assert_uint_eq(out.evt.rounds, 20);
	ck_assert_uint_eq(out.evt.p50_ns, 41000);
	ck_assert(out.evt.rtt_per_s == 2000);
	ck_assert(out.rt.run[0].ops_per_s == 40e6);
	ck_assert_int_eq(out.rt.run[2].status, 0);
	ck_assert(out.rt.run[2].ops_per_s == 50e6);
	ck_assert_ptr_null(out.rt.run[2].note);
}
END_TEST

Suite *make_median_suite(void)
{
	Suite *s = suite_create("median");
	TCase *tc = tcase_create("repeat");

	tcase_add_test(tc, test_results_odd);
	tcase_add_test(tc, test_results_even);
	tcase_add_test(tc, test_baselines);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * The latency histogram: exact below 128 ns, bucket width at most 1/64 of
 * the value above; quantiles match the exact order statistic of the same
 * samples within that precision; empty and huge inputs behave.
 */
#include <stdlib.h>

#include "bench_test.h"

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

START_TEST(test_empty)
{
	static struct bench_hist h;

	bench_hist_reset(&h);
	ck_assert_uint_eq(bench_hist_quantile(&h, 0.5), 0);
	ck_assert_uint_eq(bench_hist_mean(&h), 0);
}
END_TEST

START_TEST(test_exact_small)
{
	static struct bench_hist h;

	bench_hist_reset(&h);
	for (uint64_t v = 1; v <= 100; v++)
		bench_hist_add(&h, v);
	ck_assert_uint_eq(bench_hist_quantile(&h, 0.5), 50);
	ck_assert_uint_eq(bench_hist_quantile(&h, 0.99), 99);
	ck_assert_uint_eq(bench_hist_quantile(&h, 0.999), 100);
	ck_assert_uint_eq(bench_hist_quantile(&h, 0), 1);
	ck_assert_uint_eq(bench_hist_quantile(&h, 1), 100);
	ck_assert_uint_eq(bench_hist_mean(&h), 50);  /* 5050 / 100 */
	ck_assert_uint_eq(h.max, 100);
}
END_TEST

START_TEST(test_index_edges)
{
	/* Typed in from the bucket rule, not computed by the code under test. */
	ck_assert_uint_eq(bench_hist_index(0), 0);
	ck_assert_uint_eq(bench_hist_index(127), 127);
	ck_assert_uint_eq(bench_hist_index(128), 128);   /* [128,130) first wide bucket */
	ck_assert_uint_eq(bench_hist_index(129), 128);
	ck_assert_uint_eq(bench_hist_index(130), 129);
	ck_assert_uint_eq(bench_hist_index(255), 191);
	ck_assert_uint_eq(bench_hist_index(256), 192);   /* width 4 from here */
	ck_assert_uint_eq(bench_hist_index(1ull << 40), BENCH_HIST_BUCKETS - 1);
	ck_assert_uint_eq(bench_hist_index(UINT64_MAX), BENCH_HIST_BUCKETS - 1);
	for (uint64_t v = 1; v < 1u << 20; v = v * 3 / 2 + 1)
		ck_assert_uint_le(bench_hist_index(v), bench_hist_index(v + 1));
}
END_TEST

START_TEST(test_quantiles_match_sorted)
{
	static struct bench_hist h;
	static const double qs[] = { 0.5, 0.9, 0.99, 0.999 };
	enum { N = 100000 };
	uint64_t *v = malloc(N * sizeof(*v)), x = 88172645463325252ull;

	ck_assert_ptr_nonnull(v);
	bench_hist_reset(&h);
	for (int i = 0; i < N; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;          /* xorshift64 */
		v[i] = 50 + (x % 1000000) * (i % 7 == 0 ? 40 : 1); /* a long tail */
		bench_hist_add(&h, v[i]);
	}
	qsort(v, N, sizeof(*v), cmp_u64);
	for (size_t k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
		uint64_t exact = v[(size_t)(qs[k] * N + 0.999999) - 1];
		uint64_t got = bench_hist_quantile(&h, qs[k]);
		uint64_t tol = exact / 64 + 1;

		ck_assert_msg(got + tol >= exact && got <= exact + tol,
			      "q%.3f: histogram %llu, exact %llu", qs[k],
			      (unsigned long long)got, (unsigned long long)exact);
	}
	ck_assert_uint_eq(h.count, N);
	ck_assert_uint_eq(h.max, v[N - 1]);
	free(v);
}
END_TEST

START_TEST(test_huge_values_clamped)
{
	static struct bench_hist h;

	bench_hist_reset(&h);
	bench_hist_add(&h, 10);
	bench_hist_add(&h, 1ull << 50);
	ck_assert_uint_eq(h.max, 1ull << 50);
	ck_assert_uint_eq(bench_hist_quantile(&h, 0.5), 10);
	/* The last bucket reports at most the true maximum. */
	ck_assert_uint_le(bench_hist_quantile(&h, 1), 1ull << 50);
	ck_assert_uint_ge(bench_hist_quantile(&h, 1), 1ull << 40);
}
END_TEST

Suite *make_hist_suite(void)
{
	Suite *s = suite_create("hist");
	TCase *tc = tcase_create("percentiles");

	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_exact_small);
	tcase_add_test(tc, test_index_edges);
	tcase_add_test(tc, test_quantiles_match_sorted);
	tcase_add_test(tc, test_huge_values_clamped);
	suite_add_tcase(s, tc);
	return s;
}

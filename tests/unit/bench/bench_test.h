/* Suites of unit-bench, one per libpvxbench module under test. */
#ifndef TESTS_UNIT_BENCH_BENCH_TEST_H
#define TESTS_UNIT_BENCH_BENCH_TEST_H

#include <check.h>
#include <errno.h>

#include "bench.h"

Suite *make_opts_suite(void);
Suite *make_hist_suite(void);
Suite *make_output_suite(void);
Suite *make_back_suite(void);
Suite *make_host_suite(void);
Suite *make_median_suite(void);

/* Parses a NULL-terminated list (argv[0] = "ring"); stderr text in err. */
int t_parse(struct bench_opts *o, char *err, size_t len, const char *const *args);

#endif

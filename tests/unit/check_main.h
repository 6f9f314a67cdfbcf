/* check_main.h: the body every unit-* runner shares. A runner lists its
 * suites' constructors and calls unit_run_suites(); each test then runs
 * in its own child (CK_FORK), so a crash fails that test and not the
 * binary, and the exit status says whether any test failed. */
#ifndef PVX_TESTS_UNIT_CHECK_MAIN_H
#define PVX_TESTS_UNIT_CHECK_MAIN_H

#include <check.h>
#include <stddef.h>
#include <stdlib.h>

typedef Suite *(*unit_suite_fn)(void);

static inline int unit_run_suites(const unit_suite_fn *suites, size_t n)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

	for (size_t i = 0; i < n; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif

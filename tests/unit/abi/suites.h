/* unit-abi: the suites main.c runs. */
#ifndef TESTS_UNIT_ABI_SUITES_H
#define TESTS_UNIT_ABI_SUITES_H

#include <check.h>

Suite *make_abi_suite(void);

#endif

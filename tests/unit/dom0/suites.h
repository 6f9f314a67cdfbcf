/* The Check suites of the unit-dom0 binary, one per module. */
#ifndef PVX_TEST_DOM0_SUITES_H
#define PVX_TEST_DOM0_SUITES_H

#include <check.h>

Suite *make_ctlclient_suite(void);

#endif

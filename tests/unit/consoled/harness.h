/* Shared declarations of pvx-consoled's unit tests. */
#ifndef TEST_CONSOLED_HARNESS_H
#define TEST_CONSOLED_HARNESS_H

#include <check.h>

Suite *make_ring_suite(void);
Suite *make_proto_suite(void);
Suite *make_daemon_suite(void);

#endif

/* unit-util: libpvxutil's suites (pvx/log.h, pvx/daemon.h, pvx/stats_server.h). */
#ifndef UNIT_UTIL_HARNESS_H
#define UNIT_UTIL_HARNESS_H

#include <check.h>

Suite *make_log_suite(void);
Suite *make_daemon_suite(void);
Suite *make_stats_server_suite(void);
Suite *make_listen_suite(void);

#endif

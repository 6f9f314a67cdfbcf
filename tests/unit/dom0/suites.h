/* The Check suites of the unit-dom0 binary, one per module. */
#ifndef PVX_TEST_DOM0_SUITES_H
#define PVX_TEST_DOM0_SUITES_H

#include <check.h>

Suite *make_ctlclient_suite(void);
Suite *make_elf_suite(void);
Suite *make_elf_notes_suite(void);
Suite *make_domtype_suite(void);
Suite *make_bootinfo_suite(void);
Suite *make_build_suite(void);
Suite *make_cmdtab_suite(void);
Suite *make_monitor_suite(void);
Suite *make_network_suite(void);
Suite *make_sched_cmds_suite(void);
Suite *make_memsize_suite(void);

#endif

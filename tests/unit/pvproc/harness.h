/* unit-pvproc: the pv platform's sandboxed process (hypervisor/pv/). */
#ifndef UNIT_PVPROC_HARNESS_H
#define UNIT_PVPROC_HARNESS_H

#include <check.h>

#include "guest_mem.h"

Suite *make_pvproc_call_suite(void);
Suite *make_pvproc_sandbox_suite(void);
Suite *make_pvproc_life_suite(void);

/* Spawns guest [code, end) with rsi = start_info; fails the test on error. */
void th_start(struct tguest *g, const unsigned char *code, const unsigned char *end,
	      uint64_t start_info);
/* The next call, which must be hypercall nr. */
struct pvproc_call th_expect_hcall(struct tguest *g, uint64_t nr);
/* Waits (<= 5 s) for the process to end; returns pvproc_exited's text. */
const char *th_wait_exit(struct tguest *g);

#endif

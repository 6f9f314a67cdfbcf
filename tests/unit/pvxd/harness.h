/*
 * Harness for pvxd's unit tests: the real pvxd sources, a fake domain
 * whose "guest RAM" is a memfd mapped here (no KVM VM, no vCPU threads),
 * and a hypercall context that sees paging off (GVA = GPA) unless a test
 * installs its own page tables.
 */
#ifndef PVXD_TEST_HARNESS_H
#define PVXD_TEST_HARNESS_H

#include <check.h>

#include "../../../hypervisor/dom.h"
#include "../../../hypervisor/hcall.h"

#define FAKE_RAM (4u << 20)
#define FAKE_DOMID 7

struct domain *fake_dom_new(unsigned nr_vcpus);
void fake_dom_free(struct domain *d);
void fake_ctx(struct hc_ctx *c, struct domain *d, uint64_t nr,
	      uint64_t a0, uint64_t a1, uint64_t a2);
long fake_call(struct domain *d, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);

Suite *make_hcall_suite(void);
Suite *make_evtchn_suite(void);
Suite *make_gva_suite(void);
Suite *make_ctl_msg_suite(void);
Suite *make_textring_suite(void);
Suite *make_xtime_suite(void);
Suite *make_sched_suite(void);

#endif

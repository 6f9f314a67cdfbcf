/*
 * Harness for pvxd's unit tests: the real pvxd sources, a fake domain
 * whose "guest RAM" is a memfd mapped here (no KVM VM, no vCPU threads),
 * and a hypercall context that sees paging off (GVA = GPA) unless a test
 * installs its own page tables.
 *
 * Fake domains run on fake_platform, whose ops only count their calls
 * (fake_plat) and answer what a test sets there; test_platform.c also
 * creates real domains on it, with real vCPU threads.
 */
#ifndef PVXD_TEST_HARNESS_H
#define PVXD_TEST_HARNESS_H

#ifdef PVXD_HARNESS_NO_CHECK
/* Outside a Check runner (the fuzz targets): a failed setup aborts. */
#include <stdlib.h>
#define ck_assert(x) do { if (!(x)) abort(); } while (0)
#define ck_assert_int_eq(a, b) ck_assert((a) == (b))
#define ck_assert_int_ge(a, b) ck_assert((a) >= (b))
#define ck_assert_ptr_nonnull(p) ck_assert((p) != NULL)
#else
#include <check.h>
#endif

#include "dom.h"
#include "hcall.h"

#define FAKE_RAM (4u << 20)
#define FAKE_DOMID 7

struct fake_plat {
	/* call counts (atomic: vCPU threads call some) */
	int dom_create, dom_destroy, dom_start, dom_freeze, dom_kill;
	int map_xpage, vcpu_init, vcpu_dispose, vcpu_set_boot;
	int vcpu_thread_init, vcpu_run, vcpu_kick, vcpu_kick_ack;
	int inject_upcall, guest_mode, set_event_callback;
	/* what the last calls saw */
	uint64_t xpage_gpa, boot_entry, boot_start_info, callback;
	unsigned upcall_vcpu;
	/* answers */
	int create_ret, start_ret, mode_ret;
	const char *run_crash;      /* vcpu_run fails once with this reason */
};

extern struct fake_plat fake_plat;
extern const struct platform_ops fake_platform;

struct domain *fake_dom_new(unsigned nr_vcpus);
void fake_dom_free(struct domain *d);
void fake_ctx(struct hc_ctx *c, struct domain *d, uint64_t nr,
	      uint64_t a0, uint64_t a1, uint64_t a2);
long fake_call(struct domain *d, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);

#ifndef PVXD_HARNESS_NO_CHECK
Suite *make_hcall_suite(void);
Suite *make_cpuid_suite(void);
Suite *make_evtchn_suite(void);
Suite *make_gva_suite(void);
Suite *make_ctl_msg_suite(void);
Suite *make_textring_suite(void);
Suite *make_xtime_suite(void);
Suite *make_sched_suite(void);
Suite *make_cgroup_suite(void);
Suite *make_platform_suite(void);
Suite *make_platform_pv_suite(void);
Suite *make_save_state_suite(void);
#endif

#endif

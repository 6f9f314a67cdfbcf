/*
 * Monitor policy: which action each domain event calls for under each
 * on_* setting, and the restart limiter.
 */
#include <check.h>
#include <string.h>

#include <xen/public/sched.h>

#include "../../../dom0-tools/monitor/monitor.h"
#include "suites.h"

static const struct {
	uint32_t state;
	int32_t reason;
	enum pvx_action on_poweroff, on_reboot, on_crash;
	enum pvx_mon_step want;
} steps[] = {
	{ PVX_DOM_DEAD, -1, 0, 0, 0, PVX_MON_GONE },
	{ PVX_DOM_RUNNING, -1, 0, 0, 0, PVX_MON_IGNORE },
	{ PVX_DOM_PAUSED, -1, 0, 0, 0, PVX_MON_IGNORE },
	{ PVX_DOM_DYING, -1, 0, 0, 0, PVX_MON_IGNORE },
	{ PVX_DOM_SHUTDOWN, SHUTDOWN_poweroff, PVX_ACTION_DESTROY, 0, 0, PVX_MON_DESTROY },
	{ PVX_DOM_SHUTDOWN, SHUTDOWN_poweroff, PVX_ACTION_PRESERVE, 0, 0, PVX_MON_PRESERVE },
	{ PVX_DOM_SHUTDOWN, SHUTDOWN_poweroff, PVX_ACTION_RESTART, 0, 0, PVX_MON_RESTART },
	{ PVX_DOM_SHUTDOWN, SHUTDOWN_reboot, PVX_ACTION_DESTROY, PVX_ACTION_RESTART, 0, PVX_MON_RESTART },
	{ PVX_DOM_SHUTDOWN, SHUTDOWN_reboot, 0, PVX_ACTION_RENAME_RESTART, 0, PVX_MON_RENAME_RESTART },
	{ PVX_DOM_SHUTDOWN, SHUTDOWN_reboot, 0, PVX_ACTION_DESTROY, PVX_ACTION_RESTART, PVX_MON_DESTROY },
	{ PVX_DOM_SHUTDOWN, SHUTDOWN_crash, 0, 0, PVX_ACTION_PRESERVE, PVX_MON_PRESERVE },
	{ PVX_DOM_CRASHED, -1, 0, 0, PVX_ACTION_RESTART, PVX_MON_RESTART },
	{ PVX_DOM_CRASHED, SHUTDOWN_crash, PVX_ACTION_RESTART, PVX_ACTION_RESTART,
	  PVX_ACTION_DESTROY, PVX_MON_DESTROY },
	{ PVX_DOM_SHUTDOWN, SHUTDOWN_watchdog, PVX_ACTION_RESTART, 0, 0, PVX_MON_DESTROY },
	{ PVX_DOM_SHUTDOWN, SHUTDOWN_suspend, 0, 0, 0, PVX_MON_IGNORE },
	{ PVX_DOM_SHUTDOWN, 77, 0, 0, 0, PVX_MON_IGNORE },
};

START_TEST(step_table)
{
	struct pvx_config cfg;
	struct pvx_ctl_event ev = { .domid = 4, .state = steps[_i].state,
				    .shutdown_reason = steps[_i].reason };

	memset(&cfg, 0, sizeof(cfg));
	cfg.on_poweroff = steps[_i].on_poweroff;
	cfg.on_reboot = steps[_i].on_reboot;
	cfg.on_crash = steps[_i].on_crash;
	ck_assert_int_eq(pvx_monitor_step(&cfg, 4, &ev), steps[_i].want);
	/* Another domain's event never concerns this monitor. */
	ck_assert_int_eq(pvx_monitor_step(&cfg, 5, &ev), PVX_MON_IGNORE);
}
END_TEST

START_TEST(restart_limit)
{
	struct pvx_monitor m;
	const uint64_t s = 1000000000ull;
	uint64_t t = 100 * s;

	memset(&m, 0, sizeof(m));
	for (int i = 0; i < PVX_MON_MAX_RESTARTS; i++)
		ck_assert(pvx_monitor_restart_ok(&m, t + (uint64_t)i * s));
	ck_assert(!pvx_monitor_restart_ok(&m, t + 11 * s));
	/* Once the first restarts leave the window, restarts are allowed again. */
	ck_assert(pvx_monitor_restart_ok(&m, t + (PVX_MON_RESTART_WINDOW_S + 1) * s));
	ck_assert_uint_le(m.nrestarts, PVX_MON_MAX_RESTARTS);
}
END_TEST

Suite *make_monitor_suite(void)
{
	Suite *s = suite_create("monitor");
	TCase *t = tcase_create("core");

	tcase_add_loop_test(t, step_table, 0, sizeof(steps) / sizeof(steps[0]));
	tcase_add_test(t, restart_limit);
	suite_add_tcase(s, t);
	return s;
}

/*
 * Monitor policy: which action each domain event calls for under each
 * on_* setting, and the restart limiter.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/log.h>
#include <xen/public/sched.h>

#include "../../../dom0-tools/monitor/monitor.h"
#include "fake_server.h"
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

/*
 * pvx_monitor_run against scripted pvxd connections: events arrive on the
 * subscription, actions go to the control connection, whose DESTROY
 * answer makes the fake push the domain's DEAD event, as pvxd does.
 */
struct mon_fake {
	struct fake_server *sub_srv;
	int destroyed, unrelated;
};

static void mon_ctl(int fd, const struct pvx_ctl_hdr *req, const void *p, void *opaque)
{
	struct mon_fake *f = opaque;

	(void)p;
	if (req->op == PVX_CTL_DESTROY) {
		if (req->domid == 4)
			f->destroyed++;
		else
			f->unrelated++;
		fake_event(fake_server_fd(f->sub_srv), req->domid, PVX_DOM_DYING, -1);
		fake_event(fake_server_fd(f->sub_srv), req->domid, PVX_DOM_DEAD, -1);
	}
	fake_reply(fd, req, 0, NULL, 0, NULL, 0);
}

static void mon_sub(int fd, const struct pvx_ctl_hdr *req, const void *p, void *opaque)
{
	(void)p;
	(void)opaque;
	fake_reply(fd, req, 0, NULL, 0, NULL, 0);
}

/* The monitor's log lines (pvx/log.h's sink), appended to a buffer. */
static char *log_buf;
static size_t log_cap, log_used;

static void log_sink(const char *line, void *arg)
{
	int n = snprintf(log_buf + log_used, log_cap - log_used, "%s", line);

	(void)arg;
	if (n > 0)
		log_used += (size_t)n < log_cap - log_used ? (size_t)n : log_cap - log_used - 1;
}

/* Runs a monitor for domain 4 after pushing events; returns its log. */
static int run_monitor(struct mon_fake *f, enum pvx_action on_crash,
		       const struct pvx_ctl_event *evs, int nev, char *log, size_t len)
{
	struct pvx_config cfg;
	struct pvx_monitor m;
	struct pvx_ctl *sub, *ctl;
	struct fake_server *ctl_srv;
	int rc;

	/* The monitor also tells xenstore and the console daemon: make sure
	 * it can only reach daemons that do not exist, never a real host's. */
	setenv("PVX_RUNDIR", "/nonexistent/pvx-unit-test", 1);
	unsetenv("XENSTORED_PATH");
	memset(&cfg, 0, sizeof(cfg));
	cfg.name = (char *)"mon";
	cfg.on_crash = on_crash;
	f->sub_srv = fake_server_start(mon_sub, f, &sub);
	ctl_srv = fake_server_start(mon_ctl, f, &ctl);
	for (int i = 0; i < nev; i++)
		fake_event(fake_server_fd(f->sub_srv), evs[i].domid, evs[i].state,
			   evs[i].shutdown_reason);
	memset(&m, 0, sizeof(m));
	m.sub = sub;
	m.ctl = ctl;
	m.cfg = &cfg;
	m.domid = 4;
	log_buf = log;
	log_cap = len;
	log_used = 0;
	log[0] = '\0';
	pvx_log_set_sink(log_sink, NULL);
	rc = pvx_monitor_run(&m);
	pvx_log_set_sink(NULL, NULL);
	fake_server_stop(ctl_srv, ctl);
	fake_server_stop(f->sub_srv, sub);
	return rc;
}

START_TEST(monitor_destroys_on_crash)
{
	const struct pvx_ctl_event evs[] = {
		{ .domid = 9, .state = PVX_DOM_CRASHED, .shutdown_reason = SHUTDOWN_crash },
		{ .domid = 4, .state = PVX_DOM_RUNNING, .shutdown_reason = -1 },
		{ .domid = 4, .state = PVX_DOM_CRASHED, .shutdown_reason = SHUTDOWN_crash },
	};
	struct mon_fake f = { 0 };
	char log[4096];

	ck_assert_int_eq(run_monitor(&f, PVX_ACTION_DESTROY, evs, 3, log, sizeof(log)), 0);
	ck_assert_int_eq(f.destroyed, 1);
	ck_assert_int_eq(f.unrelated, 0); /* domain 9 is not ours */
	ck_assert_ptr_nonnull(strstr(log, "[4] domain crashed (reason 3): destroy"));
}
END_TEST

START_TEST(monitor_preserves)
{
	const struct pvx_ctl_event evs[] = {
		{ .domid = 4, .state = PVX_DOM_SHUTDOWN, .shutdown_reason = SHUTDOWN_crash },
	};
	struct mon_fake f = { 0 };
	char log[4096];

	ck_assert_int_eq(run_monitor(&f, PVX_ACTION_PRESERVE, evs, 1, log, sizeof(log)), 0);
	ck_assert_int_eq(f.destroyed, 0);
	ck_assert_ptr_nonnull(strstr(log, "preserve"));
}
END_TEST

START_TEST(monitor_exits_when_gone)
{
	const struct pvx_ctl_event evs[] = {
		{ .domid = 4, .state = PVX_DOM_DYING, .shutdown_reason = -1 },
		{ .domid = 4, .state = PVX_DOM_DEAD, .shutdown_reason = -1 },
	};
	struct mon_fake f = { 0 };
	char log[4096];

	ck_assert_int_eq(run_monitor(&f, PVX_ACTION_RESTART, evs, 2, log, sizeof(log)), 0);
	ck_assert_int_eq(f.destroyed, 0); /* someone else destroyed it: no action */
	ck_assert_ptr_nonnull(strstr(log, "domain is gone"));
}
END_TEST

Suite *make_monitor_suite(void)
{
	Suite *s = suite_create("monitor");
	TCase *t = tcase_create("core");

	tcase_add_loop_test(t, step_table, 0, sizeof(steps) / sizeof(steps[0]));
	tcase_add_test(t, restart_limit);
	tcase_add_test(t, monitor_destroys_on_crash);
	tcase_add_test(t, monitor_preserves);
	tcase_add_test(t, monitor_exits_when_gone);
	suite_add_tcase(s, t);
	return s;
}

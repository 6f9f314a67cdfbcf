/*
 * The monitor's loop: wait for events about our domain (pvxd pushes
 * them; nothing here polls pvxd), apply the configured action, repeat.
 * A restart is destroy + wait for pvxd's "gone" event (so the name is
 * free) + a fresh build from the same parsed config, after which the
 * monitor follows the new domid. rename-restart first renames the old
 * domain to NAME-<old id> and leaves it in place. A domain that is gone
 * also leaves xenstore (release + its keys), whoever destroyed it.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <pvx/consoled.h>
#include <pvx/ctlclient.h>
#include <pvx/domtype.h>
#include <pvx/log.h>

#include "monitor.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Next event, waiting at most timeout_ms (-1: forever); -ETIMEDOUT. */
static int next_event(struct pvx_ctl *sub, struct pvx_ctl_event *ev, int timeout_ms)
{
	struct pollfd p = { .fd = pvx_ctl_fd(sub), .events = POLLIN };
	int rc;

	if (pvx_ctl_pending_events(sub) == 0) {
		do
			rc = poll(&p, 1, timeout_ms);
		while (rc < 0 && errno == EINTR);
		if (rc < 0)
			return -errno;
		if (rc == 0)
			return -ETIMEDOUT;
	}
	return pvx_ctl_read_event(sub, ev);
}

static int wait_dead(struct pvx_monitor *m, int32_t domid)
{
	uint64_t deadline = now_ns() + PVX_MON_DEAD_TIMEOUT_MS * 1000000ull;
	struct pvx_ctl_event ev;

	for (;;) {
		uint64_t t = now_ns();
		int rc;

		if (t >= deadline)
			return -ETIMEDOUT;
		rc = next_event(m->sub, &ev, (int)((deadline - t) / 1000000) + 1);
		if (rc < 0)
			return rc;
		if (ev.domid == domid && ev.state == PVX_DOM_DEAD)
			return 0;
	}
}

static int destroy(struct pvx_monitor *m)
{
	int rc;

	/* Let pvx-consoled take the guest's last console text before the
	 * domain and its console_io log are gone (a guest that crashed
	 * before using its ring printed only there). Best effort: no console
	 * daemon is not an error. */
	pvx_consoled_remove(m->domid);
	rc = pvx_ctl_destroy(m->ctl, m->domid);

	if (rc < 0 && rc != -ESRCH && rc != -ENOENT) {
		pvx_log_info("destroy failed: %s", strerror(-rc));
		return rc;
	}
	rc = wait_dead(m, m->domid) == -ETIMEDOUT ? -ETIMEDOUT : 0;
	pvx_xs_domain_remove(m->domid);
	return rc;
}

static int rebuild(struct pvx_monitor *m)
{
	struct pvx_build_result r;
	struct pvx_build_opts o = m->bopts;
	char err[512];
	int rc;

	o.paused = true; /* follow the new domain before it runs */
	o.skip_host_checks = false;
	rc = pvx_build_domain(m->ctl, m->cfg, &o, &r, err, sizeof(err));
	if (rc < 0) {
		pvx_log_info("restart failed: %s", err);
		return rc;
	}
	rc = pvx_ctl_subscribe_dom(m->sub, r.domid);
	if (rc == 0)
		rc = pvx_ctl_unpause(m->ctl, r.domid);
	if (rc < 0) {
		pvx_log_info("restart failed: cannot start domain %d: %s", r.domid,
				strerror(-rc));
		pvx_ctl_destroy(m->ctl, r.domid);
		if (o.on_destroy)
			o.on_destroy(r.domid, o.opaque);
		return rc;
	}
	pvx_log_info("restarted '%s' as domain %d (type %s)", m->cfg->name, r.domid,
		     pvx_type_name(r.type));
	m->domid = r.domid;
	return 0;
}

static int restart(struct pvx_monitor *m, bool rename_old)
{
	char old[PVX_NAME_MAX];
	int rc;

	if (!pvx_monitor_restart_ok(m, now_ns())) {
		pvx_log_info("domain restarted %d times within %d s; destroying it instead",
				PVX_MON_MAX_RESTARTS, PVX_MON_RESTART_WINDOW_S);
		destroy(m);
		return -ELOOP;
	}
	if (rename_old) {
		snprintf(old, sizeof(old), "%.40s-%d", m->cfg->name, m->domid);
		rc = pvx_ctl_rename(m->ctl, m->domid, old);
		if (rc < 0) {
			pvx_log_info("rename to '%s' failed: %s", old, strerror(-rc));
			return rc;
		}
		pvx_log_info("renamed the old domain to '%s' and left it", old);
	} else {
		rc = destroy(m);
		if (rc < 0)
			return rc;
	}
	return rebuild(m);
}

/* 1: keep following the domain; 0: done; <0: error. */
static int apply(struct pvx_monitor *m, enum pvx_mon_step step,
		 const struct pvx_ctl_event *ev)
{
	if (step == PVX_MON_GONE) {
		pvx_xs_domain_remove(m->domid); /* destroyed by someone else */
		pvx_log_info("domain is gone");
		return 0;
	}
	pvx_log_info("domain %s (reason %d): %s", ev->state == PVX_DOM_CRASHED ?
			"crashed" : "shut down", ev->shutdown_reason,
			step == PVX_MON_DESTROY ? "destroy" : step == PVX_MON_PRESERVE ?
			"preserve" : step == PVX_MON_RESTART ? "restart" : "rename-restart");
	switch (step) {
	case PVX_MON_DESTROY: {
		int rc = destroy(m);
		return rc < 0 ? rc : 0;
	}
	case PVX_MON_PRESERVE:
		return 0;
	case PVX_MON_RESTART:
	case PVX_MON_RENAME_RESTART: {
		int rc = restart(m, step == PVX_MON_RENAME_RESTART);
		return rc < 0 ? rc : 1;
	}
	default:
		return 1;
	}
}

static int follow(struct pvx_monitor *m)
{
	struct pvx_ctl_event ev;
	int rc;

	pvx_log_info("monitoring '%s'", m->cfg->name);
	for (;;) {
		enum pvx_mon_step step;

		rc = next_event(m->sub, &ev, -1);
		if (rc < 0) {
			pvx_log_info("lost pvxd (%s); monitor exits", strerror(-rc));
			return rc;
		}
		step = pvx_monitor_step(m->cfg, m->domid, &ev);
		if (step == PVX_MON_IGNORE)
			continue;
		rc = apply(m, step, &ev);
		if (rc <= 0)
			return rc == -ELOOP ? 0 : rc;
	}
}

int pvx_monitor_run(struct pvx_monitor *m)
{
	int rc;

	pvx_monitor_log_start(m);
	rc = follow(m);
	pvx_monitor_log_stop();
	return rc;
}

/*
 * The per-domain monitor (xl's background "monitor" process): it follows
 * one domain through pvxd's event subscription and applies the config's
 * on_poweroff / on_reboot / on_crash when the domain stops, writing what
 * it did to <logdir>/<name>.log. `pvx create` forks it (or runs it in the
 * foreground with -F); it exits when its domain is gone, when it
 * preserved the domain, or when pvxd goes away.
 *
 * The subscription is made before the domain is first unpaused, so even
 * a guest that crashes a microsecond after it starts is seen.
 */
#ifndef PVX_MONITOR_H
#define PVX_MONITOR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <pvx/builder.h>
#include <pvx/config.h>
#include <pvx/ctl.h>

/* Restarts allowed within PVX_MON_RESTART_WINDOW_S before giving up on
 * a domain that keeps dying (xl protects against the same loop). */
#define PVX_MON_MAX_RESTARTS      10
#define PVX_MON_RESTART_WINDOW_S  60
/* How long to wait for pvxd's "gone" event after a destroy. */
#define PVX_MON_DEAD_TIMEOUT_MS   10000

enum pvx_mon_step {
	PVX_MON_IGNORE = 0,   /* not our domain, or nothing to do */
	PVX_MON_GONE,         /* our domain no longer exists: exit */
	PVX_MON_DESTROY,
	PVX_MON_RESTART,
	PVX_MON_PRESERVE,
	PVX_MON_RENAME_RESTART,
};

struct pvx_ctl;
struct pvx_ctl_event;

struct pvx_monitor {
	struct pvx_ctl *sub;          /* subscribed connection: events only */
	struct pvx_ctl *ctl;          /* actions */
	const struct pvx_config *cfg; /* kept for restarts */
	struct pvx_build_opts bopts;  /* how to rebuild */
	int32_t domid;
	uint64_t restart_ns[PVX_MON_MAX_RESTARTS];
	unsigned nrestarts;
};

/* Pure: what the monitor does about ev for a domain configured by cfg. */
enum pvx_mon_step pvx_monitor_step(const struct pvx_config *cfg, int32_t domid,
				   const struct pvx_ctl_event *ev);
/* Pure: records a restart at now_ns; false if that exceeds the limit. */
bool pvx_monitor_restart_ok(struct pvx_monitor *m, uint64_t now_ns);

/* Runs until the domain is gone. Returns 0, or -errno if pvxd failed.
 * Logs (pvx/log.h) to <logdir>/<cfg->name>.log meanwhile. */
int pvx_monitor_run(struct pvx_monitor *m);
/* log.c: points pvx_log() at the monitor's log and its line prefix, and
 * back. */
void pvx_monitor_log_start(struct pvx_monitor *m);
void pvx_monitor_log_stop(void);
/* Opens <logdir>/<name>.log for appending (creating the directory), for
 * a forked monitor's stdout and stderr. */
FILE *pvx_monitor_open_log(const char *name);

#endif /* PVX_MONITOR_H */

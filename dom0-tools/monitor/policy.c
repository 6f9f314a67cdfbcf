/*
 * Monitor policy, kept free of I/O so it is unit tested: which action a
 * domain event calls for, and whether one more restart is allowed.
 *
 * A guest that asks to shut down carries a Xen SHUTDOWN_* reason; pvxd
 * reports a crash (triple fault, KVM error, or SCHEDOP_shutdown(crash))
 * as PVX_DOM_CRASHED. poweroff -> on_poweroff, reboot -> on_reboot,
 * crash -> on_crash, watchdog -> destroy (xl's on_watchdog default);
 * suspend and soft_reset are left to the tools that asked for them.
 */
#include <string.h>

#include <pvx/ctl.h>
#include <xen/public/sched.h>

#include "monitor.h"

static enum pvx_mon_step from_action(enum pvx_action a)
{
	switch (a) {
	case PVX_ACTION_RESTART: return PVX_MON_RESTART;
	case PVX_ACTION_PRESERVE: return PVX_MON_PRESERVE;
	case PVX_ACTION_RENAME_RESTART: return PVX_MON_RENAME_RESTART;
	case PVX_ACTION_DESTROY: break;
	}
	return PVX_MON_DESTROY;
}

enum pvx_mon_step pvx_monitor_step(const struct pvx_config *cfg, int32_t domid,
				   const struct pvx_ctl_event *ev)
{
	if (ev->domid != domid)
		return PVX_MON_IGNORE;
	switch (ev->state) {
	case PVX_DOM_DEAD:
		return PVX_MON_GONE;
	case PVX_DOM_CRASHED:
		return from_action(cfg->on_crash);
	case PVX_DOM_SHUTDOWN:
		break;
	default:
		return PVX_MON_IGNORE;
	}
	switch (ev->shutdown_reason) {
	case SHUTDOWN_poweroff: return from_action(cfg->on_poweroff);
	case SHUTDOWN_reboot: return from_action(cfg->on_reboot);
	case SHUTDOWN_crash: return from_action(cfg->on_crash);
	case SHUTDOWN_watchdog: return PVX_MON_DESTROY;
	default: return PVX_MON_IGNORE;
	}
}

bool pvx_monitor_restart_ok(struct pvx_monitor *m, uint64_t now_ns)
{
	const uint64_t window = (uint64_t)PVX_MON_RESTART_WINDOW_S * 1000000000ull;
	unsigned keep = 0;

	/* Forget restarts that left the window, oldest first. */
	for (unsigned i = 0; i < m->nrestarts; i++)
		if (now_ns - m->restart_ns[i] < window)
			m->restart_ns[keep++] = m->restart_ns[i];
	m->nrestarts = keep;
	if (m->nrestarts == PVX_MON_MAX_RESTARTS)
		return false;
	m->restart_ns[m->nrestarts++] = now_ns;
	return true;
}

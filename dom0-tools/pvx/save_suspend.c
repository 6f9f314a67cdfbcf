/*
 * Cooperative suspend, Xen's way: the toolstack writes
 * control/shutdown = "suspend"; the guest quiesces its frontends and
 * calls SCHEDOP_shutdown(SHUTDOWN_suspend), which pvxd reports as a
 * PVX_DOM_SHUTDOWN event with that reason. We subscribe to the domain
 * before asking, so the answer cannot be missed, and wait in poll() on
 * the subscription. A guest that does not answer in time (or says
 * control/feature-suspend = "0") is an error: the request is withdrawn
 * (the node reset to "", as libxl cancels) and the domain left running.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pvx/ctlclient.h>
#include <pvx/xs.h>
#include <xen/public/sched.h>

#include "pvcontrol.h"
#include "save_ctl.h"

double pvx_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int pvx_save_suspend_timeout(void)
{
	const char *e = getenv("PVX_SUSPEND_TIMEOUT_MS");
	long v = e ? strtol(e, NULL, 10) : 0;

	return v > 0 && v < 3600000 ? (int)v : PVX_SUSPEND_TIMEOUT_MS;
}

static bool suspended(const struct pvx_ctl_dominfo *d)
{
	return d->state == PVX_DOM_SHUTDOWN && d->shutdown_reason == SHUTDOWN_suspend;
}

static void withdraw(struct xs_handle *h, int32_t domid)
{
	char path[96], *val = NULL;

	snprintf(path, sizeof(path), "/local/domain/%d/control/shutdown", domid);
	if (xs_read(h, XBT_NULL, path, &val, NULL) == 0 && strcmp(val, "suspend") == 0)
		xs_write_str(h, XBT_NULL, path, "");
	free(val);
}

/* Until the domain is suspended, stops otherwise, or the deadline. */
static int wait_suspended(struct pvx_ctl *sub, int32_t domid, double deadline)
{
	for (;;) {
		struct pvx_ctl_event ev;
		struct pollfd p = { .fd = pvx_ctl_fd(sub), .events = POLLIN };
		double left = deadline - pvx_now_ms();
		int rc;

		if (!pvx_ctl_pending_events(sub)) {
			if (left <= 0)
				return -ETIMEDOUT;
			rc = poll(&p, 1, (int)left + 1);
			if (rc < 0 && errno != EINTR)
				return -errno;
			if (rc <= 0)
				continue;
		}
		rc = pvx_ctl_read_event(sub, &ev);
		if (rc < 0)
			return rc;
		if (ev.domid != domid)
			continue;
		if (ev.state == PVX_DOM_SHUTDOWN && ev.shutdown_reason == SHUTDOWN_suspend)
			return 0;
		if (ev.state == PVX_DOM_DEAD || ev.state == PVX_DOM_CRASHED ||
		    ev.state == PVX_DOM_SHUTDOWN || ev.state == PVX_DOM_DYING)
			return -ESRCH;
	}
}

int pvx_save_suspend(struct pvx_ctl *c, int32_t domid, int timeout_ms,
		     char *err, size_t errlen)
{
	struct pvx_ctl *sub = NULL;
	struct xs_handle *h = NULL;
	struct pvx_ctl_dominfo d;
	struct pvx_pvreq req = { .domid = domid };
	int rc = pvx_ctl_info(c, domid, &d);

	if (rc == 0 && suspended(&d))
		return 0;
	if (rc == 0 && d.state != PVX_DOM_RUNNING && d.state != PVX_DOM_PAUSED) {
		snprintf(err, errlen, "domain %d is %s, not running", domid,
			 d.state == PVX_DOM_SHUTDOWN ? "shut down" : "not running");
		return -EINVAL;
	}
	if (rc == 0)
		rc = pvx_ctl_open(&sub);
	if (rc == 0)
		rc = pvx_ctl_subscribe_dom(sub, domid);
	if (rc == 0)
		rc = xs_open(&h);
	if (rc < 0) {
		snprintf(err, errlen, "cannot ask domain %d to suspend: %s", domid, strerror(-rc));
		goto out;
	}
	pvx_pvcontrol_send(h, &req, 1, "suspend");
	if (req.err) {
		rc = req.err;
		snprintf(err, errlen, "domain %d cannot be asked to suspend: %s", domid,
			 rc == -EOPNOTSUPP ? "the guest has control/feature-suspend = 0" :
			 rc == -ENOENT ? "it has no control/shutdown node" : strerror(-rc));
		goto out;
	}
	rc = wait_suspended(sub, domid, pvx_now_ms() + timeout_ms);
	if (rc == -ETIMEDOUT)
		snprintf(err, errlen, "domain %d did not suspend within %d ms (request withdrawn,"
			 " domain left as it was)", domid, timeout_ms);
	else if (rc < 0)
		snprintf(err, errlen, "domain %d stopped instead of suspending", domid);
	if (rc < 0)
		withdraw(h, domid);
out:
	xs_close(h);
	pvx_ctl_close(sub);
	return rc;
}

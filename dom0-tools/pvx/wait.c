/*
 * Waiting for domains without polling pvxd: subscribe first, act, check
 * the state once (the change may have happened before we looked), then
 * sleep in poll() on the subscription socket until pvxd pushes the
 * events we wait for.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include <pvx/ctlclient.h>

#include "cmd.h"
#include "wait.h"

struct pvx_ctl *pvx_wait_open(void)
{
	struct pvx_ctl *sub = pvx_connect();
	int rc;

	if (!sub)
		return NULL;
	rc = pvx_ctl_subscribe(sub);
	if (rc < 0) {
		pvx_err("cannot subscribe to domain events: %s", strerror(-rc));
		pvx_ctl_close(sub);
		return NULL;
	}
	return sub;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int next_event(struct pvx_ctl *sub, struct pvx_ctl_event *ev, int64_t deadline)
{
	struct pollfd p = { .fd = pvx_ctl_fd(sub), .events = POLLIN };
	int rc;

	if (pvx_ctl_pending_events(sub) == 0) {
		int64_t left = deadline < 0 ? -1 : deadline - now_ms();
		if (deadline >= 0 && left <= 0)
			return -ETIMEDOUT;
		do
			rc = poll(&p, 1, (int)left);
		while (rc < 0 && errno == EINTR);
		if (rc == 0)
			return -ETIMEDOUT;
		if (rc < 0)
			return -errno;
	}
	return pvx_ctl_read_event(sub, ev);
}

static bool reached(uint32_t state, enum pvx_wait_for what)
{
	if (state == PVX_DOM_DEAD)
		return true;
	return what == PVX_WAIT_STOPPED &&
	       (state == PVX_DOM_SHUTDOWN || state == PVX_DOM_CRASHED);
}

static size_t mark(int32_t *ids, size_t n, int32_t domid, uint32_t state,
		   enum pvx_wait_for what)
{
	size_t left = 0;

	for (size_t i = 0; i < n; i++) {
		if (ids[i] == domid && reached(state, what))
			ids[i] = -1;
		left += ids[i] >= 0;
	}
	return left;
}

int pvx_wait_doms(struct pvx_ctl *sub, struct pvx_ctl *c, int32_t *ids, size_t n,
		  enum pvx_wait_for what, int timeout_ms)
{
	int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	struct pvx_ctl_dominfo d;
	struct pvx_ctl_event ev;
	size_t left = 0;

	for (size_t i = 0; i < n; i++) {
		if (ids[i] < 0)
			continue;
		int rc = pvx_ctl_info(c, ids[i], &d);
		left += mark(&ids[i], 1, ids[i], rc < 0 ? PVX_DOM_DEAD : d.state, what);
	}
	while (left) {
		int rc = next_event(sub, &ev, deadline);
		if (rc < 0)
			return rc;
		left = mark(ids, n, ev.domid, ev.state, what);
	}
	return 0;
}

int pvx_wait_named(struct pvx_ctl *sub, struct pvx_ctl *c, const char *name,
		   int32_t old_id, int timeout_ms, int32_t *new_id)
{
	int64_t deadline = now_ms() + timeout_ms;
	struct pvx_ctl_dominfo d;
	struct pvx_ctl_event ev;

	for (;;) {
		if (pvx_ctl_lookup(c, name, new_id) == 0 && *new_id != old_id &&
		    pvx_ctl_info(c, *new_id, &d) == 0 && d.state == PVX_DOM_RUNNING)
			return 0;
		int rc = next_event(sub, &ev, deadline);
		if (rc < 0)
			return rc;
	}
}

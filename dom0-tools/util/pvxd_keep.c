/*
 * pvx_pvxd_keep (pvx/daemon.h): a backend's connection to pvxd, kept
 * across pvxd's restarts. A Dom0 control connection carries nothing
 * unasked, so its hang-up (EV_CLOSED) means pvxd is gone, and every
 * ring, grant mapping and port of ours with it, and the domains they
 * served. Then: lost() (drop the devices, close the connection), one log
 * line, and a timer that calls open() every 100 ms doubling to 2 s (one
 * line when pvxd stays away, one when it is back), then back() (rescan).
 * Before it, pvx-blkback and pvx-netback kept the dead connection and
 * could serve no device of a restarted pvxd.
 */
#include <errno.h>
#include <stdbool.h>

#include <event2/event.h>

#include <pvx/daemon.h>
#include <pvx/log.h>

#define KEEP_MIN_MS 100u
#define KEEP_MAX_MS 2000u

static void arm(struct pvx_pvxd_keep *k)
{
	struct timeval tv = { k->ms / 1000, (k->ms % 1000) * 1000 };

	evtimer_add(k->timer, &tv);
	k->ms = k->ms * 2 > KEEP_MAX_MS ? KEEP_MAX_MS : k->ms * 2;
}

static void unwatch(struct pvx_pvxd_keep *k)
{
	if (k->hup)
		event_free(k->hup);
	k->hup = NULL;
}

static void hup_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pvx_pvxd_keep *k = arg;

	(void)fd;
	(void)what;
	pvx_log_warn("lost pvxd: closing every %s (their domains died with it);"
		     " reconnecting", k->what);
	unwatch(k);
	k->lost(k->ctx);
	k->said = true;
	k->ms = KEEP_MIN_MS;
	arm(k);
}

/* Opens the connection and watches its hang-up. */
static int connect_watch(struct pvx_pvxd_keep *k, bool quiet)
{
	int fd = k->open(k->ctx, quiet);

	if (fd < 0)
		return fd;
	k->hup = event_new(k->base, fd, EV_CLOSED | EV_PERSIST, hup_cb, k);
	if (!k->hup || event_add(k->hup, NULL) < 0) {
		unwatch(k);
		k->lost(k->ctx);
		return -ENOMEM;
	}
	return 0;
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pvx_pvxd_keep *k = arg;

	(void)fd;
	(void)what;
	if (connect_watch(k, true) < 0) {
		if (!k->said)
			pvx_log_warn("pvxd not reachable; retrying up to every %u ms",
				     KEEP_MAX_MS);
		k->said = true;
		arm(k);
		return;
	}
	pvx_log_info("reconnected to pvxd");
	k->said = false;
	k->ms = KEEP_MIN_MS;
	k->back(k->ctx);
}

int pvx_pvxd_keep_start(struct pvx_pvxd_keep *k)
{
	int rc;

	k->ms = KEEP_MIN_MS;
	k->timer = evtimer_new(k->base, timer_cb, k);
	if (!k->timer)
		return -ENOMEM;
	rc = connect_watch(k, false);
	if (rc < 0) {
		event_free(k->timer);
		k->timer = NULL;
	}
	return rc;
}

void pvx_pvxd_keep_stop(struct pvx_pvxd_keep *k)
{
	unwatch(k);
	if (k->timer)
		event_free(k->timer);
	k->timer = NULL;
}

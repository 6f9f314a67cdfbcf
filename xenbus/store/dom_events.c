/*
 * Domain lifecycle events from pvxd. pvxstored keeps one subscribed
 * control connection (libpvxctl: a subscribed connection is used for
 * nothing else); its socket sits in the libevent loop. If pvxd is not
 * running, or goes away, a timer retries (100 ms, doubling up to 2 s), so
 * pvxstored can be started first and survives a pvxd restart; one log
 * line per change of state, none per retry.
 *
 * pvxd never drops a subscriber (it drops events instead), so losing a
 * connection that was subscribed means pvxd is gone, and its domains with
 * it: xs_platform_lost() (dom_lost.c) releases and purges them.
 *
 * For an introduced domain: SHUTDOWN or CRASHED fires @releaseDomain
 * (watchers such as the toolstack's monitor then look at the domain's
 * state); DEAD releases it: the ring connection ends, its watches and
 * transactions with it, the mapping and binding go, and @releaseDomain
 * fires. A later RELEASE from the toolstack then answers ENOENT, which
 * libxl-style callers ignore.
 */
#include <errno.h>
#include <event2/event.h>
#include <stdbool.h>
#include <stdlib.h>

#include <pvx/ctlclient.h>

#include "dom_events.h"

struct dom_events {
	struct xs_store *st;
	struct pvx_ctl *ctl;
	struct event *rd, *retry;
	unsigned backoff_ms;    /* the next retry's delay */
	bool said_absent;       /* "pvxd not there" logged since the last change */
};

#define DE_BACKOFF_MIN_MS 100u
#define DE_BACKOFF_MAX_MS 2000u

void dom_events_apply(struct xs_store *st, const struct pvx_ctl_event *ev)
{
	struct xs_domain *d;

	if (ev->domid <= 0)
		return;
	d = domain_get(st, (uint32_t)ev->domid, false);
	if (!d || !d->introduced)
		return;
	switch (ev->state) {
	case PVX_DOM_SHUTDOWN:
	case PVX_DOM_CRASHED:
		pvx_log_info("domain %d %s: firing @releaseDomain",
		       ev->domid, ev->state == PVX_DOM_CRASHED ? "crashed" : "shut down");
		watch_fire_special(st, "@releaseDomain", d->domid);
		break;
	case PVX_DOM_DEAD:
		xs_domain_release(st, d);
		break;
	default:
		break;
	}
}

static void disconnect(struct dom_events *de)
{
	struct timeval tv = { de->backoff_ms / 1000, (de->backoff_ms % 1000) * 1000 };

	if (de->rd) {
		event_free(de->rd);
		de->rd = NULL;
	}
	if (de->ctl) {
		pvx_ctl_close(de->ctl);
		de->ctl = NULL;
	}
	evtimer_add(de->retry, &tv);
	de->backoff_ms = de->backoff_ms * 2 > DE_BACKOFF_MAX_MS ? DE_BACKOFF_MAX_MS
								 : de->backoff_ms * 2;
}

static void drain(struct dom_events *de)
{
	struct pvx_ctl_event ev;

	while (pvx_ctl_pending_events(de->ctl) > 0 &&
	       pvx_ctl_read_event(de->ctl, &ev) == 0)
		dom_events_apply(de->st, &ev);
}

static void read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dom_events *de = arg;
	struct pvx_ctl_event ev;

	(void)fd;
	(void)what;
	if (pvx_ctl_read_event(de->ctl, &ev)) {
		unsigned n;

		de->backoff_ms = DE_BACKOFF_MIN_MS;
		disconnect(de);
		n = xs_platform_lost(de->st);
		pvx_log_warn("lost pvxd: its domains died with it (%u domain trees"
			     " purged); reconnecting", n);
		de->said_absent = true;
		return;
	}
	dom_events_apply(de->st, &ev);
	drain(de);
}

static void retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dom_events *de = arg;

	(void)fd;
	(void)what;
	if (pvx_ctl_open(&de->ctl)) {
		de->ctl = NULL;
		goto retry;
	}
	de->rd = event_new(de->st->base, pvx_ctl_fd(de->ctl), EV_READ | EV_PERSIST,
			   read_cb, de);
	if (!de->rd || pvx_ctl_subscribe(de->ctl) || event_add(de->rd, NULL))
		goto retry;
	pvx_log_info("subscribed to pvxd domain events");
	de->said_absent = false;
	de->backoff_ms = DE_BACKOFF_MIN_MS;
	drain(de);
	return;
retry:
	if (!de->said_absent)
		pvx_log_info("pvxd not reachable; retrying up to every %u ms",
			     DE_BACKOFF_MAX_MS);
	de->said_absent = true;
	disconnect(de);
}

int dom_events_start(struct xs_store *st, struct dom_events **out)
{
	struct dom_events *de = calloc(1, sizeof(*de));

	if (!de)
		return -ENOMEM;
	de->st = st;
	de->backoff_ms = DE_BACKOFF_MIN_MS;
	de->retry = evtimer_new(st->base, retry_cb, de);
	if (!de->retry) {
		free(de);
		return -ENOMEM;
	}
	retry_cb(-1, 0, de);
	*out = de;
	return 0;
}

void dom_events_stop(struct dom_events *de)
{
	if (!de)
		return;
	if (de->rd)
		event_free(de->rd);
	if (de->ctl)
		pvx_ctl_close(de->ctl);
	event_free(de->retry);
	free(de);
}

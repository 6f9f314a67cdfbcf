/*
 * Domain lifecycle events from pvxd. pvxstored keeps one subscribed
 * control connection (libpvxctl: a subscribed connection is used for
 * nothing else); its socket sits in the libevent loop. If pvxd is not
 * running, or goes away, a one-second timer retries, so pvxstored can be
 * started first and survives a pvxd restart.
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
#include <stdlib.h>

#include <pvx/ctlclient.h>

#include "dom_events.h"

struct dom_events {
	struct xs_store *st;
	struct pvx_ctl *ctl;
	struct event *rd, *retry;
};

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
	struct timeval one = { 1, 0 };

	if (de->rd) {
		event_free(de->rd);
		de->rd = NULL;
	}
	if (de->ctl) {
		pvx_ctl_close(de->ctl);
		de->ctl = NULL;
	}
	evtimer_add(de->retry, &one);
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
		pvx_log_warn("pvxd event connection lost; retrying");
		disconnect(de);
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
		disconnect(de);
		return;
	}
	de->rd = event_new(de->st->base, pvx_ctl_fd(de->ctl), EV_READ | EV_PERSIST,
			   read_cb, de);
	if (!de->rd || pvx_ctl_subscribe(de->ctl) || event_add(de->rd, NULL)) {
		disconnect(de);
		return;
	}
	pvx_log_info("subscribed to pvxd domain events");
	drain(de);
}

int dom_events_start(struct xs_store *st, struct dom_events **out)
{
	struct dom_events *de = calloc(1, sizeof(*de));

	if (!de)
		return -ENOMEM;
	de->st = st;
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

/*
 * pvx-consoled's two connections to pvxd: `ctl` for calls (mapping
 * memory, binding ports; the ports we bind belong to it) and `sub`, a
 * subscribed connection that only carries domain events.
 *
 * consoled may start before pvxd, and pvxd may go away (killed -9 and
 * restarted): a timer reconnects (100 ms, doubling up to 2 s; one log
 * line per change of state), and an `add` that finds us disconnected
 * connects at once. On connecting we subscribe first and then serve
 * every domain that already has a console (we may have been restarted),
 * so no death is missed. That scan runs from the timer, never inside an
 * `add`: the add's own domain would be served twice (the second binding
 * of its port failed with EINVAL, and the add with it).
 *
 * Events: SHUTDOWN / CRASHED / DYING drain the ring (the guest has
 * stopped writing: its last words are there) and take its console_io
 * text if it never used the ring (early.c); DEAD drains it a last
 * time and removes the domain. When pvxd goes away every domain is gone
 * with it: all are removed after a last drain.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/ctlclient.h>
#include <xen/public/hvm/params.h>

#include "consoled.h"

struct cons_pvxd {
	struct pvx_ctl *ctl, *sub;
	struct event *ev;
	bool scanned;
};

#define CONS_BACKOFF_MIN_MS 100u
#define CONS_BACKOFF_MAX_MS 2000u

static void arm(struct consoled *cd, unsigned ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	if (cd->pvxd_timer)
		evtimer_add(cd->pvxd_timer, &tv);
}

static void remove_all(struct consoled *cd)
{
	struct cons_dom *d;

	while ((d = LIST_FIRST(&cd->doms)))
		cons_dom_remove(d);
}

static void disconnect(struct consoled *cd)
{
	struct cons_pvxd *p = cd->pvxd;

	if (!p)
		return;
	remove_all(cd);         /* their ports live on p->ctl: release first */
	if (p->ev)
		event_free(p->ev);
	pvx_ctl_close(p->sub);
	pvx_ctl_close(p->ctl);
	free(p);
	cd->pvxd = NULL;
}

static void event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct consoled *cd = arg;
	struct pvx_ctl_event ev;
	struct cons_dom *d;
	int rc;

	(void)fd;
	(void)what;
	rc = pvx_ctl_read_event(cd->pvxd->sub, &ev);
	if (rc < 0) {
		pvx_log_warn("lost pvxd (%s); closing every console, reconnecting",
			     strerror(-rc));
		disconnect(cd);
		cd->pvxd_said_absent = true;
		cd->pvxd_backoff_ms = CONS_BACKOFF_MIN_MS;
		arm(cd, cd->pvxd_backoff_ms);
		return;
	}
	d = cons_dom_find(cd, ev.domid);
	if (!d)
		return;
	if (ev.state == PVX_DOM_DEAD)
		cons_dom_remove(d);
	else if (ev.state == PVX_DOM_SHUTDOWN || ev.state == PVX_DOM_CRASHED ||
		 ev.state == PVX_DOM_DYING)
		cons_dom_stopped(d);
}

/* Serves the domains that exist already and have a console. */
static void scan(struct consoled *cd)
{
	struct pvx_ctl_dominfo *list = NULL;
	struct cons_dom *d;
	uint64_t port;
	size_t n = 0;

	cd->pvxd->scanned = true;
	if (pvx_ctl_list(cd->pvxd->ctl, &list, &n))
		return;
	for (size_t i = 0; i < n; i++) {
		if (list[i].domid <= 0 || list[i].state == PVX_DOM_DYING ||
		    list[i].state == PVX_DOM_DEAD)
			continue;
		if (pvx_ctl_get_hvm_param(cd->pvxd->ctl, list[i].domid,
					  HVM_PARAM_CONSOLE_EVTCHN, &port) || !port)
			continue;
		list[i].name[sizeof(list[i].name) - 1] = '\0';
		cons_dom_add(cd, list[i].domid, list[i].name, &d);
	}
	free(list);
}

static int connect_pvxd(struct consoled *cd)
{
	struct cons_pvxd *p = calloc(1, sizeof(*p));
	int rc;

	if (!p)
		return -ENOMEM;
	cd->pvxd = p;
	rc = pvx_ctl_open(&p->ctl);
	if (!rc)
		rc = pvx_ctl_open(&p->sub);
	if (!rc)
		rc = pvx_ctl_subscribe(p->sub);
	if (rc)
		goto err;
	p->ev = event_new(cd->ds.base, pvx_ctl_fd(p->sub), EV_READ | EV_PERSIST,
			  event_cb, cd);
	if (!p->ev || event_add(p->ev, NULL)) {
		rc = -ENOMEM;
		goto err;
	}
	pvx_log_info("connected to pvxd");
	cd->pvxd_said_absent = false;
	cd->pvxd_backoff_ms = CONS_BACKOFF_MIN_MS;
	return 0;
err:
	disconnect(cd);
	return rc;
}

/* Connects if need be, then serves what exists; else retries later. */
static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct consoled *cd = arg;
	int rc = 0;

	(void)fd;
	(void)what;
	if (!cd->pvxd)
		rc = connect_pvxd(cd);
	if (!rc) {
		if (!cd->pvxd->scanned)
			scan(cd);
		return;
	}
	if (!cd->pvxd_said_absent)
		pvx_log_info("pvxd not reachable (%s); retrying up to every %u ms",
			     strerror(-rc), CONS_BACKOFF_MAX_MS);
	cd->pvxd_said_absent = true;
	arm(cd, cd->pvxd_backoff_ms);
	cd->pvxd_backoff_ms = cd->pvxd_backoff_ms * 2 > CONS_BACKOFF_MAX_MS ?
			      CONS_BACKOFF_MAX_MS : cd->pvxd_backoff_ms * 2;
}

struct pvx_ctl *cons_pvxd_ctl(struct consoled *cd)
{
	if (!cd->pvxd) {
		if (connect_pvxd(cd))
			return NULL;
		arm(cd, 0); /* the scan, after this add */
	}
	return cd->pvxd->ctl;
}

int cons_pvxd_start(void *consoled)
{
	struct consoled *cd = consoled;

	cd->pvxd_timer = evtimer_new(cd->ds.base, timer_cb, cd);
	if (!cd->pvxd_timer)
		return -ENOMEM;
	cd->pvxd_backoff_ms = CONS_BACKOFF_MIN_MS;
	timer_cb(-1, 0, cd);
	return 0;
}

void cons_pvxd_stop(void *consoled)
{
	struct consoled *cd = consoled;

	disconnect(cd);
	if (cd->pvxd_timer)
		event_free(cd->pvxd_timer);
	cd->pvxd_timer = NULL;
}

/*
 * pvx-consoled's two connections to pvxd: `ctl` for calls (mapping
 * memory, binding ports; the ports we bind belong to it) and `sub`, a
 * subscribed connection that only carries domain events.
 *
 * Connecting is lazy: consoled may start before pvxd, and pvxd may go
 * away; every `add` first makes sure we are connected. On connecting we
 * subscribe first and then serve every domain that already has a
 * console (we may have been restarted), so no death is missed.
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
};

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
		pvx_log_warn("lost pvxd (%s); closing every console", strerror(-rc));
		disconnect(cd);
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
	scan(cd);
	return 0;
err:
	disconnect(cd);
	return rc;
}

struct pvx_ctl *cons_pvxd_ctl(struct consoled *cd)
{
	if (!cd->pvxd && connect_pvxd(cd))
		return NULL;
	return cd->pvxd->ctl;
}

int cons_pvxd_start(void *consoled)
{
	struct consoled *cd = consoled;
	int rc = connect_pvxd(cd);

	if (rc)
		pvx_log_info("pvxd not reachable yet (%s); will connect on the"
		     " first add", strerror(-rc));
	return 0;
}

void cons_pvxd_stop(void *consoled)
{
	disconnect(consoled);
}

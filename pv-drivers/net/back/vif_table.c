/*
 * The set of vifs: discovery from xenstore paths, creation, removal.
 *
 * One watch covers PVX_NET_BE_ROOT (every backend directory of every
 * domain); each vif adds a watch on its frontend directory F, token
 * "fe/<domid>/<devid>". An event path is parsed, never trusted: it must
 * look like BE_ROOT/<domid>/<devid>[/...] with numbers in range, and
 * B/frontend must name exactly /local/domain/<domid>/device/vif/<devid>
 * (a B pointing at another domain's directory would let that domain
 * drive this vif).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netbackd.h"

static struct nb_vif *vif_find(struct netbackd *d, int32_t domid, uint32_t devid)
{
	struct nb_vif *v;

	LIST_FOREACH(v, &d->vifs, link)
		if (v->domid == domid && v->devid == devid)
			return v;
	return NULL;
}

static void close_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nb_vif *v = arg;

	(void)fd;
	(void)what;
	nb_rings_disconnect(v);
	nb_vif_set_state(v, XenbusStateClosing);
	nb_vif_set_state(v, XenbusStateClosed);
}

void nb_vif_ring_broken(struct nb_vif *v)
{
	/* Not from inside the ring's own event callback: next loop turn. */
	struct timeval now = { 0, 0 };

	if (v->close_ev)
		event_add(v->close_ev, &now);
}

static bool frontend_ok(struct nb_vif *v, const char *fe)
{
	char want[128];

	snprintf(want, sizeof(want), "/local/domain/%d/%s/%u", (int)v->domid,
		 PVX_NET_FE_DIR, v->devid);
	return strcmp(fe, want) == 0;
}

static struct nb_vif *vif_new(struct netbackd *d, int32_t domid, uint32_t devid)
{
	struct nb_vif *v = calloc(1, sizeof(*v));
	char fe[128];
	int rc;

	if (!v)
		return NULL;
	v->d = d;
	v->domid = domid;
	v->devid = devid;
	snprintf(v->be, sizeof(v->be), "%s/%d/%u", PVX_NET_BE_ROOT, (int)domid, devid);
	rc = nb_xs_read_str(d, v->be, "frontend", fe, sizeof(fe));
	if (rc == 0 && !frontend_ok(v, fe)) {
		pvx_log_err("domain %d vif %u: key frontend: '%.60s' is not this vif's "
			    "frontend directory", (int)domid, devid, fe);
		rc = -EINVAL;
	}
	if (rc < 0) {
		free(v);
		return NULL; /* not (yet) a complete backend directory */
	}
	snprintf(v->fe, sizeof(v->fe), "%s", fe);
	for (unsigned i = 0; i < PVX_NET_MAX_QUEUES; i++)
		v->q[i].tap_fd = -1;
	v->close_ev = evtimer_new(d->ds.base, close_cb, v);
	snprintf(v->fe_token, sizeof(v->fe_token), "fe/%d/%u", (int)domid, devid);
	if (!v->close_ev || xs_watch(d->xs, v->fe, v->fe_token) < 0) {
		if (v->close_ev)
			event_free(v->close_ev);
		free(v);
		return NULL;
	}
	v->state = -1;
	LIST_INSERT_HEAD(&d->vifs, v, link);
	pvx_log_info("%s: new vif, frontend %s", v->be, v->fe);
	return v;
}

void nb_vif_remove(struct nb_vif *v, bool delete_tap)
{
	int rc;

	nb_rings_disconnect(v);
	pvx_gnttab_release_idle(v->d->gnt); /* keep no dead domain's memory */
	xs_unwatch(v->d->xs, v->fe, v->fe_token);
	event_free(v->close_ev);
	LIST_REMOVE(v, link);
	if (delete_tap && v->cfg_ok) {
		rc = nb_tap_delete(v->cfg.vifname);
		if (rc < 0)
			pvx_log_warn("%s: cannot delete TAP %s: %s", v->be, v->cfg.vifname,
				     strerror(-rc));
		else
			pvx_log_info("%s: removed, TAP %s deleted", v->be, v->cfg.vifname);
		nb_taps_save(v->d);
	} else {
		pvx_log_info("%s: removed", v->be);
	}
	free(v);
}

static void backend_seen(void *ctx, const char *path, int32_t domid, uint32_t devid)
{
	struct netbackd *d = ctx;
	struct nb_vif *v = vif_find(d, domid, devid);

	(void)path;
	if (!v)
		v = vif_new(d, domid, devid);
	if (v)
		nb_vif_update(v);
}

void nb_vif_watch_event(struct netbackd *d, const char *path)
{
	struct nb_vif *v, *next;
	int32_t domid;
	uint32_t devid;

	if (xs_path_under(path, PVX_NET_BE_ROOT)) {
		if (xs_backend_parse(PVX_NET_BE_ROOT, path, 0xFFFF, &domid, &devid) == 0)
			backend_seen(d, path, domid, devid);
		else
			nb_vif_scan(d); /* a whole domain's directory came or went */
		return;
	}
	LIST_FOREACH_SAFE(v, &d->vifs, link, next)
		if (xs_path_under(path, v->fe))
			nb_vif_update(v);
}

/* Walks every B: new ones are created, known ones re-evaluated, vanished
 * ones freed; a directory whose name is not <domid>/<devid> is skipped. */
int nb_vif_scan(struct netbackd *d)
{
	struct nb_vif *v, *next;
	int skipped;

	LIST_FOREACH_SAFE(v, &d->vifs, link, next)
		nb_vif_update(v); /* frees the ones whose B is gone */
	skipped = xs_backend_each(d->xs, PVX_NET_BE_ROOT, 0xFFFF, backend_seen, d);
	if (skipped > 0)
		pvx_log_warn("%s: %d entries are not <domid>/<devid>: ignored", PVX_NET_BE_ROOT, skipped);
	return 0;
}

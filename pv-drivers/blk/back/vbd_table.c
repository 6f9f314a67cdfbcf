/*
 * The set of vbds: discovery from xenstore paths, creation, removal.
 *
 * One watch covers B_ROOT (every backend directory of every domain); each
 * vbd adds a watch on its frontend directory F, whose token is
 * "fe/<domid>/<devid>". An event path is parsed, never trusted: B_ROOT
 * events must look like B_ROOT/<domid>/<devid>[/...] with numbers in
 * range, and F comes from B/frontend, which the toolstack wrote (B is not
 * guest-writable).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"

static struct bb_vbd *vbd_find(struct blkbackd *d, int32_t domid, uint32_t devid)
{
	struct bb_vbd *v;

	LIST_FOREACH(v, &d->vbds, link)
		if (v->domid == domid && v->devid == devid)
			return v;
	return NULL;
}

static void close_cb(evutil_socket_t fd, short what, void *arg)
{
	struct bb_vbd *v = arg;

	(void)fd;
	(void)what;
	bb_rings_disconnect(v);
	bb_vbd_set_state(v, XenbusStateClosing);
	bb_vbd_set_state(v, XenbusStateClosed);
}

void bb_vbd_ring_broken(struct bb_vbd *v)
{
	/* Not from inside the ring's own event callback: next loop turn. */
	struct timeval now = { 0, 0 };

	if (v->close_ev)
		event_add(v->close_ev, &now);
}

static struct bb_vbd *vbd_new(struct blkbackd *d, int32_t domid, uint32_t devid)
{
	struct bb_vbd *v = calloc(1, sizeof(*v));
	char path[160], *fe = NULL;

	if (!v)
		return NULL;
	v->d = d;
	v->domid = domid;
	v->devid = devid;
	v->fd = -1;
	snprintf(v->be, sizeof(v->be), "%s/%d/%u", BLKBACK_BE_ROOT, (int)domid, devid);
	snprintf(path, sizeof(path), "%s/frontend", v->be);
	if (xs_read(d->xs, XBT_NULL, path, &fe, NULL) < 0 || strlen(fe) >= sizeof(v->fe) ||
	    fe[0] != '/') {
		free(fe);
		free(v);
		return NULL; /* not (yet) a complete backend directory */
	}
	snprintf(v->fe, sizeof(v->fe), "%s", fe);
	free(fe);
	v->close_ev = evtimer_new(d->ds.base, close_cb, v);
	snprintf(v->fe_token, sizeof(v->fe_token), "fe/%d/%u", (int)domid, devid);
	if (!v->close_ev || xs_watch(d->xs, v->fe, v->fe_token) < 0) {
		if (v->close_ev)
			event_free(v->close_ev);
		free(v);
		return NULL;
	}
	v->state = -1;
	LIST_INSERT_HEAD(&d->vbds, v, link);
	pvx_log_info("%s: new vbd, frontend %s", v->be, v->fe);
	return v;
}

void bb_vbd_remove(struct bb_vbd *v)
{
	bb_rings_disconnect(v);
	bb_disk_close(v);
	xs_unwatch(v->d->xs, v->fe, v->fe_token);
	event_free(v->close_ev);
	LIST_REMOVE(v, link);
	pvx_log_info("%s: removed", v->be);
	free(v);
}

static void backend_seen(void *ctx, const char *path, int32_t domid, uint32_t devid)
{
	struct blkbackd *d = ctx;
	struct bb_vbd *v = vbd_find(d, domid, devid);

	(void)path;
	if (!v)
		v = vbd_new(d, domid, devid);
	if (v)
		bb_vbd_update(v);
}

void bb_vbd_watch_event(struct blkbackd *d, const char *path)
{
	struct bb_vbd *v, *next;
	int32_t domid;
	uint32_t devid;

	if (xs_path_under(path, BLKBACK_BE_ROOT)) {
		if (xs_backend_parse(BLKBACK_BE_ROOT, path, UINT32_MAX, &domid, &devid) == 0)
			backend_seen(d, path, domid, devid);
		else
			bb_vbd_scan(d); /* a whole domain's directory came or went */
		return;
	}
	LIST_FOREACH_SAFE(v, &d->vbds, link, next)
		if (xs_path_under(path, v->fe))
			bb_vbd_update(v);
}

/* Walks every B: new ones are created, known ones re-evaluated, vanished
 * ones freed; a directory whose name is not <domid>/<devid> is skipped. */
int bb_vbd_scan(struct blkbackd *d)
{
	struct bb_vbd *v, *next;
	int skipped;

	LIST_FOREACH_SAFE(v, &d->vbds, link, next)
		bb_vbd_update(v); /* frees the ones whose B is gone */
	skipped = xs_backend_each(d->xs, BLKBACK_BE_ROOT, UINT32_MAX, backend_seen, d);
	if (skipped > 0)
		pvx_log_warn("%s: %d entries are not <domid>/<devid>: ignored", BLKBACK_BE_ROOT, skipped);
	return 0;
}

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

/* B_ROOT/<domid>/<devid>[/...] -> numbers; -EINVAL for anything else. */
static int parse_be_path(const char *path, int32_t *domid, uint32_t *devid)
{
	size_t n = strlen(BLKBACK_BE_ROOT);
	unsigned long dom, dev;
	char *end;

	if (strncmp(path, BLKBACK_BE_ROOT "/", n + 1) != 0)
		return -EINVAL;
	dom = strtoul(path + n + 1, &end, 10);
	if (end == path + n + 1 || *end != '/' || dom >= 0x7FF0)
		return -EINVAL;
	path = end + 1;
	dev = strtoul(path, &end, 10);
	if (end == path || (*end && *end != '/') || dev > UINT32_MAX)
		return -EINVAL;
	*domid = (int32_t)dom;
	*devid = (uint32_t)dev;
	return 0;
}

static void event_for_backend(struct blkbackd *d, const char *path)
{
	int32_t domid;
	uint32_t devid;
	struct bb_vbd *v;

	if (parse_be_path(path, &domid, &devid) < 0) {
		if (strcmp(path, BLKBACK_BE_ROOT) == 0 ||
		    strncmp(path, BLKBACK_BE_ROOT "/", strlen(BLKBACK_BE_ROOT) + 1) == 0)
			bb_vbd_scan(d); /* a whole domain's directory came or went */
		return;
	}
	v = vbd_find(d, domid, devid);
	if (!v)
		v = vbd_new(d, domid, devid);
	if (v)
		bb_vbd_update(v);
}

void bb_vbd_watch_event(struct blkbackd *d, const char *path)
{
	struct bb_vbd *v, *next;

	if (strncmp(path, BLKBACK_BE_ROOT, strlen(BLKBACK_BE_ROOT)) == 0) {
		event_for_backend(d, path);
		return;
	}
	LIST_FOREACH_SAFE(v, &d->vbds, link, next) {
		size_t n = strlen(v->fe);

		if (strncmp(path, v->fe, n) == 0 && (path[n] == '\0' || path[n] == '/'))
			bb_vbd_update(v);
	}
}

/* Walks every B: new ones are created, known ones re-evaluated, vanished ones freed. */
int bb_vbd_scan(struct blkbackd *d)
{
	char **doms = NULL, **devs = NULL, path[128];
	unsigned nd = 0, nv = 0;
	struct bb_vbd *v, *next;

	LIST_FOREACH_SAFE(v, &d->vbds, link, next)
		bb_vbd_update(v); /* frees the ones whose B is gone */
	if (xs_directory(d->xs, XBT_NULL, BLKBACK_BE_ROOT, &doms, &nd) < 0)
		return 0;
	for (unsigned i = 0; i < nd; i++) {
		snprintf(path, sizeof(path), "%s/%s", BLKBACK_BE_ROOT, doms[i]);
		if (xs_directory(d->xs, XBT_NULL, path, &devs, &nv) < 0)
			continue;
		for (unsigned j = 0; j < nv; j++) {
			char full[200];

			snprintf(full, sizeof(full), "%s/%s", path, devs[j]);
			event_for_backend(d, full);
		}
		free(devs);
	}
	free(doms);
	return 0;
}

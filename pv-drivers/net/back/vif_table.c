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

/* BE_ROOT/<domid>/<devid>[/...] -> numbers; -EINVAL for anything else. */
static int parse_be_path(const char *path, int32_t *domid, uint32_t *devid)
{
	size_t n = strlen(PVX_NET_BE_ROOT);
	unsigned long dom, dev;
	char *end;

	if (strncmp(path, PVX_NET_BE_ROOT "/", n + 1) != 0)
		return -EINVAL;
	path += n + 1;
	if (*path < '0' || *path > '9')
		return -EINVAL;
	dom = strtoul(path, &end, 10);
	if (*end != '/' || dom >= 0x7FF0)
		return -EINVAL;
	path = end + 1;
	if (*path < '0' || *path > '9')
		return -EINVAL;
	dev = strtoul(path, &end, 10);
	if ((*end && *end != '/') || dev > 0xFFFF)
		return -EINVAL;
	*domid = (int32_t)dom;
	*devid = (uint32_t)dev;
	return 0;
}

static void event_for_backend(struct netbackd *d, const char *path)
{
	int32_t domid;
	uint32_t devid;
	struct nb_vif *v;

	if (parse_be_path(path, &domid, &devid) < 0) {
		if (strcmp(path, PVX_NET_BE_ROOT) == 0 ||
		    strncmp(path, PVX_NET_BE_ROOT "/", strlen(PVX_NET_BE_ROOT) + 1) == 0)
			nb_vif_scan(d); /* a whole domain's directory came or went */
		return;
	}
	v = vif_find(d, domid, devid);
	if (!v)
		v = vif_new(d, domid, devid);
	if (v)
		nb_vif_update(v);
}

void nb_vif_watch_event(struct netbackd *d, const char *path)
{
	struct nb_vif *v, *next;

	if (strncmp(path, PVX_NET_BE_ROOT, strlen(PVX_NET_BE_ROOT)) == 0) {
		event_for_backend(d, path);
		return;
	}
	LIST_FOREACH_SAFE(v, &d->vifs, link, next) {
		size_t n = strlen(v->fe);

		if (strncmp(path, v->fe, n) == 0 && (path[n] == '\0' || path[n] == '/'))
			nb_vif_update(v);
	}
}

/* Walks every B: new ones are created, known ones re-evaluated, vanished ones freed. */
int nb_vif_scan(struct netbackd *d)
{
	char **doms = NULL, **devs = NULL, path[128];
	unsigned nd = 0, nv = 0;
	struct nb_vif *v, *next;

	LIST_FOREACH_SAFE(v, &d->vifs, link, next)
		nb_vif_update(v); /* frees the ones whose B is gone */
	if (xs_directory(d->xs, XBT_NULL, PVX_NET_BE_ROOT, &doms, &nd) < 0)
		return 0;
	for (unsigned i = 0; i < nd; i++) {
		snprintf(path, sizeof(path), "%s/%s", PVX_NET_BE_ROOT, doms[i]);
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

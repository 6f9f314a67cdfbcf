/*
 * The set of vifs: what is particular to a vif in its creation and
 * removal; discovery from xenstore events and scans is libpvxbackd's
 * (pvx/backd.h), shared with pvx-blkback.
 *
 * B/frontend must name exactly /local/domain/<domid>/device/vif/<devid>
 * (a B pointing at another domain's directory would let that domain
 * drive this vif).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netbackd.h"

/* A broken ring, on the loop turn after: the vif closes as Xen's does. */
static void vif_ring_close(struct backd_dev *dev)
{
	struct nb_vif *v = nb_vif_of(dev);

	nb_rings_disconnect(v);
	nb_vif_set_state(v, XenbusStateClosing);
	nb_vif_set_state(v, XenbusStateClosed);
}

static bool frontend_ok(struct nb_vif *v, const char *fe)
{
	char want[128];

	snprintf(want, sizeof(want), "/local/domain/%d/%s/%u", (int)v->dev.domid,
		 PVX_NET_FE_DIR, v->dev.devid);
	return strcmp(fe, want) == 0;
}

static struct backd_dev *vif_new(void *netbackd, int32_t domid, uint32_t devid)
{
	struct netbackd *d = netbackd;
	struct nb_vif *v = calloc(1, sizeof(*v));
	char fe[128];
	int rc;

	if (!v)
		return NULL;
	backd_dev_init(&v->dev, &d->vifs, domid, devid);
	v->d = d;
	v->state = -1;
	for (unsigned i = 0; i < PVX_NET_MAX_QUEUES; i++)
		v->q[i].tap_fd = -1;
	rc = nb_xs_read_str(d, v->dev.be, "frontend", fe, sizeof(fe));
	if (rc == 0 && !frontend_ok(v, fe)) {
		pvx_log_err("domain %d vif %u: key frontend: '%.60s' is not this vif's "
			    "frontend directory", (int)domid, devid, fe);
		rc = -EINVAL;
	}
	if (rc < 0 || backd_dev_add(&v->dev, fe) < 0) {
		free(v);
		return NULL; /* not (yet) a complete backend directory */
	}
	return &v->dev;
}

void nb_vif_remove(struct nb_vif *v, bool delete_tap)
{
	int rc;

	nb_rings_disconnect(v);
	pvx_gnttab_release_idle(v->d->gnt); /* keep no dead domain's memory */
	backd_dev_del(&v->dev);
	if (delete_tap && v->cfg_ok) {
		rc = nb_tap_delete(v->cfg.vifname);
		if (rc < 0)
			pvx_log_warn("%s: cannot delete TAP %s: %s", v->dev.be, v->cfg.vifname,
				     strerror(-rc));
		else
			pvx_log_info("%s: removed, TAP %s deleted", v->dev.be, v->cfg.vifname);
		nb_taps_save(v->d);
	} else {
		pvx_log_info("%s: removed", v->dev.be);
	}
	free(v);
}

static void vif_update(struct backd_dev *dev)
{
	nb_vif_update(nb_vif_of(dev));
}

void nb_vifs_init(struct netbackd *d)
{
	d->vifs = (struct backd_devs){
		.what = "vif", .be_root = PVX_NET_BE_ROOT, .max_devid = 0xFFFF,
		.daemon = d, .xs = &d->xs,
		.create = vif_new, .update = vif_update, .ring_close = vif_ring_close,
	};
	LIST_INIT(&d->vifs.list);
}

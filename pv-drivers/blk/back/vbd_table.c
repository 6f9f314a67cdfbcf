/*
 * The set of vbds: what is particular to a vbd in its creation and
 * removal; discovery from xenstore events and scans is libpvxbackd's
 * (pvx/backd.h), shared with pvx-netback.
 *
 * F comes from B/frontend, which the toolstack wrote (B is not
 * guest-writable): an absolute path that fits is all we ask of it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"

/* A broken ring, on the loop turn after: the vbd closes as Xen's does. */
static void vbd_ring_close(struct backd_dev *dev)
{
	struct bb_vbd *v = bb_vbd_of(dev);

	bb_rings_disconnect(v);
	bb_vbd_set_state(v, XenbusStateClosing);
	bb_vbd_set_state(v, XenbusStateClosed);
}

static struct backd_dev *vbd_new(void *blkbackd, int32_t domid, uint32_t devid)
{
	struct blkbackd *d = blkbackd;
	struct bb_vbd *v = calloc(1, sizeof(*v));
	char path[160], *fe = NULL;

	if (!v)
		return NULL;
	backd_dev_init(&v->dev, &d->vbds, domid, devid);
	v->d = d;
	v->fd = -1;
	v->state = -1;
	snprintf(path, sizeof(path), "%s/frontend", v->dev.be);
	if (xs_read(d->xs, XBT_NULL, path, &fe, NULL) < 0 || strlen(fe) >= sizeof(v->dev.fe) ||
	    fe[0] != '/' || backd_dev_add(&v->dev, fe) < 0) {
		free(fe);
		free(v);
		return NULL; /* not (yet) a complete backend directory */
	}
	free(fe);
	return &v->dev;
}

void bb_vbd_remove(struct bb_vbd *v)
{
	bb_rings_disconnect(v);
	bb_disk_close(v);
	backd_dev_del(&v->dev);
	pvx_log_info("%s: removed", v->dev.be);
	free(v);
}

static void vbd_update(struct backd_dev *dev)
{
	bb_vbd_update(bb_vbd_of(dev));
}

void bb_vbds_init(struct blkbackd *d)
{
	d->vbds = (struct backd_devs){
		.what = "vbd", .be_root = BLKBACK_BE_ROOT, .max_devid = UINT32_MAX,
		.daemon = d, .xs = &d->xs,
		.create = vbd_new, .update = vbd_update, .ring_close = vbd_ring_close,
	};
	LIST_INIT(&d->vbds.list);
}

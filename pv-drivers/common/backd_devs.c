/*
 * The backend daemons' device tables (pvx/backd.h): which devices exist,
 * found from be_root's watch events and scans, and the per-device frontend
 * watch and deferred close that each kind needs the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include <pvx/backd.h>
#include <pvx/daemon.h>
#include <pvx/log.h>
#include <pvx/xs.h>

static struct backd_dev *dev_find(struct backd_devs *devs, int32_t domid, uint32_t devid)
{
	struct backd_dev *dev;

	LIST_FOREACH(dev, &devs->list, link)
		if (dev->domid == domid && dev->devid == devid)
			return dev;
	return NULL;
}

static void close_cb(evutil_socket_t fd, short what, void *arg)
{
	struct backd_dev *dev = arg;

	(void)fd;
	(void)what;
	dev->devs->ring_close(dev);
}

void backd_dev_ring_broken(struct backd_dev *dev)
{
	struct timeval now = { 0, 0 };

	if (dev->close_ev)
		event_add(dev->close_ev, &now);
}

void backd_dev_init(struct backd_dev *dev, struct backd_devs *devs, int32_t domid,
		    uint32_t devid)
{
	dev->devs = devs;
	dev->domid = domid;
	dev->devid = devid;
	snprintf(dev->be, sizeof(dev->be), "%s/%d/%u", devs->be_root, (int)domid, devid);
}

int backd_dev_add(struct backd_dev *dev, const char *fe)
{
	struct backd_devs *devs = dev->devs;
	struct event_base *base = ((struct pvx_daemon_state *)devs->daemon)->base;

	snprintf(dev->fe, sizeof(dev->fe), "%s", fe);
	dev->close_ev = evtimer_new(base, close_cb, dev);
	snprintf(dev->fe_token, sizeof(dev->fe_token), "fe/%d/%u", (int)dev->domid, dev->devid);
	if (!dev->close_ev || xs_watch(*devs->xs, dev->fe, dev->fe_token) < 0) {
		if (dev->close_ev)
			event_free(dev->close_ev);
		dev->close_ev = NULL;
		return -ENOMEM;
	}
	LIST_INSERT_HEAD(&devs->list, dev, link);
	pvx_log_info("%s: new %s, frontend %s", dev->be, devs->what, dev->fe);
	return 0;
}

void backd_dev_del(struct backd_dev *dev)
{
	xs_unwatch(*dev->devs->xs, dev->fe, dev->fe_token);
	event_free(dev->close_ev);
	dev->close_ev = NULL;
	LIST_REMOVE(dev, link);
}

static void backend_seen(void *ctx, const char *path, int32_t domid, uint32_t devid)
{
	struct backd_devs *devs = ctx;
	struct backd_dev *dev = dev_find(devs, domid, devid);

	(void)path;
	if (!dev)
		dev = devs->create(devs->daemon, domid, devid);
	if (dev)
		devs->update(dev);
}

void backd_devs_watch_event(struct backd_devs *devs, const char *path)
{
	struct backd_dev *dev, *next;
	int32_t domid;
	uint32_t devid;

	if (xs_path_under(path, devs->be_root)) {
		if (xs_backend_parse(devs->be_root, path, devs->max_devid, &domid, &devid) == 0)
			backend_seen(devs, path, domid, devid);
		else
			backd_devs_scan(devs); /* a whole domain's directory came or went */
		return;
	}
	LIST_FOREACH_SAFE(dev, &devs->list, link, next)
		if (xs_path_under(path, dev->fe))
			devs->update(dev);
}

void backd_devs_scan(struct backd_devs *devs)
{
	struct backd_dev *dev, *next;
	int skipped;

	LIST_FOREACH_SAFE(dev, &devs->list, link, next)
		devs->update(dev); /* frees the ones whose B is gone */
	skipped = xs_backend_each(*devs->xs, devs->be_root, devs->max_devid, backend_seen, devs);
	if (skipped > 0)
		pvx_log_warn("%s: %d entries are not <domid>/<devid>: ignored", devs->be_root,
			     skipped);
}

/*
 * blkfront across a suspend (blkfront.h, minios/suspend.h): one suspend
 * hook for every open device.
 *
 * quiesce: each device's gate closes (blkfront_submit waits, completing
 * responses meanwhile) and we wait until nothing is in flight or the
 * deadline passes; what is left is reported and handled at resume.
 * resume, cancelled (same domain, same backend, ring still mapped): the
 * gate opens and the ring is kicked in case the backend went to sleep.
 * resume, new domain: the old backend is gone. The old ring is forgotten
 * (its port was closed by ringfront_forget_all, its grants ended), the
 * device goes through blkfront_open's handshake again with whatever
 * backend the toolstack attached (F/backend read again: the path names
 * the new domain id), negotiating the same options, and the requests
 * that were in flight are issued again under their old ids. Persistent
 * and indirect grants stay valid: they name the backend domain (Dom0),
 * not the old backend process. If the handshake fails, every request in
 * flight fails with BLKIF_RSP_ERROR and the device stays closed.
 */
#include <xen/public/errno.h>

#include <minios/console.h>
#include <minios/events.h>
#include <minios/lib.h>
#include <minios/ringfront.h>
#include <minios/sched.h>
#include <minios/suspend.h>
#include <minios/time.h>

#include "blkfront.h"

#define BLKFRONT_MAX_DEVS 8

static struct {
	struct blkfront_dev *d;
	int gated;
} devs[BLKFRONT_MAX_DEVS];

static int blk_quiesce(struct suspend_hook *h, uint64_t deadline_ns);
static void blk_resume(struct suspend_hook *h, int new_domain);
static struct suspend_hook hook = {
	.name = "blkfront", .quiesce = blk_quiesce, .resume = blk_resume,
};

void blkfront_track(struct blkfront_dev *d, int on)
{
	int free = -1;

	for (int i = 0; i < BLKFRONT_MAX_DEVS; i++) {
		if (devs[i].d == d) {
			if (!on)
				devs[i].d = NULL;
			devs[i].gated = 0;
			return;
		}
		if (!devs[i].d && free < 0)
			free = i;
	}
	if (on && free >= 0) {
		devs[free].d = d;
		devs[free].gated = 0;
		suspend_register(&hook);
	}
}

int blkfront_gated(const struct blkfront_dev *d)
{
	for (int i = 0; i < BLKFRONT_MAX_DEVS; i++)
		if (devs[i].d == d)
			return devs[i].gated;
	return 0;
}

static int in_flight(void)
{
	int n = 0;

	for (int i = 0; i < BLKFRONT_MAX_DEVS; i++)
		if (devs[i].d && devs[i].d->connected)
			n += (int)devs[i].d->nr_inflight;
	return n;
}

static int idle(void *arg)
{
	(void)arg;
	return in_flight() == 0;
}

static int blk_quiesce(struct suspend_hook *h, uint64_t deadline_ns)
{
	(void)h;
	for (int i = 0; i < BLKFRONT_MAX_DEVS; i++)
		devs[i].gated = devs[i].d != NULL;
	thread_wait_cond(idle, NULL, deadline_ns);
	return in_flight();
}

static void reconnect(struct blkfront_dev *d)
{
	static struct blkfront_io *inflight[BLKFRONT_MAX_SLOTS];
	struct blkfront_opts o = d->opts;
	unsigned n = d->nr_slots;
	uint32_t devid = d->devid;
	int rc;

	memcpy(inflight, d->inflight, sizeof(inflight));
	blkfront_io_forget(d);
	ringfront_forget(&d->rf);
	d->connected = 0;
	rc = blkfront_open(d, devid, &o); /* d stays tracked, and gated until we return */
	blkfront_reissue(d, inflight, n);
	if (rc < 0)
		printk("blkfront: vbd %u: reconnect after resume failed: %d\n", devid, rc);
	else
		printk("blkfront: vbd %u: reconnected after resume, %u request(s) issued again\n",
		       devid, d->nr_inflight);
}

static void blk_resume(struct suspend_hook *h, int new_domain)
{
	(void)h;
	for (int i = 0; i < BLKFRONT_MAX_DEVS; i++) {
		struct blkfront_dev *d = devs[i].d;

		if (!d)
			continue;
		if (new_domain && d->connected)
			reconnect(d);
		else if (d->connected)
			evtchn_send(d->rf.port); /* the backend may have gone to sleep */
		devs[i].gated = 0;
	}
}

/*
 * netfront across a suspend (netfront.h, minios/suspend.h): one hook for
 * the open device (there is one at a time).
 *
 * quiesce: waits, until the deadline, for the frames on tx to be
 * answered (whoever waits in netfront_wait reaps them). Nothing stops
 * new frames: a network may drop them, and a frame sent after the
 * snapshot of memory is simply not in the copy.
 * resume, cancelled: the same backend still maps the rings: a kick, in
 * case it went to sleep meanwhile.
 * resume, new domain: the old backend is gone. Its grants are ended
 * (gnttab_resume cleared its in-use bits), the rings forgotten (their
 * port was closed by ringfront_forget_all) and netfront_open runs the
 * handshake again with the backend the toolstack attached, posting every
 * rx buffer again; rx_fn, its argument and the counters are kept; tx
 * frames that were in flight are lost (counted as tx_errors). On failure
 * the device stays closed and netfront_alive() says so.
 */
#include <xen/public/errno.h>

#include <minios/console.h>
#include <minios/events.h>
#include <minios/lib.h>
#include <minios/ringfront.h>
#include <minios/sched.h>
#include <minios/suspend.h>

#include "netfront.h"

static struct netfront_dev *dev;
static int resuming;

int netfront_resuming(void)
{
	return resuming;
}

static int net_quiesce(struct suspend_hook *h, uint64_t deadline_ns);
static void net_resume(struct suspend_hook *h, int new_domain);
static struct suspend_hook hook = {
	.name = "netfront", .quiesce = net_quiesce, .resume = net_resume,
};

void netfront_track(struct netfront_dev *d, int on)
{
	if (on) {
		dev = d;
		suspend_register(&hook);
	} else if (dev == d) {
		dev = NULL;
	}
}

static int tx_idle(void *arg)
{
	(void)arg;
	return !dev || !dev->connected || netfront_tx_inflight(dev) == 0;
}

static int net_quiesce(struct suspend_hook *h, uint64_t deadline_ns)
{
	(void)h;
	if (!dev || !dev->connected)
		return 0;
	netfront_tx_push(dev);
	thread_wait_cond(tx_idle, NULL, deadline_ns);
	return dev->connected ? (int)netfront_tx_inflight(dev) : 0;
}

static void reconnect(struct netfront_dev *d)
{
	static struct netfront_dev saved;
	struct netfront_opts o;
	int rc;

	saved = *d;
	o = (struct netfront_opts){ .no_rx = d->no_rx };
	d->connected = 0;
	netfront_io_teardown(d);
	ringfront_forget(&d->rx);
	ringfront_forget(&d->tx);
	rc = netfront_open(d, saved.devid, &o);
	d->rx_fn = saved.rx_fn;
	d->rx_arg = saved.rx_arg;
	d->st = saved.st;
	d->st.tx_errors += netfront_tx_inflight(&saved);
	if (rc < 0) {
		printk("netfront: vif %u: reconnect after resume failed: %d\n", saved.devid, rc);
		dev = d; /* still ours: netfront_close may be called on it */
		return;
	}
	printk("netfront: vif %u: reconnected after resume, %u tx frame(s) dropped\n",
	       saved.devid, netfront_tx_inflight(&saved));
}

static void net_resume(struct suspend_hook *h, int new_domain)
{
	(void)h;
	if (!dev || !dev->connected)
		return;
	if (new_domain) {
		resuming = 1;
		reconnect(dev);
		resuming = 0;
	}
	else
		evtchn_send(dev->port); /* the backend may have gone to sleep */
}

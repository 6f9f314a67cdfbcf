/*
 * What netfront.c uses beyond xenstore and the clock (those are
 * ../frontfake/fake_xs.c), faked on the host: ringfront handing out
 * fixed refs and ports, netfront_io_setup/teardown as counters, the
 * suspend registry as a counter.
 */
#include <string.h>

#include <xen/public/errno.h>

#include "fake_minios.h"

int rings_live, io_live, io_setup_rc, ports_closed;

void fake_reset(void)
{
	fake_xs_reset();
	rings_live = io_live = io_setup_rc = ports_closed = 0;
}

static uint8_t ring_pages[2][4096] __attribute__((aligned(4096)));

int ringfront_setup(struct ringfront *rf, domid_t backend, unsigned nr_pages, size_t entry_size)
{
	memset(rf, 0, sizeof(*rf));
	rf->ring = ring_pages[rings_live];
	rf->nr_pages = nr_pages;
	rf->backend = backend;
	rf->port = (evtchn_port_t)(7 + rings_live);
	rf->refs[0] = (grant_ref_t)(100 + 100 * rings_live);
	pvx_sring_init(rf->ring);
	pvx_ring_front_init(&rf->front, rf->ring,
			    pvx_ring_nr_ents(nr_pages * 4096, entry_size));
	rings_live++;
	return 0;
}

int ringfront_teardown(struct ringfront *rf)
{
	if (rf->ring)
		rings_live--;
	rf->ring = NULL;
	return 0;
}

int evtchn_close(evtchn_port_t port)
{
	(void)port;
	ports_closed++;
	return 0;
}

int netfront_io_setup(struct netfront_dev *d)
{
	(void)d;
	if (io_setup_rc)
		return io_setup_rc;
	io_live = 1;
	return 0;
}

void netfront_io_teardown(struct netfront_dev *d)
{
	(void)d;
	io_live = 0;
}

/* netfront_suspend.c is not linked: open/close track the device for it. */
int fake_tracked;

void netfront_track(struct netfront_dev *d, int on)
{
	(void)d;
	fake_tracked += on ? 1 : -1;
}

int netfront_resuming(void)
{
	return 0;
}

/*
 * What blkfront.c uses beyond xenstore and the clock (those are
 * ../frontfake/fake_xs.c), faked on the host: a ringfront that hands out
 * fixed refs and port, and no I/O or suspend machinery.
 */
#include <string.h>

#include <xen/public/errno.h>

#include "fake_minios.h"

void fake_reset(void)
{
	fake_xs_reset();
}

static uint8_t ring_pages[4][4096] __attribute__((aligned(4096)));
int ringfront_live;

int ringfront_setup(struct ringfront *rf, domid_t backend, unsigned nr_pages, size_t entry_size)
{
	memset(rf, 0, sizeof(*rf));
	rf->ring = ring_pages;
	rf->nr_pages = nr_pages;
	rf->backend = backend;
	rf->port = 7;
	for (unsigned i = 0; i < nr_pages; i++)
		rf->refs[i] = 100 + i;
	pvx_sring_init(rf->ring);
	pvx_ring_front_init(&rf->front, rf->ring,
			    pvx_ring_nr_ents(nr_pages * 4096, entry_size));
	ringfront_live = 1;
	return 0;
}

int ringfront_teardown(struct ringfront *rf)
{
	rf->ring = NULL;
	ringfront_live = 0;
	return 0;
}

void blkfront_io_reset(struct blkfront_dev *d)
{
	d->nr_inflight = 0;
}

/* blkfront_io.c is not linked: nothing is ever in flight here. */
int blkfront_wait(struct blkfront_dev *d, uint64_t deadline_ns)
{
	(void)d, (void)deadline_ns;
	return -XEN_EIO;
}

/* blkfront_suspend.c is not linked: open/close track devices for it. */
int fake_tracked;

void blkfront_track(struct blkfront_dev *d, int on)
{
	(void)d;
	fake_tracked += on ? 1 : -1;
}

int blkfront_gated(const struct blkfront_dev *d)
{
	(void)d;
	return 0;
}

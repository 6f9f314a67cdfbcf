/*
 * blkfront: discovery and the XenbusState handshake (blkfront.h).
 *
 * Waiting for the backend polls its state node every millisecond
 * (minios/xenbus_front.h, shared with netfront).
 * The frontend's keys go out in one transaction, retried on EAGAIN as
 * Linux's talk_to_blkback does, so the backend never sees half of them.
 */
#include <xen/public/errno.h>
#include <xen/public/io/xenbus.h>

#include <minios/console.h>
#include <minios/lib.h>
#include <minios/time.h>
#include <minios/xenbus_front.h>
#include <minios/xenstore.h>

#include "blkfront.h"

#define HANDSHAKE_NS 10000000000ull

void blkfront_io_reset(struct blkfront_dev *d);

static uint64_t opt_u64(const char *dir, const char *key, uint64_t def)
{
	uint64_t v;

	return xbf_read_u64(dir, key, &v) < 0 ? def : v;
}

static int put(uint32_t tx, const char *dir, const char *key, const char *fmt, uint64_t v)
{
	char path[160], val[32];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	snprintf(val, sizeof(val), fmt, v);
	return xs_write(tx, path, val);
}

static int put_str(uint32_t tx, const char *dir, const char *key, const char *val)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_write(tx, path, val);
}

int blkfront_list(uint32_t *ids, unsigned max)
{
	static char names[1024];

	return xbf_list("device/vbd", names, sizeof(names), ids, max, UINT32_MAX);
}

/* While a suspend holds the device (blkfront_suspend.c) the backend may
 * be between an old and a new one: callers see it Connected. */
int blkfront_backend_state(const struct blkfront_dev *d)
{
	return blkfront_gated(d) ? XenbusStateConnected : xbf_state(d->be);
}

/* Waits for the backend to reach want; -XEN_EIO if it closes instead,
 * -XEN_ENODEV if its directory goes, -XEN_ETIMEDOUT after 10 s. */
static int wait_backend(struct blkfront_dev *d, int want)
{
	return xbf_wait_state(d->be, want, HANDSHAKE_NS);
}

static int publish(struct blkfront_dev *d, unsigned order)
{
	for (int tries = 0; tries < 20; tries++) {
		uint32_t tx;
		int rc = xs_transaction_start(&tx);

		if (rc < 0)
			return rc;
		if (order == 0) {
			rc |= put(tx, d->fe, "ring-ref", "%llu", d->rf.refs[0]);
		} else {
			rc |= put(tx, d->fe, "ring-page-order", "%llu", order);
			for (unsigned i = 0; i < (1u << order); i++) {
				char key[24];
				snprintf(key, sizeof(key), "ring-ref%u", i);
				rc |= put(tx, d->fe, key, "%llu", d->rf.refs[i]);
			}
		}
		rc |= put(tx, d->fe, "event-channel", "%llu", d->rf.port);
		rc |= put(tx, d->fe, "feature-persistent", "%llu", (uint64_t)d->persistent);
		rc |= put_str(tx, d->fe, "protocol", BLKIF_PROTOCOL_X86_64);
		rc |= put(tx, d->fe, "state", "%llu", XenbusStateInitialised);
		if (rc) {
			xs_transaction_end(tx, 0);
			return -XEN_EIO;
		}
		rc = xs_transaction_end(tx, 1);
		if (rc != -XEN_EAGAIN)
			return rc;
	}
	return -XEN_EAGAIN;
}

static int negotiate(struct blkfront_dev *d, const struct blkfront_opts *o)
{
	unsigned want = o && o->ring_pages ? o->ring_pages : 2, order = 0;
	uint64_t max_order = opt_u64(d->be, "max-ring-page-order", 0);
	uint64_t indirect = opt_u64(d->be, "feature-max-indirect-segments", 0);

	while ((2u << order) <= want && order < max_order && (2u << order) <= 4)
		order++;
	d->persistent = !(o && o->no_persistent) &&
			opt_u64(d->be, "feature-persistent", 0) == 1;
	d->max_segs = BLKIF_MAX_SEGMENTS_PER_REQUEST;
	if (!(o && o->no_indirect) && indirect > BLKIF_MAX_SEGMENTS_PER_REQUEST)
		d->max_segs = indirect < BLKFRONT_MAX_SEGS ? (uint32_t)indirect : BLKFRONT_MAX_SEGS;
	return (int)order;
}

static int read_geometry(struct blkfront_dev *d)
{
	if (xbf_read_u64(d->be, "sectors", &d->sectors) < 0)
		return -XEN_EIO;
	d->sector_size = (uint32_t)opt_u64(d->be, "sector-size", 512);
	d->info = (uint32_t)opt_u64(d->be, "info", 0);
	d->flush = opt_u64(d->be, "feature-flush-cache", 0) == 1;
	d->barrier = opt_u64(d->be, "feature-barrier", 0) == 1;
	d->discard = opt_u64(d->be, "feature-discard", 0) == 1;
	return d->sector_size == 512 ? 0 : -XEN_EINVAL;
}

int blkfront_open(struct blkfront_dev *d, uint32_t devid, const struct blkfront_opts *o)
{
	char path[96];
	uint64_t beid;
	int order, rc;

	memset(d, 0, sizeof(*d));
	d->devid = devid;
	if (o)
		d->opts = *o;
	snprintf(d->fe, sizeof(d->fe), "device/vbd/%u", devid);
	snprintf(path, sizeof(path), "%s/backend", d->fe);
	rc = xs_read(0, path, d->be, sizeof(d->be));
	if (rc < 0 || xbf_read_u64(d->fe, "backend-id", &beid) < 0 || beid > 0x7FEF)
		return rc < 0 ? rc : -XEN_EINVAL;
	d->backend_id = (domid_t)beid;
	rc = wait_backend(d, XenbusStateInitWait);
	if (rc < 0)
		return rc;
	order = negotiate(d, o);
	rc = ringfront_setup(&d->rf, d->backend_id, 1u << order, sizeof(union blkif_sring_entry));
	if (rc < 0)
		return rc;
	d->nr_slots = d->rf.front.nr_ents < BLKFRONT_MAX_SLOTS ? d->rf.front.nr_ents
								: BLKFRONT_MAX_SLOTS;
	blkfront_io_reset(d);
	rc = publish(d, (unsigned)order);
	if (rc == 0)
		rc = wait_backend(d, XenbusStateConnected);
	if (rc == 0)
		rc = read_geometry(d);
	if (rc < 0) {
		put(0, d->fe, "state", "%llu", XenbusStateClosed);
		ringfront_teardown(&d->rf);
		return rc;
	}
	put(0, d->fe, "state", "%llu", XenbusStateConnected);
	d->connected = 1;
	blkfront_track(d, 1);
	return 0;
}

void blkfront_close(struct blkfront_dev *d)
{
	uint64_t deadline = time_now_ns() + 2000000000ull;

	blkfront_track(d, 0);
	if (!d->connected)
		return;
	while (d->nr_inflight && blkfront_wait(d, deadline) >= 0 && time_now_ns() < deadline)
		;
	/* Xen's handshake: we go Closing, the backend unmaps the ring and
	 * answers Closing (or, an older one, Closed), then we go Closed and
	 * the backend follows. A backend that goes Closed only after our
	 * Closed must not be waited for before we write it. */
	put(0, d->fe, "state", "%llu", XenbusStateClosing);
	xbf_wait_past(d->be, XenbusStateClosing, deadline);
	ringfront_teardown(&d->rf); /* -XEN_EBUSY: the pages stay granted, not reused */
	put(0, d->fe, "state", "%llu", XenbusStateClosed);
	xbf_wait_past(d->be, XenbusStateClosed, deadline); /* returns with it quiet */
	d->connected = 0;
}

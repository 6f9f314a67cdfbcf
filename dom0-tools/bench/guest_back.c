/*
 * The backend's xenbus side in guest mode: waiting for the frontend's
 * states (a watch on its state node, so no polling of xenstore), reading
 * what it published, mapping the granted ring and payload pages once for
 * the whole run (persistent grants: the data path then costs no control
 * round trip; with --grant-copy only the ring), binding its port, and
 * undoing all of it.
 *
 * Every value the guest wrote is bounded before use: the ring must be
 * the size we asked for, the payload area exactly the pages the run
 * needs, the ring pages contiguous in our view of the guest's memory
 * (libpvxgnttab points into one mapping of it; a real backend would
 * vmap them, we insist instead).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <xen/public/io/xenbus.h>

#include "guest.h"

/* The guest's `error` key (why it closed) into msg. */
static int front_error(struct gback *b)
{
	char path[160], *v = NULL;

	snprintf(path, sizeof(path), "%s/error", b->fe);
	if (xs_read(b->xs, XBT_NULL, path, &v, NULL) == 0) {
		snprintf(b->msg, sizeof(b->msg), "guest: %.200s", v);
		free(v);
	} else {
		snprintf(b->msg, sizeof(b->msg), "the guest closed the device");
	}
	return -EPIPE;
}

static void drain_watch(struct gback *b)
{
	char *path, *token;

	while (xs_read_watch(b->xs, &path, &token, false) == 0)
		free(path);
}

static bool guest_alive(struct gback *b)
{
	struct pvx_ctl_dominfo di;

	return pvx_ctl_info(b->ctl, b->domid, &di) == 0;
}

int gb_wait_front(struct gback *b, unsigned want, uint64_t deadline_ns)
{
	for (;;) {
		struct pollfd p = { .fd = xs_fileno(b->xs), .events = POLLIN };
		uint64_t st = 0;

		if (gb_read_u64(b, b->fe, "state", &st) == 0) {
			if (st == want)
				return 0;
			if (st >= XenbusStateClosing && want < XenbusStateClosing)
				return front_error(b);
		}
		if (bench_now_ns() >= deadline_ns) {
			snprintf(b->msg, sizeof(b->msg), "the guest did not reach state %u "
				 "(it is in %u)", want, (unsigned)st);
			return -ETIMEDOUT;
		}
		if (poll(&p, 1, 200) == 0 && !guest_alive(b)) {
			snprintf(b->msg, sizeof(b->msg), "the guest died (console log: pvx "
				 "console / $PVX_LOGDIR/console/%s.log)", b->name);
			return -ESRCH;
		}
		drain_watch(b);
	}
}

/* Reads key<i> for i < n into refs, each bounded. */
static int read_refs(struct gback *b, const char *key, unsigned n, struct pvx_gnttab_map *m)
{
	char k[32];
	uint64_t v;

	for (unsigned i = 0; i < n; i++) {
		snprintf(k, sizeof(k), "%s%u", key, i);
		if (gb_read_u64(b, b->fe, k, &v) || v > UINT32_MAX)
			return snprintf(b->msg, sizeof(b->msg), "guest: bad or missing %s", k),
			       -EINVAL;
		m[i] = (struct pvx_gnttab_map){ .ref = (grant_ref_t)v };
	}
	return 0;
}

static unsigned data_pages_needed(const struct gback *b)
{
	uint32_t ents = bench_ring_entries(b->ring_pages);

	return (unsigned)(((uint64_t)ents * b->slot_bytes + BENCH_PAGE - 1) / BENCH_PAGE);
}

static int read_layout(struct gback *b, struct pvx_gnttab_map *m, uint32_t *port)
{
	uint64_t order, np, ev;

	if (gb_read_u64(b, b->fe, "ring-page-order", &order) || order > 3 ||
	    (1u << order) != b->ring_pages)
		return snprintf(b->msg, sizeof(b->msg), "guest: ring-page-order is not %u pages",
				b->ring_pages), -EINVAL;
	if (gb_read_u64(b, b->fe, "data-pages", &np) || np != data_pages_needed(b))
		return snprintf(b->msg, sizeof(b->msg), "guest: data-pages is not %u",
				data_pages_needed(b)), -EINVAL;
	if (gb_read_u64(b, b->fe, "event-channel", &ev) || ev > UINT32_MAX)
		return snprintf(b->msg, sizeof(b->msg), "guest: bad event-channel"), -EINVAL;
	*port = (uint32_t)ev;
	b->data_pages = (unsigned)np;
	if (read_refs(b, "ring-ref", b->ring_pages, m) ||
	    read_refs(b, "data-ref", b->data_pages, m + b->ring_pages))
		return -EINVAL;
	for (unsigned i = 0; i < b->data_pages; i++)
		b->data_refs[i] = m[b->ring_pages + i].ref;
	return 0;
}

static int map_all(struct gback *b, struct pvx_gnttab_map *m, unsigned n)
{
	int r = pvx_gnttab_map_batch(b->g, b->domid, m, n);

	if (r)
		return snprintf(b->msg, sizeof(b->msg), "mapping the grants: %s", strerror(-r)), r;
	for (unsigned i = 0; i < n; i++)
		if (m[i].status == GNTST_okay)
			b->handles[b->nmapped++] = m[i].handle;
	for (unsigned i = 0; i < n; i++)
		if (m[i].status != GNTST_okay)
			return snprintf(b->msg, sizeof(b->msg), "guest: grant ref %u: %s", m[i].ref,
					pvx_gnttab_strstatus(m[i].status)), -EINVAL;
	for (unsigned i = 1; i < b->ring_pages; i++)
		if ((uint8_t *)m[i].addr != (uint8_t *)m[0].addr + i * BENCH_PAGE)
			return snprintf(b->msg, sizeof(b->msg), "guest: ring pages are not "
					"contiguous"), -EINVAL;
	for (unsigned i = 0; i < n - b->ring_pages; i++)
		b->data[i] = m[b->ring_pages + i].addr;
	return 0;
}

int gb_connect(struct gback *b)
{
	static struct pvx_gnttab_map m[GB_MAX_RING_PAGES + GB_DATA_PAGES];
	uint32_t port;
	int r;

	/* --grant-copy: only the ring is mapped; payloads are copied. */
	r = read_layout(b, m, &port) ?:
	    map_all(b, m, b->ring_pages + (b->grant_copy ? 0 : b->data_pages));
	if (r)
		return r;
	if (b->grant_copy && b->payload && gb_copy_alloc(b))
		return snprintf(b->msg, sizeof(b->msg), "out of memory"), -ENOMEM;
	r = pvx_evtchn_bind(b->ctl, b->domid, port, &b->ev);
	if (r)
		return snprintf(b->msg, sizeof(b->msg), "binding guest port %u: %s", port,
				strerror(-r)), r;
	b->ev_bound = true;
	pvx_evtchn_consume(&b->ev);
	if (bench_back_attach(&b->br, m[0].addr, (size_t)b->ring_pages * BENCH_PAGE) < 0)
		return snprintf(b->msg, sizeof(b->msg), "attaching the ring"), -EINVAL;
	return gb_set_state(b, XenbusStateConnected);
}

void gb_disconnect(struct gback *b)
{
	if (b->ev_bound)
		pvx_evtchn_close(b->ctl, &b->ev);
	b->ev_bound = false;
	if (b->nmapped)
		pvx_gnttab_unmap_batch(b->g, b->handles, NULL, b->nmapped);
	b->nmapped = 0;
	gb_copy_free(b);
	/* Xen's order: Closing now that the ring is unmapped; Closed only
	 * after the guest's own Closed (bench_guest_run). */
	if (b->domid > 0)
		gb_set_state(b, XenbusStateClosing);
}

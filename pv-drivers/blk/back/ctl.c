/*
 * The stats socket, <rundir>/blkback.sock (blkif.h): a client writes
 * "stats\n" and reads one line per vbd (its rings' counters summed), an
 * empty line, then EOF. `pvx top` samples it for block requests and
 * bytes per second; `pvx daemons` takes an accepting socket as the sign
 * that pvx-blkback is ready, so this step runs last.
 *
 * Mode 0600 from the start, clients bounded in number, size and time:
 * libpvxutil's stats server (pvx/stats_server.h), shared with
 * pvx-netback; this file only writes the lines.
 */
#include <errno.h>
#include <event2/buffer.h>
#include <stdio.h>

#include "daemon.h"

void bb_stats_add(struct blkback_ring_stats *sum, const struct blkback_ring_stats *s)
{
	sum->requests += s->requests;
	sum->errors += s->errors;
	sum->notifies_out += s->notifies_out;
	sum->kicks += s->kicks;
	sum->rd_reqs += s->rd_reqs;
	sum->wr_reqs += s->wr_reqs;
	sum->rd_bytes += s->rd_bytes;
	sum->wr_bytes += s->wr_bytes;
}

/* The vbd's rings that are gone (a frontend that closed or reconnected)
 * still count: the totals only grow while the vbd exists. */
static void vbd_totals(const struct bb_vbd *v, struct blkback_ring_stats *t)
{
	*t = v->stats_closed;
	for (unsigned i = 0; i < v->nr_queues && i < PVX_BLK_MAX_QUEUES; i++)
		if (v->q[i].ring_live)
			bb_stats_add(t, &v->q[i].ring.stats);
}

static void put_stats(void *blkbackd, struct evbuffer *out)
{
	struct blkbackd *d = blkbackd;
	struct backd_dev *dev;

	LIST_FOREACH(dev, &d->vbds.list, link) {
		struct bb_vbd *v = bb_vbd_of(dev);
		struct blkback_ring_stats t;

		vbd_totals(v, &t);
		evbuffer_add_printf(out, "domid=%d devid=%u state=%d queues=%u "
			"rd_reqs=%llu wr_reqs=%llu rd_bytes=%llu wr_bytes=%llu "
			"requests=%llu errors=%llu\n",
			(int)v->dev.domid, v->dev.devid, v->state < 0 ? 0 : v->state,
			v->connected ? v->nr_queues : 0,
			(unsigned long long)t.rd_reqs, (unsigned long long)t.wr_reqs,
			(unsigned long long)t.rd_bytes, (unsigned long long)t.wr_bytes,
			(unsigned long long)t.requests, (unsigned long long)t.errors);
	}
	evbuffer_add(out, "\n", 1);
}

void bb_ctl_exit(void *blkbackd)
{
	struct blkbackd *d = blkbackd;

	pvx_stats_server_stop(&d->ctl_srv);
}

int bb_ctl_init(void *blkbackd)
{
	struct blkbackd *d = blkbackd;
	char path[sizeof(d->ctl_srv.path)];

	if (snprintf(path, sizeof(path), "%s/%s", d->ds.rundir, PVX_BLK_CTL_SOCK) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	return pvx_stats_server_start(&d->ctl_srv, d->ds.base, path, put_stats, d);
}

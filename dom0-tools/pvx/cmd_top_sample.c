/*
 * One `pvx top` sample: every domain's counters, as close to one instant
 * as the sources allow. pvxd gives state, memory, vCPUs and host-measured
 * CPU time (PVX_CTL_LIST: its vCPU threads' CPU clocks, or a pv guest
 * process's utime+stime) and the hypercall/event counters
 * (PVX_CTL_DOMSTATS); xenstore the balloon target (memory/target, KiB);
 * pvx-blkback and pvx-netback their per-device counters, summed here per
 * domain. A backend that is not running leaves its counters at 0 and its
 * *_ok flag false; a pvxd without DOMSTATS leaves those UNKNOWN.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pvx/ctlclient.h>
#include <pvx/xs.h>

#include "cmd_network.h"
#include "cmd_top.h"

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t read_target(struct xs_handle *xs, int32_t domid)
{
	char path[64], *val = NULL, *end;
	unsigned long long v;
	size_t len;

	if (!xs)
		return PVX_TOP_UNKNOWN;
	snprintf(path, sizeof(path), "/local/domain/%d/memory/target", (int)domid);
	if (xs_read(xs, XBT_NULL, path, &val, &len) < 0)
		return PVX_TOP_UNKNOWN;
	v = strtoull(val, &end, 10);
	if (end == val || *end)
		v = PVX_TOP_UNKNOWN;
	free(val);
	return v;
}

static void from_dominfo(struct pvx_ctl *c, struct xs_handle *xs,
			 const struct pvx_ctl_dominfo *i, struct pvx_top_dom *d)
{
	struct pvx_ctl_domstats st;
	uint32_t len = 0;

	memset(d, 0, sizeof(*d));
	d->domid = i->domid;
	memcpy(d->name, i->name, sizeof(d->name));
	d->name[sizeof(d->name) - 1] = '\0';
	d->state = i->state;
	d->type = i->type;
	d->vcpus = i->vcpus;
	d->create_ns = i->create_time_ns;
	d->cpu_ns = i->cpu_time_ns;
	d->mem_kib = i->mem_kib;
	d->maxmem_kib = i->maxmem_kib;
	d->target_kib = read_target(xs, i->domid);
	d->hypercalls = d->events = PVX_TOP_UNKNOWN;
	if (pvx_ctl_call(c, PVX_CTL_DOMSTATS, i->domid, NULL, 0, &st, sizeof(st), &len,
			 NULL, 0, NULL) == 0 && len >= 2 * sizeof(uint64_t)) {
		d->hypercalls = st.hypercalls;
		d->events = st.events;
	}
}

static struct pvx_top_dom *dom_of(struct pvx_top_sample *s, int32_t domid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].domid == domid)
			return &s->v[i];
	return NULL;
}

static void add(uint64_t *sum, uint64_t v)
{
	if (v != PVX_TOP_UNKNOWN)
		*sum += v;
}

static void add_blk(struct pvx_top_sample *s)
{
	struct pvx_blk_stats *b = NULL;
	struct pvx_top_dom *d;
	size_t n = 0;

	s->blk_ok = pvx_blk_stats_read(&b, &n) == 0;
	for (size_t i = 0; i < n; i++) {
		d = dom_of(s, b[i].domid);
		if (!d)
			continue;
		d->nr_vbds++;
		add(&d->rd_reqs, b[i].rd_reqs);
		add(&d->wr_reqs, b[i].wr_reqs);
		add(&d->rd_bytes, b[i].rd_bytes);
		add(&d->wr_bytes, b[i].wr_bytes);
	}
	free(b);
}

static void add_net(struct pvx_top_sample *s)
{
	struct pvx_net_stats *v = NULL;
	struct pvx_top_dom *d;
	size_t n = 0;

	s->net_ok = pvx_net_stats_read(&v, &n) == 0;
	for (size_t i = 0; i < n; i++) {
		d = dom_of(s, v[i].domid);
		if (!d)
			continue;
		d->nr_vifs++;
		add(&d->tx_pkts, v[i].tx_packets);
		add(&d->tx_bytes, v[i].tx_bytes);
		add(&d->rx_pkts, v[i].rx_packets);
		add(&d->rx_bytes, v[i].rx_bytes);
	}
	free(v);
}

int pvx_top_sample(struct pvx_ctl *c, struct xs_handle *xs, struct pvx_top_sample *s)
{
	struct pvx_ctl_dominfo *info = NULL;
	size_t n = 0;
	int rc;

	memset(s, 0, sizeof(*s));
	rc = pvx_ctl_list(c, &info, &n);
	if (rc < 0)
		return rc;
	s->mono_ns = now_ns(CLOCK_MONOTONIC);
	s->wall = (double)now_ns(CLOCK_REALTIME) / 1e9;
	s->v = calloc(n ? n : 1, sizeof(*s->v));
	if (!s->v) {
		free(info);
		return -ENOMEM;
	}
	s->n = n;
	for (size_t i = 0; i < n; i++)
		from_dominfo(c, xs, &info[i], &s->v[i]);
	free(info);
	add_blk(s);
	add_net(s);
	return 0;
}

void pvx_top_sample_free(struct pvx_top_sample *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

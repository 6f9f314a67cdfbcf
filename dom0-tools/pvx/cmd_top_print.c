/*
 * pvx top's output: the text table (interactive screen and -b) and the
 * JSON object of one iteration (--json; the schema is in docs/top.md).
 * Rates of a domain seen for the first time are "-" / null: a rate
 * needs two samples.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <pvx/domtype.h>
#include <pvx/json.h>

#include "cmd.h"
#include "cmd_top.h"

static void fmt_rate(char *buf, size_t len, bool ok, double v, double scale)
{
	if (!ok || v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f", v / scale);
}

static void fmt_kib(char *buf, size_t len, uint64_t v)
{
	if (v == PVX_TOP_UNKNOWN)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

/* One line, cut at width columns (the terminal's). */
static void put_line(const char *line, unsigned width)
{
	size_t n = strlen(line);

	if (width && n > width)
		n = width;
	fwrite(line, 1, n, stdout);
	fputc('\n', stdout);
}

static void row_line(const struct pvx_top_row *r, char *out, size_t len)
{
	char cpu[16], tgt[24], f[12][24];
	bool ok = r->has_rates;

	snprintf(cpu, sizeof(cpu), ok ? "%.1f" : "-", r->cpu_pct);
	fmt_kib(tgt, sizeof(tgt), r->d.target_kib);
	fmt_rate(f[0], sizeof(f[0]), ok, r->rd_rps, 1);
	fmt_rate(f[1], sizeof(f[1]), ok, r->wr_rps, 1);
	fmt_rate(f[2], sizeof(f[2]), ok, r->rd_bps, 1024);
	fmt_rate(f[3], sizeof(f[3]), ok, r->wr_bps, 1024);
	fmt_rate(f[4], sizeof(f[4]), ok, r->tx_pps, 1);
	fmt_rate(f[5], sizeof(f[5]), ok, r->tx_bps, 1024);
	fmt_rate(f[6], sizeof(f[6]), ok, r->rx_pps, 1);
	fmt_rate(f[7], sizeof(f[7]), ok, r->rx_bps, 1024);
	fmt_rate(f[8], sizeof(f[8]), ok, r->ev_ps, 1);
	fmt_rate(f[9], sizeof(f[9]), ok, r->hc_ps, 1);
	snprintf(out, len, "%-16.16s %4d %-8.8s %9.1f %6s %9llu %9s %9llu %5u "
		 "%6s %6s %8s %8s %6s %8s %6s %8s %8s %8s",
		 r->d.name, (int)r->d.domid, pvx_state_name(r->d.state),
		 (double)r->d.cpu_ns / 1e9, cpu, (unsigned long long)r->d.mem_kib, tgt,
		 (unsigned long long)r->d.maxmem_kib, r->d.vcpus, f[0], f[1], f[2], f[3],
		 f[4], f[5], f[6], f[7], f[8], f[9]);
}

void pvx_top_print_table(const struct pvx_top_row *rows, size_t n,
			 const struct pvx_top_sample *s, const struct pvx_top_opts *o,
			 unsigned max_rows, unsigned width)
{
	char line[512], when[16];
	time_t t = (time_t)s->wall;
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	snprintf(line, sizeof(line), "pvx top - %s  %zu domain%s  sort: %s%s%s%s", when, n,
		 n == 1 ? "" : "s", pvx_top_col_name(o->sort), o->reverse ? " (reversed)" : "",
		 s->blk_ok ? "" : "  [no pvx-blkback]", s->net_ok ? "" : "  [no pvx-netback]");
	put_line(line, width);
	put_line("NAME               ID STATE     CPU(sec) CPU(%)    MEM(k) TARGET(k) "
		 "MAXMEM(k) VCPUS  RD/s   WR/s  RD(k/s)  WR(k/s) TX(p/s)  TX(k/s) "
		 "RX(p/s)  RX(k/s) EVENTS/s HCALLS/s", width);
	for (size_t i = 0; i < n && (!max_rows || i < max_rows); i++) {
		row_line(&rows[i], line, sizeof(line));
		put_line(line, width);
	}
}

/* A rate (3 decimals), null before two samples or without its daemon. */
static int json_num(json_t *o, const char *key, bool ok, double v)
{
	return pvx_json_set(o, key, ok && v >= 0 ? pvx_json_fixed(v, 3) : json_null());
}

static int json_u64(json_t *o, const char *key, bool ok, uint64_t v)
{
	return pvx_json_set(o, key, ok && v != PVX_TOP_UNKNOWN ? pvx_json_u64(v) : json_null());
}

static int json_counters(json_t *o, const struct pvx_top_row *r, const struct pvx_top_sample *s)
{
	const struct pvx_top_dom *d = &r->d;
	bool k = r->has_rates;
	int rc = 0;

	rc |= json_u64(o, "vbds", s->blk_ok, d->nr_vbds);
	rc |= json_u64(o, "vbd_rd_reqs", s->blk_ok, d->rd_reqs);
	rc |= json_u64(o, "vbd_wr_reqs", s->blk_ok, d->wr_reqs);
	rc |= json_u64(o, "vbd_rd_bytes", s->blk_ok, d->rd_bytes);
	rc |= json_u64(o, "vbd_wr_bytes", s->blk_ok, d->wr_bytes);
	rc |= json_num(o, "vbd_rd_reqs_per_s", k && s->blk_ok, r->rd_rps);
	rc |= json_num(o, "vbd_wr_reqs_per_s", k && s->blk_ok, r->wr_rps);
	rc |= json_num(o, "vbd_rd_bytes_per_s", k && s->blk_ok, r->rd_bps);
	rc |= json_num(o, "vbd_wr_bytes_per_s", k && s->blk_ok, r->wr_bps);
	rc |= json_u64(o, "vifs", s->net_ok, d->nr_vifs);
	rc |= json_u64(o, "net_tx_packets", s->net_ok, d->tx_pkts);
	rc |= json_u64(o, "net_tx_bytes", s->net_ok, d->tx_bytes);
	rc |= json_u64(o, "net_rx_packets", s->net_ok, d->rx_pkts);
	rc |= json_u64(o, "net_rx_bytes", s->net_ok, d->rx_bytes);
	rc |= json_num(o, "net_tx_packets_per_s", k && s->net_ok, r->tx_pps);
	rc |= json_num(o, "net_tx_bytes_per_s", k && s->net_ok, r->tx_bps);
	rc |= json_num(o, "net_rx_packets_per_s", k && s->net_ok, r->rx_pps);
	rc |= json_num(o, "net_rx_bytes_per_s", k && s->net_ok, r->rx_bps);
	rc |= json_u64(o, "events", true, d->events);
	rc |= json_u64(o, "hypercalls", true, d->hypercalls);
	rc |= json_num(o, "events_per_s", k, r->ev_ps);
	rc |= json_num(o, "hypercalls_per_s", k, r->hc_ps);
	return rc;
}

static json_t *json_dom(const struct pvx_top_row *r, const struct pvx_top_sample *s)
{
	const struct pvx_top_dom *d = &r->d;
	const char *type = pvx_type_name(d->type);
	json_t *o = json_pack("{s:i, s:o, s:s, s:s, s:o}", "domid", (int)d->domid,
			      "name", pvx_json_string(d->name), "type", type ? type : "unknown",
			      "state", pvx_state_name(d->state),
			      "cpu_sec", pvx_json_fixed((double)d->cpu_ns / 1e9, 3));
	int rc = o ? 0 : -1;

	rc |= json_num(o, "cpu_pct", r->has_rates, r->cpu_pct);
	rc |= pvx_json_set(o, "mem_kib", pvx_json_u64(d->mem_kib));
	rc |= json_u64(o, "target_kib", true, d->target_kib);
	rc |= pvx_json_set(o, "maxmem_kib", pvx_json_u64(d->maxmem_kib));
	rc |= pvx_json_set(o, "vcpus", json_integer(d->vcpus));
	rc |= json_counters(o, r, s);
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* One refresh on one line, so a reader of the stream sees each refresh
 * whole as soon as it is flushed; the caller prints the array around. */
int pvx_top_print_json(const struct pvx_top_row *rows, size_t n,
		       const struct pvx_top_sample *s, double interval_s)
{
	json_t *doms = json_array();
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		rc |= json_array_append_new(doms, json_dom(&rows[i], s));
	if (rc) {
		json_decref(doms);
		return -ENOMEM;
	}
	return pvx_json_dump(stdout, json_pack("{s:o, s:o, s:b, s:b, s:o}",
					       "time", pvx_json_fixed(s->wall, 3),
					       "interval_s", pvx_json_fixed(interval_s, 3),
					       "blkback", (int)s->blk_ok, "netback", (int)s->net_ok,
					       "domains", doms), PVX_JSON_LINE, 0);
}

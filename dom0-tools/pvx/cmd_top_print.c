/*
 * pvx top's output: the text table (interactive screen and -b) and the
 * JSON object of one iteration (--json; the schema is in docs/top.md).
 * Rates of a domain seen for the first time are "-" / null: a rate
 * needs two samples.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <pvx/domtype.h>

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

static void json_num(const char *key, bool ok, double v)
{
	if (ok && v >= 0)
		printf(", \"%s\": %.3f", key, v);
	else
		printf(", \"%s\": null", key);
}

static void json_u64(const char *key, bool ok, uint64_t v)
{
	if (ok && v != PVX_TOP_UNKNOWN)
		printf(", \"%s\": %llu", key, (unsigned long long)v);
	else
		printf(", \"%s\": null", key);
}

static void json_dom(const struct pvx_top_row *r, const struct pvx_top_sample *s)
{
	const struct pvx_top_dom *d = &r->d;
	const char *type = pvx_type_name(d->type);
	bool k = r->has_rates;

	printf("{\"domid\": %d, \"name\": ", (int)d->domid);
	pvx_json_str(d->name);
	printf(", \"type\": ");
	pvx_json_str(type ? type : "unknown");
	printf(", \"state\": \"%s\", \"cpu_sec\": %.3f", pvx_state_name(d->state),
	       (double)d->cpu_ns / 1e9);
	json_num("cpu_pct", k, r->cpu_pct);
	printf(", \"mem_kib\": %llu", (unsigned long long)d->mem_kib);
	json_u64("target_kib", true, d->target_kib);
	printf(", \"maxmem_kib\": %llu, \"vcpus\": %u", (unsigned long long)d->maxmem_kib,
	       d->vcpus);
	json_u64("vbds", s->blk_ok, d->nr_vbds);
	json_u64("vbd_rd_reqs", s->blk_ok, d->rd_reqs);
	json_u64("vbd_wr_reqs", s->blk_ok, d->wr_reqs);
	json_u64("vbd_rd_bytes", s->blk_ok, d->rd_bytes);
	json_u64("vbd_wr_bytes", s->blk_ok, d->wr_bytes);
	json_num("vbd_rd_reqs_per_s", k && s->blk_ok, r->rd_rps);
	json_num("vbd_wr_reqs_per_s", k && s->blk_ok, r->wr_rps);
	json_num("vbd_rd_bytes_per_s", k && s->blk_ok, r->rd_bps);
	json_num("vbd_wr_bytes_per_s", k && s->blk_ok, r->wr_bps);
	json_u64("vifs", s->net_ok, d->nr_vifs);
	json_u64("net_tx_packets", s->net_ok, d->tx_pkts);
	json_u64("net_tx_bytes", s->net_ok, d->tx_bytes);
	json_u64("net_rx_packets", s->net_ok, d->rx_pkts);
	json_u64("net_rx_bytes", s->net_ok, d->rx_bytes);
	json_num("net_tx_packets_per_s", k && s->net_ok, r->tx_pps);
	json_num("net_tx_bytes_per_s", k && s->net_ok, r->tx_bps);
	json_num("net_rx_packets_per_s", k && s->net_ok, r->rx_pps);
	json_num("net_rx_bytes_per_s", k && s->net_ok, r->rx_bps);
	json_u64("events", true, d->events);
	json_u64("hypercalls", true, d->hypercalls);
	json_num("events_per_s", k, r->ev_ps);
	json_num("hypercalls_per_s", k, r->hc_ps);
	printf("}");
}

void pvx_top_print_json(const struct pvx_top_row *rows, size_t n,
			const struct pvx_top_sample *s, double interval_s)
{
	printf("{\"time\": %.3f, \"interval_s\": %.3f, \"blkback\": %s, \"netback\": %s, "
	       "\"domains\": [", s->wall, interval_s, s->blk_ok ? "true" : "false",
	       s->net_ok ? "true" : "false");
	for (size_t i = 0; i < n; i++) {
		printf(i ? ",\n  " : "\n  ");
		json_dom(&rows[i], s);
	}
	printf("]}");
}

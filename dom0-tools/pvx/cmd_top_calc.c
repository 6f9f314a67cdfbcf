/*
 * pvx top's pure parts (unit tested): its options, the column names and
 * keys, the rates between two samples, and the sort.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_top.h"

static const struct {
	const char *name;
	int key;
} cols[PVX_TOP_NCOLS] = {
	[PVX_TOP_NAME] = { "name", 'n' },     [PVX_TOP_ID] = { "id", 'i' },
	[PVX_TOP_STATE] = { "state", 's' },   [PVX_TOP_CPU] = { "cpu", 'c' },
	[PVX_TOP_CPUSEC] = { "cpusec", 't' }, [PVX_TOP_MEM] = { "mem", 'm' },
	[PVX_TOP_VCPUS] = { "vcpus", 'v' },   [PVX_TOP_BLK] = { "blk", 'b' },
	[PVX_TOP_NET] = { "net", 'w' },       [PVX_TOP_EVENTS] = { "events", 'e' },
	[PVX_TOP_HCALLS] = { "hcalls", 'h' },
};

int pvx_top_col_by_name(const char *s)
{
	for (int i = 0; i < PVX_TOP_NCOLS; i++)
		if (!strcmp(s, cols[i].name))
			return i;
	return -1;
}

const char *pvx_top_col_name(enum pvx_top_col c)
{
	return c < PVX_TOP_NCOLS ? cols[c].name : "?";
}

int pvx_top_col_by_key(int key)
{
	for (int i = 0; i < PVX_TOP_NCOLS; i++)
		if (key == cols[i].key)
			return i;
	return -1;
}

static bool parse_delay(const char *s, double *out)
{
	char *end;
	double v;

	v = strtod(s, &end);
	if (end == s || *end || !isfinite(v) || v < 0.1 || v > 3600)
		return false;
	*out = v;
	return true;
}

static bool parse_count(const char *s, long *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return false;
	v = strtol(s, &end, 10);
	if (*end || v < 1 || v > 1000000)
		return false;
	*out = v;
	return true;
}

int pvx_top_parse_args(int argc, char **argv, struct pvx_top_opts *o)
{
	static const struct option lo[] = {
		{ "batch", no_argument, NULL, 'b' }, { "json", no_argument, NULL, 'j' },
		{ "delay", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "sort", required_argument, NULL, 's' },
		{ "reverse", no_argument, NULL, 'r' }, { NULL, 0, NULL, 0 },
	};
	int opt, col;

	*o = (struct pvx_top_opts){ .delay_s = 3, .sort = PVX_TOP_CPU };
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+bd:n:s:r", lo, NULL)) != -1) {
		if (opt == 'b') {
			o->batch = true;
		} else if (opt == 'j') {
			o->json = o->batch = true;
		} else if (opt == 'r') {
			o->reverse = true;
		} else if (opt == 'd') {
			if (!parse_delay(optarg, &o->delay_s))
				return pvx_usage_err("top", "-d '%s': expected seconds, 0.1 to 3600",
						     optarg);
		} else if (opt == 'n') {
			if (!parse_count(optarg, &o->iterations))
				return pvx_usage_err("top", "-n '%s': expected a count, 1 to 1000000",
						     optarg);
		} else if (opt == 's') {
			col = pvx_top_col_by_name(optarg);
			if (col < 0)
				return pvx_usage_err("top", "-s '%s': no such column (name, id, "
						     "state, cpu, cpusec, mem, vcpus, blk, net, "
						     "events, hcalls)", optarg);
			o->sort = (enum pvx_top_col)col;
		} else {
			return pvx_opt_err("top", "dns", argv);
		}
	}
	if (optind < argc)
		return pvx_usage_err("top", "unexpected argument '%s'", argv[optind]);
	return 0;
}

double pvx_top_rate(uint64_t a, uint64_t b, double secs)
{
	if (a == PVX_TOP_UNKNOWN || b == PVX_TOP_UNKNOWN || b < a || !(secs > 0))
		return 0;
	return (double)(b - a) / secs;
}

static const struct pvx_top_dom *find_prev(const struct pvx_top_sample *prev,
					   const struct pvx_top_dom *d)
{
	for (size_t i = 0; prev && i < prev->n; i++)
		if (prev->v[i].domid == d->domid && prev->v[i].create_ns == d->create_ns)
			return &prev->v[i];
	return NULL;
}

static void rates(const struct pvx_top_dom *a, const struct pvx_top_dom *b, double s,
		  struct pvx_top_row *r)
{
	r->has_rates = true;
	r->cpu_pct = pvx_top_rate(a->cpu_ns, b->cpu_ns, s) / 1e7; /* ns/s -> % */
	r->rd_rps = pvx_top_rate(a->rd_reqs, b->rd_reqs, s);
	r->wr_rps = pvx_top_rate(a->wr_reqs, b->wr_reqs, s);
	r->rd_bps = pvx_top_rate(a->rd_bytes, b->rd_bytes, s);
	r->wr_bps = pvx_top_rate(a->wr_bytes, b->wr_bytes, s);
	r->tx_pps = pvx_top_rate(a->tx_pkts, b->tx_pkts, s);
	r->tx_bps = pvx_top_rate(a->tx_bytes, b->tx_bytes, s);
	r->rx_pps = pvx_top_rate(a->rx_pkts, b->rx_pkts, s);
	r->rx_bps = pvx_top_rate(a->rx_bytes, b->rx_bytes, s);
	r->ev_ps = b->events == PVX_TOP_UNKNOWN ? -1 : pvx_top_rate(a->events, b->events, s);
	r->hc_ps = b->hypercalls == PVX_TOP_UNKNOWN ? -1 :
		   pvx_top_rate(a->hypercalls, b->hypercalls, s);
}

void pvx_top_rows(const struct pvx_top_sample *prev, const struct pvx_top_sample *cur,
		  struct pvx_top_row *rows)
{
	double secs = prev && cur->mono_ns > prev->mono_ns ?
		      (double)(cur->mono_ns - prev->mono_ns) / 1e9 : 0;

	for (size_t i = 0; i < cur->n; i++) {
		const struct pvx_top_dom *p = find_prev(prev, &cur->v[i]);

		memset(&rows[i], 0, sizeof(rows[i]));
		rows[i].d = cur->v[i];
		rows[i].ev_ps = rows[i].hc_ps = -1;
		if (p && secs > 0)
			rates(p, &cur->v[i], secs, &rows[i]);
	}
}

/* A figure per column for the numeric sorts. */
static double key_of(const struct pvx_top_row *r, enum pvx_top_col c)
{
	switch (c) {
	case PVX_TOP_CPU: return r->cpu_pct;
	case PVX_TOP_CPUSEC: return (double)r->d.cpu_ns;
	case PVX_TOP_MEM: return (double)r->d.mem_kib;
	case PVX_TOP_VCPUS: return r->d.vcpus;
	case PVX_TOP_BLK: return r->rd_bps + r->wr_bps;
	case PVX_TOP_NET: return r->tx_bps + r->rx_bps;
	case PVX_TOP_EVENTS: return r->ev_ps;
	case PVX_TOP_HCALLS: return r->hc_ps;
	default: return 0;
	}
}

static enum pvx_top_col sort_col;
static bool sort_rev;

static int cmp_rows(const void *pa, const void *pb)
{
	const struct pvx_top_row *a = pa, *b = pb;
	int c = 0;

	if (sort_col == PVX_TOP_NAME)
		c = strcmp(a->d.name, b->d.name);
	else if (sort_col == PVX_TOP_STATE)
		c = strcmp(pvx_state_name(a->d.state), pvx_state_name(b->d.state));
	else if (sort_col != PVX_TOP_ID) {
		double ka = key_of(a, sort_col), kb = key_of(b, sort_col);

		c = ka > kb ? -1 : ka < kb; /* largest first */
	}
	if (c == 0)
		c = (a->d.domid > b->d.domid) - (a->d.domid < b->d.domid);
	return sort_rev ? -c : c;
}

void pvx_top_sort(struct pvx_top_row *rows, size_t n, enum pvx_top_col col, bool reverse)
{
	sort_col = col;
	sort_rev = reverse;
	if (n > 1)
		qsort(rows, n, sizeof(*rows), cmp_rows);
}

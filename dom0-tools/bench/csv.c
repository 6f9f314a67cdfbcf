/*
 * CSV output: one header line, one row per ring run (kind "ring"), then
 * one row per baseline (kind "baseline") with the columns that apply
 * (others empty). Columns are documented in docs/bench-ring.md.
 */
#include "bench.h"

static const char header[] =
	"kind,name,notify,batch,outstanding,ring_entries,payload,seconds,ops,ops_per_s,"
	"notify_front_per_op,notify_back_per_op,lat_p50_ns,lat_p99_ns,lat_p999_ns,"
	"lat_mean_ns,cpu_ns_per_op,ratio_vs_best_ringtest\n";

static void ring_row(FILE *f, const struct bench_report *r, const struct bench_result *x,
		     double best)
{
	const struct bench_opts *o = r->opts;

	fprintf(f, "ring,%s,%s,%u,%u,%u,%u,%.6f,%llu,%.1f,%.6f,%.6f,%llu,%llu,%llu,%llu,%.2f,",
		o->mode == BENCH_MODE_GUEST ? "guest" : "host", bench_notify_name(o->notify), x->batch, r->outstanding, r->ring_entries,
		o->payload, x->seconds, (unsigned long long)x->requests, x->req_per_s,
		x->front_notify_per_req, x->back_notify_per_req, (unsigned long long)x->p50_ns,
		(unsigned long long)x->p99_ns, (unsigned long long)x->p999_ns,
		(unsigned long long)x->mean_ns, x->cpu_ns_per_req);
	if (best > 0)
		fprintf(f, "%.4f", x->req_per_s / best);
	fputc('\n', f);
}

static void pp_row(FILE *f, const struct bench_pingpong *p)
{
	fprintf(f, "baseline,%s,,,,,,%.6f,%llu,%.1f,,,%llu,%llu,,%llu,,\n", p->name, p->seconds,
		(unsigned long long)p->rounds, p->rtt_per_s, (unsigned long long)p->p50_ns,
		(unsigned long long)p->p99_ns, (unsigned long long)p->mean_ns);
}

int bench_csv_write(FILE *f, const struct bench_report *r)
{
	double best = r->have_baselines ? bench_ringtest_best(&r->rt, NULL) : 0;

	fputs(header, f);
	for (unsigned i = 0; i < r->nruns; i++)
		ring_row(f, r, &r->runs[i], best);
	if (r->have_baselines) {
		if (r->evt.rounds)
			pp_row(f, &r->evt);
		if (r->pipe.rounds)
			pp_row(f, &r->pipe);
		if (r->evtchn.rounds)
			pp_row(f, &r->evtchn);
		if (r->cacheline_ns > 0)
			fprintf(f, "baseline,cacheline,,,,,,,,,,,%.1f,,,,,\n", r->cacheline_ns);
		for (int i = 0; r->rt.available && i < BENCH_RINGTEST_VARIANTS; i++)
			if (r->rt.run[i].status == 0)
				fprintf(f, "baseline,ringtest-%s,,,,,,%.6f,%ld,%.1f,,,,,,,,\n",
					r->rt.run[i].name, r->rt.run[i].seconds, r->rt.cycles,
					r->rt.run[i].ops_per_s);
	}
	return ferror(f) ? -1 : 0;
}

/*
 * The terminal table: a header naming the parameters and machine load, one
 * row per batch size as each run finishes, then the baselines and the
 * ratios of the best row against them.
 */
#include <errno.h>
#include <string.h>

#include "bench.h"

static double rt_best(const struct bench_report *r, const char **name)
{
	return r->have_baselines ? bench_ringtest_best(&r->rt, name) : 0;
}

void bench_report_header(FILE *f, const struct bench_report *r)
{
	const struct bench_opts *o = r->opts;
	char spin[32] = "";

	if (o->spin_us && o->notify != BENCH_NOTIFY_POLL)
		snprintf(spin, sizeof(spin), " (spin %u us)", o->spin_us);
	if (o->grant_copy)
		snprintf(spin + strlen(spin), sizeof(spin) - strlen(spin), ", grant copy");
	fprintf(f, "pvx bench ring --mode %s: ring %u page%s (%u entries), outstanding %u, "
		"payload %u B, notify %s%s, %.1f s per run, cpus %d,%d, load %.2f %.2f %.2f\n",
		o->mode == BENCH_MODE_GUEST ? "guest" : "host", o->ring_pages, o->ring_pages == 1 ? "" : "s", r->ring_entries, r->outstanding,
		o->payload, bench_notify_name(o->notify), spin, o->duration, o->cpu_front, o->cpu_back,
		r->loadavg[0], r->loadavg[1], r->loadavg[2]);
	if (o->repeat > 1)
		fprintf(f, "medians of %u repeats (baselines and ringtest repeated too)\n", o->repeat);
	fprintf(f, "%6s %10s %9s %9s %9s %9s %9s %11s %10s\n", "batch", "Mreq/s", "ntf/req",
		"ntf/req", "p50", "p99", "p99.9", "cpu", "vs best");
	fprintf(f, "%6s %10s %9s %9s %9s %9s %9s %11s %10s\n", "", "", "front>bk", "back>frt",
		"ns", "ns", "ns", "ns/req", "ringtest");
}

void bench_report_row(FILE *f, const struct bench_report *r, const struct bench_result *x)
{
	double best = rt_best(r, NULL);
	char ratio[16] = "-";

	if (best > 0)
		snprintf(ratio, sizeof(ratio), "%.2fx", x->req_per_s / best);
	fprintf(f, "%6u %10.2f %9.4f %9.4f %9llu %9llu %9llu %11.1f %10s\n", x->batch,
		x->req_per_s / 1e6, x->front_notify_per_req, x->back_notify_per_req,
		(unsigned long long)x->p50_ns, (unsigned long long)x->p99_ns,
		(unsigned long long)x->p999_ns, x->cpu_ns_per_req, ratio);
	fflush(f);
}

static void pingpong_line(FILE *f, const struct bench_pingpong *p)
{
	fprintf(f, "  %-8s ping-pong   RTT p50 %.1f us, p99 %.1f us; %.1f k round trips/s "
		"(%.1f k msgs/s)\n", p->name, (double)p->p50_ns / 1e3, (double)p->p99_ns / 1e3,
		p->rtt_per_s / 1e3, p->msgs_per_s / 1e3);
}

static void ringtest_lines(FILE *f, const struct bench_ringtest *rt)
{
	if (!rt->available) {
		fprintf(f, "  %s\n", rt->why);
		return;
	}
	fprintf(f, "  ringtest (Linux 6.1 tools/virtio/ringtest, %s):\n", rt->args);
	for (int i = 0; i < BENCH_RINGTEST_VARIANTS; i++) {
		const struct bench_ringtest_run *x = &rt->run[i];

		if (x->status)
			fprintf(f, "    %-16s %s: %s\n", x->name,
				x->status == -ENOTSUP ? "not run" : "failed", x->note ? x->note : "?");
		else
			fprintf(f, "    %-16s %8.2f M ops/s  (%ld ops in %.3f s)\n", x->name,
				x->ops_per_s / 1e6, rt->cycles, x->seconds);
	}
}

static const struct bench_result *best_row(const struct bench_report *r)
{
	const struct bench_result *b = NULL;

	for (unsigned i = 0; i < r->nruns; i++)
		if (!b || r->runs[i].req_per_s > b->req_per_s)
			b = &r->runs[i];
	return b;
}

static void ratios(FILE *f, const struct bench_report *r)
{
	const struct bench_result *b = best_row(r);
	const char *rtname;
	double best = rt_best(r, &rtname);

	if (!b)
		return;
	fprintf(f, "ratios (best row, batch %u: %.2f M req/s, p50 %llu ns):\n", b->batch,
		b->req_per_s / 1e6, (unsigned long long)b->p50_ns);
	if (best > 0)
		fprintf(f, "  req/s / best ringtest (%s)            %10.2fx\n", rtname,
			b->req_per_s / best);
	if (r->evt.rtt_per_s > 0)
		fprintf(f, "  req/s / eventfd round trips/s          %10.1fx\n",
			b->req_per_s / r->evt.rtt_per_s);
	if (r->pipe.rtt_per_s > 0)
		fprintf(f, "  req/s / pipe round trips/s             %10.1fx\n",
			b->req_per_s / r->pipe.rtt_per_s);
	if (r->evt.p50_ns > 0)
		fprintf(f, "  p50 round trip / eventfd RTT p50       %10.3fx\n",
			(double)b->p50_ns / (double)r->evt.p50_ns);
	if (r->cacheline_ns > 0)
		fprintf(f, "  p50 round trip / cache-line RTT        %10.1fx\n",
			(double)b->p50_ns / r->cacheline_ns);
}

/*
 * Guest mode: the target compares the batch-32 row's p50 (notify
 * holdoff) with the guest <-> Dom0 event-channel round trip.
 */
static void evtchn_ratio(FILE *f, const struct bench_report *r)
{
	const struct bench_result *x = NULL;

	if (!r->evtchn.rounds || !r->evtchn.p50_ns)
		return;
	for (unsigned i = 0; i < r->nruns; i++)
		if (!x || r->runs[i].batch == 32)
			x = &r->runs[i];
	if (!x)
		return;
	fprintf(f, "  p50 (batch %u, %s) / evtchn ping-pong p50 %8.2fx  (issue 5 target, holdoff "
		"batch 32: <= 2x)\n", x->batch, bench_notify_name(r->opts->notify),
		(double)x->p50_ns / (double)r->evtchn.p50_ns);
}

void bench_report_footer(FILE *f, const struct bench_report *r)
{
	if (!r->have_baselines) {
		fprintf(f, "baselines: off (--no-baselines)\n");
		return;
	}
	fprintf(f, "baselines (same run, same CPUs):\n");
	if (r->cacheline_ns > 0)
		fprintf(f, "  cache-line round trip %.1f ns (the physical bound of a shared-memory "
			"round trip)\n", r->cacheline_ns);
	if (r->evt.rounds)
		pingpong_line(f, &r->evt);
	if (r->pipe.rounds)
		pingpong_line(f, &r->pipe);
	if (r->evtchn.rounds)
		pingpong_line(f, &r->evtchn);
	ringtest_lines(f, &r->rt);
	ratios(f, r);
	evtchn_ratio(f, r);
}

/*
 * `bench ring`: parse, measure the baselines (so every row can carry its
 * ratio), run one measurement per batch size (host.c, or guest.c for
 * --mode guest) printing each row
 * as it finishes, then the baselines and ratios, then the files. With
 * --repeat N the whole measurement runs N times (progress on stderr) and
 * the table and files report field-wise medians (median.c).
 *
 * Exit status: 0 all runs and files done; 1 a run or file failed (the
 * reason on stderr, what did finish still printed and written); 2 usage.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/* Each ping-pong gets a fifth of a run, within [0.2, 1] s. */
static double pingpong_seconds(const struct bench_opts *o)
{
	double s = o->duration / 5;

	return s < 0.2 ? 0.2 : s > 1.0 ? 1.0 : s;
}

static unsigned max_batch(const struct bench_opts *o)
{
	unsigned m = 1;

	for (unsigned i = 0; i < o->nbatches; i++)
		if (o->batches[i] > m)
			m = o->batches[i];
	return m;
}

static void run_baselines(const struct bench_opts *o, struct bench_report *rep)
{
	double pp = pingpong_seconds(o);

	fprintf(stderr, "measuring baselines (cache line, eventfd, pipe%s)...\n",
		o->mode == BENCH_MODE_GUEST ? "; the event channel in the first guest run" :
		", ringtest");
	rep->have_baselines = true;
	if (bench_cacheline_rtt(200000, o->cpu_front, o->cpu_back, &rep->cacheline_ns))
		fprintf(stderr, "pvx bench ring: cache-line baseline failed\n");
	if (bench_pingpong_run("eventfd", 0, pp, o->cpu_front, o->cpu_back, &rep->evt))
		fprintf(stderr, "pvx bench ring: eventfd baseline failed\n");
	if (bench_pingpong_run("pipe", 0, pp, o->cpu_front, o->cpu_back, &rep->pipe))
		fprintf(stderr, "pvx bench ring: pipe baseline failed\n");
	if (o->mode == BENCH_MODE_GUEST) /* ringtest is the host mode's yardstick */
		snprintf(rep->rt.why, sizeof(rep->rt.why), "ringtest: not run in guest mode");
	else
		bench_ringtest_run(o, max_batch(o), &rep->rt);
}

/* One run of the selected mode; the first guest run also measures the
 * guest <-> Dom0 event-channel ping-pong. */
static int run_one(const struct bench_opts *o, unsigned i, struct bench_report *rep,
		   struct bench_result *x, char *msg, size_t len)
{
	if (o->mode == BENCH_MODE_HOST)
		return bench_host_run(o, o->batches[i], x, msg, len);
	return bench_guest_run(o, o->batches[i], x, i == 0 && o->baselines ? &rep->evtchn : NULL,
			       msg, len);
}

static int write_file(const char *path, int (*fn)(FILE *, const struct bench_report *),
		      const struct bench_report *rep)
{
	FILE *f = fopen(path, "w");
	int r;

	if (!f) {
		fprintf(stderr, "pvx bench ring: cannot write %s: %m\n", path);
		return 1;
	}
	r = fn(f, rep);
	if (fclose(f) || r) {
		fprintf(stderr, "pvx bench ring: error writing %s\n", path);
		return 1;
	}
	return 0;
}

static int write_outputs(const struct bench_opts *o, const struct bench_report *rep)
{
	char msg[BENCH_MSG_LEN];
	int rc = 0;

	if (o->csv)
		rc |= write_file(o->csv, bench_csv_write, rep);
	if (o->json)
		rc |= write_file(o->json, bench_json_write, rep);
	if (o->plot && bench_plot_write(o->plot, rep, msg, sizeof(msg))) {
		fprintf(stderr, "pvx bench ring: %s\n", msg);
		rc = 1;
	}
	return rc;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

/* One whole measurement: baselines, then a run per batch size. */
static int measure(const struct bench_opts *o, struct bench_report *rep,
		   struct bench_result *runs, bool live)
{
	char msg[BENCH_MSG_LEN];

	rep->runs = runs;
	rep->nruns = 0;
	if (o->baselines)
		run_baselines(o, rep);
	if (live)
		bench_report_header(stdout, rep);
	for (unsigned i = 0; i < o->nbatches; i++) {
		if (run_one(o, i, rep, &runs[rep->nruns], msg, sizeof(msg))) {
			fprintf(stderr, "pvx bench ring: batch %u: %s\n", o->batches[i], msg);
			return 1;
		}
		if (live)
			bench_report_row(stdout, rep, &runs[rep->nruns]);
		else
			fprintf(stderr, "  batch %u: %.2f M req/s\n", o->batches[i],
				runs[rep->nruns].req_per_s / 1e6);
		rep->nruns++;
	}
	return 0;
}

/* --repeat N: N measurements, then the medians as one report. */
static int measure_repeated(const struct bench_opts *o, struct bench_report *rep,
			    struct bench_result *runs)
{
	static struct bench_report reps[BENCH_MAX_REPEAT];
	static struct bench_result all[BENCH_MAX_REPEAT][BENCH_MAX_SWEEP];

	for (unsigned k = 0; k < o->repeat; k++) {
		fprintf(stderr, "repeat %u of %u\n", k + 1, o->repeat);
		reps[k] = *rep;
		if (measure(o, &reps[k], all[k], false))
			return 1;
	}
	bench_median_results(runs, &all[0][0], o->repeat, BENCH_MAX_SWEEP, o->nbatches);
	if (o->baselines)
		bench_median_baselines(rep, reps, o->repeat);
	rep->runs = runs;
	rep->nruns = o->nbatches;
	bench_report_header(stdout, rep);
	for (unsigned i = 0; i < rep->nruns; i++)
		bench_report_row(stdout, rep, &runs[i]);
	return 0;
}

int bench_ring_main(int argc, char **argv)
{
	static struct bench_report rep;
	static struct bench_result runs[BENCH_MAX_SWEEP];
	struct bench_opts o;
	int rc;

	if (wants_help(argc, argv)) {
		bench_opts_usage(stdout);
		return 0;
	}
	if (bench_opts_parse(&o, argc, argv, stderr))
		return 2;
	memset(&rep, 0, sizeof(rep));
	rep.opts = &o;
	rep.ring_entries = bench_ring_entries(o.ring_pages);
	rep.outstanding = bench_outstanding(&o);
	if (getloadavg(rep.loadavg, 3) < 0)
		memset(rep.loadavg, 0, sizeof(rep.loadavg));
	rc = o.repeat > 1 ? measure_repeated(&o, &rep, runs) : measure(&o, &rep, runs, true);
	if (o.repeat > 1 && rc)
		return 1;
	bench_report_footer(stdout, &rep);
	fflush(stdout);
	return write_outputs(&o, &rep) | rc;
}

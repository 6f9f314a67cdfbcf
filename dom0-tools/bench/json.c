/*
 * JSON output, schema "pvx-bench-ring/1" (docs/bench-ring.md):
 *   { "schema", "params": {...}, "machine": {...}, "runs": [ {...} ],
 *     "baselines": { "eventfd", "pipe", "cacheline_rtt_ns", "ringtest" } | null,
 *     "best": {...} }
 * Rates are per second, times in ns, ratios plain numbers. Keys are only
 * ever added in later schema versions, never renamed.
 */
#include "bench.h"

static void str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void params(FILE *f, const struct bench_report *r)
{
	const struct bench_opts *o = r->opts;

	fprintf(f, "  \"params\": {\"mode\": \"%s\", \"notify\": \"%s\", \"ring_pages\": %u, "
		"\"ring_entries\": %u, \"outstanding\": %u, \"payload\": %u, "
		"\"duration_s\": %.3f, \"spin_us\": %u, \"grant_copy\": %s, \"repeats\": %u, "
		"\"cpus\": [%d, %d], "
		"\"batches\": [", o->mode == BENCH_MODE_GUEST ? "guest" : "host",
		bench_notify_name(o->notify), o->ring_pages, r->ring_entries,
		r->outstanding, o->payload, o->duration, o->spin_us,
		o->grant_copy ? "true" : "false", o->repeat, o->cpu_front,
		o->cpu_back);
	for (unsigned i = 0; i < o->nbatches; i++)
		fprintf(f, "%s%u", i ? ", " : "", o->batches[i]);
	fprintf(f, "]},\n  \"machine\": {\"loadavg\": [%.2f, %.2f, %.2f], \"tsc_per_ns\": %.4f},\n",
		r->loadavg[0], r->loadavg[1], r->loadavg[2], bench_tsc_per_ns());
}

static void run(FILE *f, const struct bench_result *x, double best, bool last)
{
	fprintf(f, "    {\"batch\": %u, \"requests\": %llu, \"seconds\": %.6f, "
		"\"req_per_s\": %.1f, \"notify_front_per_req\": %.6f, "
		"\"notify_back_per_req\": %.6f, \"lat_ns\": {\"p50\": %llu, \"p99\": %llu, "
		"\"p999\": %llu, \"mean\": %llu, \"max\": %llu}, \"cpu_ns_per_req\": %.2f, "
		"\"ratio_vs_best_ringtest\": ",
		x->batch, (unsigned long long)x->requests, x->seconds, x->req_per_s,
		x->front_notify_per_req, x->back_notify_per_req, (unsigned long long)x->p50_ns,
		(unsigned long long)x->p99_ns, (unsigned long long)x->p999_ns,
		(unsigned long long)x->mean_ns, (unsigned long long)x->max_ns, x->cpu_ns_per_req);
	if (best > 0)
		fprintf(f, "%.4f", x->req_per_s / best);
	else
		fputs("null", f);
	if (x->nrep) {
		fputs(", \"req_per_s_each\": [", f);
		for (unsigned k = 0; k < x->nrep; k++)
			fprintf(f, "%s%.1f", k ? ", " : "", x->req_per_s_each[k]);
		fputc(']', f);
	}
	fputc('}', f);
	fputs(last ? "\n" : ",\n", f);
}

static void pingpong(FILE *f, const char *key, const struct bench_pingpong *p)
{
	fprintf(f, "    \"%s\": ", key);
	if (!p->rounds) {
		fputs("null,\n", f);
		return;
	}
	fprintf(f, "{\"rounds\": %llu, \"seconds\": %.6f, \"rtt_ns\": {\"p50\": %llu, "
		"\"p99\": %llu, \"mean\": %llu}, \"round_trips_per_s\": %.1f, \"msgs_per_s\": %.1f},\n",
		(unsigned long long)p->rounds, p->seconds, (unsigned long long)p->p50_ns,
		(unsigned long long)p->p99_ns, (unsigned long long)p->mean_ns, p->rtt_per_s,
		p->msgs_per_s);
}

static void ringtest(FILE *f, const struct bench_ringtest *rt)
{
	const char *name;
	double best = bench_ringtest_best(rt, &name);

	fprintf(f, "    \"ringtest\": {\"available\": %s, ", rt->available ? "true" : "false");
	if (!rt->available) {
		fputs("\"why\": ", f);
		str(f, rt->why);
		fputs("}\n", f);
		return;
	}
	fputs("\"args\": ", f);
	str(f, rt->args);
	fprintf(f, ", \"cycles\": %ld, \"variants\": [", rt->cycles);
	for (int i = 0; i < BENCH_RINGTEST_VARIANTS; i++) {
		fprintf(f, "%s{\"name\": \"%s\", \"ok\": %s, \"seconds\": %.6f, \"ops_per_s\": %.1f",
			i ? ", " : "", rt->run[i].name, rt->run[i].status ? "false" : "true",
			rt->run[i].seconds, rt->run[i].ops_per_s);
		if (rt->run[i].note) {
			fputs(", \"note\": ", f);
			str(f, rt->run[i].note);
		}
		fputc('}', f);
	}
	fputs("], \"best\": ", f);
	if (best > 0)
		fprintf(f, "{\"name\": \"%s\", \"ops_per_s\": %.1f}}\n", name, best);
	else
		fputs("null}\n", f);
}

/* Guest mode: the batch-32 row's (else the first row's) p50 over the
 * event-channel ping-pong's (issue 5's target: <= 2 with holdoff). */
static void evtchn_ratio(FILE *f, const struct bench_report *r)
{
	const struct bench_result *x = NULL;

	if (!r->evtchn.rounds || !r->evtchn.p50_ns)
		return;
	for (unsigned i = 0; i < r->nruns; i++)
		if (!x || r->runs[i].batch == 32)
			x = &r->runs[i];
	if (x)
		fprintf(f, "    \"p50_over_evtchn_p50\": {\"batch\": %u, \"ratio\": %.4f},\n",
			x->batch, (double)x->p50_ns / (double)r->evtchn.p50_ns);
}

static void baselines(FILE *f, const struct bench_report *r)
{
	if (!r->have_baselines) {
		fputs("  \"baselines\": null\n", f);
		return;
	}
	fputs("  \"baselines\": {\n", f);
	pingpong(f, "eventfd", &r->evt);
	pingpong(f, "pipe", &r->pipe);
	if (r->evtchn.rounds)
		pingpong(f, "evtchn", &r->evtchn);
	evtchn_ratio(f, r);
	if (r->cacheline_ns > 0)
		fprintf(f, "    \"cacheline_rtt_ns\": %.2f,\n", r->cacheline_ns);
	else
		fputs("    \"cacheline_rtt_ns\": null,\n", f);
	ringtest(f, &r->rt);
	fputs("  }\n", f);
}

int bench_json_write(FILE *f, const struct bench_report *r)
{
	double best = r->have_baselines ? bench_ringtest_best(&r->rt, NULL) : 0;

	fputs("{\n  \"schema\": \"pvx-bench-ring/1\",\n", f);
	params(f, r);
	fputs("  \"runs\": [\n", f);
	for (unsigned i = 0; i < r->nruns; i++)
		run(f, &r->runs[i], best, i + 1 == r->nruns);
	fputs("  ],\n", f);
	baselines(f, r);
	fputs("}\n", f);
	return ferror(f) ? -1 : 0;
}

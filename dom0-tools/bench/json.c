/*
 * JSON output, schema "pvx-bench-ring/1" (docs/bench-ring.md):
 *   { "schema", "params": {...}, "machine": {...}, "runs": [ {...} ],
 *     "baselines": { "eventfd", "pipe", "cacheline_rtt_ns", "ringtest" } | null,
 *     "best": {...} }
 * Rates are per second, times in ns, ratios plain numbers. Keys are only
 * ever added in later schema versions, never renamed. Built as a jansson
 * value (pvx/json.h): figures keep the decimals they always had; a figure
 * that is not a number prints as null.
 */
#include <pvx/json.h>

#include "bench.h"

#define FIX(v, d) pvx_json_fixed((v), (d))
#define U64(v) pvx_json_u64((uint64_t)(v))

static json_t *params(const struct bench_report *r)
{
	const struct bench_opts *o = r->opts;
	json_t *batches = json_array();

	for (unsigned i = 0; batches && i < o->nbatches; i++)
		if (json_array_append_new(batches, json_integer(o->batches[i])) < 0) {
			json_decref(batches);
			return NULL;
		}
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:I, s:b, s:I, s:[i, i], s:o}",
			 "mode", o->mode == BENCH_MODE_GUEST ? "guest" : "host",
			 "notify", bench_notify_name(o->notify),
			 "ring_pages", (json_int_t)o->ring_pages,
			 "ring_entries", (json_int_t)r->ring_entries,
			 "outstanding", (json_int_t)r->outstanding,
			 "payload", (json_int_t)o->payload,
			 "duration_s", FIX(o->duration, 3),
			 "spin_us", (json_int_t)o->spin_us,
			 "grant_copy", (int)o->grant_copy,
			 "repeats", (json_int_t)o->repeat,
			 "cpus", o->cpu_front, o->cpu_back,
			 "batches", batches);
}

static json_t *machine(const struct bench_report *r)
{
	return json_pack("{s:[o, o, o], s:o}", "loadavg", FIX(r->loadavg[0], 2),
			 FIX(r->loadavg[1], 2), FIX(r->loadavg[2], 2),
			 "tsc_per_ns", FIX(bench_tsc_per_ns(), 4));
}

static json_t *run(const struct bench_result *x, double best)
{
	json_t *o = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, "
			      "s:{s:o, s:o, s:o, s:o, s:o}, s:o, s:o}",
			      "batch", (json_int_t)x->batch, "requests", U64(x->requests),
			      "seconds", FIX(x->seconds, 6), "req_per_s", FIX(x->req_per_s, 1),
			      "notify_front_per_req", FIX(x->front_notify_per_req, 6),
			      "notify_back_per_req", FIX(x->back_notify_per_req, 6),
			      "lat_ns", "p50", U64(x->p50_ns), "p99", U64(x->p99_ns),
			      "p999", U64(x->p999_ns), "mean", U64(x->mean_ns),
			      "max", U64(x->max_ns),
			      "cpu_ns_per_req", FIX(x->cpu_ns_per_req, 2),
			      "ratio_vs_best_ringtest",
			      best > 0 ? FIX(x->req_per_s / best, 4) : json_null());
	json_t *each;
	int rc = 0;

	if (!o || !x->nrep)
		return o;
	each = json_array();
	for (unsigned k = 0; k < x->nrep; k++)
		rc |= json_array_append_new(each, FIX(x->req_per_s_each[k], 1));
	rc |= pvx_json_set(o, "req_per_s_each", each);
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *pingpong(const struct bench_pingpong *p)
{
	if (!p->rounds)
		return json_null();
	return json_pack("{s:o, s:o, s:{s:o, s:o, s:o}, s:o, s:o}",
			 "rounds", U64(p->rounds), "seconds", FIX(p->seconds, 6),
			 "rtt_ns", "p50", U64(p->p50_ns), "p99", U64(p->p99_ns),
			 "mean", U64(p->mean_ns),
			 "round_trips_per_s", FIX(p->rtt_per_s, 1),
			 "msgs_per_s", FIX(p->msgs_per_s, 1));
}

static json_t *variant(const struct bench_ringtest_run *v)
{
	json_t *o = json_pack("{s:s, s:b, s:o, s:o}", "name", v->name, "ok", !v->status,
			      "seconds", FIX(v->seconds, 6), "ops_per_s", FIX(v->ops_per_s, 1));

	if (o && v->note && pvx_json_set(o, "note", pvx_json_string(v->note)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *ringtest(const struct bench_ringtest *rt)
{
	const char *name;
	double best = bench_ringtest_best(rt, &name);
	json_t *vs;
	int rc = 0;

	if (!rt->available)
		return json_pack("{s:b, s:o}", "available", 0, "why", pvx_json_string(rt->why));
	vs = json_array();
	for (int i = 0; i < BENCH_RINGTEST_VARIANTS; i++)
		rc |= json_array_append_new(vs, variant(&rt->run[i]));
	if (rc) {
		json_decref(vs);
		return NULL;
	}
	return json_pack("{s:b, s:o, s:I, s:o, s:o}", "available", 1,
			 "args", pvx_json_string(rt->args), "cycles", (json_int_t)rt->cycles,
			 "variants", vs, "best", best > 0 ?
			 json_pack("{s:s, s:o}", "name", name, "ops_per_s", FIX(best, 1)) :
			 json_null());
}

/* Guest mode: the batch-32 row's (else the first row's) p50 over the
 * event-channel ping-pong's (issue 5's target: <= 2 with holdoff). */
static int evtchn_ratio(json_t *b, const struct bench_report *r)
{
	const struct bench_result *x = NULL;

	if (!r->evtchn.rounds || !r->evtchn.p50_ns)
		return 0;
	for (unsigned i = 0; i < r->nruns; i++)
		if (!x || r->runs[i].batch == 32)
			x = &r->runs[i];
	if (!x)
		return 0;
	return pvx_json_set(b, "p50_over_evtchn_p50",
			    json_pack("{s:I, s:o}", "batch", (json_int_t)x->batch, "ratio",
				      FIX((double)x->p50_ns / (double)r->evtchn.p50_ns, 4)));
}

static json_t *baselines(const struct bench_report *r)
{
	json_t *b;
	int rc;

	if (!r->have_baselines)
		return json_null();
	b = json_object();
	rc = pvx_json_set(b, "eventfd", pingpong(&r->evt));
	rc |= pvx_json_set(b, "pipe", pingpong(&r->pipe));
	if (r->evtchn.rounds)
		rc |= pvx_json_set(b, "evtchn", pingpong(&r->evtchn));
	rc |= evtchn_ratio(b, r);
	rc |= pvx_json_set(b, "cacheline_rtt_ns",
			   r->cacheline_ns > 0 ? FIX(r->cacheline_ns, 2) : json_null());
	rc |= pvx_json_set(b, "ringtest", ringtest(&r->rt));
	if (rc) {
		json_decref(b);
		return NULL;
	}
	return b;
}

int bench_json_write(FILE *f, const struct bench_report *r)
{
	double best = r->have_baselines ? bench_ringtest_best(&r->rt, NULL) : 0;
	json_t *runs = json_array(), *doc;
	int rc = 0;

	for (unsigned i = 0; i < r->nruns; i++)
		rc |= json_array_append_new(runs, run(&r->runs[i], best));
	if (rc) {
		json_decref(runs);
		return -1;
	}
	doc = json_pack("{s:s, s:o, s:o, s:o, s:o}", "schema", "pvx-bench-ring/1",
			"params", params(r), "machine", machine(r), "runs", runs,
			"baselines", baselines(r));
	return pvx_json_dump(f, doc, PVX_JSON_PRETTY, 1) < 0 || ferror(f) ? -1 : 0;
}

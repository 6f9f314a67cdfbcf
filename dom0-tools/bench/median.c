/*
 * --repeat N: the medians that the table, CSV, JSON and plot report. On a
 * shared machine a single run measures the scheduler as much as the ring;
 * repeating the whole measurement (baselines included, so each repeat's
 * ringtest runs next to its own ring rows) and taking field-wise medians
 * gives figures that survive one disturbed repeat. Each field's median is
 * taken on its own (the median row is not one of the runs); the per-repeat
 * request rates are kept beside it (JSON "req_per_s_each").
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static int cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

/* Median of v[0..n) (n >= 1); sorts v. Even n: the mean of the middle two. */
static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Median of one field, read through get() from n items stride apart. */
#define MEDIAN_OF(items, n, stride, expr)                                      \
	({                                                                     \
		double v_[BENCH_MAX_REPEAT];                                   \
		for (unsigned k_ = 0; k_ < (n); k_++) {                        \
			__typeof__(&(items)[0]) it = &(items)[k_ * (stride)];  \
			v_[k_] = (double)(expr);                               \
		}                                                              \
		median(v_, (n));                                               \
	})

void bench_median_results(struct bench_result *out, const struct bench_result *reps,
			  unsigned n, unsigned stride, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		const struct bench_result *r = &reps[i];
		struct bench_result *x = &out[i];

		memset(x, 0, sizeof(*x));
		x->batch = r->batch;
		x->requests = (uint64_t)MEDIAN_OF(r, n, stride, it->requests);
		x->seconds = MEDIAN_OF(r, n, stride, it->seconds);
		x->req_per_s = MEDIAN_OF(r, n, stride, it->req_per_s);
		x->front_notify_per_req = MEDIAN_OF(r, n, stride, it->front_notify_per_req);
		x->back_notify_per_req = MEDIAN_OF(r, n, stride, it->back_notify_per_req);
		x->p50_ns = (uint64_t)MEDIAN_OF(r, n, stride, it->p50_ns);
		x->p99_ns = (uint64_t)MEDIAN_OF(r, n, stride, it->p99_ns);
		x->p999_ns = (uint64_t)MEDIAN_OF(r, n, stride, it->p999_ns);
		x->mean_ns = (uint64_t)MEDIAN_OF(r, n, stride, it->mean_ns);
		x->max_ns = (uint64_t)MEDIAN_OF(r, n, stride, it->max_ns);
		x->cpu_ns_per_req = MEDIAN_OF(r, n, stride, it->cpu_ns_per_req);
		x->nrep = n;
		for (unsigned k = 0; k < n; k++)
			x->req_per_s_each[k] = reps[k * stride + i].req_per_s;
	}
}

static void median_pingpong(struct bench_pingpong *out, const struct bench_report *reps,
			    unsigned n, size_t off)
{
	const struct bench_pingpong *p0 = (const void *)((const char *)&reps[0] + off);
	double v[BENCH_MAX_REPEAT];

	*out = *p0;
#define PP(field)                                                                      \
	do {                                                                           \
		for (unsigned k = 0; k < n; k++)                                       \
			v[k] = (double)((const struct bench_pingpong *)                \
					((const char *)&reps[k] + off))->field;        \
		out->field = (__typeof__(out->field))median(v, n);                     \
	} while (0)
	PP(rounds);
	PP(seconds);
	PP(p50_ns);
	PP(p99_ns);
	PP(mean_ns);
	PP(rtt_per_s);
	PP(msgs_per_s);
#undef PP
}

/* A ringtest variant's median over the repeats in which it ran. */
static void median_variant(struct bench_ringtest_run *out, const struct bench_report *reps,
			   unsigned n, int i)
{
	double s[BENCH_MAX_REPEAT], ops[BENCH_MAX_REPEAT];
	unsigned ok = 0;

	*out = reps[0].rt.run[i];
	for (unsigned k = 0; k < n; k++)
		if (reps[k].rt.available && reps[k].rt.run[i].status == 0) {
			s[ok] = reps[k].rt.run[i].seconds;
			ops[ok++] = reps[k].rt.run[i].ops_per_s;
		}
	if (ok == 0)
		return;
	out->status = 0;
	out->note = NULL;
	out->seconds = median(s, ok);
	out->ops_per_s = median(ops, ok);
}

void bench_median_baselines(struct bench_report *out, const struct bench_report *reps,
			    unsigned n)
{
	double cl[BENCH_MAX_REPEAT];

	out->have_baselines = reps[0].have_baselines;
	median_pingpong(&out->evt, reps, n, offsetof(struct bench_report, evt));
	median_pingpong(&out->pipe, reps, n, offsetof(struct bench_report, pipe));
	median_pingpong(&out->evtchn, reps, n, offsetof(struct bench_report, evtchn));
	for (unsigned k = 0; k < n; k++)
		cl[k] = reps[k].cacheline_ns;
	out->cacheline_ns = median(cl, n);
	out->rt = reps[0].rt;
	for (int i = 0; out->rt.available && i < BENCH_RINGTEST_VARIANTS; i++)
		median_variant(&out->rt.run[i], reps, n, i);
}

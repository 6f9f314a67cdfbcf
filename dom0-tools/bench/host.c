/*
 * One host-mode run: a fresh shared region, the backend forked and pinned
 * first (the frontend starts once it has attached), then the frontend; the
 * parent only waits. Results come back through the control block and the
 * children's rusage (CPU per request counts both processes over the whole
 * run, warm-up included, divided by every request of the run).
 *
 * Failure handling: whichever side fails writes its reason into the
 * control block; the parent reports the backend's reason first (the usual
 * root cause), and kills a side that outlives its deadline.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench.h"

struct run {
	struct bench_shm shm;
	struct bench_end_cfg cfg;
};

static int front_main(void *arg)
{
	struct run *r = arg;

	return bench_front_run(&r->shm, &r->cfg);
}

static int back_main(void *arg)
{
	struct run *r = arg;

	return bench_back_run(&r->shm, &r->cfg);
}

static bool wait_ready(const struct bench_ctl *ctl, int ms)
{
	struct timespec ts = { 0, 1000000 };

	for (int i = 0; i < ms; i++) {
		if (__atomic_load_n(&ctl->back_ready, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&ctl->back_done, __ATOMIC_ACQUIRE))
			return ctl->back_ready && !ctl->back_done;
		nanosleep(&ts, NULL);
	}
	return false;
}

static void fill(struct bench_result *x, const struct bench_ctl *ctl, unsigned batch,
		 uint64_t cpu_ns)
{
	double all = ctl->requests_total ? (double)ctl->requests_total : 1;

	memset(x, 0, sizeof(*x));
	x->batch = batch;
	x->requests = ctl->requests;
	x->seconds = (double)ctl->window_ns / 1e9;
	x->req_per_s = x->seconds > 0 ? (double)ctl->requests / x->seconds : 0;
	x->front_notify_per_req = (double)ctl->front_notifies / all;
	x->back_notify_per_req = (double)ctl->back_notifies / all;
	x->p50_ns = bench_hist_quantile(&ctl->hist, 0.50);
	x->p99_ns = bench_hist_quantile(&ctl->hist, 0.99);
	x->p999_ns = bench_hist_quantile(&ctl->hist, 0.999);
	x->mean_ns = bench_hist_mean(&ctl->hist);
	x->max_ns = ctl->hist.max;
	x->cpu_ns_per_req = (double)cpu_ns / all;
}

/* Both children are gone: say what went wrong, back end first. */
static int verdict(const struct bench_ctl *ctl, int fst, int bst, char *msg, size_t len)
{
	if (ctl->back_err) {
		snprintf(msg, len, "backend: %s", ctl->back_msg);
		return ctl->back_err;
	}
	if (ctl->front_err) {
		snprintf(msg, len, "frontend: %s", ctl->front_msg);
		return ctl->front_err;
	}
	if (fst || bst) {
		snprintf(msg, len, "frontend exited with status %d, backend with %d", fst, bst);
		return -ECHILD;
	}
	if (ctl->requests == 0) {
		snprintf(msg, len, "no request completed in the measured window");
		return -ETIME;
	}
	return 0;
}

static int spawn_both(struct run *run, const struct bench_opts *o, uint64_t *cpu,
		      char *msg, size_t len)
{
	int total_ms = (int)((run->cfg.warmup_ns + run->cfg.window_ns) / 1000000u) + 10000;
	pid_t back, front;
	int fst = -1, bst;

	back = bench_spawn(o->cpu_back, back_main, run);
	if (back < 0) {
		snprintf(msg, len, "fork: %s", strerror((int)-back));
		return (int)back;
	}
	if (wait_ready(run->shm.ctl, 5000)) {
		front = bench_spawn(o->cpu_front, front_main, run);
		if (front > 0)
			fst = bench_reap(front, total_ms, cpu);
	}
	/* However the frontend ended, the backend must stop now. */
	__atomic_store_n(&run->shm.ctl->stop, 1, __ATOMIC_RELEASE);
	bench_evt_notify(run->shm.kick_fd);
	bst = bench_reap(back, 5000, cpu);
	return verdict(run->shm.ctl, fst, bst, msg, len);
}

int bench_host_run(const struct bench_opts *o, unsigned batch, struct bench_result *x,
		   char *msg, size_t len)
{
	struct run run;
	uint64_t cpu = 0, window = (uint64_t)(o->duration * 1e9);
	int r;

	r = bench_shm_create(&run.shm, o->ring_pages, o->payload);
	if (r) {
		snprintf(msg, len, "shared region: %s", strerror(-r));
		return r;
	}
	bench_tsc_per_ns(); /* calibrate once, before the fork */
	run.cfg = (struct bench_end_cfg){
		.policy = bench_policy_get(o->notify),
		.batch = batch,
		.outstanding = bench_outstanding(o),
		.payload = o->payload,
		.warmup_ns = window / 10 < 250000000u ? window / 10 : 250000000u,
		.window_ns = window,
		.spin_ticks = (uint64_t)(o->spin_us * 1000.0 * bench_tsc_per_ns()),
	};
	r = spawn_both(&run, o, &cpu, msg, len);
	if (r == 0)
		fill(x, run.shm.ctl, batch, cpu);
	bench_shm_dispose(&run.shm);
	return r;
}

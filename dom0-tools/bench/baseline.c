/*
 * Baselines measured in the same run as the ring, between two processes
 * pinned like the ring's two ends:
 *
 *   eventfd / pipe ping-pong: A writes, B's blocking read returns and B
 *     writes back, A's read returns; one sample per round trip. This is
 *     what a notification-driven ring pays when every request sleeps.
 *   cache-line round trip: A and B take turns incrementing one shared
 *     64-bit word, spinning; the physical bound of any shared-memory
 *     protocol between the two CPUs (a request cannot travel faster).
 *
 * Results come back through a MAP_SHARED anonymous page set up before the
 * fork. Each side's loop is bounded by a round count; the reaper's deadline
 * covers a side that never answers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define STOP_VALUE 2u

struct pp_shared {
	struct bench_hist hist;
	uint64_t rounds, ns;
	int fail;
};

struct pp {
	int ab[2], ba[2];            /* [0] read end, [1] write end */
	uint64_t rounds;             /* 0: until deadline */
	uint64_t deadline_ns;
	struct pp_shared *out;
};

static int xfer(int wfd, uint64_t v, int rfd, uint64_t *got)
{
	if (wfd >= 0 && write(wfd, &v, sizeof(v)) != sizeof(v))
		return -errno;
	if (rfd >= 0 && read(rfd, got, sizeof(*got)) != sizeof(*got))
		return -errno;
	return 0;
}

static int pp_echo(void *arg)
{
	struct pp *p = arg;
	uint64_t v = 0;

	for (;;) {
		if (xfer(-1, 0, p->ab[0], &v))
			return -EIO;
		if (v == STOP_VALUE)
			return 0;
		if (xfer(p->ba[1], 1, -1, NULL))
			return -EIO;
	}
}

static int pp_initiator(void *arg)
{
	struct pp *p = arg;
	uint64_t v, start = bench_now_ns(), i;

	for (i = 0; p->rounds ? i < p->rounds : bench_now_ns() < p->deadline_ns; i++) {
		uint64_t t0 = bench_now_ns();

		if (xfer(p->ab[1], 1, p->ba[0], &v)) {
			p->out->fail = 1;
			break;
		}
		bench_hist_add(&p->out->hist, bench_now_ns() - t0);
	}
	p->out->rounds = i;
	p->out->ns = bench_now_ns() - start;
	xfer(p->ab[1], STOP_VALUE, -1, NULL);
	return p->out->fail ? -EIO : 0;
}

static int open_channel(struct pp *p, const char *kind)
{
	if (!strcmp(kind, "eventfd")) {
		p->ab[0] = p->ab[1] = eventfd(0, EFD_CLOEXEC);
		p->ba[0] = p->ba[1] = eventfd(0, EFD_CLOEXEC);
		return p->ab[0] < 0 || p->ba[0] < 0 ? -errno : 0;
	}
	if (!strcmp(kind, "pipe"))
		return pipe2(p->ab, O_CLOEXEC) || pipe2(p->ba, O_CLOEXEC) ? -errno : 0;
	return -EINVAL;
}

static void close_channel(struct pp *p)
{
	int fds[4] = { p->ab[0], p->ab[1], p->ba[0], p->ba[1] };

	for (int i = 0; i < 4; i++)
		if (fds[i] >= 0 && (i == 0 || fds[i] != fds[i - 1]))
			close(fds[i]);
}

static void pp_result(const char *kind, const struct pp_shared *sh, struct bench_pingpong *out)
{
	memset(out, 0, sizeof(*out));
	out->name = !strcmp(kind, "eventfd") ? "eventfd" : "pipe";
	out->rounds = sh->rounds;
	out->seconds = (double)sh->ns / 1e9;
	out->p50_ns = bench_hist_quantile(&sh->hist, 0.5);
	out->p99_ns = bench_hist_quantile(&sh->hist, 0.99);
	out->mean_ns = bench_hist_mean(&sh->hist);
	out->rtt_per_s = out->seconds > 0 ? (double)sh->rounds / out->seconds : 0;
	out->msgs_per_s = 2 * out->rtt_per_s;
}

int bench_pingpong_run(const char *kind, uint64_t rounds, double seconds, int cpu_a,
		       int cpu_b, struct bench_pingpong *out)
{
	struct pp p = { .ab = { -1, -1 }, .ba = { -1, -1 }, .rounds = rounds };
	int timeout_ms = rounds ? 600000 : (int)(seconds * 1000) + 10000;
	pid_t a, b;
	int r, sa, sb;

	p.out = mmap(NULL, sizeof(*p.out), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		     -1, 0);
	if (p.out == MAP_FAILED)
		return -errno;
	r = open_channel(&p, kind);
	if (r)
		goto out;
	p.deadline_ns = bench_now_ns() + (uint64_t)(seconds * 1e9);
	b = bench_spawn(cpu_b, pp_echo, &p);
	a = b < 0 ? b : bench_spawn(cpu_a, pp_initiator, &p);
	sa = a < 0 ? -1 : bench_reap(a, timeout_ms, NULL);
	sb = b < 0 ? -1 : bench_reap(b, 5000, NULL);
	r = (a < 0 || b < 0) ? -EAGAIN : (sa || sb || p.out->rounds == 0) ? -EIO : 0;
	if (r == 0)
		pp_result(kind, p.out, out);
out:
	close_channel(&p);
	munmap(p.out, sizeof(*p.out));
	return r;
}

/* ---- cache-line round trip ------------------------------------------------ */

#define CL_BATCHES 5

struct cl_shared {
	uint64_t word __attribute__((aligned(64)));
	uint64_t ns[CL_BATCHES] __attribute__((aligned(64)));
};

struct cl {
	struct cl_shared *sh;
	uint64_t rounds;             /* per batch */
};

static int cl_a(void *arg)
{
	struct cl *c = arg;
	uint64_t v = 0;

	for (int b = 0; b < CL_BATCHES; b++) {
		uint64_t t0 = bench_now_ns();

		for (uint64_t i = 0; i < c->rounds; i++) {
			__atomic_store_n(&c->sh->word, ++v, __ATOMIC_RELEASE);
			++v;
			while (__atomic_load_n(&c->sh->word, __ATOMIC_ACQUIRE) != v)
				__builtin_ia32_pause();
		}
		c->sh->ns[b] = bench_now_ns() - t0;
	}
	return 0;
}

static int cl_b(void *arg)
{
	struct cl *c = arg;
	uint64_t total = c->rounds * CL_BATCHES, v = 1;

	for (uint64_t i = 0; i < total; i++, v += 2) {
		while (__atomic_load_n(&c->sh->word, __ATOMIC_ACQUIRE) != v)
			__builtin_ia32_pause();
		__atomic_store_n(&c->sh->word, v + 1, __ATOMIC_RELEASE);
	}
	return 0;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

int bench_cacheline_rtt(uint64_t rounds, int cpu_a, int cpu_b, double *rtt_ns)
{
	struct cl c = { .rounds = rounds ? rounds : 1 };
	pid_t a, b;
	int sa, sb;

	c.sh = mmap(NULL, sizeof(*c.sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		    -1, 0);
	if (c.sh == MAP_FAILED)
		return -errno;
	b = bench_spawn(cpu_b, cl_b, &c);
	a = b < 0 ? b : bench_spawn(cpu_a, cl_a, &c);
	sa = a < 0 ? -1 : bench_reap(a, 60000, NULL);
	sb = b < 0 ? -1 : bench_reap(b, 5000, NULL);
	if (sa == 0 && sb == 0) {
		qsort(c.sh->ns, CL_BATCHES, sizeof(c.sh->ns[0]), cmp_u64);
		*rtt_ns = (double)c.sh->ns[CL_BATCHES / 2] / (double)c.rounds;
	}
	munmap(c.sh, sizeof(*c.sh));
	return sa == 0 && sb == 0 ? 0 : -EIO;
}
